#!/bin/bash
# the second core: priorgan-masked seed 2 once the GM-GAN static probe (jobG-static.sh) is done
cd /work/main
while [ ! -f runs/long/jobG-static.done ]; do sleep 30; done
exec runs/long/jobS-seeds.sh 2
