#!/bin/bash
# Issue 23: GM-GAN dynamic with its mixture at a tenth of G's rate (lr_prior = 2e-5) on Stacked
# MNIST at vanilla's 8000 steps, seeds 1-2 beside the probe's seed 0 (951 modes, KL 0.58), so
# the run can be bundled at three seeds; --resume continues a run cut by the session's end.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for seed in 1 2; do
  out=runs/long/stacked-mnist/gmgan-dynamic-slow/seed$seed; mkdir -p $out
  nice -n 5 .venv/bin/gan-bench train --quiet --dataset stacked-mnist --variant gmgan --seed $seed --steps 8000 \
    --checkpoint-every 500 --resume --set mixture="'dynamic'" --set n_gaussians=10 --set lr_prior=2e-5 \
    --out $out >> $out.log 2>&1
done
echo done > runs/long/jobG-slow-seeds.done
