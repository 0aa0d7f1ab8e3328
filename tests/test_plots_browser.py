"""Chapter figures in the built HTML book, in a real browser, at a desktop and a phone width.

At 1280 px every chapter figure is shown at its drawn width (600 CSS px, so 10 pt text reads at
10 pt) from a PNG twice as wide (sharp on high-density screens), with an alt text computed from the
data (not the PNG's hash file name). At 390 px the figure keeps that width and scrolls sideways
inside its own box: the page itself does not get wider than the screen. A figure shown with hover values
in the HTML (scripts.interactive: its PNG goes to the PDF) carries the same computed alt text as its label.
"""
from __future__ import annotations

import pytest
from _reader import PageWatch, browser, need_chromium, serve

from scripts.plots import FIG_WIDTH
from scripts.plots.style import CSS_DPI, PIXEL_RATIO

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHAPTERS = ["chapters/01_corpus", "chapters/02_terms", "chapters/03_actors", "chapters/04_tone"]
SHOWN = round(FIG_WIDTH * CSS_DPI)

FIGURES_JS = """els => els.map(i => { const f = i.closest('figure'); return {
    alt: i.alt, shown: Math.round(i.getBoundingClientRect().width), natural: i.naturalWidth,
    scrolls: f.scrollWidth > f.clientWidth + 1 }; })"""
PLOTS_JS = "els => els.map(p => p.getAttribute('aria-label') || '')"


@pytest.mark.parametrize("width", [1280, 390])
def test_chapter_figures_are_sharp_full_size_and_described(seeds_book, width):
    need_chromium()
    labels = ["Moscow, April 2017", "Washington, May 2017", "Sochi, May 2019"]  # the seeds' episodes
    problems, n_figures, naming_all = [], 0, 0
    with serve(seeds_book / "html") as base, browser() as b:
        context = b.new_context(viewport={"width": width, "height": 900})
        for page in CHAPTERS:
            w = PageWatch(context, f"{base}/{page}.html")
            figs = w.page.eval_on_selector_all("main figure img", FIGURES_JS)
            page_width = w.page.evaluate("() => document.documentElement.scrollWidth")
            if page_width > width + 1:
                problems.append(f"{page}@{width}: the page is {page_width} px wide")
            for k, f in enumerate(figs):
                where = f"{page}@{width} figure {k + 1}"
                if f["shown"] != SHOWN or f["natural"] != SHOWN * PIXEL_RATIO:
                    problems.append(f"{where}: shown {f['shown']} px from {f['natural']} px")
                if len(f["alt"]) < 40 or f["alt"].endswith(".png"):
                    problems.append(f"{where}: alt {f['alt'][:80]!r}")
                if width < SHOWN and not f["scrolls"]:
                    problems.append(f"{where}: does not scroll inside its box")
                naming_all += all(label in f["alt"] for label in labels)
            plots = w.page.eval_on_selector_all("main figure .book-bokeh-plot[role=img]", PLOTS_JS)
            for k, alt in enumerate(plots):
                if len(alt) < 40:
                    problems.append(f"{page}@{width} interactive figure {k + 1}: label {alt[:80]!r}")
                naming_all += all(label in alt for label in labels)
            n_figures += len(figs) + len(plots)
            w.page.close()
        context.close()
    assert not problems, "\n".join(problems)
    assert n_figures == 11 and naming_all >= 6   # most figures show every episode, and their alt text says so
