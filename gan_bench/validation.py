"""Input checks shared by the public metric functions.

Every check raises ``ValueError`` or ``TypeError`` with a message that names the
argument, what was expected and what arrived (scikit-learn's boundary style).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

ArrayLike = Any


def check_has_data(x: torch.Tensor, name: str) -> None:
    """A tensor on the 'meta' device has a shape but no values to score."""
    if x.device.type == "meta":
        raise ValueError(
            f"{name}: expected a tensor with values (on the CPU or a GPU), got a 'meta' tensor of "
            f"shape {tuple(x.shape)}, which has none"
        )


def native_array(x: np.ndarray) -> np.ndarray:
    """``x`` in native byte order with non-negative strides (a reversed view, a big-endian
    file), which torch cannot wrap; the same array when it already is."""
    if not x.dtype.isnative:
        x = x.astype(x.dtype.newbyteorder("="))
    return np.ascontiguousarray(x) if any(s < 0 for s in x.strides) else x


def to_numpy(x: ArrayLike, name: str) -> np.ndarray:
    """Convert a numpy array, torch tensor or nested sequence to a numpy array."""
    if isinstance(x, torch.Tensor):
        check_has_data(x, name)
        return x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (list, tuple)):
        try:
            return np.asarray(x)
        except ValueError as err:  # rows of different lengths
            raise ValueError(
                f"{name}: expected a rectangular array (every row the same length), got a ragged "
                f"nested {type(x).__name__} of {len(x)} rows"
            ) from err
    raise TypeError(f"{name}: expected a numpy array or torch tensor, got {type(x).__name__}")


def check_finite(x: np.ndarray, name: str) -> None:
    """Reject NaN and inf, saying how many entries are bad."""
    if np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.complexfloating):
        bad = ~np.isfinite(x)
        if bad.any():
            raise ValueError(
                f"{name}: expected finite values, got {int(np.isnan(x).sum())} NaN and "
                f"{int(np.isinf(x).sum())} inf entries out of {x.size}"
            )


def as_float_array(
    x: ArrayLike, name: str, *, ndim: int | None = None, min_samples: int | None = None
) -> np.ndarray:
    """Validate a real-valued array: rank, finiteness and (optionally) row count."""
    arr = to_numpy(x, name)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name}: expected a numeric array, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {tuple(arr.shape)}")
    arr = arr.astype(np.float64, copy=False)
    check_finite(arr, name)
    if min_samples is not None:
        check_min_samples(arr.shape[0] if arr.ndim else 0, min_samples, name)
    return arr


def check_min_samples(n: int, minimum: int, name: str) -> None:
    """Reject sample sets too small for the statistic (e.g. a covariance needs 2)."""
    if n < minimum:
        raise ValueError(f"{name}: expected at least {minimum} samples, got {n}")


def check_same_width(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Two feature sets must have the same number of columns."""
    if a.shape[1:] != b.shape[1:]:
        raise ValueError(
            f"{name_a} and {name_b}: expected the same feature size, got "
            f"{tuple(a.shape[1:])} and {tuple(b.shape[1:])}"
        )


def as_labels(x: ArrayLike, name: str) -> np.ndarray:
    """Validate a 1-D integer label array."""
    arr = to_numpy(x, name)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D label array, got shape {tuple(arr.shape)}")
    if np.issubdtype(arr.dtype, np.floating):
        check_finite(arr, name)
        fractional = arr[arr != np.round(arr)]
        if fractional.size:
            raise ValueError(
                f"{name}: expected integer labels, got {fractional.size} non-integer floats "
                f"(first: {float(fractional[0])!r})"
            )
    elif not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name}: expected integer labels, got dtype {arr.dtype}")
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name}: expected non-negative labels (cluster or class indices), got {arr.min()}")
    return arr.astype(np.int64)


def _is_number(value: object) -> bool:
    numeric = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    return numeric and bool(np.isfinite(value))


