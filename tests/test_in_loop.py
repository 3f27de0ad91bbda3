"""The in-loop Evaluator: the real side once (from the disk cache where present), then the
same numbers as evaluate_generator / evaluate_samples at every call."""

import numpy as np
import pytest

import gan_bench
from gan_bench.bench import context
from gan_bench.bench.in_loop import IN_LOOP_METRICS, Evaluator
from gan_bench.bench.models import load_reference
from gan_bench.bench.sample_set import TooFewSamplesError

KEY = "mnist/mnist5k/vanilla/seed0"
N = 400


@pytest.fixture(scope="module")
def model():
    return load_reference(KEY)


def _sample(model):
    return lambda n, seed: model.sample(n, seed=seed)[0]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty disk cache and empty per-process caches of the real side."""
    monkeypatch.setenv("GAN_BENCH_CACHE", str(tmp_path / "cache"))
    for cached in (context.real_outputs_of, context.real_radii_of):
        cached.cache_clear()
    yield tmp_path / "cache" / context.REAL_OUTPUTS_CACHE
    for cached in (context.real_outputs_of, context.real_radii_of):
        cached.cache_clear()


def test_calls_score_exactly_as_evaluate_generator_and_evaluate_samples(model):
    evaluator = Evaluator("mnist5k", n=N)
    rows = evaluator(_sample(model), seed=3)
    reference = gan_bench.evaluate_generator(
        _sample(model), "mnist5k", metrics=list(IN_LOOP_METRICS), seed=3, sizes=evaluator.sizes
    )
    assert rows["metric"].tolist() == ["fcd", "kid", "precision", "recall", "density", "coverage"]
    np.testing.assert_array_equal(rows["value"].to_numpy(), reference["value"].to_numpy())
    np.testing.assert_array_equal(rows["ci_low"].to_numpy(), reference["ci_low"].to_numpy())
    assert rows.set_index("metric").n_samples["fcd"] == N
    # a batch of samples scores as evaluate_samples scores it
    batch = model.sample(N + 80, seed=5)[0]
    np.testing.assert_array_equal(
        evaluator(batch)["value"].to_numpy(),
        gan_bench.evaluate_samples(batch, "mnist5k", metrics=list(IN_LOOP_METRICS), sizes=evaluator.sizes)[
            "value"
        ].to_numpy(),
    )
    # a second call with another generator state gives other numbers: nothing is stale
    assert evaluator(_sample(model), seed=4)["value"].tolist() != rows["value"].tolist()


def test_the_real_side_is_computed_once_and_read_from_disk_by_the_next_process(
    model, fresh_cache, monkeypatch
):
    passes = []
    real_pass = context.classifier_outputs_of

    def counting(classifier, images, batch=1000):
        passes.append(len(images))
        return real_pass(classifier, images, batch)

    radii = []
    real_radii = context.knn_radii
    monkeypatch.setattr(context, "classifier_outputs_of", counting)
    monkeypatch.setattr(context, "knn_radii", lambda x, k: radii.append(len(x)) or real_radii(x, k))
    evaluator = Evaluator("mnist5k", n=N, bootstrap=0)
    assert passes == [1000] and radii == [N]  # the test split through the classifier; PRDC's real radii
    assert len(list(fresh_cache.glob("*.npz"))) == 1
    first = evaluator(_sample(model))
    evaluator(_sample(model), seed=1)
    assert radii == [N]  # no call recomputes the real side
    assert 1000 not in passes[1:]  # only generated images (and the grid's) went through the classifier
    # a new process: empty per-process caches, the disk cache found
    context.real_outputs_of.cache_clear()
    context.real_radii_of.cache_clear()
    passes.clear()
    again = Evaluator("mnist5k", n=N, bootstrap=0)
    assert passes == []
    np.testing.assert_array_equal(again(_sample(model))["value"].to_numpy(), first["value"].to_numpy())


def test_an_evaluator_of_every_image_metric_primes_them_and_scores_like_the_registry(model):
    metrics = [
        "fcd",
        "fcd_inf",
        "kid",
        "classifier_score",
        "prdc",
        "vendi",
        "memorisation",
        "class_histogram",
    ]
    evaluator = Evaluator("mnist5k", metrics, n=N, bootstrap=0)
    rows = evaluator(_sample(model))
    reference = gan_bench.evaluate_generator(
        _sample(model), "mnist5k", metrics=metrics, sizes=evaluator.sizes
    )
    assert rows["metric"].tolist() == reference["metric"].tolist()
    np.testing.assert_array_equal(rows["value"].to_numpy(), reference["value"].to_numpy())
    assert np.isnan(rows["ci_low"]).all()  # bootstrap=0: no interval


@pytest.mark.parametrize(
    "args,kwargs,error,message",
    [
        (("mnist5k", "fcd"), {}, TypeError, "expected a list of metric names, got the string 'fcd'"),
        (("mnist5k", ["fdc"]), {}, ValueError, "unknown metric.*fdc; expected some of"),
        (("mnist5k", []), {}, ValueError, "expected at least one of"),
        (("mnist5k", ["modes"]), {}, ValueError, "modes do not score images, which mnist5k holds"),
        (("grid25", ["fcd"]), {}, ValueError, "fcd do not score points, which grid25 holds"),
        (("mnist5k",), {"n": 0}, ValueError, "n: expected an integer >= 1, got 0"),
        (("mnist5k",), {"bootstrap": -1}, ValueError, "bootstrap: expected an integer >= 0, got -1"),
        (("cifar10",), {}, ValueError, "cifar10"),
    ],
)
def test_bad_arguments_are_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        Evaluator(*args, **kwargs)


def test_a_batch_smaller_than_n_or_with_a_seed_is_refused(model):
    evaluator = Evaluator("mnist5k", ["fcd"], n=N, bootstrap=0)
    batch = model.sample(N + 80, seed=0)[0]
    with pytest.raises(TooFewSamplesError, match=f"draws {N} samples, the set holds {N - 1}"):
        evaluator(batch[: N - 1])
    with pytest.raises(ValueError, match="a fixed batch of samples has no seed.*got seed=2"):
        evaluator(batch, seed=2)
