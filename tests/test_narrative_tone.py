"""Tests of scripts/narrative/tone.py: which statement of templates/tone.yml is true, with which values
(facts), the reader tables' formats, and every statement of the chapter rendered on the bundled, tiny
and one-episode corpora."""
from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from scripts import actors as A
from scripts import diplomatic as D
from scripts import tone as T
from scripts import tone_scores as TS
from scripts import vader as V
from scripts.narrative import tone as N
from scripts.narrative.render import Facts
from scripts.repeats import SENTENCE_REPEAT_JACCARD, repeated_sentences

EPS = pd.DataFrame({"episode": ["b", "a"], "label": ["Later talks", "Early talks"],
                    "date": pd.to_datetime(["2019-05-14", "2017-04-12"]), "order": [1, 0]})
TWO = pd.DataFrame({"episode": ["a"] * 4 + ["b"] * 4, "language": "fr", "doc_id": ["d1"] * 4 + ["d2"] * 4,
                    "sentence_id": list("abcdefgh"), "text": list("abcdefgh"),
                    "actors": ["lavrov", "", "lavrov;putin", "", "lavrov", "", "", ""],
                    "vader_compound": [0, 0.1, 0.2, 0.1, 0.5, 0.6, 0.4, 0.5],
                    "cooperation_index": [-1, 0, 0, -1, 1, 1, 0, 1]})
SHIFT_SENTS = pd.DataFrame({"doc_id": "d", "sentence_id": list("pqrs"), "episode": ["a", "a", "b", "b"], "language": "en",
                            "text": ["Sanctions and accusations.", "They met.", "A new dialogue.", "Dialogue and trust."]})
PLAIN = pd.DataFrame({"language": "en", "text": ["The talks were excellent and productive.",
                                                 "Relations are at their worst point, a terrible crisis.",
                                                 "They met in Geneva."]})


def agreement(**kw) -> V.Agreement:
    base = {"n": 10, "max_abs_diff": 0.5, "mean_abs_diff": 0.05, "pearson_r": 0.9, "share_identical": 0.8}
    return V.Agreement(**{**base, **kw})


def headline(**kw) -> T.Headline:
    base = {"episode_from": "a", "episode_to": "b", "language": "fr", "mean_from": (0.0, 0.0, 0.0),
            "mean_to": (0.5, 0.0, 1.0), "n_from": 1, "n_to": 4, "difference": 0.48, "ci_low": -0.21, "ci_high": 1.15,
            "p_value": 0.212, "p_adjusted": 0.424, "n_comparisons": 1, "n_articles_from": 1, "n_articles_to": 3,
            "p_min": 0.25, "case": "not-testable", "direction": "none"}
    return T.Headline(**{**base, **kw})


# ------------------------------------------------------------------ how far the instruments can be trusted
def test_engine_check_names_a_cause_only_for_differences():
    same = N.engine_check_facts(V.check_english_engine(PLAIN))
    assert same.case == "identical" and same["n"] == 3 and same["share_identical"] == 1.0
    assert not same["raw_less"] and "negation" not in same.text
    assert same.text.startswith("On the 3 English sentences,") and "within 0.0001" in same.text
    neg = V.check_english_engine(pd.concat([PLAIN, pd.DataFrame({"language": ["en"],
                                                                 "text": ["There was no progress and no agreement."]})]))
    f = N.engine_check_facts(neg)
    assert f.case == "all_negation" and f["n_differing"] == 1
    assert "the one sentence where they differ holds a negation word" in f.text
    one = N.engine_check_facts(V.check_english_engine(PLAIN.iloc[:1]))
    assert one["n"] == 1 and one["pearson"] == "Pearson r undefined"
    assert N.engine_check_facts(V.check_english_engine(PLAIN.assign(language="fr"))).case == "no_english"
    some = N.engine_check_facts(V.EngineCheck(agreement(), agreement(max_abs_diff=1.0), 3, 1))
    assert some.case == "some_negation" and some["raw_less"] and "agrees less" in some["raw"]
    assert N.engine_check_facts(V.EngineCheck(agreement(), agreement(), 3, 0)).case == "no_negation"
    assert "all 3 sentences where they differ hold" in N.engine_check_text(V.EngineCheck(agreement(), agreement(), 3, 3))


