"""Evidence for the tolerances of the tests that pin values computed through torch kernels.

Other x86 CPUs run other kernels: ATen's dispatch level (AVX-512, AVX2 or the generic
one), MKL's and oneDNN's instruction sets, OpenBLAS's core type (numpy and scipy) and
numpy's own SIMD loops. This script forces each of those code paths on this machine, with
one or two threads, each in a fresh process, and prints how far every pinned value moves:

- ``train``: the final losses of the short runs of ``tests/test_reproducibility.py``;
- ``eval``: the pinned toy runs of ``tests/test_suites_images.py``: their samples, every
  metric the toy suite computes, and, for the values that are counts (modes, the HQ
  fraction, the clustering scores), how close the nearest sample lies to a decision
  boundary (the 3-sigma radius, the tie between two modes, the tie between two clusters)
  against how far a sample moves: a count cannot change while that ratio exceeds 1;
- ``classifier``: the bundled classifiers' held-out accuracy
  (``tests/test_classifiers.py``): the logits' spread, the predictions that change, and
  the smallest top-two logit gap.

    .venv/bin/python tests/reference/rounding_spread.py [train] [eval] [classifier]

The tests cite what it printed beside each tolerance; a tolerance is at least 10x the
largest spread measured. The CI runs the pinned tests (marker ``pinned``) a second time
under ``GENERIC_PATH``, every library on its generic kernels, so that a pin too tight for
another CPU fails on the submitting machine too:

    .venv/bin/python tests/reference/rounding_spread.py pytest -m pinned
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

TESTS = Path(__file__).resolve().parents[1]
# numpy's AVX-512 loops off (numpy 2.4's feature groups): its AVX2 ones, what a CPU
# without AVX-512 runs (`numpy.show_runtime()` lists X86_V3 only)
NUMPY_AVX2 = "X86_V4 AVX512_ICL AVX512_SPR"
GENERIC_PATH = {
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
    "DNNL_MAX_CPU_ISA": "SSE41",
    "OPENBLAS_CORETYPE": "Prescott",
    "NPY_DISABLE_CPU_FEATURES": NUMPY_AVX2,
}
PATHS = [
    {},
    {"ATEN_CPU_CAPABILITY": "avx2"},
    {"ATEN_CPU_CAPABILITY": "default"},
    {"MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    {"MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    {"DNNL_MAX_CPU_ISA": "AVX2"},
    {"DNNL_MAX_CPU_ISA": "SSE41"},
    {"OPENBLAS_CORETYPE": "SkylakeX"},  # an Intel Xeon's kernels (this AMD EPYC takes Haswell's)
    {"OPENBLAS_CORETYPE": "Prescott"},
    {"NPY_DISABLE_CPU_FEATURES": NUMPY_AVX2},
    GENERIC_PATH,
]
THREADS = (1, 2)

TRAIN_CHILD = """
import json, sys, tempfile, torch
sys.path.insert(0, sys.argv[1])
from test_reproducibility import SHORT
from gan_bench.bench.train import train
torch.set_num_threads(int(sys.argv[2]))
out = {}
for name, (dataset, variant, steps, options) in SHORT.items():
    with tempfile.TemporaryDirectory() as tmp:
        r = train(dataset, variant, seed=0, steps=steps, options=options, out_dir=tmp, progress=False)
    out[name] = r.final_losses
print(json.dumps(out))
"""

EVAL_CHILD = """
import json, sys, numpy as np, torch
sys.path.insert(0, sys.argv[1])
from test_suites_images import PINNED_TOY
from gan_bench.bench.config import load_config
from gan_bench.data import load
from gan_bench.bench.models import load_reference
from gan_bench.bench.context import EvalContext
from gan_bench.bench.registry import evaluate_metrics
torch.set_num_threads(int(sys.argv[2]))
suite = load_config().suites["toy"]
arrays, values = {}, {}
for ident in PINNED_TOY:
    test = load(ident.dataset, "test")
    model = load_reference(ident.model_key)
    ctx = EvalContext(model=model, seed=ident.seed, sizes=suite.sizes, test=test)
    arrays[ident.model_key + "|samples"] = ctx.generated().numpy().astype(np.float64)
    head = getattr(model, "cluster_head", None)
    if head is not None and "clustering" in suite.metrics:
        model.predict_cluster(test.samples)  # fits the head where it was not stored
        with torch.no_grad():
            logits = head(model.to_model_space(test.samples))
        arrays[ident.model_key + "|cluster_logits"] = logits.double().numpy()
    values[ident.model_key] = {v.metric: v.value for v in evaluate_metrics(ctx, suite.metrics)}
np.savez(sys.argv[3], **arrays)
print(json.dumps(values))
"""

CLASSIFIER_CHILD = """
import json, sys, numpy as np, torch
from gan_bench.bench.classifiers import load_classifier
from gan_bench.data import load
torch.set_num_threads(int(sys.argv[2]))
arrays = {}
for name, dataset in (("mnist", "mnist5k"), ("fashion-mnist", "fashion-mnist")):
    model = load_classifier(name)
    with torch.no_grad():
        arrays[name] = model(load(dataset, "test").samples).double().numpy()
