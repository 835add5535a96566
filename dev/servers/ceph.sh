ceph_pid() { live_pid "$1/ceph.pid"; }
ceph_endpoint() { echo -; }
ceph_up() { die "ceph: not yet"; }
ceph_down() { stop_pidfile "$1/ceph.pid"; }
