"""Interactive tables and figures for the HTML book, static ones for the PDF, from one display object.

Every object here carries several mime types and myst-nb picks one per builder (its mime priority):
the HTML builder takes ``text/html`` (a sortable/searchable DataTables table through ``itables``,
or a ``bokeh`` plot with hover values), the LaTeX builder takes ``text/markdown`` for a table
(:func:`scripts.report.md_table`) and ``image/png`` for a figure (the matplotlib figure).
Show them with ``{glue}`` (tables) and ``{glue:figure}`` (figures: caption and number unchanged).

No request may leave the page: the JavaScript libraries are not in these outputs at all. Each
output is marked with a class (:data:`TABLE_CLASS`, :data:`PLOT_CLASS`) and the Sphinx extension
``_ext/interactive_assets.py`` embeds each library once, inline, in the pages that hold such an
output (:func:`page_assets`). Seed text is data, never markup: itables escapes every cell and header
(``allow_html`` stays off), bokeh writes tooltip fields as text.
"""
from __future__ import annotations

import base64
import io
import re
import textwrap

import pandas as pd

from scripts import report

TABLE_CLASS = "book-itable"     # wrapper of an interactive table
PLOT_CLASS = "book-bokeh-plot"  # wrapper of an interactive figure
# matplotlib marker -> bokeh marker, so a language keeps its shape in both versions of a figure
_MARKERS = {"o": "circle", "s": "square", "^": "triangle", "v": "inverted_triangle", "D": "diamond", "d": "diamond",
            "P": "plus", "X": "x", "*": "star", "h": "hex"}


class MimeBundle:
    """A display object with fixed mime data; ``glue`` publishes every type, the builder picks one."""

    def __init__(self, data: dict[str, str], metadata: dict | None = None):
        self.data, self.metadata = data, metadata or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.data, self.metadata


# ----------------------------------------------------------------------------------------- tables
def table_html(df: pd.DataFrame, table_id: str, floatfmt: str = ".2f", page_length: int = 10) -> str:
    """``df`` as an itables (DataTables) table in offline mode, wrapped in a ``TABLE_CLASS`` div.

    Cells and headers are HTML-escaped by itables; floats show with ``floatfmt`` and sort by value;
    the search box is always there, the pager only when there are more than ``page_length`` rows.
    ``table_id`` must be unique on the page (the glue name is).
    """
    import itables

    if not re.fullmatch(r"[A-Za-z][\w\-]*", table_id):
        raise ValueError(f"{table_id!r}: a table id may hold only letters, digits, '_' and '-'")
    paged = len(df) > page_length
    layout = {"topStart": "search", "topEnd": "pageLength" if paged else None,
              "bottomStart": "info", "bottomEnd": "paging" if paged else None}
    with pd.option_context("display.float_format", lambda v: format(v, floatfmt)):
        inner = itables.to_html_datatable(
            df, table_id=table_id, connected=False, display_logo_when_loading=False, allow_html=False,
            layout=layout, pageLength=page_length, lengthMenu=[page_length, 25, 50, 100, -1],
            classes=["display", "compact"], order=[], autoWidth=False,
            text_in_header_can_be_selected=False)  # a click anywhere on a header sorts, as readers expect
    inner = _strip_itables_links(inner)
    return f'<div class="{TABLE_CLASS}" data-rows="{len(df)}">\n{inner}\n</div>'


def _strip_itables_links(html: str) -> str:
    """Drop itables' notebook hints (a "need help?" link while loading, an "ⓘ static preview" link
    in the no-JavaScript table): they point readers of an offline book to itables.org."""
    html = re.sub(r"\s*\(need <a href=https://itables\.org/[^>]*>help</a>\?\)", "", html)
    html = re.sub(r"<sup>(?:(?!</sup>).)*?itables\.org(?:(?!</sup>).)*?</sup>", "", html, flags=re.S)
    html = re.sub(r"Loading ITables v[\d.]+ from the <code>init_notebook_mode</code> cell\.\.\.", "Loading the table…", html)
    if "itables.org" in html:
        raise RuntimeError("itables' output has a link this function does not know; update _strip_itables_links")
    return html


