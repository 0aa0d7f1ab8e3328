"""Who is mentioned, with whom, and who speaks: a gazetteer-based actor detector for English and
French news text, with role phrases resolved to the office holder at each document's date.

Data: ``scripts/data/actors.yml`` (actors, their names and aliases, offices with dated holders,
role phrases) and ``scripts/data/reporting_verbs.yml`` (reporting verbs, pronoun markers). Both
files explain their format in a comment header.

Tables (pandas DataFrames) returned by the public functions:

``find_mentions``   doc_id, episode, sentence_id, actor (actor id, "" for an unresolved role),
                    name (display name), kind (person/state/organisation), surface (text as
                    written), method (name / alias / role / metonym / role-unresolved), start, end
                    (character offsets in the sentence text), titled (a title phrase was merged
                    into the name: "US President Donald Trump"), office (office id of the role
                    phrase, "" if none)
``find_quotes``     doc_id, episode, sentence_id (where the quotation opens), actor (speaker id,
                    "" if unattributed), name, quote, verb (reporting verb found, "" if none),
                    method (how the speaker was identified: name / alias / role / pronoun /
                    unattributed), position (after / before / incise / according / ""), n_words
``co_mentions``     episode ("all" for the whole corpus), actor_a, actor_b (ids, a < b), name_a,
                    name_b, windows (windows holding both), documents (documents holding such a
                    window), count_a, count_b (windows holding each), n_windows (windows in the
                    scope), npmi (normalised PMI, Bouma 2009), window ("sentence"/"paragraph")
``mention_counts``  episode, actor, name, kind, mentions, documents, tokens (clean word tokens of
                    the episode), per_1000 (mentions per 1,000 tokens)
``unknown_names``   name, count, documents (capitalised name sequences the gazetteer lacks)
``evaluate_mentions`` doc_id ("all" for the total), gold, predicted, tp, precision, recall, f1

Rules, in short: names are matched case-sensitively on whole words (accents ignored); role
phrases case-insensitively; the longest match wins where matches overlap; a role phrase directly
followed by a name is one mention of that name; a role is resolved to the holder of its office on
the document's date and stays unresolved (method "role-unresolved", dropped unless asked for) when
nobody held it or when "former"/"ancien" precedes it. Pronouns are never mentions; they serve only
to attribute quotations (see :func:`find_quotes`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import pandas as pd
import yaml

from . import episodes as E

DATA_DIR = Path(__file__).resolve().parent / "data"
ANNOTATIONS_DIR = Path(__file__).resolve().parent / "data" / "validation" / "actor_annotations"  # hand annotations
MENTION_COLUMNS = ["doc_id", "episode", "sentence_id", "actor", "name", "kind", "surface", "method",
                   "start", "end", "titled", "office"]
QUOTE_COLUMNS = ["doc_id", "episode", "sentence_id", "actor", "name", "quote", "verb", "method", "position", "n_words"]
CO_COLUMNS = ["episode", "actor_a", "actor_b", "name_a", "name_b", "windows", "documents", "count_a", "count_b",
              "n_windows", "npmi", "window"]
KINDS = ("person", "state", "organisation")
_HONORIFIC = re.compile(r"(?:\bM\.|\bMr\.?|\bMrs\.?|\bMs\.?|\bMme|\bDr\.?)\s+$")
_FORMER = re.compile(r"(?:\bformer|\bancienne?|\bex|\bthen|\blate|\bfutur|\bfuture|\bnext|\bprochain)[\s-]+(?:(?:us|u\.s\.)\s+)?$")
_CAP = "A-ZÀ-ÖØ-ÞŒ"
# a subject pronoun opens the sentence, possibly after one short introducer ("En outre, celui-ci …")
_SUBJECT_LEAD = r"^\s*(?:[^,.;:«»\"“”]{1,40},\s*)?"


# --------------------------------------------------------------------------- text helpers
@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    d = unicodedata.normalize("NFD", c)
    return d[0] if d else c


def fold(text: str) -> str:
    """Strip accents character by character, keeping the length (offsets stay valid): "Sergueï" -> "Serguei"."""
    return "".join(_fold_char(c) for c in text)


def fold_lower(text: str) -> str:
    """:func:`fold` then lower case, still one character per character."""
    return "".join(lc if len(lc := c.lower()) == 1 else c for c in fold(text))


def _phrase_regex(phrase: str) -> str:
    """Regex source for a phrase: spaces and hyphens interchangeable, apostrophes optional-spaced."""
    parts = re.split(r"[\s\-]+", phrase.strip())
    return r"[\s\-]+".join(re.escape(p).replace("'", r"'\s*") for p in parts)


def _key(phrase: str) -> str:
    return re.sub(r"[\s\-]+", " ", phrase.strip())


# --------------------------------------------------------------------------- gazetteer
@dataclass
class Gazetteer:
    """The parsed ``actors.yml``: actors, offices with dated holders, role phrases, compiled patterns."""

    actors: pd.DataFrame                     # id, name, kind, country
    offices: dict[str, dict]                 # office id -> {label, holders: [(actor, from, to)]}
    roles: dict[str, tuple[str, str | None]]  # folded lower phrase key -> (office, not_followed_by)
    counterparts: list[tuple[str, str]]
    forms: dict[str, tuple[str, str]]        # folded form key -> (actor id, method)
    name_rx: re.Pattern = field(repr=False)
    role_rx: re.Pattern = field(repr=False)
    vocabulary: frozenset = field(repr=False)  # folded lower words of all names and roles

    def actor(self, actor_id: str) -> dict:
        row = self.actors[self.actors["id"] == actor_id]
        return row.iloc[0].to_dict() if len(row) else {"id": actor_id, "name": actor_id, "kind": "person", "country": ""}

    def holder(self, office: str, date) -> str:
        """Actor id holding ``office`` on ``date`` ("" if nobody listed held it then)."""
        day = pd.Timestamp(date).normalize()
        for actor, start, end in self.offices.get(office, {}).get("holders", []):
            if start <= day and (end is None or day < end):
                return actor
        return ""

    def offices_of(self, actor_id: str, date) -> list[str]:
        """Offices ``actor_id`` held on ``date``."""
        return [o for o in self.offices if self.holder(o, date) == actor_id]


def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Read and compile the gazetteer (default ``scripts/data/actors.yml``)."""
    raw = yaml.safe_load(Path(path or DATA_DIR / "actors.yml").read_text(encoding="utf-8"))
    rows, forms = [], {}
    vocab: set[str] = set()
    for a in raw["actors"]:
        kind = a.get("kind", "person")
        if kind not in KINDS:
            raise ValueError(f"actor {a['id']}: kind {kind!r} is not one of {KINDS}")
        rows.append({"id": str(a["id"]), "name": str(a["name"]), "kind": kind, "country": str(a.get("country") or "")})
        for method in ("names", "aliases", "metonyms"):
            for form in a.get(method) or []:
                key = _key(fold(str(form)))
                forms.setdefault(key, (str(a["id"]), {"names": "name", "aliases": "alias", "metonyms": "metonym"}[method]))
                vocab.update(w.lower() for w in re.findall(r"\w+", key))
    offices = {}
    for oid, o in (raw.get("offices") or {}).items():
        holders = [(str(h["actor"]), pd.Timestamp(str(h["from"])), pd.Timestamp(str(h["to"])) if h.get("to") else None)
                   for h in o.get("holders", [])]
        offices[oid] = {"label": str(o.get("label") or oid), "holders": holders}
    roles = {}
    for r in raw.get("roles") or []:
        if r["office"] not in offices:
            raise ValueError(f"role phrases name unknown office {r['office']!r}")
        for phrase in r["phrases"]:
            key = _key(fold_lower(str(phrase)))
            roles.setdefault(key, (r["office"], r.get("not_followed_by")))
            vocab.update(re.findall(r"\w+", key))
    name_alts = sorted(forms, key=len, reverse=True)
    name_rx = re.compile(r"(?<![\w.])(?:" + "|".join(_phrase_regex(f) for f in name_alts) + r")(?![\w])")
    role_alts = sorted(roles, key=len, reverse=True)
    role_rx = re.compile(r"(?<!\w)(?:" + "|".join(_phrase_regex(f) for f in role_alts) + r")(?!\w)")
    return Gazetteer(actors=pd.DataFrame(rows), offices=offices, roles=roles,
                     counterparts=[tuple(p) for p in raw.get("counterparts") or []], forms=forms,
                     name_rx=name_rx, role_rx=role_rx, vocabulary=frozenset(vocab))


