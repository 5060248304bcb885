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
  export TS_PCRE2_NO_JIT=1 # valgrind reports PCRE2's JIT code as uninitialised reads
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

# what the fuzzers found (tests/fuzz/regressions/<target>/), replayed and
# checked against the promises in tests/fuzz/fuzz.h; an input slower than
# the bound fails too (slow inputs are kept as regressions)
RT=${TS_REPLAY_MAX_MS:-10000}
[ -n "$VG" ] && RT=${TS_REPLAY_MAX_MS:-120000}
for t in read_txt read_jsonl read_vtt read_srt token rules code; do
  if [ ! -x "$B/fuzz/replay_$t" ]; then
    fail=$((fail+1)); echo "FAIL fuzz regressions $t ($B/fuzz/replay_$t not built)"; continue
  fi
  step "fuzz regressions $t" $VG "$B/fuzz/replay_$t" -t "$RT" "tests/fuzz/regressions/$t"
done

if [ -z "${TS_QUICK:-}" ]; then
  # the CLI and its contracts
  step "cli contract" bash tests/cli.sh "$T"
  # the fast matcher writes exactly what the reference (PCRE2) matcher writes
  step "fast matcher == reference (corpora, random)" bash tests/identity.sh "$T"
  # the gold corpora parse and evaluate (figures are reported, not asserted)
  step "eval corpora/nl parses" "$T" eval --rules rules/nl corpora/nl/dev corpora/nl/test corpora/nl/second-annotation/test
  # the HTML report in headless Chromium (installed by `make browser-deps`)
  if command -v chromium >/dev/null 2>&1; then
    step "report in headless Chromium" env TS_DOC_SHOTS="$tmp" bash tests/browser/run.sh "$B"
  else
    echo "skip report in headless Chromium (chromium missing: make browser-deps)"
  fi
  # the codebook in docs/ is generated from the rules
  step "docs/codebook.md in sync" bash -c "'$T' rules doc --rules rules/nl | diff -u docs/codebook.md - "
  # nothing lost: every turn of every corpus transcript is coded or reported
  # (the C check of tests/fuzz/fuzz_code.c, and end to end through the CLI)
  step "nothing lost: corpora through fuzz_code" "$B/fuzz/replay_code" corpora/sample corpora/nl/dev corpora/nl/test tests/data/read
  step "nothing lost: corpora through the CLI" bash tests/lost.sh "$T"
  # -o is written atomically, also when the run is interrupted
  step "atomic output (SIGINT, SIGTERM, SIGHUP)" bash tests/atomic.sh "$T"
  # the quick suite again under ASan+UBSan, and under valgrind memcheck
  # (TS_NO_SANITIZERS=1 skips both, for a fast local loop)
  if [ -z "${TS_NO_SANITIZERS:-}" ]; then
    step "asan+ubsan: quick suite (make asan)" make -s asan
    step "valgrind memcheck: quick suite (make valgrind)" make -s valgrind
  fi
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
