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

# --- batch runs, exports and merge (issue: scores, exports, batch) ---------
# -j 1 and -j 2 give byte-identical output over the whole corpus
"$T" code $R --quiet -j 1 --format jsonl corpora/nl > "$tmp/j1.jsonl"
"$T" code $R --quiet -j 2 --format jsonl corpora/nl > "$tmp/j2.jsonl"
cmp "$tmp/j1.jsonl" "$tmp/j2.jsonl" || fail "-j 1 and -j 2 differ"

# the CSV tables read back in Python's csv module with the right shape
"$T" code $R --quiet --format csv -o "$tmp/corpus.csv" corpora/nl
python3 - "$tmp/corpus.csv" "$tmp/corpus.sessions.csv" "$tmp/j1.jsonl" <<'PY' || fail "CSV does not read back"
import csv, json, sys
turns = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
sess = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
j = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
nu = sum(1 for o in j if o["type"] == "utterance")
ns = sum(1 for o in j if o["type"] == "session")
assert turns[0] == ["source", "index", "speaker", "role", "start", "end", "text", "codes"], turns[0]
assert len(turns) - 1 == nu, (len(turns) - 1, nu)
assert all(len(r) == 8 for r in turns), "ragged turn rows"
assert len(sess) - 1 == ns, (len(sess) - 1, ns)
assert all(len(r) == len(sess[0]) for r in sess), "ragged session rows"
# text with commas, quotes and newlines survives
texts = [o["text"] for o in j if o["type"] == "utterance"]
assert [r[6] for r in turns[1:]] == texts
PY

# shard-and-merge with the GNU parallel recipe equals one run
"$T" merge "$tmp/j1.jsonl" > "$tmp/whole.json"

mkdir -p "$tmp/bin"
printf '#!/bin/sh\nif [ "$1" = code ]; then shift; exec %s code --rules %s/rules/nl "$@"; fi\nexec %s "$@"\n' "$(realpath "$T")" "$PWD" "$(realpath "$T")" > "$tmp/bin/taalspel"
chmod +x "$tmp/bin/taalspel"
TAALSPEL="$tmp/bin/taalspel" bash docs/recipes/parallel.sh corpora/nl "$tmp/shards" 3 -- -j 2 > /dev/null
cmp <(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(json.dumps(o["scores"], sort_keys=True)); print(o["merged"])' "$tmp/whole.json") \
    <(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(json.dumps(o["scores"], sort_keys=True)); print(o["merged"])' "$tmp/shards/merged.json") \
  || fail "merged shards differ from one run"
echo "batch ok"

# make install with DESTDIR/PREFIX: the installed binary finds its rules, the
# man page and the pkg-config file are there, and the public header compiles
make -s install DESTDIR="$tmp/inst" PREFIX=/usr BUILD="$(dirname "$T")" > /dev/null
( cd "$tmp" && env -u TAALSPEL_RULES "$tmp/inst/usr/bin/taalspel" explain "Waarom?" | grep -q question.why ) || fail "installed binary does not find its rules"
[ -f "$tmp/inst/usr/share/man/man1/taalspel.1" ] || fail "man page not installed"
grep -q '^Libs: -L${libdir} -ltaalspel' "$tmp/inst/usr/lib/pkgconfig/taalspel.pc" || fail "pkg-config file"
printf '#include <taalspel.h>\n#include <stdio.h>\nint main(void){puts(ts_version());return 0;}\n' > "$tmp/v.c"
cc -I"$tmp/inst/usr/include" "$tmp/v.c" "$tmp/inst/usr/lib/libtaalspel.a" $(pkg-config --libs libpcre2-8 libutf8proc libcjson) -lm -pthread -o "$tmp/v" && "$tmp/v" | grep -q . || fail "public header + library"
echo "install ok"
