"""Interactive tables and figures in the HTML book; the PDF keeps the same numbered static ones.

Tables: a long table is glued by :func:`scripts.report.glue_table` with ``interactive=True``: the one
numbered, captioned MyST ``{table}`` every builder renders, with the class
:data:`scripts.report.INTERACTIVE_CLASS`. In the HTML, DataTables (itables' offline bundle) enhances
that rendered table in the browser: sorting by a click on a header (numbers by value), a search box,
a pager for long tables. Its cells are the page's own text, already escaped by docutils, so seed text
stays text; DataTables only reorders and hides rows.

Figures: :func:`figure_bundle` glues the published PNG (``scripts.plots.publish_figure``: alt text,
2x) and a ``bokeh`` plot with hover values as one display object; myst-nb picks one mime type per
builder: ``text/html`` (the plot) in HTML, ``image/png`` in LaTeX. The ``{glue:figure}`` keeps its
caption and number in both.

No request may leave the book: the libraries are in no output. ``_ext/interactive_assets.py`` writes
them as files into the book's ``_static/`` (:func:`asset_files`, copied from the installed packages)
and refers to each once from the pages that hold an interactive table or plot (:func:`page_assets`).
"""
from __future__ import annotations

import hashlib
import json
import re
import textwrap
import uuid
from functools import cache
from pathlib import Path

import pandas as pd

from scripts.report import INTERACTIVE_CLASS

PAGE_LENGTH = 10                # rows per page of an interactive table; shorter tables have no pager
PLOT_CLASS = "book-bokeh-plot"  # wrapper of an interactive figure
WIDE_ONLY, NARROW_ONLY = "book-wide-only", "book-narrow-only"  # shown above / below style.NARROW_MEDIA
# matplotlib marker -> bokeh marker, so a language keeps its shape in both versions of a figure
_MARKERS = {"o": "circle", "s": "square", "^": "triangle", "v": "inverted_triangle", "D": "diamond", "d": "diamond",
            "P": "plus", "X": "x", "*": "star", "h": "hex"}


class MimeBundle:
    """A display object with fixed mime data; ``glue`` publishes every type, the builder picks one."""

    def __init__(self, data: dict[str, str], metadata: dict | None = None):
        self.data, self.metadata = data, metadata or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.data, self.metadata


# ---------------------------------------------------------------------------------------- figures
def figure_bundle(image, plot) -> MimeBundle:
    """The published figure ``image`` (:func:`scripts.plots.publish_figure`: 2x PNG with its alt text;
    PDF and any builder without HTML) and the bokeh ``plot`` (HTML, labelled with the same alt text)
    in one object for ``glue(..., display=False)`` and a ``{glue:figure}`` (caption and number unchanged).
    When ``image`` has a narrow drawing, a phone-width window shows it instead of the plot."""
    from IPython.core.formatters import format_display_data

    data, metadata = format_display_data(image)
    if "image/png" not in data:
        raise TypeError(f"{type(image).__name__} has no PNG to give the PDF: publish the figure with plots.publish_figure")
    data = dict(data)
    plot = plot_html(plot, alt=getattr(image, "alt", ""))
    picture = data.get("text/html", "")
    # a published narrow drawing (``publish_figure(..., narrow=...)``): phones get it instead of the hover
    # plot, whose labels and cells overlap at 390 px (_static/figures.css shows one or the other)
    data["text/html"] = (f'<div class="{WIDE_ONLY}">\n{plot}\n</div>\n<div class="{NARROW_ONLY}">\n{picture}\n</div>'
                         if picture else plot)
    return MimeBundle(data, dict(metadata))


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _stable_ids(script: str, div: str) -> tuple[str, str]:
    """Bokeh names the document and its root element with random UUIDs: replace them, in order of
    first appearance, by ids derived from the content, so the same plot gives the same page (a
    rebuild equals a fresh build byte for byte)."""
    found = list(dict.fromkeys(_UUID.findall(div + script)))
    digest = hashlib.sha256(_UUID.sub("", div + script).encode()).hexdigest()
    stable = {u: str(uuid.UUID(hashlib.sha256(f"{digest}:{k}".encode()).hexdigest()[:32])) for k, u in enumerate(found)}
    return tuple(_UUID.sub(lambda m: stable[m.group(0)], text) for text in (script, div))


def plot_html(plot, alt: str = "") -> str:
    """The bokeh ``plot`` as a div and its script (no library: :func:`page_assets` adds it once per page).

    ``alt``: the static figure's alt text, given to screen readers as the plot's label (a canvas has none)."""
    import html

    from bokeh.embed import components

    script, div = _stable_ids(*components(plot))
    label = f' role="img" aria-label="{html.escape(alt, quote=True)}"' if alt.strip() else ""
    return f'<div class="{PLOT_CLASS}"{label}>\n{div}\n{script}\n</div>'


