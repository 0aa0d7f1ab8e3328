"""What counts as a repeat, at each level of text the project looks at.

Scraped news repeats itself at three scales, and one measure does not fit all three:

``duplicate_documents`` — the same article saved twice (under two names, with different site
    furniture around it). Measure: Jaccard overlap of the two texts' word 5-gram sets ("shingles").
    Long texts make a pairwise sequence alignment slow, and shingles do not care where a block of
    text sits, so moved or extra paragraphs barely lower the score. Threshold:
    ``duplicate_document_threshold`` in ``scripts/data/cleaning.yml``.
``ParagraphRepeats`` — a paragraph that repeats an earlier one of the same article, exactly or with
    small wording changes (a machine translation renders "à 100%" once and "absolue" the next time),
    or a shortened copy of it. Measure: :class:`difflib.SequenceMatcher` ratio over the word
    sequences, or the share of the shorter paragraph's words found in order in the earlier one. On
    short texts a single changed word removes up to five shingles, so 5-gram Jaccard would miss
    these; the alignment does not. Paragraphs under ``near_duplicate_min_words`` (headings) are
    only compared exactly. Thresholds: ``near_duplicate_threshold`` and ``near_duplicate_min_words``.
``repeated_sentences`` — sentences that nearly repeat an earlier sentence of the same article (the
    tone chapter says its intervals are too narrow when they do). Measure: Jaccard overlap of the
    two sentences' word *sets*, for sentences of at least 5 distinct words: order does not matter at
    sentence length, and the count is cheap for every pair of sentences of an article.

All three see a text as its lower-cased ``\\w+`` words (:func:`words`). Deterministic; no data files
are read here (callers pass the thresholds).
"""
from __future__ import annotations

import math
import re
from difflib import SequenceMatcher

