"""Tests of scripts/tone.py: engines, French rules, diplomatic lexicon, statistics, validation sample,
and the tone chapter on the tiny fixture."""
from __future__ import annotations

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
    assert list(tbl.columns) == ["comparison", "measure", "before → after", "difference [95% CI]", "p (raw / BH)",
                                 "sentences"]
    row = tbl[tbl["measure"] == "coop. index"].iloc[0]
    assert row["comparison"] == "Early talks → Later talks"
    assert row["before → after"] == "-0.50\u00a0→ +0.75"
    assert row["difference [95% CI]"].startswith("+1.25 [")
    assert row["sentences"] == "4\u00a0/\u00a04"
    raw, adj = (float(x) for x in row["p (raw / BH)"].split("\u00a0/\u00a0"))
    assert 0 < raw < 0.1 and adj == pytest.approx(sh["p_adjusted"].iloc[1], abs=1e-3) and adj >= raw
    # BH over the two rows: the smaller p-value is doubled (capped by the larger one)
    p = sorted(sh["p_value"])
    assert sorted(sh["p_adjusted"]) == pytest.approx([min(2 * p[0], p[1]), p[1]])
    assert "p (raw / BH)" in T.shift_table(sh.drop(columns="p_adjusted"), EPS).columns


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
    assert sh["ci_low"].iloc[1] > 0                      # the interval excludes 0: "rose" is allowed
    assert text.startswith("In French sentences, the cooperation index rose from -0.50 (95% CI ")
    assert "4 sentences) in Early talks" in text and "a difference of +1.25" in text and "in Later talks" in text
    assert f"permutation p = {sh['p_value'].iloc[1]:.3f} before and {sh['p_adjusted'].iloc[1]:.3f} after " \
           "Benjamini–Hochberg correction over the 2 comparisons of the shift table." in text
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
    assert (n, gap) == (1, pytest.approx(0.75)) and "In the one episode" in text and "differs by 0.75" in text
    assert "different articles as well as different lexicons" in text and text.endswith(".")
    none_text = T.language_gap(TWO, docs.iloc[:2], EPS)[2]
    assert none_text.startswith("No episode") and "so a difference" not in none_text
    assert T.language_gap(TWO, docs.iloc[:2], EPS)[:2] == (0, 0.0)
    note = T.language_table(docs.iloc[:2], pd.DataFrame(), pd.DataFrame(), EPS)
    assert list(note.columns) == ["note"]


def test_coverage_and_validation_helpers():
    cov = pd.DataFrame({"episode": ["b", "a"], "language": "fr", "lexicon": "diplomatic", "tokens": [10, 20],
                        "tokens_scored": [1, 4], "token_share": [0.1, 0.2], "sentences": [2, 4],
                        "sentences_scored": [1, 1], "sentence_share": [0.5, 0.25]})
    tbl = T.coverage_table(cov, EPS)
    assert list(tbl["episode"]) == ["Early talks", "Later talks"] and tbl.iloc[0]["words scored"] == "4 / 20"
    assert tbl.iloc[0]["share of words"] == "20%" and tbl.iloc[0]["share of sentences"] == "25%"   # percentages
    assert T.coverage_text(cov).startswith("Each lexicon scores at most 20% of the words")
    assert "in 25% to 50% of the sentences" in T.coverage_text(cov)
    assert "in 50% of the sentences" in T.coverage_text(cov.assign(sentence_share=0.5))
    assert tbl.iloc[0]["language"] == "French"
    ann = pd.DataFrame({"sentence_id": list("abcd"), "text": list("abcd"), "label": [1, 0, -1, 1]})
    assert T.label_counts(ann) == {1: 2, 0: 1, -1: 1}
    sents = pd.DataFrame({"sentence_id": list("abc"), "text": ["a", "b", "changed"]})
    scored = sents.assign(vader_compound=[0.5, 0.0, -0.5], cooperation_index=[1.0, 0.0, -1.0])
    aligned, misaligned, val = T.validate_sample(ann, sents, scored)
    assert list(aligned["sentence_id"]) == ["a", "b"] and list(misaligned["problem"]) == ["text changed", "missing"]
    few = T.validation_text(val, len(aligned), len(misaligned))   # 2 aligned: too few, not "none"
    assert few.startswith("Only 2 hand-coded sentences of the sample belong to this corpus") and "None" not in few
    assert T.validation_text(val, 1, 3).startswith("Only 1 hand-coded sentence of the sample belongs")
    assert T.validation_text(val.iloc[0:0], 0, 1).startswith("None of the hand-coded sentences belongs to this "
                                                              "corpus (1 annotation does not align)")
    v = T.validate(ann.iloc[:3].assign(text=list("abc")), scored.assign(text=list("abc")))
    assert T.validation_text(v, 3, 0).startswith("Against 3 hand-coded sentences")
    assert "in-sample" not in T.validation_text(v, 3, 0) and "in-sample" in T.validation_text(v, 3, 0, in_sample=True)
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


