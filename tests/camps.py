"""Votes with a planted opinion structure, for tests and benchmarks of the opinion groups."""

from __future__ import annotations

import numpy as np


def three_camps(seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """600 people in camps of 300, 150 and 150 over 60 statements, 40% of cells voted, 25% noise, 10% passes;
    (participant, statement, value) events in a seeded random order, and the matrix's shape."""
    rng = np.random.default_rng(seed)
    n_p, n_s = 600, 60
    camp = np.repeat([0, 1, 2], [300, 150, 150])
    stance = rng.choice([-1, 1], size=(3, n_s))
    p, s = np.nonzero(rng.random((n_p, n_s)) < 0.4)
    value = stance[camp[p], s]
    value = np.where(rng.random(len(p)) < 0.25, -value, value)
    value = np.where(rng.random(len(p)) < 0.10, 0, value)
    order = rng.permutation(len(p))
    return p[order], s[order], value[order], n_p, n_s