import pandas as pd

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-cased runs of letters and digits: the words every repeat measure compares."""
    return _WORD.findall(str(text).lower())


def jaccard_index(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b|; 0 when both are empty."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


# --------------------------------------------------------------------------- documents
def shingles(word_list: list[str], n: int = 5) -> set[tuple[str, ...]]:
    """The set of word ``n``-grams of a text (a text shorter than ``n`` words is one shingle)."""
    return {tuple(word_list[i:i + n]) for i in range(max(1, len(word_list) - n + 1))}


def duplicate_documents(texts: dict[str, str], threshold: float, n: int = 5) -> dict[str, str]:
    """Map each document that repeats an earlier one (word ``n``-gram Jaccard ≥ ``threshold``) to the
    first such earlier document, in the order of ``texts``. A document already mapped is never the
    original of a later one, so three copies all point to the first.

    Not every pair is compared (an archive of 10,000 articles has 50 million pairs): exact prefix
    filtering (Bayardo et al., "Scaling up all pairs similarity search", 2007). With the shingles of
    every text sorted rarest first, two sets with Jaccard ≥ t share at least one shingle among the
    first ``|s| - ceil(t·|s|) + 1`` of each, so only pairs sharing such a shingle (and of compatible
    sizes) are candidates; each candidate gets the full Jaccard. Same result as comparing all pairs.
    """
    ids = list(texts)
    if threshold <= 0:  # every pair qualifies, even with nothing in common: no filter applies
        return {b: ids[0] for b in ids[1:]}
    # shingles as small integers (same sets, same Jaccard; an int hashes once, a tuple every time)
    vocab: dict[tuple[str, ...], int] = {}
    sets = {doc_id: {vocab.setdefault(sh, len(vocab)) for sh in shingles(words(text), n)} for doc_id, text in texts.items()}
    df = [0] * len(vocab)
    for s in sets.values():
        for sh in s:
            df[sh] += 1
    index: dict[int, list[int]] = {}
    out: dict[str, str] = {}
    for j, b in enumerate(ids):
        sb = sets[b]
        if not sb:
            continue
        prefix = sorted(sb, key=lambda sh: (df[sh], sh))[:_prefix_length(len(sb), threshold)]
        cands: set[int] = set()
        for sh in prefix:
            posting = index.get(sh)
            if posting:
                cands.update(posting)
        low, high = threshold * len(sb) - 1, len(sb) / threshold + 1
        for i in sorted(cands):
            sa = sets[ids[i]]
            if not low <= len(sa) <= high:
                continue
            common = len(sa & sb)  # |a ∪ b| = |a| + |b| - |a ∩ b|: the same float as jaccard_index
            if common / (len(sa) + len(sb) - common) >= threshold:
                out[b] = ids[i]
                break
        if b not in out:  # a copy is never the original of a later one: not indexed
            for sh in prefix:
                index.setdefault(sh, []).append(j)
    return out


def _prefix_length(size: int, threshold: float) -> int:
    """Shingles of a set of ``size`` that must include a shared one when Jaccard ≥ ``threshold``
    (one more than needed when ``threshold · size`` is a whole number, so rounding never drops a pair)."""
    return size - math.floor(threshold * size) + 1


# --------------------------------------------------------------------------- paragraphs
def near_duplicate(a: list[str], b: list[str], threshold: float) -> bool:
    """True when word sequence ``a`` is similar to ``b`` (SequenceMatcher ratio ≥ ``threshold``) or,
    being the shorter, has at least ``threshold`` of its words matched in order in ``b``."""
    if not a or not b:
        return False
    sm = SequenceMatcher(None, a, b, autojunk=False)
    # cheap upper bounds before the alignment: real_quick_ratio ≥ quick_ratio ≥ ratio, and the
    # multiset overlap of the two word lists bounds the words of ``a`` matched in order
    if sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold and sm.ratio() >= threshold:
        return True
    if len(a) > len(b):
        return False
    overlap = sm.quick_ratio() * (len(a) + len(b)) / 2
    if overlap / len(a) < threshold:
        return False
    matched = sum(block.size for block in sm.get_matching_blocks())
    return matched / len(a) >= threshold


class ParagraphRepeats:
    """The kept paragraphs of one article so far, to tell whether the next one repeats one of them.

    Use :meth:`check` on each paragraph in order and :meth:`keep` on those the article keeps
    (a paragraph dropped for another reason is not remembered)."""

    def __init__(self, threshold: float, min_words: int):
        self.threshold = float(threshold)
        self.min_words = int(min_words)
        self._exact: dict[str, int] = {}
        self._long: list[tuple[int, list[str]]] = []

    def check(self, word_list: list[str]) -> tuple[str, int]:
        """("duplicate", par_id) for the same words as a kept paragraph, ("near-duplicate", par_id)
        for a near repeat of a kept paragraph of at least ``min_words`` words, else ("", -1)."""
        key = " ".join(word_list)
        if key in self._exact:
            return "duplicate", self._exact[key]
        if len(word_list) >= self.min_words:
            for prev_id, prev in self._long:
                if near_duplicate(word_list, prev, self.threshold):
                    return "near-duplicate", prev_id
        return "", -1

    def keep(self, par_id: int, word_list: list[str]) -> None:
        """Remember a kept paragraph (the first of several copies stays the original)."""
        self._exact[" ".join(word_list)] = par_id
        if len(word_list) >= self.min_words:
            self._long.append((par_id, word_list))


# --------------------------------------------------------------------------- sentences
#: word-set Jaccard from which a sentence counts as a repeat of an earlier one (the tone chapter says it)
SENTENCE_REPEAT_JACCARD = 0.8


def repeated_sentences(sentences: pd.DataFrame, min_words: int = 5, jaccard: float = SENTENCE_REPEAT_JACCARD) -> pd.DataFrame:
    """Per document (``sentences``: doc_id, text; first-seen order): doc_id, sentences (count),
    repeated (sentences of at least ``min_words`` distinct words sharing at least ``jaccard`` of
    their word set with an earlier sentence of at least ``min_words`` distinct words of the same
    document)."""
    rows = []
    for doc, g in sentences.groupby("doc_id", sort=False):
        sets = [set(words(t)) for t in g["text"]]
        rep = 0
        for i, a in enumerate(sets):
            if len(a) >= min_words and any(len(b) >= min_words and jaccard_index(a, b) >= jaccard for b in sets[:i]):
                rep += 1
        rows.append({"doc_id": doc, "sentences": len(sets), "repeated": rep})
    return pd.DataFrame(rows, columns=["doc_id", "sentences", "repeated"])
