"""Where the analysis stage keeps its tables: a folder (or any fsspec URL) of Parquet files.

Layout under the store root (default ``_build/analysis``; the build uses ``<out>/analysis``)::

    articles/<key>.read.json        step 1 of one article: its text, meta and the chunk holding its paragraphs
    articles/<key>.split.json       step 2 of one article: the chunk holding its sentences, tokens, tone, matches
    chunks/<id>.<table>.parquet     the per-article rows of every article one run analysed, one file per
                                    table and run, a ``_key`` column naming the article's key
    splitters/<key>.json            a Punkt splitter, keyed by the code and its exact training text
    corpora/<key>/<table>.parquet   the corpus tables: episodes, documents, paragraphs, sentences, tokens,
                                    mentions, quotes, tone, matches
    corpora/<key>/manifest.json     what produced them: code hash, manifest hash, article keys, timings,
                                    and ``files``: every store file the corpus needs (for pruning)
    roots/<folder>.json             the files the last run of one corpus folder needs (its corpus's ``files``)
    runs/<id>.json                  a run in progress (its start time): pruning spares what it may be writing

Per-article keys decide what is re-analysed; chunks decide how it is read back: one Parquet file per
table and run instead of one per article (2,000 small files took ~42 s to read at 1,000 articles).

Pruning (:func:`prune`, at the end of every run that analysed something): a file under ``articles/``,
``chunks/``, ``splitters/`` or ``corpora/`` that no root names is deleted, unless it is newer than the start of the
oldest run in progress; a root whose local folder no longer exists is dropped first. So the articles
removed from or edited in a corpus lose their files, while other corpora analysed into the same store
keep theirs. A chunk stays while one article it holds is alive (its stale rows are never read).

Every name is a content key (sha256 of what produced it), so corpora and builds share one store,
two writers of the same key write the same bytes, and a file is written under a temporary name
and renamed into place (a reader never sees half a file).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
from pathlib import Path

import fsspec
import pandas as pd
from fsspec.implementations.local import LocalFileSystem

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ROOT = ROOT / "_build" / "analysis"
#: the modules and data files the stage's results depend on (their bytes are in every key)
CODE_FILES = ("scripts/corpus.py", "scripts/cleaning.py", "scripts/repeats.py", "scripts/sentences.py", "scripts/nltk_regex.py",
              "scripts/episodes.py", "scripts/stage/articles.py", "scripts/stage/reduce.py", "scripts/stage/store.py",
              "scripts/stage/run.py",
              "scripts/data/cleaning.yml", "scripts/data/abbreviations.yml", "scripts/data/sentences.yml", "requirements.txt")
#: what the mentions, quotes and tone tables also depend on (actor detection, reporting verbs, lexicons)
ANALYSIS_FILES = ("scripts/gazetteer.py", "scripts/names.py", "scripts/mentions.py", "scripts/quotes.py", "scripts/tone_scores.py",
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
        #: a local folder is written and checked with ``os`` directly: fsspec's layers cost ~1 ms a small
        #: file, and the stage writes one per article (seconds at 10,000)
        self.local = isinstance(self.fs, LocalFileSystem)
        self._made: set[str] = set()

    def _p(self, rel: str) -> str:
        return f"{self.path.rstrip('/')}/{rel}"

    def exists(self, rel: str) -> bool:
        return os.path.exists(self._p(rel)) if self.local else self.fs.exists(self._p(rel))

    def _write(self, rel: str, data: bytes) -> None:
        target = self._p(rel)
        folder = target.rsplit("/", 1)[0]
        tmp = f"{target}.{uuid.uuid4().hex}.tmp"
        if self.local:
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            try:
                f = open(tmp, "wb")
            except FileNotFoundError:  # the folder was removed since (pruning)
                os.makedirs(folder, exist_ok=True)
                f = open(tmp, "wb")
            with f:
                f.write(data)
            os.replace(tmp, target)
            return
        self.fs.makedirs(folder, exist_ok=True)
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
        with (open(self._p(rel), "rb") if self.local else self.fs.open(self._p(rel), "rb")) as f:
            return json.loads(f.read())

    def delete(self, rel: str) -> None:
        self.fs.rm(self._p(rel))

    def listing(self, folder: str) -> dict[str, float]:
        """Files under ``folder`` (recursively), relative to the root -> modification time (epoch seconds;
        0 when the filesystem does not tell)."""
        base = self.path.rstrip("/") + "/"
        if not self.exists(folder):
            return {}
        out = {}
        for path, info in self.fs.find(self._p(folder), detail=True).items():
            mtime = info.get("mtime") or info.get("LastModified") or info.get("created") or 0
            out[path[len(base):] if path.startswith(base) else path] = mtime.timestamp() if hasattr(mtime, "timestamp") else float(mtime)
        return out


#: a run in progress older than this is taken to have crashed (its files may be pruned)
STALE_RUN_S = 6 * 3600


def prune(store: Store, now: float) -> list[str]:
    """Delete the files no root names (see the module docstring); return them. ``now``: this run's start
    (epoch seconds): files written after the start of the oldest run in progress are spared."""
    import time

    runs = [v for v in (store.read_json(rel) for rel in store.listing("runs")) if time.time() - v["started"] < STALE_RUN_S]
    before = min([now, *(v["started"] for v in runs)])
    live: set[str] = set()
    for rel in store.listing("roots"):
        root = store.read_json(rel)
        if "://" not in root["folder"] and not os.path.isdir(root["folder"]):
            store.delete(rel)  # the corpus folder is gone: its files are no longer needed
            continue
        live.update(root["files"])
    gone = [rel for folder in ("articles", "chunks", "splitters", "corpora") for rel, mtime in store.listing(folder).items()
            if rel not in live and mtime < before]
    for rel in gone:
        store.delete(rel)
    for folder in {rel.rsplit("/", 1)[0] for rel in gone if rel.startswith("corpora/")}:
        if not store.listing(folder):
            store.fs.rm(store._p(folder), recursive=True)  # the emptied folder of a pruned corpus
    return gone
