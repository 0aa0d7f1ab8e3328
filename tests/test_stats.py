"""Tests of scripts/stats.py: seeded bootstrap intervals (scipy.stats.bootstrap), permutation p-values,
Benjamini–Hochberg; degenerate inputs give point intervals or NaN without warnings."""
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


def test_bootstrap_diff_resamples_each_group_independently():
    a, b = X[:6], X[4:] + 0.5
    rng = np.random.default_rng(5)
    ia, ib = rng.integers(0, len(a), size=(300, len(a))), rng.integers(0, len(b), size=(300, len(b)))
    diffs = b[ib].mean(axis=1) - a[ia].mean(axis=1)
    est, lo, hi = S.bootstrap_diff_ci(a, b, 300, 5)
    assert est == pytest.approx(b.mean() - a.mean())
    assert (lo, hi) == pytest.approx(tuple(np.quantile(diffs, [0.025, 0.975])))


def test_degenerate_inputs_give_point_or_nan_intervals_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert S.bootstrap_ci([0.5], 100, 0) == (0.5, 0.5, 0.5)
        assert S.bootstrap_ci([0.25, 0.25, 0.25], 100, 0) == (0.25, 0.25, 0.25)
        assert all(np.isnan(S.bootstrap_ci([], 100, 0)))
        assert all(np.isnan(S.bootstrap_ci([float("nan")], 100, 0)))
        assert S.bootstrap_diff_ci([1.0], [2.0], 100, 0) == (1.0, 1.0, 1.0)
        assert S.bootstrap_diff_ci([1.0, 1.0], [0.0, 0.0, 0.0], 100, 0) == (-1.0, -1.0, -1.0)
        assert all(np.isnan(S.bootstrap_diff_ci([], [1.0], 100, 0)))
        # one group of one value: it is a constant, only the other group is resampled
        est, lo, hi = S.bootstrap_diff_ci([0.0], [0.0, 1.0, 1.0, 0.0], 200, 0)
        assert est == 0.5 and 0.0 <= lo < 0.5 < hi <= 1.0
        est, lo, hi = S.bootstrap_diff_ci([0.0, 1.0, 1.0, 0.0], [0.0], 200, 0)
        assert est == -0.5 and -1.0 <= lo < -0.5 < hi <= 0.0


def test_permutation_test_known_answer():
    # 3 vs 3 values: 20 equally likely splits; only the observed one and its mirror reach |diff| = 3
    assert S.permutation_pvalue([1, 2, 3], [4, 5, 6], n_perm=9999, seed=0) == pytest.approx(2 / 20)
    assert S.permutation_pvalue([1, 2, 3], [1, 2, 3], n_perm=9999, seed=0) == pytest.approx(1.0)
    assert S.permutation_pvalue([2, 2], [2, 2, 2], 99, 0) == 1.0
    assert np.isnan(S.permutation_pvalue([], [1.0], 99, 0))


def test_bh_adjust_known_values_and_nan():
    adj = S.bh_adjust([0.01, 0.04, 0.03, float("nan")])
    assert adj[:3] == pytest.approx([0.03, 0.04, 0.04]) and np.isnan(adj[3])
    assert S.bh_adjust([]).size == 0
