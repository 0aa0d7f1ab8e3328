"""The summary figure of the findings page: per episode, the agenda (rates of the most mentioned
concepts) above the diplomatic tone (cooperation index with its interval), so a reader sees both at a
glance. It draws what the chapters computed; it computes no statistic.

Why this layout: the figure is drawn :data:`WIDTH` = 3.4 in wide, i.e. 326 CSS px, which fits the
column of a 390 px phone (the figure's box is 343 px wide there even beside a classic 15 px scrollbar,
and the image sits 8 px in), so it is never shrunk nor scrolled there and its 10 pt text is read
at 10 pt on a phone as on a desktop (where it is shown at the same size) and in the PDF. A narrow
figure cannot hold lines with labels at their ends, so both panels are read row by row: the agenda is a
table of coloured cells (a row per concept, named above it; a column per episode; each cell printing its
rate), the tone one row per episode and language, named above its marker (direct labels, no legend)."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ..inference import WITHIN
from ..narrative.common import language_name
from . import safe_text

FONT = 10      # smallest text of the figure, in points, at display size (the figure is shown at its drawn size)
WIDTH = 3.4    # inches: 326 CSS px at 96 px/in, inside a 390 px phone's column (see the module docstring)
CELL_H = 0.44  # inches per concept row of the agenda panel (its name above a row of cells)
MAX_HEIGHT = 8.5  # inches: within the PDF's text height with its caption (taller figures would be shrunk there)
MIN_ROW_H = 0.36  # inches: a row's name (10 pt) above its marker still clear of the next row
ROW_H = 0.45   # inches per episode-language row of the tone panel
INK = "#333333"
NAME_CHARS = 40  # a concept's name above its row, shortened beyond this (one line across the figure)
GAP = 3        # display px kept clear around each column head


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


def agenda_matrix(concepts: pd.DataFrame, episodes: pd.DataFrame, n_concepts: int = 4) -> tuple[str, pd.DataFrame]:
    """The agenda panel's values: (language, rates) with rates indexed by the ``n_concepts`` most mentioned
    concepts of that language (most first) and one column per episode in date order; NaN where the
    episode has no article in that language."""
    lang = agenda_language(concepts)
    agenda = concepts[concepts["language"] == lang]
    labels = _top_concepts(agenda, n_concepts)
    order = list(episodes.sort_values("order")["episode"])
    rates = (agenda[agenda["label"].isin(labels)].pivot_table(index="label", columns="episode", values="per_1k", aggfunc="sum")
             .reindex(index=labels, columns=order))
    return lang, rates


def tone_rows(tone: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The tone panel's rows: the cooperation index per episode (date order) and language (code order)."""
    order = {e: i for i, e in enumerate(episodes.sort_values("order")["episode"])}
    coop = tone[(tone["measure"] == "cooperation_index") & tone["episode"].isin(order)]
    return coop.assign(_o=coop["episode"].map(order)).sort_values(["_o", "language"], kind="stable").drop(columns="_o")


def _episode_label(label: str, width: int) -> str:
    return textwrap.fill(safe_text(label), width, break_long_words=False)


def _title(sub, text: str) -> None:
    """A panel title from the figure's left edge (not the axis': the row labels sit left of it)."""
    sub.suptitle(textwrap.fill(text, 34), x=0.02, ha="left", fontsize=FONT + 1, fontweight="bold")


def _agenda_panel(sub, lang: str, rates: pd.DataFrame, labels: dict[str, str]) -> None:
    """Concept rows of coloured cells, one per episode, each printing its rate; the concept's name above
    its row (so the cells get the full width and the episode names fit above their columns)."""
    _title(sub, f"Agenda: mentions per 1,000 words ({language_name(lang)} articles)" if lang else "Agenda: no concept mentioned")
    ax = sub.subplots()
    if rates.empty:
        ax.axis("off")
        return
    values = rates.to_numpy(dtype=float)
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    cmap, norm = plt.get_cmap("Blues"), plt.Normalize(0, max(top, 1e-9) * 1.15)
    names = ax.get_yaxis_transform()   # x in axes fraction, y in data
    for i, concept in enumerate(rates.index):
        name = textwrap.shorten(safe_text(concept), NAME_CHARS, placeholder="…")
        ax.text(0.0, i - 0.28, name, transform=names, ha="left", va="bottom", fontsize=FONT, color=INK)
        for j, v in enumerate(values[i]):
            missing = np.isnan(v)
            ax.add_patch(plt.Rectangle((j - 0.48, i - 0.25), 0.96, 0.6, color="#eeeeee" if missing else cmap(norm(v)), lw=0))
            ax.text(j, i + 0.05, "–" if missing else f"{v:.1f}", ha="center", va="center", fontsize=FONT,
                    color="grey" if missing else ("white" if v > 0.6 * top else INK))
    heads, tilted = column_heads(rates, labels)
    ax.set_xticks(range(values.shape[1]), heads, fontsize=FONT, **({"rotation": 45, "ha": "left", "rotation_mode": "anchor"}
                                                                  if tilted else {}))
    ax.xaxis.tick_top()
    ax.set_xlim(-0.5, values.shape[1] - 0.5)
    ax.set_ylim(len(rates.index) - 0.5 + 0.15, -0.75)   # first concept at the top; room for its name
    ax.set_yticks([])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)


def _width_in(text: str) -> float:
    """Drawn width of ``text`` at :data:`FONT` in inches (its widest line)."""
    return max(TextToPath().get_text_width_height_descent(line, FontProperties(size=FONT), ismath=False)[0]
               for line in text.split("\n")) / 72


