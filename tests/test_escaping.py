"""Seed text is untrusted: markup inside an article must reach the reader as visible text and never run.

The tiny fixture's geneva_en.txt quotes ``<script>alert("seed")</script>`` and
``<img src=x onerror=alert(1)>``. The Data page lists sentences that look like markup, so that
sentence is on a page of every book; the other pages (tables, evidence, KWIC) may show it too.
"""
from __future__ import annotations

import re

import pytest
from _reader import PageWatch, book_pages, browser, need_chromium, serve

SCRIPT = '<script>alert("seed")</script>'
IMG = "<img src=x onerror=alert(1)>"


def test_no_page_source_contains_the_seed_markup_unescaped(tiny_book):
    """Static check of every HTML file, including pages outside the table of contents."""
    html_files = sorted((tiny_book / "html").rglob("*.html"))
    assert len(html_files) >= 8
    live = re.compile(r'<script>\s*alert\("seed"\)|<img\s+src=x\s+onerror', re.I)
    offenders = [str(p.relative_to(tiny_book)) for p in html_files if live.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"unescaped seed markup in {offenders}"
    escaped = [p.name for p in html_files if "&lt;script&gt;alert(&quot;seed&quot;)&lt;/script&gt;" in p.read_text(encoding="utf-8")
               or '&lt;script&gt;alert("seed")&lt;/script&gt;' in p.read_text(encoding="utf-8")]
    assert "data.html" in escaped, "the Data page should list the sentence with markup, escaped"


def test_seed_markup_shows_as_text_and_runs_nothing(tiny_book, artifacts):
    need_chromium()
    seen_on = []
    problems = []
    with serve(tiny_book / "html") as base, browser() as b:
        context = b.new_context()
        for page in book_pages(tiny_book):
            w = PageWatch(context, f"{base}/{page}.html")
            if w.dialogs:
                problems.append(f"{page}: a dialog opened: {w.dialogs}")
            n_scripts = w.page.eval_on_selector_all("script", "els => els.filter(e => e.textContent.includes('alert(\"seed\")')).length")
            if n_scripts:
                problems.append(f"{page}: {n_scripts} <script> element(s) carry the seed's code")
            n_imgs = w.page.eval_on_selector_all(
                "img", "els => els.filter(e => e.hasAttribute('onerror') || e.getAttribute('src') === 'x').length")
            if n_imgs:
                problems.append(f"{page}: {n_imgs} <img> element(s) from the seed")
            text = w.page.inner_text("main")
            if SCRIPT in text:
                seen_on.append(page)
                loc = w.page.get_by_text(SCRIPT, exact=False).first
                if not loc.is_visible():
                    problems.append(f"{page}: the escaped sentence is in the page but not visible")
                elif page == "data":
                    loc.scroll_into_view_if_needed()
                    w.page.screenshot(path=str(artifacts / "tiny_book__escaped_seed_markup.png"))
                if IMG not in text:
                    problems.append(f"{page}: shows the <script> text but not the <img> text")
            w.page.close()
    assert not problems, "\n".join(problems)
    assert "data" in seen_on, f"the sentence with markup should be visible as text on the Data page (seen on {seen_on})"


@pytest.mark.parametrize("text", [SCRIPT, IMG, "a | b", "*bold* _it_ `code` [link](x)"])
def test_md_table_escapes_markup_and_table_syntax(text):
    import pandas as pd

    from scripts.report import md_table

    table = md_table(pd.DataFrame({"text": [text]}))
    row = table.splitlines()[2]
    assert "<" not in row and row.count("|") - row.count("\\|") == 2
