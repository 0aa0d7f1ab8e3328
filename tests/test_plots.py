"""Shared figure helpers of scripts/plots: episode colours, text safety, corpus timeline, flow chart,
date axes."""
from __future__ import annotations

import pandas as pd
import pytest


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


def test_corpus_timeline_rows_are_episodes_and_the_axis_spans_days():
    """Two years between episodes no longer stretch the axis: x is the publication day relative to the
    episode date, rows are the episodes in date order, each article on its own line, labelled at the right."""
    import matplotlib.pyplot as plt

    from scripts.plots import corpus_timeline, corpus_timeline_alt

    episodes = pd.DataFrame({"episode": ["b", "a"], "label": ["B", "A $x$"], "order": [1, 0],
                             "date": pd.to_datetime(["2019-05-14", "2017-04-12"])})
    docs = pd.DataFrame({"doc_id": ["big", "small", "late"], "episode": ["a", "b", "b"], "language": ["fr", "en", "fr"],
                         "date": pd.to_datetime(["2017-04-12", "2019-05-14", "2019-05-16"]), "tokens_clean": [5000, 100, 80]})
    fig = corpus_timeline(episodes, docs)
    fig.canvas.draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == ["A \\$x\\$", "B"]  # date order, no mathtext
    assert [t.get_text().split("\n")[1] for t in ax.get_yticklabels()] == ["(12 Apr 2017)", "(14 May 2019)"]
    lo, hi = ax.get_xlim()
    assert lo <= 0 and hi >= 2 and hi - lo <= 6                          # days, not years
    centres = [tuple(ax.transData.transform(c.get_offsets())[0]) for c in ax.collections]
    assert len(centres) == 3 and min(abs(a[1] - b[1]) for i, a in enumerate(centres) for b in centres[i + 1:]) > 20  # px apart
    for (x, _y), text in zip(centres, ax.texts):
        assert text.get_window_extent(renderer).x0 > x + 10, text.get_text()        # right of its marker
    assert [t.get_text() for t in ax.texts] == ["big · French · 5,000 words", "small · English · 100 words",
                                                "late · French · 80 words"]
    assert ax.get_legend() is None
    alt = corpus_timeline_alt(episodes, docs)
    assert "A $x$ (12 April 2017): 1 article" in alt and "late (French, 80 words, 2 days after)" in alt
    plt.close(fig)


def test_corpus_sizes_one_bar_pair_per_article_in_document_order():
    import matplotlib.pyplot as plt

    from scripts.plots import corpus_sizes, episode_colors

    episodes = pd.DataFrame({"episode": ["a", "b"], "order": [0, 1]})
    docs = pd.DataFrame({"doc_id": ["x$1", "y"], "episode": ["b", "a"], "tokens_raw": [1200, 300], "tokens_clean": [1000, 300]})
    fig = corpus_sizes(episodes, docs)
    ax = fig.axes[0]
    raw, kept = ax.containers
    assert [b.get_width() for b in raw] == [1200, 300] and [b.get_width() for b in kept] == [1000, 300]
    colors = episode_colors(episodes)
    assert [b.get_facecolor() for b in kept] == [plt.matplotlib.colors.to_rgba(colors[e]) for e in ("b", "a")]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x\\$1", "y"]  # seed ids never read as mathtext
    assert [t.get_text().strip() for t in ax.texts] == ["1,000 of 1,200 kept", "300 of 300 kept"]
    assert ax.get_legend() is None                      # the axis label names kept and removed
    plt.close(fig)


def test_flow_chart_text_is_at_least_10_pt():
    import matplotlib.pyplot as plt

    from scripts.plots import flow_chart

    fig = flow_chart([("A", "first stage with a long detail")], [("B", "x"), ("C", "y")], [("D", "out")])
    sizes = [t.get_fontsize() for t in fig.axes[0].texts]
    assert len(sizes) == 8 and min(sizes) >= 10
    plt.close(fig)


def test_episode_timeline_first_year_is_labelled():
    """Concise date ticks read "Jul, 2018, Jul, 2019": the first months need their year."""
    import matplotlib.pyplot as plt

    from scripts.plots import episode_timeline

    eps = pd.DataFrame({"episode": ["a", "b"], "label": ["A", "B"], "date": pd.to_datetime(["2017-04-12", "2019-05-14"]),
                        "place": ["X", "Y"], "summary": ["s", "t"], "order": [0, 1]})
    docs = pd.DataFrame({"episode": ["a", "b"], "language": ["fr", "en"]})
    fig = episode_timeline(eps, docs)
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert "2017" in labels[0], labels
    plt.close(fig)
