# Shared helpers for dev/infra.sh and dev/servers/*.sh. Sourced, never run.
# Downloads live in LIFEBOAT_CACHE (reused between runs, outside the repo); runtime state (data, logs,
# pid files, the env file) in LIFEBOAT_INFRA_DIR.

LIFEBOAT_REPO_ROOT=${LIFEBOAT_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
LIFEBOAT_CACHE=${LIFEBOAT_CACHE:-$HOME/.cache/lifeboat}
LIFEBOAT_INFRA_DIR=${LIFEBOAT_INFRA_DIR:-$HOME/.cache/lifeboat/infra}

log() { printf '[infra %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Prints one clear line for the user and exits non-zero.
die() { printf 'lifeboat infra: %s\n' "$*" >&2; exit 1; }

java_home() {
  if [[ -z "${LIFEBOAT_JAVA_HOME:-}" ]]; then
    LIFEBOAT_JAVA_HOME=$("$LIFEBOAT_REPO_ROOT/dev/find-jdk.sh") || exit 1
    export LIFEBOAT_JAVA_HOME
  fi
  printf '%s\n' "$LIFEBOAT_JAVA_HOME"
}

java_bin() { printf '%s/bin/java\n' "$(java_home)"; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a TCP port nobody listens on (and not in the shared servers' ranges).
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))  # below the kernel's ephemeral range (32768+)
    if ! port_open "$p"; then printf '%s\n' "$p"; return 0; fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# Pid recorded in file $1 if that process still runs, else nothing (and false).
live_pid() {
  local f=$1 pid
  [[ -s "$f" ]] || return 1
  pid=$(<"$f")
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

# Waits up to $1 seconds for command "$@" (after the first arg) to succeed; false on timeout.
await() {
  local timeout=$1; shift
  local deadline=$(( SECONDS + timeout ))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.3
  done
}

# Stops the process in pid file $1 and everything in its process group (spawn makes it a group
# leader, and wrappers such as kc.sh run java as a child): TERM, then KILL after $2 seconds (default 30).
stop_pidfile() {
  local f=$1 grace=${2:-30} pid
  if pid=$(live_pid "$f"); then
    local target=$pid
    [[ $(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') == "$pid" ]] && target=-$pid
    kill -TERM -- "$target" 2>/dev/null || true
    if ! await "$grace" group_gone "$target"; then
      kill -KILL -- "$target" 2>/dev/null || true
      await 10 group_gone "$target" || true
    fi
  fi
  rm -f "$f"
}

# True when no process is left in group -$1 (or, for a plain pid, when it is gone).
group_gone() {
  if [[ $1 == -* ]]; then ! pgrep -g "${1#-}" >/dev/null; else ! kill -0 "$1" 2>/dev/null; fi
}

# Starts "$@" in the background as its own session, output to log $2, pid to file $1.
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  mkdir -p "$(dirname "$logfile")" "$(dirname "$pidfile")"
  setsid "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  printf '%s\n' "$!" >"$pidfile"
}

http_status() { # prints the HTTP status of GET $1 (000 when nothing answers)
  curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true
}

random_secret() { # $1 characters of [A-Za-z0-9]
  local s
  s=$(head -c 256 /dev/urandom | tr -dc 'A-Za-z0-9')
  printf '%s\n' "${s:0:$1}"
}

# Reads (or creates once, mode 600) a secret stored in file $1, $2 characters long.
stored_secret() {
  local f=$1 len=${2:-32}
  if [[ ! -s "$f" ]]; then
    mkdir -p "$(dirname "$f")"
    (umask 077; random_secret "$len" >"$f")
  fi
  chmod 600 "$f"
  tr -d '\n' <"$f"
}

# Copies Maven artifacts (coordinates as groupId:artifactId:version[:type[:classifier]]) with their
# runtime dependencies into directory $1, using the repo's Maven wrapper on a generated pom.
# Skipped when $1/.complete exists, so the cache is reused between runs. With MAVEN_FETCH_TRANSITIVE=false
# only the named artifacts are copied (for self-contained jars and distribution zips).
maven_fetch() {
  local dest=$1; shift
  local transitive=${MAVEN_FETCH_TRANSITIVE:-true}
  [[ -f "$dest/.complete" ]] && return 0
  local work="$LIFEBOAT_CACHE/fetch/$(basename "$dest")"
  mkdir -p "$work" "$dest"
  {
    cat <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.lifeboat.dev</groupId>
  <artifactId>fetch-$(basename "$dest")</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
POM
    local c g a v t k
    for c in "$@"; do
      IFS=: read -r g a v t k <<<"$c"
      printf '    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version>' "$g" "$a" "$v"
      [[ -n "$t" ]] && printf '<type>%s</type>' "$t"
      [[ -n "$k" ]] && printf '<classifier>%s</classifier>' "$k"
      printf '</dependency>\n'
    done
    cat <<POM
  </dependencies>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>
  </plugin></plugins></build>
</project>
POM
  } >"$work/pom.xml"
  log "fetching $* into $dest (once; cached)"
  if ! (cd "$LIFEBOAT_REPO_ROOT" && JAVA_HOME=$(java_home) ./mvnw -B -q --no-transfer-progress \
        -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DexcludeTransitive=$([[ $transitive == true ]] && echo false || echo true) \
        -DoutputDirectory="$dest" >"$work/fetch.log" 2>&1); then
    die "could not fetch $* with Maven; see $work/fetch.log"
  fi
  touch "$dest/.complete"
}
