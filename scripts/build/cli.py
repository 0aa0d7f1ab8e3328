"""The command line: arguments, the lock on the output folder, and errors as ``error:`` lines.

Exit codes: 0 built, 2 a build step failed (the previous book is unchanged; the staging copy of the
failed build is kept in ``<out>/failed/``), 3 another build holds the lock."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from . import __doc__ as DESIGN
from . import build
from .console import BuildError, log, python_cmd
from .plan import ROOT, ParamError, parse_params
from .publish import copy_tree


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scripts.build", description=DESIGN.split("\n\n")[0])
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="folder with manifest.yml and the texts (default: seeds/)")
    p.add_argument("--out", type=Path, default=ROOT / "_build", help="build folder (default: _build/)")
    p.add_argument("--pdf", action="store_true", help="also write <out>/pdf/book.pdf (needs XeLaTeX, see README)")
    p.add_argument("--strict", action="store_true", help="treat Sphinx warnings as errors (-W -n --keep-going)")
    p.add_argument("--force", action="store_true", help="re-execute every chapter even if nothing changed")
    p.add_argument("--jobs", type=int, default=0,
                   help="chapters executed at once, and processes of the analysis stage (default: up to 2, one per core)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="runs the analysis stage's per-article map: local processes (default) or Dask")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: a running Dask scheduler (tcp://host:8786); default: a LocalCluster of --jobs workers")
    p.add_argument("--analysis-store", default=None, metavar="FOLDER_OR_URL",
                   help="where the analysis stage keeps its Parquet tables (default: <out>/analysis; any fsspec URL)")
    p.add_argument("--cold-kernels", action="store_true",
                   help="start every notebook's kernel from scratch instead of forking it from one that imported the modules once")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="chapter parameter, e.g. top_n=15 (repeatable)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from filelock import FileLock, Timeout

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"error: another build is writing {out} (lock {out / '.build.lock'}): wait for it to finish, "
              "or use --out for a separate folder", file=sys.stderr)
        return 3
    try:
        timings = build(args.seeds, out, parse_params(args.param), pdf=args.pdf, strict=args.strict, force=args.force,
                        jobs=args.jobs, engine=args.engine, scheduler=args.scheduler, analysis_store=args.analysis_store,
                        warm_kernels=not args.cold_kernels)
    except ParamError as err:  # nothing ran and nothing changed: one line is the whole story
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BuildError as err:
        report_failure(str(err), out)
        return 2
    finally:
        lock.release()
    index = out / "html" / "index.html"
    log(f"Book ready in {timings['total']:.1f} s: {index}")
    log(f"  open it with:  xdg-open {index}   (or {python_cmd()} -m http.server -d {out / 'html'} and visit http://localhost:8000)")
    log(f"  tables (CSV):  {out / 'data'}")
    if args.pdf:
        log(f"  PDF:           {out / 'pdf' / 'book.pdf'}")
    return 0


def report_failure(message: str, out: Path) -> None:
    """Keep the failed staging copy as ``failed/`` (messages point into it) and print the error lines."""
    work = out / "work"
    if work.exists():
        failed = out / "failed"
        copy_tree(work, failed)
        shutil.rmtree(work)
        message = message.replace(str(work), str(failed))
    for line in message.splitlines():
        print(f"error: {line}", file=sys.stderr)
    print(f"error: build stopped; the previous book in {out} is unchanged", file=sys.stderr)
