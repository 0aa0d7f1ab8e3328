"""Tests of scripts/validity.py: per-language per-measure agreement with hand codes (rho and its
interval, alpha, accuracy, the all-neutral baseline, n, in-sample flag) and the headline choice by
the highest lower bound of rho."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scripts import validity as VA


def frame(n_en: int, n_fr: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scored sentences and codes: the cooperation index follows the label (plus noise) in English and
    is noise in French; VADER is noise in both."""
    rng = np.random.default_rng(seed)
    rows = []
    for lang, n in (("en", n_en), ("fr", n_fr)):
        labels = rng.choice([-1, 0, 1], size=n)
        coop = labels * 0.6 + rng.normal(0, 0.2, n) if lang == "en" else rng.normal(0, 0.5, n)
        for i in range(n):
            rows.append({"sentence_id": f"{lang}{i}", "text": f"t{lang}{i}", "language": lang, "label": int(labels[i]),
                         "cooperation_index": float(coop[i]), "vader_compound": float(rng.normal(0, 0.5))})
    data = pd.DataFrame(rows)
    return data.drop(columns="label"), data[["sentence_id", "text", "label"]]


def test_agreement_table_per_language_and_measure():
    scored, coded = frame(60, 50)
    t = VA.agreement(scored, coded)
    assert list(t.columns) == VA.AGREEMENT_COLUMNS
    assert list(zip(t["language"], t["measure"])) == [(lang, m) for lang in ("en", "fr", "all") for m in VA.MEASURES]
    en = t[(t["language"] == "en") & (t["measure"] == "cooperation_index")].iloc[0]
    assert en["n"] == 60 and en["rho"] > 0.8 and en["rho_low"] < en["rho"] < en["rho_high"]
    assert en["accuracy"] > en["baseline"] and en["alpha"] > 0.5
    fr = t[(t["language"] == "fr") & (t["measure"] == "cooperation_index")].iloc[0]
    assert fr["rho_low"] < 0.3
    assert t.loc[t["language"] == "all", "n"].tolist() == [110, 110]
    assert not t["in_sample"].any() and VA.agreement(scored, coded, in_sample=True)["in_sample"].all()
    # the baseline is the share of neutral labels
    assert en["baseline"] == pytest.approx((coded.iloc[:60]["label"] == 0).mean())


def test_codes_whose_sentence_changed_are_left_out():
    scored, coded = frame(10, 0)
    changed = coded.assign(text=coded["text"].where(coded.index >= 3, "edited"))
    assert VA.agreement(scored, changed)["n"].iloc[0] == 7


def test_spearman_interval():
    low, high = VA.spearman_interval(0.6, 100)
    assert low < 0.6 < high and high - low < 0.35
    assert VA.spearman_interval(0.6, 1000)[0] > low                       # more sentences, narrower
    assert all(np.isnan(VA.spearman_interval(0.6, 3)))
    assert all(np.isnan(VA.spearman_interval(float("nan"), 50)))


def test_headline_instrument_by_the_lower_bound_of_rho():
    scored, coded = frame(60, 50)
    t = VA.agreement(scored, coded)
    h = VA.headline_instrument(t)
    assert (h.measure, h.language, h.reason) == ("cooperation_index", "en", "validity")
    assert h.rho_low == pytest.approx(t["rho_low"].iloc[0])
    assert "all" not in set(h.ranking["language"])                        # pooled languages are not a candidate
    # a language the comparison cannot use, or too few codes, leaves the next best or nothing
    assert VA.headline_instrument(t, languages=["fr"]).language == "fr"
    none = VA.headline_instrument(t, min_n=100)
    assert (none.measure, none.language, none.reason) == (None, None, "unvalidated") and none.ranking.empty


def test_constant_measure_has_no_rho():
    scored, coded = frame(20, 0)
    scored["vader_compound"] = 0.0
    row = VA.agreement(scored, coded).iloc[1]
    assert row["measure"] == "vader_compound" and np.isnan(row["rho"]) and np.isnan(row["rho_low"])
    assert row["accuracy"] == pytest.approx(row["baseline"])              # all neutral = the baseline
