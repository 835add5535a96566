#!/usr/bin/env bash
# PostgreSQL physical rows of bench/run.sh full: Lifeboat's base backup and point-in-time restore
# against pgBackRest's full backup and restore, on a private cluster made for the run (initdb, its
# own port, never the shared server), loaded with pgbench -i -s $PG_SCALE.
# Sourced by bench/run.sh; uses its measure, lifeboat_step, tool_failed, row_na, repo_size, say.
# Both restores are timed from the command until the recovered server accepts writes, and checked
# by count and sum(abalance) of pgbench_accounts. The RTO rows are the same interval as seen from
# outside: a poller started with the command, until the server answers SELECT with
# pg_is_in_recovery() = false. pg_amcheck (restore-pitr's default check, which pgBackRest has no
# counterpart for) is its own row, run on the restored Lifeboat cluster after the restore row.
#
# Run alone (no restic/Borg, no shared server):
#   LIFEBOAT_BENCH_PGBENCH_SCALE=10 LIFEBOAT_BENCH_PGP_RUNS=3 bench/pg-physical.sh
# LIFEBOAT_BENCH_PGP_KEEP=1 keeps the stopped clusters and both repositories (the path is printed).
# LIFEBOAT_BENCH_PGP_RUNS repeats the pair of restores back to back (rows of later runs get "#N").

PGP_BACKUP_REF="PostgreSQL physical backup: pgBackRest 2.45 full (--process-max=2 --compress-type=zst)"
PGP_BACKUP_OP="PostgreSQL physical backup: backup-postgres-base --wal fetch"
PGP_RESTORE_REF="PostgreSQL physical restore: pgBackRest restore + start until promoted"
PGP_RESTORE_OP="PostgreSQL physical restore: restore-pitr --latest --no-amcheck (start until promoted)"
PGP_RTO_REF="PostgreSQL RTO: pgBackRest restore command to accepting writes (polled)"
PGP_RTO_OP="PostgreSQL RTO: restore-pitr command to accepting writes (polled)"
PGP_AMCHECK_OP="PostgreSQL physical: pg_amcheck --all on the restored cluster (restore-pitr's default; not in the rows above)"
PGP_DIR=""

pgp_as() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
pgp_sql() { # PORT SQL
  "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}
pgp_count() { # PORT
  "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$1" -U postgres -d pgbench \
    -c 'SELECT count(*) || chr(32) || coalesce(sum(abalance), 0) FROM pgbench_accounts'
}
pgp_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pgp_await_primary() { # PORT: waits (up to 30 min) until the server accepts writes
  local i
  for ((i = 0; i < 9000; i++)); do
    [[ $(pgp_sql "$1" 'SELECT pg_is_in_recovery()' 2>/dev/null) == f ]] && return 0
    sleep 0.2
  done
  return 1
}
pgp_stop() { [[ -f $1/postmaster.pid ]] && pgp_as "$PG_BIN/pg_ctl" -D "$1" -m immediate -w stop >/dev/null 2>&1 || true; }
pgp_cleanup() {
  [[ -n $PGP_DIR && -d $PGP_DIR ]] || return 0
  pgp_stop "$PGP_DIR/data"; pgp_stop "$PGP_DIR/restore-pgbackrest"; pgp_stop "$PGP_DIR/restore-lifeboat"
  if [[ ${LIFEBOAT_BENCH_PGP_KEEP:-0} == 1 ]]; then say "kept $PGP_DIR (LIFEBOAT_BENCH_PGP_KEEP=1)"; return 0; fi
  rm -rf "$PGP_DIR"
}

# pgp_restore_pgbackrest PORT: the pgBackRest side of the restore row (run under measure).
pgp_restore_pgbackrest() {
  local port=$1 dir="$PGP_DIR/restore-pgbackrest" t0
  t0=$(date +%s.%N)
  pgp_as mkdir -m 700 "$dir" &&
    pgp_as pgbackrest --config="$PGP_DIR/pgbackrest.conf" --stanza=bench --pg1-path="$dir" --process-max=2 \
      --type=immediate --target-action=promote restore &&
    pgp_as bash -c "printf '%s\n' \"port = $port\" \"archive_mode = off\" \"unix_socket_directories = '$dir'\" >> '$dir/postgresql.auto.conf'" &&
    pgp_as "$PG_BIN/pg_ctl" -D "$dir" -l "$PGP_DIR/restore-pgbackrest.log" -w -t 1800 start &&
    pgp_await_primary "$port" &&
    awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }' >"$PGP_DIR/rto-pgbackrest"
}

