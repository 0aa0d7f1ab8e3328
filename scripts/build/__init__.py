"""Build the book: validate the seeds, execute the notebooks with papermill, render with Jupyter Book.

    python -m scripts.build [--seeds FOLDER] [--out _build] [--pdf] [--strict] [--force]
                            [--jobs N] [--engine local|dask] [--scheduler ADDRESS]
                            [--analysis-store FOLDER_OR_URL] [--cold-kernels] [--param NAME=VALUE ...]

Layout under ``--out`` (default ``_build/``):

``html/``      the HTML book (open ``html/index.html``)
``pdf/``       ``book.pdf`` when built with ``--pdf``
``data/``      every table the notebooks wrote, as CSV (exactly the current ones)
``stage/``     the last successful staging copy: executed notebooks, pages, ``outputs/<notebook>/``
               (each notebook's tables and figures), ``data/`` and ``figures/`` assembled from them,
               Sphinx's state (``_build/.doctrees``) and ``.build-state.json`` (the cache keys)
``work/``      the staging copy of the build in progress (deleted on success; ``failed/`` on error)
``analysis/``  the analysis stage's Parquet tables and per-article cache (:mod:`scripts.stage`; or
               ``--analysis-store``, a folder or fsspec URL)

The no-change rebuild: before any step, one hash over every input (:func:`.cache.input_fingerprint`:
the ``scripts`` package and shared data, notebooks, pages, seeds, parameters, analysis store) is
compared with the last successful build's; when it is equal and that build's book, tables and
analysis tables are in place, the build says so and stops (no stage, no papermill, no copy).

One build, in four steps (one module each):

1. **plan** (:mod:`.plan`, :func:`start_stage`): the notebooks of ``_toc.yml`` and their parameters are
   read, and an unknown ``--param`` is refused before anything runs; then the seeds are validated before
   any notebook runs (one ``error:`` line per problem, exit 2) by the analysis stage
   (:mod:`scripts.stage`), which analyses each new or changed article once (``--jobs`` processes, or
   ``--engine dask``) and leaves the corpus tables as Parquet that every notebook reads (the build points
   them there with ``$REPORT_ANALYSIS_STORE``). With warm kernels and the local engine the stage runs in
   a fork of the kernel zygote as soon as it imported the stage's modules (:mod:`.kernels`), while the
   build computes the notebook keys and the zygote imports the rest.
2. **cache** (:mod:`.cache`): each notebook has a key (notebook, its parameters, the seeds, the code
   and data files it reads, transitively); a notebook runs only when its key changed (or with
   ``--force``), so a build with nothing changed executes nothing and skips Jupyter Book.
3. **execute** (:mod:`.execute`, :mod:`.outputs`): notebooks that read only the seeds run side by
   side (``--jobs``, default one per core up to 2), pages that read earlier chapters (methods, data)
   run after them in book order. Every notebook writes into its own emptied output folders; ``data/``
   and ``figures/`` are assembled from those, so nothing an earlier build wrote survives. Each
   kernel is forked from one process that imported the notebooks' modules while the analysis stage
   ran (:mod:`.kernels`; ``--cold-kernels`` starts each from scratch: same book, more CPU time).
4. **publish** (:mod:`.publish`): the pages are copied beside the executed notebooks; when any
   notebook ran, pages that glue from other notebooks (findings) are marked to be re-read; Jupyter
   Book renders into an emptied ``html/`` (``--strict``: warnings are errors; started ahead, while
   the pages that read the chapters run, and with Sphinx's ``--jobs`` processes: :mod:`.render`),
   the PDF follows with ``--pdf``; then the book, tables and PDF are swapped in with renames.

Safety: a build works in ``work/`` and swaps its results in only when every step succeeded, so a
failed build leaves the previous book and data exactly as they were. A lock stops two builds from
writing the same folder at once (the second exits with code 3). The command line, the lock and
the ``error:`` lines are in :mod:`.cli`.

The rule: an incremental build equals a fresh one (``tests/test_build_incremental.py`` builds one
corpus over another and compares every page with a fresh build).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from . import cache, execute, publish
from .console import BuildError, log, timed
from .plan import ROOT, book_sources, make_plan, notebook_parameters, parse_params, reads_earlier_chapters, toc_files, toc_notebooks
from .trace import span

__all__ = ["ROOT", "BuildError", "build", "notebook_parameters", "parse_params", "reads_earlier_chapters",
           "toc_files", "toc_notebooks"]


def build(seeds: Path, out: Path, params: dict, pdf: bool = False, strict: bool = False, force: bool = False,
          jobs: int = 0, engine: str = "local", scheduler: str | None = None,
          analysis_store: str | None = None, warm_kernels: bool = True) -> dict[str, float]:
    """Build the book from ``seeds`` into ``out``; return timings in seconds. See the module docstring.
    ``warm_kernels``: fork the notebooks' kernels from one process that imported their modules
    (:mod:`.kernels`); False starts each kernel from scratch (same pages, slower)."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    seeds, out = seeds.resolve(), out.resolve()
    jobs = jobs or min(2, os.cpu_count() or 1)
    store = analysis_store or str(out / "analysis")
    with span("fingerprint"):
        fingerprint = cache.input_fingerprint(ROOT, seeds, params, store, toc_notebooks(ROOT), book_sources(ROOT))
    if not force and nothing_changed(out, fingerprint, store, pdf, strict):
        timings["total"] = time.perf_counter() - started
        return timings
    # the zygote imports what the notebooks import, and runs the analysis stage in a fork of itself as
    # soon as it imported the stage's modules (the plan and the notebook keys are made meanwhile)
    stage_in_zygote = warm_kernels and engine == "local"
    zygote = start_kernels(ROOT, stage=stage_in_zygote) if warm_kernels else None
    renderer: list = []  # the HTML render, started when the chapters are done (it imports meanwhile)
    try:
        try:
            with span("plan"):
                plan = make_plan(seeds, params)  # a bad --param stops here, before the analysis stage runs (one error line)
            stage = start_stage(seeds, timings, store, engine, jobs, scheduler, zygote if stage_in_zygote else None)
            with span("notebook keys"):
                keys = cache.notebook_keys(plan)
            with span("analysis stage (waiting)" if stage_in_zygote else "analysis stage"):
                summary, stage_key = stage()
            with span("open work"):
                work = publish.open_work(out)
                state = cache.load_state(work, ignore=force)
                stale = execute.stale_notebooks(plan, keys, state, work)
            execute.run_notebooks(plan, stale, work, jobs, timings,
                                  chapters_done=lambda: renderer.append(publish.start_renderer(work, strict, jobs)))
        except BaseException:
            if zygote is not None:
                zygote.kill()  # say what failed now, not after the zygote's imports
            raise
        if zygote is not None and stale:
            zygote.finish()  # it ends once its kernels have exited, while the book renders
        else:
            stop_kernels(zygote, timings, ran=False)
        with span("stage pages"):
            sources = publish.stage_pages(work, plan, reread_cross_glue=bool(stale))
        html_current = not stale and state.get("sources") == sources and book_is_current(state, out / "html" / "index.html", strict)
        render_html(work, html_current, strict, timings, renderer[0] if renderer else None)
        if zygote is not None and stale:
            with span("stop kernels"):
                stop_kernels(zygote, timings, ran=True)
        zygote = None
    finally:
        for r in renderer:
            r.cancel()
        if zygote is not None:  # the render failed: do not leave the zygote and its folder behind
            zygote.kill()
    pdf_current = html_current and book_is_current(state, out / "pdf" / "book.pdf", strict, "pdf_done")
    pdf_file = render_pdf(work, pdf_current, strict, timings) if pdf else None
    cache.save_state(work, {"notebooks": keys, "sources": sources, "html_done": True,
                            "strict": strict or bool(html_current and state.get("strict")),
                            "pdf_done": pdf_file is not None or bool(pdf_current),
                            "fingerprint": fingerprint, "seeds_summary": summary, "stage_key": stage_key})
    with span("publish"):
        publish.publish(work, out, pdf_file)
    timings["total"] = time.perf_counter() - started
    return timings


