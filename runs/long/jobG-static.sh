#!/bin/bash
# Issue 23: GM-GAN's dynamic mixture collapses on Stacked MNIST (176 modes at 1500 steps, 14 at
# 8000). The same run with the static mixture (mu_k ~ U[-0.1, 0.1]^100 fixed, sigma 0.15), 3000
# steps (vanilla had 878 modes at 3000): is learning the mixture the path to the collapse?
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
name=gmgan-static
mkdir -p runs/long/stacked-mnist/$name
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant gmgan --seed 0 --steps 3000 --snapshot-every 500 \
  --checkpoint-every 500 --resume --set mixture="'static'" --set n_gaussians=10 \
  --out runs/long/stacked-mnist/$name/seed0 > runs/long/stacked-mnist/$name/seed0.log 2>&1
echo done > runs/long/jobG-static.done
