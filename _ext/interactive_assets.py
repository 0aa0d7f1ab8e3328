"""Embed the JavaScript of the book's interactive tables and figures once per page, inline.

Interactive tables are the book's numbered tables with a class (``scripts.report.glue_table(...,
interactive=True)``), plots are ``scripts.interactive`` outputs without their library. This extension
looks at each HTML page's body and appends, at its end, what it uses (itables' offline DataTables
bundle and the script that enhances the marked tables, BokehJS), each once, inline: the page works from its folder (file:// or any
server) and makes no request to a CDN. Pages without interactive outputs are left unchanged. The
plots' own scripts wait for DOMContentLoaded, which fires after these inline scripts ran.
"""
from __future__ import annotations


def _add_assets(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body or app.builder.format != "html":
        return
    from scripts.interactive import page_assets

    assets = page_assets(body)
    if assets:
        context["body"] = body + "\n" + assets


def setup(app):
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
