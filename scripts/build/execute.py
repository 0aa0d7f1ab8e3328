"""Run the notebooks that must run: papermill into the staging copy, side by side where they only
read the seeds, one by one in book order where they read earlier chapters.

Each run gets absolute folder parameters (see :mod:`scripts.build.outputs`), removes code for readers
and removes the parameter cells from the page; a failing cell becomes one :class:`BuildError` line
naming the notebook, the cell and the executed copy that holds the traceback."""
from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from . import outputs
from .console import BuildError, log
from .plan import Plan


def stale_notebooks(plan: Plan, keys: dict[str, str], state: dict, work: Path) -> list[str]:
    """The notebooks whose key differs from the last build's, or whose executed copy or output
    folder is missing; the others are announced as unchanged."""
    previous = state.get("notebooks", {})
    stale = []
    for rel in plan.notebooks:
        if previous.get(rel) == keys[rel] and (work / rel).is_file() and outputs.folder(work, rel).is_dir():
            log(f"{plan.label(rel)}: unchanged, not re-executed")
        else:
            stale.append(rel)
    return stale


def run_notebooks(plan: Plan, stale: list[str], work: Path, jobs: int, timings: dict[str, float],
                  chapters_done: Callable[[], object] | None = None) -> None:
    """Execute ``stale`` into ``work``, then assemble ``data/`` and ``figures/`` from every notebook's
    output folder. Notebooks that only read the seeds run ``jobs`` at a time; pages that read earlier
    chapters run afterwards in waves (:meth:`Plan.page_waves`), each seeing the tables of the notebooks
    before its wave: the pages of a wave side by side (``jobs`` at a time), each with its own copy of
    those tables as ``data_dir``; a page alone in its wave reads and writes the assembled ``data/``.
    ``chapters_done`` is called once the notebooks that read only the seeds ran (if any notebook runs)."""
    independent = [rel for rel in stale if rel not in plan.dependent]
    params = {}
    for rel in independent:
        own = outputs.folder(work, rel)
        params[rel] = _parameters(plan, rel, outputs.fresh(own / "data"), outputs.fresh(own / "figures"))
    _execute_many(plan, longest_first(plan, independent), params, work, timings, jobs)
    if stale and chapters_done is not None:
        chapters_done()  # e.g. start the render's imports: the pages that read the chapters leave a core idle
    for wave in plan.page_waves():
        wave = [rel for rel in wave if rel in stale]
        if not wave:
            continue
        outputs.assemble(work, plan.before(wave[0]))  # the tables of every notebook before the wave
        if len(wave) == 1:  # alone (e.g. the data page): reads and writes the assembled data/ itself
            rel, own = wave[0], outputs.folder(work, wave[0])
            before = outputs.snapshot(work / "data")
            params = {rel: _parameters(plan, rel, work / "data", outputs.fresh(own / "figures"))}
            _execute_many(plan, [rel], params, work, timings, 1)
            outputs.keep_written(work / "data", before, outputs.fresh(own / "data"))
            continue
        params, before = {}, {}
        for rel in wave:  # each page of a wave reads its own copy of them (pages of a wave run side by side)
            own = outputs.folder(work, rel)
            seen = outputs.fresh(own / INPUT)
            shutil.copytree(work / "data", seen, dirs_exist_ok=True)
            before[rel] = outputs.snapshot(seen)
            params[rel] = _parameters(plan, rel, seen, outputs.fresh(own / "figures"))
        _execute_many(plan, wave, params, work, timings, jobs)
        for rel in wave:
            own = outputs.folder(work, rel)
            outputs.keep_written(own / INPUT, before[rel], outputs.fresh(own / "data"))
            shutil.rmtree(own / INPUT)
    from .trace import span

    with span("assemble outputs"):
        outputs.prune(work, plan.notebooks)
        outputs.assemble(work, plan.notebooks)


