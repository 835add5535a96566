#!/usr/bin/env bash
# Makes the launcher's JDK AOT cache, cli/target/lifeboat.aot, with a training run: `make build`
# runs it after packaging, bench/run.sh when the cache is missing or stale. The training
# (io.lifeboat.cli.AotTraining) runs init, backup, incremental backup, snapshots, ls, restore,
# check --read-data, diff, stats, forget and prune in one JVM on a scratch repository of about
# 10 MiB, then the JVM writes the cache (JDK 25+: -XX:AOTCacheOutput). Does nothing when the cache
# is already newer than the jars and made by the same JDK (--force remakes it), or when the JDK is
# older than 25 (the launcher then uses its dynamic CDS archive). Exits 1 when a command of the
# training fails, with its log.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)
target="$root/cli/target"
jar="$target/lifeboat-cli.jar"
aot="$target/lifeboat.aot"
[[ -f $jar ]] || { echo "aot-train: $jar missing: package the cli module first (make build)" >&2; exit 1; }
java_home=$("$root/dev/find-jdk.sh")
v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release")
if ((${v:-0} < 25)); then
  echo "aot-train: JDK $v has no -XX:AOTCacheOutput (JDK 25+); the launcher uses a dynamic CDS archive instead"
  exit 0
fi
if [[ ${1:-} != --force && -f $aot && "$(cat "$aot.stamp" 2>/dev/null)" == "$java_home $root" ]] &&
  [[ -z $(find "$jar" "$target/lib" "$java_home/lib/modules" -newer "$aot" -print -quit 2>/dev/null) ]]; then
  exit 0
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lifeboat-aot-train.XXXXXX")
trap 'rm -rf "$scratch" "$aot.tmp.$$" "$aot.tmp.$$.config"' EXIT
t0=$SECONDS
rm -f "$aot" "$aot.stamp"
# Without the caller's LIFEBOAT_JAVA_OPTS: the cache serves any collector and heap size up to 32 GB.
if ! env -u LIFEBOAT_JAVA_OPTS LIFEBOAT_AOT_TRAINING_OUTPUT="$aot.tmp.$$" "$root/lifeboat" "$scratch/run" >"$scratch/log" 2>&1 ||
  [[ ! -s "$aot.tmp.$$" ]]; then
  echo "aot-train: the training run failed; the launcher falls back to a dynamic CDS archive. Its output:" >&2
  cat "$scratch/log" >&2
  exit 1
fi
# The stamp first: the launcher uses the cache only when both exist and the stamp names this JDK
# and checkout (the JVM checks the class path too, but then silently runs without any archive).
echo "$java_home $root" >"$aot.stamp"
mv "$aot.tmp.$$" "$aot"
echo "aot-train: made $aot ($(($(stat -c %s "$aot") / 1048576)) MiB) in $((SECONDS - t0)) s"