def _is_integer(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_number(value: float, name: str) -> float:
    """A finite real number (a kernel's offset, a bound)."""
    if not _is_number(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return float(value)


def check_positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    """A finite number > 0 (>= 0 with ``allow_zero``)."""
    if not _is_number(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: expected a finite number {bound}, got {value!r}")
    return float(value)


def check_count(value: int, name: str, minimum: int = 1) -> int:
    """An integer >= ``minimum`` (a pair count, a neighbour count, a degree)."""
    if not _is_integer(value) or value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


MAX_SEED = 2**63 - 1  # torch.Generator.manual_seed wraps larger values around


def check_seed(value: int, name: str = "seed") -> int:
    """A seed torch's generators take as given: an integer in [0, 2**63 - 1]."""
    if not _is_integer(value) or not 0 <= value <= MAX_SEED:
        raise ValueError(f"{name}: expected an integer in [0, 2**63 - 1], got {value!r}")
    return int(value)


def check_symmetric(matrix: np.ndarray, name: str) -> None:
    """A covariance must be symmetric (up to rounding: relative 1e-6)."""
    scale = max(float(np.abs(matrix).max(initial=0.0)), 1e-300)
    if not np.allclose(matrix, matrix.T, rtol=1e-6, atol=1e-9 * scale):
        asym = float(np.abs(matrix - matrix.T).max())
        raise ValueError(f"{name}: expected a symmetric covariance matrix, got |S - S^T| up to {asym:.3g}")


def check_psd(eigenvalues: np.ndarray, name: str) -> None:
    """A covariance must be positive semi-definite: its eigenvalues (computed by the caller,
    which needs them anyway) are >= 0 up to rounding, 1e-6 of the largest."""
    if eigenvalues.size:
        smallest, largest = float(eigenvalues.min()), float(np.abs(eigenvalues).max())
        if smallest < -1e-6 * max(largest, 1e-300):
            raise ValueError(
                f"{name}: expected a positive semi-definite covariance, got a smallest eigenvalue "
                f"{smallest:.4g} (largest {largest:.4g})"
            )


def check_label_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate two label arrays of equal length."""
    a = as_labels(y_true, "y_true")
    b = as_labels(y_pred, "y_pred")
    if len(a) != len(b):
        raise ValueError(f"y_true and y_pred: expected the same length, got {len(a)} and {len(b)}")
    check_min_samples(len(a), 1, "y_true")
    return a, b


def as_images(x: ArrayLike, name: str, *, min_samples: int = 1) -> torch.Tensor:
    """Validate a batch of images and return float32 in [0, 1], shape (N, C, H, W).

    Accepts uint8 in [0, 255] (scaled by 1/255) or floats already in [0, 1]. A float
    image outside [0, 1] (for instance in [0, 255] or [-1, 1]) is an error, never
    silently rescaled. Rank 3 input (N, H, W) is read as single-channel.
    """
    if isinstance(x, np.ndarray):
        t = torch.from_numpy(native_array(x))
    elif isinstance(x, torch.Tensor):
        check_has_data(x, name)
        t = x.detach()
    else:
        raise TypeError(f"{name}: expected a numpy array or torch tensor of images, got {type(x).__name__}")
    if t.ndim == 3:
        t = t.unsqueeze(1)
    if t.ndim != 4:
        raise ValueError(f"{name}: expected images of shape (N, C, H, W) or (N, H, W), got {tuple(t.shape)}")
    if t.shape[1] not in (1, 3):
        raise ValueError(f"{name}: expected 1 or 3 channels in dimension 1, got shape {tuple(t.shape)}")
    check_min_samples(t.shape[0], min_samples, name)
    if t.dtype == torch.uint8:
        return t.float().div_(255.0)
    if t.dtype not in (torch.float32, torch.float64):
        raise TypeError(
            f"{name}: expected uint8, float32 or float64 images, got dtype {t.dtype}"
            + (" (convert with .float())" if t.is_floating_point() else "")
        )
    finite = torch.isfinite(t)
    if not bool(finite.all()):
        raise ValueError(f"{name}: expected finite pixel values, got {int((~finite).sum())} NaN/inf pixels")
    t = t.float()
    lo, hi = float(t.min()), float(t.max())
    if lo < 0.0 or hi > 1.0:
        raise ValueError(
            f"{name}: expected float images in [0, 1] (or uint8 in [0, 255]), got values in "
            f"[{lo:.4g}, {hi:.4g}]"
        )
    return t
