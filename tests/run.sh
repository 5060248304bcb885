#!/usr/bin/env bash
# tests/run.sh BUILD_DIR - runs every test a developer must keep green.
# Used by `make test` (and `make asan` / `make valgrind` with TS_QUICK=1).
# Prints one line per step and closes with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
B=${1:-build}
T=$B/taalspel
pass=0; fail=0
VG=""
if [ "${TS_VALGRIND:-}" = 1 ]; then
  VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
  export CK_FORK=no
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() { # name, command...
  local name=$1; shift
  local t0=$(date +%s%N)
  if "$@" >"$tmp/out" 2>&1; then
    pass=$((pass+1)); printf 'ok   %-48s %6d ms\n' "$name" $(( ($(date +%s%N) - t0) / 1000000 ))
  else
    fail=$((fail+1)); printf 'FAIL %s\n' "$name"; sed 's/^/     /' "$tmp/out" | tail -40
  fi
}

# unit suites (one per module)
for t in "$B"/tests/check_*; do
  [ -x "$t" ] || continue
  step "unit $(basename "$t")" $VG "$t"
done

# the rule pack compiles and every rule's own examples pass
step "rules check rules/nl" $VG "$T" rules check rules/nl
step "rules test rules/nl" $VG "$T" rules test rules/nl

if [ -z "${TS_QUICK:-}" ]; then
  # the CLI and its contracts
  step "cli contract" bash tests/cli.sh "$T"
  # the gold corpora parse and evaluate (figures are reported, not asserted)
  step "eval corpora/nl parses" "$T" eval --rules rules/nl corpora/nl/dev corpora/nl/test
  # the codebook in docs/ is generated from the rules
  step "docs/codebook.md in sync" bash -c "'$T' rules doc --rules rules/nl | diff -u docs/codebook.md - "
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
