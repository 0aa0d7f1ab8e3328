"""The analysis stage (scripts/stage): same tables as load_corpus, per-article cache, process pool
and Dask engine giving identical tables."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scripts import corpus as C
from scripts import diplomatic as D
from scripts import tone_scores as TS
from scripts.gazetteer import load_gazetteer
from scripts.mentions import detect_corpus
from scripts.quotes import find_quotes
from scripts.stage import corpus as stage_corpus
from scripts.stage import run_stage
from scripts.stage import tables as stage_tables
from scripts.stage.run import ANALYSIS_TABLES, TABLES

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
sys.path.insert(0, str(ROOT / "tools"))


def assert_same(a: C.Corpus, b: C.Corpus) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True, obj=name)


def direct_tables(corpus: C.Corpus) -> dict[str, pd.DataFrame]:
    """The analysis tables as the chapters computed them before the stage did, on the whole corpus."""
    gz, lexicon = load_gazetteer(), D.load_diplomatic_lexicon()
    detected = detect_corpus(corpus.sentences, corpus.documents, gz)
    return {"mentions": detected, "quotes": find_quotes(corpus.sentences, corpus.documents, gz, detected=detected),
            "tone": TS.score_sentences(corpus.sentences, "vader-fr", lexicon),
            "matches": D.diplomatic_matches(corpus.sentences, lexicon)}


def assert_same_tables(expected: dict[str, pd.DataFrame], result) -> None:
    assert sorted(result.tables) == sorted(ANALYSIS_TABLES)
    for name in ANALYSIS_TABLES:
        pd.testing.assert_frame_equal(expected[name], result.tables[name], check_exact=True, obj=name)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A 12-article synthetic corpus (both languages, junk and repeated paragraphs) plus an exact copy
    of one article, so the duplicate-document reduce has something to find."""
    from synth_corpus import write_corpus

    folder = tmp_path_factory.mktemp("synth")
    write_corpus(folder, 12, seed=3)
    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    shutil.copy(folder / "a00001_fr.txt", folder / "a00099_fr.txt")
    manifest["documents"].append({**manifest["documents"][1], "file": "a00099_fr.txt", "title": "A copy"})
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_stage_tables_equal_load_corpus(any_corpus, tmp_path):
    name, reference = any_corpus
    first = run_stage(reference.folder, store=tmp_path)
    assert (first.read, first.split, first.cached) == (len(reference.documents), (reference.documents["sentences"] > 0).sum(), False)
    assert_same(reference, first.corpus)
    expected = direct_tables(reference)
    assert all(len(expected[t]) for t in ("mentions", "tone", "matches"))
    assert_same_tables(expected, first)
    again = run_stage(reference.folder, store=tmp_path)  # read back from Parquet, nothing analysed
    assert (again.read, again.split, again.cached) == (0, 0, True)
    assert_same(reference, again.corpus)
    assert_same_tables(expected, again)
    produced = sorted(p.name for p in (tmp_path / "corpora" / first.key).iterdir())
    assert produced == sorted([*(f"{t}.parquet" for t in (*TABLES, *ANALYSIS_TABLES)), "manifest.json"])
    # one Parquet file per table and run for the per-article rows, not one per article
    assert len(list((tmp_path / "chunks").iterdir())) <= 5


def test_other_french_lexicon_is_scored_on_request(tmp_path):
    result = run_stage(TINY, store=tmp_path)
    lexicon = D.load_diplomatic_lexicon()
    assert result.scored() is result.tables["tone"]
    pd.testing.assert_frame_equal(result.scored("textblob-fr"), TS.score_sentences(result.corpus.sentences, "textblob-fr", lexicon),
                                  check_exact=True)


def test_synthetic_with_duplicate_equals_load_corpus(synthetic, tmp_path):
    reference = C.load_corpus(synthetic)
    assert (reference.documents["duplicate_of"] != "").sum() == 1
    result = run_stage(synthetic, store=tmp_path)
    assert_same(reference, result.corpus)
    assert_same_tables(direct_tables(reference), result)


def test_notebooks_read_the_store_named_by_the_build(monkeypatch, tmp_path):
    monkeypatch.setenv("REPORT_ANALYSIS_STORE", str(tmp_path))
    assert_same(C.load_corpus(TINY), stage_corpus(TINY))
    assert list((tmp_path / "corpora").iterdir())
    assert stage_tables(TINY).cached


