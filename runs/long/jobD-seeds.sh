#!/bin/bash
# Issue 23: MD-GAN (8 components, variances 0.25) on Stacked MNIST at 8000 steps, seeds given as
# arguments (seed 0: 999 modes, KL 0.255), one after the other; --resume continues a run cut by
# the session's end.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for seed in "$@"; do
  out=runs/long/stacked-mnist/mdgan-C8-.25-.25/seed$seed
  mkdir -p $out
  nice -n 5 .venv/bin/gan-bench train --quiet --dataset stacked-mnist --variant mdgan --seed $seed --steps 8000 \
    --checkpoint-every 500 --resume --set n_components=8 --set var_real=0.25 --set var_fake=0.25 \
    --out $out >> $out.log 2>&1
done
echo done > runs/long/jobD-seeds-$1.done