def start_kernels(root: Path, stage: bool = False):
    """Start the kernel zygote (:mod:`.kernels`) with the modules the book's notebooks import, and
    point the papermill workers at it. ``stage``: it will also run the analysis stage (:func:`start_stage`)."""
    from . import kernels

    return kernels.Zygote(kernels.notebook_imports([root / rel for rel in toc_notebooks(root)]), stage=stage)


def stop_kernels(zygote, timings: dict[str, float], ran: bool = True) -> None:
    """Stop the zygote (if any); log the CPU seconds of each notebook (papermill and its kernel) and of
    the zygote's imports, which warm kernels pay once instead of once a notebook. When no notebook
    ran (only a page changed), the zygote is killed: no need to wait for its imports."""
    if zygote is not None and not ran:
        zygote.kill()
        return
    cpu = {rel.removeprefix(execute.CPU): s for rel, s in timings.items() if rel.startswith(execute.CPU)}
    how = "kernels started from scratch"
    if zygote is not None:
        from .kernels import STAGE_LABEL

        report = zygote.stop()
        for rel, s in report.get("kernels", {}).items():
            if rel == STAGE_LABEL:
                timings["stage_cpu"] = s
                continue
            cpu[rel] = cpu.get(rel, 0.0) + s
        how = f"kernels forked from one process that imported the notebooks' modules once ({report.get('preload_cpu', 0):.1f} CPU s)"
        if "stage_cpu" in timings:
            how += f", which also ran the analysis stage ({timings['stage_cpu']:.1f} CPU s)"
        timings["kernels_preload_cpu"] = report.get("preload_cpu", 0.0)
    if cpu:
        per = ", ".join(f"{Path(k).stem} {v:.1f}" for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]))
        log(f"[kernels] {how}; CPU s per notebook (papermill and kernel): {per}")
        for rel, s in cpu.items():
            timings[execute.CPU + rel] = s


