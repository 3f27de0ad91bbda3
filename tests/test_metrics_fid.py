import numpy as np
import pytest
import pytorch_fid.inception as pf_inception
import torch
from PIL import Image
from pytorch_fid.fid_score import get_activations

from gan_bench.metrics import feature_statistics, fid, frechet_distance
from gan_bench.metrics.inception import (
    WEIGHTS_ENV,
    WEIGHTS_FILENAME,
    InceptionWeightsNotFoundError,
    build_inception,
    cached_statistics,
    inception_features,
    load_inception,
    random_inception_state_dict,
    resolve_inception_weights,
)
from gan_bench.store.array_cache import cache_key


@pytest.fixture(scope="module")
def random_state_dict():
    """Weights of pytorch-fid's FID Inception architecture, randomly initialised."""
    return random_inception_state_dict(7)


@pytest.fixture(scope="module")
def our_model(random_state_dict):
    return build_inception(random_state_dict)


def test_features_agree_with_pytorch_fid_activation_path(tmp_path, random_state_dict, our_model, monkeypatch):
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    colour = rng.integers(0, 256, size=(3, 32, 32, 3), dtype=np.uint8)
    grey_files, colour_files = [], []
    for i, img in enumerate(grey):
        grey_files.append(tmp_path / f"g{i}.png")
        Image.fromarray(img, mode="L").save(grey_files[-1])
    for i, img in enumerate(colour):
        colour_files.append(tmp_path / f"c{i}.png")
        Image.fromarray(img, mode="RGB").save(colour_files[-1])

    monkeypatch.setattr(pf_inception, "load_state_dict_from_url", lambda *a, **k: random_state_dict)
    reference_model = pf_inception.InceptionV3([3])
    ref_grey = get_activations(grey_files, reference_model, batch_size=3, dims=2048, num_workers=0)
    ref_colour = get_activations(colour_files, reference_model, batch_size=3, dims=2048, num_workers=0)

    ours_grey = inception_features(torch.from_numpy(grey), our_model, batch_size=2)
    ours_colour = inception_features(torch.from_numpy(colour).permute(0, 3, 1, 2), our_model)
    for ours, ref in ((ours_grey, ref_grey), (ours_colour, ref_colour)):
        assert ours.shape == (3, 2048)
        scale = np.abs(ref).max()
        assert scale > 0
        assert np.abs(ours - ref).max() <= 1e-5 * max(scale, 1.0)
    # the images differ, so a broken pipeline could not agree by accident
    assert np.abs(ref_grey[0] - ref_grey[1]).max() > 1e-3 * scale


def test_fid_end_to_end_is_frechet_of_features(our_model):
    g = torch.Generator().manual_seed(1)
    real = torch.rand(6, 1, 28, 28, generator=g)
    fake = torch.rand(6, 1, 28, 28, generator=g) ** 3
    fr = inception_features(real, our_model)
    ff = inception_features(fake, our_model)
    with pytest.warns(RuntimeWarning, match="rank-deficient"):
        expected = frechet_distance(*feature_statistics(fr), *feature_statistics(ff))
        value = fid(real, fake, model=our_model)
    assert value == pytest.approx(expected, rel=1e-9)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fid(real * 255, fake, model=our_model)
    nan_images = real.clone()
    nan_images[0, 0, 0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        fid(nan_images, fake, model=our_model)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        fid(real[0, 0], fake, model=our_model)


def test_weights_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    explicit = tmp_path / "explicit.pth"
    env_file = tmp_path / "env.pth"
    hub_file = tmp_path / "hub" / "checkpoints" / WEIGHTS_FILENAME
    for f in (explicit, env_file, hub_file):
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"x")
    monkeypatch.setenv(WEIGHTS_ENV, str(env_file))
    assert resolve_inception_weights(explicit) == explicit
    assert resolve_inception_weights() == env_file
    monkeypatch.delenv(WEIGHTS_ENV)
    assert resolve_inception_weights() == hub_file


def test_offline_without_weights_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.delenv(WEIGHTS_ENV, raising=False)
    with pytest.raises(InceptionWeightsNotFoundError) as err:
        load_inception(download=False)
    message = str(err.value)
    assert WEIGHTS_FILENAME in message
    assert str(tmp_path / "hub" / "checkpoints") in message
    assert WEIGHTS_ENV in message and "https://" in message


def test_statistics_cache_key_names_choices_and_is_atomic(tmp_path, rng):
    choices = dict(dataset="mnist", split="test", n=10000, resize="bilinear-299", weights="pt_2015")
    key = cache_key(**choices)
    for part in ("dataset=mnist", "split=test", "n=10000", "resize=bilinear-299"):
        assert part in key
    assert key != cache_key(**{**choices, "n": 5000})
    feats = rng.normal(size=(50, 4))
    calls = []

    def compute():
        calls.append(1)
        return feats

    mu, sigma = cached_statistics(tmp_path, choices, compute)
    mu2, sigma2 = cached_statistics(tmp_path, choices, compute)
    assert len(calls) == 1
    assert np.array_equal(mu, mu2) and np.array_equal(sigma, sigma2)
    # no temporary left behind (the hidden file is the entry's lock)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{key}.npz.lock", f"{key}.npz"]


def test_fid_cache_key_names_the_weights_and_reuses_statistics(tmp_path, our_model, random_state_dict):
    g = torch.Generator().manual_seed(2)
    real = torch.rand(4, 1, 28, 28, generator=g)
    fake = torch.rand(4, 1, 28, 28, generator=g)
    with pytest.warns(RuntimeWarning):
        first = fid(real, fake, model=our_model, real_cache_key="toy-real", cache_dir=tmp_path)
    [cached] = list(tmp_path.glob("*.npz"))
    assert "images=toy-real" in cached.name and "resize=bilinear-299" in cached.name
    # the cached real statistics are used: the same value even if the real images change
    with pytest.warns(RuntimeWarning):
        again = fid(real.flip(0) * 0.5, fake, model=our_model, real_cache_key="toy-real", cache_dir=tmp_path)
    assert again == pytest.approx(first, rel=1e-12)
    # other weights under the same caller key get their own cache entry
    other = build_inception(
        {k: (v * 1.01 if v.is_floating_point() else v) for k, v in random_state_dict.items()}
    )
    with pytest.warns(RuntimeWarning):
        fid(real, fake, model=other, real_cache_key="toy-real", cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 2
