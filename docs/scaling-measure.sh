#!/usr/bin/env bash
# The measured inputs of docs/scaling.md: for each shipped model at 1, 2 and 4 workers (local[N], one JVM, one
# native thread per worker), runs with k = 1 and k = 8 local steps per averaging round, and from each:
#   round_s      median wall time of an averaging round (metrics.jsonl; the first 3 rounds left out)
#   task_s       median wall time of one worker's task in a round (Spark event log, Executor Run Time)
#   task_cpu_s   median CPU time of that task (Executor CPU Time): the compute, unaffected by other processes
# t_step = (task_cpu(k=8) - task_cpu(k=1)) / 7; the rest of a round is the averaging overhead (docs/scaling.md).
#   docs/scaling-measure.sh [OUT_DIR]      (about 10 minutes on 2 cores; needs jobs/target/efftrain.jar, python3)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"

summarise() {  # run directory, event log directory -> rounds, round_s, task_s, task_cpu_s
  python3 - "$1" "$2" <<'PY'
import json, os, statistics, sys
run, events = sys.argv[1], sys.argv[2]
elapsed = [json.loads(l)["elapsed_s"] for l in open(os.path.join(run, "metrics.jsonl"))]
rounds = [b - a for a, b in zip(elapsed, elapsed[1:])][3:]
names, tasks = {}, []
for name in os.listdir(events):
    for line in open(os.path.join(events, name)):
        e = json.loads(line)
        if e["Event"] == "SparkListenerStageSubmitted":
            names[e["Stage Info"]["Stage ID"]] = e["Stage Info"]["Stage Name"]
        elif e["Event"] == "SparkListenerTaskEnd" and "Task Metrics" in e:
            tasks.append((e["Stage ID"], e["Task Metrics"]["Executor Run Time"] / 1e3,
                          e["Task Metrics"]["Executor CPU Time"] / 1e9))
# Every round is one treeAggregate job over the blocks; so is the final evaluation (one among dozens).
train = [t for t in tasks if names.get(t[0], "").startswith("treeAggregate at SparkBlockSet")]
print("%d\t%.4f\t%.4f\t%.4f" % (len(elapsed), statistics.median(rounds),
      statistics.median(t[1] for t in train), statistics.median(t[2] for t in train)))
PY
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'model\tworkers\tsteps_per_round\trounds\tround_s\ttask_s\ttask_cpu_s\n'
for model in lenet mlp; do
  # Rounds per run: enough for stable medians, few enough for a LeNet round of 4 oversubscribed workers.
  if [ "$model" = lenet ]; then rounds_wanted=(40 12); else rounds_wanted=(200 40); fi
  for workers in 1 2 4; do
    for k in 1 8; do
      if [ "$k" = 1 ]; then steps=${rounds_wanted[0]}; else steps=$((8 * rounds_wanted[1])); fi
      dir="$OUT/$model-w$workers-k$k"
      mkdir -p "$dir.events"
      "$HERE/bin/efftrain" run "$HERE/conf/fashion-mnist.conf" --run-dir "$dir" --overwrite \
        --set model.type="$model" --set spark.master="\"local[$workers]\"" --set train.workers="$workers" \
        --set train.steps-per-round="$k" --set data.train-limit=12000 --set data.test-limit=500 \
        --set train.budget.epochs=null --set train.budget.wall-clock=null --set train.budget.steps="$steps" \
        --set train.evaluation.every-epochs=null \
        --set 'spark.conf."spark.eventLog.enabled"=true' --set "spark.conf.\"spark.eventLog.dir\"=\"$dir.events\"" \
        >/dev/null 2>"$dir.log"
      printf '%s\t%d\t%d\t%s\n' "$model" "$workers" "$k" "$(summarise "$dir" "$dir.events")"
    done
  done
done
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
