"""Tests of scripts/plots/actors.py: panels per episode, display names in labels, one shared scale,
single-episode and tiny-fixture corpora."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from scripts import actors as A
from scripts import corpus as C
from scripts.plots import actors as PA
from scripts.plots import episode_colors

ROOT = Path(__file__).resolve().parent.parent


def _tables(corp):
    m = A.find_mentions(corp.sentences, corp.documents)
    return A.mention_counts(m, corp.documents), A.co_mentions(m, corp.sentences, episodes=corp.episodes)


@pytest.fixture(scope="module")
def tiny():
    corp = C.load_corpus(ROOT / "tests" / "fixtures" / "tiny")
    return corp, *_tables(corp)


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_networks_one_panel_per_episode_in_date_order(tiny):
    corp, counts, co = tiny
    fig = PA.co_mention_networks(counts, co, corp.episodes, min_count=1)
    eps = corp.episodes.sort_values("order")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == list(eps["label"])
    colors = episode_colors(corp.episodes)
    assert [ax.title.get_color() for ax in panels] == [colors[e] for e in eps["episode"]]
    # node labels: short display name and mentions, e.g. "Lavrov (2)"
    for ax, ep in zip(panels, eps["episode"]):
        sub = counts[counts["episode"] == ep]
        expected = {f"{PA.short_name(r.name)} ({r.mentions})" for r in sub.itertuples()}
        assert expected <= {t.replace("\n", " ") for t in _texts(ax)}  # a long one beside a node on two lines
    plt.close(fig)


def test_networks_share_one_scale_across_panels():
    counts = pd.DataFrame({"episode": ["a", "a", "b", "b"], "actor": ["x", "y", "x", "y"],
                           "name": ["Ann X", "Bob Y", "Ann X", "Bob Y"], "mentions": [10, 10, 2, 2]})
    co = pd.DataFrame({"episode": ["a", "b", "all"], "actor_a": ["x"] * 3, "actor_b": ["y"] * 3, "windows": [8, 2, 10]})
    episodes = pd.DataFrame({"episode": ["a", "b"], "label": ["A", "B"], "order": [0, 1]})
    fig = PA.co_mention_networks(counts, co, episodes)
    widths = [ax.collections[0].get_linewidths()[0] for ax in fig.axes[:2]]
    sizes = [ax.collections[-1].get_sizes()[0] for ax in fig.axes[:2]]
    assert widths[0] == pytest.approx(0.8 + 5) and widths[1] == pytest.approx(0.8 + 5 * 2 / 8)
    assert sizes[0] == pytest.approx(600) and sizes[1] == pytest.approx(80 + 520 * 2 / 10)
    assert "8" in _texts(fig.axes[0]) and "2" in _texts(fig.axes[1])  # edge numbers
    plt.close(fig)


def test_edge_numbers_of_crossing_diagonals_do_not_collide():
    pos = {"a": (0.0, 100.0), "b": (100.0, 0.0), "c": (0.0, -100.0), "d": (-100.0, 0.0)}
    edges = [("a", "c"), ("b", "d"), ("a", "b")]
    sizes = {e: (10.0, 10.0) for e in edges}
    at = PA.edge_label_positions(pos, edges, sizes)
    # the crossing point (0, 0) is on both diagonals: neither number may sit there
    assert at[("a", "c")] == pytest.approx((0.0, 10.0))                # 45% along its own edge
    x, y = at[("b", "d")]
    assert y == pytest.approx(0.0) and abs(x) >= 14                     # along its own edge, clear of the first box
    assert at[("a", "b")] == pytest.approx((50.0, 50.0))                # nothing in the way: the midpoint
    # a node or a name label on the midpoint pushes the number along the edge
    at = PA.edge_label_positions({"a": (0.0, 0.0), "b": (100.0, 0.0), "m": (50.0, 0.0)}, [("a", "b")],
                                 {("a", "b"): (10.0, 10.0)}, radii={"m": 8.0})
    assert at[("a", "b")] != pytest.approx((50.0, 0.0)) and at[("a", "b")][1] == pytest.approx(0.0)
    at = PA.edge_label_positions({"a": (0.0, 0.0), "b": (100.0, 0.0)}, [("a", "b")], {("a", "b"): (10.0, 10.0)},
                                 boxes=[(-1000.0, -1000.0, 1000.0, 1000.0)])
    assert at[("a", "b")] is None                                       # no room anywhere: left out


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("folder", ["seeds", "tests/fixtures/tiny"])
def test_no_text_overlaps_in_the_networks(folder):
    corp = C.load_corpus(ROOT / folder)
    counts, co = _tables(corp)
    fig = PA.co_mention_networks(counts, co, corp.episodes, min_count=2)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = [t.get_window_extent(r) for t in ax.texts]
        assert all(not _overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), ax.get_title()
    # every drawn edge number matches a co-mention count of its episode
    for ax, ep in zip([a for a in fig.axes if a.get_title()], corp.episodes.sort_values("order")["episode"]):
        numbers = [int(t.get_text()) for t in ax.texts if t.get_text().isdigit()]
        assert set(numbers) <= set(co.loc[co["episode"] == ep, "windows"])
    plt.close(fig)


def _crowd(n: int, episodes: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``n`` persons in each of ``episodes`` episodes, every pair of the first six named together
    (a 1,000-article corpus gave 14 persons a panel and labels collided at the circle's top and bottom)."""
    names = ["Sergei Lavrov", "Rex Tillerson", "Vladimir Putin", "Mike Pompeo", "Donald Trump", "Bashar al-Assad",
             "Yuri Ushakov", "Kim Jong-un", "Robert Mueller", "Nicolás Maduro", "Barack Obama", "James Comey",
             "Jens Stoltenberg", "John Kerry", "Sean Spicer", "Angela Merkel", "Emmanuel Macron", "Xi Jinping"][:n]
    eps = [f"e{k}" for k in range(episodes)]
    counts = pd.DataFrame([{"episode": e, "actor": f"p{i}", "name": nm, "mentions": 1500 - 100 * i - 7 * k}
                           for k, e in enumerate(eps) for i, nm in enumerate(names)])
    co = pd.DataFrame([{"episode": e, "actor_a": f"p{i}", "actor_b": f"p{j}", "windows": 400 - 30 * (i + j)}
                       for e in eps for i in range(6) for j in range(i + 1, 6)])
    episodes_ = pd.DataFrame({"episode": eps, "label": [f"Episode {k + 1}" for k in range(episodes)], "order": range(episodes)})
    return counts, co, episodes_


