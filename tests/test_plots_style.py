"""Every chapter figure is legible where it is shown, sharp, and described.

Built from the seeds and the tiny fixture exactly as the chapters build them: each figure must be
:data:`scripts.plots.FIG_WIDTH` wide, its smallest text at least 10 pt once shown in the HTML column
(672 px, measured on the built book) and on the PDF page (6.26 in text width), no text may stick out
of the canvas (it would be cut off), and its alt text must name what is plotted with its values
(every episode where the figure shows every episode). ``publish_figure`` must write a 2x PNG carrying
that alt text and hand glue an image shown at the drawn width.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from scripts import actors as A
from scripts import corpus as C
from scripts import diplomatic as D
from scripts import plots
from scripts import terms as T
from scripts import tone as TO
from scripts import tone_scores as TS
from scripts.narrative import corpus as NC
from scripts.plots import actors as PA
from scripts.plots import terms as TP
from scripts.plots import tone as PT
from scripts.plots.style import CSS_DPI, PIXEL_RATIO, display_scale, min_font_at, visible_texts

ROOT = Path(__file__).resolve().parent.parent
HTML_COLUMN_IN = 672 / CSS_DPI    # widest figure area of the book's HTML page at 1280 px (measured)
PDF_TEXT_IN = 6.26                # A4, 1 in margins
PDF_FIGURE_MAX_H_IN = 8.75        # A4 text height less room for a caption: taller figures are shrunk


def _figures(folder: Path) -> dict[str, tuple]:
    """name -> (figure, alt text, episode labels the alt text must name), as the chapters make them."""
    corp = C.load_corpus(folder)
    docs, eps = corp.documents, corp.episodes.sort_values("order").reset_index(drop=True)
    every = list(eps["label"])
    out = {"corpus_timeline": (plots.corpus_timeline(eps, docs), plots.corpus_timeline_alt(eps, docs), every),
           "corpus_sizes": (plots.corpus_sizes(eps, docs), plots.corpus_sizes_alt(docs), [])}
    terms = T.annotate_terms(corp.tokens)
    freq = T.all_frequencies(terms)
    conc = T.concept_counts(T.article_concepts(T.concept_mentions(corp.sentences), terms))
    coverage = T.keyness_coverage(terms, eps)
    key = T.keyness(terms)
    out["terms_top"] = (TP.top_terms_figure(freq, eps), TP.top_terms_alt(freq, eps), every)
    out["concepts_heatmap"] = (TP.concepts_heatmap(conc, eps), TP.concepts_heatmap_alt(conc, eps), every)
    out["keyness"] = (TP.keyness_figure(key, coverage, eps), TP.keyness_alt(key, coverage, eps), [])
    mentions = A.find_mentions(corp.sentences, docs)
    counts = A.mention_counts(mentions, docs)
    co = A.co_mentions(mentions, corp.sentences, episodes=eps)
    persons = A.persons_by_mentions(counts, min_count=2)
    out["actors_mentions"] = (PA.mention_rates(counts, eps, persons), PA.mention_rates_alt(counts, eps, persons), every)
    out["actors_networks"] = (PA.co_mention_networks(counts, co, eps), PA.co_mention_networks_alt(counts, co, eps), every)
    scored = TO.attach_actors(TS.score_sentences(corp.sentences), mentions)
    quoted = TO.score_quotes(A.find_quotes(corp.sentences, docs), docs)
    summary = TO.tone_summary(scored, quoted, TO.all_shifts(scored, eps, 100, 0, 99), 100, 0)
    ep_lang = TO.summary_level(summary, "episode_language", ["episode", "language"])
    qa = TO.top_quoted(summary, quoted, eps)
    traj = TO.trajectories(scored, 5, 100, 0)
    ws = TO.headline_word_shift(D.diplomatic_matches(corp.sentences), scored, eps).shift
    out["tone_episodes"] = (PT.episode_tone(ep_lang, eps), PT.episode_tone_alt(ep_lang, eps), every)
    out["tone_quotes"] = (PT.quoted_tone(qa, eps), PT.quoted_tone_alt(qa, eps), [])
    out["tone_trajectory"] = (PT.trajectory(traj), PT.trajectory_alt(traj), [])
    out["tone_word_shift"] = (PT.word_shift(ws), PT.word_shift_alt(ws), [])
    out["intro_timeline"] = (plots.episode_timeline(eps, docs), plots.episode_timeline_alt(eps, docs), every)
    boxes = NC.pipeline_boxes({"n_files": 6, "n_rules": 30, "n_abbreviations": 71, "n_concepts": 51, "n_actors": 83,
                               "n_lexicon": 45})
    out["methods_pipeline"] = (plots.flow_chart(*boxes), plots.flow_chart_alt(*boxes), [])
    return out


@pytest.fixture(scope="module", params=["seeds", "tests/fixtures/tiny"])
def figures(request):
    plots.setup_style()
    figs = _figures(ROOT / request.param)
    yield figs
    plt.close("all")


def test_every_chapter_figure_is_drawn_at_the_shared_width(figures):
    assert len(figures) == 13
    for name, (fig, _alt, _labels) in figures.items():
        assert fig.get_size_inches()[0] == pytest.approx(plots.FIG_WIDTH), name
        assert display_scale(fig, HTML_COLUMN_IN) == 1 and display_scale(fig, PDF_TEXT_IN) == 1, name  # never shrunk
        assert fig.get_size_inches()[1] <= PDF_FIGURE_MAX_H_IN, (name, fig.get_size_inches())       # nor on the page


def test_text_is_at_least_10_pt_where_the_figure_is_shown(figures):
    for name, (fig, _alt, _labels) in figures.items():
        for width in (HTML_COLUMN_IN, PDF_TEXT_IN):
            assert min_font_at(fig, width) >= plots.MIN_FONT, (name, width,
                                                               [(t.get_text(), t.get_fontsize()) for t in visible_texts(fig)
                                                                if t.get_fontsize() < plots.MIN_FONT][:5])


def test_no_text_sticks_out_of_the_figure(figures):
    for name, (fig, _alt, _labels) in figures.items():
        renderer = fig.canvas.get_renderer()
        w, h = fig.canvas.get_width_height()
        for t in visible_texts(fig):
            box = t.get_window_extent(renderer)
            assert box.x0 >= -1 and box.x1 <= w + 1 and box.y0 >= -1 and box.y1 <= h + 1, (name, t.get_text(), box, (w, h))


def test_no_figure_needs_a_legend(figures):
    for name, (fig, _alt, _labels) in figures.items():
        assert not fig.legends and all(ax.get_legend() is None for ax in fig.axes), name


def test_alt_text_says_what_is_plotted_and_names_the_episodes(figures):
    for name, (_fig, alt, labels) in figures.items():
        assert len(alt) > 40 and alt.endswith("."), (name, alt)
        assert not alt.lower().endswith(".png"), name
        for label in labels:
            assert label in alt, (name, label, alt)


def test_publish_figure_writes_a_2x_png_with_its_alt_text(tmp_path):
    plots.setup_style()
    fig, ax = plt.subplots(figsize=(plots.FIG_WIDTH, 2))
    ax.plot([0, 1], [0, 1])
    img = plots.publish_figure(fig, tmp_path, "line", "Line chart from 0 to 1.")
    png = tmp_path / "line.png"
    with Image.open(png) as im:
        assert im.size == (round(plots.FIG_WIDTH * CSS_DPI * PIXEL_RATIO), 2 * CSS_DPI * PIXEL_RATIO)
    assert plots.png_alt(png.read_bytes()) == "Line chart from 0 to 1." == img.alt
    data, meta = img._repr_png_()                       # what glue stores: the PNG and its display width
    assert data == png.read_bytes() and meta == {"width": round(plots.FIG_WIDTH * CSS_DPI)}
    assert not plt.fignum_exists(fig.number)            # closed
    fig2, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        plots.publish_figure(fig2, tmp_path, "bare", "  ")
    plt.close(fig2)


def test_figure_alt_extension_reads_the_png(tmp_path):
    """_ext/figure_alt.py takes the alt text from the PNG that publish_figure wrote."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("figure_alt", ROOT / "_ext" / "figure_alt.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.ALT_KEY == plots.style.ALT_KEY
    fig, _ = plt.subplots()
    plots.publish_figure(fig, tmp_path, "x", "Bar chart of 3 episodes.")
    assert mod._png_alt(tmp_path / "x.png") == "Bar chart of 3 episodes."
    assert mod._png_alt(tmp_path / "missing.png") == ""
