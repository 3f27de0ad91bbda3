#!/bin/bash
# Issue 23 probe (2026-12-02, seed 0), after jobO: nemgan-P on mnist2-90:10 from FULL MNIST
# (IDX files written by gan-bench data import-mnist) with the official NEMGAN code's MNIST
# settings (the 5-conv inverter, L1 x 100, class-balanced supervision from step 100, h
# pre-trained 600 steps on the labels), 0.5% stratified (34 labels), lr_alpha 5e-3, the prior
# after 6000 of 12000 steps; snapshots every 2000 scored on a balanced training slice.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
while [ ! -f runs/long/jobO-subsets-full-mnist.done ]; do sleep 30; done
GB=.venv/bin/gan-bench
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
P=runs/long/nemgan-subsets/full-mnist/nemgan-P-official-90-10/seed0
mkdir -p $P
nice -n 5 $GB train --quiet --dataset mnist2-90:10 --data-root $ROOT --variant nemgan --seed 0 --steps 12000 \
  --snapshot-every 2000 --checkpoint-every 500 --resume --set mode="'P'" --set labelled_draw="'stratified'" \
  --set inverter="'official'" --set rec_loss="'l1'" --set rec_weight=100 --set supervision="'balanced'" \
  --set sup_pretrain=600 --set lr_alpha=5e-3 --set prior_warmup=6000 --set lr_g=2e-4 --set lr_d=1e-3 \
  --set lr_h=1e-3 --set beta2=0.9 --out $P >> $P.log 2>&1
echo done > runs/long/jobP-official-full-mnist.done
