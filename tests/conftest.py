"""Shared fixtures. Book builds are expensive, so each corpus is built once per test session and
reused by the end-to-end, browser, escaping and PDF tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TINY = FIXTURES / "tiny"
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots and logs kept for people to look at (git-ignored)

os.environ["PYTHONPATH"] = str(ROOT) + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")


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
