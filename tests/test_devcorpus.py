"""The development corpus tools (tools/devcorpus): manifest, split, annotations, assembler and the
scorer's measures. Nothing here needs the third-party texts: the assembler is tested on texts the
test writes itself, the measures on toy tables."""
from __future__ import annotations

import io
import math
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "devcorpus"
sys.path.insert(0, str(TOOLS))

import annotate as A  # noqa: E402
import assemble  # noqa: E402
import devcorpus as D  # noqa: E402
import metrics as M  # noqa: E402
import rekey as R  # noqa: E402
import score as S  # noqa: E402

EPISODES = {"geneva-2021", "reykjavik-2021", "hamburg-2017", "washington-2019", "geneva-2013"}


@pytest.fixture(scope="module")
def manifest() -> D.DevManifest:
    return D.load_manifest()


@pytest.fixture(scope="module")
def annotations() -> dict[str, pd.DataFrame]:
    return D.load_annotations()


# --------------------------------------------------------------------------- manifest
def test_manifest_is_well_formed(manifest):
    assert D.manifest_problems(manifest) == []
    docs = manifest.documents
    assert {e["id"] for e in manifest.episodes} == EPISODES
    assert set(docs["episode"]) == EPISODES
    assert len(docs) >= 30
    assert (docs["language"] == "fr").sum() >= 10 and (docs["language"] == "en").sum() >= 10
    assert docs["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert docs["url"].str.match(r"https?://").all()
    # several outlets per episode, in both languages
    assert (docs.groupby("episode")["outlet"].nunique() >= 3).all()
    assert (docs.groupby("episode")["language"].nunique() == 2).all()


def test_split_is_the_seeded_stratified_draw(manifest):
    docs = manifest.documents
    assert set(docs["split"]) == set(D.SPLITS)
    assert docs["split"].tolist() == D.assign_splits(docs, manifest.seed).tolist()
    cells = docs.groupby(["episode", "language"])["split"].agg(lambda s: abs((s == "dev").sum() - (s == "test").sum()))
    assert (cells <= 1).all()
    assert abs((docs["split"] == "dev").sum() - (docs["split"] == "test").sum()) <= 1


def test_no_third_party_text_is_kept_with_the_tools(manifest):
    for f in manifest.documents["file"]:
        assert not any(TOOLS.rglob(f)), f"{f} must stay outside git"
    assert not list(TOOLS.rglob("*.txt"))


def test_assign_splits_stratifies_and_depends_on_the_seed():
    docs = pd.DataFrame({"id": [f"a{i}" for i in range(12)], "episode": ["e1"] * 6 + ["e2"] * 6,
                         "language": ["en", "fr"] * 6})
    first = D.assign_splits(docs, 1)
    assert first.tolist() == D.assign_splits(docs, 1).tolist()
    for _, cell in docs.assign(split=first).groupby(["episode", "language"]):
        assert sorted(cell["split"].value_counts().tolist()) in ([1, 2], [2, 1])
    # odd cells alternate their extra article between the halves
    assert abs((first == "dev").sum() - (first == "test").sum()) <= 1
    assert any(D.assign_splits(docs, s).tolist() != first.tolist() for s in range(2, 12))


# --------------------------------------------------------------------------- annotations
def test_annotations_are_well_formed_and_keyed_to_the_manifest(manifest, annotations):
    ids = set(manifest.documents["id"])
    assert D.annotation_problems(annotations, ids) == []
    # every article is coded for tone, and has person mentions
    assert set(annotations["tone"]["doc_id"]) == ids
    assert set(annotations["mentions"]["doc_id"]) == ids
    assert set(annotations["tone"]["label"]) == {-1, 0, 1}


def test_listed_actor_ids_exist_in_the_gazetteer(annotations):
    raw = yaml.safe_load((ROOT / "scripts" / "data" / "actors.yml").read_text(encoding="utf-8"))
    persons = {a["id"] for a in raw["actors"] if a.get("kind", "person") == "person"}
    used = set(annotations["mentions"]["actor"]) | (set(annotations["quotes"]["speaker"]) - {D.UNKNOWN})
    listed = {a for a in used if M.is_listed(a)}
    assert listed <= persons
    assert all(a.startswith("person:") for a in used - listed)


def test_annotation_problems_are_reported_one_per_line():
    ann = {"mentions": pd.DataFrame([["d1", "0123456789abcdef", "Putin", "Putin", 1]], columns=D.ANNOTATION_COLUMNS["mentions"]),
           "quotes": pd.DataFrame([["d9", "0123456789abcdef", "a b", "lavrov"]], columns=D.ANNOTATION_COLUMNS["quotes"]),
           "tone": pd.DataFrame([["d1", "xyz", 2, 0]], columns=D.ANNOTATION_COLUMNS["tone"])}
    problems = D.annotation_problems(ann, {"d1"})
    assert len(problems) == 4
    assert any("mentions.csv line 2" in p and "actor id" in p for p in problems)
    assert any("quotes.csv line 2" in p and "'d9'" in p for p in problems)
    assert any("tone.csv line 2" in p and "sentence_hash" in p for p in problems)
    assert any("tone.csv line 2" in p and "label" in p for p in problems)


def test_sentence_hash_is_16_hex_of_the_nfc_text():
    composed = "Sergueï Lavrov a déclaré."
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert D.sentence_hash(composed) == D.sentence_hash(decomposed)
    assert len(D.sentence_hash(composed)) == 16 and D.sentence_hash(composed) != D.sentence_hash(composed + " ")


def test_person_slug():
    assert D.person_slug("Gudlaugur Thor Thordarson") == "person:gudlaugur-thor-thordarson"
    assert D.person_slug("Mikhaïl Gorbatchev") == "person:mikhail-gorbatchev"


# --------------------------------------------------------------------------- coding sheets
def test_first_words_of_a_quotation():
    s = "« Nous sommes prêts à discuter de toutes les questions, sans exception », a dit M. Lavrov."
    assert A.first_words(s, "Nous sommes") == "Nous sommes prêts à discuter de toutes les"
    assert A.first_words("He called it “very constructive” today.", "very") == "very constructive"
    assert A.first_words("Talks 'stable relationship' with Moscow", "stable") == "stable relationship"
    assert A.first_words("It's a \"useful\" meeting", "useful") == "useful"
    assert A.first_words("no quote here", "absent") is None


def test_parse_sheet_builds_rows_and_reports_slips():
    rows = pd.DataFrame({"doc_id": ["d1", "d1"], "key": ["s000", "s001"],
                         "sentence_hash": ["a" * 16, "b" * 16],
                         "text": ["Putin met Biden and Putin smiled.", "\"We agree\", Lavrov said."]})
    got, problems = A.parse_sheet("d1", ['s000 1 | putin "Putin" | putin "Putin" | biden "Biden"',
                                         's001 0 | lavrov "Lavrov" | Q lavrov "We agree" | J'], rows)
    assert problems == []
    assert {(r["actor"], r["count"]) for r in got["mentions"]} == {("putin", 2), ("biden", 1), ("lavrov", 1)}
    assert got["quotes"] == [{"doc_id": "d1", "sentence_hash": "b" * 16, "quote": "We agree", "speaker": "lavrov"}]
    assert [(r["label"], r["junk"]) for r in got["tone"]] == [(1, 0), (0, 1)]
    _, problems = A.parse_sheet("d1", ['s000 1 | trump "Trump" | putin "Putin" | putin "Putin" | putin "Putin"'], rows)
    assert len(problems) == 3  # surface absent, counted 3 times but there twice, no line for s001
    assert any("'Trump' not in s000" in p for p in problems)
    assert any("counted 3 times" in p for p in problems)
    assert any("no line for s001" in p for p in problems)


# --------------------------------------------------------------------------- assembler
def _fixture(tmp_path: Path) -> tuple[Path, Path]:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "x1_one.txt").write_text("The two ministers met in Geneva and said the talks were useful for both sides.\n", encoding="utf-8")
    fr = "Les deux ministres se sont rencontrés à Genève et ont salué des discussions utiles.\n"
    (texts / "x2_two.txt").write_text(fr, encoding="utf-8")
    docs = []
    for i, (f, lang) in enumerate((("x1_one.txt", "en"), ("x2_two.txt", "fr")), start=1):
        docs.append({"id": f"x{i}", "file": f, "url": f"https://example.org/{i}", "outlet": "Example", "episode": "ep-2020",
                     "date": "2020-01-02", "language": lang, "sha256": D.file_sha256(texts / f),
                     "sha256_normalised": D.normalised_sha256(texts / f), "split": "dev",
                     "title": f"Title {i}", "note": ""})
    manifest = tmp_path / "manifest.yml"
    manifest.write_text(yaml.safe_dump({"seed": 1, "episodes": [{"id": "ep-2020", "label": "Geneva, January 2020", "date": "2020-01-02",
                                                                   "place": "Geneva", "summary": "A test meeting."}],
                                        "documents": docs}, allow_unicode=True), encoding="utf-8")
    return texts, manifest


