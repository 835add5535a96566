#!/usr/bin/env bash
# Lifeboat against restic, Borg and tar|zstd on one deterministic data set; see docs/benchmarks.md.
#
#   bench/run.sh full    about 1 GiB (~20k files), plus a short JMH run   (make bench)
#   bench/run.sh smoke   20 MiB, correctness of the harness and of restores (make bench-smoke)
#
# Environment: LIFEBOAT_BENCH_DIR (work dir, default /tmp/lifeboat-bench), LIFEBOAT_BENCH_SIZE_MB
# (data set size in MiB; default 1024 full, 20 smoke), LIFEBOAT_BENCH_SEED (default 1).
# Fails when Lifeboat's restore is not bit-identical or a Lifeboat command fails. Speed targets
# are reported, never enforced. In smoke mode a missing restic/Borg/zstd only skips rows.
set -euo pipefail

MODE=${1:-}
case "$MODE" in
  full | smoke) ;;
  *) echo "usage: bench/run.sh full|smoke" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ $MODE == smoke ]]; then SIZE_MB=${LIFEBOAT_BENCH_SIZE_MB:-20}; else SIZE_MB=${LIFEBOAT_BENCH_SIZE_MB:-1024}; fi
SEED=${LIFEBOAT_BENCH_SEED:-1}
WORK=${LIFEBOAT_BENCH_DIR:-/tmp/lifeboat-bench}
# A fixed benchmark password for throwaway repositories; not a secret.
PASSWORD=lifeboat-bench-not-a-secret
GENERATOR_VERSION=v1

say() { echo "bench: $*" >&2; }
die() { echo "bench: FAILED: $*" >&2; exit 1; }

[[ $SIZE_MB =~ ^[0-9]+$ && $SIZE_MB -gt 0 ]] || die "LIFEBOAT_BENCH_SIZE_MB must be a positive integer, got '$SIZE_MB'"
[[ $SEED =~ ^[0-9]+$ ]] || die "LIFEBOAT_BENCH_SEED must be a non-negative integer, got '$SEED'"

JAVA_HOME=$("$ROOT/dev/find-jdk.sh") || die "no JDK 21+ found"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

mkdir -p "$WORK/logs"
# One run at a time per work dir: parallel runs would share the source tree and repositories.
exec 9>"$WORK/lock"
if ! command -v flock >/dev/null; then
  say "flock not found (util-linux): running without the work-dir lock"
elif ! flock -n 9; then
  say "another benchmark run holds $WORK/lock; waiting up to 30 minutes"
  flock -w 1800 9 || die "gave up waiting for $WORK/lock"
