"""Sentence splitting (scripts/sentences.py): Punkt held to the boundary rules of
scripts/data/sentences.yml. Every test line is written for the test."""
from __future__ import annotations

import pytest

from scripts import sentences as S


@pytest.fixture(scope="module")
def en() -> S.SentenceSplitter:
    return S.train_sentence_splitter([""], "en")


@pytest.fixture(scope="module")
def fr() -> S.SentenceSplitter:
    return S.train_sentence_splitter([""], "fr")


def test_titles_never_end_a_sentence(en, fr):
    assert S.split_sentences("M. Lavrov a parlé. Mme Dupont a répondu.", fr) == ["M. Lavrov a parlé.", "Mme Dupont a répondu."]
    # "Le" starts sentences, but after the title "M." it is part of a name
    assert S.split_sentences("M. Le Drian a reçu M. Lavrov. Ils ont parlé.", fr) == ["M. Le Drian a reçu M. Lavrov.", "Ils ont parlé."]
    assert S.split_sentences("Mr. Pompeo met Mr. Lavrov in St. Petersburg. They talked.", en) == [
        "Mr. Pompeo met Mr. Lavrov in St. Petersburg.", "They talked."]


@pytest.mark.parametrize("text,expected", [
    # an abbreviation before a word that starts sentences ends the sentence ...
    ("Sanctions were discussed in the U.S. The talks ended late.", ["Sanctions were discussed in the U.S.", "The talks ended late."]),
    ("He lives on Main St. He never moved.", ["He lives on Main St.", "He never moved."]),
    ("Washington and Moscow, the U.S. and Russia, disagree. But both want talks.",
     ["Washington and Moscow, the U.S. and Russia, disagree.", "But both want talks."]),
    # ... before a capitalised noun it does not
    ("The U.S. Secretary of State met his counterpart. They talked.", ["The U.S. Secretary of State met his counterpart.", "They talked."]),
    ("Talks with the U.N. Security Council resumed. Diplomats were hopeful.",
     ["Talks with the U.N. Security Council resumed.", "Diplomats were hopeful."]),
    # nor before a word in lower case
    ("The meeting ended at 3 p.m. local time, officials said.", ["The meeting ended at 3 p.m. local time, officials said."]),
    ("John F. Kennedy met his counterpart in 1961. It went badly.", ["John F. Kennedy met his counterpart in 1961.", "It went badly."]),
])
def test_english_abbreviations_end_a_sentence_depending_on_what_follows(en, text, expected):
    assert S.split_sentences(text, en) == expected


@pytest.mark.parametrize("text,expected", [
    ("Les États-Unis, i.e. les U.S. La Russie a répondu.", ["Les États-Unis, i.e. les U.S.", "La Russie a répondu."]),
    ("Il a parlé à Mme Dupont, etc. Le ministre a conclu.", ["Il a parlé à Mme Dupont, etc.", "Le ministre a conclu."]),
    ("Il vit à St. Pétersbourg depuis 2010. Il y travaille.", ["Il vit à St. Pétersbourg depuis 2010.", "Il y travaille."]),
    ("Il est né en janv. 1950 à Paris.", ["Il est né en janv. 1950 à Paris."]),
])
def test_french_abbreviations(fr, text, expected):
    assert S.split_sentences(text, fr) == expected


def test_a_small_corpus_cannot_teach_false_abbreviations_or_collocations():
    """Four lines where "loi" always ends a sentence: Punkt alone learns "loi" as an abbreviation
    and ("loi", "un") as a collocation, and would not cut "la loi. Un débat"."""
    texts = ["Le texte respecte la loi. Le ministre a répondu aux questions des députés.",
             "Personne ne conteste la loi. Les députés ont voté le texte mardi soir.",
             "Il faut appliquer la loi. Un débat aura lieu la semaine prochaine au Sénat.",
             "Le gouvernement défend le projet de loi. Les syndicats annoncent une grève."] * 2
    sp = S.train_sentence_splitter(texts, "fr")
    assert "loi" not in sp.params.abbrev_types and not sp.params.collocations
    assert S.split_sentences(texts[2], sp) == ["Il faut appliquer la loi.", "Un débat aura lieu la semaine prochaine au Sénat."]
    # abbreviations of the data file and forms only abbreviations have are kept
    assert {"m", "mme", "u.s"} <= sp.params.abbrev_types


def test_a_period_before_lower_case_does_not_end_a_sentence(en, fr):
    assert S.split_sentences('"It went very well. ", the president said.', en) == ['"It went very well. ", the president said.']
    assert S.split_sentences("Ils ont parlé pendant trois heures. et se sont quittés.", fr) == [
        "Ils ont parlé pendant trois heures. et se sont quittés."]


def test_french_guillemets_stay_with_their_quote(fr):
    sents = S.split_sentences("Il a parlé. « Nous voyons des tentatives. Nous croyons que c'est une erreur », a-t-il dit.", fr)
    assert sents[0] == "Il a parlé."
    assert sents[1].startswith("« Nous voyons")
    assert not any(s.endswith("«") for s in sents)


def test_boundary_rules_are_read_from_the_data_file():
    rules = S.boundary_rules("fr")
    assert "m" in rules["titles"] and "le" in rules["sentence_starters"]
    assert rules["learned_abbreviations"].fullmatch("u.s") and rules["learned_abbreviations"].fullmatch("j")
    assert not rules["learned_abbreviations"].fullmatch("year")
    # 'no' is quoted in the YAML so that it is the word, not the boolean False
    assert "no" in S.abbreviations("en") and all(isinstance(a, str) for a in S.abbreviations("en"))
