"""The HTML book as a reader sees it, in a real browser (headless Debian Chromium via Playwright).

For the tiny fixture corpus and for the bundled seeds: every page of the table of contents loads,
every image has loaded, no JavaScript error happens, each page shows the figures its source
declares (numbered, with a caption), code is folded away and parameter cells are gone. A full-page
screenshot of every page is kept in tests/artifacts/ for people to look at.
"""
from __future__ import annotations

import pytest
from _reader import PageWatch, book_pages, browser, expected_figures, need_chromium, page_title, serve


@pytest.fixture(params=["tiny_book", "seeds_book"])
def book(request):
    need_chromium()
    return request.param, request.getfixturevalue(request.param)


def test_every_page_loads_with_its_figures_and_no_errors(book, artifacts):
    name, out = book
    pages = book_pages(out)
    assert len(pages) >= 5
    problems = []
    with serve(out / "html") as base, browser() as b:
        context = b.new_context(viewport={"width": 1280, "height": 900})
        for page in pages:
            w = PageWatch(context, f"{base}/{page}.html")
            where = f"{name}:{page}"
            if w.response is None or w.response.status != 200:
                problems.append(f"{where}: HTTP {None if w.response is None else w.response.status}")
                continue
            w.page.screenshot(path=str(artifacts / f"{name}__{page.replace('/', '__')}.png"), full_page=True)
            problems += [f"{where}: {e}" for e in w.errors]
            problems += [f"{where}: request failed {u}" for u in w.failed]
            problems += [f"{where}: image not loaded: {src}" for src in w.broken_images()]
            h1 = w.page.inner_text("main h1").strip()
            if page_title(out, page).lower() not in h1.lower():
                problems.append(f"{where}: title {h1!r}, expected {page_title(out, page)!r}")
            n_expected = expected_figures(out, page)
            figs = w.page.eval_on_selector_all(
                "main figure", "els => els.map(f => [!!f.querySelector('img'), (f.querySelector('figcaption') || {}).innerText || ''])")
            if len(figs) < n_expected:
                problems.append(f"{where}: {len(figs)} figures shown, the page declares {n_expected}")
            for has_img, caption in figs:
                if not has_img or not caption.strip().startswith("Fig"):
                    problems.append(f"{where}: figure without image or numbered caption: {caption[:60]!r}")
            text = w.page.inner_text("main")
            for leak in ("seeds_dir =", "data_dir =", "fig_dir =", "Traceback", "PosixPath(", "<Figure size"):
                if leak in text:
                    problems.append(f"{where}: readers see {leak!r}")
            visible_code = w.page.eval_on_selector_all(
                "main .cell_input", "els => els.filter(e => !(e.closest('details') && !e.closest('details').open)).length")
            if visible_code:
                problems.append(f"{where}: {visible_code} code cell(s) shown unfolded")
            w.page.close()
        context.close()
    assert not problems, "\n".join(problems)


def test_index_redirects_to_the_first_page(tiny_book):
    need_chromium()
    with serve(tiny_book / "html") as base, browser() as b:
        page = b.new_page()
        page.goto(f"{base}/index.html", wait_until="load")
        page.wait_for_url(f"{base}/intro.html", timeout=10_000)
        assert page.inner_text("main h1").strip() == page_title(tiny_book, "intro")


def test_every_chapter_figure_file_reaches_a_page(seeds_book):
    """Each PNG the chapters saved appears in the HTML book (glued or referenced), none is orphaned."""
    need_chromium()
    figures = sorted(p.name for p in (seeds_book / "stage" / "figures").glob("*.png"))
    assert figures, "the chapters saved no figure"
    with serve(seeds_book / "html") as base, browser() as b:
        context = b.new_context()
        shown = 0
        for page in book_pages(seeds_book):
            w = PageWatch(context, f"{base}/{page}.html")
            shown += w.page.eval_on_selector_all("main figure img", "els => els.filter(e => e.naturalWidth > 300).length")
            w.page.close()
    assert shown >= len(figures), f"{shown} figures shown for {len(figures)} saved: {figures}"
