"""Figures of the tone chapter (``chapters/04_tone.ipynb``). Each function takes tables of
``scripts.tone`` and returns a matplotlib Figure; saving and glueing stay in the notebook.

``episode_tone(ep_lang, episodes)``  two stacked panels (VADER compound, cooperation index): mean per
                                     sentence and 95% interval per episode (x = episodes as
                                     categories in date order, colour) and language (marker,
                                     dodged, labelled). ``ep_lang``: columns episode, language,
                                     measure, estimate, ci_low, ci_high (``tone.summary_level`` of level
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

Each figure has a ``*_alt`` function (same inputs) that writes its alt text from the data.
"""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from scripts.inference import WITHIN
from scripts.narrative.common import language_name
from scripts.narrative.tone import MEASURE_LABELS, SHORT_MEASURE_LABELS
from scripts.tone import MEASURES

from . import FIG_WIDTH, LANGUAGE_MARKERS, YearConciseDateFormatter, episode_colors, safe_text, year_date_axis  # noqa: F401 (re-exported)

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


def _wrap(text: str, width: int = 16) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(safe_text(text), width)) or safe_text(text)


def episode_tone(ep_lang: pd.DataFrame, episodes: pd.DataFrame, width: float = FIG_WIDTH) -> Figure:
    """Mean tone per sentence per episode and language, one panel per measure (stacked), with 95%
    intervals over articles. x: the episodes as categories in date order (labelled; colour = episode),
    languages dodged side by side (marker: square = English, circle = French) and labelled directly
    above their interval with the language code and the number of articles; a hollow marker: the
    estimate rests on one article and its interval is within that article (no change is claimed from it).
    ``width`` below :data:`FIG_WIDTH` (a phone): the same, narrower, the language labels on two lines."""
    colors = episode_colors(episodes)
    eps = episodes.sort_values("order")
    xpos = {e: i for i, e in enumerate(eps["episode"])}
    dodge = {}  # languages side by side within their episode only; one language stays centred
    for e, g in ep_lang.groupby("episode"):
        present = sorted(g["language"].unique())
        dodge.update({(e, l): (i - (len(present) - 1) / 2) * 0.3 for i, l in enumerate(present)})
    narrow = width < FIG_WIDTH
    fig, axes = plt.subplots(len(MEASURES), 1, figsize=(width, 1.2 + (2.8 if narrow else 2.3) * len(MEASURES)), sharex=True,
                             squeeze=False)
    for ax, m in zip(axes[:, 0], MEASURES):
        sub = ep_lang[ep_lang["measure"] == m]
        for r in sub.itertuples():
            x = xpos[r.episode] + dodge[(r.episode, r.language)]
            ax.errorbar(x, r.estimate, yerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]],
                        fmt=LANGUAGE_MARKERS.get(r.language, "o"), color=colors[r.episode], markersize=7, capsize=3,
                        lw=1.4, markeredgecolor="black", markeredgewidth=0.6,
                        markerfacecolor="white" if getattr(r, "interval", "") == WITHIN else colors[r.episode])
            n = getattr(r, "n_articles", None)
            ax.annotate(f"{r.language}" + ((f"\n({n})" if narrow else f" ({n})") if n is not None else ""), (x, r.ci_high),
                        textcoords="offset points", xytext=(0, 3), ha="center", va="bottom", fontsize=10)
        ax.axhline(0, color="grey", lw=0.8, ls=":")
        ax.set_title(MEASURE_LABELS[m], loc="left")
        ax.set_ylabel("mean per sentence")
        if len(sub):
            lo, hi = float(sub["ci_low"].min()), float(sub["ci_high"].max())
            span = (hi - lo) or 0.2
            ax.set_ylim(min(lo, 0) - 0.08 * span, max(hi, 0) + 0.3 * span)  # room for the labels above
    ax = axes[-1, 0]
    ax.set_xlim(-0.6, len(xpos) - 0.4)
    ax.set_xticks(list(xpos.values()), ["\n".join(textwrap.wrap(safe_text(l), 8, break_long_words=False)) if narrow else _wrap(l)
                                        for l in eps["label"]])
    for lab, e in zip(ax.get_xticklabels(), eps["episode"]):
        lab.set_color(colors[e])
    return fig


