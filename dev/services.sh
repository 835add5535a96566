#!/usr/bin/env bash
# Starts, stops and shows the four Lifeboat services as local JVMs, each on its own port with its own
# log file, configured from the environment that `dev/infra.sh up` wrote (if it ran).
#
#   dev/services.sh up       start every built service that is not running; wait until all are ready
#   dev/services.sh down     stop them: SIGTERM (graceful shutdown), SIGKILL after a grace period
#   dev/services.sh status   one line per service
#
# Environment (all optional):
#   LIFEBOAT_INFRA_DIR           state directory (default ~/.cache/lifeboat/infra); logs and pid files
#                                go to its services/ subdirectory, its env file is sourced
#   LIFEBOAT_<SVC>_PORT          port of one service (defaults 18101 backup .. 18104 monitor)
#   LIFEBOAT_SERVICES_TIMEOUT    seconds to wait for readiness (default 120)
#   LIFEBOAT_SERVICES_GRACE      seconds between SIGTERM and SIGKILL on down (default 30)
#   LIFEBOAT_SERVICE_JAVA_OPTS   JVM options for every service (default: a small heap)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INFRA_DIR=${LIFEBOAT_INFRA_DIR:-$HOME/.cache/lifeboat/infra}
STATE_DIR="$INFRA_DIR/services"
SERVICES=(backup restore catalog monitor)
TIMEOUT=${LIFEBOAT_SERVICES_TIMEOUT:-120}
GRACE=${LIFEBOAT_SERVICES_GRACE:-30}
JAVA_OPTS=${LIFEBOAT_SERVICE_JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC}

say() { echo "lifeboat services: $*"; }
die() { echo "lifeboat services: $*" >&2; exit 1; }

# The infra env file holds `export NAME=value` lines; sourcing it hands the endpoints to the services.
if [[ -f "$INFRA_DIR/env" ]]; then
  # shellcheck disable=SC1091
  source "$INFRA_DIR/env"
fi

default_port() {
  case "$1" in backup) echo 18101 ;; restore) echo 18102 ;; catalog) echo 18103 ;; monitor) echo 18104 ;; esac
}
port_of() { # the port from LIFEBOAT_<SVC>_PORT, else the default
  local var
  var="LIFEBOAT_$(tr '[:lower:]' '[:upper:]' <<<"$1")_PORT"
  echo "${!var:-$(default_port "$1")}"
}
jar_of() { echo "$ROOT/$1-service/target/quarkus-app/quarkus-run.jar"; }
log_of() { echo "$STATE_DIR/$1.log"; }
pid_file() { echo "$STATE_DIR/$1.pid"; }
port_file() { echo "$STATE_DIR/$1.port"; }

# Prints the pid of the running service, or nothing. A pid file whose process is gone, or whose pid
# now belongs to another program, counts as not running.
running_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -f "$f" ]] || return 0
  pid=$(<"$f")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
     && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(jar_of "$1")"; then
    echo "$pid"
  fi
}

http_status() { # prints the HTTP status of GET $1, 000 when nothing answers
  curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

up() {
  local missing=()
  for s in "${SERVICES[@]}"; do [[ -f $(jar_of "$s") ]] || missing+=("$s-service"); done
  if (( ${#missing[@]} )); then
    die "not built: ${missing[*]} (no target/quarkus-app/quarkus-run.jar); run 'make build' first"
  fi
  command -v curl >/dev/null || die "curl is needed to check readiness; install it (apt-get install curl)"
  local java_home
  java_home=$("$ROOT/dev/find-jdk.sh")
  mkdir -p "$STATE_DIR"
  # Check every port before starting anything, so a clash leaves nothing half started.
  for s in "${SERVICES[@]}"; do
    local port
    port=$(port_of "$s")
    if [[ -z $(running_pid "$s") ]] && port_busy "$port"; then
      die "port $port for $s-service is taken by another program; free it or set LIFEBOAT_$(tr '[:lower:]' '[:upper:]' <<<"$s")_PORT"
    fi
  done

  local started=()
  for s in "${SERVICES[@]}"; do
    local port pid
    port=$(port_of "$s")
    pid=$(running_pid "$s")
    if [[ -n "$pid" ]]; then
      say "$s-service already running (pid $pid, port $(cat "$(port_file "$s")" 2>/dev/null || echo "$port"))"
      continue
    fi
    {
      echo "=== $(date -u +%FT%TZ) starting $s-service on port $port"
    } >>"$(log_of "$s")"
    # setsid: the service outlives this shell and a Ctrl-C in it; word splitting of JAVA_OPTS is wanted.
    # shellcheck disable=SC2086
    env "LIFEBOAT_$(tr '[:lower:]' '[:upper:]' <<<"$s")_PORT=$port" \
      setsid "$java_home/bin/java" $JAVA_OPTS -jar "$(jar_of "$s")" \
      >>"$(log_of "$s")" 2>&1 </dev/null &
    echo $! >"$(pid_file "$s")"
    echo "$port" >"$(port_file "$s")"
    started+=("$s")
  done

  local deadline=$((SECONDS + TIMEOUT))
  for s in "${SERVICES[@]}"; do
    local port
    port=$(cat "$(port_file "$s")")
    until [[ $(http_status "http://127.0.0.1:$port/q/health/ready") == 200 ]]; do
      if [[ -z $(running_pid "$s") ]]; then
        rm -f "$(pid_file "$s")"
        die "$s-service exited during start; see $(log_of "$s") ('dev/services.sh down' stops the others)"
      fi
      if (( SECONDS >= deadline )); then
        die "$s-service not ready on port $port after ${TIMEOUT}s; see $(log_of "$s") ('dev/services.sh down' stops them)"
      fi
      sleep 0.5
    done
  done
  if (( ${#started[@]} )); then
    say "started ${started[*]}; all four ready (logs in $STATE_DIR)"
  else
    say "all four already running and ready"
  fi
}

down() {
  local pids=() names=()
  for s in "${SERVICES[@]}"; do
    local pid
    pid=$(running_pid "$s")
    if [[ -n "$pid" ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid"); names+=("$s")
    fi
  done
  local deadline=$((SECONDS + GRACE))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      say "${names[$i]}-service did not stop within ${GRACE}s; killing it"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  for s in "${SERVICES[@]}"; do rm -f "$(pid_file "$s")" "$(port_file "$s")"; done
  if (( ${#names[@]} )); then say "stopped ${names[*]}"; else say "none was running"; fi
}

status() {
  printf '%-16s %-8s %-6s %-9s %s\n' SERVICE PID PORT STATE LOG
  for s in "${SERVICES[@]}"; do
    local pid port state
    pid=$(running_pid "$s")
    port=$(cat "$(port_file "$s")" 2>/dev/null || port_of "$s")
    if [[ -z "$pid" ]]; then
      state=stopped; pid=-
    elif [[ $(http_status "http://127.0.0.1:$port/q/health/ready") == 200 ]]; then
      state=ready
    else
      state=not-ready
    fi
    printf '%-16s %-8s %-6s %-9s %s\n' "$s-service" "$pid" "$port" "$state" "$(log_of "$s")"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: dev/services.sh up|down|status" >&2; exit 2 ;;
esac
