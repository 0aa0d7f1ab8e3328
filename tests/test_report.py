"""Tests of scripts/report.py: escaping of untrusted seed text in tables."""
from __future__ import annotations

import pandas as pd
import pytest

from scripts.report import escape_cell, md_table, md_table_block


def test_md_table_escapes_html_and_table_syntax():
    table = md_table(pd.DataFrame({"text": ['<script>alert("x")</script>', "a | b", "*b* _i_ `c` [l](x)"]}))
    rows = table.splitlines()[2:]
    assert rows[0] == '| &lt;script&gt;alert("x")&lt;/script&gt; |'
    assert rows[1] == "| a \\| b |"
    assert rows[2] == "| \\*b\\* \\_i\\_ \\`c\\` \\[l\\](x) |"


def test_md_table_formats_numbers_and_empty_frame():
    table = md_table(pd.DataFrame({"n": [1234], "x": [0.5]}))
    assert table.splitlines()[1] == "| ---: | ---: |"
    assert table.splitlines()[2] == "| 1,234 | 0.50 |"
    empty = md_table(pd.DataFrame({"a": [], "b": []}))
    assert empty.splitlines()[-1] == "| (none) |  |"


@pytest.mark.parametrize("text", ["{{ 7+7 }}", "$x^2$", "{sub-ref}`today`", "{math}`x`"])
def test_escape_cell_neutralises_substitution_roles_and_math(text):
    out = escape_cell(text)
    for ch in "{}$":
        # every brace and dollar sign is backslash-escaped, so MyST reads it as a literal character
        assert out.count(ch) == out.count("\\" + ch) == text.count(ch)


def test_escape_cell_examples():
    assert escape_cell("{{ 7+7 }}") == "\\{\\{ 7+7 \\}\\}"
    assert escape_cell("$x^2$ costs $5") == "\\$x^2\\$ costs \\$5"
    assert escape_cell(None) == "" and escape_cell(float("nan")) == ""
    assert escape_cell("a\nb") == "a b"


def test_md_table_block_escapes_caption_and_cells_and_checks_label():
    block = md_table_block(pd.DataFrame({"example": ["{{ 7+7 }} $x^2$"]}), caption="Costs in $ {x}", name="tbl-x")
    first, name = block.splitlines()[:2]
    assert first == "````{table} Costs in \\$ \\{x\\}"
    assert name == ":name: tbl-x"
    assert "| \\{\\{ 7+7 \\}\\} \\$x^2\\$ |" in block
    with pytest.raises(ValueError):
        md_table_block(pd.DataFrame({"a": [1]}), caption="c", name="bad name}")
