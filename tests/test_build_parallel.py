"""A parallel build equals a serial one (issue 14): notebooks that only read the seeds run side by
side (``--jobs``), yet every page, table and figure is what a build that runs them one at a time
gives. Guards against anything that depends on which notebook finishes first (a shared folder, an
id from a counter or a clock, a figure written by two kernels). The HTML render follows ``--jobs``
too (Sphinx's parallel read and write, :mod:`scripts.build.render`), so this also compares a
parallel render with a serial one.

Cost: one build of the tiny corpus with ``--jobs 1``; the parallel side is the session's
``tiny_book`` (built with the default jobs, two on a machine with two cores), or a build with
``--jobs 2`` on a one-core machine."""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from conftest import TINY, book_job, built_book, run_build
from test_build_incremental import files, main_html

pytestmark = pytest.mark.e2e


book_job("serial_book", (TINY, ("--strict", "--jobs", "1")))


@pytest.fixture(scope="module")
def serial_book(request) -> Path:
    """The tiny corpus built with one notebook at a time (in the background, conftest)."""
    return built_book(request, "serial_book")


@pytest.fixture(scope="module")
def parallel_book(request, tmp_path_factory) -> Path:
    if (os.cpu_count() or 1) >= 2:
        return request.getfixturevalue("tiny_book")
    out = tmp_path_factory.mktemp("parallel_book")
    proc = run_build(TINY, out, "--strict", "--jobs", "2")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


def pages(book: Path) -> list[str]:
    return sorted(p.relative_to(book / "html").as_posix() for p in (book / "html").rglob("*.html") if "_static" not in p.parts)


def intervals(book: Path) -> list[tuple[datetime, datetime]]:
    """When each executed notebook of the book ran (papermill's start and end times)."""
    from scripts.build.plan import toc_notebooks

    out = []
    for rel in toc_notebooks():
        meta = json.loads((book / "stage" / rel).read_text(encoding="utf-8"))["metadata"].get("papermill", {})
        if meta.get("start_time") and meta.get("end_time"):
            out.append((datetime.fromisoformat(meta["start_time"]), datetime.fromisoformat(meta["end_time"])))
    return out


def overlapping(spans: list[tuple[datetime, datetime]]) -> int:
    """Pairs of notebooks that were running at the same moment."""
    return sum(1 for i, a in enumerate(spans) for b in spans[i + 1:] if a[0] < b[1] and b[0] < a[1])


def test_the_parallel_build_ran_notebooks_at_once_and_the_serial_one_did_not(serial_book, parallel_book):
    """The comparison below means something only if the builds really differ in this."""
    assert len(intervals(serial_book)) == len(intervals(parallel_book)) >= 5
    assert overlapping(intervals(serial_book)) == 0
    assert overlapping(intervals(parallel_book)) >= 1


def test_every_page_equals_the_serial_build(serial_book, parallel_book):
    assert pages(parallel_book) == pages(serial_book)
    different = [page for page in pages(serial_book)
                 if main_html(parallel_book / "html" / page, parallel_book) != main_html(serial_book / "html" / page, serial_book)]
    assert different == [], f"pages that differ between a serial and a parallel build: {different}"


def test_tables_figures_and_images_equal_the_serial_build(serial_book, parallel_book):
    assert files(parallel_book / "data") == files(serial_book / "data")
    assert files(parallel_book / "stage" / "figures") == files(serial_book / "stage" / "figures")
    assert files(parallel_book / "html" / "_images") == files(serial_book / "html" / "_images")


def test_the_parallel_build_rendered_with_sphinx_reading_in_parallel(parallel_book):
    """Sphinx falls back to a serial read (and warns) when an extension does not declare itself
    parallel-safe; :mod:`scripts.build.render` declares the two that Jupyter Book loads."""
    log = (parallel_book / "stage" / "jupyter-book-html.log").read_text(encoding="utf-8")
    assert "doing serial read" not in log and "does not declare if it is safe" not in log