def episode_tone_plot(ep_lang: pd.DataFrame, episodes: pd.DataFrame):
    """Hover version of :func:`scripts.plots.tone.episode_tone`: one panel per measure, episodes on a
    categorical axis in date order, a point per language (its marker), whiskers = 95% interval; the
    tooltip gives episode, language, estimate, interval and articles.

    ``ep_lang``: episode × language rows of :func:`scripts.tone.tone_summary` (estimate, ci_low, ci_high,
    n, n_articles, measure, episode, language)."""
    from bokeh.layouts import column
    from bokeh.models import ColumnDataSource, HoverTool, Legend, LegendItem, Range1d, Span
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
    labels = {e: "\n".join(textwrap.wrap(str(lab), 11)) or str(e) for e, lab in zip(eps["episode"], eps["label"])}
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
            # as in the static figure (and its caption): language code and articles above each interval
            src.data["tag"] = [f"{lang} ({n})" for n in src.data["n_articles"]]
            p.text(x=x, y="ci_high", text="tag", source=src, text_align="center", text_baseline="bottom", y_offset=-3,
                   text_font_size="10pt", text_color="color")
            key = p.scatter(x=[factors[0]], y=[float("nan")], size=10, marker=marker, fill_color="white", line_color="black")  # legend only
            legend.append(LegendItem(label=language_name(lang), renderers=[key]))
        # the labels above the intervals are text, which Bokeh's automatic range ignores: the tallest
        # interval's label was cut off at the top of the plot; room for it is made here
        low, high = float(rows["ci_low"].min()), float(rows["ci_high"].max())
        if pd.notna(low) and pd.notna(high):
            span = max(high - low, 0.1)
            p.y_range = Range1d(low - 0.06 * span, high + 0.2 * span)
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
           text_font_size="10pt", text_color="ink")
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
_TABLE_TAG = re.compile(r"<table\b[^>]*\bclass=\"[^\"]*\b" + re.escape(INTERACTIVE_CLASS) + r"\b")

#: the folder of the built book that holds the library files (Sphinx's static folder)
STATIC = "_static"


def page_assets(body: str, static: str = STATIC) -> str:
    """The HTML a page needs for the interactive outputs in its ``body`` HTML (nothing when it has
    none): each library once, as a reference to its file in the book's ``static`` folder (the
    relative path from the page, e.g. ``../_static``; :func:`asset_files` are written there), plus the
    few lines that start it. Called by ``_ext/interactive_assets.py``.

    Why files and not inline: the terms, tone and actors pages each carried the same 2.3 MB (BokehJS,
    DataTables as base64); as files the browser loads them once for the whole book, and Sphinx writes
    pages of a few hundred kB. Classic ``<script src>`` and ``<link>`` load from ``file://`` (a module
    script would not: Chromium refuses module scripts from ``file://`` origins)."""
    parts = []
    names = _asset_names()
    if _TABLE_TAG.search(body):
        parts += [f'<link rel="stylesheet" href="{static}/{names["itables_css"]}">',
                  f'<script src="{static}/{names["itables_js"]}"></script>', _itables_dark_mode(), _tables_init()]
    if f'class="{PLOT_CLASS}' in body:
        parts += [f'<script src="{static}/{names["bokeh_js"]}"></script>', *_bokeh_inline()]
    return "\n".join(parts)


def asset_files() -> dict[str, bytes]:
    """File name -> content of every library file :func:`page_assets` may refer to, for the book's
    static folder: BokehJS (core: no widgets, WebGL or MathJax) as the package ships it, itables'
    offline DataTables bundle made a classic script (:func:`_classic_bundle`) and its CSS. Names carry
    the package versions, so a browser never mixes a cached old copy with new pages."""
    names = _asset_names()
    files = {names["bokeh_js"]: _bokeh_path().read_bytes()}
    js, css = _itables_bundle_paths()
    files[names["itables_js"]] = _classic_bundle(js.read_text(encoding="utf-8")).encode("utf-8")
    files[names["itables_css"]] = css.read_bytes()
    return files


def write_assets(folder: Path | str) -> list[Path]:
    """Write :func:`asset_files` into ``folder`` (created if needed); return the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in asset_files().items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written


@cache
def _asset_names() -> dict[str, str]:
    import bokeh
    from itables.version import __version__ as itables_version

    return {"bokeh_js": _bokeh_path().name.replace("bokeh", f"bokeh-{bokeh.__version__}", 1),
            "itables_js": f"itables-{itables_version}-datatables.js", "itables_css": f"itables-{itables_version}-datatables.css"}


def _bokeh_resources():
    from bokeh.resources import Resources

    return Resources(mode="absolute", components=["bokeh"])


@cache
def _bokeh_path() -> Path:
    """The BokehJS file of the installed package (what ``Resources(mode="inline")`` inlined)."""
    files = _bokeh_resources().js_files
    if len(files) != 1 or not Path(files[0]).is_file():
        raise RuntimeError(f"BokehJS is expected as one file of the bokeh package, got {files}")
    return Path(files[0])


def _bokeh_inline() -> list[str]:
    """What BokehJS's inline resources added after the library (its log level), as small inline scripts."""
    return [f"<script>\n{js}\n</script>" for js in _bokeh_resources().js_raw if "BEGIN" not in js[:200]]


