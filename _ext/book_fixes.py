r"""Small Sphinx fixes for the HTML book (loaded through ``sphinx.local_extensions`` in _config.yml).

* sphinx-thebe 0.3 and sphinx-togglebutton register their inline configuration scripts on events
  that fire more than once per build, so every page declared ``const THEBE_JS_URL`` twice and the
  browser raised "Identifier 'THEBE_JS_URL' has already been declared". Identical script entries
  are dropped here (the first one stays, order is kept).
* pydata-sphinx-theme logs "Got invalid theme mode" on a reader's first visit when the page
  template gets an empty ``default_mode``; it is set to ``auto``, what the theme falls back to.
* PDF numbering follows the HTML (issue 13). The HTML numbers only the chapters of the numbered
  part (``_toc.yml``): Corpus is chapter 1 and its figures "Fig. 1.1"; pages outside it (intro,
  findings, methods, data, references) share one plain sequence ("Fig. 2", "Table 10"). LaTeX
  numbered every ``\chapter``, so Findings became chapter 1 and every later number was off by one.
  Each page of the LaTeX document now starts with ``\jbUnnumbered`` or ``\jbNumbered`` (macros
  added to the preamble): unnumbered pages get no chapter number and continue the plain figure
  and table sequence, numbered pages restore the chapter count. LaTeX's longtable also took a
  number for tables without a caption (unnumbered in the HTML); ``_print_tables`` gives it back.
* Print layout of tables not built by ``scripts.report.md_table_block`` (see ``_print_tables``).
"""
from __future__ import annotations

from docutils import nodes

#: LaTeX macros switching between the HTML's numbered part and its unnumbered pages (see above)
NUMBERING_PREAMBLE = r"""
\makeatletter
\newcounter{jbUnFig}\newcounter{jbUnTab}\newcounter{jbChap}\newcounter{jbDepth}\newif\ifjbUn
\newcommand{\jbUnnumbered}{\ifjbUn\else
  \setcounter{jbChap}{\value{chapter}}\setcounter{jbDepth}{\value{secnumdepth}}\setcounter{chapter}{0}%
  \setcounter{figure}{\value{jbUnFig}}\setcounter{table}{\value{jbUnTab}}\setcounter{secnumdepth}{-1}\jbUntrue\fi}
\newcommand{\jbNumbered}{\ifjbUn
  \setcounter{jbUnFig}{\value{figure}}\setcounter{jbUnTab}{\value{table}}\setcounter{chapter}{\value{jbChap}}%
  \setcounter{secnumdepth}{\value{jbDepth}}\jbUnfalse\fi}
\makeatother
"""


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


def _add_preamble(app, config):
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + NUMBERING_PREAMBLE
    config.latex_elements = elements


def _numbering_like_html(app, doctree, docname):
    r"""Put ``\jbNumbered``/``\jbUnnumbered`` at the start of each page of the assembled LaTeX tree,
    from the HTML's own section numbers (``env.toc_secnumbers``: only numbered pages have them)."""
    if app.builder.name != "latex" or docname != app.config.root_doc:
        return

    def switch(name: str) -> nodes.raw:
        numbered = bool(app.env.toc_secnumbers.get(name))
        return nodes.raw("", "\\jbNumbered\n" if numbered else "\\jbUnnumbered\n", format="latex")

    doctree.insert(0, switch(docname))
    for node in list(doctree.findall(lambda n: n.tagname == "start_of_file")):
        node.insert(0, switch(node["docname"]))


#: a table with more rows than this may break across pages in print (longtable)
LONG_TABLE_ROWS = 12


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _print_cells(table: nodes.table) -> None:
    r"""Cells set ragged right, with a line break allowed after each ``|``. Justified narrow cells
    opened wide gaps between words ("Moscow,    April 2017") and hyphenated names ("Min-ister"); the
    terms chapter's concept patterns are regular expressions with long runs and no space, such as
    ``(?:the|our|this|last|next|…)``, which ran past the printed table's right margin."""
    for entry in table.findall(nodes.entry):
        first = next(iter(entry.findall(nodes.paragraph)), None)
        if first is not None:
            first.insert(0, nodes.raw("", "\\raggedright\\arraybackslash{}", format="latex"))
    for text in list(table.findall(nodes.Text)):
        if "|" not in text or isinstance(text.parent, (nodes.literal_block, nodes.raw)):
            continue
        parts = str(text).split("|")
        pieces: list[nodes.Node] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part or not last:
                pieces.append(nodes.Text(part if last else part + "|"))
            if not last:
                pieces.append(nodes.raw("", "\\allowbreak{}", format="latex"))
        text.parent.replace(text, pieces)


def _print_tables(app, doctree, docname):
    """Print layout for the tables that do not come through ``scripts.report.md_table_block``
    (e.g. several titled tables in one block): column widths from their content, a smaller font
    when wide, and ``longtable`` when long. Without this, tabulary set one column a syllable per
    line and a 40-row table ran off the bottom of the page (tabulary cannot break across pages)."""
    if app.builder.name != "latex":
        return
    from scripts.report import latex_font, widths_from_cells

    for table in list(doctree.findall(nodes.table)):
        _print_cells(table)
        tgroup = next(iter(table.findall(nodes.tgroup)), None)
        if tgroup is None:
            continue
        rows = list(tgroup.findall(nodes.row))
        boxed = any(isinstance(a, (nodes.Admonition, nodes.table, nodes.figure, nodes.sidebar, nodes.topic))
                    for a in _ancestors(table))  # longtable cannot sit in a box
        if len(rows) > LONG_TABLE_ROWS and not boxed and "longtable" not in table["classes"]:
            table["classes"].append("longtable")
        body_rows = sum(len(list(b.findall(nodes.row))) for b in tgroup.findall(nodes.tbody))
        captioned = any(isinstance(c, nodes.title) for c in table.children)
        if not captioned and ("longtable" in table["classes"] or body_rows > 30):
            # longtable steps the table counter even without a caption: give the number back
            table.parent.insert(table.parent.index(table) + 1, nodes.raw("", "\\addtocounter{table}{-1}\n", format="latex"))
        if "colwidths-given" in table["classes"]:
            continue  # md_table_block gave widths and a font size
        colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
        cells = [[e.astext() for e in row.children if isinstance(e, nodes.entry)] for row in rows]
        if len(colspecs) < 2 or any(len(r) != len(colspecs) for r in cells):
            continue  # merged cells: leave the table to Sphinx
        widths = widths_from_cells(cells)
        for spec, width in zip(colspecs, widths):
            spec["colwidth"] = width
        table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"] + ["colwidths-given"]
        parent, index = table.parent, table.parent.index(table)
        parent.insert(index + 1, nodes.raw("", "\\endgroup\n", format="latex"))
        parent.insert(index, nodes.raw("", f"\\begingroup\\{latex_font(widths)}\\setlength{{\\tabcolsep}}{{4pt}}\n",
                                       format="latex"))


def setup(app):
    app.connect("html-page-context", _page_fixes, priority=900)
    app.connect("config-inited", _add_preamble)
    app.connect("doctree-resolved", _numbering_like_html)
    app.connect("doctree-resolved", _print_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
