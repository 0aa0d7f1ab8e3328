"""Unit tests of the build's plan, cache keys, output folders and page marking (no notebook runs):
on a small synthetic book in a temporary folder, so editing one file and watching which keys move
is cheap and leaves the repository alone."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scripts.build import BuildError, cache, outputs, publish
from scripts.build.plan import make_plan, toc_notebooks

FOLDERS = 'seeds_dir = "s"\ndata_dir = "d"\nfig_dir = "f"\n'


def _notebook(path: Path, code: str, *, params: str = FOLDERS,
              markdown: str = "# Title", dependent: bool = False) -> None:
    cells = [{"id": "title", "cell_type": "markdown", "metadata": {}, "source": markdown},
             {"id": "params", "cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": params, "outputs": [],
              "execution_count": None},
             {"id": "code", "cell_type": "code", "metadata": {}, "source": code, "outputs": [], "execution_count": None}]
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    if dependent:
        meta["report"] = {"reads_earlier_chapters": True}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.fixture
def book(tmp_path) -> Path:
    """A book with a package like the project's: scripts.narrative (relative imports, templates per
    page), scripts.episodes, scripts/data; chapters on tone and terms; a methods page reading them."""
    root = tmp_path / "book"
    _write(root, {
        "scripts/__init__.py": "",
        "scripts/episodes.py": "def order(e):\n    return e\n",
        "scripts/tone.py": "import math\n",
        "scripts/terms.py": "from scripts.episodes import order\n",
        "scripts/narrative/__init__.py": "from .render import Facts\n",
        "scripts/narrative/render.py": "from . import common\nTEMPLATES = 'templates'\n",
        "scripts/narrative/common.py": "NBSP = ' '\n",
        "scripts/narrative/tone.py": "from .. import episodes as E\nfrom .render import Facts\nPAGE = 'tone'\n",
        "scripts/narrative/terms.py": "from .render import Facts\nPAGE = 'terms'\n",
        "scripts/narrative/templates/tone.yml": "rise: {default: 'up'}\n",
        "scripts/narrative/templates/terms.yml": "top: {default: 'x'}\n",
        "scripts/data/stop.yml": "[a]\n",
        "requirements.txt": "pandas==3\n",
        "seeds/manifest.yml": "documents: []\n",
        "_toc.yml": "format: jb-book\nroot: intro\nchapters:\n  - file: findings\n  - file: chapters/tone\n"
                    "  - file: chapters/terms\n  - file: methods\n",
        "intro.md": "# Intro\n",
        "findings.md": "# Findings\n\n{glue:text}`chapters/tone.ipynb::tone_text:s`\n",
    })
    _notebook(root / "chapters/tone.ipynb", "from scripts.narrative import tone as NT\nfrom scripts import tone\n%matplotlib inline\n")
    _notebook(root / "chapters/terms.ipynb", "import scripts.narrative.terms\nfrom scripts import terms as T\n")
    _notebook(root / "methods.ipynb", "from scripts import episodes\n", dependent=True,
              markdown="```{glue:figure} chapters/terms.ipynb::fig_top\n```\n")
    return root


def _keys(root: Path, params: dict | None = None) -> dict[str, str]:
    return cache.notebook_keys(make_plan(root / "seeds", params or {}, root))


def _rel(root: Path, files: list[Path]) -> set[str]:
    return {p.relative_to(root).as_posix() for p in files}


def test_imports_are_resolved_module_by_module_with_relative_imports():
    assert cache.imported_modules("from .. import episodes as E\nfrom .render import Facts", "scripts.narrative") == {
        "scripts", "scripts.episodes", "scripts.narrative.render", "scripts.narrative.render.Facts"}
    assert cache.imported_modules("import scripts.narrative.tone\nimport os") == {"scripts.narrative.tone"}
    assert cache.imported_modules("%matplotlib inline\nfrom scripts import plots") == {"scripts", "scripts.plots"}
    assert cache.imported_modules("def (:") == {"*"}  # cannot tell: everything


def test_a_chapter_depends_on_its_narrative_module_its_imports_and_its_templates(book):
    files = _rel(book, cache.code_files(book / "chapters/tone.ipynb", book))
    assert {"scripts/__init__.py", "scripts/tone.py", "scripts/episodes.py", "scripts/narrative/__init__.py",
            "scripts/narrative/render.py", "scripts/narrative/common.py", "scripts/narrative/tone.py",
            "scripts/narrative/templates/tone.yml", "scripts/data/stop.yml", "requirements.txt"} == files
    terms = _rel(book, cache.code_files(book / "chapters/terms.ipynb", book))
    assert "scripts/narrative/templates/terms.yml" in terms and "scripts/narrative/templates/tone.yml" not in terms
    assert "scripts/narrative/tone.py" not in terms and "scripts/tone.py" not in terms


@pytest.mark.parametrize("edit, moved", [
    ("scripts/narrative/templates/tone.yml", {"chapters/tone.ipynb", "methods.ipynb"}),
    ("scripts/narrative/tone.py", {"chapters/tone.ipynb", "methods.ipynb"}),
    ("scripts/narrative/templates/terms.yml", {"chapters/terms.ipynb", "methods.ipynb"}),
    ("scripts/narrative/common.py", {"chapters/tone.ipynb", "chapters/terms.ipynb", "methods.ipynb"}),
    ("scripts/episodes.py", {"chapters/tone.ipynb", "chapters/terms.ipynb", "methods.ipynb"}),
    ("scripts/data/stop.yml", {"chapters/tone.ipynb", "chapters/terms.ipynb", "methods.ipynb"}),
    ("seeds/manifest.yml", {"chapters/tone.ipynb", "chapters/terms.ipynb", "methods.ipynb"}),
])
def test_editing_a_file_moves_exactly_the_keys_of_the_notebooks_that_read_it(book, edit, moved):
    before = _keys(book)
    with open(book / edit, "a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    after = _keys(book)
    assert {rel for rel in before if before[rel] != after[rel]} == moved


def test_a_parameter_moves_the_keys_of_the_notebooks_that_declare_it_and_of_the_pages_after_them(book):
    _notebook(book / "chapters/terms.ipynb", "from scripts import terms", params=FOLDERS + "top_n = 5\n")
    before = _keys(book)
    after = _keys(book, {"top_n": 15})
    assert {rel for rel in before if before[rel] != after[rel]} == {"chapters/terms.ipynb", "methods.ipynb"}


def test_editing_the_file_a_parameter_names_moves_the_keys_that_declare_it(book, tmp_path):
    """The coded sheet of annotations_file keeps its path when the user codes more rows: its bytes
    are in the key, so the tone chapter (and the pages after it) re-run, the terms chapter does not."""
    _notebook(book / "chapters/tone.ipynb", "from scripts import tone", params=FOLDERS + 'annotations_file = ""\n')
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("sentence_id,doc_id,text,label\ns1,d1,Talks went well.,\n", encoding="utf-8")
    before = _keys(book, {"annotations_file": str(sheet)})
    assert _keys(book, {"annotations_file": str(sheet)}) == before
    sheet.write_text("sentence_id,doc_id,text,label\ns1,d1,Talks went well.,1\n", encoding="utf-8")
    after = _keys(book, {"annotations_file": str(sheet)})
    assert {rel for rel in before if before[rel] != after[rel]} == {"chapters/tone.ipynb", "methods.ipynb"}
    sheet.unlink()
    gone = _keys(book, {"annotations_file": str(sheet)})
    assert gone["chapters/tone.ipynb"] != after["chapters/tone.ipynb"]


def test_the_plan_refuses_an_unknown_parameter_and_a_notebook_without_folders(book):
    with pytest.raises(BuildError, match=r"--param nope: no chapter declares it"):
        make_plan(book / "seeds", {"nope": 1}, book)
    _notebook(book / "chapters/terms.ipynb", "x = 1", params='seeds_dir = "s"\n')
    with pytest.raises(BuildError, match=r"chapters/terms.ipynb: its parameters cell lacks data_dir, fig_dir"):
        make_plan(book / "seeds", {}, book)


def test_a_state_of_another_layout_is_ignored(tmp_path):
    cache.save_state(tmp_path, {"notebooks": {"a.ipynb": "k"}})
    assert cache.load_state(tmp_path)["notebooks"] == {"a.ipynb": "k"}
    assert cache.load_state(tmp_path, ignore=True) == {}
    (tmp_path / cache.STATE_FILE).write_text(json.dumps({"notebooks": {"a.ipynb": "k"}}))  # written by the old build
    assert cache.load_state(tmp_path) == {}


def test_data_and_figures_hold_exactly_what_the_current_notebooks_wrote(tmp_path):
    work = tmp_path
    for rel, files in {"a.ipynb": {"data/t.csv": "a", "data/old_only.csv": "x", "figures/f.png": "1"},
                       "chapters/b.ipynb": {"data/u.csv": "b"}, "gone.ipynb": {"data/gone.csv": "g"}}.items():
        _write(outputs.folder(work, rel), files)
    outputs.assemble(work, ["a.ipynb", "chapters/b.ipynb", "gone.ipynb"])
    assert sorted(os.listdir(work / "data")) == ["gone.csv", "old_only.csv", "t.csv", "u.csv"]
    # a rebuild: a.ipynb runs again into its emptied folder and no longer writes old_only.csv; gone.ipynb left the book
    _write(outputs.fresh(outputs.folder(work, "a.ipynb") / "data"), {"t.csv": "a2"})
    outputs.prune(work, ["a.ipynb", "chapters/b.ipynb"])
    outputs.assemble(work, ["a.ipynb", "chapters/b.ipynb"])
    assert sorted(os.listdir(work / "data")) == ["t.csv", "u.csv"] and (work / "data/t.csv").read_text() == "a2"
    assert sorted(os.listdir(work / "figures")) == ["f.png"]
    assert sorted(os.listdir(work / outputs.OUTPUTS)) == ["a", "chapters--b"]


def test_a_page_reading_earlier_tables_keeps_only_what_it_added_or_changed(tmp_path):
    _write(tmp_path / "data", {"t.csv": "a", "u.csv": "b"})
    before = outputs.snapshot(tmp_path / "data")
    _write(tmp_path / "data", {"u.csv": "b2", "inputs.csv": "i"})
    outputs.keep_written(tmp_path / "data", before, outputs.fresh(tmp_path / "own"))
    assert sorted(os.listdir(tmp_path / "own")) == ["inputs.csv", "u.csv"]


def test_pages_that_glue_from_other_notebooks_are_found_and_marked_for_rereading(book):
    pages = ["intro", "findings", "chapters/tone", "chapters/terms", "methods"]
    found = publish.cross_glue_pages(book, pages)
    assert _rel(book, found) == {"findings.md", "methods.ipynb"}  # a role in a page, a directive in a notebook
    old = 1_000_000_000
    os.utime(book / "findings.md", (old, old))
    publish.mark_for_rereading(found)
    assert (book / "findings.md").stat().st_mtime > old + 1e8


def test_toc_notebooks_are_in_book_order(book):
    assert toc_notebooks(book) == ["chapters/tone.ipynb", "chapters/terms.ipynb", "methods.ipynb"]


def _summary_first(book: Path) -> None:
    """The project's layout: a findings notebook reading the chapters, placed before them in the toc."""
    (book / "findings.md").unlink()
    _notebook(book / "findings.ipynb", "from scripts import episodes\n", dependent=True)


