"""Figures in the built HTML book, in a real browser, at a desktop and two phone widths.

At 1280 px every figure is shown at its drawn width (600 CSS px for a chapter figure, so 10 pt text
reads at 10 pt) from a PNG twice as wide (sharp on high-density screens), with an alt text computed
from the data (not the PNG's hash file name). At 390 and 375 px (a 390 px window beside a classic
scrollbar) a chapter figure shows its narrow drawing (scripts/plots/style.py: ``NARROW_WIDTH``, a
``<picture>`` source), again at its drawn size, so the same check holds: shown width = drawn width
(10 pt text at 10 pt), within the screen, nothing scrolls sideways, neither the figure nor the page. A
figure shown with hover values in the HTML (scripts.interactive: its PNG goes to the PDF) carries the
same computed alt text as its label and stays within the screen; on a phone its narrow drawing is shown
instead (the plot's labels overlapped at 390 px), so every width shows the same number of figures.
"""
from __future__ import annotations

import pytest
from _reader import PageWatch, book_pages, browser, need_chromium, serve

from scripts.plots import FIG_WIDTH, NARROW_WIDTH
from scripts.plots.style import CSS_DPI, PIXEL_RATIO

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHAPTERS = ["chapters/01_corpus", "chapters/02_terms", "chapters/03_actors", "chapters/04_tone"]
SHOWN = round(FIG_WIDTH * CSS_DPI)
NARROW = round(NARROW_WIDTH * CSS_DPI)

# per figure: its shown width, the pixel width of the PNG it shows (decoded anew: naturalWidth of a 2x
# srcset is already halved), whether it sits in a <picture>, how far right it reaches, whether it scrolls
FIGURES_JS = """async els => Promise.all(els.filter(i => i.getClientRects().length).map(async i => { const f = i.closest('figure');
    const raw = new Image(); raw.src = i.currentSrc || i.src; await raw.decode();
    const box = i.getBoundingClientRect();
    return { alt: i.alt, shown: Math.round(box.width), pixels: raw.naturalWidth, right: box.right,
             picture: !!i.closest('picture'), scrolls: f.scrollWidth > f.clientWidth + 1,
             inline: (i.currentSrc || i.src).startsWith('data:') }; }))"""
PLOTS_JS = ("els => els.filter(p => p.getClientRects().length)"   # a hover plot gives way to its narrow drawing on a phone
            ".map(p => ({label: p.getAttribute('aria-label') || '', right: p.getBoundingClientRect().right}))")


@pytest.mark.parametrize("width", [1280, 390, 375])
def test_every_figure_is_shown_at_its_drawn_size_within_the_screen(seeds_book, width):
    need_chromium()
    labels = ["Moscow, April 2017", "Washington, May 2017", "Sochi, May 2019"]  # the seeds' episodes
    problems, n_chapter_figures, naming_all = [], 0, 0
    with serve(seeds_book / "html") as base, browser() as b:
        context = b.new_context(viewport={"width": width, "height": 900})
        for page in book_pages(seeds_book):
            w = PageWatch(context, f"{base}/{page}.html")
            figs = w.page.eval_on_selector_all("main figure img", FIGURES_JS)
            page_width = w.page.evaluate("() => document.documentElement.scrollWidth")
            if page_width > width:
                problems.append(f"{page}@{width}: the page is {page_width} px wide")
            for k, f in enumerate(figs):
                where = f"{page}@{width} figure {k + 1}"
                if f["pixels"] != f["shown"] * PIXEL_RATIO:   # shown at its drawn size: 10 pt text reads at 10 pt
                    problems.append(f"{where}: shown {f['shown']} px from {f['pixels']} px")
                if f["right"] > width or f["scrolls"]:
                    problems.append(f"{where}: reaches {f['right']:.0f} px of {width}, scrolls: {f['scrolls']}")
                if f["picture"] and f["shown"] != (SHOWN if width > 660 else NARROW):
                    problems.append(f"{where}: the {'wide' if width > 660 else 'narrow'} drawing is not the one shown")
                if f["inline"]:   # _ext/figure_alt.py writes the PNGs to files: a phone loads only the one it shows
                    problems.append(f"{where}: its PNG is inline in the page")
                if len(f["alt"]) < 40 or f["alt"].endswith(".png"):
                    problems.append(f"{where}: alt {f['alt'][:80]!r}")
            plots = w.page.eval_on_selector_all("main figure .book-bokeh-plot[role=img]", PLOTS_JS)
            for k, p in enumerate(plots):
                if len(p["label"]) < 40:
                    problems.append(f"{page}@{width} interactive figure {k + 1}: label {p['label'][:80]!r}")
                if p["right"] > width:
                    problems.append(f"{page}@{width} interactive figure {k + 1}: reaches {p['right']:.0f} px")
            if page in CHAPTERS:
                n_chapter_figures += len(figs) + len(plots)
                naming_all += sum(all(label in f["alt"] for label in labels) for f in figs)
                naming_all += sum(all(label in p["label"] for label in labels) for p in plots)
                if not all(f["picture"] for f in figs):
                    problems.append(f"{page}@{width}: a chapter figure has no narrow drawing")
            w.page.close()
        context.close()
    assert not problems, "\n".join(problems)
    assert n_chapter_figures == 11 and naming_all >= 6   # most figures show every episode, and their alt text says so
