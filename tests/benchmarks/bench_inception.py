"""Benchmark: Inception pool3 features, ours vs pytorch-fid's own activation loop, in one run.

Run: python tests/benchmarks/bench_inception.py [--images 100] [--batch 50] [--repeats 5]

Both sides use the same randomly initialised pytorch-fid InceptionV3 (the real weights
cannot be downloaded here) and the same batch size. pytorch-fid's ``get_activations``
reads the images from PNG files, as its command line does; ours takes the tensors. Prints
the median time of each side, the throughput ratio, the largest feature difference and
the process peak memory; then the bfloat16 option (autocast) and the relative FID
deviation it causes between two sets of images. Ours runs in channels-last layout.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from timing import median_time, peak_mib

from gan_bench.metrics import frechet_distance_from_features, inception_features
from gan_bench.metrics.inception import build_inception, random_inception_state_dict


def images(n: int, seed: int, ink: float = 0.15) -> torch.Tensor:
    """Digit-like grey 28x28 images: smoothed random strokes in [0, 1], ``ink`` of the pixels set."""
    g = torch.Generator().manual_seed(seed)
    x = (torch.rand(n, 1, 28, 28, generator=g) > 1 - ink).float()
    kernel = torch.ones(1, 1, 3, 3) / 9.0
    return torch.nn.functional.conv2d(x, kernel, padding=1).clamp(0, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from pytorch_fid.fid_score import get_activations

    model = build_inception(random_inception_state_dict(0))
    x = (images(args.images, 0) * 255).round().to(torch.uint8)  # the pixels the PNG files hold
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for i, img in enumerate(x[:, 0].numpy()):
            path = Path(folder) / f"{i:05d}.png"
            Image.fromarray(img).convert("RGB").save(path)
            files.append(path)
        t_ref, ref = median_time(
            lambda: get_activations(files, model, batch_size=args.batch, device="cpu", num_workers=0),
            args.repeats,
        )
    t_ours, ours = median_time(lambda: inception_features(x, model, batch_size=args.batch), args.repeats)
    print(f"{args.images} images 28x28 -> 299x299, batch {args.batch}, {torch.get_num_threads()} threads")
    print(f"pytorch-fid get_activations (PNG files) : {t_ref:7.2f} s  {args.images / t_ref:6.1f} images/s")
    print(f"gan_bench inception_features (tensors)  : {t_ours:7.2f} s  {args.images / t_ours:6.1f} images/s")
    print(f"throughput ratio (ours / pytorch-fid)   : {t_ref / t_ours:7.2f}x")
    diff = np.abs(ours - ref).max()
    print(f"largest feature difference              : {diff:.3g} ({diff / np.abs(ref).max():.2g} of max)")

    y = images(args.images, 1, ink=0.3)  # another distribution, so that the FID is not ~0
    t_low, low = median_time(
        lambda: inception_features(x, model, batch_size=args.batch, precision="bfloat16"), args.repeats
    )
    fid32 = frechet_distance_from_features(ours, inception_features(y, model, batch_size=args.batch))
    fid16 = frechet_distance_from_features(
        low, inception_features(y, model, batch_size=args.batch, precision="bfloat16")
    )
    print(f"bfloat16 + channels-last                : {t_low:7.2f} s  {t_ours / t_low:.2f}x float32")
    print(f"FID float32 {fid32:.6g}, bfloat16 {fid16:.6g}: deviation {abs(fid16 - fid32) / fid32:.3%}")
    print(f"peak memory                             : {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