def episode_tone_alt(ep_lang: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """Alt text of :func:`episode_tone`: every estimate with its interval, per measure, episode and language."""
    eps = episodes.sort_values("order")
    parts = []
    for m in MEASURES:
        sub = ep_lang[ep_lang["measure"] == m]
        vals = []
        for e, label in zip(eps["episode"], eps["label"]):
            for r in sub[sub["episode"] == e].sort_values("language").itertuples():
                n = getattr(r, "n_articles", None)
                vals.append(f"{label}, {language_name(r.language)}{f' ({n} art.)' if n is not None else ''} "
                            f"{r.estimate:+.2f} [{r.ci_low:+.2f}, {r.ci_high:+.2f}]")
        parts.append(f"{MEASURE_LABELS[m]}: " + "; ".join(vals))
    return ("Dot plot with 95% intervals of the mean tone per sentence, by episode in date order and language. "
            + ". ".join(parts) + ".")


def quoted_tone(qa: pd.DataFrame, episodes: pd.DataFrame, width: float = FIG_WIDTH) -> Figure:
    """Tone of each speaker's quotations per episode (one row per speaker × episode, in the order of
    ``qa``; colour = episode; labelled by ``qa["name"]`` when present, else the actor id, and the
    episode), one panel per measure, n of quotations at the right. A one-line message
    figure when ``qa`` is empty. ``width`` below :data:`FIG_WIDTH` (a phone): the panels one above
    the other, each row named above its marker with its n, so the axis gets the full width."""
    narrow = width < FIG_WIDTH
    if qa.empty:
        fig, ax = plt.subplots(figsize=(width, 1.0))
        ax.axis("off")
        ax.text(0.5, 0.5, "no attributed quotations of this\nlength in the corpus" if narrow else
                "no attributed quotations of this length in the corpus", ha="center", va="center")
        return fig
    colors = episode_colors(episodes)
    labels = dict(zip(episodes["episode"], episodes["label"]))
    rows_y = qa[qa["measure"] == MEASURES[0]][["actor", "episode"]].drop_duplicates().reset_index(drop=True)
    ypos = {(r.actor, r.episode): i for i, r in enumerate(rows_y.itertuples())}
    names = dict(zip(qa["actor"], qa["name"])) if "name" in qa.columns else {}
    if narrow:
        return _quoted_tone_narrow(qa, ypos, names, labels, colors, width)
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(FIG_WIDTH, 1.3 + 0.5 * len(ypos)), sharey=True, squeeze=False)
    axes = axes[0]
    for ax, m in zip(axes, MEASURES):
        for r in qa[qa["measure"] == m].itertuples():
            y = ypos[(r.actor, r.episode)]
            ax.errorbar(r.estimate, y, xerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]], fmt="o",
                        color=colors[r.episode], capsize=2, markersize=6)
            if m == MEASURES[-1]:
                arts = getattr(r, "n_articles", None)
                ax.annotate(f"n={r.n}" + (f", {arts} art." if arts is not None else ""), (1.04, y),
                            xycoords=("axes fraction", "data"), fontsize=10, va="center", annotation_clip=False)
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set_xlim(-1.1, 1.1)
        ax.set_xticks([-1, 0, 1])
        ax.set_title(SHORT_MEASURE_LABELS[m])  # short: two titles side by side must not collide
        ax.set_xlabel("mean per quotation")
    axes[0].set_yticks(list(ypos.values()), [safe_text(f"{names.get(a, a)}\n{labels[e]}") for (a, e) in ypos])
    for lab, (_a, e) in zip(axes[0].get_yticklabels(), ypos):
        lab.set_color(colors[e])
    axes[0].invert_yaxis()
    return fig


