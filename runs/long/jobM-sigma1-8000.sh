#!/bin/bash
# Issue 23: mmgan-sgan-10 with sigma_min = 1.0 on Stacked MNIST, continued from its 3000-step run
# to vanilla's 8000 steps (a resumed run equals one long run).
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
name=mmgan-sigma1
nice -n 5 .venv/bin/gan-bench train --quiet --dataset stacked-mnist --variant mmgan --seed 0 --steps 8000 --snapshot-every 500 \
  --checkpoint-every 500 --resume --set loss="'sgan'" --set n_clusters=10 --set sigma_min=1.0 \
  --out runs/long/stacked-mnist/$name/seed0 >> runs/long/stacked-mnist/$name/seed0.log 2>&1
echo done > runs/long/jobM-sigma1-8000.done
