"""The diplomatic lexicon: cooperation and confrontation vocabulary in English and French
(``scripts/data/diplomatic_lexicon.yml``), its matches in a sentence, and the cooperation index.

A match's contribution is its weight, signed (+ cooperation, - confrontation), then:

* negation (:mod:`scripts.negation`): a match a negator reaches (the rest of the negator's clause), or
  the subject of a negated verb, is flipped (a "flip" entry counts for the other pole) or cancelled
  ("cancel": it counts 0);
* contrast: before the first "but"/"mais" of the sentence a match counts ``contrast.before`` times,
  after it ``contrast.after`` times (the clause after the contrast decides the sentence);
* scope: a sentence that is not about US-Russia relations (it names neither both sides, nor one side
  with a relational word, nor holds a bilateral marker) counts ``scope.out_of_scope`` times; an
  alliance/partnership entry (``bloc: true``) counts only in a sentence naming both sides and not
  after a bloc qualifier ("our partners", "NATO partners").

Overlapping matches: the earliest, then the longest, wins. The cooperation index of a sentence is
(coop - conf) / (coop + conf + k) (:func:`cooperation_index`). The lexicon is compiled once into one
regular-expression alternation per language (:func:`compile_lexicon`), so scoring a sentence does no
DataFrame work.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .negation import Negation, NegationRules, english_rules, french_rules, negated_by_verb, negation

DATA_DIR = Path(__file__).resolve().parent / "data"
DIPLOMATIC_FILE = DATA_DIR / "diplomatic_lexicon.yml"
#: the people and states of the gazetteer whose country is the United States or Russia name a side
ACTORS_FILE = DATA_DIR / "actors.yml"
SIDES = {"us": "US", "russia": "RU"}
LEXICON_COLUMNS = ["id", "pole", "weight", "en", "fr", "negated", "bloc"]
MATCH_COLUMNS = ["doc_id", "episode", "language", "sentence_id", "entry", "pole", "weight", "surface", "start", "end",
                 "negated", "effect", "contribution", "factor"]
_WORD = re.compile(r"\w+'|\w+(?:-\w+)*")
#: tokens negation works on: words ("n't" contractions and elided "l'" kept whole) and punctuation marks
_TOKEN = re.compile(r"\w+n't|\w+'|\w+(?:-\w+)*|[^\w\s]")
_NOT_CONTRAST_AFTER = frozenset({"also", "aussi", "également"})


@cache
def _diplomatic_yaml(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def load_diplomatic_lexicon(path: Path | str | None = None) -> pd.DataFrame:
    """The entries of ``diplomatic_lexicon.yml``: id, pole, weight, en, fr, negated (flip/cancel), bloc.

    Raises ValueError naming the entry when a field is missing or a pattern does not compile."""
    raw = _diplomatic_yaml(str(path or DIPLOMATIC_FILE))
    rows = []
    for e in raw["entries"]:
        if e.get("pole") not in ("cooperation", "confrontation") or e.get("negated") not in ("flip", "cancel"):
            raise ValueError(f"diplomatic lexicon entry {e.get('id')!r}: pole must be cooperation/confrontation "
                             "and negated flip/cancel")
        for lang in ("en", "fr"):
            try:
                re.compile(e.get(lang) or "")
            except re.error as err:
                raise ValueError(f"diplomatic lexicon entry {e['id']!r}: bad {lang} pattern ({err})") from None
        rows.append({"id": str(e["id"]), "pole": e["pole"], "weight": float(e["weight"]),
                     "en": e.get("en") or "", "fr": e.get("fr") or "", "negated": e["negated"],
                     "bloc": bool(e.get("bloc", False))})
    return pd.DataFrame(rows, columns=LEXICON_COLUMNS)


def diplomatic_settings(path: Path | str | None = None) -> dict:
    """The rules of the diplomatic lexicon file: everything but its entries (index, negation, contrast, scope)."""
    return {k: v for k, v in _diplomatic_yaml(str(path or DIPLOMATIC_FILE)).items() if k != "entries"}


def word_tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each word of ``text`` lower-cased: the words the lexicon coverage counts."""
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text.lower())]


