import itertools

import numpy as np
import pytest
import torch
from torchmetrics.functional.image import multiscale_structural_similarity_index_measure as tm_msssim

from gan_bench.metrics import (
    diversity_score,
    inception_score,
    mean_pairwise_ms_ssim,
    ms_ssim,
    quality_score,
)
from gan_bench.metrics.msssim import MSSSIMSettings


def structured_pairs(n, size, channels=1, seed=0):
    g = torch.Generator().manual_seed(seed)
    base = torch.rand(n, channels, size, size, generator=g, dtype=torch.float64)
    base = torch.nn.functional.avg_pool2d(base, 3, stride=1, padding=1)  # smooth structure
    noisy = (base + 0.15 * torch.randn(base.shape, generator=g, dtype=torch.float64)).clamp(0, 1)
    return base, noisy


@pytest.mark.parametrize("size,channels", [(28, 1), (32, 3), (192, 1)])
def test_ms_ssim_matches_torchmetrics(size, channels):
    x, y = structured_pairs(4, size, channels)
    settings = MSSSIMSettings.for_size(size)
    ref = tm_msssim(
        x,
        y,
        gaussian_kernel=True,
        sigma=settings.sigma,
        kernel_size=settings.kernel_size,
        data_range=1.0,
        betas=settings.betas,
        normalize="relu",
        reduction="none",
    ).numpy()
    ours = ms_ssim(x, y)
    assert np.allclose(ours, ref, atol=1e-5)
    assert 0.05 < ours.min() and ours.max() < 0.99  # neither trivial 0 nor 1


def test_ms_ssim_conventions():
    small = MSSSIMSettings.for_size(28)
    assert small.kernel_size == 7 and len(small.betas) == 3
    assert sum(small.betas) == pytest.approx(1.0)
    assert small.betas[0] / small.betas[1] == pytest.approx(0.0448 / 0.2856)
    big = MSSSIMSettings.for_size(161)
    assert big.kernel_size == 11 and big.sigma == 1.5 and len(big.betas) == 5


def test_ms_ssim_identity_and_bad_input():
    x, _ = structured_pairs(2, 28)
    assert np.allclose(ms_ssim(x, x), 1.0)
    with pytest.raises(ValueError, match="same shape"):
        ms_ssim(x, x[:1])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ms_ssim(x * 255, x * 255)
    with pytest.raises(ValueError, match="NaN"):
        bad = x.clone()
        bad[0, 0, 0, 0] = float("nan")
        ms_ssim(bad, x)
    with pytest.raises(ValueError, match="at least 25 px"):
        ms_ssim(torch.rand(2, 1, 20, 20), torch.rand(2, 1, 20, 20))
    with pytest.raises(ValueError, match="1 or 3 channels"):
        ms_ssim(torch.rand(2, 2, 28, 28), torch.rand(2, 2, 28, 28))


def test_uint8_images_are_scaled():
    x, y = structured_pairs(2, 28)
    as_uint8 = lambda t: (t * 255).round().to(torch.uint8)  # noqa: E731
    assert np.allclose(
        ms_ssim(as_uint8(x), as_uint8(y)), ms_ssim(as_uint8(x).double() / 255, as_uint8(y).double() / 255)
    )


def test_mean_pairwise_matches_brute_force():
    images, _ = structured_pairs(5, 28)
    images = torch.cat([images, images[:1]])  # one duplicate pair
    n = len(images)
    pair_values = {
        (i, j): float(
            tm_msssim(
                images[i : i + 1],
                images[j : j + 1],
                sigma=1.5 * 7 / 11,
                kernel_size=7,
                betas=MSSSIMSettings.for_size(28).betas,
                data_range=1.0,
            )
        )
        for i, j in itertools.product(range(n), range(n))
    }
    distinct = np.mean([v for (i, j), v in pair_values.items() if i < j])
    literal = np.mean(list(pair_values.values()))
    assert mean_pairwise_ms_ssim(images) == pytest.approx(distinct, abs=1e-5)
    assert mean_pairwise_ms_ssim(images, include_self=True) == pytest.approx(literal, abs=1e-5)
    assert literal > distinct


def test_inception_score_closed_forms():
    n_classes = 8
    confident = np.eye(n_classes)[np.arange(800) % n_classes]
    # in order, every split holds each class equally often: exactly N
    mean, std = inception_score(confident, splits=10, seed=None)
    assert mean == pytest.approx(n_classes, rel=1e-12) and std == pytest.approx(0.0, abs=1e-12)
    # shuffled splits are slightly unbalanced, so the score can only drop below N
    shuffled, _ = inception_score(confident, splits=10, seed=0)
    assert 7.0 < shuffled < n_classes
    same = np.tile(np.array([0.7, 0.2, 0.1]), (100, 1))
    assert inception_score(same, splits=5)[0] == pytest.approx(1.0)


