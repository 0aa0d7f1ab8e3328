"""Figures of the actors chapter. Each function takes the chapter's tables and returns a matplotlib
Figure (no file I/O: the notebook saves it with :func:`scripts.plots.save_figure`).

Inputs (from :mod:`scripts.actors` and :mod:`scripts.corpus`):
``counts``    :func:`scripts.actors.mention_counts` - episode, actor, name, provisional, mentions, per_1000
              (a provisional person - not in actors.yml - is marked with an asterisk and a dashed node)
``co``        :func:`scripts.actors.co_mentions` - episode, actor_a, actor_b, windows
``episodes``  ``corpus.episodes`` - episode, label, order (date order)
"""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from .. import episodes as E
from . import FIG_WIDTH, episode_colors, safe_text

EDGE_COLOR = "#777777"
PROVISIONAL = "*"  # after the name of a person actors.yml does not list


def _names(counts: pd.DataFrame) -> dict[str, str]:
    """actor -> display name, an asterisk after provisional persons."""
    prov = counts["provisional"].astype(bool) if "provisional" in counts else pd.Series(False, index=counts.index)
    return {a: f"{n}{PROVISIONAL}" if p else str(n) for a, n, p in zip(counts["actor"], counts["name"], prov)}


def mention_rates(counts: pd.DataFrame, episodes: pd.DataFrame, persons: list[str], per_row: int = 3,
                  width: float = FIG_WIDTH):
    """Small multiples: one panel per episode (date order, titled with its label in its colour,
    ``per_row`` a row), one horizontal bar per person of ``persons`` (top to bottom in that order;
    the chapter passes :func:`scripts.actors.persons_by_mentions`): mentions per 1,000 word tokens of
    the episode, the number of mentions at the bar end. One x scale; no legend. ``width`` below
    :data:`FIG_WIDTH` (a phone): one panel a row, each with its names."""
    order, labels = E.in_order(episodes), E.labels(episodes)
    colors = episode_colors(episodes)
    actor_order = list(persons)
    names = _names(counts)
    n = max(len(order), 1)
    narrow = width < FIG_WIDTH
    cols = 1 if narrow else max(1, min(n, per_row))
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width, (0.6 if narrow else 0.3) + rows * (0.8 + 0.3 * max(len(actor_order), 1))),
                             sharex=True, sharey=True, squeeze=False)
    xmax = max(float(counts["per_1000"].max()) * 1.45, 1) if len(counts) else 1
    y = list(range(len(actor_order)))
    for k, ep in enumerate(order):
        ax = axes[k // cols][k % cols]
        sub = counts[counts["episode"] == ep].set_index("actor")
        rates = [float(sub["per_1000"].get(a, 0.0)) for a in actor_order]
        ax.barh(y, rates, height=0.7, color=colors[ep])
        for yy, a, r in zip(y, actor_order, rates):
            if r > 0:
                ax.text(r, yy, f" {int(sub.loc[a, 'mentions'])}", va="center", fontsize=10)
        ax.set_title(_wrap(labels[ep], 30 if narrow else 18), color=colors[ep], fontsize=10.5)
        ax.set_xlim(0, xmax)
        if narrow:
            ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=4))
            ax.tick_params(axis="x", labelbottom=True)
    for k in range(len(order), rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    axes[0][0].set_yticks(y, [safe_text(names[a]) for a in actor_order])
    axes[0][0].invert_yaxis()
    fig.supxlabel("mentions per 1,000 word tokens\n(number: mentions)" if narrow else
                  "mentions per 1,000 word tokens (number: mentions)", fontsize=10.5)
    return fig


def _wrap(text: str, width: int = 18) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(safe_text(text), width)) or safe_text(text)


