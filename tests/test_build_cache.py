"""Caching and safety of scripts.build: a rebuild with nothing changed executes nothing, editing one
seed re-executes the chapters, two builds into one folder never run at once.

A copy of the tiny corpus is built once in the background (conftest); this module adds one full build
(the edited seed, run as two simultaneous builds of which exactly one may proceed), a partial one (a
parameter) and cheap no-change rebuilds. Wall
times are measured by ``tools/bench_build.py``, not asserted here."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, TINY, book_job, built_book, run_build
from filelock import FileLock

from scripts import build as B

NEW_SENTENCE = "Un paragraphe ajouté par le test du cache rappelle que le sommet de Genève a duré quatre heures."


def tree_hashes(out: Path, parts=("html", "data")) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for part in parts for p in sorted((out / part).rglob("*")) if p.is_file()}


def _copy_of_tiny(base: Path) -> Path:
    shutil.copytree(TINY, base / "seeds")
    return base / "seeds"


book_job("cache_book", (_copy_of_tiny, ()))


@pytest.fixture(scope="module")
def copy_of_tiny_book(request) -> tuple[Path, Path]:
    """(seeds, out): a copy of the tiny corpus and its book (built in the background, conftest), to rebuild at will."""
    out = built_book(request, "cache_book")
    return out.parent / "seeds", out


def _assert_nothing_executed(stdout: str) -> None:
    for rel in B.toc_notebooks():
        assert f"{rel}: unchanged, not re-executed" in stdout, (rel, stdout)
    assert "executing" not in stdout and "[html] jupyter-book" not in stdout, stdout
    assert "[html] nothing changed: the book is up to date" in stdout


def test_rebuild_with_nothing_changed_executes_no_notebook(copy_of_tiny_book):
    seeds, out = copy_of_tiny_book
    before = tree_hashes(out)
    proc = run_build(seeds, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _assert_nothing_executed(proc.stdout)
    assert tree_hashes(out) == before  # same book, same tables


def test_editing_one_seed_reexecutes_and_concurrent_builds_do_not_collide(copy_of_tiny_book):
    seeds, out = copy_of_tiny_book
    path = seeds / "geneva_fr.txt"
    title, rest = path.read_text(encoding="utf-8").split("\n", 1)  # a new paragraph after the headline
    path.write_text(title + "\n\n" + NEW_SENTENCE + "\n" + rest, encoding="utf-8")
    # two builds started at the same moment into the same folder: one builds, the other refuses
    cmd = [sys.executable, "-m", "scripts.build", "--seeds", str(seeds), "--out", str(out)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=1800), *p.communicate()) for p in procs]
    codes = sorted(r[0] for r in results)
    assert codes == [0, 3], results
    winner = next(r for r in results if r[0] == 0)
    loser = next(r for r in results if r[0] == 3)
    assert loser[2].startswith("error: another build is writing") and "wait for it to finish" in loser[2]
    for rel in B.toc_notebooks():
        assert f"{rel}: executing" in winner[1], (rel, winner[1])
    assert "[html] jupyter-book build" in winner[1]
    sentences = pd.read_csv(out / "data" / "sentences.csv")
    assert NEW_SENTENCE in set(sentences["text"])
    assert not (out / "work").exists()
    # and once built, nothing to do again
    again = run_build(seeds, out)
    assert again.returncode == 0, again.stderr
    _assert_nothing_executed(again.stdout)


def test_a_parameter_reexecutes_only_the_chapters_that_declare_or_read_it(copy_of_tiny_book):
    seeds, out = copy_of_tiny_book
    chapter = "chapters/01_corpus.ipynb"
    assert "n_examples" in B.notebook_parameters(ROOT / chapter)
    proc = run_build(seeds, out, "--param", "n_examples=3")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{chapter}: executing" in proc.stdout
    for rel in B.toc_notebooks():
        if rel == chapter or "n_examples" in B.notebook_parameters(ROOT / rel) or B.reads_earlier_chapters(ROOT / rel):
            continue
        assert f"{rel}: unchanged, not re-executed" in proc.stdout, (rel, proc.stdout)


def test_second_build_exits_3_while_the_lock_is_held(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(str(out / ".build.lock")):
        proc = run_build(TINY, out)
    assert proc.returncode == 3
    assert proc.stderr.strip() == (f"error: another build is writing {out} (lock {out / '.build.lock'}): "
                                   "wait for it to finish, or use --out for a separate folder")
    assert proc.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [".build.lock"]  # nothing touched
