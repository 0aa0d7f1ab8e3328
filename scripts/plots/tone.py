"""Figures of the tone chapter (``chapters/04_tone.ipynb``). Each function takes tables of
``scripts.tone`` and returns a matplotlib Figure; saving and glueing stay in the notebook.

``episode_tone(ep_lang, episodes)``  two panels (VADER compound, cooperation index): mean per sentence
                                     and 95% interval per episode (x = date, colour) and language
                                     (marker). ``ep_lang``: columns episode, language, measure,
                                     estimate, ci_low, ci_high (``tone.summary_level`` of level
                                     episode_language).
``quoted_tone(qa, episodes)``        two panels, one row per (speaker, episode): mean tone of the
                                     quotations with 95% intervals and n. ``qa``: columns actor,
                                     episode, measure, estimate, ci_low, ci_high, n (``tone.top_quoted``).
``trajectory(traj)``                 both measures by relative position in the article, with bands.
                                     ``traj``: columns bin_mid, measure, estimate, ci_low, ci_high
                                     (``tone.trajectories``).
``word_shift(ws, top_entries)``      horizontal bars (grey: cooperation, hatched red: confrontation) of the
                                     ``top_entries`` largest entry contributions
                                     to the change of the cooperation vocabulary. ``ws``: columns entry,
                                     pole, difference (``tone.word_shift``), sorted by |difference|.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from scripts.inference import WITHIN
from scripts.narrative.common import language_name
from scripts.narrative.tone import MEASURE_LABELS
from scripts.tone import MEASURES

from . import LANGUAGE_MARKERS, YearConciseDateFormatter, episode_colors, year_date_axis  # noqa: F401 (re-exported)

#: measures and poles use colours outside the Okabe–Ito episode palette (``plots.episode_colors``), so a
#: colour never means both an episode and a measure. Measures: dark and mid grey, told apart by line
#: style, marker and band (filled vs. hatched), legible in greyscale (dark grey rather than black, which
#: the episode palette uses for a seventh episode). Poles: the two ends of ColorBrewer's
#: RdGy diverging scheme, dark grey and dark red, which differ in lightness for every colour vision;
#: confrontation bars are also hatched.
MEASURE_STYLES = {
    "vader_compound": {"color": "#333333", "ls": "-", "marker": "o", "band": {"color": "#333333", "alpha": 0.15}},
    "cooperation_index": {"color": "#808080", "ls": "--", "marker": "s",
                          "band": {"facecolor": "none", "edgecolor": "#808080", "hatch": "///", "lw": 0}},
}
MEASURE_COLORS = {m: st["color"] for m, st in MEASURE_STYLES.items()}
POLE_COLORS = {"cooperation": "#4d4d4d", "confrontation": "#b2182b"}
POLE_HATCHES = {"cooperation": "", "confrontation": "///"}


def episode_tone(ep_lang: pd.DataFrame, episodes: pd.DataFrame) -> Figure:
    """Mean tone per sentence per episode (x = episode date, colour) and language (marker), one panel
    per measure, with 95% intervals over articles and the number of articles beside each point; a hollow
    marker: the estimate rests on one article and its interval is within that article (no change is
    claimed from it). A legend of episodes (date order) and languages below."""
    colors = episode_colors(episodes)
    eps = episodes.sort_values("order")
    dates = dict(zip(eps["episode"], eps["date"]))
    labels = dict(zip(eps["episode"], eps["label"]))
    langs = sorted(ep_lang["language"].unique())
    span = (max(dates.values()) - min(dates.values())).days or 30
    offset = {l: pd.Timedelta(days=(i - (len(langs) - 1) / 2) * max(span * 0.012, 1)) for i, l in enumerate(langs)}
    pad = pd.Timedelta(days=max(span * 0.08, 15))
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(7.5, 3.4), sharex=True, squeeze=False)
    for ax, m in zip(axes[0], MEASURES):
        for r in ep_lang[ep_lang["measure"] == m].itertuples():
            ax.errorbar(dates[r.episode] + offset[r.language], r.estimate,
                        yerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]],
                        fmt=LANGUAGE_MARKERS.get(r.language, "o"), color=colors[r.episode], markersize=6, capsize=3,
                        lw=1.2, markeredgecolor="black", markeredgewidth=0.5,
                        markerfacecolor="white" if getattr(r, "interval", "") == WITHIN else colors[r.episode])
            if hasattr(r, "n_articles"):
                ax.annotate(f"{r.n_articles}", (dates[r.episode] + offset[r.language], r.ci_high),
                            textcoords="offset points", xytext=(0, 3), ha="center", fontsize=7)
        ax.axhline(0, color="grey", lw=0.8, ls=":")
        ax.set_title(MEASURE_LABELS[m])
        ax.set_ylabel("mean per sentence (95% CI)")
        ax.set_xlim(min(dates.values()) - pad, max(dates.values()) + pad)
        year_date_axis(ax)
    handles = [plt.Line2D([], [], color=colors[e], marker="o", ls="", label=labels[e]) for e in eps["episode"]]
    handles += [plt.Line2D([], [], color="black", marker=LANGUAGE_MARKERS.get(l, "o"), ls="", markerfacecolor="white",
                           label=language_name(l)) for l in langs]
    if "interval" in ep_lang.columns and (ep_lang["interval"] == WITHIN).any():
        handles.append(plt.Line2D([], [], color="black", marker="o", ls="", markerfacecolor="white",
                                  label="one article (within-article interval)"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), frameon=False, fontsize=8)
    return fig


def quoted_tone(qa: pd.DataFrame, episodes: pd.DataFrame) -> Figure:
    """Tone of each speaker's quotations per episode (one row per speaker × episode, in the order of
    ``qa``; colour = episode; labelled by ``qa["name"]`` when present, else the actor id), one panel
    per measure, n of quotations at the right. A one-line message
    figure when ``qa`` is empty."""
    if qa.empty:
        fig, ax = plt.subplots(figsize=(7.5, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, "no attributed quotations of this length in the corpus", ha="center", va="center")
        return fig
    colors = episode_colors(episodes)
    labels = dict(zip(episodes["episode"], episodes["label"]))
    rows_y = qa[qa["measure"] == MEASURES[0]][["actor", "episode"]].drop_duplicates().reset_index(drop=True)
    ypos = {(r.actor, r.episode): i for i, r in enumerate(rows_y.itertuples())}
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(7.5, 1.0 + 0.32 * len(ypos)), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, m in zip(axes, MEASURES):
        for r in qa[qa["measure"] == m].itertuples():
            y = ypos[(r.actor, r.episode)]
            ax.errorbar(r.estimate, y, xerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]], fmt="o",
                        color=colors[r.episode], capsize=2, markersize=5)
            if m == MEASURES[-1]:
                arts = getattr(r, "n_articles", None)
                ax.annotate(f"n={r.n}" + (f", {arts} art." if arts is not None else ""), (1.06, y),
                            xycoords=("axes fraction", "data"), fontsize=8, va="center")
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set_xlim(-1.1, 1.1)
        ax.set_title(MEASURE_LABELS[m])  # short: two titles side by side must not collide
        ax.set_xlabel("mean per quotation (95% CI)")
    names = dict(zip(qa["actor"], qa["name"])) if "name" in qa.columns else {}
    axes[0].set_yticks(list(ypos.values()), [f"{names.get(a, a)} · {labels[e]}" for (a, e) in ypos])
    axes[0].invert_yaxis()
    return fig


def trajectory(traj: pd.DataFrame) -> Figure:
    """Both measures by relative position in the article (lines with markers, 95% bands), in the
    neutral :data:`MEASURE_STYLES` (black solid / grey dashed, filled / hatched band)."""
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    for m in MEASURES:
        st = MEASURE_STYLES[m]
        tr = traj[traj["measure"] == m].sort_values("bin_mid")
        ax.plot(tr["bin_mid"], tr["estimate"], ls=st["ls"], marker=st["marker"], label=MEASURE_LABELS[m], color=st["color"])
        ax.fill_between(tr["bin_mid"], tr["ci_low"], tr["ci_high"], **st["band"])
    ax.axhline(0, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("relative position in the article (0 = first sentence, 1 = last)")
    ax.set_ylabel("mean per sentence (95% CI)")
    ax.set_xlim(0, 1)
    ax.legend(frameon=False, loc="best")
    return fig


def word_shift(ws: pd.DataFrame, top_entries: int = 12) -> Figure:
    """Bars of the ``top_entries`` first rows of ``ws`` (largest first, at the top), dark grey for
    cooperation entries, hatched dark red for confrontation ones (:data:`POLE_COLORS`, a legend below),
    symmetric x axis; a message when empty."""
    from matplotlib.patches import Patch

    top = ws.head(top_entries).iloc[::-1]
    if top.empty:  # a message, no empty axes under it
        fig, ax = plt.subplots(figsize=(7.5, 1.0))
        ax.axis("off")
        ax.text(0.5, 0.5, "no shift to decompose (fewer than two episodes, or no entry changed)", ha="center",
                va="center", transform=ax.transAxes)
        return fig
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.3 * len(top)))
    bars = ax.barh(range(len(top)), top["difference"], color=[POLE_COLORS.get(p, "#b2182b") for p in top["pole"]],
                   edgecolor="white", linewidth=0.5)
    for bar, pole in zip(bars, top["pole"]):
        bar.set_hatch(POLE_HATCHES.get(pole, ""))
    fig.legend(handles=[Patch(facecolor=POLE_COLORS[p], hatch=POLE_HATCHES[p], edgecolor="white", label=f"{p} entry")
                        for p in POLE_COLORS], loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    ax.set_yticks(range(len(top)), [f"{e} ({'coop.' if p == 'cooperation' else 'conf.'})"
                                    for e, p in zip(top["entry"], top["pole"])])
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("change in signed weight per sentence, later − earlier episode\n(> 0 pushes towards cooperation)")
    lim = float(top["difference"].abs().max()) * 1.15
    ax.set_xlim(-lim, lim)
    return fig
