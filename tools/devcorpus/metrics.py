"""Agreement measures between the hand annotations and an instrument's output (pure functions on
small DataFrames, so they are tested on toy data without any third-party text).

Actor keys: an actor is compared by the id the annotations use. A predicted actor whose id the
annotations use keeps it; any other predicted person (a provisional or newly listed actor) is keyed
``person:firstname-lastname`` from its display name (:func:`devcorpus.person_slug`), the form the
annotations give people the gazetteer did not list when they were written. "Listed" means listed in
``scripts/data/actors.yml`` at annotation time: every annotation id without the ``person:`` prefix.
"""
from __future__ import annotations

import math
import re
import unicodedata

import devcorpus as D
import numpy as np
import pandas as pd
from scipy import stats

UNLISTED_PREFIX = "person:"


def is_listed(actor: str) -> bool:
    return not str(actor).startswith(UNLISTED_PREFIX)


def actor_key(actor: str, name: str, gold_ids: set[str]) -> str:
    """The annotation key of a predicted actor ("" for an unattributed quote)."""
    actor, name = str(actor or ""), str(name or "")
    if actor in gold_ids or (actor and not name):
        return actor
    return D.person_slug(name) if name else ""


# --------------------------------------------------------------------------- mentions
def mention_table(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per document and actor: gold and predicted mention counts.

    ``gold``: doc_id, actor, count (one row per annotated sentence and surface); ``predicted``:
    doc_id, actor (already keyed with :func:`actor_key`), one row per predicted mention.
    Returns doc_id, actor, gold, predicted, listed (bool), abs_error.
    """
    g = gold.groupby(["doc_id", "actor"])["count"].sum().rename("gold")
    p = predicted.groupby(["doc_id", "actor"]).size().rename("predicted")
    t = pd.concat([g, p], axis=1).fillna(0).astype(int).reset_index()
    t["listed"] = t["actor"].map(is_listed)
    t["abs_error"] = (t["gold"] - t["predicted"]).abs()
    return t


def mention_error(table: pd.DataFrame) -> dict:
    """Absolute error over actor x article pairs divided by the gold total (NaN without gold)."""
    gold, err = int(table["gold"].sum()), int(table["abs_error"].sum())
    return {"gold": gold, "abs_error": err, "error": err / gold if gold else math.nan}


# --------------------------------------------------------------------------- quotations
def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", str(text)).lower())


def match_quotes(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Each gold quotation with the predicted quotation found for it and whether the speaker is right.

    ``gold``: doc_id, quote (first words), speaker, in text order within each document;
    ``predicted``: doc_id, quote (the quoted text), speaker (keyed, "" = unattributed), in text order.
    A predicted quotation matches the first unmatched gold quotation of its document whose words
    begin it (case and punctuation ignored), so matching does not depend on sentence boundaries.
    A gold ``unknown`` speaker is right only when the quotation is left unattributed; a gold
    quotation with no match is wrong. Returns the gold columns plus found (bool), predicted, correct.
    """
    rows = []
    for doc_id, g in gold.groupby("doc_id", sort=False):
        preds = [(_words(q), s) for q, s in predicted.loc[predicted["doc_id"] == doc_id, ["quote", "speaker"]].itertuples(index=False)]
        used = [False] * len(preds)
        for r in g.itertuples():
            want = _words(r.quote)
            hit = next((i for i, (w, _) in enumerate(preds) if not used[i] and want and w[:len(want)] == want), None)
            if hit is None:
                rows.append({**r._asdict(), "found": False, "predicted": "", "correct": False})
                continue
            used[hit] = True
            said = preds[hit][1]
            right = said == "" if r.speaker == D.UNKNOWN else said == r.speaker
            rows.append({**r._asdict(), "found": True, "predicted": said, "correct": bool(right)})
    out = pd.DataFrame(rows, columns=[*gold.columns, "found", "predicted", "correct"])
    return out.drop(columns=["Index"], errors="ignore")


def quote_accuracy(matched: pd.DataFrame) -> dict:
    n = len(matched)
    return {"gold": n, "found": int(matched["found"].sum()) if n else 0,
            "accuracy": float(matched["correct"].mean()) if n else math.nan}


# --------------------------------------------------------------------------- tone
def to_classes(values, threshold: float = 0.05) -> np.ndarray:
    """-1 below -threshold, +1 above +threshold, 0 in between (inclusive)."""
    x = np.asarray(values, dtype=float)
    return np.where(x > threshold, 1, np.where(x < -threshold, -1, 0))


def tone_agreement(labels, values, threshold: float = 0.05) -> dict:
    """Spearman rho of a measure against the -1/0/+1 labels, its 3-class accuracy, and the accuracy
    of labelling every sentence neutral (the baseline a useful measure must beat)."""
    labels = np.asarray(labels, dtype=int)
    values = np.asarray(values, dtype=float)
    keep = ~np.isnan(values)
    labels, values = labels[keep], values[keep]
    n = len(labels)
    if n > 2 and np.ptp(values) > 0 and np.ptp(labels) > 0:
        rho = float(stats.spearmanr(values, labels).statistic)
    else:
        rho = math.nan  # undefined for a constant measure or constant labels
    return {"n": int(n), "rho": rho,
            "accuracy": float((to_classes(values, threshold) == labels).mean()) if n else math.nan,
            "neutral_baseline": float((labels == 0).mean()) if n else math.nan}
