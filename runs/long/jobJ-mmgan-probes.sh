#!/bin/bash
# Issue 30 probes of MMGAN's duplicated modes (seed 0, snapshots scored on the training split by
# tests/reference/clustering_curve.py): Fashion-MNIST mmgan-sgan with sigma_min = 1 (the clusters
# cannot narrow below their initial width), 8000 steps; mnist5k mmgan-crasgan with its mixture
# frozen at initialisation (lr_prior = 0), 4000 steps. Two one-thread jobs.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
A=runs/long/fashion-mnist/mmgan-sgan-sigma1/seed0; B=runs/long/mnist/mmgan-crasgan-frozen/seed0
mkdir -p $A $B
nice -n 5 $GB train --quiet --dataset fashion-mnist --variant mmgan --seed 0 --steps 8000 --snapshot-every 2000 \
  --checkpoint-every 500 --resume --set loss="'sgan'" --set sigma_min=1.0 --out $A >> $A.log 2>&1 &
nice -n 5 $GB train --quiet --dataset mnist5k --variant mmgan --seed 0 --steps 4000 --snapshot-every 1000 \
  --checkpoint-every 500 --resume --set loss="'crasgan'" --set lr_prior=0.0 --out $B >> $B.log 2>&1 &
wait
echo done > runs/long/jobJ-mmgan-probes.done
