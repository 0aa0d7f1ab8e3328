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

import re
from collections import Counter
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
from scipy import sparse

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

    Not every pair is compared one by one (an archive of 10,000 articles has 50 million pairs), yet the
    result is exactly that of comparing all pairs (tested against the plain definition):

    1. documents with the same shingle set are one *class* (Jaccard 1, found by hashing the set);
    2. a shingle held by one class only adds to that class's size, never to an overlap, so only the
       shingles held by two classes or more are looked at, and shingles held by exactly the same
       classes are one *group* weighted by its number of shingles (a paragraph that 300 articles share
       is one group, not 80 shingles);
    3. every pair's overlap is then a sparse product (classes × groups, weighted), in blocks of rows, each
       block against the earlier classes only; a pair is similar when ``overlap / (|a| + |b| - overlap)``
       reaches ``threshold`` (the same float division as :func:`jaccard_index`).

    The work is the sum over groups of (classes holding it)², not over shingles: articles that share
    whole paragraphs (wire copy, boilerplate, a synthetic corpus) no longer make it quadratic in
    shingles. Prefix filtering (Bayardo et al., 2007), used before, degraded to all pairs on such corpora
    because every shingle of a shared paragraph is frequent.
    """
    ids = list(texts)
    if threshold <= 0:  # every pair qualifies, even with nothing in common: no filter applies
        return {b: ids[0] for b in ids[1:]}
    class_of: dict[bytes, int] = {}
    sets: list[np.ndarray] = []
    doc_class: list[int] = []
    for s in shingle_ids(list(texts.values()), n):
        doc_class.append(class_of.setdefault(s.tobytes(), len(sets)))
        if doc_class[-1] == len(sets):
            sets.append(s)
    similar = _similar_classes(sets, threshold)
    first_free: dict[int, int] = {}  # class -> its first document not mapped to an earlier one (at most one)
    out: dict[str, str] = {}
    for j, b in enumerate(ids):
        c = doc_class[j]
        if not len(sets[c]):
            continue
        near = [first_free[k] for k in similar.get(c, ()) if k in first_free]
        if c in first_free and threshold <= 1.0:  # an identical earlier document: Jaccard 1
            near.append(first_free[c])
        if near:
            out[b] = ids[min(near)]
        elif c not in first_free:
            first_free[c] = j
    return out


def shingle_ids(texts: list[str], n: int = 5) -> list[np.ndarray]:
    """Per text, the sorted distinct ids of its :func:`shingles` (equal ids = equal shingles, across
    ``texts``), with arrays instead of tuples: ids of words, then of word pairs, of pairs of pairs…
    (each step numbers the distinct couples of ids, so the ids stay exact and small)."""
    word_lists = [words(t) for t in texts]
    lengths = np.fromiter((len(w) for w in word_lists), dtype=np.int64, count=len(word_lists))
    codes = pd.factorize(pd.Series([w for ws in word_lists for w in ws], dtype=object))[0].astype(np.int64)
    gram = {1: np.r_[codes + 1, np.zeros(n, dtype=np.int64)]}  # 0: past the end (never a used window)

    def grams(k: int) -> np.ndarray:
        """Id of words[i:i+k] for every start i."""
        if k not in gram:
            half = k // 2 if k % 2 == 0 else k - 1
            gram[k] = _pair_ids(grams(half), grams(k - half), half)
        return gram[k]

    ids = grams(n)
    full = lengths >= n
    counts = np.where(full, lengths - n + 1, 0)
    first = np.r_[0, np.cumsum(lengths)[:-1]] - np.r_[0, np.cumsum(counts)[:-1]]
    doc = np.repeat(np.arange(len(texts)), counts)
    sh = ids[np.repeat(first, counts) + np.arange(int(counts.sum()))]
    short: dict[tuple[str, ...], int] = {}  # a text shorter than n words is one shingle: its words
    base = int(ids.max()) + 1
    few = np.flatnonzero(~full)
    doc = np.r_[doc, few]
    sh = np.r_[sh, np.fromiter((base + short.setdefault(tuple(word_lists[d]), len(short)) for d in few), dtype=np.int64, count=len(few))]
    width = int(sh.max()) + 1 if len(sh) else 1
    key = np.sort(doc * width + sh)
    key = key[np.r_[True, key[1:] != key[:-1]]]
    return np.split(key % width, np.searchsorted(key // width, np.arange(1, len(texts))))


def _pair_ids(left: np.ndarray, right: np.ndarray, offset: int) -> np.ndarray:
    """Ids (from 1) of the couples (left[i], right[i + offset]); past the end of ``right`` counts as 0."""
    r = np.r_[right[offset:], np.zeros(offset, dtype=np.int64)]
    return pd.factorize(left * (int(r.max()) + 1) + r)[0].astype(np.int64) + 1


#: block size of :func:`_similar_classes`: about this many (pair, group) products per sparse product
_DUPLICATE_BLOCK = 4_000_000


def _similar_classes(sets: list[np.ndarray], threshold: float) -> dict[int, list[int]]:
    """class -> the other classes whose Jaccard with it is at least ``threshold`` (``sets``: the
    classes' distinct shingle ids). Exact: see :func:`duplicate_documents`."""
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    rows = np.repeat(np.arange(len(sets), dtype=np.int64), sizes)
    cols = np.concatenate(sets) if sets else np.zeros(0, dtype=np.int64)
    shared = np.bincount(cols)[cols] >= 2
    rows, cols = rows[shared], cols[shared]
    if not len(cols):
        return {}
    order = np.lexsort((rows, cols))
    rows, cols = rows[order], cols[order]
    starts = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]])
    group_of: dict[bytes, int] = {}
    members: list[np.ndarray] = []
    counts: list[int] = []
    for holders in np.split(rows, starts[1:]):  # shingles held by the same classes: one group, weighted
        g = group_of.setdefault(holders.tobytes(), len(members))
        if g == len(members):
            members.append(holders)
            counts.append(0)
        counts[g] += 1
    weight = np.array(counts, dtype=np.int64)
    lengths = np.fromiter((len(m) for m in members), dtype=np.int64, count=len(members))
    g_rows = np.concatenate(members)
    g_cols = np.repeat(np.arange(len(members)), lengths)
    shape = (len(sets), len(members))
    held = sparse.csr_matrix((np.ones(len(g_rows), dtype=np.int64), (g_rows, g_cols)), shape=shape)
    weighted = sparse.csr_matrix((weight[g_cols], (g_rows, g_cols)), shape=shape)
    work = np.cumsum(held @ lengths)  # products each class's row costs against all classes
    similar: dict[int, list[int]] = {}
    r0 = 0
    while r0 < len(sets):
        r1 = max(r0 + 1, int(np.searchsorted(work, (work[r0 - 1] if r0 else 0) + _DUPLICATE_BLOCK, side="right")))
        block = (held[r0:r1] @ weighted[:r1].T).tocoo()
        later, earlier, overlap = block.row.astype(np.int64) + r0, block.col.astype(np.int64), block.data
        keep = earlier < later
        later, earlier, overlap = later[keep], earlier[keep], overlap[keep]
        hit = overlap / (sizes[later] + sizes[earlier] - overlap) >= threshold
        for a, b in zip(earlier[hit].tolist(), later[hit].tolist()):
            similar.setdefault(a, []).append(b)
            similar.setdefault(b, []).append(a)
        r0 = r1
    return similar


