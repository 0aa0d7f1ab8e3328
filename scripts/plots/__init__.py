"""Shared look of every figure: one colour per episode (by date order), readable sizes, PNG output.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour-blindness; episodes take them in date order, so the same episode has the same colour in
every chapter of one build.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
LANGUAGE_MARKERS = {"en": "s", "fr": "o"}


def episode_colors(episodes: pd.DataFrame) -> dict[str, str]:
    """Map episode id -> colour, in the order of the ``order`` column (date order); cycles past 8."""
    ordered = episodes.sort_values("order")["episode"]
    return {ep: OKABE_ITO[i % len(OKABE_ITO)] for i, ep in enumerate(ordered)}


def setup_style() -> None:
    """Readable defaults at book page width (figures are ~7 in wide, text >= 9 pt)."""
    plt.rcParams.update({
        "figure.dpi": 110, "savefig.dpi": 150, "savefig.bbox": "tight",
        "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10,
        "xtick.labelsize": 9, "ytick.labelsize": 9, "legend.fontsize": 9,
        "axes.spines.top": False, "axes.spines.right": False,
        "figure.constrained_layout.use": True,
    })
    _register_png_display()


def _register_png_display() -> None:
    """In a notebook kernel, make Figure objects display (and glue) as PNG even on the Agg backend."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")


def save_figure(fig, fig_dir: str | Path, name: str) -> Path:
    """Write ``<fig_dir>/<name>.png`` (PNG: the LaTeX builder takes no SVG) and return its path."""
    out = Path(fig_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    fig.savefig(path)
    return path


def episode_timeline(episodes: pd.DataFrame, documents: pd.DataFrame, per_row: int = 3, wrap: int = 34):
    """Timeline of the episodes on a true date axis, with a caption box per episode.

    ``episodes``: columns episode, label, date, place, summary, order (``corpus.episodes``).
    ``documents``: columns episode, language (``corpus.documents``), to count articles per episode.
    Boxes sit in equal columns above the axis (``per_row`` per row, in date order) and point to the
    episode's date, so close dates never overlap. Returns the matplotlib figure.
    """
    import textwrap

    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    eps = episodes.sort_values("order").reset_index(drop=True)
    colors = episode_colors(eps)
    n = len(eps)
    per_row = max(1, min(per_row, n))
    rows = -(-n // per_row)
    box_lines = []
    for r in eps.itertuples():
        docs = documents[documents["episode"] == r.episode]
        langs = ", ".join(f"{v} {k}" for k, v in docs["language"].value_counts().sort_index().items())
        text = textwrap.fill(str(r.summary), wrap) if str(r.summary).strip() else ""
        box_lines.append((f"{r.label}", f"{r.date:%-d %B %Y} · {r.place}\n{text}\n{len(docs)} article{'s' if len(docs) != 1 else ''}{f' ({langs})' if langs else ''}"))
    height = 0.6 + 1.75 * rows
    fig, ax = plt.subplots(figsize=(7.5, height))
    span = (eps["date"].max() - eps["date"].min()) if n > 1 else pd.Timedelta(0)
    pad = max(pd.Timedelta(days=45), span * 0.08)
    ax.set_xlim(eps["date"].min() - pad, eps["date"].max() + pad)
    ax.set_ylim(0, 1)
    ax.axhline(0.04, color="#555555", lw=1.2)
    for i, r in enumerate(eps.itertuples()):
        ax.scatter(r.date, 0.04, s=70, color=colors[r.episode], edgecolor="black", zorder=3, clip_on=False)
        row, col = divmod(i, per_row)
        in_row = min(per_row, n - row * per_row)
        x = (col + 0.5) / in_row
        y = 1 - (row + 0.02) / rows
        title, body = box_lines[i]
        ax.annotate(f"{title}\n{body}", xy=(r.date, 0.04), xycoords="data", xytext=(x, y), textcoords="axes fraction",
                    ha="center", va="top", fontsize=8.5,
                    bbox=dict(boxstyle="round,pad=0.4", fc="white", ec=colors[r.episode], lw=2),
                    arrowprops=dict(arrowstyle="-", color=colors[r.episode], lw=1.2, shrinkA=0, shrinkB=4))
    ax.set_yticks([])
    ax.spines[["left", "top", "right"]].set_visible(False)
    loc = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(loc))
    return fig


def flow_chart(stages: list[tuple[str, str]], branches: list[tuple[str, str]], outputs: list[tuple[str, str]]):
    """Draw a left-to-right pipeline: ``stages`` in sequence, then parallel ``branches``, then ``outputs``.

    Each item is (title, detail); details are wrapped. Drawn with matplotlib only (no Graphviz),
    so the PNG is identical in HTML and PDF. Returns the figure.
    """
    import textwrap

    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    columns = [[s] for s in stages] + ([branches] if branches else []) + [[o] for o in outputs]
    n_cols = len(columns)
    tallest = max(len(c) for c in columns)
    fig, ax = plt.subplots(figsize=(7.5, 0.6 + 1.0 * max(tallest, 2)))
    ax.set_xlim(0, n_cols)
    ax.set_ylim(0, tallest)
    ax.axis("off")
    w, gap = 0.86, 0.14
    centers = []
    for ci, col in enumerate(columns):
        k = len(col)
        h = 1.25 if k == 1 else tallest / k * 0.86
        ys = [tallest - (j + 0.5) * tallest / k for j in range(k)]
        centers.append([(ci + 0.5, y, h) for y in ys])
        for (title, detail), y in zip(col, ys):
            color = OKABE_ITO[min(ci, len(OKABE_ITO) - 1)] if k > 1 else "#555555"
            ax.add_patch(FancyBboxPatch((ci + gap / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.06",
                                        fc="white", ec=color, lw=1.5))
            ax.text(ci + 0.5, y + h / 2 - 0.08, title, ha="center", va="top", fontsize=8.5, weight="bold")
            ax.text(ci + 0.5, y + h / 2 - 0.30, textwrap.fill(detail, 17), ha="center", va="top", fontsize=7.5, color="#333333")
    for left, right in zip(centers[:-1], centers[1:]):
        for (x0, y0, _h0) in left:
            for (x1, y1, _h1) in right:
                ax.add_patch(FancyArrowPatch((x0 + w / 2, y0), (x1 - w / 2, y1), arrowstyle="-|>", mutation_scale=10,
                                             color="#777777", lw=1, shrinkA=1, shrinkB=1))
    return fig
