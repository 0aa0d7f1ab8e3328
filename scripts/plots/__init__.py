"""Shared look of every figure: one colour per episode (by date order), readable sizes, PNG output.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour-blindness, without its yellow (illegible as text on white), then from the darker colours of
Paul Tol's "muted" scheme, then from evenly spaced hues; episodes take them in date order, so the
same episode has the same colour in every chapter of one build.

Text that comes from the manifest or the seeds (episode labels, places, summaries, titles) must go
through :func:`safe_text` before it reaches a figure: matplotlib reads a pair of ``$`` as mathtext.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as _mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
# Episode colours: Okabe–Ito without the yellow #F0E442, then Paul Tol's "muted" colours that are
# dark enough for text on white and unlike the first seven.
TOL_MUTED = ["#332288", "#882255", "#117733", "#AA4499", "#999933", "#44AA99", "#CC6677"]
EPISODE_PALETTE = [c for c in OKABE_ITO if c != "#F0E442"] + TOL_MUTED
LANGUAGE_MARKERS = {"en": "s", "fr": "o"}


def palette(n: int) -> list[str]:
    """``n`` distinct colours: :data:`EPISODE_PALETTE` first, then evenly spaced darker hues (deterministic)."""
    import colorsys

    colours = EPISODE_PALETTE[:n]
    extra = n - len(colours)
    for k in range(extra):
        r, g, b = colorsys.hsv_to_rgb((k / extra + 0.03) % 1.0, 0.75, 0.55 + 0.2 * (k % 2))
        colours.append(f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}")
    return colours


def episode_colors(episodes: pd.DataFrame) -> dict[str, str]:
    """Map episode id -> colour, in the order of the ``order`` column (date order); all distinct."""
    ordered = list(episodes.sort_values("order")["episode"])
    return dict(zip(ordered, palette(len(ordered))))


def safe_text(value) -> str:
    """Text from the manifest or the seeds, safe for a matplotlib label: ``$`` escaped (no mathtext).

    None and NaN give ''. Use it for every episode label, place, summary or title drawn in a figure.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).replace("$", r"\$")


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

    eps = episodes.sort_values("order").reset_index(drop=True)
    colors = episode_colors(eps)
    n = len(eps)
    per_row = max(1, min(per_row, n))
    rows = -(-n // per_row)
    box_lines = []
    for r in eps.itertuples():
        docs = documents[documents["episode"] == r.episode]
        langs = ", ".join(f"{v} {k}" for k, v in docs["language"].value_counts().sort_index().items())
        text = safe_text(textwrap.fill(str(r.summary), wrap)) if str(r.summary).strip() else ""
        count = f"{len(docs)} article{'s' if len(docs) != 1 else ''}{f' ({langs})' if langs else ''}"
        box_lines.append((safe_text(r.label), f"{r.date:%-d %B %Y} · {safe_text(r.place)}\n{text}\n{count}"))
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
    year_date_axis(ax, maxticks=8)
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
    fig, ax = plt.subplots(figsize=(7.5, 0.6 + 1.25 * max(tallest, 2)))
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
            color = "#8C6D31" if k > 1 else "#555555"  # neutral: episode colours mean episodes only
            ax.add_patch(FancyBboxPatch((ci + gap / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.06",
                                        fc="white", ec=color, lw=1.5))
            ax.text(ci + 0.5, y + h / 2 - 0.08, title, ha="center", va="top", fontsize=8.5, weight="bold")
            ax.text(ci + 0.5, y + h / 2 - 0.30, textwrap.fill(detail, 16), ha="center", va="top", fontsize=8, color="#333333")
    for left, right in zip(centers[:-1], centers[1:]):
        for (x0, y0, _h0) in left:
            for (x1, y1, _h1) in right:
                ax.add_patch(FancyArrowPatch((x0 + w / 2, y0), (x1 - w / 2, y1), arrowstyle="-|>", mutation_scale=10,
                                             color="#777777", lw=1, shrinkA=1, shrinkB=1))
    return fig


def corpus_timeline(episodes: pd.DataFrame, documents: pd.DataFrame):
    """One row per episode (date order), one marker per article on a true date axis.

    ``episodes``: episode, label, date, order; ``documents``: doc_id, episode, language, date,
    tokens_clean. Marker area grows with the article's cleaned words; articles of one episode are
    stacked inside its row so that close dates do not overlap; each label starts right of its own
    marker (offset by the marker's radius), so a large marker never covers its label. A dotted
    line marks the date of each episode. Returns the figure.
    """
    import math

    eps = episodes.sort_values("order")
    colors = episode_colors(eps)
    n_eps = len(eps)
    fig, ax = plt.subplots(figsize=(7.5, 1.6 + 0.9 * n_eps))
    ep_y = {ep: i for i, ep in enumerate(eps["episode"])}
    for r in eps.itertuples():
        ax.axvline(r.date, color=colors[r.episode], lw=1, ls=":", zorder=0)
    offset = {}
    for _ep, group in documents.groupby("episode"):
        n = len(group)
        offset.update({d: (k - (n - 1) / 2) * min(0.28, 0.8 / max(n, 1)) for k, d in enumerate(group.sort_values("date")["doc_id"])})
    biggest = max(int(documents["tokens_clean"].max()), 1) if len(documents) else 1
    for r in documents.itertuples():
        size = 30 + 400 * r.tokens_clean / biggest  # marker area in points²
        y_doc = ep_y[r.episode] + offset[r.doc_id]
        ax.scatter(r.date, y_doc, s=size, color=colors[r.episode], marker=LANGUAGE_MARKERS.get(r.language, "o"),
                   edgecolor="black", linewidth=0.6, zorder=3)
        radius = math.sqrt(size) / 2  # points: half the marker's width
        ax.annotate(safe_text(f"{r.doc_id} ({r.language}, {r.date:%-d %b %Y})"), (r.date, y_doc),
                    xytext=(radius + 4, 0), textcoords="offset points", fontsize=8, va="center")
    ax.set_yticks(list(ep_y.values()), [safe_text(eps.set_index("episode").loc[e, "label"]) for e in ep_y])
    ax.set_ylim(-0.7, n_eps - 0.3)
    pad = pd.Timedelta(days=40)
    dates = pd.concat([documents["date"], eps["date"]])
    ax.set_xlim(dates.min() - pad, dates.max() + 4 * pad)
    year_date_axis(ax, maxticks=7)
    ax.set_xlabel("publication date (dotted line: date of the episode)")
    ax.set_title("Articles by episode: marker size = cleaned words; square = English, circle = French")
    return fig


def corpus_sizes(episodes: pd.DataFrame, documents: pd.DataFrame):
    """Word tokens per article before (grey) and after cleaning (colour of its episode), one bar per
    article in the order of ``documents``, each labelled "kept of raw".

    ``episodes``: episode, order; ``documents``: doc_id, episode, tokens_raw, tokens_clean.
    Returns the figure."""
    colors = episode_colors(episodes)
    order = documents["doc_id"].tolist()
    sizes = documents.set_index("doc_id")[["tokens_clean", "tokens_raw"]].loc[order]
    fig, ax = plt.subplots(figsize=(7.5, 0.5 + 0.45 * len(order)))
    y = range(len(order))
    ax.barh(y, sizes["tokens_raw"], color="#bbbbbb", label="removed by cleaning")
    ax.barh(y, sizes["tokens_clean"], color=[colors[e] for e in documents.set_index("doc_id").loc[order, "episode"]], label="kept")
    for i, (raw, clean) in enumerate(zip(sizes["tokens_raw"], sizes["tokens_clean"])):
        ax.text(raw, i, f"  {clean:,} of {raw:,}", va="center", fontsize=8)
    ax.set_yticks(list(y), [safe_text(d) for d in order])
    ax.invert_yaxis()
    ax.set_xlabel("word tokens")
    ax.set_xlim(0, sizes["tokens_raw"].max() * 1.3)
    ax.legend(loc="lower right", frameon=False)
    return fig


# --------------------------------------------------------------------------- date axes
class YearConciseDateFormatter(_mdates.ConciseDateFormatter):
    """``ConciseDateFormatter`` that always shows the year of the first visible tick.

    Across several years the concise labels read "Jul, 2018, Jul, 2019": the year appears only at
    January ticks, so the months before the first January have no year. Here the first visible label
    gets its year ("Jul 2017") whenever neither it nor the offset text shows one."""

    def format_ticks(self, values):
        labels = list(super().format_ticks(values))
        if not labels or self.get_offset():
            return labels
        axis = getattr(self._locator, "axis", None)
        lo, hi = sorted(axis.get_view_interval()) if axis is not None else (min(values), max(values))
        tol = (hi - lo) * 1e-9
        visible = [i for i, v in enumerate(values) if lo - tol <= v <= hi + tol]
        if visible:
            i = visible[0]
            year = f"{_mdates.num2date(values[i]):%Y}"
            if year not in labels[i]:
                labels[i] = f"{labels[i]} {year}".strip()
        return labels


def year_date_axis(ax, minticks: int = 3, maxticks: int = 6) -> None:
    """Concise date ticks on the x axis of ``ax`` whose first label always carries the year."""
    loc = _mdates.AutoDateLocator(minticks=minticks, maxticks=maxticks)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(YearConciseDateFormatter(loc))
