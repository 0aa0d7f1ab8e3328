"""The key findings of the summary page (``findings.ipynb``): a few plain sentences, each with the
confidence label of the book's verdict rule (:func:`scripts.inference.verdict`) and a link to its
evidence, worded by ``templates/findings.yml``.

The page reads what the chapters computed and wrote (the tone shifts with their verdicts of
``tone_shifts.csv``, the agenda steps of ``agenda_steps.csv``, the pairs of ``co_mentions.csv``);
nothing here computes a statistic. A corpus with one episode gets the finding "not testable" and no
sentence that claims or denies a change; the actors finding is a count, labelled by the descriptive
rule of ``scripts/data/descriptive.yml``.

Columns used: ``shifts`` as :func:`scripts.tone.all_shifts` (episode_from, episode_to, language,
measure, difference, case, label, direction, n_articles_from, n_articles_to), read back from
``tone_shifts.csv`` by :func:`read_shifts`; ``summary`` as :func:`scripts.tone.tone_summary`; ``steps`` as
``agenda_steps.csv`` (:func:`scripts.terms.csv_tables`: language, label, episode_from, episode_to,
per_1k_from, per_1k_to, change, n_articles_from, n_articles_to, case, verdict); ``co`` as
``co_mentions.csv`` (episode, actor_a, actor_b, sentences or paragraphs, documents, episodes, npmi).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .. import episodes as E
from ..inference import DATA, load_verdict_rule
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
                 episodes: pd.DataFrame, actors: Facts | None = None) -> list[Facts]:
    """The page's findings in reading order: diplomatic tone, general sentiment, the agenda, then the
    actors (:func:`actors_finding_facts`, when given). A corpus with fewer than two episodes gets the
    ``scope`` finding (not testable) instead of the three comparisons."""
    found = [tone_finding_facts(shifts, summary, episodes, m) for m in TONE_MEASURES]
    found.append(agenda_finding_facts(steps, episodes))
    found = [f for f in found if f is not None]
    if not found:
        found = [Facts(PAGE, "scope", "single_episode", {"n_episodes": len(episodes), "verdict": _label("not-testable")})]
    return found + ([actors] if actors is not None else [])


# ----------------------------------------------------------------------------- tables of the chapters
SHIFT_TEXT = ("episode_from", "episode_to", "language", "measure", "case", "label", "direction")  # ids stay text


def read_shifts(data_dir: str | Path) -> pd.DataFrame:
    """The tone chapter's shift table (``tone_shifts.csv``: :func:`scripts.tone.all_shifts`, every
    comparison with its verdict) as the chapter computed it: the page reads the verdicts, it never
    recomputes them (same resamples, same seed, same family for the correction)."""
    path = Path(data_dir) / "tone_shifts.csv"
    shifts = pd.read_csv(path, dtype={c: str for c in SHIFT_TEXT}, keep_default_na=False, na_values=[""])
    return shifts.fillna({"direction": "none", "language": "all"})


# ----------------------------------------------------------------------------- the actors finding
@dataclass(frozen=True)
class DescriptiveRule:
    """Threshold and labels of a descriptive finding (``scripts/data/descriptive.yml``)."""
    min_articles: int
    labels: dict


@cache
def load_descriptive_rule(path: str | None = None) -> DescriptiveRule:
    """The rule for counts that no test applies to (``scripts/data/descriptive.yml`` unless ``path``)."""
    raw = yaml.safe_load(Path(path or DATA / "descriptive.yml").read_text(encoding="utf-8"))
    return DescriptiveRule(int(raw["min_articles"]), dict(raw["labels"]))


WINDOW_COLUMNS = {"sentences": "sentence", "paragraphs": "paragraph"}  # count column of co_mentions.csv -> window


def pooled_pairs(co: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The pooled rows (episode "all") of ``co_mentions.csv`` with the window's count column renamed
    ``windows``, and the window ("sentence" or "paragraph": the actors chapter's parameter, which names
    the column)."""
    column = next((c for c in WINDOW_COLUMNS if c in co.columns), "windows")
    window = WINDOW_COLUMNS.get(column, "sentence")
    rows = co[co["episode"].astype(str) == "all"].rename(columns={column: "windows"})
    return rows.reset_index(drop=True), window


def actors_finding_facts(co: pd.DataFrame, names: dict[str, str], n_articles: int) -> Facts:
    """Who is named together with whom most often over the corpus (``co_mentions.csv``), labelled by
    the descriptive rule: "most" is the largest count of shared windows; tied pairs are all named.

    Cases: ``one_pair`` and ``tied`` (the leading pairs are named together in at least
    ``min_articles`` articles: label "descriptive"), ``too_few`` (a leading pair rests on fewer
    articles: "too few articles to say"), ``no_pair`` (no two persons share a window: "descriptive").
    ``names``: actor id -> display name (``actor_mentions.csv``); ``n_articles``: articles of the corpus."""
    rule = load_descriptive_rule()
    pairs, window = pooled_pairs(co)
    pairs = pairs[pairs["windows"] > 0]
    base = {"window": window, "n_articles": int(n_articles), "min_articles": rule.min_articles}
    if not len(pairs):
        return Facts(PAGE, "actors", "no_pair", {**base, "verdict": rule.labels["descriptive"]})
    top = int(pairs["windows"].max())
    lead = pairs[pairs["windows"] == top].sort_values(["actor_a", "actor_b"], kind="stable")
    docs = [int(d) for d in lead["documents"]]
    case = "too_few" if min(docs) < rule.min_articles else ("one_pair" if len(lead) == 1 else "tied")
    named = [(names.get(a, a), names.get(b, b)) for a, b in zip(lead["actor_a"], lead["actor_b"])]
    return Facts(PAGE, "actors", case, {
        **base, "pairs": [f"{a} with {b}" for a, b in named], "name_a": named[0][0], "name_b": named[0][1],
        "windows": top, "documents": min(docs), "documents_max": max(docs),
        "verdict": rule.labels["too-few" if case == "too_few" else "descriptive"]})


def findings_markdown(findings: list[Facts]) -> str:
    """The findings as a MyST bullet list (glued with ``:format: myst`` so the evidence links resolve)."""
    return "\n".join(f"- {f.text}" for f in findings) + "\n"


def findings_table(findings: list[Facts]) -> pd.DataFrame:
    """One row per finding (statement, case, verdict label) for ``key_findings.csv``."""
    return pd.DataFrame([{"finding": f.statement, "case": f.case, "verdict": f["verdict"]} for f in findings],
                        columns=["finding", "case", "verdict"])
