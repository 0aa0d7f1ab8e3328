"""Serve the JavaScript of the book's interactive tables and figures as files of the book, once.

Interactive tables are the book's numbered tables with a class (``scripts.report.glue_table(...,
interactive=True)``), plots are ``scripts.interactive`` outputs without their library. When an HTML
builder starts, the library files (BokehJS, itables' offline DataTables bundle and its CSS, copied
from the installed packages: :func:`scripts.interactive.asset_files`) are written into the book's
``_static/`` folder; this extension then looks at each HTML page's body and appends, at its end,
references to what it uses (relative to the page) and the few lines that start them. The book works
from its folder (file:// or any server) and makes no request to a CDN; the browser loads each library
once for the whole book. Pages without interactive outputs are left unchanged. The plots' own scripts
wait for DOMContentLoaded, which fires after these (parser-blocking) scripts ran.

Why not inline (as before): the terms, tone and actors pages each carried the same 2.3 MB.
"""
from __future__ import annotations

from pathlib import Path


def _write_files(app):
    if app.builder.format != "html":
        return
    from scripts.interactive import STATIC, write_assets

    write_assets(Path(app.outdir) / STATIC)


def _add_assets(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body or app.builder.format != "html":
        return
    from scripts.interactive import STATIC, page_assets

    assets = page_assets(body, context["pathto"](STATIC, 1))
    if assets:
        context["body"] = body + "\n" + assets


def setup(app):
    app.connect("builder-inited", _write_files)
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
