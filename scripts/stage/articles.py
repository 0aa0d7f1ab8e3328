"""The per-article map of the analysis stage: everything about one article that does not look at
another article.

Two steps, because two things in :func:`scripts.corpus.load_corpus` compare articles (the reduce,
:mod:`scripts.stage.reduce`):

1. :func:`read_articles` (map, on batches of entries): read, normalise, repair glued words, re-join
   wrapped lines, detect the language, split and clean paragraphs, count raw word tokens. Needs only
   the file and its manifest entry, so its result is cached per article; one paragraphs table a batch.
2. :func:`split_articles` (map, after the reduce, on batches): split the kept paragraphs into sentences
   with the language's Punkt splitter (trained on the whole corpus of that language) and tokenise them.

Both call the functions of :mod:`scripts.corpus`, :mod:`scripts.cleaning` and :mod:`scripts.sentences`
in the order ``load_corpus`` does; they return plain data (DataFrames and a dict) so that a process
pool or a Dask worker can send them back.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scripts import cleaning
from scripts import corpus as C
from scripts import sentences as S

SENTENCE_COLUMNS = ["doc_id", "episode", "language", "par_id", "sentence_id", "sent_idx", "position", "text"]
TOKEN_COLUMNS = ["doc_id", "episode", "language", "sentence_id", "tok_idx", "token", "lower", "is_word"]


@dataclass
class ReadArticle:
    """Step 1 of one article. ``problems`` is non-empty when the article cannot be used (then the
    other fields are empty). ``meta``: language, language_detected, language_score, bytes, sha256,
    repairs, tokens_raw. Its paragraphs are rows of the batch's table (:func:`read_articles`)."""

    doc_id: str
    problems: list[str] = field(default_factory=list)
    text: str = ""
    meta: dict = field(default_factory=dict)


#: step 1's paragraphs of a batch: ``Corpus.paragraphs``' columns (doc_id first)
PARAGRAPH_COLUMNS = ["doc_id", *cleaning.PARAGRAPH_COLUMNS]


def read_articles(entries: list[dict], rules: dict) -> tuple[list[ReadArticle], pd.DataFrame]:
    """Step 1 for a batch of manifest entries: each article, and the paragraphs of those without
    problems as one table (:data:`PARAGRAPH_COLUMNS`), articles one after the other (a DataFrame per
    article, and pickling it, cost more than cleaning it)."""
    articles, rows = [], []
    compiled = cleaning.shapes(rules)
    for entry in entries:
        article, pars = _read_rows(entry, rules, compiled)
        articles.append(article)
        rows += [(article.doc_id, *r) for r in pars]
    return articles, pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)


def _read_rows(entry: dict, rules: dict, compiled: cleaning.Shapes | None = None) -> tuple[ReadArticle, list[tuple]]:
    """Step 1 of one entry: the article without its paragraphs, and their rows (``cleaning.paragraph_rows``)."""
    path = Path(entry["path"])
    try:
        raw = C.read_text(path, int(rules["max_file_bytes"]))
    except C.CorpusError as err:
        return ReadArticle(entry["doc_id"], problems=err.problems), []
    normalised = C.normalise(raw)
    text, repairs = C.repair_glued_words(normalised, int(rules["glued_word_min_lower"]))
    text, _joins = cleaning.unwrap_lines(text, rules)
    detected, score = C.detect_language(text)
    language = entry["language_declared"] or detected
    if language not in C.SUPPORTED_LANGUAGES:
        return ReadArticle(entry["doc_id"], problems=[
            f"{entry['file']}: detected language {detected!r} (stop-word share {score:.0%}) is not supported "
            f"({', '.join(C.SUPPORTED_LANGUAGES)}): translate it, set 'language:' if detection is wrong, or mark it 'skip: true'"]), []
    compiled = compiled or cleaning.shapes(rules)
    rows = cleaning.paragraph_rows(cleaning.split_paragraphs(text, rules, compiled), language, entry["title"], rules, compiled)
    meta = {"language": language, "language_detected": detected, "language_score": score,
            "bytes": len(raw.encode("utf-8")), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "repairs": repairs, "tokens_raw": C._n_word_tokens(normalised, language)}
    return ReadArticle(entry["doc_id"], text=text, meta=meta), rows


def split_articles(items: list[tuple[str, str, str, list[tuple[int, str]]]],
                   splitters: dict[str, S.SentenceSplitter]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Step 2 for several articles at once, ``items`` of (doc_id, episode, language, kept paragraphs as
    (par_id, text)): their sentences and tokens (columns of ``Corpus.sentences`` and ``Corpus.tokens``),
    one article after the other, as one sentences and one tokens table (building two frames per article cost more than splitting it)."""
    sent_rows: list[tuple] = []
    tok_rows: list[tuple] = []
    for doc_id, episode, language, kept in items:
        s, t = split_rows(doc_id, episode, language, kept, splitters[language])
        sent_rows += s
        tok_rows += t
    return pd.DataFrame(sent_rows, columns=SENTENCE_COLUMNS), pd.DataFrame(tok_rows, columns=TOKEN_COLUMNS)


def split_rows(doc_id: str, episode: str, language: str, kept: list[tuple[int, str]],
               splitter: S.SentenceSplitter) -> tuple[list[tuple], list[tuple]]:
    """The rows of one article's sentences and tokens tables from its kept paragraphs (par_id, text)."""
    doc_sents = [(par_id, s) for par_id, text in kept for s in S.split_sentences(text, splitter)]
    n = len(doc_sents)
    sent_rows, tok_rows = [], []
    for idx, (par_id, s) in enumerate(doc_sents):
        sid = f"{doc_id}-s{idx:03d}"
        sent_rows.append((doc_id, episode, language, par_id, sid, idx, idx / (n - 1) if n > 1 else 0.0, s))
        for t_idx, tok in enumerate(C.tokenize(s, language)):
            tok_rows.append((doc_id, episode, language, sid, t_idx, tok, tok.lower(), tok.isalpha() or any(c.isalpha() for c in tok)))
    return sent_rows, tok_rows
