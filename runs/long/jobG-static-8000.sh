#!/bin/bash
# Issue 23: the GM-GAN static-mixture probe continued to vanilla's 8000 steps (from its 3000-step
# run; a resumed run equals one long run), on the core priorgan-masked seed 1 frees.
cd /work/main
while [ ! -f runs/long/jobS-seeds-1.done ]; do sleep 30; done
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
name=gmgan-static
nice -n 5 .venv/bin/gan-bench train --quiet --dataset stacked-mnist --variant gmgan --seed 0 --steps 8000 --snapshot-every 500 \
  --checkpoint-every 500 --resume --set mixture="'static'" --set n_gaussians=10 \
  --out runs/long/stacked-mnist/$name/seed0 >> runs/long/stacked-mnist/$name/seed0.log 2>&1
echo done > runs/long/jobG-static-8000.done
