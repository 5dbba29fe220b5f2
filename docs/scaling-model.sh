#!/usr/bin/env bash
# The scaling model of docs/scaling.md, evaluated for one model from its measured inputs.
#   docs/scaling-model.sh NAME T_STEP_S T_FIXED_S STATE_BYTES [BATCH] [BANDWIDTH_BYTES_PER_S] [T_STAGE_S]
# Prints, for 1 to 64 workers: the round overhead t_avg(N), efficiency and throughput at 8 steps per round, and
# the steps per round needed for 90 % efficiency. See docs/scaling.md for the terms.
set -euo pipefail
name="$1" t_step="$2" t_fixed="$3" state="$4" batch="${5:-64}" bandwidth="${6:-1.1e9}" t_stage="${7:-0.02}"
awk -v name="$name" -v ts="$t_step" -v t0="$t_fixed" -v S="$state" -v b="$batch" -v B="$bandwidth" \
    -v tst="$t_stage" '
function ceil(x) { return (x == int(x)) ? x : int(x) + 1 }
function log2(x) { return log(x) / log(2) }
# TorrentBroadcast: the driver serves the first copies, executors then fetch blocks from each other as well;
# modelled as the number of copies doubling per transfer time.
function broadcast(n) { return S / B * ceil(log2(n + 1)) }
# SparkBlockSet.aggregate: treeAggregate with depth 2 (depth 3 above 8 partitions), following Spark`s own loop:
# every extra level is a shuffle stage whose reducers each receive about `scale` results; the driver receives the
# rest.
function aggregate(n,   depth, scale, p, t) {
  depth = (n > 8) ? 3 : 2
  scale = ceil(exp(log(n) / depth)); if (scale < 2) scale = 2
  p = n; t = 0
  while (p > scale + ceil(p / scale)) { t += tst + scale * S / B; p = int(p / scale) }
  return t + p * S / B
}
BEGIN {
  printf "%s: t_step %.1f ms, fixed %.1f ms, state %.2f MB, batch %d, %.2f GB/s, %.0f ms per extra stage\n",
    name, ts * 1000, t0 * 1000, S / 1e6, b, B / 1e9, tst * 1000
  printf "%8s %10s %10s %12s %14s %8s %14s\n", "workers", "t_avg_ms", "E(k=8)", "samples/s", "speed-up(k=8)", "k(90%)", "samples/s(k90)"
  single = b / ts
  for (n = 1; n <= 64; n *= 2) {
    tavg = t0 + broadcast(n) + aggregate(n)
    e8 = 8 * ts / (8 * ts + tavg)
    k90 = ceil(9 * tavg / ts)
    e90 = k90 * ts / (k90 * ts + tavg)
    printf "%8d %10.1f %10.2f %12.0f %14.1f %8d %14.0f\n", n, tavg * 1000, e8, n * single * e8, n * e8, k90, n * single * e90
  }
}'
