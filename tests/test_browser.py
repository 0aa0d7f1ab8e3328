"""The HTML book as a reader sees it, in a real browser (headless Debian Chromium via Playwright).

For the tiny fixture corpus and for the bundled seeds: every page of the table of contents loads,
every image has loaded, no JavaScript error happens, each page shows the figures its source
declares (numbered, with a caption), code is folded away and parameter cells are gone. A full-page
screenshot of every page is kept in tests/artifacts/ for people to look at.
"""
from __future__ import annotations

import re

import pytest
from _reader import PageWatch, book_pages, browser, expected_figures, need_chromium, page_title, serve

from scripts.report import INTERACTIVE_CLASS


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
            figs = w.page.eval_on_selector_all(  # an image, or an interactive plot (scripts.interactive)
                "main figure",
                "els => els.map(f => [!!f.querySelector('img, .book-bokeh-plot'), (f.querySelector('figcaption') || {}).innerText || ''])")
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
            # a figure shown interactively in the HTML (its PNG goes to the PDF): a drawn bokeh canvas
            shown += w.page.eval_on_selector_all("main figure .book-bokeh-plot", "els => els.length")
            w.page.close()
    assert shown >= len(figures), f"{shown} figures shown for {len(figures)} saved: {figures}"


# ------------------------------------------------------------------ interactivity (scripts.interactive)
INTERACTIVE_PAGES = ("chapters/02_terms", "chapters/03_actors", "chapters/04_tone")
TABLES = f"table.{INTERACTIVE_CLASS}[id]"  # the numbered tables glued with interactive=True
NUMBER = re.compile(r"^[+\-−]?[\d,]*\.?\d+$")


def _ready(page):
    """Wait until every interactive table is drawn by DataTables and BokehJS has rendered its plots."""
    page.wait_for_function(f"() => [...document.querySelectorAll('{TABLES}')].every(t => t.classList.contains('dataTable'))",
                           timeout=30_000)
    if page.locator(".book-bokeh-plot").count():
        page.wait_for_function("() => window.Bokeh && Object.keys(Bokeh.index).length > 0", timeout=30_000)


