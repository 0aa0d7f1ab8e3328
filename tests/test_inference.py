"""Article-level inference (scripts.inference) on small cases whose answer is known by hand or by an
independent computation (scipy on article means, exact enumeration). Coverage and false-claim rates
are the benchmark's job (tools/validate_stats.py), not these tests'."""
from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scripts import inference as I


def frame(articles: dict[str, tuple[str, list[float]]]) -> pd.DataFrame:
    """Sentence rows from {article: (group, [values])}."""
    return pd.DataFrame([{"value": v, "article": a, "group": g} for a, (g, vals) in articles.items() for v in vals])


def equal_articles(means_by_group: dict[str, list[float]], per_article: int = 4, spread: float = 0.3) -> pd.DataFrame:
    """Articles of equal length whose sentence values average exactly to the given article means."""
    offsets = np.linspace(-spread, spread, per_article)
    return frame({f"{g}{i}": (g, list(m + offsets)) for g, ms in means_by_group.items() for i, m in enumerate(ms)})


# --------------------------------------------------------------------------- nesting
def test_article_totals_sum_and_count_each_article_and_drop_missing_values():
    df = frame({"a": ("x", [1.0, 2.0, np.nan]), "b": ("y", [4.0])})
    t = I.article_totals(df).set_index("article")
    assert t.loc["a", ["n_sentences", "total", "mean"]].tolist() == [2, 3.0, 1.5]
    assert t.loc["b", "group"] == "y"


def test_other_column_names_are_accepted():
    df = pd.DataFrame({"cooperation_index": [1.0, -1.0, 0.5], "doc_id": ["1", "1", "2"], "episode": ["e", "e", "f"]})
    t = I.article_totals(df, cols=("cooperation_index", "doc_id", "episode"))
    assert t["n_sentences"].tolist() == [2, 1]


def test_an_article_in_two_groups_is_refused():
    df = frame({"a": ("x", [1.0])})
    df = pd.concat([df, df.assign(group="y")])
    with pytest.raises(ValueError, match="nested"):
        I.nest(df)


def test_a_missing_column_names_what_is_expected():
    with pytest.raises(KeyError, match="missing column"):
        I.nest(pd.DataFrame({"value": [1.0]}))


# --------------------------------------------------------------------------- estimates
def test_estimate_is_the_pooled_sentence_mean_with_counts():
    df = frame({"a": ("x", [1.0, 1.0, 1.0]), "b": ("x", [0.0])})
    e = I.group_estimate(df, "x")
    assert e.estimate == pytest.approx(0.75)  # sentences weigh the same, not articles
    assert (e.n_articles, e.n_sentences, e.between_estimable, e.interval) == (2, 4, True, I.BETWEEN)


def test_t_interval_with_equal_articles_is_the_t_interval_of_article_means():
    means = [0.1, 0.5, -0.2, 0.4, 0.0]
    e = I.group_estimate(equal_articles({"x": means}), "x", method="t")
    lo, hi = stats.t.interval(0.95, len(means) - 1, loc=np.mean(means), scale=stats.sem(means))
    assert (e.ci_low, e.ci_high) == (pytest.approx(lo), pytest.approx(hi))
    bm = I.group_estimate(equal_articles({"x": means}), "x", method="t-bm")  # equal lengths: df = k - 1 too
    assert (bm.ci_low, bm.ci_high) == (pytest.approx(lo), pytest.approx(hi))


def test_bell_mccaffrey_df_fall_below_k_minus_1_when_one_article_dominates():
    tr, tr2 = I._bm_traces(np.array([100.0, 5.0, 5.0, 5.0]))
    assert tr * tr / tr2 < 3
    tr, tr2 = I._bm_traces(np.array([7.0] * 6))
    assert tr * tr / tr2 == pytest.approx(5)


def test_one_article_gives_a_within_article_interval_over_its_sentences():
    vals = [0.2, -0.4, 1.0, 0.0, 0.6]
    e = I.group_estimate(frame({"only": ("x", vals), "other": ("y", [0.0])}), "x", method="t")
    assert not e.between_estimable and e.interval == I.WITHIN and e.n_articles == 1
    lo, hi = stats.t.interval(0.95, len(vals) - 1, loc=np.mean(vals), scale=stats.sem(vals))
    assert (e.ci_low, e.ci_high) == (pytest.approx(lo), pytest.approx(hi))