def nothing_changed(out: Path, fingerprint: str, store: str, pdf: bool, strict: bool) -> bool:
    """The no-change rebuild: the last successful build read exactly these inputs (same
    :func:`cache.input_fingerprint`), its book (and PDF, if asked), tables and analysis tables are in
    place, so nothing runs, nothing is copied and the published book is left as it is. Says what a
    full build with nothing changed would say, from the state that build saved."""
    state = cache.load_state(out / "stage")
    if not state or state.get("fingerprint") != fingerprint or not (out / "data").is_dir():
        return False
    if not book_is_current(state, out / "html" / "index.html", strict):
        return False
    if pdf and not book_is_current(state, out / "pdf" / "book.pdf", strict, "pdf_done"):
        return False
    if "://" in store or not (Path(store) / "corpora" / str(state.get("stage_key")) / "manifest.json").is_file():
        return False  # a remote store is not checked here: the full path asks the analysis stage
    notebooks = list(state.get("notebooks", {}))
    log(f"[seeds] {state.get('seeds_summary')}; analysis stage: tables unchanged (inputs unchanged since the last build)")
    for i, rel in enumerate(notebooks, 1):
        log(f"[{i}/{len(notebooks)}] {rel}: unchanged, not re-executed")
    log("[html] nothing changed: the book is up to date")
    if pdf:
        log("[pdf] nothing changed: the PDF is up to date")
    return True


#: where the notebooks find the stage's tables (``scripts.stage.STORE_VARIABLE``; spelled here so that the
#: build process, whose stage runs in the zygote, need not import pandas: tested equal)
STORE_VARIABLE = "REPORT_ANALYSIS_STORE"


