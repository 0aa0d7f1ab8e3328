"""Figures of the terms chapter: one panel per episode (or episode × language unit) in date order,
labels as readers see them (surface forms, episode labels), episode colours, and the single-episode
and nothing-to-compare cases."""
from __future__ import annotations

from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from scripts import corpus as C
from scripts import plots
from scripts import terms as T
from scripts.plots import terms as TP

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def tiny():
    corp = C.load_corpus(TINY)
    terms = T.annotate_terms(corp.tokens)
    conc = T.concept_counts(T.article_concepts(T.concept_mentions(corp.sentences), terms))
    return {"corp": corp, "episodes": corp.episodes.sort_values("order").reset_index(drop=True), "terms": terms,
            "freq": T.all_frequencies(terms), "conc": conc}


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _visible(fig: Figure):
    return [ax for ax in fig.axes if ax.get_visible()]


def test_top_terms_one_panel_per_episode_and_language_in_date_order(tiny):
    eps = tiny["episodes"]
    fig = TP.top_terms_figure(tiny["freq"], eps, top_n=4)
    assert isinstance(fig, Figure)
    axes = _visible(fig)
    # date order, then language; rates of two languages never share a panel
    assert [ax.get_title().replace("\n", " ") for ax in axes] == ["Moscow, April 2017 (French)", "Geneva, June 2021 (English)",
                                                                  "Geneva, June 2021 (French)"]
    colors = plots.episode_colors(eps)
    for ax, ep in zip(axes, ["moscow-2017", "geneva-2021", "geneva-2021"]):
        assert mcolors.to_hex(ax.patches[0].get_facecolor()) == colors[ep].lower()
        assert 1 <= len(ax.patches) <= 4
    stems = set(tiny["terms"]["term"]) - set(T.surface_forms(tiny["terms"])["surface"])
    for ax in axes:
        assert not {t.get_text() for t in ax.get_yticklabels()} & stems        # surface forms, never bare stems
    assert len({ax.get_xlim() for ax in axes}) == 1                          # one scale


def test_concepts_heatmap_columns_are_episode_language_units(tiny):
    eps = tiny["episodes"]
    conc = tiny["conc"]
    fig = TP.concepts_heatmap(conc, eps)
    assert len(fig.axes) == 1                     # no colour bar: every cell carries its value (direct labels)
    ax = fig.axes[0]
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == [
        "Moscow, April 2017 (French)", "Geneva, June 2021 (English)", "Geneva, June 2021 (French)"]
    heat = T.concept_rates(conc, eps)
    labels = conc.drop_duplicates("concept").set_index("concept")["label"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [labels[c] for c in heat.index]
    colors = plots.episode_colors(eps)
    tops = [tick.label2.get_color() for tick in ax.xaxis.get_major_ticks()]
    assert tops == [colors[e] for e in ["moscow-2017", "geneva-2021", "geneva-2021"]]
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == heat.size and cells[0] == f"{heat.iat[0, 0]:.1f}"


def test_keyness_panels_are_comparable_units(tiny):
    eps = tiny["episodes"]
    cov = T.keyness_coverage(tiny["terms"], eps)
    key = T.keyness(tiny["terms"], min_count=1)
    fig = TP.keyness_figure(key, cov, eps, top_n=3)
    titles = [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes]
    assert titles == ["Moscow, April 2017 (French)", "Geneva, June 2021 (French)"]   # no English: no reference
    for ax, ep in zip(fig.axes, eps["episode"]):
        sub = key[(key["episode"] == ep) & (key["direction"] == "over") & (key["rank"] <= 3)]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == [f"{s}{' *' if g else ''}{' †' if o else ''}"
                          for s, g, o in zip(sub["surface"], sub["significant"], sub["single_article"])]
        assert all(lbl.endswith(" †") for lbl in labels)                 # one article per unit in tiny


def test_keyness_bars_have_one_height_in_every_panel(tiny):
    """A panel with 2 bars does not draw them as tall as a panel with many: one bar has one height everywhere."""
    eps = tiny["episodes"]
    cov = T.keyness_coverage(tiny["terms"], eps)
    key = T.keyness(tiny["terms"], min_count=1)
    first = key[key["episode"] == "moscow-2017"].head(2).assign(rank=[1, 2], direction="over")
    cut = pd.concat([first, key[key["episode"] != "moscow-2017"]])  # 2 bars vs every term of rank 6 or better (ties)
    n_other = int(((key["episode"] != "moscow-2017") & (key["direction"] == "over") & (key["rank"] <= 6)).sum())
    fig = TP.keyness_figure(cut, cov, eps, top_n=6)
    fig.canvas.draw()
    heights = [p.get_window_extent().height for ax in fig.axes for p in ax.patches]
    assert [len(ax.get_yticks()) for ax in fig.axes] == [2, n_other] and n_other >= 6
    assert max(heights) / min(heights) < 1.05                      # was 3× with equal panels
    assert len(fig.axes) == 2 and fig.axes[0].get_position().y0 == pytest.approx(fig.axes[1].get_position().y0)  # side by side
    plt.close("all")


def test_single_episode_corpus(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "geneva_en.txt").write_text((TINY / "geneva_en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (seeds / "manifest.yml").write_text("episodes:\n  - {id: g, label: Geneva, date: 2021-06-16}\n"
                                        "documents:\n  - {file: geneva_en.txt, episode: g, language: en}\n", encoding="utf-8")
    corp = C.load_corpus(seeds)
    eps, terms = corp.episodes, T.annotate_terms(corp.tokens)
    fig = TP.top_terms_figure(T.all_frequencies(terms), eps, top_n=5)
    assert [ax.get_title() for ax in _visible(fig)] == ["Geneva (English)"]
    conc = T.concept_counts(T.article_concepts(T.concept_mentions(corp.sentences), terms))
    heat = TP.concepts_heatmap(conc, eps)
    assert [t.get_text().replace("\n", " ") for t in heat.axes[0].get_xticklabels()] == ["Geneva (English)"]
    key = T.keyness(terms)
    kfig = TP.keyness_figure(key, T.keyness_coverage(terms, eps), eps)
    assert len(kfig.axes) == 1 and "not computable" in kfig.axes[0].texts[0].get_text()