@pytest.mark.parametrize("method", I.METHODS)
def test_intervals_resample_articles_not_sentences(method):
    """Doubling every sentence leaves an article-level interval unchanged; a sentence-level one would shrink."""
    df = equal_articles({"x": [0.1, 0.5, -0.2, 0.4, 0.0, 0.3], "y": [0.6, 0.2, 0.9, 0.4, 0.5]})
    twice = pd.concat([df, df], ignore_index=True)
    for data in (lambda d: I.group_estimate(d, "x", method, n_boot=999), lambda d: I.difference(d, "x", "y", method, n_boot=999)):
        a, b = data(df), data(twice)
        assert a.ci_low < a.estimate < a.ci_high
        tol = 0.01 if method == "bca" else 1e-9  # BCa's bias correction counts resamples tied with the estimate:
        assert (b.ci_low, b.ci_high) == (pytest.approx(a.ci_low, abs=tol), pytest.approx(a.ci_high, abs=tol))  # rounding


def test_no_spread_gives_a_point_interval_and_one_sentence_none():
    df = frame({"a": ("x", [0.5, 0.5]), "b": ("x", [0.5]), "c": ("y", [1.0])})
    e = I.group_estimate(df, "x")
    assert (e.ci_low, e.ci_high) == (0.5, 0.5)
    single = I.group_estimate(df, "y")
    assert math.isnan(single.ci_low) and single.interval == I.WITHIN


def test_percentile_interval_agrees_with_scipy_on_article_means():
    means = [0.1, 0.5, -0.2, 0.4, 0.0, 0.3, 0.8, -0.1]
    e = I.group_estimate(equal_articles({"x": means}), "x", method="percentile", n_boot=20000)
    ref = stats.bootstrap((np.array(means),), np.mean, method="percentile", n_resamples=20000, rng=1).confidence_interval
    assert e.ci_low == pytest.approx(ref.low, abs=0.02) and e.ci_high == pytest.approx(ref.high, abs=0.02)


def test_resamples_come_in_chunks_of_bounded_size(monkeypatch):
    monkeypatch.setattr(I, "CHUNK", 50)
    u = I._Units(np.arange(20.0), np.ones(20))
    chunks = list(I._resample(u, 23, np.random.default_rng(0), with_var=True))
    assert sum(len(m) for m, _ in chunks) == 23
    assert all(len(m) * u.k <= 50 for m, _ in chunks[:-1])


def test_difference_is_to_minus_from_and_flags_a_single_article_side():
    df = equal_articles({"x": [0.0, 0.2, 0.4], "y": [0.5]})
    d = I.difference(df, "x", "y")
    assert d.estimate == pytest.approx(0.3)
    assert (d.n_articles_from, d.n_articles_to, d.between_estimable, d.interval) == (3, 1, False, I.WITHIN)
    d2 = I.difference(equal_articles({"x": [0.0, 0.2], "y": [0.5, 0.7]}), "x", "y")
    assert d2.between_estimable and d2.interval == I.BETWEEN


def test_difference_t_interval_uses_welch_degrees_of_freedom():
    xa, xb = [0.0, 0.2, 0.4, 0.1], [0.5, 0.9, 0.4]
    d = I.difference(equal_articles({"x": xa, "y": xb}), "x", "y", method="t")
    va, vb = np.var(xa, ddof=1) / len(xa), np.var(xb, ddof=1) / len(xb)
    df = (va + vb) ** 2 / (va**2 / (len(xa) - 1) + vb**2 / (len(xb) - 1))
    q = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    assert (d.ci_low, d.ci_high) == (pytest.approx(d.estimate - q), pytest.approx(d.estimate + q))


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown interval method"):
        I.group_estimate(equal_articles({"x": [0.0, 1.0]}), "x", method="normal")


