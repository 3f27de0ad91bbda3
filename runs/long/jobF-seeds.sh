#!/bin/bash
# Issue 30: three seeds of the headline runs that had one. Fashion-MNIST mmgan-sgan seeds 1-2
# (4000 steps, the bundled seed 0's settings), then mnist5k nemgan-P seeds 1-2 (10,000 steps,
# the bundled settings), one after the other; --resume continues a run cut by the session's end.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
for seed in 1 2; do
  out=runs/long/fashion-mnist/mmgan-sgan/seed$seed; mkdir -p $out
  nice -n 5 $GB train --quiet --dataset fashion-mnist --variant mmgan --seed $seed --steps 4000 \
    --checkpoint-every 500 --resume --set loss="'sgan'" --out $out >> $out.log 2>&1
done
for seed in 1 2; do
  out=runs/long/mnist/nemgan-P/seed$seed; mkdir -p $out
  nice -n 5 $GB train --quiet --dataset mnist5k --variant nemgan --seed $seed --steps 10000 \
    --checkpoint-every 500 --resume --set mode="'P'" --set labelled_draw="'stratified'" \
    --set prior_warmup=5000 --set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9 \
    --out $out >> $out.log 2>&1
done
echo done > runs/long/jobF-seeds.done