def test_a_summary_page_before_the_chapters_runs_after_every_chapter_and_reads_them(book):
    _summary_first(book)
    plan = make_plan(book / "seeds", {}, book)
    assert plan.notebooks == ["findings.ipynb", "chapters/tone.ipynb", "chapters/terms.ipynb", "methods.ipynb"]
    assert plan.run_order() == ["chapters/tone.ipynb", "chapters/terms.ipynb", "findings.ipynb", "methods.ipynb"]
    assert plan.before("findings.ipynb") == ["chapters/tone.ipynb", "chapters/terms.ipynb"]
    assert plan.before("methods.ipynb") == ["chapters/tone.ipynb", "chapters/terms.ipynb", "findings.ipynb"]
    assert list(cache.notebook_keys(plan)) == plan.notebooks  # keys keep book order for the state file


@pytest.mark.parametrize("edit, moved", [
    ("scripts/narrative/templates/tone.yml", {"chapters/tone.ipynb", "findings.ipynb", "methods.ipynb"}),
    ("scripts/narrative/templates/terms.yml", {"chapters/terms.ipynb", "findings.ipynb", "methods.ipynb"}),
    ("scripts/tone.py", {"chapters/tone.ipynb", "findings.ipynb", "methods.ipynb"}),   # findings reads tone_shifts.csv
])
def test_a_chapter_that_reruns_makes_the_summary_page_before_it_rerun(book, edit, moved):
    _summary_first(book)
    before = _keys(book)
    with open(book / edit, "a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    after = _keys(book)
    assert {rel for rel in before if before[rel] != after[rel]} == moved


def _fingerprint(root: Path, params: dict | None = None, store: str = "/s") -> str:
    from scripts.build.plan import book_sources

    return cache.input_fingerprint(root, root / "seeds", params or {}, store, toc_notebooks(root), book_sources(root))


@pytest.mark.parametrize("edit", ["scripts/tone.py", "scripts/narrative/templates/terms.yml", "scripts/data/stop.yml",
                                  "requirements.txt", "seeds/manifest.yml", "chapters/tone.ipynb", "methods.ipynb",
                                  "intro.md", "findings.md", "_toc.yml"])
def test_the_fingerprint_moves_with_every_file_a_key_or_a_page_reads(book, edit):
    """The no-change rebuild trusts the fingerprint: it must move whenever a key or the pages could."""
    before = _fingerprint(book)
    assert _fingerprint(book) == before
    with open(book / edit, "a", encoding="utf-8") as f:
        f.write("\n\n" if edit.endswith(".ipynb") else "\n# edited\n")
    assert _fingerprint(book) != before


def test_the_fingerprint_moves_with_the_parameters_and_the_analysis_store(book):
    before = _fingerprint(book)
    assert _fingerprint(book, {"top_n": 5}) != before
    assert _fingerprint(book, store="/elsewhere") != before


def test_a_rebuild_does_nothing_only_when_the_last_book_read_the_same_inputs_and_is_in_place(tmp_path):
    from scripts.build import nothing_changed

    out, store = tmp_path / "out", tmp_path / "analysis"
    _write(out, {"html/index.html": "<html></html>", "data/t.csv": "a\n1\n", "pdf/book.pdf": "%PDF"})
    _write(store, {"corpora/k1/manifest.json": "{}"})
    (out / "stage").mkdir()
    cache.save_state(out / "stage", {"notebooks": {"a.ipynb": "x"}, "html_done": True, "strict": False, "pdf_done": False,
                                     "fingerprint": "f1", "seeds_summary": "s: 1 document", "stage_key": "k1"})
    assert nothing_changed(out, "f1", str(store), pdf=False, strict=False)
    assert not nothing_changed(out, "f2", str(store), pdf=False, strict=False)  # an input changed
    assert not nothing_changed(out, "f1", str(store), pdf=False, strict=True)  # the book was not built strictly
    assert not nothing_changed(out, "f1", str(store), pdf=True, strict=False)  # no PDF was rendered
    assert not nothing_changed(out, "f1", "s3://bucket/tables", pdf=False, strict=False)  # a remote store is asked
    (store / "corpora/k1/manifest.json").unlink()
    assert not nothing_changed(out, "f1", str(store), pdf=False, strict=False)  # the analysis tables are gone
    (store / "corpora/k1/manifest.json").write_text("{}", encoding="utf-8")
    (out / "html/index.html").unlink()
    assert not nothing_changed(out, "f1", str(store), pdf=False, strict=False)  # the book is gone


def test_the_project_s_findings_page_runs_after_the_tone_chapter_and_takes_its_key():
    """findings.ipynb reads chapters/04_tone's tone_shifts.csv: it must run after it and re-run with it."""
    from scripts.build.plan import ROOT

    plan = make_plan(ROOT / "seeds", {}, ROOT)
    assert "findings.ipynb" in plan.dependent and "chapters/04_tone.ipynb" in plan.before("findings.ipynb")


def test_a_kernel_that_fails_outside_a_cell_is_one_build_error_line(tmp_path, monkeypatch):
    """No cell to name (the kernel did not start or died): still one BuildError naming the notebook."""
    import papermill

    from scripts.build.execute import execute_notebook

    def dead_kernel(*args, **kwargs):
        raise RuntimeError("Kernel didn't respond in 300 seconds\nmore detail")

    monkeypatch.setattr(papermill, "execute_notebook", dead_kernel)
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    src = root / "chapters" / "x.ipynb"
    src.write_text("{}", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        execute_notebook(src, tmp_path / "work" / "x.ipynb", {}, cwd=tmp_path, log_dir=tmp_path / "logs", root=root)
    message = str(err.value)
    assert message.startswith("chapters/x.ipynb: the notebook's kernel failed: RuntimeError: Kernel didn't respond")
    assert "\n" not in message and str(tmp_path / "logs" / "x.kernel.log") in message


@pytest.mark.parametrize("log_line, calls", [("OSError: [Errno 98] Address already in use", 2), ("ImportError: no module", 1)])
def test_a_kernel_that_lost_its_port_is_started_once_more(tmp_path, monkeypatch, log_line, calls):
    """A kernel that died because another build's kernel took its port (jupyter_client frees the ports
    it picked before the kernel binds them) is started again once; any other kernel failure is not."""
    import nbformat
    import papermill

    from scripts.build.execute import execute_notebook

    seen = []

    def flaky_kernel(src, dst, **kwargs):
        seen.append(dst)
        if len(seen) == 1:
            os.write(2, (log_line + "\n").encode())  # fd 2 is the kernel log while papermill runs
            raise RuntimeError("Kernel died before replying to kernel_info")
        nbformat.write(nbformat.v4.new_notebook(), dst)

    monkeypatch.setattr(papermill, "execute_notebook", flaky_kernel)
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    src = root / "chapters" / "x.ipynb"
    src.write_text("{}", encoding="utf-8")
    (tmp_path / "work").mkdir()
    run = lambda: execute_notebook(src, tmp_path / "work" / "x.ipynb", {}, cwd=tmp_path, log_dir=tmp_path / "logs", root=root)  # noqa: E731
    if calls == 2:
        run()
        assert nbformat.read(tmp_path / "work" / "x.ipynb", as_version=4).cells == []
    else:
        with pytest.raises(BuildError, match="the notebook's kernel failed: RuntimeError: Kernel died"):
            run()
    assert len(seen) == calls
