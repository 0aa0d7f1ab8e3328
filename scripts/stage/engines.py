"""Run the per-article map: in this process, on a local process pool (``--jobs N``), or on Dask.

Each engine returns the results in the order of the items, so the reduce sees the same input
whatever ran the map, and the tables are identical (tested). The function and its fixed arguments
(``functools.partial``) must pickle: they are module-level functions of :mod:`scripts.stage.articles`.

Dask: the items in parts scattered to the workers (not inside the task graph), computed by a ``distributed`` client, either the one passed
(tests use a ``LocalCluster``), one connected to ``scheduler`` (``tcp://host:8786``: workers must have
this project installed at the same commit), or a ``LocalCluster`` with ``jobs`` worker processes.
Results come back to this process, which alone writes the store.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial

ENGINES = ("local", "dask")
#: a local pool is started only when each worker gets at least this many items: forking, pickling and
#: joining cost more than they save on a handful of articles (the seeds, 5 articles: 4.6 s CPU in one
#: process, 6.3 s with 2 processes; cold stage, 2026-12-01)
MIN_ITEMS_PER_WORKER = 4


def uses_pool(n_items: int, engine: str = "local", jobs: int = 1, per_worker: int | None = None) -> bool:
    """True when :func:`map_items` runs ``n_items`` on a local process pool (``per_worker``: see there)."""
    return engine == "local" and jobs > 1 and n_items >= (per_worker or MIN_ITEMS_PER_WORKER) * 2


def map_items(fn: Callable, items: Sequence, engine: str = "local", jobs: int = 1, scheduler: str | None = None,
              client=None, per_worker: int | None = None) -> list:
    """``[fn(x) for x in items]`` computed by ``engine``. ``per_worker``: the fewest items per worker
    worth a local pool (default :data:`MIN_ITEMS_PER_WORKER`; 1 for a few long items, such as a Punkt
    splitter per language)."""
    items = list(items)
    if not items:
        return []
    if engine == "dask":
        return _dask_map(fn, items, jobs, scheduler, client)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if not uses_pool(len(items), engine, jobs, per_worker):
        return [fn(x) for x in items]
    jobs = min(jobs, len(items) // (per_worker or MIN_ITEMS_PER_WORKER))
    # the objects this process holds so far are left out of the collector's scans while the pool runs:
    # the forked workers then do not walk (and so copy) the pages of the parent's tables and records
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(fn, items, chunksize=max(1, len(items) // (4 * jobs))))
    finally:
        gc.unfreeze()


@contextmanager
def dask_client(jobs: int = 1, scheduler: str | None = None, client=None):
    """The ``distributed`` client the Dask engine computes with: ``client`` if given, else one connected
    to ``scheduler``, else a ``LocalCluster`` of ``jobs`` worker processes (closed on exit). One per
    stage run: both maps of the stage share it (a cluster takes seconds to start)."""
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as own:
            yield own
        return
    with LocalCluster(n_workers=max(1, jobs or os.cpu_count() or 1), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as own:
        yield own


def _dask_map(fn: Callable, items: list, jobs: int, scheduler: str | None, client) -> list:
    """``fn`` over ``items`` in about four parts per worker. The parts are scattered to the workers as
    data, and the tasks only name them: inside the task graph (a ``dask.bag`` of the items) they made a
    30 MiB graph at 10,000 articles, which the scheduler warns about and must ship itself."""
    with dask_client(jobs, scheduler, client) as c:
        workers = max(1, len(c.scheduler_info().get("workers", {})))
        n = min(len(items), 4 * workers)
        parts = [items[i * len(items) // n:(i + 1) * len(items) // n] for i in range(n)]
        done = c.gather(c.map(partial(_run_part, fn), c.scatter(parts), pure=False))
        return [r for part in done for r in part]


def _run_part(fn: Callable, part: list) -> list:
    return [fn(x) for x in part]
