"""Validation on the user's own corpus (scripts/validation_sample.py): the stratified sample, the
coded sheet read back, and alignment by sentence hash."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scripts import tone as T
from scripts import validation_sample as VS


# --------------------------------------------------------------------------- allocation
def test_allocate_gives_every_stratum_its_minimum_and_the_rest_proportionally():
    sizes = pd.Series({"a": 100, "b": 30, "c": 3, "d": 10})
    out = VS.allocate(sizes, 40, 5)
    assert out.sum() == 40
    assert out["c"] == 3                      # all a small stratum has
    assert out["d"] >= 5 and out["b"] >= 5    # at least the minimum
    assert out["a"] > out["b"] > out["d"]     # the rest follows the sizes
    assert (out <= sizes).all()


def test_allocate_edge_cases():
    sizes = pd.Series({"a": 10, "b": 4, "c": 2})
    assert VS.allocate(sizes, 50, 5).tolist() == [10, 4, 2]          # fewer sentences than asked: all of them
    tight = VS.allocate(sizes, 5, 5)                                  # too few to give each its minimum
    assert tight.sum() == 5 and (tight >= 1).all() and tight["a"] >= tight["c"]


# --------------------------------------------------------------------------- drawing
def test_draw_sample_on_every_corpus(any_corpus):
    name, corp = any_corpus
    sample = VS.draw_sample(corp.sentences, corp.episodes, n=20, seed=3, min_per_stratum=2)
    assert list(sample.columns) == [c for c in VS.SHEET_COLUMNS if c not in ("label", "note")]
    eligible = VS.eligible(corp.sentences)
    assert len(sample) == min(20, len(eligible))
    assert set(sample["sentence_id"]) <= set(eligible["sentence_id"]) and sample["sentence_id"].is_unique
    strata = eligible.groupby(["episode", "language"]).size()
    drawn = sample.groupby(["episode", "language"]).size().reindex(strata.index, fill_value=0)
    assert (drawn >= strata.clip(upper=2)).all()                      # every stratum is represented
    assert sample["sentence_hash"].tolist() == [VS.sentence_hash(t) for t in sample["text"]]
    # same seed, same sample; another seed, another one (when there is a choice)
    again = VS.draw_sample(corp.sentences, corp.episodes, n=20, seed=3, min_per_stratum=2)
    assert again.equals(sample)
    if len(eligible) > 25:
        assert not VS.draw_sample(corp.sentences, corp.episodes, n=20, seed=4, min_per_stratum=2).equals(sample)


def test_short_sentences_are_not_drawn():
    sents = pd.DataFrame({"doc_id": "a", "episode": "e", "language": "en", "sentence_id": ["a-s000", "a-s001"], "sent_idx": [0, 1],
                          "text": ["Heading only", "The ministers met for three hours on Friday."]})
    eps = pd.DataFrame({"episode": ["e"], "date": [pd.Timestamp("2021-01-01")], "order": [0]})
    assert VS.draw_sample(sents, eps, n=5)["sentence_id"].tolist() == ["a-s001"]


# --------------------------------------------------------------------------- reading a coded sheet
def test_read_coded_keeps_coded_rows_and_checks_labels(tmp_path):
    sheet = tmp_path / "sheet.csv"
    rows = pd.DataFrame({"sentence_id": ["a-s000", "a-s001", "a-s002", "a-s003"], "doc_id": "a", "episode": "e", "language": "en",
                         "sentence_hash": "", "text": ["One.", "Two.", "Three.", "Four."], "label": ["1", "", "\u22121", "+1"],
                         "note": ["", "not sure", "", ""]})
    rows.to_csv(sheet, index=False)
    coded = VS.read_coded(sheet)
    assert coded["sentence_id"].tolist() == ["a-s000", "a-s002", "a-s003"] and coded["label"].tolist() == [1, -1, 1]
    rows.assign(label=["1", "2", "", ""]).to_csv(sheet, index=False)
    with pytest.raises(ValueError, match=r"labels must be -1, 0 or 1.*a-s001"):
        VS.read_coded(sheet)
    rows.drop(columns="label").to_csv(sheet, index=False)
    with pytest.raises(ValueError, match="missing column"):
        VS.read_coded(sheet)


def test_the_bundled_annotations_read_and_align_to_themselves(any_corpus):
    name, corp = any_corpus
    coded = VS.read_coded(T.ANNOTATIONS_FILE)
    assert coded["label"].tolist() == T.load_annotations()["label"].tolist()
    aligned = VS.align(coded, corp.sentences)
    if name == "seeds":
        assert aligned["aligned"].all() and aligned["sentence_id"].tolist() == coded["sentence_id"].tolist()
    else:  # another corpus: nothing of the bundled sample is found, and check_annotations says so
        assert not aligned["aligned"].any()
        assert len(T.check_annotations(aligned, corp.sentences)) == len(coded)


# --------------------------------------------------------------------------- alignment by hash
def _sentences(texts: list[str], doc: str = "a") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": doc, "sentence_id": [f"{doc}-s{i:03d}" for i in range(len(texts))], "text": texts})


def test_align_follows_a_sentence_to_its_new_number_and_reports_a_changed_one():
    before = _sentences(["Title line", "Ministers met on Friday.", "They agreed. On a date.", "Talks will resume."])
    coded = before.iloc[[1, 2, 3]].assign(label=[1, 0, -1])
    # a new sentence before them, and the third one split in two
    after = _sentences(["Title line", "Menu line kept", "Ministers met on Friday.", "They agreed.", "On a date.", "Talks will resume."])
    out = VS.align(coded, after)
    assert out["aligned"].tolist() == [True, False, True]
    assert out.loc[out["aligned"], "sentence_id"].tolist() == ["a-s002", "a-s005"]
    assert out.loc[~out["aligned"], "sentence_id"].tolist() == ["a-s002"]  # keeps its own id: reported, never relabelled
    problems = T.check_annotations(out, after)
    assert problems["sentence_id"].tolist() == ["a-s002"] and problems["problem"].tolist() == ["text changed"]


def test_align_uses_the_sheet_hash_and_prefers_the_own_copy_of_a_repeated_sentence():
    sents = pd.concat([_sentences(["Same words here.", "Other text.", "Same words here."]), _sentences(["Same words here."], "b")])
    coded = pd.DataFrame({"sentence_id": ["a-s002", "b-s007"], "doc_id": ["a", "b"], "text": ["Same words here.", "edited by hand"],
                          "sentence_hash": ["", VS.sentence_hash("Same words here.")], "label": [1, 0]})
    out = VS.align(coded, sents)
    assert out["sentence_id"].tolist() == ["a-s002", "b-s000"]     # its own copy; the other found by the sheet's hash
    assert out["text"].tolist() == ["Same words here.", "Same words here."] and out["aligned"].all()


def test_a_coded_sample_sheet_feeds_the_tone_validation(tmp_path, any_corpus):
    """What the tone chapter does with annotations_file: read, align, measure agreement."""
    name, corp = any_corpus
    sample = VS.draw_sample(corp.sentences, corp.episodes, n=12, seed=1, min_per_stratum=2)
    sheet = tmp_path / f"{name}.csv"
    VS.coding_sheet(sample).assign(label=[(-1, 0, 1)[i % 3] for i in range(len(sample))]).to_csv(sheet, index=False)
    coded = VS.align(VS.read_coded(sheet), corp.sentences)
    ramp = [(i % 5) / 4 - 0.5 for i in range(len(corp.sentences))]
    scored = corp.sentences.assign(cooperation_index=ramp, vader_compound=ramp[::-1])
    assert coded["aligned"].all()
    sheet_sample = T.coded_sample(corp.sentences, sheet)
    assert len(sheet_sample.coded) == len(sample) and sheet_sample.n_unaligned == 0 == sheet_sample.n_uncoded
    results = T.corpus_agreement(scored, sheet_sample)
    assert results.loc[results["language"] == "all", "n"].eq(len(sample)).all() and not results["in_sample"].any()


def test_a_fully_coded_sheet_is_read_by_the_tone_chapter_as_it_stands(tmp_path):
    """Before the chapter calls read_coded/align, tone.load_annotations reads a fully coded sheet and
    aligns it by id and text (enough while the corpus is split as when the sheet was drawn)."""
    from scripts.corpus import load_corpus

    corp = load_corpus(Path(__file__).resolve().parent / "fixtures" / "tiny")
    sample = VS.draw_sample(corp.sentences, corp.episodes, n=6, seed=0, min_per_stratum=1)
    sheet = tmp_path / "coded.csv"
    VS.coding_sheet(sample).assign(label=[1, 0, -1, 0, 1, -1][:len(sample)]).to_csv(sheet, index=False)
    ann = T.load_annotations(sheet)
    assert T.check_annotations(ann, corp.sentences).empty and len(ann) == len(sample)
