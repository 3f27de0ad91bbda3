#!/bin/bash
# Issue 23: does learning the latent mixture collapse MMGAN and GM-GAN on Stacked MNIST?
# mmgan-sgan-10 with the mixture frozen at its initialisation (lr_prior = 0), and
# gmgan-dynamic with the mixture at a tenth of G's rate (lr_prior = 2e-5), each 8000 steps
# (vanilla's) with snapshots every 1000 (scored by tests/reference/stacked_curve.py), as two
# one-thread jobs; --resume continues a run cut by the session's end.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
A=runs/long/stacked-mnist/mmgan-frozen/seed0; B=runs/long/stacked-mnist/gmgan-dynamic-slow/seed0
mkdir -p $A $B
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant mmgan --seed 0 --steps 8000 --snapshot-every 1000 \
  --checkpoint-every 500 --resume --set loss="'sgan'" --set n_clusters=10 --set lr_prior=0.0 \
  --out $A >> $A.log 2>&1 &
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant gmgan --seed 0 --steps 8000 --snapshot-every 1000 \
  --checkpoint-every 500 --resume --set mixture="'dynamic'" --set n_gaussians=10 --set lr_prior=2e-5 \
  --out $B >> $B.log 2>&1 &
wait
echo done > runs/long/jobP-prior-lr.done