def test_coverage_facts_and_table():
    cov = pd.DataFrame({"episode": ["b", "a"], "language": "fr", "lexicon": "diplomatic", "tokens": [10, 20],
                        "tokens_scored": [1, 4], "token_share": [0.1, 0.2], "sentences": [2, 4],
                        "sentences_scored": [1, 1], "sentence_share": [0.5, 0.25]})
    f = N.coverage_facts(cov)
    assert f.case == "default" and (f["max_words"], f["min_sentences"], f["max_sentences"]) == (0.2, 0.25, 0.5)
    assert "in 25% to 50% of the sentences" in f.text
    assert "in 50% of the sentences" in N.coverage_text(cov.assign(sentence_share=0.5))
    assert N.coverage_facts(cov.iloc[0:0]).case == "empty"
    tbl = N.coverage_table(cov, EPS)
    assert list(tbl["episode"]) == ["Early talks", "Later talks"] and tbl.iloc[0]["words scored"] == "4\u00a0/\u00a020"
    assert tbl.iloc[0]["share of words"] == "20%" and tbl.iloc[0]["share of sentences"] == "25%"
    assert tbl.iloc[0]["language"] == "French"


def test_sample_facts():
    profile = T.SampleProfile(4, 3, 2, ["en", "fr"], {1: 1, 0: 1, -1: 1})
    f = N.sample_facts(profile, "guide.md")
    assert f.case == "aligned" and f["languages"] == ["English", "French"] and f["n_left"] == 1
    assert "following written guidelines (guide.md): 1 cooperative, 1 neutral and 1 confrontational" in f.text
    assert N.sample_text(T.SampleProfile(4, 4, 2, ["fr"], {1: 2, 0: 1, -1: 1})).endswith(
        "every coded sentence of the sample aligns.")
    partly = N.sample_text(T.SampleProfile(4, 4, 2, ["fr"], {1: 2, 0: 1, -1: 1}, n_uncoded=3))
    assert partly.endswith("every coded sentence of the sample aligns, and 3 rows of the sheet are not coded yet and ignored.")
    none = N.sample_facts(T.SampleProfile(4, 0, 0, [], {1: 0, 0: 0, -1: 0}))
    assert none.case == "none_aligned" and none["n_sample"] == 4 and "guidelines" not in none.text


def test_episode_and_shift_tables_are_formatted_in_date_order():
    sh = T.all_shifts(TWO, EPS, 200, 0, 999, "fr")
    summary = T.tone_summary(TWO, TWO.iloc[0:0].assign(actor=[]), sh, 200, 0)
    tbl = N.episode_table(T.summary_level(summary, "episode_language", ["episode", "language"]), EPS)
    assert list(tbl["episode"]) == ["Early talks", "Later talks"]       # date order, not row order
    assert tbl.loc[0, "cooperation index"].startswith("-0.50 [") and tbl.loc[0, "sentences"] == 4
    tbl = N.shift_table(sh, EPS)
    assert list(tbl.columns) == ["comparison", "measure", "before → after", "difference [95% CI]", "p (raw / BH)",
                                 "p min", "sentences", "articles", "verdict"]
    assert set(tbl["verdict"]) == {"not testable"} and set(tbl["articles"]) == {"1\u00a0/\u00a01"}
    row = tbl[tbl["measure"] == "coop. index"].iloc[0]
    assert row["comparison"] == "Early talks → Later talks"
    assert row["before → after"] == "-0.50\u00a0→ +0.75"
    assert row["difference [95% CI]"].startswith("+1.25 [")
    assert row["sentences"] == "4\u00a0/\u00a04"
    raw, adj = (float(x) for x in row["p (raw / BH)"].split("\u00a0/\u00a0"))
    assert raw == pytest.approx(sh["p_value"].iloc[1], abs=1e-3) and adj == pytest.approx(sh["p_adjusted"].iloc[1], abs=1e-3)
    assert "/" not in N.shift_table(sh.drop(columns="p_adjusted"), EPS)["p (raw / BH)"].iloc[0]


