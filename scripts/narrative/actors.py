"""Sentences and reader tables of the actors chapter (also glued by the Findings and Methods pages).

Each statement has a ``*_facts`` function (which case is true, with which values; tested) and a
``*_text`` function (the rendered sentence). Wording lives in ``templates/actors.yml``. Inputs are
results the notebook computed once with :mod:`scripts.actors`; nothing here counts or scores.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import episodes as E
from ..actors import MentionTotals, OfficeResolution, QuoteShares, is_provisional
from .common import num, plural
from .render import Facts

PAGE = "actors"
PROVISIONAL_MARK = " (provisional)"  # after the name of a person actors.yml does not list, in reader tables


def _display(name: str, actor: str) -> str:
    """A person's name for readers, marked when the person is provisional."""
    return f"{name}{PROVISIONAL_MARK}" if is_provisional(actor) else str(name)


def _episode_header(label: str, articles: dict[str, int], ep: str) -> str:
    """'Moscow, April 2017 (2 articles)': the number of articles beside every per-episode figure."""
    return f"{label} ({plural(int(articles.get(ep, 0)), 'article')})"


def _in_episode(name: str, label: str, count: int, noun: str) -> str:
    """'Rex Tillerson in Moscow, April 2017 (53 mentions)': one item of a per-episode list."""
    return Facts(PAGE, "in_episode", "default", {"name": name, "label": label, "count": int(count), "noun": noun}).text


# --------------------------------------------------------------------------- who is mentioned
def mentions_facts(totals: MentionTotals) -> Facts:
    """How many mentions of how many persons, the share of resolved role phrases, and how many of the
    persons are provisional (not in actors.yml). Cases: found, found_provisional, none."""
    if not totals.n_mentions:
        return Facts(PAGE, "mentions", "none")
    values = {"n_mentions": totals.n_mentions, "n_persons": totals.n_persons, "share_role": totals.share_role,
              "n_provisional": totals.n_provisional, "n_provisional_mentions": totals.n_provisional_mentions}
    return Facts(PAGE, "mentions", "found_provisional" if totals.n_provisional else "found", values)


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


def mention_table(matrix: pd.DataFrame, counts: pd.DataFrame, episodes: pd.DataFrame,
                  articles: dict[str, int] | None = None) -> pd.DataFrame:
    """:func:`scripts.actors.mention_matrix` for readers: person (marked when provisional), then one
    column per episode, headed "label (n articles)" when ``articles`` (:func:`scripts.actors.articles_per_episode`)
    is given, holding "mentions (per 1,000 clean tokens)", followed by "in k" (the articles naming the
    person) when ``articles`` is given; "0 (0.0)" when absent. Rates and article counts from ``counts``
    (:func:`scripts.actors.mention_counts`)."""
    labels = E.labels(episodes)
    c = counts.set_index(["episode", "actor"])
    rate, docs = c["per_1000"], c["documents"]
    out = pd.DataFrame({"person": [_display(n, a) for n, a in zip(matrix["name"], matrix["actor"])]})
    for ep in matrix.columns[2:]:
        head = _episode_header(labels[ep], articles, ep) if articles is not None else labels[ep]
        cells = []
        for a, n in zip(matrix["actor"], matrix[ep]):
            cell = f"{n} ({num(float(rate.get((ep, a), 0.0)), '.1f')})"
            if articles is not None and n:
                cell += f" in {int(docs.get((ep, a), 0))}"
            cells.append(cell)
        out[head] = cells
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
def top_pair_facts(pair: pd.Series | None, window: str = "sentence", min_pair: int = 2) -> Facts:
    """The pair sharing the most windows over all episodes (:func:`scripts.actors.top_pair`), as a
    phrase with the number of articles carrying it. Cases: pair, pair_rare (fewer than ``min_pair``
    shared windows: no NPMI), none."""
    if pair is None:
        return Facts(PAGE, "top_pair", "none", {"window": window})
    values = {"name_a": _display(pair["name_a"], pair["actor_a"]), "name_b": _display(pair["name_b"], pair["actor_b"]),
              "windows": int(pair["windows"]), "documents": int(pair["documents"]), "window": window,
              "npmi": None if math.isnan(float(pair["npmi"])) else float(pair["npmi"]), "min_pair": int(min_pair)}
    return Facts(PAGE, "top_pair", "pair" if values["npmi"] is not None else "pair_rare", values)