# ------------------------------------------------------------------ glued sentences (review round)
def test_bh_adjust_known_values_and_nan():
    adj = T.bh_adjust([0.01, 0.04, 0.03, float("nan")])
    assert adj[:3] == pytest.approx([0.03, 0.04, 0.04]) and np.isnan(adj[3])
    assert T.bh_adjust([]).size == 0


def test_headline_says_rose_only_when_interval_excludes_zero():
    sh = pd.DataFrame([{"pair": "consecutive", "episode_from": "a", "episode_to": "b", "measure": "cooperation_index",
                        "difference": 0.48, "ci_low": -0.21, "ci_high": 1.15, "p_value": 0.212, "p_adjusted": 0.424,
                        "n_from": 1, "n_to": 4}])
    scored = pd.DataFrame({"episode": ["a"] + ["b"] * 4, "language": "fr", "cooperation_index": [0.0, 1, 0, 1, 0.0]})
    text = T.headline_text(scored, sh, EPS, "fr", 200, 0)
    assert " rose " not in text and " fell " not in text
    assert text.startswith("In French sentences, the cooperation index was higher in Later talks, +0.50 (95% CI ")
    assert "4 sentences), than in Early talks, +0.00 (+0.00 to +0.00, 1 sentence): a difference of +0.48" in text
    assert "which the interval does not distinguish from zero; permutation p = 0.212 before and 0.424 after" in text
    assert "over the 1 comparison of the shift table." in text
    low = T.headline_text(scored, sh.assign(difference=-0.3, ci_low=-0.6, ci_high=-0.1), EPS, None, 200, 0)
    assert low.startswith("In all sentences (languages pooled), the cooperation index fell from")
    flat = T.headline_text(scored, sh.assign(difference=0.0, ci_low=-0.1, ci_high=0.1), EPS, "fr", 200, 0)
    assert "was the same in Early talks" in flat


def test_pick_headline_language_and_its_sentence():
    three = pd.DataFrame({"episode": ["a", "a", "b", "c", "c", "b"], "language": ["fr", "fr", "fr", "fr", "en", "en"]})
    assert T.pick_headline_language(three) == ("fr", "auto")          # fr covers 3 episodes, en 2
    assert T.pick_headline_language(three, "en") == ("en", "requested")
    assert T.pick_headline_language(three, "all") == (None, "all")
    assert T.pick_headline_language(three, "de") == (None, "requested-missing")
    tie = pd.DataFrame({"episode": ["a", "b", "a", "b", "b"], "language": ["fr", "fr", "en", "en", "en"]})
    assert T.pick_headline_language(tie) == ("en", "auto")            # same episodes, more sentences
    apart = pd.DataFrame({"episode": ["a", "b"], "language": ["fr", "en"]})
    assert T.pick_headline_language(apart) == (None, "no-language")
    assert T.pick_headline_language(apart[apart["episode"] == "a"], "fr") == (None, "single-episode")
    auto = T.headline_language_text(three, "fr", "auto")
    assert auto.startswith("The headline comparison uses French sentences only: French has sentences in more "
                           "episodes than any other language (3 of 3)") and auto.endswith(".")
    assert "as many as French, and more sentences (3)" in T.headline_language_text(tie, "en", "auto")
    assert "as the headline_language parameter asks" in T.headline_language_text(three, "en", "requested")
    missing = T.headline_language_text(three, None, "requested-missing", "de")
    assert "(de) has sentences in fewer than two episodes" in missing and "all languages pooled" in missing
    assert T.headline_language_text(apart, None, "no-language").startswith("No language has sentences in two episodes")
    only_fr = three.assign(language="fr")
    assert T.headline_language_text(only_fr, "fr", "auto").endswith("French sentences, the only language of the corpus.")
    assert "all its sentences, which are all French" in T.headline_language_text(only_fr, None, "all")
    assert T.headline_language_text(apart[apart["episode"] == "a"], None, "single-episode") == \
        "A headline comparison needs two episodes or more."


