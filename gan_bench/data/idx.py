"""Reading the IDX format of MNIST and Fashion-MNIST (LeCun et al.), plain or gzipped."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4")}


def read_idx(path: Path) -> np.ndarray:
    """Read one IDX file into a numpy array; a corrupt header is a clear error."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _DTYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number)")
    ndim = data[3]
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    dtype = np.dtype(_DTYPES[data[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    body = data[4 + 4 * ndim :]
    if len(body) != expected:
        raise ValueError(f"{path}: IDX header promises {expected} bytes of data, file holds {len(body)}")
    return np.frombuffer(body, dtype=dtype).reshape(shape)


def find_idx_pair(directory: Path, split: str) -> tuple[Path, Path] | None:
    """The (images, labels) IDX files of ``split`` in ``directory``, plain or .gz."""
    prefix = "train" if split == "train" else "t10k"
    found = []
    for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"):
        for suffix in ("", ".gz"):
            candidate = directory / f"{prefix}-{kind}{suffix}"
            if candidate.is_file():
                found.append(candidate)
                break
    return (found[0], found[1]) if len(found) == 2 else None


_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09}


def write_idx(path: Path, array: np.ndarray) -> Path:
    """Write ``array`` (uint8 or int8) as one plain IDX file, atomically; returns ``path``."""
    from gan_bench.store.atomic import write_atomic

    code = _CODES.get(array.dtype)
    if code is None:
        raise ValueError(f"{path}: IDX here takes uint8 or int8 arrays, not {array.dtype}")
    header = struct.pack(">BBBB", 0, 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    write_atomic(
        path, lambda handle: handle.write(header + np.ascontiguousarray(array).tobytes()), binary=True
    )
    return path
