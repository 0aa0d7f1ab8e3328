"""Build the book: validate the seeds, execute every chapter with papermill, render with Jupyter Book.

    python -m scripts.build [--seeds FOLDER] [--out _build] [--pdf] [--strict] [--force]
                            [--param NAME=VALUE ...]

Layout under ``--out`` (default ``_build/``):

``html/``      the HTML book (open ``html/index.html``)
``pdf/``       ``book.pdf`` when built with ``--pdf``
``data/``      every table the chapters wrote, as CSV
``stage/``     the last successful staging copy: executed notebooks, figures, Sphinx state
``work/``      the staging copy of the build in progress (deleted on success)

Safety: the seeds are validated before anything else; a build works in ``work/`` and swaps its
results in only when every step succeeded, so a failed build leaves the previous book and data
exactly as they were. A lock stops two builds from writing the same folder at once.

Speed: each notebook is re-executed only when the hash of its inputs changes (the notebook, its
parameters, the seeds folder, the ``scripts`` package and its data files); when nothing changed,
the build does nothing and says so.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib")
COMMON_PARAMETERS = ("seeds_dir", "data_dir", "fig_dir")


class BuildError(Exception):
    """A build step failed; the message is one line saying what and where."""


def log(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------- book structure
def toc_files(root: Path = ROOT) -> list[str]:
    """Every file of ``_toc.yml`` in reading order (without extension)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)

    walk(toc)
    return files


def toc_notebooks(root: Path = ROOT) -> list[str]:
    """The chapters to execute, in ``_toc.yml`` order (paths relative to the book root)."""
    return [f + ".ipynb" for f in toc_files(root) if (root / (f + ".ipynb")).is_file()]


