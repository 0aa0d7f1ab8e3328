"""The summary figure of the findings page: per episode, the agenda (rates of the most mentioned
concepts) above the diplomatic tone (cooperation index with its interval), on one categorical
episode axis so a reader sees both at a glance. It draws what the chapters computed; it computes
no statistic. Text is at least 10 pt at the figure's size (the book shows it at about its width)."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ..inference import WITHIN
from ..narrative.common import language_name
from . import LANGUAGE_MARKERS, palette, safe_text

FONT = 10  # smallest text of the figure, in points (shown at about its size: 5.8 in ≈ the page column at 1280 px)


def _top_concepts(concepts: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` concepts with the most mentions over the corpus (ties by label), as labels."""
    totals = concepts.groupby("label")["count"].sum()
    totals = totals[totals > 0].sort_index()
    return list(totals.sort_values(ascending=False, kind="stable").index[:n])


def agenda_language(concepts: pd.DataFrame) -> str:
    """The language whose articles cover the most episodes (ties: more mentions, then code order):
    rates are per language, so the agenda panel shows one language ("" when there is none)."""
    if not len(concepts):
        return ""
    per = concepts.groupby("language").agg(episodes=("episode", "nunique"), count=("count", "sum")).reset_index()
    return str(per.sort_values(["episodes", "count", "language"], ascending=[False, False, True]).iloc[0]["language"])


def _label_ends(ax, ends: list[tuple[float, int, str]], colors: dict, gap: float = 0.1) -> None:
    """Direct labels in one column right of the last episode, beside the end of each line (a thin
    leader when moved), nudged apart vertically (``gap`` of the axis
    height at least, enough for one 10 pt line) so they never overlap; sets the axis limits."""
    if not ends:
        return
    ends = sorted(ends)
    ymax = max(max(y for y, _, _ in ends), ax.get_ylim()[1], 1e-9)
    step, placed = gap * ymax * 1.15, []
    for y, _, _ in ends:
        placed.append(max(y, placed[-1] + step) if placed else max(y, step / 2))   # never on the x axis
    ax.set_ylim(0, max(ymax, placed[-1]) * 1.12)
    column = max(xe for _, xe, _ in ends) + 0.12
    for (y, xe, label), yl in zip(ends, placed):
        ax.annotate(safe_text(label), (xe, y), xytext=(column, yl), textcoords="data", va="center", fontsize=FONT, color=colors[label],
                    arrowprops={"arrowstyle": "-", "color": colors[label], "lw": 0.6} if (yl, column) != (y, xe + 0.12) else None)


def summary_figure(concepts: pd.DataFrame, tone: pd.DataFrame, episodes: pd.DataFrame, n_concepts: int = 4) -> Figure:
    """Two panels sharing one categorical episode axis (date order, labels wrapped):

    - top, agenda: mentions per 1,000 words of the ``n_concepts`` most mentioned concepts, one line
      per concept and language (marker = language), labelled at its right end (no legend);
    - bottom, tone: the cooperation index per episode and language with its 95% interval; a hollow
      marker rests on one article (its interval is within that article).

    ``concepts``: episode, language, label, count, per_1k (``concepts.csv``). ``tone``: rows of
    level "episode_language" of ``tone_summary.csv`` split into episode, language (measure,
    estimate, ci_low, ci_high, interval). ``episodes``: episode, label, order."""
    eps = episodes.sort_values("order")
    x = {e: i for i, e in enumerate(eps["episode"])}
    ticks = [textwrap.fill(safe_text(lbl), 12) for lbl in eps["label"]]
    langs = sorted(set(concepts["language"]) | set(tone["language"]))
    shift = {lang: (i - (len(langs) - 1) / 2) * 0.08 for i, lang in enumerate(langs)}
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.8, 5.6), sharex=True, height_ratios=[3, 2])

    lang = agenda_language(concepts)
    agenda = concepts[concepts["language"] == lang]
    top_labels = _top_concepts(agenda, n_concepts)
    colors = dict(zip(top_labels, palette(len(top_labels))))
    ends = []
    for label, rows in agenda[agenda["label"].isin(top_labels)].groupby("label"):
        rows = rows[rows["episode"].isin(x)].sort_values("episode", key=lambda s: s.map(x))
        top.plot([x[e] for e in rows["episode"]], rows["per_1k"], marker=LANGUAGE_MARKERS.get(lang, "o"),
                 color=colors[label], lw=1.6, markersize=6)
        ends.append((float(rows["per_1k"].iloc[-1]), x[rows["episode"].iloc[-1]], label))
    _label_ends(top, ends, colors)
    top.set_title(f"Agenda: the most mentioned concepts ({language_name(lang)} articles)" if lang else "Agenda: no concept mentioned",
                  fontsize=FONT + 1, loc="left")
    top.set_ylabel("mentions per 1,000 words", fontsize=FONT)
    if not ends:
        top.set_ylim(bottom=0)

    coop = tone[tone["measure"] == "cooperation_index"]
    for r in coop.itertuples():
        if r.episode not in x:
            continue
        hollow = getattr(r, "interval", "") == WITHIN
        bottom.errorbar(x[r.episode] + shift[r.language], r.estimate, yerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]],
                        fmt=LANGUAGE_MARKERS.get(r.language, "o"), color="#333333", markersize=7, capsize=3, lw=1.2,
                        markerfacecolor="white" if hollow else "#333333")
    bottom.axhline(0, color="grey", lw=0.8, ls=":")
    bottom.set_title("Diplomatic tone: cooperation index (95% interval)", fontsize=FONT + 1, loc="left")
    bottom.set_ylabel("← confrontation · cooperation →", fontsize=FONT)
    bottom.set_xticks(range(len(ticks)), ticks, fontsize=FONT)
    bottom.set_xlim(-0.5, len(ticks) - 0.5 + 0.6)  # room on the right for the concept labels
    for ax in (top, bottom):
        ax.tick_params(labelsize=FONT)
    handles = [plt.Line2D([], [], color="#333333", marker=LANGUAGE_MARKERS.get(lang, "o"), ls="", label=language_name(lang))
               for lang in langs]
    if (coop.get("interval", pd.Series(dtype=str)) == WITHIN).any():
        handles.append(plt.Line2D([], [], color="#333333", marker="o", ls="", markerfacecolor="white",
                                  label="one article only"))
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False, fontsize=FONT)
    return fig
