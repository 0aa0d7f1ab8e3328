"""The PDF as a reader sees it: built with XeLaTeX from the bundled seeds (the ``seeds_book`` fixture).

Checked with poppler-utils: A4, a table of contents and page numbers, every page title of the book
(findings, the chapters, methods, data) in the text, French accents and typography intact, every
figure embedded as an image, tables typeset as tables, a sane page count.
"""
from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from _reader import book_pages, expected_figures, need_tools, page_title


@pytest.fixture(scope="module")
def pdf(seeds_book) -> Path:
    need_tools("xelatex", "latexmk", "pdftotext", "pdfimages", "pdfinfo")
    path = seeds_book / "pdf" / "book.pdf"
    assert path.is_file() and path.stat().st_size > 50_000
    return path


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _norm(s: str) -> str:
    """Compare text across HTML and PDF: NFC, one space for any run of (thin, no-break) spaces, no hyphenation breaks."""
    s = unicodedata.normalize("NFC", s).replace("\u00ad", "")
    s = re.sub(r"-\n(?=\w)", "", s)
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", s).strip().lower()


def _html_text(seeds_book: Path, page: str) -> str:
    html = (seeds_book / "html" / f"{page}.html").read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", html, flags=re.S)
    body = re.sub(r"<(script|style|details)\b.*?</\1>", " ", main.group(0) if main else html, flags=re.S)
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", " ", body))


def test_a4_with_contents_and_page_numbers(pdf, seeds_book):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2, info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    n_pages = len(book_pages(seeds_book))
    assert n_pages <= pages <= 40 * n_pages, f"{pages} pages for {n_pages} book pages"
    assert "contents" in _text(pdf, "-f", "1", "-l", "4").lower()
    numbered = 0
    for p in range(3, min(pages, 12) + 1):
        lines = [l.strip() for l in _text(pdf, "-f", str(p), "-l", str(p)).splitlines() if l.strip()]
        numbered += any(re.fullmatch(r"\d+|[ivxlc]+", l) for l in lines[-3:] + lines[:3])
    assert numbered >= min(pages, 12) - 4, "pages without a page number"


def test_every_page_title_is_in_the_pdf(pdf, seeds_book):
    text = _norm(_text(pdf))
    missing = [page_title(seeds_book, p) for p in book_pages(seeds_book) if _norm(page_title(seeds_book, p)) not in text]
    assert not missing, f"titles missing from the PDF: {missing}"
    assert "findings" in text


def test_accents_and_french_typography_survive(pdf, seeds_book):
    pdf_text = _norm(_text(pdf))
    assert "\ufffd" not in pdf_text and "Ã" not in pdf_text, "encoding damage in the PDF text"
    words, marks = set(), set()
    for page in book_pages(seeds_book):
        html_text = _norm(_html_text(seeds_book, page))
        words |= {w for w in re.findall(r"\w+", html_text) if re.search(r"[^\x00-\x7f]", w) and len(w) > 3}
        marks |= {c for c in "«»’éèàçœ–" if c in html_text}
    assert len(words) >= 20, f"too few accented words in the book to test: {sorted(words)[:20]}"
    missing = sorted(w for w in words if w not in pdf_text)
    assert len(missing) <= 0.05 * len(words), f"{len(missing)} of {len(words)} accented words lost: {missing[:30]}"
    assert {c for c in marks if c not in pdf_text} == set(), "typographic characters lost in the PDF"


def test_figures_are_embedded_images(pdf, seeds_book):
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [l.split() for l in listing.splitlines()[2:] if l.split() and l.split()[2] == "image"]
    declared = sum(expected_figures(seeds_book, p) for p in book_pages(seeds_book))
    assert declared >= 8
    big = [i for i in images if int(i[3]) >= 400]
    assert len(big) >= declared, f"{len(big)} figure images in the PDF for {declared} figures in the book"


