#!/bin/bash
# Issue 30 probe: mnist5k mmgan-crasgan with its mixture frozen (lr_prior = 0), seed 1, 4000
# steps, snapshots every 1000 (seed 0: training-split ACC 0.313, 0.324, 0.318, 0.424).
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
out=runs/long/mnist/mmgan-crasgan-frozen/seed1; mkdir -p $out
nice -n 5 .venv/bin/gan-bench train --quiet --dataset mnist5k --variant mmgan --seed 1 --steps 4000 --snapshot-every 1000 \
  --checkpoint-every 500 --resume --set loss="'crasgan'" --set lr_prior=0.0 --out $out >> $out.log 2>&1
echo done > runs/long/jobK-frozen-seed1.done
