"""The corpus-level steps of the analysis stage (the reduce): what compares articles.

- **Duplicate documents** (:func:`scripts.repeats.duplicate_documents`): a later copy of an earlier
  article keeps its row but loses its paragraphs. Needs every article's text (from step 1).
- **Punkt training** (:func:`scripts.sentences.train_sentence_splitter`): one splitter per language,
  trained on the kept paragraphs of that language's articles, in manifest order. Step 2 of an
  article therefore depends on the splitter: its cache key holds the splitter's fingerprint
  (:func:`splitter_fingerprint`), so adding an article that changes what Punkt learns re-splits the
  articles of its language (cheap: no cleaning), and one that does not change it re-splits none.
- **Assembly**: the tables of ``load_corpus`` (documents with their counts, paragraphs, sentences,
  tokens) concatenated in manifest order.

Everything else (reading, cleaning, language detection, splitting, tokenising) is per article
(:mod:`scripts.stage.articles`).
"""
from __future__ import annotations

import hashlib
import pickle

import pandas as pd

from scripts import corpus as C
from scripts import repeats
from scripts import sentences as S

DOCUMENT_COLUMNS = C.DOCUMENT_COLUMNS  # one definition: the stage returns what load_corpus returns


def duplicates(texts: dict[str, str], rules: dict) -> dict[str, str]:
    """doc_id -> doc_id of the earlier identical document (``texts`` in manifest order)."""
    return repeats.duplicate_documents(texts, float(rules["duplicate_document_threshold"]))


def mark_duplicates(paragraphs: dict[str, pd.DataFrame], duplicate_of: dict[str, str]) -> pd.DataFrame:
    """All paragraphs with doc_id first, in the order of ``paragraphs``; a duplicate document's are
    dropped with reason ``duplicate-document``."""
    frames = []
    for doc_id, pars in paragraphs.items():
        pars = pars.copy()
        if duplicate_of.get(doc_id):
            pars["kept"], pars["reason"] = False, "duplicate-document"
        pars.insert(0, "doc_id", doc_id)
        frames.append(pars)
    return pd.concat(frames, ignore_index=True)


def splitters(paragraphs: pd.DataFrame, language_of: dict[str, str]) -> dict[str, S.SentenceSplitter]:
    """One Punkt splitter per language, trained on the kept paragraphs of its articles."""
    return {lang: S.train_sentence_splitter(
        paragraphs.loc[paragraphs["kept"] & paragraphs["doc_id"].isin([d for d, x in language_of.items() if x == lang]), "text"], lang)
        for lang in sorted(set(language_of.values()))}


def splitter_fingerprint(splitter: S.SentenceSplitter) -> str:
    """sha256 of everything the splitter decides with (Punkt's learned parameters, the titles)."""
    p = splitter.params
    state = (sorted(p.abbrev_types), sorted(p.collocations), sorted(p.sent_starters), sorted(p.ortho_context.items()),
             sorted(splitter.titles), splitter.lowercase_continues)
    return hashlib.sha256(pickle.dumps(state, protocol=4)).hexdigest()


documents_table = C.documents_table  # one assembly, shared with load_corpus