def top_pair_text(pair: pd.Series | None, window: str = "sentence", min_pair: int = 2) -> str:
    return top_pair_facts(pair, window, min_pair).text


def top_pair_sentence_facts(pair: pd.Series | None, window: str = "sentence", min_pair: int = 2) -> Facts:
    """The same as a sentence (Findings). Cases: pair, none."""
    if pair is None:
        return Facts(PAGE, "top_pair_sentence", "none", {"window": window})
    return Facts(PAGE, "top_pair_sentence", "pair", {"window": window, "pair": top_pair_text(pair, window, min_pair)})


def top_pair_sentence(pair: pd.Series | None, window: str = "sentence", min_pair: int = 2) -> str:
    return top_pair_sentence_facts(pair, window, min_pair).text


def npmi_rule_facts(co: pd.DataFrame, window: str = "sentence", min_pair: int = 2) -> Facts:
    """The rule behind the NPMI figures: within episodes, only for pairs sharing ``min_pair`` windows,
    pooled only over the episodes where both persons are mentioned; with how many pairs fall below.
    Cases: rule (some pair shares a window), no_pair."""
    overall = co[co["episode"] == "all"]
    if overall.empty:
        return Facts(PAGE, "npmi_rule", "no_pair", {"window": window, "min_pair": int(min_pair)})
    return Facts(PAGE, "npmi_rule", "rule", {"window": window, "min_pair": int(min_pair), "n_pairs": int(len(overall)),
                                             "n_rare": int(overall["npmi"].isna().sum())})


def npmi_rule_text(co: pd.DataFrame, window: str = "sentence", min_pair: int = 2) -> str:
    return npmi_rule_facts(co, window, min_pair).text


def pair_table(co: pd.DataFrame, window: str = "sentence", top_n: int = 12) -> pd.DataFrame:
    """The ``top_n`` first pooled pairs of :func:`scripts.actors.co_mentions`: pair ("A – B", provisional
    persons marked), <window>s (windows naming both), articles, episodes (pooled: those in which both
    are mentioned), NPMI (NaN below ``min_pair``: printed "–")."""
    overall = co[co["episode"] == "all"].head(top_n)
    pair = [f"{_display(na, a)} – {_display(nb, b)}" for na, a, nb, b in
            zip(overall["name_a"], overall["actor_a"], overall["name_b"], overall["actor_b"])]
    out = pd.DataFrame({"pair": pair, f"{window}s": overall["windows"].tolist(), "articles": overall["documents"].tolist(),
                        "episodes": overall["episodes"].tolist(),
                        "NPMI": [num(float(x)) for x in overall["npmi"]]})
    return out


def pair_episode_table(matrix: pd.DataFrame, episodes: pd.DataFrame, articles: dict[str, int] | None = None) -> pd.DataFrame:
    """:func:`scripts.actors.pair_matrix` for readers: pair ("A – B"), then per episode (header
    "label (n articles)" when ``articles`` is given) the windows naming both, followed by "in k"
    (the articles carrying them) where the pair meets; no rows (column pair only) when no pair
    shares a window."""
    if matrix.empty:
        return pd.DataFrame(columns=["pair"])
    labels = E.labels(episodes)
    keys = list(dict.fromkeys(zip(matrix["actor_a"], matrix["actor_b"])))
    first = matrix.drop_duplicates(["actor_a", "actor_b"]).set_index(["actor_a", "actor_b"])
    out = pd.DataFrame({"pair": [f"{_display(first.loc[k, 'name_a'], k[0])} – {_display(first.loc[k, 'name_b'], k[1])}"
                                 for k in keys]})
    cell = matrix.set_index(["episode", "actor_a", "actor_b"])
    for ep in dict.fromkeys(matrix["episode"]):
        head = _episode_header(labels[ep], articles, ep) if articles is not None else labels[ep]
        col = []
        for a, b in keys:
            w, d = int(cell.loc[(ep, a, b), "windows"]), int(cell.loc[(ep, a, b), "documents"])
            col.append(f"{w} in {d}" if articles is not None and w else w if articles is None else "0")
        out[head] = col
    return out


