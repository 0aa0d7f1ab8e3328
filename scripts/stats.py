"""Sentence-resampling bootstrap interval of a mean (``scipy.stats.bootstrap``), kept for the one
view whose groups are not nested in articles (the within-article trajectory: every article has
sentences in every slice). Episode estimates, differences, tests and the Benjamini–Hochberg
adjustment are article-level and live in :mod:`scripts.inference`.

Everything is seeded (``rng=np.random.default_rng(seed)``), so a given seed gives the same numbers.
Degenerate inputs never reach SciPy (which refuses one-observation samples and warns on degenerate
distributions): no value gives NaN; one value, or values that are all equal, give the zero-width
interval (estimate, estimate), since every resample has that mean.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

_NAN3 = (float("nan"), float("nan"), float("nan"))


def bootstrap_ci(values: Sequence[float], n_boot: int = 2000, seed: int = 0,
                 level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): percentile bootstrap interval of the mean, resampling ``values`` (NaN dropped)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return _NAN3
    est = float(x.mean())
    if np.all(x == x[0]):
        return est, est, est
    res = stats.bootstrap((x,), np.mean, n_resamples=int(n_boot), confidence_level=level, method="percentile",
                          vectorized=True, rng=np.random.default_rng(seed))
    return est, float(res.confidence_interval.low), float(res.confidence_interval.high)
