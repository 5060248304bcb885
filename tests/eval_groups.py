#!/usr/bin/env python3
"""Per-code F1 for several groups of gold files side by side (e.g. one column
per writer), to see whether a rule change helps every writer or only some.

    python3 tests/eval_groups.py build/taalspel A=corpora/nl/dev/dev0[1-9]* H='corpora/nl/dev/dev4[3-8]*' ...

Each group is NAME=GLOB[,GLOB...] (shell-style, quoted). Prints support/F1 per code
and group, then the derived figures and kappas."""
import glob
import json
import subprocess
import sys

if len(sys.argv) < 3:
    sys.exit(__doc__)
taalspel = sys.argv[1]
groups = []
for arg in sys.argv[2:]:
    name, _, pat = arg.partition("=")
    files = sorted({f for p in pat.split(",") for f in glob.glob(p)})
    if not files:
        sys.exit(f"eval_groups: no files for {arg}")
    out = subprocess.run([taalspel, "eval", "--rules", "rules/nl", "--format", "json"] + files,
                         check=True, capture_output=True, text=True).stdout
    groups.append((name, json.loads(out)))


def f(v):
    return "   –" if v is None else f"{v:4.2f}"


codes = sorted({c for _, d in groups for c, v in d["codes"].items()
                if (v["support"] or v.get("predicted", 0)) and not c.startswith(("talk.", "interaction."))})
print(f"{'code':28s}" + "".join(f" {n:>12s}" for n, _ in groups))
for c in codes:
    row = f"{c:28s}"
    for _, d in groups:
        v = d["codes"].get(c)
        sup = v["support"] if v else 0
        row += f" {sup:5.0f} {f(v['f1'] if v else None):>6s}"
    print(row)
print()
for k in groups[0][1]["derived"]:
    row = f"{k:28s}"
    for _, d in groups:
        v = d["derived"].get(k, {})
        row += f" {v.get('support', 0):5.0f} {f(v.get('f1', v.get('accuracy'))):>6s}"
    print(row)
for k in groups[0][1]["kappa"]:
    print(f"{'kappa ' + k:28s}" + "".join(f"       {f(d['kappa'].get(k)):>6s}" for _, d in groups))
for k in groups[0][1]["structure"]:
    print(f"{'structure ' + k:28s}" + "".join(f"       {f(d['structure'][k].get('accuracy')):>6s}" for _, d in groups))