# =========================================================================== compiling
@cache
def side_names(path: str | None = None) -> dict[str, tuple[str, ...]]:
    """Names, aliases and metonyms of the actors of ``actors.yml`` per side ("US", "RU"): "Biden",
    "Poutine", "Kremlin", "Maison Blanche"."""
    raw = yaml.safe_load(Path(path or ACTORS_FILE).read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {c: set() for c in SIDES.values()}
    for a in raw.get("actors") or []:
        if a.get("country") in out:
            for key in ("names", "aliases", "metonyms"):
                out[a["country"]].update(str(x) for x in a.get(key) or [])
    return {c: tuple(sorted(v, key=len, reverse=True)) for c, v in out.items()}


def _alternation(patterns: Sequence[str], flags: int = 0) -> re.Pattern | None:
    patterns = [p for p in patterns if p]
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)", flags) if patterns else None


@dataclass(frozen=True)
class Entry:
    """One lexicon entry as the matcher uses it."""

    id: str
    pole: str
    weight: float
    negated: str
    bloc: bool


@dataclass(frozen=True)
class Rules:
    """The rules of the lexicon file, compiled: index constant ``k``; negation (English rules, French
    ones from ``tone_fr_fixes.yml``; ``subject_reach``); contrast words per language and the factors
    before/after; scope patterns (sides, relational words, bilateral markers, bloc qualifiers) and
    the out-of-scope factor."""

    k: float
    negation: dict[str, NegationRules]
    subject_reach: int
    contrast: dict[str, frozenset[str]]
    contrast_before: float
    contrast_after: float
    out_of_scope: float
    sides: dict[str, re.Pattern | None]
    relational: re.Pattern | None
    bilateral: re.Pattern | None
    bloc_qualifiers: re.Pattern | None
    bloc_window: int


def compile_rules(settings: dict, actors_file: Path | str | None = None) -> Rules:
    """:class:`Rules` from :func:`diplomatic_settings`; the sides also get the names of ``actors_file``."""
    neg, con, scope = settings.get("negation") or {}, settings.get("contrast") or {}, settings.get("scope") or {}
    from .vader import load_fr_fixes  # here: importing scripts.vader imports NLTK (seconds)

    names = side_names(str(actors_file) if actors_file else None)
    sides = {}
    for key, country in SIDES.items():
        people = "|".join(re.escape(n) for n in names[country])
        sides[key] = _alternation([*(scope.get(key) or []), f"(?-i:{people})" if people else ""], re.IGNORECASE)
    return Rules(k=float((settings.get("index") or {}).get("k", 0.0)),
                 negation={"en": english_rules(neg.get("en") or {}), "fr": french_rules(load_fr_fixes()["negation"])},
                 subject_reach=int(neg.get("subject_reach", 0)),
                 contrast={lang: frozenset(con.get(lang) or []) for lang in ("en", "fr")},
                 contrast_before=float(con.get("before", 1.0)), contrast_after=float(con.get("after", 1.0)),
                 out_of_scope=float(scope.get("out_of_scope", 1.0)), sides=sides,
                 relational=_alternation(scope.get("relational") or []),
                 bilateral=_alternation(scope.get("bilateral") or []),
                 bloc_qualifiers=_alternation(scope.get("bloc_qualifiers") or []),
                 bloc_window=int(scope.get("bloc_window", 3)))


@dataclass(frozen=True)
class CompiledLexicon:
    """A lexicon ready to match: per language, one alternation of all its entries' patterns (finds
    where any entry starts) and each entry with its own pattern (picks the longest at that place)."""

    alternation: dict[str, re.Pattern | None]
    entries: dict[str, tuple[tuple[Entry, re.Pattern], ...]]
    rules: Rules
    #: (text, language) -> matches, when made by :func:`matching_once`
    memo: dict | None = field(default=None, compare=False, repr=False)


def matching_once(lexicon: pd.DataFrame | CompiledLexicon | None = None) -> CompiledLexicon:
    """The compiled ``lexicon`` with a memo of its matches per (sentence, language). For one caller that
    both scores and lists the same sentences (the analysis stage, per article: ``tone_scores.score_sentences``
    then :func:`diplomatic_matches`), so each sentence is matched once, not twice. Drop it with those
    sentences: the memo grows with every distinct sentence it sees."""
    return replace(_compiled(lexicon, None), memo={})


