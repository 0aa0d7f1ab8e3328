"""The findings page as built (e2e: uses the built-book fixtures of conftest): on the tiny and the
one-episode corpus it holds labelled findings, the summary figure with real alt text and the "How
sure can we be" box; every glossary link resolves; the one-episode book makes no change claim and says
who is named with whom is too few articles to say; the page takes the tone verdicts from the tone
chapter's ``tone_shifts.csv`` (an edited file changes the page)."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tests.conftest import ROOT, TINY

CHANGE = re.compile(r"\b(rose|fell|higher|lower|no detectable change in|moved)\b")


def _main_text(page: Path) -> tuple[str, str]:
    """(the page's <main> HTML, its visible words)."""
    s = page.read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", s, re.S).group(0)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S))
    return main, html.unescape(re.sub(r"\s+", " ", text))


def _findings_checks(book: Path) -> str:
    main, text = _main_text(book / "html" / "findings.html")
    assert "Confidence:" in text and "How sure can we be" in text
    assert not re.search(r"\{(term|numref|doc|glue:text)\}", text), "an unrendered role"
    assert 'id="fig-findings-summary"' in main
    img = re.search(r'<img[^>]*alt="([^"]*)"[^>]*>', main[main.index('id="fig-findings-summary"') - 2000:])
    assert img and "cooperation index" in img.group(1), "the summary figure has its alt text"
    summary = pd.read_csv(book / "data" / "tone_summary.csv")
    coop = summary[(summary["level"] == "episode_language") & (summary["measure"] == "cooperation_index")]
    assert len(coop) and all(f"{v:+.2f}" in html.unescape(img.group(1)) for v in coop["estimate"])   # the values
    assert all(str(label) in img.group(1) for label in pd.read_csv(book / "data" / "episodes.csv")["label"])   # from the data
    assert "Show code cell source" not in text                      # a summary page, no code
    for href in re.findall(r'href="(glossary\.html#[^"]+)"', main):
        anchor = href.split("#", 1)[1]
        assert f'id="{anchor}"' in (book / "html" / "glossary.html").read_text(encoding="utf-8"), href
    assert "glossary.html#" in main
    return text


def test_findings_page_on_tiny(tiny_book):
    text = _findings_checks(tiny_book)
    assert text.count("Confidence:") >= 2
    found = pd.read_csv(tiny_book / "data" / "key_findings.csv")
    assert found["finding"].iloc[-1] == "actors" and "Who appears with whom" in text
    assert "Confidence: descriptive (a count, no test)" in text


def test_the_tone_findings_are_the_tone_chapter_s_verdicts(tiny_book):
    """key_findings.csv repeats, per tone measure, the verdict of the last comparison of tone_shifts.csv."""
    shifts = pd.read_csv(tiny_book / "data" / "tone_shifts.csv")
    found = pd.read_csv(tiny_book / "data" / "key_findings.csv").set_index("finding")
    for measure, statement in (("cooperation_index", "tone_glossed"), ("vader_compound", "sentiment")):
        last = shifts[shifts["measure"] == measure].iloc[-1]
        assert found.loc[statement, "case"] == last["case"].replace("-", "_")
        assert found.loc[statement, "verdict"] == last["label"]
    source = (ROOT / "findings.ipynb").read_text(encoding="utf-8")
    assert "all_shifts" not in source and "tone_sentences.csv" not in source     # nothing recomputed on the page


def test_an_edited_shift_table_changes_the_page(tiny_book, tmp_path):
    """Run the findings page alone on the tiny book's tables with the tone verdicts edited to "clear, rose":
    the page says what the file says (it reads the chapter's verdicts; it does not recompute them)."""
    import papermill

    data = tmp_path / "data"
    shutil.copytree(tiny_book / "data", data)
    shifts = pd.read_csv(data / "tone_shifts.csv")
    shifts.assign(case="clear", label="clear", direction="rose").to_csv(data / "tone_shifts.csv", index=False)
    out = tmp_path / "findings.ipynb"
    papermill.execute_notebook(str(ROOT / "findings.ipynb"), str(out), cwd=str(tmp_path), kernel_name="python3",
                               progress_bar=False,
                               parameters={"seeds_dir": str(TINY), "data_dir": str(data), "fig_dir": str(tmp_path / "fig")})
    glued = [o for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code" for o in c.get("outputs", [])
             if o.get("metadata", {}).get("scrapbook", {}).get("name") == "findings_list"]
    text = next(v for k, v in glued[0]["data"].items() if k.endswith("text/markdown"))   # papermill's record mime type
    assert "**Diplomatic tone rose**" in text and "*Confidence: clear.*" in text
    assert "**General sentiment rose**" in text


def test_findings_page_on_one_episode_claims_no_change(one_episode_book):
    text = _findings_checks(one_episode_book)
    assert text.count("Confidence:") == 2 and "Confidence: not testable" in text
    assert "Who appears with whom cannot be said" in text and "Confidence: too few articles to say" in text
    findings = text[text.index("Confidence") - 400:text.index("How sure can we be")]
    assert not CHANGE.search(findings), findings


@pytest.mark.parametrize("term", ["G²", "Krippendorff", "Benjamini", "not testable", "cooperation index", "KWIC"])
def test_the_glossary_defines_the_book_s_terms(tiny_book, term):
    _, text = _main_text(tiny_book / "html" / "glossary.html")
    assert term in text


SUMMARY_JS = """() => { const i = document.querySelector('#fig-findings-summary img'); const f = i.closest('figure');
    return {shown: Math.round(i.getBoundingClientRect().width), natural: i.naturalWidth,
            scrolls: f.scrollWidth > f.clientWidth, page: document.documentElement.scrollWidth}; }"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390, 375])   # 375: a 390 px window beside a classic scrollbar
def test_the_summary_figure_is_shown_at_its_size_without_scrolling(tiny_book, width):
    """At a desktop and a phone width the summary figure is shown at its drawn size (10 pt text reads
    at 10 pt) from a 2x PNG, and neither it nor the page scrolls sideways."""
    from _reader import PageWatch, browser, need_chromium, serve

    from scripts.plots import summary as PS
    from scripts.plots.style import CSS_DPI, PIXEL_RATIO

    need_chromium()
    with serve(tiny_book / "html") as base, browser() as b:
        context = b.new_context(viewport={"width": width, "height": 900})
        w = PageWatch(context, f"{base}/findings.html")
        got = w.page.evaluate(SUMMARY_JS)
        context.close()
    shown = round(PS.WIDTH * CSS_DPI)
    assert (got["shown"], got["natural"]) == (shown, shown * PIXEL_RATIO), got
    assert not got["scrolls"] and got["page"] <= width, got
    assert not w.errors and not w.external, (w.errors, w.external)
