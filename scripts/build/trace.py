"""A timeline of one build, for ``tools/bench_build.py --timeline``: which process did what, when.

When ``$REPORT_BUILD_TRACE`` names a file, the build, its papermill workers, the kernel zygote and
the renderer each append one JSON line per finished span (``{"name", "start", "end", "pid", "cpu"}``:
wall-clock seconds since the epoch, comparable across processes, and the CPU seconds this process
spent in the span). Unset (every normal build), :func:`span` costs one dictionary lookup.

Why: a cold build runs up to four processes at once on two cores; whether a core sits idle while
the critical path waits (the stage, the page that runs alone, Sphinx) shows on a timeline, not in
a list of durations.
"""
from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager

VARIABLE = "REPORT_BUILD_TRACE"


def record(name: str, start: float, end: float, cpu: float | None = None) -> None:
    """Append one finished span (times from :func:`time.time`) to the trace file, if tracing."""
    path = os.environ.get(VARIABLE)
    if not path:
        return
    line = json.dumps({"name": name, "start": start, "end": end, "pid": os.getpid(), "cpu": cpu}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)  # one write per line: lines of processes do not mix
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


@contextmanager
def span(name: str):
    """Record the ``with`` block as a span named ``name`` (when tracing)."""
    if not os.environ.get(VARIABLE):
        yield
        return
    start, cpu = time.time(), time.process_time()
    try:
        yield
    finally:
        record(name, start, time.time(), time.process_time() - cpu)


def read(path: str) -> list[dict]:
    """The spans of a trace file, earliest start first."""
    with open(path, encoding="utf-8") as f:
        spans = [json.loads(line) for line in f if line.strip()]
    return sorted(spans, key=lambda s: s["start"])
