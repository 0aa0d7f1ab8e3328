"""Corpus loading and cleaning, on hand-made cases and on the bundled seeds."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from scripts import corpus as C

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seeds() -> C.Corpus:
    return C.load_corpus(SEEDS)


# --------------------------------------------------------------------------- normalisation
def test_normalise_bom_crlf_spaces_apostrophes_keep_quotes():
    raw = "\ufeffLe secr\u0065\u0301taire d\u2019\u00c9tat\u00a0:\u202f« oui »\r\nSecond line\r\n"
    out = C.normalise(raw)
    assert out.startswith("Le secrétaire d'État : « oui »")   # NFC é, straight apostrophe, plain spaces
    assert "\r" not in out and "\ufeff" not in out
    assert out.split("\n")[1] == "Second line"
    assert "«" in out and "»" in out                            # quotation marks are kept
    assert C.normalise("“Quoted” and \"straight\"") == "“Quoted” and \"straight\""


def test_repair_glued_words_leaves_abbreviations():
    text, n = C.repair_glued_words('stressed Mike Pompeo.These are things. "Interference is unacceptableMike said')
    assert "Pompeo. These" in text and "unacceptable Mike" in text and n == 2
    same, n0 = C.repair_glued_words("The U.S. and McDonald and iPhone stay.")
    assert same == "The U.S. and McDonald and iPhone stay." and n0 == 0


def test_seed_004_repeats_are_removed(seeds):
    pars = seeds.paragraphs[seeds.paragraphs["doc_id"] == "004"]
    reasons = pars["reason"].value_counts()
    assert reasons.get("duplicate", 0) >= 10 and reasons.get("near-duplicate", 0) >= 10
    kept = pars[pars["kept"]]["text"]
    # the repeated sub-heading appears once among kept paragraphs
    assert (kept == "Incident à Idleb").sum() == 1
    # a paragraph repeated with small wording changes: only its first version is kept
    # ("à 100%" / "absolue", "échappent" / "éludent": the machine translation varies between copies)
    assert kept.str.contains("Je tiens à souligner notre conviction").sum() == 1
    assert kept.str.contains("Dans le cadre de la lutte contre le terrorisme, nous avons discuté").sum() == 1
    # the SEO title line repeated twice is dropped as a repeated title
    assert (pars["reason"] == "repeated-title").sum() == 2


def test_every_seed_loses_its_site_furniture(seeds):
    kept = seeds.paragraphs[seeds.paragraphs["kept"]]["text"].str.lower()
    for junk in ("please enter your comment", "laisser un commentaire", "publicité", "tous droits réservés",
                 "partager cet article", "abonnez-vous", "à découvrir également"):
        assert not kept.str.contains(junk, regex=False).any(), junk


# --------------------------------------------------------------------------- language
@pytest.mark.parametrize("text,lang", [
    ("The Secretary of State met his counterpart and they talked about the war in Syria.", "en"),
    ("Le secrétaire d'État a rencontré son homologue et ils ont parlé de la guerre en Syrie.", "fr"),
    ("Der Außenminister traf seinen Amtskollegen und sie sprachen über den Krieg in Syrien.", "de"),
    ("El secretario de Estado se reunió con su homólogo y hablaron de la guerra en Siria.", "es"),
])
def test_detect_language(text, lang):
    assert C.detect_language(text)[0] == lang


def test_seed_languages_match_manifest(seeds):
    docs = seeds.documents
    assert (docs["language"] == docs["language_detected"]).all()
    assert docs.set_index("doc_id")["language"].to_dict() == {"000": "en", "001": "fr", "002": "fr", "003": "fr", "004": "fr"}


# --------------------------------------------------------------------------- tokens (sentences: tests/test_sentences.py)
def test_tokens_split_elisions_keep_hyphenated_names():
    toks = C.tokenize("L'administration d'Assad qu'il juge; Bachar al-Assad et les États-Unis aujourd'hui.", "fr")
    assert toks[:2] == ["L'", "administration"]
    assert "d'" in toks and "qu'" in toks and "al-Assad" in toks and "États-Unis" in toks and "aujourd'hui" in toks
    en = C.tokenize("Trump's team didn't meet al-Assad in the U.S.", "en")
    assert en[:2] == ["Trump", "'s"] and "n't" in en and "al-Assad" in en and "U.S" in en


def test_tables_have_documented_columns(seeds):
    assert list(seeds.sentences.columns) == ["doc_id", "episode", "language", "par_id", "sentence_id", "sent_idx", "position", "text"]
    assert list(seeds.tokens.columns) == ["doc_id", "episode", "language", "sentence_id", "tok_idx", "token", "lower", "is_word"]
    assert seeds.sentences["sentence_id"].is_unique
    docs = seeds.documents
    assert {"doc_id", "file", "episode", "language", "date", "source", "title", "tokens_raw", "tokens_clean"} <= set(docs.columns)
    assert (docs["tokens_clean"] <= docs["tokens_raw"]).all() and (docs["tokens_clean"] > 0).all()
    # the token table and the document counts agree
    assert seeds.tokens[seeds.tokens["is_word"]].groupby("doc_id").size().to_dict() == docs.set_index("doc_id")["tokens_clean"].to_dict()
    # episodes are ordered by date
    assert seeds.episodes["date"].is_monotonic_increasing and seeds.episodes["order"].tolist() == list(range(len(seeds.episodes)))


# --------------------------------------------------------------------------- manifest validation
def _copy_seeds(tmp_path: Path) -> Path:
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


def _problems(folder: Path) -> list[str]:
    with pytest.raises(C.CorpusError) as err:
        C.load_corpus(folder)
    return err.value.problems


def test_manifest_unknown_episode_missing_file_outside_path(tmp_path):
    folder = _copy_seeds(tmp_path)
    (tmp_path / "outside.txt").write_text("Some English text about the talks.", encoding="utf-8")
    m = (folder / "manifest.yml").read_text(encoding="utf-8")
    m = m.replace("episode: washington-2017", "episode: paris-2030")
    m += "  - {file: nothere.txt, episode: sochi-2019}\n  - {file: ../outside.txt, episode: sochi-2019}\n"
    (folder / "manifest.yml").write_text(m, encoding="utf-8")
    problems = _problems(folder)
    assert len(problems) == 3
    assert any(p.startswith("003_e33353aac1875271.txt: unknown episode 'paris-2030'") and "known:" in p for p in problems)
    assert any(p.startswith("nothere.txt: listed in manifest.yml but missing") for p in problems)
    assert any(p.startswith("../outside.txt: path is outside the seeds folder") for p in problems)
    assert all("\n" not in p for p in problems)


@pytest.mark.parametrize("content,expected", [
    (b"", "empty"),
    (b"   \n\t\n  ", "whitespace only"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
    ("Le secrétaire d'État américain a rencontré son homologue à Moscou.".encode("cp1252"), "not UTF-8 text (looks like"),
])
def test_bad_text_files(tmp_path, content, expected):
    folder = _copy_seeds(tmp_path)
    (folder / "001_9230df16bf87c056.txt").write_bytes(content)
    problems = _problems(folder)
    assert len(problems) == 1 and problems[0].startswith("001_9230df16bf87c056.txt: ") and expected in problems[0]


def test_malformed_yaml_names_line(tmp_path):
    folder = _copy_seeds(tmp_path)
    (folder / "manifest.yml").write_text("episodes:\n  - id: a\n   date: [2017\ndocuments: []\n", encoding="utf-8")
    problems = _problems(folder)
    assert len(problems) == 1 and "manifest.yml" in problems[0] and "malformed YAML" in problems[0] and "line" in problems[0]


def test_language_defaults_to_detection(tmp_path):
    folder = _copy_seeds(tmp_path)
    m = (folder / "manifest.yml").read_text(encoding="utf-8").replace("    language: fr\n", "")
    (folder / "manifest.yml").write_text(m, encoding="utf-8")
    docs = C.load_corpus(folder).documents
    assert (docs["language_declared"] == "").sum() == 4
    assert docs.set_index("doc_id").loc[["001", "002", "003", "004"], "language"].eq("fr").all()


# --------------------------------------------------------------------------- summaries for the pages
def _episodes(*dates: str) -> pd.DataFrame:
    return pd.DataFrame({"episode": [f"e{i}" for i in range(len(dates))], "label": [f"Ep {i}" for i in range(len(dates))],
                         "date": pd.to_datetime(list(dates)), "order": range(len(dates))})


def _documents(rows: list[tuple]) -> pd.DataFrame:
    """rows: (doc_id, episode, language, tokens_clean, source)."""
    return pd.DataFrame(rows, columns=["doc_id", "episode", "language", "tokens_clean", "source"]).assign(note="")


def test_is_translated_reads_source_and_note():
    docs = _documents([("a", "e0", "en", 300, "English machine translation of X"), ("b", "e0", "fr", 100, "Le Monde"),
                       ("c", "e0", "fr", 100, "TRADUCTION automatique")])
    assert C.is_translated(docs).tolist() == [True, False, True]
    assert C.is_translated(docs.assign(note=["", "traduit du russe", ""])).tolist() == [True, True, True]
    assert C.is_translated(docs.drop(columns="note")).tolist() == [True, False, True]  # note is optional


def test_episode_balance_in_date_order():
    eps = _episodes("2017-04-12", "2017-05-10", "2019-05-14")
    docs = _documents([("c", "e2", "en", 80, "translation"), ("a", "e0", "fr", 750, "x"), ("d", "e2", "fr", 20, "x")])
    bal = C.episode_balance(docs, eps)
    assert bal["episode"].tolist() == ["e0", "e1", "e2"] and bal["articles"].tolist() == [1, 0, 2]
    assert bal["languages"].tolist() == [("fr",), (), ("en", "fr")]
    assert bal["largest_doc"].tolist() == ["a", "", "c"] and bal["words"].tolist() == [750, 0, 100]
    assert bal["largest_share"].tolist() == pytest.approx([1.0, 0.0, 0.8])
    assert bal["translated_share"].tolist() == pytest.approx([0.0, 0.0, 0.8])


def test_documents_per_episode_and_word_shares(seeds):
    per = C.documents_per_episode(seeds.documents, seeds.episodes)
    assert per["documents"].sum() == len(seeds.documents) and per["words"].sum() == seeds.documents["tokens_clean"].sum()
    assert per["share"].sum() == pytest.approx(1.0)
    order = dict(zip(seeds.episodes["episode"], seeds.episodes["order"]))
    assert per["episode"].map(order).is_monotonic_increasing
    shares = C.word_shares(seeds.documents)
    assert shares.index.tolist() == ["en", "fr"] and shares.sum() == pytest.approx(1.0)
    assert C.word_shares(seeds.documents.assign(tokens_clean=0)).eq(0).all()


def test_dropped_counts_match_the_paragraphs(seeds):
    counts = C.dropped_counts(seeds).set_index("doc_id")
    assert counts.index.tolist() == seeds.documents["doc_id"].tolist()
    dropped = ~seeds.paragraphs["kept"]
    assert counts["total"].to_dict() == dropped.groupby(seeds.paragraphs["doc_id"]).sum().to_dict()
    kinds = set(seeds.paragraphs.loc[dropped, "reason"].str.replace(r":.*", "", regex=True))
    assert set(counts.columns) == kinds | {"total"}


def test_dropped_counts_of_a_clean_corpus_are_zero(seeds):
    clean = C.Corpus(folder=seeds.folder, episodes=seeds.episodes, documents=seeds.documents,
                     paragraphs=seeds.paragraphs.assign(kept=True, reason=""), sentences=seeds.sentences, tokens=seeds.tokens)
    counts = C.dropped_counts(clean)
    assert list(counts.columns) == ["doc_id", "total"] and counts["total"].eq(0).all()


def test_read_manifest_is_lenient_about_empty_lists_and_strict_about_shape(tmp_path):
    (tmp_path / "manifest.yml").write_text("# nothing yet\nepisodes:\ndocuments: []\n", encoding="utf-8")
    assert C.read_manifest(tmp_path) == {"episodes": [], "documents": []}
    (tmp_path / "manifest.yml").write_text("", encoding="utf-8")
    assert C.read_manifest(tmp_path) == {"episodes": [], "documents": []}
    (tmp_path / "manifest.yml").write_text("episodes: {a: 1}\ndocuments: []\n", encoding="utf-8")
    with pytest.raises(C.CorpusError, match="needs an 'episodes' list"):
        C.read_manifest(tmp_path)
    with pytest.raises(C.CorpusError, match="missing: do this"):
        C.read_manifest(tmp_path / "nowhere", missing="do this")
    (tmp_path / "manifest.yml").write_bytes("episodes: []\ndocuments: [] # é\n".encode("latin-1"))
    with pytest.raises(C.CorpusError, match="not UTF-8"):
        C.read_manifest(tmp_path)