def mention_rates_alt(counts: pd.DataFrame, episodes: pd.DataFrame, persons: list[str]) -> str:
    """Alt text of :func:`mention_rates`: per episode, the persons shown with their mentions and rate."""
    names = _names(counts)
    parts = []
    for ep in E.in_order(episodes):
        sub = counts[(counts["episode"] == ep) & counts["actor"].isin(persons)].sort_values("mentions", ascending=False)
        vals = ", ".join(f"{names[r.actor]} {int(r.mentions)} ({r.per_1000:.1f} per 1,000)" for r in sub.itertuples()
                         if r.mentions > 0)
        parts.append(f"{E.labels(episodes)[ep]}: {vals or 'none'}")
    return (f"Bar charts, one per episode, of mentions per 1,000 word tokens for {len(persons)} persons. "
            + "; ".join(parts) + ".")


def short_name(name: str) -> str:
    """Last word of a display name ("Sergei Lavrov" -> "Lavrov", "Bashar al-Assad" -> "al-Assad")."""
    return name.split()[-1] if " " in name else name


def _segment_hits_box(p: tuple[float, float], q: tuple[float, float], box: tuple[float, float, float, float],
                      steps: int = 60) -> bool:
    """True when the segment p–q passes through ``box`` (x0, y0, x1, y1), sampled at ``steps`` points."""
    x0, y0, x1, y1 = box
    for k in range(steps + 1):
        t = k / steps
        x, y = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
        if x0 <= x <= x1 and y0 <= y <= y1:
            return True
    return False


def _boxes_overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _circle_hits_box(c: tuple[float, float], r: float, box: tuple[float, float, float, float]) -> bool:
    nx_, ny_ = min(max(c[0], box[0]), box[2]), min(max(c[1], box[1]), box[3])
    return math.dist(c, (nx_, ny_)) < r


def edge_label_positions(pos: dict, edges: list[tuple[str, str]], sizes: dict, radii: dict | None = None,
                         boxes: list[tuple[float, float, float, float]] | None = None, margin: float = 2.0,
                         steps: int = 13) -> dict:
    """Where to write each edge's number so that no number touches another number, a node, a name
    label or another edge (so a number never sits where edges cross and always reads as its own edge's).

    All in one coordinate system with equal units on both axes (display pixels): ``pos`` node -> (x, y);
    ``edges`` in priority order (the first get the best places); ``sizes`` edge -> (width, height) of
    its label; ``radii`` node -> radius; ``boxes`` other text to avoid (x0, y0, x1, y1). Candidates are
    ``steps`` points from 20% to 80% along the edge, nearest the middle first. Returns edge -> (x, y),
    or None when every candidate clashes (the number is then left out; the table has it).
    """
    radii, boxes = radii or {}, list(boxes or [])
    ts = sorted((0.2 + 0.6 * k / (steps - 1) for k in range(steps)), key=lambda t: (abs(t - 0.5), t))
    placed: list[tuple[float, float, float, float]] = []
    out = {}
    for a, b in edges:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        w, h = sizes[(a, b)]
        out[(a, b)] = None
        for t in ts:
            x, y = xa + t * (xb - xa), ya + t * (yb - ya)
            box = (x - w / 2 - margin, y - h / 2 - margin, x + w / 2 + margin, y + h / 2 + margin)
            if any(_boxes_overlap(box, o) for o in placed + boxes):
                continue
            if any(_circle_hits_box(pos[n], radii.get(n, 0.0), box) for n in pos):
                continue
            if any(_segment_hits_box(pos[c], pos[d], box) for c, d in edges if {c, d} != {a, b}):
                continue
            out[(a, b)] = (x, y)
            placed.append(box)
            break
    return out


MAX_PERSONS = 10  # persons a network panel draws at most


def network_persons(counts: pd.DataFrame, min_count: int = 2, max_persons: int = MAX_PERSONS) -> pd.DataFrame:
    """The rows of ``counts`` a network draws: per episode, persons with at least ``min_count``
    mentions, the ``max_persons`` most mentioned (ties: by actor id)."""
    kept = counts[counts["mentions"] >= min_count].sort_values(["episode", "mentions", "actor"], ascending=[True, False, True])
    return kept.groupby("episode", sort=False).head(max_persons)


