"""A user's generated samples as the peers take them (issue 27): a folder of images, an array
file, a tensor. Real PNG/JPEG files written with Pillow; the clear errors; and the same
numbers as the same samples scored through a generator function."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from PIL import Image

from gan_bench.bench.context import SampleSizes
from gan_bench.bench.sample_set import FIXED, TooFewSamplesError, evaluate_sample_set_run, evaluate_samples
from gan_bench.bench.user_generator import evaluate_generator
from gan_bench.cli import main
from gan_bench.data import load
from gan_bench.data.sample_files import SampleFileError, read_array_file, read_image_folder

GREY = (1, 28, 28)
RGB = (3, 28, 28)
SIZES = SampleSizes(samples=100, pairs=200, sweep_samples=50, sweep_pairs=100, kid_subset=50, fid_samples=100)


def _digits(n: int) -> np.ndarray:
    """n real mnist5k test digits as (n, 28, 28) uint8: samples a sound metric scores well."""
    return (load("mnist5k", "test").samples[:n, 0].numpy() * 255).round().astype(np.uint8)


def _write_folder(root, images: np.ndarray, mode: str = "L", suffix: str = ".png") -> None:
    """Images into root/a/ and root/b/ (nested), named so that sorted paths keep their order."""
    for i, pixels in enumerate(images):
        sub = root / ("a" if i < len(images) // 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels, mode=mode).save(sub / f"{i:04d}{suffix}")


def test_a_nested_png_folder_reads_in_sorted_path_order_as_the_pixels_written(tmp_path):
    pixels = _digits(30)
    _write_folder(tmp_path, pixels)
    x = read_image_folder(tmp_path, GREY)
    assert x.shape == (30, 1, 28, 28) and x.dtype == torch.float32
    np.testing.assert_array_equal((x[:, 0] * 255).round().numpy().astype(np.uint8), pixels)


def test_rgb_images_read_as_three_channels_and_jpeg_is_accepted(tmp_path):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(6, 28, 28, 3), dtype=np.uint8)
    _write_folder(tmp_path / "png", pixels, "RGB")
    x = read_image_folder(tmp_path / "png", RGB)
    np.testing.assert_array_equal((x * 255).round().numpy().astype(np.uint8), pixels.transpose(0, 3, 1, 2))
    _write_folder(tmp_path / "jpg", pixels, "RGB", ".JPG")  # lossy, and an upper-case suffix
    assert read_image_folder(tmp_path / "jpg", RGB).shape == (6, 3, 28, 28)


@pytest.mark.parametrize(
    "case, expected",
    [
        ("wrong size", "0001.png is 30x28; expected 28x28 images"),
        ("mixed modes", "0002.png has Pillow mode 'RGB'; expected 'L'"),
        ("corrupt", "cannot read"),
        ("empty", "found none"),
        ("rgb for grey", "0000.png has Pillow mode 'RGB'"),
    ],
)
def test_a_bad_folder_is_refused_naming_the_file_and_what_was_expected(tmp_path, case, expected):
    folder = tmp_path / "samples"
    folder.mkdir()
    pixels = _digits(4)
    if case != "empty":
        for i, p in enumerate(pixels):
            image = Image.fromarray(p, mode="L")
            if case == "wrong size" and i == 1:
                image = image.resize((30, 28))
            if (case == "mixed modes" and i == 2) or case == "rgb for grey":
                image = image.convert("RGB")
            image.save(folder / f"{i:04d}.png")
    if case == "corrupt":
        (folder / "0003.png").write_bytes(b"\x89PNG\r\n\x1a\n not an image")
    (folder / "notes.txt").write_text("not an image, not a sample: ignored")
    with pytest.raises(SampleFileError) as err:
        read_image_folder(folder, GREY)
    assert expected in str(err.value)
    if case == "mixed modes":
        assert "mixes modes" in str(err.value)
    if case == "corrupt":
        assert "0003.png" in str(err.value)


def test_array_files_in_either_layout_and_either_range_read_as_the_same_samples(tmp_path):
    pixels = _digits(10)
    np.save(tmp_path / "nhwc_uint8.npy", pixels[..., None])
    np.savez(tmp_path / "nchw_float.npz", samples=pixels[:, None].astype(np.float32) / 255)
    a = read_array_file(tmp_path / "nhwc_uint8.npy", GREY)
    b = read_array_file(tmp_path / "nchw_float.npz", GREY)
    assert a.shape == b.shape == (10, 1, 28, 28)
    torch.testing.assert_close(a, b)


@pytest.mark.parametrize(
    "case, expected",
    [
        (
            "no channel axis",
            "expected images shaped (N, 1, 28, 28) (NCHW) or (N, 28, 28, 1) (NHWC), got (3, 28, 28)",
        ),
        ("0-255 floats", "[0, 1]"),
        ("two arrays", "expected an .npz holding one array, got 2: a, b"),
        ("pickled objects", "cannot read it as a numpy array file"),
        ("wrong suffix", "got a '.txt' file"),
    ],
)
def test_a_bad_array_file_is_refused_with_what_was_expected(tmp_path, case, expected):
    pixels = _digits(3)
    path = tmp_path / "samples.npy"
    if case == "no channel axis":
        np.save(path, pixels)
    elif case == "0-255 floats":
        np.save(path, pixels[:, None].astype(np.float32))
    elif case == "two arrays":
        path = tmp_path / "samples.npz"
        np.savez(path, a=pixels, b=pixels)
    elif case == "pickled objects":  # an untrusted file is never unpickled
        np.save(path, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    else:
        path = tmp_path / "samples.txt"
        path.write_text("1 2 3")
    with pytest.raises(SampleFileError) as err:
        read_array_file(path, GREY)
    assert expected in str(err.value)


def test_a_sample_set_scores_as_the_same_samples_drawn_from_a_generator():
    """The fixed set is scored by the same protocols: the same numbers as a generator
    function that returns those samples (any seed), metric by metric."""
    x = load("mnist5k", "train").samples[:120]
    metrics = ["fcd", "kid", "classifier_score", "class_histogram"]
    ours = evaluate_samples(x, "mnist5k", metrics=metrics, sizes=SIZES).set_index("metric")
    reference = evaluate_generator(lambda n, seed: x[:n], "mnist5k", metrics=metrics, sizes=SIZES)
    pd.testing.assert_frame_equal(ours, reference.set_index("metric"))
    assert (ours["n_samples"] <= 100).all() and len(ours) >= 4


def test_a_small_set_is_refused_with_both_numbers_unless_allow_fewer_which_scores_the_real_n():
    x = load("mnist5k", "train").samples[:90]
    with pytest.raises(TooFewSamplesError) as err:
        evaluate_samples(x, "mnist5k", metrics=["fcd"], sizes=SIZES)
    assert "draws 100 samples, the set holds 90" in str(err.value)
    rows = evaluate_samples(x, "mnist5k", metrics=["fcd", "kid"], sizes=SIZES, allow_fewer=True)
    assert set(rows["n_samples"]) == {90, 50}  # FCD on all 90; KID's subsets stay at 50


def test_protocols_that_need_fresh_draws_are_not_applicable_to_a_fixed_set():
    x = load("mnist5k", "train").samples[:100]
    run = evaluate_sample_set_run(x, "mnist5k", ["fcd", "qd_sweep"], SIZES)
    assert run.notes.skipped["qd_sweep"] == FIXED
    assert [v.metric for v in run.values] == ["fcd"]


def test_eval_images_from_the_command_line_writes_results_with_the_real_n(tmp_path, capsys):
    _write_folder(tmp_path / "generated", _digits(120))
    out = tmp_path / "out"
    argv = ["eval", "--images", str(tmp_path / "generated"), "--dataset", "mnist5k", "--metrics", "fcd"]
    code = main([*argv, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "draws 2000 samples, the set holds 120" in err and "--allow-fewer" in err
    assert not (out / "results.csv").exists()  # refused before anything was written
    assert main([*argv, "--out", str(out), "--allow-fewer", "--quiet"]) == 0
    results = pd.read_csv(out / "results.csv")
    assert results["run"].tolist() == ["generated"] and results["n_samples"].tolist() == [120]
    assert results["variant"].tolist() == ["samples"]
    assert main([*argv, "--out", str(out), "--seed", "3"]) == 2  # a fixed set has no seed
    assert "--seed 3: a fixed sample set (--images) has no seed" in capsys.readouterr().err


def test_eval_array_refuses_a_file_of_the_wrong_shape_in_one_line(tmp_path, capsys):
    np.save(tmp_path / "bad.npy", np.zeros((5, 32, 32, 3), dtype=np.uint8))
    code = main(
        ["eval", "--array", str(tmp_path / "bad.npy"), "--dataset", "mnist5k", "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert "(N, 1, 28, 28) (NCHW) or (N, 28, 28, 1) (NHWC), got (5, 32, 32, 3)" in err


def test_the_python_entry_point_is_on_the_package():
    import gan_bench

    assert gan_bench.evaluate_samples is evaluate_samples
