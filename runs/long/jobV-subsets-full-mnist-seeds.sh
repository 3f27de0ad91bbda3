#!/bin/bash
# Issue 23 (2026-12-02, started 08:23, 25 minutes before the session's stop): mnist2-90:10 from
# full MNIST, nemgan-V seed 1 and nemgan-P seed 2 with the suite's options (jobO's), 12000 steps,
# snapshots every 2000; two one-thread jobs. Their resume checkpoints are committed at the stop;
# the next session imports MNIST (gan-bench data import-mnist) into $MNIST_FULL_ROOT and runs
# this script again (train --resume refuses other digits than the run started on).
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
BASE=runs/long/nemgan-subsets/full-mnist
COMMON="--dataset mnist2-90:10 --data-root $ROOT --variant nemgan --steps 12000 --snapshot-every 2000 --checkpoint-every 500 --resume"
OPT="--set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9"
mkdir -p $BASE/nemgan-V-90-10/seed1 $BASE/nemgan-P-90-10/seed2
nice -n 5 $GB train --quiet $COMMON --seed 1 --set mode="'V'" $OPT --out $BASE/nemgan-V-90-10/seed1 \
  >> $BASE/nemgan-V-90-10/seed1.log 2>&1 &
nice -n 5 $GB train --quiet $COMMON --seed 2 --set mode="'P'" --set labelled_draw="'stratified'" --set lr_alpha=5e-3 \
  --set prior_warmup=6000 $OPT --out $BASE/nemgan-P-90-10/seed2 >> $BASE/nemgan-P-90-10/seed2.log 2>&1 &
wait
echo done > runs/long/jobV-subsets-full-mnist-seeds.done
