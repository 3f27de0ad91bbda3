"""Batch-size and order independence (issue 25): the classifier's features, FCD, KID and the
classifier score of one set of images do not depend on the batch the classifier runs in or
on the order of the samples (torchmetrics' FID once did: their issue 1620)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gan_bench.bench.classifiers import load_classifier
from gan_bench.bench.context import classifier_outputs_of
from gan_bench.data import load
from gan_bench.metrics import fcd, inception_score, kid
from gan_bench.metrics.frechet import classifier_logits

BATCHES = (1, 7, 64, 1000)


@pytest.fixture(scope="module")
def sets():
    real = load("mnist5k", "test").samples[:200]
    fake = torch.rand(120, 1, 28, 28, generator=torch.Generator().manual_seed(3)) ** 4  # sparse strokes
    return real, fake, load_classifier("mnist")


def test_the_classifier_outputs_do_not_depend_on_the_batch(sets):
    real, _, classifier = sets
    logits, feats = zip(*(classifier_outputs_of(classifier, real, batch=b) for b in BATCHES), strict=True)
    for other in range(1, len(BATCHES)):
        np.testing.assert_allclose(logits[other], logits[0], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(feats[other], feats[0], rtol=1e-5, atol=1e-5)
    direct = [classifier_logits(real, classifier, batch_size=b) for b in BATCHES]
    for other in direct[1:]:
        np.testing.assert_allclose(other, direct[0], rtol=1e-5, atol=1e-5)


def test_fcd_kid_and_the_classifier_score_ignore_batch_and_order(sets):
    real, fake, classifier = sets
    order = torch.randperm(len(fake), generator=torch.Generator().manual_seed(5))
    fcds = [fcd(real, fake, classifier, batch_size=b) for b in BATCHES]
    fcds.append(fcd(real, fake[order], classifier))
    assert max(fcds) - min(fcds) <= 1e-6 * max(fcds)
    _, feats_real = classifier_outputs_of(classifier, real)
    logits_fake, feats_fake = classifier_outputs_of(classifier, fake)
    whole = {"n_subsets": 1, "subset_size": len(fake)}  # every sample in the one subset
    base = kid(feats_real, feats_fake, **whole)[0]
    assert kid(feats_real, feats_fake[order.numpy()], **whole)[0] == pytest.approx(base, rel=1e-9)
    score = inception_score(logits_fake, splits=1, from_logits=True)[0]
    permuted = inception_score(logits_fake[order.numpy()], splits=1, from_logits=True)[0]
    assert permuted == pytest.approx(score, rel=1e-12)
