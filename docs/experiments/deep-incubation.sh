#!/usr/bin/env bash
# Deep Incubation against end-to-end training of the same ResNet-20-like target on Fashion-MNIST
# (conf/fashion-mnist-incubation.conf), and the evidence for phase 2's parallelism and retries.
# Usage: docs/experiments/deep-incubation.sh [WORK_DIR]   (about 35 min on 2 cores)
#   (a) end to end for W = E2E_WALL against Deep Incubation with phase budgets META + MODULES + FINE (≈ W with
#       overheads); test accuracy, accuracy against time, DI's time to E2E's final accuracy
#   (b) phase 2 alone (fixed steps per module): 3 module tasks in parallel (3 task slots, 2 cores), in parallel on
#       2 slots, and one after another
#   (c) a whole incubate process killed (SIGKILL) in phase 2 and resumed: finished modules are kept, the killed
#       module continues from its checkpoint (the in-process retry of a failed task is IncubateCommandTest)
# Set EFFTRAIN_JAR to a copy of the jar so rebuilding does not disturb a running experiment.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
efftrain="$here/bin/efftrain"
conf="$here/conf/fashion-mnist-incubation.conf"
work="${1:-/tmp/efftrain-deep-incubation}"
E2E_WALL="${E2E_WALL:-10m}" META="${META:-2m}" MODULES="${MODULES:-3m}" FINE="${FINE:-4m}"
mkdir -p "$work"
# Three task slots so the three module tasks run at once (on 2 cores they share them); two training workers for
# the end-to-end phases, as with local[2].
slots=(--set 'spark.master="local[3]"' --set train.workers=2)
uptime > "$work/uptime-start.txt"

"$efftrain" prepare "$conf" --out "$work/table" 2>/dev/null || true   # exists already on a rerun
data=(--set data.source=table --set data.table="\"$work/table\"")

# (a) end to end vs Deep Incubation at an equal wall budget, evaluated every quarter epoch.
# The end-to-end run is kept on a rerun (delete $work/e2e to repeat it).
[ -f "$work/e2e/_SUCCESS" ] || "$efftrain" run "$conf" --run-dir "$work/e2e" --overwrite "${slots[@]}" "${data[@]}" \
  --set incubation.enabled=false --set train.budget.wall-clock="$E2E_WALL" \
  --set train.evaluation.every-epochs=0.25 2> "$work/e2e.log"
"$efftrain" incubate "$conf" --run-dir "$work/di" --overwrite "${slots[@]}" "${data[@]}" \
  --set incubation.meta.budget.wall-clock="$META" --set incubation.modules.budget.wall-clock="$MODULES" \
  --set incubation.fine-tune.budget.wall-clock="$FINE" --set train.evaluation.every-epochs=0.25 2> "$work/di.log"
uptime > "$work/uptime-a.txt"

# (b) phase 2 with fixed work (STEPS steps per module), parallel and sequential; short phases 1 and 3.
steps="${STEPS:-150}"
phase2=(--set incubation.meta.budget="{steps = 30, wall-clock = null}"
        --set incubation.modules.budget="{steps = $steps, wall-clock = null}"
        --set incubation.fine-tune.budget="{steps = 10, wall-clock = null}"
        --set train.evaluation.every-epochs=null "${data[@]}")
"$efftrain" incubate "$conf" --run-dir "$work/p2-parallel-3slots" --overwrite "${slots[@]}" "${phase2[@]}" \
  2> "$work/p2-parallel-3slots.log" > /dev/null
"$efftrain" incubate "$conf" --run-dir "$work/p2-parallel-2slots" --overwrite --set 'spark.master="local[2]"' \
  "${phase2[@]}" 2> "$work/p2-parallel-2slots.log" > /dev/null
"$efftrain" incubate "$conf" --run-dir "$work/p2-sequential" --overwrite --set 'spark.master="local[2]"' \
  --set incubation.modules.parallel=false "${phase2[@]}" 2> "$work/p2-sequential.log" > /dev/null
uptime > "$work/uptime-b.txt"

# (c) kill the whole process in phase 2 once module 0 is committed and module 1 has a checkpoint; resume.
kill_args=(--set 'spark.master="local[2]"' --set incubation.modules.parallel=false
           --set incubation.modules.checkpoint-every-rounds=2 "${phase2[@]}")
rm -rf "$work/killed" "$work/.killed.staging"
"$efftrain" incubate "$conf" --run-dir "$work/killed" "${kill_args[@]}" > "$work/killed-1.log" 2>&1 &
pid=$!
staging="$work/.killed.staging/incubation"
until [ -f "$staging/module-0/_SUCCESS" ] && [ -f "$staging/module-1/checkpoint/latest.ckpt" ]; do
  kill -0 "$pid" 2>/dev/null || { echo "the run ended before it could be killed" >&2; exit 1; }
  sleep 0.5
done
sleep 3
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
ls -R "$work/.killed.staging/incubation" > "$work/killed-state.txt"
"$efftrain" incubate "$conf" --run-dir "$work/killed" --resume "${kill_args[@]}" > "$work/killed-2.log" 2>&1

python3 "$here/docs/experiments/deep-incubation-report.py" "$work" | tee "$work/results.txt"