def test_vader_agreement_text_names_a_cause_only_for_differences():
    same = pd.DataFrame({"language": "en", "text": ["The talks were excellent and productive.",
                                                    "Relations are at their worst point, a terrible crisis.",
                                                    "They met in Geneva."]})
    text = T.vader_agreement_text(same)
    assert text.startswith("On the 3 English sentences,") and "for 100% of them" in text
    assert "negation" not in text and "handle differently" not in text and "largest 0.00)." in text
    neg = pd.concat([same, pd.DataFrame({"language": ["en"], "text": ["There was no progress and no agreement."]})])
    text = T.vader_agreement_text(neg)
    assert "the one sentence where they differ holds a negation word" in text
    one = T.vader_agreement_text(same.iloc[:1])
    assert one.startswith("On the 1 English sentence,") and "Pearson r undefined" in one
    assert "no English sentence" in T.vader_agreement_text(same.assign(language="fr"))


def test_score_quotes_uses_the_actors_word_count():
    docs = pd.DataFrame({"doc_id": ["d"], "language": ["fr"]})
    quotes = pd.DataFrame({"doc_id": "d", "actor": ["lavrov", "lavrov", ""], "quote": ["l'ingérence", "non", "a b c"]})
    assert T.quote_words("l'ingérence américaine") == 3 and T.quote_words("U.S.") == 2
    q = T.score_quotes(quotes, docs, min_words=2)          # "l'ingérence" has 2 \w+ words, 1 str.split word
    assert list(q["quote"]) == ["l'ingérence"]
    given = quotes.assign(n_words=[1, 5, 5])               # the actors' column, when present, decides
    assert list(T.score_quotes(given, docs, min_words=2)["quote"]) == ["non"]
    assert T.quotes_text(1, 3) == "1 quotation of at least 3 words"
    assert T.quotes_text(12, 1) == "12 quotations of at least 1 word"


def test_validation_sample_and_comparison_sentences():
    ann = pd.DataFrame({"sentence_id": list("abcd"), "text": list("abcd"), "label": [1, 0, -1, 1]})
    sents = pd.DataFrame({"sentence_id": list("abc"), "doc_id": ["d1", "d1", "d2"], "language": ["fr", "en", "fr"]})
    text = T.sample_text(ann, ann.iloc[:3], sents, "guide.md")
    assert text.startswith("3 sentences of this corpus, from 2 articles in English and French, were coded by hand")
    assert "following written guidelines (guide.md): 1 cooperative, 1 neutral and 1 confrontational" in text
    assert text.endswith("1 annotation of the sample does not align and is left out.")
    assert T.sample_text(ann, ann, sents.assign(sentence_id=list("abd"))).endswith("every annotation of the sample aligns.")
    none = T.sample_text(ann, ann.iloc[0:0], sents)
    assert none.startswith("The hand-coded sample holds 4 sentences") and "guidelines" not in none
    val = pd.DataFrame({"measure": ["vader_compound", "cooperation_index"], "spearman_rho": [0.24, 0.72]})
    assert T.validation_comparison_text(val, 68) == ("Here VADER agrees less with the hand coding than the cooperation "
                                                    "index does (Spearman ρ = 0.24 against 0.72).")
    assert "agrees more" in T.validation_comparison_text(val.assign(spearman_rho=[0.8, 0.3]), 68)
    assert "agree equally" in T.validation_comparison_text(val.assign(spearman_rho=[0.5, 0.5]), 68)
    assert "cannot be compared" in T.validation_comparison_text(val, 2)
    assert "cannot be compared" in T.validation_comparison_text(val.iloc[0:0], 0)