def test_tables_are_typeset_as_tables(seeds_book):
    need_tools("xelatex")
    tex = next((seeds_book / "stage" / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    n_html_tables = sum(len(re.findall(r"<table\b", (seeds_book / "html" / f"{p}.html").read_text(encoding="utf-8")))
                        for p in book_pages(seeds_book))
    n_tex_tables = len(re.findall(r"\\begin\{(?:tabular|tabulary|longtable)", tex))
    assert n_html_tables >= 10 and n_tex_tables >= n_html_tables, (n_html_tables, n_tex_tables)
    verbatim = re.findall(r"\\begin\{sphinxVerbatim\}.*?\\end\{sphinxVerbatim\}", tex, flags=re.S)
    dumps = [v[:200] for v in verbatim if re.search(r"^\s*\|?\s*:?-{3,}", v, flags=re.M)]
    assert not dumps, f"Markdown tables printed as monospace text: {dumps[:2]}"


def _pdf_pages(pdf: Path) -> list[str]:
    """Text of each PDF page (pdftotext separates pages with a form feed), hyphenation joined."""
    return [re.sub(r"-\n(?=\w)", "", unicodedata.normalize("NFC", p).replace("\u00ad", "")) for p in _text(pdf).split("\f")]


def _tokens(text: str) -> list[str]:
    """Words as compared across formats: (no-break) spaces split, hyphens dropped (LaTeX breaks
    words at them), case kept."""
    return [t.replace("-", "").replace("\u2010", "") for t in re.split(r"[\s\u00a0\u202f\u2009]+", text) if t.strip("-")]


def _printed(word: str, words: set[str], heads: set[str]) -> bool:
    """``word`` is on the page whole, or as pieces LaTeX hyphenated at line ends ("rapproche-" then
    "ment,"; pdftotext may put other cells between them). A clipped "0.1(" never composes "0.102"."""
    if word in words:
        return True
    return any(word.startswith(h) and len(word) > len(h) and _printed(word[len(h):], words, heads) for h in heads)


#: inline markup inside a word ("j'<strong>espère</strong>,"): dropped, not read as a space
INLINE_TAG = r"</?(?:strong|em|b|i|code|span)\b[^>]*>"


def _html_captions(seeds_book: Path, page: str) -> list[tuple[str, str, list[list[str]]]]:
    """(number, first caption words, cells) of each numbered figure and table of an HTML page, in page order."""
    import html as h

    source = (seeds_book / "html" / f"{page}.html").read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", source, flags=re.S)
    source = main.group(0) if main else source
    out = []
    for m in re.finditer(r'<span class="caption-number">([^<]+?)\s*</span>(.*?)</(?:figcaption|caption)>', source, flags=re.S):
        number = h.unescape(m.group(1)).strip()
        text = re.sub(r'<a class="headerlink".*?</a>', " ", m.group(2), flags=re.S)
        caption = " ".join(h.unescape(re.sub(r"<[^>]+>", " ", text)).split())
        cells: list[list[str]] = []
        if number.startswith("Table"):
            table = source[m.end():source.index("</table>", m.end())]
            rows = re.findall(r"<tr\b.*?</tr>", table, flags=re.S)
            cells = [[" ".join(h.unescape(re.sub(r"<[^>]+>", " ", re.sub(INLINE_TAG, "", c))).split())
                      for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]
        out.append((number, caption, cells))
    return out


@pytest.fixture(scope="module")
def numbered(seeds_book) -> list[tuple[str, str, list[list[str]]]]:
    items = [c for p in book_pages(seeds_book) for c in _html_captions(seeds_book, p)]
    assert sum(n.startswith("Table") for n, _, _ in items) >= 20, "the book's tables should be numbered and captioned"
    return items


def test_figure_and_table_numbers_are_the_same_in_html_and_pdf(pdf, numbered):
    """Each HTML "Fig. 2.1" / "Table 4.4" is printed with the same number before the same caption
    (the Summary part once shifted every PDF chapter number by one)."""
    text = " ".join(_tokens(" ".join(_pdf_pages(pdf))))
    missing = []
    for number, caption, _ in numbered:
        words = " ".join(_tokens(caption)[:5])
        if f"{' '.join(_tokens(number))}: {words}" not in text:
            missing.append(f"{number}: {caption[:60]}")
    assert not missing, f"{len(missing)} of {len(numbered)} captions have another number (or none) in the PDF: {missing[:8]}"


def test_every_cell_of_every_table_is_printed_whole(pdf, numbered):
    """No clipped cell ("0.017 / 0.1("), no lost header: every word of every cell of a numbered
    HTML table is on the PDF pages from its caption on (a table may run over two more pages)."""
    pages = _pdf_pages(pdf)
    raw_pages = _text(pdf, "-raw").split("\f")  # content order, line-end hyphens kept (default mode may join across cells)
    problems = []
    for number, _, cells in numbered:
        if not cells:
            continue
        label = " ".join(_tokens(number)) + ":"
        start = next((i for i, p in enumerate(pages) if label in " ".join(_tokens(p))), None)
        if start is None:
            problems.append(f"{number}: caption not found")
            continue
        raw_text = unicodedata.normalize("NFC", " ".join(raw_pages[max(0, start - 1):start + 3]))
        near = set(_tokens(" ".join(pages[max(0, start - 1):start + 3]))) | set(_tokens(raw_text))
        raw_words = re.split(r"\s+", raw_text)
        heads = {w[:-1].replace("-", "") for w in raw_words if w.endswith("-") and len(w) >= 2}
        heads |= {w for w in raw_words if w.endswith("\u2013") and len(w) >= 2}  # LaTeX may break after an en dash
        heads |= {w for w in raw_words if w.endswith("|") and len(w) >= 2}  # and after a vertical bar (book_fixes)
        lost = sorted(t for t in {t for row in cells for cell in row for t in _tokens(cell)} if not _printed(t, near, heads))
        if lost:
            problems.append(f"{number}: {lost[:6]}")
    assert not problems, f"table text missing from the PDF: {problems[:10]}"


def test_no_text_runs_past_the_margins(pdf):
    """Every word lies within the text block. Its edges are the ones most pages share (the running
    header spans the block); a table whose cells cannot break (the concept patterns' regular
    expressions did) pushes words past the right one."""
    from collections import Counter

    words = re.findall(r'<page width="[\d.]+"|xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<',
                       _text(pdf, "-bbox"))
    pages, page = [], None
    for x0, x1, word in words:
        if not x0:
            page = []
            pages.append(page)
        else:
            page.append((float(x0), float(x1), word))
    left = Counter(round(min(x0 for x0, _, _ in p)) for p in pages if p).most_common(1)[0][0]
    right = Counter(round(max(x1 for _, x1, _ in p)) for p in pages if p).most_common(1)[0][0]
    out = [(n + 1, w) for n, p in enumerate(pages) for x0, x1, w in p if x0 < left - 2 or x1 > right + 2]
    assert not out, f"{len(out)} words outside the text block ({left}–{right} pt), (page, word): {out[:8]}"


def test_collapsed_admonitions_are_printed_open(pdf, seeds_book):
    """What the HTML folds away (checks, parameters, column dictionaries in ``:class: dropdown``
    admonitions) is printed in full: each box's title and its first words are in the PDF."""
    import html as h

    text = " ".join(_tokens(" ".join(_pdf_pages(pdf))))
    boxes = []
    for page in book_pages(seeds_book):
        source = (seeds_book / "html" / f"{page}.html").read_text(encoding="utf-8")
        box = r'<div class="dropdown admonition">\s*<p class="admonition-title">((?:(?!</p>).)*)</p>\s*<p>((?:(?!</p>).)*)</p>'
        for m in re.finditer(box, source, flags=re.S):
            title, first = (re.sub(r"\s+([.,;:)])", r"\1", " ".join(h.unescape(re.sub(r"<[^>]+>", " ", g)).split()))
                            for g in m.groups())
            boxes.append((page, title, " ".join(_tokens(first)[:6])))
    assert len(boxes) >= 10, "the chapters and the About pages fold their checks"
    missing = [b for b in boxes if " ".join(_tokens(b[1])) not in text or b[2] not in text]
    assert not missing, f"collapsed content missing from the PDF: {missing[:6]}"
