"""Shared fixtures. Book builds are expensive, so each corpus is built once per test session and
reused by the end-to-end, browser, escaping and PDF tests."""
from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TINY = FIXTURES / "tiny"
ONE_EPISODE = FIXTURES / "one_episode"  # one English article, one episode
CORPORA = {"seeds": ROOT / "seeds", "tiny": TINY, "one_episode": ONE_EPISODE}
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots and logs kept for people to look at (git-ignored)



# Markers (declared in pyproject.toml): `make test-fast` deselects e2e, browser and pdf.
_MODULE_MARKS = {"test_build_e2e": ("e2e",), "test_build_cache": ("e2e",), "test_bad_input": ("e2e",),
                 "test_escaping": ("e2e",), "test_browser": ("e2e", "browser"), "test_pdf": ("e2e", "pdf")}


def pytest_collection_modifyitems(config, items):
    """Mark whole modules that build books, and any test using a built-book fixture, as e2e."""
    for item in items:
        for mark in _MODULE_MARKS.get(item.module.__name__.rsplit(".", 1)[-1], ()):
            item.add_marker(getattr(pytest.mark, mark))
        if _books_needed(item):
            item.add_marker(pytest.mark.e2e)


def run_build(seeds: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run ``python -m scripts.build`` as a user would; return the finished process."""
    return subprocess.run([sys.executable, "-m", "scripts.build", "--seeds", str(seeds), "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)


# --------------------------------------------------------------------------- books built in the background
# A session needs a handful of full book builds (each ~1 min, mostly single-threaded kernel starts and
# Sphinx). Building them one after another, each only when its first test asks, left a core idle and
# the unit tests waiting. Instead every book the collected tests will need is registered here and built
# in the background from the end of collection, BUILD_SLOTS at a time, in the order the tests first
# need them; the fixture only waits for its build. The builds are the same commands a user runs.
BUILD_SLOTS = int(os.environ.get("TEST_BUILD_SLOTS", os.cpu_count() or 2))


@dataclass
class BookJob:
    """One background job: a chain of builds into one output folder (usually one build), or any
    ``work(base) -> result`` function that runs builds (the README's worked example)."""

    name: str
    steps: tuple[tuple[Path | Callable[[Path], Path], tuple[str, ...]], ...] = ()  # (seeds or seeds-maker(base), extra args)
    work: Callable[[Path], object] | None = None
    out: Path | None = None
    procs: list[subprocess.CompletedProcess] = field(default_factory=list)
    result: object = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    started: bool = False

    def run(self, base: Path) -> None:
        try:
            if self.work is not None:
                self.result = self.work(base)
                return
            self.out = base / "out"
            for seeds, extra in self.steps:
                folder = seeds(base) if callable(seeds) else seeds
                proc = run_build(folder, self.out, *extra)
                self.procs.append(proc)
                if proc.returncode != 0:
                    break
        except BaseException as err:  # re-raised in the test that waits for it
            self.error = err
        finally:
            self.done.set()

    def wait(self) -> object:
        """Wait for a ``work`` job and return its result (its exception is raised here)."""
        if not self.done.wait(timeout=3600):  # a job that never ends must fail the test, not hang the session
            raise TimeoutError(f"{self.name}: the background job did not finish within an hour")
        if self.error is not None:
            raise self.error
        return self.result

    def book(self) -> Path:
        """Wait for the build and return its output folder; fail with the build's output if it failed."""
        self.wait()
        assert self.procs and self.procs[-1].returncode == 0, (
            f"{self.name}: " + "".join(p.stdout[-3000:] + p.stderr[-3000:] for p in self.procs[-1:]))
        return self.out


BOOK_JOBS: dict[str, BookJob] = {}


def book_job(name: str, *steps: tuple[Path | Callable[[Path], Path], tuple[str, ...]],
             work: Callable[[Path], object] | None = None) -> BookJob:
    """Register a background job; a fixture of the same name returns ``built_book(request, name)``
    (or ``background_result`` for a ``work`` job)."""
    BOOK_JOBS[name] = BookJob(name, steps, work)
    return BOOK_JOBS[name]


class _Builder:
    """BUILD_SLOTS worker threads taking jobs in order from a queue."""

    def __init__(self, base_dir: Callable[[str], Path]):
        self.queue: queue.Queue[tuple[BookJob, Path] | None] = queue.Queue()
        self.base_dir = base_dir
        self.workers = [threading.Thread(target=self._work, daemon=True) for _ in range(BUILD_SLOTS)]
        for w in self.workers:
            w.start()

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            job, base = item
            job.run(base)

    def submit(self, job: BookJob) -> None:
        """Queue ``job`` once. Its folder is made here, in the caller's thread: pytest's temporary-folder
        factory is not thread-safe: made in the workers, one worker died (most likely two of them creating
        the session's base folder at once) and the test waiting for its job hung."""
        if not job.started:
            job.started = True
            self.queue.put((job, self.base_dir(job.name)))


_BUILDER_KEY = pytest.StashKey["_Builder"]()


def _builder(config) -> _Builder:
    """The session's builder, kept in the config's stash (one per pytest session, no module global)."""
    if _BUILDER_KEY not in config.stash:
        config.stash[_BUILDER_KEY] = _Builder(config._tmp_path_factory.mktemp)  # the factory behind tmp_path_factory
    return config.stash[_BUILDER_KEY]


def _books_needed(item) -> list[str]:
    names = list(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)  # a fixture parametrised with book names (test_browser)
    if callspec is not None:
        names += [v for v in callspec.params.values() if isinstance(v, str)]
    return [n for n in names if n in BOOK_JOBS]


def pytest_collection_finish(session):
    """Start, in the background, the builds of every book the selected tests use, in order of first use."""
    if session.config.option.collectonly:
        return
    for item in session.items:
        for name in _books_needed(item):
            _builder(session.config).submit(BOOK_JOBS[name])


def pytest_sessionfinish(session):
    builder = session.config.stash.get(_BUILDER_KEY, None)
    if builder is not None:
        for _ in builder.workers:
            builder.queue.put(None)


def built_book(request, name: str) -> Path:
    """The book ``name``, built in the background (started now if collection did not start it)."""
    job = BOOK_JOBS[name]
    _builder(request.config).submit(job)
    return job.book()


def background_result(request, name: str) -> object:
    """The result of the background ``work`` job ``name`` (started now if collection did not start it)."""
    job = BOOK_JOBS[name]
    _builder(request.config).submit(job)
    return job.wait()


book_job("tiny_book", (TINY, ("--strict",)))
book_job("one_episode_book", (ONE_EPISODE, ("--strict",)))
book_job("seeds_book", (ROOT / "seeds", ("--strict", *(("--pdf",) if shutil.which("xelatex") and shutil.which("latexmk") else ()))))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def tiny_book(request) -> Path:
    """The tiny fixture corpus built strictly (warnings are errors) into a fresh folder."""
    return built_book(request, "tiny_book")


@pytest.fixture(scope="session")
def seeds_book(request) -> Path:
    """The bundled seeds built strictly into a fresh folder (PDF too when XeLaTeX is installed)."""
    return built_book(request, "seeds_book")


@pytest.fixture(scope="session", params=sorted(CORPORA))
def any_corpus(request):
    """The bundled seeds, the tiny fixture and the one-episode fixture, loaded once each: narrative
    tests run on all three so every template is rendered where there is, and is not, something to compare."""
    from scripts.corpus import load_corpus

    return request.param, load_corpus(CORPORA[request.param])


@pytest.fixture(scope="session")
def one_episode_book(request) -> Path:
    """The one-episode fixture corpus built strictly into a fresh folder."""
    return built_book(request, "one_episode_book")
