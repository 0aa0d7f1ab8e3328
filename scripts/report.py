"""Helpers that turn tables into safe, PDF-friendly output for the book.

Seed text is untrusted: a scraped article may hold ``<script>`` or ``<img onerror=…>``. Markdown
tables pass raw HTML through to the page, so every cell is escaped here before it reaches MyST.
"""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

#: class of a table the HTML book makes sortable and searchable (``_ext/interactive_assets.py``)
INTERACTIVE_CLASS = "interactive-table"


def escape_cell(value) -> str:
    """Escape HTML and Markdown table syntax in one cell so seed text shows as text, never as markup.

    ``{``, ``}`` and ``$`` are escaped too: in a ``{glue:md}`` block with ``:format: myst`` the
    substitution extension would evaluate ``{{ 7+7 }}`` and dollarmath would typeset ``$x^2$``.
    A backslash before ASCII punctuation is a CommonMark escape, so gfm and myst both show the
    character itself.
    """
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = html.escape(text, quote=False)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "{", "}", "$"):
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def md_table(df: pd.DataFrame, floatfmt: str = ".2f", index: bool = False, raw: tuple[str, ...] = ()) -> str:
    """GitHub-flavoured Markdown table with escaped cells (renders as a real table in HTML and PDF).

    Columns named in ``raw`` are pasted unescaped: only for markup the code built itself (e.g. a
    ``{download}`` role around a file name it checked), never for seed text.
    """
    frame = df.reset_index() if index else df
    header = [escape_cell(c) for c in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(_align(frame[c]) for c in frame.columns) + "|"]
    keep = [c in raw for c in frame.columns]
    if frame.empty:  # a header-only table crashes Sphinx's LaTeX writer (no tbody): say "none" in a row
        return "\n".join(lines + ["| " + " | ".join(["(none)"] + [""] * (len(frame.columns) - 1)) + " |"])
    for row in frame.itertuples(index=False):
        cells = [format(v, floatfmt) if isinstance(v, float) else
                 format(v, ",") if isinstance(v, int) and not isinstance(v, bool) else v for v in row]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") if k else escape_cell(c) for c, k in zip(cells, keep)) + " |")
    return "\n".join(lines)


def md_table_block(df: pd.DataFrame, caption: str, name: str, floatfmt: str = ".2f", raw: tuple[str, ...] = (),
                   interactive: bool = False) -> str:
    """A numbered MyST ``{table}`` (caption, ``:name:`` label for ``{numref}``) around :func:`md_table`.

    Glue it wrapped in ``IPython.display.Markdown`` and show it with ``{glue:md}`` and
    ``:format: myst``. The caption is escaped like a cell; ``name`` must be a plain label.
    For print, the table gets column widths from its content (:func:`column_widths`) and a smaller
    font when it is wide (:func:`latex_font`), in ``{raw} latex`` lines the HTML ignores.
    ``interactive``: the table gets the class :data:`INTERACTIVE_CLASS`; in the HTML book DataTables
    then sorts and searches the rendered (escaped) table in the browser; the PDF ignores the class.
    """
    import re

    if not re.fullmatch(r"[A-Za-z0-9][\w\-]*", name):
        raise ValueError(f"{name!r}: a table label may hold only letters, digits, '_' and '-'")
    fence = "````"
    body = md_table(df, floatfmt=floatfmt, raw=raw)
    widths = column_widths(body)
    options = (f":name: {name}\n" + (f":widths: {' '.join(map(str, widths))}\n" if len(widths) > 1 else "")
               + (f":class: {INTERACTIVE_CLASS}\n" if interactive else ""))
    size = latex_font(widths)
    start, end = (f"```{{raw}} latex\n\\begingroup\\{size}\\setlength{{\\tabcolsep}}{{4pt}}\n```\n\n",
                  "\n\n```{raw} latex\n\\endgroup\n```")
    return f"{start}{fence}{{table}} {escape_cell(caption)}\n{options}\n{body}\n{fence}{end}"


def _cells(markdown_table: str) -> list[list[str]]:
    """The cells of a table made by :func:`md_table` (header first, separator dropped), as printed."""
    import re

    rows = [re.split(r"(?<!\\)\|", line.strip())[1:-1] for line in markdown_table.splitlines()]
    rows = [rows[0]] + rows[2:]
    return [[re.sub(r"\\(.)", r"\1", c).strip() for c in row] for row in rows]


