"""Where the grid's cells run: the executor interface and the local executor.

``gan-bench run`` hands each cell that lacks a checkpoint or a result to an executor as a
picklable job, and receives the cells' results back in the driver, which alone writes
``models/``, the manifest and ``results.csv``. An executor only runs jobs:

- :class:`LocalExecutor`: in this process, or in ``jobs`` worker processes of one thread
  each (the default), which end when the driver ends, however it is stopped;
- :class:`gan_bench.bench.ray_executor.RayExecutor`: one Ray task per job, on a local Ray
  cluster or an existing one (``gan-bench run --executor ray``, the ``ray`` extra).

Both yield results in the order of the jobs, so the driver records them in grid order.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import torch

Job = TypeVar("Job")
Result = TypeVar("Result")


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


PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_SECONDS = 1.0


def _die_with_parent(parent: int) -> None:
    """End this worker when the driver ends, however it ends (SIGTERM, SIGKILL, a crash):
    the kernel's parent-death signal on Linux, else a thread that polls the parent's PID."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the driver died before the signal was armed
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="gan-bench-parent-watch", daemon=True).start()


def _worker_init(parent: int) -> None:
    _die_with_parent(parent)
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
        workers = min(self.jobs, len(jobs))
        with ProcessPoolExecutor(workers, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            yield from pool.map(fn, jobs)
