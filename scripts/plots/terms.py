"""Figures of the terms chapter. Each function takes the chapter's tables and returns a matplotlib
Figure (no file is written, nothing is glued: the notebook saves it with ``plots.save_figure``).

``episodes`` is always ``corpus.episodes`` (episode, label, order): panels and columns follow its date
order, colours come from :func:`scripts.plots.episode_colors`, and episodes are named by ``label``.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.transforms import blended_transform_factory

from scripts import episodes as E
from scripts import terms as T
from scripts.narrative import terms as NT
from scripts.narrative.common import language_name

from . import FIG_WIDTH, episode_colors, safe_text


def top_terms_figure(freq: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10, per_row: int = 2,
                     width: float = FIG_WIDTH):
    """Bars of the ``top_n`` most frequent terms of each episode × language unit (rate per 1,000 words
    of that unit, raw count at the bar end), one panel per unit (named by
    :func:`scripts.narrative.terms.unit_name`, date order, episode colour), ``per_row`` panels a row, one
    x scale. Rates of two languages are never in one panel. ``width`` below :data:`FIG_WIDTH` (a
    phone): one panel a row.

    ``freq``: :func:`scripts.terms.term_frequencies` rows (level, episode, language, surface, count,
    per_1k; only ``level == "episode"`` rows are used). With no terms, one panel says so.
    """
    colors = episode_colors(episodes)
    top = T.top_terms(freq, top_n)
    units = list(E.sort_by_episode(top[["episode", "language"]].drop_duplicates(), episodes).itertuples(index=False))
    narrow = width < FIG_WIDTH
    per_row = 1 if narrow else per_row
    n_panels = len(units)
    ncols = min(per_row, max(1, n_panels))
    nrows = -(-n_panels // ncols) if n_panels else 1
    xmax = float(top["per_1k"].max()) * 1.25 if not top.empty else 1.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, 0.5 + nrows * (0.26 * top_n + 1.0)), sharex=True, squeeze=False)
    for ax in axes.flat[n_panels:]:
        ax.set_visible(False)
    for ax, (ep, lang) in zip(axes.flat, units):
        sub = top[(top["episode"] == ep) & (top["language"] == lang)]
        y = np.arange(len(sub))
        ax.barh(y, sub["per_1k"], color=colors[ep])
        for yi, (rate, count) in enumerate(zip(sub["per_1k"], sub["count"])):
            ax.text(rate, yi, f" {count}", va="center", fontsize=10)
        ax.set_yticks(y, [safe_text(str(s)) for s in sub["surface"]])
        ax.invert_yaxis()
        ax.set_xlim(0, xmax)
        ax.set_title("\n".join(textwrap.wrap(safe_text(NT.unit_name(ep, lang, episodes)), 20 if narrow else 26)), color=colors[ep],
                     fontsize=10.5)
        if narrow:
            ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=4))
            ax.tick_params(axis="x", labelbottom=True)
    fig.supxlabel("per 1,000 words\n(number at the bar end: count)" if narrow else "per 1,000 words (number at the bar end: count)",
                  fontsize=10.5)
    if n_panels == 0:
        axes.flat[0].set_visible(True)
        axes.flat[0].text(0.5, 0.5, "no terms in this corpus", ha="center", va="center")
    return fig


def concepts_heatmap(conc: pd.DataFrame, episodes: pd.DataFrame, width: float = FIG_WIDTH):
    """Heat map of concept rates (per 1,000 words of each episode × language unit, value written in
    each cell), one column per unit in date order (top labels in episode colours, language
    named), rows as in :func:`scripts.terms.concept_rates` (by decreasing highest rate). ``width``
    below :data:`FIG_WIDTH` (a phone): one heat map per language, stacked, concept names wrapped,
    one colour scale for all.

    ``conc``: :func:`scripts.terms.concept_counts`.
    """
    colors = episode_colors(episodes)
    heat = T.concept_rates(conc, episodes)
    concept_labels = conc.drop_duplicates("concept").set_index("concept")["label"]
    units = list(heat.columns)
    narrow = width < FIG_WIDTH
    groups = [units]
    if narrow and units:
        languages = list(dict.fromkeys(lang for _, lang in units))
        groups = [[u for u in units if u[1] == lang] for lang in languages]
    values = heat.to_numpy(dtype=float)
    vmax = float(np.nanmax(values)) if values.size and np.nanmax(values) > 0 else 1.0
    row_h = 0.46 if narrow else 0.36
    heights = [(1.6 if narrow else 1.2) + row_h * max(len(heat), 1) for _ in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(width, 0.7 + sum(heights)), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    for ax, cols in zip(axes[:, 0], groups):
        part = heat[cols] if cols else heat
        ax.imshow(part.to_numpy(dtype=float), aspect="auto", cmap="Blues", vmin=0, vmax=vmax)
        for i in range(part.shape[0]):
            for j in range(part.shape[1]):
                v = part.iat[i, j]
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=10, color="white" if v > 0.6 * vmax else "black")
        names = [safe_text(concept_labels[c]) for c in part.index]
        ax.set_yticks(range(len(part)), ["\n".join(textwrap.wrap(n, 16)) for n in names] if narrow else names)
        if narrow:  # columns numbered, the episodes named in a key above (their names do not fit a column)
            ax.set_xticks(range(len(cols)), [str(k + 1) for k in range(len(cols))])
            key = [f"{k + 1}: {safe_text(E.labels(episodes).get(e, e))}" for k, (e, _) in enumerate(cols)]
            if cols:  # from the figure's left edge, above the column numbers
                ax.annotate("\n".join([f"{language_name(cols[0][1])} articles"] + key), (0.02, 1.0), xytext=(0, 22),
                            xycoords=blended_transform_factory(fig.transFigure, ax.transAxes), textcoords="offset points",
                            ha="left", va="bottom", fontsize=10, linespacing=1.3)
        else:
            wrap = max(10, int(48 / max(1, len(cols))))  # narrower labels when there are more columns
            ax.set_xticks(range(len(cols)), ["\n".join(textwrap.wrap(safe_text(E.labels(episodes).get(e, e)), wrap,
                                                                     break_long_words=False)
                                                       + [f"({language_name(lang)})"]) for e, lang in cols])
        ax.xaxis.tick_top()
        for tick, (ep, _) in zip(ax.xaxis.get_major_ticks(), cols):
            tick.label2.set_color(colors[ep])
        ax.spines[:].set_visible(False)
    # no colour bar: every cell carries its value
    return fig


def keyness_figure(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10,
                   width: float = FIG_WIDTH):
    """Log Ratio bars with 95% intervals of the over-used terms of rank ``top_n`` or better (ties
    included) of each episode × language (ranked by G²), one panel per unit of
    :func:`scripts.narrative.terms.keyness_units` (date order, two columns, so that it fits a PDF
    page), one x scale, one bar height. Filled bars and " *" mark terms
    significant after correction over the whole table; hatched bars are not; " †" marks a term
    all of whose occurrences in the unit come from one article. With no comparable unit, one panel
    says keyness is not computable. ``width`` below :data:`FIG_WIDTH` (a phone): one column.

    ``key``: :func:`scripts.terms.keyness`; ``coverage``: :func:`scripts.terms.keyness_coverage`.
    """
    colors = episode_colors(episodes)
    top_key = key[(key["direction"] == "over") & (key["rank"] <= top_n)]
    units = NT.keyness_units(key, coverage, episodes)
    n_units = len(units)
    if n_units == 0:
        wide = width >= FIG_WIDTH
        fig, ax = plt.subplots(figsize=(width, 1.0 if wide else 1.2))
        ax.text(0.5, 0.5, "Keyness is not computable:\nno episode has a reference" + (" " if wide else "\n") + "text in its language.",
                ha="center", va="center")
        ax.set_axis_off()
        return fig
    # panels in two columns (one when there is one unit) so that the figure fits a PDF page; every
    # row as tall as its longest panel (0.23 in a bar, plus room for title and ticks) and every panel
    # drawn on that row's bar count, so one bar has one height everywhere
    narrow = width < FIG_WIDTH
    ncols = 2 if n_units > 1 and not narrow else 1
    nrows = -(-n_units // ncols)
    n_bars = [max(1, int(((top_key["episode"] == u.episode) & (top_key["language"] == u.language)).sum()))
              for u in units.itertuples()]
    row_bars = [max(n_bars[r * ncols:(r + 1) * ncols]) for r in range(nrows)]
    fig_h = 1.2 + sum(0.23 * k + 0.7 for k in row_bars)
    fig_h += 0.5 if narrow else 0.0  # the key and the axis label take two lines more
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, fig_h), sharex=True, squeeze=False,
                             gridspec_kw={"height_ratios": row_bars})
    lo = float(min(top_key["ci_low"].min(), 0)) - 0.5
    hi = float(top_key["ci_high"].max()) + 0.5
    for k, u in enumerate(units.itertuples()):
        ax = axes[k // ncols][k % ncols]
        sub = top_key[(top_key["episode"] == u.episode) & (top_key["language"] == u.language)].sort_values("rank", kind="stable")
        y = np.arange(len(sub))
        col = colors[u.episode]
        sig = sub["significant"].astype(bool).tolist()
        ax.barh(y, sub["log_ratio"], color=[col if s else "white" for s in sig],
                edgecolor=col, hatch=[None if s else "//" for s in sig], linewidth=1)
        ax.errorbar(sub["log_ratio"], y, xerr=[sub["log_ratio"] - sub["ci_low"], sub["ci_high"] - sub["log_ratio"]],
                    fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
        single = sub["single_article"].astype(bool).tolist()
        ax.set_yticks(y, [safe_text(f"{s}{' *' if g else ''}{' †' if o else ''}") for s, g, o in zip(sub["surface"], sig, single)])
        ax.set_ylim(row_bars[k // ncols] - 0.5, -0.5)  # first rank on top; the row's bar count sets the scale
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_xlim(lo, hi)
        ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=4, integer=True))
        ax.tick_params(axis="x", labelbottom=True)
        ax.set_title("\n".join(textwrap.wrap(safe_text(NT.unit_name(u.episode, u.language, episodes)), 19 if narrow else 24)), color=col,
                     fontsize=10.5, loc="left")
    for k in range(n_units, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if narrow:
        fig.supxlabel("Log Ratio (log2 of the ratio of rates,\ntarget vs other episodes), 95% CI", fontsize=10.5)
        fig.suptitle("filled and * = significant after\ncorrection; hatched = not;\n† = all occurrences in one article",
                     fontsize=10, fontweight="normal")
    else:
        fig.supxlabel("Log Ratio (log2 of the ratio of rates, target vs other episodes), 95% CI", fontsize=10.5)
        fig.suptitle("filled and * = significant after correction; hatched = not;\n"
                     "† = all occurrences in one article", fontsize=10, fontweight="normal")
    return fig


def top_terms_alt(freq: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10, named: int = 3) -> str:
    """Alt text of :func:`top_terms_figure`: per episode and language, the ``named`` most frequent terms."""
    top = T.top_terms(freq, top_n)
    units = E.sort_by_episode(top[["episode", "language"]].drop_duplicates(), episodes)
    parts = []
    for u in units.itertuples(index=False):
        sub = top[(top["episode"] == u.episode) & (top["language"] == u.language)].head(named)
        parts.append(f"{NT.unit_name(u.episode, u.language, episodes)}: "
                     + ", ".join(f"{s} {r:.1f}" for s, r in zip(sub["surface"], sub["per_1k"])))
    if not parts:
        return "No terms in this corpus."
    return (f"Bar charts of the {top_n} most frequent terms per episode and language, per 1,000 words; "
            f"the first {named} of each: " + "; ".join(parts) + ".")


def concepts_heatmap_alt(conc: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """Alt text of :func:`concepts_heatmap`: per column (episode × language), its highest concept and rate."""
    heat = T.concept_rates(conc, episodes)
    labels = conc.drop_duplicates("concept").set_index("concept")["label"]
    parts = []
    for col in heat.columns:
        s = heat[col].astype(float)
        if s.notna().any() and s.max() > 0:
            ep, lang = col
            parts.append(f"{E.labels(episodes).get(ep, ep)} ({language_name(lang)}): {labels[s.idxmax()]} {s.max():.1f}")
    return (f"Heat map of {len(heat)} concepts by episode and language, mentions per 1,000 words; highest per column: "
            + ("; ".join(parts) or "none") + ".")


def keyness_alt(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10, named: int = 3) -> str:
    """Alt text of :func:`keyness_figure`: per comparable unit, the first over-used terms with their
    Log Ratio and whether they are significant."""
    units = NT.keyness_units(key, coverage, episodes)
    if not len(units):
        return "Keyness is not computable: no episode has a reference text in its language."
    top_key = key[(key["direction"] == "over") & (key["rank"] <= top_n)]
    parts = []
    for u in units.itertuples():
        sub = top_key[(top_key["episode"] == u.episode) & (top_key["language"] == u.language)].sort_values("rank", kind="stable")
        terms = ", ".join(f"{r.surface} {r.log_ratio:+.1f}{' (significant)' if r.significant else ''}"
                          for r in sub.head(named).itertuples())
        parts.append(f"{NT.unit_name(u.episode, u.language, episodes)}: {terms or 'no over-used term'}")
    return ("Bar charts of the Log Ratio with 95% intervals of the over-used terms of each episode and language, "
            "by G² rank; the first of each: " + "; ".join(parts) + ".")
