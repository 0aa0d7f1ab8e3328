"""Tests of scripts/vader.py: NLTK's VADER engine given its lexicon directly, English against the
vaderSentiment reference, the French engine and its rules (negation scopes, boosters, overrides)."""
from __future__ import annotations

from pathlib import Path

import nltk
import pandas as pd
import pytest

from scripts import corpus as C
from scripts import vader as V

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds():
    return C.load_corpus(ROOT / "seeds")


# ------------------------------------------------------------------ lexicons given directly
def test_engines_hold_their_lexicon_and_write_nothing_for_nltk():
    before = list(nltk.data.path)
    fr = V.french_analyzer("textblob-fr")
    assert fr.lexicon == V.french_lexicon("textblob-fr")
    en = V.english_analyzer()
    assert en.lexicon == V.read_vader_lexicon(V._site_file("vaderSentiment", "vader_lexicon.txt"))
    assert nltk.data.path == before
    # a lexicon of our own is used as given
    engine = V.LexiconSentimentIntensityAnalyzer({"splendid": 3.0})
    assert engine.polarity_scores("a splendid day")["compound"] > 0.5
    assert engine.polarity_scores("a good day")["compound"] == 0.0


# ------------------------------------------------------------------ English VADER vs reference
NEGATION_WORDS = {"no", "not", "never", "nor", "without"}


def test_nltk_vader_agrees_with_reference_on_english_seed_sentences(seeds):
    texts = seeds.sentences.loc[seeds.sentences["language"] == "en", "text"].tolist()
    assert len(texts) >= 10
    agree = V.check_english_engine(seeds.sentences).padded
    # documented tolerance (chapter 4): identical on >= 90 % of sentences, r >= 0.95
    assert agree.share_identical >= 0.9
    assert agree.pearson_r >= 0.95
    # every sentence where they differ holds a negation word: the engines' "no"/"not" rules differ
    ours = [V.english_analyzer().polarity_scores(t)["compound"] for t in texts]
    ref = V.reference_compound([V.pad_quotes(t) for t in texts])
    for t, a, b in zip(texts, ours, ref):
        if abs(a - b) > 1e-4:
            words = {w.lower().strip('".,') for w in V.pad_quotes(t).split()}
            assert words & NEGATION_WORDS, t
            assert V.has_negation(t)


def test_english_engine_matches_reference_on_plain_sentences():
    for t in ["The talks were excellent and productive.", "Relations are at their worst point, a terrible crisis."]:
        assert V.english_analyzer().polarity_scores(t)["compound"] == pytest.approx(V.reference_compound([t])[0], abs=1e-4)


def test_check_english_engine_counts_differences_and_their_negations(seeds):
    check = V.check_english_engine(seeds.sentences)
    assert check.padded.n == int((seeds.sentences["language"] == "en").sum())
    assert check.n_differing == round((1 - check.padded.share_identical) * check.padded.n)
    assert 0 < check.n_differing == check.n_differing_negation          # all differences hold a negation
    assert check.raw.max_abs_diff > check.padded.max_abs_diff          # raw text: words glued to quotes missed
    plain = pd.DataFrame({"language": ["en", "en", "fr"], "text": ["The talks were excellent.", "A terrible crisis.",
                                                                   "Une crise."]})
    same = V.check_english_engine(plain)
    assert same.padded.n == 2 and same.n_differing == 0 and same.padded.share_identical == 1.0
    assert pd.isna(same.padded.pearson_r)                               # fewer than 3 sentences
    none = V.check_english_engine(plain[plain["language"] == "fr"])
    assert none.padded.n == 0 and pd.isna(none.padded.max_abs_diff)


# ------------------------------------------------------------------ French rules
def fr(text: str) -> float:
    return V.french_analyzer().polarity_scores(text)["compound"]


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
    assert V.french_negation_scope(words) == {2, 3}
    words = "les sanctions n' ont pas été discutées".split()
    assert V.french_negation_scope(words) == {3, 5, 6}


def test_french_boosters():
    assert fr("une très bonne rencontre") > fr("une bonne rencontre")
    assert fr("une rencontre profondément décevante") < fr("une rencontre décevante") < 0
    assert fr("une peu bonne rencontre") < fr("une bonne rencontre")


def test_french_lexicon_choices_and_overrides():
    lex = V.french_lexicon("vader-fr")
    assert "discuté" not in lex and "plus" not in lex      # null overrides delete words
    assert lex["tensions"] < 0 and lex["confiance"] > 0
    tb = V.french_lexicon("textblob-fr")
    assert tb["bon"] > 0 and tb["mauvais"] < 0
    with pytest.raises(ValueError):
        V.french_lexicon("nope")
    with pytest.raises(ValueError, match="no sentiment engine"):
        V.analyzer("de")


