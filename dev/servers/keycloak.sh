# Keycloak (optional; `dev/infra.sh up keycloak`): realm `lifeboat` from dev/keycloak/lifeboat-realm.json
# with the roles viewer, operator, restorer, approver, auditor, admin and the confidential client
# lifeboat-cli. Sourced by dev/infra.sh. keycloak_up DIR PORT MGMT_PORT | keycloak_down DIR

KEYCLOAK_VERSION=${LIFEBOAT_KEYCLOAK_VERSION:-26.5.6}

# Unpacks and pre-builds the distribution once in the cache (`kc.sh build`, ~30 s); instances get a
# hard-linked copy of it, so each has its own data/ dir at no disk cost.
keycloak_dist() {
  local base="$LIFEBOAT_CACHE/keycloak-$KEYCLOAK_VERSION"
  local dist="$base/dist"
  if [[ ! -f "$dist/.built" ]]; then
    MAVEN_FETCH_TRANSITIVE=false maven_fetch "$base/zip" "org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"
    rm -rf "$dist" "$base/unpack"
    mkdir -p "$base/unpack"
    log "unpacking and building Keycloak $KEYCLOAK_VERSION (once; cached)"
    unzip -q "$base/zip/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$base/unpack" \
      || die "keycloak: cannot unzip the distribution in $base"
    mv "$base/unpack/keycloak-$KEYCLOAK_VERSION" "$dist"
    rmdir "$base/unpack"
    JAVA_HOME=$(java_home) "$dist/bin/kc.sh" build --db=dev-file --health-enabled=true \
      >"$base/build.log" 2>&1 9>&- || die "keycloak: 'kc.sh build' failed; see $base/build.log"
    touch "$dist/.built"
  fi
  printf '%s\n' "$dist"
}

keycloak_pid() { live_pid "$1/keycloak.pid"; }
keycloak_endpoint() { printf 'http://127.0.0.1:%s/realms/lifeboat\n' "$(cat "$1/port" 2>/dev/null || echo '?')"; }
keycloak_healthy() { # PORT MGMT_PORT
  [[ $(http_status "http://127.0.0.1:$2/health/ready") == 200 \
     && $(http_status "http://127.0.0.1:$1/realms/lifeboat/.well-known/openid-configuration") == 200 ]]
}

keycloak_up() {
  local dir=$1 port=$2 mport=$3
  mkdir -p "$dir"
  local client_secret user_password admin_password
  client_secret=$(stored_secret "$dir/client-secret" 32)
  user_password=$(stored_secret "$dir/user-password" 16)
  admin_password=$(stored_secret "$dir/admin-password" 16)
  if ! keycloak_pid "$dir" >/dev/null; then
    port_open "$port" && die "keycloak: port $port is taken by another process (set LIFEBOAT_KEYCLOAK_PORT)"
    port_open "$mport" && die "keycloak: management port $mport is taken (set LIFEBOAT_KEYCLOAK_MGMT_PORT)"
    local dist; dist=$(keycloak_dist)
    if [[ ! -d "$dir/home" ]]; then
      cp -al "$dist" "$dir/home.tmp" && mv "$dir/home.tmp" "$dir/home"
    fi
    # The realm is imported on a first start only (Keycloak skips realms that exist).
    mkdir -p "$dir/home/data/import"
    rm -f "$dir/home/data/import/lifeboat-realm.json"
    (umask 077; sed -e "s/@LIFEBOAT_OIDC_CLIENT_SECRET@/$client_secret/g" \
        -e "s/@LIFEBOAT_OIDC_USER_PASSWORD@/$user_password/g" \
        "$LIFEBOAT_REPO_ROOT/dev/keycloak/lifeboat-realm.json" >"$dir/home/data/import/lifeboat-realm.json")
    printf '%s\n' "$port" >"$dir/port"
    [[ -f "$dir/keycloak.log" ]] && mv -f "$dir/keycloak.log" "$dir/keycloak.log.1"
    # --cache=local is required: the default clustered cache binds non-loopback addresses.
    JAVA_HOME=$(java_home) JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$admin_password \
      spawn "$dir/keycloak.pid" "$dir/keycloak.log" "$dir/home/bin/kc.sh" start --optimized \
        --http-enabled=true --hostname-strict=false --http-host=127.0.0.1 --http-port="$port" \
        --http-management-port="$mport" --cache=local --import-realm
  fi
  await 180 keycloak_healthy "$port" "$mport" \
    || die "keycloak did not become ready on http://127.0.0.1:$port (management $mport); see $dir/keycloak.log"
  cat >"$dir/env" <<ENV
export LIFEBOAT_OIDC_URL=http://127.0.0.1:$port/realms/lifeboat
export LIFEBOAT_OIDC_CLIENT_ID=lifeboat-cli
export LIFEBOAT_OIDC_CLIENT_SECRET=$client_secret
export LIFEBOAT_OIDC_USER_PASSWORD=$user_password
export LIFEBOAT_KEYCLOAK_URL=http://127.0.0.1:$port
export LIFEBOAT_KEYCLOAK_MGMT_URL=http://127.0.0.1:$mport
export LIFEBOAT_KEYCLOAK_ADMIN_USER=admin
export LIFEBOAT_KEYCLOAK_ADMIN_PASSWORD=$admin_password
ENV
  chmod 600 "$dir/env"
}

keycloak_down() { stop_pidfile "$1/keycloak.pid" 30; }
