"""Measured validity of the tone measures: how well each measure agrees with a human coder's -1/0/+1
reading of each sentence, per language and measure, and which measure x language the chapter should
headline. A lexicon measure can agree well in one language and not in the other (its two word lists
are different instruments), so the headline is chosen by agreement, not by sentence counts.

Tables (pandas DataFrames)
--------------------------
:func:`agreement`: language (a code, or "all" for every language pooled), measure, n (coded
    sentences aligned with scored ones), rho (Spearman), rho_low, rho_high (its 95 % interval, Fisher z
    with the Fieller-Hartley-Pearson standard error sqrt(1.06 / (n - 3))), alpha (Krippendorff's
    ordinal alpha between the labels and the measure's three classes), accuracy (share of sentences
    whose class is the label), baseline (the accuracy of calling every sentence neutral, the figure
    a useful measure must beat), in_sample (True when the codes come from the texts the instruments
    were written on).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd
from scipy import stats

MEASURES = ("cooperation_index", "vader_compound")
#: |value| above which a measure's sentence is cooperative/positive (+1) or confrontational/negative (-1):
#: VADER's conventional cut-offs (Hutto & Gilbert), the same for the graded cooperation index
THRESHOLDS = {"cooperation_index": 0.05, "vader_compound": 0.05}
AGREEMENT_COLUMNS = ["language", "measure", "n", "rho", "rho_low", "rho_high", "alpha", "accuracy", "baseline", "in_sample"]
#: fewest coded sentences for a measure x language to be headlined
MIN_CODED = 30


def to_classes(values: Sequence[float], threshold: float) -> np.ndarray:
    """-1 below -threshold, +1 above +threshold, 0 in between (inclusive)."""
    x = np.asarray(values, dtype=float)
    return np.where(x > threshold, 1, np.where(x < -threshold, -1, 0))


def spearman_interval(rho: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Interval of a Spearman rho from ``n`` pairs: Fisher z with standard error sqrt(1.06 / (n - 3))
    (Fieller, Hartley & Pearson 1957), NaN for fewer than 4 pairs or an undefined rho."""
    if n < 4 or not np.isfinite(rho):
        return float("nan"), float("nan")
    z = math.atanh(min(max(rho, -0.999999), 0.999999))
    half = stats.norm.ppf(0.5 + level / 2) * math.sqrt(1.06 / (n - 3))
    return math.tanh(z - half), math.tanh(z + half)


def align(scored: pd.DataFrame, coded: pd.DataFrame, on: Sequence[str] = ("sentence_id", "text"),
          measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The coded sentences found in ``scored`` (same values of every ``on`` column): the ``on``
    columns, label, language (from ``scored``) and the measures. A coded row whose sentence changed
    or is gone is left out (the caller reports how many)."""
    keys = list(on)
    right = scored[[*keys, "language", *measures]].drop_duplicates(keys)
    left = coded[[*keys, "label"]]
    out = left.merge(right, on=keys, how="inner")
    out["label"] = out["label"].astype(int)
    return out


def _row(language: str, measure: str, labels: np.ndarray, values: np.ndarray, threshold: float,
         in_sample: bool) -> dict:
    keep = ~np.isnan(values)
    labels, values = labels[keep], values[keep]
    n = int(len(labels))
    defined = n > 2 and np.ptp(values) > 0 and np.ptp(labels) > 0
    rho = float(stats.spearmanr(values, labels).statistic) if defined else float("nan")
    low, high = spearman_interval(rho, n)
    classes = to_classes(values, threshold)
    alpha = (float(krippendorff.alpha(reliability_data=np.vstack([labels, classes]).astype(float),
                                      level_of_measurement="ordinal", value_domain=[-1, 0, 1]))
             if n > 1 and len(set(labels) | set(classes)) > 1 else float("nan"))
    return {"language": language, "measure": measure, "n": n, "rho": rho, "rho_low": low, "rho_high": high,
            "alpha": alpha, "accuracy": float((classes == labels).mean()) if n else float("nan"),
            "baseline": float((labels == 0).mean()) if n else float("nan"), "in_sample": bool(in_sample)}


def agreement(scored: pd.DataFrame, coded: pd.DataFrame, measures: Sequence[str] = MEASURES,
              thresholds: Mapping[str, float] | None = None, on: Sequence[str] = ("sentence_id", "text"),
              in_sample: bool = False) -> pd.DataFrame:
    """Agreement of each measure with the codes, per language (code order) and for all languages
    pooled (columns: :data:`AGREEMENT_COLUMNS`).

    ``scored``: sentences with ``language`` and the measure columns (``scripts.tone_scores.score_sentences``);
    ``coded``: the hand codes, ``on`` columns and ``label`` (-1, 0, +1); ``thresholds``: class cut-offs
    per measure (default :data:`THRESHOLDS`); ``in_sample``: the codes come from the texts the
    instruments were written on (the bundled seeds), which the table says in every row."""
    cut = {**THRESHOLDS, **(thresholds or {})}
    data = align(scored, coded, on, measures)
    rows = []
    for language in [*sorted(data["language"].dropna().unique()), "all"]:
        part = data if language == "all" else data[data["language"] == language]
        for m in measures:
            rows.append(_row(str(language), m, part["label"].to_numpy(), part[m].to_numpy(dtype=float), cut[m],
                             in_sample))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


@dataclass(frozen=True)
class HeadlineInstrument:
    """The measure and language the chapter headlines, and why: ``reason`` is "validity" (the
    eligible measure x language with the highest lower bound of rho), or "unvalidated" (no
    measure x language has ``min_n`` coded sentences with a defined rho: measure and language are
    None and the chapter keeps its default). ``ranking``: the eligible rows of :func:`agreement`, best
    first."""

    measure: str | None
    language: str | None
    rho_low: float
    reason: str
    ranking: pd.DataFrame


def headline_instrument(table: pd.DataFrame, languages: Sequence[str] | None = None,
                        min_n: int = MIN_CODED) -> HeadlineInstrument:
    """The measure x language to headline from an :func:`agreement` table: among single languages
    (not the pooled "all") in ``languages`` (all if None; e.g. those whose sentences cover two
    episodes or more) with at least ``min_n`` coded sentences and a defined interval, the one with the
    highest lower bound of rho (ties: higher rho, then the table's order)."""
    ok = table[(table["language"] != "all") & (table["n"] >= int(min_n)) & table["rho_low"].notna()]
    if languages is not None:
        ok = ok[ok["language"].isin(list(languages))]
    ranking = ok.sort_values(["rho_low", "rho"], ascending=False, kind="stable").reset_index(drop=True)
    if ranking.empty:
        return HeadlineInstrument(None, None, float("nan"), "unvalidated", ranking)
    best = ranking.iloc[0]
    return HeadlineInstrument(str(best["measure"]), str(best["language"]), float(best["rho_low"]), "validity", ranking)
