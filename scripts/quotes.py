"""Who speaks: direct quotations and their speakers.

Data: ``scripts/data/reporting_verbs.yml`` (verbs, pronoun markers, "according to" introducers,
subject pronouns, anaphors; its header explains them). Person mentions come from
:func:`scripts.mentions.detect_corpus` (gazetteer, relational roles, provisional people).

Table returned by :func:`find_quotes`: doc_id, episode, sentence_id (where the quotation opens),
actor (speaker id, "" if unattributed), name, quote, verb (the reporting verb or introducer the
attribution rests on, "" if none), method (how the speaker was found: the mention's method -
name / alias / role / relational / surname / provisional -, or pronoun / anaphor / continuation /
institution (an institution speaks: left unattributed) / unattributed), position (after / before /
incise / according / sentence / continuation / ""), n_words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import episodes as E
from .gazetteer import DATA_DIR, Gazetteer, default_gazetteer, fold_lower, lower
from .mentions import detect_corpus, document_order

QUOTE_COLUMNS = ["doc_id", "episode", "sentence_id", "actor", "name", "quote", "verb", "method", "position", "n_words"]
# a subject pronoun opens the sentence, possibly after one short introducer ("En outre, celui-ci …")
_SUBJECT_LEAD = r"^\s*(?:[^,.;:«»\"“”]{1,40},\s*)?"
_OPENERS = {"«": "»", "“": "”\"", "\"": "\"”", "‘": "’"}
_MARK = re.compile("[«“\"‘']")
_SINGLE_CLOSE = re.compile(r"[^'\n]{1,120}?[\w.,!?](')(?![\w])")
_AFTER_ACCORDING = re.compile(r"\W{0,3}\s*(?:selon|d'apres|pour|according to|for)\s+")


@lru_cache(maxsize=4)
def load_reporting_verbs(path: Path | str | None = None) -> dict[str, dict]:
    """Read ``reporting_verbs.yml``: per language, compiled ``verbs``, ``pronouns``, ``according``,
    ``subjects`` and ``anaphors`` (kind -> list of (regex, country))."""
    import yaml

    raw = yaml.safe_load(Path(path or DATA_DIR / "reporting_verbs.yml").read_text(encoding="utf-8"))
    out = {}
    for lang, block in raw.items():
        verbs = sorted({lower(v) for v in block.get("verbs", [])}, key=len, reverse=True)
        ana = block.get("anaphors") or {}
        anaphors = [(re.compile(fold_lower(p)), "last", "") for p in ana.get("last", [])]
        anaphors += [(re.compile(fold_lower(p)), "first", "") for p in ana.get("first", [])]
        anaphors += [(re.compile(fold_lower(p)), "nationality", c) for c, ps in (ana.get("nationality") or {}).items() for p in ps]
        out[lang] = {
            "verbs": re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(v) for v in verbs) + r")(?![\w])"),
            "pronouns": [re.compile(fold_lower(p)) for p in block.get("pronouns", [])],
            "according": [re.compile(fold_lower(p)) for p in block.get("according", [])],
            "subjects": [re.compile(_SUBJECT_LEAD + "(?:" + fold_lower(p) + ")") for p in block.get("subjects", [])],
            "impersonal": [re.compile(_SUBJECT_LEAD + "(?:" + fold_lower(p) + ")") for p in block.get("impersonal", [])],
            "anaphors": anaphors,
        }
    return out


def _combined(vb: dict) -> dict:
    """Every language's rules at once: machine translations mix languages."""
    return {"verbs": re.compile("|".join(f"(?:{r['verbs'].pattern})" for r in vb.values())),
            "pronouns": [p for r in vb.values() for p in r["pronouns"]],
            "subjects": [p for r in vb.values() for p in r.get("subjects", [])],
            "impersonal": [p for r in vb.values() for p in r.get("impersonal", [])],
            "according": [p for r in vb.values() for p in r["according"]],
            "anaphors": [a for r in vb.values() for a in r.get("anaphors", [])]}


