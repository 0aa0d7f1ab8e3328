"""Intervals and tests for group means, on SciPy: percentile bootstrap intervals
(``scipy.stats.bootstrap``), permutation p-values (``scipy.stats.permutation_test``) and the
Benjamini–Hochberg adjustment (``scipy.stats.false_discovery_control``).

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


def bootstrap_diff_ci(a: Sequence[float], b: Sequence[float], n_boot: int = 2000, seed: int = 0,
                      level: float = 0.95) -> tuple[float, float, float]:
    """(mean(b) - mean(a), low, high): percentile bootstrap interval resampling each group independently.

    A group of one value resamples to itself, so it enters as a constant and only the other group is
    resampled (SciPy needs two observations per resampled sample)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return _NAN3
    est = float(b.mean() - a.mean())
    if np.all(a == a[0]) and np.all(b == b[0]):
        return est, est, est
    if len(a) == 1 or len(b) == 1:
        data, const, sign = ((b,), float(a[0]), 1.0) if len(a) == 1 else ((a,), float(b[0]), -1.0)

        def statistic(x, axis=-1):
            return sign * (np.mean(x, axis=axis) - const)
    else:
        data = (a, b)

        def statistic(x, y, axis=-1):
            return np.mean(y, axis=axis) - np.mean(x, axis=axis)
    res = stats.bootstrap(data, statistic, n_resamples=int(n_boot), confidence_level=level, method="percentile",
                          vectorized=True, rng=np.random.default_rng(seed))
    return est, float(res.confidence_interval.low), float(res.confidence_interval.high)


def permutation_pvalue(a: Sequence[float], b: Sequence[float], n_perm: int = 9999, seed: int = 0) -> float:
    """Two-sided permutation p-value for a difference in means (exact when the number of distinct
    relabellings is at most ``n_perm``). NaN if a group is empty; 1 when every value is equal."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    if np.all(np.concatenate([a, b]) == a[0]):
        return 1.0

    def diff(x, y, axis=-1):
        return np.mean(y, axis=axis) - np.mean(x, axis=axis)

    res = stats.permutation_test((a, b), diff, permutation_type="independent", n_resamples=int(n_perm),
                                 alternative="two-sided", vectorized=True, rng=np.random.default_rng(seed))
    return float(res.pvalue)


def bh_adjust(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values; NaN stays NaN and does not count as a comparison."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out
