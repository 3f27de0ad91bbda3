"""Benchmark: how the image evaluation's cost grows with the number N of generated images
(issue 28), each metric family timed alone in a fresh process with its peak memory.

Run: python tests/benchmarks/bench_scaling.py [--sizes 1000 5000 10000 50000]
One model, the bundled Fashion-MNIST mmgan-sgan (a generator with an encoder), draws N images
once; their classifier outputs, and those of N real training images, are saved, and each
(family, N) then runs in its own process, which reports its seconds and its peak resident
memory (the process's whole high-water mark: imports, inputs and the family's own arrays):
- generate: drawing N images and their classifier outputs (the generated side every family reads);
- fcd_kid: FCD (the test split's logits against N generated) and KID (100 subsets of 1000);
- prdc: precision/recall/density/coverage, N generated against N real training features
  (k-NN: quadratic by definition, chunked);
- quality: GM-GAN's quality score, each generated image's nearest of the 60k training features;
- msssim: the evaluation's MS-SSIM diversity over 20,000 sampled pairs (constant in N);
- msssim_all_pairs: for N <= --all-pairs-max, the mean over all N(N-1)/2 pairs (quadratic by
  definition; a library function the suites do not call);
- clustering: the encoder's clusters of N real training images, and their ACC/NMI/ARI/purity.
Prints a table of seconds and MiB per family and N, and each family's fitted exponent
(least squares of log seconds on log N; 1 = linear).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

KEY = "fashion-mnist/fashion-mnist/mmgan-sgan/seed0"
FAMILIES = ("generate", "fcd_kid", "prdc", "quality", "msssim", "msssim_all_pairs", "clustering")


def _inputs(folder: Path, n: int) -> None:
    """The generated images of N draws and the classifier outputs both sides need."""
    from gan_bench.bench.context import classifier_outputs_of, dataset_classifier, real_outputs_of
    from gan_bench.bench.models import load_reference

    model = load_reference(KEY)
    images, _ = model.sample(n, seed=0)
    logits, features = classifier_outputs_of(dataset_classifier("fashion-mnist"), images)
    _, train = real_outputs_of("fashion-mnist", "train")
    np.savez(
        folder / f"inputs{n}.npz", images=images.numpy(), logits=logits, features=features, train=train[:n]
    )


def _family(name: str, folder: Path, n: int, all_pairs_max: int) -> dict:
    import torch

    from gan_bench.bench.context import classifier_outputs_of, dataset_classifier, real_outputs_of
    from gan_bench.bench.models import load_reference
    from gan_bench.data import load
    from gan_bench.metrics import (
        ari,
        cluster_accuracy,
        diversity_score,
        frechet_distance_from_features,
        kid,
        mean_pairwise_ms_ssim,
        nmi,
        precision_recall_density_coverage,
        purity,
        quality_scores,
    )

    model = load_reference(KEY)
    with np.load(folder / f"inputs{n}.npz") as stored:
        x = {k: stored[k] for k in stored.files}
    test_logits, test_features = real_outputs_of("fashion-mnist", "test")
    _, train = real_outputs_of("fashion-mnist", "train")
    train_split = load("fashion-mnist", "train") if name == "clustering" else None
    start = time.perf_counter()
    if name == "generate":
        images, _ = model.sample(n, seed=0)
        classifier_outputs_of(dataset_classifier("fashion-mnist"), images)
    elif name == "fcd_kid":
        frechet_distance_from_features(test_logits, x["logits"])
        kid(test_features, x["features"], subset_size=min(1000, n))
    elif name == "prdc":
        precision_recall_density_coverage(x["train"], x["features"], k=5)
    elif name == "quality":
        quality_scores(x["features"], train, a=1.0)
    elif name == "msssim":
        images = torch.from_numpy(x["images"])
        diversity_score(images, x["logits"].argmax(1), 10, max_pairs=20000, seed=0, convention="valid")
    elif name == "msssim_all_pairs":
        mean_pairwise_ms_ssim(torch.from_numpy(x["images"]), convention="valid")
    elif name == "clustering":
        real = train_split.samples[:n]
        clusters = model.predict_cluster(real).numpy()
        labels = train_split.labels[:n].numpy()
        (
            cluster_accuracy(labels, clusters),
            nmi(labels, clusters),
            ari(labels, clusters),
            purity(labels, clusters),
        )
    seconds = time.perf_counter() - start
    import resource

    return {
        "seconds": seconds,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _exponent(sizes: list[int], seconds: list[float]) -> float:
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 50000])
    parser.add_argument("--all-pairs-max", type=int, default=5000, help="largest N for all-pairs MS-SSIM")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=FAMILIES)
    parser.add_argument("--one", nargs=3, metavar=("FAMILY", "FOLDER", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        name, folder, n = args.one
        print(json.dumps(_family(name, Path(folder), int(n), args.all_pairs_max)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.sizes:
            _inputs(folder, n)
        table: dict[str, dict[int, dict]] = {f: {} for f in args.families}
        for name in args.families:
            for n in args.sizes:
                if name == "msssim_all_pairs" and n > args.all_pairs_max:
                    continue
                child = [
                    sys.executable,
                    __file__,
                    "--all-pairs-max",
                    str(args.all_pairs_max),
                    "--one",
                    name,
                    tmp,
                    str(n),
                ]
                out = subprocess.run(child, check=True, capture_output=True, text=True).stdout
                table[name][n] = json.loads(out.strip().splitlines()[-1])
                print(name, n, table[name][n], flush=True)
    print()
    print("| family | " + " | ".join(f"N = {n:,}" for n in args.sizes) + " | exponent |")
    print("| --- | " + " | ".join("---" for _ in args.sizes) + " | --- |")
    for name in args.families:
        done = [n for n in args.sizes if n in table[name]]
        cells = [
            f"{table[name][n]['seconds']:.2f} s, {table[name][n]['peak_mib']:.0f} MiB"
            if n in table[name]
            else "not run"
            for n in args.sizes
        ]
        exponent = (
            _exponent(done, [table[name][n]["seconds"] for n in done]) if len(done) > 1 else float("nan")
        )
        print(f"| {name} | " + " | ".join(cells) + f" | {exponent:.2f} |")


if __name__ == "__main__":
    main()
