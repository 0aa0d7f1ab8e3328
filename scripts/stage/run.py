"""Run the analysis stage: map per article (cached), reduce over the corpus, store the tables.

``run_stage(folder)`` returns the same :class:`scripts.corpus.Corpus` as ``load_corpus(folder)``
(tested table by table) and leaves its tables as Parquet in the store; a second call with nothing
changed reads them back without analysing anything. See :mod:`scripts.stage` for the design.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from scripts import corpus as C

from . import analyse as N
from . import articles as A
from . import reduce as R
from .engines import dask_client, map_items, uses_pool
from .store import ANALYSIS_FILES, Store, code_hash, digest, prune

TABLES = ("episodes", "documents", "paragraphs", "sentences", "tokens")
#: the tables of :mod:`.analyse`: mentions (``detect_corpus``: every kind, unresolved roles included),
#: quotes (``find_quotes``), tone (``score_sentences`` with the French lexicon ``analyse.FRENCH_LEXICON``),
#: matches (``diplomatic_matches``)
ANALYSIS_TABLES = ("mentions", "quotes", "tone", "matches")
#: step 2's per-article tables (one chunk file each per run)
SPLIT_TABLES = ("sentences", "tokens", "tone", "matches")


@dataclass
class StageResult:
    """The corpus, where its tables are, and what this run had to do (``read``/``split``: articles
    analysed by step 1/step 2, not taken from the cache; 0 and 0 when the corpus was cached whole;
    ``pruned``: store files deleted at the end, see :func:`scripts.stage.store.prune`). ``tables``: the
    analysis tables, read from the store on first use when the corpus was cached (a page that needs
    only the corpus reads only the corpus tables)."""

    corpus: C.Corpus
    key: str
    store: str
    read: int = 0
    split: int = 0
    cached: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    pruned: int = 0

    @property
    def mentions(self) -> pd.DataFrame:
        """``mentions.detect_corpus(sentences, documents, load_gazetteer())``: pass it as ``detected=``."""
        return self.tables["mentions"]

    @property
    def quotes(self) -> pd.DataFrame:
        """``quotes.find_quotes(sentences, documents, load_gazetteer(), detected=mentions)``."""
        return self.tables["quotes"]

    @property
    def matches(self) -> pd.DataFrame:
        """``diplomatic.diplomatic_matches(sentences, load_diplomatic_lexicon())``."""
        return self.tables["matches"]

    def scored(self, french_lexicon: str = N.FRENCH_LEXICON) -> pd.DataFrame:
        """``tone_scores.score_sentences(sentences, french_lexicon, load_diplomatic_lexicon())``: the stage's
        table for the default French lexicon, scored here for another one."""
        if french_lexicon == N.FRENCH_LEXICON:
            return self.tables["tone"]
        from scripts import diplomatic as D
        from scripts import tone_scores as TS

        return TS.score_sentences(self.corpus.sentences, french_lexicon, D.load_diplomatic_lexicon())


def _file_sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_key(code: str, entry: dict) -> str:
    """Step 1's key: the code and data that analyse, the manifest fields step 1 reads, the file's bytes."""
    return digest("read", code, entry["doc_id"], entry["file"], entry["language_declared"], entry["title"], _file_sha(entry["path"]))


def _read(batch: list[dict], rules: dict) -> tuple[list[A.ReadArticle], pd.DataFrame]:
    return A.read_articles(batch, rules)


#: at most so many articles per task of step 2: it builds one set of tables per task, not per article
#: (pandas' cost per frame, and pickling many small frames, were a third of step 2 at 1,000 articles)
SPLIT_BATCH = 25


def _split(batch: list[tuple], splitters: dict) -> tuple[tuple[pd.DataFrame, ...], frozenset]:
    """Step 2 of a batch of articles, items (step-2 key, doc_id, episode, language, kept paragraphs as
    (par_id, text)): the :data:`SPLIT_TABLES` (sentences, tokens, then tone scores and lexicon matches,
    :mod:`.analyse`) of all of them, articles one after the other, each row with its article's key in
    ``_key``; and the words their sentences write in lower case (``mentions.lower_words``: a corpus-level
    fact of the mentions, gathered here where the sentences are)."""
    from scripts.mentions import lower_words

    key_of = {doc_id: key for key, doc_id, *_ in batch}
    sentences, tokens = A.split_articles([item[1:] for item in batch], splitters)
    out = []
    for table in (sentences, tokens, *N.article_tone(sentences)):
        table["_key"] = pd.array(np.array([key_of[d] for d in table["doc_id"].tolist()], dtype=object), dtype="str")
        out.append(table)
    return tuple(out), lower_words(sentences["text"].tolist())


#: Punkt trains each language in its own process from so many paragraphs on (≈ 1 ms a paragraph: below,
#: forking and pickling the texts and the splitter cost more than they save)
PUNKT_POOL_MIN_PARAGRAPHS = 1000


def _batches(items: list, jobs: int) -> list[list]:
    """``items`` in consecutive batches of at most :data:`SPLIT_BATCH`, at least 4 per worker when there are enough."""
    size = max(1, min(SPLIT_BATCH, -(-len(items) // (4 * max(1, jobs)))))
    return [items[i:i + size] for i in range(0, len(items), size)]


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
    analysis = code_hash(ANALYSIS_FILES)
    docs = manifest.documents[~manifest.documents["skip"]].copy()
    entries = [{k: (None if k == "date" else v) for k, v in row.items()} for row in docs.to_dict("records")]
    keys = {e["doc_id"]: read_key(code, e) for e in entries}
    ckey = corpus_key(code, manifest, entries, keys)
    cdir = f"corpora/{ckey}"
    if st.exists(f"{cdir}/manifest.json"):
        kept = _KEPT.get((st.url, ckey))
        corpus, tables = _shallow(*kept, manifest.folder) if kept else load_tables(st, cdir, manifest.folder)
        _set_root(st, manifest.folder, ckey, lambda: st.read_json(f"{cdir}/manifest.json").get("files", []))
        timings["total"] = time.perf_counter() - t0
        return StageResult(corpus, ckey, st.url, cached=True, timings=timings, tables=tables)
    run = f"runs/{uuid.uuid4().hex}.json"
    started = time.time()
    st.write_json(run, {"started": started, "folder": str(manifest.folder)})
    try:
        return _analyse(st, folder, manifest, entries, keys, ckey, code, analysis, rules, docs,
                        engine, jobs, scheduler, client, t0, started)
    finally:
        st.delete(run)


def _analyse(st: Store, folder, manifest, entries, keys, ckey, code, analysis, rules, docs, engine, jobs, scheduler, client,
             t0: float, started: float) -> StageResult:
    """:func:`run_stage` when the corpus is not in the store: map, reduce, store, then prune."""
    timings: dict[str, float] = {}
    cdir = f"corpora/{ckey}"

    # step 1 (map in batches, cached per article; this run's articles' paragraphs written as one chunk)
    todo = [e for e in entries if not st.exists(f"articles/{keys[e['doc_id']]}.read.json")]
    batches = _batches(todo, jobs)
    if uses_pool(len(batches), engine, jobs):
        N.preload()  # the pool's workers fork from this process: import once here, not once per worker
    done = map_items(partial(_read, rules=rules), batches, engine, jobs, scheduler, client)
    results: dict[str, A.ReadArticle] = {r.doc_id: r for articles, _ in done for r in articles}
    good = [r for articles, _ in done for r in articles if not r.problems]
    read_rows = [t for _, t in done if len(t)]
    fresh_pars = pd.concat(read_rows, ignore_index=True) if read_rows else None
    chunk = digest("chunk", sorted(keys[r.doc_id] for r in good))
    if fresh_pars is not None:
        fresh_pars["_key"] = pd.array(np.array([keys[d] for d in fresh_pars["doc_id"].tolist()], dtype=object), dtype="str")
        st.write_table(f"chunks/{chunk}.read.parquet", fresh_pars)
    for r in good:
        st.write_json(f"articles/{keys[r.doc_id]}.read.json", {"text": r.text, "meta": r.meta, "chunk": chunk})
    saved = {e["doc_id"]: st.read_json(f"articles/{keys[e['doc_id']]}.read.json") for e in entries if e["doc_id"] not in results}
    for d, v in saved.items():
        results[d] = A.ReadArticle(d, text=v["text"], meta=v["meta"])
    problems = [p for e in entries for p in results[e["doc_id"]].problems]
    if problems:
        raise C.CorpusError(problems)
    ordered = [e["doc_id"] for e in entries]
    every_par = _assemble(st, "read", [keys[d] for d in ordered], fresh_pars, {keys[d]: v["chunk"] for d, v in saved.items()})
    if every_par is None:
        every_par = pd.DataFrame([], columns=A.PARAGRAPH_COLUMNS)
    timings["read"] = time.perf_counter() - t0

    # reduce: duplicate documents, Punkt per language
    duplicate_of = R.duplicates({d: results[d].text for d in ordered}, rules)
    paragraphs = R.mark_duplicates(every_par, duplicate_of)
    language_of = {d: results[d].meta["language"] for d in ordered}
    side_by_side = 1 if len(paragraphs) >= PUNKT_POOL_MIN_PARAGRAPHS else None  # the languages on two cores
    splitters, splitter_keys = R.splitters(paragraphs, language_of, st, code,
                                           lambda fn, items: map_items(fn, items, engine, jobs, scheduler, client, per_worker=side_by_side))
    prints = {lang: R.splitter_fingerprint(s) for lang, s in splitters.items()}
    timings["reduce"] = time.perf_counter() - t0 - timings["read"]

    # step 2 (map, cached per article and splitter)
    episode_of = dict(zip(docs["doc_id"], docs["episode"]))
    any_kept = set(paragraphs.loc[paragraphs["kept"], "doc_id"]) if len(paragraphs) else set()
    with_text = [d for d in ordered if d in any_kept]  # (a mask per article was quadratic: minutes at 10,000)
    skeys = {d: digest("split", keys[d], episode_of[d], language_of[d], bool(duplicate_of.get(d)), prints[language_of[d]], analysis)
             for d in with_text}
    todo2 = [d for d in with_text if not st.exists(f"articles/{skeys[d]}.split.json")]
    # each article's kept paragraphs as (par_id, text), taken from the concatenated table in one pass
    # (an article with kept paragraphs is no duplicate; a mask per article was O(articles) each)
    kept_pars: dict[str, list[tuple]] = {}
    if len(paragraphs):
        kept = paragraphs[paragraphs["kept"]]
        for d, par_id, text in zip(kept["doc_id"].tolist(), kept["par_id"].tolist(), kept["text"].tolist()):
            kept_pars.setdefault(d, []).append((par_id, text))
    items = [(skeys[d], d, episode_of[d], language_of[d], kept_pars[d]) for d in todo2]
    batches = _batches(items, jobs)
    if uses_pool(len(batches), engine, jobs):
        N.preload()
    split_done = map_items(partial(_split, splitters=splitters), batches, engine, jobs, scheduler, client)
    # this run's rows of each table, every row keyed by its article (``_key``), articles in order
    parts = {name: [r[i] for r, _ in split_done if len(r[i])] for i, name in enumerate(SPLIT_TABLES)}
    fresh = {name: pd.concat(rows, ignore_index=True) if rows else None for name, rows in parts.items()}
    chunk2 = digest("chunk", sorted(skeys[d] for d in todo2))
    for name, rows in fresh.items():
        if rows is not None:
            st.write_table(f"chunks/{chunk2}.{name}.parquet", rows)
    for d in todo2:
        st.write_json(f"articles/{skeys[d]}.split.json", {"chunk": chunk2})
    done2 = set(todo2)
    where = {skeys[d]: st.read_json(f"articles/{skeys[d]}.split.json")["chunk"] for d in with_text if d not in done2}
    order = [skeys[d] for d in with_text]
    got = {name: _assemble(st, name, order, fresh[name], where) for name in SPLIT_TABLES}
    sentences = got["sentences"] if got["sentences"] is not None else pd.DataFrame([], columns=A.SENTENCE_COLUMNS)
    tokens = got["tokens"] if got["tokens"] is not None else pd.DataFrame([], columns=A.TOKEN_COLUMNS)
    no_tone = N.article_tone(sentences.iloc[:0])  # the tables' columns when no article has a sentence
    tables = {"tone": got["tone"] if got["tone"] is not None else no_tone[0],
              "matches": got["matches"] if got["matches"] is not None else no_tone[1]}
    timings["split"] = time.perf_counter() - t0 - timings["read"] - timings["reduce"]

    meta = {d: results[d].meta for d in ordered}
    documents = R.documents_table(docs, meta, paragraphs, sentences, tokens, duplicate_of, manifest.episodes)
    corpus = C.Corpus(folder=manifest.folder, episodes=manifest.episodes, documents=documents,
                      paragraphs=paragraphs, sentences=sentences, tokens=tokens)
    t1 = time.perf_counter()
    # the words written in lower case: this run's articles' from step 2, the cached articles' found here
    from scripts.mentions import lower_words

    cached_texts = sentences.loc[~sentences["doc_id"].isin(done2), "text"].tolist()
    lower = frozenset().union(*(words for _, words in split_done), lower_words(cached_texts) if cached_texts else ())
    tables["mentions"], tables["quotes"] = N.corpus_mentions(
        sentences, documents, lambda fn, items: map_items(fn, items, engine, jobs, scheduler, client), lower=lower,
        batch=lambda items: _batches(items, jobs))
    timings["mentions"] = time.perf_counter() - t1
    fresh = {r.doc_id for r in good}
    chunk_of_read = {keys[d]: (chunk if d in fresh else saved[d]["chunk"]) for d in ordered}
    chunk_of_split = {**where, **{skeys[d]: chunk2 for d in todo2}}
    files = sorted({*(f"articles/{k}.read.json" for k in chunk_of_read), *(f"chunks/{c}.read.parquet" for c in chunk_of_read.values()),
                    *(f"articles/{k}.split.json" for k in chunk_of_split),
                    *(f"chunks/{c}.{name}.parquet" for c in chunk_of_split.values() for name in SPLIT_TABLES),
                    *(f"splitters/{k}.json" for k in splitter_keys.values()),
                    *(f"{cdir}/{name}.parquet" for name in (*TABLES, *ANALYSIS_TABLES)), f"{cdir}/manifest.json"})
    timings["total"] = time.perf_counter() - t0
    save_tables(st, cdir, corpus, tables, {"code": code, "analysis": analysis, "articles": keys, "split": skeys,
                                           "splitters": prints, "read_analysed": len(todo), "split_analysed": len(todo2),
                                           "timings": timings, "files": files})
    _set_root(st, manifest.folder, ckey, lambda: files)
    pruned = prune(st, started)
    return StageResult(corpus, ckey, st.url, read=len(todo), split=len(todo2), timings=timings, tables=tables, pruned=len(pruned))


def _set_root(st: Store, folder: Path, ckey: str, files: Callable[[], list[str]]) -> None:
    """Name the files the corpus of ``folder`` needs (``roots/``), unless they are named already."""
    rel = f"roots/{digest('root', str(Path(folder).resolve()))}.json"
    if not (st.exists(rel) and st.read_json(rel).get("corpus") == ckey):
        st.write_json(rel, {"folder": str(Path(folder).resolve()), "corpus": ckey, "files": files()})


def _assemble(st: Store, table: str, order: list[str], fresh: pd.DataFrame | None,
              chunk_of: dict[str, str]) -> pd.DataFrame | None:
    """The rows of ``table`` for the article keys ``order``, articles in that order and each one's rows in
    its own order: this run's ``fresh`` rows (with ``_key``; None: none) and the other articles' rows from
    their chunks (each chunk read once, whole, and never split per article: 1,000 small frames cost
    seconds). None: no rows."""
    parts = [fresh] if fresh is not None and len(fresh) else []
    for chunk in dict.fromkeys(chunk_of.values()):
        rel = f"chunks/{chunk}.{table}.parquet"
        if st.exists(rel):
            rows = st.read_table(rel)
            parts.append(rows[rows["_key"].isin({k for k, c in chunk_of.items() if c == chunk})])
    parts = [p for p in parts if len(p)]
    if not parts:
        return None
    out = pd.concat(parts, ignore_index=True)
    pos = {k: i for i, k in enumerate(order)}
    out = out.iloc[np.argsort(out["_key"].map(pos).to_numpy(), kind="stable")]
    return out.drop(columns="_key").reset_index(drop=True)


def _cached(folder: Path | str, store: str | Path | None) -> bool:
    """The corpus tables of ``folder`` are in the store as they stand (nothing to analyse)."""
    manifest = C.load_manifest(folder)
    code = code_hash()
    docs = manifest.documents[~manifest.documents["skip"]]
    entries = [{k: (None if k == "date" else v) for k, v in row.items()} for row in docs.to_dict("records")]
    return Store(store).exists(f"corpora/{corpus_key(code, manifest, entries)}/manifest.json")


def corpus_key(code: str, manifest: C.Manifest, entries: list[dict], keys: dict[str, str] | None = None) -> str:
    """The corpus tables' key: the code (both hashes), the manifest file, every article's step-1 key
    (``keys``, when the caller has them: each reads the article's file)."""
    keys = keys if keys is not None else {e["doc_id"]: read_key(code, e) for e in entries}
    return digest("corpus", code, code_hash(ANALYSIS_FILES), (Path(manifest.folder) / "manifest.yml").read_bytes().hex(), keys)


def save_tables(st: Store, cdir: str, corpus: C.Corpus, tables: dict[str, pd.DataFrame], produced_by: dict) -> None:
    """The corpus tables and :data:`ANALYSIS_TABLES` as Parquet, then ``manifest.json`` (written last:
    its presence means complete)."""
    dtypes = {}
    every = {**{name: getattr(corpus, name) for name in TABLES}, **{name: tables[name] for name in ANALYSIS_TABLES}}
    for name, table in every.items():
        st.write_table(f"{cdir}/{name}.parquet", table)
        dtypes[name] = {c: str(t) for c, t in table.dtypes.items()}
    st.write_json(f"{cdir}/manifest.json", {**produced_by, "dtypes": dtypes, "tables": list(every)})


def load_tables(st: Store, cdir: str, folder: Path) -> tuple[C.Corpus, Mapping[str, pd.DataFrame]]:
    """The corpus tables of a finished stage run, with the dtypes they were written with, and its analysis
    tables, each read when first used (:class:`LazyTables`)."""
    dtypes = st.read_json(f"{cdir}/manifest.json")["dtypes"]

    def read(name: str) -> pd.DataFrame:
        table = st.read_table(f"{cdir}/{name}.parquet")
        return table.astype(dtypes[name]) if len(table.columns) else table

    return C.Corpus(folder=Path(folder), **{n: read(n) for n in TABLES}), LazyTables(ANALYSIS_TABLES, read)


#: tables kept in this process by :func:`keep_tables`: (store URL, corpus key) -> (corpus, analysis tables)
_KEPT: dict[tuple[str, str], tuple[C.Corpus, dict[str, pd.DataFrame]]] = {}


def keep_tables(folder: Path | str, store: str | Path | None = None) -> StageResult:
    """Read the stage's tables for ``folder`` now (every table, the analysis ones included) and keep them
    in this process: :func:`run_stage` here, or in a process forked from here later, then takes them
    from memory when its corpus key is the same, instead of reading the store.

    Why: the build's kernels are forked from one process (:mod:`scripts.build.kernels`), and each read
    the same Parquet tables again, ≈ 2–3 s a notebook at 1,000 articles. The key names the content (code,
    manifest, every article), so kept tables are what the store holds under it. Callers get shallow
    copies (pandas copy-on-write): what one changes stays its own."""
    result = run_stage(folder, store)
    tables = {name: result.tables[name] for name in ANALYSIS_TABLES}
    _KEPT.clear()  # one corpus at a time: a process that builds several books holds only the last
    _KEPT[(result.store, result.key)] = (result.corpus, tables)
    return result


def _shallow(corpus: C.Corpus, tables: Mapping[str, pd.DataFrame], folder: Path) -> tuple[C.Corpus, dict[str, pd.DataFrame]]:
    """New frames over the kept data (copy-on-write), in a corpus of ``folder`` (as :func:`load_tables`)."""
    frames = {n: getattr(corpus, n).copy(deep=False) for n in TABLES}
    return C.Corpus(folder=Path(folder), **frames), {n: t.copy(deep=False) for n, t in tables.items()}


class LazyTables(Mapping):
    """A read-only mapping name -> table that reads each table once, when first asked for."""

    def __init__(self, names: tuple[str, ...], read: Callable[[str], pd.DataFrame]):
        self._names, self._read, self._got = tuple(names), read, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._got:
            self._got[name] = self._read(name)
        return self._got[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
