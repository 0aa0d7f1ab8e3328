"""Small helpers shared by every narrative module and the templates (as Jinja2 filters).

Formatting only: nothing here computes a statistic.
"""
from __future__ import annotations

import math
import numbers

import pandas as pd

LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
                  "ru": "Russian", "pt": "Portuguese", "nl": "Dutch"}
NBSP = "\u00a0"  # keeps "[0.45, 3.55]" on one line in narrow table columns


def plural(n: int | float, word: str, plural_form: str | None = None) -> str:
    """'1 article', '2 articles', '1,234 tokens'; ``plural_form`` for irregular nouns ('analyses')."""
    form = word if n == 1 else (plural_form if plural_form is not None else word + "s")
    count = format(int(n), ",") if isinstance(n, numbers.Integral) and not isinstance(n, bool) else str(n)
    return f"{count} {form}"


def join_words(items, conj: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def capped_list(items, limit: int = 6) -> str:
    """'001, 002, 003 and 997 more' (at most ``limit`` items named): a table cell listing the
    articles of an episode grew to hundreds of lines at 1,000 articles; the CSV keeps the table."""
    from .render import Facts

    items = [str(i) for i in items]
    if len(items) <= limit:
        return Facts("tables", "list", "all", {"items": ", ".join(items)}).text
    return Facts("tables", "list", "cut", {"items": ", ".join(items[:limit]), "rest": len(items) - limit}).text


def num(x: float, spec: str = ".2f") -> str:
    """A number with a format spec; '–' for NaN/None. Negative numbers get a true minus sign."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return format(x, spec).replace("-", "−")


def signed(x: float, digits: int = 2) -> str:
    """'+0.31', '−0.04' (true minus sign)."""
    return num(x, f"+.{digits}f")


def pct(x: float, digits: int = 0) -> str:
    """0.053 -> '5%'; NaN -> '–'. A share that is not zero never reads '0%' (0.0004 -> '<1%', with
    ``digits=1`` '<0.1%'), nor a share short of the whole '100%' (0.998 -> '>99%'): at 1,000 articles
    one article's share is small but there."""
    if x is None or pd.isna(x):
        return "–"
    text = f"{x:.{digits}%}"
    step = f"{10 ** -digits:.{digits}f}"            # '1', '0.1': the smallest share the format can show
    if 0 < x and float(text[:-1]) == 0:
        return f"<{step}%"
    if x < 1 and float(text[:-1]) == 100:
        return f">{100 - float(step):.{digits}f}%"
    return text


def pct_range(lo: float, hi: float) -> str:
    """'5%' when both round alike, else '5% to 40%'."""
    return pct(lo) if pct(lo) == pct(hi) else f"{pct(lo)} to {pct(hi)}"


def interval(bounds, digits: int = 2, sign: bool = True, sep: str = " ") -> str:
    """'[+0.03, +0.57]' from (low, high); '–' when a bound is missing."""
    low, high = bounds
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (low, high)):
        return "–"
    fmt = signed if sign else (lambda v, d=digits: num(v, f".{d}f"))
    return f"[{fmt(low, digits)},{sep}{fmt(high, digits)}]"


def times(ratio: float) -> str:
    """A ratio as a reader says it: '12' at 10 or more, else '3.4'."""
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}"


def language_name(code: str) -> str:
    """'fr' -> 'French'; unknown codes are returned as they are."""
    return LANGUAGE_NAMES.get(code, code)


def first_only(values) -> list[str]:
    """Blank a value that repeats the one above, so a long table reads as groups of rows."""
    values = list(values)
    return [v if i == 0 or v != values[i - 1] else "" for i, v in enumerate(values)]


# --------------------------------------------------------------------------- terms chapter
def titled_tables(parts) -> str:
    """Several tables as one Markdown text for one ``{glue:md}`` block: each (title, DataFrame) as a
    bold title line (omitted when "") and its escaped table (``report.md_table``). Why: one table
    per episode or language stays short and narrow enough to wrap in the PDF."""
    from ..report import escape_cell, md_table

    return "\n\n".join((f"**{escape_cell(title)}**\n\n" if title else "") + md_table(df) for title, df in parts)
