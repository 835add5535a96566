# Ceph RGW (optional; `dev/infra.sh up ceph`): one monitor, one BlueStore OSD on a sparse file and
# radosgw (beast) on 127.0.0.1, for tests that need real S3 versioning and Object Lock (WORM).
# Debian packages radosgw ceph-mon ceph-osd (installed with apt-get when missing and running as root).
# Sourced by dev/infra.sh. ceph_up DIR RGW_PORT MON_PORT MS_PORT_MIN | ceph_down DIR
# Pitfalls this follows: auth "none" needs every ms_*_mode = crc (else radosgw hangs for minutes);
# daemons bind only in a private port range; pools have size 1.

CEPH_USER=${LIFEBOAT_CEPH_USER:-lifeboat}

ceph_install() {
  command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null && return 0
  ((EUID == 0)) || die "ceph: radosgw, ceph-mon and ceph-osd are not installed; run: apt-get install radosgw ceph-mon ceph-osd"
  log "installing radosgw ceph-mon ceph-osd with apt-get (once, ~1 min)"
  mkdir -p "$LIFEBOAT_INFRA_DIR"
  { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd
  } >"$LIFEBOAT_INFRA_DIR/ceph-apt.log" 2>&1 9>&- \
    || die "ceph: apt-get install radosgw ceph-mon ceph-osd failed; see $LIFEBOAT_INFRA_DIR/ceph-apt.log"
}

# radosgw's pid, else that of a leftover monitor or OSD (so that 'down' still stops them).
ceph_pid() { live_pid "$1/radosgw.pid" || live_pid "$1/ceph-osd.pid" || live_pid "$1/ceph-mon.pid"; }
ceph_endpoint() { printf 'http://127.0.0.1:%s\n' "$(cat "$1/port" 2>/dev/null || echo '?')"; }
ceph_healthy() { [[ $(http_status "http://127.0.0.1:$1/") == 200 ]]; }

ceph_cli() { timeout 60 ceph -c "$CEPH_DIR/ceph.conf" --connect-timeout 30 "$@"; }

ceph_write_conf() {
  local dir=$1 rgw=$2 mon=$3 msmin=$4 fsid=$5
  cat >"$dir/ceph.conf" <<CONF
# Written by dev/servers/ceph.sh on every start.
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$mon
mon_initial_members = a
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
ms_bind_msgr2 = true
ms_bind_port_min = $msmin
ms_bind_port_max = $((msmin + 15))
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_cluster_mode = crc
ms_service_mode = crc
ms_client_mode = crc
ms_mon_cluster_mode = crc
ms_mon_service_mode = crc
ms_mon_client_mode = crc
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_max_pg_per_osd = 1000
run_dir = $dir/run
admin_socket = $dir/run/\$cluster-\$name.asok
log_file = $dir/log/\$cluster-\$name.log
pid_file = $dir/run/\$name.pid
keyring = /dev/null
[mon]
mon_data = $dir/mon/\$cluster-\$id
[osd]
osd_data = $dir/osd/\$cluster-\$id
osd_objectstore = bluestore
bluestore_block_path = $dir/osd/block
bluestore_block_create = true
bluestore_block_size = 10737418240
bluestore_cache_autotune = false
bluestore_cache_size = 134217728
osd_memory_target = 939524096
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$rgw
rgw_data = $dir/rgw
rgw_enable_usage_log = false
rgw_dns_name = 127.0.0.1
CONF
}

