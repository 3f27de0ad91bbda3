#!/bin/bash
# Issue 23, after jobM-ablate.sh: mmgan-sgan-10 on Stacked MNIST with the standard deviation's
# floor at 1 (sigma_min = 1.0, so the clusters cannot narrow below their initial width). The
# ablation without cross-entropy or pairing collapsed as the full model does (35 modes at 3000,
# sigma 0.89 -> 0.70): is the learnable sigma the path to the collapse?
cd /work/main
while [ ! -f runs/long/jobM-ablate.done ]; do sleep 30; done
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
name=mmgan-sigma1
mkdir -p runs/long/stacked-mnist/$name
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant mmgan --seed 0 --steps 3000 --snapshot-every 500 \
  --checkpoint-every 500 --resume --set loss="'sgan'" --set n_clusters=10 --set sigma_min=1.0 \
  --out runs/long/stacked-mnist/$name/seed0 > runs/long/stacked-mnist/$name/seed0.log 2>&1
echo done > runs/long/jobM-next.done
