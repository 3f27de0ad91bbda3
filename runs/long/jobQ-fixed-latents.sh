#!/bin/bash
# Issue 23, after jobP: (1) gmgan-dynamic with its mixture frozen at initialisation
# (lr_prior = 0: learning against initialisation), (2) a plain GAN on MMGAN's fixed mixture
# latent (mmgan-sgan-10 with lambda_ce = 0, pairing = false, lr_prior = 0: the latent's geometry
# alone), 8000 steps each with snapshots every 1000; --resume continues a run cut by the
# session's end (its checkpoint.pt is committed then).
cd /work/main
while [ ! -f runs/long/jobP-prior-lr.done ]; do sleep 30; done
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
GB=.venv/bin/gan-bench
A=runs/long/stacked-mnist/gmgan-dynamic-frozen/seed0; B=runs/long/stacked-mnist/mmgan-fixed-plain/seed0
mkdir -p $A $B
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant gmgan --seed 0 --steps 8000 --snapshot-every 1000 \
  --checkpoint-every 500 --resume --set mixture="'dynamic'" --set n_gaussians=10 --set lr_prior=0.0 \
  --out $A >> $A.log 2>&1 &
nice -n 5 $GB train --quiet --dataset stacked-mnist --variant mmgan --seed 0 --steps 8000 --snapshot-every 1000 \
  --checkpoint-every 500 --resume --set loss="'sgan'" --set n_clusters=10 --set lr_prior=0.0 \
  --set lambda_ce=0.0 --set pairing=false --out $B >> $B.log 2>&1 &
wait
echo done > runs/long/jobQ-fixed-latents.done