def quote_spans(text: str, ends: list[int] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each quotation in ``text``, quote marks included: « … », “ … ”, " … ", ‘ … ’,
    and ' … ' when the marks stand at word edges ('constructive' talks; an apostrophe inside a
    word never opens one).

    A quotation left open runs to the end of the text (quotes often span several sentences); an
    unclosed single quote is no quotation. With ``ends`` (offsets where sentences end), a straight
    " … " whose closing mark lies in a later sentence and looks like an opening one (a space before,
    a letter after) was never closed: it stops at the end of its sentence.
    """
    spans, i, n = [], 0, len(text)
    for m in _MARK.finditer(text):
        i0 = m.start()
        if i0 < i:
            continue
        c = text[i0]
        if c in _OPENERS:
            found = [k for k in (text.find(close, i0 + 1) for close in _OPENERS[c]) if k >= 0]
            j = min(found) if found else n
            if c == '"' and ends and j < n - 1 and text[j - 1] == " " and text[j + 1].isalnum():
                end = next((e for e in ends if e > i0), n)
                if end <= j:
                    spans.append((i0, end))
                    i = end
                    continue
            spans.append((i0, min(j + 1, n)))
            i = j + 1
        elif (i0 == 0 or not text[i0 - 1].isalnum()) and i0 + 1 < n and text[i0 + 1].isalpha():
            close = _SINGLE_CLOSE.match(text, i0 + 1)
            if close:
                spans.append((i0, close.end(1)))
                i = close.end(1)
    return spans


def _groups(records: list[dict], key: str) -> list[list[dict]]:
    """Consecutive runs of ``records`` sharing ``key`` (plain lists: no DataFrame per paragraph)."""
    out: list[list[dict]] = []
    for r in records:
        if out and out[-1][0][key] == r[key]:
            out[-1].append(r)
        else:
            out.append([r])
    return out


class _Sentence:
    __slots__ = ("sentence_id", "text")

    def __init__(self, r: dict):
        self.sentence_id, self.text = r["sentence_id"], r["text"]


class _Paragraph:
    """One paragraph's text, sentence bounds and mentions (paragraph offsets), for attribution."""

    def __init__(self, par: list[dict], mentions: dict[str, list[dict]]):
        parts, self.bounds, self.persons, self.others, pos = [], [], [], [], 0
        for s in map(_Sentence, par):
            self.bounds.append((pos, pos + len(s.text) + 1, s.sentence_id))
            for m in mentions.get(s.sentence_id, []):
                shifted = {**m, "start": m["start"] + pos, "end": m["end"] + pos}
                if m["kind"] == "person" and m["actor"]:
                    self.persons.append(shifted)
                elif m["kind"] != "person":
                    self.others.append(shifted)
            parts.append(s.text)
            pos += len(s.text) + 1
        self.text = " ".join(parts)
        self.low = fold_lower(self.text)
        self.lowacc = lower(self.text)  # reporting verbs are matched with their accents
        self.spans = quote_spans(self.text, [b - 1 for _, b, _ in self.bounds])

    def sentence(self, pos: int) -> tuple[int, int, str]:
        return next((a, b, sid) for a, b, sid in self.bounds if a <= pos < b)

    def outside(self, pos: int) -> bool:
        return not any(a <= pos < b for a, b in self.spans)


def find_quotes(sentences: pd.DataFrame, documents: pd.DataFrame, gazetteer: Gazetteer | None = None,
                verbs: dict | None = None, detected: pd.DataFrame | None = None) -> pd.DataFrame:
    """Direct quotations and their speakers (columns in the module docstring).

    Quotations are found per paragraph (they often span sentences). The speaker is searched, in
    this order:
    1. after the closing mark, up to the next quotation or the end of the sentence: "selon X" /
       "for X"; else a reporting verb within 60 characters - a person between the quotation and
       the verb is its subject and wins ('"…," Blinken told Lavrov'); else the first person right
       after the verb ('…», a déclaré Sergueï Lavrov'); an institution there ("a White House
       readout said") leaves the quotation unattributed;
    2. an incise inside the quotation ('"…, affirme le ministre russe. …"');
    3. before the opening mark in its sentence: "according to X", "quoted X as saying"; else the
       last reporting verb before the quotation - the subject before the verb (the first person
       named, or a subject pronoun) wins over a person after it; else the first person after it;
    4. a reporting verb elsewhere in the sentence (a word quoted inside a reported statement:
       "Putin described the talks as “constructive”"): its subject as in 3;
    5. a continuation: a quotation with no attribution of its own that follows an attributed one
       with nobody named in between inherits its speaker.
    Pronoun markers ("a-t-il déclaré", "he said") resolve to the person named first in the
    nearest earlier sentence that names someone outside quotation marks and does not itself open
    with a subject pronoun; anaphors resolve to the last person named ("ce dernier", "the
    latter"), the first of the last two ("le premier", "the former"), or the last named of a
    nationality ("le Russe"). Persons named inside a quotation never become its speaker. Role
    phrases resolve at the document's date.
    """
    gz = gazetteer or default_gazetteer()
    # every language's rules apply to every text: machine translations mix languages (verbs keep
    # their accents, so French "résumé" is not English "resume")
    rules = _combined(verbs or load_reporting_verbs())
    d = detect_corpus(sentences, documents, gz) if detected is None else detected
    by_sentence = mentions_by_sentence(d)
    order = document_order(sentences)
    cols = ["doc_id", "episode", "par_id", "sentence_id", "text"]
    records = [dict(zip(cols, row)) for row in zip(*(order[c].tolist() for c in cols))]  # plain dicts: fast to walk
    rows = [row for doc in _groups(records, "doc_id") for row in document_quotes(doc, by_sentence, rules, gz)]
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def mentions_by_sentence(detected: pd.DataFrame) -> dict[str, list[dict]]:
    """sentence_id -> its mentions (:func:`scripts.mentions.detect_corpus` rows but unresolved roles, as
    dicts), what :func:`document_quotes` attributes speakers from."""
    d = detected[(detected["method"] != "role-unresolved")]
    by_sentence: dict[str, list[dict]] = {}
    cols = list(d.columns)
    for rec in (dict(zip(cols, row)) for row in zip(*(d[c].tolist() for c in cols))):
        by_sentence.setdefault(rec["sentence_id"], []).append(rec)
    return by_sentence


def document_quotes(doc: list[dict], by_sentence: dict[str, list[dict]], rules: dict, gazetteer: Gazetteer | None = None) -> list[dict]:
    """The :func:`find_quotes` rows of one document: ``doc``, its sentences in order as dicts (doc_id,
    episode, par_id, sentence_id, text); ``by_sentence``: :func:`mentions_by_sentence` (of this
    document at least); ``rules``: the combined reporting-verb rules (:func:`combined_rules`). Nothing
    here looks at another document, so the analysis stage runs it per article on its workers."""
    gz = gazetteer or default_gazetteer()
    rows: list[dict] = []
    doc_id = doc[0]["doc_id"]
    history: list[dict] = []   # first person mention outside quotes of each earlier sentence (pronoun antecedents)
    named: list[dict] = []     # every person mention outside quotes so far (anaphors)
    last: dict | None = None   # the previous quotation's attribution, for continuations
    for par in _groups(doc, "par_id"):
        p = _Paragraph(par, by_sentence)
        outside = [m for m in p.persons if p.outside(m["start"])]
        firsts = []
        for a, b, _ in p.bounds:
            inside = [m for m in outside if a <= m["start"] < b]
            if inside and not any(rx.match(p.low[a:inside[0]["start"]]) for rx in rules["subjects"]):
                firsts.append((a, inside[0]))
        for qs, qe in p.spans:
            same = last is not None and last["par"] is p
            speaker, verb, how, position = _attribute(p, qs, qe, outside, rules, last["speaker"] if same else None,
                                                      last["verb"] if same else "")
            q_sent = p.sentence(qs)[0]
            if how == "pronoun":
                before = history + [m for a, m in firsts if a < q_sent]
                speaker = before[-1] if before else None
            elif how in ("last", "first") or how.startswith("nationality:"):
                speaker = _anaphor(how, named + [m for m in outside if m["end"] <= qs], gz)
                how = "anaphor"
            if speaker is None and how == "unattributed" and last is not None and last["speaker"] is not None:
                # a quotation opening its sentence right after an attributed one (same paragraph, or
                # the first words of the next paragraph) continues it
                opens = not p.text[q_sent:qs].strip(" -–—")
                gap = [m for m in outside if (last["end"] if last["par"] is p else 0) <= m["start"] < qs
                       and m["actor"] != last["speaker"]["actor"]]
                if opens and not gap and (last["par"] is p or q_sent == 0):
                    speaker, verb, how, position = last["speaker"], last["verb"], "continuation", "continuation"
            if speaker is None and how not in ("institution",):
                how, position = "unattributed", ""
            inner = p.text[qs + 1:qe - 1 if p.text[qe - 1] in "»”\"'’" and qe - 1 > qs else qe].strip()
            if how == "continuation" and speaker is None:
                how = "unattributed"
            method = how if how in ("pronoun", "anaphor", "continuation", "institution", "unattributed") else speaker["method"]
            rows.append({"doc_id": doc_id, "episode": par[0]["episode"], "sentence_id": p.sentence(qs)[2],
                         "actor": speaker["actor"] if speaker else "", "name": speaker["name"] if speaker else "",
                         "quote": inner, "verb": verb, "method": method, "position": position if speaker else "",
                         "n_words": len(re.findall(r"\w+", inner))})
            last = {"speaker": speaker, "verb": verb, "end": qe, "par": p}
        history.extend(m for _, m in firsts)
        named.extend(outside)
    return rows


def combined_rules() -> dict:
    """Every language's reporting-verb rules at once (what :func:`find_quotes` uses by default)."""
    return _combined(load_reporting_verbs())


def _anaphor(kind: str, named: list[dict], gz: Gazetteer) -> dict | None:
    """The person an anaphor stands for among ``named`` (person mentions in text order)."""
    if not named:
        return None
    if kind == "last":
        return named[-1]
    if kind == "first":
        distinct = []
        for m in reversed(named):
            if all(m["actor"] != o["actor"] for o in distinct):
                distinct.append(m)
            if len(distinct) == 2:
                return distinct[1]
        return None
    country = kind.split(":", 1)[1]
    return next((m for m in reversed(named) if gz.actor(m["actor"])["country"] == country), None)


def _attribute(p: _Paragraph, qs: int, qe: int, outside: list[dict], rules: dict,
               prev_speaker: dict | None = None, prev_verb: str = ""):
    """(speaker mention or None, verb, how, position) for the quotation p.text[qs:qe]. ``how`` is the
    speaker mention's method, or "pronoun", an anaphor kind ("last", "first", "nationality:RU"),
    "institution" or "unattributed"."""
    text, low, vlow = p.text, p.low, p.lowacc
    sent_start, _, _ = p.sentence(qs)
    _, sent_end, _ = p.sentence(max(qe - 1, qs))
    nxt = min([a for a, _ in p.spans if a >= qe] + [sent_end])
    prv = max([b for _, b in p.spans if b <= qs] + [sent_start])

    def people(a: int, b: int) -> list[dict]:
        return [m for m in outside if a <= m["start"] and m["end"] <= b]

    def institutions(a: int, b: int) -> list[dict]:
        return [m for m in p.others if a <= m["start"] and m["end"] <= b and p.outside(m["start"])]

    def anaphor_at(a: int, b: int, anchored: bool = False):
        for rx, kind, country in rules["anaphors"]:
            m = rx.match(low, a) if anchored else rx.search(low, a, b)
            if m and m.end() <= b:
                return (kind if kind != "nationality" else f"nationality:{country}"), m
        return None, None

    def pronoun(a: int, b: int) -> bool:
        seg = low[a:b]
        return any(rx.search(seg) for rx in rules["pronouns"])

    def verb_text(v) -> str:
        return text[v.start():v.end()]

    # 1. after the closing mark
    acc = _AFTER_ACCORDING.match(low, qe, nxt)
    if acc:
        follow = [m for m in people(acc.end(), nxt) if m["start"] - acc.end() <= 3]
        if follow:
            return follow[0], text[acc.start():acc.end()].strip(" ,"), follow[0]["method"], "according"
        kind, _ = anaphor_at(acc.end(), nxt, anchored=True)
        if kind:
            return None, text[acc.start():acc.end()].strip(" ,"), kind, "according"
    v = rules["verbs"].search(vlow, qe, nxt)
    if v and v.start() - qe <= 60:
        between = people(qe, v.start())
        if between:
            return between[-1], verb_text(v), between[-1]["method"], "after"
        if institutions(qe, v.start()):
            return None, verb_text(v), "institution", "after"
        kind, _ = anaphor_at(qe, v.start())
        if kind:
            return None, verb_text(v), kind, "after"
        if pronoun(qe, min(nxt, v.end() + 12)):
            return None, verb_text(v), "pronoun", "after"
        after = [m for m in people(v.end(), nxt) if m["start"] - v.end() <= 40]
        if after:
            return after[0], verb_text(v), after[0]["method"], "after"
        inst = [m for m in institutions(v.end(), nxt)
                if re.fullmatch(r"\s*(?:(?:le|la|les|l'|the)\s*)?", low[v.end():m["start"]])]
        if inst:
            return None, verb_text(v), "institution", "after"
        kind, am = anaphor_at(v.end(), min(nxt, v.end() + 40))
        if kind:
            return None, verb_text(v), kind, "after"
        if pronoun(qe, nxt):
            return None, verb_text(v), "pronoun", "after"
    elif pronoun(qe, nxt):
        return None, "", "pronoun", "after"
    # 2. incise inside the quotation: "…, affirme le ministre russe. …"
    for inc in re.finditer(r",\s*", text[qs:qe]):
        a = qs + inc.end()
        v = rules["verbs"].match(vlow, a)
        if not v and re.match(r"a-t-(il|elle)\b|(il|elle)\s", low[a:]):
            v = rules["verbs"].search(vlow, a, min(a + 25, qe))
        if v:
            stop = re.search(r"[.,;]", text[v.end():qe])
            b = v.end() + (stop.start() if stop else qe - v.end())
            inc_people = [m for m in p.persons if a <= m["start"] and m["end"] <= b + 1]
            if inc_people:
                return inc_people[0], verb_text(v), inc_people[0]["method"], "incise"
            if pronoun(a - 2, b):
                return None, verb_text(v), "pronoun", "incise"
    # a later quotation of the same sentence continues the one before it (nobody named in between)
    if prev_speaker is not None and prv > sent_start:
        if not [m for m in people(prv, qs) if m["actor"] != prev_speaker["actor"]]:
            return prev_speaker, prev_verb, "continuation", "continuation"
    # 3. before the opening mark, in its sentence
    for rx in rules["according"]:
        for a in rx.finditer(low, prv, qs):
            follow = [m for m in people(a.end(), qs) if 0 <= m["start"] - a.end() <= 6]
            if follow:
                return follow[0], text[a.start():a.end()], follow[0]["method"], "according"
            kind, _ = anaphor_at(a.end() + 1, qs, anchored=True)
            if kind:
                return None, text[a.start():a.end()], kind, "according"
    verbs_before = [v for v in rules["verbs"].finditer(vlow, sent_start, qs) if p.outside(v.start())]
    if verbs_before:
        got = _subject(p, sent_start, verbs_before[-1], qs, outside, rules, anaphor_at, pronoun)
        if got:
            return got[0], verb_text(verbs_before[-1]), got[1], "before"
    if pronoun(prv, qs):
        return None, "", "pronoun", "before"
    # 4. a reporting verb later in the sentence
    later = [v for v in rules["verbs"].finditer(vlow, qe, sent_end) if p.outside(v.start())]
    if later and pronoun(qe, sent_end):
        return None, verb_text(later[0]), "pronoun", "sentence"
    if later:
        got = _subject(p, sent_start, later[0], sent_end, outside, rules, anaphor_at, pronoun)
        if got:
            return got[0], verb_text(later[0]), got[1], "sentence"
    return None, "", "unattributed", ""


def _subject(p: _Paragraph, sent_start: int, v, stop: int, outside: list[dict], rules: dict, anaphor_at, pronoun):
    """Who says what ``v`` reports: the first person named before the verb in its sentence (outside
    quotations) - or an institution, an anaphor or a subject pronoun there -, else the first person
    after the verb (before ``stop``). Returns (mention or None, how) or None."""
    pre = [m for m in outside if sent_start <= m["start"] and m["end"] <= v.start()]
    inst = [m for m in p.others if sent_start <= m["start"] and m["end"] <= v.start() and p.outside(m["start"])]
    lead = p.low[sent_start:v.start()]
    if any(rx.match(lead) for rx in rules["impersonal"]) and not (pre and pre[0]["start"] - sent_start < 3):
        return None, "institution"
    if any(rx.match(lead) for rx in rules["subjects"]) and not (pre and pre[0]["start"] - sent_start < 3):
        return None, "pronoun"
    # an institution right before the verb with no person after it speaks ("a White House readout said")
    if inst and not pre and re.fullmatch(r"\s*(?:'s\s+)?(?:[\w-]+\s+){0,2}", p.low[inst[-1]["end"]:v.start()]) \
            and not re.search(r"\b(?:and|et|that|que|qui|who)\b", p.low[inst[-1]["end"]:v.start()]):
        return None, "institution"
    kind, am = anaphor_at(sent_start, v.start())
    firsts = [(m["start"], "person", m) for m in pre[:1]]
    if am:
        firsts.append((am.start(), "anaphor", None))
    if firsts:
        _pos, what, m = min(firsts, key=lambda t: t[0])
        return (m, m["method"]) if what == "person" else (None, kind)
    post = [m for m in outside if v.end() <= m["start"] and m["end"] <= stop]
    if post:
        return post[0], post[0]["method"]
    return None


# --------------------------------------------------------------------------- counts
def speaker_counts(quotes: pd.DataFrame, min_words: int = 1) -> pd.DataFrame:
    """Quotations per speaker per episode (quotes of at least ``min_words`` words, unattributed ones as "").

    Columns: episode, actor, name, quotes, words.
    """
    q = quotes[quotes["n_words"] >= min_words]
    out = (q.groupby(["episode", "actor", "name"]).agg(quotes=("quote", "size"), words=("n_words", "sum"))
           .reset_index())
    return out.sort_values(["episode", "quotes", "actor"], ascending=[True, False, True]).reset_index(drop=True)


def top_speakers(speakers: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The most quoted named speaker of each episode (most quotations, then most words), date order;
    episodes without a named speaker are left out. Columns of :func:`speaker_counts`."""
    named = speakers[speakers["actor"] != ""]
    best = named.sort_values(["quotes", "words"], ascending=False).groupby("episode").head(1)
    return E.sort_by_episode(best[best["episode"].isin(E.in_order(episodes))], episodes, then=())
