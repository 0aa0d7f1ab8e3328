"""The corpus chapter's figures for corpora too large for one mark per article.

Why: the per-article figures (:func:`scripts.plots.corpus_timeline`, :func:`scripts.plots.corpus_sizes`)
draw one row per article; at 1,000 articles they were 420 inches tall, 8 MB each and 25 s to draw.
These draw one row per episode and language, the same marks and colours, whatever the corpus size.
The chapter picks them above its ``max_articles`` parameter (:func:`per_article`).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd

from . import FIG_WIDTH, LANGUAGE_MARKERS, episode_colors, safe_text


def per_article(documents: pd.DataFrame, max_articles: int) -> bool:
    """True when the corpus is small enough for one mark per article (at most ``max_articles``)."""
    return len(documents) <= max_articles


def episode_language_days(episodes: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Articles and cleaned/raw words per episode, language and publication day relative to the
    episode's date. Columns: episode, language, lag_days, articles, tokens_clean, tokens_raw;
    episodes in date order, then language, then day."""
    order = dict(zip(episodes["episode"], episodes["order"]))
    ep_date = dict(zip(episodes["episode"], episodes["date"]))
    cols = ["episode", "language", "lag_days", "articles", "tokens_clean", "tokens_raw"]
    if documents.empty:
        return pd.DataFrame(columns=cols)
    docs = documents.assign(lag_days=[(d - ep_date[e]).days for d, e in zip(documents["date"], documents["episode"])])
    out = (docs.groupby(["episode", "language", "lag_days"], sort=False)
           .agg(articles=("doc_id", "size"), tokens_clean=("tokens_clean", "sum"), tokens_raw=("tokens_raw", "sum"))
           .reset_index())
    out = out.assign(_o=out["episode"].map(order)).sort_values(["_o", "language", "lag_days"], kind="stable")
    return out.drop(columns="_o")[cols].reset_index(drop=True)


def _rows(days: pd.DataFrame) -> pd.DataFrame:
    """One row per episode and language (days summed), in the order of ``days``."""
    return (days.groupby(["episode", "language"], sort=False)
            .agg(articles=("articles", "sum"), tokens_clean=("tokens_clean", "sum"), tokens_raw=("tokens_raw", "sum"),
                 first=("lag_days", "min"), last=("lag_days", "max")).reset_index())


def timeline_by_episode(episodes: pd.DataFrame, documents: pd.DataFrame, width: float = FIG_WIDTH):
    """One line per episode and language (episodes in date order, labelled with the episode and its
    date); x = publication day relative to the episode's date; a marker per day with articles
    (square = English, circle = French; area grows with the articles that day), each line labelled at
    the right with its language, articles and cleaned words. ``width`` below :data:`FIG_WIDTH` (a
    phone): both labels are written above the line, in two rows, and the plot takes the full width."""
    from scripts.narrative.common import language_name

    days = episode_language_days(episodes, documents)
    rows = _rows(days)
    colors = episode_colors(episodes)
    labels = dict(zip(episodes["episode"], episodes["label"]))
    dates = dict(zip(episodes["episode"], episodes["date"]))
    narrow = width < FIG_WIDTH
    step = 1.9 if narrow else 1.0  # a narrow figure writes two rows of labels above each line
    y_of = {(r.episode, r.language): k * step for k, r in enumerate(rows.itertuples())}
    fig, ax = plt.subplots(figsize=(width, 0.9 + 0.55 * step * max(len(rows), 1)))
    ax.axvline(0, color="#555555", lw=1, ls=":", zorder=0)
    peak = max(int(days["articles"].max()), 1) if len(days) else 1
    for lang, part in days.groupby("language", sort=True):  # square = English, circle = French
        ax.scatter(part["lag_days"], [y_of[(e, lang)] for e in part["episode"]],
                   s=30 + 270 * np.sqrt(part["articles"].to_numpy(float) / peak), c=[colors[e] for e in part["episode"]],
                   edgecolor="black", linewidth=0.6, zorder=3, marker=LANGUAGE_MARKERS.get(lang, "o"))
    for k, r in enumerate(rows.itertuples()):
        size = safe_text(f"{language_name(r.language)} · {r.articles:,} articles · {r.tokens_clean:,} words")
        if narrow:
            head = safe_text(f"{labels[r.episode]} ({dates[r.episode]:%-d %b %Y})")
            ax.annotate(f"{head}\n{size}", (0.0, k * step - 0.5), xycoords=("axes fraction", "data"), va="bottom",
                        ha="left", fontsize=10, color=colors[r.episode], linespacing=1.3)
        else:
            ax.annotate(size, (1.02, k), xycoords=("axes fraction", "data"), va="center", fontsize=10, annotation_clip=False)
    if narrow:
        ax.set_yticks([])
    else:
        ticks = [(k, f"{safe_text(labels[r.episode])}\n({dates[r.episode]:%-d %b %Y})", r.episode)
                 for k, r in enumerate(rows.itertuples())]
        ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks])
        for lab, t in zip(ax.get_yticklabels(), ticks):
            lab.set_color(colors[t[2]])
    lo = min(int(days["lag_days"].min()), 0) - 1 if len(days) else -1
    hi = max(int(days["lag_days"].max()), 0) + 1 if len(days) else 1
    ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.set_ylim((max(len(rows), 1) - 1) * step + 0.4, -1.5 if narrow else -0.6)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True, nbins=6))
    ax.set_xlabel("publication day − episode date (days)")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    return fig