# --------------------------------------------------------------------------- permutation test
def test_one_against_two_articles_can_never_reach_below_one_third():
    """Even with 100 sentences each, 1 vs 2 articles allow 3 labellings: smallest p = 1/3."""
    df = frame({"a": ("x", [0.0] * 100), "b": ("y", [1.0] * 100), "c": ("y", [0.9] * 100)})
    p = I.permutation_test(df, "x", "y")
    assert (p.exact, p.n_labellings, p.p_value, p.p_min) == (True, 3, pytest.approx(1 / 3), pytest.approx(1 / 3))


def test_exact_p_counts_labellings_by_hand():
    # articles (pooled over their sentences): a = 0, b = 1 (group x); c = 2, d = 3 (group y); one sentence each
    df = frame({"a": ("x", [0.0]), "b": ("x", [1.0]), "c": ("y", [2.0]), "d": ("y", [3.0])})
    p = I.permutation_test(df, "x", "y")
    # 6 labellings, |difference| 2, 1, 0, 0, 1, 2: two reach the observed 2 (itself and its mirror)
    assert (p.p_value, p.p_min, p.n_labellings) == (pytest.approx(2 / 6), pytest.approx(2 / 6), 6)


def test_with_one_sentence_per_article_it_is_scipys_permutation_test():
    rng = np.random.default_rng(3)
    xa, xb = rng.normal(0, 1, 4), rng.normal(0.8, 1, 5)
    df = frame({**{f"a{i}": ("x", [v]) for i, v in enumerate(xa)}, **{f"b{i}": ("y", [v]) for i, v in enumerate(xb)}})
    ours = I.permutation_test(df, "x", "y", n_perm=9999)
    ref = stats.permutation_test((xa, xb), lambda x, y, axis: np.abs(y.mean(axis) - x.mean(axis)), vectorized=True,
                                 alternative="greater", n_resamples=9999)
    assert ours.exact and ours.n_labellings == math.comb(9, 4)
    assert ours.p_value == pytest.approx(ref.pvalue)


def test_random_permutations_give_k_plus_1_over_n_plus_1():
    df = equal_articles({"x": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5], "y": [0.6, 0.7, 0.8, 0.9, 1.0, 1.1]})
    p = I.permutation_test(df, "x", "y", n_perm=99, seed=1)
    assert not p.exact and p.n_used == 99 and p.n_labellings == math.comb(12, 6)
    assert p.p_min == pytest.approx(1 / 100)
    assert p.p_value * 100 == pytest.approx(round(p.p_value * 100))  # (hits + 1) / (n + 1)
    assert p.p_value == pytest.approx(1 / 100)  # completely separated groups: only the observed labelling


def test_a_missing_group_gives_nan():
    p = I.permutation_test(frame({"a": ("x", [1.0])}), "x", "nope")
    assert math.isnan(p.p_value)


# --------------------------------------------------------------------------- leave one article out
def test_leave_one_out_names_the_article_the_shift_rests_on():
    df = frame({"a": ("x", [0.0, 0.0]), "b": ("x", [0.2, 0.2]),
                "c": ("y", [1.0, 1.0]), "d": ("y", [0.1, 0.1]), "e": ("y", [0.2, 0.2])})
    loo = I.leave_one_out(df, "x", "y").set_index("article")
    full = (1.0 + 0.1 + 0.2) / 3 - 0.1
    assert loo.loc["c", "difference"] == pytest.approx(0.15 - 0.1)
    assert loo.loc["a", "difference"] == pytest.approx(1.3 / 3 - 0.2)
    assert loo.loc["c", "change"] == pytest.approx(0.05 - full)
    assert loo.index[0] == "c"  # without c the difference nearly vanishes
    assert loo.loc["c", ["group", "n_sentences", "article_mean"]].tolist() == ["y", 2, 1.0]


def test_leave_one_out_of_a_single_article_group_is_undefined_and_last():
    df = frame({"a": ("x", [0.0]), "c": ("y", [1.0]), "d": ("y", [0.5])})
    loo = I.leave_one_out(df, "x", "y")
    assert loo["article"].iloc[-1] == "a" and math.isnan(loo["difference"].iloc[-1])


