"""Tests of scripts/negation.py: a negator reaches the rest of its clause (English and French),
"despite"/"malgré" do not negate, failure verbs do, "ne ... que" and the expletive "ne" do not,
verbal negators reach back to the subject only after an auxiliary."""
from __future__ import annotations

import re

from scripts import negation as N
from scripts.diplomatic import diplomatic_settings
from scripts.vader import load_fr_fixes

EN = N.english_rules(diplomatic_settings()["negation"]["en"])
FR = N.french_rules(load_fr_fixes()["negation"])


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+n't|\w+'|\w+(?:-\w+)*|[^\w\s]", text.lower())


def negated(text: str, rules: N.NegationRules) -> list[str]:
    toks = tokens(text)
    return [toks[i] for i in sorted(N.negation(toks, rules).scope)]


def test_english_negator_reaches_its_whole_clause_not_a_window():
    assert negated("Moscow has not made any real progress toward a lasting agreement", EN) == \
        ["made", "any", "real", "progress", "toward", "a", "lasting", "agreement"]
    # a comma, a conjunction or a relative pronoun ends the reach
    assert negated("They did not agree, and sanctions followed", EN) == ["agree"]
    assert negated("Washington rejected talks that were not constructive", EN) == ["constructive"]
    assert negated("Relations never improved which worried diplomats", EN) == ["improved"]


def test_despite_is_not_a_negator_and_failure_verbs_are():
    assert negated("Despite disagreements the sides agreed", EN) == []
    assert negated("The two sides failed to reach a compromise on Syria", EN) == ["reach", "a", "compromise", "on", "syria"]
    assert negated("Moscow refused to cooperate", EN) == ["cooperate"]
    assert negated("They didn't agree", EN) == ["agree"]


def test_phrases_that_do_not_negate():
    assert negated("Not only cooperation but trust", EN) == []
    assert negated("There is no doubt about the tension", EN) == []
    assert negated("A few disagreements remain", EN) == []
    assert negated("Few signs of progress", EN) == ["signs", "of", "progress"]   # "few" without "a" does negate


def test_french_two_part_negation_reaches_the_clause():
    assert negated("Les deux pays ne sont toujours pas parvenus à un accord durable, mais ils discutent", FR) == \
        ["sont", "toujours", "parvenus", "à", "un", "accord", "durable"]
    assert negated("Moscou n'a jamais accepté ces sanctions", FR) == ["a", "accepté", "ces", "sanctions"]
    assert negated("Ils ne parlent guère de coopération", FR) == ["parlent", "de", "coopération"]


def test_french_restrictive_expletive_and_standalone():
    assert negated("Ils ne parlent que de coopération", FR) == []          # ne ... que = only
    assert negated("avant qu'il ne parte en Russie", FR) == []             # expletive ne, no closer
    assert negated("un sommet sans accord ni progrès", FR)[:1] == ["accord"]
    assert negated("Ils ont échoué à s'entendre sur un cessez-le-feu", FR)[:2] == ["s'", "entendre"]
    assert negated("faute de consensus international", FR) == ["consensus", "international"]
    assert negated("malgré les tensions, un accord", FR) == []             # "malgré" is not a negator
    assert negated("plus de tensions", FR) == []                           # "plus" alone: more, not no more
    assert negated("un fossé sans précédent", FR) == []


def test_window_caps_the_reach_for_the_sentiment_engine():
    capped = N.french_rules(load_fr_fixes()["negation"], max_words=2)
    assert negated("ce n'est pas une très bonne rencontre", capped) == ["est", "une", "très"]
    assert negated("ce n'est pas une très bonne rencontre", FR) == ["est", "une", "très", "bonne", "rencontre"]


def test_punctuation_attached_to_words_ends_the_clause():
    toks = "il n' y a pas de tensions, la coopération continue".split()
    scope = N.negation(toks, FR).scope
    assert [toks[i] for i in sorted(scope)] == ["y", "a", "de", "tensions,"]


def test_subject_of_a_negated_verb():
    toks = tokens("sanctions were not discussed")
    assert N.negated_by_verb(N.negation(toks, EN), 0, 3)
    toks = tokens("tensions not seen since 1962")   # no auxiliary before "not"
    assert not N.negated_by_verb(N.negation(toks, EN), 0, 3)
    toks = tokens("les sanctions n'ont pas été discutées")
    assert N.negated_by_verb(N.negation(toks, FR), 1, 3)
    toks = tokens("sanctions, which were not discussed")                 # another clause
    assert not N.negated_by_verb(N.negation(toks, EN), 0, 3)
