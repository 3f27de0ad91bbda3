"""Exact nearest-neighbour distances, chunked so no full N x M distance matrix is held.

Shared by GM-GAN's quality score (distance to the nearest training sample) and by
precision/recall/density/coverage (k-NN radii). Distances are Euclidean, computed in
float64 from ||a||^2 + ||b||^2 - 2 a.b (clamped at 0) one block of queries at a time;
a block holds at most ``BLOCK_BYTES`` of distances, whatever N and M.
"""

from __future__ import annotations

import numpy as np

BLOCK_BYTES = 128 * 2**20  # one block of float64 distances (a few temporaries of this size live at once)


def _rows_per_block(n_references: int) -> int:
    return max(1, BLOCK_BYTES // (8 * max(n_references, 1)))


def _block_distances(queries: np.ndarray, references: np.ndarray, ref_sq: np.ndarray) -> np.ndarray:
    sq = (queries**2).sum(1)[:, None] + ref_sq[None, :] - 2.0 * queries @ references.T
    return np.sqrt(np.maximum(sq, 0.0))


def nearest_distances(queries: np.ndarray, references: np.ndarray, chunk: int | None = None) -> np.ndarray:
    """Euclidean distance from each query row to its nearest reference row."""
    return kth_nearest_distances(queries, references, 1, chunk=chunk)


def kth_nearest_distances(
    queries: np.ndarray, references: np.ndarray, k: int, *, chunk: int | None = None
) -> np.ndarray:
    """Distance from each query row to its k-th nearest reference row (k = 1: the nearest)."""
    q = np.asarray(queries, dtype=np.float64)
    ref = np.asarray(references, dtype=np.float64)
    if not 1 <= k <= len(ref):
        raise ValueError(f"k: expected 1..{len(ref)} (the number of references), got {k}")
    ref_sq = (ref**2).sum(1)
    out = np.empty(len(q))
    chunk = chunk or _rows_per_block(len(ref))
    for start in range(0, len(q), chunk):
        d = _block_distances(q[start : start + chunk], ref, ref_sq)
        out[start : start + len(d)] = d.min(axis=1) if k == 1 else np.partition(d, k - 1, axis=1)[:, k - 1]
    return out


def count_within_radii(
    queries: np.ndarray, references: np.ndarray, radii: np.ndarray, *, chunk: int | None = None
) -> np.ndarray:
    """For each query, how many references j have ||query - ref_j|| <= radii[j]."""
    q = np.asarray(queries, dtype=np.float64)
    ref = np.asarray(references, dtype=np.float64)
    ref_sq = (ref**2).sum(1)
    out = np.empty(len(q), dtype=np.int64)
    chunk = chunk or _rows_per_block(len(ref))
    for start in range(0, len(q), chunk):
        d = _block_distances(q[start : start + chunk], ref, ref_sq)
        out[start : start + len(d)] = (d <= radii[None, :]).sum(1)
    return out
