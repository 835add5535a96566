#!/usr/bin/env bash
# RPO of continuous WAL archiving (lifeboat wal-stream): pgbench writes at full speed and at 5 tps
# against a private PostgreSQL cluster, the primary is killed hard (kill -9 of the postmaster), the
# cluster is recovered to the latest archived WAL from a base backup, and the committed transactions
# that are missing are counted (pgbench's per-transaction log against pgbench_history), in
# asynchronous and --synchronous mode. Called by bench/run.sh full; prints markdown rows.
#
#   bench/rpo.sh            environment: LIFEBOAT_BENCH_DIR (default /tmp/lifeboat-bench),
#                           LIFEBOAT_BENCH_RPO_SECONDS (load before the kill, default 20)
# Needs ./lifeboat (make build), bench/target/benchmarks.jar, PostgreSQL 15 server binaries.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${LIFEBOAT_BENCH_DIR:-/tmp/lifeboat-bench}/rpo
LOAD_SECONDS=${LIFEBOAT_BENCH_RPO_SECONDS:-20}
JAR="$ROOT/bench/target/benchmarks.jar"
JAVA="$("$ROOT/dev/find-jdk.sh")/bin/java"
export LIFEBOAT_PASSWORD=lifeboat-bench-not-a-secret
say() { echo "bench rpo: $*" >&2; }
die() { echo "bench rpo: FAILED: $*" >&2; exit 1; }
[[ -x $ROOT/lifeboat ]] || die "./lifeboat is missing (make build)"
[[ -f $JAR ]] || die "$JAR is missing (bench/run.sh builds it)"
[[ $LOAD_SECONDS =~ ^[0-9]+$ && $LOAD_SECONDS -ge 5 ]] || die "LIFEBOAT_BENCH_RPO_SECONDS must be an integer >= 5"
as_pg() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
rm -rf "$WORK"
mkdir -p "$WORK"

PIDS=()
CLEAN=()
cleanup() {
  local p d
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for d in "${CLEAN[@]}"; do
    if [[ -f $d/env ]]; then
      local real; real=$(readlink -f "$d/cluster" || true)
      "$ROOT/dev/infra.sh" stop-private postgres "$d" >/dev/null 2>&1 || true
      [[ $real == /var/tmp/lifeboat-pg-* ]] && rm -rf "$real"
    elif [[ -f $d/data/PG_VERSION ]]; then
      as_pg "$PG_BIN/pg_ctl" -D "$d/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf "$d"
    fi
  done
}
trap cleanup EXIT