def test_headline_words_follow_the_verdict():
    # one-article episode -> not testable, and the sentence says why
    f = N.headline_facts(headline(), EPS)
    assert f.case == "not_testable" and f["why"] == "one_article" and f["difference"] == 0.48
    assert " rose " not in f.text and " fell " not in f.text and "rests on one article" in f.text
    assert f["mean_from"] == "+0.00 (95% CI +0.00 to +0.00 within this one article, 1 sentence, 1 article)"
    assert f["mean_to"] == "+0.50 (+0.00 to +1.00, 4 sentences, 3 articles)"
    assert f["where"] == "In French sentences"
    assert f["p"] == ("article permutation p = 0.212 (smallest attainable 0.250) before and 0.424 after "
                      "Benjamini–Hochberg correction over the 1 comparison of the shift table")
    few = N.headline_facts(headline(n_articles_from=2, n_articles_to=2, p_min=1 / 3), EPS)
    assert few.case == "not_testable" and few["why"] == "few_articles"
    # no rise is claimed when the adjusted test is not significant (the wording is the point)
    sugg = N.headline_facts(headline(case="suggestive", direction="higher", n_articles_from=5, n_articles_to=5,
                                     p_value=0.03, p_adjusted=0.09, ci_low=0.1, ci_high=0.9, p_min=0.004), EPS)
    assert sugg.case == "suggestive" and " rose " not in sugg.text and "does not survive the correction" in sugg.text
    assert " was higher in Later talks" in sugg.text
    rose = N.headline_facts(headline(case="clear", direction="rose", n_articles_from=5, n_articles_to=5), EPS)
    assert rose.case == "clear" and " rose from " in rose.text
    fell = N.headline_facts(headline(case="clear", direction="fell", language=None, difference=-0.3), EPS)
    assert fell.text.startswith("In all sentences (languages pooled), the cooperation index fell")
    none = N.headline_facts(headline(case="no-change", n_articles_from=5, n_articles_to=5), EPS)
    assert none.case == "no_change" and "no detectable change" in none.text
    assert N.headline_facts(headline(p_adjusted=float("nan")), EPS)["p"].startswith("article permutation p = 0.212 (")
    assert N.headline_facts(None, EPS).case == "single_episode"


def test_headline_language_facts():
    three = pd.DataFrame({"episode": ["a", "a", "b", "c", "c", "b"], "language": ["fr", "fr", "fr", "fr", "en", "en"]})
    auto = N.headline_language_facts(T.pick_headline_language(three))
    assert auto.case == "auto_most" and (auto["covered"], auto["n_episodes"]) == (3, 3)
    assert auto.text.startswith("No measure and language of this corpus has 30 hand-coded sentences, so the fallback "
                                "rule applies (the cooperation index, on the language covering most episodes). "
                                "The headline comparison uses French sentences only: French has sentences in more "
                                "episodes than any other language (3 of 3)")
    tie = pd.DataFrame({"episode": ["a", "b", "a", "b", "b"], "language": ["fr", "fr", "en", "en", "en"]})
    tied = N.headline_language_facts(T.pick_headline_language(tie))
    assert tied.case == "auto_tied" and tied["tied"] == ["French"] and tied["n_sentences"] == 3
    assert N.headline_language_facts(T.pick_headline_language(three, "en")).case == "requested"
    missing = N.headline_language_facts(T.pick_headline_language(three, "de"))
    assert missing.case == "requested_missing" and "(German) has sentences in fewer than two episodes" in missing.text
    assert missing["pooled"].startswith("all languages pooled")
    apart = pd.DataFrame({"episode": ["a", "b"], "language": ["fr", "en"]})
    assert N.headline_language_facts(T.pick_headline_language(apart)).case == "no_language"
    only_fr = three.assign(language="fr")
    assert N.headline_language_facts(T.pick_headline_language(only_fr)).case == "only_language"
    pooled = N.headline_language_facts(T.pick_headline_language(only_fr, "all"))
    assert pooled.case == "all" and pooled["pooled"] == "all its sentences, which are all French"
    assert N.headline_language_facts(T.pick_headline_language(apart[apart["episode"] == "a"])).case == "single_episode"


def test_independence_facts():
    repeats = pd.DataFrame({"doc_id": ["d1", "d2"], "sentences": [3, 5], "repeated": [1, 0]})
    per = pd.DataFrame({"episode": ["a", "b"], "articles": [1, 2]})
    f = N.independence_facts(repeats, per)
    assert f.case == "repeats" and f["items"] == ["in d1, 1 of 3 sentences nearly repeat an earlier one"]
    assert f["per_episode"] == "1 to 2 articles" and f["jaccard"] == SENTENCE_REPEAT_JACCARD
    assert f.text.startswith("Some articles repeat themselves: in d1,") and "(80% of their words or more shared)" in f.text
    none = N.independence_facts(repeats.assign(repeated=0), per.assign(articles=3))
    assert none.case == "no_repeats" and none["per_episode"] == "3 articles"