def column_heads(rates: pd.DataFrame, labels: dict[str, str]) -> tuple[list[str], bool]:
    """The agenda's column heads and whether they are tilted: wrapped episode names when each fits its
    column, else one line each tilted 45° (tilted lines stand apart however many columns there are)."""
    column_in = (WIDTH - 0.15) / max(len(rates.columns), 1)   # concept names sit above their rows: full width
    wrapped = [_episode_label(labels[e], 10) for e in rates.columns]
    if all(_width_in(h) + 2 * GAP / 96 <= column_in for h in wrapped):
        return wrapped, False
    return [safe_text(labels[e]) for e in rates.columns], True


def _tone_panel(sub, rows: pd.DataFrame, labels: dict[str, str]) -> None:
    """One row per episode and language, its name above its marker (the full width stays for the intervals)."""
    _title(sub, "Diplomatic tone: cooperation index (95% interval)")
    ax = sub.subplots()
    if rows.empty:
        ax.axis("off")
        return
    names = ax.get_yaxis_transform()   # x in axes fraction, y in data
    for yi, r in enumerate(rows.itertuples()):
        hollow = getattr(r, "interval", "") == WITHIN
        ax.errorbar(r.estimate, yi, xerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]], fmt="o", color=INK,
                    markersize=7, capsize=3, lw=1.2, markerfacecolor="white" if hollow else INK)
        ax.text(0.0, yi - 0.3, f"{safe_text(labels[r.episode])} · {language_name(r.language)}", transform=names,
                ha="left", va="bottom", fontsize=FONT, color=INK)
    ax.axvline(0, color="grey", lw=0.8, ls=":")
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(len(rows) - 0.5, -0.95)   # date order from the top; room above the first row for its name
    ax.set_xlabel("← confrontation · cooperation →", fontsize=FONT)
    ax.tick_params(labelsize=FONT)


def summary_figure(concepts: pd.DataFrame, tone: pd.DataFrame, episodes: pd.DataFrame, n_concepts: int = 4) -> Figure:
    """Two panels, one above the other, :data:`WIDTH` wide:

    - top, agenda: mentions per 1,000 words of the ``n_concepts`` most mentioned concepts in one
      language (:func:`agenda_language`), one row of cells per concept (named above it, most mentioned
      first), episodes as columns in date order, each cell printing its rate ("–": no article of that
      language in the episode);
    - bottom, tone: the cooperation index per episode and language with its 95% interval, one row each
      named above its marker (episode · language); a hollow marker rests on one article (its interval is
      within that article).

    ``concepts``: episode, language, label, count, per_1k (``concepts.csv``). ``tone``: rows of
    level "episode_language" of ``tone_summary.csv`` split into episode, language (measure,
    estimate, ci_low, ci_high, interval). ``episodes``: episode, label, order."""
    labels = dict(zip(episodes["episode"], episodes["label"]))
    lang, rates = agenda_matrix(concepts, episodes, n_concepts)
    rows = tone_rows(tone, episodes)
    heads, tilted = column_heads(rates, labels)
    head_in = (max(map(_width_in, heads)) * 0.71 + 0.15) if tilted else 0.18 * max((h.count("\n") + 1 for h in heads), default=0)
    h_top = 0.7 + head_in + CELL_H * max(len(rates), 1)
    row_h = max(MIN_ROW_H, min(ROW_H, (MAX_HEIGHT - h_top - 1.0) / max(len(rows), 1)))   # many rows: closer, up to a page
    h_bottom = 0.9 + row_h * max(len(rows), 1)
    fig = plt.figure(figsize=(WIDTH, h_top + h_bottom), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[h_top, h_bottom])
    _agenda_panel(top, lang, rates, labels)
    _tone_panel(bottom, rows, labels)
    return fig


def summary_alt(concepts: pd.DataFrame, tone: pd.DataFrame, episodes: pd.DataFrame, n_concepts: int = 4) -> str:
    """Alt text of :func:`summary_figure`, from the same data: what each panel shows and every value."""
    eps = episodes.sort_values("order")
    labels = dict(zip(eps["episode"], eps["label"]))
    lang, rates = agenda_matrix(concepts, episodes, n_concepts)
    head = f"Two charts over {len(eps)} episode{'s' if len(eps) != 1 else ''} in date order ({'; '.join(map(str, eps['label']))})."
    if rates.empty:
        agenda = "Top, the agenda: no concept is mentioned."
    else:
        cells = "; ".join(f"{c}: " + ", ".join("no article" if pd.isna(v) else f"{v:.1f}" for v in rates.loc[c])
                          for c in rates.index)
        agenda = (f"Top, the agenda: mentions per 1,000 words of the {len(rates)} most mentioned concepts in the "
                  f"{language_name(lang)} articles, one value per episode: {cells}.")
    rows = tone_rows(tone, episodes)
    if rows.empty:
        tone_part = "Bottom, the diplomatic tone: no scored sentence."
    else:
        vals = "; ".join(f"{labels[r.episode]}, {language_name(r.language)} {r.estimate:+.2f} [{r.ci_low:+.2f}, {r.ci_high:+.2f}]"
                         + (" (one article)" if getattr(r, "interval", "") == WITHIN else "") for r in rows.itertuples())
        tone_part = ("Bottom, the diplomatic tone: the cooperation index (from −1 confrontation to +1 cooperation) "
                     f"per episode and language with its 95% interval: {vals}.")
    return " ".join([head, agenda, tone_part])
