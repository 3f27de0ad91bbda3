#!/bin/bash
# Issue 23 probe (2026-12-02): jobO's nemgan-P on mnist2-90:10 from full MNIST, seed 1 (the same
# options; IDX files from gan-bench data import-mnist in $MNIST_FULL_ROOT). jobP (the official
# code's settings) was stopped at step ~1030: its 5-conv inverter runs 85 steps a minute here,
# 2.3 hours for 12000 steps.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
P=runs/long/nemgan-subsets/full-mnist/nemgan-P-90-10/seed1
mkdir -p $P
nice -n 5 .venv/bin/gan-bench train --quiet --dataset mnist2-90:10 --data-root $ROOT --variant nemgan --seed 1 --steps 12000 \
  --snapshot-every 2000 --checkpoint-every 500 --resume --set mode="'P'" --set labelled_draw="'stratified'" \
  --set lr_alpha=5e-3 --set prior_warmup=6000 --set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9 \
  --out $P >> $P.log 2>&1
echo done > runs/long/jobT-subsets-full-mnist-seed1.done
