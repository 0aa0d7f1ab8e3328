"""Jupyter Book's command line, started ahead and run with Sphinx's parallel jobs.

Why: after the last notebook, the HTML render ran alone on one core, and its first ~2 CPU s were
imports (Jupyter Book, Sphinx, myst-nb, the theme, the extensions). A :class:`Renderer` starts
``python -m scripts.build.render`` while the pages that read the chapters still run (one core is
idle there: the data page runs alone), lets it import, and has it run ``jupyter-book build`` —
the same command line, in the same process as before — when the pages are in place.

For HTML, Sphinx reads and writes the pages with ``--jobs`` processes. Two extensions that
Jupyter Book loads do not say whether they are parallel-safe, so Sphinx read serially and warned:
``sphinx_multitoc_numbering`` only replaces ``TocTreeCollector.assign_section_numbers``, which Sphinx
calls in the main process after merging the readers' environments, and ``sphinx_jupyterbook_latex``
does its work only for the LaTeX builder (which always writes serially); both are declared safe here
(:func:`declare_parallel_safe`). A parallel and a serial render give byte-identical HTML
(``tests/test_build_render.py``).
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

#: imported while waiting: what ``jupyter-book build --builder html`` imports before it reads a page
PRELOAD = ("jupyter_book.cli.main", "jupyter_book.sphinx", "jupyter_book.config", "sphinx.application",
           "sphinx.builders.html", "myst_nb", "myst_nb.sphinx_ext", "myst_parser.sphinx_ext.main", "sphinx_book_theme",
           "pydata_sphinx_theme", "sphinxcontrib.bibtex", "sphinx_design", "sphinx_togglebutton", "sphinx_copybutton",
           "sphinx_comments", "sphinx_thebe", "sphinx_external_toc", "sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")
#: imported and warmed too: what the book's own extensions (``_ext``) use on first call, which the
#: forked readers and writers would otherwise each pay again (:func:`warm`)
PRELOAD_BOOK = ("scripts.interactive", "bokeh.resources", "PIL.PngImagePlugin", "nbformat.validator", "pybtex.plugin")
#: extensions Jupyter Book loads that do not declare parallel safety, and are (see the module docstring)
PARALLEL_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")
GO = "go"


def declare_parallel_safe(module) -> None:
    """Make the extension's ``setup`` return metadata saying it is safe for parallel reading and writing."""
    original = module.setup

    def setup(app):
        meta = original(app) or {}
        return {**meta, "parallel_read_safe": True, "parallel_write_safe": True}

    module.setup = setup


def warm() -> None:
    """Do, while waiting, the first-call work that every render repeats with the same result: the
    notebook schema's validator (compiled on the first notebook read: ≈ 0.3 s, once per forked reader),
    the library files' names (:mod:`scripts.interactive`) and pybtex's plugins (found through entry
    points). Each is what the render would do itself; a failure here is left to the render."""
    steps = (
        lambda: importlib.import_module("nbformat.validator").get_validator(version=4, version_minor=5),
        lambda: importlib.import_module("scripts.interactive")._asset_names(),
        lambda: _warm_pybtex(),
    )
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001 - the render does (or fails on) it itself
            pass


def _warm_pybtex() -> None:
    import pybtex.plugin

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "_ext"))
    try:
        importlib.import_module("lookup_cache").install()
    finally:
        sys.path.pop(0)
    pybtex.plugin.find_plugin("pybtex.backends", "plaintext")


def main(argv: list[str]) -> int:
    """``python -m scripts.build.render JOBS ARGS...``: import, wait for :data:`GO` on stdin (anything
    else, or end of input: exit 1 without rendering), then run ``jupyter-book ARGS`` with Sphinx's
    ``parallel=JOBS``."""
    jobs, args = int(argv[0]), argv[1:]
    if sys.path and Path(sys.path[0]).resolve() == Path.cwd().resolve():
        del sys.path[0]  # as for the jupyter-book script: the book folder is no import path
    from .trace import span

    with span("renderer imports"):
        for name in PRELOAD + PRELOAD_BOOK:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - then jupyter-book imports (or fails on) it itself, as before
                pass
        warm()
    if sys.stdin.readline().strip() != GO:
        return 1
    import functools

    import jupyter_book.sphinx as jb_sphinx
    from jupyter_book.cli.main import main as cli

    for name in PARALLEL_SAFE:
        try:
            declare_parallel_safe(importlib.import_module(name))
        except ImportError:
            pass
    # the CLI imports build_sphinx from this module when it builds, so it gets the jobs
    jb_sphinx.build_sphinx = functools.partial(jb_sphinx.build_sphinx, jobs=jobs)
    trace_sphinx_phases()
    try:
        with span("jupyter-book build"):
            cli.main(args, prog_name="jupyter-book")
    except SystemExit as err:
        return err.code if isinstance(err.code, int) else (0 if err.code is None else 1)
    return 0


def trace_sphinx_phases() -> None:
    """When tracing (:mod:`.trace`), record Sphinx's phases as spans: set-up (until the builder is
    ready), reading (until the environment is updated), resolving and writing (until the build ends)."""
    import os
    import time

    from sphinx.application import Sphinx

    from .trace import VARIABLE, record

    if not os.environ.get(VARIABLE):
        return
    original = Sphinx.__init__

    def init(app, *a, **kw):
        current = ["sphinx set-up", time.time()]

        def next_phase(name: str) -> None:
            now = time.time()
            record(current[0], current[1], now)
            current[:] = [name, now]

        original(app, *a, **kw)
        next_phase("sphinx read")
        app.connect("env-updated", lambda *_a: next_phase("sphinx resolve and write"))
        app.connect("build-finished", lambda *_a: next_phase("end"))

    Sphinx.__init__ = init


class Renderer:
    """One ``jupyter-book ARGS`` run, started now (it imports), executed by :meth:`run`."""

    def __init__(self, work: Path, args: list[str], jobs: int = 1):
        self.work = work
        self.process = subprocess.Popen([sys.executable, "-m", "scripts.build.render", str(jobs), *args], cwd=work,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self) -> subprocess.CompletedProcess:
        """Render now; the finished process with its output (as ``subprocess.run`` would give it)."""
        out, err = self.process.communicate(GO + "\n")
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)

    def cancel(self) -> None:
        """The build stopped before rendering: let the process exit without rendering."""
        if self.process.returncode is None:
            self.process.communicate("")


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Sphinx has written and closed every file; tearing down its objects took ≈ 1 s the build waited for
    os._exit(code)
