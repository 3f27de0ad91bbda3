"""What an evaluated run hands the report beside its numbers: typed, so that no string key
crosses a module boundary (issue 24). The metrics fill them in (:mod:`gan_bench.bench.context`
carries one of each), :mod:`gan_bench.bench.results` saves and loads them in the run's
``.npz``, and the report reads their fields.

Both classes have slots: a misspelt field is an ``AttributeError`` where it is written, not a
silent new key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np


@dataclass(slots=True)
class RunArtifacts:
    """The arrays the report draws, each None where the run's metrics did not make it."""

    samples: np.ndarray | None = None  # 2-D data: generated points (the mode report's sample size)
    reference: np.ndarray | None = None  # 2-D data: real test points under them
    means: np.ndarray | None = None  # the mixture's mode centres
    std: np.ndarray | None = None  # and its standard deviation
    mode_counts: np.ndarray | None = None  # high-quality samples per mode (PacGAN/MD-GAN)
    sweep_scales: np.ndarray | None = None  # the quality-diversity sweep's latent scales
    sweep_quality: np.ndarray | None = None
    sweep_diversity: np.ndarray | None = None
    class_hist: np.ndarray | None = None  # the generated images' predicted classes
    train_class_hist: np.ndarray | None = None  # the training split's classes
    stacked_counts: np.ndarray | None = None  # samples per Stacked MNIST digit triple
    image_grid: np.ndarray | None = None  # (rows, columns, C, H, W) uint8 samples
    learned_prior: np.ndarray | None = None  # NEMGAN-P's softmax(alpha), modes matched to classes
    train_ratio: np.ndarray | None = None  # the training split's class ratio beside it

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that are set, by field name (the ``.npz`` entries)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> RunArtifacts:
        """The fields from a file's entries; an entry no field names (a newer version's) is left out."""
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in arrays.items() if key in names})


@dataclass(slots=True)
class RunNotes:
    """What the report says about a run in words, and what its results were computed from."""

    source: str = ""  # where the dataset came from
    trained_on: str | None = None  # the digits a model of MNIST digits was trained on, in words
    grid_rows_are_modes: bool = False  # image_grid has one row per latent mode
    skipped: dict[str, str] = field(default_factory=dict)  # metric -> why it was not computed
    fcd: str | None = None  # how FCD was taken (the reference split)
    fcd_inf: dict[str, list] | None = None  # FCD-infinity's sample sizes and their FCDs
    fcd_per_class: dict[str, Any] | None = None
    diversity: str | None = None  # how the MS-SSIM diversity was sampled
    sweep: str | None = None  # the sweep's sample sizes
    stacked_reference: dict[str, Any] | None = None  # real Stacked MNIST through the same protocol
    checkpoint_sha256: str | None = None  # the checkpoint the results came from
    evaluated_with: dict[str, Any] | None = None  # the suite's metrics and sample sizes

    def to_json(self) -> dict[str, Any]:
        """The notes that are set (a field at its default is left out, as files have always been)."""
        defaults = RunNotes()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(defaults, f.name)
        }

    @classmethod
    def from_json(cls, notes: dict[str, Any]) -> RunNotes:
        """The notes from a file; a key no field names (a newer version's) is left out."""
        if not isinstance(notes, dict):
            raise TypeError(f"run notes: expected a JSON object, got {type(notes).__name__}")
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in notes.items() if key in names})
