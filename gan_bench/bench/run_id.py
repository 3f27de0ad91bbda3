"""A cell of a suite's grid by name: (suite, dataset, run, seed), its checkpoint's key and its
files' names (no pandas or torch: ``gan-bench list`` reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gan_bench.store.untrusted import file_name

ARTIFACTS_DIR = "runs"  # a report folder's per-run files


@dataclass(frozen=True, order=True)
class RunId:
    """(suite, dataset, run, seed): one trained model evaluated once."""

    suite: str
    dataset: str
    run: str
    seed: int

    @property
    def model_key(self) -> str:
        """The key of the bundled checkpoint in ``models/manifest.json``."""
        return f"{self.suite}/{self.dataset}/{self.run}/seed{self.seed}"

    @property
    def file_stem(self) -> str:
        """The run as one file name: its parts through :func:`~gan_bench.store.untrusted.file_name`,
        joined by ``__``."""
        return "__".join(file_name(part) for part in (self.suite, self.dataset, self.run, f"seed{self.seed}"))

    def artifact_path(self, out: Path) -> Path:
        """The per-run ``.npz`` the report reads (samples, mode counts, class histogram...)."""
        return Path(out) / ARTIFACTS_DIR / f"{self.file_stem}.npz"