# --------------------------------------------------------------------------- multiplicity and verdict
def test_bh_matches_a_hand_example_and_ignores_nan():
    adj = I.bh_adjust([0.01, 0.04, np.nan, 0.03, 0.2])
    # sorted 0.01, 0.03, 0.04, 0.2 (m = 4): 0.04, 0.06 -> 0.0533, 0.0533, 0.2
    assert adj[[0, 1, 3, 4]] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])
    assert math.isnan(adj[2])


RULE = I.load_verdict_rule()


@pytest.mark.parametrize("args, case, direction", [
    ((0.3, 0.1, 0.5, 0.001, 0.01, 5, 5, 0.008), "clear", "rose"),
    ((-0.3, -0.5, -0.1, 0.001, 0.01, 5, 5, 0.008), "clear", "fell"),
    ((0.3, 0.1, 0.5, 0.02, 0.08, 5, 5, 0.008), "suggestive", "higher"),      # raw p only: not after correction
    ((-0.3, -0.5, -0.1, 0.07, 0.09, 5, 5, 0.008), "suggestive", "lower"),    # interval only
    ((0.3, -0.1, 0.7, 0.3, 0.4, 5, 5, 0.008), "no-change", "none"),
    ((0.3, 0.1, 0.5, 0.001, 0.001, 1, 5, 0.008), "not-testable", "none"),    # one article on a side
    ((0.31, 0.2, 0.4, 1 / 3, 1 / 3, 1, 2, 1 / 3), "not-testable", "none"),   # the seeds' headline shape
    ((0.3, 0.1, 0.5, 0.1, 0.1, 3, 3, 0.1), "not-testable", "none"),         # 3 vs 3: smallest p is 0.1
    ((float("nan"), float("nan"), float("nan"), float("nan"), float("nan"), 0, 3, float("nan")), "not-testable", "none"),
])
def test_verdict_rule(args, case, direction):
    v = I.verdict(*args, rule=RULE)
    assert (v.case, v.direction) == (case, direction)
    assert v.label == RULE.labels[case]


def test_no_change_is_worded_plainly():
    assert RULE.labels["no-change"] == "no detectable change"


def test_verdict_thresholds_come_from_the_data_file(tmp_path):
    text = (I.DATA / "verdicts.yml").read_text(encoding="utf-8").replace("alpha: 0.05", "alpha: 0.10")
    (tmp_path / "v.yml").write_text(text, encoding="utf-8")
    loose = I.load_verdict_rule(tmp_path / "v.yml")
    args = (0.3, 0.1, 0.5, 0.06, 0.08, 5, 5, 0.008)
    assert I.verdict(*args, rule=RULE).case == "suggestive"
    assert I.verdict(*args, rule=loose).case == "clear"


# --------------------------------------------------------------------------- the table of comparisons
def test_consecutive_pairs_add_first_last_beyond_two_groups():
    assert I.consecutive_pairs(["a", "b"]) == [("a", "b")]
    assert I.consecutive_pairs(["a", "b", "c"]) == [("a", "b"), ("b", "c"), ("a", "c")]
    assert I.consecutive_pairs(["a"]) == []


def test_compare_adjusts_over_its_rows_and_applies_the_rule():
    df = equal_articles({"x": [0.0, 0.1, -0.1, 0.05, 0.0], "y": [0.9, 1.0, 0.8, 0.95, 1.1], "z": [0.7]})
    table = I.compare(df, I.consecutive_pairs(["x", "y", "z"]), n_perm=999)
    assert table.columns.tolist() == I.COMPARE_COLUMNS
    assert table["p_adjusted"].to_numpy() == pytest.approx(I.bh_adjust(table["p_value"]))
    xy, yz, xz = (table.iloc[i] for i in range(3))
    assert (xy.case, xy.direction) == ("clear", "rose")  # 5 vs 5, completely separated: p = 2/252
    assert xy.p_value == pytest.approx(2 / 252) and xy.exact
    assert yz.case == xz.case == "not-testable" and not yz.between_estimable