# pgp_restore_lifeboat PORT DIR ARGS...: restore-pitr (run under measure) with a poller beside it that
# writes the seconds from the command's start until the server accepts writes to $PGP_DIR/rto-lifeboat.
pgp_restore_lifeboat() {
  local port=$1 dir=$2 t0 pid rc=0
  shift 2
  t0=$(date +%s.%N)
  local poll
  "$@" --data-dir "$dir" --port "$port" --dsn "postgresql://postgres@127.0.0.1:$port/postgres" &
  pid=$!
  {
    if pgp_await_primary "$port"; then
      awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }' >"$PGP_DIR/rto-lifeboat"
    fi
  } &
  poll=$!
  wait "$pid" || rc=$?
  if ((rc != 0)); then kill "$poll" 2>/dev/null || true; fi
  wait "$poll" 2>/dev/null || true
  return $rc
}

pg_physical_bench() {
  if ! command -v pgbackrest >/dev/null; then
    row_na pgbackrest "$PGP_BACKUP_REF" "n/a (pgbackrest not installed: apt-get install pgbackrest)"
    return 0
  fi
  PGP_DIR=$(mktemp -d /var/tmp/lifeboat-bench-pgphys.XXXXXX)
  chmod 755 "$PGP_DIR"
  ((EUID == 0)) && chown postgres: "$PGP_DIR"
  local port data="$PGP_DIR/data" log="$WORK/logs/pg-physical-setup.log"
  port=$(pgp_free_port)
  cat >"$PGP_DIR/pgbackrest.conf" <<CONF
[global]
repo1-path=$PGP_DIR/pgbackrest-repo
log-path=$PGP_DIR/pgbackrest-log
lock-path=$PGP_DIR/pgbackrest-lock
log-level-console=warn
start-fast=y

[bench]
pg1-path=$data
pg1-port=$port
pg1-socket-path=$PGP_DIR
# Explicit: bench/run.sh exports PGUSER for the shared server, which libpq would otherwise use here.
pg1-user=postgres
CONF
  ((EUID == 0)) && chown postgres: "$PGP_DIR/pgbackrest.conf"
  say "postgres physical: private cluster on port $port, pgbench -i -s $PG_SCALE (log: $log)"
  if ! { pgp_as "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=trust &&
    pgp_as bash -c "cat >> '$data/postgresql.conf'" <<CONF &&
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGP_DIR'
wal_level = replica
max_wal_senders = 5
archive_mode = on
archive_command = 'pgbackrest --config=$PGP_DIR/pgbackrest.conf --stanza=bench archive-push %p'
shared_buffers = 128MB
logging_collector = off
CONF
    pgp_as "$PG_BIN/pg_ctl" -D "$data" -l "$PGP_DIR/server.log" -w start &&
    pgp_as pgbackrest --config="$PGP_DIR/pgbackrest.conf" --stanza=bench stanza-create &&
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres pgbench &&
    "$PG_BIN/pgbench" -i -q -s "$PG_SCALE" -h 127.0.0.1 -p "$port" -U postgres pgbench &&
    "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d pgbench -c 'VACUUM ANALYZE' &&
    pgp_sql "$port" 'CHECKPOINT'; } >"$log" 2>&1; then
    FAILURES+=("postgres physical: setting up the private cluster failed (log: $log)")
    pgp_cleanup
    return 0
  fi
  local expected got
  expected=$(pgp_count "$port")
  PGP_DB_BYTES=$(pgp_sql "$port" "SELECT sum(pg_database_size(oid)) FROM pg_database")

  REFOF["lifeboat|$PGP_BACKUP_OP"]="pgbackrest|$PGP_BACKUP_REF"
  local as_pg=()
  ((EUID == 0)) && as_pg=(runuser -u postgres --)
  if measure pgbackrest "$PGP_BACKUP_REF" "${as_pg[@]}" pgbackrest --config="$PGP_DIR/pgbackrest.conf" --stanza=bench --type=full \
    --process-max=2 --compress-type=zst backup; then
    SIZE["pgbackrest|$PGP_BACKUP_REF"]=$(repo_size "$PGP_DIR/pgbackrest-repo")
  else tool_failed pgbackrest "full backup failed"; fi
  # In the cluster's directory: restore_command runs as the server's user and must read it.
  export LIFEBOAT_REPOSITORY="$PGP_DIR/lifeboat-repo"
  if ((HAVE_LIFEBOAT)) && ! "$ROOT/lifeboat" init >"$WORK/logs/lifeboat-pgphys-init.log" 2>&1; then
    tool_failed lifeboat "init of the physical PostgreSQL repository failed"; LIFEBOAT_OK=0
  fi
  if lifeboat_step "$PGP_BACKUP_OP" "$ROOT/lifeboat" backup-postgres-base --cluster bench --wal fetch --pg-bin "$PG_BIN" \
    --dsn "postgresql://postgres@127.0.0.1:$port/postgres"; then
    SIZE["lifeboat|$PGP_BACKUP_OP"]=$(repo_size "$LIFEBOAT_REPOSITORY")
  fi
  # Restores run with the origin stopped, so both get the machine to themselves.
  pgp_as "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >>"$log" 2>&1 || true

  local rport run sfx
  # measure runs a command, not a function: the restore steps run in a bash that inherits them.
  export PGP_DIR PG_BIN
  export -f pgp_as pgp_sql pgp_await_primary pgp_restore_pgbackrest pgp_restore_lifeboat
  for ((run = 1; run <= ${LIFEBOAT_BENCH_PGP_RUNS:-1}; run++)); do
    sfx=""; ((run > 1)) && sfx=" #$run"
    pgp_stop "$PGP_DIR/restore-pgbackrest"; pgp_stop "$PGP_DIR/restore-lifeboat"
    rm -rf "$PGP_DIR/restore-pgbackrest" "$PGP_DIR/restore-lifeboat" "$PGP_DIR"/rto-*
    rport=$(pgp_free_port)
    REFOF["lifeboat|$PGP_RESTORE_OP$sfx"]="pgbackrest|$PGP_RESTORE_REF$sfx"
    REFOF["lifeboat|$PGP_RTO_OP$sfx"]="pgbackrest|$PGP_RTO_REF$sfx"
    if measure pgbackrest "$PGP_RESTORE_REF$sfx" bash -c 'pgp_restore_pgbackrest "$1"' _ "$rport"; then
      got=$(pgp_count "$rport")
      if [[ $got == "$expected" ]]; then NOTE["pgbackrest|$PGP_RESTORE_REF$sfx"]="pgbench_accounts matches ($got)"
      else tool_failed pgbackrest "restore gave pgbench_accounts '$got', expected '$expected'"; fi
    else tool_failed pgbackrest "restore failed"; fi
    pgp_stop "$PGP_DIR/restore-pgbackrest"

    rport=$(pgp_free_port)
    if lifeboat_step "$PGP_RESTORE_OP$sfx" bash -c 'pgp_restore_lifeboat "$@"' _ "$rport" "$PGP_DIR/restore-lifeboat" \
      "$ROOT/lifeboat" restore-pitr --cluster bench --latest --no-amcheck --pg-bin "$PG_BIN" --lifeboat "$ROOT/lifeboat"; then
      got=$(pgp_count "$rport")
      if [[ $got == "$expected" ]]; then NOTE["lifeboat|$PGP_RESTORE_OP$sfx"]="pgbench_accounts matches ($got)"
      else tool_failed lifeboat "restore-pitr gave pgbench_accounts '$got', expected '$expected'"; fi
      local phases
      phases=$(grep -o 'Phases (s): .*' "$WORK/logs/$(printf '%s-%s' lifeboat "$PGP_RESTORE_OP$sfx" | tr -c 'A-Za-z0-9.+=-' '-').log" 2>/dev/null || true)
      [[ -n $phases ]] && NOTE["lifeboat|$PGP_RESTORE_OP$sfx"]+="; ${phases#Phases (s): } s"
      if ((run == 1)); then
        measure lifeboat "$PGP_AMCHECK_OP" "$PG_BIN/pg_amcheck" --host=127.0.0.1 --port="$rport" --username=postgres --no-password \
          --all --install-missing --maintenance-db=postgres || tool_failed lifeboat "pg_amcheck of the restored cluster failed"
      fi
    fi
    for tool in pgbackrest lifeboat; do
      local op=$PGP_RTO_REF; [[ $tool == lifeboat ]] && op=$PGP_RTO_OP
      if [[ -s $PGP_DIR/rto-$tool ]]; then
        ROWS+=("$tool|$op$sfx"); WALL["$tool|$op$sfx"]=$(cat "$PGP_DIR/rto-$tool"); RSS["$tool|$op$sfx"]=""
      else row_na "$tool" "$op$sfx" "n/a (the restore did not reach accepting writes)"; fi
    done
  done
  pgp_cleanup
}

