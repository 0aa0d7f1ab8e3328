"""The synthetic corpus generator (scripts.simulate): shape, reproducibility and a truth that is
really what the corpora are drawn from; plus the benchmark tool running end to end at a tiny size."""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from scripts import simulate as S

ROOT = Path(__file__).resolve().parent.parent


def test_shape_ids_and_bounds():
    df, truth = S.simulate_corpus([3, 5, 4], 3, 0.5, sentences=(2, 9), seed=1)
    assert df.columns.tolist() == ["value", "article", "group"]
    per_group = df.groupby("group")["article"].nunique()
    assert per_group.to_dict() == {"e1": 3, "e2": 5, "e3": 4}
    assert (df.groupby("article")["group"].nunique() == 1).all()  # articles nested in groups
    sizes = df.groupby("article").size()
    assert sizes.between(2, 9).all()
    assert df["value"].between(-1, 1).all()
    assert set(truth.means) == {"e1", "e2", "e3"}


def test_same_seed_same_corpus_other_seed_other_corpus():
    a, _ = S.simulate_corpus(4, 2, seed=7)
    b, _ = S.simulate_corpus(4, 2, seed=7)
    c, _ = S.simulate_corpus(4, 2, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["value"].equals(c["value"])


def test_latent_means_rise_linearly_and_no_shift_means_equal_truth():
    _, t = S.simulate_corpus(2, 3, shift=0.6, base=0.1, seed=0)
    assert list(t.latent.values()) == pytest.approx([0.1, 0.4, 0.7])
    assert t.difference("e1", "e3") > t.difference("e1", "e2") > 0
    _, null = S.simulate_corpus(2, 4, shift=0.0, seed=0)
    assert len(set(null.means.values())) == 1 and null.difference("e1", "e4") == 0


@pytest.mark.parametrize("mean, sd", [(0.0, 1.0), (0.4, 3.0), (-0.8, 0.5), (2.0, 0.3)])
def test_clipped_normal_mean_is_the_integral(mean, sd):
    ref, _ = integrate.quad(lambda x: np.clip(x, -1, 1) * stats.norm.pdf(x, mean, sd), mean - 12 * sd, mean + 12 * sd,
                            points=[-1, 1], limit=200)
    assert S.clipped_normal_mean(mean, sd) == pytest.approx(ref, abs=1e-9)
    assert S.clipped_normal_mean(mean, 0) == min(max(mean, -1), 1)


def test_truth_is_what_a_large_corpus_averages_to():
    df, truth = S.simulate_corpus(3000, 2, shift=1.0, seed=3)
    for g, rows in df.groupby("group"):
        article_means = rows.groupby("article")["value"].mean()
        se = rows["value"].std() / math.sqrt(len(rows)) + article_means.std() / math.sqrt(len(article_means))
        assert rows["value"].mean() == pytest.approx(truth.means[g], abs=4 * se)


def test_share_of_unscored_sentences_follows_p_zero():
    df, _ = S.simulate_corpus(200, 1, p_zero=0.45, seed=4)
    assert (df["value"] == 0).mean() == pytest.approx(0.45, abs=0.02)


@pytest.mark.parametrize("kwargs", [{"n_groups": 0}, {"n_articles": [2, 3], "n_groups": 3}, {"n_articles": 0},
                                    {"sentences": (0, 3)}, {"sentences": (5, 2)}])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        S.simulate_corpus(**kwargs)


def test_benchmark_runs_end_to_end_at_a_tiny_size(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("validate_stats", ROOT / "tools" / "validate_stats.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / "bench.csv"
    assert tool.main(["--reps", "3", "--articles", "3", "--episodes", "3", "--shifts", "0", "--n-boot", "99",
                      "--n-perm", "99", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert table["method"].tolist() == list(tool.I.METHODS)
    assert (table["n_intervals_mean"] == 9).all() and (table["n_intervals_diff"] == 9).all()
    assert (table["not_testable"] == 1).all()  # 3 vs 3 articles: smallest p 0.1, nothing is claimed
    assert "coverage" in capsys.readouterr().out
