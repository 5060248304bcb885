#!/usr/bin/env bash
# Code a corpus in shards with GNU parallel, then merge the shard results.
#
#   docs/recipes/parallel.sh CORPUS_DIR OUT_DIR [SHARDS] [-- parallel options]
#
# Local cores:      docs/recipes/parallel.sh corpus/ results/ 8
# Several machines: docs/recipes/parallel.sh corpus/ results/ 32 -- --sshlogin 8/host1,8/host2 --transferfile {} --return {.}.jsonl
#   (each host needs taalspel installed: `make install` puts the rule pack
#    where the binary finds it.)
# Each shard is one `taalspel code --format jsonl` run; `taalspel merge`
# sums the raw counters of every session and recomputes the ratios, so the
# merged totals equal those of a single run over the whole corpus.
set -euo pipefail
corpus=$1; out=$2; shards=${3:-4}
shift $(( $# >= 3 ? 3 : $# ))
[ "${1:-}" = "--" ] && shift
TAALSPEL=${TAALSPEL:-taalspel}
mkdir -p "$out"
# the file list, split round-robin into shards (sorted, so shards are stable)
find "$corpus" -type f \( -name '*.txt' -o -name '*.jsonl' -o -name '*.vtt' -o -name '*.srt' \) | sort > "$out/files"
split -n "r/$shards" -d "$out/files" "$out/shard."
ls "$out"/shard.* | parallel "$@" "$TAALSPEL code --quiet -j 1 --format jsonl -o {}.jsonl \$(cat {})"
$TAALSPEL merge "$out"/shard.*.jsonl -o "$out/merged.json"
echo "merged $(ls "$out"/shard.*.jsonl | wc -l) shards into $out/merged.json"
