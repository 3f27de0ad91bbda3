#!/bin/bash
# Issue 30 (2026-12-02): mnist5k gmgan-dynamic seed 2 resumed from 24000 to 32000 steps (its
# training-split ACC was still rising at 24000: 0.598, 0.603, 0.623 at 16k, 20k, 24k; seed 0
# flattened at 0.72 from 32k). Snapshots every 4000. One one-thread job.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
A=runs/long/mnist/gmgan-dynamic-long/seed2
nice -n 5 .venv/bin/gan-bench train --quiet --dataset mnist5k --variant gmgan --seed 2 --steps 32000 --snapshot-every 4000 \
  --checkpoint-every 500 --resume --set mixture="'dynamic'" --set n_gaussians=10 --out $A >> $A.log 2>&1
echo done > runs/long/jobU-gmgan-seed2-32k.done