def test_trajectory_sentences_follow_the_shares_per_slice():
    big = pd.DataFrame({"doc_id": ["big"] * 8 + ["small"] * 2, "position": [0, .1, .3, .4, .5, .6, .8, .9, 0, .9]})
    assert T.trajectory_dominance_text(big, 2).startswith("The largest article, big, supplies 80% of the sentences "
                                                         "of every slice")
    split = pd.DataFrame({"doc_id": ["big"] * 4 + ["small"] * 3, "position": [0, .1, .2, .3, .6, .7, .8]})
    assert "more than half of the sentences in 1 of the 2 slices (0% to 100% across slices)" in T.trajectory_dominance_text(split, 2)
    even = pd.DataFrame({"doc_id": ["x", "y", "z", "x", "y", "z"], "position": [0, 0, 0, .9, .9, .9]})
    assert T.trajectory_dominance_text(even, 2).startswith("No article supplies more than half")
    assert "one article, big" in T.trajectory_dominance_text(big[big["doc_id"] == "big"], 2)
    traj = pd.DataFrame({"bin": [0, 1], "measure": "cooperation_index", "estimate": [0.25, float("nan")]})
    assert T.trajectory_text(traj) == "The cooperation index is +0.25 in the first slice and undefined (no sentence) in the last."


def test_word_shift_sentence_and_its_degenerate_cases():
    sents = pd.DataFrame({"doc_id": "d", "sentence_id": list("pqrs"), "episode": ["a", "a", "b", "b"], "language": "en",
                          "text": ["Sanctions and accusations.", "They met.", "A new dialogue.", "Dialogue and trust."]})
    scored, m = T.score_texts(sents), T.diplomatic_matches(sents)
    text = T.word_shift_text(m, scored, EPS, "en")
    assert text.startswith("Between Early talks and Later talks (English sentences), the lexicon entries that pushed "
                           "the cooperation index up most are “")
    assert text.endswith("; none pulled it down.")
    assert T.word_shift_text(m, scored, EPS, "fr") == ("Fewer than two episodes have French sentences, so there is no "
                                                       "shift of vocabulary to decompose.")
    one = EPS[EPS["episode"] == "a"]
    assert "single episode" in T.word_shift_text(m, scored[scored["episode"] == "a"], one, None)
    same = sents.assign(text=["They met."] * 4)
    assert "no lexicon entry changed" in T.word_shift_text(T.diplomatic_matches(same), T.score_texts(same), EPS, None)


def test_limits_and_independence_sentences_follow_the_documents():
    docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "episode": ["a", "b", "b"], "sentences": [10, 9, 1],
                         "source": ["machine translation of a review", "site", "site"], "note": ["", "", ""]})
    cov = pd.DataFrame({"lexicon": ["diplomatic", "diplomatic", "sentiment (VADER)"], "sentence_share": [0.6, 0.75, 0.1]})
    text = T.limits_text(docs, EPS, cov)
    assert text.startswith("The corpus holds 3 articles about 2 episodes, 1 to 2 articles per episode.")
    assert "Early talks rests on a single article, so its tone is that article's tone." in text
    assert "In Later talks, one article (d2) holds 90% of the sentences" in text
    assert "1 article (d1), holding 50% of the sentences, is a translation according to the manifest" in text
    assert "25% to 40% of the sentences of an episode and language carry no word of the diplomatic lexicon" in text
    balanced = docs.assign(sentences=[10, 5, 5], source="site")
    text = T.limits_text(balanced, EPS, cov)
    assert "holds" not in text.split("per episode.")[1] and "marks no article as a translation" in text
    one = T.limits_text(docs.iloc[:1], EPS.iloc[1:], cov)
    assert one.startswith("The corpus holds 1 article about 1 episode.")
    sents = pd.DataFrame({"doc_id": "d1", "text": ["The talks in Moscow were long and useful.",
                                                   "The talks in Moscow were long and useful!", "Short one."]})
    assert T.repeated_sentences(sents).to_dict("records") == [{"doc_id": "d1", "sentences": 3, "repeated": 1}]
    ind = T.independence_text(docs, EPS, sents)
    assert ind.startswith("Some articles repeat themselves: in d1, 1 of 3 sentences nearly repeat an earlier one")
    assert ind.endswith("With 1 to 2 articles per episode, the intervals and p-values describe these articles, "
                        "not “the coverage” of an episode.")
    assert T.independence_text(docs, EPS, sents.iloc[[0, 2]]).startswith("With 1 to 2 articles")


