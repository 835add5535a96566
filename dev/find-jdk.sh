#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer: JAVA_HOME if it is one, else the newest one found in the
# system's JVM directory. Exits 1 with a clear message when there is none.
set -euo pipefail

major() { # prints the feature release of the JDK at $1, or 0
  local rel="$1/release"
  [[ -x "$1/bin/javac" && -r "$rel" ]] || { echo 0; return; }
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  echo "${v:-0}"
}

if [[ -n "${JAVA_HOME:-}" && $(major "$JAVA_HOME") -ge 21 ]]; then
  echo "$JAVA_HOME"; exit 0
fi
best=""; best_v=0
for d in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
  [[ -d "$d" && ! -L "$d" ]] || continue
  v=$(major "$d")
  if (( v >= 21 && v > best_v )); then best="$d"; best_v=$v; fi
done
if [[ -n "$best" ]]; then echo "$best"; exit 0; fi
echo "lifeboat: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable in /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 25 JDK, or point JAVA_HOME at it" >&2
exit 1