def test_inception_score_matches_direct_formula(rng):
    logits = rng.normal(size=(200, 6)) * 3
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    marginal = probs.mean(0)
    expected = np.exp((probs * (np.log(probs) - np.log(marginal))).sum(1).mean())
    assert inception_score(probs, splits=1)[0] == pytest.approx(expected, rel=1e-10)
    assert inception_score(logits, splits=1, from_logits=True)[0] == pytest.approx(expected, rel=1e-10)
    a = inception_score(probs, splits=10, seed=3)
    assert a == inception_score(probs, splits=10, seed=3)
    assert a != inception_score(probs, splits=10, seed=4)


def test_inception_score_bad_input():
    with pytest.raises(ValueError, match="sum"):
        inception_score(np.full((20, 3), 0.5))
    with pytest.raises(ValueError, match="at least 10 samples"):
        inception_score(np.eye(3)[[0, 1, 2]], splits=10)
    with pytest.raises(ValueError, match="2-D"):
        inception_score(np.ones(10))


def test_quality_copies_of_training_score_maximum(rng):
    train = rng.normal(size=(200, 16))
    heldout = rng.normal(size=(100, 16))
    copies = quality_score(train[:50], train, a=2.0)
    assert copies == pytest.approx(2.0 / 3.0)
    far = quality_score(train[:50] + 5.0, train, a=2.0)
    assert far < copies
    # calibrated on held-out reals: held-out data itself scores 0.5 on average of the median point
    calibrated = quality_score(heldout, train, heldout_features=heldout)
    assert 0.4 < calibrated < 0.6
    assert quality_score(train[:50], train, heldout_features=heldout) > 0.9


def test_quality_matches_formula(rng):
    train = rng.normal(size=(30, 3))
    fake = rng.normal(size=(10, 3))
    delta = np.array([np.min(np.linalg.norm(train - f, axis=1)) for f in fake])
    a = 1.7
    assert quality_score(fake, train, a=a) == pytest.approx(np.mean(a / (np.exp(delta) + a)))
    with pytest.raises(ValueError, match="exactly one"):
        quality_score(fake, train)
    with pytest.raises(ValueError, match="same feature size"):
        quality_score(fake, train[:, :2], a=1.0)


def test_diversity_hand_built_cases():
    img, _ = structured_pairs(1, 28)
    identical = img.repeat(6, 1, 1, 1)
    labels_all = np.arange(6) % 3
    d = diversity_score(identical, labels_all, n_classes=3)
    assert d.intra == pytest.approx(0.0, abs=1e-9)
    assert d.inter == pytest.approx(1.0)
    assert d.combined == pytest.approx(0.0, abs=1e-4)
    varied, _ = structured_pairs(6, 28, seed=3)
    one_class = diversity_score(varied, np.zeros(6, dtype=int), n_classes=3)
    assert one_class.inter == 0.0 and one_class.intra > 0.5
    two_classes = diversity_score(varied, np.array([0, 0, 0, 1, 1, 1]), n_classes=4)
    assert two_classes.inter == pytest.approx(np.log(2) / np.log(4))
    assert two_classes.combined == pytest.approx(np.sqrt(two_classes.intra * two_classes.inter))
    with pytest.raises(ValueError, match="same length"):
        diversity_score(varied, np.zeros(5, dtype=int), n_classes=3)


def test_all_pairs_blocks_give_the_same_exact_mean(monkeypatch):
    from gan_bench.metrics import msssim

    images = torch.cat([structured_pairs(7, 28, seed=s)[1] for s in range(2)])  # 14 images, 91 pairs
    settings = MSSSIMSettings.for_size(28)
    rows, cols = np.triu_indices(len(images), k=1)
    brute = ms_ssim(images[rows], images[cols], convention="valid").mean()  # the per-pair path
    one_block = mean_pairwise_ms_ssim(images, convention="valid")
    monkeypatch.setattr(msssim, "PAIR_BLOCK_BYTES", 3 * images[0].numel() * 8 * len(images))  # few-row blocks
    assert mean_pairwise_ms_ssim(images, convention="valid") == pytest.approx(one_block, abs=1e-12)
    assert one_block == pytest.approx(brute, abs=1e-12)
    assert settings.convention == "torchmetrics"  # the default stays torchmetrics'


def test_random_pair_estimate_is_unbiased_with_its_standard_error():
    from gan_bench.metrics.msssim import estimate_pairwise_ms_ssim

    images = torch.cat([structured_pairs(10, 28, seed=s)[1] for s in range(3)])
    exact = mean_pairwise_ms_ssim(images)
    mean, stderr = estimate_pairwise_ms_ssim(images, 3000, seed=1)
    assert 0 < stderr < 0.01
    assert abs(mean - exact) < 4 * stderr
    with pytest.raises(ValueError, match="n_pairs: expected an integer >= 2, got 1"):
        estimate_pairwise_ms_ssim(images, 1)
