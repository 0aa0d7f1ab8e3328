"""Who is mentioned: every actor mention of a corpus, found in one pass.

``detect_mentions`` reads one sentence with the gazetteer (:mod:`scripts.gazetteer`);
``detect_corpus`` reads a corpus in document order and adds what needs context: relational roles
("his Russian counterpart"), the surname alone of a person named in full earlier in the article,
and people the gazetteer lacks (provisional actors, :mod:`scripts.names`). The other functions
filter its rows, so a chapter computes it once and passes it around (``detected=``).

Rules, in short: names are matched case-sensitively on whole words (accents ignored); role
phrases case-insensitively; the longest match wins where matches overlap; a role or relational
phrase directly followed by a name is one mention of that name; a role is resolved to the holder
of its office on the document's date and stays unresolved (method "role-unresolved", dropped
unless asked for) when nobody held it or when "former"/"ancien" precedes it; a role after an
indefinite article ("a president", "un ministre") is nobody; a name that only labels a
government or a period ("the Biden administration", "le régime de Bachar al-Assad") is not a
mention; a name inside a role phrase ("Putin's foreign policy adviser") is a mention of its own.
Pronouns are never mentions; they serve only to attribute quotations (:mod:`scripts.quotes`).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

from .gazetteer import Gazetteer, default_gazetteer, fold, fold_lower, tokens
from .names import NameRules, candidates, default_rules

MENTION_COLUMNS = ["doc_id", "episode", "sentence_id", "actor", "name", "kind", "surface", "method",
                   "start", "end", "titled", "office", "provisional"]
PROVISIONAL_PREFIX = "new:"
_HONORIFIC = re.compile(r"(?:\bM\.|\bMr\.?|\bMrs\.?|\bMs\.?|\bMme|\bDr\.?)\s+$")
_FORMER = re.compile(r"(?:\bformer|\bancienne?|\bex|\bthen|\blate|\bfutur|\bfuture|\bnext|\bprochain)[\s-]+(?:(?:us|u\.s\.)\s+)?$")
_LATTER = re.compile(r"^\W*(?:[^,.;:]{1,40},\s*)?(?:ce dernier|cette derniere|celui-ci|celle-ci|the latter)\b")
_INDEFINITE = re.compile(r"(?:^|[\s'])(?:a|an|un|une|any|another|each|every|no|chaque|tout|toute|aucun|aucune)\s+(?:[a-z]+\s+)?$")


# --------------------------------------------------------------------------- one sentence
def detect_mentions(text: str, date, gazetteer: Gazetteer | None = None, keep_labels: bool = False) -> list[dict]:
    """All gazetteer mentions of one sentence (every tier, unresolved roles included), in text order.

    Each dict: actor, name, kind, surface, method, start, end, titled, office. A relational role
    ("son homologue russe") is resolved here to the counterpart of the person named before it in
    the sentence; :func:`detect_corpus` also looks at earlier sentences. ``keep_labels`` keeps names
    that only label a government or a period, with method "label" (they are no mention, but no
    one else's name either)."""
    gz = gazetteer or default_gazetteer()
    folded, low = fold(text), fold_lower(text)
    toks = tokens(folded)
    words = [t for t, _, _ in toks]
    lwords = [low[s:e] for _, s, e in toks]
    n = len(toks)
    cands: list[dict] = []
    for i in range(n):
        if words[i] in gz.first_name_tokens:
            for k in range(min(gz.max_len, n - i), 0, -1):
                hit = gz.forms.get(tuple(words[i:i + k]))
                if hit:
                    actor, method = hit
                    start, end = toks[i][1], toks[i + k - 1][2]
                    if gz.actor(actor)["kind"] == "person":
                        h = _HONORIFIC.search(text[max(0, start - 6):start])
                        if h:
                            start = start - (len(text[max(0, start - 6):start]) - h.start())
                    cands.append({"actor": actor, "method": method, "start": start, "end": end, "titled": False, "office": ""})
                    break
        if lwords[i] in gz.first_role_tokens:
            for k in range(min(gz.max_len, n - i), 0, -1):
                hit = gz.roles.get(tuple(lwords[i:i + k]))
                if hit:
                    office, not_followed = hit
                    start, end = toks[i][1], toks[i + k - 1][2]
                    if not_followed and re.match(not_followed, low[end:]):
                        break
                    before = low[max(0, start - 30):start]
                    if _INDEFINITE.search(before):
                        break  # "a president", "un ministre": nobody
                    actor = gz.holder(office, date)
                    method = "role" if actor else "role-unresolved"
                    if _FORMER.search(before):
                        actor, method = "", "role-unresolved"
                    cands.append({"actor": actor, "method": method, "start": start, "end": end, "titled": False, "office": office})
                    break
    for rx in gz.relational:
        for m in rx.finditer(low):
            adj = m.groupdict().get("adj")
            country = gz.nationalities.get(adj, "") if adj else ""
            end = m.end() if (not adj or country) else m.start("adj") - 1
            cands.append({"actor": "", "method": "relational", "start": m.start(), "end": end, "titled": False,
                          "office": "", "country": country})
    cands = _merge_titles(cands, text, gz)
    chosen: list[dict] = []
    for c in sorted(cands, key=lambda c: (-(c["end"] - c["start"]), c["start"])):
        if all(c["end"] <= o["start"] or c["start"] >= o["end"] for o in chosen):
            chosen.append(c)
    # a person named inside a role phrase is mentioned too ("Putin's foreign policy adviser")
    for r in [c for c in chosen if c["office"]]:
        for c in cands:
            if (not c["office"] and c["method"] != "relational" and gz.actor(c["actor"])["kind"] == "person"
                    and r["start"] <= c["start"] and c["end"] <= r["end"] and c["actor"] != r["actor"]):
                chosen.append(c)
    out = []
    for c in sorted(chosen, key=lambda c: c["start"]):
        if c["method"] in ("name", "alias") and _is_label(c, low, gz):
            if not keep_labels:
                continue
            c = {**c, "method": "label"}
        if c["method"] == "relational":
            prior = [o for o in out if o["kind"] == "person" and o["actor"]]
            c = resolve_relational(c, [o["actor"] for o in reversed(prior)], date, gz)
        info = gz.actor(c["actor"]) if c["actor"] else {"name": "", "kind": "person"}
        out.append({k: v for k, v in c.items() if k != "country"} | {"name": info["name"], "kind": info["kind"],
                                                                     "surface": text[c["start"]:c["end"]]})
    return out


def _is_label(c: dict, low: str, gz: Gazetteer) -> bool:
    """A person's name that only labels a government, a period or a family."""
    if gz.actor(c["actor"])["kind"] != "person":
        return False
    return bool((gz.labels_after and gz.labels_after.match(low[c["end"]:c["end"] + 30]))
                or (gz.labels_before and gz.labels_before.search(low[max(0, c["start"] - 40):c["start"]])))


def resolve_relational(c: dict, anchors: list[str], date, gz: Gazetteer) -> dict:
    """The counterpart of the first of ``anchors`` (actor ids, nearest first) who has one at ``date``
    (of the phrase's nationality, when it says one). Unresolved: method "role-unresolved"."""
    for a in anchors:
        office, who = gz.counterpart_of(a, date, c.get("country", ""))
        if who:
            return {**c, "actor": who, "office": office, "method": "relational"}
    return {**c, "actor": "", "method": "role-unresolved"}


def _merge_titles(cands: list[dict], text: str, gz: Gazetteer) -> list[dict]:
    """A role (or relational) phrase right before a person's name (optionally with a comma) becomes part
    of that mention; so does a role in apposition right after the name when it names the same person."""
    roles = [c for c in cands if c["office"] or c["method"] == "relational"]
    persons = [c for c in cands if not c["office"] and c["method"] != "relational" and gz.actor(c["actor"])["kind"] == "person"]
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


# --------------------------------------------------------------------------- a corpus
def slug(words) -> str:
    """Provisional actor id from a name: "Alexeï Navalny" -> "new:alexei-navalny"."""
    return PROVISIONAL_PREFIX + "-".join(re.findall(r"[a-z0-9]+", fold_lower(" ".join(words))))


def is_provisional(actor: str) -> bool:
    return str(actor).startswith(PROVISIONAL_PREFIX)


def detect_corpus(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                  rules: NameRules | None = None) -> pd.DataFrame:
    """Every mention of every kind in the corpus, one row each (columns ``MENTION_COLUMNS``), in
    document and sentence order; unresolved roles included (actor "").

    On top of :func:`detect_mentions`: a relational role with nobody before it in its sentence goes
    to the counterpart of the nearest person named in the three sentences before; a person of the
    gazetteer named in full ("John Sullivan") is also meant by the surname alone later in the same
    article (method "surname"); people the gazetteer lacks (:func:`scripts.names.candidates`) are
    provisional actors (id "new:<name>", method "provisional", ``provisional`` True), their surname
    alone linked to the full name named in the same article, else anywhere in the corpus when only
    one provisional person has that surname.

    Two things look across articles: the words the corpus writes in lower case (:func:`lower_words`,
    a union over sentences) and the provisional people (:func:`mention_table`). Everything else is per
    document (:func:`detect_documents`), so the analysis stage runs it per article on its workers.
    """
    order = document_order(sentences)
    docs = document_records(order, ["doc_id", "episode", "sentence_id", "text"])
    dates = dict(zip(documents["doc_id"].tolist(), documents["date"].tolist()))
    rows, pending = detect_documents(docs, dates, lower_words(sentences["text"].tolist()), gazetteer, rules)
    return mention_table(rows, pending, order["sentence_id"].tolist())


def document_order(sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentences by document id, then sentence index: the order mentions and quotes are read in."""
    return sentences.sort_values(["doc_id", "sent_idx"], kind="stable") if "sent_idx" in sentences else sentences


def document_records(order: pd.DataFrame, cols: list[str]) -> dict[str, list[dict]]:
    """doc_id -> its sentences as plain dicts of ``cols`` (fast to walk, cheap to send to a worker), in
    the order of ``order``."""
    docs: dict[str, list[dict]] = {}
    for r in (dict(zip(cols, row)) for row in zip(*(order[c].tolist() for c in cols))):
        docs.setdefault(r["doc_id"], []).append(r)
    return docs


def lower_words(texts: list[str]) -> frozenset:
    """Words written in lower case somewhere in ``texts`` (folded): a capitalised one opening a
    sentence is an ordinary word there ("Selon", "Will"). The union of it over parts of a corpus is
    that of the whole corpus (a word never runs across two texts), so it can be gathered per batch."""
    return frozenset(re.findall(r"(?<![\w'\-])[a-z][\w'\-]*", fold(" ".join(texts))))


def detect_documents(docs: dict[str, list[dict]], dates: dict, lower: frozenset | set, gazetteer: Gazetteer | None = None,
                     rules: NameRules | None = None) -> tuple[list[dict], list[dict]]:
    """The mentions of the documents ``docs`` (doc_id -> sentence dicts with doc_id, episode,
    sentence_id, text, in order; :func:`document_records`) that need no other document: (rows of every
    mention but the provisional people's, candidate provisional people), both in document order.
    ``lower``: :func:`lower_words` of the whole corpus. :func:`mention_table` makes the table."""
    gz = gazetteer or default_gazetteer()
    rules = rules or default_rules()
    surnames_of = _gazetteer_surnames(gz)
    rows: list[dict] = []
    pending: list[dict] = []          # provisional candidates: resolved once the whole corpus is read
    for doc_id, doc in docs.items():
        date = pd.Timestamp(dates[doc_id])
        recent: list[list[str]] = []  # person actors of the previous sentences, nearest last
        named_in_full: dict[str, str] = {}  # surname -> gazetteer person named in full in this article
        detected = [detect_mentions(s["text"], date, gz, keep_labels=True) for s in doc]
        for found in detected:
            for m in found:
                if m["kind"] == "person" and m["actor"] and m["method"] in ("name", "alias"):
                    words = re.findall(r"[A-Z][\w']+", fold(m["surface"]))
                    if len(words) >= 2 and words[-1] in surnames_of.get(m["actor"], ()):
                        named_in_full[words[-1]] = m["actor"]
        for s, found in zip(doc, detected):
            covered = [(m["start"], m["end"]) for m in found]
            found = [m for m in found if m["method"] != "label"]
            found, other = _other_first_name(s["text"], found, gz, rules)
            for c in other:
                pending.append({**c, "doc_id": doc_id, "episode": s["episode"], "sentence_id": s["sentence_id"]})
            for m in found:
                if m["method"] == "role-unresolved" and m["office"] == "" and m["surface"]:
                    # relational with nobody before it in the sentence: look back
                    # the subject (first person named) of the nearest earlier sentence first; when the
                    # sentence opens with "ce dernier" / "the latter", the last person named
                    latter = _LATTER.match(fold_lower(s["text"]))
                    anchors = [a for sent in reversed(recent[-3:]) for a in (reversed(sent) if latter else sent)]
                    r = resolve_relational({**m, "country": _country_of(m["surface"], gz)}, anchors, date, gz)
                    r.pop("country", None)
                    info = gz.actor(r["actor"]) if r["actor"] else {"name": "", "kind": "person"}
                    m.update(r | {"name": info["name"], "kind": info["kind"]})
            for c in candidates(s["text"], covered, lower, gz.place_words, rules):
                if c["single"] and fold(c["words"][0]) in named_in_full:
                    actor = named_in_full[fold(c["words"][0])]
                    info = gz.actor(actor)
                    found.append({"actor": actor, "name": info["name"], "kind": "person", "surface": c["surface"],
                                  "method": "surname", "start": c["start"], "end": c["end"], "titled": False, "office": ""})
                else:
                    pending.append({**c, "doc_id": doc_id, "episode": s["episode"], "sentence_id": s["sentence_id"]})
            found.sort(key=lambda m: m["start"])
            recent.append([m["actor"] for m in found if m["kind"] == "person" and m["actor"]])
            rows.extend({"doc_id": doc_id, "episode": s["episode"], "sentence_id": s["sentence_id"], **m, "provisional": False}
                        for m in found)
    return rows, pending


def mention_table(rows: list[dict], pending: list[dict], sentence_order: list[str]) -> pd.DataFrame:
    """The :func:`detect_corpus` table from :func:`detect_documents`' rows and candidates of every
    document (in document order): provisional people resolved over the whole corpus, rows in the
    order of ``sentence_order`` (sentence ids in :func:`document_order`), then by offset."""
    out = pd.DataFrame([*rows, *_provisional_rows(pending)], columns=MENTION_COLUMNS)
    if len(out):
        pos = {sid: i for i, sid in enumerate(sentence_order)}
        out = (out.assign(_o=out["sentence_id"].map(pos)).sort_values(["_o", "start"], kind="stable")
               .drop(columns="_o").reset_index(drop=True))
    return out


def _other_first_name(text: str, found: list[dict], gz: Gazetteer, rules: NameRules) -> tuple[list[dict], list[dict]]:
    """A listed surname right after a first name that none of that person's names has ("Melania
    Trump") is someone else: the mention becomes a provisional candidate of the full name."""
    keep, other = [], []
    folded = fold(text)
    for m in found:
        if m["kind"] == "person" and m["method"] in ("name", "alias") and len(m["surface"].split()) == 1:
            prev = re.search(r"([A-Z][\w'\-]+)\s+$", folded[max(0, m["start"] - 30):m["start"]])
            if prev and fold_lower(prev.group(1)) in rules.first_names and (prev.group(1), *_gz_key(m, folded)) not in gz.forms:
                start = m["start"] - len(prev.group(0))
                other.append({"start": start, "end": m["end"], "surface": text[start:m["end"]],
                              "words": (text[start:start + len(prev.group(1))], m["surface"]), "cue": False,
                              "full": True, "single": False})
                continue
        keep.append(m)
    return keep, other


def _gz_key(m: dict, folded: str) -> tuple[str, ...]:
    """Token key of a mention's surface (as the gazetteer stores forms)."""
    return tuple(t for t, _, _ in tokens(folded[m["start"]:m["end"]]))


def _country_of(surface: str, gz: Gazetteer) -> str:
    low = fold_lower(surface)
    return next((c for adj, c in gz.nationalities.items() if re.search(rf"\b{re.escape(adj)}\b", low)), "")


def _gazetteer_surnames(gz: Gazetteer) -> dict[str, set[str]]:
    """Person id -> last words of its names of two words or more ("John Sullivan" -> "Sullivan")."""
    out: dict[str, set[str]] = defaultdict(set)
    for key, (actor, _method) in gz.forms.items():
        words = [w for w in key if w[0].isalpha()]
        if len(words) >= 2 and gz.actor(actor)["kind"] == "person" and words[-1][0].isupper():
            out[actor].add(words[-1])
    return out


def _provisional_rows(pending: list[dict]) -> list[dict]:
    """Mentions of provisional actors: full names grouped by their folded words; a surname alone (or
    after a title) goes to the full name sharing it in the same article, else to the only one in the
    corpus, else (after a title only) stands as a person of its own; display name: the most frequent
    written form."""
    full = [p for p in pending if p["full"]]
    key_of = lambda words: slug(words)  # noqa: E731
    by_doc: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_corpus: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, Counter] = defaultdict(Counter)
    for p in full:
        k = key_of(p["words"])
        sur = fold_lower(p["words"][-1])
        by_doc[(p["doc_id"], sur)].add(k)
        by_corpus[sur].add(k)
        forms[k][" ".join(p["words"])] += 1
    rows = []
    for p in pending:
        if p["full"]:
            k = key_of(p["words"])
        else:
            sur = fold_lower(p["words"][-1])
            doc_ids, all_ids = by_doc.get((p["doc_id"], sur), set()), by_corpus.get(sur, set())
            if len(doc_ids) == 1:
                k = next(iter(doc_ids))
            elif not doc_ids and len(all_ids) == 1:
                k = next(iter(all_ids))
            elif p["cue"] and not all_ids and not p.get("first_name"):
                k = key_of(p["words"])
                forms[k][" ".join(p["words"])] += 1
            else:
                continue
        rows.append({"doc_id": p["doc_id"], "episode": p["episode"], "sentence_id": p["sentence_id"], "actor": k,
                     "kind": "person", "surface": p["surface"], "method": "provisional", "start": p["start"],
                     "end": p["end"], "titled": False, "office": "", "provisional": True, "_k": k})
    names = {k: sorted(c.items(), key=lambda kv: (-kv[1], -len(kv[0])))[0][0] for k, c in forms.items()}
    for r in rows:
        r["name"] = names.get(r.pop("_k"), r["surface"])
    return rows


def find_mentions(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                  tiers=("person",), keep_unresolved: bool = False, provisional: bool = True,
                  detected: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per mention (``MENTION_COLUMNS``), persons only by default, provisional persons
    included unless ``provisional`` is False.

    ``tiers`` picks kinds among person/state/organisation; matching always runs on every tier so a
    state name inside a person's title ("US" in "US President Donald Trump") is not counted.
    ``keep_unresolved`` keeps role phrases nobody held at the document's date (actor "").
    ``detected``: :func:`detect_corpus` of the same corpus, computed once by the caller.
    """
    d = detect_corpus(sentences, documents, gazetteer) if detected is None else detected
    keep = d["kind"].isin(tiers) & (keep_unresolved | (d["method"] != "role-unresolved"))
    if not provisional:
        keep &= ~d["provisional"].astype(bool)
    return d[keep].reset_index(drop=True)


def unresolved_roles(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                     detected: pd.DataFrame | None = None) -> pd.DataFrame:
    """Role phrases that no listed office holder (or a "former" one) answers at the document's date,
    and relational roles with no counterpart: mention columns plus ``date``; add the holder to
    ``actors.yml`` to resolve them."""
    d = detect_corpus(sentences, documents, gazetteer) if detected is None else detected
    m = d[d["method"] == "role-unresolved"].copy()
    return m.assign(date=m["doc_id"].map(documents.set_index("doc_id")["date"])).reset_index(drop=True)


def provisional_people(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The provisional actors of ``mentions`` (:func:`find_mentions` rows), most mentioned first, with
    what a user needs to confirm them into ``actors.yml``.

    Columns: actor (id "new:…"), name, mentions, documents, episodes, forms (distinct written forms,
    "; "-joined), sentence_id and context (the first sentence naming the person), entry (a line to
    paste under ``actors:`` once checked; the country is left for the user)."""
    p = mentions[mentions["provisional"].astype(bool)]
    cols = ["actor", "name", "mentions", "documents", "episodes", "forms", "sentence_id", "context", "entry"]
    if p.empty:
        return pd.DataFrame(columns=cols)
    text = dict(zip(sentences["sentence_id"], sentences["text"]))
    rows = []
    for (actor, name), g in p.groupby(["actor", "name"], sort=False):
        surnames = sorted({s for s in g["surface"] if len(s.split()) == 1 and s != name})
        names = ", ".join([name] + surnames)
        rows.append({"actor": actor, "name": name, "mentions": len(g), "documents": g["doc_id"].nunique(),
                     "episodes": g["episode"].nunique(), "forms": "; ".join(sorted(set(g["surface"]))),
                     "sentence_id": g["sentence_id"].iloc[0], "context": text.get(g["sentence_id"].iloc[0], ""),
                     "entry": f"- {{id: {actor[len(PROVISIONAL_PREFIX):].replace('-', '_')}, name: {name}, kind: person, "
                              f"country: \"\", names: [{names}]}}"})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["mentions", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
