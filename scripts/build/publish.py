"""From executed notebooks to the published book: the staging copy, Jupyter Book, the swap-in.

- :func:`open_work` starts ``work/`` as a copy of the last successful ``stage/``.
- :func:`copy_book_sources` puts the current pages and config beside the executed notebooks and
  deletes pages an earlier build left there.
- :func:`mark_for_rereading` makes Sphinx re-read pages that glue values from other notebooks
  (``{glue:text}`chapters/02_terms.ipynb::key:s```): Sphinx re-reads a page only when its file is
  newer than its last reading, and myst-nb fills cross-notebook glue when it writes the page, so a
  page such as ``findings.md``, copied with its old mtime, would keep the previous corpus's numbers.
- :func:`render` runs Jupyter Book into an emptied ``_build/html`` (Sphinx keeps its parsed pages
  in ``_build/.doctrees``, so unchanged pages are written, not re-read): images, downloads and pages
  of an earlier build cannot survive in the HTML.
- :func:`publish` swaps ``html/``, ``data/``, the PDF and ``stage/`` in with renames, only after
  every step succeeded.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .cache import hash_files
from .console import BuildError
from .plan import Plan, book_sources, toc_files

OUTPUT_FOLDERS = {"_build", "data", "figures", "outputs", "_logs", "_static"}  # never holds stale pages
PAGE_SUFFIXES = (".md", ".ipynb", ".bib", ".log")
CROSS_GLUE = re.compile(r"\{glue(?::[a-z]+)?\}[`\s]*[^`\s]*\.ipynb::")  # a role or directive naming another notebook


def copy_tree(src: Path, dst: Path) -> None:
    """``dst`` becomes a copy of ``src`` (an empty folder if ``src`` does not exist)."""
    if dst.exists():
        shutil.rmtree(dst)
    if src.exists():
        shutil.copytree(src, dst, symlinks=True)
    else:
        dst.mkdir(parents=True)


def open_work(out: Path) -> Path:
    """``out/work``: a fresh copy of the last successful staging folder, where this build works."""
    work = out / "work"
    copy_tree(out / "stage", work)
    return work


def copy_book_sources(work: Path, sources: list[Path], root: Path, notebooks: list[str]) -> None:
    """Copy the pages, config and assets into ``work`` and delete pages left there by earlier builds
    (a renamed chapter, an .md that became an .ipynb), so Sphinx never sees two files for one page."""
    for p in sources:
        target = work / p.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, target)
    keep = {str(p.relative_to(root)) for p in sources} | set(notebooks)
    for p in work.rglob("*"):
        rel = p.relative_to(work)
        if p.is_file() and rel.parts[0] not in OUTPUT_FOLDERS and p.suffix in PAGE_SUFFIXES \
                and str(rel) not in keep and not p.name.startswith("jupyter-book-"):
            p.unlink()


def stage_pages(work: Path, plan: Plan, reread_cross_glue: bool) -> str:
    """Put the book's pages, config and assets beside the executed notebooks; when any notebook ran
    (``reread_cross_glue``), mark the pages that glue from other notebooks to be re-read. Returns the
    hash of the copied sources (a change re-renders the book)."""
    sources = book_sources(plan.root)
    copy_book_sources(work, sources, plan.root, plan.notebooks)
    if reread_cross_glue:
        mark_for_rereading(cross_glue_pages(work, toc_files(plan.root)))
    return hash_files(sources, plan.root)


def cross_glue_pages(work: Path, pages: list[str]) -> list[Path]:
    """The page files (``.md`` or executed ``.ipynb``) of ``pages`` that glue from another notebook."""
    found = []
    for page in pages:
        for path in (work / f"{page}.md", work / f"{page}.ipynb"):
            if path.is_file() and CROSS_GLUE.search(path.read_text(encoding="utf-8")):
                found.append(path)
    return found


def mark_for_rereading(paths: list[Path]) -> None:
    """Set the files' modification time to now: Sphinx re-reads (and rewrites) them."""
    for path in paths:
        os.utime(path)


def jupyter_book_args(work: Path, builder: str, strict: bool) -> list[str]:
    """``jupyter-book`` arguments that render ``work`` with ``builder`` (``--strict``: warnings are errors)."""
    return ["build", str(work), "--builder", builder, *(["-W", "-n", "--keep-going"] if strict else [])]


def start_renderer(work: Path, strict: bool, jobs: int):
    """The HTML render, started ahead so that it imports while the last notebooks run (:mod:`.render`)."""
    from .render import Renderer

    return Renderer(work, jupyter_book_args(work, "html", strict), jobs)


def run_jupyter_book(work: Path, builder: str, strict: bool, renderer=None) -> None:
    """Run ``jupyter-book build`` (or let ``renderer``, started with the same arguments, run it); one
    :class:`BuildError` line with the first warning or error when it fails."""
    if renderer is not None:
        proc = renderer.run()
    else:
        cmd = [str(Path(sys.executable).with_name("jupyter-book")), *jupyter_book_args(work, builder, strict)]
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    log_file = work / f"jupyter-book-{builder}.log"
    log_file.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        lines = [l for l in (proc.stderr + proc.stdout).splitlines() if "WARNING" in l or "ERROR" in l or "Error" in l]
        first = lines[0].strip() if lines else "see the log"
        raise BuildError(f"jupyter-book {builder} failed: {first[:400]} (full log: {log_file})")


def render_html(work: Path, strict: bool, renderer=None) -> None:
    """Render ``work/_build/html`` from scratch (pages not re-read are written from Sphinx's doctrees)."""
    html = work / "_build" / "html"
    if html.exists():
        shutil.rmtree(html)
    run_jupyter_book(work, "html", strict, renderer)


def render_pdf(work: Path, strict: bool) -> Path:
    """Render the PDF with XeLaTeX; return it."""
    latex = work / "_build" / "latex"
    if latex.exists():
        shutil.rmtree(latex)  # latexmk remembers failures
    run_jupyter_book(work, "pdflatex", strict)
    produced = sorted(latex.glob("*.pdf"))
    if not produced:
        raise BuildError(f"no PDF produced: see {work / 'jupyter-book-pdflatex.log'}")
    return produced[0]


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new`` with two renames, so a reader never sees half a folder."""
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        shutil.rmtree(old)


def publish(work: Path, out: Path, pdf: Path | None) -> None:
    """Success: the new book, tables and (if rendered) PDF replace the old ones, and ``work/`` becomes
    ``stage/``. Each swap is a rename; the old book stays until the new one is complete."""
    for name, src in (("html", work / "_build" / "html"), ("data", work / "data")):
        tmp = out / f"{name}.new"
        copy_tree(src, tmp)
        _swap_in(tmp, out / name)
    if pdf is not None:
        (out / "pdf").mkdir(exist_ok=True)
        shutil.copy2(pdf, out / "pdf" / "book.pdf.new")
        os.replace(out / "pdf" / "book.pdf.new", out / "pdf" / "book.pdf")
    _swap_in(work, out / "stage")
