"""scripts.interactive and report.glue_table(interactive=True): the numbered table every builder renders,
marked for DataTables in the HTML; one display object per hover figure (HTML plot, PNG with alt text for
the PDF); seed text escaped; no library and no CDN address in an output (the page refers to the book's library files)."""
from __future__ import annotations

import re
from pathlib import Path

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


def _render(block: str) -> str:
    """The HTML docutils makes of a MyST block (as Sphinx does for a glued ``{glue:md}`` block)."""
    from docutils.core import publish_parts
    from myst_parser.parsers.docutils_ import Parser

    return publish_parts(block, parser=Parser(), writer_name="html5", settings_overrides={"report_level": 3})["body"]


def _glued(monkeypatch) -> dict:
    import myst_nb

    got = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, obj, display=True: got.update({name: obj}))
    return got


def test_interactive_table_is_the_numbered_table_with_a_class(monkeypatch):
    got = _glued(monkeypatch)
    df = pd.DataFrame({"term": ["a", "b"], "count": [3, 1]})
    report.glue_table("tbl_x", df, caption="Terms", label="tbl-x", interactive=True)
    report.glue_table("tbl_y", df, caption="Terms", label="tbl-x")
    marked, plain = got["tbl_x"].data, got["tbl_y"].data
    assert marked.replace(f":class: {report.INTERACTIVE_CLASS}\n", "") == plain  # same table, caption, label, widths
    assert f":class: {report.INTERACTIVE_CLASS}" not in plain
    html = _render(marked)
    assert re.search(rf'<table class="{report.INTERACTIVE_CLASS}" id="tbl-x">\s*<caption>Terms\.</caption>', html), html
    assert I.page_assets(html) and not I.page_assets(_render(plain))


def test_an_empty_interactive_table_keeps_its_number_without_the_class(monkeypatch):
    got = _glued(monkeypatch)
    report.glue_table("tbl_x", pd.DataFrame({"pair": []}), empty="(no pair)", caption="Pairs", label="tbl-x", interactive=True)
    assert ":name: tbl-x" in got["tbl_x"].data and report.INTERACTIVE_CLASS not in got["tbl_x"].data


def test_hostile_cells_of_an_interactive_table_are_text_in_the_page():
    df = pd.DataFrame({"text": HOSTILE, "<b>score</b>": [0.125, -2.5, 10.0]})
    html = _render(report.table_block(df, "Hostile <i>caption</i>", "tbl-x", interactive=True))
    for bad in ("<script>alert", "<img src=x", "<b>score", "<i>caption"):
        assert bad not in html, bad
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;score&lt;/b&gt;" in html


def test_figure_bundle_has_the_published_png_for_the_pdf_and_a_labelled_plot_without_library_for_the_html(tmp_path):
    from scripts import plots

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    image = plots.publish_figure(fig, tmp_path, "line", 'A line from 0 to 1, "rising" <fast>')
    data, metadata = I.figure_bundle(image, I.episode_tone_plot(_ep_lang(), _episodes()))._repr_mimebundle_()
    assert data["image/png"] == (tmp_path / "line.png").read_bytes()  # the PNG with its alt text (the kernel base64-encodes it)
    assert metadata["image/png"]["width"] == image.width
    html = data["text/html"]
    assert f'class="{I.PLOT_CLASS}" role="img" aria-label="A line from 0 to 1, &quot;rising&quot; &lt;fast&gt;"' in html
    assert "<script src" not in html.replace(" ", "") and not EXTERNAL.search(html)
    assert "BokehJS" not in html[:2000] and len(html) < 100_000  # the library itself is added once per page


def test_figure_bundle_with_a_narrow_drawing_gives_phones_the_drawing_instead_of_the_plot(tmp_path):
    from scripts import plots

    def line(width):
        fig, ax = plt.subplots(figsize=(width, 2))
        ax.plot([0, 1], [0, 1])
        return fig

    image = plots.publish_figure(line(plots.FIG_WIDTH), tmp_path, "line", "A line from 0 to 1, rising",
                                 narrow=line(plots.NARROW_WIDTH))
    data, _ = I.figure_bundle(image, I.episode_tone_plot(_ep_lang(), _episodes()))._repr_mimebundle_()
    html = data["text/html"]
    wide, narrow = html.split(f'<div class="{I.NARROW_ONLY}">')
    assert wide.startswith(f'<div class="{I.WIDE_ONLY}">') and I.PLOT_CLASS in wide and "<picture" not in wide
    assert narrow.lstrip().startswith('<picture class="book-figure">') and I.PLOT_CLASS not in narrow
    assert data["image/png"] == (tmp_path / "line.png").read_bytes()      # the PDF keeps the wide PNG
    css = (Path(__file__).resolve().parent.parent / "_static" / "figures.css").read_text(encoding="utf-8")
    assert f".{I.NARROW_ONLY} {{\n  display: none;" in css and f".{I.WIDE_ONLY} {{\n    display: none;" in css


