#!/usr/bin/env bash
# Starts, checks and stops Lifeboat's local development servers: real processes bound to 127.0.0.1.
#
#   dev/infra.sh up [ceph] [keycloak]      start Kafka, S3Proxy, PostgreSQL, the dev KMS (+ optional ones);
#                                           idempotent; prints `export NAME=value` lines (also in $INFRA/env)
#   dev/infra.sh down [NAME...]            stop the shared servers that run (all, or the named ones);
#                                           fine when none does
#   dev/infra.sh status                    table: server, state, endpoint, pid
#   dev/infra.sh env                       print the env file of the running shared servers
#   dev/infra.sh start-private NAME DIR    start a private instance of NAME in DIR on free ports (kept in
#                                           DIR/ports, so a restart reuses them) and print its env
#   dev/infra.sh stop-private NAME DIR     stop that private instance (its data stays in DIR)
#
# With LIFEBOAT_INFRA_STARTED_FILE set, `up` appends to that file the name of each server it starts
# (not the ones it found running), so a caller can later stop exactly those.
# Servers: kafka s3proxy postgres kms (always), ceph keycloak (optional; "up ceph,keycloak" works too).
# Downloads are cached in ${LIFEBOAT_CACHE:-~/.cache/lifeboat}; state, logs and pid files live in
# ${LIFEBOAT_INFRA_DIR:-~/.cache/lifeboat/infra}/<server>/. See docs/development.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=dev/lib.sh
source "$here/lib.sh"
for f in "$here"/servers/*.sh; do
  # shellcheck disable=SC1090
  source "$f"
done

CORE=(kafka s3proxy postgres kms)
OPTIONAL=(ceph keycloak)
ALL=("${CORE[@]}" "${OPTIONAL[@]}")

# Ports of the shared servers, overridable by environment.
shared_ports() {
  case $1 in
    kafka) echo "${LIFEBOAT_KAFKA_PORT:-19092} ${LIFEBOAT_KAFKA_CONTROLLER_PORT:-19093}" ;;
    s3proxy) echo "${LIFEBOAT_S3_PORT:-18080}" ;;
    postgres) echo "${LIFEBOAT_PG_PORT:-15432}" ;;
    kms) echo "${LIFEBOAT_KMS_PORT:-18090}" ;;
    ceph) echo "${LIFEBOAT_CEPH_PORT:-18480} ${LIFEBOAT_CEPH_MON_PORT:-18481} ${LIFEBOAT_CEPH_MS_PORT_MIN:-18482}" ;;
    keycloak) echo "${LIFEBOAT_KEYCLOAK_PORT:-18180} ${LIFEBOAT_KEYCLOAK_MGMT_PORT:-18190}" ;;
    *) die "unknown server '$1' (known: ${ALL[*]})" ;;
  esac
}

# Free ports for a private instance: as many as the shared one uses (ceph's last is a 16-port range).
private_ports() {
  local n; n=$(wc -w <<<"$(shared_ports "$1")")
  local out=() p
  for ((i = 0; i < n; i++)); do
    while :; do
      p=$(free_port)
      [[ " ${out[*]:-} " == *" $p "* ]] && continue
      if [[ $1 == ceph && $i == $((n - 1)) ]]; then
        local ok=1
        for ((q = p; q < p + 16; q++)); do port_open "$q" && ok=0; done
        ((ok)) || continue
      fi
      break
    done
    out+=("$p")
  done
  echo "${out[*]}"
}

server_dir() { printf '%s/%s\n' "$LIFEBOAT_INFRA_DIR" "$1"; }

known() { local s; for s in "${ALL[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

# Writes the env file of the shared servers: the env of each one that runs.
write_env() {
  local tmp="$LIFEBOAT_INFRA_DIR/env.tmp.$$" s
  mkdir -p "$LIFEBOAT_INFRA_DIR"
  (umask 077
   { echo "# Lifeboat local servers; written by dev/infra.sh up at $(date -u +%FT%TZ). Source it."
     for s in "${ALL[@]}"; do
       if "${s}_pid" "$(server_dir "$s")" >/dev/null 2>&1 && [[ -f "$(server_dir "$s")/env" ]]; then
         cat "$(server_dir "$s")/env"
       fi
     done
   } >"$tmp")
  mv -f "$tmp" "$LIFEBOAT_INFRA_DIR/env"
}

cmd_up() {
  local wanted=("${CORE[@]}") arg s
  for arg in "$@"; do
    for s in ${arg//,/ }; do
      known "$s" || die "unknown server '$s' (optional ones: ${OPTIONAL[*]})"
      [[ " ${wanted[*]} " == *" $s "* ]] || wanted+=("$s")
    done
  done
  mkdir -p "$LIFEBOAT_INFRA_DIR"
  # One 'up' at a time: a second caller waits, then finds the servers running.
  exec 9>"$LIFEBOAT_INFRA_DIR/.lock"
  flock -w 900 9 || die "another dev/infra.sh holds $LIFEBOAT_INFRA_DIR/.lock"
  # Even when one server fails, the env file lists the ones that run (so 'down' and tests see them).
  trap write_env EXIT
  for s in "${wanted[@]}"; do
    local dir; dir=$(server_dir "$s")
    mkdir -p "$dir"
    local ports; ports=$(shared_ports "$s")
    if "${s}_pid" "$dir" >/dev/null 2>&1 && [[ -s "$dir/port" && $(<"$dir/port") != "${ports%% *}" ]]; then
      die "$s already runs on port $(<"$dir/port"), not ${ports%% *}: run 'dev/infra.sh down' first"
    fi
    # Inside the lock nobody else starts servers: one that is not running now is ours. It is
    # recorded before starting, so that a caller can stop even one that failed half-way.
    if ! "${s}_pid" "$dir" >/dev/null 2>&1 && [[ -n "${LIFEBOAT_INFRA_STARTED_FILE:-}" ]]; then
      printf '%s\n' "$s" >>"$LIFEBOAT_INFRA_STARTED_FILE"
    fi
    # shellcheck disable=SC2086
    "${s}_up" "$dir" $ports
    log "$s: $("${s}_endpoint" "$dir") (pid $("${s}_pid" "$dir"))"
  done
  trap - EXIT
  write_env
  cat "$LIFEBOAT_INFRA_DIR/env"
}

cmd_down() {
  local only=() arg s i
  for arg in "$@"; do
    for s in ${arg//,/ }; do
      known "$s" || die "unknown server '$s' (known: ${ALL[*]})"
      only+=("$s")
    done
  done
  mkdir -p "$LIFEBOAT_INFRA_DIR"
  exec 9>"$LIFEBOAT_INFRA_DIR/.lock"
  flock -w 900 9 || die "another dev/infra.sh holds $LIFEBOAT_INFRA_DIR/.lock"
  # Reverse order: optional servers first, Kafka last.
  for ((i = ${#ALL[@]} - 1; i >= 0; i--)); do
    s=${ALL[i]}
    if ((${#only[@]})) && [[ " ${only[*]} " != *" $s "* ]]; then continue; fi
    local dir; dir=$(server_dir "$s")
    if "${s}_pid" "$dir" >/dev/null 2>&1; then
      log "stopping $s"
      "${s}_down" "$dir"
    fi
  done
  if ((${#only[@]})); then write_env; else rm -f "$LIFEBOAT_INFRA_DIR/env"; fi
}

cmd_status() {
  printf '%-10s %-9s %-42s %s\n' SERVER STATE ENDPOINT PID
  local s dir pid state
  for s in "${ALL[@]}"; do
    dir=$(server_dir "$s")
    if pid=$("${s}_pid" "$dir" 2>/dev/null); then state=running; else state=stopped; pid=-; fi
    printf '%-10s %-9s %-42s %s\n' "$s" "$state" "$("${s}_endpoint" "$dir" 2>/dev/null || echo -)" "$pid"
  done
}

cmd_env() {
  [[ -f "$LIFEBOAT_INFRA_DIR/env" ]] || die "no servers started: run 'dev/infra.sh up' (or 'make infra-up')"
  cat "$LIFEBOAT_INFRA_DIR/env"
}

cmd_start_private() {
  local s=${1:-} dir=${2:-}
  [[ -n "$s" && -n "$dir" ]] || die "usage: dev/infra.sh start-private NAME DIR"
  known "$s" || die "unknown server '$s' (known: ${ALL[*]})"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ "$dir" == "$LIFEBOAT_INFRA_DIR"* ]] && die "a private instance needs its own dir, not one under $LIFEBOAT_INFRA_DIR"
  [[ -s "$dir/ports" ]] || private_ports "$s" >"$dir/ports"
  # shellcheck disable=SC2046
  "${s}_up" "$dir" $(<"$dir/ports")
  cat "$dir/env"
}

cmd_stop_private() {
  local s=${1:-} dir=${2:-}
  [[ -n "$s" && -n "$dir" ]] || die "usage: dev/infra.sh stop-private NAME DIR"
  known "$s" || die "unknown server '$s' (known: ${ALL[*]})"
  [[ -d "$dir" ]] || return 0
  "${s}_down" "$(cd "$dir" && pwd)"
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  start-private) shift; cmd_start_private "$@" ;;
  stop-private) shift; cmd_stop_private "$@" ;;
  *) sed -n '2,19s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
