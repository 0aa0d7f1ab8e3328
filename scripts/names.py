"""People the gazetteer does not list: capitalised name sequences that look like a person.

Rules and word lists: ``scripts/data/person_names.yml`` (its header explains them). First names
come from the ``gender-guesser`` package's name dictionary (read once, accents folded) plus the
data file's additions. This module only finds candidate spans in one sentence; linking a bare
surname to the full name and counting are done by :mod:`scripts.mentions`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .gazetteer import DATA_DIR, fold, fold_lower

# a capitalised word (after folding), possibly hyphenated ("Jean-Yves"), or an Arabic article joined
# to a capitalised word ("al-Sharaa"); particles may stand between words ("Lakhdar al Brahimi")
_WORD = r"(?:(?:al|el|ad|as|ben|bin)-)?[A-Z][\w']*(?:-[A-Za-z][\w']*)*"
_PARTICLE = r"(?:de|du|des|da|di|do|dos|van|von|der|den|ter|bin|ben|ibn|al|el|le|la|y)"
_SEQ = re.compile(rf"(?<![\w'\-]){_WORD}(?:\s(?:{_PARTICLE}\s)?{_WORD})*")
_ELISION = re.compile(r"^[LDJ]'|^[ld]'")
_CREDIT = re.compile(r"(?:/|©|\bphotos?\b[^.;]{0,40}|\bcredits?\b[^.;]{0,40}|\bcredit\b[^.;]{0,40})\s*$")
_OPENING = re.compile(r"(?:^|[.:!?«»\"“”(\[—–\-]\s*)$")


@dataclass(frozen=True)
class NameRules:
    """The compiled ``person_names.yml``: folded lower word sets and phrase tuples."""

    first_names: frozenset
    honorifics: frozenset
    titles: frozenset           # tuples of folded lower words
    non_person_words: frozenset
    non_person_cues: frozenset  # tuples of folded lower words
    max_cue: int


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[\w.]+", fold_lower(phrase).replace("-", " ")))


@lru_cache(maxsize=1)
def package_first_names() -> frozenset:
    """Given names of the ``gender-guesser`` dictionary (folded lower case; "+" in a name stands for
    nothing, a space or a hyphen)."""
    names: set[str] = set()
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line[0] in "#=":
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        name = parts[1]
        for variant in ({name.replace("+", r) for r in ("", " ", "-")} if "+" in name else {name}):
            names.add(fold_lower(variant))
    return frozenset(names)


def load_name_rules(path: Path | str | None = None) -> NameRules:
    """Read ``person_names.yml`` (default ``scripts/data/person_names.yml``)."""
    raw = yaml.safe_load(Path(path or DATA_DIR / "person_names.yml").read_text(encoding="utf-8"))
    not_first = {fold_lower(w) for w in raw.get("not_first_names", [])}
    first = (package_first_names() | {fold_lower(w) for w in raw.get("first_names", [])}) - not_first
    titles = {_words(t) for lang in (raw.get("titles") or {}).values() for t in lang}
    honor = {fold_lower(h).rstrip(".") for h in raw.get("honorifics", [])}
    cues = {_words(c) for c in raw.get("non_person_cues", [])}
    return NameRules(first_names=frozenset(first), honorifics=frozenset(honor), titles=frozenset(titles | {(h,) for h in honor}),
                     non_person_words=frozenset(fold_lower(w) for w in raw.get("non_person_words", [])),
                     non_person_cues=frozenset(cues), max_cue=max([len(c) for c in cues | titles] + [1]))


@lru_cache(maxsize=2)
def default_rules() -> NameRules:
    return load_name_rules()


_TAIL = re.compile(r"[\w.]+")


def _tail_words(low: str, n: int) -> list[str]:
    """The last ``n`` words before the end of ``low`` (folded lower text; dots kept: "m.", "sen.")."""
    return _TAIL.findall(low[-60:].replace("-", " "))[-n:]


def _ends_with(words: list[str], phrases: frozenset, max_len: int) -> bool:
    return any(tuple(words[-k:]) in phrases or tuple(w.rstrip(".") for w in words[-k:]) in phrases
               for k in range(1, min(max_len, len(words)) + 1))


def candidates(text: str, covered: list[tuple[int, int]], lower_words: frozenset | set,
               place_words: frozenset | set, rules: NameRules | None = None) -> list[dict]:
    """Person-like capitalised sequences of one sentence that no known mention covers.

    ``covered``: (start, end) of the gazetteer's mentions; ``lower_words``: words seen in lower case
    in the corpus (a capitalised one of them opening a sentence is an ordinary word: "Selon",
    "Will"); ``place_words``: folded lower words of states, organisations and seats of power.
    Returns dicts: start, end, surface, words (tuple of words as written), cue (a title or
    honorific stands before), full (a first name opens a name of two words or more), single (one
    capitalised word with neither: only a possible surname of someone named in full elsewhere),
    first_name (one word that is a given name: "le président (Barack) Obama" - never a person alone).
    """
    r = rules or default_rules()
    folded = fold(text)
    low = fold_lower(text)
    out = []
    for m in _SEQ.finditer(folded):
        spans = [(w.start() + m.start(), w.end() + m.start()) for w in re.finditer(r"\S+", m.group(0))]
        # cut the sequence where a known mention sits; keep the uncovered runs
        runs, cur = [], []
        for s, e in spans:
            if any(not (e <= a or s >= b) for a, b in covered):
                if cur:
                    runs.append(cur)
                cur = []
            else:
                cur.append((s, e))
        if cur:
            runs.append(cur)
        for run in runs:
            out.extend(_judge(text, folded, low, run, lower_words, place_words, r))
    return out


def _judge(text: str, folded: str, low_text: str, run: list[tuple[int, int]], lower_words, place_words,
           r: NameRules) -> list[dict]:
    # particles stand only between capitalised words
    while run and folded[run[-1][0]].islower():
        run = run[:-1]
    while run and folded[run[0][0]].islower() and not re.match(r"(?:al|el|ad|as|ben|bin)-", folded[run[0][0]:run[0][1]]):
        run = run[1:]
    words = [folded[s:e] for s, e in run]
    # elided article glued to the first word: "L'opposant" is not a name, "d'Antonov" is "Antonov"
    if words and _ELISION.match(words[0]):
        cut = 2
        run[0] = (run[0][0] + cut, run[0][1])
        words[0] = words[0][cut:]
    # possessive "Antonov's", trailing apostrophe
    for i, w in enumerate(words):
        stripped = re.sub(r"'s?$", "", w)
        if stripped != w:
            run[i] = (run[i][0], run[i][0] + len(stripped))
            words[i] = stripped
    cue = _ends_with(_tail_words(low_text[:run[0][0]], r.max_cue), r.titles, r.max_cue)
    # sentence-initial ordinary words, and capitalised titles inside the run ("President X")
    while words:
        low = low_text[run[0][0]:run[0][1]]
        initial = bool(_OPENING.search(folded[max(0, run[0][0] - 4):run[0][0]])) or run[0][0] == 0
        if (low,) in r.titles or low.rstrip(".") in r.honorifics:
            cue = True
        elif not (initial and low in lower_words):
            break
        words, run = words[1:], run[1:]
    # ordinary capitalised words before a first name ("Selon Carla Dubois", "Interrogé Vladimir …")
    while len(words) >= 3 and fold_lower(words[0]) not in r.first_names and fold_lower(words[1]).split("-")[0] in r.first_names:
        words, run = words[1:], run[1:]
    # two-word capitalised titles ("Prime Minister", "Foreign Minister")
    while len(words) >= 2 and tuple(fold_lower(w) for w in words[:2]) in r.titles:
        cue = True
        words, run = words[2:], run[2:]
    if not words or len(words) > 4:
        return []
    lows = [fold_lower(w) for w in words]
    if any(w in r.non_person_words for w in lows) or lows[-1] in place_words:
        return []
    if _ends_with(_tail_words(low_text[:run[0][0]], r.max_cue), r.non_person_cues, r.max_cue):
        return []
    if _CREDIT.search(low_text[max(0, run[0][0] - 50):run[0][0]]) or low_text[run[-1][1]:run[-1][1] + 2].strip().startswith("/"):
        return []  # photo and agency credits: "(AP Photo/Keystone, Martial Trezzini)", "REUTERS/SAUL LOEB"
    first = lows[0].split("-")[0]
    full = len(words) >= 2 and (lows[0] in r.first_names or first in r.first_names)
    if len(words) >= 2 and not full and not cue:
        return []
    if len(words) == 1 and lows[0] in place_words:
        return []  # a place is not a surname
    start, end = run[0][0], run[-1][1]
    return [{"start": start, "end": end, "surface": text[start:end], "words": tuple(text[s:e] for s, e in run),
             "cue": cue, "full": full, "single": len(words) == 1 and not cue,
             "first_name": len(words) == 1 and lows[0] in r.first_names}]
