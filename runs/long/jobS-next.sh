#!/bin/bash
# Stacked MNIST multi-modal variants at vanilla's 8000 steps (issue 23), one after another
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
run() {  # name variant options...
  name=$1; variant=$2; shift 2
  mkdir -p runs/long/stacked-mnist/$name
  nice -n 5 $GB train --quiet --dataset stacked-mnist --variant $variant --seed 0 --steps 8000 --snapshot-every 1000 \
    --checkpoint-every 500 --resume "$@" --out runs/long/stacked-mnist/$name/seed0 > runs/long/stacked-mnist/$name/seed0.log 2>&1
}
run priorgan-masked priorgan --set prior="'masked'" --set rate=0.5 --set presample=256
echo done > runs/long/jobS-next.done
