"""scripts.interactive: one display object per table/figure, HTML for the web book, Markdown/PNG for
the PDF; seed text escaped; no library and no CDN address in an output (the page gets them inline)."""
from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest

from scripts import interactive as I
from scripts import report

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "</script><script>alert(3)</script>"]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def _episodes(labels=("Moscow, April 2017", "Helsinki, July 2018")):
    return pd.DataFrame({"episode": ["a", "b"], "label": list(labels), "order": [0, 1],
                         "date": pd.to_datetime(["2017-04-12", "2018-07-16"])})


def _ep_lang():
    rows = []
    for m, base in (("vader_compound", 0.1), ("cooperation_index", -0.2)):
        for e, lang, shift in (("a", "en", 0.0), ("a", "fr", 0.05), ("b", "fr", -0.1)):
            est = base + shift
            rows.append({"measure": m, "episode": e, "language": lang, "estimate": est, "ci_low": est - 0.1,
                         "ci_high": est + 0.1, "n": 20, "n_articles": 2})
    return pd.DataFrame(rows)


def _conc():
    return pd.DataFrame({"episode": ["a", "a", "b", "b"], "language": ["fr"] * 4, "concept": ["syria", "trade"] * 2,
                         "label": ["Syria", "Trade"] * 2, "count": [9, 1, 2, 5], "n_tokens": [1000] * 4,
                         "per_1k": [9.0, 1.0, 2.0, 5.0], "n_articles": [1] * 4})


def test_table_bundle_escapes_cells_and_headers_and_gives_the_pdf_the_markdown_table():
    df = pd.DataFrame({"text": HOSTILE, "<b>score</b>": [0.125, -2.5, 10.0]})
    b = I.table_bundle(df, "tbl-x", floatfmt="+.2f")
    data, _ = b._repr_mimebundle_()
    html = data["text/html"]
    for bad in ("<script>alert", "<img src=x", "<b>score"):
        assert bad not in html, bad
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert data["text/markdown"] == report.md_table(df, floatfmt="+.2f")
    assert f'class="{I.TABLE_CLASS}"' in html and 'id="tbl-x"' in html
    assert "+0.12" in html and "-2.50" in html  # shown with the table's format, sorted by value
    assert not EXTERNAL.search(html) and "unpkg" not in html


def test_table_has_search_always_and_pager_only_when_long():
    short = I.table_html(pd.DataFrame({"x": range(3)}), "t1", page_length=10)
    long = I.table_html(pd.DataFrame({"x": range(30)}), "t2", page_length=10)
    assert '"topStart": "search"' in short and '"paging"' not in short
    assert '"bottomEnd": "paging"' in long


def test_table_id_must_be_plain():
    with pytest.raises(ValueError):
        I.table_html(pd.DataFrame({"x": [1]}), 'x" onmouseover="alert(1)')


def test_glue_table_publishes_html_and_markdown(monkeypatch):
    import myst_nb

    got = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, obj, display=True: got.update({name: obj}))
    I.glue_table("tbl_x", pd.DataFrame({"a": [1, 2]}))
    data, _ = got["tbl_x"]._repr_mimebundle_()
    assert {"text/html", "text/markdown"} <= set(data)
    I.glue_table("tbl_y", pd.DataFrame({"a": []}), empty="(none)")
    assert got["tbl_y"].data == "(none)"


def test_figure_bundle_has_png_for_the_pdf_and_a_plot_without_library_for_the_html():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    data, _ = I.figure_bundle(fig, I.episode_tone_plot(_ep_lang(), _episodes()))._repr_mimebundle_()
    plt.close(fig)
    assert data["image/png"][:8] == "iVBORw0K"  # base64 of the PNG signature
    html = data["text/html"]
    assert f'class="{I.PLOT_CLASS}"' in html
    assert "<script src" not in html.replace(" ", "") and not EXTERNAL.search(html)
    assert "BokehJS" not in html[:2000] and len(html) < 100_000  # the library itself is added once per page


def _source_rows(layout):
    """(title, data dict) of every glyph with hover tooltips in a bokeh layout."""
    from bokeh.models import HoverTool

    out = []
    for p in getattr(layout, "children", [layout]):
        for tool in p.tools:
            if isinstance(tool, HoverTool):
                out += [(p.title.text, r.data_source.data) for r in tool.renderers]
    return out


def test_episode_tone_plot_hovers_the_summary_values():
    ep_lang = _ep_lang()
    seen = []
    for title, data in _source_rows(I.episode_tone_plot(ep_lang, _episodes())):
        seen += list(zip([title] * len(data["estimate"]), data["episode"], data["language"], data["estimate"], data["ci_low"]))
    from scripts.narrative.common import language_name
    from scripts.narrative.tone import MEASURE_LABELS

    labels = dict(zip(_episodes()["episode"], _episodes()["label"]))
    expected = [(MEASURE_LABELS[r.measure], labels[r.episode], language_name(r.language), r.estimate, r.ci_low)
                for r in ep_lang.itertuples()]
    assert sorted(seen) == sorted(expected)


def test_concept_rates_plot_hovers_every_rate_and_count():
    conc = _conc()
    (_, data), = _source_rows(I.concept_rates_plot(conc, _episodes()))
    got = sorted(zip(data["concept"], data["episode"], data["per_1k"], data["count"]))
    labels = dict(zip(_episodes()["episode"], _episodes()["label"]))
    assert got == sorted(zip(conc["label"], conc["episode"].map(labels), conc["per_1k"], conc["count"]))


def test_plot_keeps_hostile_labels_as_data():
    eps = _episodes(labels=(HOSTILE[2], HOSTILE[1]))
    html = I.plot_html(I.episode_tone_plot(_ep_lang(), eps))
    assert "<script>alert" not in html and "<img src=x" not in html


def test_page_assets_embed_each_library_once_and_only_where_needed():
    assert I.page_assets("<p>no interactive output</p>") == ""
    table = I.table_html(pd.DataFrame({"x": [1]}), "t")
    both = I.page_assets(table + table + f'<div class="{I.PLOT_CLASS}"></div>')
    assert both.count("injectModule(") == 2  # defined once, called once
    assert both.count("Bokeh") > 0 and I.page_assets(table).count("Bokeh") == 0
    for src in re.findall(r"<script[^>]*\bsrc=[^>]*>", both):
        pytest.fail(f"external script {src}")
    assert "unpkg.com" not in both and "cdn.bokeh.org" not in both
