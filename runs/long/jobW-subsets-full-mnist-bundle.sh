#!/bin/bash
# Issue 23 (2026-12-02, session 2): the nemgan-subsets suite moves to full MNIST (the paper's
# data). mnist2-90:10's four runs at three seeds, 10000 steps (chosen on the balanced training
# slice of jobO/jobT/jobV's curves: P's mean ACC 0.715 at 10000 against 0.678 at 8000 and
# 12000), P's prior after 6000; the suite's other options. Two one-thread jobs: P then S, and
# V then vanilla. Rerun after a stop: every train resumes (and refuses other digits).
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# the code as committed when the job started (a copy outside the checkout), so that work on
# the checkout cannot break a training that starts later
export PYTHONPATH=${TRAIN_CODE:-/work/trainsnap}
GB=.venv/bin/gan-bench
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
BASE=runs/long/nemgan-subsets/full-mnist-10k
COMMON="--dataset mnist2-90:10 --data-root $ROOT --steps 10000 --snapshot-every 2000 --checkpoint-every 500 --resume --quiet"
LR="--set lr_g=2e-4 --set lr_d=1e-3 --set lr_h=1e-3 --set beta2=0.9"
P="--variant nemgan --set mode='P' --set labelled_draw='stratified' --set lr_alpha=5e-3 --set prior_warmup=6000 $LR"
S="--variant nemgan --set mode='S' --set labelled_draw='stratified' $LR"
V="--variant nemgan --set mode='V' $LR"
VANILLA="--variant vanilla"
one() {  # run seed options...
  local run=$1 seed=$2; shift 2
  mkdir -p $BASE/$run
  [ -f $BASE/$run/seed$seed/model.pt ] && return
  nice -n 5 $GB train $COMMON --seed $seed "$@" --out $BASE/$run/seed$seed >> $BASE/$run/seed$seed.log 2>&1
}
(for s in 0 1 2; do one nemgan-P $s $P; done; for s in 0 1 2; do one nemgan-S $s $S; done) &
(for s in 0 1 2; do one nemgan-V $s $V; done; for s in 0 1 2; do one vanilla $s $VANILLA; done) &
wait
echo done > runs/long/jobW-subsets-full-mnist-bundle.done
