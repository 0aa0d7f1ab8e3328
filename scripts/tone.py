"""Tone of the coverage, as data. From the per-sentence scores (general sentiment, VADER, and
diplomatic tone, the cooperation index): their coverage, aggregates with bootstrap intervals,
episode-to-episode shifts with permutation tests, within-article trajectories, word shifts,
validation against a hand-coded sample, and the facts the chapter reports about its sources
(articles per episode, translations, repeated sentences).

Sentences and reader tables are built from these results by :mod:`scripts.narrative.tone`.

The scores themselves come from :mod:`scripts.tone_scores` (their columns are listed there): the
analysis stage's cache key names that module, not this one, so editing a statistic here re-scores
no article.

Tables (pandas DataFrames)
--------------------------
:func:`summarise`: level, key, measure, estimate, ci_low, ci_high, n (the ``tone_summary.csv`` rows).
:func:`episode_shifts`: pair (consecutive / first-last), episode_from, episode_to, date_from, date_to,
    language, measure, estimate_from, estimate_to, difference, ci_low, ci_high, p_value, n_from, n_to;
    :func:`all_shifts` adds p_adjusted (Benjamini–Hochberg over all rows of the stacked table).
:func:`trajectory`: bin, bin_low, bin_high, bin_mid, measure, estimate, ci_low, ci_high, n.
:func:`word_shift`: entry, pole, rate_from, rate_to, difference (change in summed signed weight per
    sentence), n_from, n_to.
:func:`coverage`: episode, language, lexicon, tokens, tokens_scored, token_share, sentences,
    sentences_scored, sentence_share.
:func:`corpus_agreement`: :func:`scripts.validity.agreement` of the hand codes of this corpus
    (:func:`coded_sample`); :func:`heldout_agreement`: the development corpus's held-out figures.

Aggregates are means of the per-sentence measure over all sentences of a group (a sentence without
lexicon words counts as 0, neutral); episode, actor and quotation intervals, differences and tests
take the article as the unit (:mod:`scripts.inference`: the sentences of one article are not
independent); the within-article trajectory resamples sentences (:mod:`scripts.stats`). Everything
is deterministic for a given seed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import episodes as E
from . import inference as I
from . import tone_scores as TS
from . import validation_sample as VS
from . import validity as VY
from .corpus import is_translated
from .diplomatic import word_tokens
from .stats import bootstrap_cis

#: the hand-coded validation sample (see scripts/data/validation/tone_guidelines.md)
ANNOTATIONS_FILE = Path(__file__).resolve().parent / "data" / "validation" / "tone_annotations.csv"
#: agreement of the instruments with a human coder on the development corpus (issue 12): the CSV that
#: ``tools/devcorpus/score.py --split all`` writes, copied here because the texts are not in git
DEVCORPUS_SCORES_FILE = Path(__file__).resolve().parent / "data" / "validation" / "devcorpus_scores.csv"
MEASURES = ("vader_compound", "cooperation_index")
#: columns of ``tone_sentences.csv`` (one row per sentence), in order
SENTENCE_COLUMNS = ["doc_id", "episode", "language", "sentence_id", "position", "text", "vader_compound",
                    "cooperation_index", "actors", "vader_words", "vader_hits", "coop_weight", "conf_weight",
                    "dip_words", "dip_hits", "dip_entries"]
WORD_SHIFT_COLUMNS = ["entry", "pole", "rate_from", "rate_to", "difference", "n_from", "n_to", "surfaces"]


FRAGMENTS_FILE = Path(__file__).resolve().parent / "data" / "tone_fragments.yml"
FRAGMENT_COLUMNS = ["sentence_id", "doc_id", "episode", "language", "text", "reason"]


def load_fragment_rules(path: Path | str | None = None) -> tuple[int, list[re.Pattern]]:
    """(min_words, dateline patterns) of ``scripts/data/tone_fragments.yml``."""
    with open(path or FRAGMENTS_FILE, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return int(raw["min_words"]), [re.compile(p) for p in raw["datelines"]]


def fragment_reason(text: str, min_words: int = 3, datelines: Sequence[re.Pattern] = ()) -> str:
    """Why a sentence is a fragment that carries no tone ("no letters", "dateline", "short"), or ""
    when it is a sentence: fragments would enter the tone means as neutral sentences."""
    text = str(text).strip()
    if not any(ch.isalpha() for ch in text):
        return "no letters"
    if any(p.search(text) for p in datelines):
        return "dateline"
    return "short" if len(word_tokens(text)) < min_words else ""


def exclude_fragments(scored: pd.DataFrame, path: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sentences kept for the tone aggregates, the fragments left out with their ``reason``:
    FRAGMENT_COLUMNS), rules from ``scripts/data/tone_fragments.yml``."""
    min_words, datelines = load_fragment_rules(path)
    reasons = {t: fragment_reason(t, min_words, datelines) for t in scored["text"].unique()}  # each distinct text once
    reason = scored["text"].map(reasons)
    frag = scored[reason != ""].assign(reason=reason[reason != ""])
    return scored[reason == ""].reset_index(drop=True), frag[FRAGMENT_COLUMNS].reset_index(drop=True)


