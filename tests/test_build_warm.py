"""Warm kernels (issue 14, :mod:`scripts.build.kernels`): forking every notebook's kernel from one
process that imported the notebooks' modules gives the same book as starting each kernel from
scratch. Guards against anything a kernel inherits from the zygote that a fresh kernel would not
have (an environment variable read at import, a backend, the working folder, ``sys.path``).

Cost: one build of the tiny corpus with ``--cold-kernels``; the warm side is the session's
``tiny_book`` (warm kernels are the default). The unit tests fork a real kernel from a zygote."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import BOOK_JOBS, TINY, book_job, built_book
from test_build_incremental import files, main_html
from test_build_parallel import pages

book_job("cold_kernels_book", (TINY, ("--strict", "--cold-kernels")))


@pytest.fixture(scope="module")
def cold_book(request) -> Path:
    return built_book(request, "cold_kernels_book")


def cell_outputs(book: Path) -> dict[str, list]:
    """Every executed notebook's code-cell outputs (what the pages and glue are made of)."""
    from scripts.build.plan import toc_notebooks

    out = {}
    for rel in toc_notebooks():
        nb = json.loads((book / "stage" / rel).read_text(encoding="utf-8"))
        out[rel] = [c.get("outputs", []) for c in nb["cells"] if c["cell_type"] == "code"]
    return out


@pytest.mark.e2e
def test_the_warm_build_forked_its_kernels_and_the_cold_one_did_not(cold_book, tiny_book):
    """The comparison below means something only if the builds really differ in this."""
    assert "[kernels] kernels forked from one process" in BOOK_JOBS["tiny_book"].procs[-1].stdout
    assert "[kernels] kernels started from scratch" in BOOK_JOBS["cold_kernels_book"].procs[-1].stdout


@pytest.mark.e2e
def test_every_page_table_and_figure_equals_the_cold_build(cold_book, tiny_book):
    assert pages(tiny_book) == pages(cold_book)
    different = [page for page in pages(cold_book)
                 if main_html(tiny_book / "html" / page, tiny_book) != main_html(cold_book / "html" / page, cold_book)]
    assert different == [], f"pages that differ between a warm and a cold build: {different}"
    assert files(tiny_book / "data") == files(cold_book / "data")
    assert files(tiny_book / "stage" / "figures") == files(cold_book / "stage" / "figures")
    assert files(tiny_book / "html" / "_images") == files(cold_book / "html" / "_images")
    warm, cold = cell_outputs(tiny_book), cell_outputs(cold_book)
    assert [rel for rel in cold if warm[rel] != cold[rel]] == []


def test_notebook_imports_reads_the_import_statements(tmp_path):
    import nbformat

    from scripts.build.kernels import notebook_imports

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import pandas as pd\nfrom scripts import plots, stage\n"),
                                         nbformat.v4.new_code_cell("%matplotlib inline\nimport nope"),
                                         nbformat.v4.new_markdown_cell("import markdown_is_not_code"),
                                         nbformat.v4.new_code_cell("def f():\n    import json\nfrom . import rel")])
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert notebook_imports([path]) == ["pandas", "scripts", "scripts.plots", "scripts.stage", "json"]


def _run(nb_cells: list[str], tmp_path: Path, zygote_modules: list[str] | None):
    """Execute a notebook of ``nb_cells`` with a kernel forked from a zygote that imported
    ``zygote_modules`` (None: a fresh kernel); return the executed notebook (or the BuildError) and
    the zygote's CPU report."""
    import os

    import nbformat

    from scripts.build import kernels
    from scripts.build.console import BuildError
    from scripts.build.execute import execute_notebook

    src = tmp_path / "book" / "x.ipynb"
    src.parent.mkdir(parents=True)
    (tmp_path / "work").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in nb_cells]), src)
    zygote = kernels.Zygote(zygote_modules) if zygote_modules is not None else None
    assert bool(os.environ.get(kernels.ADDRESS_VARIABLE)) == (zygote is not None)
    try:
        result = None
        try:
            execute_notebook(src, tmp_path / "work" / "x.ipynb", {}, cwd=tmp_path, log_dir=tmp_path / "logs",
                             root=src.parent, label="x.ipynb")
            result = nbformat.read(tmp_path / "work" / "x.ipynb", as_version=4)
        except BuildError as err:
            result = err
    finally:
        report = zygote.stop() if zygote else {}
    assert kernels.ADDRESS_VARIABLE not in os.environ
    return result, report


