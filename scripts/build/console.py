"""What the build tells its user: progress lines on stdout, and :class:`BuildError`, whose message is
printed as one ``error:`` line per problem."""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path


class BuildError(Exception):
    """A build step failed; the message is one line per problem saying what and where."""


def python_cmd() -> str:
    """How the user should call this Python in printed hints: ``.venv/bin/python`` when it runs from
    the virtualenv below the current folder (the README's set-up), else ``python``.

    Why: a bare ``python -m …`` hint runs the system Python, which lacks the pinned packages."""
    exe = Path(sys.executable)
    try:
        rel = Path(os.path.relpath(exe, Path.cwd()))
    except ValueError:  # another drive (Windows)
        return "python"
    return rel.as_posix() if not rel.as_posix().startswith("..") and len(rel.parts) <= 3 else "python"


def log(msg: str) -> None:
    print(msg, flush=True)


@contextmanager
def timed(timings: dict[str, float], name: str):
    """Record the wall time of the ``with`` block as ``timings[name]`` (seconds)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = time.perf_counter() - start
