#!/bin/bash
# Issue 23: priorgan-masked on Stacked MNIST at vanilla's 8000 steps, seeds 1 and 2 (seed 0's curve
# in benchmarks.toml), one after the other; --resume continues a run cut by the session's end.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for seed in "$@"; do
  out=runs/long/stacked-mnist/priorgan-masked/seed$seed
  mkdir -p $out
  nice -n 5 .venv/bin/gan-bench train --quiet --dataset stacked-mnist --variant priorgan --seed $seed --steps 8000 \
    --checkpoint-every 500 --resume --set prior="'masked'" --set rate=0.5 --set presample=256 \
    --out $out > $out.log 2>&1
done
echo done > runs/long/jobS-seeds-$1.done
