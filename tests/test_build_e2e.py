"""End to end: build the book on the tiny fixture corpus and on the bundled seeds, then read the
HTML and the CSVs as a user would."""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pandas as pd

from scripts import build as B
from scripts import corpus as C

ROOT = Path(__file__).resolve().parent.parent


def _text(html_file: Path) -> str:
    raw = html_file.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", raw)))


def test_tiny_book_has_every_chapter_and_glued_numbers(tiny_book):
    html = tiny_book / "html"
    assert (html / "index.html").is_file()
    for rel in B.toc_files():
        assert (html / f"{rel}.html").is_file(), rel
    corpus = C.load_corpus(ROOT / "tests" / "fixtures" / "tiny")
    page = _text(html / "chapters" / "01_corpus.html")
    n_docs, n_eps = len(corpus.documents), len(corpus.episodes)
    clean = int(corpus.documents["tokens_clean"].sum())
    assert f"The corpus holds {n_docs} articles about {n_eps} episodes" in page
    assert f"{clean:,} word tokens" in page
    intro = _text(html / "intro.html")
    assert f"covers {n_eps} episodes" in intro and "Geneva, June 2021" in intro
    # no glue placeholder or raw role left unrendered
    for name in ("intro.html", "chapters/01_corpus.html"):
        assert "{glue" not in _text(html / name)
    # figures referenced by the chapter exist in the HTML output
    imgs = re.findall(r'<img[^>]+src="([^"]+)"', (html / "chapters" / "01_corpus.html").read_text(encoding="utf-8"))
    assert imgs and all((html / "chapters" / src).resolve().is_file() for src in imgs if not src.startswith("data:"))


def test_tiny_book_code_removed_and_parameters_removed(tiny_book):
    nb = json.loads((tiny_book / "stage" / "chapters" / "01_corpus.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if {"parameters", "injected-parameters"} & set(c["metadata"].get("tags", []))]
    assert len(params) == 2 and all("remove-cell" in c["metadata"]["tags"] for c in params)
    assert all("remove-input" in c["metadata"]["tags"] and "hide-input" not in c["metadata"]["tags"] for c in code if c not in params)
    page = (tiny_book / "html" / "chapters" / "01_corpus.html").read_text(encoding="utf-8")
    assert "injected-parameters" not in page and "seeds_dir =" not in page


def test_tiny_book_documents_csv(tiny_book):
    docs = pd.read_csv(tiny_book / "data" / "documents.csv")
    assert {"doc_id", "file", "episode", "language", "date", "source", "title", "tokens_raw", "tokens_clean"} <= set(docs.columns)
    assert sorted(docs["episode"].unique()) == ["geneva-2021", "moscow-2017"]
    paragraphs = pd.read_csv(tiny_book / "data" / "paragraphs.csv")
    assert {"boilerplate:publicite", "boilerplate:comment-form", "after:comment-form"} <= set(paragraphs["reason"].dropna())


def test_seeds_book_lists_all_five_seeds(seeds_book):
    docs = pd.read_csv(seeds_book / "data" / "documents.csv", dtype={"doc_id": str})
    assert sorted(docs["file"]) == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert docs.set_index("doc_id")["episode"].to_dict() == {
        "004": "moscow-2017", "003": "washington-2017", "000": "sochi-2019", "001": "sochi-2019", "002": "sochi-2019"}
    assert (docs["tokens_clean"] > 0).all() and (docs["tokens_clean"] <= docs["tokens_raw"]).all()
