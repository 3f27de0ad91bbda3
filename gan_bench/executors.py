"""Where the grid's cells run: the executor interface and the local executor.

``gan-bench run`` hands each cell that lacks a checkpoint or a result to an executor as a
picklable job, and receives the cells' results back in the driver, which alone writes
``models/``, the manifest and ``results.csv``. An executor only runs jobs:

- :class:`LocalExecutor`: in this process, or in ``jobs`` worker processes of one thread
  each (the default);
- :class:`gan_bench.ray_executor.RayExecutor`: one Ray task per job, on a local Ray
  cluster or an existing one (``gan-bench run --executor ray``, the ``ray`` extra).

Both yield results in the order of the jobs, so the driver records them in grid order.
"""

from __future__ import annotations

import os
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import torch

Job = TypeVar("Job")
Result = TypeVar("Result")

EXECUTORS = ("local", "ray")


class Executor(ABC):
    """Runs a module-level function on each job and yields the results in job order."""

    # True where the jobs run on this machine's file system, so a training job can resume
    # from its folder under runs/; False: each job works in a temporary folder of its own
    shares_files: bool = True

    @abstractmethod
    def map(self, fn: Callable[[Job], Result], jobs: Sequence[Job], *, gpu: bool = False) -> Iterator[Result]:
        """``fn(job)`` for every job, yielded in the order of ``jobs`` as each arrives;
        ``gpu``: each job needs a GPU (training with ``--device cuda``)."""

    def close(self) -> None:  # noqa: B027 (most executors hold nothing to release)
        """Release what the executor holds (a cluster connection)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _worker_init() -> None:
    torch.set_num_threads(1)


class LocalExecutor(Executor):
    """This process (``jobs <= 1``) or a pool of ``jobs`` processes with one thread each."""

    def __init__(self, jobs: int = 1) -> None:
        if jobs < 1:
            raise ValueError(f"jobs: expected a positive number of parallel jobs, got {jobs}")
        cpus = os.cpu_count() or 1
        if jobs > cpus:
            warnings.warn(
                f"jobs: {jobs} parallel jobs on {cpus} CPUs; each job runs one thread, so jobs beyond "
                f"{cpus} only add processes and memory (the pool never exceeds the cells to run)",
                RuntimeWarning,
                stacklevel=2,
            )
        self.jobs = jobs

    def map(self, fn: Callable[[Job], Result], jobs: Sequence[Job], *, gpu: bool = False) -> Iterator[Result]:
        if self.jobs <= 1 or len(jobs) <= 1:
            for job in jobs:
                yield fn(job)
            return
        with ProcessPoolExecutor(min(self.jobs, len(jobs)), initializer=_worker_init) as pool:
            yield from pool.map(fn, jobs)


def make_executor(name: str, *, jobs: int = 1, address: str | None = None) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        if address is not None:
            raise ValueError("--address is for --executor ray; the local executor runs on this machine")
        return LocalExecutor(jobs)
    if name == "ray":
        from gan_bench.ray_executor import RayExecutor

        return RayExecutor(address=address)
    raise ValueError(f"unknown executor '{name}'; expected one of: {', '.join(EXECUTORS)}")