#: what a kernel could inherit from the zygote that a fresh one would not have
PROBE = ("import os, sys, signal, matplotlib\nprint(os.getcwd())\nprint(sorted(os.environ.items()))\nprint(sys.path)\n"
         "print(sys.executable, sys.argv[0], sys.stdin.fileno(), os.getsid(0) == os.getpid())\n"
         "print(type(sys.stdout).__name__, signal.getsignal(signal.SIGCHLD), signal.getsignal(signal.SIGINT))\n"
         "print(matplotlib.get_backend() if 'matplotlib.pyplot' in sys.modules else os.environ.get('MPLBACKEND'))")


@pytest.mark.e2e
def test_a_forked_kernel_runs_where_a_fresh_one_would_and_is_reported(tmp_path):
    """Working folder, environment, sys.path, session and signals as a fresh kernel has them."""
    warm, report = _run([PROBE, "print('pandas' in sys.modules)"], tmp_path / "warm", ["pandas", "json"])
    cold, _ = _run([PROBE, "print('pandas' in sys.modules)"], tmp_path / "cold", None)
    text = ["".join(o.get("text", "") for o in nb.cells[0].outputs).replace(str(tmp_path / side), "<tmp>")
            for nb, side in ((warm, "warm"), (cold, "cold"))]
    strip = re.compile(r"'JPY_PARENT_PID', '\d+'")  # the papermill worker's pid
    assert strip.sub("", text[0]) == strip.sub("", text[1])
    assert [o["text"] for o in warm.cells[1].outputs] == ["True\n"] and report["preload_cpu"] > 0
    assert report["kernels"]["x.ipynb"] > 0  # reaped by the zygote: its CPU time reaches the build


@pytest.mark.e2e
def test_the_zygote_warm_up_drawing_leaves_no_setting_behind(tmp_path):
    """The zygote draws one figure in the book's settings (:func:`kernels._warm_drawing`) so that kernels
    find matplotlib's font caches filled; a kernel must still start from matplotlib's own settings and no
    figure of pyplot's, as a fresh kernel does."""
    probe = ("import matplotlib, matplotlib.pyplot as plt, scripts.plots.style\n"
             "print(sorted((k, repr(v)) for k, v in matplotlib.rcParams.items() if k != 'backend'))\nprint(plt.get_fignums())")
    warm, _ = _run([probe], tmp_path / "warm", ["matplotlib", "matplotlib.figure", "scripts.plots.style"])
    cold, _ = _run([probe], tmp_path / "cold", None)
    text = ["".join(o.get("text", "") for o in nb.cells[0].outputs) for nb in (warm, cold)]
    assert "font.size" in text[0] and text[0].endswith("[]\n")
    assert text[0] == text[1]


def test_the_warm_up_drawing_uses_the_book_settings_and_restores_them(monkeypatch):
    import matplotlib

    from scripts.build import kernels
    from scripts.plots import style

    seen = {}
    real = matplotlib.figure.Figure.savefig

    def savefig(fig, *a, **kw):
        seen["font.size"] = matplotlib.rcParams["font.size"]
        return real(fig, *a, **kw)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    before = dict(matplotlib.rcParams)
    kernels._warm_drawing()
    assert seen == {"font.size": style.RC["font.size"]} and kernels.WARM_STYLE == (style.__name__, "RC")
    assert dict(matplotlib.rcParams) == before


@pytest.mark.e2e
def test_a_failing_cell_in_a_forked_kernel_is_one_build_error_line(tmp_path):
    err, report = _run(["x = 1", "raise ValueError('boom')"], tmp_path, [])
    message = str(err)
    assert message.startswith("x.ipynb: cell ") and "failed: ValueError: boom" in message and "\n" not in message
    assert "x.ipynb" in report["kernels"]  # the kernel was reaped (its CPU time reaches the build)


