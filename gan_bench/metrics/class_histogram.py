"""Class histogram of generated samples and its KL divergence to the training classes
(Goerttler & Kloft, Fig. 6: how fairly a generator spreads its samples over the classes)."""

from __future__ import annotations

import numpy as np

from gan_bench.validation import ArrayLike, as_float_array, as_labels, check_count, check_min_samples


def class_histogram(predicted_labels: ArrayLike, n_classes: int) -> np.ndarray:
    """Fraction of samples predicted as each of ``n_classes`` classes, shape (n_classes,)."""
    labels = as_labels(predicted_labels, "predicted_labels")
    check_count(n_classes, "n_classes")
    check_min_samples(len(labels), 1, "predicted_labels")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(
            f"predicted_labels: expected values in [0, {n_classes - 1}], got [{labels.min()}, {labels.max()}]"
        )
    return np.bincount(labels, minlength=n_classes) / len(labels)


def class_histogram_kl(predicted_labels: ArrayLike, reference: ArrayLike) -> float:
    """KL(p_gen || p_ref) in nats between the generated class histogram and ``reference``.

    ``reference`` is the training class distribution (non-negative, normalised here).
    Classes the generator never produces contribute 0; a class it produces that the
    reference lacks makes the divergence infinite, which is reported as inf.
    """
    ref = as_float_array(reference, "reference", ndim=1, min_samples=1)
    if (ref < 0).any() or ref.sum() <= 0:
        raise ValueError("reference: expected non-negative class frequencies with a positive sum")
    ref = ref / ref.sum()
    p = class_histogram(predicted_labels, len(ref))
    used = p > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(p[used] * (np.log(p[used]) - np.log(ref[used]))))
