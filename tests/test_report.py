"""Tests of scripts/report.py: escaping of untrusted seed text in tables."""
from __future__ import annotations

import pandas as pd
import pytest

from scripts.report import (
    cap_rows,
    column_widths,
    csv_link,
    escape_cell,
    glue_table,
    glue_tables,
    latex_font,
    md_table,
    md_table_block,
    table_block,
    truncation_note,
)


def _table_head(block: str) -> list[str]:
    """The lines of a table block from its ``{table}`` line on (the raw LaTeX font lines come first)."""
    lines = block.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("````{table}")):]


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
    first, name = _table_head(block)[:2]
    assert first == "````{table} Costs in \\$ \\{x\\}"
    assert name == ":name: tbl-x"
    assert "| \\{\\{ 7+7 \\}\\} \\$x^2\\$ |" in block
    with pytest.raises(ValueError):
        md_table_block(pd.DataFrame({"a": [1]}), caption="c", name="bad name}")


def test_truncation_note_states_shown_and_total_only_when_cut():
    assert truncation_note(12, 13, "persons") == "Top 12 of 13 persons; all in the CSV."
    assert truncation_note(12, 12, "persons") == "" and truncation_note(3, None) == ""
    assert truncation_note(10, 1234) == "Top 10 of 1,234 rows; all in the CSV."


def test_table_block_numbers_captions_and_links_the_csv_in_html_only():
    df = pd.DataFrame({"person": ["Lavrov", "Tillerson"], "mentions": [9, 7]})
    block = table_block(df, "Persons mentioned most.", "tbl-mentions", total=13, unit="persons",
                        csv="{download}`mentions.csv <../_build/data/mentions.csv>`")
    lines = _table_head(block)
    assert lines[0] == "````{table} Persons mentioned most. Top 2 of 13 persons; all in the CSV."
    assert lines[1] == ":name: tbl-mentions"
    assert "| Lavrov | 9 |" in block
    only = block[block.index("```{only}"):]
    assert block.index("\\endgroup") < block.index("```{only}")
    assert only.startswith("```{only} html\n") and "{download}`mentions.csv" in only and only.endswith("\n```")
    whole = table_block(df, "Persons", "tbl-m")
    assert _table_head(whole)[0] == "````{table} Persons." and "{only}" not in whole


def test_glue_table_with_a_caption_glues_a_numbered_block(monkeypatch):
    glued = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, obj, display=False: glued.__setitem__(name, obj.data))
    df = pd.DataFrame({"term": ["<b>x</b>"], "n": [3]})
    glue_table("tbl_top_terms", df, caption="Top terms", total=5, unit="terms")
    assert _table_head(glued["tbl_top_terms"])[:2] == ["````{table} Top terms. Top 1 of 5 terms; all in the CSV.", ":name: tbl-top-terms"]
    assert "&lt;b&gt;x&lt;/b&gt;" in glued["tbl_top_terms"]
    glue_table("tbl_plain", df)
    assert glued["tbl_plain"] == md_table(df)
    glue_table("tbl_empty", df.iloc[:0], empty="(no `pair`)")
    assert glued["tbl_empty"] == "(no `pair`)"
    glue_table("tbl_empty_numbered", df.iloc[:0], empty="(no `pair`)", caption="Pairs")
    block = _table_head(glued["tbl_empty_numbered"])
    assert block[:2] == ["````{table} Pairs.", ":name: tbl-empty-numbered"]
    assert "| (no `pair`) |  |" in block