def test_assembler_writes_a_seeds_folder_the_report_accepts(tmp_path):
    from scripts.corpus import load_corpus

    texts, manifest = _fixture(tmp_path)
    out = io.StringIO()
    assert assemble.assemble(texts, tmp_path / "out", manifest=manifest, out=out) == 0
    corp = load_corpus(tmp_path / "out")
    assert sorted(corp.documents["doc_id"]) == ["x1", "x2"]
    assert set(corp.documents["language"]) == {"en", "fr"}
    written = yaml.safe_load((tmp_path / "out" / "manifest.yml").read_text(encoding="utf-8"))
    assert written["documents"][0]["split"] == "dev" and written["documents"][0]["source"] == "Example"


def test_assembler_reports_a_hash_mismatch_in_one_line_and_writes_nothing(tmp_path):
    texts, manifest = _fixture(tmp_path)
    (texts / "x2_two.txt").write_text("Un autre texte.\n", encoding="utf-8")
    out = io.StringIO()
    assert assemble.assemble(texts, tmp_path / "out", manifest=manifest, out=out) == 1
    lines = out.getvalue().splitlines()
    mismatch = [line for line in lines if line.startswith("x2_two.txt:")]
    assert len(mismatch) == 1 and "sha256" in mismatch[0] and "https://example.org/2" in mismatch[0]
    assert not any(line.startswith("x1_one.txt") for line in lines)
    assert not (tmp_path / "out").exists()


