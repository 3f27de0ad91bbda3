#!/bin/bash
# Issue 30 (2026-12-02): mnist5k gmgan-dynamic seeds 1 and 2 to 24000 steps, the length read
# off seed 0's training-split curve (jobN: ACC 0.357, 0.465, 0.489, 0.604 at 4k..16k, rising).
# Each starts when a slot frees (jobN, jobO). Snapshots every 4000. Two one-thread jobs.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
seed_run() {
  local seed=$1 wait_for=$2 out=runs/long/mnist/gmgan-dynamic-long/seed$1
  while [ ! -f $wait_for ]; do sleep 20; done
  mkdir -p $out
  nice -n 5 $GB train --quiet --dataset mnist5k --variant gmgan --seed $seed --steps 24000 --snapshot-every 4000 \
    --checkpoint-every 500 --resume --set mixture="'dynamic'" --set n_gaussians=10 --out $out >> $out.log 2>&1
}
seed_run 1 runs/long/jobN-gmgan-mnist-long.done &
seed_run 2 runs/long/jobO-subsets-full-mnist.done &
wait
echo done > runs/long/jobR-gmgan-mnist-seeds.done
