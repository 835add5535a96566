# The development KMS (module dev/kms: AWS KMS JSON protocol, real AES-256-GCM, keys persisted in its
# data dir). A development and test server only; production points the same adapter at AWS KMS.
# Sourced by dev/infra.sh. kms_up DIR PORT | kms_down DIR | kms_pid DIR | kms_endpoint DIR

KMS_ALIAS=${LIFEBOAT_KMS_ALIAS:-alias/lifeboat-dev}

kms_jar() { printf '%s/dev/kms/target/lifeboat-dev-kms.jar\n' "$LIFEBOAT_REPO_ROOT"; }

kms_build() {
  local jar; jar=$(kms_jar)
  [[ -f "$jar" ]] && return 0
  [[ -f "$LIFEBOAT_REPO_ROOT/dev/kms/pom.xml" ]] || die "kms: module dev/kms is missing from $LIFEBOAT_REPO_ROOT"
  log "building the development KMS (once): ./mvnw -pl dev/kms -am package"
  mkdir -p "$LIFEBOAT_INFRA_DIR"
  (cd "$LIFEBOAT_REPO_ROOT" && JAVA_HOME=$(java_home) ./mvnw -B -q --no-transfer-progress \
      -pl dev/kms -am package -DskipTests >"$LIFEBOAT_INFRA_DIR/kms-build.log" 2>&1) \
    || die "kms: building dev/kms failed; see $LIFEBOAT_INFRA_DIR/kms-build.log"
  [[ -f "$jar" ]] || die "kms: the build made no $jar (the module must package a self-contained jar of that name)"
}

kms_pid() { live_pid "$1/kms.pid"; }
kms_endpoint() { printf 'http://127.0.0.1:%s\n' "$(cat "$1/port" 2>/dev/null || echo '?')"; }
kms_healthy() { [[ $(http_status "http://127.0.0.1:$1/health") == 200 ]]; }

# The server (--bootstrap-alias) writes the key ARN to DATA_DIR/bootstrap-key-arn; the log is a fallback.
kms_key_arn() {
  local dir=$1 arn=""
  [[ -s "$dir/data/bootstrap-key-arn" ]] && arn=$(head -1 "$dir/data/bootstrap-key-arn" | tr -d '[:space:]')
  [[ -n "$arn" ]] || arn=$(grep -o 'arn:aws:kms:[A-Za-z0-9-]*:[0-9]*:key/[A-Za-z0-9-]*' "$dir/kms.log" 2>/dev/null | tail -1)
  [[ -n "$arn" ]] && printf '%s\n' "$arn"
}

kms_up() {
  local dir=$1 port=$2
  mkdir -p "$dir/data"
  local ak sk
  ak=$(stored_secret "$dir/access-key" 20 | tr '[:lower:]' '[:upper:]')
  sk=$(stored_secret "$dir/secret-key" 40)
  if ! kms_pid "$dir" >/dev/null; then
    port_open "$port" && die "kms: port $port is taken by another process (set LIFEBOAT_KMS_PORT)"
    kms_build
    printf '%s\n' "$port" >"$dir/port"
    [[ -f "$dir/kms.log" ]] && mv -f "$dir/kms.log" "$dir/kms.log.1"
    # Run a copy: a build that runs meanwhile ('mvnw verify') rewrites the jar under target/.
    cp -f "$(kms_jar)" "$dir/lifeboat-dev-kms.jar"
    spawn "$dir/kms.pid" "$dir/kms.log" "$(java_bin)" -Xmx128m -jar "$dir/lifeboat-dev-kms.jar" \
      --port "$port" --data-dir "$dir/data" --access-key "$ak" --secret-key "$sk" \
      --bootstrap-alias "$KMS_ALIAS"
  fi
  await 60 kms_healthy "$port" || die "kms did not answer GET http://127.0.0.1:$port/health with 200; see $dir/kms.log"
  local arn
  arn=$(kms_key_arn "$dir") || die "kms: no ARN for $KMS_ALIAS (expected in $dir/data/bootstrap-key-arn); see $dir/kms.log"
  cat >"$dir/env" <<ENV
export LIFEBOAT_KMS_ENDPOINT=http://127.0.0.1:$port
export LIFEBOAT_KMS_REGION=us-east-1
export LIFEBOAT_KMS_ACCESS_KEY=$ak
export LIFEBOAT_KMS_SECRET_KEY=$sk
export LIFEBOAT_KMS_KEY_ARN=$arn
export LIFEBOAT_KMS_KEY_ALIAS=$KMS_ALIAS
ENV
  chmod 600 "$dir/env"
}

kms_down() { stop_pidfile "$1/kms.pid" 15; }
