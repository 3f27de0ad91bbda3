#!/bin/bash
# Issue 30 (2026-12-02): mnist5k gmgan-dynamic seed 0 resumed from 24000 to 40000 steps
# (its training-split ACC was still rising at 24000: 0.604, 0.655, 0.684 at 16k, 20k, 24k),
# snapshots every 4000. One one-thread job. A run cut off by the session's end resumes
# from runs/long/mnist/gmgan-dynamic-long/seed0/checkpoint.pt (train --resume: bitwise one run).
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
A=runs/long/mnist/gmgan-dynamic-long/seed0
nice -n 5 .venv/bin/gan-bench train --quiet --dataset mnist5k --variant gmgan --seed 0 --steps 40000 --snapshot-every 4000 \
  --checkpoint-every 500 --resume --set mixture="'dynamic'" --set n_gaussians=10 --out $A >> $A.log 2>&1
echo done > runs/long/jobS-gmgan-seed0-40k.done
