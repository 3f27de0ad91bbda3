#!/bin/bash
# Issue 28: evidence for the opt-in bfloat16 training. mnist5k vanilla and gmgan-dynamic (the
# bundled runs' settings, 4000 steps) at seeds 0-2 with --precision bfloat16, beside the
# bundled float32 seeds; tests/reference/precision_spread.py compares the metrics' seed spread.
# One after the other; --resume continues a run cut by the session's end.
cd /work/main
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for seed in 0 1 2; do
  out=runs/long/bf16/mnist5k/vanilla/seed$seed; mkdir -p $out
  nice -n 5 .venv/bin/gan-bench train --quiet --dataset mnist5k --variant vanilla --seed $seed --steps 4000 \
    --precision bfloat16 --checkpoint-every 500 --resume --out $out >> $out.log 2>&1
  out=runs/long/bf16/mnist5k/gmgan-dynamic/seed$seed; mkdir -p $out
  nice -n 5 .venv/bin/gan-bench train --quiet --dataset mnist5k --variant gmgan --seed $seed --steps 4000 \
    --precision bfloat16 --checkpoint-every 500 --resume --set mixture="'dynamic'" --set n_gaussians=10 \
    --out $out >> $out.log 2>&1
done
echo done > runs/long/jobH-bf16.done
