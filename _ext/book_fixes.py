"""Small Sphinx fixes for the HTML book (loaded through ``sphinx.local_extensions`` in _config.yml).

* sphinx-thebe 0.3 and sphinx-togglebutton register their inline configuration scripts on events
  that fire more than once per build, so every page declared ``const THEBE_JS_URL`` twice and the
  browser raised "Identifier 'THEBE_JS_URL' has already been declared". Identical script entries
  are dropped here (the first one stays, order is kept).
* pydata-sphinx-theme logs "Got invalid theme mode" on a reader's first visit when the page
  template gets an empty ``default_mode``; it is set to ``auto``, what the theme falls back to.
"""
from __future__ import annotations


def _page_fixes(app, pagename, templatename, context, doctree):
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        attributes = tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items()))
        key = (str(js.filename) if getattr(js, "filename", None) else "", attributes)
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    scripts[:] = kept


def setup(app):
    app.connect("html-page-context", _page_fixes, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