def test_compare_runs_on_every_corpus(any_corpus):
    """Real corpus structure (doc_id in episode): the seeds' 2017 episodes are single articles, the
    one-episode corpus has nothing to compare."""
    name, corpus = any_corpus
    sents = corpus.sentences.assign(length=corpus.sentences["text"].str.len().astype(float))
    cols = ("length", "doc_id", "episode")
    order = [e for e in corpus.episodes.sort_values("order")["episode"] if e in set(sents["episode"])]
    est = I.group_estimates(sents, cols=cols)
    assert est["n_articles"].sum() == sents["doc_id"].nunique()
    assert (est["between_estimable"] == (est["n_articles"] >= 2)).all()
    table = I.compare(sents, I.consecutive_pairs(order), n_boot=200, n_perm=200, cols=cols)
    assert len(table) == len(I.consecutive_pairs(order))
    if name == "seeds":
        assert set(table["case"]) == {"not-testable"}


# --------------------------------------------------------------------------- several data sets at once
def _one_by_one(df: pd.DataFrame, a: str, b: str, n_perm: int, seed: int) -> tuple[float, float]:
    """(p, p_min) of the permutation test written for one data set, as the module computed it before
    data sets were batched: one pass over the labellings with a vector of per-article sums."""
    nested = I.nest(df)
    ga, gb = nested.group(a), nested.group(b)
    s, c = np.concatenate([ga.sums, gb.sums]), np.concatenate([ga.counts, gb.counts])
    observed = abs(gb.sums.sum() / gb.counts.sum() - ga.sums.sum() / ga.counts.sum())
    n_lab = math.comb(ga.n_articles + gb.n_articles, ga.n_articles)
    exact = n_lab <= n_perm
    null = np.concatenate([np.abs((s.sum() - m.astype(float) @ s) / (c.sum() - m.astype(float) @ c)
                                  - (m.astype(float) @ s) / (m.astype(float) @ c))
                           for m in I._labellings(len(s), ga.n_articles, n_perm, np.random.default_rng(seed), exact)])
    hits = int(np.count_nonzero(null >= observed - 1e-12 * observed))
    if exact:
        return hits / n_lab, np.count_nonzero(null >= null.max() - 1e-12 * null.max()) / n_lab
    return (hits + 1) / (len(null) + 1), 1 / (len(null) + 1)


@pytest.mark.parametrize("n_perm", [99, 9999])  # random labellings, exact enumeration
def test_batched_permutation_tests_equal_each_test_alone(n_perm):
    rng = np.random.default_rng(5)
    sets = []
    for k in range(4):  # three data sets over 5 + 6 articles (shared labellings), one over 4 + 6
        na = 4 if k == 3 else 5
        sets.append(frame({f"{g}{i}": (g, list(rng.normal(0.3 * (g == "y"), 1, rng.integers(1, 6))))
                           for g, n in (("x", na), ("y", 6)) for i in range(n)}))
    batched = I.permutation_tests([I.nest(df) for df in sets], "x", "y", n_perm=n_perm, seed=2)
    for df, res in zip(sets, batched):
        p, p_min = _one_by_one(df, "x", "y", n_perm, 2)
        assert res.p_value == pytest.approx(p, rel=0, abs=0) and res.p_min == pytest.approx(p_min, rel=0, abs=0)
        assert res == I.permutation_test(df, "x", "y", n_perm=n_perm, seed=2)


def test_compare_many_equals_compare_of_each_and_a_missing_side_gives_nan():
    rng = np.random.default_rng(8)
    sets = [frame({f"{g}{i}": (g, list(rng.normal(0, 1, 3))) for g in "xyz" for i in range(4)}) for _ in range(3)]
    sets.append(frame({"x0": ("x", [0.1, 0.2]), "x1": ("x", [0.3]), "y0": ("y", [0.5])}))  # no z: its pairs are NaN
    pairs = I.consecutive_pairs(["x", "y", "z"])
    many = I.compare_many(sets, pairs, n_perm=999, seed=4)
    for df, table in zip(sets, many):
        pd.testing.assert_frame_equal(table, I.compare(df, pairs, n_perm=999, seed=4))
    assert many[-1]["p_value"].isna().sum() == 2


