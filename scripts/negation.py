"""Negation scopes by clause, shared by the diplomatic lexicon (:mod:`scripts.diplomatic`) and the French
sentiment engine (:mod:`scripts.vader`), so both instruments read a negation the same way.

A negator reaches the clause it governs: from the word after it up to the next clause boundary (a
boundary punctuation mark, or a boundary word: a conjunction, a relative pronoun, "despite"/"malgré"),
not a fixed window of words. French "ne"/"n'" negates only with a closer ("pas", "plus", "jamais",
"guère", "rien", "aucun" ...) in the same clause; "ne ... que" (only) and an expletive "ne" without a
closer negate nothing. Several-word negators hold the failure verbs ("failed to", "échoué à", "faute
de"); phrases such as "not only" or "sans doute" negate nothing. The rules are data:
``scripts/data/diplomatic_lexicon.yml`` (English, ``negation.en``) and ``scripts/data/tone_fr_fixes.yml``
(French, ``negation``).

Tokens are strings as they come: words with punctuation attached ("pas,") or standalone punctuation
(","); a word ending with boundary punctuation closes its clause after itself.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

#: characters stripped from both ends of a token before it is compared with the word lists
STRIP = ".,;:!?«»\"“”„()[]{}…—–-*/"
#: punctuation that ends a clause (standalone, or ending/starting a word). Not the full stop: inside a
#: sentence (the corpus splits sentences first) a full stop ends an abbreviation ("U.S.", "M.").
BOUNDARY_PUNCT = frozenset(",;:!?()[]{}…—–")
#: closing marks skipped when looking for boundary punctuation at the end of a word ("pas»," / "said.”")
CLOSING = "\"”»'’)]"


@dataclass(frozen=True)
class NegationRules:
    """The negation rules of one language (see the module docstring); words lower-cased.

    ``openers``/``closers``/``restrictive``: the French two-part negation ("ne ... pas"; "ne ... que");
    ``negators``: words that negate on their own; ``phrases``: several-word negators; ``not_negating``:
    phrases that negate nothing; ``verbal``: negators of a verb (those that also reach back to the
    verb's subject, :func:`negated_by_verb`), when ``auxiliaries`` is given only right after one of
    them ("were not", "has never": a finite verb, whose subject precedes; not "tensions not seen since
    1962"); ``boundaries``: words that open a new clause;
    ``contraction``: a word ending so negates too (English "n't"); ``max_words``: the longest reach of
    one negator in words after it (after the closer for "ne ... pas"; None: up to the clause boundary)."""

    negators: frozenset[str]
    phrases: tuple[tuple[str, ...], ...] = ()
    openers: frozenset[str] = frozenset()
    closers: frozenset[str] = frozenset()
    restrictive: frozenset[str] = frozenset()
    not_negating: tuple[tuple[str, ...], ...] = ()
    verbal: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()
    boundaries: frozenset[str] = frozenset()
    contraction: str = ""
    max_words: int | None = None


def _phrases(items: Iterable[str] | None) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(str(p).lower().split()) for p in items or [] if str(p).strip()}, key=len, reverse=True))


def _words(items: Iterable[str] | None) -> frozenset[str]:
    return frozenset(str(w).lower() for w in items or [])


def english_rules(settings: Mapping) -> NegationRules:
    """:class:`NegationRules` from the ``negation.en`` block of ``diplomatic_lexicon.yml``."""
    return NegationRules(negators=_words(settings.get("negators")), phrases=_phrases(settings.get("phrases")),
                         not_negating=_phrases(settings.get("not_negating")), verbal=_words(settings.get("verbal")),
                         auxiliaries=_words(settings.get("auxiliaries")), boundaries=_words(settings.get("boundaries")),
                         contraction="n't")


def french_rules(settings: Mapping, max_words: int | None = None) -> NegationRules:
    """:class:`NegationRules` from the ``negation`` block of ``tone_fr_fixes.yml``; ``max_words`` caps
    the reach after the negator (the sentiment engine's window), None reads the whole clause."""
    return NegationRules(negators=_words(settings.get("standalone")), phrases=_phrases(settings.get("phrases")),
                         openers=_words(settings.get("openers")), closers=_words(settings.get("closers")),
                         restrictive=_words(settings.get("restrictive") or ["que", "qu'"]),
                         not_negating=_phrases(settings.get("not_negating")),
                         verbal=_words(settings.get("openers")), boundaries=_words(settings.get("boundaries")),
                         max_words=max_words)


def strip_word(token: str) -> str:
    """A token lower-cased and stripped of the punctuation around it ("" for punctuation alone)."""
    return token.lower().strip(STRIP)


@dataclass(frozen=True)
class Negation:
    """Negation in one token sequence: ``scope`` (indices of the tokens a negator reaches), ``verbal``
    (indices of verbal negators that negate: "not", "n't" words, a French "ne" with its closer) and
    ``clause`` (the clause number of every token)."""

    scope: frozenset[int]
    verbal: tuple[int, ...]
    clause: tuple[int, ...]


def _clauses(tokens: Sequence[str], words: Sequence[str], rules: NegationRules) -> tuple[list[bool], list[bool]]:
    """(starts, ends): token i opens a new clause (boundary word or punctuation before/at it), token i
    closes its clause (boundary punctuation after it)."""
    starts, ends = [], []
    for tok, w in zip(tokens, words):
        tail = tok.rstrip(CLOSING)
        if not w:  # punctuation alone
            boundary = any(c in BOUNDARY_PUNCT or c == "-" for c in tok)
            starts.append(boundary)
            ends.append(False)
            continue
        starts.append(w in rules.boundaries or tok[:1] in "([—–")
        ends.append(bool(tail) and tail[-1] in BOUNDARY_PUNCT)
    return starts, ends


@lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases grouped by their first word, each group in the order of ``phrases``."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        out.setdefault(p[0], []).append(p)
    return {w: tuple(ps) for w, ps in out.items()}


def negation(tokens: Sequence[str], rules: NegationRules) -> Negation:
    """:class:`Negation` of ``tokens`` under ``rules``."""
    words = [strip_word(t) for t in tokens]
    n = len(words)
    starts, ends = _clauses(tokens, words, rules)
    clause, c = [], 0
    for i in range(n):
        if starts[i] and i:
            c += 1
        clause.append(c)
        if ends[i]:
            c += 1

    # grouped once per call: hashing a tuple of phrases (the cache key) once per word cost more than matching
    not_negating, phrases = _by_first_word(rules.not_negating), _by_first_word(rules.phrases)

    def phrase_at(i: int, by_first: dict[str, tuple[tuple[str, ...], ...]]) -> int:
        # only the phrases starting with this word can match (longest first, as in the rules)
        return next((len(p) for p in by_first.get(words[i], ()) if tuple(words[i:i + len(p)]) == p), 0)

    def reach(last: int) -> range:
        """The tokens after ``last`` (a negator's last token) up to the end of its clause."""
        if ends[last]:
            return range(0)
        j = last + 1
        while j < n and not starts[j]:
            j += 1
            if ends[j - 1] or (rules.max_words and j - last > rules.max_words):
                break
        return range(last + 1, j)

    scope: set[int] = set()
    verbal: list[int] = []
    used: set[int] = set()
    i = 0
    while i < n:
        if i in used or not words[i]:
            i += 1
            continue
        k = phrase_at(i, not_negating)
        if k:
            used.update(range(i, i + k))
            i += k
            continue
        k = phrase_at(i, phrases)
        if k:
            scope.update(reach(i + k - 1))
            used.update(range(i, i + k))
            i += k
            continue
        w = words[i]
        if w in rules.openers:
            closer = None
            for j in range(i + 1, n if not ends[i] else i + 1):
                if words[j] in rules.restrictive:
                    break  # "ne ... que": only
                if words[j] in rules.closers:
                    closer = j
                    break
                if starts[j] or ends[j]:
                    break
            if closer is not None and not phrase_at(closer, not_negating):
                used.add(closer)
                scope.update(range(i + 1, closer))
                scope.update(reach(closer))
                verbal.append(i)
        elif w in rules.negators or (rules.contraction and w.endswith(rules.contraction)):
            scope.update(reach(i))
            after_auxiliary = not rules.auxiliaries or (i > 0 and words[i - 1] in rules.auxiliaries)
            if (w in rules.verbal and after_auxiliary) or (rules.contraction and w.endswith(rules.contraction)):
                verbal.append(i)
        i += 1
    return Negation(frozenset(j for j in scope if j < n), tuple(verbal), tuple(clause))


def negated_by_verb(neg: Negation, last: int, reach_back: int) -> bool:
    """True when a verbal negator follows token ``last`` within ``reach_back`` tokens in the same clause:
    the token belongs to the subject of a negated verb ("sanctions were not discussed", "les sanctions
    n'ont pas été discutées")."""
    return any(0 < v - last <= reach_back and neg.clause[v] == neg.clause[last] for v in neg.verbal)