# run_case MODE LOAD: prints one markdown row
run_case() {
  local mode=$1 load=$2 dir="$WORK/$1-$2"
  mkdir -p "$dir"
  local pgdir="$dir/pg"
  CLEAN+=("$pgdir")
  # shellcheck disable=SC1090
  source <("$ROOT/dev/infra.sh" start-private postgres "$pgdir" 2>"$dir/infra.log") || die "private PostgreSQL did not start ($dir/infra.log)"
  PG_BIN=$LIFEBOAT_PG_BIN
  export PGHOST=127.0.0.1 PGPORT=$LIFEBOAT_PG_PORT PGUSER=$LIFEBOAT_PG_USER PGPASSWORD=$LIFEBOAT_PG_PASSWORD PGDATABASE=postgres
  "$PG_BIN/pgbench" -i -q -s 1 postgres >"$dir/pgbench-init.log" 2>&1 || die "pgbench -i failed ($dir/pgbench-init.log)"
  "$PG_BIN/psql" -X -q -c "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'" -c "SELECT pg_reload_conf()" >/dev/null
  local sync_flag=()
  if [[ $mode == synchronous ]]; then
    sync_flag=(--synchronous)
    "$PG_BIN/psql" -X -q -c "ALTER SYSTEM SET synchronous_standby_names = 'lifeboat_wal'" -c "SELECT pg_reload_conf()" >/dev/null
  fi
  local repo="$dir/repo"
  LIFEBOAT_REPOSITORY=$repo "$ROOT/lifeboat" init >"$dir/init.log" 2>&1 || die "lifeboat init failed ($dir/init.log)"
  LIFEBOAT_REPOSITORY=$repo "$ROOT/lifeboat" --json wal-stream --cluster rpo --dsn "postgresql://$PGUSER@127.0.0.1:$PGPORT/postgres" \
    --spool "$dir/spool" --pg-bin "$PG_BIN" "${sync_flag[@]}" >"$dir/wal-stream.log" 2>&1 &
  local streamer=$!
  PIDS+=("$streamer")
  local i
  for i in $(seq 1 120); do grep -q '"event":"status"' "$dir/wal-stream.log" && break; sleep 0.5; done
  grep -q '"event":"status"' "$dir/wal-stream.log" || die "wal-stream did not start ($dir/wal-stream.log)"
  "$PG_BIN/pg_basebackup" -D "$dir/base" -X stream -c fast --no-password >"$dir/basebackup.log" 2>&1 || die "pg_basebackup failed"
  local rate=() clients=(-c 2 -j 1)
  [[ $load == 5tps ]] && rate=(-R 5) && clients=(-c 1 -j 1)
  (cd "$dir" && exec "$PG_BIN/pgbench" -n "${clients[@]}" "${rate[@]}" -T $((LOAD_SECONDS + 60)) -l --log-prefix=tx postgres) \
    >"$dir/pgbench.log" 2>&1 &
  local bench=$!
  PIDS+=("$bench")
  sleep "$LOAD_SECONDS"
  local pid; pid=$(head -1 "$(readlink -f "$pgdir/cluster")/data/postmaster.pid")
  kill -9 "$pid"
  wait "$bench" 2>/dev/null || true
  # The streamer outlives the primary: it uploads the last partial segment when pg_receivewal loses the server.
  for i in $(seq 1 40); do grep -q 'pg_receivewal exited' "$dir/wal-stream.log" && break; sleep 0.25; done
  kill -TERM "$streamer"; wait "$streamer" 2>/dev/null || true
  local committed
  committed=$(cat "$dir"/tx.* 2>/dev/null | awk '$3 ~ /^[0-9]+$/' | wc -l)

  # Recover to the latest archived WAL into a new directory the server's user can reach.
  local rdir; rdir=$(mktemp -d /var/tmp/lifeboat-bench-rpo.XXXXXX)
  CLEAN+=("$rdir")
  cp -a "$dir/base" "$rdir/data"
  "$JAVA" -cp "$JAR" io.lifeboat.bench.WalExport "$repo" rpo "$rdir/wal" >"$dir/export.log" 2>&1 || die "WAL export failed ($dir/export.log)"
  local rport; rport=$(( (PGPORT + 1000) % 20000 + 40000 ))
  mkdir -p "$rdir/socket"
  cat >>"$rdir/data/postgresql.auto.conf" <<CONF
port = $rport
listen_addresses = '127.0.0.1'
unix_socket_directories = '$rdir/socket'
restore_command = 'cp $rdir/wal/%f %p'
recovery_target_timeline = 'latest'
synchronous_standby_names = ''
CONF
  touch "$rdir/data/recovery.signal"
  rm -f "$rdir/data/postmaster.pid"
  if ((EUID == 0)); then chown -R postgres: "$rdir"; fi
  chmod 700 "$rdir/data"
  as_pg "$PG_BIN/pg_ctl" -D "$rdir/data" -l "$rdir/server.log" -w -t 300 start >/dev/null || die "the recovered server did not start ($rdir/server.log)"
  for i in $(seq 1 240); do
    [[ $(PGPORT=$rport "$PG_BIN/psql" -X -A -t -c 'SELECT pg_is_in_recovery()' 2>/dev/null) == f ]] && break; sleep 0.5
  done
  local restored
  restored=$(PGPORT=$rport "$PG_BIN/psql" -X -A -t -c 'SELECT count(*) FROM pgbench_history')
  local tps missing
  tps=$(awk -v n="$committed" -v s="$LOAD_SECONDS" 'BEGIN { printf "%.1f", n / s }')
  missing=$((committed > restored ? committed - restored : 0))
  local worth; worth=$(awk -v m="$missing" -v t="$tps" 'BEGIN { if (t > 0) printf "%.2f s", m / t; else print "n/a" }')
  local verdict=met
  if [[ $mode == synchronous ]]; then ((missing == 0)) || verdict=MISSED
  else awk -v m="$missing" -v t="$tps" 'BEGIN { exit !(t > 0 && m / t < 5) }' || verdict=MISSED; fi
  echo "| $mode | $load (~$tps tps) | $committed | $restored | $missing | $worth ($verdict) |"
}

echo "RPO of wal-stream (kill -9 of the primary after ${LOAD_SECONDS} s of pgbench -s 1, recovery to latest;"\
  "target: 0 missing in synchronous mode, under 5 s worth otherwise):"
echo
echo "| mode | load | committed (pgbench log) | recovered (pgbench_history) | missing | worth |"
echo "|---|---|---:|---:|---:|---:|"
for mode in asynchronous synchronous; do
  for load in full 5tps; do
    run_case "$mode" "$load"
  done
done
