"""Run the analysis stage: map per article (cached), reduce over the corpus, store the tables.

``run_stage(folder)`` returns the same :class:`scripts.corpus.Corpus` as ``load_corpus(folder)``
(tested table by table) and leaves its tables as Parquet in the store; a second call with nothing
changed reads them back without analysing anything. See :mod:`scripts.stage` for the design.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from scripts import corpus as C

from . import articles as A
from . import reduce as R
from .engines import dask_client, map_items
from .store import Store, code_hash, digest

TABLES = ("episodes", "documents", "paragraphs", "sentences", "tokens")


@dataclass
class StageResult:
    """The corpus, where its tables are, and what this run had to do (``read``/``split``: articles
    analysed by step 1/step 2, not taken from the cache; 0 and 0 when the corpus was cached whole)."""

    corpus: C.Corpus
    key: str
    store: str
    read: int = 0
    split: int = 0
    cached: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def _file_sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_key(code: str, entry: dict) -> str:
    """Step 1's key: the code and data that analyse, the manifest fields step 1 reads, the file's bytes."""
    return digest("read", code, entry["doc_id"], entry["file"], entry["language_declared"], entry["title"], _file_sha(entry["path"]))


def _read(entry: dict, rules: dict) -> A.ReadArticle:
    return A.read_article(entry, rules)


def _split(item: tuple, splitters: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    doc_id, episode, language, pars = item
    return A.split_article(doc_id, episode, language, pars, splitters[language])


def run_stage(folder: Path | str, store: str | Path | None = None, engine: str = "local", jobs: int = 1,
              scheduler: str | None = None, client=None) -> StageResult:
    """Analyse the corpus of ``folder`` (see the module docstring); raise :class:`CorpusError` like
    ``load_corpus`` for bad input. ``engine="dask"``: one client for the whole run (``client``, or
    one for ``scheduler``, or a LocalCluster of ``jobs`` workers), opened only if something must be analysed."""
    if engine == "dask" and client is None:
        if _cached(folder, store):
            return run_stage(folder, store)  # reads the tables back: no cluster needed
        with dask_client(jobs, scheduler) as c:
            return run_stage(folder, store, engine, jobs, None, c)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    st = Store(store)
    manifest = C.load_manifest(folder)
    rules = C.cleaning_rules()
    code = code_hash()
    docs = manifest.documents[~manifest.documents["skip"]].copy()
    entries = [{k: (None if k == "date" else v) for k, v in row.items()} for row in docs.to_dict("records")]
    keys = {e["doc_id"]: read_key(code, e) for e in entries}
    ckey = corpus_key(code, manifest, entries)
    cdir = f"corpora/{ckey}"
    if st.exists(f"{cdir}/manifest.json"):
        corpus = load_tables(st, cdir, manifest.folder)
        timings["total"] = time.perf_counter() - t0
        return StageResult(corpus, ckey, st.url, cached=True, timings=timings)

    # step 1 (map, cached per article)
    todo = [e for e in entries if not st.exists(f"articles/{keys[e['doc_id']]}.read.json")]
    done = map_items(partial(_read, rules=rules), todo, engine, jobs, scheduler, client)
    results: dict[str, A.ReadArticle] = {r.doc_id: r for r in done}
    for r in done:
        if not r.problems:
            st.write_table(f"articles/{keys[r.doc_id]}.read.parquet", r.paragraphs)
            st.write_json(f"articles/{keys[r.doc_id]}.read.json", {"text": r.text, "meta": r.meta})
    for e in entries:
        if e["doc_id"] not in results:
            k = keys[e["doc_id"]]
            saved = st.read_json(f"articles/{k}.read.json")
            results[e["doc_id"]] = A.ReadArticle(e["doc_id"], text=saved["text"], meta=saved["meta"],
                                                 paragraphs=st.read_table(f"articles/{k}.read.parquet"))
    problems = [p for e in entries for p in results[e["doc_id"]].problems]
    if problems:
        raise C.CorpusError(problems)
    timings["read"] = time.perf_counter() - t0

    # reduce: duplicate documents, Punkt per language
    ordered = [e["doc_id"] for e in entries]
    duplicate_of = R.duplicates({d: results[d].text for d in ordered}, rules)
    paragraphs = R.mark_duplicates({d: results[d].paragraphs for d in ordered}, duplicate_of)
    language_of = {d: results[d].meta["language"] for d in ordered}
    splitters = R.splitters(paragraphs, language_of)
    prints = {lang: R.splitter_fingerprint(s) for lang, s in splitters.items()}
    timings["reduce"] = time.perf_counter() - t0 - timings["read"]

    # step 2 (map, cached per article and splitter)
    episode_of = dict(zip(docs["doc_id"], docs["episode"]))
    with_text = [d for d in ordered if paragraphs.loc[paragraphs["doc_id"] == d, "kept"].any()] if len(paragraphs) else []
    kept_by_doc = dict(tuple(paragraphs.groupby("doc_id", sort=False))) if len(paragraphs) else {}
    skeys = {d: digest("split", keys[d], episode_of[d], language_of[d], bool(duplicate_of.get(d)), prints[language_of[d]])
             for d in with_text}
    todo2 = [d for d in with_text if not st.exists(f"articles/{skeys[d]}.tokens.parquet")]
    items = [(d, episode_of[d], language_of[d], kept_by_doc[d].drop(columns="doc_id")) for d in todo2]
    split_done = dict(zip(todo2, map_items(partial(_split, splitters=splitters), items, engine, jobs, scheduler, client)))
    for d, (s, t) in split_done.items():
        st.write_table(f"articles/{skeys[d]}.sentences.parquet", s)
        st.write_table(f"articles/{skeys[d]}.tokens.parquet", t)
    sent_frames, tok_frames = [], []
    for d in with_text:
        s, t = split_done.get(d) or (st.read_table(f"articles/{skeys[d]}.sentences.parquet"),
                                     st.read_table(f"articles/{skeys[d]}.tokens.parquet"))
        if len(s):
            sent_frames.append(s)
            tok_frames.append(t)
    sentences = pd.concat(sent_frames, ignore_index=True) if sent_frames else pd.DataFrame([], columns=A.SENTENCE_COLUMNS)
    tokens = pd.concat(tok_frames, ignore_index=True) if tok_frames else pd.DataFrame([], columns=A.TOKEN_COLUMNS)
    timings["split"] = time.perf_counter() - t0 - timings["read"] - timings["reduce"]

    meta = {d: results[d].meta for d in ordered}
    documents = R.documents_table(docs, meta, paragraphs, sentences, tokens, duplicate_of, manifest.episodes)
    corpus = C.Corpus(folder=manifest.folder, episodes=manifest.episodes, documents=documents,
                      paragraphs=paragraphs, sentences=sentences, tokens=tokens)
    timings["total"] = time.perf_counter() - t0
    save_tables(st, cdir, corpus, {"code": code, "articles": keys, "split": skeys, "splitters": prints,
                                   "read_analysed": len(todo), "split_analysed": len(todo2), "timings": timings})
    return StageResult(corpus, ckey, st.url, read=len(todo), split=len(todo2), timings=timings)


def _cached(folder: Path | str, store: str | Path | None) -> bool:
    """The corpus tables of ``folder`` are in the store as they stand (nothing to analyse)."""
    manifest = C.load_manifest(folder)
    code = code_hash()
    docs = manifest.documents[~manifest.documents["skip"]]
    entries = [{k: (None if k == "date" else v) for k, v in row.items()} for row in docs.to_dict("records")]
    return Store(store).exists(f"corpora/{corpus_key(code, manifest, entries)}/manifest.json")


def corpus_key(code: str, manifest: C.Manifest, entries: list[dict]) -> str:
    """The corpus tables' key: the code, the manifest file, every article's step-1 key."""
    keys = {e["doc_id"]: read_key(code, e) for e in entries}
    return digest("corpus", code, (Path(manifest.folder) / "manifest.yml").read_bytes().hex(), keys)


def save_tables(st: Store, cdir: str, corpus: C.Corpus, produced_by: dict) -> None:
    """The five tables as Parquet, then ``manifest.json`` (written last: its presence means complete)."""
    dtypes = {}
    for name in TABLES:
        table = getattr(corpus, name)
        st.write_table(f"{cdir}/{name}.parquet", table)
        dtypes[name] = {c: str(t) for c, t in table.dtypes.items()}
    st.write_json(f"{cdir}/manifest.json", {**produced_by, "dtypes": dtypes, "tables": list(TABLES)})


def load_tables(st: Store, cdir: str, folder: Path) -> C.Corpus:
    """The corpus tables of a finished stage run, with the dtypes they were written with."""
    dtypes = st.read_json(f"{cdir}/manifest.json")["dtypes"]
    tables = {}
    for name in TABLES:
        table = st.read_table(f"{cdir}/{name}.parquet")
        tables[name] = table.astype(dtypes[name]) if len(table.columns) else table
    return C.Corpus(folder=Path(folder), **tables)
