#!/usr/bin/env python3
"""Prints the figures of docs/experiments/deep-incubation.md from the run directories deep-incubation.sh made."""
import json
import os
import sys

work = sys.argv[1]


def summary(name):
    with open(os.path.join(work, name, "summary.json")) as f:
        return json.load(f)


def first_time(series, accuracy):
    for elapsed, acc in series:
        if acc >= accuracy:
            return elapsed
    return None


def fmt(seconds):
    return "not reached" if seconds is None else "%.0f s" % seconds


e2e, di = summary("e2e"), summary("di")
e2e_series = [(p["elapsed_s"], p["accuracy"]) for p in e2e["training"]["evaluations"]]
inc = di["incubation"]
di_series = [(p["elapsed_s"], p["accuracy"]) for p in inc["accuracy_vs_time"]]
print("(a) equal wall budget, test accuracy on the 10,000 test images")
print("  end to end : accuracy %.4f, training %.0f s (%.2f epochs), process %.0f s"
      % (e2e["test_accuracy"], e2e["training"]["seconds"], e2e["training"]["epochs"], e2e["total_seconds"]))
print("  incubation : accuracy %.4f, training %.0f s, process %.0f s; assembled before fine-tuning %.4f; "
      "meta model %.4f" % (di["test_accuracy"], inc["total_training_seconds"], di["total_seconds"],
                           inc["fine_tune"]["accuracy_before"], inc["meta"]["test_accuracy"]))
print("  phase seconds: " + ", ".join("%s %.0f" % (k, v) for k, v in inc["phase_seconds"].items()))
print("  modules: " + ", ".join("m%d %d steps %.0f s" % (t["module"], t["steps"], t["seconds"])
                                for t in inc["modules"]["tasks"]))
print("  accuracy vs time, end to end : " + ", ".join("%.0fs %.4f" % p for p in e2e_series))
print("  accuracy vs time, incubation : " + ", ".join("%.0fs %.4f" % p for p in di_series))
print("  incubation reaches end to end's final %.4f at: %s; end to end reaches incubation's final %.4f at: %s"
      % (e2e["test_accuracy"], fmt(first_time(di_series, e2e["test_accuracy"])), di["test_accuracy"],
         fmt(first_time(e2e_series, di["test_accuracy"]))))

print("(b) phase 2 with fixed steps per module")
for name in ["p2-parallel-3slots", "p2-parallel-2slots", "p2-sequential"]:
    s = summary(name)["incubation"]
    print("  %-20s phase 2 wall %.1f s, sum of module training times %.1f s, modules %s"
          % (name, s["phase_seconds"]["modules"], s["modules"]["sum_of_module_seconds"],
             ", ".join("%.1f" % t["seconds"] for t in s["modules"]["tasks"])))

print("(c) killed in phase 2 and resumed")
s = summary("killed")
for t in s["incubation"]["modules"]["tasks"]:
    with open(os.path.join(work, "killed", "incubation", "module-%d" % t["module"], "attempts.log")) as f:
        starts = len(f.read().splitlines())
    print("  module %d: attempts %d (starts logged %d), resumed from step %d, steps %d"
          % (t["module"], t["attempts"], starts, t["resumed_from_step"], t["steps"]))
print("  resumed run: test accuracy %.4f, committed: %s"
      % (s["test_accuracy"], os.path.exists(os.path.join(work, "killed", "_SUCCESS"))))