def timeline_by_episode_alt(episodes: pd.DataFrame, documents: pd.DataFrame) -> str:
    """Alt text of :func:`timeline_by_episode`: per episode and language, articles and the days they span."""
    from scripts.narrative.common import language_name

    rows = _rows(episode_language_days(episodes, documents))
    labels = dict(zip(episodes["episode"], episodes["label"]))
    def span(r) -> str:
        if r.first == r.last == 0:
            return "on the episode's date"
        return (f"{r.first:+d} to {r.last:+d} days" if r.first != r.last else f"{r.first:+d} days") + " from the episode's date"

    parts = [f"{labels[r.episode]}, {language_name(r.language)}: {r.articles:,} articles, published {span(r)}"
             for r in rows.itertuples()]
    return f"Dot chart of the {len(documents):,} articles by episode and language, publication day relative to the episode date. " \
        + "; ".join(parts) + "."


def sizes_by_episode(episodes: pd.DataFrame, documents: pd.DataFrame, width: float = FIG_WIDTH):
    """Word tokens per episode and language before (grey) and after cleaning (colour of the episode),
    summed over its articles, each bar labelled "kept of raw" and its articles. ``width`` below
    :data:`FIG_WIDTH` (a phone): the labels are written above each bar, which takes the full width."""
    from scripts.narrative.common import language_name

    rows = _rows(episode_language_days(episodes, documents))
    colors = episode_colors(episodes)
    labels = dict(zip(episodes["episode"], episodes["label"]))
    narrow = width < FIG_WIDTH
    step = 1.7 if narrow else 1.0  # a narrow figure writes two rows of labels above each bar
    fig, ax = plt.subplots(figsize=(width, 0.9 + 0.55 * step * max(len(rows), 1)))
    y = np.arange(len(rows)) * step
    bar_h = 0.5 if narrow else 0.8
    ax.barh(y, rows["tokens_raw"], color="#cccccc", height=bar_h)
    ax.barh(y, rows["tokens_clean"], color=[colors[e] for e in rows["episode"]], height=bar_h)
    for yy, r in zip(y, rows.itertuples()):
        kept = f"{r.tokens_clean:,} of {r.tokens_raw:,} kept"
        if narrow:
            ax.text(0, yy - bar_h / 2 - 0.06, safe_text(f"{labels[r.episode]}, {language_name(r.language)}, "
                                                        f"{r.articles:,} articles\n{kept}"),
                    va="bottom", fontsize=10, linespacing=1.3)
        else:
            ax.text(r.tokens_raw, yy, f" {kept}", va="center", fontsize=10)
    if narrow:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    else:
        ax.set_yticks(list(y), [safe_text(f"{labels[r.episode]}, {language_name(r.language)}\n{r.articles:,} articles")
                                for r in rows.itertuples()])
    ax.xaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_ylim((max(len(rows), 1) - 1) * step + bar_h, -1.35 if narrow else -bar_h)
    ax.set_xlabel("word tokens: kept (colour of the episode)\nand removed by cleaning (grey)")
    ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=3 if narrow else 4))
    top = max(int(rows["tokens_raw"].max()), 1) if len(rows) else 1
    ax.set_xlim(0, top * (1.05 if narrow else 1.7))
    return fig


def sizes_by_episode_alt(episodes: pd.DataFrame, documents: pd.DataFrame) -> str:
    """Alt text of :func:`sizes_by_episode`: words kept of raw per episode and language."""
    from scripts.narrative.common import language_name

    rows = _rows(episode_language_days(episodes, documents))
    labels = dict(zip(episodes["episode"], episodes["label"]))
    parts = [f"{labels[r.episode]}, {language_name(r.language)} ({r.articles:,} articles) {r.tokens_clean:,} of {r.tokens_raw:,}"
             for r in rows.itertuples()]
    return "Bar chart of word tokens per episode and language kept after cleaning, of the raw count: " + "; ".join(parts) + "."
