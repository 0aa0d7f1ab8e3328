"""The diplomatic lexicon: cooperation and confrontation vocabulary in English and French
(``scripts/data/diplomatic_lexicon.yml``: entries with regular expressions per language, pole,
weight and what a negation does to them), its matches in a sentence, and the cooperation index.

A match inside a negation scope (the scopes of :mod:`scripts.vader`, or a negator within a few
words after it) is flipped (a "flip" entry counts for the other pole) or cancelled ("cancel": it
counts 0). Overlapping matches: the earliest, then the longest, wins.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd
import yaml
from nltk.sentiment.vader import VaderConstants

from .vader import english_negation_scope, french_negation_scope, load_fr_fixes, norm_word

DIPLOMATIC_FILE = Path(__file__).resolve().parent / "data" / "diplomatic_lexicon.yml"
_WORD = re.compile(r"\w+'|\w+(?:-\w+)*")


@cache
def _diplomatic_yaml(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def load_diplomatic_lexicon(path: Path | str | None = None) -> pd.DataFrame:
    """The entries of ``diplomatic_lexicon.yml``: id, pole, weight, en, fr, negated (flip/cancel).

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
                     "en": e.get("en") or "", "fr": e.get("fr") or "", "negated": e["negated"]})
    return pd.DataFrame(rows, columns=["id", "pole", "weight", "en", "fr", "negated"])


def diplomatic_settings(path: Path | str | None = None) -> dict:
    """The ``negation`` settings of the diplomatic lexicon file."""
    return _diplomatic_yaml(str(path or DIPLOMATIC_FILE))["negation"]


def word_tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each word of ``text`` lower-cased: the words the lexicon coverage counts."""
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text.lower())]


def match_diplomatic(text: str, language: str, lexicon: pd.DataFrame | None = None,
                     settings: dict | None = None) -> list[dict]:
    """Lexicon matches in one sentence: entry, pole, weight, surface, start, end, negated, effect,
    contribution (+weight cooperation, -weight confrontation; the other sign when a negated "flip"
    entry, 0 when a negated "cancel" entry). Overlaps: the earliest, then longest, match wins."""
    lexicon = load_diplomatic_lexicon() if lexicon is None else lexicon
    settings = settings or diplomatic_settings()
    lower = text.lower()
    found = []
    for e in lexicon.itertuples():
        pattern = getattr(e, language, "") if language in ("en", "fr") else ""
        if not pattern:
            continue
        for m in re.finditer(rf"\b(?:{pattern})(?!\w)", lower):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), m.end(), e))
    found.sort(key=lambda x: (x[0], x[1]))
    kept, last_end = [], -1
    for start, _, end, e in found:
        if start >= last_end:
            kept.append((start, end, e))
            last_end = end
    if not kept:
        return []
    toks = word_tokens(text)
    words = [t[0] for t in toks]
    if language == "fr":
        scope = french_negation_scope(words)
        neg = load_fr_fixes()["negation"]
        after_negators = set(neg["openers"])
    else:
        scope = english_negation_scope(words, settings.get("en", []), int(settings.get("before", 3)))
        after_negators = set(VaderConstants.NEGATE) | set(settings.get("en", []))
    after = int(settings.get("after", 3))
    out = []
    for start, end, e in kept:
        idx = [k for k, (_, s, t) in enumerate(toks) if s < end and t > start]
        first, last = (idx[0], idx[-1]) if idx else (None, None)
        negated = first is not None and first in scope
        if not negated and last is not None:
            follow = [norm_word(w) for w in words[last + 1:last + 1 + after]]
            negated = any(w in after_negators or "n't" in w for w in follow)
        sign = 1.0 if e.pole == "cooperation" else -1.0
        contribution = sign * e.weight
        if negated:
            contribution = -contribution if e.negated == "flip" else 0.0
        out.append({"entry": e.id, "pole": e.pole, "weight": e.weight, "surface": text[start:end],
                    "start": start, "end": end, "negated": bool(negated), "effect": e.negated if negated else "",
                    "contribution": float(contribution), "n_words": len(idx)})
    return out


def cooperation_index(contributions: Sequence[float]) -> tuple[float, float, float]:
    """(coop, conf, index) from signed contributions: index = (coop - conf) / (coop + conf), 0 if none."""
    coop = float(sum(c for c in contributions if c > 0))
    conf = float(-sum(c for c in contributions if c < 0))
    return coop, conf, (coop - conf) / (coop + conf) if coop + conf > 0 else 0.0



def diplomatic_matches(sentences: pd.DataFrame, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per lexicon match: doc_id, episode, language, sentence_id, entry, pole, weight, surface,
    start, end, negated, effect, contribution."""
    lexicon = load_diplomatic_lexicon() if lexicon is None else lexicon
    rows = []
    for r in sentences.itertuples():
        for m in match_diplomatic(str(r.text), str(r.language), lexicon):
            rows.append({"doc_id": r.doc_id, "episode": r.episode, "language": r.language,
                         "sentence_id": r.sentence_id, **m})
    cols = ["doc_id", "episode", "language", "sentence_id", "entry", "pole", "weight", "surface", "start", "end",
            "negated", "effect", "contribution"]
    return pd.DataFrame(rows, columns=cols + ["n_words"])[cols]
