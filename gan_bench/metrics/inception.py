"""FID feature extraction with pytorch-fid's InceptionV3 (2048-d pool3).

The network, its bilinear resize to 299x299 and its scaling to [-1, 1] are
pytorch-fid's own (``pytorch_fid.inception.InceptionV3``), so features equal those of
``pytorch_fid.fid_score`` on the same images. Grey images are repeated to 3 channels.

Weights are resolved, in order, from an explicit path, the environment variable
``GAN_BENCH_INCEPTION_WEIGHTS``, and the torch hub cache (where pytorch-fid itself
downloads them). Downloading is only attempted when the caller allows it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
import torch

from gan_bench import defaults
from gan_bench.defaults import PRECISIONS
from gan_bench.metrics.frechet import feature_statistics, frechet_distance
from gan_bench.progress import progress_bar
from gan_bench.store.array_cache import cached_arrays
from gan_bench.store.untrusted import safe_load
from gan_bench.validation import ArrayLike, as_images, check_count

if TYPE_CHECKING:
    from pytorch_fid.inception import InceptionV3

WEIGHTS_ENV = defaults.INCEPTION_WEIGHTS_ENV
# pytorch-fid's FID_WEIGHTS_URL names this file (tested); pytorch-fid itself (and with it
# torchvision) is imported only when a network is built, so importing the metrics stays light.
WEIGHTS_FILENAME = "pt_inception-2015-12-05-6726825d.pth"
FEATURE_DIM = 2048
_PATCH_LOCK = threading.Lock()


class InceptionWeightsNotFoundError(FileNotFoundError):
    """The FID Inception weights are not on this machine and may not be downloaded."""


def hub_weights_path() -> Path:
    """Where pytorch-fid (through torch hub) caches the FID Inception weights."""
    return Path(torch.hub.get_dir()) / "checkpoints" / WEIGHTS_FILENAME


def resolve_inception_weights(path: str | os.PathLike | None = None) -> Path:
    """Find the FID Inception weights: explicit path, then $GAN_BENCH_INCEPTION_WEIGHTS,
    then the torch hub cache. Raises :class:`InceptionWeightsNotFoundError` naming the file.
    """
    looked: list[str] = []
    if path is not None:
        candidate = Path(path)
        if candidate.is_file():
            return candidate
        looked.append(f"explicit path {candidate} (missing)")
    candidate = defaults.inception_weights_env()
    if candidate is not None:
        if candidate.is_file():
            return candidate
        looked.append(f"${WEIGHTS_ENV}={candidate} (missing)")
    else:
        looked.append(f"${WEIGHTS_ENV} (unset)")
    hub = hub_weights_path()
    if hub.is_file():
        return hub
    looked.append(f"torch hub cache {hub} (missing)")
    raise InceptionWeightsNotFoundError(
        f"FID needs the Inception weights file {WEIGHTS_FILENAME} (pytorch-fid's port of the "
        f"TF 2015-12-05 Inception). Looked in: {'; '.join(looked)}. Download it from "
        f"{_fid_inception().FID_WEIGHTS_URL} on a machine with internet and either put it at "
        f"{hub}, set {WEIGHTS_ENV} to its path, or pass weights=PATH."
    )


def _fid_inception() -> ModuleType:
    import pytorch_fid.inception

    return pytorch_fid.inception


@contextmanager
def _fid_state_dict_source(state_dict: dict) -> Iterator[None]:
    """Make pytorch-fid's constructor take ``state_dict`` instead of downloading."""
    fid_inception = _fid_inception()
    with _PATCH_LOCK:
        original = fid_inception.load_state_dict_from_url
        fid_inception.load_state_dict_from_url = lambda *args, **kwargs: state_dict
        try:
            yield
        finally:
            fid_inception.load_state_dict_from_url = original


def build_inception(state_dict: dict) -> InceptionV3:
    """pytorch-fid's InceptionV3 (pool3 block, its resize and normalisation) with the
    given weights, in eval mode."""
    fid_inception = _fid_inception()
    with _fid_state_dict_source(state_dict):
        model = fid_inception.InceptionV3(
            [fid_inception.InceptionV3.BLOCK_INDEX_BY_DIM[FEATURE_DIM]],
            resize_input=True,
            normalize_input=True,
        )
    return model.eval()


def random_inception_state_dict(seed: int = 0) -> dict:
    """Weights of pytorch-fid's FID Inception architecture, randomly initialised with
    ``seed``: for tests and benchmarks on machines where the real weights cannot be had."""
    fid_inception = _fid_inception()
    original = torch.nn.Module.load_state_dict
    torch.manual_seed(seed)
    with _PATCH_LOCK:
        saved = fid_inception.load_state_dict_from_url
        try:
            torch.nn.Module.load_state_dict = lambda self, *a, **k: None
            fid_inception.load_state_dict_from_url = lambda *a, **k: {}
            net = fid_inception.fid_inception_v3()
        finally:
            torch.nn.Module.load_state_dict = original
            fid_inception.load_state_dict_from_url = saved
    return {k: v.clone() for k, v in net.state_dict().items()}


