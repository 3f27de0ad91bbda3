#!/bin/bash
# Issue 23 (2026-12-02, after jobW): nemgan-S on mnist2-90:10 from full MNIST, seeds 0-2, the
# bundle's 10000 steps and the suite's S options, one one-thread job (jobW's S part, stopped to
# run the jobX probe). Rerun after a stop: it resumes from the committed checkpoint.pt.
# Seeds as arguments (default 0 1 2) let two one-thread jobs share the seeds.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
export PYTHONPATH=${TRAIN_CODE:-/work/trainsnap}
GB=.venv/bin/gan-bench
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
BASE=runs/long/nemgan-subsets/full-mnist-10k/nemgan-S
mkdir -p $BASE
for s in ${@:-0 1 2}; do
  [ -f $BASE/seed$s/model.pt ] && continue
  nice -n 5 $GB train --quiet --dataset mnist2-90:10 --data-root $ROOT --steps 10000 --snapshot-every 2000 \
    --checkpoint-every 500 --resume --seed $s --variant nemgan --set mode="'S'" --set labelled_draw="'stratified'" \
    --set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9 --out $BASE/seed$s >> $BASE/seed$s.log 2>&1
done
echo done > runs/long/jobY-subsets-full-mnist-S.done
