#!/bin/sh
# Per-code F1 per group of dev writers (tests/eval_groups.py), the groups
# the cross-validated tuning rounds rotate over (corpora/README.md):
#   A-G = dev01-42, H-J = dev43-60, K-M = dev61-78, N-P = dev79-96, Q = dev97-102.
# usage: tests/eval_writers.sh [TAALSPEL]
d=corpora/nl/dev
exec python3 tests/eval_groups.py "${1:-build/taalspel}" \
  "A-G=$d/dev0*,$d/dev1[0-9]-*,$d/dev2*,$d/dev3*,$d/dev4[0-2]*" \
  "H-J=$d/dev4[3-9]*,$d/dev5*,$d/dev60*" "K-M=$d/dev6[1-9]*,$d/dev7*" \
  "N-P=$d/dev79*,$d/dev8*,$d/dev9[0-6]*" "Q=$d/dev9[7-9]*,$d/dev10[0-2]*"
