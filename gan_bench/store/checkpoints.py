"""The checkpoint format: what a checkpoint file holds, its atomic write and its checked
read. One owner; the model rebuilt from a payload is :mod:`gan_bench.bench.models`, the
manifest of bundled checkpoints :mod:`gan_bench.store.manifest`, the sha256 checks
:mod:`gan_bench.store.checksums`.

A checkpoint is a ``torch.save``d dict: ``format_version``, ``variant``, ``config``,
``data_shape``, ``n_classes``, ``dataset``, ``seed``, ``step``, ``state_dict`` and ``full``
(True: everything needed to resume; False: the inference modules only), plus extras such as
optimiser states, the RNG state, the final losses and the training seconds.

A checkpoint may hold only tensors and plain values (numbers, strings, booleans, None,
lists, tuples and dicts of them): every checkpoint, bundled or a user's, a resume file or a
classifier, is read with ``torch.load(weights_only=True)``, which never runs code from the
file. A file holding any other object is refused
with :class:`~gan_bench.store.untrusted.UnsafeFileError`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from gan_bench.store.atomic import atomic_path
from gan_bench.store.checksums import sha256_of
from gan_bench.store.untrusted import UnsafeFileError, safe_load

CHECKPOINT_FORMAT = 1
REQUIRED_KEYS = (
    "variant",
    "config",
    "data_shape",
    "n_classes",
    "dataset",
    "seed",
    "step",
    "state_dict",
    "full",
)


class CheckpointError(ValueError):
    """A checkpoint file is corrupt, truncated or of an unknown format."""


def save_checkpoint(path: str | os.PathLike, payload: dict) -> str:
    """Write a checkpoint atomically; returns its sha256."""
    with atomic_path(path) as tmp:
        import torch  # on use: the manifest's readers stay torch-free (gan-bench list)

        torch.save(payload, tmp)
        digest = sha256_of(tmp)
    return digest


def read_checkpoint(path: str | os.PathLike) -> dict:
    """Read a checkpoint file, with a clear error when it is missing or corrupt."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    return decode_checkpoint(path, path)


def decode_checkpoint(source: str | os.PathLike | bytes, name: str | os.PathLike) -> dict:
    """The payload of a checkpoint file or of its bytes; ``name`` names it in errors."""
    try:
        stream = io.BytesIO(source) if isinstance(source, bytes) else source
        payload = safe_load(stream, f"checkpoint {name}")
    except UnsafeFileError:
        raise
    except Exception as err:
        raise CheckpointError(
            f"checkpoint {name} is corrupt or truncated ({type(err).__name__}: {err})"
        ) from err
    if not isinstance(payload, dict) or payload.get("format_version") != CHECKPOINT_FORMAT:
        found = payload.get("format_version") if isinstance(payload, dict) else type(payload).__name__
        raise CheckpointError(
            f"checkpoint {name}: expected gan-bench format {CHECKPOINT_FORMAT}, found {found}"
        )
    missing = [key for key in REQUIRED_KEYS if key not in payload]
    if missing:
        raise CheckpointError(
            f"checkpoint {name}: expected the keys {', '.join(REQUIRED_KEYS)}; missing {', '.join(missing)}"
        )
    return payload