@lru_cache(maxsize=4)
def _default_gazetteer() -> Gazetteer:
    return load_gazetteer()


def load_reporting_verbs(path: Path | str | None = None) -> dict[str, dict]:
    """Read ``reporting_verbs.yml``: per language, compiled ``verbs``, ``pronouns`` and ``according`` regexes."""
    raw = yaml.safe_load(Path(path or DATA_DIR / "reporting_verbs.yml").read_text(encoding="utf-8"))
    out = {}
    for lang, block in raw.items():
        verbs = sorted({fold_lower(v) for v in block.get("verbs", [])}, key=len, reverse=True)
        out[lang] = {
            "verbs": re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in verbs) + r")(?!\w)"),
            "pronouns": [re.compile(fold_lower(p)) for p in block.get("pronouns", [])],
            "according": [re.compile(fold_lower(p)) for p in block.get("according", [])],
            "subjects": [re.compile(_SUBJECT_LEAD + "(?:" + fold_lower(p) + ")") for p in block.get("subjects", [])],
        }
    return out


# --------------------------------------------------------------------------- mentions in one text
def detect_mentions(text: str, date, gazetteer: Gazetteer | None = None) -> list[dict]:
    """All actor mentions of one sentence (every tier, unresolved roles included), in text order.

    Each dict: actor, name, kind, surface, method, start, end, titled, office.
    """
    gz = gazetteer or _default_gazetteer()
    folded, lowered = fold(text), fold_lower(text)
    cands: list[dict] = []
    for m in gz.name_rx.finditer(folded):
        actor, method = gz.forms[_key(m.group(0))]
        start = m.start()
        info = gz.actor(actor)
        if info["kind"] == "person":
            h = _HONORIFIC.search(text[:start])
            if h:
                start = h.start()
        cands.append({"actor": actor, "method": method, "start": start, "end": m.end(), "titled": False, "office": ""})
    for m in gz.role_rx.finditer(lowered):
        office, not_followed = gz.roles[_key(m.group(0))]
        if not_followed and re.match(not_followed, lowered[m.end():]):
            continue
        actor = gz.holder(office, date)
        method = "role" if actor else "role-unresolved"
        if _FORMER.search(lowered[:m.start()]):
            actor, method = "", "role-unresolved"
        cands.append({"actor": actor, "method": method, "start": m.start(), "end": m.end(), "titled": False, "office": office})
    cands = _merge_titles(cands, text, gz)
    chosen: list[dict] = []
    for c in sorted(cands, key=lambda c: (-(c["end"] - c["start"]), c["start"])):
        if all(c["end"] <= o["start"] or c["start"] >= o["end"] for o in chosen):
            chosen.append(c)
    out = []
    for c in sorted(chosen, key=lambda c: c["start"]):
        info = gz.actor(c["actor"]) if c["actor"] else {"name": "", "kind": "person"}
        out.append({**c, "name": info["name"], "kind": info["kind"], "surface": text[c["start"]:c["end"]]})
    return out


