"""Tests of scripts/stats.py: seeded sentence-bootstrap intervals (scipy.stats.bootstrap); degenerate
inputs give point intervals or NaN without warnings. (Article-level tests and BH: tests/test_inference.py.)"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from scripts import stats as S

X = np.array([0.1, -0.4, 0.8, 0.0, 0.3, -0.2, 0.5, 0.9, -0.7, 0.2])


def test_bootstrap_reproducible_and_seed_dependent():
    a = S.bootstrap_ci(X, n_boot=500, seed=1)
    assert a == S.bootstrap_ci(X, n_boot=500, seed=1)
    b = S.bootstrap_ci(X, n_boot=500, seed=2)
    assert a[0] == b[0] == pytest.approx(X.mean())
    assert (a[1], a[2]) != (b[1], b[2])
    assert a[1] < X.mean() < a[2]


def test_bootstrap_percentile_interval_is_the_quantiles_of_resampled_means():
    # the percentile method by hand, with the generator scipy draws from: same numbers
    rng = np.random.default_rng(3)
    means = X[rng.integers(0, len(X), size=(400, len(X)))].mean(axis=1)
    assert S.bootstrap_ci(X, 400, 3)[1:] == pytest.approx(tuple(np.quantile(means, [0.025, 0.975])))


def test_degenerate_inputs_give_point_or_nan_intervals_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert S.bootstrap_ci([0.5], 100, 0) == (0.5, 0.5, 0.5)
        assert S.bootstrap_ci([0.25, 0.25, 0.25], 100, 0) == (0.25, 0.25, 0.25)
        assert all(np.isnan(S.bootstrap_ci([], 100, 0)))
        assert all(np.isnan(S.bootstrap_ci([float("nan")], 100, 0)))


def test_bootstrap_cis_equal_one_call_per_column():
    rng = np.random.default_rng(1)
    x = rng.normal(size=400)
    y = rng.uniform(size=400)
    gappy = np.where(rng.random(400) < 0.2, np.nan, y)
    columns = [x, y, gappy, np.full(400, 2.0), np.array([np.nan, np.nan]), x[:1], gappy * 3]
    got = S.bootstrap_cis(columns, n_boot=500, seed=4)
    assert got == [S.bootstrap_ci(c, n_boot=500, seed=4) for c in columns]
    big = rng.normal(size=(2, 4000))  # the size of a trajectory slice at 1,000 articles
    assert S.bootstrap_cis(list(big), n_boot=2000, seed=2) == [S.bootstrap_ci(c, n_boot=2000, seed=2) for c in big]
