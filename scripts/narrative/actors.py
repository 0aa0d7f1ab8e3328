"""Sentences and reader tables of the actors chapter (also glued by the Findings and Methods pages).

Each statement has a ``*_facts`` function (which case is true, with which values; tested) and a
``*_text`` function (the rendered sentence). Wording lives in ``templates/actors.yml``. Inputs are
results the notebook computed once with :mod:`scripts.actors`; nothing here counts or scores.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import episodes as E
from ..actors import MentionTotals, OfficeResolution, QuoteShares
from .common import num
from .render import Facts

PAGE = "actors"


def _in_episode(name: str, label: str, count: int, noun: str) -> str:
    """'Rex Tillerson in Moscow, April 2017 (53 mentions)': one item of a per-episode list."""
    return Facts(PAGE, "in_episode", "default", {"name": name, "label": label, "count": int(count), "noun": noun}).text


# --------------------------------------------------------------------------- who is mentioned
def mentions_facts(totals: MentionTotals) -> Facts:
    """How many mentions of how many persons, and the share of resolved role phrases. Cases: found, none."""
    if not totals.n_mentions:
        return Facts(PAGE, "mentions", "none")
    return Facts(PAGE, "mentions", "found", {"n_mentions": totals.n_mentions, "n_persons": totals.n_persons,
                                             "share_role": totals.share_role})


def mentions_text(totals: MentionTotals) -> str:
    return mentions_facts(totals).text


def constant_facts(constant: pd.DataFrame, n_episodes: int) -> Facts:
    """Persons mentioned in every episode with text. ``constant``: :func:`scripts.actors.constant_actors`
    (most consistently present first); ``n_episodes``: episodes with text.

    Cases: every_episode_ranked (several persons over several episodes: the first is named the most
    consistently present), every_episode (one person), single_episode (a one-episode corpus: no
    ranking claimed), nobody_in_every, nobody (one episode and nobody in it)."""
    names = [str(n) for n in constant["name"]]
    if not names:
        return Facts(PAGE, "constant", "nobody" if n_episodes == 1 else "nobody_in_every")
    if n_episodes <= 1:
        case = "single_episode"
    else:
        case = "every_episode_ranked" if len(names) > 1 else "every_episode"
    return Facts(PAGE, "constant", case, {"names": names})


def constant_text(constant: pd.DataFrame, n_episodes: int) -> str:
    return constant_facts(constant, n_episodes).text


def counterpart_facts(constant: pd.DataFrame, facing: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """Who held the office facing the most consistently present person, per episode.
    ``constant``: :func:`scripts.actors.constant_actors`; ``facing``: :func:`scripts.actors.constant_counterparts`.

    Cases: faced, no_office (the gazetteer defines no counterpart office, or it was vacant throughout),
    no_constant (nobody is mentioned in every episode)."""
    if constant.empty:
        return Facts(PAGE, "counterpart", "no_constant")
    name = str(constant["name"].iloc[0])
    held = facing[facing["counterpart"] != ""]
    if held.empty:
        return Facts(PAGE, "counterpart", "no_office", {"name": name})
    labels = E.labels(episodes)
    return Facts(PAGE, "counterpart", "faced", {
        "name": name, "office": str(facing["office"].iloc[0]), "counterpart_office": str(facing["counterpart_office"].iloc[0]),
        "counterparts": [_in_episode(r.counterpart_name, labels[r.episode], r.mentions, "mention") for r in held.itertuples()]})


def counterpart_text(constant: pd.DataFrame, facing: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return counterpart_facts(constant, facing, episodes).text


def us_officials_facts(officials: pd.DataFrame, episodes: pd.DataFrame, country: str = "US") -> Facts:
    """The most-mentioned ``country`` office holder of each episode. ``officials``:
    :func:`scripts.actors.top_officials`. Cases: per_episode, none."""
    if officials.empty:
        return Facts(PAGE, "us_officials", "none", {"country": country})
    labels = E.labels(episodes)
    return Facts(PAGE, "us_officials", "per_episode", {
        "country": country,
        "officials": [_in_episode(r.name, labels[r.episode], r.mentions, "mention") for r in officials.itertuples()]})


def us_officials_text(officials: pd.DataFrame, episodes: pd.DataFrame, country: str = "US") -> str:
    return us_officials_facts(officials, episodes, country).text


def mention_table(matrix: pd.DataFrame, counts: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.actors.mention_matrix` for readers: person, then one column per episode label
    holding "mentions (per 1,000 clean tokens)" ("0 (0.0)" when absent; rates from ``counts``,
    :func:`scripts.actors.mention_counts`)."""
    labels = E.labels(episodes)
    rate = counts.set_index(["episode", "actor"])["per_1000"]
    out = pd.DataFrame({"person": matrix["name"].tolist()})
    for ep in matrix.columns[2:]:
        out[labels[ep]] = [f"{n} ({num(float(rate.get((ep, a), 0.0)), '.1f')})" for a, n in zip(matrix["actor"], matrix[ep])]
    return out


