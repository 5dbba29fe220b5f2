#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this executor may
# use as {"name":"gpu","addresses":["0","1",...]}. Honours CUDA_VISIBLE_DEVICES when a cluster manager (YARN,
# Kubernetes device plugin) has already narrowed the set; otherwise lists every GPU nvidia-smi sees.
set -euo pipefail
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
  ids="$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n' | sed '/^$/d')"
else
  ids="$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null || true)"
fi
addresses="$(echo "$ids" | sed '/^$/d' | sed 's/.*/"&"/' | paste -sd, -)"
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
