"""Collapsed boxes: printed open, and opened by a link to what they hold (loaded through
``sphinx.local_extensions`` in _config.yml).

The chapters put checks, method details, parameters and column dictionaries in admonitions with
the class ``dropdown`` (issue 13): collapsed in the HTML, one click away. On paper there is
nothing to click, and LaTeX typesets an admonition as a framed box that cannot hold a
``longtable``: a 30-row column dictionary ran off the bottom of the page. For the LaTeX builder
each dropdown admonition is replaced by its title (a rubric: a small unnumbered heading) and its
content, so every table in it breaks across pages like any other table of the book. Runs before
``book_fixes._print_tables`` (priority 400 < 500), which chooses longtable for tables not in a box.

In the HTML, ``_static/open_dropdowns.js`` opens the box that holds the target of a link (the
text cites tables that sit in boxes: "See Table 4.3" must show the table, not a closed box).
"""
from __future__ import annotations

from docutils import nodes


def unfold_dropdowns(doctree: nodes.Node) -> int:
    """Replace every admonition of class ``dropdown`` in ``doctree`` by a rubric (its title) and its
    children; return how many were unfolded. The admonition's ids move to the rubric (links hold)."""
    boxes = [n for n in doctree.findall(nodes.Admonition) if "dropdown" in n.get("classes", [])]
    for box in boxes:
        title = next((c for c in box.children if isinstance(c, nodes.title)), None)
        replacement: list[nodes.Node] = []
        if title is not None:
            box.remove(title)
            replacement.append(nodes.rubric("", "", *title.children, ids=list(box.get("ids", []))))
        replacement.extend(box.children)
        box.replace_self(replacement or [nodes.paragraph()])
    return len(boxes)


def _unfold_for_print(app, doctree, docname):
    if app.builder.format == "latex":
        unfold_dropdowns(doctree)


def setup(app):
    app.connect("doctree-resolved", _unfold_for_print, priority=400)
    app.add_js_file("open_dropdowns.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
