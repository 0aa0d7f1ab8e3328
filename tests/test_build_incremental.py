"""An incremental build equals a fresh one (docs/DEVELOPING.md): build corpus A, then corpus B into
the same output folder, and compare with a fresh build of B.

Two failures this guards against: a page that glues from other notebooks (``findings.md``) kept
corpus A's numbers because Sphinx did not re-read it, and tables, figures and images that only
corpus A produced survived in ``data/``, the staged ``figures/`` and ``html/_images/``.

Cost: two builds (A, then B over it; A cannot be a copy of the session's ``tiny_book``, because
Sphinx starts afresh in a moved folder and the bug would not show), plus the session's
``one_episode_book`` as the fresh build of B."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import ONE_EPISODE, TINY, book_job, built_book

pytestmark = pytest.mark.e2e

MAIN = re.compile(r"<main\b.*?</main>", flags=re.S)
BUILD_DATE = re.compile(r"Last updated on [^<]*")  # the footer's build date: two builds may straddle midnight


def main_html(page: Path, out: Path) -> str:
    """The ``<main>`` element of a page (the whole file for a page without one, such as the redirecting
    ``index.html``), with the output folder's path and the build date replaced."""
    html = page.read_text(encoding="utf-8")
    m = MAIN.search(html)
    return BUILD_DATE.sub("Last updated on <date>", (m.group(0) if m else html).replace(str(out), "<out>"))


def files(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


book_job("a_then_b", (TINY, ("--strict",)), (ONE_EPISODE, ("--strict",)))


@pytest.fixture(scope="module")
def a_then_b(request) -> Path:
    """The tiny corpus (A), then the one-episode corpus (B) built into the same folder (in the background, conftest)."""
    return built_book(request, "a_then_b")


def test_every_page_equals_the_page_of_a_fresh_build(a_then_b, one_episode_book):
    pages = sorted(p.relative_to(one_episode_book / "html").as_posix()
                   for p in (one_episode_book / "html").rglob("*.html") if "_static" not in p.parts)
    rebuilt = sorted(p.relative_to(a_then_b / "html").as_posix()
                     for p in (a_then_b / "html").rglob("*.html") if "_static" not in p.parts)
    assert rebuilt == pages
    different = [page for page in pages
                 if main_html(a_then_b / "html" / page, a_then_b) != main_html(one_episode_book / "html" / page, one_episode_book)]
    assert different == [], f"pages that differ from a fresh build: {different}"


def test_no_table_figure_or_image_of_the_earlier_corpus_survives(a_then_b, one_episode_book):
    assert files(a_then_b / "data") == files(one_episode_book / "data")
    assert sorted(files(a_then_b / "stage" / "figures")) == sorted(files(one_episode_book / "stage" / "figures"))
    assert files(a_then_b / "html" / "_images") == files(one_episode_book / "html" / "_images")