def _static_rows(out, page_name: str, table_id: str) -> list[list[str]]:
    """All rows of the table as the PDF gets them: the Markdown block glued in the executed notebook
    (the one whose ``{table}`` has ``:name: <table_id>``), unescaped to the text a reader sees."""
    import html as html_lib
    import json

    nb = json.loads((out / "stage" / f"{page_name}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            md = "".join(o.get("data", {}).get("application/papermill.record/text/markdown", ""))
            if re.search(rf"^:name: {re.escape(table_id)}$", md, flags=re.M):
                lines = [ln for ln in md.splitlines() if ln.startswith("|")][2:]
                return [[html_lib.unescape(re.sub(r"\*\*(.*?)\*\*", r"\1", re.sub(r"\\(.)", r"\1", c))).strip()
                         for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in lines]
    raise AssertionError(f"no table {table_id} is glued in {page_name}")


def _shown_rows(page, table_id: str) -> list[list[str]]:
    return page.eval_on_selector_all(f"#{table_id} tbody tr",
                                     "trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))")


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


def _interactive_tables(page) -> list[str]:
    return page.eval_on_selector_all(TABLES, "ts => ts.map(t => t.id)")


def test_interactive_tables_sort_by_a_numeric_column(seeds_book, artifacts):
    """Clicking a numeric header orders the rows by value (not as text), ascending then descending."""
    checked = []
    with browser() as b:
        context = b.new_context(viewport={"width": 1280, "height": 900})
        for page_name in INTERACTIVE_PAGES:
            page = context.new_page()
            page.goto((seeds_book / "html" / f"{page_name}.html").as_uri(), wait_until="load")
            _ready(page)
            for tid in _interactive_tables(page):
                rows = _static_rows(seeds_book, page_name, tid)
                caption = page.locator(f"#{tid} caption").inner_text()  # still the numbered table cited in the text
                assert re.match(r"Table \d+(\.\d+)* ", caption), f"{page_name} {tid}: caption {caption!r}"
                if len(rows) < 3:
                    continue
                numeric = [j for j in range(len(rows[0])) if all(NUMBER.match(r[j]) for r in rows)
                           and len({r[j] for r in rows}) > 2]
                if not numeric:
                    continue
                j = numeric[0]
                values = sorted(_number(r[j]) for r in rows)
                header = page.locator(f"#{tid} thead th").nth(j)
                seen = set()
                for _ in range(2):  # DataTables 2 may start a numeric column descending: check both directions
                    header.click()
                    page.wait_for_function("th => /dt-ordering-(asc|desc)/.test(th.className)", arg=header.element_handle())
                    direction = "asc" if "dt-ordering-asc" in header.get_attribute("class") else "desc"
                    shown = [_number(r[j]) for r in _shown_rows(page, tid)]
                    want = values if direction == "asc" else values[::-1]
                    assert shown == want[:len(shown)], f"{page_name} {tid}: {direction} sort of column {j}: {shown}"
                    seen.add(direction)
                assert seen == {"asc", "desc"}, f"{page_name} {tid}: two clicks gave {seen}"
                checked.append(f"{page_name}#{tid}")
            page.screenshot(path=str(artifacts / f"seeds_book__sorted__{page_name.replace('/', '__')}.png"), full_page=True)
            page.close()
    assert len(checked) >= 2, f"sorted only {checked}"


def test_interactive_tables_filter_rows_with_the_search_box(seeds_book):
    """Typing a word keeps exactly the rows that contain it (counted on the table's static copy)."""
    checked = []
    with browser() as b:
        context = b.new_context(viewport={"width": 1280, "height": 900})
        for page_name in INTERACTIVE_PAGES:
            page = context.new_page()
            page.goto((seeds_book / "html" / f"{page_name}.html").as_uri(), wait_until="load")
            _ready(page)
            for tid in _interactive_tables(page):
                rows = _static_rows(seeds_book, page_name, tid)
                words = [w for r in rows for c in r for w in re.findall(r"[A-Za-z]{5,}", c)]
                # a word that some rows have and others lack, so the filter has something to remove
                word = next((w for w in words if 0 < sum(w.lower() in " ".join(r).lower() for r in rows) < len(rows)), None)
                if word is None:
                    continue
                expected = sum(word.lower() in " ".join(r).lower() for r in rows)
                page.locator(f"#{tid}_wrapper input[type=search], div:has(> #{tid}) input[type=search]").first.fill(word)
                page.wait_for_timeout(200)
                info = page.locator(f"#{tid}_info").inner_text()
                m = re.search(r"to ([\d,]+) of ([\d,]+) entr", info)
                assert m and int(m.group(2).replace(",", "")) == expected, f"{page_name} {tid}: {word!r}: {info!r}, expected {expected}"
                shown = _shown_rows(page, tid)
                assert shown and all(word.lower() in " ".join(r).lower() for r in shown), f"{page_name} {tid}: {word!r}"
                checked.append(f"{page_name}#{tid}:{word}")
            page.close()
    assert len(checked) >= 3, f"filtered only {checked}"


_POINTS_JS = """(glyphType) => {
  const out = [];
  const walk = (v) => {
    for (const c of (v.child_views || [])) walk(c);
    if (!v.renderer_views) return;
    for (const r of v.renderer_views.values()) {
      if (!(r.model.glyph && r.model.glyph.type === glyphType && r.glyph.sx)) continue;
      const box = v.el.getBoundingClientRect(), data = r.model.data_source.data;
      for (let i = 0; i < r.glyph.sx.length; i++) {
        if (!isFinite(r.glyph.sy[i])) continue;
        const row = {}; for (const k of Object.keys(data)) row[k] = data[k][i];
        out.push({x: box.left + r.glyph.sx[i], y: box.top + r.glyph.sy[i], title: v.model.title ? v.model.title.text : '', row});
      }
    }
  };
  for (const v of Object.values(Bokeh.index)) walk(v);
  return out;
}"""


def _hover_tips(page, glyph: str) -> list[tuple[dict, dict[str, str]]]:
    """Hover every point of the ``glyph`` renderers of the page's plots; (point, tooltip fields)."""
    out = []
    for plot in page.locator(".book-bokeh-plot").all():
        plot.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        for pt in page.evaluate(_POINTS_JS, glyph):
            if not (0 < pt["y"] < page.viewport_size["height"]):
                continue
            page.mouse.move(pt["x"], pt["y"])
            page.wait_for_timeout(150)
            texts = [t for t in page.locator(".bk-tooltip-content").all_inner_texts() if t.strip()]
            fields = dict(line.split(":\t", 1) for t in texts[-1:] for line in t.splitlines() if ":\t" in line)
            out.append((pt, fields))
            page.mouse.move(1, 1)
    return out


def test_hover_shows_the_tone_of_the_episode_from_the_chapter_csv(seeds_book, artifacts):
    import pandas as pd

    from scripts.narrative.common import language_name
    from scripts.narrative.tone import MEASURE_LABELS

    summary = pd.read_csv(seeds_book / "data" / "tone_summary.csv", dtype={"key": str})
    summary = summary[summary["level"] == "episode_language"].copy()
    summary[["episode", "language"]] = summary["key"].str.split("|", expand=True)
    labels = pd.read_csv(seeds_book / "data" / "episodes.csv").set_index("episode")["label"]
    summary["episode_label"] = summary["episode"].map(labels)
    summary["language_name"] = summary["language"].map(language_name)
    summary["title"] = summary["measure"].map(MEASURE_LABELS)
    with browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.goto((seeds_book / "html" / "chapters" / "04_tone.html").as_uri(), wait_until="load")
        _ready(page)
        tips = _hover_tips(page, "Scatter")
        page.screenshot(path=str(artifacts / "seeds_book__hover__04_tone.png"))
    assert len(tips) >= 4, tips
    for pt, tip in tips:
        assert tip, f"no tooltip on {pt['row']}"
        row = summary[(summary["episode_label"] == tip["episode"]) & (summary["language_name"] == tip["language"])
                      & (summary["title"] == pt["title"])]
        assert len(row) == 1, tip
        assert tip["mean"] == format(float(row["estimate"].iloc[0]), "+.3f"), tip
        assert tip["95% interval"].startswith(f"{float(row['ci_low'].iloc[0]):+.3f} to {float(row['ci_high'].iloc[0]):+.3f}"), tip


def test_hover_shows_the_concept_rate_from_the_chapter_csv(seeds_book):
    import pandas as pd

    from scripts.narrative.common import language_name

    conc = pd.read_csv(seeds_book / "data" / "concepts.csv")
    labels = pd.read_csv(seeds_book / "data" / "episodes.csv").set_index("episode")["label"]
    conc["episode_label"] = conc["episode"].map(labels)
    conc["language_name"] = conc["language"].map(language_name)
    with browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.goto((seeds_book / "html" / "chapters" / "02_terms.html").as_uri(), wait_until="load")
        _ready(page)
        tips = _hover_tips(page, "Rect")
    assert len(tips) >= 10, len(tips)
    for _pt, tip in tips:
        rows = conc[(conc["label"] == tip["concept"]) & (conc["episode_label"] == tip["episode"])
                    & (conc["language_name"] == tip["language"])]
        expected = float(rows["per_1k"].iloc[0]) if len(rows) else 0.0
        assert abs(float(tip["per 1,000 words"]) - expected) <= 0.0051, (tip, expected)
        assert int(tip["mentions"]) == (int(rows["count"].iloc[0]) if len(rows) else 0), tip


def test_no_request_leaves_the_book_folder(book):
    """Opened from disk (file://), no page of the book asks anything of the network: no CDN for
    DataTables, BokehJS or MathJax. Only file: and data: are allowed (the libraries are files of the book)."""
    name, out = book
    outside = []
    with browser() as b:
        context = b.new_context()
        for page_name in book_pages(out):
            page = context.new_page()
            seen = []
            page.on("request", lambda req: seen.append(req.url))
            page.goto((out / "html" / f"{page_name}.html").as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            if page.locator(f"{TABLES}, .book-bokeh-plot").count():
                _ready(page)
            outside += [f"{name}:{page_name}: {u[:120]}" for u in seen if u.split(":", 1)[0] not in ("file", "data")]
            page.close()
    assert not outside, "\n".join(outside)


def test_interactive_libraries_are_files_of_the_book_loaded_once(seeds_book):
    """BokehJS and DataTables are files of the book's _static/ (served here over HTTP): each interactive
    page loads the ones it uses with status 200 (304: revalidated from the browser's cache) and holds no
    inline copy; together the pages use every library file of the book."""
    from scripts import interactive

    names = set(interactive.asset_files())
    html = seeds_book / "html"
    assert {p.name for p in (html / "_static").iterdir()} >= names
    problems, loaded = [], {}
    with serve(html) as base, browser() as b:
        context = b.new_context(viewport={"width": 1280, "height": 900})
        for page_name in INTERACTIVE_PAGES:
            text = (html / f"{page_name}.html").read_text(encoding="utf-8")
            if len(text) > 1_000_000 or "/* BEGIN bokeh" in text or "injectModule(" in text:
                problems.append(f"{page_name}: a library is inlined ({len(text):,} characters)")
            page = context.new_page()
            got = []
            page.on("response", lambda r: got.append((r.url.rsplit("/", 1)[-1].split("?")[0], r.status)))
            page.goto(f"{base}/{page_name}.html", wait_until="load")
            _ready(page)
            for file, status in got:
                if file in names:
                    loaded.setdefault(file, []).append(status)
                    if status not in (200, 304):
                        problems.append(f"{page_name}: {file} answered {status}")
            page.close()
        context.close()
    assert not problems, "\n".join(problems)
    assert set(loaded) == names, f"loaded {sorted(loaded)}, the book has {sorted(names)}"


def test_interactive_outputs_fit_a_phone_screen(seeds_book, artifacts):
    """At 390 px the tables and plots stay within the page width (a table may scroll inside its box)."""
    problems = []
    with browser() as b:
        page = b.new_page(viewport={"width": 390, "height": 844})
        for page_name in INTERACTIVE_PAGES:
            page.goto((seeds_book / "html" / f"{page_name}.html").as_uri(), wait_until="load")
            _ready(page)
            page.screenshot(path=str(artifacts / f"seeds_book_390__{page_name.replace('/', '__')}.png"), full_page=True)
            wide = page.eval_on_selector_all(".dt-container, .book-bokeh-plot",
                                             "els => els.map(e => e.getBoundingClientRect().right).filter(r => r > 392)")
            if wide:
                problems.append(f"{page_name}: {len(wide)} interactive output(s) wider than the screen: {wide}")
            clipped = page.eval_on_selector_all(  # off the screen with no scroll bar to reach it
                "table.dataTable", """ts => ts.filter(t => {
                    if (t.getBoundingClientRect().right <= innerWidth + 1) return false;
                    for (let e = t.parentElement; e && e !== document.body; e = e.parentElement)
                        if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) return false;
                    return true; }).map(t => t.id)""")
            if clipped:
                problems.append(f"{page_name}: table(s) wider than their box and not scrollable: {clipped}")
            page_width = page.evaluate("() => document.documentElement.scrollWidth")
            if page_width > 392:
                problems.append(f"{page_name}: the page scrolls sideways ({page_width} px)")
        page.close()
    assert not problems, "\n".join(problems)


def test_hostile_cells_in_an_interactive_table_stay_text(tmp_path):
    """Article text in a sortable table (DataTables over the rendered table): shown as the literal
    characters, nothing runs, also after sorting and searching (DataTables redraws the cells). The seeds
    books may not put such a sentence in an interactive table, so a page is made here: the numbered
    block of report.table_block rendered by MyST/docutils (as Sphinx does) and scripts.interactive's assets."""
    import pandas as pd
    from docutils.core import publish_parts
    from myst_parser.parsers.docutils_ import Parser

    from scripts import interactive, report

    hostile = ['<script>alert("cell")</script>', "<img src=x onerror=alert(2)>", "</script><script>alert(3)</script>"]
    df = pd.DataFrame({"sentence": hostile + ["plain words"], "score": [0.5, -1.0, 2.0, 0.0]})
    block = report.table_block(df, "Hostile cells", "tbl-hostile", interactive=True)
    body = publish_parts(block, parser=Parser(), writer_name="html5", settings_overrides={"report_level": 3})["body"]
    interactive.write_assets(tmp_path / "_static")  # as the book's _static/ (_ext/interactive_assets.py)
    (tmp_path / "page.html").write_text(f"<!doctype html><html><body>{body}{interactive.page_assets(body)}</body></html>",
                                        encoding="utf-8")
    with browser() as b:
        page = b.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((tmp_path / "page.html").as_uri(), wait_until="load")
        _ready(page)
        page.locator("#tbl-hostile thead th").nth(1).click()
        page.locator("#tbl-hostile_wrapper input[type=search]").fill("alert")
        page.wait_for_timeout(200)
        cells = sorted(r[0] for r in _shown_rows(page, "tbl-hostile"))
        n_img = page.eval_on_selector_all("img", "els => els.length")
        caption = page.locator("#tbl-hostile caption").inner_text()
    assert cells == sorted(hostile), cells
    assert caption == "Hostile cells.", caption
    assert not dialogs and n_img == 0
