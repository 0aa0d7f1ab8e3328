"""Tests of scripts/report.py: plurals for glued sentences, escaping of untrusted seed text in tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scripts.report import escape_cell, join_words, md_table, md_table_block, plural


@pytest.mark.parametrize("n, expected", [(0, "0 articles"), (1, "1 article"), (2, "2 articles"),
                                          (1234, "1,234 articles"), (np.int64(1), "1 article"),
                                          (np.int64(3), "3 articles")])
def test_plural_regular(n, expected):
    assert plural(n, "article") == expected


def test_plural_irregular_form():
    assert plural(1, "analysis", "analyses") == "1 analysis"
    assert plural(2, "analysis", "analyses") == "2 analyses"
    assert plural(0, "episode") == "0 episodes"


def test_join_words():
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"], "or") == "a, b or c"


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


# --------------------------------------------------------------------------- figure helpers (scripts/plots)
def _episodes(n: int) -> pd.DataFrame:
    return pd.DataFrame({"episode": [f"e{i}" for i in range(n)], "order": list(range(n))[::-1]})


@pytest.mark.parametrize("n", [1, 7, 12, 20])
def test_episode_colors_distinct_without_yellow(n):
    from scripts.plots import episode_colors

    colors = episode_colors(_episodes(n))
    assert len(colors) == n and len(set(colors.values())) == n
    assert "#F0E442" not in colors.values()  # yellow is illegible as text on white
    assert episode_colors(_episodes(n)) == colors  # deterministic


def test_episode_colors_follow_date_order_and_palette():
    from scripts.plots import EPISODE_PALETTE, episode_colors

    colors = episode_colors(_episodes(3))  # order is reversed: e2 is the earliest
    assert colors == {"e2": "#0072B2", "e1": "#E69F00", "e0": "#009E73"}
    ordered = [episode_colors(_episodes(12))[f"e{i}"] for i in range(11, -1, -1)]
    assert ordered == EPISODE_PALETTE[:12]


def test_safe_text_escapes_dollars_and_renders_literally():
    import matplotlib.pyplot as plt

    from scripts.plots import safe_text

    assert safe_text("costs $5 and $10") == r"costs \$5 and \$10"
    assert safe_text(None) == "" and safe_text(float("nan")) == ""
    assert safe_text("plain") == "plain"
    fig, ax = plt.subplots()
    ax.set_title(safe_text("$\\frac{$"))  # malformed mathtext would raise when drawn
    fig.canvas.draw()
    assert ax.get_title() == "\\$\\frac{\\$"
    plt.close(fig)


def test_corpus_timeline_label_starts_right_of_its_marker():
    import matplotlib.pyplot as plt

    from scripts.plots import corpus_timeline

    episodes = pd.DataFrame({"episode": ["a", "b"], "label": ["A $x$", "B"], "order": [0, 1],
                             "date": pd.to_datetime(["2017-04-12", "2019-05-14"])})
    docs = pd.DataFrame({"doc_id": ["big", "small"], "episode": ["a", "b"], "language": ["fr", "en"],
                         "date": pd.to_datetime(["2017-04-12", "2019-05-14"]), "tokens_clean": [5000, 100]})
    fig = corpus_timeline(episodes, docs)
    fig.canvas.draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    for coll, text in zip(ax.collections, ax.texts):
        marker = coll.get_window_extent(renderer)
        label = text.get_window_extent(renderer)
        assert label.x0 >= marker.x1, (text.get_text(), marker, label)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A \\$x\\$", "B"]
    plt.close(fig)


def test_flow_chart_text_is_at_least_8_pt():
    import matplotlib.pyplot as plt

    from scripts.plots import flow_chart

    fig = flow_chart([("A", "first stage with a long detail")], [("B", "x"), ("C", "y")], [("D", "out")])
    sizes = [t.get_fontsize() for t in fig.axes[0].texts]
    assert len(sizes) == 8 and min(sizes) >= 8
    plt.close(fig)
