"""A suite's sample sizes, without torch (read with ``benchmarks.toml``)."""

from __future__ import annotations

from dataclasses import dataclass

from gan_bench.defaults import SAMPLE_SIZES


@dataclass(frozen=True)
class SampleSizes:
    """How many samples each metric uses (the suite's settings; defaults in
    :data:`gan_bench.defaults.SAMPLE_SIZES`)."""

    samples: int = SAMPLE_SIZES["samples"]
    emd_samples: int = SAMPLE_SIZES["emd_samples"]
    pairs: int = SAMPLE_SIZES["pairs"]
    sweep_samples: int = SAMPLE_SIZES["sweep_samples"]
    sweep_pairs: int = SAMPLE_SIZES["sweep_pairs"]
    kid_subset: int = SAMPLE_SIZES["kid_subset"]
    fid_samples: int = SAMPLE_SIZES["fid_samples"]
    # resamples of the within-seed percentile bootstrap, and permutations of a clustering
    # score's chance level (0: neither); not a sample size, but a suite setting that changes
    # what is written, so it is recorded with them
    bootstrap: int = SAMPLE_SIZES["bootstrap"]
