"""Sources named (issue 13): optional manifest fields, validated; the source table; the caveat the
limits quote when a state-agency text or a machine translation is in the corpus."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scripts import corpus as C
from scripts import sources as S
from scripts.narrative import sources as NS

ROOT = Path(__file__).resolve().parent.parent


def _seeds_with(tmp_path: Path, **fields) -> Path:
    """A copy of the seeds whose first document gets ``fields``."""
    dst = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", dst)
    raw = yaml.safe_load((dst / "manifest.yml").read_text(encoding="utf-8"))
    raw["documents"][0].update(fields)
    (dst / "manifest.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return dst


def test_the_seeds_name_what_their_texts_show_and_no_invented_address():
    docs = C.load_manifest(ROOT / "seeds").documents.set_index("file")
    review = docs.loc["004_167a48ef42557996.txt"]
    assert (review["outlet"], review["original_language"], review["translation"], review["source_type"]) == (
        "TASS", "ru", "Russian → French (machine)", "state-agency press review")
    assert docs.loc["000_c774117b6545b91d.txt", "translation"] == "French → English (machine)"
    assert (docs["url"] == "").all()  # none of the bundled texts carries its address


@pytest.mark.parametrize("fields, message", [
    ({"url": "javascript:alert(1)"}, r"is not an http\(s\) address"),
    ({"url": "www.example.org/a"}, r"is not an http\(s\) address"),
    ({"outlet": ["a", "b"]}, "'outlet' must be one line of text"),
    ({"translation": "Russian →\nFrench"}, "'translation' must be one line of text"),
])
def test_bad_source_fields_are_refused_with_the_fix(tmp_path, fields, message):
    with pytest.raises(C.CorpusError, match=message):
        C.load_manifest(_seeds_with(tmp_path, **fields))


def test_a_good_url_is_kept_and_absent_fields_are_empty(tmp_path):
    docs = C.load_manifest(_seeds_with(tmp_path, url="https://example.org/a?b=1")).documents
    assert docs.loc[0, "url"] == "https://example.org/a?b=1"
    tiny = C.load_manifest(ROOT / "tests" / "fixtures" / "tiny").documents
    assert (tiny[list(C.SOURCE_FIELDS)] == "").all().all()


@pytest.fixture(scope="module")
def seeds():
    return C.load_corpus(ROOT / "seeds")


def test_flags_and_shares_come_from_the_fields(seeds):
    flags = S.source_flags(seeds.documents).set_index("doc_id")
    assert flags["state_agency"].to_dict() == {d: d == "004" for d in flags.index}
    assert set(flags.index[flags["machine_translation"]]) == {"000", "004"}
    assert flags.loc["004", "share_of_episode"] == 1.0
    sochi = flags[flags["episode"] == "sochi-2019"]["share_of_episode"]
    assert abs(sochi.sum() - 1.0) < 1e-9


def test_source_table_orders_by_episode_and_shows_the_chain(seeds):
    table = S.source_table(seeds.documents, seeds.episodes)
    assert list(table.columns) == ["article", "episode", "date", "outlet", "source type", "language", "translation", "url"]
    assert table["article"].iloc[0] == "004" and table["language"].iloc[0] == "ru → fr"
    assert table.set_index("article").loc["001", "language"] == "fr"
    assert "1 of 5 articles name their outlet, 0 their address, 2 a translation" in NS.source_table_note_text(table)


def test_the_bias_caveat_names_the_state_agency_review_and_the_translations(seeds):
    facts = NS.source_bias_facts(seeds.documents, seeds.episodes, S.source_flags(seeds.documents))
    assert facts.case == "flagged"
    assert [d["doc_id"] for d in facts["state"]] == ["004"] and [d["doc_id"] for d in facts["machine"]] == ["004", "000"]
    assert "state-agency press review" in facts.text and "only article of its episode" in facts.text
    assert "2 articles" in facts.text and "machine-translated" in facts.text


def test_the_bias_caveat_without_fields_and_without_flags():
    tiny = C.load_corpus(ROOT / "tests" / "fixtures" / "tiny")
    assert NS.source_bias_facts(tiny.documents, tiny.episodes, S.source_flags(tiny.documents)).case == "unknown"
    plain = tiny.documents.assign(source_type="news site article", translation="")
    assert NS.source_bias_facts(plain, tiny.episodes, S.source_flags(plain)).case == "none"
    one = plain.iloc[:1].assign(source_type="State-media bulletin")
    facts = NS.source_bias_facts(one, tiny.episodes, S.source_flags(one))
    assert facts.case == "flagged" and facts["machine"] == [] and "machine" not in facts.text
    assert isinstance(facts["state"][0]["share"], float) and pd.notna(facts["state"][0]["share"])
