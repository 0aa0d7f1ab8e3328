"""Tests of scripts/diplomatic.py: the bilingual lexicon file, matches with negation by clause
(flip/cancel), contrast, the US-Russia scope of alliance words, overlaps (longest match wins), the
graded cooperation index, and one compilation per lexicon."""
from __future__ import annotations

import pandas as pd
import pytest

from scripts import diplomatic as D
from scripts import tone_scores as TS


def contributions(text, lang):
    return [(m["entry"], m["contribution"]) for m in D.match_diplomatic(text, lang)]


def index(text, lang):
    return D.cooperation_index([m["contribution"] for m in D.match_diplomatic(text, lang)])[2]


# ------------------------------------------------------------------ the index
def test_cooperation_index_is_graded():
    k = D.diplomatic_settings()["index"]["k"]
    assert k > 0
    assert D.cooperation_index([1.5, -1.5, 1.0]) == (2.5, 1.5, pytest.approx(1.0 / (4.0 + k)))
    assert D.cooperation_index([1.5, -1.5, 1.0], k=0) == (2.5, 1.5, pytest.approx(0.25))   # the old saturating form
    assert D.cooperation_index([]) == (0.0, 0.0, 0.0)
    # one mild word scores less than several strong ones, and no one-sided sentence saturates at 1
    one, several = D.cooperation_index([0.5])[2], D.cooperation_index([1.5, 1.5, 1.0])[2]
    assert 0 < one < several < 1
    s = TS.score_texts(pd.DataFrame({"text": ["Russia and the US want dialogue and cooperation.",
                                             "Accusations and sanctions poisoned relations.",
                                             "The ministers met on Tuesday."],
                                    "language": ["en", "en", "en"]}))
    assert s["cooperation_index"].tolist() == [pytest.approx(2.5 / (2.5 + k)), pytest.approx(-4.5 / (4.5 + k)), 0.0]


# ------------------------------------------------------------------ negation
def test_negation_flips_or_cancels():
    assert contributions("no breakthrough was announced", "en") == [("improvement", -1.0)]       # flip
    assert contributions("nous ne le tolèrerons pas", "fr") == [("tolerate", -1.0)]             # flip
    assert contributions("ne pas tolérer cela", "fr") == [("tolerate", -1.0)]
    assert contributions("les sanctions n'ont pas été discutées", "fr") == [("sanctions", 0.0)]  # cancel (subject)
    assert contributions("sanctions were not discussed", "en") == [("sanctions", 0.0)]
    assert contributions("nouvelles sanctions", "fr") == [("sanctions", -1.5)]


def test_negation_reaches_the_clause_not_three_words():
    # "agreement" is seven words after "not": still negated; "sanctions" after the comma is not
    assert contributions("Moscow has not made any real progress toward a lasting agreement, despite sanctions", "en") == \
        [("improvement", -1.0), ("agreement", -1.0), ("sanctions", -1.5)]
    assert contributions("Les deux pays ne sont toujours pas parvenus à un accord durable sur la coopération", "fr") == \
        [("agreement", -1.0), ("cooperation", -1.5)]
    # a negator does not reach back over its clause: "constructive" stays, "threats" are cancelled
    assert contributions("The visit was constructive, with no threats", "en") == \
        [("constructive", 1.0), ("threat", 0.0)]


def test_despite_does_not_negate_and_failure_verbs_do():
    assert contributions("Despite their disagreements, the two leaders agreed to cooperate", "en") == \
        [("disagreement", -1.5), ("agreement", 1.0), ("cooperation", 1.5)]
    assert contributions("Malgré leurs désaccords, les deux dirigeants veulent coopérer", "fr") == \
        [("disagreement", -1.5), ("cooperation", 1.5)]
    assert contributions("The two sides failed to reach a compromise", "en") == [("agreement", -1.0)]
    assert contributions("Les deux pays ont échoué à trouver un accord", "fr") == [("agreement", -1.0)]
    assert contributions("Moscou et Washington n'ont pas réussi à relancer le dialogue", "fr")[-1] == ("resumption", -1.0)
    assert index("Les deux camps ont discuté sans confiance", "fr") < 0
    assert contributions("Le ministre s'est abstenu d'accuser Moscou", "fr") == [("accusation", 0.0)]
    assert contributions("Washington refrained from new sanctions", "en") == [("sanctions", 0.0)]


# ------------------------------------------------------------------ contrast
def test_the_clause_after_but_decides():
    c = dict(contributions("The talks stalled, but the two leaders agreed to meet again", "en"))
    assert c == {"deadlock": -0.5, "agreement": 1.5}
    assert index("Les discussions sont dans l'impasse, mais les deux pays veulent coopérer", "fr") > 0
    # "but also" adds, it does not turn the sentence round
    assert dict(contributions("Sanctions, but also dialogue", "en")) == {"sanctions": -1.5, "dialogue": 1.0}


# ------------------------------------------------------------------ scope: a bloc's own alliance words
def test_alliance_words_of_one_bloc_are_not_us_russia_cooperation():
    bloc = D.match_diplomatic("If Russia attacks us, our partners and NATO will respond", "en")
    assert [(m["entry"], m["contribution"], m["effect"]) for m in bloc if m["entry"] == "partnership"] == \
        [("partnership", 0.0, "bloc")]
    assert contributions("Les alliés européens de Washington sont inquiets", "fr") == []   # "alliés" is no entry
    # a partnership between the two sides counts; one side alone does not
    assert contributions("A partnership between Russia and the United States is possible", "en") == [("partnership", 1.0)]
    assert contributions("Germany wants a partnership with Poland", "en") == [("partnership", 0.0)]