@pytest.mark.e2e
def test_a_kernel_that_dies_in_a_forked_kernel_is_one_build_error_line(tmp_path):
    err, _report = _run(["import os\nos._exit(3)"], tmp_path, [])
    message = str(err)
    assert message.startswith("x.ipynb: ") and "\n" not in message and "failed" in message


def test_a_failed_build_ends_the_zygote_at_once():
    """A build that fails before its notebooks (bad seeds) says so without waiting for the imports."""
    import os
    import time

    from scripts.build import kernels

    zygote = kernels.Zygote(["pandas", "matplotlib.pyplot", "scipy.stats"])
    start = time.perf_counter()
    zygote.kill()
    assert zygote.process.returncode is not None and time.perf_counter() - start < 2
    assert kernels.ADDRESS_VARIABLE not in os.environ and not os.path.exists(zygote.folder)


def test_the_build_points_the_notebooks_where_the_stage_says():
    """The build spells the variable itself (its process need not import pandas): it must be the stage's."""
    from scripts import build, stage

    assert build.STORE_VARIABLE == stage.STORE_VARIABLE


def test_the_stage_run_in_a_fork_of_the_zygote_answers_as_the_stage_run_here(tmp_path):
    """The build runs its analysis stage in a fork of the zygote (warm kernels, local engine): the same
    answer (summary, corpus key, what was analysed; seeds' errors as the same lines) and the same tables as
    the stage run in the build's own process (``--cold-kernels``, whose whole book the test above compares);
    its CPU time is reported. The zygote then still forks kernels."""
    import shutil

    import pandas as pd

    from scripts.build import stage_answer
    from scripts.build.kernels import STAGE_LABEL, Zygote
    from scripts.stage import run_stage

    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    (bad / "geneva_en.txt").write_text("", encoding="utf-8")
    for seeds in (TINY, bad):
        zygote = Zygote(["json"], stage=True)
        try:
            zygote.start_stage(seeds=str(seeds), store=str(tmp_path / "z"), engine="local", jobs=1, scheduler=None)
            answer = zygote.stage_result()
        finally:
            report = zygote.stop()
        here = stage_answer(str(seeds), str(tmp_path / "h"), "local", 1, None)
        assert "error" not in answer, answer.get("error")
        assert {k: v for k, v in answer.items() if k != "store"} == {k: v for k, v in here.items() if k != "store"}
        assert report["kernels"][STAGE_LABEL] > 0
    assert answer["problems"] and answer["problems"][0].startswith("geneva_en.txt")
    forked, own = run_stage(TINY, store=tmp_path / "z"), run_stage(TINY, store=tmp_path / "h")
    assert forked.cached and own.cached and forked.key == own.key
    for name in ("documents", "paragraphs", "sentences", "tokens"):
        pd.testing.assert_frame_equal(getattr(forked.corpus, name), getattr(own.corpus, name))
    for name in ("mentions", "quotes", "tone", "matches"):
        pd.testing.assert_frame_equal(forked.tables[name], own.tables[name])


def test_the_zygote_keeps_the_stage_tables_before_its_first_kernel(tmp_path, monkeypatch):
    """:func:`kernels._keep_stage_tables`: after the build's local stage the zygote holds its tables, so
    every kernel forked later takes them from memory; another engine or a failure keeps nothing and raises nothing."""
    from scripts.build import kernels
    from scripts.stage import run as R

    monkeypatch.setattr(R, "_KEPT", {})
    store = str(tmp_path / "store")
    kernels._keep_stage_tables({"seeds": str(TINY), "store": store, "engine": "dask"})
    kernels._keep_stage_tables({"seeds": str(tmp_path / "no_such_folder"), "store": store, "engine": "local"})
    kernels._keep_stage_tables({})
    assert R._KEPT == {}
    kernels._keep_stage_tables({"seeds": str(TINY), "store": store, "engine": "local"})
    (url, key), = R._KEPT
    assert url == store and key == R.run_stage(TINY, store).key