def _quoted_tone_narrow(qa: pd.DataFrame, ypos: dict, names: dict, labels: dict, colors: dict, width: float) -> Figure:
    """:func:`quoted_tone` for a phone: one panel per measure, one above the other; each row named
    above its marker (speaker · n, then the episode)."""
    fig, axes = plt.subplots(len(MEASURES), 1, figsize=(width, 0.4 + len(MEASURES) * (1.0 + 0.8 * len(ypos))), squeeze=False)
    for ax, m in zip(axes[:, 0], MEASURES):
        for r in qa[qa["measure"] == m].itertuples():
            y = ypos[(r.actor, r.episode)]
            ax.errorbar(r.estimate, y, xerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]], fmt="o",
                        color=colors[r.episode], capsize=2, markersize=6)
            arts = getattr(r, "n_articles", None)
            ax.text(0.0, y - 0.25, safe_text(f"{names.get(r.actor, r.actor)} · n={r.n}" + (f", {arts} art." if arts is not None else "")
                                             + f"\n{labels[r.episode]}"),
                    transform=ax.get_yaxis_transform(), ha="left", va="bottom", fontsize=10, color=colors[r.episode])
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set_xlim(-1.1, 1.1)
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(len(ypos) - 0.5, -0.95)
        ax.set_title(SHORT_MEASURE_LABELS[m], loc="left")
        ax.set_xlabel("mean per quotation")
    return fig


