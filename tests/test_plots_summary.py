"""The summary figure of the findings page (scripts/plots/summary.py) on the three corpora: narrow
enough for a phone's column (never scaled down, so 10 pt stays 10 pt), episodes in date order in both
panels, one language in the agenda panel, direct labels and no overlapping text; the alt text is
generated from the same data and carries the values."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from scripts import plots  # noqa: E402
from scripts import tone as TN  # noqa: E402
from scripts.plots import style  # noqa: E402
from scripts.plots import summary as PS  # noqa: E402
from tests.test_narrative_findings import corpus_tables  # noqa: E402

PHONE_COLUMN_IN = (343 - 8) / style.CSS_DPI   # a figure's room in a 390 px window (classic scrollbar), in inches


def _no_overlap(fig) -> None:
    """No two texts overlap. Column heads tilted 45° have overlapping upright boxes while their letters
    stand apart: for them, the spacing across their slant must exceed a head's height."""
    heads = [t for t in fig.axes[0].get_xticklabels() if t.get_rotation() == 45.0]
    tilted = {t.get_text() for t in heads}
    pairs = [(a, b) for a, b in style.overlapping_texts(fig) if not (a in tilted and b in tilted)]
    assert pairs == [], pairs
    renderer = fig.canvas.get_renderer()
    for a, b in zip(heads, heads[1:]):
        step = abs(b.get_window_extent(renderer).x0 - a.get_window_extent(renderer).x0) * 0.7071
        a.set_rotation(0)
        height = a.get_window_extent(renderer).height
        a.set_rotation(45)
        assert step > height, (a.get_text(), step, height)


def _inputs(corp):
    _, summary, _, concepts, eps = corpus_tables(corp)
    return concepts, TN.summary_level(summary, "episode_language", ["episode", "language"]), eps


def test_summary_figure_on_every_corpus(any_corpus):
    name, corp = any_corpus
    plots.setup_style()
    concepts, ep_lang, eps = _inputs(corp)
    fig = PS.summary_figure(concepts, ep_lang, eps)
    try:
        fig.canvas.draw()
        assert fig.get_size_inches()[0] <= PHONE_COLUMN_IN                 # shown unscaled on a phone
        assert style.min_font_at(fig, PHONE_COLUMN_IN) >= PS.FONT >= 10
        _no_overlap(fig)
        heat, tone = fig.axes[:2]
        order = list(eps.sort_values("order")["label"])
        heads = [t.get_text().replace("\n", " ") for t in heat.get_xticklabels()]
        assert heads == order                                               # agenda columns in date order
        rows = [t.get_text().split(" · ")[0] for t in tone.texts]
        assert rows == sorted(rows, key=order.index)                        # tone rows in date order
        lang = PS.agenda_language(concepts)
        title = " ".join(fig.subfigs[0]._suptitle.get_text().split())
        assert title.endswith(f"({ {'en': 'English', 'fr': 'French'}[lang]} articles)")
        _, rates = PS.agenda_matrix(concepts, eps)
        names = [t.get_text() for t in heat.texts if t.get_ha() == "left"]
        cells = [t.get_text() for t in heat.texts if t.get_ha() == "center"]
        assert names == list(rates.index)                                   # each row named (direct label)
        assert cells == [("–" if pd.isna(v) else f"{v:.1f}") for v in rates.to_numpy().ravel()]   # every rate printed
        assert not fig.legends and heat.get_legend() is None and tone.get_legend() is None   # direct labels
    finally:
        plt.close(fig)


def test_the_alt_text_says_what_is_shown_with_the_values(any_corpus):
    name, corp = any_corpus
    concepts, ep_lang, eps = _inputs(corp)
    alt = PS.summary_alt(concepts, ep_lang, eps)
    lang, rates = PS.agenda_matrix(concepts, eps)
    assert alt.startswith(f"Two charts over {len(eps)} episode")
    assert all(str(label) in alt for label in eps["label"])
    for concept in rates.index:
        assert f"{concept}: " + ", ".join("no article" if pd.isna(v) else f"{v:.1f}" for v in rates.loc[concept]) in alt
    coop = PS.tone_rows(ep_lang, eps)
    assert "cooperation index" in alt and all(f"{r.estimate:+.2f} [{r.ci_low:+.2f}, {r.ci_high:+.2f}]" in alt
                                              for r in coop.itertuples())
    fig = PS.summary_figure(concepts, ep_lang, eps)
    assert style.png_alt(style.png_bytes(fig, alt)) == alt
    plt.close(fig)


def test_many_episodes_tilt_the_column_heads_rather_than_overlap():
    eps = pd.DataFrame({"episode": list("abcdef"), "label": [f"Washington, May 201{i}" for i in range(6)], "order": range(6)})
    concepts = pd.DataFrame([{"episode": e, "language": "fr", "label": c, "count": 2, "per_1k": 1.5}
                             for e in eps["episode"] for c in ("Syria", "Trade")])
    tone = pd.DataFrame([{"episode": e, "language": lang, "measure": "cooperation_index", "estimate": 0.1, "ci_low": 0.0,
                          "ci_high": 0.2, "interval": "between articles"} for e in eps["episode"] for lang in ("en", "fr")])
    fig = PS.summary_figure(concepts, tone, eps)
    try:
        assert fig.get_size_inches()[1] <= 8.75      # twelve tone rows still fit a PDF page (A4 text height less a caption)
        assert fig.get_size_inches()[0] == PS.WIDTH
        _no_overlap(fig)
        assert {t.get_rotation() for t in fig.axes[0].get_xticklabels()} == {45.0}
    finally:
        plt.close(fig)


@pytest.mark.parametrize("empty", ["concepts", "tone"])
def test_an_empty_panel_says_so(empty):
    eps = pd.DataFrame({"episode": ["a"], "label": ["Alpha"], "order": [0]})
    concepts = pd.DataFrame(columns=["episode", "language", "label", "count", "per_1k"])
    tone = pd.DataFrame(columns=["episode", "language", "measure", "estimate", "ci_low", "ci_high", "interval"])
    if empty == "tone":
        concepts = pd.DataFrame([{"episode": "a", "language": "en", "label": "Syria", "count": 1, "per_1k": 2.0}])
    fig = PS.summary_figure(concepts, tone, eps)
    alt = PS.summary_alt(concepts, tone, eps)
    assert ("no concept is mentioned" in alt) == (empty == "concepts") and "no scored sentence" in alt
    plt.close(fig)


def test_agenda_language_covers_most_episodes_then_most_mentions():
    c = pd.DataFrame({"episode": ["a", "b", "b", "a"], "language": ["en", "fr", "en", "fr"], "count": [1, 9, 1, 1]})
    assert PS.agenda_language(c) == "fr"                         # both cover two episodes; fr has more mentions
    assert PS.agenda_language(c[c["language"] == "en"].iloc[:1]) == "en"
    assert PS.agenda_language(c.iloc[:0]) == ""
