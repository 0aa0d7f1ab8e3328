"""Bad input: a clear one-line error naming the file and the fix, exit code 2, and the previously
built book and data left byte for byte as they were.

One good book (the session's ``tiny_book``) is copied once into this module's output folder; every
bad case then runs the real build command against that copy. Seeds are validated before any
notebook executes, so each bad case fails in about two seconds. Two builds run to completion here:
the duplicate-document corpus (a success, not an error) and the failing-chapter case (stops in the
first chapter that declares the bad parameter)."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from _texts import FRENCH, GERMAN
from conftest import TINY, book_job, built_book, run_build

from scripts import build as B
from scripts import corpus as C
from scripts import seeds as S


def tree_hashes(out: Path) -> dict[str, str]:
    """sha256 of every file under ``<out>/html``, ``<out>/data`` and ``<out>/stage``."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for part in ("html", "data", "stage") for p in sorted((out / part).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_book(tiny_book, tmp_path_factory) -> Path:
    """A copy of a good build, so failed builds run against a real previous book."""
    out = tmp_path_factory.mktemp("previous") / "out"
    out.mkdir()
    for part in ("html", "data", "stage"):
        shutil.copytree(tiny_book / part, out / part, symlinks=True)
    return out


def _edit_manifest(folder: Path, old: str, new: str) -> None:
    path = folder / "manifest.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each case: how to spoil a copy of the tiny corpus, the file the error must name, words the error
