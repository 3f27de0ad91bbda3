"""Defaults in one place: the environment variables gan-bench reads, the folders they
choose between, the metrics' default sample sizes and the arithmetic precisions. Every
environment value is read at call time, so a test or a user can change the environment
after import.

| variable | what it sets | default |
| --- | --- | --- |
| ``GAN_BENCH_MODELS`` | bundled checkpoints and manifests | the package's ``models/`` (*) |
| ``GAN_BENCH_CONFIG`` | the suites file | the package's ``benchmarks.toml`` (*) |
| ``GAN_BENCH_CACHE`` | downloads, Stacked MNIST indices, real-data features | ``~/.cache/gan_bench`` |
| ``GAN_BENCH_DATA`` | a folder of IDX files searched first | none |
| ``GAN_BENCH_RUNS`` | training folders of ``gan-bench run --train-missing`` | ``runs`` |
| ``GAN_BENCH_INCEPTION_WEIGHTS`` | the FID Inception weights file | the torch hub cache |
| ``GAN_BENCH_QUIET`` | ``1`` turns every progress bar off (``--quiet``) | bars on a terminal only |

(*) inside an installed wheel; in a checkout or an editable install, the repository's top.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

MODELS_ENV = "GAN_BENCH_MODELS"
CONFIG_ENV = "GAN_BENCH_CONFIG"
CACHE_ENV = "GAN_BENCH_CACHE"
DATA_ENV = "GAN_BENCH_DATA"
RUNS_ENV = "GAN_BENCH_RUNS"
INCEPTION_WEIGHTS_ENV = "GAN_BENCH_INCEPTION_WEIGHTS"
QUIET_ENV = "GAN_BENCH_QUIET"

# Default sample sizes of the metrics, where a suite (benchmarks.toml) sets none: the
# PacGAN/MD-GAN mode report (2500), EMD (2000 vs 2000), MS-SSIM pairs of the diversity score,
# the quality-diversity sweep, KID subsets and FID (MD-GAN: 10k vs 10k); and the resamples of
# the within-seed bootstrap.
SAMPLE_SIZES = {
    "samples": 2500,
    "emd_samples": 2000,
    "pairs": 20000,
    "sweep_samples": 1000,
    "sweep_pairs": 5000,
    "kid_subset": 1000,
    "fid_samples": 10000,
    "bootstrap": 200,  # resamples of the within-seed bootstrap intervals (issue 25's B)
}

# The arithmetic precisions torch work can run in: float32, or bfloat16 autocast (training,
# gan_bench.bench.train; Inception features, gan_bench.metrics.inception). One list for both and
# for the command line, which must not import torch to offer the choices.
PRECISIONS = ("float32", "bfloat16")
RESULTS_FILE = "results.csv"  # in every report folder (run, eval, report)
EVAL_SUITE = "eval"  # the suite name of a user's own runs (gan-bench eval)
TRAIN_STEPS = 2000  # gan-bench train without --steps
CHECKPOINT_EVERY = 500  # steps between resume checkpoints of gan-bench train

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries models/ and benchmarks.toml inside the package (pyproject.toml maps
# them there); an editable install or a checkout finds them at the repository's top.
PACKAGED_DATA = _PACKAGE / "_bundled"
CHECKOUT_ROOT = _PACKAGE.parent


def _bundled(name: str) -> Path:
    packaged = PACKAGED_DATA / name
    return packaged if packaged.exists() else CHECKOUT_ROOT / name


def default_models_dir() -> Path:
    """The bundled ``models/`` folder, ignoring ``GAN_BENCH_MODELS``."""
    return _bundled("models")


def models_root() -> Path:
    """$GAN_BENCH_MODELS, else the bundled ``models/`` folder."""
    return Path(os.environ.get(MODELS_ENV) or default_models_dir())


# The image checkpoints of a PyPI install ship apart from the code, one data-only wheel a suite
# (``gan-bench-models-<suite>``, PyPI's 100 MB a file), each a part of this namespace package
# holding ``<suite>/...`` as ``models/`` does; ``packaging/build_wheels.py`` builds them.
MODEL_PACKAGE = "gan_bench_models"
MODEL_WHEEL = "gan-bench-models-{suite}"


def packaged_model_dirs() -> list[Path]:
    """The folders of the installed ``gan-bench-models-<suite>`` wheels (none in a checkout)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    return [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []


def bundled_config_path() -> Path:
    """The bundled ``benchmarks.toml``, ignoring ``GAN_BENCH_CONFIG``."""
    return _bundled("benchmarks.toml")


def papers_path() -> Path:
    """The bundled ``papers.toml``: the papers' numbers and the report's claims."""
    return _bundled("papers.toml")


def config_path() -> Path:
    """$GAN_BENCH_CONFIG, else the bundled ``benchmarks.toml``."""
    return Path(os.environ.get(CONFIG_ENV) or bundled_config_path())


def cache_root() -> Path:
    """$GAN_BENCH_CACHE, else ``~/.cache/gan_bench``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "gan_bench")


def data_root() -> Path | None:
    """$GAN_BENCH_DATA, or None when unset."""
    value = os.environ.get(DATA_ENV)
    return Path(value) if value else None


def runs_root() -> Path:
    """$GAN_BENCH_RUNS, else ``runs`` in the working directory."""
    return Path(os.environ.get(RUNS_ENV) or "runs")


def inception_weights_env() -> Path | None:
    """$GAN_BENCH_INCEPTION_WEIGHTS, or None when unset."""
    value = os.environ.get(INCEPTION_WEIGHTS_ENV)
    return Path(value) if value else None


def quiet() -> bool:
    """True when $GAN_BENCH_QUIET asks for no progress bars."""
    return os.environ.get(QUIET_ENV, "").strip().lower() not in ("", "0", "false", "no")
