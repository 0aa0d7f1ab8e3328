"""Tests of scripts/tone_scores.py: the per-sentence scores (repeated texts scored once), and why the
module exists: the analysis stage's cache key covers the code the scoring runs (this module, the
engines and their data files) and not the tone chapter's statistics (scripts/tone.py)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scripts import corpus as C
from scripts import tone_scores as TS
from scripts.stage import store as S

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds():
    return C.load_corpus(ROOT / "seeds")


def test_scores_add_the_score_columns_and_leave_other_languages_unscored():
    frame = pd.DataFrame({"text": ["Russia and the US want dialogue.", "Sanctions.", "Dialog und Zusammenarbeit."],
                          "language": ["en", "fr", "de"], "extra": [1, 2, 3]}, index=[7, 8, 9])
    scored = TS.score_texts(frame)
    assert list(scored.columns) == ["text", "language", "extra", *TS.SCORE_COLUMNS]
    assert list(scored.index) == [0, 1, 2] and list(scored["extra"]) == [1, 2, 3]
    assert scored.loc[0, "cooperation_index"] > 0 and scored.loc[1, "cooperation_index"] < 0
    assert scored.loc[0, "vader_words"] == 6 and scored.loc[0, "dip_hits"] >= 1
    assert pd.isna(scored.loc[2, "vader_compound"]) and scored.loc[2, "dip_entries"] == "" and scored.loc[2, "coop_weight"] == 0
    pd.testing.assert_frame_equal(TS.score_sentences(frame), scored)


def test_a_repeated_text_is_scored_once_with_the_same_scores_as_alone(seeds, monkeypatch):
    """score_texts scores each distinct (text, language) once: a corpus of wire copies costs what
    its distinct sentences cost, and every row gets the scores it gets when scored alone."""
    sents = seeds.sentences.head(12)
    doubled = pd.concat([sents, sents.iloc[::-1]], ignore_index=True)
    calls = []
    real = TS.match_diplomatic
    monkeypatch.setattr(TS, "match_diplomatic", lambda text, lang, lex: calls.append(text) or real(text, lang, lex))
    scored = TS.score_texts(doubled)
    assert len(calls) == sents.drop_duplicates(["text", "language"]).shape[0]
    monkeypatch.setattr(TS, "match_diplomatic", real)
    alone = pd.concat([TS.score_texts(doubled.iloc[[i]]) for i in range(len(doubled))], ignore_index=True)
    pd.testing.assert_frame_equal(scored, alone)


# ------------------------------------------------------------------ the stage's cache key
def _edit_docstring(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_editing_a_chapter_statistic_keeps_the_stage_analysis_key(tmp_path, monkeypatch):
    """The point of the module: a docstring edit of a chapter-only function of tone.py (a copy of the
    tree) leaves the hash the stage keys step 2 on (tone scores) unchanged; the same edit of the scoring
    module changes it."""
    for rel in {*S.CODE_FILES, *S.ANALYSIS_FILES, "scripts/tone.py"}:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    monkeypatch.setattr(S, "ROOT", tmp_path)
    before = (S.code_hash(), S.code_hash(S.ANALYSIS_FILES))
    _edit_docstring(tmp_path / "scripts/tone.py", '"""(estimate in the first bin, estimate in the last bin)',
                    '"""(estimate in the first bin, estimate in the last bin; edited)')
    assert (S.code_hash(), S.code_hash(S.ANALYSIS_FILES)) == before
    _edit_docstring(tmp_path / "scripts/tone_scores.py", '"""The sentences table of', '"""The sentences table (edited) of')
    assert S.code_hash() == before[0] and S.code_hash(S.ANALYSIS_FILES) != before[1]


#: run in a fresh interpreter: the stage's per-article tone step, recording the modules it imports and
#: the files it opens (an audit hook), printed as JSON
_CLOSURE = r"""
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and isinstance(args[0], str) else None)
import pandas as pd
from scripts.stage import analyse as N
sentences = pd.DataFrame({"doc_id": "d", "episode": "e", "language": ["en", "fr"], "sentence_id": ["s0", "s1"],
                          "text": ["The US and Russia did not reject dialogue.", "La Russie ne coopère pas avec Washington."]})
tone, matches = N.article_tone(sentences)
assert len(tone) == 2 and len(matches)
print(json.dumps({"prefix": sys.prefix, "modules": sorted(n for n in sys.modules if n == "scripts" or n.startswith("scripts.")),
                  "files": sorted(set(opened))}))
"""


def test_the_stage_key_covers_every_file_the_tone_step_runs_or_reads():
    """Every ``scripts`` module the stage's tone step imports, and every file of the project it opens
    (lexicons, rules), is hashed into the stage's keys (package ``__init__`` files aside: they hold no
    logic); the tone chapter's statistics module is neither imported nor hashed. Files outside the
    project (the VADER lexicons of installed packages) are pinned by requirements.txt, in CODE_FILES."""
    out = subprocess.run([sys.executable, "-c", _CLOSURE], cwd=ROOT, capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    hashed = {*S.CODE_FILES, *S.ANALYSIS_FILES}
    modules = {n.replace(".", "/") + ".py" for n in got["modules"]}
    assert {"scripts/tone_scores.py", "scripts/vader.py", "scripts/diplomatic.py"} <= modules
    assert "scripts/tone.py" not in modules, "the stage's tone step imports the chapter's statistics (scripts/tone.py)"
    assert "scripts/tone.py" not in hashed and "requirements.txt" in hashed
    package_inits = {rel for rel in modules if not (ROOT / rel).is_file()}  # scripts, scripts.stage: __init__.py
    assert package_inits == {"scripts.py", "scripts/stage.py"}
    unhashed = modules - package_inits - hashed - {"scripts/stage/engines.py"}  # engines: how the map runs, not what it computes
    assert not unhashed, f"modules the tone step runs that no stage key covers: {sorted(unhashed)}"
    prefix = Path(got["prefix"]).resolve()  # the virtualenv (installed packages), inside ROOT here
    opened = {Path(f).resolve() for f in got["files"]}
    read = {str(p.relative_to(ROOT)) for p in opened if p.is_relative_to(ROOT) and not p.is_relative_to(prefix)
            and p.is_file() and p.suffix not in (".py", ".pyc")}
    assert {"scripts/data/diplomatic_lexicon.yml", "scripts/data/tone_fr_fixes.yml"} <= read
    assert read <= hashed, f"files the tone step reads that no stage key covers: {sorted(read - hashed)}"
