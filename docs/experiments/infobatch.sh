#!/usr/bin/env bash
# InfoBatch against full-data training at the same number of epochs (issue 5), on the default config (LeNet-like
# CNN, Adam, linear-to-zero, 2 workers), with the wall-clock cap lifted so both runs do all their epochs.
# Usage: docs/experiments/infobatch.sh OUT_DIR [EPOCHS]   (EFFTRAIN_JAR may point at a prebuilt jar)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:?output directory}"
EPOCHS="${2:-6}"
mkdir -p "$OUT"
COMMON=(--set train.budget.epochs="$EPOCHS" --set train.budget.wall-clock=null --overwrite)
run() {
  local name=$1; shift
  echo "== $name: bin/efftrain run conf/fashion-mnist.conf --run-dir $OUT/$name ${COMMON[*]} $*" | tee -a "$OUT/commands.txt"
  "$HERE/bin/efftrain" run "$HERE/conf/fashion-mnist.conf" --run-dir "$OUT/$name" "${COMMON[@]}" "$@" > "$OUT/$name.log" 2>&1
}
run full
run infobatch --set sampling.infobatch.enabled=true
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
rows = {}
for name in ["full", "infobatch"]:
    s = json.load(open(f"{out}/{name}/summary.json"))
    t = s["training"]
    rows[name] = (s["test_accuracy"], t["seconds"], t["samples"], t["steps"], t["epochs"])
print(f"{'run':10} {'test acc':>8} {'train s':>8} {'samples':>9} {'steps':>6} {'epochs':>6}")
for name, (acc, sec, samples, steps, epochs) in rows.items():
    print(f"{name:10} {acc:8.4f} {sec:8.1f} {samples:9d} {steps:6d} {epochs:6.2f}")
f, i = rows["full"], rows["infobatch"]
print(f"InfoBatch saves {100 * (1 - i[1] / f[1]):.1f} % of training wall time and {100 * (1 - i[2] / f[2]):.1f} % of "
      f"the samples; accuracy difference {100 * (i[0] - f[0]):+.2f} points")
PY
