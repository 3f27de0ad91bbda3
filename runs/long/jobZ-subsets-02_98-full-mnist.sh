#!/bin/bash
# Issue 23 (2026-12-02, session 3): mnist2-02:98 moves to full MNIST with mnist2-90:10's bundle
# settings (10000 steps, P's prior after 6000; chosen on 90:10's balanced training slice, carried
# over untuned), four runs at three seeds. Two one-thread lanes: "A" runs P then S, "B" runs V
# then vanilla. Rerun a lane after a stop: every train resumes from its committed checkpoint.pt.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# the code of commit 7a7d142 (a copy outside the checkout), as jobW used
export PYTHONPATH=${TRAIN_CODE:-/work/trainsnap}
GB=.venv/bin/gan-bench
ROOT=${MNIST_FULL_ROOT:-/tmp/mnistfull}
BASE=runs/long/nemgan-subsets/full-mnist-02_98
COMMON="--dataset mnist2-02:98 --data-root $ROOT --steps 10000 --snapshot-every 2000 --checkpoint-every 500 --resume --quiet"
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
case $1 in
  A) for s in 0 1 2; do one nemgan-P $s $P; done; for s in 0 1 2; do one nemgan-S $s $S; done ;;
  B) for s in 0 1 2; do one nemgan-V $s $V; done; for s in 0 1 2; do one vanilla $s $VANILLA; done ;;
  *) echo "usage: $0 A|B" >&2; exit 2 ;;
esac
echo done > runs/long/jobZ-subsets-02_98-full-mnist-$1.done
