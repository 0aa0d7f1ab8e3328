"""The narrow drawings of the chapter figures (``width=plots.NARROW_WIDTH``), shown in the HTML on a phone
instead of the wide ones: on the three corpora each is drawn 3.4 in (326 CSS px) wide, so a 390 px
screen shows it unscaled, its smallest text is 10 pt at that size, and no text runs off its canvas (a
label cut at the edge is what the wide figure scrolled out of sight). ``publish_figure`` writes both
drawings and gives the HTML a ``<picture>`` while the PDF keeps the wide PNG."""
from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from IPython.core.formatters import format_display_data  # noqa: E402

from scripts import actors as A  # noqa: E402
from scripts import diplomatic as D  # noqa: E402
from scripts import plots  # noqa: E402
from scripts import terms as T  # noqa: E402
from scripts import tone as TN  # noqa: E402
from scripts import tone_scores as TS  # noqa: E402
from scripts.narrative import corpus as NC  # noqa: E402
from scripts.plots import actors as PA  # noqa: E402
from scripts.plots import corpus as PC  # noqa: E402
from scripts.plots import style  # noqa: E402
from scripts.plots import terms as TP  # noqa: E402
from scripts.plots import tone as PT  # noqa: E402

PHONE_COLUMN_IN = (343 - 8) / style.CSS_DPI   # a figure's room in a 390 px window (classic scrollbar), as for the summary


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def narrow_figures(corp) -> dict:
    """Every chapter figure that has a narrow drawing, drawn narrow from the corpus's own tables."""
    w = plots.NARROW_WIDTH
    docs, eps = corp.documents, corp.episodes
    terms = T.annotate_terms(corp.tokens)
    key = T.keyness(terms, min_count=1)
    cov = T.keyness_coverage(terms, eps)
    mentions = A.find_mentions(corp.sentences, docs)
    counts = A.mention_counts(mentions, docs)
    co = A.co_mentions(mentions, corp.sentences, episodes=eps)
    scored = TN.attach_actors(TS.score_sentences(corp.sentences), mentions)
    quoted = TN.score_quotes(A.find_quotes(corp.sentences, docs), docs)
    shifts = TN.all_shifts(scored, eps, 100, 0, 99)
    summary = TN.tone_summary(scored, quoted, shifts, 100, 0)
    ws = TN.headline_word_shift(D.diplomatic_matches(corp.sentences), scored, eps)
    concepts = T.load_concepts()
    conc = T.concept_counts(T.article_concepts(T.concept_mentions(corp.sentences, concepts), terms, concepts), concepts)
    return {
        "terms_concepts": TP.concepts_heatmap(conc, eps, width=w),        # the PNG behind the hover plot
        "tone_episodes": PT.episode_tone(TN.summary_level(summary, "episode_language", ["episode", "language"]), eps, width=w),
        "intro_timeline": plots.episode_timeline(eps, docs, width=w),
        "corpus_timeline": plots.corpus_timeline(eps, docs, width=w),
        "corpus_sizes": plots.corpus_sizes(eps, docs, width=w),
        "corpus_timeline_by_episode": PC.timeline_by_episode(eps, docs, width=w),   # above max_articles
        "corpus_sizes_by_episode": PC.sizes_by_episode(eps, docs, width=w),
        "methods_pipeline": plots.flow_chart(*NC.pipeline_boxes({k: 12 for k in ("n_files", "n_rules", "n_abbreviations",
                                                                               "n_concepts", "n_actors", "n_lexicon")}), width=w),
        "terms_top": TP.top_terms_figure(T.all_frequencies(terms), eps, top_n=10, width=w),
        "keyness": TP.keyness_figure(key, cov, eps, top_n=10, width=w),
        "actors_mentions": PA.mention_rates(counts, eps, A.persons_by_mentions(counts, min_count=1), width=w),
        "actors_networks": PA.co_mention_networks(counts, co, eps, min_count=1, width=w),
        "tone_quotes": PT.quoted_tone(TN.top_quoted(summary, quoted, eps), eps, width=w),
        "tone_trajectory": PT.trajectory(TN.trajectories(scored, 3, 100, 0), width=w),
        "tone_word_shift": PT.word_shift(ws.shift, 12, width=w),
    }


