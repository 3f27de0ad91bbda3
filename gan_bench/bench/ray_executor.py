"""The Ray executor: one Ray task per grid cell (``gan-bench run --executor ray``).

Without an address, Ray starts a local cluster of this machine's cores for the run and
stops it afterwards; with one (``ray start --head`` printed it), the run joins that cluster
and leaves it running. Each task asks Ray for one CPU and runs torch on one thread; a
training task with ``--device cuda`` also asks for one GPU. A task whose worker dies is
retried by Ray (``max_retries``); its result is returned to the driver, which alone
writes files, so a retried task cannot leave a duplicate row or a half-written checkpoint
behind.

The driver's ``GAN_BENCH_*`` environment variables (the data, model and cache roots) are
passed to the tasks through Ray's runtime environment. Workers on other machines need
gan-bench installed and the image datasets they evaluate on their own disks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import torch

from gan_bench.bench.executors import Executor, Job, Result

INSTALL_HINT = "pip install 'gan-bench[ray]'"
MAX_RETRIES = 3  # Ray's retries of a task whose worker process or node died


class RayNotInstalledError(RuntimeError):
    """``--executor ray`` without Ray installed."""


def import_ray() -> Any:
    """The ``ray`` module, or an error that says how to install it."""
    try:
        import ray
    except ImportError as err:
        raise RayNotInstalledError(
            f"--executor ray needs Ray, which is not installed: {INSTALL_HINT}"
        ) from err
    return ray


def _run_on_one_thread(fn: Callable[[Job], Result], job: Job) -> Result:
    torch.set_num_threads(1)
    return fn(job)


def forwarded_environment() -> dict[str, str]:
    """The driver's gan-bench settings, for the tasks."""
    return {key: value for key, value in os.environ.items() if key.startswith("GAN_BENCH_")}


class RayExecutor(Executor):
    """Runs each job as a Ray task; yields the results in job order."""

    shares_files = False  # a task may run on another machine

    def __init__(
        self,
        address: str | None = None,
        *,
        cpus_per_task: float = 1.0,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.ray = import_ray()
        self.connected_here = not self.ray.is_initialized()
        if self.connected_here:
            self.ray.init(
                address=address,
                runtime_env={"env_vars": forwarded_environment()},
                include_dashboard=False,
                logging_level=logging.WARNING,
                log_to_driver=False,
            )
        self.cpus_per_task, self.max_retries = cpus_per_task, max_retries
        self.task = self.ray.remote(_run_on_one_thread)

    def map(self, fn: Callable[[Job], Result], jobs: Sequence[Job], *, gpu: bool = False) -> Iterator[Result]:
        # workers show as ray::<name> while they run a job
        task = self.task.options(
            name=fn.__name__,
            num_cpus=self.cpus_per_task,
            num_gpus=1 if gpu else 0,
            max_retries=self.max_retries,
        )
        refs = [task.remote(fn, job) for job in jobs]
        collected = 0
        try:
            for ref in refs:
                try:
                    result = self.ray.get(ref)
                except self.ray.exceptions.RayTaskError as err:
                    # the task's own error (a damaged checkpoint, bad data), not Ray's wrapper
                    # around it with the remote traceback, which --debug still shows
                    raise (err.cause if isinstance(err.cause, Exception) else err) from err
                yield result
                collected += 1
        finally:  # an error or Ctrl-C in the driver: drop the cells not yet collected
            for ref in refs[collected:]:
                self.ray.cancel(ref)

    def close(self) -> None:
        if self.connected_here and self.ray.is_initialized():
            self.ray.shutdown()