def column_widths(markdown_table: str, cap: int = 40) -> list[int]:
    """Relative column widths for print: each column gets at least its longest word (header
    included, so no header breaks inside a word or gets clipped) and about 60 % of its longest cell
    (capped at ``cap`` characters), so long text columns wrap and short number columns stay narrow.

    Why: without widths the LaTeX writer's tabulary gave one column a syllable per line and let
    "0.017 / 0.102" run under its neighbour's shaded cell, which hid it."""
    return widths_from_cells(_cells(markdown_table), cap)


def widths_from_cells(rows: list[list[str]], cap: int = 40) -> list[int]:
    """:func:`column_widths` of a table given as rows of cell texts, header row first (also used by
    ``_ext/book_fixes.py`` for the tables that do not come through :func:`md_table_block`)."""
    widths = []
    for j in range(len(rows[0]) if rows else 0):
        col = [r[j] for r in rows if j < len(r)]
        longest_word = max((len(w) for c in col for w in _words(c)), default=1)
        longest_cell = max((len(c) for c in col[1:]), default=0)
        # a word longer than ``cap`` (a regular expression) cannot wrap anyway: counted whole it would
        # squeeze every other column into a syllable a line ("Interfer-ence")
        widths.append(max(min(longest_word, cap), round(0.6 * min(longest_cell, cap)), 3))
    return widths


def _words(cell: str) -> list[str]:
    """What LaTeX cannot break: runs without an ASCII space (a no-break space joins, as in
    "0.017\u00a0/\u00a00.102"), and a bracketed interval "[-0.11, +0.19]" counted whole so it is not
    split after its minus sign."""
    import re

    return re.findall(r"\[[^\]]{0,24}\]|[^ \t\n]+", cell)


def latex_font(widths: list[int]) -> str:
    """``small`` for tables that fit a line of text at that size, ``footnotesize`` for wider ones,
    ``scriptsize`` for the widest (sum of :func:`column_widths` plus cell padding, in characters)."""
    need = sum(widths) + 2 * len(widths)
    return "small" if need <= 80 else "footnotesize" if need <= 100 else "scriptsize"


def _align(col: pd.Series) -> str:
    return " ---: " if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col) else " :--- "


