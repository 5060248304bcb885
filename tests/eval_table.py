#!/usr/bin/env python3
"""Dev and test evaluation side by side, as a Markdown table.

    python3 tests/eval_table.py TAALSPEL > docs/eval.md      (make eval)

Runs `taalspel eval --format json` on corpora/nl/dev and corpora/nl/test and
prints per-code support and F1 for both, the derived figures, Cohen's kappa
per family, and the conversation-structure agreement."""
import json
import subprocess
import sys

taalspel = sys.argv[1] if len(sys.argv) > 1 else "build/taalspel"


def run(split):
    out = subprocess.run([taalspel, "eval", "--rules", "rules/nl", "--format", "json", f"corpora/nl/{split}"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


dev, test = run("dev"), run("test")


def f(v):
    return "–" if v is None else f"{v:.2f}"


print(f"Evaluated with `taalspel eval` on corpora/nl: dev {dev['files']} sessions / {dev['gold_turns']} turns, "
      f"test {test['files']} sessions / {test['gold_turns']} turns (held out, never tuned on).\n")
print("| code | dev support | dev P | dev R | dev F1 | test support | test P | test R | test F1 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for code in sorted(dev["codes"]):
    d, t = dev["codes"][code], test["codes"].get(code, {})
    if code.startswith(("talk.", "interaction.")) or (d["support"] == 0 and t.get("support", 0) == 0):
        continue
    print(f"| `{code}` | {d['support']:.0f} | {f(d['precision'])} | {f(d['recall'])} | {f(d['f1'])} | "
          f"{t.get('support', 0):.0f} | {f(t.get('precision'))} | {f(t.get('recall'))} | {f(t.get('f1'))} |")
print()
print("| derived | dev support | dev F1 | test support | test F1 |")
print("|---|---:|---:|---:|---:|")
for name in dev["derived"]:
    d, t = dev["derived"][name], test["derived"][name]
    dv = d.get("f1", d.get("accuracy"))
    tv = t.get("f1", t.get("accuracy"))
    label = name + (" (accuracy)" if "accuracy" in d else "")
    print(f"| {label} | {d['support']:.0f} | {f(dv)} | {t['support']:.0f} | {f(tv)} |")
print()
print("| Cohen's kappa | dev | test |")
print("|---|---:|---:|")
for k in dev["kappa"]:
    print(f"| {k.replace('_', ' ')} | {f(dev['kappa'][k])} | {f(test['kappa'][k])} |")
print()
print("| conversation structure | dev accuracy | dev kappa | test accuracy | test kappa |")
print("|---|---:|---:|---:|---:|")
for k in dev["structure"]:
    d, t = dev["structure"][k], test["structure"][k]
    print(f"| {k} | {f(d.get('accuracy'))} | {f(d.get('kappa'))} | {f(t.get('accuracy'))} | {f(t.get('kappa'))} |")