def quoted_tone_alt(qa: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """Alt text of :func:`quoted_tone`: each speaker × episode with n and both means."""
    if qa.empty:
        return "No attributed quotations of this length in the corpus."
    labels = dict(zip(episodes["episode"], episodes["label"]))
    names = dict(zip(qa["actor"], qa["name"])) if "name" in qa.columns else {}
    parts = []
    for (a, e), g in qa.groupby(["actor", "episode"], sort=False):
        vals = ", ".join(f"{SHORT_MEASURE_LABELS[r.measure]} {r.estimate:+.2f}" for r in g.itertuples())
        parts.append(f"{names.get(a, a)}, {labels.get(e, e)} (n={int(g['n'].iloc[0])}): {vals}")
    return "Dot plot with 95% intervals of the mean tone of quotations per speaker and episode. " + "; ".join(parts) + "."


def trajectory(traj: pd.DataFrame, width: float = FIG_WIDTH) -> Figure:
    """Both measures by relative position in the article (lines with markers, 95% bands), in the
    neutral :data:`MEASURE_STYLES` (dark solid / grey dashed, filled / hatched band), each line named
    at its right end (no legend). ``width`` below :data:`FIG_WIDTH` (a phone): the x label wrapped."""
    narrow = width < FIG_WIDTH
    fig, ax = plt.subplots(figsize=(width, 3.2))
    ends = []
    for m in MEASURES:
        st = MEASURE_STYLES[m]
        tr = traj[traj["measure"] == m].sort_values("bin_mid")
        ax.plot(tr["bin_mid"], tr["estimate"], ls=st["ls"], marker=st["marker"], color=st["color"])
        ax.fill_between(tr["bin_mid"], tr["ci_low"], tr["ci_high"], **st["band"])
        if len(tr):
            ends.append((float(tr["estimate"].iloc[-1]), float(tr["bin_mid"].iloc[-1]), m))
    ax.axhline(0, color="grey", lw=0.8, ls=":")
    # direct labels at the line ends, pushed apart (in points) when the ends are close
    fig.canvas.draw()
    to_pt = 72.0 / fig.dpi
    placed: list[float] = []
    for y, x, m in sorted(ends):
        y_pt = ax.transData.transform((x, y))[1] * to_pt
        target = max([y_pt] + [p + 14 for p in placed])
        placed.append(target)
        ax.annotate(SHORT_MEASURE_LABELS[m], (x, y), xytext=(8, target - y_pt), textcoords="offset points", va="center",
                    fontsize=10, color=MEASURE_STYLES[m]["color"], annotation_clip=False)
    ax.set_xlabel("relative position in the article\n(0 = first sentence, 1 = last)" if narrow else
                  "relative position in the article (0 = first sentence, 1 = last)")
    ax.set_ylabel("mean per sentence")
    ax.set_xlim(0, 1)
    return fig


def trajectory_alt(traj: pd.DataFrame) -> str:
    """Alt text of :func:`trajectory`: first and last slice of each measure."""
    parts = []
    for m in MEASURES:
        tr = traj[traj["measure"] == m].sort_values("bin_mid")
        if len(tr):
            parts.append(f"{MEASURE_LABELS[m]} from {tr['estimate'].iloc[0]:+.2f} in the first slice to "
                         f"{tr['estimate'].iloc[-1]:+.2f} in the last")
    return (f"Line chart of mean tone per sentence by relative position in the article, {traj['bin_mid'].nunique()} "
            "slices, all articles pooled: " + "; ".join(parts) + ".")


def word_shift(ws: pd.DataFrame, top_entries: int = 12, width: float = FIG_WIDTH) -> Figure:
    """Bars of the ``top_entries`` first rows of ``ws`` (largest first, at the top), dark grey for
    cooperation entries, hatched dark red for confrontation ones (:data:`POLE_COLORS`; each label
    names its pole, no legend), symmetric x axis; a message when empty. ``width`` below
    :data:`FIG_WIDTH` (a phone): fewer ticks, the x label on three lines."""
    narrow = width < FIG_WIDTH
    top = ws.head(top_entries).iloc[::-1]
    if top.empty:  # a message, no empty axes under it
        fig, ax = plt.subplots(figsize=(width, 1.2 if narrow else 1.0))
        ax.axis("off")
        ax.text(0.5, 0.5, "no shift to decompose\n(fewer than two episodes,\nor no entry changed)" if narrow else
                "no shift to decompose\n(fewer than two episodes, or no entry changed)", ha="center",
                va="center", transform=ax.transAxes)
        return fig
    fig, ax = plt.subplots(figsize=(width, (1.5 if narrow else 1.3) + 0.32 * len(top)))
    bars = ax.barh(range(len(top)), top["difference"], color=[POLE_COLORS.get(p, "#b2182b") for p in top["pole"]],
                   edgecolor="white", linewidth=0.5)
    for bar, pole in zip(bars, top["pole"]):
        bar.set_hatch(POLE_HATCHES.get(pole, ""))
    ax.set_yticks(range(len(top)), [safe_text(f"{e} ({'coop.' if p == 'cooperation' else 'conf.'})")
                                    for e, p in zip(top["entry"], top["pole"])])
    for lab, p in zip(ax.get_yticklabels(), top["pole"]):
        lab.set_color(POLE_COLORS.get(p, "#b2182b"))
    ax.axvline(0, color="black", lw=0.8)
    if narrow:
        # under the whole figure: the axis alone sits right of the long entry names
        fig.supxlabel("change in signed weight per sentence,\nlater − earlier episode\n(> 0: towards cooperation)", fontsize=10.5)
        ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=3, symmetric=True))
    else:
        ax.set_xlabel("change in signed weight per sentence,\nlater − earlier episode (> 0: towards cooperation)")
    lim = float(top["difference"].abs().max()) * 1.15 or 1.0
    ax.set_xlim(-lim, lim)
    return fig


def word_shift_alt(ws: pd.DataFrame, top_entries: int = 12) -> str:
    """Alt text of :func:`word_shift`: the entries shown, largest first, with their signed change."""
    top = ws.head(top_entries)
    if top.empty:
        return "No shift to decompose (fewer than two episodes, or no entry changed)."
    parts = [f"{r.entry} ({r.pole}) {r.difference:+.3f}" for r in top.itertuples()]
    return (f"Bar chart of the {len(top)} lexicon entries whose contribution to the cooperation index changed most "
            "between the earliest and the latest episode of the headline comparison, largest first: " + "; ".join(parts) + ".")
