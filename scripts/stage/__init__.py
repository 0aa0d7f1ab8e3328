"""The analysis stage: analyse every article once, in parallel, and keep the tables as Parquet.

``load_corpus`` used to run once per notebook (seven times a build). The stage runs it once, as a
map over articles and a reduce over the corpus, caches each article's results by content, and
writes the corpus tables to a store the notebooks read (:func:`corpus`).

- map, per article (:mod:`.articles`): reading, normalising, cleaning paragraphs, language, then
  sentences and tokens;
- reduce, per corpus (:mod:`.reduce`): duplicate documents and Punkt training (both compare
  articles), assembling the documents table;
- engines (:mod:`.engines`): this process, a process pool (``jobs``), or Dask (``engine="dask"``);
- store (:mod:`.store`): Parquet under a folder or fsspec URL, every file named by a content key.

- analysis (:mod:`.analyse`): tone scores and lexicon matches per article (in step 2 of the map);
  mentions and quotes in two more maps over the articles, after the reduce has gathered the two
  facts name detection takes from the whole corpus (words written in lower case, provisional people).
  :func:`tables` returns them with the corpus; the actors and tone chapters read them instead of recomputing.
"""
from __future__ import annotations

import os
from pathlib import Path

from scripts.corpus import Corpus

from .run import StageResult, run_stage

#: the build sets this to ``<out>/analysis`` so notebooks read what the build's stage wrote
STORE_VARIABLE = "REPORT_ANALYSIS_STORE"

__all__ = ["STORE_VARIABLE", "StageResult", "corpus", "run_stage", "tables"]


def corpus(folder: Path | str) -> Corpus:
    """The corpus tables of ``folder`` (same as ``scripts.corpus.load_corpus``), from the store named
    by ``$REPORT_ANALYSIS_STORE`` (default ``_build/analysis``), running the stage first if needed."""
    return tables(folder).corpus


def tables(folder: Path | str) -> StageResult:
    """Everything the stage computed for ``folder``: ``.corpus`` (as :func:`corpus`), ``.mentions``,
    ``.quotes``, ``.matches`` and ``.scored(french_lexicon)`` (see :class:`StageResult`), from the same store."""
    return run_stage(folder, store=os.environ.get(STORE_VARIABLE) or None)
