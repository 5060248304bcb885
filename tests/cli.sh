#!/usr/bin/env bash
# tests/cli.sh TAALSPEL - end-to-end checks of the command line and the
# output contract (golden JSON of the sample session, formats agree, exit
# codes, errors with file:line).
set -eu
T=$1
R="--rules rules/nl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli.sh: $*" >&2; exit 1; }

# --help teaches, --version answers, usage errors exit 2
"$T" --help | grep -q "taalspel code" || fail "--help lacks 'taalspel code'"
"$T" --version | grep -q '^taalspel ' || fail "--version"
set +e; "$T" code --bogus x >/dev/null 2>&1; rc=$?; set -e
[ $rc = 2 ] || fail "unknown option should exit 2, got $rc"

# golden JSON of the sample session (regenerate with: make golden)
"$T" code $R corpora/sample/sessie.txt > "$tmp/sessie.json"
diff -u tests/golden/sessie.json "$tmp/sessie.json" || fail "output differs from tests/golden/sessie.json (if intended: make golden)"

# the same session as txt, jsonl, vtt, srt gives the same utterances (times aside)
for f in txt jsonl vtt srt; do
  "$T" code $R --roles Marieke=professional,Daan=client --format jsonl corpora/sample/sessie.$f > "$tmp/s.$f.jsonl"
  python3 - "$tmp/s.$f.jsonl" > "$tmp/u.$f" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if o["type"] == "utterance":
        print(json.dumps([o["index"], o["speaker"], o["role"], o["text"], o["sentences"], o["codes"]], ensure_ascii=False))
PY
done
for f in jsonl vtt srt; do diff -u "$tmp/u.txt" "$tmp/u.$f" || fail "sessie.$f differs from sessie.txt"; done

# an unknown speaker label is an error with file:line and the fix, exit 1
printf 'T: Hoe gaat het?\nSanne: Goed.\n' > "$tmp/bad.txt"
set +e; "$T" code $R "$tmp/bad.txt" > /dev/null 2> "$tmp/err"; rc=$?; set -e
[ $rc = 1 ] || fail "unknown label should exit 1, got $rc"
grep -q "bad.txt:2:" "$tmp/err" || fail "unknown label error lacks file:line: $(cat "$tmp/err")"
grep -q "rollen" "$tmp/err" || fail "unknown label error lacks the fix"

# a bad file does not stop a batch: the good one is coded, the summary counts
cp corpora/sample/sessie.txt "$tmp/good.txt"
set +e; "$T" code $R --format jsonl "$tmp/good.txt" "$tmp/bad.txt" "$tmp/missing.txt" > "$tmp/batch.jsonl" 2> "$tmp/err"; rc=$?; set -e
[ $rc = 1 ] || fail "batch with bad files should exit 1"
grep -q '"type":"session","source":"'"$tmp"'/good.txt"' "$tmp/batch.jsonl" || fail "good file not coded in a failing batch"
grep -q "3 files" "$tmp/err" || fail "no batch summary: $(cat "$tmp/err")"

# stdin
"$T" code $R --format jsonl - < corpora/sample/sessie.txt | grep -q '"type":"session"' || fail "stdin"

# -o writes atomically: no temp file left behind
"$T" code $R -o "$tmp/o.json" corpora/sample/sessie.txt
[ -s "$tmp/o.json" ] || fail "-o wrote nothing"
ls "$tmp" | grep -q '\.tmp\.' && fail "temp file left behind"

# rules check reports file:line:col and exits 1
mkdir -p "$tmp/r"
printf 'code x.y\n  role professional\n  explain Test.\n\nrule r1\n  code x.z\n  match @nope\n  explain T.\n' > "$tmp/r/a.rules"
set +e; "$T" rules check "$tmp/r" > "$tmp/err" 2>&1; rc=$?; set -e
[ $rc = 1 ] || fail "rules check on broken rules should exit 1"
grep -q "a.rules:6:8: error: unknown code 'x.z'" "$tmp/err" || fail "rules check message: $(cat "$tmp/err")"
grep -q "a.rules:7:9: error: unknown lexicon '@nope'" "$tmp/err" || fail "rules check message: $(cat "$tmp/err")"
echo "cli ok"