def test_limits_facts_follow_the_sources():
    docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "episode": ["a", "b", "b"], "sentences": [10, 9, 1],
                         "source": ["machine translation of a review", "site", "site"], "note": ["", "", ""]})
    cov = pd.DataFrame({"lexicon": ["diplomatic", "diplomatic", "sentiment (VADER)"], "sentence_share": [0.6, 0.75, 0.1]})
    facts = N.limits_facts(len(docs), T.articles_per_episode(docs, EPS), EPS, T.translations(docs), cov)
    assert [(f.statement, f.case) for f in facts] == [
        ("limits_size", "several_episodes"), ("limits_single", "default"), ("limits_dominated", "default"),
        ("limits_translations", "some"), ("limits_no_lexicon", "default")]
    assert facts[1]["labels"] == ["Early talks"]
    assert facts[2]["items"] == ["In Later talks, one article (d2) holds 90% of the sentences"]
    assert facts[3]["doc_ids"] == ["d1"] and facts[3]["share"] == 0.5
    assert (facts[4]["low"], facts[4]["high"]) == pytest.approx((0.25, 0.4))
    text = N.limits_text(len(docs), T.articles_per_episode(docs, EPS), EPS, T.translations(docs), cov)
    assert text.startswith("The corpus holds 3 articles about 2 episodes, 1 to 2 articles per episode.")
    balanced = docs.assign(sentences=[10, 5, 5], source="site")
    facts = N.limits_facts(3, T.articles_per_episode(balanced, EPS), EPS, T.translations(balanced), cov.iloc[2:])
    assert [f.statement for f in facts] == ["limits_size", "limits_single", "limits_translations"]
    assert facts[-1].case == "none"
    one = N.limits_facts(1, T.articles_per_episode(docs.iloc[:1], EPS.iloc[1:]), EPS.iloc[1:], T.translations(docs.iloc[:1]),
                         cov)
    assert one[0].case == "one_episode" and one[0].text == "The corpus holds 1 article about 1 episode."


# ------------------------------------------------------------------ language and lexicon
def test_language_facts_and_table():
    f = N.language_facts(T.LanguageGap(["b"], {"b": 0.75}))
    assert f.case == "one" and f["gap"] == 0.75 and "differs by 0.75" in f.text
    several = N.language_facts(T.LanguageGap(["a", "b"], {"a": 0.1, "b": 0.3}))
    assert several.case == "several" and several["gap"] == 0.3 and "up to 0.30" in several.text
    assert N.language_facts(T.LanguageGap(["b"], {})).case == "none"
    assert N.language_facts(T.LanguageGap([], {})).case == "none"
    note = N.language_table(pd.DataFrame(columns=["doc_id", "episode", "language"]), pd.DataFrame(), pd.DataFrame(), EPS, [])
    assert list(note.columns) == ["note"] and note.iloc[0, 0] == "No episode has articles in two languages."


# ------------------------------------------------------------------ whose words, within the article, word shift
def test_quotes_trajectory_and_dominance_facts():
    assert N.quotes_text(1, 3) == "1 quotation of at least 3 words"
    assert N.quotes_text(12, 1) == "12 quotations of at least 1 word"
    f = N.trajectory_facts((0.25, float("nan")))
    assert (f["first"], f["last"]) == (0.25, None)
    assert f.text == "The cooperation index is +0.25 in the first slice and undefined (no sentence) in the last."
    assert N.dominance_facts(T.SliceDominance(2, "big", (0.8, 0.8))).case == "every_slice"
    some = N.dominance_facts(T.SliceDominance(2, "big", (1.0, 0.0)))
    assert some.case == "some_slices" and (some["k"], some["n_slices"]) == (1, 2)
    assert "(0% to 100% across slices)" in some.text
    assert N.dominance_facts(T.SliceDominance(3, "x", (1 / 3, 1 / 3))).case == "no_slice"
    assert N.dominance_facts(T.SliceDominance(1, "big", (1.0,))).case == "one_article"
    assert N.dominance_facts(T.SliceDominance(0, None, ())).case == "empty"