# pg_physical_targets: the report's target lines (≤ 0.8× pgBackRest for backup and restore).
pg_physical_targets() {
  local name ref op r
  for pair in "base backup wall time|$PGP_BACKUP_REF|$PGP_BACKUP_OP" "restore wall time|$PGP_RESTORE_REF|$PGP_RESTORE_OP" \
    "RTO|$PGP_RTO_REF|$PGP_RTO_OP"; do
    IFS='|' read -r name ref op <<<"$pair"
    r=$(ratio "${WALL["lifeboat|$op"]:-}" "${WALL["pgbackrest|$ref"]:-}")
    if [[ -z $r ]]; then echo "- PostgreSQL physical $name ≤ 0.8× pgBackRest: n/a"
    elif awk -v v="${r%×}" 'BEGIN { exit !(v <= 0.8) }'; then echo "- PostgreSQL physical $name ≤ 0.8× pgBackRest: $r (met)"
    else echo "- PostgreSQL physical $name ≤ 0.8× pgBackRest: $r (MISSED)"; fi
  done
}

# --- Run alone ---------------------------------------------------------------------------------
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  MODE=full
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  WORK=${LIFEBOAT_BENCH_DIR:-/tmp/lifeboat-bench}/pg-physical
  PG_SCALE=${LIFEBOAT_BENCH_PGBENCH_SCALE:-50}
  PG_BIN=${LIFEBOAT_PG_BIN:-/usr/lib/postgresql/15/bin}
  # A fixed benchmark password for throwaway repositories; not a secret.
  export LIFEBOAT_PASSWORD=lifeboat-bench-not-a-secret
  mkdir -p "$WORK/logs"
  rm -f "$WORK"/logs/*
  declare -A WALL RSS CPU SIZE NOTE REFOF
  ROWS=() FAILURES=()
  HAVE_LIFEBOAT=0; [[ -x $ROOT/lifeboat && -f $ROOT/cli/target/lifeboat-cli.jar ]] && HAVE_LIFEBOAT=1
  LIFEBOAT_OK=$HAVE_LIFEBOAT
  say() { echo "bench: $*" >&2; }
  row_na() { ROWS+=("$1|$2"); WALL["$1|$2"]="n/a"; RSS["$1|$2"]="n/a"; NOTE["$1|$2"]=$3; }
  repo_size() { du -sb "$1" | cut -f1; }
  tool_failed() { FAILURES+=("$1: $2"); }
  mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f×", a / b }'; }
  measure() { # TOOL OP CMD...: wall seconds, peak RSS and CPU seconds (user+sys of the waited-for processes)
    local tool=$1 op=$2 key slug log tf rc=0 t0 t1
    shift 2
    key="$tool|$op"
    slug=$(printf '%s-%s' "$tool" "$op" | tr -c 'A-Za-z0-9.+=-' '-')
    log="$WORK/logs/$slug.log" tf="$WORK/logs/$slug.time"
    ROWS+=("$key")
    say "$tool: $op"
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$tf" "$@" >"$log" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    WALL[$key]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    RSS[$key]=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tf" 2>/dev/null || true)
    CPU[$key]=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tf" 2>/dev/null || true)
    if ((rc != 0)); then
      WALL[$key]="failed"; NOTE[$key]="FAILED (exit $rc, log: $log)"
      say "$tool: $op failed with exit $rc"; tail -5 "$log" >&2 || true
    fi
    return $rc
  }
  lifeboat_step() {
    local op=$1
    shift
    if ((!HAVE_LIFEBOAT)); then row_na lifeboat "$op" "n/a (CLI not built: make build)"; return 1; fi
    if ((!LIFEBOAT_OK)); then row_na lifeboat "$op" "not run: an earlier Lifeboat step failed"; return 1; fi
    if ! measure lifeboat "$op" "$@"; then tool_failed lifeboat "$op failed"; LIFEBOAT_OK=0; return 1; fi
  }
  trap pgp_cleanup EXIT
  pg_physical_bench
  {
    echo "## PostgreSQL physical: pgbench -i -s $PG_SCALE ($(mb "${PGP_DB_BYTES:-0}") on disk), Lifeboat against pgBackRest"
    echo
    echo "| tool | operation | wall s | CPU s | peak RSS MB | repo size | ratio vs pgBackRest |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    for key in "${ROWS[@]}"; do
      tool=${key%%|*} op=${key#*|} size="" r=""
      [[ -n ${SIZE[$key]:-} ]] && size=$(mb "${SIZE[$key]}")
      if [[ -n ${REFOF[$key]:-} ]]; then
        r=$(ratio "${WALL[$key]}" "${WALL[${REFOF[$key]}]:-}")
        [[ -n $size ]] && r="$r (size $(ratio "${SIZE[$key]}" "${SIZE[${REFOF[$key]}]:-}"))"
      fi
      note=${NOTE[$key]:-}
      cell="$op${note:+ — $note}"
      echo "| $tool | ${cell//|/\\|} | ${WALL[$key]} | ${CPU[$key]:-} | ${RSS[$key]:-} | $size | $r |"
    done
    echo
    echo "Targets:"
    pg_physical_targets
    echo
    echo "- PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), pgBackRest $(pgbackrest version | awk '{print $2}'),"\
      "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); CPU s counts the processes each command waited for"\
      "(not the restored server's own recovery work); logs: $WORK/logs"
    for f in "${FAILURES[@]}"; do echo "- FAILURE: $f"; done
  } | tee "$WORK/logs/report.md"
  ((${#FAILURES[@]} == 0))
fi