def table_bundle(df: pd.DataFrame, table_id: str, floatfmt: str = ".2f", page_length: int = 10) -> MimeBundle:
    """HTML: :func:`table_html`; PDF (and any builder without HTML): the escaped Markdown table."""
    md = report.md_table(df, floatfmt=floatfmt)
    return MimeBundle({"text/html": table_html(df, table_id, floatfmt, page_length), "text/markdown": md, "text/plain": md})


def glue_table(name: str, df: pd.DataFrame, floatfmt: str = ".2f", empty: str | None = None, page_length: int = 10) -> None:
    """Glue ``df`` as :func:`table_bundle` for a ``{glue}`` block (not ``{glue:md}``, which takes Markdown only).

    Same contract as :func:`scripts.report.glue_table`: ``empty`` is Markdown written by the code,
    glued instead when ``df`` has no rows.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    if empty is not None and df.empty:
        glue(name, Markdown(empty), display=False)
        return
    glue(name, table_bundle(df, name.replace("_", "-"), floatfmt=floatfmt, page_length=page_length), display=False)


# ---------------------------------------------------------------------------------------- figures
def figure_bundle(fig, plot) -> MimeBundle:
    """The matplotlib ``fig`` (PNG, as IPython would show it: PDF and fallback) and the bokeh
    ``plot`` (HTML) in one object for ``glue(..., display=False)`` and a ``{glue:figure}``."""
    data, metadata = _png(fig)
    data["text/html"] = plot_html(plot)
    return MimeBundle(data, metadata)


def _png(fig) -> tuple[dict, dict]:
    """The PNG IPython's display formatter makes of ``fig`` (the kernel's inline settings, e.g. retina
    size metadata), or a plain ``savefig`` PNG outside a kernel."""
    from IPython.core.formatters import format_display_data

    data, metadata = format_display_data(fig)
    if "image/png" in data:
        return dict(data), dict(metadata)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"), "text/plain": repr(fig)}, {}


def plot_html(plot) -> str:
    """The bokeh ``plot`` as a div and its script (no library: :func:`page_assets` adds it once per page)."""
    from bokeh.embed import components

    script, div = components(plot)
    return f'<div class="{PLOT_CLASS}">\n{div}\n{script}\n</div>'


def episode_tone_plot(ep_lang: pd.DataFrame, episodes: pd.DataFrame):
    """Hover version of :func:`scripts.plots.tone.episode_tone`: one panel per measure, episodes on a
    categorical axis in date order, a point per language (its marker), whiskers = 95% interval; the
    tooltip gives episode, language, estimate, interval and articles.

    ``ep_lang``: episode × language rows of :func:`scripts.tone.tone_summary` (estimate, ci_low, ci_high,
    n, n_articles, measure, episode, language)."""
    from bokeh.layouts import column
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem, Span
    from bokeh.plotting import figure
    from bokeh.transform import dodge

    from scripts.inference import WITHIN
    from scripts.narrative.common import language_name
    from scripts.narrative.tone import MEASURE_LABELS
    from scripts.plots import LANGUAGE_MARKERS, episode_colors
    from scripts.tone import MEASURES

    colors = episode_colors(episodes)
    eps = episodes.sort_values("order")
    episode_names = dict(zip(eps["episode"], eps["label"]))
    # category labels wrapped on two lines or more, so three or four episodes fit side by side at phone width
    labels = {e: "\n".join(textwrap.wrap(str(lab), 14)) or str(e) for e, lab in zip(eps["episode"], eps["label"])}
    factors = [labels[e] for e in eps["episode"]]
    langs = sorted(ep_lang["language"].unique())
    width = 0.6 / max(1, len(langs))
    panels = []
    for m in MEASURES:
        rows = ep_lang[ep_lang["measure"] == m]
        p = figure(x_range=factors, height=280, sizing_mode="stretch_width", title=MEASURE_LABELS[m],
                   tools="", toolbar_location=None, y_axis_label="mean per sentence (95% CI)")
        p.add_layout(Span(location=0, dimension="width", line_dash="dotted", line_color="grey"))
        points, legend = [], []
        for i, lang in enumerate(langs):
            part = rows[rows["language"] == lang]
            within = (part["interval"] == WITHIN).tolist() if "interval" in part.columns else [False] * len(part)
            src = ColumnDataSource({
                "x": [labels[e] for e in part["episode"]],
                "episode": [str(episode_names.get(e, e)) for e in part["episode"]],
                "language": [language_name(lang)] * len(part),
                "estimate": part["estimate"].astype(float).tolist(),
                "ci_low": part["ci_low"].astype(float).tolist(), "ci_high": part["ci_high"].astype(float).tolist(),
                "n_articles": [int(v) for v in part["n_articles"]] if "n_articles" in part.columns else [0] * len(part),
                "n": [int(v) for v in part["n"]],
                "interval": ["within one article" if w else "over articles" for w in within],
                "color": [colors[e] for e in part["episode"]],
                "fill": ["white" if w else colors[e] for e, w in zip(part["episode"], within)],
            })
            x = dodge("x", (i - (len(langs) - 1) / 2) * width, range=p.x_range)
            marker = _MARKERS.get(LANGUAGE_MARKERS.get(lang, "o"), "circle")
            p.segment(x0=x, x1=x, y0="ci_low", y1="ci_high", source=src, line_color="color", line_width=1.5)
            points.append(p.scatter(x=x, y="estimate", source=src, size=11, fill_color="fill", line_color="color",
                                    line_width=2, marker=marker))
            key = p.scatter(x=[factors[0]], y=[float("nan")], size=10, marker=marker, fill_color="white", line_color="black")  # legend only
            legend.append(LegendItem(label=language_name(lang), renderers=[key]))
        p.add_tools(HoverTool(renderers=points, tooltips=[
            ("episode", "@episode"), ("language", "@language"), ("mean", "@estimate{+0.000}"),
            ("95% interval", "@ci_low{+0.000} to @ci_high{+0.000} (@interval)"), ("articles", "@n_articles"),
            ("sentences", "@n")]))
        p.add_layout(Legend(items=legend, orientation="horizontal", label_text_font_size="10pt", border_line_alpha=0,
                            margin=0, padding=2), "above")
        p.xaxis.major_label_text_font_size = "10pt"
        p.yaxis.axis_label_text_font_size = "10pt"
        p.title.text_font_size = "11pt"
        panels.append(p)
    return column(*panels, sizing_mode="stretch_width")


def concept_rates_plot(conc: pd.DataFrame, episodes: pd.DataFrame):
    """Hover version of :func:`scripts.plots.terms.concepts_heatmap`: one cell per concept and
    episode × language unit, coloured by its rate per 1,000 words; the tooltip gives concept, episode,
    language, rate and count. Rows and columns in the order of :func:`scripts.terms.concept_rates`.

    ``conc``: :func:`scripts.terms.concept_counts` (episode, language, concept, label, count, per_1k)."""
    from bokeh.models import ColumnDataSource, HoverTool, LinearColorMapper
    from bokeh.palettes import Blues256
    from bokeh.plotting import figure

    from scripts import episodes as E
    from scripts import terms as T
    from scripts.narrative.common import language_name

    heat = T.concept_rates(conc, episodes)
    names = conc.drop_duplicates("concept").set_index("concept")["label"]
    ep_labels = E.labels(episodes)
    # wrapped, and turned upright below: four or more columns fit at phone width
    unit_label = {u: "\n".join(textwrap.wrap(f"{ep_labels.get(u[0], u[0])} ({language_name(u[1])})", 18)) for u in heat.columns}
    counts = conc.set_index(["concept", "episode", "language"])["count"]
    cells = [(c, u) for c in heat.index for u in heat.columns]
    vmax = float(heat.max().max()) if heat.size and heat.max().max() > 0 else 1.0
    src = ColumnDataSource({
        "concept": [str(names.get(c, c)) for c, _ in cells],
        "unit": [unit_label[u] for _, u in cells],
        "episode": [ep_labels.get(u[0], u[0]) for _, u in cells],
        "language": [language_name(u[1]) for _, u in cells],
        "per_1k": [float(heat.at[c, u]) if pd.notna(heat.at[c, u]) else 0.0 for c, u in cells],
        "count": [int(counts.get((c, *u), 0)) for c, u in cells],
    })
    src.data["text"] = [f"{v:.1f}" for v in src.data["per_1k"]]
    src.data["ink"] = ["white" if v > 0.6 * vmax else "black" for v in src.data["per_1k"]]
    rows = [str(names.get(c, c)) for c in heat.index][::-1]
    p = figure(x_range=[unit_label[u] for u in heat.columns], y_range=rows, x_axis_location="above",
               height=(160 if len(heat.columns) > 3 else 90) + 30 * len(rows), sizing_mode="stretch_width", tools="", toolbar_location=None)
    mapper = LinearColorMapper(palette=list(reversed(Blues256)), low=0, high=vmax)
    rect = p.rect(x="unit", y="concept", width=1, height=1, source=src, line_color="white",
                  fill_color={"field": "per_1k", "transform": mapper})
    p.text(x="unit", y="concept", text="text", source=src, text_align="center", text_baseline="middle",
           text_font_size="9pt", text_color="ink")
    p.add_tools(HoverTool(renderers=[rect], tooltips=[
        ("concept", "@concept"), ("episode", "@episode"), ("language", "@language"),
        ("per 1,000 words", "@per_1k{0.00}"), ("mentions", "@count")]))
    p.grid.visible = False
    p.axis.axis_line_color = None
    p.axis.major_tick_line_color = None
    p.axis.major_label_text_font_size = "10pt"
    p.xaxis.major_label_orientation = "vertical" if len(heat.columns) > 3 else "horizontal"
    return p


# ------------------------------------------------------------------------------------ page assets
def page_assets(body: str) -> str:
    """The inline JavaScript/CSS a page needs for the interactive outputs in its ``body`` HTML, each
    library once (nothing when the page has none). Called by ``_ext/interactive_assets.py``."""
    parts = []
    if f'class="{TABLE_CLASS}' in body:
        parts.append(_itables_assets())
    if f'class="{PLOT_CLASS}' in body:
        parts.append(_bokeh_assets())
    return "\n".join(parts)


def _itables_assets() -> str:
    """itables' own offline initialisation (DataTables bundle and CSS inlined, base64), what
    ``init_notebook_mode(connected=False)`` displays in a notebook; its dark-mode helper is taken
    from that inlined bundle, not from the CDN."""
    from itables import javascript as J
    from itables import options

    init = J.read_package_file("html/init_datatables.html")
    init = J.replace_value(init, "import { set_or_remove_dark_class } from '" + J.UNPKG_DT_BUNDLE_URL_NO_VERSION + "';",
                           "const { set_or_remove_dark_class } = await window." + J._itables_underscore_version() + ";")
    html = init + "\n" + J.generate_init_offline_itables_html(options.dt_bundle)
    if "unpkg.com" in html or "import {" in html:
        raise RuntimeError("itables' offline initialisation refers to a CDN")
    return html


def _bokeh_assets() -> str:
    """BokehJS (core only: no widgets, WebGL or MathJax) inline."""
    from bokeh.resources import Resources

    return Resources(mode="inline", components=["bokeh"]).render_js()
