"""The corpus-level steps of the analysis stage (the reduce): what compares articles.

- **Duplicate documents** (:func:`scripts.repeats.duplicate_documents`): a later copy of an earlier
  article keeps its row but loses its paragraphs. Needs every article's text (from step 1).
- **Punkt training** (:func:`scripts.sentences.train_sentence_splitter`): one splitter per language,
  trained on the kept paragraphs of that language's articles, in manifest order. Step 2 of an
  article therefore depends on the splitter: its cache key holds the splitter's fingerprint
  (:func:`splitter_fingerprint`, by value), so adding an article that changes what Punkt learns re-splits
  the articles of its language (cheap: no cleaning), and one that does not change it re-splits none.
  The fingerprint used to pickle the parameters, whose bytes depend on which strings are the same
  object: every retraining "changed" it and re-split and re-scored the whole language. A trained
  splitter is kept in the store under its exact training text (:func:`splitters`).
- **Assembly**: the tables of ``load_corpus`` (documents with their counts, paragraphs, sentences,
  tokens) concatenated in manifest order.

Everything else (reading, cleaning, language detection, splitting, tokenising) is per article
(:mod:`scripts.stage.articles`).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import pandas as pd

from scripts import corpus as C
from scripts import repeats
from scripts import sentences as S

DOCUMENT_COLUMNS = C.DOCUMENT_COLUMNS  # one definition: the stage returns what load_corpus returns


def duplicates(texts: dict[str, str], rules: dict) -> dict[str, str]:
    """doc_id -> doc_id of the earlier identical document (``texts`` in manifest order)."""
    return repeats.duplicate_documents(texts, float(rules["duplicate_document_threshold"]))


def mark_duplicates(paragraphs: pd.DataFrame, duplicate_of: dict[str, str]) -> pd.DataFrame:
    """``paragraphs`` (every article's, doc_id first, in manifest order), a duplicate document's dropped
    with reason ``duplicate-document`` (in place: one table, not a copy per article)."""
    copies = paragraphs["doc_id"].isin([d for d, original in duplicate_of.items() if original])
    if copies.any():
        paragraphs.loc[copies, "kept"] = False
        paragraphs.loc[copies, "reason"] = "duplicate-document"
    return paragraphs


def splitters(paragraphs: pd.DataFrame, language_of: dict[str, str], store=None, code: str = "",
              map_fn: Callable[[Callable, list], list] | None = None) -> tuple[dict[str, S.SentenceSplitter], dict[str, str]]:
    """One Punkt splitter per language, trained on the kept paragraphs of its articles (and the
    splitters' store keys, ``splitters/<key>.json``).

    Training is the reduce's costliest step (~9 s CPU for 750 articles, linear in text), so with a
    ``store`` a splitter is kept there as JSON under the digest of ``code`` and its exact training text:
    adding an article of one language retrains that language only (:func:`splitter_to_json` round-trips
    every learned parameter, so the fingerprint and every split are the same). ``map_fn`` (``map_items``
    of the stage's engine) trains the languages that must be trained in parallel."""
    texts = {lang: paragraphs.loc[paragraphs["kept"] & paragraphs["doc_id"].isin([d for d, x in language_of.items() if x == lang]), "text"]
             for lang in sorted(set(language_of.values()))}
    keys = {lang: splitter_key(code, lang, t) for lang, t in texts.items()}
    out = {lang: splitter_from_json(store.read_json(f"splitters/{keys[lang]}.json"))
           for lang in texts if store is not None and store.exists(f"splitters/{keys[lang]}.json")}
    todo = [lang for lang in texts if lang not in out]
    trained = (map_fn or (lambda fn, items: [fn(x) for x in items]))(_train, [(list(texts[lang]), lang) for lang in todo])
    for lang, splitter in zip(todo, trained):
        out[lang] = splitter
        if store is not None:
            store.write_json(f"splitters/{keys[lang]}.json", splitter_to_json(splitter))
    return {lang: out[lang] for lang in texts}, keys


def _train(item: tuple[list[str], str]) -> S.SentenceSplitter:
    return S.train_sentence_splitter(*item)


def splitter_key(code: str, language: str, texts) -> str:
    """The store key of a splitter: the code and data hash, the language, and the sha256 of its training text."""
    return hashlib.sha256(json.dumps([code, language, hashlib.sha256("\n\n".join(texts).encode()).hexdigest()]).encode()).hexdigest()


def splitter_to_json(splitter: S.SentenceSplitter) -> dict:
    """Everything a splitter decides with, as JSON (see :func:`splitter_from_json`)."""
    p = splitter.params
    return {"abbrev_types": sorted(p.abbrev_types), "collocations": sorted(p.collocations), "sent_starters": sorted(p.sent_starters),
            "ortho_context": sorted(p.ortho_context.items()), "titles": sorted(splitter.titles),
            "lowercase_continues": splitter.lowercase_continues}


def splitter_from_json(value: dict) -> S.SentenceSplitter:
    from collections import defaultdict

    from nltk.tokenize.punkt import PunktParameters

    params = PunktParameters()
    params.abbrev_types = set(value["abbrev_types"])
    params.collocations = {tuple(c) for c in value["collocations"]}
    params.sent_starters = set(value["sent_starters"])
    params.ortho_context = defaultdict(int, {k: v for k, v in value["ortho_context"]})
    return S.SentenceSplitter(S.punkt_tokenizer(params), frozenset(value["titles"]), value["lowercase_continues"])


def splitter_fingerprint(splitter: S.SentenceSplitter) -> str:
    """sha256 of everything the splitter decides with (Punkt's learned parameters, the titles), by value
    (a pickle of the same values differed with how many string objects they shared)."""
    return hashlib.sha256(json.dumps(splitter_to_json(splitter), ensure_ascii=False).encode()).hexdigest()


documents_table = C.documents_table  # one assembly, shared with load_corpus
