#!/usr/bin/env bash
# The measurement of docs/tune.md: tune on Fashion-MNIST (the main job's LeNet, 2 epochs as one full training),
# best.conf rerun by run, and the hand-tuned main job on the same validation split for comparison.
# Usage: docs/experiments/tune-fashion-mnist.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-runs/tune-fashion-mnist}"
mkdir -p "$OUT"
grep -m1 "model name" /proc/cpuinfo
uptime
SPACE='[{ key = train.optimizer.learning-rate, log-uniform = [0.001, 0.004], samples = 3 },
        { key = train.regularization.label-smoothing, values = [null, 0.1] },
        { key = train.steps-per-round, values = [16, 32, 64] }]'
time bin/efftrain tune conf/fashion-mnist.conf --run-dir "$OUT/tune" --set train.budget.epochs=2 \
  --set tune.trials=4 --set tune.eta=2 --set "tune.space=$SPACE"
time bin/efftrain run "$OUT/tune/best.conf" --run-dir "$OUT/best-rerun"
time bin/efftrain run conf/fashion-mnist.conf --run-dir "$OUT/hand-tuned" --set train.budget.epochs=2 \
  --set data.split.validation=0.1 --set train.evaluation.split=validation
