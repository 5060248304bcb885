#!/usr/bin/env bash
# tests/identity.sh TAALSPEL - the fast matcher is the reference matcher.
#
# `code --matcher fast` (the default: atom prefilter + native verification,
# src/atoms.c) must write byte-identical output to `--matcher reference`
# (every rule's PCRE2 on every sentence) over every file in corpora/, in
# every output format, and over seeded random transcripts built from the
# rule pack's own words (TS_IDENTITY_SEED, TS_IDENTITY_TURNS vary them).
set -eu
T=$1
R="--rules rules/nl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "identity.sh: $*" >&2; exit 1; }

same() { # label, args...
  local label=$1; shift
  "$T" code $R -j 2 --quiet "$@" > "$tmp/fast" 2> "$tmp/fast.err" || true
  "$T" code $R -j 2 --quiet --matcher reference "$@" > "$tmp/ref" 2> "$tmp/ref.err" || true
  [ -s "$tmp/ref" ] || fail "$label: the reference matcher wrote nothing"
  cmp -s "$tmp/fast" "$tmp/ref" || { diff "$tmp/ref" "$tmp/fast" | head -20 >&2; fail "$label: fast and reference output differ"; }
  cmp -s "$tmp/fast.err" "$tmp/ref.err" || { diff "$tmp/ref.err" "$tmp/fast.err" | head -20 >&2; fail "$label: diagnostics differ"; }
  echo "identical: $label ($(wc -c < "$tmp/fast") bytes)"
}

same "corpora/ jsonl" --format jsonl corpora
same "corpora/ json" --format json corpora
same "corpora/ csv" --format csv --sessions-csv "$tmp/s.csv" corpora

# seeded random transcripts from the lexicon and pattern words
python3 - "${TS_IDENTITY_SEED:-6}" "${TS_IDENTITY_TURNS:-4000}" "$tmp/random.txt" <<'PY'
import glob, random, re, sys
seed, turns, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
words = set()
for f in sorted(glob.glob("rules/nl/*.rules")):
    inlex = False
    for line in open(f, encoding="utf-8"):
        m = re.match(r"lexicon\s+\w+\s*:(.*)", line)
        if m:
            inlex, rest = True, m.group(1)
        elif inlex and line[:1] in " \t" and line.strip():
            rest = line
        else:
            inlex = False
            m = re.match(r"\s+(match|unless)\s+(.*)", line)
            if not m:
                continue
            rest = re.sub(r"[\[\]()|^$~!@<>_]|\b\d+\b", " ", m.group(2))
        for w in re.findall(r'"([^"]+)"|(\S+)', rest):
            w = (w[0] or w[1]).split("=")[0].rstrip("*")
            if w and not w.startswith("#"):
                words.add(w)
words = sorted(words) + [",", "eh", "7", "6,5", "Wat", "HOE", "'t", "cliënt", "...", "koffie", "fiets"]
rnd = random.Random(seed)
with open(out, "w", encoding="utf-8") as f:
    for t in range(turns):
        sents = []
        for s in range(rnd.randint(1, 3)):
            sents.append(" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 12))) + rnd.choice(["?", ".", "!", "...", "", "?"]))
        f.write(rnd.choice("TC") + ": " + " ".join(sents) + "\n")
PY
same "random transcript (seed ${TS_IDENTITY_SEED:-6})" --format jsonl "$tmp/random.txt"
echo "identity ok"