# --------------------------------------------------------------------------- roles
def role_table(by_date: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.actors.roles_by_date` for readers: office, article date (YYYY-MM-DD), resolved
    to, phrases ("; "-joined), mentions."""
    out = by_date.assign(date=by_date["date"].dt.strftime("%Y-%m-%d"), phrases=by_date["phrases"].map("; ".join))
    return out[["office", "date", "name", "phrases", "mentions"]].rename(columns={"name": "resolved to", "date": "article date"})


def secretaries_facts(resolution: OfficeResolution) -> Facts:
    """How many persons the role phrases of one office resolved to (by the article's date).
    Cases: several, single, none."""
    n = resolution.persons
    case = "none" if n == 0 else "single" if n == 1 else "several"
    return Facts(PAGE, "secretaries", case, {"office": resolution.label or resolution.office, "n": n})


def secretaries_text(resolution: OfficeResolution) -> str:
    return secretaries_facts(resolution).text


def unresolved_table(unresolved: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.actors.unresolved_roles` for readers: doc_id, date (YYYY-MM-DD), surface."""
    return unresolved.assign(date=unresolved["date"].dt.strftime("%Y-%m-%d"))[["doc_id", "date", "surface"]]


# --------------------------------------------------------------------------- who appears with whom
def top_pair_facts(pair: pd.Series | None, window: str = "sentence") -> Facts:
    """The pair sharing the most windows (:func:`scripts.actors.top_pair`), as a phrase. Cases: pair, none."""
    if pair is None:
        return Facts(PAGE, "top_pair", "none", {"window": window})
    return Facts(PAGE, "top_pair", "pair", {"name_a": pair["name_a"], "name_b": pair["name_b"],
                                            "windows": int(pair["windows"]), "npmi": float(pair["npmi"]), "window": window})


def top_pair_text(pair: pd.Series | None, window: str = "sentence") -> str:
    return top_pair_facts(pair, window).text


def top_pair_sentence_facts(pair: pd.Series | None, window: str = "sentence") -> Facts:
    """The same as a sentence (Findings). Cases: pair, none."""
    if pair is None:
        return Facts(PAGE, "top_pair_sentence", "none", {"window": window})
    return Facts(PAGE, "top_pair_sentence", "pair", {"window": window, "pair": top_pair_text(pair, window)})


def top_pair_sentence(pair: pd.Series | None, window: str = "sentence") -> str:
    return top_pair_sentence_facts(pair, window).text


def pair_table(co: pd.DataFrame, window: str = "sentence", top_n: int = 12) -> pd.DataFrame:
    """The ``top_n`` first pairs of :func:`scripts.actors.co_mentions` over all episodes: pair ("A – B"),
    <window>s (windows naming both), documents, NPMI."""
    overall = co[co["episode"] == "all"].head(top_n)
    return (overall.assign(pair=overall["name_a"] + " – " + overall["name_b"])[["pair", "windows", "documents", "npmi"]]
            .rename(columns={"windows": f"{window}s", "npmi": "NPMI"}).reset_index(drop=True))


def pair_episode_table(matrix: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.actors.pair_matrix` for readers: pair ("A – B"), then windows naming both per
    episode label; no rows (column pair only) when no pair shares a window."""
    if matrix.empty:
        return pd.DataFrame(columns=["pair"])
    out = matrix.drop(columns=["actor_a", "actor_b", "name_a", "name_b"]).rename(columns=E.labels(episodes))
    out.insert(0, "pair", matrix["name_a"] + " – " + matrix["name_b"])
    return out


# --------------------------------------------------------------------------- who speaks
def quotes_facts(shares: QuoteShares) -> Facts:
    """How many quotations of at least ``min_words`` words, and how their speakers were found. Cases: found, none."""
    if not shares.n_quotes:
        return Facts(PAGE, "quotes", "none", {"min_words": shares.min_words})
    return Facts(PAGE, "quotes", "found", {"n_quotes": shares.n_quotes, "min_words": shares.min_words,
                                           "share_attributed": shares.share_attributed,
                                           "share_named": shares.share_named, "share_pronoun": shares.share_pronoun})


def quotes_text(shares: QuoteShares) -> str:
    return quotes_facts(shares).text


def top_speaker_facts(top: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """The most quoted named speaker of each episode (:func:`scripts.actors.top_speakers`), as a phrase.
    Cases: per_episode, nobody."""
    if top.empty:
        return Facts(PAGE, "top_speaker", "nobody")
    labels = E.labels(episodes)
    return Facts(PAGE, "top_speaker", "per_episode",
                 {"speakers": [_in_episode(r.name, labels[r.episode], r.quotes, "quotation") for r in top.itertuples()]})


def top_speaker_text(top: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return top_speaker_facts(top, episodes).text


def speaker_table(speakers: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.actors.speaker_counts` for readers: episode (label, date order), speaker
    ("(unattributed)" for ""), quotes, words; most quoted first within an episode."""
    s = speakers.assign(name=speakers["name"].replace("", "(unattributed)")).sort_values("quotes", ascending=False, kind="stable")
    s = E.sort_by_episode(s, episodes, then=()).assign(episode=lambda d: d["episode"].map(E.labels(episodes)))
    return s[["episode", "name", "quotes", "words"]].rename(columns={"name": "speaker"})


def pronoun_examples(quotes: pd.DataFrame, min_words: int = 3, n: int = 3, width: int = 90) -> pd.DataFrame:
    """The first ``n`` quotations of at least ``min_words`` words attributed through a pronoun, for
    readers to check: sentence_id, speaker, verb, quote (first ``width`` characters)."""
    ex = quotes[(quotes["n_words"] >= min_words) & (quotes["method"] == "pronoun")].head(n)
    return (ex.assign(quote=ex["quote"].str.slice(0, width))[["sentence_id", "name", "verb", "quote"]]
            .rename(columns={"name": "speaker"}).reset_index(drop=True))


# --------------------------------------------------------------------------- tiers and accuracy
def tier_table(kinds: pd.DataFrame, top_n: int = 12) -> pd.DataFrame:
    """The ``top_n`` first actors of each kind of :func:`scripts.actors.kind_counts`: kind, name, mentions."""
    return kinds.groupby("kind").head(top_n).reset_index(drop=True)


def accuracy_facts(evaluation: pd.DataFrame, bundled: bool = True) -> Facts:
    """Precision and recall of the detector. ``evaluation``: :func:`scripts.actors.evaluate_on_annotations`
    (one row per document, "all" for the total). ``bundled``: the annotations are the ones shipped
    with the project, made on seed articles read while the gazetteer was written; the sentence then
    says the scores are in-sample (value ``in_sample``). Precision or recall is None when undefined
    (nothing detected, nothing annotated). Cases: measured, none (no annotated document in this corpus)."""
    docs = [str(d) for d in evaluation["doc_id"] if d != "all"]
    if not docs:
        return Facts(PAGE, "accuracy", "none")
    total = evaluation[evaluation["doc_id"] == "all"].iloc[0]

    def score(x) -> float | None:
        return None if math.isnan(float(x)) else float(x)

    return Facts(PAGE, "accuracy", "measured", {"docs": docs, "gold": int(total["gold"]), "precision": score(total["precision"]),
                                                "recall": score(total["recall"]), "in_sample": bool(bundled)})


def accuracy_text(evaluation: pd.DataFrame, bundled: bool = True) -> str:
    return accuracy_facts(evaluation, bundled).text
