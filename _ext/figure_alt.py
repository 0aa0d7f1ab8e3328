"""Give notebook figures their real alt text.

myst-nb writes each PNG output under its hash file name and, with no ``alt`` option, the HTML shows
that file name as the image's alt text. Chapter figures carry their alt text (computed from the data
by ``scripts.plots``) in the PNG's ``Description`` text chunk; this extension copies it onto the image
node, so every page that shows the figure (HTML; LaTeX ignores alt) gets it. Images with an explicit
alt are left alone.

A figure with a narrow drawing for phones comes as a ``<picture>`` with both PNGs inline as data URLs
(``scripts.plots.style.picture_html``: a notebook output cannot name a file of the built book). Each page
would then carry every figure twice in base64; here each PNG is written once to ``_images/`` (named
by its content hash) and the page links to it, so a phone downloads only the drawing it shows.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from docutils import nodes

ALT_KEY = "Description"  # as scripts.plots.style.ALT_KEY


def _png_alt(path: Path) -> str:
    try:
        from PIL import Image

        with Image.open(path) as im:
            return str(im.info.get(ALT_KEY, "")).strip()
    except (OSError, ValueError):
        return ""


def add_alt(app, doctree, docname: str) -> None:
    """On ``doctree-resolved``: glued figures are pasted by then; ``uri`` is relative to the source folder."""
    for node in doctree.findall(nodes.image):
        uri = node.get("uri", "")
        if not uri.lower().endswith(".png") or (node.get("alt") and not node["alt"].endswith(".png")):
            continue
        candidates = [Path(uri)] if Path(uri).is_absolute() else [Path(app.srcdir) / uri]
        candidates.append(Path(app.env.relfn2path(uri, docname)[1]))
        for path in candidates:
            if path.is_file():
                alt = _png_alt(path)
                if alt:
                    node["alt"] = alt
                break


_PICTURE = re.compile(r'<picture class="book-figure">.*?</picture>', re.S)
_DATA_URL = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def picture_files(body: str, images: Path, prefix: str) -> str:
    """``body`` with each PNG data URL of a ``<picture class="book-figure">`` written to ``images``
    (``figure-<sha256[:16]>.png``, once) and replaced by ``<prefix><images name>/<file>``."""
    def save(match: re.Match) -> str:
        data = base64.b64decode(match.group(1))
        name = f"figure-{hashlib.sha256(data).hexdigest()[:16]}.png"
        path = images / name
        if not path.is_file():
            images.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return f"{prefix}{images.name}/{name}"

    return _PICTURE.sub(lambda m: _DATA_URL.sub(save, m.group(0)), body)


def _figure_files(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if not body or app.builder.format != "html" or "book-figure" not in body:
        return
    prefix = "../" * pagename.count("/")   # from the page's folder back to the book's root
    context["body"] = picture_files(body, Path(app.outdir) / "_images", prefix)


def setup(app):
    app.connect("doctree-resolved", add_alt)
    app.connect("html-page-context", _figure_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
