"""Which pages that read earlier chapters may run side by side (``Plan.page_waves``), and the book's own
declaration: the data page lists every table, so it runs after the other such pages."""
from __future__ import annotations

from pathlib import Path

from scripts.build.plan import ROOT, Plan, reads_earlier_chapters, reads_earlier_pages, toc_notebooks


def plan(notebooks: list[str], dependent: set[str], reads_pages: set[str]) -> Plan:
    return Plan(Path("."), Path("seeds"), notebooks, {rel: {} for rel in notebooks}, frozenset(dependent), frozenset(reads_pages))


def test_pages_reading_only_chapters_share_a_wave_and_a_page_reading_pages_waits():
    p = plan(["intro", "findings", "c1", "c2", "methods", "data", "extra"],
             {"findings", "methods", "data", "extra"}, {"data"})
    assert p.page_waves() == [["findings", "methods"], ["data"], ["extra"]]


def test_a_page_reading_pages_first_runs_alone_and_no_dependent_page_means_no_wave():
    assert plan(["a", "b", "c"], {"b", "c"}, {"b"}).page_waves() == [["b"], ["c"]]
    assert plan(["a", "b"], set(), set()).page_waves() == []


def test_without_the_declaration_pages_reading_chapters_run_together():
    p = plan(["a", "x", "y", "z"], {"x", "y", "z"}, set())
    assert p.page_waves() == [["x", "y", "z"]]
    assert p.run_order() == ["a", "x", "y", "z"]


def test_the_books_data_page_runs_after_the_other_pages_that_read_chapters():
    notebooks = toc_notebooks(ROOT)
    dependent = {rel for rel in notebooks if reads_earlier_chapters(ROOT / rel)}
    reading_pages = {rel for rel in dependent if reads_earlier_pages(ROOT / rel)}
    assert reading_pages == {"data.ipynb"}
    waves = plan(notebooks, dependent, reading_pages).page_waves()
    assert waves[-1] == ["data.ipynb"] and sorted(waves[0]) == sorted(dependent - {"data.ipynb"})
