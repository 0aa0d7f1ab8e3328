"""The findings page as built (e2e: uses the built-book fixtures of conftest): on the tiny and the
one-episode corpus it holds labelled findings, the summary figure with real alt text and the "How
sure can we be" box; every glossary link resolves; the one-episode book makes no change claim."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

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
    assert "Show code cell source" not in text                      # a summary page, no code
    for href in re.findall(r'href="(glossary\.html#[^"]+)"', main):
        anchor = href.split("#", 1)[1]
        assert f'id="{anchor}"' in (book / "html" / "glossary.html").read_text(encoding="utf-8"), href
    assert "glossary.html#" in main
    return text


def test_findings_page_on_tiny(tiny_book):
    text = _findings_checks(tiny_book)
    assert text.count("Confidence:") >= 2


def test_findings_page_on_one_episode_claims_no_change(one_episode_book):
    text = _findings_checks(one_episode_book)
    assert text.count("Confidence:") == 1 and "Confidence: not testable" in text
    findings = text[text.index("Confidence") - 400:text.index("How sure can we be")]
    assert not CHANGE.search(findings), findings


@pytest.mark.parametrize("term", ["G²", "Krippendorff", "Benjamini", "not testable", "cooperation index", "KWIC"])
def test_the_glossary_defines_the_book_s_terms(tiny_book, term):
    _, text = _main_text(tiny_book / "html" / "glossary.html")
    assert term in text
