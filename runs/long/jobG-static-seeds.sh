#!/bin/bash
# Issue 23: GM-GAN with the static mixture (the paper's "static" GM-GAN) on Stacked MNIST at
# vanilla's 8000 steps, seeds given as arguments (seed 0: 988 modes, KL 0.398), one after the
# other; --resume continues a run cut by the session's end.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for seed in "$@"; do
  out=runs/long/stacked-mnist/gmgan-static/seed$seed
  mkdir -p $out
  nice -n 5 .venv/bin/gan-bench train --quiet --dataset stacked-mnist --variant gmgan --seed $seed --steps 8000 \
    --checkpoint-every 500 --resume --set mixture="'static'" --set n_gaussians=10 \
    --out $out >> $out.log 2>&1
done
echo done > runs/long/jobG-static-seeds-$1.done