fi
rm -f "$WORK"/logs/*
NOTES=()
FAILURES=()

# --- Tools ----------------------------------------------------------------------------------
missing_pkgs=()
command -v restic >/dev/null || missing_pkgs+=(restic)
command -v borg >/dev/null || missing_pkgs+=(borgbackup)
command -v zstd >/dev/null || missing_pkgs+=(zstd)
[[ -x /usr/bin/time ]] || missing_pkgs+=(time)
# The PostgreSQL physical rows compare against pgBackRest (full runs only).
[[ $MODE == full ]] && ! command -v pgbackrest >/dev/null && missing_pkgs+=(pgbackrest)
if ((${#missing_pkgs[@]})); then
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo_cmd=(sudo -n); else sudo_cmd=(false); fi
  fi
  say "installing ${missing_pkgs[*]} from apt (log: $WORK/logs/apt.log)"
  if ! { DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing_pkgs[@]}" ||
    { "${sudo_cmd[@]}" apt-get update -q && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${missing_pkgs[@]}"; }; } \
    >"$WORK/logs/apt.log" 2>&1; then
    say "could not install ${missing_pkgs[*]} (see $WORK/logs/apt.log)"
  fi
fi
HAVE_RESTIC=0; command -v restic >/dev/null && HAVE_RESTIC=1
HAVE_BORG=0; command -v borg >/dev/null && HAVE_BORG=1
HAVE_ZSTD=0; command -v zstd >/dev/null && HAVE_ZSTD=1
TIME_BIN=""; [[ -x /usr/bin/time ]] && TIME_BIN=/usr/bin/time
if [[ $MODE == full ]]; then
  ((HAVE_RESTIC)) || die "restic is required for 'full' (apt-get install restic)"
  ((HAVE_BORG)) || die "borg is required for 'full' (apt-get install borgbackup)"
  ((HAVE_ZSTD)) || die "zstd is required for 'full' (apt-get install zstd)"
  [[ -n $TIME_BIN ]] || die "/usr/bin/time is required for 'full' (apt-get install time)"
fi
((HAVE_RESTIC)) || NOTES+=("restic not installed and not installable: restic rows skipped, no ratios")
((HAVE_BORG)) || NOTES+=("borg not installed and not installable: Borg rows skipped")
((HAVE_ZSTD)) || NOTES+=("zstd not installed and not installable: tar | zstd row skipped")
[[ -n $TIME_BIN ]] || NOTES+=("/usr/bin/time missing: peak RSS not measured")

HAVE_LIFEBOAT=0
[[ -x "$ROOT/lifeboat" ]] && HAVE_LIFEBOAT=1

# --- Benchmark jar (JMH and the data-set generator) ------------------------------------------
JAR="$ROOT/bench/target/benchmarks.jar"
if [[ ! -f $JAR ]] || [[ -n $(find "$ROOT/bench/src" "$ROOT/bench/pom.xml" "$ROOT/common/src/main" -newer "$JAR" -print -quit) ]]; then
  say "building $JAR"
  (cd "$ROOT" && ./mvnw -B -q --no-transfer-progress -pl bench -am package -DskipTests) >"$WORK/logs/build.log" 2>&1 ||
    { tail -40 "$WORK/logs/build.log" >&2; die "building the benchmark jar failed (log: $WORK/logs/build.log)"; }
fi

# --- Data set (cached by generator version, size and seed) -----------------------------------
DATA="$WORK/data/$GENERATOR_VERSION-${SIZE_MB}mib-seed$SEED"
if [[ ! -f "$DATA/complete" ]]; then
  say "generating the $SIZE_MB MiB data set into $DATA"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  "$JAVA" -cp "$JAR" io.lifeboat.bench.DatasetGenerator generate "$DATA/state1" $((SIZE_MB * 1048576)) "$SEED" >"$DATA/summary.txt" ||
    die "data-set generation failed"
  touch "$DATA/complete"
fi
SRC="$WORK/src"
rm -rf "$SRC"
cp -a "$DATA/state1" "$SRC"
DATA_BYTES=$(du -sb "$SRC" | cut -f1)

# Restores go to tmpfs when it has room for two copies, so they measure the tool, not the disk.
shm_free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}' || echo 0)
if [[ -n $shm_free_kb && $shm_free_kb -gt $((DATA_BYTES * 3 / 1024)) ]]; then
  RESTORE_BASE=$(mktemp -d /dev/shm/lifeboat-bench-restore.XXXXXX)
  RESTORE_WHERE="tmpfs (/dev/shm)"
else
  RESTORE_BASE="$WORK/restore"
  RESTORE_WHERE="$RESTORE_BASE (disk: /dev/shm lacks room)"
fi
REPOS="$WORK/repos"
rm -rf "$REPOS" "$WORK/cache" "$WORK/restore"
mkdir -p "$REPOS" "$WORK/cache" "$RESTORE_BASE"
trap 'rm -rf "$RESTORE_BASE"' EXIT

# --- Measurement -----------------------------------------------------------------------------
declare -A WALL RSS SIZE NOTE
# REFOF[lifeboat row] = the row it is compared with when that is not restic's row of the same name.
declare -A REFOF
PRUNE_OP="forget --keep-last 1 --prune"
PG_BACKUP_REF="PostgreSQL backup: pg_dump -Fc -Z0 | zstd -3"
PG_BACKUP_OP="PostgreSQL backup: backup-postgres"
PG_RESTORE_REF="PostgreSQL restore: createdb + pg_restore -j 2 (dump decompressed first, untimed)"
PG_RESTORE_OP="PostgreSQL restore: restore-postgres --create-database (validates)"
PG_RESTORE_JOBS_OP="PostgreSQL restore: restore-postgres --jobs 2 (spooled, validates)"
ROWS=()

# measure TOOL OP CMD... : runs CMD once, records wall seconds and peak RSS; returns CMD's status.
measure() {
  local tool=$1 op=$2
  shift 2
  local key="$tool|$op" slug
  slug=$(printf '%s-%s' "$tool" "$op" | tr -c 'A-Za-z0-9.+=-' '-')
  local log="$WORK/logs/$slug.log" tf="$WORK/logs/$slug.time" rc=0 t0 t1
  ROWS+=("$key")
  say "$tool: $op"
  t0=$(date +%s.%N)
  if [[ -n $TIME_BIN ]]; then
    "$TIME_BIN" -v -o "$tf" "$@" >"$log" 2>&1 || rc=$?
  else
    "$@" >"$log" 2>&1 || rc=$?
  fi
  t1=$(date +%s.%N)
  WALL[$key]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  RSS[$key]=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tf" 2>/dev/null)
  [[ -n ${RSS[$key]} ]] || RSS[$key]="n/a"
  if ((rc != 0)); then
    WALL[$key]="failed"
    NOTE[$key]="FAILED (exit $rc, log: $log)"
    say "$tool: $op failed with exit $rc; last lines of $log:"
    tail -5 "$log" >&2 || true
  fi
  return $rc
}

row_na() { # TOOL OP REASON
  ROWS+=("$1|$2")
  WALL["$1|$2"]="n/a"
  RSS["$1|$2"]="n/a"
  NOTE["$1|$2"]=$3
}

repo_size() { du -sb "$1" | cut -f1; }

# Lists every path with its type and link target, then the SHA-256 of every regular file.
manifest() {
  (cd "$1" && find . -mindepth 1 -printf '%y %p %l\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

# verify TOOL OP RESTORE_DIR : compares the restored tree with the second state.
verify() {
  local tool=$1 op=$2 target=$3 root=""
  for candidate in "$target$SRC" "$target/$(basename "$SRC")" "$target"; do
    if [[ -d $candidate ]]; then root=$candidate; break; fi
  done
  if manifest "$root" >"$WORK/logs/$tool-restored.manifest" && cmp -s "$SRC_MANIFEST" "$WORK/logs/$tool-restored.manifest"; then
    NOTE["$tool|$op"]="${NOTE["$tool|$op"]:-}bit-identical to source"
    return 0
  fi
  diff "$SRC_MANIFEST" "$WORK/logs/$tool-restored.manifest" | head -10 >&2 || true
  NOTE["$tool|$op"]="${NOTE["$tool|$op"]:-}RESTORE DIFFERS from source (manifests: $SRC_MANIFEST, $WORK/logs/$tool-restored.manifest)"
  return 1
}

# A failing or wrong Lifeboat is a failure; restic and Borg only fail the full run.
tool_failed() { # TOOL WHAT
  if [[ $1 == lifeboat || $MODE == full ]]; then FAILURES+=("$1: $2"); else NOTES+=("$1: $2 (ignored in smoke mode)"); fi
}

export RESTIC_REPOSITORY="$REPOS/restic" RESTIC_PASSWORD="$PASSWORD" RESTIC_CACHE_DIR="$WORK/cache/restic"
export BORG_REPO="$REPOS/borg" BORG_PASSPHRASE="$PASSWORD" BORG_BASE_DIR="$WORK/cache/borg" \
  BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
export LIFEBOAT_REPOSITORY="$REPOS/lifeboat" LIFEBOAT_PASSWORD="$PASSWORD"
LIFEBOAT_OK=$HAVE_LIFEBOAT

# --- JVM start -------------------------------------------------------------------------------
if ((HAVE_LIFEBOAT)); then
  # Measure the launcher as `make build` leaves it: with its AOT cache (a no-op when the cache is
  # fresh). A failed training run fails the Lifeboat rows' check; the launcher then runs without it.
  if [[ -f "$ROOT/cli/target/lifeboat-cli.jar" ]] &&
    ! "$ROOT/dev/aot-train.sh" >"$WORK/logs/lifeboat-aot-train.log" 2>&1; then
    tool_failed lifeboat "the launcher's AOT training run failed (log: $WORK/logs/lifeboat-aot-train.log)"
  fi
  if ! measure lifeboat "JVM start (--version)" "$ROOT/lifeboat" --version; then
    tool_failed lifeboat "--version failed"; LIFEBOAT_OK=0
  fi
  if ((LIFEBOAT_OK)) && ! "$ROOT/lifeboat" init >"$WORK/logs/lifeboat-init.log" 2>&1; then
    tool_failed lifeboat "init failed (log: $WORK/logs/lifeboat-init.log)"; LIFEBOAT_OK=0
  fi
else
  row_na lifeboat "JVM start (--version)" "n/a (CLI not built)"
fi
((HAVE_RESTIC)) && { restic init --repository-version 2 >"$WORK/logs/restic-init.log" 2>&1 || die "restic init failed (log: $WORK/logs/restic-init.log)"; }
((HAVE_BORG)) && { borg init --encryption repokey-blake2 >"$WORK/logs/borg-init.log" 2>&1 || die "borg init failed (log: $WORK/logs/borg-init.log)"; }

lifeboat_step() { # OP CMD... : runs a Lifeboat step when the CLI works, else records n/a
  local op=$1
  shift
  if ((!HAVE_LIFEBOAT)); then row_na lifeboat "$op" "n/a (CLI not built)"; return 1; fi
  if ((!LIFEBOAT_OK)); then row_na lifeboat "$op" "not run: an earlier Lifeboat step failed"; return 1; fi
  if ! measure lifeboat "$op" "$@"; then tool_failed lifeboat "$op failed"; LIFEBOAT_OK=0; return 1; fi
}

# --- Full backup of state 1 ------------------------------------------------------------------
if ((HAVE_RESTIC)); then
  measure restic "full backup" restic backup --host bench "$SRC" || tool_failed restic "full backup failed"
  SIZE["restic|full backup"]=$(repo_size "$RESTIC_REPOSITORY")
fi
if ((HAVE_BORG)); then
  measure borg "full backup" env -C "$WORK" borg create --compression zstd,3 ::state1 src || tool_failed borg "full backup failed"
  SIZE["borg|full backup"]=$(repo_size "$BORG_REPO")
fi
if lifeboat_step "full backup" "$ROOT/lifeboat" backup "$SRC"; then
  SIZE["lifeboat|full backup"]=$(repo_size "$LIFEBOAT_REPOSITORY")
fi
if ((HAVE_ZSTD)); then
  mkdir -p "$REPOS/tar"
  measure "tar+zstd" "full archive (tar | zstd -3 -T0)" bash -c 'tar -cf - -C "$1" src | zstd -3 -T0 -q -o "$2"' _ "$WORK" "$REPOS/tar/src.tar.zst" ||
    tool_failed tar "archive failed"
  SIZE["tar+zstd|full archive (tar | zstd -3 -T0)"]=$(repo_size "$REPOS/tar")
fi

# --- Second state and incremental backup ------------------------------------------------------
"$JAVA" -cp "$JAR" io.lifeboat.bench.DatasetGenerator mutate "$SRC" "$SEED" >"$WORK/logs/mutate.log" || die "mutating the data set failed"
SRC_MANIFEST="$WORK/logs/source.manifest"
manifest "$SRC" >"$SRC_MANIFEST"
if ((HAVE_RESTIC)); then
  measure restic "incremental backup" restic backup --host bench "$SRC" || tool_failed restic "incremental backup failed"
  SIZE["restic|incremental backup"]=$(repo_size "$RESTIC_REPOSITORY")
fi
if ((HAVE_BORG)); then
  measure borg "incremental backup" env -C "$WORK" borg create --compression zstd,3 ::state2 src || tool_failed borg "incremental backup failed"
  SIZE["borg|incremental backup"]=$(repo_size "$BORG_REPO")
fi
if lifeboat_step "incremental backup" "$ROOT/lifeboat" backup "$SRC"; then
  SIZE["lifeboat|incremental backup"]=$(repo_size "$LIFEBOAT_REPOSITORY")
fi

# --- Restore of state 2 ----------------------------------------------------------------------
if ((HAVE_RESTIC)); then
  mkdir -p "$RESTORE_BASE/restic"
  if measure restic "restore" restic restore latest --target "$RESTORE_BASE/restic"; then
    verify restic restore "$RESTORE_BASE/restic" || tool_failed restic "restore differs from the source"
  else tool_failed restic "restore failed"; fi
  rm -rf "$RESTORE_BASE/restic"
fi
if ((HAVE_BORG)); then
  mkdir -p "$RESTORE_BASE/borg"
  if measure borg "restore" env -C "$RESTORE_BASE/borg" borg extract ::state2; then
    verify borg restore "$RESTORE_BASE/borg" || tool_failed borg "restore differs from the source"
  else tool_failed borg "restore failed"; fi
  rm -rf "$RESTORE_BASE/borg"
fi
mkdir -p "$RESTORE_BASE/lifeboat"
if lifeboat_step "restore" "$ROOT/lifeboat" restore latest --target "$RESTORE_BASE/lifeboat"; then
  verify lifeboat restore "$RESTORE_BASE/lifeboat" || tool_failed lifeboat "restore is not bit-identical to the source"
fi
rm -rf "$RESTORE_BASE/lifeboat"

# --- Check with a full data read ---------------------------------------------------------------
if ((HAVE_RESTIC)); then
  measure restic "check (read all data)" restic check --read-data || tool_failed restic "check failed"
fi
if ((HAVE_BORG)); then
  measure borg "check (read all data)" borg check --verify-data || tool_failed borg "check failed"
fi
lifeboat_step "check (read all data)" "$ROOT/lifeboat" check --read-data || true

# --- Prune: a short history, then forget all but the last snapshot and free the data (full only) ---
# Three more mutated states on top of the two backups; each tool then keeps one snapshot of five.
if [[ $MODE == full ]]; then
  for i in 1 2 3; do
    "$JAVA" -cp "$JAR" io.lifeboat.bench.DatasetGenerator mutate "$SRC" $((SEED + i)) >>"$WORK/logs/mutate-history.log" ||
      die "mutating the data set for the prune history failed"
    restic backup --host bench "$SRC" >>"$WORK/logs/restic-history.log" 2>&1 || tool_failed restic "history backup $i failed"
    if ((LIFEBOAT_OK)) && ! "$ROOT/lifeboat" backup "$SRC" >>"$WORK/logs/lifeboat-history.log" 2>&1; then
      tool_failed lifeboat "history backup $i failed (log: $WORK/logs/lifeboat-history.log)"; LIFEBOAT_OK=0
    fi
  done
  SIZE["restic|before prune (5 snapshots)"]=$(repo_size "$RESTIC_REPOSITORY")
  ((LIFEBOAT_OK)) && SIZE["lifeboat|before prune (5 snapshots)"]=$(repo_size "$LIFEBOAT_REPOSITORY")
  measure restic "$PRUNE_OP" restic forget --host bench --keep-last 1 --prune || tool_failed restic "forget --prune failed"
  SIZE["restic|$PRUNE_OP"]=$(repo_size "$RESTIC_REPOSITORY")
  # Lifeboat's prune is two-phase (docs/design/prune.md): a run marks unreferenced packs and deletes
  # those marked at least --grace ago, so with --grace 0s the second run frees the bytes.
  forget_help=""; prune_help=""
  if ((HAVE_LIFEBOAT && LIFEBOAT_OK)); then
    forget_help=$("$ROOT/lifeboat" forget --help 2>/dev/null || true)
    prune_help=$("$ROOT/lifeboat" prune --help 2>/dev/null || true)
  fi
  if ((HAVE_LIFEBOAT && LIFEBOAT_OK)) && [[ $forget_help != *--prune* || $prune_help != *--grace* ]]; then
    row_na lifeboat "$PRUNE_OP" "n/a (forget/prune not in this build)"
  elif lifeboat_step "$PRUNE_OP" "$ROOT/lifeboat" forget --keep-last 1 --prune --grace 0s; then
    SIZE["lifeboat|$PRUNE_OP"]=$(repo_size "$LIFEBOAT_REPOSITORY")
    NOTE["lifeboat|$PRUNE_OP"]="phase 1 of 2, --grace 0s: forgets and marks candidates"
    if lifeboat_step "prune --grace 0s (phase 2: deletes the candidates)" "$ROOT/lifeboat" prune --grace 0s; then
      SIZE["lifeboat|prune --grace 0s (phase 2: deletes the candidates)"]=$(repo_size "$LIFEBOAT_REPOSITORY")
      lifeboat_step "check after prune" "$ROOT/lifeboat" check || true
    fi
  fi
fi

# --- PostgreSQL: pgbench database, pg_dump | zstd against backup-postgres (full only) ----------------
# Uses the shared local PostgreSQL (dev/infra.sh); starts the servers only when they are not running
# and then stops exactly the ones it started. LIFEBOAT_BENCH_PGBENCH_SCALE=0 skips the section.
PG_SCALE=${LIFEBOAT_BENCH_PGBENCH_SCALE:-50}
if [[ $MODE == full && ! $PG_SCALE =~ ^[0-9]+$ ]]; then
  die "LIFEBOAT_BENCH_PGBENCH_SCALE must be a non-negative integer, got '$PG_SCALE'"
fi
PG_DBS=(bench_pgbench bench_pgbench_pgrestore bench_pgbench_lifeboat bench_pgbench_lifeboat_j2)
PG_READY=0
pg_cleanup() {
  if ((PG_READY)); then
    for db in "${PG_DBS[@]}"; do "$PG_BIN/dropdb" --if-exists "$db" >/dev/null 2>&1 || say "could not drop database $db"; done
  fi
  if [[ -s ${PG_STARTED_FILE:-} ]]; then
    say "stopping the servers this run started: $(tr '\n' ' ' <"$PG_STARTED_FILE")"
    # shellcheck disable=SC2046
    "$ROOT/dev/infra.sh" down $(sort -u "$PG_STARTED_FILE") >"$WORK/logs/infra-down.log" 2>&1 || say "dev/infra.sh down failed (log: $WORK/logs/infra-down.log)"
  fi
}
trap 'pg_cleanup; rm -rf "$RESTORE_BASE"' EXIT
pg_count() { # DB -> "rows sum(abalance)" of pgbench_accounts
  "$PG_BIN/psql" -X -q -A -t -d "$1" -c 'SELECT count(*) || chr(32) || coalesce(sum(abalance), 0) FROM pgbench_accounts'
}
if [[ $MODE == full && $PG_SCALE -gt 0 ]]; then
  INFRA_ENV="${LIFEBOAT_INFRA_DIR:-$HOME/.cache/lifeboat/infra}/env"
  if ! "$ROOT/dev/infra.sh" status 2>/dev/null | grep -Eq '^postgres +running'; then
    PG_STARTED_FILE="$WORK/logs/infra-started"
    : >"$PG_STARTED_FILE"
    say "PostgreSQL is not running: dev/infra.sh up (log: $WORK/logs/infra-up.log)"
    LIFEBOAT_INFRA_STARTED_FILE="$PG_STARTED_FILE" "$ROOT/dev/infra.sh" up >"$WORK/logs/infra-up.log" 2>&1 ||
      FAILURES+=("postgres: dev/infra.sh up failed (log: $WORK/logs/infra-up.log)")
  fi
  if [[ -f $INFRA_ENV ]]; then
    # shellcheck disable=SC1090
    source "$INFRA_ENV"
  fi
  PG_BIN=${LIFEBOAT_PG_BIN:-$(dirname "$(command -v pg_dump 2>/dev/null || echo /usr/bin/pg_dump)")}
  export PGHOST=${LIFEBOAT_PG_HOST:-127.0.0.1} PGPORT=${LIFEBOAT_PG_PORT:-15432} PGUSER=${LIFEBOAT_PG_USER:-lifeboat} \
    PGPASSWORD=${LIFEBOAT_PG_PASSWORD:-} PGDATABASE=postgres
  if [[ ! -x $PG_BIN/pgbench || ! -x $PG_BIN/pg_dump ]]; then
    FAILURES+=("postgres: pgbench/pg_dump not found in $PG_BIN")
  elif ! "$PG_BIN/pg_isready" -q -t 10; then
    FAILURES+=("postgres: no server at $PGHOST:$PGPORT")
  else
    PG_READY=1
    for db in "${PG_DBS[@]}"; do "$PG_BIN/dropdb" --if-exists "$db" >/dev/null 2>&1 || true; done
    say "postgres: pgbench -i -s $PG_SCALE (log: $WORK/logs/pgbench-init.log)"
    if ! { "$PG_BIN/createdb" bench_pgbench && "$PG_BIN/pgbench" -i -q -s "$PG_SCALE" bench_pgbench &&
      "$PG_BIN/psql" -X -q -d bench_pgbench -c 'VACUUM ANALYZE'; } >"$WORK/logs/pgbench-init.log" 2>&1; then
      FAILURES+=("postgres: creating the pgbench database failed (log: $WORK/logs/pgbench-init.log)")
    else
      PG_EXPECTED=$(pg_count bench_pgbench)
      PG_DB_BYTES=$("$PG_BIN/psql" -X -A -t -d bench_pgbench -c "SELECT pg_database_size('bench_pgbench')")
      PG_DUMP="$REPOS/pg_dump/bench_pgbench.dump"
      mkdir -p "$REPOS/pg_dump"
      export LIFEBOAT_REPOSITORY="$REPOS/lifeboat-pg"
      if ((HAVE_LIFEBOAT)) && ! "$ROOT/lifeboat" init >"$WORK/logs/lifeboat-pg-init.log" 2>&1; then
        tool_failed lifeboat "init of the PostgreSQL repository failed (log: $WORK/logs/lifeboat-pg-init.log)"; LIFEBOAT_OK=0
      fi
      PG_DSN="postgresql://$PGUSER@$PGHOST:$PGPORT"
      if measure pg_dump "$PG_BACKUP_REF" bash -c 'set -o pipefail; "$1/pg_dump" -Fc -Z0 -d bench_pgbench | zstd -3 -q -o "$2"' _ "$PG_BIN" "$PG_DUMP.zst"; then
        SIZE["pg_dump|$PG_BACKUP_REF"]=$(repo_size "$PG_DUMP.zst")
      else tool_failed postgres "pg_dump | zstd failed"; fi
      REFOF["lifeboat|$PG_BACKUP_OP"]="pg_dump|$PG_BACKUP_REF"
      if lifeboat_step "$PG_BACKUP_OP" "$ROOT/lifeboat" backup-postgres --pg-bin "$PG_BIN" --dsn "$PG_DSN/bench_pgbench" --database bench_pgbench; then
        SIZE["lifeboat|$PG_BACKUP_OP"]=$(repo_size "$LIFEBOAT_REPOSITORY")
      fi
      # The reference restores from the uncompressed dump (decompressed first, not timed).
      if [[ -f $PG_DUMP.zst ]] && zstd -d -q -f "$PG_DUMP.zst" -o "$PG_DUMP"; then
        if measure pg_restore "$PG_RESTORE_REF" bash -c '"$1/createdb" bench_pgbench_pgrestore && "$1/pg_restore" -j 2 -d bench_pgbench_pgrestore "$2"' _ "$PG_BIN" "$PG_DUMP"; then
          got=$(pg_count bench_pgbench_pgrestore)
          if [[ $got == "$PG_EXPECTED" ]]; then NOTE["pg_restore|$PG_RESTORE_REF"]="pgbench_accounts matches ($got)"
          else tool_failed postgres "pg_restore gave pgbench_accounts '$got', expected '$PG_EXPECTED'"; fi
        else tool_failed postgres "pg_restore failed"; fi
        rm -f "$PG_DUMP"
      fi
      REFOF["lifeboat|$PG_RESTORE_OP"]="pg_restore|$PG_RESTORE_REF"
      if lifeboat_step "$PG_RESTORE_OP" "$ROOT/lifeboat" restore-postgres latest --pg-bin "$PG_BIN" --dsn "$PG_DSN/postgres" \
        --database bench_pgbench --target-database bench_pgbench_lifeboat --create-database; then
        got=$(pg_count bench_pgbench_lifeboat)
        if [[ $got == "$PG_EXPECTED" ]]; then NOTE["lifeboat|$PG_RESTORE_OP"]="pgbench_accounts matches ($got)"
        else tool_failed lifeboat "restore-postgres gave pgbench_accounts '$got', expected '$PG_EXPECTED'"; fi
      fi
      # The same restore with pg_restore -j 2 on an archive spooled to the bench's work directory.
      REFOF["lifeboat|$PG_RESTORE_JOBS_OP"]="pg_restore|$PG_RESTORE_REF"
      mkdir -p "$WORK/pg-spool"
      if lifeboat_step "$PG_RESTORE_JOBS_OP" "$ROOT/lifeboat" restore-postgres latest --pg-bin "$PG_BIN" --dsn "$PG_DSN/postgres" \
        --database bench_pgbench --target-database bench_pgbench_lifeboat_j2 --create-database --jobs 2 \
        --spool-dir "$WORK/pg-spool"; then
        got=$(pg_count bench_pgbench_lifeboat_j2)
        if [[ $got == "$PG_EXPECTED" ]]; then NOTE["lifeboat|$PG_RESTORE_JOBS_OP"]="pgbench_accounts matches ($got)"
        else tool_failed lifeboat "restore-postgres --jobs 2 gave pgbench_accounts '$got', expected '$PG_EXPECTED'"; fi
      fi
    fi
  fi
fi

# --- PostgreSQL physical: base backup and restore against pgBackRest (full only) ----------------
# A private cluster of its own (bench/pg-physical.sh); LIFEBOAT_BENCH_PG_PHYSICAL=0 skips it.
# shellcheck source=bench/pg-physical.sh
source "$ROOT/bench/pg-physical.sh"
if [[ $MODE == full && $PG_SCALE -gt 0 && ${LIFEBOAT_BENCH_PG_PHYSICAL:-1} != 0 ]]; then
  trap 'pgp_cleanup; pg_cleanup; rm -rf "$RESTORE_BASE"' EXIT
  PG_BIN=${PG_BIN:-${LIFEBOAT_PG_BIN:-/usr/lib/postgresql/15/bin}}
  pg_physical_bench
fi

# --- PostgreSQL: RPO of continuous WAL archiving (full only; bench/rpo.sh) ----------------------
# Private clusters of its own (killed with kill -9), never the shared one. LIFEBOAT_BENCH_RPO=0 skips it.
if [[ $MODE == full && ${LIFEBOAT_BENCH_RPO:-1} != 0 ]]; then
  if ((HAVE_LIFEBOAT)); then
    say "postgres: RPO of wal-stream, async and synchronous, full speed and 5 tps (log: $WORK/logs/rpo.log)"
    LIFEBOAT_BENCH_DIR="$WORK" "$ROOT/bench/rpo.sh" >"$WORK/logs/rpo.md" 2>"$WORK/logs/rpo.log" ||
      FAILURES+=("RPO measurement failed (log: $WORK/logs/rpo.log)")
  else
    NOTES+=("./lifeboat not built: RPO of wal-stream not measured")
  fi
fi

# --- Report ----------------------------------------------------------------------------------
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
ratio() { # A B -> "A/B×" or empty
  awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f×", a / b }'
}
lifeboat_rss_max=""
REPORT="$WORK/logs/report.md"
{
  echo "## Lifeboat benchmark ($MODE): $(mb "$DATA_BYTES") data set, seed $SEED"
  echo
  echo "| tool | operation | wall s | peak RSS MB | repo size | ratio vs restic (or reference) |"
  echo "|---|---|---:|---:|---:|---:|"
  for key in "${ROWS[@]}"; do
    tool=${key%%|*}
    op=${key#*|}
    size=""; [[ -n ${SIZE[$key]:-} ]] && size=$(mb "${SIZE[$key]}")
    r=""
    if [[ $tool == lifeboat ]]; then
      r=$(ratio "${WALL[$key]}" "${WALL[${REFOF[$key]:-restic|$op}]:-}")
      [[ ${RSS[$key]} =~ ^[0-9]+$ ]] && ((${RSS[$key]} > ${lifeboat_rss_max:-0})) && lifeboat_rss_max=${RSS[$key]}
    fi
    note=${NOTE[$key]:-}
    cell="$op${note:+ — $note}"
    echo "| $tool | ${cell//|/\\|} | ${WALL[$key]} | ${RSS[$key]} | $size | $r |"
  done
  for tool in restic borg lifeboat; do
    key="$tool|incremental backup"
    [[ -n ${SIZE[$key]:-} ]] || continue
    r=""; [[ $tool == lifeboat ]] && r=$(ratio "${SIZE[$key]}" "${SIZE["restic|incremental backup"]:-}")
    echo "| $tool | repository size after both backups |  |  | $(mb "${SIZE[$key]}") | $r |"
  done
  for tool in restic lifeboat; do
    key="$tool|before prune (5 snapshots)"
    [[ -n ${SIZE[$key]:-} ]] || continue
    r=""; [[ $tool == lifeboat ]] && r=$(ratio "${SIZE[$key]}" "${SIZE["restic|before prune (5 snapshots)"]:-}")
    echo "| $tool | repository size with 5 snapshots, before forget/prune |  |  | $(mb "${SIZE[$key]}") | $r |"
  done
  echo
  target() { # NAME ACTUAL_RATIO LIMIT
    if [[ -z $2 ]]; then echo "- $1 ≤ $3× restic: n/a"; return; fi
    local v=${2%×}
    if awk -v v="$v" -v l="$3" 'BEGIN { exit !(v <= l) }'; then echo "- $1 ≤ $3× restic: $2 (met)"; else echo "- $1 ≤ $3× restic: $2 (MISSED)"; fi
  }
  echo "Targets (Lifeboat against restic on the same data):"
  target "full backup wall time" "$(ratio "${WALL["lifeboat|full backup"]:-}" "${WALL["restic|full backup"]:-}")" 0.5
  target "incremental backup wall time" "$(ratio "${WALL["lifeboat|incremental backup"]:-}" "${WALL["restic|incremental backup"]:-}")" 1.0
  target "restore wall time" "$(ratio "${WALL["lifeboat|restore"]:-}" "${WALL["restic|restore"]:-}")" 0.6
  target "check (read all data) wall time" "$(ratio "${WALL["lifeboat|check (read all data)"]:-}" "${WALL["restic|check (read all data)"]:-}")" 0.7
  target "repository size" "$(ratio "${SIZE["lifeboat|incremental backup"]:-}" "${SIZE["restic|incremental backup"]:-}")" 1.02
  if [[ $MODE == full && $PG_SCALE -gt 0 ]]; then
    r=$(ratio "${WALL["lifeboat|$PG_BACKUP_OP"]:-}" "${WALL["pg_dump|$PG_BACKUP_REF"]:-}")
    if [[ -z $r ]]; then echo "- PostgreSQL logical backup wall time ≤ 1.1× pg_dump -Fc -Z0 | zstd -3: n/a"
    elif awk -v v="${r%×}" 'BEGIN { exit !(v <= 1.1) }'; then echo "- PostgreSQL logical backup wall time ≤ 1.1× pg_dump -Fc -Z0 | zstd -3: $r (met)"
    else echo "- PostgreSQL logical backup wall time ≤ 1.1× pg_dump -Fc -Z0 | zstd -3: $r (MISSED)"; fi
  fi
  if [[ $MODE == full && $PG_SCALE -gt 0 && ${LIFEBOAT_BENCH_PG_PHYSICAL:-1} != 0 ]]; then
    pg_physical_targets
  fi
  if [[ -n $lifeboat_rss_max ]]; then
    if ((lifeboat_rss_max < 400)); then echo "- peak RSS < 400 MB: $lifeboat_rss_max MB (met)"; else echo "- peak RSS < 400 MB: $lifeboat_rss_max MB (MISSED)"; fi
  else
    echo "- peak RSS < 400 MB: n/a"
  fi
  echo
  echo "Setup:"
  echo "- data: $(cat "$DATA/summary.txt"); second state: $(cat "$WORK/logs/mutate.log")"
  if [[ $MODE == full ]]; then
    r=$(awk -v a="${WALL["lifeboat|$PRUNE_OP"]:-}" -v b="${WALL["lifeboat|prune --grace 0s (phase 2: deletes the candidates)"]:-}" \
      'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%.2f", a + b }')
    echo "- prune history: 3 more mutated states (seeds $((SEED + 1))-$((SEED + 3))) backed up by restic and Lifeboat, then each keeps the last of 5 snapshots;"\
      "Lifeboat's prune is two-phase (default grace 24 h: a first run only marks candidates), so the bench uses --grace 0s and a second"\
      "prune run frees the bytes; both phases: ${r:-n/a} s against restic's ${WALL["restic|$PRUNE_OP"]:-n/a} s"
  fi
  if [[ $MODE == full && $PG_SCALE -gt 0 ]]; then
    echo "- PostgreSQL: pgbench -i -s $PG_SCALE, database $(mb "${PG_DB_BYTES:-0}") on disk, PostgreSQL $("${PG_BIN:-/nonexistent}/postgres" --version 2>/dev/null | awk '{print $3}' || echo n/a)"\
      "at ${PGHOST:-?}:${PGPORT:-?}; Lifeboat into its own repository; the PostgreSQL rows' peak RSS is the largest process"\
      "(pg_dump/pg_restore children included); the restores are checked by count and sum(abalance) of pgbench_accounts"
  fi
  echo "- restores into $RESTORE_WHERE; page cache warm for every tool (caches are not dropped on a shared machine)"
  echo "- restic $( ((HAVE_RESTIC)) && restic version | awk '{print $2}' || echo n/a) (repository v2, default compression),"\
    "borg $( ((HAVE_BORG)) && borg --version | awk '{print $2}' || echo n/a) (repokey-blake2, zstd,3),"\
    "zstd $( ((HAVE_ZSTD)) && zstd --version | grep -o 'v[0-9.]*' | head -1 || echo n/a),"\
    "$("$JAVA" -version 2>&1 | head -1)"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- logs: $WORK/logs"
  for n in "${NOTES[@]}"; do echo "- note: $n"; done
  for f in "${FAILURES[@]}"; do echo "- FAILURE: $f"; done
} >"$REPORT"
if [[ -s $WORK/logs/rpo.md ]]; then
  { echo; cat "$WORK/logs/rpo.md"; } >>"$REPORT"
fi

if [[ $MODE == full && ${LIFEBOAT_BENCH_JMH:-1} == 0 ]]; then
  echo "- note: JMH skipped (LIFEBOAT_BENCH_JMH=0)" >>"$REPORT"
elif [[ $MODE == full ]]; then
  say "running JMH (short: -wi 1 -i 3 -f 1)"
  if "$JAVA" -jar "$JAR" -wi 1 -i 3 -f 1 -w 2 -r 2 -o "$WORK/logs/jmh.txt" >/dev/null 2>&1; then
    { echo; echo "JMH (one fork, 1 warm-up and 3 measured iterations of 2 s):"; echo '```'
      sed -n '/^Benchmark /,$p' "$WORK/logs/jmh.txt"; echo '```'; } >>"$REPORT"
  else
    FAILURES+=("JMH run failed (log: $WORK/logs/jmh.txt)")
    echo "- FAILURE: JMH run failed (log: $WORK/logs/jmh.txt)" >>"$REPORT"
  fi
fi

mkdir -p "$ROOT/bench/results"
cp "$REPORT" "$ROOT/bench/results/latest.md"
cat "$REPORT"
if ((${#FAILURES[@]})); then
  die "${#FAILURES[@]} failure(s): ${FAILURES[*]}"
fi
say "done; report saved to bench/results/latest.md"
