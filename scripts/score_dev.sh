#!/usr/bin/env bash
# Development aid: build the seeds and both dev page folders into a fresh warehouse and score it against each
# gold file in ../shared/eval (the same measurement the before-stop hook makes). Usage: scripts/score_dev.sh [--details]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(cd .. && pwd)/shared
t=$(mktemp -d)
mkdir -p "$t/in"
cp "$shared"/seeds/* "$shared"/corpus/pages/*.txt "$shared"/corpus/pages2/*.txt "$t/in/"
.venv/bin/nianbao build "$t/in" --warehouse "$t/wh.duckdb" >"$t/log" 2>&1 || { tail -20 "$t/log"; exit 1; }
for g in seeds_gold dev_gold dev_gold2; do
  echo "== $g"
  .venv/bin/python "$shared/eval/score.py" --warehouse "$t/wh.duckdb" --gold "$shared/eval/$g.jsonl" "$@" | tail -n "${TAILN:-200}"
done
echo "warehouse: $t/wh.duckdb"
