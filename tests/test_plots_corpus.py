"""Tests of scripts/plots/corpus.py: the corpus figures of a large corpus draw episodes, not articles."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from scripts.plots import corpus as PC
from scripts.plots import episode_colors, setup_style


def _corpus(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` articles over two episodes (date order b after a), 1 English : 3 French, some a day late."""
    episodes = pd.DataFrame({"episode": ["b", "a"], "label": ["B", "A $x$"], "order": [1, 0],
                             "date": pd.to_datetime(["2019-05-14", "2017-04-12"])})
    ep = ["a" if k % 2 else "b" for k in range(n)]
    lag = [k % 3 == 0 for k in range(n)]
    docs = pd.DataFrame({"doc_id": [f"d{k}" for k in range(n)], "episode": ep,
                         "language": ["en" if k % 4 == 0 else "fr" for k in range(n)],
                         "date": [episodes.set_index("episode").loc[e, "date"] + pd.Timedelta(days=int(d)) for e, d in zip(ep, lag)],
                         "tokens_raw": [500 + k for k in range(n)], "tokens_clean": [400 + k for k in range(n)]})
    return episodes, docs


def test_per_article_only_up_to_the_limit():
    _, docs = _corpus(40)
    assert PC.per_article(docs, 40) and not PC.per_article(docs, 39)


def test_days_table_counts_articles_and_words_per_episode_language_and_day():
    episodes, docs = _corpus(1000)
    days = PC.episode_language_days(episodes, docs)
    assert list(days.columns) == ["episode", "language", "lag_days", "articles", "tokens_clean", "tokens_raw"]
    assert days["articles"].sum() == 1000 and days["tokens_clean"].sum() == docs["tokens_clean"].sum()
    assert list(days["episode"].drop_duplicates()) == ["a", "b"]          # date order
    assert set(days["lag_days"]) == {0, 1}


@pytest.mark.parametrize("n", [100, 1000])
def test_timeline_rows_are_episode_and_language_whatever_the_size(n):
    setup_style()  # the chapters' style (constrained layout), as they draw it
    episodes, docs = _corpus(n)
    fig = PC.timeline_by_episode(episodes, docs)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert fig.get_size_inches()[1] < 4                                   # 3 rows, not n
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == ["A \\$x\\$", "B", "B"]  # a: French only
    marks = sum(len(c.get_offsets()) for c in ax.collections)
    assert marks == len(PC.episode_language_days(episodes, docs))        # a marker per episode, language and day
    labels = [t.get_text() for t in ax.texts]
    assert labels[0].startswith("French · ") and sum(int(t.split(" · ")[1].split()[0].replace(",", "")) for t in labels) == n
    fig_box = fig.bbox
    for t in ax.texts:                                                    # labels stay on the canvas
        assert t.get_window_extent().x1 <= fig_box.x1 + 1, t.get_text()
    alt = PC.timeline_by_episode_alt(episodes, docs)
    assert alt.startswith(f"Dot chart of the {n:,} articles") and "A $x$, French" in alt and "B, English" in alt
    plt.close(fig)


def test_sizes_one_bar_pair_per_episode_and_language_summed():
    episodes, docs = _corpus(1000)
    fig = PC.sizes_by_episode(episodes, docs)
    ax = fig.axes[0]
    raw, kept = ax.containers
    rows = PC.episode_language_days(episodes, docs).groupby(["episode", "language"], sort=False)[["tokens_raw", "tokens_clean"]].sum()
    assert [b.get_width() for b in raw] == list(rows["tokens_raw"]) and [b.get_width() for b in kept] == list(rows["tokens_clean"])
    colors = episode_colors(episodes)
    assert kept[0].get_facecolor() == plt.matplotlib.colors.to_rgba(colors["a"])
    assert all(t.get_text().strip().endswith("kept") for t in ax.texts) and len(ax.texts) == 3
    assert PC.sizes_by_episode_alt(episodes, docs).count("articles)") == 3
    plt.close(fig)


def test_empty_corpus_draws_an_empty_figure():
    episodes, docs = _corpus(0)
    assert PC.episode_language_days(episodes, docs).empty
    plt.close(PC.timeline_by_episode(episodes, docs))
    plt.close(PC.sizes_by_episode(episodes, docs))