def test_narrow_drawings_fit_a_phone_with_10_pt_text(any_corpus):
    name, corp = any_corpus
    plots.setup_style()
    problems = []
    for fig_name, fig in narrow_figures(corp).items():
        width_in = float(fig.get_size_inches()[0])
        if abs(width_in - plots.NARROW_WIDTH) > 1e-6 or width_in > PHONE_COLUMN_IN:
            problems.append(f"{fig_name}: {width_in} in wide")
        texts = style.visible_texts(fig)   # draws the figure once
        smallest = min(t.get_fontsize() for t in texts) * style.display_scale(fig, PHONE_COLUMN_IN)
        if smallest < style.MIN_FONT:
            problems.append(f"{fig_name}: text at {smallest:.1f} pt")
        renderer = fig.canvas.get_renderer()
        for t in texts:
            box = t.get_window_extent(renderer)
            if box.x0 < -1 or box.x1 > fig.bbox.width + 1 or box.y0 < -1 or box.y1 > fig.bbox.height + 1:
                problems.append(f"{fig_name}: {t.get_text()[:40]!r} runs off the canvas")
        plt.close(fig)
    assert not problems, f"{name}: " + "\n".join(problems)


def test_publish_figure_gives_the_html_a_picture_and_the_pdf_the_wide_png(tmp_path):
    """Both PNGs are written; the glued object's text/html is a <picture> (narrow below 660 px, each at its
    drawn CSS size, alt escaped); its image/png (what LaTeX takes) is the wide drawing."""
    eps = pd.DataFrame({"episode": ["a"], "label": ["A <b>"], "date": pd.to_datetime(["2017-04-12"]), "order": [0]})
    docs = pd.DataFrame({"doc_id": ["d1"], "episode": ["a"], "language": ["en"], "date": pd.to_datetime(["2017-04-12"]),
                         "tokens_clean": [100]})
    alt = plots.corpus_timeline_alt(eps, docs)
    image = plots.publish_figure(plots.corpus_timeline(eps, docs), tmp_path, "t", alt,
                                 narrow=plots.corpus_timeline(eps, docs, width=plots.NARROW_WIDTH))
    assert (tmp_path / "t.png").is_file() and (tmp_path / "narrow" / "t.png").is_file()
    data, meta = format_display_data(image)
    assert base64.b64decode(data["image/png"]) == (tmp_path / "t.png").read_bytes() if isinstance(data["image/png"], str) \
        else data["image/png"] == (tmp_path / "t.png").read_bytes()
    assert meta["image/png"]["width"] == round(plots.FIG_WIDTH * style.CSS_DPI)
    page = data["text/html"]
    assert page.startswith('<picture class="book-figure">') and f'media="{style.NARROW_MEDIA}"' in page
    assert f'width="{round(plots.NARROW_WIDTH * style.CSS_DPI)}"' in page and f'width="{image.width}"' in page
    narrow_png = base64.b64decode(re.search(r'<source[^>]*srcset="data:image/png;base64,([^" ]+) 2x"', page).group(1))
    assert narrow_png == (tmp_path / "narrow" / "t.png").read_bytes()
    assert "A &lt;b&gt;" in page and "A <b>" not in page                   # alt text escaped
    assert style.png_alt(narrow_png) == alt
    plain = plots.publish_figure(plots.corpus_timeline(eps, docs), tmp_path, "u", alt)
    assert "text/html" not in format_display_data(plain)[0]               # no narrow drawing: the PNG alone
    with pytest.raises(ValueError):
        plots.publish_figure(plots.corpus_timeline(eps, docs), tmp_path, "v", alt, narrow=plots.corpus_timeline(eps, docs))


def test_the_html_links_each_drawing_from_a_file_instead_of_inlining_it(tmp_path):
    """_ext/figure_alt.py: every data URL of a <picture class="book-figure"> becomes a file of _images/
    (named by its content, written once) linked relative to the page; other data URLs stay."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("figure_alt", Path(__file__).resolve().parent.parent / "_ext" / "figure_alt.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    wide, narrow = b"\x89PNG wide", b"\x89PNG narrow"
    page = ("<p>x</p>" + style.picture_html(wide, (600, 300), narrow, (326, 400), "alt") + "<img src='data:image/png;base64,AAAA'>")
    out = ext.picture_files(page, tmp_path / "_images", "../")
    assert "data:image/png;base64,AAAA" in out and out.count("data:") == 1       # only the picture's PNGs moved
    files = sorted((tmp_path / "_images").glob("figure-*.png"))
    assert sorted(f.read_bytes() for f in files) == sorted([wide, narrow])
    assert all(f'../_images/{f.name}' in out for f in files)
    assert ext.picture_files(page, tmp_path / "_images", "").count("_images/figure-") == 3   # src, srcset and source