def test_word_shift_facts_and_degenerate_cases():
    scored, m = TS.score_texts(SHIFT_SENTS), D.diplomatic_matches(SHIFT_SENTS)
    f = N.word_shift_facts(T.headline_word_shift(m, scored, EPS, "en"), EPS)
    assert f.case == "shift" and f["where"] == "English sentences" and f["down"] == []
    assert f["up"][0] == "more mentions of “dialogue”" and (f["label_from"], f["label_to"]) == ("Early talks", "Later talks")
    assert "more mentions of “dialogue”" in f.text and f.text.endswith("raised the cooperation index most; none lowered it.")
    # confrontation words that became rarer raised the index: the sentence says "fewer"
    assert "more mentions of “dialogue” and fewer mentions of “accusation” and “sanctions” raised" in f.text
    fr = SHIFT_SENTS.assign(language="fr", text=["Sanctions et accusations.", "Ils se sont vus.", "Un nouveau dialogue.",
                                                 "Dialogue et confiance."])
    f_fr = N.word_shift_facts(T.headline_word_shift(D.diplomatic_matches(fr), TS.score_texts(fr), EPS, "fr"), EPS)
    assert "fewer mentions of “accusation” (“accusations”)" in f_fr.text   # the French word as written, next to the entry
    assert N.word_shift_facts(T.headline_word_shift(m, scored, EPS, "fr"), EPS).case == "too_few_episodes"
    one = EPS[EPS["episode"] == "a"]
    assert N.word_shift_facts(T.headline_word_shift(m, scored[scored["episode"] == "a"], one), one).case == "single_episode"
    same = SHIFT_SENTS.assign(text=["They met."] * 4)
    unchanged = T.headline_word_shift(D.diplomatic_matches(same), TS.score_texts(same), EPS)
    assert N.word_shift_facts(unchanged, EPS).case == "unchanged"


# ------------------------------------------------------------------ evidence and actor tables
def test_evidence_and_actor_tables():
    scored, m = TS.score_texts(SHIFT_SENTS), D.diplomatic_matches(SHIFT_SENTS)
    ex = N.extremes_table(T.extremes(scored, 1), EPS, max_chars=12)
    assert list(ex["side"]) == ["most confrontational", "most cooperative"]   # a has no cooperative sentence
    assert ex.iloc[0]["text"] == "Sanctions…"   # at most max_chars characters, whole words, and an ellipsis
    assert list(ex.columns) == ["episode", "side", "scores (sentence) and matched words", "text"]
    assert ex.iloc[0]["scores (sentence) and matched words"].startswith("coop. -0.75, VADER ")
    assert "(p); words: " in ex.iloc[0]["scores (sentence) and matched words"]
    hl = N.extremes_table(T.extremes(scored, 1), EPS, m, max_chars=12)
    assert hl.iloc[0]["text"].startswith("**Sanctions**") and "“Sanctions” -" in hl.iloc[0]["scores (sentence) and matched words"]
    ent = N.entries_table(T.top_entries(m, EPS, 1), EPS)
    assert list(ent["episode"]) == ["Early talks", "Later talks"] and "summed signed weight" in ent.columns
    sh = T.all_shifts(TWO, EPS, 200, 0, 999, "fr")
    summary = T.tone_summary(TWO, TWO.iloc[0:0].assign(actor=[]), sh, 200, 0)
    tone = T.actor_mention_tone(summary, TWO, EPS, max_actors=1)
    act = N.actor_mention_table(tone, EPS)
    assert list(act["actor"]) == ["lavrov", "lavrov"] and list(act["sentences"]) == [2, 1]
    assert list(act["episode"]) == ["Early talks", "Later talks"] and act["95% CI"].iloc[1] == "n/a\u00a0*"   # one sentence of one article
    assert act["95% CI"].iloc[0].endswith("\u00a0*") and list(act["articles"]) == [1, 1]   # within one article
    named = N.actor_mention_table(tone, EPS, names={"lavrov": "Sergei Lavrov"})
    assert list(named["actor"]) == ["Sergei Lavrov", "Sergei Lavrov"]


