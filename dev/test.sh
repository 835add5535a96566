#!/usr/bin/env bash
# `make test`: unit and integration tests of every module against the real local servers, then the
# benchmark smoke run. Reuses servers that already run; stops only the ones it started (also on
# failure or Ctrl-C). Ends with a table of each phase's wall time and a test count line.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
JAVA_HOME=$(dev/find-jdk.sh) || exit 1
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

phases=() times=() results=()
failed=0
started=()
marker=$(mktemp)   # test reports newer than this file belong to this run

stamp() { printf '\n=== [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Runs phase $1 with command "${@:2}", recording its wall time and result.
phase() {
  local name=$1; shift
  stamp "$name: $*"
  local t0=$SECONDS rc=0
  "$@" || rc=$?
  phases+=("$name"); times+=($((SECONDS - t0)))
  if ((rc == 0)); then results+=(ok); else results+=("FAILED (exit $rc)"); failed=1; fi
  return "$rc"
}

skip() { phases+=("$1"); times+=(0); results+=("skipped: $2"); }

count_tests() { # prints "N passed, N failed, N skipped" over this run's surefire and failsafe reports
  local tests=0 failures=0 errors=0 skipped=0 f head
  while IFS= read -r f; do
    head=$(grep -m1 -o '<testsuite [^>]*>' "$f") || continue
    tests=$((tests + $(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$head")))
    failures=$((failures + $(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$head")))
    errors=$((errors + $(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$head")))
    skipped=$((skipped + $(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$head")))
  done < <(find . -path '*/target/*-reports/TEST-*.xml' -newer "$marker" 2>/dev/null)
  printf '%d passed, %d failed, %d skipped\n' $((tests - failures - errors - skipped)) $((failures + errors)) "$skipped"
}

summary() {
  if ((${#started[@]})); then
    phase infra-down dev/infra.sh down "${started[@]}" || true
  else
    skip infra-down "servers were already running; left running"
  fi
  printf '\n%-28s %8s  %s\n' PHASE WALL RESULT
  local i
  for i in "${!phases[@]}"; do
    printf '%-28s %7ss  %s\n' "${phases[i]}" "${times[i]}" "${results[i]}"
  done
  printf '\ntests: %s\n' "$(count_tests)"
  rm -f "$marker"
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  summary
  ((failed)) && rc=1
  exit "$rc"
}
trap on_exit EXIT
trap 'failed=1; exit 130' INT TERM

# dev/infra.sh names the servers it starts in this file (not those that already run): only those are
# ours to stop, even if another process starts or uses servers at the same time.
started_file=$(mktemp)
phase infra-up env LIFEBOAT_INFRA_STARTED_FILE="$started_file" bash -c 'dev/infra.sh up >/dev/null'
infra_rc=$?
mapfile -t started <"$started_file"
rm -f "$started_file"
if ((infra_rc == 0)); then
  # LIFEBOAT_TEST_MVN_ARGS narrows the build while iterating, e.g. "-pl testing,common -am".
  # shellcheck disable=SC2086
  if phase build+unit+integration ./mvnw -B --no-transfer-progress ${LIFEBOAT_TEST_MVN_ARGS:-} verify; then
    if [[ -e bench/run.sh ]]; then
      phase bench-smoke make --no-print-directory bench-smoke || true
    else
      skip bench-smoke "bench/run.sh does not exist yet"
    fi
  else
    skip bench-smoke "the build failed"
  fi
else
  skip build+unit+integration "infra-up failed"
  skip bench-smoke "infra-up failed"
fi
