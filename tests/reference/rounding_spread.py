"""Evidence for the tolerance of the pinned short-horizon training test.

Trains the short runs of ``tests/test_reproducibility.py`` under every CPU code path
this machine can take (ATen's dispatch level, MKL's instruction set, oneDNN's ISA,
one or two threads), each in a fresh process, and prints the final losses and their
largest spread. Other x86 CPUs take one of these paths; the spread is the rounding
noise a pinned value must tolerate.

    .venv/bin/python tests/reference/rounding_spread.py
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

SHORT_RUNS = {
    "grid25-vanilla-50": ("grid25", "vanilla", 50),
    "mnist5k-vanilla-20": ("mnist5k", "vanilla", 20),
}
CHILD = """
import json, sys, tempfile, torch
from gan_bench.train import train
torch.set_num_threads(int(sys.argv[4]))
with tempfile.TemporaryDirectory() as tmp:
    r = train(sys.argv[1], sys.argv[2], seed=0, steps=int(sys.argv[3]), out_dir=tmp, progress=False)
print(json.dumps(r.final_losses))
"""
PATHS = [
    {},
    {"ATEN_CPU_CAPABILITY": "avx2"},
    {"ATEN_CPU_CAPABILITY": "default"},
    {"MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    {"MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    {"DNNL_MAX_CPU_ISA": "AVX2"},
    {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2", "DNNL_MAX_CPU_ISA": "SSE41"},
]


def main() -> None:
    for name, (dataset, variant, steps) in SHORT_RUNS.items():
        seen: dict[str, list[float]] = {}
        for env, threads in itertools.product(PATHS, (1, 2)):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, dataset, variant, str(steps), str(threads)],
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=True,
            )
            losses = json.loads(out.stdout.strip().splitlines()[-1])
            for key, value in losses.items():
                seen.setdefault(key, []).append(value)
            print(name, threads, env, losses, flush=True)
        for key, values in seen.items():
            spread = max(values) - min(values)
            print(f"{name} {key}: min {min(values):.9g} max {max(values):.9g} spread {spread:.3g}")


if __name__ == "__main__":
    main()
