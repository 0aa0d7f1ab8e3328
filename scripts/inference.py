"""Article-level inference for sentence scores nested in articles.

Why: the sentences of one article share its author, its source and its day, so they are not
independent draws of an episode's tone. Intervals and tests that resample sentences are far too
confident (on the bundled seeds each 2017 episode is a single article). Here the article is the
unit: intervals resample articles, tests permute the episode labels of whole articles, and one
rule (:func:`verdict`) decides which words the book may use for a comparison.

Input everywhere: a DataFrame with one row per sentence and columns ``value`` (float score),
``article`` (id) and ``group`` (e.g. the episode); other column names can be passed as
``cols=("cooperation_index", "doc_id", "episode")``. Rows whose value is missing are dropped; an
article must belong to one group only.

Estimates are pooled means over sentences (every sentence weighs the same, as in the book's
sentence means). Everything is computed from per-article sums and counts, so resampling
10,000 articles 2,000 times costs a few array operations per chunk of resamples, never a loop
over sentences.

Interval methods (``method=``):

- ``"t-bm"`` (default): cluster-robust standard error of the pooled mean (CR2: each article's
  residual sum scaled by 1/sqrt(1 - its share of sentences)) with Student t quantiles and
  Bell–McCaffrey degrees of freedom (Imbens and Kolesár 2016) for a working model of independent
  sentences: articles - 1 when articles are of equal length, fewer when a few long articles carry
  most sentences. For a difference the two variances add and so do the two groups' traces.
- ``"t"``: the same standard error with df = articles - 1 (Welch–Satterthwaite for a difference).
- ``"percentile"``: percentile cluster bootstrap (articles resampled with replacement within
  each group).
- ``"bootstrap-t"``: studentized cluster bootstrap (the t statistic of each resample, with its
  own CR2 standard error).
- ``"bca"``: bias-corrected and accelerated cluster bootstrap (``scipy.stats.bootstrap`` on
  article indices).

Choice of the default, by simulation (``tools/validate_stats.py``: 1,000 synthetic corpora per
design, 2 or 4 episodes of 3-30 articles of 5-60 sentences, article sd tau = 1 and sentence sd 3 on
a latent scale clipped to [-1, 1], 45% unscored sentences; true shifts 0, 0.5 and 1 tau). Coverage
of the 95% intervals of episode means (of differences), range over the designs:

    articles per episode  3                      5                      10                     20-30
    t-bm (chosen)         95.5-96.1 (94.7-95.6)  94.5-95.8 (93.4-95.8)  93.9-94.8 (94.3-95.4)  94.0-95.3 (94.0-95.7)
    t, df = articles - 1  93.0-93.8 (94.2-95.3)  92.8-94.2 (93.1-95.7)  92.9-93.8 (94.0-95.2)  93.8-95.1 (94.0-95.7)
    bootstrap-t           99.8-99.9 (97.5-97.9)  93.5-94.4 (93.5-95.5)  93.5-94.6 (94.5-95.6)  94.0-95.7 (93.9-96.3)
    percentile bootstrap  75.1-76.8 (80.0-83.5)  82.3-85.0 (86.6-88.2)  88.9-89.4 (91.0-92.9)  91.6-93.8 (92.7-94.7)
    BCa bootstrap         70.2-72.3 (78.6-81.8)  81.1-84.1 (85.2-87.4)  88.0-88.7 (90.3-92.4)  91.0-93.8 (92.5-94.3)

The percentile and BCa cluster bootstraps under-cover with few articles (they ignore that the
spread of a handful of articles is itself uncertain); bootstrap-t gives infinite intervals with 3
articles (a resample drawing one article three times has no spread); "t" dips just below 93% at 5
and 10 articles. "t-bm" meets the 93-97% target in every design, including 3 and 5 articles, and is cheap
(no resampling). With it, "clear" claims on the first -> last comparison when nothing changed:
5.0% (2 episodes x 5 articles), 4.0-4.4% (2 x 10-30), 1.0-1.6% (4 episodes, BH over 4 comparisons);
any clear claim in the 4-episode family 3.8-4.9%.

When a group has a single article the between-article variation cannot be estimated: its
interval takes the sentences of that one article as the units (``interval == "within article"``,
``between_estimable == False``) and describes that article only; no change claim may rest on it.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

DATA = Path(__file__).resolve().parent / "data"
COLS = ("value", "article", "group")
METHODS = ("t-bm", "t", "percentile", "bootstrap-t", "bca")
DEFAULT_METHOD = "t-bm"  # chosen by simulation: see the module docstring
BETWEEN, WITHIN = "between articles", "within article"
# Elements (resamples x articles) per chunk: bounds memory at a few tens of MB whatever the corpus size.
CHUNK = 1 << 21


# =========================================================================== per-article totals
def _frame(frame: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    """The three columns renamed to value/article/group, missing values dropped; checks nesting."""
    value, article, group = cols
    missing = [c for c in (value, article, group) if c not in frame.columns]
    if missing:
        raise KeyError(f"missing column(s) {missing}; expected value, article and group columns {tuple(cols)}")
    out = frame[[value, article, group]].set_axis(list(COLS), axis=1)
    out = out[out["value"].notna()].astype({"value": float})
    groups_per_article = out.groupby("article", sort=False)["group"].nunique()
    if (groups_per_article > 1).any():
        bad = ", ".join(map(str, groups_per_article[groups_per_article > 1].index[:5]))
        raise ValueError(f"articles must be nested in groups; in more than one group: {bad}")
    return out


def article_totals(frame: pd.DataFrame, cols: Sequence[str] = COLS) -> pd.DataFrame:
    """One row per article: group, article, n_sentences, total (sum of values), mean.

    Why: every estimate, resample and permutation here works on these sums and counts, which is
    what keeps the cluster bootstrap and the permutation test linear in the number of articles."""
    return nest(frame, cols).totals.copy()


@dataclass(frozen=True)
class _Units:
    """Resampling units of one group: its articles, or the sentences of its only article."""
    sums: np.ndarray
    counts: np.ndarray

    @property
    def k(self) -> int:
        return len(self.sums)

    @property
    def mean(self) -> float:
        return float(self.sums.sum() / self.counts.sum()) if self.k else float("nan")


@dataclass(frozen=True)
class _Group:
    articles: np.ndarray  # article ids
    sums: np.ndarray      # per article
    counts: np.ndarray    # sentences per article
    units: _Units         # articles, or the sentences of a single article

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    @property
    def n_sentences(self) -> int:
        return int(self.counts.sum())


_EMPTY = _Group(np.array([], dtype=object), np.zeros(0), np.zeros(0), _Units(np.zeros(0), np.zeros(0)))


@dataclass(frozen=True)
class Nested:
    """Sentence scores reduced once to what the inference needs: per group, its articles' sums and
    counts (and the sentence values when the group has a single article). Every function here
    accepts a sentence DataFrame or a :class:`Nested` (:func:`nest`); pass the latter when making
    many calls on the same data (the benchmark does)."""
    totals: pd.DataFrame
    groups: dict

    def group(self, name) -> _Group:
        return self.groups.get(name, _EMPTY)


def nest(frame: pd.DataFrame | Nested, cols: Sequence[str] = COLS) -> Nested:
    """The :class:`Nested` form of a sentence DataFrame (columns ``cols`` = value, article, group)."""
    if isinstance(frame, Nested):
        return frame
    df = _frame(frame, cols)
    totals = (df.groupby(["group", "article"], sort=False)["value"].agg(n_sentences="size", total="sum")
              .reset_index())
    totals["n_sentences"] = totals["n_sentences"].astype(int)
    totals = totals.assign(mean=totals["total"] / totals["n_sentences"])
    # rows of each group, in row order, found once (a mask per group made 1,000 one-article groups quadratic)
    rows = df.groupby("group", sort=False).indices
    values = df["value"].to_numpy(float)
    groups = {}
    for g, _, articles, sums, counts in _by_group(totals):
        if len(articles) == 1:
            v = values[rows[g]]
            units = _Units(v, np.ones(len(v)))
        else:
            units = _Units(sums, counts)
        groups[g] = _Group(articles, sums, counts, units)
    return Nested(totals.reset_index(drop=True), groups)


def _by_group(totals: pd.DataFrame):
    """(group, its row positions, articles, sums, counts) of the rows of ``totals`` per group: groups in order of
    first appearance, rows in table order, as ``totals.groupby("group", sort=False)`` gives them.

    Why: slicing arrays once sorted by group, instead of one small DataFrame per group (a document-level
    summary has one group per article: 1,000 frames at 1,000 articles)."""
    codes, names = pd.factorize(totals["group"])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    articles = totals["article"].to_numpy()[order]
    sums = totals["total"].to_numpy(float)[order]
    counts = totals["n_sentences"].to_numpy(float)[order]
    for k, name in enumerate(names):
        lo, hi = bounds[k], bounds[k + 1]
        yield name, order[lo:hi], articles[lo:hi], sums[lo:hi], counts[lo:hi]


def nest_counts(frame: pd.DataFrame, cols: Sequence[str] = ("count", "units", "article", "group"),
                scale: float = 1000.0) -> Nested:
    """The :class:`Nested` form of a 0/``scale`` score over units (e.g. words) given per article as
    (count of units scoring ``scale``, units): what :func:`nest` returns for the frame with one row per
    unit (the ``count`` scored units first), built without that frame.

    Why: a rate per 1,000 words is the pooled mean of such a score, and expanding 1,000 articles to
    one row per word (half a million rows per concept) cost more than the tests themselves.
    Articles without units are left out, as they have no row in the expanded frame; article order
    (and so group order) is the order of ``frame``."""
    count, units, article, group = cols
    t = frame[[group, article, count, units]].set_axis(["group", "article", "count", "units"], axis=1)
    t = t[t["units"].astype(int) > 0]
    groups_per_article = t.groupby("article", sort=False)["group"].nunique()
    if (groups_per_article > 1).any():
        bad = ", ".join(map(str, groups_per_article[groups_per_article > 1].index[:5]))
        raise ValueError(f"articles must be nested in groups; in more than one group: {bad}")
    t = t.groupby(["group", "article"], sort=False)[["count", "units"]].sum().reset_index()
    n = t["units"].to_numpy(int)
    k = t["count"].to_numpy(int)
    totals = pd.DataFrame({"group": t["group"].to_numpy(), "article": t["article"].to_numpy(), "n_sentences": n,
                           "total": scale * k.astype(float)})
    totals = totals.assign(mean=totals["total"] / totals["n_sentences"])
    groups = {}
    for g, at, articles, sums, counts in _by_group(totals):
        if len(at) == 1:
            hits, size = int(k[at[0]]), int(n[at[0]])
            v = np.where(np.arange(size) < hits, scale, 0.0)
            units_ = _Units(v, np.ones(size))
        else:
            units_ = _Units(sums, counts)
        groups[g] = _Group(articles, sums, counts, units_)
    return Nested(totals.reset_index(drop=True), groups)


# =========================================================================== variance and resampling
def _cr2_var(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """CR2 cluster-robust variance of the pooled mean sum(sums)/sum(counts) along the last axis.

    For an intercept-only model the CR2 correction is exact and simple: each cluster's residual
    sum e_i = S_i - mean * N_i is divided by sqrt(1 - N_i / N). With equal clusters it equals the
    usual s^2/k of the cluster means."""
    n = counts.sum(axis=-1, keepdims=True)
    mean = sums.sum(axis=-1, keepdims=True) / n
    e = sums - mean * counts
    with np.errstate(divide="ignore", invalid="ignore"):
        lev = np.where(counts >= n, np.nan, 1 - counts / n)
        return np.nansum(e * e / lev, axis=-1) / n[..., 0] ** 2


def _bm_traces(counts: np.ndarray) -> tuple[float, float]:
    """(tr M, tr M^2) of the Bell–McCaffrey degrees of freedom for the CR2 variance of a pooled mean,
    under a working model of independent sentences with a common variance.

    CR2 writes the variance as y'GG'y with G_g = c_g (I - H) 1_g, c_g = 1/sqrt(1 - n_g/N); then
    M = G'G = diag(c^2 n) - (c n)(c n)'/N, so both traces are sums over articles (no N x N matrix).
    df = (tr M)^2 / tr M^2: k - 1 for equal articles, fewer when a few long articles dominate. The
    1/N^2 of the mean is kept in c so that the traces of two groups add up for a difference."""
    n = counts.astype(float)
    total = n.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        c2 = np.where(n < total, 1 / (1 - n / total), 0.0) / total**2
    d, v2 = c2 * n, c2 * n * n
    tr = d.sum() - v2.sum() / total
    tr2 = (d * d).sum() - 2 * (d * v2).sum() / total + v2.sum() ** 2 / total**2
    return float(tr), float(tr2)


def _welch_df(va: float, dfa: int, vb: float, dfb: int) -> float:
    num = (va + vb) ** 2
    den = (va * va / dfa if dfa > 0 else 0.0) + (vb * vb / dfb if dfb > 0 else 0.0)
    return num / den if den > 0 else float("nan")


def _resample(u: _Units, n_boot: int, rng: np.random.Generator, with_var: bool):
    """Yield (means, variances or None) of chunks of cluster-bootstrap resamples of ``u``."""
    rows = max(1, CHUNK // max(u.k, 1))
    for start in range(0, n_boot, rows):
        idx = rng.integers(0, u.k, size=(min(rows, n_boot - start), u.k))
        s, c = u.sums[idx], u.counts[idx]
        yield s.sum(axis=1) / c.sum(axis=1), (_cr2_var(s, c) if with_var else None)


def _draws(units: Sequence[_Units], n_boot: int, rng: np.random.Generator, with_var: bool):
    """(statistic, variance) of every resample: the mean for one group, the difference (second
    minus first) for two; groups resampled independently, chunk by chunk."""
    parts = [list(_resample(u, n_boot, rng, with_var)) for u in units]
    means = [np.concatenate([m for m, _ in p]) for p in parts]
    var = [np.concatenate([v for _, v in p]) for p in parts] if with_var else None
    if len(units) == 1:
        return means[0], (var[0] if with_var else None)
    return means[1] - means[0], (var[0] + var[1] if with_var else None)


def _quantiles(x: np.ndarray, probs: Sequence[float]) -> list[float]:
    """Quantiles that keep infinite draws (a studentized resample with zero spread) as infinite."""
    return [float(q) for q in np.quantile(x, probs, method="inverted_cdf")]


def _interval(units: Sequence[_Units], method: str, level: float, n_boot: int, seed: int) -> tuple[float, float]:
    """(low, high) of the mean (one group) or of the difference (two groups)."""
    if method not in METHODS:
        raise ValueError(f"unknown interval method {method!r}; one of {METHODS}")
    est = units[0].mean if len(units) == 1 else units[1].mean - units[0].mean
    if any(u.k < 2 for u in units):
        return float("nan"), float("nan")
    a = (1 - level) / 2
    if all(np.allclose(u.sums / u.counts, u.mean) for u in units):
        return est, est  # no spread at all: every unit has the same mean
    var = [float(_cr2_var(u.sums, u.counts)) for u in units]
    se = math.sqrt(sum(var))
    if method == "t":
        df = units[0].k - 1 if len(units) == 1 else _welch_df(var[0], units[0].k - 1, var[1], units[1].k - 1)
        q = stats.t.ppf(1 - a, df)
        return est - q * se, est + q * se
    if method == "t-bm":
        traces = [_bm_traces(u.counts) for u in units]
        df = sum(t for t, _ in traces) ** 2 / sum(t2 for _, t2 in traces)
        q = stats.t.ppf(1 - a, df)
        return est - q * se, est + q * se
    rng = np.random.default_rng(seed)
    if method == "bca":
        return _bca(units, level, n_boot, rng)
    draws, dvar = _draws(units, n_boot, rng, with_var=method == "bootstrap-t")
    if method == "percentile":
        lo, hi = _quantiles(draws, [a, 1 - a])
        return lo, hi
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (draws - est) / np.sqrt(dvar)
    t = np.where(np.isnan(t), 0.0, t)  # a resample equal to the estimate with zero spread
    t_lo, t_hi = _quantiles(t, [a, 1 - a])
    return est - t_hi * se, est - t_lo * se


def _bca(units: Sequence[_Units], level: float, n_boot: int, rng: np.random.Generator) -> tuple[float, float]:
    """BCa interval from ``scipy.stats.bootstrap`` resampling article indices (the statistic looks
    the sums and counts up), so scipy's resampling and jackknife stay at the article level."""
    def mean_of(u, i):
        return u.sums[i].sum(axis=-1) / u.counts[i].sum(axis=-1)

    if len(units) == 1:
        def statistic(i, axis=-1):
            return mean_of(units[0], i)
    else:
        def statistic(i, j, axis=-1):
            return mean_of(units[1], j) - mean_of(units[0], i)

    batch = max(1, CHUNK // max(u.k for u in units))
    res = stats.bootstrap(tuple(np.arange(u.k) for u in units), statistic, n_resamples=int(n_boot), batch=batch,
                          vectorized=True, method="BCa", confidence_level=level, rng=rng)
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


# =========================================================================== estimates
@dataclass(frozen=True)
class Estimate:
    """A group's pooled sentence mean with its interval and counts. ``interval`` says what the
    interval describes: "between articles", or "within article" when the group has one article
    (then ``between_estimable`` is False and the interval takes that article's sentences as units)."""
    group: str
    estimate: float
    ci_low: float
    ci_high: float
    n_articles: int
    n_sentences: int
    between_estimable: bool
    interval: str
    method: str


def group_estimate(frame: pd.DataFrame | Nested, group, method: str = DEFAULT_METHOD, level: float = 0.95,
                   n_boot: int = 2000, seed: int = 0, cols: Sequence[str] = COLS) -> Estimate:
    """The pooled mean of ``group`` with an article-level interval (see the module docstring)."""
    g = nest(frame, cols).group(group)
    u, n_art = g.units, g.n_articles
    lo, hi = _interval([u], method, level, n_boot, seed) if u.k else (float("nan"), float("nan"))
    return Estimate(str(group), u.mean, lo, hi, n_art, g.n_sentences, n_art >= 2, BETWEEN if n_art != 1 else WITHIN,
                    method)


def group_estimates(frame: pd.DataFrame | Nested, method: str = DEFAULT_METHOD, level: float = 0.95, n_boot: int = 2000,
                    seed: int = 0, cols: Sequence[str] = COLS) -> pd.DataFrame:
    """:func:`group_estimate` for every group (order of first appearance): columns group, estimate,
    ci_low, ci_high, n_articles, n_sentences, between_estimable, interval, method."""
    data = nest(frame, cols)
    columns = [f.name for f in Estimate.__dataclass_fields__.values()]
    if method in ("t", "t-bm"):
        return pd.DataFrame(_t_estimates(data, method, level), columns=columns)
    rows = [asdict(group_estimate(data, g, method, level, n_boot, seed)) for g in data.groups]
    return pd.DataFrame(rows, columns=columns)


def _t_estimates(data: Nested, method: str, level: float) -> list[dict]:
    """Rows of :func:`group_estimates` for the t methods, equal to :func:`group_estimate` of each
    group, with the t quantiles of all groups in one call of ``stats.t.ppf``.

    Why: a document-level summary has one group per article; 1,000 scalar quantile calls (and their
    argument checks) were most of the tone summary's time at 1,000 articles."""
    a = (1 - level) / 2
    rows, pending = [], []  # pending: (row, estimate, standard error, degrees of freedom)
    for name in data.groups:
        g = data.group(name)
        u, n_art = g.units, g.n_articles
        row = {"group": str(name), "estimate": u.mean, "ci_low": float("nan"), "ci_high": float("nan"), "n_articles": n_art,
               "n_sentences": g.n_sentences, "between_estimable": n_art >= 2, "interval": BETWEEN if n_art != 1 else WITHIN,
               "method": method}  # the fields of Estimate (asdict per group was a tenth of the time)
        rows.append(row)
        if u.k < 2:
            continue
        est = u.mean
        if np.allclose(u.sums / u.counts, u.mean):
            row["ci_low"], row["ci_high"] = est, est  # no spread at all (as _interval)
            continue
        se = math.sqrt(float(_cr2_var(u.sums, u.counts)))
        if method == "t":
            df = u.k - 1
        else:
            tr, tr2 = _bm_traces(u.counts)
            df = tr**2 / tr2
        pending.append((row, est, se, df))
    if pending:
        q = stats.t.ppf(1 - a, np.array([p[3] for p in pending], dtype=float))
        for (row, est, se, _), qi in zip(pending, q):
            row["ci_low"], row["ci_high"] = est - qi * se, est + qi * se
    return rows


@dataclass(frozen=True)
class Difference:
    """``estimate`` = mean of ``group_to`` minus mean of ``group_from``, with its interval. The
    interval is "within article" (and ``between_estimable`` False) when a side has one article."""
    group_from: str
    group_to: str
    estimate: float
    ci_low: float
    ci_high: float
    n_articles_from: int
    n_articles_to: int
    n_sentences_from: int
    n_sentences_to: int
    between_estimable: bool
    interval: str
    method: str


def difference(frame: pd.DataFrame | Nested, group_from, group_to, method: str = DEFAULT_METHOD, level: float = 0.95,
               n_boot: int = 2000, seed: int = 0, cols: Sequence[str] = COLS) -> Difference:
    """Difference of pooled means (to - from) with an interval resampling articles within each group."""
    data = nest(frame, cols)
    a, b = data.group(group_from), data.group(group_to)
    est = b.units.mean - a.units.mean
    lo, hi = _interval([a.units, b.units], method, level, n_boot, seed) if a.units.k and b.units.k else (float("nan"),) * 2
    na, nb = a.n_articles, b.n_articles
    between = na >= 2 and nb >= 2
    return Difference(str(group_from), str(group_to), est, lo, hi, na, nb, a.n_sentences, b.n_sentences, between,
                      BETWEEN if between or not (na and nb) else WITHIN, method)


# =========================================================================== permutation test
@dataclass(frozen=True)
class Permutation:
    """Article-level permutation test of a difference of pooled means.

    ``p_value``: share of labellings whose absolute difference is at least the observed one
    (exact enumeration) or (k+1)/(n+1) over ``n_used`` random labellings; ``p_min``: the smallest
    p these articles allow (with 1 vs 2 articles, 1/3: no result could be significant);
    ``n_labellings``: the number of distinct ways to label the articles (a float: it can be
    astronomically large; inf beyond 1e300)."""
    p_value: float
    p_min: float
    n_labellings: float
    n_used: int
    exact: bool


def _labellings(k: int, k_from: int, n_perm: int, rng: np.random.Generator, exact: bool):
    """Yield boolean matrices (rows = labellings, True = article in the "from" group)."""
    rows = max(1, CHUNK // max(k, 1))
    if exact:
        combos = itertools.combinations(range(k), k_from)
        while chunk := list(itertools.islice(combos, rows)):
            m = np.zeros((len(chunk), k), dtype=bool)
            m[np.repeat(np.arange(len(chunk)), k_from), np.asarray(chunk, dtype=int).ravel()] = True
            yield m
        return
    base = np.zeros(k, dtype=bool)
    base[:k_from] = True
    for start in range(0, n_perm, rows):
        yield rng.permuted(np.broadcast_to(base, (min(rows, n_perm - start), k)), axis=1)


def permutation_test(frame: pd.DataFrame | Nested, group_from, group_to, n_perm: int = 9999, seed: int = 0,
                     cols: Sequence[str] = COLS) -> Permutation:
    """Two-sided permutation test of the difference of pooled means, permuting the group labels of
    whole articles (sentences stay with their article). Exact enumeration of all labellings when
    there are at most ``n_perm`` of them, else ``n_perm`` random labellings. NaN when a side is empty."""
    return permutation_tests([nest(frame, cols)], group_from, group_to, n_perm, seed)[0]


def permutation_tests(frames: Sequence[Nested], group_from, group_to, n_perm: int = 9999,
                      seed: int = 0) -> list[Permutation]:
    """:func:`permutation_test` of the same pair of groups in several data sets (e.g. one per
    concept over the same articles), each result equal to its own call.

    Why: the labellings depend only on the numbers of articles and the seed, so data sets with the
    same numbers share them: each chunk of labellings is drawn once and multiplied with all their
    per-article sums at once (one matrix product instead of one pass per data set)."""
    out: list[Permutation | None] = [None] * len(frames)
    sides = [(f.group(group_from), f.group(group_to)) for f in frames]
    by_size: dict[tuple[int, int], list[int]] = {}
    for i, (a, b) in enumerate(sides):
        if a.n_articles == 0 or b.n_articles == 0:
            out[i] = Permutation(float("nan"), float("nan"), 0, 0, False)
        else:
            by_size.setdefault((a.n_articles, b.n_articles), []).append(i)
    for (ka, kb), idx in by_size.items():
        s_cols = [np.concatenate([sides[i][0].sums, sides[i][1].sums]) for i in idx]
        c_cols = [np.concatenate([sides[i][0].counts, sides[i][1].counts]) for i in idx]
        s, c = np.column_stack(s_cols), np.column_stack(c_cols)
        s_all = np.array([x.sum() for x in s_cols])  # summed one by one, exactly as a single test sums them
        c_all = np.array([x.sum() for x in c_cols])
        observed = np.array([abs(sides[i][1].sums.sum() / sides[i][1].counts.sum() - sides[i][0].sums.sum() / sides[i][0].counts.sum())
                             for i in idx])
        n_lab = math.comb(ka + kb, ka)
        exact = n_lab <= n_perm
        null = []
        for m in _labellings(ka + kb, ka, int(n_perm), np.random.default_rng(seed), exact):
            m = m.astype(float)
            sa, ca = m @ s, m @ c
            null.append(np.abs((s_all - sa) / (c_all - ca) - sa / ca))
        null = np.concatenate(null)  # labellings x data sets
        for j, i in enumerate(idx):
            col = null[:, j]
            tol = 1e-12 * max(observed[j], 1e-300)
            hits = int(np.count_nonzero(col >= observed[j] - tol))
            if exact:
                p_min = np.count_nonzero(col >= col.max() - 1e-12 * max(col.max(), 1e-300)) / n_lab
                out[i] = Permutation(hits / n_lab, float(p_min), float(n_lab), n_lab, True)
            else:
                size = float(n_lab) if n_lab < 10**300 else float("inf")
                out[i] = Permutation((hits + 1) / (len(col) + 1), 1 / (len(col) + 1), size, len(col), False)
    return out


# =========================================================================== leave one article out
def leave_one_out(frame: pd.DataFrame | Nested, group_from, group_to, cols: Sequence[str] = COLS) -> pd.DataFrame:
    """The difference (to - from) recomputed without each article of the two groups, so a reader
    sees which article the shift rests on.

    Columns: article, group, n_sentences, article_mean, difference (without the article; NaN when
    it is its group's only article), change (difference without it minus the full difference).
    Rows are sorted by how much of the difference the article carries: the article whose removal
    brings the difference closest to zero (or past it) first; NaN rows last."""
    totals = nest(frame, cols).totals
    t = totals[totals["group"].isin([group_from, group_to])].copy()
    sums = t.groupby("group")[["total", "n_sentences"]].sum()
    if not {group_from, group_to} <= set(sums.index):
        return pd.DataFrame(columns=["article", "group", "n_sentences", "article_mean", "difference", "change"])
    full = sums.loc[group_to, "total"] / sums.loc[group_to, "n_sentences"] - \
        sums.loc[group_from, "total"] / sums.loc[group_from, "n_sentences"]
    other = np.where(t["group"] == group_from, group_to, group_from)
    own_s = t["group"].map(sums["total"]) - t["total"]
    own_c = t["group"].map(sums["n_sentences"]) - t["n_sentences"]
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(own_c > 0, own_s / own_c, np.nan)
    other_mean = (sums.loc[other, "total"] / sums.loc[other, "n_sentences"]).to_numpy()
    diff = np.where(t["group"] == group_to, own - other_mean, other_mean - own)
    out = pd.DataFrame({"article": t["article"].to_numpy(), "group": t["group"].to_numpy(),
                        "n_sentences": t["n_sentences"].to_numpy(), "article_mean": t["mean"].to_numpy(),
                        "difference": diff, "change": diff - full})
    toward_zero = out["change"] * (np.sign(full) if full != 0 else 1.0)
    return out.assign(_k=toward_zero).sort_values("_k", na_position="last", kind="stable").drop(columns="_k") \
        .reset_index(drop=True)


# =========================================================================== multiplicity and verdict
def bh_adjust(p_values: Iterable[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (``scipy.stats.false_discovery_control``) over the
    given family; NaN stays NaN and does not count as a comparison."""
    p = np.asarray(list(p_values), dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


@dataclass(frozen=True)
class VerdictRule:
    """Thresholds and words of :func:`verdict` (``scripts/data/verdicts.yml``)."""
    alpha: float = 0.05
    min_articles: int = 2
    labels: dict = field(default_factory=dict)
    directions: dict = field(default_factory=dict)


@cache
def _rule_file(path: str) -> VerdictRule:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return VerdictRule(float(raw["alpha"]), int(raw["min_articles"]), dict(raw["labels"]), dict(raw["directions"]))


def load_verdict_rule(path: Path | str | None = None) -> VerdictRule:
    """The verdict rule of the book (``scripts/data/verdicts.yml`` unless ``path``)."""
    return _rule_file(str(path or DATA / "verdicts.yml"))


@dataclass(frozen=True)
class Verdict:
    """``case``: not-testable | clear | suggestive | no-change; ``label``: its reader label;
    ``direction``: rose/fell (clear), higher/lower (suggestive) or "none"."""
    case: str
    label: str
    direction: str


def verdict(estimate: float, ci_low: float, ci_high: float, p_value: float, p_adjusted: float,
            n_from: int, n_to: int, p_min: float, rule: VerdictRule | None = None) -> Verdict:
    """The one rule deciding what the book may say about any comparison, in plain words:

    A comparison is *not testable* when either side has fewer than two articles, or when so few
    articles allow no permutation p below 0.05 (e.g. 1 vs 2 articles: the smallest p is 1/3):
    then no change is claimed, whatever the difference. It is *clear* when the article-level
    permutation p, adjusted for the number of comparisons in its table (Benjamini–Hochberg), is
    below 0.05 and the 95% interval of the difference excludes zero: only then does the book say
    the measure rose or fell. It is *suggestive* when the unadjusted p is below 0.05 or the
    interval excludes zero but the adjusted p is not below 0.05: the book says higher or lower
    and that the result does not survive the correction. Otherwise there is *no detectable
    change*. (0.05 and the two articles are ``alpha`` and ``min_articles`` in
    ``scripts/data/verdicts.yml``.)"""
    rule = rule or load_verdict_rule()
    up = "up" if estimate > 0 else "down"

    def make(case: str, direction: str | None = None) -> Verdict:
        word = rule.directions.get(case, {}).get(direction, "none") if direction else "none"
        return Verdict(case, rule.labels.get(case, case), word)

    nan = any(x is None or (isinstance(x, float) and math.isnan(x)) for x in (estimate, p_value, p_min))
    if nan or min(n_from, n_to) < rule.min_articles or p_min > rule.alpha:
        return make("not-testable")
    excludes = (ci_low > 0 or ci_high < 0) if not (math.isnan(ci_low) or math.isnan(ci_high)) else False
    adjusted = p_value if p_adjusted is None or math.isnan(p_adjusted) else p_adjusted
    if adjusted < rule.alpha and excludes and estimate != 0:
        return make("clear", up)
    if (p_value < rule.alpha or excludes) and estimate != 0:
        return make("suggestive", up)
    return make("no-change")


# =========================================================================== a table of comparisons
def consecutive_pairs(groups: Sequence) -> list[tuple]:
    """The book's family of comparisons over groups in date order: each group with the next one,
    plus the first with the last when there are more than two."""
    groups = list(groups)
    pairs = list(zip(groups, groups[1:]))
    return pairs + ([(groups[0], groups[-1])] if len(groups) > 2 else [])


COMPARE_COLUMNS = [f.name for f in Difference.__dataclass_fields__.values()] + [
    "p_value", "p_min", "n_labellings", "exact", "p_adjusted", "case", "label", "direction"]


def compare(frame: pd.DataFrame | Nested, pairs: Sequence[tuple], method: str = DEFAULT_METHOD, level: float = 0.95,
            n_boot: int = 2000, n_perm: int = 9999, seed: int = 0, rule: VerdictRule | None = None,
            cols: Sequence[str] = COLS) -> pd.DataFrame:
    """One row per (group_from, group_to) pair: :class:`Difference`, :class:`Permutation` (p_value,
    p_min, n_labellings, exact), ``p_adjusted`` (Benjamini–Hochberg over the rows of this table: the
    table is the family) and the :func:`verdict` (case, label, direction). Columns: COMPARE_COLUMNS."""
    return compare_many([frame], pairs, method, level, n_boot, n_perm, seed, rule, cols)[0]


def compare_many(frames: Sequence[pd.DataFrame | Nested], pairs: Sequence[tuple], method: str = DEFAULT_METHOD,
                 level: float = 0.95, n_boot: int = 2000, n_perm: int = 9999, seed: int = 0,
                 rule: VerdictRule | None = None, cols: Sequence[str] = COLS) -> list[pd.DataFrame]:
    """:func:`compare` of each data set in ``frames`` (the same pairs for all), each table equal to its
    own call; the permutation tests of a pair share their labellings (:func:`permutation_tests`)."""
    data = [nest(f, cols) for f in frames]
    rule = rule or load_verdict_rule()
    rows: list[list[dict]] = [[] for _ in data]
    for a, b in pairs:
        perms = permutation_tests(data, a, b, n_perm, seed)
        for k, (d, p) in enumerate(zip(data, perms)):
            diff = asdict(difference(d, a, b, method, level, n_boot, seed))
            rows[k].append({**diff, "p_value": p.p_value, "p_min": p.p_min, "n_labellings": p.n_labellings, "exact": p.exact})
    tables = []
    for r in rows:
        out = pd.DataFrame(r, columns=COMPARE_COLUMNS[:-4])
        out["p_adjusted"] = bh_adjust(out["p_value"])
        verdicts = [verdict(x.estimate, x.ci_low, x.ci_high, x.p_value, x.p_adjusted, x.n_articles_from,
                            x.n_articles_to, x.p_min, rule) for x in out.itertuples()]
        out["case"] = [v.case for v in verdicts]
        out["label"] = [v.label for v in verdicts]
        out["direction"] = [v.direction for v in verdicts]
        tables.append(out)
    return tables
