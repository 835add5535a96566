# S3Proxy on its filesystem backend, signature auth enforced. Sourced by dev/infra.sh.
# s3proxy_up DIR PORT | s3proxy_down DIR | s3proxy_pid DIR | s3proxy_endpoint DIR

S3PROXY_VERSION=${LIFEBOAT_S3PROXY_VERSION:-4.1.0}
S3_BUCKET=${LIFEBOAT_S3_BUCKET:-lifeboat}

s3proxy_fetch() {
  local d="$LIFEBOAT_CACHE/s3proxy-$S3PROXY_VERSION"
  MAVEN_FETCH_TRANSITIVE=false maven_fetch "$d" "org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies"
  printf '%s\n' "$d/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
}

s3proxy_pid() { live_pid "$1/s3proxy.pid"; }
s3proxy_endpoint() { printf 'http://127.0.0.1:%s\n' "$(cat "$1/port" 2>/dev/null || echo '?')"; }

# Anonymous requests are refused with 403 when auth is on: any HTTP answer means it serves.
s3proxy_healthy() { [[ $(http_status "http://127.0.0.1:$1/") =~ ^[1-5][0-9][0-9]$ ]]; }

s3proxy_up() {
  local dir=$1 port=$2
  mkdir -p "$dir/data/$S3_BUCKET"  # a directory in the basedir is a bucket to the filesystem backend
  local ak sk
  ak=$(stored_secret "$dir/access-key" 20 | tr '[:lower:]' '[:upper:]')
  sk=$(stored_secret "$dir/secret-key" 40)
  if s3proxy_pid "$dir" >/dev/null; then
    await 60 s3proxy_healthy "$port" || die "s3proxy runs (pid $(s3proxy_pid "$dir")) but does not answer on port $port; see $dir/s3proxy.log"
    s3proxy_env "$dir" "$port" "$ak" "$sk"; return 0
  fi
  port_open "$port" && die "s3proxy: port $port is taken by another process (set LIFEBOAT_S3_PORT)"
  local jar; jar=$(s3proxy_fetch)
  (umask 077; cat >"$dir/s3proxy.conf" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ak
s3proxy.credential=$sk
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
jclouds.identity=$ak
jclouds.credential=$sk
PROPS
)
  printf '%s\n' "$port" >"$dir/port"
  [[ -f "$dir/s3proxy.log" ]] && mv -f "$dir/s3proxy.log" "$dir/s3proxy.log.1"
  spawn "$dir/s3proxy.pid" "$dir/s3proxy.log" "$(java_bin)" -Xmx256m -Djava.awt.headless=true \
    -jar "$jar" --properties "$dir/s3proxy.conf"
  await 90 s3proxy_healthy "$port" || die "s3proxy did not answer on http://127.0.0.1:$port; see $dir/s3proxy.log"
  s3proxy_env "$dir" "$port" "$ak" "$sk"
}

s3proxy_env() {
  cat >"$1/env" <<ENV
export LIFEBOAT_S3_ENDPOINT=http://127.0.0.1:$2
export LIFEBOAT_S3_REGION=us-east-1
export LIFEBOAT_S3_BUCKET=$S3_BUCKET
export LIFEBOAT_S3_ACCESS_KEY=$3
export LIFEBOAT_S3_SECRET_KEY=$4
ENV
  chmod 600 "$1/env"
}

s3proxy_down() { stop_pidfile "$1/s3proxy.pid" 20; }
