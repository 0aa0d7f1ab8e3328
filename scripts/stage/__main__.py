"""``python -m scripts.stage SEEDS [--store FOLDER_OR_URL] [--jobs N] [--engine local|dask] [--scheduler ADDRESS]``:
run the analysis stage alone and print what it did (articles analysed, seconds per step, where the tables are)."""
from __future__ import annotations

import argparse
import os
import sys

from scripts.corpus import CorpusError

from . import run_stage


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scripts.stage", description=__doc__.split(":")[1].strip())
    p.add_argument("seeds", help="folder with manifest.yml and the texts")
    p.add_argument("--store", default=None, help="folder or fsspec URL of the tables (default: _build/analysis)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes (local) or workers (dask)")
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", default=None, help="with --engine dask: address of a running scheduler")
    args = p.parse_args(argv)
    try:
        r = run_stage(args.seeds, store=args.store, engine=args.engine, jobs=args.jobs, scheduler=args.scheduler)
    except CorpusError as err:
        for line in err.problems:
            print(f"error: {line}", file=sys.stderr)
        return 2
    steps = ", ".join(f"{k} {v:.2f} s" for k, v in r.timings.items())
    what = "unchanged (read from the store)" if r.cached else f"{r.read} {'article' if r.read == 1 else 'articles'} read, {r.split} split"
    print(f"{len(r.corpus.documents)} documents: {what}; {steps}\ntables: {r.store}/corpora/{r.key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