def test_glue_tables_numbers_each_part_with_the_title_in_its_caption(monkeypatch):
    glued = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, obj, display=False: glued.__setitem__(name, obj.data))
    parts = [("English", pd.DataFrame({"term": ["<i>a</i>"], "n": [1]})), ("French", pd.DataFrame({"term": ["b"], "n": [2]})),
             ("", pd.DataFrame({"note": ["nothing to compare"]}))]
    glue_tables("tbl_x", parts, caption="Concepts per episode", label="tbl-x")
    heads = [line for line in glued["tbl_x"].splitlines() if line.startswith("````{table}") or line.startswith(":name:")]
    assert heads == ["````{table} Concepts per episode: English.", ":name: tbl-x-1", "````{table} Concepts per episode: French.",
                     ":name: tbl-x-2", "````{table} Concepts per episode.", ":name: tbl-x-3"]
    assert "&lt;i&gt;a&lt;/i&gt;" in glued["tbl_x"] and "| nothing to compare |" in glued["tbl_x"]


def test_csv_link_points_from_the_page_to_an_existing_file_only(tmp_path):
    data, page = tmp_path / "_build" / "data", tmp_path / "chapters"
    data.mkdir(parents=True)
    page.mkdir()
    (data / "actor_mentions.csv").write_text("a\n1\n", encoding="utf-8")
    assert csv_link(data, "actor_mentions", page) == "{download}`actor_mentions.csv <../_build/data/actor_mentions.csv>`"
    assert csv_link(data, "missing", page) is None


def test_print_widths_give_each_column_its_longest_word_and_wide_tables_a_smaller_font():
    df = pd.DataFrame({"comparison": ["Moscow, April 2017 → Washington, May 2017"], "p (raw / BH)": ["0.017 / 0.102"],
                       "articles": ["1 / 2"], "a|b": ["x"]})
    widths = column_widths(md_table(df))
    assert widths == [24, 8, 8, 3]  # 60% of the longest cell, else the longest word ("articles"), at least 3
    block = md_table_block(df, "Shifts", "tbl-shifts")
    assert ":widths: 24 8 8 3" in block
    assert block.startswith("```{raw} latex\n\\begingroup\\small") and block.endswith("```{raw} latex\n\\endgroup\n```")
    assert latex_font([10] * 6) == "small" and latex_font([10] * 8) == "footnotesize" and latex_font([12] * 9) == "scriptsize"
    assert ":widths:" not in md_table_block(pd.DataFrame({"one": [1]}), "One column", "tbl-one")


def test_no_break_spaces_and_intervals_count_as_one_word_for_print_widths():
    df = pd.DataFrame({"p (raw / BH)": ["0.017\u00a0/\u00a00.102"], "difference": ["+0.04 [-0.11, +0.19]"]})
    assert column_widths(md_table(df)) == [13, 14]


def test_cap_rows_cuts_only_longer_tables_and_says_how_many_there_were():
    df = pd.DataFrame({"x": range(30)})
    shown, total = cap_rows(df, 25)
    assert list(shown["x"]) == list(range(25)) and total == 30
    assert cap_rows(df, 30)[0] is df and cap_rows(df, 30)[1] is None
    assert cap_rows(df, None)[1] is None and cap_rows(df, 0)[1] is None


def test_truncation_note_of_rows_in_their_own_order_says_first():
    assert truncation_note(25, 1000, "articles", ranked=False) == "The first 25 of 1,000 articles; all in the CSV."
    assert truncation_note(25, 25, "articles", ranked=False) == ""


def test_glue_table_with_a_limit_shows_that_many_rows_and_states_the_total(monkeypatch):
    glued = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, obj, display=False: glued.__setitem__(name, obj.data))
    df = pd.DataFrame({"article": [f"a{i}" for i in range(1000)], "words": range(1000)})
    glue_table("tbl_docs", df, caption="The articles", limit=25, ranked=False, unit="articles")
    head = _table_head(glued["tbl_docs"])
    assert head[0] == "````{table} The articles. The first 25 of 1,000 articles; all in the CSV."
    assert "| a24 |" in glued["tbl_docs"] and "| a25 |" not in glued["tbl_docs"]
    glue_table("tbl_few", df.head(3), caption="The articles", limit=25)
    assert _table_head(glued["tbl_few"])[0] == "````{table} The articles." and "| a2 |" in glued["tbl_few"]