def stage_answer(seeds: str, store: str | None, engine: str, jobs: int, scheduler: str | None) -> dict:
    """Run the analysis stage (:func:`scripts.stage.run_stage`) and say what the build needs of it, as
    JSON-ready values: ``problems`` (the seeds' errors, one line each) or the summary line's subject
    (seeds folder and counts, which the no-change rebuild repeats), the corpus key, the store, and
    what was analysed. Runs in a fork of the kernel zygote (:mod:`.kernels`) or in the build process."""
    from scripts import stage
    from scripts.corpus import CorpusError

    from ..narrative.common import plural

    try:
        result = stage.run_stage(Path(seeds), store=store, engine=engine, jobs=jobs, scheduler=scheduler)
    except CorpusError as err:
        return {"problems": list(err.problems)}
    corpus = result.corpus
    return {"summary": f"{seeds}: {plural(len(corpus.documents), 'document')}, {plural(corpus.episodes.shape[0], 'episode')} valid",
            "key": result.key, "store": result.store, "cached": result.cached, "read": result.read, "split": result.split}


def start_stage(seeds: Path, timings: dict[str, float], store: str | None = None, engine: str = "local", jobs: int = 1,
                scheduler: str | None = None, zygote=None):
    """Start the analysis stage, which validates the seeds before anything else runs (every problem with
    the seeds becomes one error line), in ``zygote`` (a fork of it: :meth:`.kernels.Zygote.start_stage`)
    or, without one, when the returned function is called. That function waits for the stage, points the
    notebooks at its tables (they inherit ``$REPORT_ANALYSIS_STORE``) and returns the summary line's
    subject and the stage's corpus key (the no-change rebuild checks that its tables are still there)."""
    args = {"seeds": str(seeds), "store": store, "engine": engine, "jobs": jobs, "scheduler": scheduler}
    started = time.perf_counter()
    if zygote is not None:
        zygote.start_stage(**args)

    def finish() -> tuple[str, str]:
        answer = zygote.stage_result() if zygote is not None else stage_answer(**args)
        timings["validate"] = time.perf_counter() - started
        if "problems" in answer:
            raise BuildError("\n".join(answer["problems"]))
        if "error" in answer:
            raise RuntimeError(f"the analysis stage failed:\n{answer['error']}")
        os.environ[STORE_VARIABLE] = answer["store"]
        read = f"{answer['read']} {'article' if answer['read'] == 1 else 'articles'}"
        done = "tables unchanged" if answer["cached"] else f"{read} analysed, {answer['split']} split"
        log(f"[seeds] {answer['summary']}; analysis stage: {done} ({timings['validate']:.1f} s)")
        return answer["summary"], answer["key"]

    return finish


def book_is_current(state: dict, published: Path, strict: bool, done: str = "html_done") -> bool:
    """The last build rendered this output (strictly, if ``strict`` is asked now) and it is in place."""
    return bool(state.get(done)) and published.is_file() and (bool(state.get("strict")) or not strict)


def render_html(work: Path, current: bool, strict: bool, timings: dict[str, float], renderer=None) -> None:
    if current:
        log("[html] nothing changed: the book is up to date")
        return
    log("[html] jupyter-book build ...")
    with timed(timings, "html"), span("html (waiting for the renderer)"):
        publish.render_html(work, strict, renderer)
    log(f"[html] done in {timings['html']:.1f} s")


def render_pdf(work: Path, current: bool, strict: bool, timings: dict[str, float]) -> Path | None:
    """The new PDF, or None when the published one is current."""
    if current:
        log("[pdf] nothing changed: the PDF is up to date")
        return None
    log("[pdf] jupyter-book build --builder pdflatex (XeLaTeX) ...")
    with timed(timings, "pdf"):
        produced = publish.render_pdf(work, strict)
    log(f"[pdf] done in {timings['pdf']:.1f} s")
    return produced
