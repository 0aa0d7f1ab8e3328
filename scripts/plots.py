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


def save_figure(fig, fig_dir: str | Path, name: str) -> Path:
    """Write ``<fig_dir>/<name>.png`` (PNG: the LaTeX builder takes no SVG) and return its path."""
    out = Path(fig_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    fig.savefig(path)
    return path