def test_nest_counts_is_nest_of_one_row_per_unit():
    """A 0/1000 score per word, given per article as (count, words), nests as the expanded frame does,
    including a group with one article (its words are the units) and an article without words."""
    per_article = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e"], "episode": ["e1", "e1", "e2", "e1", "e3"],
                                "count": [2, 0, 3, 1, 0], "words": [5, 4, 6, 3, 0]})
    rows = [{"value": 1000.0 if i < r.count else 0.0, "article": r.doc_id, "group": r.episode}
            for r in per_article.itertuples() for i in range(r.words)]
    expected = I.nest(pd.DataFrame(rows))
    got = I.nest_counts(per_article, cols=("count", "words", "doc_id", "episode"))
    pd.testing.assert_frame_equal(got.totals, expected.totals, check_dtype=False)
    assert list(got.groups) == list(expected.groups) == ["e1", "e2"]
    for g in expected.groups:
        for part in ("sums", "counts"):
            np.testing.assert_array_equal(getattr(got.group(g), part), getattr(expected.group(g), part))
            np.testing.assert_array_equal(getattr(got.group(g).units, part), getattr(expected.group(g).units, part))
        np.testing.assert_array_equal(got.group(g).articles, expected.group(g).articles)
    assert I.compare(got, [("e1", "e2")], n_perm=99).equals(I.compare(expected, [("e1", "e2")], n_perm=99))


def test_nest_of_many_one_article_groups_keeps_each_articles_sentences_in_order():
    df = frame({f"a{i}": (f"g{i}", [i + 0.1, i + 0.2, i - 0.3]) for i in range(50)})
    nested = I.nest(df)
    for i in range(50):
        np.testing.assert_array_equal(nested.group(f"g{i}").units.sums, [i + 0.1, i + 0.2, i - 0.3])


@pytest.mark.parametrize("method", ["t-bm", "t"])
def test_group_estimates_of_many_groups_equal_each_group_alone(method):
    """The t methods compute all quantiles at once; every row equals group_estimate of its group,
    including one-article groups (within-article interval), a one-sentence group and a group without spread."""
    rng = np.random.default_rng(11)
    arts = {f"a{i}": (f"g{i % 7}", list(rng.normal(0, 1, rng.integers(1, 5)))) for i in range(30)}
    arts.update({"solo": ("one", [0.2, 0.5, -0.1]), "single": ("tiny", [0.4]), "f1": ("flat", [0.3, 0.3]),
                 "f2": ("flat", [0.3])})
    df = frame(arts)
    table = I.group_estimates(df, method=method)
    alone = pd.DataFrame([asdict(I.group_estimate(df, g, method=method)) for g in I.nest(df).groups])
    pd.testing.assert_frame_equal(table, alone, check_exact=True)
    assert table.set_index("group").loc["flat", "ci_low"] == table.set_index("group").loc["flat", "estimate"]


@pytest.mark.parametrize("groups", [["b", "a", "c"], [3, 1, 2]])
def test_nest_groups_are_the_groupby_of_the_totals(groups):
    """nest slices sorted arrays per group: the groups, order, articles, sums and counts of
    ``totals.groupby("group", sort=False)``, and one-article groups keep their sentences."""
    rng = np.random.default_rng(0)
    rows = [{"group": groups[d % 3], "article": f"d{d}", "value": float(v)}
            for d in range(40) if d not in (1, 4) or d == 1 for v in rng.normal(size=int(rng.integers(1, 6)))]
    frame = pd.DataFrame(rows)
    frame = frame[(frame["group"] != groups[1]) | (frame["article"] == "d1")]  # groups[1] has one article
    nested = I.nest(frame)
    assert list(nested.groups) == list(pd.unique(frame["group"]))
    for g, t in nested.totals.groupby("group", sort=False):
        got = nested.group(g)
        assert list(got.articles) == list(t["article"]) and list(got.sums) == list(t["total"])
        assert list(got.counts) == list(t["n_sentences"].astype(float))
        if len(t) == 1:
            assert list(got.units.sums) == list(frame.loc[frame["group"] == g, "value"])
        else:
            assert list(got.units.sums) == list(t["total"])
