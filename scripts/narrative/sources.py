"""Sentences about where the articles come from (data page; the limits quote ``source_bias``).

Facts from :func:`scripts.sources.source_flags` and the manifest fields; wording in
``templates/sources.yml``. Nothing here computes a statistic.
"""
from __future__ import annotations

import pandas as pd

from .. import episodes as E
from .render import Facts

PAGE = "sources"


def source_bias_facts(documents: pd.DataFrame, episodes: pd.DataFrame, flags: pd.DataFrame) -> Facts:
    """``unknown`` when no article has a source_type or translation; ``none`` when nothing is
    flagged; else ``flagged`` with ``state`` (doc_id, label, source_type, outlet, share of its
    episode's words) and ``machine`` (doc_id and "doc_id: chain" text) for the flagged articles.

    ``flags``: :func:`scripts.sources.source_flags` of ``documents``."""
    docs = documents.set_index("doc_id")
    filled = [c for c in ("source_type", "translation") if c in docs and docs[c].fillna("").astype(str).str.strip().ne("").any()]
    if not filled:
        return Facts(PAGE, "source_bias", "unknown")
    labels = E.labels(episodes)
    state = [{"doc_id": r.doc_id, "label": labels.get(r.episode, r.episode), "source_type": str(docs.at[r.doc_id, "source_type"]),
              "outlet": str(docs.at[r.doc_id, "outlet"]) if "outlet" in docs else "", "share": float(r.share_of_episode)}
             for r in flags[flags["state_agency"]].itertuples()]
    machine = [{"doc_id": r.doc_id, "text": f"{r.doc_id}: {docs.at[r.doc_id, 'translation']}"}
               for r in flags[flags["machine_translation"]].itertuples()]
    if not state and not machine:
        return Facts(PAGE, "source_bias", "none")
    return Facts(PAGE, "source_bias", "flagged", {"state": state, "machine": machine})


def source_bias_text(documents: pd.DataFrame, episodes: pd.DataFrame, flags: pd.DataFrame) -> str:
    return source_bias_facts(documents, episodes, flags).text


def source_table_note_text(table: pd.DataFrame) -> str:
    """How many articles name their outlet, address and translation (``table``: scripts.sources.source_table)."""
    return Facts(PAGE, "source_table_note", "default", {
        "n": len(table), "n_outlet": int(table["outlet"].ne("").sum()), "n_url": int(table["url"].ne("").sum()),
        "n_translated": int(table["translation"].ne("").sum())}).text