# --------------------------------------------------------------------------- paragraphs
def near_duplicate(a: list[str], b: list[str], threshold: float, counts_a: Counter | None = None,
                   counts_b: Counter | None = None) -> bool:
    """True when word sequence ``a`` is similar to ``b`` (SequenceMatcher ratio ≥ ``threshold``) or,
    being the shorter, has at least ``threshold`` of its words matched in order in ``b``.
    ``counts_a``/``counts_b``: ``Counter(a)``/``Counter(b)``, when the caller compares them often."""
    if not a or not b:
        return False
    # cheap upper bounds before the alignment: real_quick_ratio ≥ quick_ratio ≥ ratio, and the
    # multiset overlap of the two word lists bounds the words of ``a`` matched in order. Computed
    # with difflib's formulas (``_calculate_ratio``; quick_ratio's matches are the multiset overlap),
    # without building a SequenceMatcher for the pairs they rule out (most pairs: its index of ``b``
    # cost more than the test)
    length = len(a) + len(b)
    real_quick = 2.0 * min(len(a), len(b)) / length
    quick = 2.0 * sum(((counts_a or Counter(a)) & (counts_b or Counter(b))).values()) / length
    sm = None
    if real_quick >= threshold and quick >= threshold:
        sm = SequenceMatcher(None, a, b, autojunk=False)
        if sm.ratio() >= threshold:
            return True
    if len(a) > len(b):
        return False
    overlap = quick * length / 2
    if overlap / len(a) < threshold:
        return False
    sm = sm or SequenceMatcher(None, a, b, autojunk=False)
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
        self._long: list[tuple[int, list[str], Counter]] = []

    def check(self, word_list: list[str]) -> tuple[str, int]:
        """("duplicate", par_id) for the same words as a kept paragraph, ("near-duplicate", par_id)
        for a near repeat of a kept paragraph of at least ``min_words`` words, else ("", -1)."""
        key = " ".join(word_list)
        if key in self._exact:
            return "duplicate", self._exact[key]
        if len(word_list) >= self.min_words:
            counts = Counter(word_list)
            for prev_id, prev, prev_counts in self._long:
                if near_duplicate(word_list, prev, self.threshold, counts, prev_counts):
                    return "near-duplicate", prev_id
        return "", -1

    def keep(self, par_id: int, word_list: list[str]) -> None:
        """Remember a kept paragraph (the first of several copies stays the original)."""
        self._exact[" ".join(word_list)] = par_id
        if len(word_list) >= self.min_words:
            self._long.append((par_id, word_list, Counter(word_list)))


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