def test_figure_bundle_needs_a_published_figure():
    fig, _ = plt.subplots()
    with pytest.raises(TypeError):
        I.figure_bundle(object(), I.episode_tone_plot(_ep_lang(), _episodes()))
    plt.close(fig)


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


def test_page_assets_refer_to_each_library_file_once_and_only_where_needed():
    assert I.page_assets("<p>no interactive output</p>") == ""
    assert I.page_assets('<table class="table" id="tbl-x">') == ""  # a numbered table not marked interactive
    table = f'<table class="table {report.INTERACTIVE_CLASS}" id="tbl-x">'
    both = I.page_assets(table + table + f'<div class="{I.PLOT_CLASS}"></div>', "../_static")
    files = I.asset_files()
    referenced = re.findall(r'<(?:script|link)[^>]*\b(?:src|href)="([^"]+)"', both)
    assert sorted(referenced) == sorted(f"../_static/{name}" for name in files)  # every library file, each once
    assert both.count(f'querySelectorAll("table.{report.INTERACTIVE_CLASS}")') == 1
    assert "Bokeh" in both and "Bokeh" not in I.page_assets(table) and "datatables" not in I.page_assets(f'<div class="{I.PLOT_CLASS}">')
    assert len(both) < 5_000, "a library is inlined again"  # the 2.3 MB are in the files, not in every page
    for text in [both, *(data.decode("utf-8") for data in files.values())]:
        assert "unpkg.com" not in text and "cdn.bokeh.org" not in text and "cdn.datatables" not in text
        assert "blob:" not in text


def test_library_files_are_the_installed_packages_own():
    """BokehJS byte for byte; the DataTables bundle is itables' module with its one export statement
    turned into the exports object a classic script returns (every other byte unchanged); file names
    carry the versions."""
    import bokeh
    from itables import options
    from itables.version import __version__ as itables_version

    files = I.asset_files()
    bokeh_js = next(n for n in files if n.startswith("bokeh-"))
    assert bokeh_js == f"bokeh-{bokeh.__version__}.min.js"
    assert files[bokeh_js] == (Path(bokeh.__file__).parent / "server" / "static" / "js" / "bokeh.min.js").read_bytes()
    module = Path(options.dt_bundle).read_text(encoding="utf-8")
    classic = files[f"itables-{itables_version}-datatables.js"].decode("utf-8")
    export = I._EXPORT.search(module)
    assert export and module[:export.start()] in classic and module[export.end():] in classic
    assert "export{" not in classic.replace(" ", "") and '"default": ' in classic
    assert files[f"itables-{itables_version}-datatables.css"] == Path(options.dt_bundle).with_suffix(".css").read_bytes()


def test_write_assets_writes_the_files_once(tmp_path):
    written = I.write_assets(tmp_path / "_static")
    assert sorted(p.name for p in written) == sorted(I.asset_files())
    mtimes = [p.stat().st_mtime_ns for p in written]
    assert [p.stat().st_mtime_ns for p in I.write_assets(tmp_path / "_static")] == mtimes  # unchanged files are not rewritten


def test_the_same_plot_gives_the_same_html_in_two_fresh_kernels():
    """Bokeh's random document/element ids are replaced by ids from the content: a chapter executed
    twice (each time in a fresh kernel, as the build does) gives the same page, so an incremental
    build equals a fresh one (tests/test_build_incremental.py compares the pages)."""
    import subprocess
    import sys

    code = ("from bokeh.plotting import figure\nfrom scripts import interactive as I\n"
            "p = figure(width=200, height=100)\np.scatter([1, 2], [3, 4])\nprint(I.plot_html(p, 'two points'))")
    first, second = (subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
                     for _ in range(2))
    assert first == second and I._UUID.search(first)
