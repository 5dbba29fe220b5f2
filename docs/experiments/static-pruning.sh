#!/usr/bin/env bash
# Static data pruning on Fashion-MNIST: test accuracy against the kept fraction for four selection policies,
# every run trained with the same recipe (conf/fashion-mnist.conf, EPOCHS passes over the kept data).
# Usage: docs/experiments/static-pruning.sh [WORK_DIR]   (about 30 min on 2 cores)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
efftrain="$here/bin/efftrain"
conf="$here/conf/fashion-mnist.conf"
work="${1:-/tmp/efftrain-static-pruning}"
epochs="${EPOCHS:-3}"
mkdir -p "$work"
recipe=(--set train.budget.epochs="$epochs" --set train.budget.wall-clock=null --set train.evaluation.every-epochs=null)

"$efftrain" prepare "$conf" --out "$work/full" 2>/dev/null || true   # exists already on a rerun
"$efftrain" score "$conf" --in "$work/full" --out "$work/scores"

accuracy() { # run directory -> test accuracy
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]+'/summary.json'))['test_accuracy'])" "$1"
}
echo "policy fraction train_examples test_accuracy" > "$work/results.txt"
"$efftrain" run "$conf" --run-dir "$work/run-full" --overwrite --set data.source=table \
  --set data.table="\"$work/full\"" "${recipe[@]}" > /dev/null
echo "all 1.0 60000 $(accuracy "$work/run-full")" >> "$work/results.txt"
for policy in random hardest moderate stratified; do
  for fraction in 0.7 0.5 0.3; do
    table="$work/pruned-$policy-$fraction"
    "$efftrain" prune "$conf" --in "$work/full" --scores "$work/scores" --out "$table" --overwrite \
      --set sampling.selection.policy="$policy" --set sampling.selection.keep-fraction="$fraction" > /dev/null
    "$efftrain" run "$conf" --run-dir "$work/run-$policy-$fraction" --overwrite --set data.source=table \
      --set data.table="\"$table\"" "${recipe[@]}" > /dev/null
    kept=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]+'/_manifest.json'))['countsBySplit']['train'])" "$table")
    echo "$policy $fraction $kept $(accuracy "$work/run-$policy-$fraction")" | tee -a "$work/results.txt"
  done
done
column -t "$work/results.txt"
