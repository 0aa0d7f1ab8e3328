"""Mentions, quotes and tone scores in the analysis stage: which part is per article, which needs the corpus.

- **Per article (map)**: tone scores (:func:`scripts.tone.score_sentences`: VADER, cooperation index and
  their counts) and the diplomatic-lexicon matches (:func:`scripts.diplomatic.diplomatic_matches`)
  look at one sentence at a time, so they run in step 2 of each article, cached with its sentences.
  The French lexicon is :data:`FRENCH_LEXICON` (the tone chapter's default); another choice is scored
  by the chapter (:meth:`scripts.stage.run.StageResult.scored`).
- **Per corpus (reduce)**: person, state and organisation mentions (:func:`scripts.mentions.detect_corpus`)
  need the whole corpus: a capitalised word is a name candidate only if it is never written in lower
  case anywhere in the corpus, and a provisional person's surname alone links to the only provisional
  person of that surname in the corpus. Quotes (:func:`scripts.quotes.find_quotes`) are found per
  article but attribute speakers from those mentions, so they run in the reduce too. Both run once
  per build (not once per chapter), after the sentences are assembled.
"""
from __future__ import annotations

from functools import cache

import pandas as pd

# The analysis modules are imported where they are used: a notebook that only reads the stage's tables
# (``scripts.stage.corpus``) imports this module but must not pay for NLTK and scipy (seconds per kernel).

#: the French sentiment lexicon the stage scores with (the tone chapter's ``french_lexicon`` default)
FRENCH_LEXICON = "vader-fr"


def article_tone(sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tone scores, diplomatic matches) of one article's sentences: the rows of
    ``tone.score_sentences(sentences, FRENCH_LEXICON)`` and ``diplomatic.diplomatic_matches(sentences)``."""
    from scripts import diplomatic as D
    from scripts import tone as T

    lexicon = D.matching_once(_lexicon())  # both tables match the same sentences: each is matched once
    return T.score_sentences(sentences, FRENCH_LEXICON, lexicon), D.diplomatic_matches(sentences, lexicon)


def preload() -> None:
    """Import what the map's steps use (NLTK's tokenizers, the tone and mention modules) in this
    process. Why: a local process pool forks from it, so each worker inherits them instead of paying
    the imports again (seconds each), while a notebook that only reads the tables never pays them."""
    import nltk.tokenize.punkt  # noqa: F401 - step 1 (word tokens) and the reduce (Punkt)

    from scripts import diplomatic, mentions, quotes, tone  # noqa: F401 - step 2 (tone), the reduce (mentions)


@cache
def _lexicon() -> pd.DataFrame:
    """One lexicon per process: its compiled patterns are cached per lexicon object."""
    from scripts import diplomatic as D

    return D.load_diplomatic_lexicon()


def corpus_mentions(sentences: pd.DataFrame, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every mention of every kind, ``detect_corpus`` with the gazetteer of ``actors.yml``; quotes and
    speakers, ``find_quotes`` on those mentions)."""
    from scripts.gazetteer import load_gazetteer
    from scripts.mentions import detect_corpus
    from scripts.quotes import find_quotes

    gz = load_gazetteer()
    detected = detect_corpus(sentences, documents, gz)
    return detected, find_quotes(sentences, documents, gz, detected=detected)


def concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    """Articles' rows in order (articles without rows are left out, so they cannot change a column's
    dtype); ``empty`` when there are none."""
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty
