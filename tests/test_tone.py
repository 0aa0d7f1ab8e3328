"""Tests of scripts/tone.py: engines, French rules, diplomatic lexicon, statistics, validation sample,
and the tone chapter on the tiny fixture."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scripts import corpus as C
from scripts import tone as T

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def seeds():
    return C.load_corpus(ROOT / "seeds")


# ------------------------------------------------------------------ English VADER vs reference
NEGATION_WORDS = {"no", "not", "never", "nor", "without"}


def test_nltk_vader_agrees_with_reference_on_english_seed_sentences(seeds):
    texts = seeds.sentences.loc[seeds.sentences["language"] == "en", "text"].tolist()
    assert len(texts) >= 10
    agree = T.vader_agreement(texts, same_input=True)
    # documented tolerance (chapter 4): identical on >= 90 % of sentences, r >= 0.95
    assert agree["share_identical"] >= 0.9
    assert agree["pearson_r"] >= 0.95
    # every sentence where they differ holds a negation word: the engines' "no"/"not" rules differ
    ours = [T.english_analyzer().polarity_scores(t)["compound"] for t in texts]
    ref = T.reference_compound([T.pad_quotes(t) for t in texts])
    for t, a, b in zip(texts, ours, ref):
        if abs(a - b) > 1e-4:
            words = {w.lower().strip('".,') for w in T.pad_quotes(t).split()}
            assert words & NEGATION_WORDS, t


def test_english_engine_matches_reference_on_plain_sentences():
    for t in ["The talks were excellent and productive.", "Relations are at their worst point, a terrible crisis."]:
        assert T.english_analyzer().polarity_scores(t)["compound"] == pytest.approx(T.reference_compound([t])[0], abs=1e-4)


# ------------------------------------------------------------------ French rules
def fr(text: str) -> float:
    return T.french_analyzer().polarity_scores(text)["compound"]


def test_plus_de_tensions_is_not_negated():
    # vaderSentiment-fr treats "plus" as a negator and turns this positive; here it stays negative
    assert fr("plus de tensions") < 0
    assert fr("plus de tensions") == pytest.approx(fr("les tensions"), abs=0.05)
    from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer as VaderFr
    assert VaderFr().polarity_scores("plus de tensions")["compound"] > 0  # the trap we avoid


def test_french_negation_flips_valence():
    assert fr("une bonne rencontre") > 0.3
    assert fr("ce n'est pas une bonne rencontre") < 0
    assert fr("il n'y a plus de tensions") > 0          # "n'... plus" negates
    assert fr("jamais une bonne rencontre") < 0          # standalone "jamais"
    assert fr("une rencontre sans confiance") < 0        # "sans" negates confiance (+1.1)


def test_french_not_negating_phrases():
    assert fr("non seulement une bonne rencontre") == pytest.approx(fr("une bonne rencontre"))
    assert fr("ce n'était qu'une bonne rencontre") > 0   # "ne ... que" = only


def test_french_negation_scope_indices():
    words = "nous ne le tolèrerons pas".split()
    assert T.french_negation_scope(words) == {2, 3}
    words = "les sanctions n' ont pas été discutées".split()
    assert T.french_negation_scope(words) == {3, 5, 6}


def test_french_boosters():
    assert fr("une très bonne rencontre") > fr("une bonne rencontre")
    assert fr("une rencontre profondément décevante") < fr("une rencontre décevante") < 0
    assert fr("une peu bonne rencontre") < fr("une bonne rencontre")


def test_french_lexicon_choices_and_overrides():
    lex = T.french_lexicon("vader-fr")
    assert "discuté" not in lex and "plus" not in lex      # null overrides delete words
    assert lex["tensions"] < 0 and lex["confiance"] > 0
    tb = T.french_lexicon("textblob-fr")
    assert tb["bon"] > 0 and tb["mauvais"] < 0
    with pytest.raises(ValueError):
        T.french_lexicon("nope")


# ------------------------------------------------------------------ diplomatic lexicon
def contributions(text, lang):
    return [(m["entry"], m["contribution"]) for m in T.match_diplomatic(text, lang)]


def test_cooperation_index_worked_examples():
    assert T.cooperation_index([1.5, -1.5, 1.0]) == (2.5, 1.5, pytest.approx(0.25))
    assert T.cooperation_index([]) == (0.0, 0.0, 0.0)
    s = T.score_texts(pd.DataFrame({"text": ["Russia and the US want dialogue and cooperation.",
                                             "Accusations and sanctions poisoned relations.",
                                             "The ministers met on Tuesday."],
                                    "language": ["en", "en", "en"]}))
    assert s["cooperation_index"].tolist() == [1.0, -1.0, 0.0]


def test_negation_flips_or_cancels():
    assert contributions("no breakthrough was announced", "en") == [("improvement", -1.0)]       # flip
    assert contributions("nous ne le tolèrerons pas", "fr") == [("tolerate", -1.0)]             # flip
    assert contributions("ne pas tolérer cela", "fr") == [("tolerate", -1.0)]
    assert contributions("les sanctions n'ont pas été discutées", "fr") == [("sanctions", 0.0)]  # cancel
    assert contributions("sanctions were not discussed", "en") == [("sanctions", 0.0)]
    assert contributions("nouvelles sanctions", "fr") == [("sanctions", -1.5)]


def test_longest_match_wins_and_plus_de_tensions():
    assert contributions("Le faible niveau de confiance", "fr") == [("lowest point", -2.0)]
    assert contributions("restaurer la confiance", "fr") == [("trust", 1.5)]
    assert contributions("plus de tensions", "fr") == [("tension", -1.5)]


def test_lexicon_file_is_valid():
    lex = T.load_diplomatic_lexicon()
    assert set(lex["pole"]) == {"cooperation", "confrontation"}
    assert lex["id"].is_unique
    assert ((lex["en"] != "") & (lex["fr"] != "")).all()


# ------------------------------------------------------------------ statistics
def test_bootstrap_reproducible_and_seed_dependent():
    x = np.array([0.1, -0.4, 0.8, 0.0, 0.3, -0.2, 0.5, 0.9, -0.7, 0.2])
    a = T.bootstrap_ci(x, n_boot=500, seed=1)
    assert a == T.bootstrap_ci(x, n_boot=500, seed=1)
    b = T.bootstrap_ci(x, n_boot=500, seed=2)
    assert a[0] == b[0] == pytest.approx(x.mean())
    assert (a[1], a[2]) != (b[1], b[2])
    assert a[1] < x.mean() < a[2]
    assert T.bootstrap_ci([0.5], 100, 0) == (0.5, 0.5, 0.5)
    assert all(np.isnan(T.bootstrap_ci([], 100, 0)))


def test_permutation_test_known_answer():
    # 3 vs 3 values: 20 equally likely splits; only the observed one and its mirror reach |diff| = 3
    assert T.permutation_pvalue([1, 2, 3], [4, 5, 6], n_perm=9999, seed=0) == pytest.approx(2 / 20)
    assert T.permutation_pvalue([1, 2, 3], [1, 2, 3], n_perm=9999, seed=0) == pytest.approx(1.0)
    assert T.permutation_pvalue([], [1.0], 99, 0) != T.permutation_pvalue([], [1.0], 99, 0)  # NaN


def test_summarise_and_shifts_columns():
    frame = pd.DataFrame({"episode": ["a"] * 4 + ["b"] * 4, "language": "fr",
                          "vader_compound": [0, 0.1, 0.2, 0.1, 0.5, 0.6, 0.4, 0.5],
                          "cooperation_index": [-1, 0, 0, -1, 1, 1, 0, 1]})
    s = T.summarise(frame, "episode", "episode", n_boot=200, seed=0)
    assert list(s.columns) == ["level", "key", "measure", "estimate", "ci_low", "ci_high", "n"]
    assert s.loc[(s["key"] == "b") & (s["measure"] == "cooperation_index"), "estimate"].item() == pytest.approx(0.75)
    eps = pd.DataFrame({"episode": ["a", "b"], "date": pd.to_datetime(["2017-01-01", "2019-01-01"]), "order": [0, 1]})
    sh = T.episode_shifts(frame, eps, "cooperation_index", 200, 0, 999, "fr")
    assert sh["difference"].item() == pytest.approx(1.25)
    assert 0 < sh["p_value"].item() < 0.1


def test_word_shift_decomposes_difference():
    sents = pd.DataFrame({"doc_id": "d", "sentence_id": list("pqrs"), "episode": ["a", "a", "b", "b"], "language": "en",
                          "text": ["Sanctions and accusations.", "They met.", "A new dialogue.", "Dialogue and trust."]})
    scored = T.score_texts(sents)
    m = T.diplomatic_matches(sents)
    ws = T.word_shift(m, scored, "a", "b")
    d = ws.set_index("entry")["difference"]
    assert d["dialogue"] == pytest.approx(1.0)      # 2 x weight 1 over 2 sentences
    assert d["sanctions"] == pytest.approx(0.75)    # -1.5 over 2 sentences disappears
    assert d.sum() == pytest.approx((3.5 - (-3.0)) / 2)


# ------------------------------------------------------------------ validation sample
def test_annotations_align_with_current_sentence_splitting(seeds):
    ann = T.load_annotations()
    assert len(ann) >= 60
    problems = T.check_annotations(ann, seeds.sentences)
    assert problems.empty, problems.to_string()
    merged = ann.merge(seeds.sentences, on="sentence_id")
    assert set(merged["language"]) == {"en", "fr"}
    assert set(merged["episode"]) == set(seeds.episodes["episode"])
    assert set(ann["label"]) == {-1, 0, 1}


def test_check_annotations_detects_changed_text(seeds):
    ann = T.load_annotations().head(3).copy()
    ann.loc[ann.index[0], "text"] = ann.loc[ann.index[0], "text"] + " (edited)"
    ann.loc[ann.index[1], "sentence_id"] = "999-s999"
    problems = T.check_annotations(ann, seeds.sentences)
    assert problems["problem"].tolist() == ["text changed", "missing"]


def test_validate_perfect_and_classes():
    ann = pd.DataFrame({"sentence_id": list("abcdef"), "text": list("abcdef"), "label": [1, 1, 0, 0, -1, -1]})
    scored = pd.DataFrame({"sentence_id": list("abcdef"), "text": list("abcdef"),
                           "vader_compound": [0.6, 0.2, 0.0, 0.01, -0.3, -0.9],
                           "cooperation_index": [1, 0.5, 0, 0, -0.5, -1]})
    v = T.validate(ann, scored).set_index("measure")
    assert v.loc["cooperation_index", "krippendorff_alpha"] == pytest.approx(1.0)
    assert v.loc["vader_compound", "accuracy"] == pytest.approx(1.0)
    assert list(T.to_classes([0.05, 0.06, -0.2], 0.05)) == [0, 1, -1]


# ------------------------------------------------------------------ chapter tables and sentences
EPS = pd.DataFrame({"episode": ["b", "a"], "label": ["Later talks", "Early talks"],
                    "date": pd.to_datetime(["2019-05-14", "2017-04-12"]), "order": [1, 0]})
TWO = pd.DataFrame({"episode": ["a"] * 4 + ["b"] * 4, "language": "fr", "doc_id": ["d1"] * 4 + ["d2"] * 4,
                    "text": list("abcdefgh"), "actors": ["lavrov", "", "lavrov;putin", "", "lavrov", "", "", ""],
                    "vader_compound": [0, 0.1, 0.2, 0.1, 0.5, 0.6, 0.4, 0.5],
                    "cooperation_index": [-1, 0, 0, -1, 1, 1, 0, 1]})


def test_shift_table_is_narrow_and_formatted():
    sh = T.all_shifts(TWO, EPS, 200, 0, 999, "fr")
    assert list(sh["measure"]) == list(T.MEASURES)
    tbl = T.shift_table(sh, EPS)
    assert list(tbl.columns) == ["comparison", "measure", "before → after", "difference [95% CI]", "p", "sentences"]
    row = tbl[tbl["measure"] == "coop. index"].iloc[0]
    assert row["comparison"] == "Early talks → Later talks"
    assert row["before → after"] == "-0.50\u00a0→ +0.75"
    assert row["difference [95% CI]"].startswith("+1.25 [")
    assert row["sentences"] == "4\u00a0/\u00a04"
    assert 0 < float(row["p"]) < 0.1


def test_summary_episode_table_and_headline():
    sh = T.all_shifts(TWO, EPS, 200, 0, 999, "fr")
    summary = T.tone_summary(TWO, TWO.iloc[0:0].assign(actor=[]), sh, 200, 0)
    assert {"document", "episode", "episode_language", "actor", "shift"} == set(summary["level"])
    assert summary.loc[summary["level"] == "shift", "key"].iloc[0] == "a→b|fr"
    ep_lang = T.summary_level(summary, "episode_language", ["episode", "language"])
    tbl = T.episode_table(ep_lang, EPS)
    assert list(tbl["episode"]) == ["Early talks", "Later talks"]       # date order, not row order
    assert tbl.loc[0, "cooperation index"].startswith("-0.50 [") and tbl.loc[0, "sentences"] == 4
    text = T.headline_text(TWO, sh, EPS, "fr", 200, 0)
    assert text.startswith("In French sentences, the cooperation index rose from -0.50")
    assert "a difference of +1.25" in text and "in Later talks" in text
    one = T.all_shifts(TWO[TWO["episode"] == "a"], EPS, 200, 0, 99, "fr")
    assert "single episode" in T.headline_text(TWO, one, EPS, "fr")
    assert T.headline_language_text(None).startswith("all languages") and T.headline_language_text("fr") == "French"
    act = T.actor_mention_table(summary, TWO, EPS, max_actors=1)
    assert list(act["actor"]) == ["lavrov", "lavrov"] and list(act["sentences"]) == [2, 1]
    named = T.actor_mention_table(summary, TWO, EPS, max_actors=1, names={"lavrov": "Sergei Lavrov"})
    assert list(named["actor"]) == ["Sergei Lavrov", "Sergei Lavrov"]


def test_language_gap_and_table():
    docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "episode": ["a", "b", "b"], "language": ["fr", "fr", "en"]})
    scored = pd.concat([TWO, TWO[TWO["episode"] == "b"].assign(language="en", doc_id="d3", cooperation_index=0.0)])
    n, gap, text = T.language_gap(scored, docs, EPS)
    assert (n, gap) == (1, pytest.approx(0.75)) and "up to 0.75" in text
    assert T.language_gap(TWO, docs.iloc[:2], EPS)[:2] == (0, 0.0)
    note = T.language_table(docs.iloc[:2], pd.DataFrame(), pd.DataFrame(), EPS)
    assert list(note.columns) == ["note"]


def test_coverage_and_validation_helpers():
    cov = pd.DataFrame({"episode": ["b", "a"], "language": "fr", "lexicon": "diplomatic", "tokens": [10, 20],
                        "tokens_scored": [1, 4], "token_share": [0.1, 0.2], "sentences": [2, 4],
                        "sentences_scored": [1, 1], "sentence_share": [0.5, 0.25]})
    tbl = T.coverage_table(cov, EPS)
    assert list(tbl["episode"]) == ["Early talks", "Later talks"] and tbl.iloc[0]["words scored"] == "4 / 20"
    assert tbl.iloc[0]["language"] == "French"
    ann = pd.DataFrame({"sentence_id": list("abcd"), "text": list("abcd"), "label": [1, 0, -1, 1]})
    assert T.label_counts(ann) == {1: 2, 0: 1, -1: 1}
    sents = pd.DataFrame({"sentence_id": list("abc"), "text": ["a", "b", "changed"]})
    scored = sents.assign(vader_compound=[0.5, 0.0, -0.5], cooperation_index=[1.0, 0.0, -1.0])
    aligned, misaligned, val = T.validate_sample(ann, sents, scored)
    assert list(aligned["sentence_id"]) == ["a", "b"] and list(misaligned["problem"]) == ["text changed", "missing"]
    assert "None of the hand-coded sentences" in T.validation_text(val, len(aligned), len(misaligned))
    v = T.validate(ann.iloc[:3].assign(text=list("abc")), scored.assign(text=list("abc")))
    assert T.validation_text(v, 3, 0).startswith("Against 3 hand-coded sentences")
    assert list(T.validation_table(v)["three classes"]) == ["> 0.05 → +1, < −0.05 → −1", "> 0 → +1, < 0 → −1"]


def test_trajectory_ends_word_shift_movers_and_tables():
    traj = pd.DataFrame({"bin": [2, 0, 1], "measure": "cooperation_index", "estimate": [0.3, -0.1, 0.0]})
    assert T.trajectory_ends(traj) == (pytest.approx(-0.1), pytest.approx(0.3))
    ws = pd.DataFrame({"entry": ["dialogue", "sanctions", "trust", "threat"], "difference": [0.5, -0.3, 0.2, 0.0]})
    assert T.word_shift_movers(ws, 3) == ("“dialogue” and “trust”", "“sanctions”")
    assert T.word_shift_movers(ws.iloc[0:0], 3) == ("none", "none")
    sents = pd.DataFrame({"doc_id": "d", "sentence_id": list("pqrs"), "episode": ["a", "a", "b", "b"], "language": "en",
                          "text": ["Sanctions and accusations.", "They met.", "A new dialogue.", "Dialogue and trust."]})
    scored, m = T.score_texts(sents), T.diplomatic_matches(sents)
    ws, lab_from, lab_to = T.headline_word_shift(m, scored, EPS, "en")
    assert (lab_from, lab_to) == ("Early talks", "Later talks") and "dialogue" in set(ws["entry"])
    assert T.headline_word_shift(m, scored, EPS, "fr")[0].empty
    ex = T.extremes_table(scored, EPS, 1, max_chars=12)
    assert list(ex["side"]) == ["most confrontational", "most cooperative"]   # a has no cooperative sentence
    assert ex.iloc[0]["text"] == "Sanctions…"   # max_chars - 3 characters and an ellipsis
    assert list(ex.columns) == ["episode", "side", "scores (sentence) and lexicon entries", "text"]
    assert ex.iloc[0]["scores (sentence) and lexicon entries"].startswith("coop. -1.00, VADER ")
    assert "(p); entries: " in ex.iloc[0]["scores (sentence) and lexicon entries"]
    ent = T.entries_table(m, EPS, 1)
    assert list(ent["episode"]) == ["Early talks", "Later talks"] and list(ent["entry"])[1] == "dialogue"


# ------------------------------------------------------------------ notebook on the tiny fixture
def test_chapter_runs_on_tiny_fixture_with_other_parameters(tmp_path):
    import json

    import papermill

    os.environ["PYTHONPATH"] = str(ROOT) + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    out = tmp_path / "tone.ipynb"
    papermill.execute_notebook(str(ROOT / "chapters" / "04_tone.ipynb"), str(out), cwd=str(ROOT / "chapters"),
                               kernel_name="python3", progress_bar=False,
                               parameters={"seeds_dir": str(TINY), "data_dir": str(tmp_path / "data"),
                                           "fig_dir": str(tmp_path / "fig"), "n_boot": 200, "n_perm": 199,
                                           "random_seed": 7, "french_lexicon": "textblob-fr", "n_bins": 3,
                                           "headline_language": "en"})
    assert (tmp_path / "fig" / "tone_episodes.png").is_file()
    sentences = pd.read_csv(tmp_path / "data" / "tone_sentences.csv")
    assert {"vader_compound", "cooperation_index", "actors"} <= set(sentences.columns)
    summary = pd.read_csv(tmp_path / "data" / "tone_summary.csv")
    assert {"document", "episode", "shift"} <= set(summary["level"])
    text = json.dumps(json.loads(out.read_text())["cells"])
    assert "tone_headline_text" in text and "n_annotated" in text