def test_adding_or_editing_one_article_reanalyses_only_it(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(TINY, folder)
    store = tmp_path / "store"
    n = len(run_stage(folder, store=store).corpus.documents)

    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    first = manifest["documents"][0]
    text = (folder / first["file"]).read_text(encoding="utf-8")
    (folder / "added.txt").write_text(text.replace("\n\n", "\n\nA new paragraph about talks was added here today.\n\n", 1),
                                      encoding="utf-8")
    manifest["documents"].append({**first, "file": "added.txt", "id": "added", "title": "Added"})
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    added = run_stage(folder, store=store)
    assert added.read == 1  # step 1 (reading, cleaning) ran for the new article only
    assert len(added.corpus.documents) == n + 1
    reference = C.load_corpus(folder)
    assert_same(reference, added.corpus)  # the other articles' rows read back from the first run's chunks
    assert_same_tables(direct_tables(reference), added)

    path = folder / manifest["documents"][1]["file"]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more closing sentence was edited in.\n", encoding="utf-8")
    edited = run_stage(folder, store=store)
    assert edited.read == 1 and not edited.cached
    reference = C.load_corpus(folder)
    assert_same(reference, edited.corpus)
    assert_same_tables(direct_tables(reference), edited)


def test_bad_article_raises_like_load_corpus(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(TINY, folder)
    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    (folder / manifest["documents"][0]["file"]).write_bytes(b"")
    with pytest.raises(C.CorpusError) as expected:
        C.load_corpus(folder)
    with pytest.raises(C.CorpusError) as got:
        run_stage(folder, store=tmp_path / "store")
    assert got.value.problems == expected.value.problems


def test_process_pool_equals_one_process(synthetic, tmp_path, monkeypatch):
    from scripts.stage import engines, run

    one = run_stage(synthetic, store=tmp_path / "one", jobs=1)
    # every map on the pool (13 articles are too few for it otherwise): step 1, Punkt, step 2, mentions, quotes
    monkeypatch.setattr(engines, "MIN_ITEMS_PER_WORKER", 1)
    monkeypatch.setattr(run, "PUNKT_POOL_MIN_PARAGRAPHS", 0)
    pooled: list[int] = []
    original = engines.ProcessPoolExecutor.map

    def counted(self, fn, items, **kw):
        pooled.append(len(items))
        return original(self, fn, items, **kw)

    monkeypatch.setattr(engines.ProcessPoolExecutor, "map", counted)
    two = run_stage(synthetic, store=tmp_path / "two", jobs=2)
    assert len(pooled) == 5
    assert two.read == len(two.corpus.documents)
    assert_same(one.corpus, two.corpus)
    assert_same_tables(one.tables, two)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.mark.parametrize("which", ["tiny", "synthetic"])
def test_dask_engine_equals_local(which, synthetic, dask_client, tmp_path):
    folder = TINY if which == "tiny" else synthetic
    local = run_stage(folder, store=tmp_path / "local")
    on_dask = run_stage(folder, store=tmp_path / "dask", engine="dask", client=dask_client)
    assert on_dask.read == len(on_dask.corpus.documents)
    assert_same(local.corpus, on_dask.corpus)
    assert_same_tables(local.tables, on_dask)


def test_dask_engine_through_a_scheduler_address(dask_client, tmp_path):
    address = dask_client.scheduler.address  # what --scheduler passes
    on_dask = run_stage(TINY, store=tmp_path, engine="dask", scheduler=address)
    assert on_dask.read == 3
    assert_same(C.load_corpus(TINY), on_dask.corpus)
    assert run_stage(TINY, store=tmp_path, engine="dask", scheduler=address).cached


def _files(store: Path) -> set[str]:
    return {p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file()
            and p.relative_to(store).parts[0] in ("articles", "chunks", "corpora")}


def test_store_is_pruned_of_removed_and_edited_articles(tmp_path):
    """After a run, the store holds what the corpora it serves need: an edited and a removed article
    lose their files, another corpus in the same store keeps its own, a deleted corpus folder's go."""
    store = tmp_path / "store"
    folder, other = tmp_path / "seeds", tmp_path / "other"
    shutil.copytree(TINY, folder)
    shutil.copytree(TINY, other)
    (other / "manifest.yml").write_text((other / "manifest.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    kept_other = run_stage(other, store=store)
    other_files = _files(store)
    first = run_stage(folder, store=store)
    assert first.pruned == 0 and other_files < _files(store)

    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    removed = manifest["documents"].pop()
    (folder / removed["file"]).unlink()
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = folder / manifest["documents"][0]["file"]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more closing sentence was edited in.\n", encoding="utf-8")
    before = _files(store)
    again = run_stage(folder, store=store)
    after = _files(store)
    assert again.pruned == len(before - after) > 0
    assert not any(f.startswith(f"corpora/{first.key}") for f in after)  # the old corpus tables went
    assert other_files <= after  # the other corpus keeps everything it needs
    assert_same(C.load_corpus(folder), run_stage(folder, store=store).corpus)
    assert run_stage(other, store=store).cached and run_stage(folder, store=store).cached
    # nothing left that neither corpus names: a run from an empty store writes the same files
    fresh = tmp_path / "fresh"
    run_stage(other, store=fresh)
    run_stage(folder, store=fresh)
    assert len(after) == len(_files(fresh))

    shutil.rmtree(other)  # its folder is gone: the next run that prunes drops its files
    path.write_text(path.read_text(encoding="utf-8") + "\nAnd a second edit.\n", encoding="utf-8")
    run_stage(folder, store=store)
    assert not any(f.startswith(f"corpora/{kept_other.key}") for f in _files(store))
    assert _files(store) <= set(_root_files(store))


def _root_files(store: Path) -> list[str]:
    import json
    return [f for p in (store / "roots").iterdir() for f in json.loads(p.read_text())["files"]]


def test_cached_corpus_reads_only_the_tables_asked_for(tmp_path, monkeypatch):
    from scripts.stage import store as S
    run_stage(TINY, store=tmp_path)
    read: list[str] = []
    original = S.Store.read_table
    monkeypatch.setattr(S.Store, "read_table", lambda self, rel: read.append(rel.rsplit("/", 1)[-1]) or original(self, rel))
    result = run_stage(TINY, store=tmp_path)
    assert result.cached and sorted(read) == sorted(f"{t}.parquet" for t in TABLES)  # a corpus page reads no more
    assert sorted(result.tables) == sorted(ANALYSIS_TABLES)
    assert result.tables["quotes"] is result.tables["quotes"] and read[-1] == "quotes.parquet"
    assert len(read) == len(TABLES) + 1


def test_splitter_round_trips_through_the_store(tmp_path):
    """A stored splitter splits like the trained one (same fingerprint, same sentences), and a corpus whose
    language's training text is unchanged reuses it instead of retraining."""
    from scripts import sentences as S
    from scripts.stage import reduce as R
    from scripts.stage.store import Store

    corp = C.load_corpus(TINY)
    language_of = dict(zip(corp.documents["doc_id"], corp.documents["language"]))
    trained, keys = R.splitters(corp.paragraphs, language_of, Store(tmp_path), "code")
    assert sorted(p.name for p in (tmp_path / "splitters").iterdir()) == sorted(f"{k}.json" for k in keys.values())
    calls: list = []
    again, same_keys = R.splitters(corp.paragraphs, language_of, Store(tmp_path), "code", lambda fn, items: calls.extend(items) or [])
    assert calls == [] and same_keys == keys  # nothing retrained
    for lang, splitter in trained.items():
        assert R.splitter_fingerprint(again[lang]) == R.splitter_fingerprint(splitter)
        for text in corp.paragraphs["text"]:
            assert S.split_sentences(text, again[lang]) == S.split_sentences(text, splitter)


def test_kept_tables_are_what_the_store_holds_and_each_caller_gets_its_own(tmp_path, monkeypatch):
    """:func:`keep_tables` (the build's zygote keeps them for its kernels): a later run_stage of the same
    corpus reads nothing from the store, returns the same tables, and a change one caller makes to its
    frames is not seen by the next."""
    from scripts.stage import run as R
    from scripts.stage.store import Store

    monkeypatch.setattr(R, "_KEPT", {})
    store = tmp_path / "store"
    run_stage(TINY, store=store)
    fresh = run_stage(TINY, store=store)  # read back from the store
    fresh_tables = {name: fresh.tables[name] for name in ANALYSIS_TABLES}
    R.keep_tables(TINY, store)
    monkeypatch.setattr(Store, "read_table", lambda *a, **k: pytest.fail("read the store"))
    again = run_stage(TINY, store=store)
    assert again.cached and again.key == fresh.key
    assert_same(again.corpus, fresh.corpus)
    for name in ANALYSIS_TABLES:
        pd.testing.assert_frame_equal(again.tables[name], fresh_tables[name])
    token = again.corpus.tokens.loc[0, "token"]
    again.corpus.tokens.loc[0, "token"] = "changed"
    again.tables["tone"]["extra"] = 1
    later = run_stage(TINY, store=store)
    assert later.corpus.tokens.loc[0, "token"] == token and "extra" not in later.tables["tone"]


def test_a_corpus_that_changed_since_its_tables_were_kept_is_read_from_the_store(tmp_path, monkeypatch):
    from scripts.stage import run as R

    monkeypatch.setattr(R, "_KEPT", {})
    folder, store = tmp_path / "corpus", tmp_path / "store"
    shutil.copytree(TINY, folder)
    kept = R.keep_tables(folder, store)
    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    manifest["documents"] = manifest["documents"][:-1]
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = run_stage(folder, store=store)
    assert changed.key != kept.key and len(changed.corpus.documents) == len(kept.corpus.documents) - 1
