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
import matplotlib.ticker  # noqa: E402,F401
import pandas as pd  # noqa: E402

from .style import (  # noqa: E402,F401 (the shared style, re-exported)
    FIG_WIDTH,
    MIN_FONT,
    NARROW_WIDTH,
    FigureImage,
    min_font_at,
    png_alt,
    png_bytes,
    publish_figure,
    setup_style,
)

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


def save_figure(fig, fig_dir: str | Path, name: str, alt: str = "") -> Path:
    """Write ``<fig_dir>/<name>.png`` (2x PNG: the LaTeX builder takes no SVG) and return its path.

    Chapters use :func:`publish_figure`, which also returns the image to glue with its alt text."""
    out = Path(fig_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    path.write_bytes(png_bytes(fig, alt))
    return path


def episode_timeline(episodes: pd.DataFrame, documents: pd.DataFrame, per_row: int = 3, wrap: int = 22,
                     width: float = FIG_WIDTH):
    """The episodes in date order, evenly spaced on a compact axis (one tick per episode, labelled
    with its date: years between episodes take no room), with a caption box per episode.

    ``episodes``: columns episode, label, date, place, summary, order (``corpus.episodes``).
    ``documents``: columns episode, language (``corpus.documents``), to count articles per episode.
    Boxes sit in equal columns above the axis (``per_row`` per row, in date order) and point to their
    episode's tick. ``width`` below :data:`FIG_WIDTH` (a phone): one box a row, wrapped to the width,
    its date in its title (the axis keeps its dots, unlabelled). Returns the matplotlib figure.
    """
    import textwrap

    eps = episodes.sort_values("order").reset_index(drop=True)
    colors = episode_colors(eps)
    n = len(eps)
    narrow = width < FIG_WIDTH
    if narrow:
        per_row, wrap = 1, int(wrap * width / FIG_WIDTH * per_row * 0.9)
    per_row = max(1, min(per_row, n))
    rows = -(-n // per_row)
    box_lines = []
    for r in eps.itertuples():
        docs = documents[documents["episode"] == r.episode]
        langs = ", ".join(f"{v} {k}" for k, v in docs["language"].value_counts().sort_index().items())
        text = safe_text(textwrap.fill(str(r.summary), wrap)) if str(r.summary).strip() else ""
        count = f"{len(docs)} article{'s' if len(docs) != 1 else ''}{f' ({langs})' if langs else ''}"
        place = textwrap.fill(safe_text(r.place), wrap)
        label = f"{r.label} ({r.date:%-d %b %Y})" if narrow else r.label
        box_lines.append(("\n".join(textwrap.wrap(safe_text(label), wrap)), f"{place}\n{text}\n{count}".replace("\n\n", "\n")))
    tallest = max((f"{t}\n{b}".count("\n") + 1 for t, b in box_lines), default=1)
    height = (0.9 if narrow else 0.55) + rows * (0.2 + 0.19 * tallest)  # wide: short arrows (the intro page fits one printed page)
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(-0.5, max(n, 1) - 0.5)
    ax.set_ylim(0, 1)
    base = 0.08  # the axis line sits just above the date labels
    ax.axhline(base, color="#555555", lw=1.2)
    for i, r in enumerate(eps.itertuples()):
        ax.scatter(i, base, s=70, color=colors[r.episode], edgecolor="black", zorder=3, clip_on=False)
        row, col = divmod(i, per_row)
        in_row = min(per_row, n - row * per_row)
        x = (col + 0.5) / in_row
        y = 1 - (row + 0.02) / rows * (1 - base - 0.05)
        title, body = box_lines[i]
        ax.annotate(f"{title}\n{body}", xy=(i, base), xycoords="data", xytext=(x, y), textcoords="axes fraction",
                    ha="center", va="top", fontsize=10,
                    bbox=dict(boxstyle="round,pad=0.4", fc="white", ec=colors[r.episode], lw=2),
                    arrowprops=dict(arrowstyle="-", color=colors[r.episode], lw=1.2, shrinkA=0, shrinkB=4))
    ax.set_yticks([])
    ax.set_xticks(range(n), [] if narrow else [f"{d:%-d %b %Y}" for d in eps["date"]])
    ax.tick_params(axis="x", length=0, pad=4)
    ax.spines[["left", "top", "right", "bottom"]].set_visible(False)
    return fig


def episode_timeline_alt(episodes: pd.DataFrame, documents: pd.DataFrame) -> str:
    """Alt text of :func:`episode_timeline`: each episode with its date, place and articles."""
    parts = []
    for r in episodes.sort_values("order").itertuples():
        docs = documents[documents["episode"] == r.episode]
        parts.append(f"{r.label}, {r.date:%-d %B %Y}, {r.place}: {_article_word(len(docs))}")
    return f"Timeline of the {len(parts)} episodes in date order. " + "; ".join(parts) + "."


def flow_chart(stages: list[tuple[str, str]], branches: list[tuple[str, str]], outputs: list[tuple[str, str]],
               width: float = FIG_WIDTH):
    """Draw the pipeline top to bottom: ``stages`` in sequence, then parallel ``branches`` side by
    side, then ``outputs`` in sequence; each box shows its title (bold) and wrapped detail at 10 pt.

    Each item is (title, detail). Drawn with matplotlib only (no Graphviz), so the PNG is identical
    in HTML and PDF. ``width``: the figure's width in inches (lines wrapped to fit). Returns the figure.
    """
    import textwrap

    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    rows = [[s] for s in stages] + ([branches] if branches else []) + [[o] for o in outputs]
    wide = round(60 * width / FIG_WIDTH)  # characters a line in a full-width box
    least = 14 if width >= FIG_WIDTH else 10
    wrapped = [[(t, textwrap.fill(d, max(least, wide // len(row) - 4), break_long_words=False)) for t, d in row] for row in rows]
    lines = [max(d.count("\n") + 2 for _t, d in row) for row in wrapped]  # title + detail lines
    line_in, gap_in = 0.19, 0.3
    heights = [0.15 + line_in * k for k in lines]
    total = sum(heights) + gap_in * (len(rows) - 1) + 0.1
    fig, ax = plt.subplots(figsize=(width, total))
    ax.set_xlim(0, width)
    ax.set_ylim(0, total)
    ax.axis("off")
    y_top = total - 0.05
    boxes = []
    for row, h in zip(wrapped, heights):
        k = len(row)
        w = (width - 0.1 - 0.15 * (k - 1)) / k
        placed = []
        for j, (title, detail) in enumerate(row):
            x0 = 0.05 + j * (w + 0.15)
            color = "#8C6D31" if k > 1 else "#555555"  # neutral: episode colours mean episodes only
            ax.add_patch(FancyBboxPatch((x0, y_top - h), w, h, boxstyle="round,pad=0,rounding_size=0.06",
                                        fc="white", ec=color, lw=1.5))
            ax.text(x0 + w / 2, y_top - 0.07, title, ha="center", va="top", fontsize=10, weight="bold")
            ax.text(x0 + w / 2, y_top - 0.07 - line_in, detail, ha="center", va="top", fontsize=10, color="#333333",
                    linespacing=1.2)
            placed.append((x0 + w / 2, y_top, y_top - h))
        boxes.append(placed)
        y_top -= h + gap_in
    for upper, lower in zip(boxes[:-1], boxes[1:]):
        for (x0, _t0, b0) in upper:
            for (x1, t1, _b1) in lower:
                ax.add_patch(FancyArrowPatch((x0, b0), (x1, t1), arrowstyle="-|>", mutation_scale=10,
                                             color="#777777", lw=1, shrinkA=1, shrinkB=1))
    return fig


def flow_chart_alt(stages: list[tuple[str, str]], branches: list[tuple[str, str]], outputs: list[tuple[str, str]]) -> str:
    """Alt text of :func:`flow_chart`: the boxes in reading order."""
    seq = " → ".join(t for t, _ in stages)
    par = ", ".join(t for t, _ in branches)
    out = " → ".join(t for t, _ in outputs)
    return (f"Flow chart of the pipeline: {seq}" + (f", then in parallel {par}" if par else "")
            + (f", then {out}" if out else "") + ". " + "; ".join(f"{t}: {d}" for t, d in stages + branches + outputs) + ".")


def _article_word(n: int) -> str:
    return f"{n} article{'s' if n != 1 else ''}"


def _lag_text(days: int) -> str:
    if days == 0:
        return "on the day"
    return f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'after' if days > 0 else 'before'}"


def corpus_timeline(episodes: pd.DataFrame, documents: pd.DataFrame, width: float = FIG_WIDTH):
    """One line per article, grouped by episode (rows in date order, labelled with the episode and
    its date); x = publication day relative to the episode's date, so the axis spans days, not the
    years between episodes. Marker: square = English, circle = French; each line is labelled at the
    right with the article's id, language and cleaned words (no legend, no overlapping markers).

    ``width`` below :data:`FIG_WIDTH` (a phone): each episode named above its lines and each line's
    label above its marker, so the axis gets the full width.

    ``episodes``: episode, label, date, order; ``documents``: doc_id, episode, language, date,
    tokens_clean. Returns the figure."""
    from scripts.narrative.common import language_name

    eps = episodes.sort_values("order")
    colors = episode_colors(eps)
    ep_date = dict(zip(eps["episode"], eps["date"]))
    docs = documents.assign(lag_days=[(d - ep_date[e]).days for d, e in zip(documents["date"], documents["episode"])])
    narrow = width < FIG_WIDTH
    step = 1.5 if narrow else 1.0    # a narrow figure writes each label above its marker
    rows, ticks, y = [], [], (1.2 if narrow else 0.0)
    for r in eps.itertuples():
        group = docs[docs["episode"] == r.episode].sort_values(["lag_days", "doc_id"])
        ys = [y + step * k for k in range(max(len(group), 1))]
        ticks.append(((ys[0] + ys[-1]) / 2, f"{safe_text(r.label)}\n({r.date:%-d %b %Y})", r.episode, ys[0]))
        rows += [(yy, g) for yy, g in zip(ys, group.itertuples())]
        y = ys[-1] + (2.4 if narrow else 1.6)
    end = y - (2.4 if narrow else 1.6)
    fig, ax = plt.subplots(figsize=(width, 0.8 + (0.3 * max(end + 1.2, 1) if narrow else 0.42 * max(end + 1.6, 1))))
    lags = docs["lag_days"] if len(docs) else pd.Series([0])
    lo, hi = min(int(lags.min()), 0) - 1, max(int(lags.max()), 0) + 1
    ax.axvline(0, color="#555555", lw=1, ls=":", zorder=0)
    for yy, g in rows:
        ax.scatter(g.lag_days, yy, s=70, color=colors[g.episode], marker=LANGUAGE_MARKERS.get(g.language, "o"),
                   edgecolor="black", linewidth=0.6, zorder=3)
        label = safe_text(f"{g.doc_id} · {language_name(g.language)} · {g.tokens_clean:,} words")
        if narrow:
            ax.annotate(label, (0.0, yy - 0.45), xycoords=("axes fraction", "data"), va="bottom", ha="left", fontsize=10)
        else:
            ax.annotate(label, (1.02, yy), xycoords=("axes fraction", "data"), va="center", fontsize=10, annotation_clip=False)
    if narrow:
        ax.set_yticks([])
        for _mid, text, episode, first in ticks:
            ax.annotate(text.replace("\n", " "), (0.0, first - 0.95), xycoords=("axes fraction", "data"), va="bottom",
                        ha="left", fontsize=10, fontweight="bold", color=colors[episode])
        ax.set_ylim(end + 0.6, -0.2)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, nbins=4))
        ax.set_xlabel("publication day − episode date")
    else:
        ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks])
        for lab, t in zip(ax.get_yticklabels(), ticks):
            lab.set_color(colors[t[2]])
        ax.set_ylim(end + 0.6, -0.6)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, nbins=6))
        ax.set_xlabel("publication day − episode date (days)")
    ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    return fig