# ------------------------------------------------------------------ every statement on every corpus
def chapter_facts(corp) -> list[Facts]:
    """The facts of every statement the chapter glues, computed as chapters/04_tone.ipynb does (fewer resamples)."""
    docs, episodes, sents = corp.documents, corp.episodes, corp.sentences
    mentions = A.find_mentions(sents, docs)
    scored, fragments = T.exclude_fragments(T.attach_actors(TS.score_sentences(sents), mentions))
    matches = D.diplomatic_matches(sents)
    quoted = T.score_quotes(A.find_quotes(sents, docs), docs)
    cov = T.coverage(scored)
    coded = T.coded_sample(sents)
    agree = T.corpus_agreement(scored, coded)
    held = T.heldout_agreement()
    hl = T.pick_headline_language(scored, "", agree)
    shifts = T.all_shifts(scored, episodes, 100, 0, 99, hl.language)
    summary = T.tone_summary(scored, quoted, shifts, 100, 0)
    sources = T.articles_per_episode(docs, episodes)
    traj = T.trajectories(scored, 5, 100, 0)
    return [N.engine_check_facts(V.check_english_engine(scored)), N.coverage_facts(cov),
            N.sample_facts(T.coded_profile(coded, sents), "guide.md"), N.agreement_facts(agree, coded, held),
            N.vader_role_facts(held, hl), N.headline_facts(T.headline_comparison(shifts, summary, hl.measure), episodes),
            N.headline_language_facts(hl), N.independence_facts(repeated_sentences(sents), sources),
            N.language_facts(T.language_gap(scored, docs, episodes)), N.trajectory_facts(T.trajectory_ends(traj)),
            N.dominance_facts(T.slice_dominance(scored)),
            N.word_shift_facts(T.headline_word_shift(matches, scored, episodes, hl.language), episodes),
            Facts("tone", "quotes", "default", {"n": len(quoted), "min_words": 3}),
            *N.limits_facts(len(docs), sources, episodes, T.translations(docs), cov, fragments),
            N.headline_loo_facts(T.headline_leave_one_out(scored, T.headline_comparison(shifts, summary)),
                                 T.headline_comparison(shifts, summary), episodes)]


EXPECTED_CASES = {
    "seeds": {"engine_check": "all_negation", "headline": "not_testable", "limits_fragments": "some", "headline_language": "validity",
              "language_gap": "one", "dominance": "every_slice", "word_shift": "shift", "agreement": "measured_in_sample",
              "vader_role": "lower"},
    "tiny": {"headline_language": "auto_most", "headline": "not_testable", "agreement": "unvalidated",
             "sample": "none_aligned", "dominance": "no_slice", "limits_dominated": "default", "word_shift": "shift"},
    "one_episode": {"headline": "single_episode", "headline_language": "single_episode", "word_shift": "single_episode",
                    "agreement": "unvalidated",
                    "language_gap": "none", "dominance": "one_article", "limits_size": "one_episode"},
}


def test_every_statement_renders_on_every_corpus(any_corpus):
    name, corp = any_corpus
    facts = chapter_facts(corp)
    for f in facts:
        text = f.text
        assert text and (text[0].isupper() or text[0].isdigit()), (f.statement, text)
        for leak in ("{", "}", "  ", " ,", " .", " – ", "(–"):     # "–": a missing number
            assert leak not in text, (f.statement, f.case, leak, text)
        assert not re.search(r"\bnan\b|\bNone\b", text[1:]), (f.statement, f.case, text)   # "None of the …" is fine
        assert not any(isinstance(v, float) and math.isnan(v) for v in f.values.values()), f
    cases = {f.statement: f.case for f in facts}
    for statement, case in EXPECTED_CASES[name].items():
        assert cases[statement] == case, (statement, cases[statement])


def test_fragments_are_excluded_and_counted():
    sents = pd.DataFrame({"doc_id": "d", "episode": "a", "language": "fr", "sentence_id": list("pqrst"),
                          "text": ["MOSCOU, 13 avril. /TASS/.", "–", "/TASS/.", "Les ministres ont parlé de paix.",
                                   "Combattre ensemble"]})
    kept, frag = T.exclude_fragments(sents)
    assert list(kept["sentence_id"]) == ["s"]
    assert list(frag["reason"]) == ["dateline", "no letters", "short", "short"]
    f = [x for x in N.limits_facts(1, T.articles_per_episode(pd.DataFrame({"doc_id": ["d"], "episode": ["a"], "sentences": [5]}), EPS), EPS,
                                   T.Translations([], 0.0),
                                   pd.DataFrame(columns=["lexicon"]), frag) if x.statement == "limits_fragments"][0]
    assert f.case == "some" and (f["n"], f["no_letters"], f["dateline"], f["short"]) == (4, 1, 1, 2)