@pytest.mark.parametrize("n", [8, 11, 14, 18])
@pytest.mark.parametrize("width", [PA.FIG_WIDTH, 3.4])
def test_no_text_overlaps_in_crowded_networks(n, width):
    counts, co, episodes = _crowd(n)
    fig = PA.co_mention_networks(counts, co, episodes, width=width)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    canvas = fig.bbox
    boxes = [(t.get_text(), t.get_window_extent(r)) for ax in fig.axes for t in [*ax.texts, ax.title] if t.get_text()]
    clash = [(a, b) for i, (a, x) in enumerate(boxes) for b, y in boxes[i + 1:] if _overlap(x, y)]
    assert not clash, clash[:3]                                          # across panels too
    out = [a for a, x in boxes if x.x0 < canvas.x0 or x.x1 > canvas.x1 or x.y0 < canvas.y0 or x.y1 > canvas.y1]
    assert not out, out[:3]                                              # nothing cut at the edges
    drawn = [t for ax in fig.axes for t in ax.texts if "(" in t.get_text()]
    assert len(drawn) == len(episodes) * min(n, PA.MAX_PERSONS)          # the most mentioned, at most MAX_PERSONS
    plt.close(fig)


def test_side_labels_sit_beside_their_nodes():
    counts = pd.DataFrame({"episode": ["a"] * 4, "actor": list("wxyz"), "name": ["W W", "X X", "Y Y", "Z Z"],
                           "mentions": [9, 7, 5, 3]})
    co = pd.DataFrame({"episode": ["a"], "actor_a": ["w"], "actor_b": ["y"], "windows": [2]})
    fig = PA.co_mention_networks(counts, co, pd.DataFrame({"episode": ["a"], "label": ["A"], "order": [0]}))
    ann = {a.get_text(): a for a in fig.axes[0].texts if "(" in a.get_text()}
    # circular layout: W at the right, X at the top, Y at the left, Z at the bottom
    assert ann["W (9)"].get_ha() == "left" and ann["Y (5)"].get_ha() == "right"
    assert ann["X (7)"].get_va() == "bottom" and ann["Z (3)"].get_va() == "top"
    plt.close(fig)


def test_single_episode_and_empty(tiny):
    corp, counts, co = tiny
    first = corp.episodes.sort_values("order").iloc[:1]
    ep = first["episode"].iloc[0]
    fig = PA.co_mention_networks(counts[counts["episode"] == ep], co[co["episode"].isin([ep, "all"])], first, min_count=1)
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == first["label"].iloc[0]
    plt.close(fig)
    fig = PA.co_mention_networks(counts.iloc[:0], co.iloc[:0], first)
    assert len(fig.axes) == 1 and _texts(fig.axes[0]) == []
    plt.close(fig)
    one = counts[counts["episode"] == ep]
    fig = PA.mention_rates(one, first, A.persons_by_mentions(one))
    assert len(fig.axes) == 1
    plt.close(fig)


def test_mention_rates_one_panel_per_episode_direct_labels(tiny):
    corp, counts, co = tiny
    persons = A.persons_by_mentions(counts)
    fig = PA.mention_rates(counts, corp.episodes, persons)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    ax = axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    display = dict(zip(counts["actor"], counts["name"]))
    assert names == [display[a] for a in persons]  # display names, in the order given (most mentioned first)
    # panels named by the episodes in date order (no legend), one bar per person in each, one x scale
    assert [a.get_title().replace("\n", " ") for a in axes] == list(corp.episodes.sort_values("order")["label"])
    assert all(a.get_legend() is None for a in axes) and len({a.get_xlim() for a in axes}) == 1
    assert all(len(a.patches) == len(names) for a in axes)
    assert sorted(int(t.get_text()) for a in axes for t in a.texts) == sorted(counts["mentions"].tolist())
    plt.close(fig)
    fig = PA.mention_rates(counts, corp.episodes, A.persons_by_mentions(counts, min_count=int(counts["mentions"].max()) + 1))
    assert fig.axes[0].get_yticklabels() == [] or [t.get_text() for t in fig.axes[0].get_yticklabels()] == []
    plt.close(fig)