def attach_actors(scored: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """``scored`` with an ``actors`` column: the ";"-joined sorted actor ids mentioned in each sentence."""
    out = scored.copy()
    if mentions is None or mentions.empty:
        out["actors"] = ""
        return out
    joined = mentions.groupby("sentence_id")["actor"].agg(lambda s: ";".join(sorted({a for a in s if a})))
    out["actors"] = out["sentence_id"].map(joined).fillna("")
    return out


def quote_words(text: str) -> int:
    """Words of a quotation as the actors chapter counts them (``actors.find_quotes`` ``n_words``):
    runs of ``\\w+``, so "l'ingérence" is two words and "U.S." two."""
    return len(re.findall(r"\w+", str(text)))


def score_quotes(quotes: pd.DataFrame, documents: pd.DataFrame, min_words: int = 3,
                 french_lexicon_choice: str = "vader-fr", lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attributed quotations (``actors.find_quotes`` rows with a speaker and at least ``min_words``
    words) scored like sentences on their quoted words: the quote columns plus language, text and
    the measure columns of :func:`scripts.tone_scores.score_texts`.

    Words are counted as in the actors chapter: its ``n_words`` column (runs of ``\\w+``), computed
    the same way when the column is missing, so both chapters keep the same quotations."""
    lang = dict(zip(documents["doc_id"], documents["language"]))
    q = quotes[(quotes["actor"].astype(str) != "")].copy()
    q["text"] = q["quote"].astype(str)
    n_words = q["n_words"] if "n_words" in q.columns else q["text"].map(quote_words)
    q = q[n_words.astype(int) >= int(min_words)]
    q["language"] = q["doc_id"].map(lang)
    if q.empty:
        return TS.score_texts(pd.DataFrame(columns=[*quotes.columns, "text", "language"]), french_lexicon_choice, lexicon)
    return TS.score_texts(q, french_lexicon_choice, lexicon)


def actor_sentences(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, actor mentioned in it), from the ";"-joined ``actors`` column."""
    rows = scored[scored["actors"].astype(str) != ""].assign(actor=lambda d: d["actors"].str.split(";"))
    return rows.explode("actor").reset_index(drop=True)


def coverage(scored: pd.DataFrame) -> pd.DataFrame:
    """Share of word tokens and of sentences each lexicon scores, per episode and language."""
    rows = []
    for (ep, lang), g in scored.groupby(["episode", "language"], sort=False):
        for name, words, hits in (("sentiment (VADER)", "vader_words", "vader_hits"),
                                  ("diplomatic", "dip_words", "dip_hits")):
            tokens, scored_tokens = int(g[words].sum()), int(g[hits].sum())
            n_scored = int((g[hits] > 0).sum())
            rows.append({"episode": ep, "language": lang, "lexicon": name, "tokens": tokens,
                         "tokens_scored": scored_tokens,
                         "token_share": scored_tokens / tokens if tokens else float("nan"),
                         "sentences": int(len(g)), "sentences_scored": n_scored,
                         "sentence_share": n_scored / len(g) if len(g) else float("nan")})
    return pd.DataFrame(rows, columns=["episode", "language", "lexicon", "tokens", "tokens_scored", "token_share",
                                       "sentences", "sentences_scored", "sentence_share"])


# =========================================================================== aggregates and shifts
SUMMARY_COLUMNS = ["level", "key", "measure", "estimate", "ci_low", "ci_high", "n", "n_articles", "interval"]


def summarise(frame: pd.DataFrame, by: str | list[str], level: str, measures: Sequence[str] = MEASURES,
              n_boot: int = 2000, seed: int = 0, article: str = "doc_id") -> pd.DataFrame:
    """Pooled mean of each measure per group of ``by`` with an article-level 95% interval
    (:func:`scripts.inference.group_estimates`, default method): the sentences of one article are not
    independent draws, so the interval resamples articles. Columns level, key ("|"-joined group
    values), measure, estimate, ci_low, ci_high, n (rows with a value), n_articles and interval
    ("between articles", or "within article" when the group rests on one article)."""
    by = [by] if isinstance(by, str) else list(by)
    if frame.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    key = frame[by[0]].astype(str)
    for col in by[1:]:  # column by column: a row-wise join was most of the time at 1,000 articles
        key = key + "|" + frame[col].astype(str)
    keyed = frame.assign(_key=key)
    # an article can fall in several groups (it mentions several actors): its sentences in each group
    # form that group's cluster, so the article id is made group-specific
    keyed = keyed.assign(_article=keyed["_key"] + "|" + keyed[article].astype(str))
    parts = []
    for m in measures:
        est = I.group_estimates(keyed, n_boot=n_boot, seed=seed, cols=(m, "_article", "_key"))
        parts.append(est.assign(level=level, key=est["group"], measure=m, n=est["n_sentences"]))
    out = pd.concat(parts, ignore_index=True)
    order = {k: i for i, k in enumerate(keyed["_key"].drop_duplicates())}
    out = out.assign(_o=out["key"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
    return out[SUMMARY_COLUMNS].reset_index(drop=True)


SHIFT_COLUMNS = ["pair", "episode_from", "episode_to", "date_from", "date_to", "language", "measure", "estimate_from",
                 "estimate_to", "difference", "ci_low", "ci_high", "interval", "p_value", "p_min", "exact", "n_from",
                 "n_to", "n_articles_from", "n_articles_to"]


def _shift_input(scored: pd.DataFrame, episodes: pd.DataFrame, measure: str, language: str | None):
    """(sentences with a value of ``measure`` in ``language``, episodes present in date order, the pairs compared)."""
    data = scored if language is None else scored[scored["language"] == language]
    data = data[data[measure].notna()]
    present = [e for e in E.in_order(episodes) if (data["episode"] == e).any()]
    return data, present, I.consecutive_pairs(present)


def _shift_table(cmp: pd.DataFrame, data: pd.DataFrame, present: list, pairs: list, episodes: pd.DataFrame, measure: str,
                 language: str | None) -> pd.DataFrame:
    """The SHIFT_COLUMNS rows of one measure from its :func:`scripts.inference.compare` table."""
    dates = dict(zip(episodes["episode"], episodes["date"]))
    means = data.groupby("episode")[measure].mean()
    out = cmp.rename(columns={"group_from": "episode_from", "group_to": "episode_to", "estimate": "difference",
                              "n_sentences_from": "n_from", "n_sentences_to": "n_to"})
    out = out.assign(pair=["consecutive"] * (len(present) - 1) + ["first-last"] * (len(pairs) - len(present) + 1),
                     date_from=out["episode_from"].map(dates), date_to=out["episode_to"].map(dates),
                     language=language or "all", measure=measure,
                     estimate_from=out["episode_from"].map(means), estimate_to=out["episode_to"].map(means))
    return out[SHIFT_COLUMNS]


def episode_shifts(scored: pd.DataFrame, episodes: pd.DataFrame, measure: str, n_boot: int = 2000,
                   seed: int = 0, n_perm: int = 9999, language: str | None = None) -> pd.DataFrame:
    """Differences of a measure between consecutive episodes (date order) and between the first and
    the last episode, among sentences of ``language`` (all if None), with the article as the unit
    (:func:`scripts.inference.compare`): interval of the difference resampling articles, two-sided
    permutation p of whole articles' labels (exact when few labellings) and the smallest p those
    articles allow (``p_min``). Episodes without such sentences are skipped. Columns SHIFT_COLUMNS."""
    return _measure_shifts(scored, episodes, [measure], n_boot, seed, n_perm, language)[0]


def _measure_shifts(scored: pd.DataFrame, episodes: pd.DataFrame, measures: Sequence[str], n_boot: int, seed: int,
                    n_perm: int, language: str | None) -> list[pd.DataFrame]:
    """:func:`episode_shifts` of each measure. Measures compared over the same pairs go through one
    :func:`scripts.inference.compare_many` call: their permutation tests share the labellings (drawn
    from the same seed for the same numbers of articles), each table equal to its own call."""
    inputs = [_shift_input(scored, episodes, m, language) for m in measures]
    out = [pd.DataFrame(columns=SHIFT_COLUMNS) for _ in measures]
    same_pairs: dict[tuple, list[int]] = {}
    for k, (_, _, pairs) in enumerate(inputs):
        if pairs:
            same_pairs.setdefault(tuple(pairs), []).append(k)
    for pairs, ks in same_pairs.items():
        nested = [I.nest(inputs[k][0], (measures[k], "doc_id", "episode")) for k in ks]
        for k, cmp in zip(ks, I.compare_many(nested, list(pairs), n_boot=n_boot, n_perm=n_perm, seed=seed)):
            data, present, _ = inputs[k]
            out[k] = _shift_table(cmp, data, present, list(pairs), episodes, measures[k], language)
    return out


def all_shifts(scored: pd.DataFrame, episodes: pd.DataFrame, n_boot: int = 2000, seed: int = 0,
               n_perm: int = 9999, language: str | None = None) -> pd.DataFrame:
    """:func:`episode_shifts` for every measure of :data:`MEASURES`, stacked, plus ``p_adjusted``
    (Benjamini–Hochberg over the rows of this table: the table is the family) and the book's verdict
    (:func:`scripts.inference.verdict`: case, label, direction) from the adjusted article-level result."""
    parts = _measure_shifts(scored, episodes, MEASURES, n_boot, seed, n_perm, language)
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=SHIFT_COLUMNS)
    out = out.assign(p_adjusted=I.bh_adjust(out["p_value"]))
    verdicts = [I.verdict(r.difference, r.ci_low, r.ci_high, r.p_value, r.p_adjusted, r.n_articles_from,
                          r.n_articles_to, r.p_min) for r in out.itertuples()]
    return out.assign(case=[v.case for v in verdicts], label=[v.label for v in verdicts],
                      direction=[v.direction for v in verdicts])


def tone_summary(scored: pd.DataFrame, quoted: pd.DataFrame, shifts: pd.DataFrame, n_boot: int = 2000,
                 seed: int = 0) -> pd.DataFrame:
    """The rows of ``tone_summary.csv`` (columns of :func:`summarise`): level "document" (key doc_id),
    "episode", "episode_language" (key "episode|language"), "actor" (sentences mentioning the actor,
    key "actor|episode"), "quote_actor" (quotations, key "actor|episode") and "shift" (key
    "from→to|language", estimate = difference, n = sentences of both episodes), the shift rows with
    the verdict and direction of ``shifts`` (:func:`all_shifts`; empty on the other levels), so no
    row of the file shows a difference without the book's reading of it."""
    parts = [summarise(scored, "doc_id", "document", n_boot=n_boot, seed=seed),
             summarise(scored, "episode", "episode", n_boot=n_boot, seed=seed),
             summarise(scored, ["episode", "language"], "episode_language", n_boot=n_boot, seed=seed),
             summarise(actor_sentences(scored), ["actor", "episode"], "actor", n_boot=n_boot, seed=seed),
             summarise(quoted, ["actor", "episode"], "quote_actor", n_boot=n_boot, seed=seed)]
    parts.append(shifts.assign(level="shift", estimate=shifts["difference"], n=shifts["n_from"] + shifts["n_to"],
                               n_articles=shifts["n_articles_from"] + shifts["n_articles_to"],
                               key=shifts["episode_from"] + "→" + shifts["episode_to"] + "|" + shifts["language"],
                               verdict=shifts["label"], direction=shifts["direction"])
                 [SUMMARY_COLUMNS + ["verdict", "direction"]])
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    out = out.reindex(columns=SUMMARY_COLUMNS + ["verdict", "direction"])
    # with no shift (one episode) both columns are all-missing floats: text columns, empty, instead
    for col in ("verdict", "direction"):
        out[col] = out[col].astype(object).where(out[col].notna(), "")
    return out


def summary_level(summary: pd.DataFrame, level: str, names: Sequence[str]) -> pd.DataFrame:
    """The rows of one ``level`` of :func:`tone_summary` with the "|"-joined key split into ``names``
    columns (e.g. ``["episode", "language"]``)."""
    rows = summary[summary["level"] == level].copy()
    if len(rows):
        rows[list(names)] = rows["key"].str.split("|", expand=True)
    else:
        rows = rows.assign(**{n: pd.Series(dtype=str) for n in names})
    return rows


# =========================================================================== the headline comparison
def language_coverage(scored: pd.DataFrame) -> pd.DataFrame:
    """Per language (code order): language, episodes (with sentences in it), sentences."""
    per = scored.groupby("language").agg(episodes=("episode", "nunique"), sentences=("episode", "size"))
    return per.reset_index()[["language", "episodes", "sentences"]]


@dataclass(frozen=True)
class HeadlineLanguage:
    """Which sentences the headline comparison uses: ``language`` (None: all languages pooled),
    ``reason`` (see :func:`pick_headline_language`), the ``requested`` parameter value, the corpus's
    ``languages`` (:func:`language_coverage`) and its number of episodes with sentences."""

    language: str | None
    reason: str
    requested: str
    languages: pd.DataFrame
    n_episodes: int
    measure: str = "cooperation_index"
    instrument: VY.HeadlineInstrument | None = None


def pick_headline_language(scored: pd.DataFrame, requested: str = "", agreement: pd.DataFrame | None = None,
                           min_n: int = VY.MIN_CODED) -> HeadlineLanguage:
    """The language and measure of the headline comparison and why.

    ``agreement``: :func:`scripts.validity.agreement` of this corpus's hand codes (None or empty: no
    codes). When it has, among the languages whose sentences cover two episodes or more, a measure x
    language with ``min_n`` coded sentences, :func:`scripts.validity.headline_instrument` chooses both
    (reason "validity": the highest lower bound of Spearman rho). ``requested``: a language code
    overrides the language when its sentences cover two episodes or more (reason "requested", the
    measure still chosen by validity within it when it can be; else None and "requested-missing");
    "all" pools all languages ("all"). Otherwise the documented fallback: the cooperation index, on the
    language whose sentences cover the most episodes, ties broken by the number of sentences (reason
    "auto"); None and "no-language" when no language covers two episodes. A corpus with fewer than two
    episodes gives None and "single-episode". ``instrument`` keeps the validity ranking (None when
    there were no codes)."""
    requested = (requested or "").strip()
    langs = language_coverage(scored)
    n_eps = int(scored["episode"].nunique())
    covered = dict(zip(langs["language"], langs["episodes"]))
    has_codes = agreement is not None and len(agreement) > 0

    def instrument(languages):
        return VY.headline_instrument(agreement, languages, min_n) if has_codes else None

    def choice(language, reason, inst=None):
        measure = inst.measure if inst is not None and inst.reason == "validity" else "cooperation_index"
        return HeadlineLanguage(language, reason, requested, langs, n_eps, measure, inst)

    if n_eps < 2:
        return choice(None, "single-episode")
    if requested == "all":
        return choice(None, "all")
    if requested:
        return (choice(requested, "requested", instrument([requested])) if covered.get(requested, 0) >= 2
                else choice(None, "requested-missing"))
    inst = instrument([code for code, k in covered.items() if k >= 2])
    if inst is not None and inst.reason == "validity":
        return choice(inst.language, "validity", inst)
    best = langs.sort_values(["episodes", "sentences"], ascending=False, kind="stable")
    if not len(best) or best["episodes"].iloc[0] < 2:
        return choice(None, "no-language", inst)
    return choice(str(best["language"].iloc[0]), "auto", inst)


@dataclass(frozen=True)
class Headline:
    """The cooperation index of the headline comparison: the two episodes, each one's mean with its
    article-level interval and number of sentences, the difference with its interval, the article
    permutation p-value and the Benjamini–Hochberg one (NaN when not adjusted) over ``n_comparisons``
    rows, the articles on each side, the smallest attainable p and the verdict (case, direction) of
    :func:`scripts.inference.verdict`."""

    episode_from: str
    episode_to: str
    language: str | None
    mean_from: tuple[float, float, float]
    mean_to: tuple[float, float, float]
    n_from: int
    n_to: int
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    p_adjusted: float
    n_comparisons: int
    n_articles_from: int = 0
    n_articles_to: int = 0
    p_min: float = float("nan")
    case: str = "not-testable"
    direction: str = "none"
    measure: str = "cooperation_index"


def headline_comparison(shifts: pd.DataFrame, summary: pd.DataFrame, measure: str = "cooperation_index") -> Headline | None:
    """The last ``measure`` row of ``shifts`` (:func:`all_shifts`: first-last when there are more than
    two episodes, else the only pair) with both episodes' means and intervals read from ``summary``
    (:func:`tone_summary` of the same sentences, so the intervals are the ones of the episode tables).
    ``measure``: the headline measure (:attr:`HeadlineLanguage.measure`). None when ``shifts`` has no
    such row (fewer than two episodes)."""
    coop = shifts[shifts["measure"] == measure]
    if not len(coop):
        return None
    r = coop.iloc[-1]
    language = None if r["language"] == "all" else str(r["language"])
    rows = summary[summary["measure"] == measure]

    def mean(episode):
        level, key = ("episode_language", f"{episode}|{language}") if language else ("episode", episode)
        x = rows[(rows["level"] == level) & (rows["key"] == key)].iloc[0]
        return float(x["estimate"]), float(x["ci_low"]), float(x["ci_high"])

    adjusted = shifts["p_adjusted"] if "p_adjusted" in shifts.columns else pd.Series(dtype=float)
    p_adj = float(r["p_adjusted"]) if "p_adjusted" in shifts.columns else float("nan")
    return Headline(str(r["episode_from"]), str(r["episode_to"]), language, mean(r["episode_from"]),
                    mean(r["episode_to"]), int(r["n_from"]), int(r["n_to"]), float(r["difference"]),
                    float(r["ci_low"]), float(r["ci_high"]), float(r["p_value"]), p_adj, int(adjusted.notna().sum()),
                    int(r["n_articles_from"]), int(r["n_articles_to"]), float(r["p_min"]), str(r["case"]),
                    str(r["direction"]), measure)


def headline_leave_one_out(scored: pd.DataFrame, headline: Headline | None) -> pd.DataFrame:
    """The headline difference recomputed without each article of its two episodes
    (:func:`scripts.inference.leave_one_out`; columns article, group, n_sentences, article_mean,
    difference, change), so a reader sees which article the shift rests on. Empty without a headline."""
    cols = ["article", "group", "n_sentences", "article_mean", "difference", "change"]
    if headline is None:
        return pd.DataFrame(columns=cols)
    data = scored if headline.language is None else scored[scored["language"] == headline.language]
    return I.leave_one_out(data, headline.episode_from, headline.episode_to,
                           cols=(headline.measure, "doc_id", "episode"))


# =========================================================================== within the article
def position_bins(position: Sequence[float], n_bins: int) -> np.ndarray:
    """Bin (0..n_bins-1) of each relative position (0..1): ``n_bins`` equal slices of the article."""
    edges = np.linspace(0, 1, int(n_bins) + 1)
    return np.clip(np.digitize(np.asarray(position, dtype=float), edges[1:-1], right=False), 0, int(n_bins) - 1)


def _trajectory_rows(scored: pd.DataFrame, measures: Sequence[str], n_bins: int, n_boot: int, seed: int) -> pd.DataFrame:
    """The rows of :func:`trajectory` for each of ``measures`` (measure by measure), each bin's
    intervals of all measures from one :func:`scripts.stats.bootstrap_cis` call (equal to one call each)."""
    edges = np.linspace(0, 1, int(n_bins) + 1)
    bins = position_bins(scored["position"], n_bins)
    rows: dict[str, list[dict]] = {m: [] for m in measures}
    for k in range(int(n_bins)):
        values = [scored.loc[bins == k, m].to_numpy() for m in measures]
        for m, vals, (est, lo, hi) in zip(measures, values, bootstrap_cis(values, n_boot, seed)):
            rows[m].append({"bin": k, "bin_low": edges[k], "bin_high": edges[k + 1], "bin_mid": (edges[k] + edges[k + 1]) / 2,
                            "measure": m, "estimate": est, "ci_low": lo, "ci_high": hi, "n": int(len(vals))})
    return pd.DataFrame([r for m in measures for r in rows[m]])


def trajectory(scored: pd.DataFrame, measure: str, n_bins: int = 5, n_boot: int = 2000,
               seed: int = 0) -> pd.DataFrame:
    """Mean of ``measure`` by relative position in the article (``position`` 0..1, ``n_bins`` equal
    bins) with bootstrap intervals: bin, bin_low, bin_high, bin_mid, measure, estimate, ci_low, ci_high, n."""
    return _trajectory_rows(scored, [measure], n_bins, n_boot, seed)


def trajectories(scored: pd.DataFrame, n_bins: int = 5, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """:func:`trajectory` for every measure of :data:`MEASURES`, stacked (same columns). The measures
    of one bin share their resampling draws (the same sentences and seed: equal to one call each)."""
    return _trajectory_rows(scored, list(MEASURES), n_bins, n_boot, seed)


def trajectory_ends(traj: pd.DataFrame, measure: str = "cooperation_index") -> tuple[float, float]:
    """(estimate in the first bin, estimate in the last bin) of ``measure`` in :func:`trajectories`."""
    t = traj[traj["measure"] == measure].sort_values("bin")
    return float(t["estimate"].iloc[0]), float(t["estimate"].iloc[-1])


@dataclass(frozen=True)
class SliceDominance:
    """How much the article with the most sentences weighs in the slices of :func:`trajectory`: the
    number of articles, the largest one (None without sentences) and its share of the sentences of
    each non-empty slice (in slice order)."""

    n_articles: int
    largest: str | None
    shares: tuple[float, ...]


def slice_dominance(scored: pd.DataFrame, n_bins: int = 5) -> SliceDominance:
    """:class:`SliceDominance` of the sentences of ``scored`` (columns doc_id, position)."""
    if scored.empty:
        return SliceDominance(0, None, ())
    sizes = scored.groupby("doc_id").size()
    big = str(sizes.idxmax())
    frame = pd.DataFrame({"bin": position_bins(scored["position"], n_bins), "big": (scored["doc_id"] == big).to_numpy()})
    return SliceDominance(int(len(sizes)), big, tuple(float(s) for s in frame.groupby("bin")["big"].mean()))


# =========================================================================== which words drive the shift
def word_shift(matches: pd.DataFrame, scored: pd.DataFrame, episode_from: str, episode_to: str,
               language: str | None = None) -> pd.DataFrame:
    """Which lexicon entries drive the change of the diplomatic tone between two episodes.

    For each entry: rate = summed signed contribution (weight, + cooperation / - confrontation, after
    negation) per sentence of the episode; difference = rate_to - rate_from (positive: pushes the later
    episode towards cooperation). Columns entry, pole, rate_from, rate_to, difference, n_from, n_to,
    surfaces (";"-joined, up to two forms of the entry as written in these sentences, lower-cased, most
    frequent first), sorted by |difference|."""
    s = scored if language is None else scored[scored["language"] == language]
    m = matches if language is None else matches[matches["language"] == language]
    n_from, n_to = int((s["episode"] == episode_from).sum()), int((s["episode"] == episode_to).sum())
    m = m[m["episode"].isin([episode_from, episode_to]) & m["sentence_id"].isin(s["sentence_id"])]
    if m.empty or not n_from or not n_to:
        return pd.DataFrame(columns=WORD_SHIFT_COLUMNS)
    sums = m.pivot_table(index=["entry", "pole"], columns="episode", values="contribution", aggfunc="sum", fill_value=0.0)
    out = pd.DataFrame({"rate_from": sums.get(episode_from, 0.0) / n_from,
                        "rate_to": sums.get(episode_to, 0.0) / n_to}).reset_index()
    out["difference"] = out["rate_to"] - out["rate_from"]
    out["n_from"], out["n_to"] = n_from, n_to
    # the words as written in the articles (lower-cased, most frequent first): the entry is an English concept label
    forms = m.assign(form=m["surface"].str.lower()).groupby(["entry", "form"]).size().reset_index(name="k")
    forms = forms.sort_values(["k", "form"], ascending=[False, True], kind="stable")
    out["surfaces"] = out["entry"].map(forms.groupby("entry")["form"].agg(lambda f: ";".join(f.head(2)))).fillna("")
    out = out[out["difference"].abs() > 1e-12]
    return out.reindex(out["difference"].abs().sort_values(ascending=False).index)[WORD_SHIFT_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class HeadlineWordShift:
    """:func:`word_shift` between the earliest and the latest episode having ``language`` sentences
    (all if None): the ``shift`` table (empty with its columns when there is no pair), the two
    episodes (the corpus's first and last when fewer than two have such sentences), how many
    episodes have such sentences and how many the corpus has."""

    shift: pd.DataFrame
    episode_from: str
    episode_to: str
    language: str | None
    n_present: int
    n_episodes: int


def headline_word_shift(matches: pd.DataFrame, scored: pd.DataFrame, episodes: pd.DataFrame,
                        language: str | None = None) -> HeadlineWordShift:
    """The word shift of the headline comparison (see :class:`HeadlineWordShift`)."""
    order = E.in_order(episodes)
    sel = (scored["language"] == language) if language else pd.Series(True, index=scored.index)
    present = [e for e in order if ((scored["episode"] == e) & sel).any()]
    if len(present) >= 2:
        ws = word_shift(matches, scored, present[0], present[-1], language)
        return HeadlineWordShift(ws, present[0], present[-1], language, len(present), len(order))
    return HeadlineWordShift(pd.DataFrame(columns=WORD_SHIFT_COLUMNS), order[0], order[-1], language, len(present),
                             len(order))


# =========================================================================== languages of one episode
@dataclass(frozen=True)
class LanguageGap:
    """Episodes whose articles are in more than one language (date order), and for those with scored
    sentences in more than one language, the gap between the highest and the lowest mean
    cooperation index of its languages."""

    episodes: list[str]
    gaps: dict[str, float]


def language_gap(scored: pd.DataFrame, documents: pd.DataFrame, episodes: pd.DataFrame) -> LanguageGap:
    """:class:`LanguageGap` of the corpus. It makes no causal claim: the languages of one episode are
    different articles as well as different lexicons."""
    n = documents.groupby("episode")["language"].nunique()
    bilingual = [e for e in E.in_order(episodes) if n.get(e, 0) > 1]
    gaps = {}
    for e in bilingual:
        means = scored[scored["episode"] == e].groupby("language")["cooperation_index"].mean()
        if len(means) > 1:
            gaps[e] = float(means.max() - means.min())
    return LanguageGap(bilingual, gaps)


# =========================================================================== actors and quotations
def top_quoted(summary: pd.DataFrame, quoted: pd.DataFrame, episodes: pd.DataFrame, max_actors: int = 6) -> pd.DataFrame:
    """quote_actor rows of :func:`tone_summary` (with actor and episode columns, plus the speaker's
    display ``name`` when ``quoted`` has one) for the ``max_actors`` most quoted speakers, ordered by
    number of quotations, then episode date."""
    qa = summary_level(summary, "quote_actor", ["actor", "episode"])
    if not len(qa):
        return qa
    keep = list(quoted.groupby("actor").size().sort_values(ascending=False).index[:max_actors])
    qa = qa[qa["actor"].isin(keep)]
    if "name" in quoted.columns:  # display names ("Sergei Lavrov"), not ids, for readers
        qa = qa.assign(name=qa["actor"].map(dict(zip(quoted["actor"], quoted["name"]))).fillna(qa["actor"]))
    rank = {a: i for i, a in enumerate(keep)}
    return E.sort_by_episode(qa, episodes, then=()).sort_values("actor", key=lambda s: s.map(rank), kind="stable")


def actor_mention_tone(summary: pd.DataFrame, scored: pd.DataFrame, episodes: pd.DataFrame,
                       max_actors: int = 6) -> pd.DataFrame:
    """Cooperation index of the sentences mentioning each of the ``max_actors`` most mentioned actors,
    per episode (actor id order, then episode date): actor, episode, estimate, ci_low, ci_high, n,
    n_articles, interval ("within article" when the sentences come from one article)."""
    act = summary_level(summary[summary["measure"] == "cooperation_index"], "actor", ["actor", "episode"])
    top = actor_sentences(scored).groupby("actor").size().sort_values(ascending=False).index[:max_actors]
    act = E.sort_by_episode(act[act["actor"].isin(top)], episodes, then=()).sort_values("actor", kind="stable")
    return act[["actor", "episode", "estimate", "ci_low", "ci_high", "n", "n_articles", "interval"]].reset_index(drop=True)


# =========================================================================== evidence
def extremes(scored: pd.DataFrame, n: int = 1) -> pd.DataFrame:
    """Per episode, the ``n`` most cooperative and ``n`` most confrontational sentences (by the
    cooperation index, ties broken by VADER), only among sentences with a lexicon entry:
    episode, side, sentence_id, language, cooperation_index, vader_compound, dip_entries, text."""
    rows = []
    hit = scored[scored["dip_entries"] != ""]
    for ep, g in hit.groupby("episode", sort=False):
        top = g.sort_values(["cooperation_index", "vader_compound"], ascending=False)
        bottom = g.sort_values(["cooperation_index", "vader_compound"], ascending=True)
        for side, frame in (("most cooperative", top[top["cooperation_index"] > 0]),
                            ("most confrontational", bottom[bottom["cooperation_index"] < 0])):
            for r in frame.head(n).itertuples():
                rows.append({"episode": ep, "side": side, "sentence_id": r.sentence_id, "language": r.language,
                             "cooperation_index": r.cooperation_index, "vader_compound": r.vader_compound,
                             "dip_entries": r.dip_entries, "text": r.text})
    return pd.DataFrame(rows, columns=["episode", "side", "sentence_id", "language", "cooperation_index",
                                       "vader_compound", "dip_entries", "text"])


def top_entries(matches: pd.DataFrame, episodes: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` lexicon entries with the largest |summed signed weight| per episode (date order):
    episode, entry, pole, matches, weight (summed signed contribution)."""
    ent = matches.groupby(["episode", "entry", "pole"]).agg(matches=("contribution", "size"),
                                                           weight=("contribution", "sum")).reset_index()
    ent = ent.sort_values("weight", key=abs, ascending=False, kind="stable")
    ent = E.sort_by_episode(ent, episodes, then=()).groupby("episode", sort=False).head(n)
    return ent[["episode", "entry", "pole", "matches", "weight"]].reset_index(drop=True)


# =========================================================================== the sources behind the numbers
def articles_per_episode(documents: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Per episode (date order): episode, articles, sentences, and the article holding the most of
    its sentences (top_doc) with its share of them (top_share; NaN without articles or sentences)."""
    rows = []
    for e in E.in_order(episodes):
        d = documents[documents["episode"] == e]
        total = int(d["sentences"].sum())
        top = d.loc[d["sentences"].idxmax()] if len(d) and total > 0 else None
        rows.append({"episode": e, "articles": int(len(d)), "sentences": total,
                     "top_doc": None if top is None else str(top["doc_id"]),
                     "top_share": float("nan") if top is None else float(top["sentences"] / total)})
    return pd.DataFrame(rows, columns=["episode", "articles", "sentences", "top_doc", "top_share"])


@dataclass(frozen=True)
class Translations:
    """Articles the manifest marks as translations (source or note matching
    :data:`scripts.corpus.TRANSLATION_PATTERN`) and their share of the corpus's sentences."""

    doc_ids: list[str]
    sentence_share: float


def translations(documents: pd.DataFrame) -> Translations:
    """:class:`Translations` of ``documents`` (columns doc_id, source, note, sentences)."""
    tr = documents[is_translated(documents)]
    total = documents["sentences"].sum()
    return Translations(list(tr["doc_id"]), float(tr["sentences"].sum() / total) if total else 0.0)


# =========================================================================== validation
def load_annotations(path: Path | str | None = None) -> pd.DataFrame:
    """The hand-coded sample: sentence_id, doc_id, text, label (-1, 0, +1); default
    :data:`ANNOTATIONS_FILE`."""
    path = path or ANNOTATIONS_FILE
    ann = pd.read_csv(path, dtype={"sentence_id": str, "doc_id": str, "text": str}, keep_default_na=False, comment="#")
    ann["label"] = ann["label"].astype(int)
    if not ann["label"].isin([-1, 0, 1]).all():
        raise ValueError(f"{path}: labels must be -1, 0 or 1")
    return ann


def check_annotations(annotations: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Annotations that no longer match the corpus: sentence_id, problem ("missing" when the id is
    gone, "text changed" when the id now holds another sentence). Empty when all align."""
    text = dict(zip(sentences["sentence_id"], sentences["text"]))
    rows = []
    for r in annotations.itertuples():
        if r.sentence_id not in text:
            rows.append({"sentence_id": r.sentence_id, "problem": "missing"})
        elif text[r.sentence_id] != r.text:
            rows.append({"sentence_id": r.sentence_id, "problem": "text changed"})
    return pd.DataFrame(rows, columns=["sentence_id", "problem"])


def label_counts(annotations: pd.DataFrame) -> dict[int, int]:
    """Number of hand labels per class: {1: cooperative, 0: neutral, -1: confrontational}."""
    counts = annotations["label"].value_counts()
    return {k: int(counts.get(k, 0)) for k in (1, 0, -1)}


@dataclass(frozen=True)
class SampleProfile:
    """Where the hand-coded sample comes from, as far as it aligns with the corpus: sentences in the
    sample and aligned, articles and languages (codes, sorted) they come from, labels per class."""

    n_sample: int
    n_aligned: int
    n_articles: int
    languages: list[str]
    counts: dict[int, int]
    n_uncoded: int = 0


# =========================================================================== validation on this corpus
@dataclass(frozen=True)
class CodedSample:
    """The hand codes that apply to this corpus: ``coded`` (the coded rows of the sheet found in the
    corpus by :func:`scripts.validation_sample.align`: sentence_id, doc_id, text, label and the sheet's
    other columns), ``n_rows`` (rows of the sheet), ``n_uncoded`` (rows with no label yet: ignored),
    ``n_unaligned`` (coded rows whose sentence is not in the corpus as it is split now), ``bundled``
    (the bundled sample was read) and ``in_sample`` (the codes come from the sentences the instruments
    were tuned on: the bundled sample, coded on the bundled seeds)."""

    coded: pd.DataFrame
    n_rows: int
    n_uncoded: int
    n_unaligned: int
    bundled: bool
    in_sample: bool


def coded_sample(sentences: pd.DataFrame, annotations_file: Path | str | None = None) -> CodedSample:
    """Read ``annotations_file`` (a sheet of ``scripts.seeds sample``, partly coded or not; default the
    bundled :data:`ANNOTATIONS_FILE`) and align it with ``sentences`` (doc_id, sentence_id, text) by
    sentence hash, so that a re-split corpus keeps every label whose sentence is unchanged."""
    path = Path(annotations_file) if annotations_file else ANNOTATIONS_FILE
    bundled = path.resolve() == ANNOTATIONS_FILE.resolve()
    coded = VS.read_coded(path)
    n_rows = VS.count_rows(path)
    aligned = VS.align(coded, sentences)
    return CodedSample(aligned[aligned["aligned"]].drop(columns="aligned").reset_index(drop=True), n_rows,
                       n_rows - len(coded), int((~aligned["aligned"]).sum()), bundled, bundled)


def corpus_agreement(scored: pd.DataFrame, sample: CodedSample) -> pd.DataFrame:
    """:func:`scripts.validity.agreement` of both measures with the codes of ``sample``, per language
    and pooled, in-sample rows marked; empty (same columns) when no coded sentence is in the corpus."""
    if not len(sample.coded):
        return pd.DataFrame(columns=VY.AGREEMENT_COLUMNS)
    return VY.agreement(scored, sample.coded, in_sample=sample.in_sample)


def heldout_agreement(path: Path | str | None = None, split: str = "test") -> pd.DataFrame:
    """Agreement with a human coder on the ``split`` half of the development corpus, per language (the
    pooled "all" row last), from the CSV of ``tools/devcorpus/score.py`` (default
    :data:`DEVCORPUS_SCORES_FILE`): language, n (coded sentences), coop_rho, vader_rho,
    coop_accuracy, vader_accuracy, neutral_baseline. Empty when the file is absent."""
    path = Path(path) if path else DEVCORPUS_SCORES_FILE
    cols = ["language", "n", "coop_rho", "vader_rho", "coop_accuracy", "vader_accuracy", "neutral_baseline"]
    if not path.exists():
        return pd.DataFrame(columns=cols)
    d = pd.read_csv(path, dtype={"split": str, "language": str})
    d = d[d["split"] == split].rename(columns={"tone_n": "n"})
    return d[cols].reset_index(drop=True)


def coded_profile(sample: CodedSample, sentences: pd.DataFrame) -> SampleProfile:
    """:class:`SampleProfile` of a :class:`CodedSample`: n_sample counts the coded rows of the sheet
    (aligned or not), n_uncoded the rows still to code."""
    m = sample.coded[["sentence_id"]].merge(sentences[["sentence_id", "doc_id", "language"]].rename(columns={"doc_id": "_doc"}),
                                            on="sentence_id", how="left")
    return SampleProfile(sample.n_rows - sample.n_uncoded, int(len(sample.coded)), int(m["_doc"].nunique()),
                         sorted(m["language"].dropna().unique()), label_counts(sample.coded), sample.n_uncoded)
