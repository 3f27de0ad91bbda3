#!/bin/bash
# Issue 23 probe (2026-12-02): why nemgan-P's ACC on mnist2-90:10 (full MNIST) falls by up to
# 0.2 once its prior learns (h is then trained on fakes drawn 97:3). The official code's
# class-balanced supervision (supervision = "balanced": h on its own optimiser, 64 labelled
# images a step, half of each class, from step 100) after h is pre-trained on the 34 labels
# (sup_pretrain = 600), the rest as bundled (10000 steps, prior after 6000), seed 0, snapshots
# every 2000 scored on the balanced training slice. One one-thread job beside jobW's vanilla.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
export PYTHONPATH=${TRAIN_CODE:-/work/trainsnap}
GB=.venv/bin/gan-bench
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
OUT=runs/long/nemgan-subsets/full-mnist-probes/nemgan-P-balanced/seed0
mkdir -p $OUT
nice -n 5 $GB train --quiet --dataset mnist2-90:10 --data-root $ROOT --variant nemgan --seed 0 --steps 10000 \
  --snapshot-every 2000 --checkpoint-every 500 --resume --set mode="'P'" --set labelled_draw="'stratified'" \
  --set lr_alpha=5e-3 --set prior_warmup=6000 --set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9 \
  --set supervision="'balanced'" --set sup_pretrain=600 --out $OUT >> $OUT.log 2>&1
echo done > runs/long/jobX-subsets-balanced-probe.done