def co_mention_networks(counts: pd.DataFrame, co: pd.DataFrame, episodes: pd.DataFrame, min_count: int = 2,
                        per_row: int = 2, width: float = FIG_WIDTH, max_persons: int = MAX_PERSONS):
    """One co-mention network per episode (date order, ``per_row`` panels a row).

    Nodes: persons with at least ``min_count`` mentions in the episode, at most ``max_persons`` (the
    most mentioned; a circle of 14 names had no room for them), on a circle, most mentioned
    first; node size ~ mentions. Edges: windows naming both (width and number). Widths and sizes
    share one scale across panels, so a thick edge means the same count in every episode. Labels
    ("Lavrov (49)") sit outside the circle, beside nodes on its left and right sides and above or
    below the others (reaching away from the vertical axis), so they keep clear of edges, edge numbers
    and each other. ``width`` below :data:`FIG_WIDTH`
    (a phone): one panel a row.
    """
    order, labels = E.in_order(episodes), E.labels(episodes)
    colors = episode_colors(episodes)
    names = _names(counts)
    shown = network_persons(counts, min_count, max_persons)
    kept = set(zip(shown["episode"], shown["actor"]))
    edges = co[(co["episode"] != "all")]
    mask = [(e, a) in kept and (e, b) in kept for e, a, b in zip(edges["episode"], edges["actor_a"], edges["actor_b"])]
    edges = edges.loc[pd.Series(mask, index=edges.index, dtype=bool)]
    wmax = int(edges["windows"].max()) if len(edges) else 1
    mmax = int(shown["mentions"].max()) if len(shown) else 1
    n = len(order)
    cols = 1 if width < FIG_WIDTH else max(1, min(n, per_row))
    rows = math.ceil(n / cols) if n else 1
    fig, axes = plt.subplots(rows, cols, figsize=(width, 2.9 * rows + 0.2), squeeze=False)
    radius = 0.8
    panels = []
    for k, ep in enumerate(order):
        ax = axes[k // cols][k % cols]
        g = nx.Graph()
        for r in shown[shown["episode"] == ep].itertuples():
            g.add_node(r.actor, mentions=int(r.mentions))
        for r in edges[edges["episode"] == ep].itertuples():
            g.add_edge(r.actor_a, r.actor_b, weight=int(r.windows))
        nodes = sorted(g.nodes, key=lambda a: (-g.nodes[a]["mentions"], a))
        name_labels = []
        pos = nx.circular_layout(nodes, scale=radius) if len(nodes) > 1 else {a: (0.0, 0.0) for a in nodes}
        pos = {a: (float(x), float(y)) for a, (x, y) in pos.items()}
        elist = sorted(g.edges, key=lambda e: (-g.edges[e]["weight"], e))
        if elist:
            nx.draw_networkx_edges(g, pos, ax=ax, edgelist=elist, edge_color=EDGE_COLOR, alpha=0.7,
                                   width=[0.8 + 5 * g.edges[e]["weight"] / wmax for e in elist])
        sizes = []
        if nodes:
            sizes = [80 + 520 * g.nodes[a]["mentions"] / mmax for a in nodes]
            coll = nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=ax, node_color=colors[ep], edgecolors="black",
                                          linewidths=0.6, node_size=sizes)
            coll.set_zorder(2)
            coll.set_linestyle(["--" if names[a].endswith(PROVISIONAL) else "-" for a in nodes])
        for a, s in zip(nodes, sizes):
            x, y = pos[a]
            gap = math.sqrt(s) / 2 + 3  # points: node radius plus a margin
            if len(nodes) > 1 and abs(x) > 0.45 * radius:  # left/right side: beside the node
                off, ha, va = (math.copysign(gap, x), 0), ("left" if x > 0 else "right"), "center"
            else:  # top/bottom: above or below, reaching away from the circle's axis so neighbours' names part
                up = y >= -1e-6
                ha = "center" if abs(x) < 0.05 * radius else ("left" if x > 0 else "right")
                off, va = (0, gap if up else -gap), ("bottom" if up else "top")
            name_labels.append(ax.annotate(
                f"{safe_text(short_name(names[a]))} ({g.nodes[a]['mentions']})", (x, y), xytext=off,
                textcoords="offset points", fontsize=10, ha=ha, va=va, zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}))
        ax.set_title(safe_text(labels[ep]), color=colors[ep], fontsize=10.5)
        ax.set_xlim(-2.4, 2.4)  # room for the names beside the nodes at 10 pt
        ax.set_ylim(-1.2, 1.2)
        ax.axis("off")
        panels.append((ax, g, pos, elist, dict(zip(nodes, sizes)), name_labels))
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].axis("off")
    _fit_names(fig, panels)
    _label_edges(fig, panels)
    return fig


