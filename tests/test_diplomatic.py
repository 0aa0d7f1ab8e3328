"""Tests of scripts/diplomatic.py: the bilingual lexicon file, matches with negation (flip/cancel),
overlaps (longest match wins) and the cooperation index."""
from __future__ import annotations

import pandas as pd
import pytest

from scripts import diplomatic as D
from scripts import tone as T


def contributions(text, lang):
    return [(m["entry"], m["contribution"]) for m in D.match_diplomatic(text, lang)]


def test_cooperation_index_worked_examples():
    assert D.cooperation_index([1.5, -1.5, 1.0]) == (2.5, 1.5, pytest.approx(0.25))
    assert D.cooperation_index([]) == (0.0, 0.0, 0.0)
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
    lex = D.load_diplomatic_lexicon()
    assert set(lex["pole"]) == {"cooperation", "confrontation"}
    assert lex["id"].is_unique
    assert ((lex["en"] != "") & (lex["fr"] != "")).all()


def test_matches_table_has_one_row_per_match():
    sents = pd.DataFrame({"doc_id": "d", "episode": "a", "language": ["en", "fr"], "sentence_id": ["p", "q"],
                          "text": ["Dialogue and sanctions.", "Une réunion."]})
    m = D.diplomatic_matches(sents)
    assert list(m["entry"]) == ["dialogue", "sanctions"] and set(m["sentence_id"]) == {"p"}
    assert list(m["contribution"]) == [1.0, -1.5]
