"""Who is mentioned, with whom, and who speaks: the actors chapter's analysis (data only).

The detection lives in small modules, re-exported here so the chapter and other code need one
import: :mod:`scripts.gazetteer` (``actors.yml`` compiled, folding), :mod:`scripts.names`
(people the gazetteer lacks), :mod:`scripts.mentions` (every mention of a corpus, in one pass:
``detect_corpus``, ``find_mentions``, ``unresolved_roles``, ``provisional_people``) and
:mod:`scripts.quotes` (``find_quotes``, ``speaker_counts``, ``top_speakers``).

Tables (pandas DataFrames) returned by the public functions:

``find_mentions``   doc_id, episode, sentence_id, actor (actor id, "new:…" for a provisional person,
                    "" for an unresolved role), name (display name), kind (person/state/organisation),
                    surface (text as written), method (name / alias / role / relational / surname /
                    metonym / provisional / role-unresolved), start, end (character offsets in the
                    sentence text), titled (a title phrase was merged into the name: "US President
                    Donald Trump"), office (office id of the role phrase, "" if none), provisional
                    (a person actors.yml does not list)
``find_quotes``     see :mod:`scripts.quotes`
``co_mentions``     episode ("all" for the pooled figure), actor_a, actor_b (ids, a < b), name_a,
                    name_b, windows (windows holding both), documents (articles holding such a
                    window), count_a, count_b (windows holding each), n_windows (windows in the
                    scope), episodes (episodes pooled: 1 within an episode), npmi (normalised PMI,
                    Bouma 2009; NaN below ``min_pair`` shared windows), window ("sentence"/"paragraph")
``mention_counts``  episode, actor, name, kind, provisional, mentions, documents, tokens (clean word
                    tokens of the episode), per_1000 (mentions per 1,000 tokens)
``provisional_people`` actor, name, mentions, documents, episodes, forms, sentence_id, context, entry
``evaluate_mentions`` doc_id ("all" for the total), gold, predicted, tp, precision, recall, f1
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pandas as pd

from . import episodes as E
from .gazetteer import KINDS, Gazetteer, default_gazetteer, fold, fold_lower, load_gazetteer  # noqa: F401 - re-exported
from .mentions import MENTION_COLUMNS, detect_corpus, detect_mentions, find_mentions, is_provisional, provisional_people, unresolved_roles  # noqa: F401
from .quotes import QUOTE_COLUMNS, find_quotes, load_reporting_verbs, quote_spans, speaker_counts, top_speakers  # noqa: F401

ANNOTATIONS_DIR = Path(__file__).resolve().parent / "data" / "validation" / "actor_annotations"  # hand annotations
CO_COLUMNS = ["episode", "actor_a", "actor_b", "name_a", "name_b", "windows", "documents", "count_a", "count_b",
              "n_windows", "episodes", "npmi", "window"]
_default_gazetteer = default_gazetteer


# --------------------------------------------------------------------------- counts
def mention_counts(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor per episode, with the rate per 1,000 clean word tokens of that episode and the
    number of articles mentioning the actor (``documents``)."""
    tokens = documents.groupby("episode")["tokens_clean"].sum()
    m = mentions[mentions["actor"] != ""]
    m = m.assign(provisional=m["provisional"].astype(bool)) if "provisional" in m else m.assign(provisional=False)
    out = (m.groupby(["episode", "actor", "name", "kind", "provisional"])
           .agg(mentions=("sentence_id", "size"), documents=("doc_id", "nunique")).reset_index())
    out["tokens"] = out["episode"].map(tokens).astype(int)
    out["per_1000"] = 1000 * out["mentions"] / out["tokens"]
    return out.sort_values(["episode", "mentions", "actor"], ascending=[True, False, True]).reset_index(drop=True)


def episodes_with_text(episodes: pd.DataFrame, documents: pd.DataFrame | None = None) -> list[str]:
    """Episode ids (date order) that hold at least one document with clean word tokens. An episode of the
    manifest whose documents are all ``skip: true`` (or empty, or duplicates) has none; without
    ``documents`` every episode counts."""
    order = E.in_order(episodes)
    if documents is None:
        return order
    has = set(documents.loc[documents["tokens_clean"] > 0, "episode"]) if "tokens_clean" in documents else set(documents["episode"])
    return [e for e in order if e in has]


