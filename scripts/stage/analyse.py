"""Mentions, quotes and tone scores in the analysis stage: which part is per article, which needs the corpus.

- **Per article (map)**: tone scores (:func:`scripts.tone_scores.score_sentences`: VADER, cooperation index and
  their counts) and the diplomatic-lexicon matches (:func:`scripts.diplomatic.diplomatic_matches`)
  look at one sentence at a time, so they run in step 2 of each article, cached with its sentences.
  The French lexicon is :data:`FRENCH_LEXICON` (the tone chapter's default); another choice is scored
  by the chapter (:meth:`scripts.stage.run.StageResult.scored`).
- **Mentions and quotes, per article with two corpus-level facts**: person, state and organisation
  mentions (:func:`scripts.mentions.detect_corpus`) need the whole corpus twice: a capitalised word
  is a name candidate only if it is never written in lower case anywhere in the corpus (the union of
  each article's lower-case words, gathered in step 2 of the map), and a provisional person's
  surname alone links to the only provisional person of that surname in the corpus (resolved here,
  in the parent, from every article's candidates). The rest is per article
  (:func:`scripts.mentions.detect_documents`), so it runs on the workers; quotes
  (:func:`scripts.quotes.document_quotes`) attribute speakers from the finished mentions, so they
  are a second map. Both run once per build (not once per chapter), after the sentences are
  assembled, and give the tables of the functions run on the whole corpus (tested).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import pandas as pd

# The analysis modules are imported where they are used: a notebook that only reads the stage's tables
# (``scripts.stage.corpus``) imports this module but must not pay for NLTK and scipy (seconds per kernel).

#: the French sentiment lexicon the stage scores with (the tone chapter's ``french_lexicon`` default)
FRENCH_LEXICON = "vader-fr"


def article_tone(sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tone scores, diplomatic matches) of one article's sentences: the rows of
    ``tone_scores.score_sentences(sentences, FRENCH_LEXICON)`` and ``diplomatic.diplomatic_matches(sentences)``."""
    from scripts import diplomatic as D
    from scripts import tone_scores as TS

    lexicon = D.matching_once(_lexicon())  # both tables match the same sentences: each is matched once
    return TS.score_sentences(sentences, FRENCH_LEXICON, lexicon), D.diplomatic_matches(sentences, lexicon)


def preload() -> None:
    """Import what the map's steps use (NLTK's tokenizers, the tone and mention modules) in this
    process. Why: a local process pool forks from it, so each worker inherits them instead of paying
    the imports again (seconds each), while a notebook that only reads the tables never pays them."""
    import nltk.tokenize.punkt  # noqa: F401 - step 1 (word tokens) and the reduce (Punkt)

    from scripts import diplomatic, mentions, quotes, tone_scores  # noqa: F401 - step 2 (tone), the reduce (mentions)
    from scripts.gazetteer import default_gazetteer

    default_gazetteer()  # the mentions' map reads it in every worker
    diplomatic.matching_once(_lexicon())  # compiles the lexicon (reading actors.yml) once, here, for every worker


@cache
def _lexicon() -> pd.DataFrame:
    """One lexicon per process: its compiled patterns are cached per lexicon object."""
    from scripts import diplomatic as D

    return D.load_diplomatic_lexicon()


def corpus_mentions(sentences: pd.DataFrame, documents: pd.DataFrame, map_fn: Callable[[Callable, list], list] | None = None,
                    lower: frozenset | None = None, batch: Callable[[list], list[list]] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every mention of every kind, ``detect_corpus`` with the gazetteer of ``actors.yml``; quotes and
    speakers, ``find_quotes`` on those mentions), the per-article work run by ``map_fn`` (``map_items``
    of the stage's engine; default: here) on the batches ``batch`` makes (default: one). ``lower``:
    :func:`scripts.mentions.lower_words` of every sentence, when the map already gathered it."""
    from scripts.mentions import document_order, document_records, lower_words, mention_table
    from scripts.quotes import QUOTE_COLUMNS, mentions_by_sentence

    map_fn = map_fn or (lambda fn, items: [fn(x) for x in items])
    batch = batch or (lambda items: [items] if items else [])
    order = document_order(sentences)
    docs = document_records(order, ["doc_id", "episode", "par_id", "sentence_id", "text"])
    lower = lower_words(sentences["text"].tolist()) if lower is None else lower
    dates = dict(zip(documents["doc_id"].tolist(), documents["date"].tolist()))
    found = map_fn(partial(mentions_of, lower=lower), batch([(d, dates[d], sents) for d, sents in docs.items()]))
    detected = mention_table([r for rows, _ in found for r in rows], [c for _, pending in found for c in pending],
                             order["sentence_id"].tolist())
    by_sentence = mentions_by_sentence(detected)
    items = [(sents, {s["sentence_id"]: by_sentence[s["sentence_id"]] for s in sents if s["sentence_id"] in by_sentence})
             for sents in docs.values()]
    quoted = map_fn(quotes_of, batch(items))
    return detected, pd.DataFrame([r for rows in quoted for r in rows], columns=QUOTE_COLUMNS)


def mentions_of(items: list[tuple[str, object, list[dict]]], lower: frozenset) -> tuple[list[dict], list[dict]]:
    """:func:`scripts.mentions.detect_documents` of a batch of articles, items (doc_id, date, sentence dicts)."""
    from scripts.gazetteer import default_gazetteer
    from scripts.mentions import detect_documents

    return detect_documents({d: sents for d, _, sents in items}, {d: date for d, date, _ in items}, lower, default_gazetteer())


def quotes_of(items: list[tuple[list[dict], dict[str, list[dict]]]]) -> list[dict]:
    """:func:`scripts.quotes.document_quotes` rows of a batch of articles, items (sentence dicts, their mentions by sentence)."""
    from scripts.gazetteer import default_gazetteer
    from scripts.quotes import document_quotes

    rules, gz = _quote_rules(), default_gazetteer()
    return [row for sents, by_sentence in items for row in document_quotes(sents, by_sentence, rules, gz)]


@cache
def _quote_rules() -> dict:
    from scripts.quotes import combined_rules

    return combined_rules()


def concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    """Articles' rows in order (articles without rows are left out, so they cannot change a column's
    dtype); ``empty`` when there are none."""
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty
