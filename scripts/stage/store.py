"""Where the analysis stage keeps its tables: a folder (or any fsspec URL) of Parquet files.

Layout under the store root (default ``_build/analysis``; the build uses ``<out>/analysis``)::

    articles/<key>.read.json        step 1 of one article: its text, meta and the chunk holding its paragraphs
    articles/<key>.split.json       step 2 of one article: the chunk holding its sentences, tokens, tone, matches
    chunks/<id>.<table>.parquet     the per-article rows of every article one run analysed, one file per
                                    table and run, a ``_key`` column naming the article's key
    corpora/<key>/<table>.parquet   the corpus tables: episodes, documents, paragraphs, sentences, tokens,
                                    mentions, quotes, tone, matches
    corpora/<key>/manifest.json     what produced them: code hash, manifest hash, article keys, timings

Per-article keys decide what is re-analysed; chunks decide how it is read back: one Parquet file per
table and run instead of one per article (2,000 small files took ~42 s to read at 1,000 articles).

Every name is a content key (sha256 of what produced it), so corpora and builds share one store,
two writers of the same key write the same bytes, and a file is written under a temporary name
and renamed into place (a reader never sees half a file).
"""
from __future__ import annotations

import hashlib
import io
import json
import uuid
from pathlib import Path

import fsspec
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ROOT = ROOT / "_build" / "analysis"
#: the modules and data files the stage's results depend on (their bytes are in every key)
CODE_FILES = ("scripts/corpus.py", "scripts/cleaning.py", "scripts/repeats.py", "scripts/sentences.py",
              "scripts/episodes.py", "scripts/stage/articles.py", "scripts/stage/reduce.py", "scripts/stage/store.py",
              "scripts/data/cleaning.yml", "scripts/data/abbreviations.yml", "scripts/data/sentences.yml", "requirements.txt")
#: what the mentions, quotes and tone tables also depend on (actor detection, reporting verbs, lexicons)
ANALYSIS_FILES = ("scripts/gazetteer.py", "scripts/names.py", "scripts/mentions.py", "scripts/quotes.py", "scripts/tone.py",
                  "scripts/diplomatic.py", "scripts/negation.py", "scripts/vader.py", "scripts/stage/analyse.py",
                  "scripts/data/actors.yml", "scripts/data/person_names.yml", "scripts/data/reporting_verbs.yml",
                  "scripts/data/diplomatic_lexicon.yml", "scripts/data/tone_fr_fixes.yml")


def digest(*parts) -> str:
    """sha256 of the JSON of ``parts`` (str, numbers, lists, dicts; keys sorted)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def code_hash(files: tuple[str, ...] = CODE_FILES) -> str:
    """One hash over the bytes of ``files`` (:data:`CODE_FILES`): editing any of them re-analyses every article."""
    h = hashlib.sha256()
    for rel in files:
        h.update(rel.encode() + b"\0" + (ROOT / rel).read_bytes() + b"\0")
    return h.hexdigest()


class Store:
    """A folder of Parquet and JSON files at a local path or an fsspec URL (``s3://bucket/analysis``)."""

    def __init__(self, root: str | Path | None = None):
        self.url = str(root or DEFAULT_ROOT)
        self.fs, self.path = fsspec.core.url_to_fs(self.url)

    def _p(self, rel: str) -> str:
        return f"{self.path.rstrip('/')}/{rel}"

    def exists(self, rel: str) -> bool:
        return self.fs.exists(self._p(rel))

    def _write(self, rel: str, data: bytes) -> None:
        target = self._p(rel)
        self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        tmp = f"{target}.{uuid.uuid4().hex}.tmp"
        with self.fs.open(tmp, "wb") as f:
            f.write(data)
        self.fs.mv(tmp, target)

    def write_table(self, rel: str, table: pd.DataFrame) -> None:
        buf = io.BytesIO()
        table.to_parquet(buf, engine="pyarrow")  # a RangeIndex is kept as metadata
        self._write(rel, buf.getvalue())

    def read_table(self, rel: str) -> pd.DataFrame:
        with self.fs.open(self._p(rel), "rb") as f:
            return pd.read_parquet(io.BytesIO(f.read()), engine="pyarrow")

    def write_json(self, rel: str, value) -> None:
        self._write(rel, json.dumps(value, sort_keys=True, indent=1, default=str).encode())

    def read_json(self, rel: str):
        with self.fs.open(self._p(rel), "rb") as f:
            return json.loads(f.read())

    def write_chunk(self, rel: str, frames: dict[str, pd.DataFrame]) -> None:
        """Several articles' rows of one table in one file: ``frames`` (article key -> rows) with a ``_key`` column."""
        parts = [f.assign(_key=k) for k, f in frames.items() if len(f)]
        if parts:
            self.write_table(rel, pd.concat(parts, ignore_index=True))

    def read_chunk(self, rel: str) -> dict[str, pd.DataFrame]:
        """The rows of a chunk by article key (``_key`` dropped, index reset); no file: no rows."""
        if not self.exists(rel):
            return {}
        table = self.read_table(rel)
        key = table.pop("_key")
        return {k: table.iloc[rows].reset_index(drop=True) for k, rows in key.groupby(key, sort=False).indices.items()}
