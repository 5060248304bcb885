#!/usr/bin/env bash
# tests/atomic.sh TAALSPEL - output files are written atomically: FILE is
# either absent or complete, and an interrupted run (SIGINT, SIGTERM, SIGHUP)
# leaves neither FILE nor its FILE.tmp.PID behind.
#
# The run is held mid-way deterministically: the input is a FIFO, so
# taalspel has created its temp output and blocks reading the transcript
# (a few turns are already written to it) when the signal arrives. Also: a
# FIFO met while walking a corpus directory is skipped, not waited on.
set -eu
set -m # job control: background jobs get SIGINT like a foreground one
T=$1
R="--rules rules/nl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "atomic.sh: $*" >&2; exit 1; }

# one interrupted run: command words after the signal name; $out the output
interrupt() {
  local sig=$1 out=$2; shift 2
  rm -f "$tmp/in.txt"; mkfifo "$tmp/in.txt"
  "$T" "$@" "$tmp/in.txt" 2>"$tmp/err" &
  local pid=$!
  exec 3>"$tmp/in.txt"                  # unblocks taalspel's open()
  printf 'T: Hoe gaat het?\nC: Goed.\nT: Fijn.\n' >&3
  for _ in $(seq 100); do               # wait for the temp file
    ls "$tmp" | grep -q "^$(basename "$out")\.tmp\.$pid\$" && break
    sleep 0.05
  done
  ls "$tmp" | grep -q "\.tmp\.$pid\$" || fail "$*: no temp file while running"
  sleep 0.2
  kill -s "$sig" "$pid"
  local rc=0
  wait "$pid" || rc=$?
  exec 3>&-
  [ "$rc" -gt 128 ] || fail "$sig: taalspel $* exited $rc, not by the signal"
  [ ! -e "$out" ] || fail "$sig: $out exists after an interrupted run"
  if ls "$tmp" | grep -q '\.tmp\.'; then fail "$sig: temp file left behind: $(ls "$tmp")"; fi
}

interrupt INT "$tmp/o.json" code $R -o "$tmp/o.json"
interrupt TERM "$tmp/o.csv" code $R --format csv -o "$tmp/o.csv"
[ ! -e "$tmp/o.sessions.csv" ] || fail "sessions csv written by an interrupted run"
interrupt HUP "$tmp/v.html" report $R -o "$tmp/v.html"

# a finished run: the complete file, no temp file
printf 'T: Hoe gaat het?\nC: Goed.\n' > "$tmp/s.txt"
"$T" code $R -o "$tmp/ok.json" "$tmp/s.txt"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["utterances"]) == 2' "$tmp/ok.json" \
  || fail "the finished output is not complete JSON"
"$T" code $R --format csv -o "$tmp/ok.csv" "$tmp/s.txt"
[ -s "$tmp/ok.csv" ] && [ -s "$tmp/ok.sessions.csv" ] || fail "csv outputs missing"
if ls "$tmp" | grep -q '\.tmp\.'; then fail "temp file left behind by a finished run"; fi

# an output that cannot be written: an error, and no temp file
set +e; "$T" code $R -o "$tmp/nodir/x.json" "$tmp/s.txt" 2>"$tmp/err"; rc=$?; set -e
[ $rc = 1 ] || fail "unwritable output should exit 1, got $rc"
grep -q "cannot write" "$tmp/err" || fail "no 'cannot write' error: $(cat "$tmp/err")"
# a FIFO inside a corpus directory is skipped, not waited on forever
mkdir "$tmp/dir"; cp "$tmp/s.txt" "$tmp/dir/"; mkfifo "$tmp/dir/pijp.txt"
timeout 20 "$T" code $R --format jsonl "$tmp/dir" > "$tmp/dir.jsonl" || fail "a FIFO in a directory blocked or failed the run"
[ "$(grep -c '"type":"utterance"' "$tmp/dir.jsonl")" = 2 ] || fail "the regular file next to the FIFO was not coded"
echo "atomic ok"