def _itables_bundle_paths() -> tuple[Path, Path]:
    from itables import options

    js = Path(options.dt_bundle)
    return js, js.with_suffix(".css")


#: the bundle's one export statement (an ES module: ``export{Md as DateTime,...,vh as default,...};``)
_EXPORT = re.compile(r"\bexport\s*\{([^{}]*)\}\s*;?")


def _classic_bundle(source: str) -> str:
    """itables' DataTables bundle (an ES module) as a classic script that sets
    ``window._itables_<version>`` to a promise of the module's exports, as itables' offline
    initialisation does with its base64 copy imported from a ``blob:`` URL: the init scripts await it.

    Why: a module script file cannot be loaded from ``file://``; the bundle's only module syntax is its
    one ``export{...}`` at the end (no ``import`` of any kind: checked here), so it runs unchanged inside
    a strict function that returns the exported names (the browser tests load it)."""
    from itables import javascript as J

    found = _EXPORT.findall(source)
    if len(found) != 1 or re.search(r"\bimport\s*[\s{(*.\"']", source):
        raise RuntimeError("itables' DataTables bundle is not the module with one export this book converts")
    pairs = []
    for item in found[0].split(","):
        local, _, exported = (w.strip() for w in item.strip().partition(" as "))
        pairs.append(f"{json.dumps(exported or local)}: {local}")
    body = _EXPORT.sub(lambda _m: f"__exports = {{{', '.join(pairs)}}};", source, count=1)
    var = J._itables_underscore_version()
    return (f"/* itables' offline DataTables bundle ({_itables_bundle_paths()[0].name}), run as a classic script by\n"
            f"   scripts/interactive.py: window.{var} is a promise of its exports. */\n"
            f"window.{var} = window.{var} || Promise.resolve((function () {{\n\"use strict\";\nlet __exports;\n"
            f"{body}\nreturn __exports;\n}})());\n")


def _itables_dark_mode() -> str:
    """itables' dark-mode helper (its ``init_datatables.html``), taken from the bundle file, not the CDN."""
    from itables import javascript as J

    init = J.read_package_file("html/init_datatables.html")
    init = J.replace_value(init, "import { set_or_remove_dark_class } from '" + J.UNPKG_DT_BUNDLE_URL_NO_VERSION + "';",
                           "const { set_or_remove_dark_class } = await window." + J._itables_underscore_version() + ";")
    if "unpkg.com" in init or "import {" in init or "itables.org" in init:
        raise RuntimeError("itables' initialisation refers to a web address")
    return init


#: numbers as the tables print them: sign (ASCII or true minus), thousands commas, decimals
_NUMBER_JS = r"/^[+\-\u2212]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?$/"


def _tables_init() -> str:
    """DataTables on every ``table.interactive-table`` of the page, once the bundle is loaded. The
    table keeps its caption and rows (the page's escaped text); cells printed as numbers (with a true
    minus sign or thousands commas) sort by value; rows keep the code's order until a click."""
    from itables import javascript as J

    return f"""<script type="module">
const DataTable = (await window.{J._itables_underscore_version()}).default;
const text = (d) => (typeof d === "string" ? d.replace(/<[^>]*>/g, "").trim() : "");  // a cell is <p>…</p>
const isNumber = (d) => {_NUMBER_JS}.test(text(d)) && /\\d/.test(text(d));
if (!DataTable.ext.type.order["book-number-pre"]) {{
  DataTable.ext.type.detect.unshift((d) => (isNumber(d) ? "book-number" : null));
  DataTable.ext.type.order["book-number-pre"] = (d) => parseFloat(text(d).replace("\\u2212", "-").replace(/,/g, ""));
}}
for (const table of document.querySelectorAll("table.{INTERACTIVE_CLASS}")) {{
  if (!table.tHead || !table.tBodies.length) continue;
  const paged = table.tBodies[0].rows.length > {PAGE_LENGTH};
  new DataTable(table, {{
    order: [], autoWidth: false, paging: paged, pageLength: {PAGE_LENGTH}, lengthMenu: [{PAGE_LENGTH}, 25, 50, 100, -1],
    layout: {{ topStart: "search", topEnd: paged ? "pageLength" : null, bottomStart: "info", bottomEnd: paged ? "paging" : null }},
  }});
}}
</script>"""
