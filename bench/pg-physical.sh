# PostgreSQL physical rows of bench/run.sh full: Lifeboat's base backup and point-in-time restore
# against pgBackRest's full backup and restore, on a private cluster made for the run (initdb, its
# own port, never the shared server), loaded with pgbench -i -s $PG_SCALE.
# Sourced by bench/run.sh; uses its measure, lifeboat_step, tool_failed, row_na, repo_size, say.
# Both restores are timed from the command until the recovered server accepts writes, and checked
# by count and sum(abalance) of pgbench_accounts.

PGP_BACKUP_REF="PostgreSQL physical backup: pgBackRest 2.45 full (--process-max=2 --compress-type=zst)"
PGP_BACKUP_OP="PostgreSQL physical backup: backup-postgres-base --wal fetch"
PGP_RESTORE_REF="PostgreSQL physical restore: pgBackRest restore + start until promoted"
PGP_RESTORE_OP="PostgreSQL physical restore: restore-pitr --latest --no-amcheck (start until promoted)"
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
  rm -rf "$PGP_DIR"
}

# pgp_restore_pgbackrest PORT: the pgBackRest side of the restore row (run under measure).
pgp_restore_pgbackrest() {
  local port=$1 dir="$PGP_DIR/restore-pgbackrest"
  pgp_as mkdir -m 700 "$dir" &&
    pgp_as pgbackrest --config="$PGP_DIR/pgbackrest.conf" --stanza=bench --pg1-path="$dir" --process-max=2 \
      --type=immediate --target-action=promote restore &&
    pgp_as bash -c "printf '%s\n' \"port = $port\" \"archive_mode = off\" \"unix_socket_directories = '$dir'\" >> '$dir/postgresql.auto.conf'" &&
    pgp_as "$PG_BIN/pg_ctl" -D "$dir" -l "$PGP_DIR/restore-pgbackrest.log" -w -t 1800 start &&
    pgp_await_primary "$port"
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

  local rport
  rport=$(pgp_free_port)
  REFOF["lifeboat|$PGP_RESTORE_OP"]="pgbackrest|$PGP_RESTORE_REF"
  # measure runs a command, not a function: the restore steps run in a bash that inherits them.
  export PGP_DIR PG_BIN
  export -f pgp_as pgp_sql pgp_await_primary pgp_restore_pgbackrest
  if measure pgbackrest "$PGP_RESTORE_REF" bash -c 'pgp_restore_pgbackrest "$1"' _ "$rport"; then
    got=$(pgp_count "$rport")
    if [[ $got == "$expected" ]]; then NOTE["pgbackrest|$PGP_RESTORE_REF"]="pgbench_accounts matches ($got)"
    else tool_failed pgbackrest "restore gave pgbench_accounts '$got', expected '$expected'"; fi
  else tool_failed pgbackrest "restore failed"; fi
  pgp_stop "$PGP_DIR/restore-pgbackrest"

  rport=$(pgp_free_port)
  if lifeboat_step "$PGP_RESTORE_OP" "$ROOT/lifeboat" restore-pitr --cluster bench --latest --no-amcheck --pg-bin "$PG_BIN" \
    --data-dir "$PGP_DIR/restore-lifeboat" --port "$rport" --lifeboat "$ROOT/lifeboat" \
    --dsn "postgresql://postgres@127.0.0.1:$rport/postgres"; then
    got=$(pgp_count "$rport")
    if [[ $got == "$expected" ]]; then NOTE["lifeboat|$PGP_RESTORE_OP"]="pgbench_accounts matches ($got)"
    else tool_failed lifeboat "restore-pitr gave pgbench_accounts '$got', expected '$expected'"; fi
  fi
  pgp_cleanup
}

# pg_physical_targets: the report's target lines (≤ 0.8× pgBackRest for backup and restore).
pg_physical_targets() {
  local name ref op r
  for pair in "base backup wall time|$PGP_BACKUP_REF|$PGP_BACKUP_OP" "restore wall time|$PGP_RESTORE_REF|$PGP_RESTORE_OP"; do
    IFS='|' read -r name ref op <<<"$pair"
    r=$(ratio "${WALL["lifeboat|$op"]:-}" "${WALL["pgbackrest|$ref"]:-}")
    if [[ -z $r ]]; then echo "- PostgreSQL physical $name ≤ 0.8× pgBackRest: n/a"
    elif awk -v v="${r%×}" 'BEGIN { exit !(v <= 0.8) }'; then echo "- PostgreSQL physical $name ≤ 0.8× pgBackRest: $r (met)"
    else echo "- PostgreSQL physical $name ≤ 0.8× pgBackRest: $r (MISSED)"; fi
  done
}
