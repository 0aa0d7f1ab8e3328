"""Sentences and reader tables about the corpus (intro, corpus chapter, methods, findings).

Each statement has a ``*_facts`` function (which case is true, with which values; tested) and a
``*_text`` function (the rendered sentence). Wording lives in ``templates/corpus.yml``.
"""
from __future__ import annotations

import pandas as pd

from .. import episodes as E
from .render import Facts

PAGE = "corpus"


def period_facts(episodes: pd.DataFrame) -> Facts:
    """'in June 2021' when all episodes fall in one month, else 'from April 2017 to May 2019'.
    ``episodes``: column date (Timestamp)."""
    if episodes.empty:
        return Facts(PAGE, "period", "empty")
    first, last = episodes["date"].min(), episodes["date"].max()
    case = "one_month" if (first.year, first.month) == (last.year, last.month) else "span"
    return Facts(PAGE, "period", case, {"first": first, "last": last})


def period_text(episodes: pd.DataFrame) -> str:
    return period_facts(episodes).text


def scope_text(documents: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """'5 articles about 3 episodes, from April 2017 to May 2019'."""
    return Facts(PAGE, "scope", "default", {"n_articles": len(documents), "n_episodes": len(episodes),
                                            "period": period_text(episodes)}).text


def size_facts(documents: pd.DataFrame, episodes: pd.DataFrame, unequal_ratio: float = 3.0) -> Facts:
    """How unequal the articles are in size. Cases: empty, single, unequal (largest ≥ ``unequal_ratio``
    × smallest), comparable. ``documents``: doc_id, episode, tokens_clean. Articles that keep no word
    (e.g. a repeated document) are left out of the comparison."""
    docs = documents[documents["tokens_clean"] > 0]
    if docs.empty:
        return Facts(PAGE, "size", "empty")
    total = int(docs["tokens_clean"].sum())
    top = docs.loc[docs["tokens_clean"].idxmax()]
    name = f"{top['doc_id']} ({E.labels(episodes).get(top['episode'], top['episode'])})"
    if len(docs) == 1:
        return Facts(PAGE, "size", "single", {"name": name, "total": total})
    ratio = float(top["tokens_clean"] / docs["tokens_clean"].min())
    case = "unequal" if ratio >= unequal_ratio else "comparable"
    return Facts(PAGE, "size", case, {"name": name, "total": total, "ratio": ratio,
                                      "share": float(top["tokens_clean"] / total)})


def size_text(documents: pd.DataFrame, episodes: pd.DataFrame, unequal_ratio: float = 3.0) -> str:
    return size_facts(documents, episodes, unequal_ratio).text
