"""Episode order and labels, read from the manifest's ``episodes`` table.

Every chapter orders rows by the date of their episode and names episodes by their label; this
module is the one place that knows how. ``episodes`` is ``Corpus.episodes``: columns episode,
label, date, order (0 = earliest).
"""
from __future__ import annotations

import pandas as pd


def labels(episodes: pd.DataFrame) -> dict[str, str]:
    """episode id -> label ("moscow-2017" -> "Moscow, April 2017")."""
    return dict(zip(episodes["episode"], episodes["label"]))


def order(episodes: pd.DataFrame) -> dict[str, int]:
    """episode id -> position in date order (0 = earliest)."""
    return dict(zip(episodes["episode"], episodes["order"]))


def in_order(episodes: pd.DataFrame) -> list[str]:
    """Episode ids, earliest first."""
    return episodes.sort_values("order", kind="stable")["episode"].tolist()


def sort_by_episode(df: pd.DataFrame, episodes: pd.DataFrame, column: str = "episode",
                    then: tuple[str, ...] = ("language",)) -> pd.DataFrame:
    """``df`` with rows in episode date order, then by the columns of ``then`` that exist; rows whose
    episode is not in ``episodes`` (such as "(all)") come first. Stable: ties keep their order."""
    keys = ["_order"] + [c for c in then if c in df.columns and c != column]
    return (df.assign(_order=df[column].map(order(episodes)).fillna(-1)).sort_values(keys, kind="stable")
            .drop(columns="_order").reset_index(drop=True))
