#!/bin/sh
# Per-code F1 per group of dev writers (tests/eval_groups.py):
#   old = writers A-G (dev01-42), H = dev43-48, I = dev49-54, J = dev55-60.
# usage: tests/eval_writers.sh [TAALSPEL]
d=corpora/nl/dev
exec python3 tests/eval_groups.py "${1:-build/taalspel}" \
  "A-G=$d/dev0*,$d/dev1*,$d/dev2*,$d/dev3*,$d/dev40*,$d/dev41*,$d/dev42*" \
  "H=$d/dev4[3-8]*" "I=$d/dev49*,$d/dev5[0-4]*" "J=$d/dev5[5-9]*,$d/dev60*"
