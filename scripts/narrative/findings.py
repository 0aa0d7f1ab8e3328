"""The key findings of the summary page (``findings.ipynb``): a few plain sentences, each with the
confidence label of the book's verdict rule (:func:`scripts.inference.verdict`) and a link to its
evidence, worded by ``templates/findings.yml``.

The page reads what the chapters computed (tone shifts with verdicts, the agenda steps of
``agenda_steps.csv``); nothing here computes a statistic. A corpus with one episode gets one
finding, "not testable", and no sentence that claims or denies a change.

Columns used: ``shifts`` as :func:`scripts.tone.all_shifts` (episode_from, episode_to, language,
measure, difference, case, label, direction, n_articles_from, n_articles_to); ``summary`` as
:func:`scripts.tone.tone_summary`; ``steps`` as ``agenda_steps.csv`` (:func:`scripts.terms.csv_tables`:
language, label, episode_from, episode_to, per_1k_from, per_1k_to, change, n_articles_from,
n_articles_to, case, verdict).
"""
from __future__ import annotations

import math

import pandas as pd

from .. import episodes as E
from ..inference import load_verdict_rule
from .render import Facts

PAGE = "findings"
# strongest first: the agenda finding reports the best-supported change of the table
CASE_RANK = {"clear": 0, "suggestive": 1, "no-change": 2, "not-testable": 3}
TONE_MEASURES = {"cooperation_index": "tone_glossed", "vader_compound": "sentiment"}


def _case(case: str) -> str:
    return str(case).replace("-", "_")


def _label(case: str) -> str:
    return load_verdict_rule().labels[str(case)]


def _why(k_from: int, k_to: int) -> str:
    return "one_article" if min(k_from, k_to) < 2 else "few_articles"


def _mean(summary: pd.DataFrame, measure: str, episode: str, language: str | None) -> float:
    """The episode's mean of ``measure`` as the tone chapter tabulates it (NaN when absent)."""
    level, key = ("episode_language", f"{episode}|{language}") if language else ("episode", episode)
    rows = summary[(summary["level"] == level) & (summary["key"] == key) & (summary["measure"] == measure)]
    return float(rows["estimate"].iloc[0]) if len(rows) else math.nan


def tone_finding_facts(shifts: pd.DataFrame, summary: pd.DataFrame, episodes: pd.DataFrame,
                       measure: str = "cooperation_index") -> Facts | None:
    """First-to-last change of a tone ``measure`` (the last row of that measure in ``shifts``, as the
    chapter's headline). Case: the verdict case (clear, suggestive, no_change, not_testable). None
    when the measure has no comparison (fewer than two episodes)."""
    rows = shifts[shifts["measure"] == measure] if len(shifts) else shifts
    if not len(rows):
        return None
    r = rows.iloc[-1]
    language = None if r["language"] == "all" else str(r["language"])
    labels = E.labels(episodes)
    k_from, k_to = int(r["n_articles_from"]), int(r["n_articles_to"])
    return Facts(PAGE, TONE_MEASURES[measure], _case(r["case"]), {
        "label_from": labels[r["episode_from"]], "label_to": labels[r["episode_to"]], "language": language or "",
        "mean_from": _mean(summary, measure, r["episode_from"], language),
        "mean_to": _mean(summary, measure, r["episode_to"], language),
        "direction": str(r["direction"]), "verdict": _label(r["case"]), "why": _why(k_from, k_to)})


def agenda_finding_facts(steps: pd.DataFrame, episodes: pd.DataFrame) -> Facts | None:
    """The best-supported change of one concept's rate between consecutive episodes (verdict case
    first, then the size of the change). Case: the verdict case. None without any step."""
    steps = steps[steps["case"].isin(CASE_RANK)] if len(steps) else steps   # untested rows (no verdict) say nothing
    if not len(steps):
        return None
    ranked = steps.assign(_rank=steps["case"].map(CASE_RANK), _size=steps["change"].abs())
    r = ranked.sort_values(["_rank", "_size"], ascending=[True, False], kind="stable").iloc[0]
    labels = E.labels(episodes)
    rule = load_verdict_rule()
    case = str(r["case"])
    direction = rule.directions.get(case, {}).get("up" if r["change"] > 0 else "down", "")
    return Facts(PAGE, "agenda", _case(case), {
        "concept": str(r["label"]), "language": str(r["language"]),
        "label_from": labels[r["episode_from"]], "label_to": labels[r["episode_to"]],
        "rate_from": float(r["per_1k_from"]), "rate_to": float(r["per_1k_to"]), "direction": direction,
        "verdict": _label(case), "why": _why(int(r["n_articles_from"]), int(r["n_articles_to"]))})


def key_findings(shifts: pd.DataFrame, summary: pd.DataFrame, steps: pd.DataFrame,
                 episodes: pd.DataFrame) -> list[Facts]:
    """The page's findings in reading order: diplomatic tone, general sentiment, the agenda. A corpus
    with fewer than two episodes gets the single ``scope`` finding (not testable) instead."""
    found = [tone_finding_facts(shifts, summary, episodes, m) for m in TONE_MEASURES]
    found.append(agenda_finding_facts(steps, episodes))
    found = [f for f in found if f is not None]
    if not found:
        return [Facts(PAGE, "scope", "single_episode", {"n_episodes": len(episodes), "verdict": _label("not-testable")})]
    return found


def findings_markdown(findings: list[Facts]) -> str:
    """The findings as a MyST bullet list (glued with ``:format: myst`` so the evidence links resolve)."""
    return "\n".join(f"- {f.text}" for f in findings) + "\n"


def findings_table(findings: list[Facts]) -> pd.DataFrame:
    """One row per finding (statement, case, verdict label) for ``key_findings.csv``."""
    return pd.DataFrame([{"finding": f.statement, "case": f.case, "verdict": f["verdict"]} for f in findings],
                        columns=["finding", "case", "verdict"])
