keycloak_pid() { live_pid "$1/keycloak.pid"; }
keycloak_endpoint() { echo -; }
keycloak_up() { die "keycloak: not yet"; }
keycloak_down() { stop_pidfile "$1/keycloak.pid"; }