def test_leave_one_out_names_the_article_the_shift_rests_on():
    two = TWO.assign(doc_id=["d1", "d1", "d3", "d3", "d2", "d2", "d4", "d4"],
                     cooperation_index=[0, 0, 0, 0, 1, 1, -0.5, -0.5])
    h = headline(mean_from=(0.0, 0.0, 0.0), mean_to=(0.25, -1.0, 1.0), difference=0.25, n_articles_from=2,
                 n_articles_to=2)
    loo = T.headline_leave_one_out(two, h)
    f = N.headline_loo_facts(loo, h, EPS)
    assert f.case == "rests" and f["article"] == "d2" and f["without"] == pytest.approx(-0.5)
    assert "d2" in f.text
    tbl = N.headline_loo_table(loo, EPS)
    assert tbl["without article"].iloc[0] == "d2" and len(tbl) == 4 and tbl["difference without it"].iloc[0] == "-0.50"
    assert N.headline_loo_facts(loo.iloc[0:0], None, EPS).case == "none"


def test_leave_one_out_with_a_one_article_episode_names_both_articles():
    one = TWO.assign(doc_id=["d1"] * 4 + ["d2", "d2", "d4", "d4"], cooperation_index=[0, 0, 0, 0, 1, 1, 0.1, 0.1])
    h = headline(mean_from=(0.0, 0.0, 0.0), difference=0.55, n_articles_from=1, n_articles_to=2)
    f = N.headline_loo_facts(T.headline_leave_one_out(one, h), h, EPS)
    assert f.case == "rests" and f["article"] == "d1" and f["without"] is None
    assert f["closest"] == "d2" and f["closest_without"] == pytest.approx(0.1)


def _coded(in_sample: bool = False) -> T.CodedSample:
    return T.CodedSample(pd.DataFrame(), 0, 0, 0, in_sample, in_sample)


def test_agreement_facts_and_table():
    from scripts import validity as VY

    table = pd.DataFrame([
        {"language": "fr", "measure": "cooperation_index", "n": 40, "rho": 0.61, "rho_low": 0.4, "rho_high": 0.75,
         "alpha": 0.5, "accuracy": 0.6, "baseline": 0.4, "in_sample": False},
        {"language": "fr", "measure": "vader_compound", "n": 40, "rho": 0.2, "rho_low": -0.1, "rho_high": 0.5,
         "alpha": 0.1, "accuracy": 0.5, "baseline": 0.4, "in_sample": False},
        {"language": "all", "measure": "cooperation_index", "n": 40, "rho": 0.61, "rho_low": 0.4, "rho_high": 0.75,
         "alpha": 0.5, "accuracy": 0.6, "baseline": 0.4, "in_sample": False}], columns=VY.AGREEMENT_COLUMNS)
    held = T.heldout_agreement()
    f = N.agreement_facts(table, _coded(), held)
    assert f.case == "measured" and "French (40 sentences): cooperation index ρ = 0.61 [0.40, 0.75], VADER ρ = 0.20" in f.text
    assert N.agreement_facts(table.assign(in_sample=True), _coded(True), held).case == "measured_in_sample"
    none = N.agreement_facts(table.iloc[0:0], _coded(), held)
    assert none.case == "unvalidated" and none.text.startswith("No hand-coded sentence of this corpus is available")
    en = held[held["language"] == "en"].iloc[0]
    assert f"{en['coop_rho']:.2f} in English ({int(en['n'])} sentences)" in none.text   # read from the file
    assert N.agreement_facts(table.iloc[0:0], _coded(), held.iloc[0:0]).text.endswith("unvalidated on it.")
    out = N.agreement_table(table)
    assert list(out["language"]) == ["French", "French", "all (pooled)"]
    assert list(out["measure"]) == ["coop.\u00a0index", "VADER", "coop.\u00a0index"]  # one line in print (no "in-dex")
    assert out["ρ [95% CI]"].iloc[1] == "0.20 [−0.10,\u00a00.50]" and list(out["all-neutral"]) == ["40%"] * 3
    assert N.agreement_table(table.assign(in_sample=True))["language"].str.endswith(", in-sample").all()


