#!/usr/bin/env python3
"""mkseeds.py OUTDIR - builds the fuzzers' seed corpus from the repository.

    OUTDIR/read_txt/   transcripts as txt     (sample, tests/data, the gold
    OUTDIR/read_jsonl/ ... as JSON Lines       corpora converted to every
    OUTDIR/read_vtt/   ... as WebVTT           format, whole and cut into
    OUTDIR/read_srt/   ... as SRT              short pieces)
    OUTDIR/token/      single turns (gold corpora, tests/cases)
    OUTDIR/rules/      rules/nl files, and one code + rule block at a time
    OUTDIR/code/       all of the transcripts above

Seeds are small on purpose (libFuzzer mutates short inputs fastest); the
whole files are kept too, capped at 64 KiB. Run by tests/fuzz/run.sh.
"""
import glob
import hashlib
import json
import os
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build-fuzz", "seeds")
CAP = 65536


def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = data[:CAP]
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def turns_of_jsonl(path):
    meta, turns = None, []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if o.get("type") == "meta":
            meta = o
        else:
            turns.append(o)
    return meta, turns


def ts(sec, comma=False):
    h, rem = divmod(sec, 3600)
    m, s = divmod(rem, 60)
    out = "%02d:%02d:%06.3f" % (h, m, s)
    return out.replace(".", ",") if comma else out


def as_txt(turns):
    roles = ", ".join(sorted({"%s=%s" % (t["speaker"], t["role"]) for t in turns if t.get("speaker") and t.get("role")}))
    return "# rollen: %s\n" % roles + "".join("%s: %s\n" % (t.get("speaker", "T"), t["text"]) for t in turns)


def as_vtt(turns):
    roles = ", ".join(sorted({"%s=%s" % (t["speaker"], t["role"]) for t in turns if t.get("speaker") and t.get("role")}))
    out, at = ["WEBVTT\n\nNOTE rollen: %s\n" % roles], 0.0
    for i, t in enumerate(turns):
        dur = 1 + len(t["text"]) / 15
        out.append("\n%d\n%s --> %s\n<v %s>%s</v>\n" % (i + 1, ts(at), ts(at + dur), t.get("speaker", "T"), t["text"]))
        at += dur
    return "".join(out)


def as_srt(turns):
    out, at = [], 0.0
    for i, t in enumerate(turns):
        dur = 1 + len(t["text"]) / 15
        out.append("%d\n%s --> %s\n%s: %s\n\n" % (i + 1, ts(at, True), ts(at + dur, True), t.get("speaker", "T"), t["text"]))
        at += dur
    return "".join(out)


def as_jsonl(meta, turns):
    lines = [json.dumps(meta, ensure_ascii=False)] if meta else []
    return "".join(l + "\n" for l in lines + [json.dumps(t, ensure_ascii=False) for t in turns])


def pieces(text, n=8):
    """The text cut into pieces of n lines (the first piece keeps headers)."""
    lines = text.splitlines(keepends=True)
    return ["".join(lines[i:i + n]) for i in range(0, len(lines), n)]


def main():
    gold = sorted(glob.glob(os.path.join(TOP, "corpora", "nl", "*", "*.jsonl")))
    for path in gold:
        meta, turns = turns_of_jsonl(path)
        forms = {"read_txt": as_txt(turns), "read_jsonl": as_jsonl(meta, turns), "read_vtt": as_vtt(turns),
                 "read_srt": as_srt(turns)}
        for target, text in forms.items():
            put(target, text)
            put("code", text)
            for k, p in enumerate(pieces(text, 12 if target.endswith(("vtt", "srt")) else 4)[:3]):
                put(target, p)
                if k == 0:
                    put("code", p)
        for t in turns[::3]:
            put("token", t["text"])
    for ext, target in (("txt", "read_txt"), ("jsonl", "read_jsonl"), ("vtt", "read_vtt"), ("srt", "read_srt")):
        for path in glob.glob(os.path.join(TOP, "corpora", "sample", "*." + ext)) + \
                glob.glob(os.path.join(TOP, "tests", "data", "read", "*." + ext)):
            data = open(path, "rb").read()
            put(target, data)
            put("code", data)
    for path in glob.glob(os.path.join(TOP, "tests", "cases", "*.cases")):
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith(("#", "=>")):
                for seg in line.split(">>"):
                    put("token", seg.split(":", 1)[-1].strip())
    # rules: whole files, the pack as one text, and small code+rule pairs
    files = sorted(glob.glob(os.path.join(TOP, "rules", "nl", "*.rules")))
    texts = {os.path.basename(p): open(p, encoding="utf-8").read() for p in files}
    for t in texts.values():
        put("rules", t)
    blocks, cur = [], []
    for name, t in texts.items():
        for line in t.splitlines(keepends=True):
            if line.strip() and not line[0].isspace() and not line.startswith("#"):
                if cur:
                    blocks.append("".join(cur))
                cur = []
            cur.append(line)
    if cur:
        blocks.append("".join(cur))
    codes = {b.split()[1]: b for b in blocks if b.startswith("code ")}
    lexicons = [b for b in blocks if b.startswith("lexicon ")]
    for b in [b for b in blocks if b.startswith("rule ")][::4]:
        code = next((l.split()[1] for l in b.splitlines() if l.strip().startswith("code ")), None)
        lex = "".join(l for l in lexicons if "@" + l.split()[1].rstrip(":") in b)
        put("rules", (codes.get(code, "") + "\n" + lex + "\n" + b))
    print("seeds in %s: %s" % (OUT, ", ".join("%s %d" % (d, len(os.listdir(os.path.join(OUT, d))))
                                             for d in sorted(os.listdir(OUT)))))


main()
