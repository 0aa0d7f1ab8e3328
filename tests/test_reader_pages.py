"""The reader build (issue 13): pages show results, not code; checks, parameters and column
dictionaries sit in collapsed admonitions after the first result; every chapter offers its
executed notebook for download. Read from the built tiny book (``tiny_book`` fixture: e2e)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

CHAPTERS = ["chapters/01_corpus", "chapters/02_terms", "chapters/03_actors", "chapters/04_tone"]
#: tables a reader should not meet before the first result: checks, word lists, column dictionaries
CHECK_TABLES = {
    "chapters/01_corpus": ["tbl-corpus-dropped", "tbl-corpus-dropped-examples"],
    "chapters/02_terms": ["tbl-terms-sizes", "tbl-terms-forms", "tbl-terms-patterns", "tbl-terms-coverage"],
    "chapters/03_actors": ["tbl-actors-accuracy", "tbl-actors-roles", "tbl-actors-unresolved", "tbl-actors-provisional",
                           "tbl-actors-quote-examples"],
    "chapters/04_tone": ["tbl-tone-coverage", "tbl-tone-validation", "tbl-tone-loo"],
    "methods": ["tbl-methods-parameters", "tbl-methods-data-files"],
    "data": ["tbl-inputs", "tbl-packages"],
}


def _main(book: Path, page: str) -> BeautifulSoup:
    soup = BeautifulSoup((book / "html" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    return soup.find("main") or soup


def _in_dropdown(el) -> bool:
    return any("dropdown" in (p.get("class") or []) and "admonition" in (p.get("class") or []) for p in el.parents)


def _position(main, el) -> int:
    return next(i for i, e in enumerate(main.descendants) if e is el)


def test_no_code_on_reader_pages(tiny_book):
    from scripts.build import toc_files

    for page in toc_files(tiny_book / "stage"):
        main = _main(tiny_book, page)
        text = main.get_text(" ")
        assert "Show code cell source" not in text and "Hide code cell source" not in text, page
        assert not main.select(".cell_input"), f"{page}: a code cell's source is on the page"
        assert "seeds_dir" not in text, page


@pytest.mark.parametrize("page", CHAPTERS)
def test_checks_sit_in_collapsed_admonitions_after_the_first_figure(tiny_book, page):
    main = _main(tiny_book, page)
    first_figure = main.find("figure")
    assert first_figure is not None, f"{page} shows no figure"
    start = _position(main, first_figure)
    checks = main.find(id=re.compile(r"checks$"))
    assert checks is not None and _position(main, checks) > start, f"{page}: no Checks section after the first result"
    for label in CHECK_TABLES[page]:
        table = main.find(id=label)
        assert table is not None, f"{page}: {label} missing"
        assert _in_dropdown(table), f"{page}: {label} is not in a collapsed admonition"
        assert _position(main, table) > start, f"{page}: {label} comes before the first figure"
    dictionary = [d for d in main.select("div.admonition.dropdown") if "CSV columns" in d.get_text()]
    assert dictionary, f"{page}: the column dictionary is not collapsed"
    assert all(_position(main, d) > start for d in main.select("div.admonition.dropdown")
               if "How the two instruments" not in d.get_text())  # tone's intro keeps one method box


@pytest.mark.parametrize("page", ["methods", "data"])
def test_about_pages_collapse_their_long_tables(tiny_book, page):
    main = _main(tiny_book, page)
    for label in CHECK_TABLES[page]:
        assert _in_dropdown(main.find(id=label)), f"{page}: {label} is not collapsed"
    if page == "data":
        columns = main.find_all(id=re.compile(r"^tbl-columns-"))
        assert columns and all(_in_dropdown(t) for t in columns)
        assert not _in_dropdown(main.find(id="tbl-downloads")), "the download list stays open"


def test_every_table_has_a_number_and_a_caption(tiny_book):
    from scripts.build import toc_files

    for page in toc_files(tiny_book / "stage"):
        for table in _main(tiny_book, page).find_all("table"):
            if "dataframe" in (table.get("class") or []) or table.find_parent(class_="highlight"):
                continue
            caption = table.find("caption")
            assert caption is not None and caption.find(class_="caption-number"), \
                f"{page}: a table without a numbered caption: {table.get_text(' ')[:120]!r}"


@pytest.mark.parametrize("page", CHAPTERS)
def test_each_chapter_offers_its_executed_notebook(tiny_book, page):
    html = tiny_book / "html"
    main = _main(tiny_book, page)
    name = Path(page).name + ".ipynb"
    links = [a for a in main.select("a.download") if a.get("href", "").endswith("/" + name)]
    assert links, f"{page}: no download link to {name}"
    target = (html / Path(page).parent / links[0]["href"]).resolve()
    assert target.is_file()
    nb = json.loads(target.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code and any(c.get("outputs") for c in code), "the notebook holds the code and its outputs"
    # the theme's download button offers the same executed notebook
    soup = BeautifulSoup((html / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    button = soup.select_one("a.btn-download-source-button")
    assert button is not None and (html / Path(page).parent / button["href"]).resolve().is_file()


@pytest.mark.browser
def test_collapsed_boxes_open_on_a_click_and_on_a_link_to_what_they_hold(tiny_book):
    """In the browser the checks start closed; a click on a box's title opens it, and a link to a
    table inside a box ("See Table 4.3") opens the box and shows the table."""
    from _reader import browser, serve

    with serve(tiny_book / "html") as base, browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/chapters/04_tone.html", wait_until="load")
        page.wait_for_load_state("networkidle")
        validation = page.locator("#tbl-tone-validation")
        assert not validation.is_visible(), "the validation table starts collapsed"
        box = page.locator("div.admonition.dropdown", has=validation)
        box.locator(".admonition-title").click()
        validation.wait_for(state="visible", timeout=5000)
        assert page.locator("#tbl-tone-loo").is_hidden()
        page.locator('a[href="#tbl-tone-loo"]').first.click()
        page.locator("#tbl-tone-loo").wait_for(state="visible", timeout=5000)
        page.goto(f"{base}/data.html#tbl-inputs", wait_until="load")
        page.locator("#tbl-inputs").wait_for(state="visible", timeout=5000)