def corpus_timeline_alt(episodes: pd.DataFrame, documents: pd.DataFrame) -> str:
    """Alt text of :func:`corpus_timeline`: per episode, its date, its articles and their publication
    day relative to it."""
    from scripts.narrative.common import language_name

    parts = []
    for r in episodes.sort_values("order").itertuples():
        group = documents[documents["episode"] == r.episode]
        arts = "; ".join(f"{g.doc_id} ({language_name(g.language)}, {g.tokens_clean:,} words, {_lag_text((g.date - r.date).days)})"
                         for g in group.sort_values("date").itertuples())
        parts.append(f"{r.label} ({r.date:%-d %B %Y}): {_article_word(len(group))}{': ' + arts if arts else ''}")
    return (f"Dot chart of the {_article_word(len(documents))} by episode, publication day relative to the "
            f"episode date. " + ". ".join(parts) + ".")


def corpus_sizes(episodes: pd.DataFrame, documents: pd.DataFrame, width: float = FIG_WIDTH):
    """Word tokens per article before (grey) and after cleaning (colour of its episode), one bar per
    article in the order of ``documents``, each labelled "kept of raw" (no legend: the axis label
    says which part is which).

    ``width`` below :data:`FIG_WIDTH` (a phone): each article's id and numbers written above its bar.

    ``episodes``: episode, order; ``documents``: doc_id, episode, tokens_raw, tokens_clean.
    Returns the figure."""
    colors = episode_colors(episodes)
    narrow = width < FIG_WIDTH
    order = documents["doc_id"].tolist()
    sizes = documents.set_index("doc_id")[["tokens_clean", "tokens_raw"]].loc[order]
    fig, ax = plt.subplots(figsize=(width, 0.9 + (0.62 if narrow else 0.42) * len(order)))
    y = range(len(order))
    bar_h = 0.45 if narrow else 0.8
    ax.barh(y, sizes["tokens_raw"], color="#cccccc", height=bar_h)
    ax.barh(y, sizes["tokens_clean"], color=[colors[e] for e in documents.set_index("doc_id").loc[order, "episode"]], height=bar_h)
    for i, (doc, raw, clean) in enumerate(zip(order, sizes["tokens_raw"], sizes["tokens_clean"])):
        if narrow:
            ax.text(0, i - bar_h / 2 - 0.04, safe_text(f"{doc}: {clean:,} of {raw:,} kept"), va="bottom", fontsize=10)
        else:
            ax.text(raw, i, f" {clean:,} of {raw:,} kept", va="center", fontsize=10)
    if narrow:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(len(order) - 0.6, -0.95)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=3))
        ax.set_xlabel("word tokens: kept (colour of the episode)\nand removed by cleaning (grey)")
        ax.set_xlim(0, max(int(sizes["tokens_raw"].max()), 1) * 1.05 if len(order) else 1)
        return fig
    ax.set_yticks(list(y), [safe_text(d) for d in order])
    ax.invert_yaxis()
    ax.set_xlabel("word tokens: kept (colour of the episode) and removed by cleaning (grey)")
    ax.set_xlim(0, max(int(sizes["tokens_raw"].max()), 1) * 1.45 if len(order) else 1)
    return fig


def corpus_sizes_alt(documents: pd.DataFrame) -> str:
    """Alt text of :func:`corpus_sizes`: words kept of raw per article."""
    parts = [f"{r.doc_id} {r.tokens_clean:,} of {r.tokens_raw:,}" for r in documents.itertuples()]
    return ("Bar chart of word tokens per article kept after cleaning, of the raw count: " + "; ".join(parts) + ".")


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