def test_assembler_accepts_a_copy_differing_only_in_invisible_characters(tmp_path):
    texts, manifest = _fixture(tmp_path)
    path = texts / "x1_one.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("met in", "met\u00a0in"), encoding="utf-8")
    out = io.StringIO()
    assert assemble.assemble(texts, tmp_path / "out", manifest=manifest, out=out) == 0
    notes = [line for line in out.getvalue().splitlines() if line.startswith("x1_one.txt")]
    assert len(notes) == 1 and "normalised text is the same" in notes[0]


def test_assembler_reports_a_missing_text_and_partial_writes_the_rest(tmp_path):
    texts, manifest = _fixture(tmp_path)
    (texts / "x1_one.txt").unlink()
    out = io.StringIO()
    assert assemble.assemble(texts, tmp_path / "out", partial=True, manifest=manifest, out=out) == 0
    assert [line for line in out.getvalue().splitlines() if "missing" in line][0].startswith("x1_one.txt: missing")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["x2_two.txt"]


# --------------------------------------------------------------------------- measures
def test_actor_key_maps_provisional_people_to_annotation_slugs():
    gold_ids = {"putin", "person:fiona-hill"}
    assert M.actor_key("putin", "Vladimir Putin", gold_ids) == "putin"
    assert M.actor_key("fiona_hill", "Fiona Hill", gold_ids) == "person:fiona-hill"
    assert M.actor_key("", "", gold_ids) == ""


def test_mention_error_sums_absolute_differences_over_actor_and_article():
    gold = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "actor": ["putin", "putin", "person:x-y", "biden"], "count": [2, 1, 2, 1]})
    pred = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b"], "actor": ["putin", "putin", "biden", "biden", "trump"]})
    t = M.mention_table(gold, pred)
    row = t.set_index(["doc_id", "actor"])
    assert row.loc[("a", "putin"), "abs_error"] == 1 and row.loc[("a", "person:x-y"), "abs_error"] == 2
    assert row.loc[("b", "trump"), "gold"] == 0 and row.loc[("b", "trump"), "abs_error"] == 1
    # |3-2| + |2-0| + |1-2| + |0-1| = 5 over 6 gold mentions
    assert M.mention_error(t) == {"gold": 6, "abs_error": 5, "error": 5 / 6}
    assert M.mention_error(t[~t["listed"]])["error"] == 1.0  # the unlisted person is lost
    assert M.mention_error(t[t["listed"]]) == {"gold": 4, "abs_error": 3, "error": 0.75}
    assert math.isnan(M.mention_error(t.iloc[0:0])["error"])