def compile_lexicon(lexicon: pd.DataFrame | None = None, settings: dict | None = None) -> CompiledLexicon:
    """:class:`CompiledLexicon` of ``lexicon`` (:func:`load_diplomatic_lexicon`) and ``settings``
    (:func:`diplomatic_settings`), the bundled file's by default."""
    lexicon = load_diplomatic_lexicon() if lexicon is None else lexicon
    rules = compile_rules(diplomatic_settings() if settings is None else settings)
    alternation, entries = {}, {}
    for lang in ("en", "fr"):
        rows = [(Entry(str(r["id"]), str(r["pole"]), float(r["weight"]), str(r["negated"]), bool(r.get("bloc", False))),
                 str(r[lang])) for r in lexicon.to_dict("records") if r.get(lang)]
        alternation[lang] = _alternation([p for _, p in rows])
        entries[lang] = tuple((e, re.compile(rf"\b(?:{p})(?!\w)")) for e, p in rows)
    return CompiledLexicon(alternation, entries, rules)


_COMPILED: dict[int, tuple[weakref.ref, CompiledLexicon]] = {}


def _compiled(lexicon: pd.DataFrame | CompiledLexicon | None, settings: dict | None) -> CompiledLexicon:
    """The compiled form of ``lexicon``, compiled once per lexicon frame (a frame changed in place
    after its first use is not seen: load or copy a new one)."""
    if isinstance(lexicon, CompiledLexicon):
        return lexicon
    if settings is not None:
        return compile_lexicon(lexicon, settings)
    if lexicon is None:
        return _default_compiled()
    hit = _COMPILED.get(id(lexicon))
    if hit is not None and hit[0]() is lexicon:
        return hit[1]
    compiled = compile_lexicon(lexicon)
    _COMPILED[id(lexicon)] = (weakref.ref(lexicon), compiled)
    return compiled


@cache
def _default_compiled() -> CompiledLexicon:
    return compile_lexicon()


# =========================================================================== matching
@dataclass(frozen=True)
class RelationScope:
    """Whether a sentence names the US side, the Russian side, a relational word, a bilateral marker,
    and so whether it is about US-Russia relations (``in_scope``)."""

    us: bool
    russia: bool
    relational: bool
    bilateral: bool

    @property
    def both(self) -> bool:
        return self.us and self.russia

    @property
    def in_scope(self) -> bool:
        return self.bilateral or self.both or ((self.us or self.russia) and self.relational)


def relation_scope(text: str, rules: Rules | None = None) -> RelationScope:
    """:class:`RelationScope` of ``text`` under ``rules`` (the bundled file's by default)."""
    rules = rules or _default_compiled().rules
    lower = text.lower()

    def has(p: re.Pattern | None, s: str) -> bool:
        return bool(p and p.search(s))

    return RelationScope(has(rules.sides["us"], text), has(rules.sides["russia"], text), has(rules.relational, lower),
                         has(rules.bilateral, lower))


def _find(lower: str, lex: CompiledLexicon, language: str) -> list[tuple[int, int, Entry]]:
    """Non-overlapping matches, left to right; at each place the longest entry wins."""
    alt = lex.alternation.get(language)
    out, pos = [], 0
    while alt is not None:
        m = alt.search(lower, pos)
        if not m:
            break
        best = None
        for entry, pattern in lex.entries[language]:
            hit = pattern.match(lower, m.start())
            if hit and hit.end() > m.start() and (best is None or hit.end() > best[1]):
                best = (m.start(), hit.end(), entry)
        if best is None:  # the alternation matched empty text
            pos = m.start() + 1
            continue
        out.append(best)
        pos = best[1]
    return out


def match_diplomatic(text: str, language: str, lexicon: pd.DataFrame | CompiledLexicon | None = None,
                     settings: dict | None = None) -> list[dict]:
    """Lexicon matches in one sentence: entry, pole, weight, surface, start, end, negated, effect
    ("flip"/"cancel" when negated, "bloc" when an alliance word is one bloc's own, else ""),
    contribution (signed weight after negation, times factor), n_words, factor (contrast x scope).

    ``lexicon``: a frame of :func:`load_diplomatic_lexicon` (compiled on first use) or a
    :class:`CompiledLexicon`; ``settings``: rules other than the bundled file's."""
    if language not in ("en", "fr"):
        return []
    lex = _compiled(lexicon, settings)
    if lex.memo is None:
        return _match(text, language, lex)
    if (text, language) not in lex.memo:
        lex.memo[text, language] = _match(text, language, lex)
    return [dict(m) for m in lex.memo[text, language]]  # copies: a caller may change its rows