# must contain (what is wrong and what to do).
def _empty(d): (d / "geneva_en.txt").write_text("", encoding="utf-8")
def _whitespace(d): (d / "geneva_en.txt").write_text("  \n\n\t\n \n", encoding="utf-8")
def _binary(d): (d / "geneva_en.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
def _cp1252(d): (d / "moscow_fr.txt").write_bytes(FRENCH.encode("cp1252"))
def _german(d): (d / "moscow_fr.txt").write_text(GERMAN, encoding="utf-8")
def _missing(d): (d / "geneva_fr.txt").unlink()
def _outside_relative(d):
    (d.parent / "outside.txt").write_text(FRENCH, encoding="utf-8")
    _edit_manifest(d, "file: geneva_fr.txt", "file: ../outside.txt")
def _outside_absolute(d): _edit_manifest(d, "file: geneva_fr.txt", f"file: {TINY / 'geneva_fr.txt'}")
def _unknown_episode(d): _edit_manifest(d, "file: geneva_fr.txt\n    episode: geneva-2021", "file: geneva_fr.txt\n    episode: paris-2020")
def _malformed(d): _edit_manifest(d, "    source: test fixture\n    title: Tillerson", "    source: test fixture\n  title: [Tillerson")
def _too_large(d):
    limit = int(C.cleaning_rules()["max_file_bytes"])
    line = "The talks went on. " * 50 + "\n\n"
    (d / "geneva_en.txt").write_text(line * (limit // len(line) + 2), encoding="utf-8")


BAD_CASES = {
    "empty": (_empty, "geneva_en.txt", ["empty", "put the article's text in it or remove its manifest entry"]),
    "whitespace": (_whitespace, "geneva_en.txt", ["whitespace only", "remove its manifest entry"]),
    "binary": (_binary, "geneva_en.txt", ["binary data", "save the article as a plain .txt file"]),
    "not-utf8": (_cp1252, "moscow_fr.txt", ["not UTF-8", "looks like cp1252", "iconv -f cp1252 -t UTF-8 moscow_fr.txt"]),
    "german": (_german, "moscow_fr.txt", ["detected language 'de'", "is not supported (en, fr)", "skip: true"]),
    "missing-file": (_missing, "geneva_fr.txt", ["listed in manifest.yml but missing", "add the file or remove its entry"]),
    "outside-relative": (_outside_relative, "../outside.txt", ["outside the seeds folder", "copy the file into the folder"]),
    "outside-absolute": (_outside_absolute, str(TINY / "geneva_fr.txt"), ["outside the seeds folder", "copy the file into the folder"]),
    "unknown-episode": (_unknown_episode, "geneva_fr.txt",
                        ["unknown episode 'paris-2020'", "known: moscow-2017, geneva-2021", "episode add"]),
    "malformed-yaml": (_malformed, "manifest.yml", ["malformed YAML", "line 19", "fix the indentation/quoting"]),
    "too-large": (_too_large, "geneva_en.txt", ["far larger than a news article", "max_file_bytes in scripts/data/cleaning.yml"]),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_seed_is_refused_and_the_previous_book_is_intact(case, previous_book, tmp_path, capsys):
    spoil, file, fragments = BAD_CASES[case]
    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    spoil(seeds)
    before = tree_hashes(previous_book)
    assert before and any(k.startswith("html/") for k in before) and any(k.startswith("data/") for k in before)

    proc = run_build(seeds, previous_book)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines), proc.stderr
    problem = lines[0]
    assert file in problem and all(f in problem for f in fragments), problem
    assert lines[-1].startswith("error: build stopped; the previous book") and len(lines) == 2  # one line per problem
    assert "executing" not in proc.stdout  # validation comes before any notebook
    assert tree_hashes(previous_book) == before

    # the same folder through the checker: same one-line error, exit 2, nothing on stdout
    assert S.main(["check", str(seeds)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().splitlines() == [problem]


def test_every_problem_is_listed_at_once(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    _empty(seeds)
    _german(seeds)
    with pytest.raises(C.CorpusError) as err:
        C.load_corpus(seeds)
    assert [p.split(":")[0] for p in err.value.problems] == ["moscow_fr.txt", "geneva_en.txt"]


def test_skip_true_keeps_an_unsupported_language_out_of_the_analysis(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(TINY, seeds)
    (seeds / "nachricht_de.txt").write_text(GERMAN, encoding="utf-8")
    path = seeds / "manifest.yml"
    path.write_text(path.read_text(encoding="utf-8") + "  - file: nachricht_de.txt\n    episode: moscow-2017\n    skip: true\n",
                    encoding="utf-8")
    corp = C.load_corpus(seeds)
    assert "nachricht_de.txt" not in set(corp.documents["file"]) and len(corp.documents) == 3
    assert S.main(["check", str(seeds)]) == 0
    assert "Skipped (skip: true)" in capsys.readouterr().out


def test_failing_chapter_names_notebook_and_cell_and_keeps_the_book(previous_book):
    """A --param value of the right type that the chapter rejects at run time (a mistyped value is
    refused before anything runs, see test_params): the message names the notebook and the cell."""
    chapter = B.ROOT / "chapters" / "03_actors.ipynb"
    assert "window" in B.notebook_parameters(chapter), "the test needs the window parameter of chapters/03_actors.ipynb"
    before = tree_hashes(previous_book)
    proc = run_build(TINY, previous_book, "--param", "window=chapter")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert all(line.startswith("error: ") for line in lines) and len(lines) == 2, proc.stderr
    m = re.match(r"error: chapters/03_actors\.ipynb: cell (\d+) .*failed: (\w+Error): .*"
                 r"\(executed copy with the traceback: (.+)\)$", lines[0])
    assert m, lines[0]
    executed = Path(m.group(3))
    assert executed.is_file() and executed.is_relative_to(previous_book / "failed")  # the path given exists
    assert m.group(2) in executed.read_text(encoding="utf-8")  # and holds the traceback
    assert tree_hashes(previous_book) == before
    assert not (previous_book / "work").exists()


# --------------------------------------------------------------------------- duplicates and markup: a real build
MARKUP = '<script>alert("seed")</script> Gazette <img src=x onerror=alert(2)>'


def _duplicate_seeds(base: Path) -> Path:
    """The tiny corpus plus the same English text under a second name, and markup in a source field."""
    seeds = base / "seeds"
    shutil.copytree(TINY, seeds)
    shutil.copy(seeds / "geneva_en.txt", seeds / "geneva_en_copy.txt")
    path = seeds / "manifest.yml"
    path.write_text(path.read_text(encoding="utf-8")
                    + f"  - file: geneva_en_copy.txt\n    episode: geneva-2021\n    source: '{MARKUP}'\n", encoding="utf-8")
    return seeds


book_job("duplicate_book", (_duplicate_seeds, ()))


@pytest.fixture(scope="module")
def duplicate_book(request) -> Path:
    """The book of ``_duplicate_seeds`` (built in the background, conftest)."""
    return built_book(request, "duplicate_book")


def test_duplicate_document_is_reported_and_counted_once(duplicate_book):
    docs = pd.read_csv(duplicate_book / "data" / "documents.csv", keep_default_na=False).set_index("file")
    assert docs.loc["geneva_en_copy.txt", "duplicate_of"] == docs.loc["geneva_en.txt", "doc_id"]
    assert docs.loc["geneva_en.txt", "duplicate_of"] == "" and len(docs) == 4
    assert docs.loc["geneva_en_copy.txt", ["paragraphs_kept", "sentences", "tokens_clean"]].tolist() == [0, 0, 0]
    sentences = pd.read_csv(duplicate_book / "data" / "sentences.csv")
    assert docs.loc["geneva_en_copy.txt", "doc_id"] not in set(sentences["doc_id"])
    # counted once: the corpus minus the copy has exactly the same sentences
    single = C.load_corpus(TINY)
    assert len(sentences) == len(single.sentences)


def _html_pages(out: Path) -> list[Path]:
    return [p for p in sorted((out / "html").rglob("*.html")) if "_static" not in p.parts]


def test_markup_in_seeds_is_shown_as_text_never_as_html(duplicate_book, tiny_book):
    for out in (duplicate_book, tiny_book):
        for page in _html_pages(out):
            html = page.read_text(encoding="utf-8")
            assert "<script>alert(" not in html and "<img src=x onerror" not in html, page
    # the manifest's markup reaches the corpus chapter's documents table, escaped
    page = (duplicate_book / "html" / "chapters" / "01_corpus.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    # wherever the tiny book shows the article's sentence with markup, it shows it escaped
    shown = [p for p in _html_pages(tiny_book) if "A reader comment quoted" in p.read_text(encoding="utf-8")]
    for p in shown:
        assert "&lt;script&gt;alert(" in p.read_text(encoding="utf-8"), p