def test_french_negation_stops_at_the_clause_and_at_the_window():
    # the comma ends the negation: "bonne" is not negated
    assert fr("ce n'est pas grave, c'est une bonne rencontre") > 0
    # VADER's own window: at most `vader_window` words after the closer
    window = V.load_fr_fixes()["negation"]["vader_window"]
    far = "ce n'est pas " + "un " * window + "bon accord"
    assert fr(far) == pytest.approx(fr("un bon accord"))
    assert fr("ce n'est pas un bon accord") < 0


def test_topic_and_mistranslated_words_are_not_sentiment():
    lex = V.french_lexicon("vader-fr")
    for word in ("terrorisme", "crise", "guerre", "paix", "interrogé", "poursuivi", "sommet", "armes"):
        assert word not in lex, word
        assert word in V.read_vader_fr_lexicon()          # the package has them: the override deletes them
    assert fr("la lutte contre le terrorisme") == 0.0
    assert fr("interrogé sur la crise, il a poursuivi") == 0.0
    assert fr("une guerre terrible") < 0                   # the judgement ("terrible") still counts


def test_every_override_has_its_reason():
    text = V.FR_FIXES_FILE.read_text(encoding="utf-8")
    block = text[text.index("\nlexicon_overrides:") + 1:].splitlines()[1:]
    entries = [line for line in block if line.strip() and not line.strip().startswith("#")]
    assert len(entries) == len(V.load_fr_fixes()["lexicon_overrides"])
    # each override line is commented, or continues a group of inflections of the word above it
    undocumented = [e for e, prev in zip(entries, [""] + entries) if "#" not in e
                    and e.split(":")[0].strip()[:4] != prev.split(":")[0].strip()[:4]]
    assert not undocumented, undocumented


def test_vader_words_are_sentitexts_words(seeds):
    """The word list used to count hits is exactly NLTK's SentiText tokens, on the seeds and on
    punctuation-heavy edge cases."""
    from nltk.sentiment.vader import SentiText

    consts = V.english_analyzer().constants
    texts = list(seeds.sentences["text"]) + [
        "Great!!! Really?!? ,so -well- 'quoted' \"twice\" ...dots... a b", "!!! ?? -- ''", "", "x", "wow!?!? no!!",
        "l' ingérence « totale » , disent-ils ; non-stop:", "U.S.-Russia talks: 'no deal'!"]
    for text in texts:
        expected = SentiText(text, consts.PUNC_LIST, consts.REGEX_REMOVE_PUNCTUATION).words_and_emoticons
        assert V.vader_words(text, consts) == expected, text


def test_polarity_scores_are_nltks(seeds):
    """The engines score with NLTK's own ``polarity_scores`` steps (on :func:`vader_words` and patterns
    compiled without NLTK's timeout): the same scores as NLTK's method, English and French, on the
    seeds' sentences and punctuation-heavy edge cases."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

    assert V.english_analyzer().constants.REGEX_REMOVE_PUNCTUATION.pattern == VaderConstants.REGEX_REMOVE_PUNCTUATION.pattern
    edge = ["Great!!! Really?!? ,so -well- 'quoted' \"twice\" ...dots... a b", "!!! ?? -- ''", "", "x", "wow!?!? no!!",
            "kind of good, but NOT GREAT at all", "l' ingérence « totale » , disent-ils ; non-stop:", "U.S.-Russia talks: 'no deal'!",
            "Ce n'est pas une bonne idée, mais c'est très utile."]
    en, fr = V.english_analyzer(), V.french_analyzer()
    for lang, engine, prepare in (("en", en, V.pad_quotes), ("fr", fr, lambda t: V.split_elisions(t, fr.fixes))):
        texts = list(seeds.sentences.loc[seeds.sentences["language"] == lang, "text"]) + edge
        assert len(texts) > len(edge)
        for text in texts:
            ours = engine.polarity_scores(text)  # (French: sets the negation scope NLTK's method reads below)
            assert ours == SentimentIntensityAnalyzer.polarity_scores(engine, prepare(text)), text
            assert engine.words(text) == V.vader_words(prepare(text), engine.constants), text  # reused from scoring
        assert engine.words(edge[0]) == V.vader_words(prepare(edge[0]), engine.constants)  # not the last scored


def test_check_english_engine_counts_a_repeated_sentence_each_time(seeds):
    """Each distinct sentence is scored once, but every copy counts: the seeds doubled give twice the
    sentences and differing sentences, the same mean difference, share and correlation."""
    one = V.check_english_engine(seeds.sentences)
    two = V.check_english_engine(pd.concat([seeds.sentences, seeds.sentences], ignore_index=True))
    assert two.padded.n == 2 * one.padded.n and two.n_differing == 2 * one.n_differing
    assert two.n_differing_negation == 2 * one.n_differing_negation
    for a, b in ((one.padded, two.padded), (one.raw, two.raw)):
        assert b.max_abs_diff == a.max_abs_diff and b.mean_abs_diff == pytest.approx(a.mean_abs_diff)
        assert b.share_identical == pytest.approx(a.share_identical) and b.pearson_r == pytest.approx(a.pearson_r)
