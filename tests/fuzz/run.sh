#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS TARGET... - runs each libFuzzer target (built by
# `make fuzz-build` into build-fuzz/) for SECONDS on its corpus.
#
#   build-fuzz/seeds/<t>      seeds from corpora/, rules/, tests/ (mkseeds.py)
#   build-fuzz/corpus/<t>     what the fuzzer grew; kept between runs
#   build-fuzz/artifacts/<t>/ crashes (crash-*), hangs (timeout-*), slow
#                             inputs (slow-unit-*), memory blow-ups (oom-*)
#
# Also read: tests/fuzz/regressions/<t> (earlier finds). FUZZ_JOBS=2 runs two
# targets at once; FUZZ_KEEP_GOING=1 keeps fuzzing after a find (libFuzzer
# -fork=1 -ignore_crashes=1), for long unattended runs. Each run appends
# "date target seconds cpu-seconds execs" to build-fuzz/logs/runs.tsv, from
# which the CPU hours in tests/fuzz/README.md are summed. Exits 1 if any
# target found something; the summary says how to keep it.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}; shift
targets=${*:-read_txt read_jsonl read_vtt read_srt token rules code}
F=build-fuzz
python3 tests/fuzz/mkseeds.py "$F/seeds" >/dev/null
found=0

run_one() {
  local t=$1
  mkdir -p "$F/corpus/$t" "$F/artifacts/$t" "$F/logs" "$F/seeds/$t" "tests/fuzz/regressions/$t"
  # -timeout: an input over 10 s is a hang; -report_slow_units keeps inputs
  # over 2 s as slow-unit-*; -rss_limit_mb bounds memory per input.
  local keep=""
  [ "${FUZZ_KEEP_GOING:-}" = 1 ] && keep="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
  local c0 c1 me=$BASHPID # (inside $(...) BASHPID would be the subshell's)
  c0=$(awk '{print $14+$15+$16+$17}' "/proc/$me/stat" 2>/dev/null)
  # shellcheck disable=SC2086
  "$F/fuzz_$t" $keep -max_total_time="$secs" -timeout=10 -report_slow_units=2 -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 -dict="tests/fuzz/dict/$t.dict" \
    -artifact_prefix="$F/artifacts/$t/" "$F/corpus/$t" "$F/seeds/$t" "tests/fuzz/regressions/$t" \
    </dev/null >"$F/logs/$t.log" 2>&1
  local rc=$?
  c1=$(awk '{print $14+$15+$16+$17}' "/proc/$me/stat" 2>/dev/null)
  local execs cpu
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$F/logs/$t.log" | grep -o '[0-9]*$' | tail -1)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$F/logs/$t.log" | tr -d '#' | sort -n | tail -1)
  cpu=$(( (${c1:-0} - ${c0:-0}) / $(getconf CLK_TCK) ))
  printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$secs" "$cpu" "${execs:-?}" >> "$F/logs/runs.tsv"
  printf '%-12s %5ss  %10s execs  corpus %5s  exit %s\n' "$t" "$secs" "${execs:-?}" \
    "$(ls "$F/corpus/$t" | wc -l)" "$rc"
  return $rc
}

if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
  pids=()
  for t in $targets; do run_one "$t" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || found=1; done
else
  for t in $targets; do run_one "$t" || found=1; done
fi

arts=$(find "$F/artifacts" -type f 2>/dev/null | sort)
if [ -n "$arts" ]; then
  echo "found (see build-fuzz/logs/<target>.log for the stack):"
  echo "$arts" | sed 's/^/  /'
  echo "minimise:  build-fuzz/fuzz_<t> -minimize_crash=1 -runs=100000 -exact_artifact_path=tests/fuzz/regressions/<t>/NAME FILE"
  echo "then fix it; make test replays tests/fuzz/regressions/ in every build."
  found=1
fi
exit $found
