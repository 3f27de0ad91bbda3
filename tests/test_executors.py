"""The executor interface: where ``gan-bench run`` runs its cells."""

import os

import pytest
import torch

from gan_bench.bench.config import load_config
from gan_bench.bench.executors import Executor, LocalExecutor
from gan_bench.bench.runner import make_executor, train_missing_models


def _where(job: int) -> tuple[int, int, int]:
    return job, os.getpid(), torch.get_num_threads()


def test_local_executor_yields_in_job_order_from_one_thread_workers():
    jobs = list(range(6))[::-1]
    results = list(LocalExecutor(2).map(_where, jobs))
    assert [job for job, _, _ in results] == jobs
    assert {threads for _, _, threads in results} == {1}
    assert os.getpid() not in {pid for _, pid, _ in results}


def test_local_executor_with_one_job_runs_in_this_process():
    results = list(LocalExecutor(1).map(_where, [1, 2]))
    assert [pid for _, pid, _ in results] == [os.getpid()] * 2


def test_executor_names_and_job_counts_are_checked():
    with pytest.raises(ValueError, match="unknown executor 'dask'; expected one of: local, ray"):
        make_executor("dask")
    with pytest.raises(ValueError, match="jobs: expected a positive number of parallel jobs, got 0"):
        make_executor("local", jobs=0)


class _Recording(Executor):
    """Records what it is asked to run and runs nothing."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, bool]] = []

    def map(self, fn, jobs, *, gpu=False):
        self.calls.append((fn.__name__, len(jobs), gpu))
        return iter(())


@pytest.mark.parametrize("device, gpu", [("cpu", False), ("cuda", True)])
def test_training_jobs_ask_for_a_gpu_only_with_cuda(tiny, device, gpu):
    config, _ = tiny
    cells = _Recording()
    train_missing_models(list(load_config(config).suites.values()), cells, device, progress=False)
    assert cells.calls == [("train_job", 2, gpu)]