def _merge_titles(cands: list[dict], text: str, gz: Gazetteer) -> list[dict]:
    """A role phrase right before a person's name (optionally with a comma) becomes part of that mention;
    so does a role in apposition right after the name when it names the same person."""
    roles = [c for c in cands if c["office"]]
    persons = [c for c in cands if not c["office"] and gz.actor(c["actor"])["kind"] == "person"]
    merged = []
    for r in roles:
        for p in persons:
            gap_before = text[r["end"]:p["start"]] if p["start"] >= r["end"] else None
            if gap_before is not None and re.fullmatch(r"[\s,]{0,3}", gap_before):
                merged.append({**p, "start": r["start"], "titled": True, "office": r["office"]})
            gap_after = text[p["end"]:r["start"]] if r["start"] >= p["end"] else None
            if (gap_after is not None and r["actor"] == p["actor"]
                    and re.fullmatch(r",\s*(?:the|le|la|l')?\s*", gap_after, flags=re.IGNORECASE)):
                merged.append({**p, "end": r["end"], "titled": True, "office": r["office"]})
    return cands + merged


# --------------------------------------------------------------------------- corpus-level tables
def _doc_info(documents: pd.DataFrame) -> dict[str, tuple]:
    return {r.doc_id: (r.date, r.language) for r in documents.itertuples()}


