"""Exact nearest-neighbour distances, chunked so no full N x M distance matrix is held.

Shared by GM-GAN's quality score (distance to the nearest training sample) and by
precision/recall/density/coverage (k-NN radii). Distances are Euclidean, computed in
float64 from ||a||^2 + ||b||^2 - 2 a.b (clamped at 0), in a frame centred on the references and
scaled to unit size, one block of queries at a time;
a block holds at most ``BLOCK_BYTES`` of distances, whatever N and M.
"""

from __future__ import annotations

import numpy as np

BLOCK_BYTES = 128 * 2**20  # one block of float64 distances (a few temporaries of this size live at once)


def _rows_per_block(n_references: int) -> int:
    return max(1, BLOCK_BYTES // (8 * max(n_references, 1)))


def _block_squared(queries: np.ndarray, references: np.ndarray, ref_sq: np.ndarray) -> np.ndarray:
    """max(||q||^2 + ||r||^2 - 2 q.r, 0) for a block of queries, built in the product's array:
    the same IEEE operations as writing it out (x - 2y = -2y + x exactly), with one block-sized
    temporary (the norms' sum, which must be formed first to round the same) instead of three."""
    squared = queries @ references.T
    squared *= -2.0
    squared += (queries**2).sum(1)[:, None] + ref_sq[None, :]
    return np.maximum(squared, 0.0, out=squared)


def _largest(a: np.ndarray, b: np.ndarray) -> float:
    value = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)))
    return value if value > 0 else 1.0


def _common_frame(queries: np.ndarray, references: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Both sets moved to the references' mean and divided by their largest coordinate, and the
    factor that turns distances in this frame back into the inputs' units. The expansion in
    :func:`_block_squared` then neither cancels (points far from the origin: at +1e8 it
    takes 1e16 - 1e16) nor overflows (coordinates beyond 1e154 square to inf)."""
    q = np.asarray(queries, dtype=np.float64)
    ref = np.asarray(references, dtype=np.float64)
    factor = _largest(q, ref)
    q, ref = q / factor, ref / factor  # |values| <= 1, so the mean cannot overflow
    centre = ref.mean(axis=0) if len(ref) else 0.0
    q, ref = q - centre, ref - centre
    spread = _largest(q, ref)
    return q / spread, ref / spread, factor * spread


def nearest_distances(queries: np.ndarray, references: np.ndarray, chunk: int | None = None) -> np.ndarray:
    """Euclidean distance from each query row to its nearest reference row."""
    return kth_nearest_distances(queries, references, 1, chunk=chunk)


def _squared_blocks(queries: np.ndarray, references: np.ndarray, chunk: int | None):
    """Yield (slice of the queries, their squared distances to every reference in the common
    frame, the factor from that frame's distances to the inputs' units) one block at a time."""
    q, ref, unit = _common_frame(queries, references)
    ref_sq = (ref**2).sum(1)
    chunk = chunk or _rows_per_block(len(ref))
    for start in range(0, len(q), chunk):
        block = slice(start, min(start + chunk, len(q)))
        yield block, _block_squared(q[block], ref, ref_sq), unit


def _distance_blocks(queries: np.ndarray, references: np.ndarray, chunk: int | None):
    """Yield (slice of the queries, their distances to every reference) one block at a time,
    with the distances in the inputs' units (:func:`_common_frame`)."""
    for block, squared, unit in _squared_blocks(queries, references, chunk):
        distances = np.sqrt(squared, out=squared)
        distances *= unit
        yield block, distances


def nearest_neighbours(
    queries: np.ndarray, references: np.ndarray, *, chunk: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(distance, index) of each query row's nearest reference row (the first on a tie)."""
    distances, indices = np.empty(len(queries)), np.empty(len(queries), dtype=np.int64)
    for block, d in _distance_blocks(queries, references, chunk):
        best = d.argmin(axis=1)
        indices[block] = best
        distances[block] = d[np.arange(len(d)), best]
    return distances, indices


def kth_nearest_distances(
    queries: np.ndarray, references: np.ndarray, k: int, *, chunk: int | None = None
) -> np.ndarray:
    """Distance from each query row to its k-th nearest reference row (k = 1: the nearest)."""
    if not 1 <= k <= len(references):
        raise ValueError(f"k: expected 1..{len(references)} (the number of references), got {k}")
    out = np.empty(len(queries))
    # the k-th smallest square, then its root and the unit: both maps are monotone and
    # correctly rounded, so this is the k-th smallest distance bit for bit, at one root a query
    for block, squared, unit in _squared_blocks(queries, references, chunk):
        kth = squared.min(axis=1) if k == 1 else np.partition(squared, k - 1, axis=1)[:, k - 1]
        out[block] = np.sqrt(kth) * unit
    return out


def ball_memberships(
    queries: np.ndarray,
    references: np.ndarray,
    query_radii: np.ndarray,
    reference_radii: np.ndarray,
    *,
    chunk: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three readings of one pass over the query-reference distances d[i, j]:

    - per query i, how many references j have d[i, j] <= reference_radii[j];
    - per reference j, whether some query i has d[i, j] <= query_radii[i];
    - per reference j, its distance to the nearest query, min_i d[i, j].

    (PRDC's density/precision, recall and coverage; one pass instead of three.)"""
    counts = np.empty(len(queries), dtype=np.int64)
    covered = np.zeros(len(references), dtype=bool)
    nearest = np.full(len(references), np.inf)
    for block, d in _distance_blocks(queries, references, chunk):
        counts[block] = (d <= reference_radii[None, :]).sum(1)
        covered |= (d <= query_radii[block, None]).any(0)
        np.minimum(nearest, d.min(axis=0, initial=np.inf), out=nearest)
    return counts, covered, nearest
