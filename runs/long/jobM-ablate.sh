#!/bin/bash
# Issue 23: why MMGAN's 10 clusters collapse on Stacked MNIST. Two ablations of mmgan-sgan-10
# at 3000 steps (vanilla had 878 modes at 3000): (a) no cross-entropy and no pairing (a plain
# GAN on MMGAN's mixture latent), (b) the cross-entropy weight at 0.1.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
run() {  # name options...
  name=$1; shift
  mkdir -p runs/long/stacked-mnist/$name
  nice -n 5 $GB train --quiet --dataset stacked-mnist --variant mmgan --seed 0 --steps 3000 --snapshot-every 500 \
    --checkpoint-every 500 --resume --set loss="'sgan'" --set n_clusters=10 "$@" \
    --out runs/long/stacked-mnist/$name/seed0 > runs/long/stacked-mnist/$name/seed0.log 2>&1
}
run mmgan-noce-nopair --set lambda_ce=0 --set pairing=False
run mmgan-ce0.1 --set lambda_ce=0.1
echo done > runs/long/jobM-ablate.done
