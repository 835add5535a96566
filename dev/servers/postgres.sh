# A throwaway PostgreSQL cluster (initdb) on its own port and socket dir. Sourced by dev/infra.sh.
# postgres_up DIR PORT | postgres_down DIR | postgres_pid DIR | postgres_endpoint DIR
# The machine's own PostgreSQL (port 5432, /var/lib/postgresql) is never touched.

PG_DATABASE=${LIFEBOAT_PG_DATABASE:-lifeboat}
PG_USER=${LIFEBOAT_PG_USER:-lifeboat}

# Prints the bin directory of the PostgreSQL to use: LIFEBOAT_PG_BIN, else version 15, else the newest.
pg_bin() {
  if [[ -n "${LIFEBOAT_PG_BIN:-}" ]]; then printf '%s\n' "$LIFEBOAT_PG_BIN"; return; fi
  local d best=""
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then echo /usr/lib/postgresql/15/bin; return; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && best=$d
  done
  [[ -n "$best" ]] || die "postgres: no PostgreSQL server binaries (initdb) under /usr/lib/postgresql; install postgresql-15"
  printf '%s\n' "$best"
}

# PostgreSQL refuses to run as root, so as root it runs as the 'postgres' user.
pg_as() {
  if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster lives in DIR/cluster, unless the server's user cannot reach DIR (root's home is
# private): then in /var/tmp, with DIR/cluster a symlink to it.
pg_cluster_dir() {
  local dir=$1
  if [[ -L "$dir/cluster" || -d "$dir/cluster" ]]; then
    mkdir -p "$(readlink -f "$dir/cluster")"
    readlink -f "$dir/cluster"; return
  fi
  mkdir -p "$dir"
  if (( EUID == 0 )) && ! runuser -u postgres -- test -x "$dir"; then
    local ext
    ext="/var/tmp/lifeboat-pg-$(printf '%s' "$dir" | cksum | cut -d' ' -f1)"
    mkdir -p "$ext"
    ln -sfn "$ext" "$dir/cluster"
  else
    mkdir -p "$dir/cluster"
  fi
  readlink -f "$dir/cluster"
}

postgres_pid() {
  local f
  f="$(readlink -f "$1/cluster" 2>/dev/null)/data/postmaster.pid"
  [[ -r "$f" ]] || return 1
  local pid; pid=$(head -1 "$f")
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}
postgres_endpoint() { printf '127.0.0.1:%s\n' "$(cat "$1/port" 2>/dev/null || echo '?')"; }
postgres_log() { printf '%s/postgres.log\n' "$(readlink -f "$1/cluster" 2>/dev/null || echo "$1/cluster")"; }

postgres_healthy() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$1" -t 2; }

postgres_up() {
  local dir=$1 port=$2 bin cl
  bin=$(pg_bin)
  cl=$(pg_cluster_dir "$dir")
  local password
  password=$(stored_secret "$dir/password" 24)
  if postgres_pid "$dir" >/dev/null; then
    await 30 postgres_healthy "$port" || die "postgres runs (pid $(postgres_pid "$dir")) but is not ready on port $port; see $(postgres_log "$dir")"
    postgres_env "$dir" "$port" "$password"; return 0
  fi
  port_open "$port" && die "postgres: port $port is taken by another process (set LIFEBOAT_PG_PORT)"
  if (( EUID == 0 )); then chown postgres: "$cl"; fi
  chmod 700 "$cl"
  if [[ ! -f "$cl/data/PG_VERSION" ]]; then
    rm -rf "$cl/data"
    pg_as "$bin/initdb" -D "$cl/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$cl/initdb.log" 2>&1 \
      || die "postgres: initdb failed; see $cl/initdb.log"
    pg_as bash -c "printf '%s\n' \"include_if_exists = 'lifeboat.conf'\" >> '$cl/data/postgresql.conf'"
  fi
  pg_as mkdir -p "$cl/socket"
  pg_as bash -c "cat > '$cl/data/lifeboat.conf'" <<CONF
# Written by dev/servers/postgres.sh on every start.
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cl/socket'
password_encryption = scram-sha-256
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
shared_buffers = 64MB
max_connections = 100
logging_collector = off
CONF
  printf '%s\n' "$port" >"$dir/port"
  [[ -f "$cl/postgres.log" ]] && pg_as mv -f "$cl/postgres.log" "$cl/postgres.log.1"
  # pg_ctl's own -l log keeps the server's stderr; -w waits until it accepts connections.
  pg_as "$bin/pg_ctl" -D "$cl/data" -l "$cl/postgres.log" -w -t 60 start >/dev/null 2>>"$dir/pg_ctl.err" 9>&- \
    || die "postgres did not start on 127.0.0.1:$port; see $cl/postgres.log"
  await 30 postgres_healthy "$port" || die "postgres is not ready on 127.0.0.1:$port; see $cl/postgres.log"
  # The role's password is (re)set on every start so that the stored secret always matches.
  pg_as "$bin/psql" -q -X -v ON_ERROR_STOP=1 -h "$cl/socket" -p "$port" -U postgres -d postgres \
    >>"$dir/pg_ctl.err" 2>&1 <<SQL || die "postgres: could not create role/database $PG_USER; see $dir/pg_ctl.err"
SELECT format('CREATE ROLE %I SUPERUSER LOGIN REPLICATION', '$PG_USER')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER') \gexec
ALTER ROLE "$PG_USER" PASSWORD '$password';
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DATABASE', '$PG_USER')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE') \gexec
SQL
  postgres_env "$dir" "$port" "$password"
}

postgres_env() {
  cat >"$1/env" <<ENV
export LIFEBOAT_PG_HOST=127.0.0.1
export LIFEBOAT_PG_PORT=$2
export LIFEBOAT_PG_USER=$PG_USER
export LIFEBOAT_PG_PASSWORD=$3
export LIFEBOAT_PG_DATABASE=$PG_DATABASE
export LIFEBOAT_PG_JDBC_URL=jdbc:postgresql://127.0.0.1:$2/$PG_DATABASE
export LIFEBOAT_PG_BIN=$(pg_bin)
ENV
  chmod 600 "$1/env"
}

postgres_down() {
  local dir=$1 cl
  cl="$(readlink -f "$dir/cluster" 2>/dev/null)" || return 0
  if postgres_pid "$dir" >/dev/null; then
    pg_as "$(pg_bin)/pg_ctl" -D "$cl/data" -m fast -w -t 60 stop >/dev/null 2>&1 || {
      local pid; pid=$(postgres_pid "$dir") && kill -KILL "$pid" 2>/dev/null || true
    }
  fi
}
