#!/usr/bin/env bash
# make demo: the main job end to end, with real parts.
#   1. build, start the local servers (PostgreSQL among them)
#   2. create a file tree and a PostgreSQL database with known content, fingerprint both
#   3. back both up with the lifeboat CLI (the database streamed from pg_dump, no local copy)
#   4. disaster: delete the tree, drop the database
#   5. restore both from the repository alone and prove the fingerprints match
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/lifeboat-demo.XXXXXX)
started_file=$work/started-servers
cleanup() {
  # Stop only the servers this demo started; others may be in use by tests or a developer.
  if [[ -s $started_file ]]; then
    mapfile -t started <"$started_file"
    dev/infra.sh down "${started[@]}" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

say "build"
./mvnw -B -q --no-transfer-progress -DskipTests package -pl cli -am
[[ -x ./lifeboat ]] || fail "./lifeboat launcher missing"

say "local servers"
LIFEBOAT_INFRA_STARTED_FILE=$started_file dev/infra.sh up >/dev/null
# shellcheck disable=SC1091
source "${LIFEBOAT_INFRA_DIR:-$HOME/.cache/lifeboat/infra}/env"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
export PGHOST=$LIFEBOAT_PG_HOST PGPORT=$LIFEBOAT_PG_PORT PGUSER=$LIFEBOAT_PG_USER PGPASSWORD=$LIFEBOAT_PG_PASSWORD

export LIFEBOAT_REPOSITORY=$work/repo
printf 'demo-%s\n' "$RANDOM$RANDOM" > "$work/password"; chmod 600 "$work/password"
export LIFEBOAT_PASSWORD_FILE=$work/password

say "data: a file tree and a database"
data=$work/data
mkdir -p "$data/docs/nested" "$data/media"
for i in $(seq 1 200); do printf 'invoice %05d total %d EUR\n' "$i" "$((i * 37))" > "$data/docs/invoice-$i.txt"; done
head -c 8M /dev/urandom > "$data/media/photo.raw"
cp "$data/media/photo.raw" "$data/media/photo-copy.raw"   # dedup: stored once
ln -s ../docs/invoice-1.txt "$data/media/latest-invoice"
chmod 640 "$data/docs/invoice-7.txt"
fingerprint_tree() { (cd "$1" && find . -printf '%y %m %p %l\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
fingerprint_tree "$data" > "$work/tree.before"

"$pgbin/psql" -q -d "$LIFEBOAT_PG_DATABASE" -c 'drop database if exists shop' -c 'create database shop'
"$pgbin/psql" -q -d shop <<'SQL'
create table customers(id int primary key, name text not null);
create table orders(id int primary key, customer int references customers, amount numeric(10,2), placed timestamptz);
insert into customers select g, 'customer ' || g from generate_series(1, 5000) g;
insert into orders select g, 1 + g % 5000, (g % 977) * 1.25, timestamptz '2026-01-01' + g * interval '1 minute' from generate_series(1, 50000) g;
SQL
fingerprint_db() { "$pgbin/psql" -qAt -d shop -c "select (select count(*) from customers), (select count(*) from orders), (select md5(string_agg(o::text, ',' order by id)) from orders o)"; }
fingerprint_db > "$work/db.before"
echo "tree: $(find "$data" -type f | wc -l) files; database: $(cat "$work/db.before")"

say "backup"
./lifeboat init
./lifeboat backup "$data"
./lifeboat backup --stdin-from-command --stdin-filename shop.dump -- "$pgbin/pg_dump" -Fc -d shop
./lifeboat snapshots
./lifeboat check --read-data

say "disaster: the tree is deleted and the database dropped"
rm -rf "$data"
"$pgbin/psql" -q -d "$LIFEBOAT_PG_DATABASE" -c 'drop database shop'

say "restore from the repository alone"
files_snap=$(./lifeboat snapshots --json | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["source_type"]=="files"][-1])')
db_snap=$(./lifeboat snapshots --json | python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin) if s["source_type"]=="stream"][-1])')
./lifeboat restore "$files_snap" --target "$work/restored"
restored=$work/restored$data
[[ -d $restored ]] || restored=$work/restored/$(basename "$data")
"$pgbin/psql" -q -d "$LIFEBOAT_PG_DATABASE" -c 'create database shop'
./lifeboat dump "$db_snap" shop.dump | "$pgbin/pg_restore" --no-owner -d shop

say "proof"
fingerprint_tree "$restored" > "$work/tree.after"
fingerprint_db > "$work/db.after"
diff -u "$work/tree.before" "$work/tree.after" || fail "restored tree differs"
diff -u "$work/db.before" "$work/db.after" || fail "restored database differs"
echo "tree: $(grep -c '^f ' "$work/tree.after") files, permissions, symlinks and content identical"
echo "database: $(cat "$work/db.after") identical"
echo "demo: OK"
