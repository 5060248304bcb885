#!/usr/bin/env bash
# tests/lost.sh TAALSPEL - nothing lost, end to end: for every transcript of
# the corpora (and the reader fixtures), the turns counted in the file by
# this script equal the utterances plus the failed turns that
# `taalspel code` reports for it, in one batch run on two threads.
# (tests/fuzz/fuzz_code.c checks the same promise on arbitrary bytes, for
# every input in tests/fuzz/regressions/code/, in C.)
set -eu
T=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=$({ ls corpora/sample/* tests/data/read/*.txt tests/data/read/*.vtt; find corpora/nl -type f -name '*.jsonl'; } 2>/dev/null |
        grep -E '\.(txt|jsonl|vtt|srt)$' | grep -v utf16 | sort)
# shellcheck disable=SC2086
"$T" code --rules rules/nl --quiet -j 2 --format jsonl $files > "$tmp/out.jsonl" 2> "$tmp/err" || true
python3 - "$tmp/out.jsonl" $files <<'PY'
import json, re, sys

out, files = sys.argv[1], sys.argv[2:]
got = {}
for line in open(out, encoding="utf-8"):
    o = json.loads(line)
    if o["type"] == "session":
        got[o["source"]] = o["scores"]["turns"]["total"] + o["scores"]["turns"]["failed"]

LABELS = {"t", "p", "h", "b", "hulpverlener", "therapeut", "coach", "begeleider", "professional",
          "interviewer", "c", "k", "client", "cliënt", "klant", "patient", "patiënt", "deelnemer"}

def count(path):
    data = open(path, "rb").read().decode("utf-8", "replace").lstrip("\ufeff")
    lines = re.split(r"\r\n|\r|\n", data)
    if path.endswith(".jsonl"):
        n = 0
        for l in lines:
            if not l.strip():
                continue
            o = json.loads(l)
            n += not (isinstance(o, dict) and o.get("type") == "meta")
        return n
    if path.endswith(".txt"):
        names = set(LABELS)
        n = 0
        for l in lines:
            m = re.match(r"#\s*(rollen|roles)\s*:(.*)", l.strip(), re.I)
            if m:
                names |= {p.split("=")[0].strip().lower() for p in m.group(2).split(",") if "=" in p}
                continue
            m = re.match(r"\s*([^:#]{1,64}?)\s*:(\s|$)", l)
            if m and m.group(1).lower() in names:
                n += 1
        return n
    # vtt / srt: a turn per change of speaker over the cue texts
    n, last, in_cue = 0, None, False
    for l in lines:
        if "-->" in l:
            in_cue = True
            continue
        if not l.strip():
            in_cue = False
        if not in_cue:
            continue
        m = re.match(r"<v(?:\.[^ >]*)? ([^>]+)>", l) or re.match(r"([A-Z][\w\- ]{0,40}):\s", l)
        if m:
            sp = m.group(1).strip().lower()
            if sp != last:
                n += 1
            last = sp
    return n

bad = 0
for f in files:
    want, have = count(f), got.get(f)
    if have != want:
        print("%s: %d turns in the file, %s out (utterances + failed)" % (f, want, have))
        bad += 1
print("%d files, %d turns, %d mismatches" % (len(files), sum(got.values()), bad))
sys.exit(1 if bad else 0)
PY
