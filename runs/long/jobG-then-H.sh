#!/bin/bash
# wait for jobG-slow-seeds (the second one-thread job), then start jobH-bf16 in its slot
cd /work/main
while [ ! -f runs/long/jobG-slow-seeds.done ]; do sleep 30; done
exec runs/long/jobH-bf16.sh