def book_sources(root: Path = ROOT) -> list[Path]:
    """Files the renderer needs besides executed notebooks: config, toc, pages, bibliography, static assets."""
    out = [root / f for f in BOOK_FILES if (root / f).is_file()]
    for f in toc_files(root):
        if (root / (f + ".md")).is_file() and not (root / (f + ".ipynb")).is_file():
            out.append(root / (f + ".md"))
    for folder in ("_static", "_ext"):  # static assets; local Sphinx extensions (_config.yml local_extensions)
        static = root / folder
        if static.is_dir():
            out.extend(p for p in sorted(static.rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
    return out


# --------------------------------------------------------------------------- hashing
def _hash_files(paths, base: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(base)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _scripts_imported(source: str) -> set[str]:
    """Names of ``scripts`` modules imported by a piece of Python source (``from scripts import x``,
    ``from scripts.x import y``, ``import scripts.x``)."""
    import ast

    found: set[str] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {"*"}  # cannot tell: depend on everything
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "scripts":
                found.update(a.name for a in node.names)
            elif node.module.startswith("scripts."):
                found.add(node.module.split(".")[1])
            elif node.level and node.module:  # relative import inside the package
                found.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("scripts."))
    return found


def code_hash(root: Path = ROOT, notebook: Path | None = None) -> str:
    """Hash of the code a chapter runs: the ``scripts`` modules it imports (transitively), every data
    file in ``scripts/data`` (hand-coded validation data included) and the pinned requirements. Without ``notebook``: the whole package.
    Editing the tone module thus re-executes the tone chapter, not the terms chapter."""
    scripts = root / "scripts"
    modules = {p.stem: [p] for p in scripts.glob("*.py")}
    # sub-packages (e.g. scripts/plots/): one entry whose files are all its modules
    modules.update({d.name: sorted(d.rglob("*.py")) for d in scripts.iterdir() if (d / "__init__.py").is_file()})
    if notebook is None:
        chosen = set(modules)
    else:
        import nbformat

        nb = nbformat.read(notebook, as_version=4)
        todo = set().union(*(_scripts_imported(c.source) for c in nb.cells if c.cell_type == "code"))
        chosen: set[str] = {"__init__"}
        while todo:
            name = todo.pop()
            if name == "*":
                chosen |= set(modules)
                break
            if name in modules and name not in chosen:
                chosen.add(name)
                for f in modules[name]:
                    todo |= _scripts_imported(f.read_text(encoding="utf-8"))
    files = [f for m in sorted(chosen) if m in modules for f in modules[m]]
    files += [p for p in (scripts / "data").rglob("*") if p.is_file()]
    req = root / "requirements.txt"
    return _hash_files(files + ([req] if req.is_file() else []), root)


def seeds_hash(seeds: Path) -> str:
    return _hash_files([p for p in seeds.rglob("*") if p.is_file() and not p.name.startswith(".")], seeds)


def notebook_key(nb_path: Path, params: dict, seeds_digest: str, code_digest: str) -> str:
    """Everything an executed chapter depends on. Data/figure folders are excluded: they are outputs."""
    h = hashlib.sha256()
    h.update(nb_path.read_bytes())
    stable = {k: v for k, v in params.items() if k not in COMMON_PARAMETERS}
    h.update(json.dumps(stable, sort_keys=True).encode())
    h.update(seeds_digest.encode())
    h.update(code_digest.encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- parameters
def parse_params(pairs: list[str]) -> dict:
    """``NAME=VALUE`` pairs; VALUE is read as YAML (numbers, booleans, lists) else kept as text."""
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise BuildError(f"--param {pair!r}: write it as NAME=VALUE, e.g. --param top_n=15")
        name, value = pair.split("=", 1)
        try:
            out[name.strip()] = yaml.safe_load(value)
        except yaml.YAMLError:
            out[name.strip()] = value
    return out


def notebook_parameters(nb_path: Path) -> dict:
    """Names and defaults of the notebook's ``parameters`` cell (via papermill's inspector)."""
    import papermill

    return {name: info for name, info in papermill.inspect_notebook(str(nb_path)).items()}


def reads_earlier_chapters(nb_path: Path) -> bool:
    """True when the notebook's metadata says ``"report": {"reads_earlier_chapters": true}``: it reads
    the executed chapters before it (their parameters, CSVs), so its cache key includes theirs."""
    meta = json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {})
    return bool(meta.get("report", {}).get("reads_earlier_chapters"))


# --------------------------------------------------------------------------- execution
def _tag_for_readers(nb_path: Path) -> None:
    """Hide code (readers can unfold it) and remove the parameter cells from the rendered page."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            tags.add("remove-cell")
        elif not tags & {"remove-cell", "remove-input", "hide-cell"}:
            tags.add("hide-input")
        cell.metadata["tags"] = sorted(tags)
    nbformat.write(nb, nb_path)


def execute_notebook(src: Path, dst: Path, params: dict, cwd: Path, log_dir: Path) -> None:
    """Run one chapter with papermill; raise :class:`BuildError` naming the notebook and the cell."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    log_dir.mkdir(parents=True, exist_ok=True)
    kernel_log = log_dir / (dst.stem + ".kernel.log")
    saved_fd = os.dup(2)  # the kernel inherits fd 2: keep its start-up chatter out of the build log
    try:
        with open(kernel_log, "w") as sink:
            os.dup2(sink.fileno(), 2)
            try:
                papermill.execute_notebook(str(src), str(dst), parameters=params, cwd=str(cwd),
                                           kernel_name="python3", progress_bar=False, log_output=False)
            finally:
                os.dup2(saved_fd, 2)
                os.close(saved_fd)
    except PapermillExecutionError as err:
        cell = _failed_cell_number(dst, err)
        reason = f"{err.ename}: {err.evalue}".strip().splitlines()[0][:300]
        raise BuildError(f"{src.relative_to(ROOT) if src.is_relative_to(ROOT) else src}: cell {cell} failed: {reason} (executed copy with the traceback: {dst})") from None
    import nbformat

    nb = nbformat.read(dst, as_version=4)
    if nb.metadata.get("papermill", {}).get("exception"):
        raise BuildError(f"{src.name}: papermill recorded an exception: see {dst}")
    _tag_for_readers(dst)


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


# --------------------------------------------------------------------------- the build
def _copy_tree(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    if src.exists():
        shutil.copytree(src, dst, symlinks=True)
    else:
        dst.mkdir(parents=True)


def _remove_stale(work: Path, keep: set[str]) -> None:
    """Delete pages left in the staging copy by earlier builds (a renamed chapter, an .md that became
    an .ipynb), so Sphinx never sees two files for one document."""
    outputs = {"_build", "data", "figures", "_logs", "_static"}
    for p in work.rglob("*"):
        rel = p.relative_to(work)
        if p.is_file() and rel.parts[0] not in outputs and p.suffix in (".md", ".ipynb", ".bib", ".log") \
                and str(rel) not in keep and not p.name.startswith("jupyter-book-"):
            p.unlink()


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


def run_jupyter_book(work: Path, builder: str, strict: bool) -> None:
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(work), "--builder", builder]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    log_file = work / f"jupyter-book-{builder}.log"
    log_file.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        lines = [l for l in (proc.stderr + proc.stdout).splitlines() if "WARNING" in l or "ERROR" in l or "Error" in l]
        first = lines[0].strip() if lines else "see the log"
        raise BuildError(f"jupyter-book {builder} failed: {first[:400]} (full log: {log_file})")


def _run_one(rel: str, params: dict, work: Path) -> float:
    """Execute one chapter into the staging copy (in a worker process); return its duration."""
    t = time.perf_counter()
    dst = work / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    execute_notebook(ROOT / rel, dst, params, cwd=dst.parent, log_dir=work / "_logs")
    return time.perf_counter() - t


def _execute_many(rels: list[str], plans: dict, work: Path, label: dict, timings: dict, jobs: int) -> None:
    """Execute notebooks, ``jobs`` at a time (separate processes: each owns its kernel and stderr)."""
    if jobs <= 1 or len(rels) == 1:
        for rel in rels:
            log(f"{label[rel]}: executing ...")
            timings[rel] = _run_one(rel, plans[rel], work)
            log(f"{label[rel]}: done in {timings[rel]:.1f} s")
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {}
        for rel in rels:
            log(f"{label[rel]}: executing ...")
            futures[pool.submit(_run_one, rel, plans[rel], work)] = rel
        for fut in as_completed(futures):
            rel = futures[fut]
            try:
                timings[rel] = fut.result()
            except BuildError:
                for other in futures:
                    other.cancel()
                raise
            log(f"{label[rel]}: done in {timings[rel]:.1f} s")


def build(seeds: Path, out: Path, params: dict, pdf: bool = False, strict: bool = False, force: bool = False,
          jobs: int = 0) -> dict:
    """Build the book from ``seeds`` into ``out``; return timings. See the module docstring."""
    from scripts.corpus import CorpusError, load_corpus

    t_all = time.perf_counter()
    timings: dict[str, float] = {}
    jobs = jobs or min(2, os.cpu_count() or 1)
    seeds = seeds.resolve()
    out = out.resolve()

    t = time.perf_counter()
    try:
        corpus = load_corpus(seeds)
    except CorpusError as err:
        raise BuildError("\n".join(err.problems)) from None
    timings["validate"] = time.perf_counter() - t
    n_docs = len(corpus.documents)
    log(f"[seeds] {seeds}: {n_docs} documents, {corpus.episodes.shape[0]} episodes valid ({timings['validate']:.1f} s)")

    stage, work = out / "stage", out / "work"
    _copy_tree(stage, work)
    state_file = work / ".build-state.json"
    state = json.loads(state_file.read_text()) if state_file.is_file() and not force else {}
    seeds_digest = seeds_hash(seeds)
    data_dir, fig_dir = work / "data", work / "figures"
    data_dir.mkdir(exist_ok=True)
    fig_dir.mkdir(exist_ok=True)

    notebooks = toc_notebooks()
    changed_any = False
    new_state = {"notebooks": {}}
    plans, declared_any = {}, set()
    for rel in notebooks:
        src = ROOT / rel
        declared = notebook_parameters(src)
        declared_any |= set(declared)
        nb_params = {"seeds_dir": str(seeds), "data_dir": str(data_dir), "fig_dir": str(fig_dir)}
        nb_params.update({k: v for k, v in params.items() if k in declared})
        missing = [k for k in COMMON_PARAMETERS if k not in declared]
        if missing:
            raise BuildError(f"{rel}: its parameters cell lacks {', '.join(missing)}: add them (see chapters/01_corpus.ipynb)")
        plans[rel] = nb_params
    unknown = sorted(set(params) - declared_any)
    if unknown:
        raise BuildError(f"--param {', '.join(unknown)}: no chapter declares it; the parameters are listed at the top of each chapter")
    # Chapters only read the seeds, so they run side by side (one per core); pages that read what
    # earlier chapters wrote (methods, data) run afterwards, one by one, in book order.
    dependent = {rel for rel in notebooks if reads_earlier_chapters(ROOT / rel)}
    label = {rel: f"[{i}/{len(notebooks)}] {rel}" for i, rel in enumerate(notebooks, 1)}

    def key_of(rel: str) -> str:
        src = ROOT / rel
        key = notebook_key(src, plans[rel], seeds_digest, code_hash(ROOT, src))
        if rel in dependent:  # e.g. methods/data pages: stale if any earlier chapter re-ran
            earlier = [new_state["notebooks"][r] for r in notebooks[:notebooks.index(rel)] if r in new_state["notebooks"]]
            key = hashlib.sha256((key + "".join(earlier)).encode()).hexdigest()
        return key

    def needed(rel: str) -> bool:
        new_state["notebooks"][rel] = key_of(rel)
        fresh = not force and state.get("notebooks", {}).get(rel) == new_state["notebooks"][rel] and (work / rel).is_file()
        if fresh:
            log(f"{label[rel]}: unchanged, not re-executed")
        return not fresh

    independent = [rel for rel in notebooks if rel not in dependent and needed(rel)]
    if independent:
        changed_any = True
        _execute_many(independent, plans, work, label, timings, jobs)
    for rel in notebooks:
        if rel in dependent and needed(rel):
            changed_any = True
            _execute_many([rel], plans, work, label, timings, 1)
    new_state["notebooks"] = {rel: new_state["notebooks"][rel] for rel in notebooks}

    sources = book_sources()
    for p in sources:
        target = work / p.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, target)
    _remove_stale(work, {str(p.relative_to(ROOT)) for p in sources} | set(notebooks))
    new_state["sources"] = _hash_files(sources, ROOT)
    new_state["strict"] = strict
    html_ready = (out / "html" / "index.html").is_file()
    html_current = not changed_any and state.get("sources") == new_state["sources"] and state.get("html_done") and html_ready
    if html_current and not (strict and not state.get("strict")):
        log("[html] nothing changed: the book is up to date")
    else:
        t = time.perf_counter()
        log("[html] jupyter-book build ...")
        run_jupyter_book(work, "html", strict)
        timings["html"] = time.perf_counter() - t
        log(f"[html] done in {timings['html']:.1f} s")
    new_state["html_done"] = True

    if pdf:
        pdf_file = out / "pdf" / "book.pdf"
        if html_current and state.get("pdf_done") and pdf_file.is_file():
            log("[pdf] nothing changed: the PDF is up to date")
        else:
            t = time.perf_counter()
            log("[pdf] jupyter-book build --builder pdflatex (XeLaTeX) ...")
            latex = work / "_build" / "latex"
            if latex.exists():
                shutil.rmtree(latex)  # latexmk remembers failures
            run_jupyter_book(work, "pdflatex", strict)
            timings["pdf"] = time.perf_counter() - t
            log(f"[pdf] done in {timings['pdf']:.1f} s")
        new_state["pdf_done"] = True
    else:
        new_state["pdf_done"] = bool(state.get("pdf_done")) and html_current

    state_file.write_text(json.dumps(new_state, indent=1))
    # Success: publish. Each swap is a rename; the old book stays until the new one is complete.
    for name, src in (("html", work / "_build" / "html"), ("data", work / "data")):
        tmp = out / f"{name}.new"
        _copy_tree(src, tmp)
        _swap_in(tmp, out / name)
    if pdf:
        produced = sorted((work / "_build" / "latex").glob("*.pdf"))
        if not produced:
            raise BuildError(f"no PDF produced: see {work / 'jupyter-book-pdflatex.log'}")
        (out / "pdf").mkdir(exist_ok=True)
        shutil.copy2(produced[0], out / "pdf" / "book.pdf.new")
        os.replace(out / "pdf" / "book.pdf.new", out / "pdf" / "book.pdf")
    _swap_in(work, stage)
    timings["total"] = time.perf_counter() - t_all
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="folder with manifest.yml and the texts (default: seeds/)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build", help="build folder (default: _build/)")
    parser.add_argument("--pdf", action="store_true", help="also write <out>/pdf/book.pdf (needs XeLaTeX, see README)")
    parser.add_argument("--strict", action="store_true", help="treat Sphinx warnings as errors (-W -n --keep-going)")
    parser.add_argument("--force", action="store_true", help="re-execute every chapter even if nothing changed")
    parser.add_argument("--jobs", type=int, default=0, help="chapters executed at once (default: up to 2, one per core)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="chapter parameter, e.g. top_n=15 (repeatable)")
    args = parser.parse_args(argv)

    from filelock import FileLock, Timeout

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"error: another build is writing {out} (lock {out / '.build.lock'}): wait for it to finish, or use --out for a separate folder", file=sys.stderr)
        return 3
    try:
        params = parse_params(args.param)
        timings = build(args.seeds, out, params, pdf=args.pdf, strict=args.strict, force=args.force, jobs=args.jobs)
    except BuildError as err:
        message = str(err)
        work = out / "work"
        if work.exists():
            failed = out / "failed"
            _copy_tree(work, failed)
            shutil.rmtree(work)
            message = message.replace(str(work), str(failed))  # the executed copies now live in failed/
        for line in message.splitlines():
            print(f"error: {line}", file=sys.stderr)
        print(f"error: build stopped; the previous book in {out} is unchanged", file=sys.stderr)
        return 2
    finally:
        lock.release()
    index = out / "html" / "index.html"
    log(f"Book ready in {timings['total']:.1f} s: {index}")
    log(f"  open it with:  xdg-open {index}   (or python -m http.server -d {out / 'html'} and visit http://localhost:8000)")
    log(f"  tables (CSV):  {out / 'data'}")
    if args.pdf:
        log(f"  PDF:           {out / 'pdf' / 'book.pdf'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