def test_quote_accuracy_matches_by_first_words_and_counts_misses_as_wrong():
    gold = pd.DataFrame({"doc_id": ["a", "a", "a", "a", "b"],
                         "quote": ["We are ready to", "serious differences", "serious differences", "constructive", "good"],
                         "speaker": ["lavrov", "lavrov", "unknown", "unknown", "biden"]})
    pred = pd.DataFrame({"doc_id": ["a", "a", "a", "b"],
                         "quote": ["We are ready to discuss all issues", "Serious differences!", "serious differences", "fine"],
                         "speaker": ["lavrov", "lavrov", "blinken", "biden"]})
    m = M.match_quotes(gold, pred)
    assert m["found"].tolist() == [True, True, True, False, False]
    assert m["correct"].tolist() == [True, True, False, False, False]  # 3rd: unknown needs no speaker
    assert M.quote_accuracy(m) == {"gold": 5, "found": 3, "accuracy": 0.4}
    unattributed = pd.DataFrame({"doc_id": ["a"], "quote": ["constructive talks"], "speaker": [""]})
    assert M.match_quotes(gold.iloc[[3]], unattributed)["correct"].tolist() == [True]


def test_tone_agreement_rho_accuracy_and_neutral_baseline():
    labels = [-1, -1, 0, 0, 1, 1]
    a = M.tone_agreement(labels, [-0.8, -0.5, 0.0, 0.02, 0.3, 0.9])
    assert a["n"] == 6 and a["rho"] == pytest.approx(1.0, abs=0.05) and a["accuracy"] == 1.0
    assert a["neutral_baseline"] == pytest.approx(2 / 6)
    flat = M.tone_agreement(labels, [0.0] * 6)
    assert math.isnan(flat["rho"]) and flat["accuracy"] == pytest.approx(2 / 6)
    assert M.to_classes([0.05, -0.05, 0.051, -0.2]).tolist() == [0, 0, 1, -1]
    assert M.tone_agreement([1, 0], [float("nan"), 0.4])["n"] == 1


def test_gold_scope_drops_removed_junk_but_keeps_lost_article_sentences():
    tone = pd.DataFrame({"doc_id": ["d", "d", "d"], "sentence_hash": ["h1", "h2", "h3"], "label": [0, 0, 1], "junk": [1, 0, 1]})
    mentions = pd.DataFrame({"doc_id": ["d"] * 3, "sentence_hash": ["h1", "h2", "h3"], "actor": ["putin"] * 3,
                             "surface": ["Putin"] * 3, "count": [1, 1, 1]})
    quotes = pd.DataFrame(columns=D.ANNOTATION_COLUMNS["quotes"])
    present = pd.DataFrame({"doc_id": ["d"], "sentence_hash": ["h3"]})  # h1 (junk) and h2 (text) are gone
    kept = S.gold_in_scope({"tone": tone, "mentions": mentions, "quotes": quotes}, present)
    assert kept["mentions"]["sentence_hash"].tolist() == ["h2", "h3"]


