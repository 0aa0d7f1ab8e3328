"""Helpers for the reader-level tests (browser, escaping, PDF): serve a built book, drive the
Debian Chromium through Playwright, list the book's pages and the figures each should show."""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FIGURE_DIRECTIVE = re.compile(r"```\{(?:glue:figure|figure)\}")


def need_chromium():
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI installs it")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install -r requirements.txt)")


def need_tools(*names: str):
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (texlive-xetex latexmk poppler-utils); CI installs them")


def book_pages(out: Path) -> list[str]:
    """The pages of a built book in reading order (``_toc.yml`` of its staging copy), without extension."""
    from scripts.build import toc_files

    return toc_files(out / "stage")


def page_source(out: Path, page: str) -> str:
    """Markdown the reader sees on ``page``: the .md file, or the markdown cells of the executed notebook."""
    stage = out / "stage"
    md = stage / f"{page}.md"
    if md.is_file():
        return md.read_text(encoding="utf-8")
    nb = json.loads((stage / f"{page}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def page_title(out: Path, page: str) -> str:
    m = re.search(r"^# (.+)$", page_source(out, page), flags=re.M)
    assert m, f"{page} has no title"
    return m.group(1).strip()


def expected_figures(out: Path, page: str) -> int:
    return len(FIGURE_DIRECTIVE.findall(page_source(out, page)))


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` on a free localhost port (as ``python -m http.server`` would); yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@contextlib.contextmanager
def browser():
    """A headless Debian Chromium driven by Playwright (no browser download)."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class PageWatch:
    """Open a page and record what a reader would not notice but should worry about."""

    def __init__(self, context, url: str):
        from urllib.parse import urlsplit

        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        origin = urlsplit(url).netloc
        self.page = context.new_page()
        # The book must work from its own folder: third-party requests (the MathJax CDN) are blocked
        # and listed in ``external``; the browser's own favicon probe is not the book's.
        self.page.route(lambda u: urlsplit(u).netloc != origin, self._block)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)
        self.page.on("dialog", self._dialog)
        self.page.on("requestfailed", self._request_failed)
        self.response = self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _block(self, route):
        self.external.append(route.request.url)
        route.abort()

    def _request_failed(self, req) -> None:
        # An image request the browser itself cancelled (net::ERR_ABORTED) is not a fault of the book: on a
        # loaded machine Chromium once started, then dropped, the phone drawings of the <picture>s of a
        # 1280 px page (the server saw broken pipes). Whether every shown image loaded is checked on the
        # page itself (broken_images); a missing file is a 404 there, not an abort.
        if self._ignored(req.url) or (req.resource_type == "image" and req.failure == "net::ERR_ABORTED"):
            return
        self.failed.append(f"{req.url} ({req.failure})")

    def _ignored(self, url: str) -> bool:
        return url in self.external or url.endswith("/favicon.ico")

    def _console(self, msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if self._ignored(url) or (msg.text.startswith("Failed to load resource") and url == ""):
            return
        self.errors.append(f"console.{msg.type}: {msg.text} ({url})")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def broken_images(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "img", "els => els.filter(e => !(e.complete && e.naturalWidth > 0)).map(e => e.getAttribute('src'))")