def longest_first(plan: Plan, rels: list[str]) -> list[str]:
    """``rels`` with the notebooks that have the most code cells first (book order among equals).

    Why: ``jobs`` workers take notebooks in this order; started last, the longest chapter (tone) ran
    alone at the end while the other worker idled. Code cells are a proxy of the work known before
    anything ran (tone 13, terms 9, actors 9, corpus 7, intro 2; their CPU time on the seeds falls in that order too)."""
    def code_cells(rel: str) -> int:
        cells = json.loads((plan.root / rel).read_text(encoding="utf-8")).get("cells", [])
        return sum(1 for c in cells if c.get("cell_type") == "code")

    return sorted(rels, key=lambda rel: -code_cells(rel))


#: ``timings[CPU + rel]``: CPU seconds of running notebook ``rel`` (papermill, and the kernel unless forked)
CPU = "cpu:"

#: a dependent page's input folder (its ``data_dir``) in its output folder: the tables of the notebooks
#: before it; what it writes there is kept as its own ``data/``, the folder is then removed
INPUT = "data_dir"


def _parameters(plan: Plan, rel: str, data_dir: Path, fig_dir: Path) -> dict:
    return {"seeds_dir": str(plan.seeds), "data_dir": str(data_dir), "fig_dir": str(fig_dir), **plan.params[rel]}


def _execute_many(plan: Plan, rels: list[str], params: dict[str, dict], work: Path, timings: dict, jobs: int) -> None:
    """Execute notebooks, ``jobs`` at a time (separate processes: each owns its kernel and stderr)."""
    if jobs <= 1 or len(rels) <= 1:
        for rel in rels:
            log(f"{plan.label(rel)}: executing ...")
            timings[rel], timings[CPU + rel] = run_one(plan.root, rel, params[rel], work)
            log(f"{plan.label(rel)}: done in {timings[rel]:.1f} s")
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {}
        for rel in rels:
            log(f"{plan.label(rel)}: executing ...")
            futures[pool.submit(run_one, plan.root, rel, params[rel], work)] = rel
        for fut in as_completed(futures):
            rel = futures[fut]
            try:
                timings[rel], timings[CPU + rel] = fut.result()
            except BuildError:
                for other in futures:
                    other.cancel()
                raise
            log(f"{plan.label(rel)}: done in {timings[rel]:.1f} s")


def run_one(root: Path, rel: str, params: dict, work: Path) -> tuple[float, float]:
    """Execute one notebook into the staging copy (beside its pages, so relative links hold); return
    its duration and the CPU seconds of this process and of the processes it waited for (the kernel,
    unless it was forked from the zygote, which reports it) in that time."""
    from .trace import span

    start, cpu = time.perf_counter(), _cpu()
    dst = work / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    with span(f"notebook {rel}"):
        execute_notebook(root / rel, dst, params, cwd=dst.parent, log_dir=work / "_logs", root=root, label=rel)
    return time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: papermill's ``request_save_on_cell_execute``: by default it rewrote the whole executed notebook
#: (up to 0.8 MB) before and after every cell, about 30 writes for the tone chapter; off, the copy is
#: written once at the end, and also when a cell fails (papermill saves it before raising)
SAVE_EACH_CELL = False

#: nbclient's ``shutdown_kernel``: "immediate" ends the kernel's process once the last cell has answered,
#: instead of asking it to shut down and waiting for it to exit (≈ 0.2 s a notebook, of IPython's exit
#: work: history, a garbage collection). Every output and file is the cells' own, complete once they
#: answered; nothing the notebooks run registers work for the kernel's exit.
SHUTDOWN = "immediate"

#: seconds a kernel may take to start (papermill's default is 60 s): a 2-core machine running several
#: builds at once starts kernels slowly; a build that died there gave a bare traceback and exit 1
KERNEL_START_TIMEOUT = 300
#: a kernel that died because its port was taken meanwhile is started again this many times
PORT_CLASH_RETRIES = 1


