"""What the build tells its user: progress lines on stdout, and :class:`BuildError`, whose message is
printed as one ``error:`` line per problem."""
from __future__ import annotations

import time
from contextlib import contextmanager


class BuildError(Exception):
    """A build step failed; the message is one line per problem saying what and where."""


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