# ------------------------------------------------------------------ notebook on the tiny fixture
def glued_texts(nb_path: Path) -> dict[str, str]:
    """name -> text/plain of every glue of an executed notebook (myst-nb records it as
    application/papermill.record/text/plain with the name in the output's scrapbook metadata)."""
    import ast
    import json

    out = {}
    for cell in json.loads(Path(nb_path).read_text())["cells"]:
        for o in cell.get("outputs", []):
            name = (o.get("metadata") or {}).get("scrapbook", {}).get("name")
            plain = (o.get("data") or {}).get("application/papermill.record/text/plain")
            if name and plain is not None:
                try:
                    out[name] = ast.literal_eval(plain)
                except (ValueError, SyntaxError):
                    out[name] = plain
    return out


def run_chapter(tmp_path, seeds_dir, **params):
    import papermill

    out = tmp_path / "tone.ipynb"
    papermill.execute_notebook(str(ROOT / "chapters" / "04_tone.ipynb"), str(out), cwd=str(ROOT / "chapters"),
                               kernel_name="python3", progress_bar=False,
                               parameters={"seeds_dir": str(seeds_dir), "data_dir": str(tmp_path / "data"),
                                           "fig_dir": str(tmp_path / "fig"), **params})
    return out


@pytest.mark.e2e
def test_chapter_runs_on_tiny_fixture_with_other_parameters(tmp_path):
    out = run_chapter(tmp_path, TINY, n_boot=200, n_perm=199, random_seed=7, french_lexicon="textblob-fr", n_bins=3,
                      headline_language="en", min_quote_words=2)
    assert (tmp_path / "fig" / "tone_episodes.png").is_file()
    sentences = pd.read_csv(tmp_path / "data" / "tone_sentences.csv")
    assert {"vader_compound", "cooperation_index", "actors"} <= set(sentences.columns)
    summary = pd.read_csv(tmp_path / "data" / "tone_summary.csv")
    assert {"document", "episode", "shift"} <= set(summary["level"])
    g = glued_texts(out)
    # English covers one episode of the tiny corpus: the requested language cannot be used
    assert g["headline_language_text"].startswith("The headline language requested by the headline_language "
                                                  "parameter (English) has sentences in fewer than two episodes")
    assert g["tone_headline_text"].startswith("In all sentences (languages pooled), the cooperation index ")
    assert "Benjamini–Hochberg" in g["tone_headline_text"]
    assert g["quotes_text"].endswith("of at least 2 words")
    assert g["n_annotated"] == 0 and g["tone_validation_text"].startswith("None of the hand-coded sentences")
    assert "in-sample" not in g["tone_validation_text"]
    assert g["tone_sample_text"].startswith("The hand-coded sample holds")
    assert "seed" not in g["tone_limits_text"] and "marks no article as a translation" in g["tone_limits_text"]
    assert g["ws_text"].startswith("Between Moscow, April 2017 and Geneva, June 2021 (sentences),")
    assert g["traj_dominance_text"].startswith("No article supplies more than half")


@pytest.mark.e2e
def test_chapter_on_one_english_episode(tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    (one / "geneva_en.txt").write_text((TINY / "geneva_en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (one / "manifest.yml").write_text(
        "episodes:\n  - id: geneva-2021\n    label: Geneva, June 2021\n    date: 2021-06-16\n    place: Geneva\n"
        "    summary: Summit.\ndocuments:\n  - file: geneva_en.txt\n    episode: geneva-2021\n    language: en\n"
        "    date: 2021-06-16\n    source: test fixture\n    title: Geneva summit\n", encoding="utf-8")
    g = glued_texts(run_chapter(tmp_path, one, n_boot=100, n_perm=99))
    assert g["tone_headline_text"] == "The corpus has a single episode, so no change of tone between episodes can be measured."
    assert g["headline_language_text"] == "A headline comparison needs two episodes or more."
    assert g["ws_text"] == "The corpus has a single episode, so there is no shift of vocabulary to decompose."
    assert g["language_text"].startswith("No episode has scored sentences in more than one language")
    assert g["tone_limits_text"].startswith("The corpus holds 1 article about 1 episode.")
    assert g["traj_dominance_text"].startswith("All sentences come from one article")
    assert "the one sentence" not in g["vader_agreement_text"] and "negation" not in g["vader_agreement_text"]