def constant_actors(counts: pd.DataFrame, episodes: pd.DataFrame, kind: str = "person",
                    documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Actors of ``kind`` mentioned in every episode that has text (:func:`episodes_with_text`), most
    consistently present first.

    Columns: actor, name, episodes, min_per_1000 (lowest rate over the episodes), mentions (total).
    Empty when no actor is in all episodes (or no episode has text).
    """
    with_text = episodes_with_text(episodes, documents)
    c = counts[(counts["kind"] == kind) & counts["episode"].isin(with_text)]
    n = len(with_text)
    g = c.groupby(["actor", "name"]).agg(episodes=("episode", "nunique"), min_per_1000=("per_1000", "min"),
                                          mentions=("mentions", "sum")).reset_index()
    g = g[(g["episodes"] == n) & (n > 0)]
    return g.sort_values(["min_per_1000", "mentions", "actor"], ascending=[False, False, True]).reset_index(drop=True)


def officials_by_episode(mentions: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                         country: str = "US") -> pd.DataFrame:
    """Per episode, persons of ``country`` holding an office of the gazetteer at the date of the documents
    mentioning them, ranked by mentions (rank 1 = most mentioned).

    Columns: episode, actor, name, office (label), mentions, rank.
    """
    gz = gazetteer or _default_gazetteer()
    dates = documents.set_index("doc_id")["date"]
    people = set(gz.actors.loc[(gz.actors["kind"] == "person") & (gz.actors["country"] == country), "id"])
    m = mentions[mentions["actor"].isin(people)].copy()
    date_of = {d: dates[d] for d in m["doc_id"].unique()}
    held: dict[tuple, str] = {}  # offices of each (person, date) looked up once: mentions repeat both
    for a, d in zip(m["actor"], m["doc_id"]):
        if (a, date_of[d]) not in held:
            held[(a, date_of[d])] = ", ".join(gz.offices[o]["label"] for o in gz.offices_of(a, date_of[d]))
    m["office"] = [held[(a, date_of[d])] for a, d in zip(m["actor"], m["doc_id"])]
    m = m[m["office"] != ""]
    out = (m.groupby(["episode", "actor", "name"]).agg(mentions=("sentence_id", "size"), office=("office", "first"))
           .reset_index().sort_values(["episode", "mentions", "actor"], ascending=[True, False, True]))
    out["rank"] = out.groupby("episode").cumcount() + 1
    return out[["episode", "actor", "name", "office", "mentions", "rank"]].reset_index(drop=True)


def counterparts(actor: str, episodes: pd.DataFrame, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """For each episode, the offices ``actor`` held at its date and who held the counterpart office then.

    Columns: episode, office, counterpart_office, counterpart (actor id, "" if vacant), counterpart_name.
    """
    gz = gazetteer or _default_gazetteer()
    rows = []
    dates = dict(zip(episodes["episode"], episodes["date"]))
    for ep in E.in_order(episodes):
        for office in gz.offices_of(actor, dates[ep]):
            for a, b in gz.counterparts:
                other = b if a == office else a if b == office else None
                if other:
                    who = gz.holder(other, dates[ep])
                    rows.append({"episode": ep, "office": gz.offices[office]["label"],
                                 "counterpart_office": gz.offices[other]["label"], "counterpart": who,
                                 "counterpart_name": gz.actor(who)["name"] if who else ""})
    return pd.DataFrame(rows, columns=["episode", "office", "counterpart_office", "counterpart", "counterpart_name"])


def role_resolutions(mentions: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """How bare role phrases (method "role") were resolved: office, phrase (lower case), date, episode,
    actor, name, mentions. Shows the same phrase naming different people at different dates."""
    gz = gazetteer or _default_gazetteer()
    r = mentions[mentions["method"] == "role"].copy()
    r["date"] = r["doc_id"].map(documents.set_index("doc_id")["date"])
    r["phrase"] = r["surface"].map(lambda s: re.sub(r"\s+", " ", s.lower()))
    r["office"] = r["office"].map(lambda o: gz.offices[o]["label"] if o in gz.offices else o)
    out = r.groupby(["office", "phrase", "date", "episode", "actor", "name"]).size().rename("mentions").reset_index()
    return out.sort_values(["office", "date", "phrase"]).reset_index(drop=True)


# --------------------------------------------------------------------------- co-mentions
def _npmi(k: int, count_a: int, count_b: int, n: int) -> float:
    p_ab, p_a, p_b = k / n, count_a / n, count_b / n
    return 1.0 if p_ab >= 1 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)


def co_mentions(mentions: pd.DataFrame, sentences: pd.DataFrame, window: str = "sentence",
                episodes: pd.DataFrame | None = None, min_count: int = 1, min_pair: int = 2) -> pd.DataFrame:
    """Actor pairs sharing a window (a sentence or a paragraph), per episode and pooled ("all").

    Within an episode, probabilities are over all windows of the episode, mentions or not:
    p(a) = windows with a / N, p(a,b) = windows with both / N; NPMI = log(p(a,b) / (p(a) p(b))) /
    -log p(a,b), in [-1, 1] (1 when both always occur together; Bouma 2009). NPMI is given only
    for pairs sharing at least ``min_pair`` windows (NaN below): a pair met once gets the most
    extreme values from a single sentence.

    The pooled figure ("all") of a pair counts only the episodes in which both persons are
    mentioned at least once, where each could appear: windows, counts and N are summed over those
    episodes (``episodes`` says how many), so a period in which one of them held no role and is
    never named does not dilute the pair. Pairs sharing fewer than ``min_count`` windows are
    dropped. Columns in the module docstring.
    """
    if window not in ("sentence", "paragraph"):
        raise ValueError("window must be 'sentence' or 'paragraph'")
    s = sentences[["doc_id", "episode", "sentence_id", "par_id"]].copy()
    s["win"] = s["sentence_id"] if window == "sentence" else s["doc_id"] + "#p" + s["par_id"].astype(str)
    m = mentions[mentions["actor"] != ""].merge(s[["sentence_id", "win"]], on="sentence_id")
    names = dict(zip(m["actor"], m["name"]))
    doc_of = dict(zip(s["win"], s["doc_id"]))
    order = E.in_order(episodes) if episodes is not None else sorted(s["episode"].unique())
    n_windows = s.groupby("episode")["win"].nunique().to_dict()
    per_ep: dict[str, tuple[dict, dict]] = {}  # episode -> (actor -> windows, pair -> windows list)
    for ep in order:
        m_ep = m[m["episode"] == ep]
        if not n_windows.get(ep):
            continue
        single = m_ep.groupby("actor")["win"].nunique().to_dict()
        in_window: dict[str, set[str]] = {}  # window -> the actors it names (a dict, not a groupby lambda per window)
        for win, actor in zip(m_ep["win"].tolist(), m_ep["actor"].tolist()):
            in_window.setdefault(win, set()).add(actor)
        pairs: dict[tuple[str, str], list[str]] = {}
        for win in sorted(in_window):
            for a, b in combinations(sorted(in_window[win]), 2):
                pairs.setdefault((a, b), []).append(win)
        per_ep[ep] = (single, pairs)

    def row(ep, a, b, wins, count_a, count_b, n, n_eps):
        k = len(wins)
        return {"episode": ep, "actor_a": a, "actor_b": b, "name_a": names[a], "name_b": names[b], "windows": k,
                "documents": len({doc_of[w] for w in wins}), "count_a": int(count_a), "count_b": int(count_b),
                "n_windows": int(n), "episodes": n_eps, "npmi": _npmi(k, count_a, count_b, n) if k >= min_pair else math.nan,
                "window": window}

    def ranked(rows):  # most windows, then highest NPMI (none last), then ids
        return sorted(rows, key=lambda r: (-r["windows"], -(r["npmi"] if r["npmi"] == r["npmi"] else -2.0), r["actor_a"], r["actor_b"]))

    rows = []
    for ep, (single, pairs) in per_ep.items():
        rows += ranked([row(ep, a, b, wins, single[a], single[b], n_windows[ep], 1)
                        for (a, b), wins in pairs.items() if len(wins) >= min_count])
    pooled = []
    for a, b in sorted({p for _, pairs in per_ep.values() for p in pairs}):
        eps = [ep for ep, (single, _) in per_ep.items() if single.get(a) and single.get(b)]
        wins = [w for ep in eps for w in per_ep[ep][1].get((a, b), [])]
        if len(wins) < min_count:
            continue
        pooled.append(row("all", a, b, wins, sum(per_ep[ep][0][a] for ep in eps), sum(per_ep[ep][0][b] for ep in eps),
                          sum(n_windows[ep] for ep in eps), len(eps)))
    return pd.DataFrame(rows + ranked(pooled), columns=CO_COLUMNS)


# --------------------------------------------------------------------------- accuracy
def load_annotations(folder: Path | str) -> pd.DataFrame:
    """Hand annotations: every ``*.csv`` of ``folder`` (columns doc_id, sentence_id, actor, surface; lines
    starting with # are comments). Returns those columns."""
    frames = [pd.read_csv(p, comment="#", dtype=str, keep_default_na=False) for p in sorted(Path(folder).glob("*.csv"))]
    cols = ["doc_id", "sentence_id", "actor", "surface"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def annotated_documents(gold: pd.DataFrame, sentences: pd.DataFrame) -> list[str]:
    """Documents of ``gold`` that match this corpus: every annotated surface occurs in its sentence.

    Guards against evaluating on a different corpus that happens to reuse a doc_id."""
    text = dict(zip(sentences["sentence_id"], sentences["text"]))
    ok = []
    for doc_id, g in gold.groupby("doc_id"):
        if all(sid in text and surf in text[sid] for sid, surf in zip(g["sentence_id"], g["surface"])):
            ok.append(doc_id)
    return ok


def evaluate_mentions(predicted: pd.DataFrame, gold: pd.DataFrame, doc_ids: list[str] | None = None) -> pd.DataFrame:
    """Precision and recall of person mentions against hand annotations.

    A predicted mention is correct when the same sentence has an annotated mention of the same actor
    not yet matched (multiset match on (sentence_id, actor); offsets are not compared, so a mention
    counts whether or not its title was included). Unresolved predictions (actor "") count as wrong.
    Columns: doc_id ("all" last), gold, predicted, tp, precision, recall, f1.
    """
    doc_ids = sorted(set(gold["doc_id"])) if doc_ids is None else list(doc_ids)
    rows = []
    for d in doc_ids + ["all"]:
        g = gold[gold["doc_id"].isin(doc_ids if d == "all" else [d])]
        p = predicted[predicted["doc_id"].isin(doc_ids if d == "all" else [d])]
        gc = g.groupby(["sentence_id", "actor"]).size()
        pc = p.groupby(["sentence_id", "actor"]).size()
        tp = int(pd.concat([gc, pc], axis=1).fillna(0).min(axis=1).sum()) if len(gc) and len(pc) else 0
        prec = tp / len(p) if len(p) else float("nan")
        rec = tp / len(g) if len(g) else float("nan")
        f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else float("nan")
        rows.append({"doc_id": d, "gold": len(g), "predicted": len(p), "tp": tp, "precision": prec, "recall": rec, "f1": f1})
    return pd.DataFrame(rows)


def evaluate_on_annotations(mentions: pd.DataFrame, sentences: pd.DataFrame,
                            folder: Path | str | None = None) -> pd.DataFrame:
    """:func:`evaluate_mentions` on the hand-annotated documents (``folder``, default the bundled
    annotations) that belong to this corpus; columns of :func:`evaluate_mentions`, no rows when none does."""
    gold = load_annotations(folder or ANNOTATIONS_DIR)
    docs = annotated_documents(gold, sentences)
    if not docs:
        return pd.DataFrame(columns=["doc_id", "gold", "predicted", "tp", "precision", "recall", "f1"])
    return evaluate_mentions(mentions[mentions["doc_id"].isin(docs)], gold, docs)


# --------------------------------------------------------------------------- chapter results
# What the chapter reports, chosen once here so that scripts/narrative/actors.py only words it.
@dataclass(frozen=True)
class MentionTotals:
    """Size of the detector's output: person mentions, distinct persons, the share of mentions
    that are role phrases resolved through the office timelines (0.0 when there is no mention),
    and the provisional persons (not in actors.yml) among them with their mentions."""

    n_mentions: int
    n_persons: int
    share_role: float
    n_provisional: int = 0
    n_provisional_mentions: int = 0


def mention_totals(mentions: pd.DataFrame) -> MentionTotals:
    """:class:`MentionTotals` of :func:`find_mentions` rows."""
    n = int(len(mentions))
    share = float((mentions["method"] == "role").mean()) if n else 0.0
    prov = mentions["provisional"].astype(bool) if "provisional" in mentions else pd.Series(False, index=mentions.index)
    return MentionTotals(n_mentions=n, n_persons=int(mentions["actor"].nunique()), share_role=share,
                         n_provisional=int(mentions.loc[prov, "actor"].nunique()), n_provisional_mentions=int(prov.sum()))


def persons_by_mentions(counts: pd.DataFrame, min_count: int = 1) -> list[str]:
    """Actor ids of :func:`mention_counts` by total mentions over the episodes, most first (ties by
    id), keeping those with at least ``min_count`` mentions in some episode. One order for the
    chapter's table and its rate figure."""
    keep = set(counts.loc[counts["mentions"] >= min_count, "actor"])
    total = counts.groupby("actor")["mentions"].sum().sort_values(ascending=False, kind="stable")
    return [a for a in total.index if a in keep]


def mention_matrix(counts: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 12) -> pd.DataFrame:
    """Mentions of the ``top_n`` most-mentioned persons (:func:`persons_by_mentions`) in each episode.

    Columns: actor, name, then one integer column per episode id (date order; only episodes with a
    mention), 0 where the person is absent."""
    present = [e for e in E.in_order(episodes) if e in set(counts["episode"])]
    top = persons_by_mentions(counts)[:top_n]
    names = dict(zip(counts["actor"], counts["name"]))
    n = counts.set_index(["episode", "actor"])["mentions"]
    out = pd.DataFrame({"actor": top, "name": [names[a] for a in top]})
    for ep in present:
        out[ep] = [int(n.get((ep, a), 0)) for a in top]
    return out


def top_officials(mentions: pd.DataFrame, documents: pd.DataFrame, episodes: pd.DataFrame,
                  gazetteer: Gazetteer | None = None, country: str = "US") -> pd.DataFrame:
    """The most-mentioned ``country`` office holder (of any office) of each episode with text, date
    order: the rank-1 rows of :func:`officials_by_episode` (episode, actor, name, office, mentions, rank)."""
    top = officials_by_episode(mentions, documents, gazetteer, country=country)
    top = top[top["rank"] == 1].set_index("episode")
    return top.reindex([e for e in episodes_with_text(episodes, documents) if e in top.index]).reset_index()


def constant_counterparts(constant: pd.DataFrame, counts: pd.DataFrame, episodes: pd.DataFrame,
                          documents: pd.DataFrame | None = None, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Who held the office facing the most consistently present person (first row of
    :func:`constant_actors`) in each episode with text.

    Columns of :func:`counterparts` plus mentions (the counterpart's mentions in that episode, 0 if
    none or vacant). No rows when ``constant`` is empty."""
    if constant.empty:
        return pd.DataFrame(columns=["episode", "office", "counterpart_office", "counterpart", "counterpart_name", "mentions"])
    with_text = episodes_with_text(episodes, documents)
    cp = counterparts(str(constant["actor"].iloc[0]), episodes[episodes["episode"].isin(with_text)], gazetteer)
    n = counts.set_index(["episode", "actor"])["mentions"]
    return cp.assign(mentions=[int(n.get((e, a), 0)) for e, a in zip(cp["episode"], cp["counterpart"])])


@dataclass(frozen=True)
class OfficeResolution:
    """How many distinct persons the role phrases of one office resolved to (``label`` is None when
    the gazetteer lacks the office, ``persons`` then 0)."""

    office: str
    label: str | None
    persons: int


def office_resolution(roles: pd.DataFrame, gazetteer: Gazetteer | None = None,
                      office: str = "us_secretary_of_state") -> OfficeResolution:
    """:class:`OfficeResolution` of ``office`` from :func:`role_resolutions` rows."""
    gz = gazetteer or _default_gazetteer()
    label = gz.offices[office]["label"] if office in gz.offices else None
    n = int(roles.loc[roles["office"] == label, "actor"].nunique()) if label else 0
    return OfficeResolution(office=office, label=label, persons=n)


def roles_by_date(roles: pd.DataFrame) -> pd.DataFrame:
    """:func:`role_resolutions` summed over phrases: office, date, name, phrases (sorted distinct
    phrases, a list), mentions; one row per office, article date and person."""
    return (roles.groupby(["office", "date", "name"])
            .agg(phrases=("phrase", lambda p: sorted(set(p))), mentions=("mentions", "sum")).reset_index())


def top_pair(co: pd.DataFrame) -> pd.Series | None:
    """The pair of :func:`co_mentions` sharing the most windows over all episodes (ties: higher
    NPMI first), or None when no two persons share a window."""
    overall = co[co["episode"] == "all"].sort_values(["windows", "npmi"], ascending=False, kind="stable")
    return overall.iloc[0] if len(overall) else None


def pair_matrix(co: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 12) -> pd.DataFrame:
    """Windows and articles naming each of the ``top_n`` first pooled pairs (the order of
    :func:`co_mentions`: most windows first, then NPMI), in each episode.

    Long table: actor_a, actor_b, name_a, name_b, episode (date order; only episodes where some pair
    shares a window), windows, documents (0 where the pair shares none); pairs in pooled order. No
    rows when no pair shares a window within an episode."""
    cols = ["actor_a", "actor_b", "name_a", "name_b", "episode", "windows", "documents"]
    per_ep = co[co["episode"] != "all"]
    if per_ep.empty:
        return pd.DataFrame(columns=cols)
    present = [e for e in E.in_order(episodes) if e in set(per_ep["episode"])]
    top = co.loc[co["episode"] == "all", ["actor_a", "actor_b", "name_a", "name_b"]].head(top_n)
    got = per_ep.set_index(["episode", "actor_a", "actor_b"])[["windows", "documents"]]
    rows = [{**r._asdict(), "episode": ep,
             "windows": int(got["windows"].get((ep, r.actor_a, r.actor_b), 0)),
             "documents": int(got["documents"].get((ep, r.actor_a, r.actor_b), 0))}
            for r in top.itertuples(index=False) for ep in present]
    return pd.DataFrame(rows, columns=cols)


def articles_per_episode(documents: pd.DataFrame) -> dict[str, int]:
    """Articles with clean text in each episode (the n beside every per-episode figure)."""
    d = documents[documents["tokens_clean"] > 0] if "tokens_clean" in documents else documents
    return {str(k): int(v) for k, v in d.groupby("episode")["doc_id"].nunique().items()}


@dataclass(frozen=True)
class QuoteShares:
    """Quotations of at least ``min_words`` words and the shares attributed to a speaker at all,
    through a name or role phrase next to a reporting verb, through a pronoun, and through the
    context (an anaphor such as "ce dernier", or the quotation before it); 0.0 when none."""

    n_quotes: int
    share_attributed: float
    share_named: float
    share_pronoun: float
    min_words: int
    share_context: float = 0.0


def quote_shares(quotes: pd.DataFrame, min_words: int = 3) -> QuoteShares:
    """:class:`QuoteShares` of :func:`find_quotes` rows."""
    q = quotes[quotes["n_words"] >= min_words]
    n = int(len(q))
    attributed = q["actor"] != ""
    context = q["method"].isin(["anaphor", "continuation"])
    return QuoteShares(n_quotes=n, min_words=int(min_words),
                       share_attributed=float(attributed.mean()) if n else 0.0,
                       share_named=float((attributed & (q["method"] != "pronoun") & ~context).mean()) if n else 0.0,
                       share_pronoun=float((q["method"] == "pronoun").mean()) if n else 0.0,
                       share_context=float((attributed & context).mean()) if n else 0.0)


def kind_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor within each kind (person/state/organisation): kind, name, mentions; kinds
    in alphabetical order, most mentioned first within a kind."""
    return (mentions.groupby(["kind", "name"]).size().rename("mentions").reset_index()
            .sort_values(["kind", "mentions"], ascending=[True, False]).reset_index(drop=True))