def test_vader_role_facts_read_the_heldout_figures():
    held = T.heldout_agreement()
    f = N.vader_role_facts(held)
    fr = held[held["language"] == "fr"].iloc[0]
    assert f.case == ("lower" if (held["vader_rho"] < held["coop_rho"]).all() else "not_lower")
    assert f"French: Spearman ρ {fr['vader_rho']:.2f} against {fr['coop_rho']:.2f}" in f.text
    flipped = held.assign(vader_rho=held["coop_rho"] + 0.1)
    assert N.vader_role_facts(flipped).case == "not_lower"
    assert N.vader_role_facts(held.iloc[0:0]).case == "missing"


def test_headline_language_facts_validity():
    from scripts import validity as VY

    scored = pd.DataFrame({"episode": ["a", "b"] * 20, "language": "fr", "sentence_id": [f"s{i}" for i in range(40)],
                           "text": [f"t{i}" for i in range(40)], "cooperation_index": [(-1) ** i * 0.3 for i in range(40)],
                           "vader_compound": [0.1 * (i % 3) for i in range(40)]})
    codes = scored[["sentence_id", "text"]].assign(label=[(-1) ** i for i in range(40)])
    choice = T.pick_headline_language(scored, "", VY.agreement(scored, codes, in_sample=True))
    f = N.headline_language_facts(choice)
    assert f.case == "validity" and f["measure"] == "cooperation index" and f["in_sample"]
    assert "highest lower bound of Spearman ρ" in f.text and "in-sample" in f.text


def test_highlight_excerpt_is_cut_around_the_match_and_escaped():
    text = "<script>alert(1)</script> a *long* preamble | that goes on and on, then the talks ended in a deep disagreement."
    a = text.index("disagreement")
    out = N.highlight_excerpt(text, [(a, a + len("disagreement"))], max_chars=40)
    assert "**disagreement**" in out and out.startswith("…")
    assert out.endswith("**disagreement**.") and len(out.replace("**", "").strip("…")) <= 40
    whole = N.highlight_excerpt(text, [(a, a + len("disagreement"))], max_chars=500)
    assert "&lt;script&gt;" in whole and "<script>" not in whole and "\\*long\\*" in whole
    assert "|" in whole and "\\|" not in whole      # md_table(raw=...) escapes the pipe itself
    from scripts import report
    cell = report.md_table(pd.DataFrame({"text": [whole]}), raw=("text",)).splitlines()[-1]
    assert cell.count(" | ") == 0 and "\\|" in cell   # one cell: the article's pipe is escaped once
    # the excerpt never starts after the first match, even when the matches span more than max_chars
    s0 = text.index("preamble")
    wide = N.highlight_excerpt(text, [(s0, s0 + 8), (a, a + 12)], max_chars=30)
    assert wide.startswith("…**preamble**")
    assert N.excerpt_window(100, [(90, 95)], 20) == (80, 100) and N.excerpt_window(100, [(2, 5)], 20) == (0, 20)
    cut = N.highlight_excerpt("alpha beta gamma delta epsilon zeta eta theta", [(17, 22)], max_chars=20)
    assert cut == "…gamma **delta** epsilon…"    # whole words only


def test_extremes_show_french_surface_forms_not_english_labels():
    fr = pd.DataFrame({"doc_id": "d", "sentence_id": ["p", "q"], "episode": ["a", "b"], "language": "fr",
                       "text": ["Les deux pays ont trouvé un terrain d'entente sur la Syrie.",
                                "Moscou dénonce les sanctions américaines."]})
    scored, m = TS.score_texts(fr), D.diplomatic_matches(fr)
    ex = N.extremes_table(T.extremes(scored, 1), EPS, m)
    assert len(m) and all(f"**{w}**" in " ".join(ex["text"]) for w in m["surface"])
    words = " ".join(ex["scores (sentence) and matched words"])
    assert all(f"“{w}”" in words for w in m["surface"]) and not any(f"“{e}”" in words for e in set(m["entry"]) - set(m["surface"]))
