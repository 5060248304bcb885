#!/usr/bin/env python3
"""Agreement between two human annotations of the same sessions (inter-
annotator reliability), with the unit and the figures of `taalspel eval`, so
the two tables can be read side by side: per code F1 between annotator A and
annotator B (symmetric: it does not matter who is "gold"), the derived
figures, and Cohen's kappa per family.

    python3 tests/agreement.py corpora/nl/test /path/to/second/annotation [--json]

Files are matched by name and turns by position (the second annotation must
hold the same turns in the same order; the session header is skipped). A
turn's codes are compared as a set, once per turn, as taalspel eval does.
Families (as src/eval.c):
  question type    professional turns: none / open / closed (open wins)
  reflection type  professional turns: none / simple / complex (complex,
                   double-sided and summary count as complex)
  client talk      client turns: neutral / change / sustain / mixed
"""
import json
import os
import sys


def turns(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            if d.get("type") == "meta":
                continue
            codes, value = set(), None
            for g in d.get("gold", []):
                if isinstance(g, dict):
                    codes.add(g["code"])
                    if g["code"] == "scale.answer":
                        value = g.get("value")
                else:
                    codes.add(g)
            out.append((d.get("role"), d.get("text"), codes, value))
    return out


def qtype(c):
    return "open" if "question.open" in c else "closed" if "question.closed" in c else "none"


def rtype(c):
    if c & {"reflection.complex", "reflection.double_sided", "summary"}:
        return "complex"
    return "simple" if "reflection.simple" in c else "none"


def ctype(c):
    ch = any(x.startswith("change_talk.") for x in c)
    su = any(x.startswith("sustain_talk.") for x in c)
    return "mixed" if ch and su else "change" if ch else "sustain" if su else "neutral"


def kappa(pairs):
    if not pairs:
        return None
    labels = sorted({x for p in pairs for x in p})
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    pe = sum((sum(a == l for a, _ in pairs) / n) * (sum(b == l for _, b in pairs) / n) for l in labels)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def f1(tp, fp, fn):
    return None if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    da, db = args
    names = sorted(n for n in os.listdir(db) if n.endswith(".jsonl"))
    if not names:
        sys.exit(f"agreement: no .jsonl files in {db}")
    counts, q, r, c = {}, [], [], []
    refl = [0, 0, 0]
    ch = [0, 0, 0]
    su = [0, 0, 0]
    scale = [0, 0, 0]
    sc_n = sc_agree = 0
    nturns = 0
    for name in names:
        a, b = turns(os.path.join(da, name)), turns(os.path.join(db, name))
        if len(a) != len(b):
            sys.exit(f"agreement: {name}: {len(a)} turns in A, {len(b)} in B")
        for (role, text, ca, va), (role_b, text_b, cb, vb) in zip(a, b):
            if text != text_b:
                sys.exit(f"agreement: {name}: turns differ ({text[:40]!r} / {text_b[:40]!r})")
            nturns += 1
            for code in ca | cb:
                t = counts.setdefault(code, [0, 0, 0])
                t[0 if code in ca and code in cb else 1 if code in ca else 2] += 1

            def tally(v, x, y):
                v[0 if x and y else 1 if x else 2] += 1 if (x or y) else 0
            if role == "professional":
                q.append((qtype(ca), qtype(cb)))
                r.append((rtype(ca), rtype(cb)))
                tally(refl, rtype(ca) != "none", rtype(cb) != "none")
                if rtype(ca) != "none" and rtype(cb) != "none":
                    sc_n += 1
                    sc_agree += rtype(ca) == rtype(cb)
            elif role == "client":
                c.append((ctype(ca), ctype(cb)))
                tally(ch, ctype(ca) in ("change", "mixed"), ctype(cb) in ("change", "mixed"))
                tally(su, ctype(ca) in ("sustain", "mixed"), ctype(cb) in ("sustain", "mixed"))
                sa, sb = "scale.answer" in ca, "scale.answer" in cb
                same = sa and sb and va is not None and vb is not None and abs(va - vb) <= 0.01
                if sa or sb:
                    scale[0 if same else 1 if sa else 2] += 1
                    if sa and sb and not same:
                        scale[2] += 1  # a wrong value: a miss and a false hit
    res = {
        "files": len(names), "turns": nturns,
        "codes": {k: {"a": v[0] + v[1], "b": v[0] + v[2], "f1": f1(*v)} for k, v in sorted(counts.items())},
        "derived": {
            "reflection (any)": f1(*refl), "change talk (any)": f1(*ch), "sustain talk (any)": f1(*su),
            "scale.answer (exact value)": f1(*scale),
            "simple vs complex": sc_agree / sc_n if sc_n else None,
        },
        "kappa": {"question_type": kappa(q), "reflection_type": kappa(r), "client_talk": kappa(c)},
    }
    if "--json" in sys.argv:
        json.dump(res, sys.stdout, indent=1)
        print()
        return

    def fm(x):
        return "   –" if x is None else f"{x:4.2f}"
    print(f"{res['files']} files, {nturns} turns; A = {da}, B = {db}")
    print(f"{'code':28s} {'A':>5s} {'B':>5s} {'F1':>5s}")
    for k, v in res["codes"].items():
        if k.startswith(("talk.", "interaction.")):
            continue
        print(f"{k:28s} {v['a']:5d} {v['b']:5d} {fm(v['f1']):>5s}")
    print()
    for k, v in res["derived"].items():
        print(f"{k:28s} {fm(v):>17s}")
    for k, v in res["kappa"].items():
        print(f"kappa {k:22s} {fm(v):>17s}")


if __name__ == "__main__":
    main()