def write_table(df: pd.DataFrame, data_dir: str | Path, name: str) -> Path:
    """Write ``<data_dir>/<name>.csv`` (UTF-8, no index) for readers to download and later chapters to join."""
    out = Path(data_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def truncation_note(shown: int, total: int | None, unit: str = "rows", ranked: bool = True) -> str:
    """"Top 12 of 13 persons; all in the CSV." when a table shows fewer rows than exist, else "".
    ``ranked`` False (rows in their own order, e.g. articles by date): "The first 25 of 1,000 …".

    Why: a table under "13 persons" that lists 12 reads as an error unless it says it is cut.
    The numbers come from the frames, the words from ``templates/tables.yml``.
    """
    if total is None or total <= shown:
        return ""
    from .narrative.render import Facts

    return Facts("tables", "truncated", "top" if ranked else "first",
                 {"shown": int(shown), "total": int(total), "unit": unit}).text


def cap_rows(df: pd.DataFrame, limit: int | None) -> tuple[pd.DataFrame, int | None]:
    """(the first ``limit`` rows of ``df``, the number of rows it had when cut, else None): what a
    reader table shows at scale (1,000 articles) while its CSV keeps every row. ``limit`` None or
    below 1: no cap."""
    if limit is None or limit < 1 or len(df) <= limit:
        return df, None
    return df.head(limit), len(df)


def table_label(name: str) -> str:
    """The ``{numref}`` label of the table glued as ``name`` on a page: ``tbl_top_terms`` -> ``tbl-top-terms``.

    Labels are global in Sphinx: pages that reuse a glue name pass ``label=`` with a page prefix."""
    return name.replace("_", "-")


def table_block(df: pd.DataFrame, caption: str, label: str, floatfmt: str = ".2f", total: int | None = None,
                unit: str = "rows", csv: str | None = None, raw: tuple[str, ...] = (), interactive: bool = False,
                ranked: bool = True) -> str:
    """A numbered, captioned table (MyST ``{table}``, same number in HTML and PDF) with its truncation
    stated in the caption and, for the HTML only, a download link to the full CSV.

    ``csv``: a ``{download}`` role built by the code (e.g. ``provenance.download_role``), pasted as is
    inside an ``{only} html`` block: a link is no use on paper. ``interactive``: see :func:`md_table_block`.
    """
    note = truncation_note(len(df), total, unit, ranked)
    block = md_table_block(df, caption=f"{caption.rstrip('.')}. {note}".strip(), name=label, floatfmt=floatfmt, raw=raw,
                           interactive=interactive)
    if csv:
        block += f"\n\n```{{only}} html\nThe data behind this table: {csv}.\n```"
    return block


def csv_link(data_dir: str | Path, name: str, page_dir: str | Path | None = None) -> str | None:
    """A ``{download}`` role for ``<data_dir>/<name>.csv`` from the page's folder (the notebook's
    working directory by default), or None when the file does not exist (no dead link)."""
    from .provenance import download_role

    path = Path(data_dir) / f"{name}.csv"
    return download_role(path.resolve(), Path(page_dir or Path.cwd()).resolve()) if path.is_file() else None


def glue_table(name: str, df: pd.DataFrame, floatfmt: str = ".2f", empty: str | None = None, *,
               caption: str | None = None, label: str | None = None, total: int | None = None,
               unit: str = "rows", csv: str | None = None, raw: tuple[str, ...] = (), interactive: bool = False,
               limit: int | None = None, ranked: bool = True) -> None:
    """Glue ``df`` as an escaped Markdown table for a ``{glue:md}`` block.

    Without ``caption``: a bare table for ``:format: gfm``. With ``caption``: a numbered
    ``{table}`` (label ``label`` or :func:`table_label` of ``name``) for ``:format: myst``, cited as
    ``{numref}`tbl-…```; ``total`` (rows before the table was cut) adds "Top n of N …; all in the
    CSV." and ``csv`` an HTML-only download link (see :func:`table_block`); ``raw`` columns are
    pasted unescaped (only markup the code built itself from escaped text, see :func:`md_table`).
    myst-nb only pastes ``text/markdown`` outputs with ``{glue:md}``, so the string is wrapped in
    IPython's ``Markdown``. Returns None so a notebook cell ending with it shows nothing.
    ``empty``: Markdown glued instead when ``df`` has no rows (a note written by the code, pasted
    as is: never seed text); None keeps the table with a "(none)" row. A captioned table stays a
    numbered table when empty (the text cites its number), with the note in its first row.
    ``interactive`` (captioned tables with rows): sortable and searchable in the HTML book, the same
    numbered table everywhere else (see :func:`md_table_block`).
    ``limit`` (captioned tables): show at most this many rows (:func:`cap_rows`), the caption saying
    how many there are (``ranked``: "Top n of N", else "The first n of N"; ``unit`` names the rows).
    Why: at 1,000 articles a table of articles was 1,000 rows on the page (and most of Sphinx's time).
    """
    from IPython.display import Markdown
    from myst_nb import glue

    if caption is not None:
        df, cut = cap_rows(df, limit)
        total = cut if cut is not None and total is None else total
    if caption is not None and df.empty:  # keep the numbered table (the text cites it): the note in its first row
        columns = list(df.columns) or [""]
        note = pd.DataFrame([[empty if empty is not None else "(none)"] + [""] * (len(columns) - 1)], columns=columns)
        text = table_block(note, caption, label or table_label(name), raw=(columns[0],))
    elif empty is not None and df.empty:
        text = empty
    elif caption is not None:
        text = table_block(df, caption, label or table_label(name), floatfmt=floatfmt, total=total, unit=unit, csv=csv, raw=raw,
                           interactive=interactive, ranked=ranked)
    else:
        text = md_table(df, floatfmt=floatfmt, raw=raw)
    glue(name, Markdown(text), display=False)


def glue_tables(name: str, parts: list[tuple[str, pd.DataFrame]], caption: str, label: str, floatfmt: str = ".2f",
                totals: list[int | None] | None = None, unit: str = "rows") -> None:
    """Glue several numbered tables as one ``{glue:md}`` block (``:format: myst``): one per
    (title, DataFrame) of ``parts`` (e.g. one per language), captioned "<caption>: <title>" and
    labelled ``<label>-1``, ``<label>-2`` … in order, so the text can cite the first whatever the
    corpus (``{numref}`<label>-1```). Why: one table per language or episode stays narrow enough
    for print, and each still gets a number and a caption like every other table of the book.
    ``totals``: the rows each part was cut from (its caption then says "Top 5 of 161 <unit>; all in the
    CSV.", :func:`truncation_note`), in the order of ``parts``."""
    from IPython.display import Markdown
    from myst_nb import glue

    totals = list(totals) if totals is not None else [None] * len(parts)
    if len(totals) != len(parts):
        raise ValueError(f"{name}: {len(totals)} totals for {len(parts)} tables")
    blocks = [table_block(df, f"{caption}: {title}" if title else caption, f"{label}-{i}", floatfmt=floatfmt, total=total, unit=unit)
              for i, ((title, df), total) in enumerate(zip(parts, totals), 1)]
    glue(name, Markdown("\n\n".join(blocks)), display=False)