def find_mentions(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                  tiers=("person",), keep_unresolved: bool = False) -> pd.DataFrame:
    """One row per mention (columns in the module docstring), persons only by default.

    ``tiers`` picks kinds among person/state/organisation; matching always runs on every tier so a
    state name inside a person's title ("US" in "US President Donald Trump") is not counted.
    ``keep_unresolved`` keeps role phrases nobody held at the document's date (actor "").
    """
    gz = gazetteer or _default_gazetteer()
    info = _doc_info(documents)
    rows = []
    for s in sentences.itertuples():
        date = info[s.doc_id][0]
        for m in detect_mentions(s.text, date, gz):
            if m["kind"] not in tiers or (m["method"] == "role-unresolved" and not keep_unresolved):
                continue
            rows.append({"doc_id": s.doc_id, "episode": s.episode, "sentence_id": s.sentence_id, **m})
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def unresolved_roles(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Role phrases that no listed office holder (or a "former" one) answers at the document's date:
    mention columns plus ``date``; add the holder to ``actors.yml`` to resolve them."""
    m = find_mentions(sentences, documents, gazetteer, tiers=KINDS, keep_unresolved=True)
    m = m[m["method"] == "role-unresolved"].copy()
    return m.assign(date=m["doc_id"].map(documents.set_index("doc_id")["date"]))


def mention_counts(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor per episode, with the rate per 1,000 clean word tokens of that episode."""
    tokens = documents.groupby("episode")["tokens_clean"].sum()
    m = mentions[mentions["actor"] != ""]
    out = (m.groupby(["episode", "actor", "name", "kind"])
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
    m["office"] = [", ".join(gz.offices[o]["label"] for o in gz.offices_of(a, dates[d])) for a, d in zip(m["actor"], m["doc_id"])]
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
def co_mentions(mentions: pd.DataFrame, sentences: pd.DataFrame, window: str = "sentence",
                episodes: pd.DataFrame | None = None, min_count: int = 1) -> pd.DataFrame:
    """Actor pairs sharing a window (a sentence or a paragraph), per episode and overall ("all").

    Probabilities are over all windows of the scope, mentions or not: p(a) = windows with a / N,
    p(a,b) = windows with both / N; NPMI = log(p(a,b) / (p(a) p(b))) / -log p(a,b), in [-1, 1]
    (1 when both always occur together; Bouma 2009). Pairs sharing fewer than ``min_count``
    windows are dropped. Columns in the module docstring.
    """
    if window not in ("sentence", "paragraph"):
        raise ValueError("window must be 'sentence' or 'paragraph'")
    s = sentences[["doc_id", "episode", "sentence_id", "par_id"]].copy()
    s["win"] = s["sentence_id"] if window == "sentence" else s["doc_id"] + "#p" + s["par_id"].astype(str)
    m = mentions[mentions["actor"] != ""].merge(s[["sentence_id", "win"]], on="sentence_id")
    names = dict(zip(m["actor"], m["name"]))
    order = E.in_order(episodes) if episodes is not None else sorted(s["episode"].unique())
    scopes = [(ep, s[s["episode"] == ep], m[m["episode"] == ep]) for ep in order] + [("all", s, m)]
    rows = []
    for ep, s_ep, m_ep in scopes:
        n = s_ep["win"].nunique()
        if n == 0:
            continue
        present = m_ep.groupby("win")["actor"].agg(lambda a: sorted(set(a)))
        doc_of = dict(zip(s_ep["win"], s_ep["doc_id"]))
        single = m_ep.groupby("actor")["win"].nunique()
        pairs: dict[tuple[str, str], list[str]] = {}
        for win, actors in present.items():
            for a, b in combinations(actors, 2):
                pairs.setdefault((a, b), []).append(win)
        scope_rows = []
        for (a, b), wins in pairs.items():
            k = len(wins)
            if k < min_count:
                continue
            p_ab, p_a, p_b = k / n, single[a] / n, single[b] / n
            npmi = 1.0 if p_ab >= 1 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)
            scope_rows.append({"episode": ep, "actor_a": a, "actor_b": b, "name_a": names[a], "name_b": names[b],
                               "windows": k, "documents": len({doc_of[w] for w in wins}), "count_a": int(single[a]),
                               "count_b": int(single[b]), "n_windows": int(n), "npmi": float(npmi), "window": window})
        # scopes come in date order, "all" last; within a scope: most windows, then highest NPMI
        rows += sorted(scope_rows, key=lambda r: (-r["windows"], -r["npmi"], r["actor_a"], r["actor_b"]))
    return pd.DataFrame(rows, columns=CO_COLUMNS)


# --------------------------------------------------------------------------- quotations
_OPENERS = {"«": "»", "“": "”\"", "\"": "\"”"}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation in ``text``, quote marks included: « … », “ … ”, " … ".

    A quotation left open runs to the end of the text (quotes often span several sentences).
    """
    spans, i = [], 0
    while i < len(text):
        c = text[i]
        if c in _OPENERS:
            j = i + 1
            while j < len(text) and text[j] not in _OPENERS[c]:
                j += 1
            spans.append((i, min(j + 1, len(text))))
            i = j + 1
        else:
            i += 1
    return spans


def find_quotes(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                verbs: dict | None = None) -> pd.DataFrame:
    """Direct quotations and their speakers (columns in the module docstring).

    Quotations are found per paragraph (they often span sentences). The speaker is searched, in
    this order: after the closing mark up to the end of its sentence ("…», a déclaré Sergueï
    Lavrov", "…", warned the Secretary of State) - the first person after the reporting verb, else
    the person between the quote and the verb; before the opening mark in its sentence ("Selon
    Lavrov, « … »", "Lavrov a souligné que « … »") - "according to"/"selon" + person, else the
    first person before the verb, else the first after it; inside the quote as an incise
    (""…, affirme le ministre russe. …"). Role phrases resolve at the document's date. When only a
    pronoun marker is found ("a-t-il déclaré", "he said", "selon lui"), the speaker is the person
    named first (the usual subject) in the nearest earlier sentence of the same document that names
    someone outside quotation marks (method "pronoun"); a sentence whose subject is itself a pronoun
    ("En outre, celui-ci devrait rencontrer le président Poutine": ``subjects`` of
    ``reporting_verbs.yml`` at the start of the sentence, after at most one short introducer) names
    only objects and is passed over.
    Persons named inside a quotation never become its speaker.
    """
    gz = gazetteer or _default_gazetteer()
    vb = verbs or load_reporting_verbs()
    info = _doc_info(documents)
    # every language's verbs apply to every text: machine translations mix languages
    combined = {"verbs": re.compile("|".join(f"(?:{r['verbs'].pattern})" for r in vb.values())),
                "pronouns": [p for r in vb.values() for p in r["pronouns"]],
                "subjects": [p for r in vb.values() for p in r.get("subjects", [])],
                "according": [p for r in vb.values() for p in r["according"]]}
    rows = []
    for doc_id, doc in sentences.sort_values(["doc_id", "sent_idx"]).groupby("doc_id", sort=False):
        date = info[doc_id][0]
        rules = combined
        history: list[dict] = []  # first person mention outside quotes of each earlier sentence
        for _par_id, par in doc.groupby("par_id", sort=False):
            text, bounds, mentions = _paragraph(par, date, gz)
            spans = quote_spans(text)
            outside = [m for m in mentions if not any(a <= m["start"] < b for a, b in spans)]
            firsts = []  # (sentence start, first mention outside quotes) in this paragraph
            low = fold_lower(text)
            for a, b, _ in bounds:
                inside = [m for m in outside if a <= m["start"] < b]
                # "celui-ci devrait rencontrer le président Poutine": the subject is a pronoun, the
                # person named is an object; the sentence passes the antecedent on unchanged
                if inside and not any(rx.match(low[a:inside[0]["start"]]) for rx in rules["subjects"]):
                    firsts.append((a, inside[0]))
            for qs, qe in spans:
                speaker, verb, how = _attribute(text, qs, qe, spans, bounds, outside, mentions, rules)
                if how == "pronoun":
                    q_sent = next(a for a, b, _ in bounds if a <= qs < b)
                    before = history + [m for a, m in firsts if a < q_sent]
                    speaker = before[-1] if before else None
                    if speaker is None:
                        how = "unattributed"
                inner = text[qs + 1:qe - 1 if text[qe - 1] in "»”\"" and qe - 1 > qs else qe].strip()
                sid = next(sid for a, b, sid in bounds if a <= qs < b)
                method = ("pronoun" if how == "pronoun" else speaker["method"]) if speaker else "unattributed"
                rows.append({"doc_id": doc_id, "episode": par["episode"].iloc[0], "sentence_id": sid,
                             "actor": speaker["actor"] if speaker else "", "name": speaker["name"] if speaker else "",
                             "quote": inner, "verb": verb, "method": method,
                             "position": how if how not in ("pronoun", "unattributed") else ("" if not speaker else how),
                             "n_words": len(re.findall(r"\w+", inner))})
            history.extend(m for _, m in firsts)
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def _paragraph(par: pd.DataFrame, date, gz: Gazetteer) -> tuple[str, list, list]:
    """Join a paragraph's sentences; return text, [(start, end, sentence_id)], person mentions (paragraph offsets)."""
    parts, bounds, mentions, pos = [], [], [], 0
    for s in par.itertuples():
        bounds.append((pos, pos + len(s.text) + 1, s.sentence_id))
        for m in detect_mentions(s.text, date, gz):
            if m["kind"] == "person" and m["actor"]:
                mentions.append({**m, "start": m["start"] + pos, "end": m["end"] + pos})
        parts.append(s.text)
        pos += len(s.text) + 1
    return " ".join(parts), bounds, mentions


def _attribute(text: str, qs: int, qe: int, spans, bounds, outside: list[dict], every: list[dict], rules: dict):
    """Find (speaker mention or None, verb, position) for the quotation text[qs:qe].

    ``outside``: person mentions outside every quotation; ``every``: all person mentions (the incise
    of a quotation lies inside its marks)."""
    low = fold_lower(text)
    sent_start = next(a for a, b, _ in bounds if a <= qs < b)
    sent_end = next(b for a, b, _ in bounds if a <= max(qe - 1, qs) < b)
    nxt = min([a for a, _ in spans if a >= qe] + [sent_end])
    prv = max([b for _, b in spans if b <= qs] + [sent_start])

    def people(a: int, b: int) -> list[dict]:
        return [m for m in outside if a <= m["start"] and m["end"] <= b]

    def pronoun(a: int, b: int) -> bool:
        seg = low[a:b]
        return any(p.search(seg) for p in rules["pronouns"])

    # after the closing mark
    v = rules["verbs"].search(low, qe, nxt)
    if v and v.start() - qe <= 60:
        after = people(v.end(), nxt)
        if after and after[0]["start"] - v.end() <= 40:
            return after[0], text[v.start():v.end()], "after"
        between = people(qe, v.start())
        if between:
            return between[-1], text[v.start():v.end()], "after"
        if pronoun(qe, nxt):
            return None, text[v.start():v.end()], "pronoun"
    # before the opening mark
    seg_people = people(prv, qs)
    for rx in rules["according"]:
        for a in rx.finditer(low, prv, qs):
            follow = [m for m in seg_people if 0 <= m["start"] - a.end() <= 6]
            if follow:
                return follow[0], text[a.start():a.end()], "according"
    v = None
    for v in rules["verbs"].finditer(low, prv, qs):  # noqa: B007 - keep the last match
        pass
    if v:
        pre = [m for m in seg_people if m["end"] <= v.start()]
        if pre:
            return pre[0], text[v.start():v.end()], "before"
        post = [m for m in seg_people if m["start"] >= v.end()]
        if post:
            return post[0], text[v.start():v.end()], "before"
        if pronoun(prv, qs):
            return None, text[v.start():v.end()], "pronoun"
    if pronoun(prv, qs):
        return None, text[v.start():v.end()] if v else "", "pronoun"
    # incise inside the quotation: "…, affirme le ministre russe. …"
    for inc in re.finditer(r",\s*", text[qs:qe]):
        a = qs + inc.end()
        v = rules["verbs"].match(low, a)
        if not v and re.match(r"a-t-(il|elle)\b|(il|elle)\s", low[a:]):
            v = rules["verbs"].search(low, a, min(a + 25, qe))
        if v:
            stop = re.search(r"[.,;]", text[v.end():qe])
            b = v.end() + (stop.start() if stop else qe - v.end())
            inc_people = [m for m in every if a <= m["start"] and m["end"] <= b + 1]
            if inc_people:
                return inc_people[0], text[v.start():v.end()], "incise"
            if pronoun(a - 2, b):
                return None, text[v.start():v.end()], "pronoun"
    return None, "", "unattributed"


def speaker_counts(quotes: pd.DataFrame, min_words: int = 1) -> pd.DataFrame:
    """Quotations per speaker per episode (quotes of at least ``min_words`` words, unattributed ones as "").

    Columns: episode, actor, name, quotes, words.
    """
    q = quotes[quotes["n_words"] >= min_words]
    out = (q.groupby(["episode", "actor", "name"]).agg(quotes=("quote", "size"), words=("n_words", "sum"))
           .reset_index())
    return out.sort_values(["episode", "quotes", "actor"], ascending=[True, False, True]).reset_index(drop=True)


# --------------------------------------------------------------------------- unknown names
_NAME_SEQ = re.compile(
    rf"(?<![\w'])[{_CAP}][\w'\-]*(?:\.(?=\s))?(?:\s+(?:(?:de|du|des|da|di|van|von|der|bin|ben|al|el|ibn)\s+)?[{_CAP}][\w'\-]*)+")
_FUNCTION_WORDS = frozenset("""le la les l un une des de du et ou mais donc car ce cet cette ces il elle ils elles on nous vous
je tu au aux en dans par pour sur avec sans sous selon si lors après avant comme quand
the a an and or but if in on at by for with from to of as after before when while this that these those he she
they we it his her their our its mr mrs ms m mme""".split())


def unknown_names(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                  min_words: int = 2) -> pd.DataFrame:
    """Capitalised sequences of ``min_words``+ words that no gazetteer entry covers, with counts.

    A sentence-initial word is dropped when it is a function word or occurs in lower case elsewhere
    in the corpus ("Selon", "Tout"); sequences overlapping a known mention, or made only of words the
    gazetteer already uses ("Affaires Etrangères"), are skipped. Columns: name, count, documents.
    """
    gz = gazetteer or _default_gazetteer()
    info = _doc_info(documents)
    lower_words = {w for t in sentences["text"] for w in re.findall(r"\b[a-zà-öø-ÿœ][\w'\-]*", t)}
    found: dict[str, list[str]] = {}
    for s in sentences.itertuples():
        known = detect_mentions(s.text, info[s.doc_id][0], gz)
        for m in _NAME_SEQ.finditer(s.text):
            words = m.group(0).split()
            start = m.start()
            lead = s.text[:start].strip(" \"«“–-—([")
            while words and (lead == "" or lead.endswith((".", ":", "!", "?"))) and (
                    words[0].lower().strip(".") in _FUNCTION_WORDS or words[0].lower() in lower_words):
                start += len(words[0]) + 1
                words = words[1:]
            words = [w.rstrip(".'") for w in words]
            if len([w for w in words if w[:1].isupper()]) < min_words:
                continue
            end = m.end()
            if any(not (end <= k["start"] or start >= k["end"]) for k in known):
                continue
            if all(fold_lower(w) in gz.vocabulary or w.lower() in _FUNCTION_WORDS for w in words):
                continue
            found.setdefault(" ".join(words), []).append(s.doc_id)
    rows = [{"name": n, "count": len(d), "documents": len(set(d))} for n, d in found.items()]
    out = pd.DataFrame(rows, columns=["name", "count", "documents"])
    return out.sort_values(["count", "name"], ascending=[False, True]).reset_index(drop=True)


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
    """Size of the detector's output: person mentions, distinct persons, and the share of mentions
    that are role phrases resolved through the office timelines (0.0 when there is no mention)."""

    n_mentions: int
    n_persons: int
    share_role: float


def mention_totals(mentions: pd.DataFrame) -> MentionTotals:
    """:class:`MentionTotals` of :func:`find_mentions` rows."""
    n = int(len(mentions))
    share = float((mentions["method"] == "role").mean()) if n else 0.0
    return MentionTotals(n_mentions=n, n_persons=int(mentions["actor"].nunique()), share_role=share)


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
    """Windows naming each of the ``top_n`` first pairs over all episodes (the order of
    :func:`co_mentions`: most windows first, then NPMI), per episode.

    Columns: actor_a, actor_b, name_a, name_b, then one integer column per episode id (date order;
    only episodes where some pair shares a window), 0 where the pair shares none. No rows when no
    pair shares a window within an episode."""
    per_ep = co[co["episode"] != "all"]
    if per_ep.empty:
        return pd.DataFrame(columns=["actor_a", "actor_b", "name_a", "name_b"])
    present = [e for e in E.in_order(episodes) if e in set(per_ep["episode"])]
    out = co.loc[co["episode"] == "all", ["actor_a", "actor_b", "name_a", "name_b"]].head(top_n).reset_index(drop=True)
    n = per_ep.set_index(["episode", "actor_a", "actor_b"])["windows"]
    for ep in present:
        out[ep] = [int(n.get((ep, a, b), 0)) for a, b in zip(out["actor_a"], out["actor_b"])]
    return out


@dataclass(frozen=True)
class QuoteShares:
    """Quotations of at least ``min_words`` words and the shares attributed to a speaker at all,
    through a name or role phrase next to a reporting verb, and through a pronoun (0.0 when none)."""

    n_quotes: int
    share_attributed: float
    share_named: float
    share_pronoun: float
    min_words: int


def quote_shares(quotes: pd.DataFrame, min_words: int = 3) -> QuoteShares:
    """:class:`QuoteShares` of :func:`find_quotes` rows."""
    q = quotes[quotes["n_words"] >= min_words]
    n = int(len(q))
    attributed = q["actor"] != ""
    return QuoteShares(n_quotes=n, min_words=int(min_words),
                       share_attributed=float(attributed.mean()) if n else 0.0,
                       share_named=float((attributed & (q["method"] != "pronoun")).mean()) if n else 0.0,
                       share_pronoun=float((q["method"] == "pronoun").mean()) if n else 0.0)


def top_speakers(speakers: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The most quoted named speaker of each episode (most quotations, then most words), date order;
    episodes without a named speaker are left out. Columns of :func:`speaker_counts`."""
    named = speakers[speakers["actor"] != ""]
    best = named.sort_values(["quotes", "words"], ascending=False).groupby("episode").head(1)
    return E.sort_by_episode(best[best["episode"].isin(E.in_order(episodes))], episodes, then=())


def kind_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor within each kind (person/state/organisation): kind, name, mentions; kinds
    in alphabetical order, most mentioned first within a kind."""
    return (mentions.groupby(["kind", "name"]).size().rename("mentions").reset_index()
            .sort_values(["kind", "mentions"], ascending=[True, False]).reset_index(drop=True))
