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



def bootstrap_cis(columns: Sequence[Sequence[float]], n_boot: int = 2000, seed: int = 0,
                  level: float = 0.95) -> list[tuple[float, float, float]]:
    """:func:`bootstrap_ci` of each column, each result equal to its own call (tested).

    Why: columns measured on the same observations (two measures of the same sentences) with the
    same missing values get the same resampling draws from the same seed; drawing them was most of
    the cost. Here they are drawn once per set of such columns, as ``scipy.stats.bootstrap`` draws
    them (``rng.integers(0, n, (n_boot, n))`` from ``default_rng(seed)``), and each column's resampled
    means and percentile interval are computed as scipy computes them (``np.mean`` over the resamples,
    ``scipy.stats.quantile`` at α/2 and 1 − α/2). Degenerate columns give :func:`bootstrap_ci`'s answers."""
    arrays = [np.asarray(c, dtype=float) for c in columns]
    out: list[tuple[float, float, float] | None] = [None] * len(arrays)
    shared: dict[bytes, list[int]] = {}
    for k, x in enumerate(arrays):
        kept = x[~np.isnan(x)]
        if len(kept) == 0 or np.all(kept == kept[0]):
            out[k] = bootstrap_ci(x, n_boot, seed, level)  # no resampling
        else:
            shared.setdefault(np.isnan(x).tobytes() + len(x).to_bytes(8, "little"), []).append(k)
    alpha = np.asarray((1 - level) / 2, dtype=float)
    interval = np.stack((alpha, 1 - alpha), axis=-1)
    for ks in shared.values():
        n = int((~np.isnan(arrays[ks[0]])).sum())
        idx = np.random.default_rng(seed).integers(0, n, (int(n_boot), n))
        for k in ks:
            x = arrays[k][~np.isnan(arrays[k])]
            ci = stats.quantile(np.mean(x[idx], axis=-1), interval, axis=-1)
            out[k] = (float(x.mean()), float(ci[..., 0]), float(ci[..., 1]))
    return out
