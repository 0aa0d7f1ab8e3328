"""Shared fixtures. Book builds are expensive, so each corpus is built once per test session and
reused by the end-to-end, browser, escaping and PDF tests."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TINY = FIXTURES / "tiny"
ONE_EPISODE = FIXTURES / "one_episode"  # one English article, one episode
CORPORA = {"seeds": ROOT / "seeds", "tiny": TINY, "one_episode": ONE_EPISODE}
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots and logs kept for people to look at (git-ignored)



# Markers (declared in pyproject.toml): `make test-fast` deselects e2e, browser and pdf.
_MODULE_MARKS = {"test_build_e2e": ("e2e",), "test_build_cache": ("e2e",), "test_bad_input": ("e2e",),
                 "test_escaping": ("e2e",), "test_browser": ("e2e", "browser"), "test_pdf": ("e2e", "pdf")}
_BOOK_FIXTURES = {"tiny_book", "seeds_book", "one_episode_book"}


def pytest_collection_modifyitems(config, items):
    """Mark whole modules that build books, and any test using a built-book fixture, as e2e."""
    for item in items:
        for mark in _MODULE_MARKS.get(item.module.__name__.rsplit(".", 1)[-1], ()):
            item.add_marker(getattr(pytest.mark, mark))
        if _BOOK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


def run_build(seeds: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run ``python -m scripts.build`` as a user would; return the finished process."""
    return subprocess.run([sys.executable, "-m", "scripts.build", "--seeds", str(seeds), "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def tiny_book(tmp_path_factory) -> Path:
    """The tiny fixture corpus built strictly (warnings are errors) into a fresh folder."""
    out = tmp_path_factory.mktemp("tiny_book")
    proc = run_build(TINY, out, "--strict")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def seeds_book(tmp_path_factory) -> Path:
    """The bundled seeds built strictly into a fresh folder (PDF too when XeLaTeX is installed)."""
    out = tmp_path_factory.mktemp("seeds_book")
    extra = ["--strict"] + (["--pdf"] if shutil.which("xelatex") and shutil.which("latexmk") else [])
    proc = run_build(ROOT / "seeds", out, *extra)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="session", params=sorted(CORPORA))
def any_corpus(request):
    """The bundled seeds, the tiny fixture and the one-episode fixture, loaded once each: narrative
    tests run on all three so every template is rendered where there is, and is not, something to compare."""
    from scripts.corpus import load_corpus

    return request.param, load_corpus(CORPORA[request.param])


@pytest.fixture(scope="session")
def one_episode_book(tmp_path_factory) -> Path:
    """The one-episode fixture corpus built strictly into a fresh folder."""
    out = tmp_path_factory.mktemp("one_episode_book")
    proc = run_build(ONE_EPISODE, out, "--strict")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out