def load_inception(weights: str | os.PathLike | None = None, *, download: bool = False) -> InceptionV3:
    """Load the FID InceptionV3. With ``download=True`` and no local file, fetch it
    into the torch hub cache as pytorch-fid does."""
    try:
        path = resolve_inception_weights(weights)
    except InceptionWeightsNotFoundError:
        if not download:
            raise
        state_dict = torch.hub.load_state_dict_from_url(_fid_inception().FID_WEIGHTS_URL, progress=True)
    else:
        state_dict = safe_load(path, f"Inception weights {path}")
    return build_inception(state_dict)


@torch.no_grad()
def inception_features(
    images: ArrayLike,
    model: torch.nn.Module,
    *,
    batch_size: int = 50,
    device: str | torch.device = "cpu",
    progress: bool = False,
    precision: str = "float32",
) -> np.ndarray:
    """Pool3 features (N, 2048) of images in [0, 1] or uint8; grey repeats to RGB.

    The network runs in channels-last layout (oneDNN's faster convolutions on a CPU; the
    features equal pytorch-fid's to float rounding). ``precision="bfloat16"`` adds bfloat16
    autocast: faster again, at a cost in FID that ``tests/benchmarks/bench_inception.py``
    reports, so the default is float32.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision: expected one of {PRECISIONS}, got {precision!r}")
    check_count(batch_size, "batch_size")
    x = as_images(images, "images")
    low = precision == "bfloat16"
    model = model.to(device, memory_format=torch.channels_last).eval()
    device_type = torch.device(device).type
    out = np.empty((len(x), FEATURE_DIM), dtype=np.float64)
    starts = range(0, len(x), batch_size)
    for start in progress_bar(starts, desc="inception features", enabled=progress):
        batch = x[start : start + batch_size].to(device)
        if batch.shape[1] == 1:
            batch = batch.repeat(1, 3, 1, 1)
        with torch.autocast(device_type, dtype=torch.bfloat16, enabled=low):
            feats = model(batch.contiguous(memory_format=torch.channels_last))[0]
        out[start : start + len(batch)] = feats.squeeze(-1).squeeze(-1).double().cpu().numpy()
    return out


def weights_fingerprint(model: torch.nn.Module) -> str:
    """A short sha256 of every parameter and buffer: different weights, different key."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def fid_cache_choices(real_images_key: str, model: torch.nn.Module, n_images: int) -> dict[str, object]:
    """What FID's cached real statistics depend on: the caller's name for the real images plus
    every preprocessing choice this pipeline makes and the weights that were used (the entry's
    name and check, :mod:`gan_bench.store.array_cache`)."""
    return dict(
        images=real_images_key,
        n=n_images,
        extractor="pytorch-fid-InceptionV3-pool3-2048",
        resize="bilinear-299",
        scaling="[0,1]->[-1,1]",
        grey="repeat-to-rgb",
        weights=weights_fingerprint(model),
    )


def cached_statistics(
    cache_dir: str | os.PathLike,
    choices: dict[str, object],
    compute_features: Callable[[], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Feature mean and covariance of the real images named by ``choices``: computed once,
    written atomically and checked on read (:func:`gan_bench.store.array_cache.cached_arrays`)."""

    def statistics() -> dict[str, np.ndarray]:
        mu, sigma = feature_statistics(compute_features(), "real features")
        return {"mu": mu, "sigma": sigma}

    stored = cached_arrays(cache_dir, choices, statistics, names=("mu", "sigma"))
    return stored["mu"], stored["sigma"]


def fid(
    real_images: ArrayLike,
    fake_images: ArrayLike,
    *,
    model: torch.nn.Module | None = None,
    weights: str | os.PathLike | None = None,
    batch_size: int = 50,
    device: str | torch.device = "cpu",
    real_cache_key: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: bool = False,
) -> float:
    """Fréchet Inception Distance (Heusel et al. 2017) between two image sets.

    Images are float in [0, 1] or uint8, shape (N, C, H, W) with C in {1, 3}. The MD-GAN
    protocol uses 10k real vs 10k generated images. With ``real_cache_key`` (the caller's
    name for the real set, e.g. "mnist-test") the real statistics are cached on disk under a
    key that adds every preprocessing choice and a fingerprint of the weights
    (:func:`fid_cache_choices`).
    """
    model = model if model is not None else load_inception(weights)

    def features(images: ArrayLike) -> np.ndarray:
        return inception_features(images, model, batch_size=batch_size, device=device, progress=progress)

    if real_cache_key is None:
        mu_r, sigma_r = feature_statistics(features(real_images), "real features")
    else:
        choices = fid_cache_choices(real_cache_key, model, len(real_images))
        mu_r, sigma_r = cached_statistics(
            cache_dir or defaults.cache_root() / "fid_stats", choices, lambda: features(real_images)
        )
    mu_f, sigma_f = feature_statistics(features(fake_images), "fake features")
    return frechet_distance(mu_r, sigma_r, mu_f, sigma_f)