def _fit_names(fig, panels: list) -> int:
    """A name label beside a node that reaches past its panel ("Tillerson (1400)" on the right) is
    set on two lines, name above count, so it neither leaves the figure nor meets the next panel's
    names. Returns how many labels were wrapped."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    wrapped = 0
    for ax, *_, name_labels in panels:
        x0, x1 = ax.get_window_extent(renderer).x0, ax.get_window_extent(renderer).x1
        for t in name_labels:
            box = t.get_window_extent(renderer)
            if t.get_va() == "center" and (box.x0 < x0 or box.x1 > x1) and " (" in t.get_text():
                name, count = t.get_text().rsplit(" (", 1)
                t.set_text(f"{name}\n({count}")
                t.set_multialignment(t.get_ha())
                wrapped += 1
    return wrapped


def _label_edges(fig, panels: list) -> int:
    """Write each edge's number where :func:`edge_label_positions` finds room (measured in display
    pixels once the layout is drawn), heaviest edges first. Returns how many numbers were left out."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pt = fig.dpi / 72.0
    dropped = 0
    for ax, g, pos, elist, sizes, name_labels in panels:
        if not elist:
            continue
        to_px = ax.transData.transform
        pos_px = {a: tuple(to_px(xy)) for a, xy in pos.items()}
        radii = {a: math.sqrt(s) / 2 * pt for a, s in sizes.items()}
        boxes = [tuple(t.get_window_extent(renderer).extents) for t in name_labels]
        texts = {e: ax.text(0, 0, str(g.edges[e]["weight"]), fontsize=10, ha="center", va="center", zorder=3,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}) for e in elist}
        label_sizes = {e: (t.get_window_extent(renderer).width, t.get_window_extent(renderer).height)
                       for e, t in texts.items()}
        where = edge_label_positions(pos_px, elist, label_sizes, radii, boxes)
        back = ax.transData.inverted().transform
        for e, t in texts.items():
            if where[e] is None:
                t.remove()
                dropped += 1
            else:
                t.set_position(tuple(back(where[e])))
    return dropped


def co_mention_networks_alt(counts: pd.DataFrame, co: pd.DataFrame, episodes: pd.DataFrame, min_count: int = 2,
                            max_persons: int = MAX_PERSONS) -> str:
    """Alt text of :func:`co_mention_networks`: per episode, the persons drawn (with mentions) and the
    heaviest pair."""
    names = _names(counts)
    parts = []
    for ep in E.in_order(episodes):
        every = network_persons(counts, min_count, max_persons=len(counts))
        shown = every[every["episode"] == ep].head(max_persons)
        kept = set(shown["actor"])
        pairs = co[(co["episode"] == ep) & co["actor_a"].isin(kept) & co["actor_b"].isin(kept)]
        people = ", ".join(f"{names[r.actor]} {int(r.mentions)}" for r in shown.itertuples())
        n_all = int((every["episode"] == ep).sum())
        drawn = f"the {len(shown)} most mentioned of {n_all} persons" if n_all > len(shown) else f"{len(shown)} persons"
        text = f"{E.labels(episodes)[ep]}: {drawn} ({people or 'none'})"
        if len(pairs):
            top = pairs.sort_values("windows", ascending=False).iloc[0]
            text += (f", {len(pairs)} pairs, most often together {names.get(top['actor_a'], top['actor_a'])} and "
                     f"{names.get(top['actor_b'], top['actor_b'])} ({int(top['windows'])})")
        parts.append(text)
    return "Co-mention networks, one per episode; node size = mentions, edge width = shared windows. " + "; ".join(parts) + "."