def execute_notebook(src: Path, dst: Path, params: dict, cwd: Path, log_dir: Path, root: Path, label: str = "") -> None:
    """Run one notebook with papermill; raise :class:`BuildError` naming the notebook and the cell.
    With a kernel zygote running (``$REPORT_KERNEL_ZYGOTE``, :mod:`.kernels`) the kernel is forked
    from it (reported under ``label``) instead of started from scratch."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from . import kernels

    warm = {"kernel_manager_class": kernels.manager_for(label or str(src))} if os.environ.get(kernels.ADDRESS_VARIABLE) else {}

    log_dir.mkdir(parents=True, exist_ok=True)
    kernel_log = log_dir / (dst.stem + ".kernel.log")
    name = src.relative_to(root) if src.is_relative_to(root) else src
    try:
        _run_papermill_retrying(src, dst, params, cwd, kernel_log, warm)
    except PapermillExecutionError as err:
        reason = f"{err.ename}: {err.evalue}".strip().splitlines()[0][:300]
        cell = _failed_cell_number(dst, err)
        raise BuildError(f"{name}: cell {cell} failed: {reason} (executed copy with the traceback: {dst})") from None
    except Exception as err:  # the kernel did not start, died or timed out: no cell to name
        reason = f"{type(err).__name__}: {err}".strip().splitlines()[0][:300]
        raise BuildError(f"{name}: the notebook's kernel failed: {reason} (kernel log: {kernel_log}); "
                         "run the build again, or with --jobs 1 on a busy machine") from None
    nb = nbformat.read(dst, as_version=4)
    if nb.metadata.get("papermill", {}).get("exception"):
        raise BuildError(f"{src.name}: papermill recorded an exception: see {dst}")
    _tag_for_readers(nb)
    nbformat.write(nb, dst)


def _run_papermill_retrying(src: Path, dst: Path, params: dict, cwd: Path, kernel_log: Path, warm: dict) -> None:
    """:func:`_run_papermill`, started again (:data:`PORT_CLASH_RETRIES` times) when the kernel died because
    its port was taken: jupyter_client picks free ports, closes them, then the kernel binds them, and a
    kernel of another build on the machine can take one in between (seen with parallel test builds)."""
    from papermill.exceptions import PapermillExecutionError

    for attempt in range(PORT_CLASH_RETRIES + 1):
        try:
            return _run_papermill(src, dst, params, cwd, kernel_log, warm)
        except PapermillExecutionError:
            raise
        except Exception:
            if attempt == PORT_CLASH_RETRIES or "Address already in use" not in kernel_log.read_text(errors="replace"):
                raise


def _run_papermill(src: Path, dst: Path, params: dict, cwd: Path, kernel_log: Path, warm: dict) -> None:
    """papermill with the kernel's stderr (fd 2, inherited) in ``kernel_log``, not in the build log."""
    import papermill

    saved_fd = os.dup(2)
    try:
        with open(kernel_log, "w") as sink:
            os.dup2(sink.fileno(), 2)
            papermill.execute_notebook(str(src), str(dst), parameters=params, cwd=str(cwd), kernel_name="python3",
                                       progress_bar=False, log_output=False, start_timeout=KERNEL_START_TIMEOUT,
                                       request_save_on_cell_execute=SAVE_EACH_CELL, shutdown_kernel=SHUTDOWN, **warm)
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)


def _tag_for_readers(nb) -> None:
    """Remove code from the rendered page (its outputs stay) and the parameter cells altogether.

    Why ``remove-input`` and not ``hide-input``: readers of a report met 6-12 "Show code cell source"
    bars per chapter (issue 13). The code stays one click away: every notebook page has the theme's
    download button, which serves the executed notebook itself (``_sources/…ipynb``)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", [])) - {"hide-input"}
        if tags & {"parameters", "injected-parameters"}:
            tags.add("remove-cell")
        elif not tags & {"remove-cell", "hide-cell"}:
            tags.add("remove-input")
        cell.metadata["tags"] = sorted(tags)


def _failed_cell_number(dst: Path, err) -> str:
    """Number the failing cell as a reader counts it in the source notebook (1-based, injected cell excluded)."""
    try:
        import nbformat

        nb = nbformat.read(dst, as_version=4)
        n = 0
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                continue
            n += 1
            if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                return f"{n} (execution count {err.exec_count})"
    except Exception:  # noqa: BLE001 - best effort for the message only
        pass
    return f"with execution count {err.exec_count}"
