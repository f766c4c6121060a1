#!/bin/bash
# The CPU benchmark's batched/sequential ratio before issue 27 (3a5e49e: StackedVAE with its
# own forward pass and ELBO) and after (its head), alternated in one sitting: before, after,
# before, after. Background jobs are stopped (SIGSTOP) meanwhile. Usage: bash run.sh BEFORE AFTER
set -u
before=$1 after=$2 data=${3:-/work/shared/data/mnist}
pids=$(pgrep -f "/work/run[a-z]*/\.snakemake/scripts" || true)
[ -n "$pids" ] && kill -STOP $pids
trap '[ -n "$pids" ] && kill -CONT $pids' EXIT
lscpu | grep "Model name"; nproc
for round in 1 2; do
  for side in before after; do
    dir=${!side}
    echo "== round $round, $side: $(git -C $dir rev-parse --short HEAD)"
    (cd $dir && /work/main/.venv/bin/python benchmarks/gpu.py --small --device cpu --data-dir $data --repeats 3)
  done
done
