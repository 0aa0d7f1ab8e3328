"""Where the articles come from: the optional source fields of the manifest (outlet, url, original
language, translation chain, source type) as one table, and the flags that the limits must mention.

Data only (DataFrames); the sentences are in :mod:`scripts.narrative.sources`. The patterns that
make a source a state agency or a machine translation are in ``scripts/data/source_types.yml``.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from scripts import episodes as E
from scripts.corpus import SOURCE_FIELDS

FLAGS_FILE = Path(__file__).resolve().parent / "data" / "source_types.yml"


@cache
def flag_patterns() -> dict[str, tuple[str, str]]:
    """flag -> (manifest field, case-insensitive regex), from ``source_types.yml``."""
    raw = yaml.safe_load(FLAGS_FILE.read_text(encoding="utf-8")) or {}
    return {flag: (spec["field"], spec["pattern"]) for flag, spec in raw.items()}


def source_flags(documents: pd.DataFrame) -> pd.DataFrame:
    """One row per document: doc_id, episode, tokens_clean, share_of_episode (its share of the
    episode's cleaned words), and one bool column per flag of ``source_types.yml``
    (state_agency, machine_translation). Missing source fields count as unflagged.

    Why the share: a flagged article that holds most of an episode's words colours the whole
    episode, one among many does not."""
    out = documents[["doc_id", "episode", "tokens_clean"]].copy()
    per_episode = out.groupby("episode")["tokens_clean"].transform("sum")
    out["share_of_episode"] = (out["tokens_clean"] / per_episode.where(per_episode > 0)).fillna(0.0)
    for flag, (field, pattern) in flag_patterns().items():
        values = documents[field] if field in documents else pd.Series("", index=documents.index)
        out[flag] = values.fillna("").astype(str).str.contains(pattern, case=False, regex=True)
    return out.reset_index(drop=True)


def source_table(documents: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The reader's source table, one row per article in episode order: article (doc_id), episode
    (label), date (YYYY-MM-DD), outlet, source type, language (original → as read, e.g. "ru → fr"),
    translation, url. Empty strings where the manifest does not say."""
    docs = E.sort_by_episode(documents, episodes, then=("date", "doc_id"))
    fields = {f: docs[f].fillna("").astype(str) if f in docs else pd.Series("", index=docs.index) for f in SOURCE_FIELDS}
    original = fields["original_language"]
    language = [f"{o} → {a}" if o and o != a else a for o, a in zip(original, docs["language"].astype(str))]
    return pd.DataFrame({
        "article": docs["doc_id"].astype(str).to_numpy(),
        "episode": docs["episode"].map(E.labels(episodes)).to_numpy(),
        "date": pd.to_datetime(docs["date"]).dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
        "outlet": fields["outlet"].to_numpy(), "source type": fields["source_type"].to_numpy(),
        "language": language, "translation": fields["translation"].to_numpy(), "url": fields["url"].to_numpy(),
    })
