"""Synthetic corpora with known truth, to check the article-level inference (``scripts.inference``)
by simulation (``tools/validate_stats.py``).

Why: with a handful of articles per episode no formula guarantees that an interval covers 95% of
the time or that "rose" is claimed only 5% of the time when nothing changed. A generator whose
truth is known lets the benchmark count how often the library is right.

Model, per sentence j of article i in group (episode) g, on a latent scale:

    latent = mu_g + u_i + e_ij,   u_i ~ Normal(0, tau)  (article effect),  e_ij ~ Normal(0, sigma)

and the observed value is the latent value clipped to [-1, 1] (bounded like the cooperation index),
except that with probability ``p_zero`` a sentence has no scored word and its value is exactly 0 (as
most sentences of the real corpus). Sentences per article are drawn uniformly from ``sentences``
(inclusive). Group latent means rise linearly from ``base`` (first group) to ``base + shift`` (last).

The truth is the expected sentence value of each group, (1 - p_zero) * E[clip(Normal(mu_g,
sqrt(tau^2 + sigma^2)))], in closed form: the quantity a pooled sentence mean estimates. A shift of 0
makes every group's truth identical, so any "rose"/"fell" claim is then false.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

# Defaults shaped like the cooperation index of the bundled seeds: 43% of sentences unscored (0), most
# scored sentences at -1 or +1 (heavy clipping: about 75% here, 86% in the seeds), sentence sd about
# 0.68 (seeds 0.7), article effects of about 0.14 on the observed scale (a latent tau of 1 times the
# slope of the clipped mean, about 0.14).
TAU, SIGMA, P_ZERO, SENTENCES = 1.0, 3.0, 0.45, (5, 60)


def clipped_normal_mean(mean: float, sd: float, low: float = -1.0, high: float = 1.0) -> float:
    """E[clip(X, low, high)] for X ~ Normal(mean, sd): the expected observed value of a latent one."""
    if sd == 0:
        return float(min(max(mean, low), high))
    a, b = (low - mean) / sd, (high - mean) / sd
    inside = mean * (stats.norm.cdf(b) - stats.norm.cdf(a)) + sd * (stats.norm.pdf(a) - stats.norm.pdf(b))
    return float(low * stats.norm.cdf(a) + inside + high * stats.norm.sf(b))


@dataclass(frozen=True)
class Truth:
    """What the simulated corpus was drawn from. ``means``: expected sentence value per group (the
    estimand of a pooled mean); ``latent``: the groups' latent means mu_g."""
    means: dict
    latent: dict
    tau: float
    sigma: float
    p_zero: float

    def difference(self, group_from: str, group_to: str) -> float:
        """True difference of the groups' expected sentence values (to - from)."""
        return self.means[group_to] - self.means[group_from]


def group_names(n_groups: int) -> list[str]:
    """Group ids in date order: e1, e2, ..."""
    return [f"e{g + 1}" for g in range(n_groups)]


def simulate_corpus(n_articles: int | Sequence[int] = 10, n_groups: int = 2, shift: float = 0.0, *,
                    base: float = 0.0, tau: float = TAU, sigma: float = SIGMA, p_zero: float = P_ZERO,
                    sentences: tuple[int, int] = SENTENCES,
                    seed: int | np.random.Generator = 0) -> tuple[pd.DataFrame, Truth]:
    """A synthetic corpus (one row per sentence: value, article, group) and its :class:`Truth`.

    ``n_articles``: articles per group (one number for all groups, or one per group); ``shift``:
    latent difference between the last and the first group (spread linearly over the groups);
    ``seed``: an int or a numpy Generator (the benchmark passes one Generator through many corpora)."""
    if n_groups < 1:
        raise ValueError("n_groups must be at least 1")
    sizes = [int(n_articles)] * n_groups if np.ndim(n_articles) == 0 else [int(k) for k in n_articles]
    if len(sizes) != n_groups or min(sizes) < 1:
        raise ValueError(f"need one positive article count per group, got {sizes} for {n_groups} groups")
    lo, hi = sentences
    if not 1 <= lo <= hi:
        raise ValueError(f"sentences must be 1 <= low <= high, got {sentences}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    names = group_names(n_groups)
    latent = {g: base + (shift * i / (n_groups - 1) if n_groups > 1 else 0.0) for i, g in enumerate(names)}

    group_of = np.repeat(np.arange(n_groups), sizes)
    k = len(group_of)
    n_sent = rng.integers(lo, hi + 1, size=k)
    effect = rng.normal(0.0, tau, size=k)
    article_of = np.repeat(np.arange(k), n_sent)
    mu = np.array([latent[g] for g in names])[group_of]
    values = np.clip(mu[article_of] + effect[article_of] + rng.normal(0.0, sigma, size=len(article_of)), -1.0, 1.0)
    values[rng.random(len(values)) < p_zero] = 0.0
    width = len(str(max(sizes)))
    article_ids = np.array([f"{names[group_of[i]]}-a{i - sum(sizes[:group_of[i]]) + 1:0{width}d}" for i in range(k)])
    frame = pd.DataFrame({"value": values, "article": article_ids[article_of],
                          "group": np.array(names)[group_of[article_of]]})
    sd = math.hypot(tau, sigma)
    truth = Truth({g: (1 - p_zero) * clipped_normal_mean(m, sd) for g, m in latent.items()}, latent, tau, sigma, p_zero)
    return frame, truth
