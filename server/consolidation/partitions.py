"""Comparing two partitions of the same participants (e.g. ours against Pol.is's groups,
or this version's opinion groups against the last one)."""

from __future__ import annotations

import numpy as np


def _pairs(counts: np.ndarray) -> float:
    counts = counts.astype(np.float64)
    return float((counts * (counts - 1.0) / 2.0).sum())


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert & Arabie's adjusted Rand index of two labelings of the same items.

    1 for identical partitions (up to renaming), about 0 for independent ones. Labels can
    be any integers; callers drop unassigned items (e.g. -1) first.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError("labelings must have the same length")
    n = len(a)
    if n < 2:
        return 1.0
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    table = np.bincount(ia * (ib.max() + 1) + ib, minlength=(ia.max() + 1) * (ib.max() + 1))
    index = _pairs(table)
    rows = _pairs(np.bincount(ia))
    cols = _pairs(np.bincount(ib))
    expected = rows * cols / (n * (n - 1) / 2.0)
    maximum = (rows + cols) / 2.0
    if maximum == expected:  # both partitions trivial (one cluster, or all singletons)
        return 1.0
    return (index - expected) / (maximum - expected)
