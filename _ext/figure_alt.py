"""Give notebook figures their real alt text.

myst-nb writes each PNG output under its hash file name and, with no ``alt`` option, the HTML shows
that file name as the image's alt text. Chapter figures carry their alt text (computed from the data
by ``scripts.plots``) in the PNG's ``Description`` text chunk; this extension copies it onto the image
node, so every page that shows the figure (HTML; LaTeX ignores alt) gets it. Images with an explicit
alt are left alone.
"""
from __future__ import annotations

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


def setup(app):
    app.connect("doctree-resolved", add_alt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
