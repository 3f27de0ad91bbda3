#!/bin/bash
# Issue 30: the labels-only control of mnist5k nemgan-P (the same h and the same stratified
# labelled digits, balanced supervision, no GAN), seeds 0-2, 3000 steps with snapshots every
# 500 (scored on the training split by tests/reference/clustering_curve.py), after jobH.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
while [ ! -f runs/long/jobH-bf16.done ]; do sleep 30; done
for seed in 0 1 2; do
  out=runs/long/mnist/nemgan-P-labels-only/seed$seed; mkdir -p $out
  nice -n 5 .venv/bin/gan-bench train --quiet --dataset mnist5k --variant nemgan --seed $seed --steps 3000 \
    --snapshot-every 500 --checkpoint-every 500 --resume --set mode="'P'" --set labelled_draw="'stratified'" \
    --set supervision="'balanced'" --set labels_only=true --out $out >> $out.log 2>&1
done
echo done > runs/long/jobI-mnist-control.done