def test_relation_scope():
    assert D.relation_scope("Biden and Putin met in Geneva").both
    assert D.relation_scope("Le Kremlin a salué la rencontre").in_scope             # one side + a relational word
    assert D.relation_scope("Les deux pays veulent avancer").in_scope               # a bilateral marker
    assert not D.relation_scope("Jordan joined the plan").in_scope
    assert not D.relation_scope("us and them").us                                     # "us" is not "US"


# ------------------------------------------------------------------ coverage of French diplomatic vocabulary
@pytest.mark.parametrize("text, entry", [
    ("la reprise du dialogue", "resumption"), ("de nouvelles négociations", "negotiation"),
    ("un accord-cadre", "agreement"), ("une période de détente", "thaw"), ("pour rapprocher les positions", "rapprochement"),
    ("ils veulent coopérer", "cooperation"), ("des sanctions ciblées", "sanctions"), ("des tensions accrues", "tension"),
    ("une menace directe", "threat"), ("il a accusé Moscou", "accusation"), ("Moscou a expulsé deux diplomates", "retaliation"),
    ("une escalade militaire", "escalation"), ("des relations tendues", "tension"), ("la désescalade", "de-escalation"),
    ("un désaccord profond", "disagreement"), ("la méfiance réciproque", "distrust"), ("une rencontre cordiale", "constructive"),
    ("la froideur des relations", "icy"), ("le retour des ambassadeurs", "resumption"),
])
def test_french_vocabulary(text, entry):
    assert entry in [e for e, _ in contributions(text, "fr")]


def test_topic_exclusions():
    assert contributions("le réchauffement climatique", "fr") == []       # global warming is no thaw
    assert contributions("leurs positions respectives", "fr") == []      # "respectives" is no respect
    assert contributions("at their respective embassies", "en") == []


# ------------------------------------------------------------------ matching
def test_longest_match_wins_and_plus_de_tensions():
    assert contributions("Le faible niveau de confiance", "fr") == [("lowest point", -2.0)]
    assert contributions("restaurer la confiance", "fr") == [("trust", 1.5)]
    assert contributions("plus de tensions", "fr") == [("tension", -1.5)]
    assert contributions("the de-escalation of the crisis", "en") == [("de-escalation", 1.0)]


def test_lexicon_file_is_valid():
    lex = D.load_diplomatic_lexicon()
    assert set(lex["pole"]) == {"cooperation", "confrontation"}
    assert lex["id"].is_unique
    assert ((lex["en"] != "") & (lex["fr"] != "")).all()
    assert list(lex.columns) == D.LEXICON_COLUMNS and lex["bloc"].sum() >= 1
    compiled = D.compile_lexicon(lex)
    for lang in ("en", "fr"):   # no entry may match alliance words
        assert not any(p.match(w) for _, p in compiled.entries[lang] for w in ("ally", "allies", "alliance", "allié", "alliés"))


def test_lexicon_is_compiled_once_per_frame():
    lex = D.load_diplomatic_lexicon()
    assert D._compiled(lex, None) is D._compiled(lex, None)
    assert D._compiled(lex.copy(), None) is not D._compiled(lex, None)
    assert D.match_diplomatic("dialogue", "en", D.compile_lexicon(lex)) == D.match_diplomatic("dialogue", "en", lex)
    assert D.match_diplomatic("dialogue", "de") == []


def test_matches_table_has_one_row_per_match():
    sents = pd.DataFrame({"doc_id": "d", "episode": "a", "language": ["en", "fr"], "sentence_id": ["p", "q"],
                          "text": ["Dialogue and sanctions.", "Une réunion."]})
    m = D.diplomatic_matches(sents)
    assert list(m["entry"]) == ["dialogue", "sanctions"] and set(m["sentence_id"]) == {"p"}
    assert list(m["contribution"]) == [1.0, -1.5] and list(m["factor"]) == [1.0, 1.0]
    assert list(m.columns) == D.MATCH_COLUMNS


def test_matching_once_matches_each_sentence_once_and_returns_copies():
    """The stage's per-article lexicon (``matching_once``): the same matches and tables as the plain
    lexicon, each (sentence, language) matched once, and a caller changing a row changes no later answer."""
    text = "Washington and Moscow did not agree to cooperate, but Russia welcomed the dialogue."
    lex = D.matching_once()
    first = D.match_diplomatic(text, "en", lex)
    assert first == D.match_diplomatic(text, "en") and first
    assert list(lex.memo) == [(text, "en")]
    first[0]["contribution"] = 99.0
    assert D.match_diplomatic(text, "en", lex) == D.match_diplomatic(text, "en")
    sentences = pd.DataFrame({"doc_id": ["d", "d"], "episode": ["e", "e"], "language": ["en", "fr"], "sentence_id": ["s0", "s1"],
                              "text": [text, "La Russie et les États-Unis ne coopèrent pas."]})
    once = D.matching_once()
    pd.testing.assert_frame_equal(TS.score_sentences(sentences, "vader-fr", once), TS.score_sentences(sentences))
    pd.testing.assert_frame_equal(D.diplomatic_matches(sentences, once), D.diplomatic_matches(sentences))
    assert len(once.memo) == 2