def test_score_runs_the_instruments_and_leaves_missing_articles_out(tmp_path):
    texts, manifest = _fixture(tmp_path)
    (texts / "x1_one.txt").write_text("Vladimir Putin met Joe Biden in Geneva. The talks were useful.\n", encoding="utf-8")
    docs = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    docs["documents"][0].update(sha256=D.file_sha256(texts / "x1_one.txt"), sha256_normalised=D.normalised_sha256(texts / "x1_one.txt"))
    docs["documents"][1]["split"] = "test"
    manifest.write_text(yaml.safe_dump(docs, allow_unicode=True), encoding="utf-8")
    (texts / "x2_two.txt").unlink()
    assert assemble.assemble(texts, tmp_path / "out", partial=True, manifest=manifest, out=io.StringIO()) == 0
    h = [D.sentence_hash("Vladimir Putin met Joe Biden in Geneva."), D.sentence_hash("The talks were useful.")]
    ann = tmp_path / "ann"
    ann.mkdir()
    mentions = [["x1", h[0], "putin", "Vladimir Putin", 1], ["x1", h[0], "biden", "Joe Biden", 1], ["x2", "0" * 16, "lavrov", "Lavrov", 3]]
    pd.DataFrame(mentions, columns=D.ANNOTATION_COLUMNS["mentions"]).to_csv(ann / "mentions.csv", index=False)
    pd.DataFrame(columns=D.ANNOTATION_COLUMNS["quotes"]).to_csv(ann / "quotes.csv", index=False)
    pd.DataFrame([["x1", h[0], 0, 0], ["x1", h[1], 1, 0]], columns=D.ANNOTATION_COLUMNS["tone"]).to_csv(ann / "tone.csv", index=False)
    table = S.score(tmp_path / "out", "all", annotations=ann, manifest=manifest).set_index(["split", "language"])
    dev, test = table.loc[("dev", "en")], table.loc[("test", "fr")]
    assert (dev["articles"], dev["articles_missing"], dev["mentions_gold"], dev["tone_n"]) == (1, 0, 2, 2)
    assert dev["tone_sentences_unmatched"] == 0 and dev["neutral_baseline"] == 0.5
    assert (test["articles"], test["articles_missing"], test["mentions_gold"]) == (0, 1, 0)  # x2 is not scored
    assert 0 <= dev["mention_error"] <= 1 and 0 <= dev["coop_accuracy"] <= 1


# --------------------------------------------------------------------------- re-keying after a re-split
def test_rekey_joins_hard_wrapped_lines_and_never_guesses_a_label():
    old = [("a" * 16, "Kerry said that, under the pact, Syria must"), ("b" * 16, "submit a list within one week."),
           ("c" * 16, "Lavrov said the talks were"), ("d" * 16, "a failure."), ("e" * 16, "Photo: Reuters"),
           ("f" * 16, "They met again.")]
    new_texts = ["Kerry said that, under the pact, Syria must submit a list within one week.",
                 "Lavrov said the talks were a failure.", "They met again.", "A sentence the coder never saw."]
    new = [(D.sentence_hash(t), t) for t in new_texts]
    ann = {"tone": pd.DataFrame({"doc_id": "x", "sentence_hash": [h for h, _ in old], "label": [0, 0, 1, -1, 0, 1],
                                 "junk": [0, 0, 0, 0, 1, 0]}),
           "mentions": pd.DataFrame({"doc_id": ["x", "y"], "sentence_hash": ["c" * 16, "c" * 16], "actor": "lavrov",
                                     "surface": "Lavrov", "count": 1}),
           "quotes": pd.DataFrame({"doc_id": ["x"], "sentence_hash": ["b" * 16], "quote": ["submit a list"],
                                   "speaker": ["kerry"]})}
    m = R.map_units(old, new)
    assert m.covers == [["a" * 16, "b" * 16], ["c" * 16, "d" * 16], ["f" * 16], []]
    rows, recode = R.rekey_document("x", m, ann)
    tone = rows["tone"].set_index("sentence_hash")
    assert tone.loc[new[0][0], "label"] == 0 and tone.loc[new[2][0], "label"] == 1
    # +1 and -1 lines joined into one sentence: marked for re-coding, not labelled
    assert new[1][0] not in tone.index
    assert recode.set_index("sentence_hash").loc[new[1][0], "reason"] == "labels differ"
    assert recode.set_index("sentence_hash").loc[new[3][0], "reason"] == "not found"
    assert tone.loc["e" * 16, "junk"] == 1      # a junk line the cleaning removed keeps its row
    assert list(rows["mentions"]["sentence_hash"]) == [new[1][0]] and list(rows["quotes"]["sentence_hash"]) == [new[0][0]]
    merged = R.replace_rows(ann, "x", rows)
    assert list(merged["mentions"]["doc_id"]) == ["x", "y"] and merged["mentions"]["sentence_hash"].iloc[1] == "c" * 16


def test_recode_list_is_well_formed(annotations):
    recode = pd.read_csv(R.RECODE, dtype=str, keep_default_na=False)
    assert list(recode.columns) == R.RECODE_COLUMNS
    tone_keys = set(zip(annotations["tone"]["doc_id"], annotations["tone"]["sentence_hash"]))
    assert not any(k in tone_keys for k in zip(recode["doc_id"], recode["sentence_hash"]))   # never both labelled and to re-code