ceph_up() {
  local dir=$1 rgw=$2 mon=$3 msmin=$4
  CEPH_DIR=$dir
  mkdir -p "$dir/run" "$dir/log" "$dir/mon" "$dir/osd" "$dir/rgw"
  local ak sk
  ak=$(stored_secret "$dir/access-key" 20 | tr '[:lower:]' '[:upper:]')
  sk=$(stored_secret "$dir/secret-key" 40)
  if live_pid "$dir/radosgw.pid" >/dev/null; then
    await 60 ceph_healthy "$rgw" || die "ceph: radosgw runs (pid $(ceph_pid "$dir")) but does not answer on port $rgw; see $dir/radosgw.log"
    ceph_role_users "$dir"
    ceph_env "$dir" "$rgw" "$ak" "$sk"; return 0
  fi
  ceph_install
  local p
  for p in "$rgw" "$mon"; do
    port_open "$p" && die "ceph: port $p is taken by another process (set LIFEBOAT_CEPH_PORT / LIFEBOAT_CEPH_MON_PORT)"
  done
  [[ -s "$dir/fsid" ]] || uuidgen >"$dir/fsid"
  local fsid; fsid=$(<"$dir/fsid")
  ceph_write_conf "$dir" "$rgw" "$mon" "$msmin" "$fsid"
  printf '%s\n' "$rgw" >"$dir/port"
  local s
  for s in ceph-mon ceph-osd radosgw; do [[ -f "$dir/$s.log" ]] && mv -f "$dir/$s.log" "$dir/$s.log.1"; done

  # Monitor.
  if [[ ! -f "$dir/mon/ceph-a/store.db/CURRENT" ]]; then
    rm -rf "$dir/mon/ceph-a"
    monmaptool --create --clobber --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon]" "$dir/monmap" >"$dir/ceph-mon.log" 2>&1 \
      || die "ceph: monmaptool failed; see $dir/ceph-mon.log"
    ceph-mon -c "$dir/ceph.conf" --mkfs -i a --monmap "$dir/monmap" >>"$dir/ceph-mon.log" 2>&1 \
      || die "ceph: ceph-mon --mkfs failed; see $dir/ceph-mon.log"
  fi
  stop_pidfile "$dir/ceph-mon.pid" 10
  spawn "$dir/ceph-mon.pid" "$dir/ceph-mon.log" ceph-mon -f -c "$dir/ceph.conf" -i a
  await 60 ceph_cli mon stat || die "ceph: the monitor did not answer on 127.0.0.1:$mon; see $dir/log/ceph-mon.a.log"
  ceph_cli config set mon auth_allow_insecure_global_id_reclaim false >/dev/null 2>&1 || true

  # OSD on a sparse file.
  if [[ ! -f "$dir/osd/ceph-0/ready" ]]; then
    rm -rf "$dir/osd/ceph-0" "$dir/osd/block"
    mkdir -p "$dir/osd/ceph-0"
    local osd_uuid; osd_uuid=$(uuidgen)
    local id; id=$(ceph_cli osd new "$osd_uuid" 2>>"$dir/ceph-osd.log") || die "ceph: 'ceph osd new' failed; see $dir/ceph-osd.log"
    [[ $id == 0 ]] || die "ceph: expected osd id 0, got '$id'; remove $dir to start afresh"
    ceph-osd -c "$dir/ceph.conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$dir/ceph-osd.log" 2>&1 \
      || die "ceph: ceph-osd --mkfs failed; see $dir/ceph-osd.log"
  fi
  stop_pidfile "$dir/ceph-osd.pid" 10
  spawn "$dir/ceph-osd.pid" "$dir/ceph-osd.log" ceph-osd -f -c "$dir/ceph.conf" -i 0
  await 120 bash -c "timeout 20 ceph -c '$dir/ceph.conf' --connect-timeout 10 osd stat 2>/dev/null | grep -q '1 up'" \
    || die "ceph: the OSD did not come up; see $dir/log/ceph-osd.0.log"

  # RADOS gateway (creates its pools on first start).
  spawn "$dir/radosgw.pid" "$dir/radosgw.log" radosgw -f -c "$dir/ceph.conf" -n client.rgw.a
  await 240 ceph_healthy "$rgw" || die "ceph: radosgw did not answer on http://127.0.0.1:$rgw; see $dir/log/ceph-client.rgw.a.log"
  if ! timeout 60 radosgw-admin -c "$dir/ceph.conf" user info --uid "$CEPH_USER" >/dev/null 2>&1; then
    timeout 60 radosgw-admin -c "$dir/ceph.conf" user create --uid "$CEPH_USER" --display-name "Lifeboat tests" \
      --access-key "$ak" --secret-key "$sk" >"$dir/user.json" 2>>"$dir/radosgw.log" \
      || die "ceph: radosgw-admin user create failed; see $dir/radosgw.log"
    chmod 600 "$dir/user.json"
  fi
  ceph_role_users "$dir"
  ceph_env "$dir" "$rgw" "$ak" "$sk"
}

# Two more users for least-privilege tests (docs/security.md): "lifeboat-backup" and
# "lifeboat-maintenance". They own nothing; a test's bucket policy grants each its role's actions
# on a bucket owned by the main user. Idempotent (also run when radosgw was already up).
ceph_role_users() {
  local dir=$1 role uid ak sk
  for role in backup maintenance; do
    uid="$CEPH_USER-$role"
    ak=$(stored_secret "$dir/$role-access-key" 20 | tr '[:lower:]' '[:upper:]')
    sk=$(stored_secret "$dir/$role-secret-key" 40)
    if ! timeout 60 radosgw-admin -c "$dir/ceph.conf" user info --uid "$uid" >/dev/null 2>&1; then
      timeout 60 radosgw-admin -c "$dir/ceph.conf" user create --uid "$uid" --display-name "Lifeboat tests ($role role)" \
        --access-key "$ak" --secret-key "$sk" >/dev/null 2>>"$dir/radosgw.log" \
        || die "ceph: radosgw-admin user create $uid failed; see $dir/radosgw.log"
    fi
  done
}

ceph_env() {
  cat >"$1/env" <<ENV
export LIFEBOAT_CEPH_S3_ENDPOINT=http://127.0.0.1:$2
export LIFEBOAT_CEPH_S3_REGION=us-east-1
export LIFEBOAT_CEPH_S3_ACCESS_KEY=$3
export LIFEBOAT_CEPH_S3_SECRET_KEY=$4
export LIFEBOAT_CEPH_BACKUP_USER=$CEPH_USER-backup
export LIFEBOAT_CEPH_BACKUP_ACCESS_KEY=$(stored_secret "$1/backup-access-key" 20 | tr '[:lower:]' '[:upper:]')
export LIFEBOAT_CEPH_BACKUP_SECRET_KEY=$(stored_secret "$1/backup-secret-key" 40)
export LIFEBOAT_CEPH_MAINTENANCE_USER=$CEPH_USER-maintenance
export LIFEBOAT_CEPH_MAINTENANCE_ACCESS_KEY=$(stored_secret "$1/maintenance-access-key" 20 | tr '[:lower:]' '[:upper:]')
export LIFEBOAT_CEPH_MAINTENANCE_SECRET_KEY=$(stored_secret "$1/maintenance-secret-key" 40)
ENV
  chmod 600 "$1/env"
}

ceph_down() {
  stop_pidfile "$1/radosgw.pid" 20
  stop_pidfile "$1/ceph-osd.pid" 30
  stop_pidfile "$1/ceph-mon.pid" 20
}
