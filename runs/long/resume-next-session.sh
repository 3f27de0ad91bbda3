#!/bin/bash
# Next session (issue 23): continue the two probes whose resume checkpoints are committed here,
# one job of one thread each, to vanilla's 8000 steps; then score each with
# tests/reference/stacked_curve.py (their snapshots before the resume point were not committed,
# so score model.pt, or the snapshots written after the resume).
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant gmgan --seed 0 --steps 8000 --snapshot-every 500 \
  --checkpoint-every 500 --resume --set mixture="'static'" --set n_gaussians=10 \
  --out runs/long/stacked-mnist/gmgan-static/seed0 >> runs/long/stacked-mnist/gmgan-static/seed0.log 2>&1 &
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant mmgan --seed 0 --steps 8000 --snapshot-every 500 \
  --checkpoint-every 500 --resume --set loss="'sgan'" --set n_clusters=10 --set sigma_min=1.0 \
  --out runs/long/stacked-mnist/mmgan-sigma1/seed0 >> runs/long/stacked-mnist/mmgan-sigma1/seed0.log 2>&1 &
wait
echo done > runs/long/resume-next-session.done