# --------------------------------------------------------------------------- who speaks
def quotes_facts(shares: QuoteShares) -> Facts:
    """How many quotations of at least ``min_words`` words, and how their speakers were found. Cases:
    found, found_context (some speakers come from the context: an anaphor or the quotation before), none."""
    if not shares.n_quotes:
        return Facts(PAGE, "quotes", "none", {"min_words": shares.min_words})
    return Facts(PAGE, "quotes", "found_context" if shares.share_context else "found",
                 {"n_quotes": shares.n_quotes, "min_words": shares.min_words, "share_attributed": shares.share_attributed,
                  "share_named": shares.share_named, "share_pronoun": shares.share_pronoun,
                  "share_context": shares.share_context})


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
    names = [_display(n, a) if a else "(unattributed)" for n, a in zip(speakers["name"], speakers["actor"])]
    s = speakers.assign(name=names).sort_values("quotes", ascending=False, kind="stable")
    s = E.sort_by_episode(s, episodes, then=()).assign(episode=lambda d: d["episode"].map(E.labels(episodes)))
    return s[["episode", "name", "quotes", "words"]].rename(columns={"name": "speaker"})


def pronoun_examples(quotes: pd.DataFrame, min_words: int = 3, n: int = 3, width: int = 90) -> pd.DataFrame:
    """The first ``n`` quotations of at least ``min_words`` words attributed through a pronoun, for
    readers to check: sentence_id, speaker, verb, quote (first ``width`` characters)."""
    ex = quotes[(quotes["n_words"] >= min_words) & (quotes["method"] == "pronoun")].head(n)
    return (ex.assign(quote=ex["quote"].str.slice(0, width))[["sentence_id", "name", "verb", "quote"]]
            .rename(columns={"name": "speaker"}).reset_index(drop=True))


# --------------------------------------------------------------------------- people actors.yml does not list
def provisional_facts(people: pd.DataFrame, shown: int) -> Facts:
    """How many provisional persons (:func:`scripts.actors.provisional_people`) and whether the table
    of ``shown`` rows lists them all. Cases: all, cut, none."""
    n = int(len(people))
    if not n:
        return Facts(PAGE, "provisional", "none")
    values = {"n": n, "mentions": int(people["mentions"].sum()), "shown": min(int(shown), n)}
    return Facts(PAGE, "provisional", "cut" if n > shown else "all", values)


def provisional_text(people: pd.DataFrame, shown: int) -> str:
    return provisional_facts(people, shown).text


def provisional_table(people: pd.DataFrame, top_n: int = 24, width: int = 120) -> pd.DataFrame:
    """The ``top_n`` first rows of :func:`scripts.actors.provisional_people` for readers: person,
    mentions, articles, forms, context (the first sentence naming the person, first ``width``
    characters), entry (the line to paste into actors.yml once checked)."""
    p = people.head(top_n)
    ctx = [c if len(c) <= width else c[:width].rstrip() + " …" for c in p["context"]]
    return pd.DataFrame({"person": p["name"].tolist(), "mentions": p["mentions"].tolist(), "articles": p["documents"].tolist(),
                         "forms": p["forms"].tolist(), "context": ctx, "entry": p["entry"].tolist()})


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