def _match(text: str, language: str, lex: CompiledLexicon) -> list[dict]:
    """:func:`match_diplomatic` of one sentence with a compiled lexicon."""
    rules = lex.rules
    lower = text.lower()
    found = _find(lower, lex, language)
    if not found:
        return []
    toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(lower)]
    neg: Negation = negation([t for t, _, _ in toks], rules.negation[language])
    words = [t for t, _, _ in toks]
    contrast_at = next((i for i, w in enumerate(words) if w in rules.contrast[language]
                        and (i + 1 >= len(words) or words[i + 1] not in _NOT_CONTRAST_AFTER)), None)
    rel = relation_scope(text, rules)
    word_toks = word_tokens(text)
    scope_factor = 1.0 if rel.in_scope else rules.out_of_scope
    out = []
    for start, end, e in found:
        idx = [k for k, (_, s, t) in enumerate(toks) if s < end and t > start]
        first, last = idx[0], idx[-1]
        negated = first in neg.scope or negated_by_verb(neg, last, rules.subject_reach)
        factor = scope_factor
        if contrast_at is not None:
            factor *= rules.contrast_before if first < contrast_at else rules.contrast_after if first > contrast_at else 1.0
        effect = e.negated if negated else ""
        if e.bloc and (not rel.both or _bloc_qualified(lower, toks, first, rules)):
            factor, effect = 0.0, "bloc"
        sign = 1.0 if e.pole == "cooperation" else -1.0
        contribution = sign * e.weight
        if negated:
            contribution = -contribution if e.negated == "flip" else 0.0
        out.append({"entry": e.id, "pole": e.pole, "weight": e.weight, "surface": text[start:end],
                    "start": start, "end": end, "negated": bool(negated), "effect": effect,
                    "contribution": float(contribution * factor) + 0.0,
                    "n_words": sum(1 for _, s, t in word_toks if s < end and t > start), "factor": float(factor)})
    return out


def _bloc_qualified(lower: str, toks: list[tuple[str, int, int]], first: int, rules: Rules) -> bool:
    """True when a bloc qualifier stands within ``bloc_window`` words before token ``first``."""
    if rules.bloc_qualifiers is None:
        return False
    words = [k for k in range(first) if _WORD.fullmatch(toks[k][0])]
    if not words:
        return False
    window_start = toks[words[-rules.bloc_window:][0]][1]
    return bool(rules.bloc_qualifiers.search(lower, window_start, toks[first][1]))


def cooperation_index(contributions: Sequence[float], k: float | None = None) -> tuple[float, float, float]:
    """(coop, conf, index) from signed contributions: index = (coop - conf) / (coop + conf + k), 0 when
    there is none. ``k`` (default: ``index.k`` of the lexicon file) grades the index: one mild word
    scores less than several strong ones, instead of every one-sided sentence scoring +-1."""
    k = _default_compiled().rules.k if k is None else float(k)
    coop = float(sum(c for c in contributions if c > 0))
    conf = float(-sum(c for c in contributions if c < 0))
    total = coop + conf + k
    return coop, conf, (coop - conf) / total if coop + conf > 0 else 0.0


def diplomatic_matches(sentences: pd.DataFrame, lexicon: pd.DataFrame | CompiledLexicon | None = None) -> pd.DataFrame:
    """One row per lexicon match: doc_id, episode, language, sentence_id, entry, pole, weight, surface,
    start, end, negated, effect, contribution, factor (see :func:`match_diplomatic`)."""
    lex = _compiled(lexicon, None)
    rows = []
    for r in sentences[["doc_id", "episode", "language", "sentence_id", "text"]].itertuples(index=False):
        for m in match_diplomatic(str(r.text), str(r.language), lex):
            rows.append({"doc_id": r.doc_id, "episode": r.episode, "language": r.language,
                         "sentence_id": r.sentence_id, **m})
    return pd.DataFrame(rows, columns=[*MATCH_COLUMNS, "n_words"])[MATCH_COLUMNS]
