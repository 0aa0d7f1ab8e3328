"""tools/devcorpus/score_cleaning.py on toy data the test writes (no third-party text)."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools" / "devcorpus"))

import devcorpus as D  # noqa: E402
import score_cleaning as SC  # noqa: E402

LEAD = "OSLO - The talks began late in the evening on Friday and went on until well after midnight."


def test_word_runs():
    assert SC.occurs_in(["b", "c"], ["a", "b", "c", "d"]) and not SC.occurs_in(["b", "d"], ["a", "b", "c", "d"])
    assert not SC.occurs_in([], ["a"])
    assert SC.longest_run_share(["x", "b", "c", "d", "e"], ["a", "b", "c", "d", "e"]) == 0.8


def test_sentence_fates_tell_kept_lost_and_reproduced():
    annotated = {"Photo: Jane Roe": 1, "Menu": 1, "The ministers met for three hours.": 0, "They agreed. On a date.": 0,
                 f"date 2021-01-01 {LEAD}": 0, "Dropped real text here.": 0}
    ref = pd.DataFrame({"doc_id": "a", "sentence_hash": [D.sentence_hash(t) for t in annotated], "text": list(annotated)})
    tone = ref.assign(junk=list(annotated.values()), label=0)
    current = pd.DataFrame({"doc_id": "a", "text": ["Menu", "The ministers met for three hours.", "They agreed.", "On a date.", LEAD]})
    f = SC.sentence_fates(tone, ref, current).set_index("text")
    assert f.loc["Photo: Jane Roe", "kept"] == 0 and f.loc["Menu", "kept"] == 1            # junk removed / junk kept
    assert f.loc["The ministers met for three hours.", ["kept", "reproduced"]].tolist() == [True, True]
    assert f.loc["They agreed. On a date.", ["kept", "reproduced"]].tolist() == [True, False]  # re-split: kept, not reproduced
    assert f.loc[f"date 2021-01-01 {LEAD}", "kept"]                                          # a metadata prefix split off
    assert not f.loc["Dropped real text here.", "kept"]                                      # lost
    assert f["found"].all()