np.savez(sys.argv[3], **arrays)
print("{}")
"""


def _children(code: str, folder: Path) -> list[tuple[str, dict, dict[str, np.ndarray]]]:
    """Run ``code`` under every path and thread count; (label, printed JSON, saved arrays)."""
    seen = []
    for index, (env, threads) in enumerate(itertools.product(PATHS, THREADS)):
        target = folder / f"{index}.npz"
        out = subprocess.run(
            [sys.executable, "-c", code, str(TESTS), str(threads), str(target)],
            env={**os.environ, **env, "OMP_NUM_THREADS": str(threads)},
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise RuntimeError(f"{env} x{threads} failed:\n{out.stderr[-3000:]}")
        arrays = dict(np.load(target)) if target.is_file() else {}
        label = f"{threads} thread(s) {env or 'native'}"
        seen.append((label, json.loads(out.stdout.strip().splitlines()[-1]), arrays))
        print(".", end="", flush=True)
    print()
    return seen


def _spread(values: list[float]) -> str:
    low, high = min(values), max(values)
    rel = (high - low) / abs(low) if low else float("inf") if high != low else 0.0
    return f"min {low:.12g} max {high:.12g} spread {high - low:.3g} (relative {rel:.3g})"


def train_spread(folder: Path) -> None:
    runs = _children(TRAIN_CHILD, folder)
    for name in runs[0][1]:
        for key in runs[0][1][name]:
            print(f"train {name} {key}: {_spread([r[1][name][key] for r in runs])}")


def _top_two_gap(logits: np.ndarray) -> np.ndarray:
    top = np.sort(logits, axis=1)
    return top[:, -1] - top[:, -2]


def eval_spread(folder: Path) -> None:
    sys.path.insert(0, str(TESTS))
    from test_suites_images import PINNED_TOY

    from gan_bench.data import load

    runs = _children(EVAL_CHILD, folder)
    native = runs[0][2]
    for ident in PINNED_TOY:
        key = ident.model_key
        for metric in runs[0][1][key]:
            print(f"eval {key} {metric}: {_spread([r[1][key][metric] for r in runs])}")
        test = load(ident.dataset, "test")
        x = native[key + "|samples"]
        moved = max(np.abs(r[2][key + "|samples"] - x).max() for r in runs)
        print(f"eval {key} samples: largest move of a coordinate {moved:.3g} (scale {np.abs(x).max():.3g})")
        if "means" in test.info:
            std = float(test.info["std"])
            dist = np.sort(np.linalg.norm(x[:, None, :] - np.asarray(test.info["means"])[None], axis=2), 1)
            to_radius = np.abs(dist[:, 0] / std - 3.0).min() * std
            to_tie = (dist[:, 1] - dist[:, 0]).min() / 2
            print(
                f"eval {key} mode counts: nearest sample to the 3-sigma radius {to_radius:.3g}, "
                f"to a two-mode tie {to_tie:.3g}; margin / move = {min(to_radius, to_tie) / moved:.3g}"
            )
        if key + "|cluster_logits" in native:
            logits = native[key + "|cluster_logits"]
            shift = max(np.abs(r[2][key + "|cluster_logits"] - logits).max() for r in runs)
            flips = max(
                int((r[2][key + "|cluster_logits"].argmax(1) != logits.argmax(1)).sum()) for r in runs
            )
            gap = _top_two_gap(logits).min()
            ratio = f"{gap / (2 * shift):.3g}" if shift else "inf (the logits do not move)"
            print(
                f"eval {key} clusters: {flips} assignments change; logits move {shift:.3g}; "
                f"smallest top-two gap {gap:.3g}; gap / (2 x move) = {ratio}"
            )


def classifier_spread(folder: Path) -> None:
    from gan_bench.store.classifier_manifest import classifier_record

    runs = _children(CLASSIFIER_CHILD, folder)
    for name in runs[0][2]:
        logits = runs[0][2][name]
        shift = max(np.abs(r[2][name] - logits).max() for r in runs)
        changed = max(int((r[2][name].argmax(1) != logits.argmax(1)).sum()) for r in runs)
        gap = _top_two_gap(logits)
        close = int((gap < 20 * shift).sum())  # could flip under 10x the measured move
        print(
            f"classifier {name}: n {len(logits)}; logits move {shift:.3g}; {changed} predictions change; "
            f"smallest top-two gap {gap.min():.3g}; {close} predictions within 10x the move of a tie; "
            f"recorded held-out accuracy {classifier_record(name).heldout_accuracy}"
        )


def main(parts: list[str]) -> None:
    if parts[:1] == ["pytest"]:  # the rest of the line goes to pytest, under the generic path
        # with an empty disk cache, so that the real data's classifier outputs are computed
        # under the generic kernels too, not read from a cache written on the default ones; its
        # data folder is this machine's (full MNIST imported there), raw data and not a result
        from gan_bench.defaults import cache_root  # no torch: the generic path is still unset

        cache = tempfile.mkdtemp(prefix="generic-path-cache-")
        if (cache_root() / "data").is_dir():
            os.symlink(cache_root() / "data", os.path.join(cache, "data"))
        os.execve(
            sys.executable,
            [sys.executable, "-m", "pytest", *parts[1:]],
            {**os.environ, **GENERIC_PATH, "GAN_BENCH_CACHE": cache},
        )
    known = {"train": train_spread, "eval": eval_spread, "classifier": classifier_spread}
    unknown = set(parts) - set(known)
    if unknown:
        raise SystemExit(f"expected parts among {sorted(known)}, got {sorted(unknown)}")
    for part in parts or list(known):
        with tempfile.TemporaryDirectory() as tmp:
            known[part](Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
