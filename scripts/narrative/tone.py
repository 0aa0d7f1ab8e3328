"""Sentences and reader tables of the tone chapter (``chapters/04_tone.ipynb``), some also glued into
findings and methods.

Each statement has a ``*_facts`` function (which case of ``templates/tone.yml`` is true, with which
values; tested) and a ``*_text`` function (the rendered sentence). ``*_table`` functions shape reader
tables (display names, formatted numbers). Everything here takes results computed by
:mod:`scripts.tone` and :mod:`scripts.vader`; nothing here computes a statistic.

Numbers in these sentences and tables keep an ASCII minus ("-0.04"), as the chapter always printed them.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import episodes as E
from ..inference import WITHIN
from ..repeats import SENTENCE_REPEAT_JACCARD as REPEAT_JACCARD
from ..report import escape_cell
from ..tone import (
    MEASURES,
    CodedSample,
    Headline,
    HeadlineLanguage,
    HeadlineWordShift,
    LanguageGap,
    SampleProfile,
    SliceDominance,
    Translations,
)
from ..vader import IDENTICAL, Agreement, EngineCheck
from ..validity import MIN_CODED
from .common import NBSP, capped_list, interval, language_name, pct
from .render import Facts

PAGE = "tone"
MEASURE_LABELS = {"vader_compound": "VADER compound", "cooperation_index": "cooperation index"}
#: a measure as the subject of a headline sentence
HEADLINE_MEASURES = {"vader_compound": "VADER sentiment", "cooperation_index": "the cooperation index"}
SHORT_MEASURE_LABELS = {"vader_compound": "VADER", "cooperation_index": "coop. index"}
#: the note under tables whose intervals can be "within article" (marked "*")
WITHIN_NOTE = ("* This estimate rests on one article: the variation between articles cannot be estimated, the "
               "interval resamples that article's sentences and describes it only, and no change is claimed from it.")


def _finite(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _ci(low: float, high: float) -> str:
    """'[-0.13, +0.05]': an interval as the chapter's tables print it; "n/a" when it cannot be computed
    (one sentence of one article)."""
    return f"[{low:+.2f}, {high:+.2f}]" if _finite(low) and _finite(high) else "n/a"


def _within(interval: str) -> str:
    """The table marker of an interval that describes one article only (see WITHIN_NOTE)."""
    return "\u00a0*" if interval == WITHIN else ""


def _estimate_ci(row) -> str:
    """'-0.04 [-0.13, +0.05]' from a row with estimate, ci_low, ci_high (and interval: "*" when within one article)."""
    return f"{row.estimate:+.2f} {_ci(row.ci_low, row.ci_high)}" + _within(getattr(row, "interval", ""))


# =========================================================================== how far the instruments can be trusted
def _pearson(a: Agreement) -> str:
    if _finite(a.pearson_r):
        return Facts(PAGE, "pearson", "defined", {"r": a.pearson_r}).text
    return Facts(PAGE, "pearson", "undefined").text


def engine_check_facts(check: EngineCheck) -> Facts:
    """NLTK's VADER engine against the vaderSentiment reference (:func:`scripts.vader.check_english_engine`).
    Cases: no_english; identical (no sentence differs); all_negation / some_negation / no_negation (how
    many of the differing sentences hold a negation word: a cause is named only as far as it is checked).
    ``raw``: the sentence on the reference given the raw text (case less when it agrees less)."""
    a, raw = check.padded, check.raw
    if a.n == 0:
        return Facts(PAGE, "engine_check", "no_english")
    less = raw.max_abs_diff > a.max_abs_diff + IDENTICAL or raw.share_identical < a.share_identical
    raw_text = Facts(PAGE, "engine_raw", "less" if less else "same",
                     {"pearson": _pearson(raw), "max_abs_diff": raw.max_abs_diff}).text
    if a.max_abs_diff <= IDENTICAL:
        case = "identical"
    elif check.n_differing_negation == check.n_differing:
        case = "all_negation"
    else:
        case = "some_negation" if check.n_differing_negation else "no_negation"
    return Facts(PAGE, "engine_check", case, {
        "n": a.n, "tolerance": IDENTICAL, "share_identical": a.share_identical, "pearson": _pearson(a),
        "mean_abs_diff": a.mean_abs_diff, "max_abs_diff": a.max_abs_diff, "n_differing": check.n_differing,
        "n_negation": check.n_differing_negation, "raw_less": less, "raw": raw_text})


def engine_check_text(check: EngineCheck) -> str:
    return engine_check_facts(check).text


def coverage_facts(cov: pd.DataFrame) -> Facts:
    """The largest share of words a lexicon scores in any episode and language, and the range of the
    share of sentences with a scored word (:func:`scripts.tone.coverage`). Cases: empty, default."""
    if cov.empty:
        return Facts(PAGE, "coverage", "empty")
    return Facts(PAGE, "coverage", "default", {"max_words": float(cov["token_share"].max()),
                                               "min_sentences": float(cov["sentence_share"].min()),
                                               "max_sentences": float(cov["sentence_share"].max())})


def coverage_text(cov: pd.DataFrame) -> str:
    return coverage_facts(cov).text


def coverage_table(cov: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The coverage table as readers see it, from :func:`scripts.tone.coverage`: episode (label),
    language (name), lexicon, words scored ("scored / all"), share of words ("5%"), sentences scored
    ("scored / all"), share of sentences ("40%"); episodes in date order, then language and lexicon."""
    out = E.sort_by_episode(cov.assign(language=cov["language"].map(language_name)), episodes,
                            then=("language", "lexicon"))
    out = out.assign(episode=out["episode"].map(E.labels(episodes)),
                     # no-break spaces: "276 / 4981" stays on one line in print (report.column_widths sizes it whole)
                     tokens=out["tokens_scored"].astype(str) + f"{NBSP}/{NBSP}" + out["tokens"].astype(str),
                     sents=out["sentences_scored"].astype(str) + f"{NBSP}/{NBSP}" + out["sentences"].astype(str),
                     token_share=out["token_share"].map(pct), sentence_share=out["sentence_share"].map(pct))
    return out[["episode", "language", "lexicon", "tokens", "token_share", "sents", "sentence_share"]].rename(
        columns={"tokens": "words scored", "token_share": "share of words", "sents": "sentences scored",
                 "sentence_share": "share of sentences"})


def sample_facts(profile: SampleProfile, guidelines: str | None = None) -> Facts:
    """Where the hand-coded sample comes from, as far as it aligns (:func:`scripts.tone.coded_profile`);
    ``guidelines`` is named only for the bundled sample, whose none_aligned case says so.
    Cases: none_aligned, aligned. ``guidelines``: path of the coding guidelines to name (None: not named)."""
    if profile.n_aligned == 0:
        return Facts(PAGE, "sample", "none_aligned", {"n_sample": profile.n_sample, "guidelines": guidelines,
                                                      "n_uncoded": profile.n_uncoded, "bundled": guidelines is not None})
    return Facts(PAGE, "sample", "aligned", {
        "n_aligned": profile.n_aligned, "n_articles": profile.n_articles, "guidelines": guidelines,
        "languages": [language_name(c) for c in profile.languages], "cooperative": profile.counts[1],
        "neutral": profile.counts[0], "confrontational": profile.counts[-1],
        "n_left": profile.n_sample - profile.n_aligned, "n_uncoded": profile.n_uncoded})


def sample_text(profile: SampleProfile, guidelines: str | None = None) -> str:
    return sample_facts(profile, guidelines).text


def _heldout_parts(heldout: pd.DataFrame) -> list[dict]:
    return [r for r in heldout.to_dict("records") if r["language"] != "all"]


def agreement_facts(table: pd.DataFrame, sample: CodedSample, heldout: pd.DataFrame) -> Facts:
    """Agreement of the measures with this corpus's hand codes, per language
    (:func:`scripts.tone.corpus_agreement`), or the one sentence saying the instruments are unvalidated
    here, pointing to the held-out figures of the development corpus (:func:`scripts.tone.heldout_agreement`,
    read from a file). Cases: measured, measured_in_sample, unvalidated."""
    langs = table[table["language"] != "all"] if len(table) else table
    if not len(langs) or int(langs["n"].max()) < 3:
        parts = [Facts(PAGE, "agreement_heldout", "default", {"rho": float(r["coop_rho"]), "language": r["language"],
                                                               "n": int(r["n"])}).text for r in _heldout_parts(heldout)]
        return Facts(PAGE, "agreement", "unvalidated", {"heldout": parts})
    parts = []
    for language, g in langs.groupby("language", sort=True):
        rho = g.set_index("measure")
        c, v = rho.loc["cooperation_index"], rho.loc["vader_compound"]
        case = "default" if _finite(float(c["rho"])) and _finite(float(v["rho"])) else "undefined"
        parts.append(Facts(PAGE, "agreement_language", case, {
            "language": language_name(language), "n": int(c["n"]), "coop": float(c["rho"]), "vader": float(v["rho"]),
            "coop_ci": interval((c["rho_low"], c["rho_high"]), sign=False),
            "vader_ci": interval((v["rho_low"], v["rho_high"]), sign=False)}).text)
    return Facts(PAGE, "agreement", "measured_in_sample" if sample.in_sample else "measured", {"parts": "; ".join(parts)})


def agreement_text(table: pd.DataFrame, sample: CodedSample, heldout: pd.DataFrame) -> str:
    return agreement_facts(table, sample, heldout).text


def agreement_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.tone.corpus_agreement` for readers, narrow enough for the page column: language
    (name, "all (pooled)"; ", in-sample" when the codes come from the sentences the instruments were
    tuned on), measure (short label), n, "ρ [95% CI]" (Spearman), α (Krippendorff, ordinal), accuracy
    (three classes) and "all-neutral" (the accuracy of calling every sentence neutral)."""
    f2 = lambda x: f"{x:.2f}" if _finite(float(x)) else "n/a"  # noqa: E731
    names = [("all (pooled)" if c == "all" else language_name(c)) + (", in-sample" if s else "")
             for c, s in zip(table["language"], table["in_sample"])]
    return pd.DataFrame({
        # "coop. index" kept on one line (no-break space): the print column is sized to it, not hyphenated
        "language": names, "measure": table["measure"].map(SHORT_MEASURE_LABELS).str.replace(" ", NBSP).to_list(),
        "n": table["n"].astype(int).to_list(),
        "ρ [95% CI]": [f"{f2(r)} {interval((lo, hi), sign=False, sep=NBSP)}"
                       for r, lo, hi in zip(table["rho"], table["rho_low"], table["rho_high"])],
        "α": table["alpha"].map(f2).to_list(), "accuracy": table["accuracy"].map(pct).to_list(),
        "all-neutral": table["baseline"].map(pct).to_list()})


def vader_role_facts(heldout: pd.DataFrame, choice: HeadlineLanguage | None = None) -> Facts:
    """Why VADER is a secondary check: its held-out agreement with a human coder on the development
    corpus against the cooperation index's, per language (:func:`scripts.tone.heldout_agreement`).
    Cases: lower (below in every language), not_lower, missing (no file)."""
    rows = _heldout_parts(heldout)
    if not rows:
        return Facts(PAGE, "vader_role", "missing")
    parts = "; ".join(Facts(PAGE, "vader_role_part", "default", {"language": r["language"], "vader": float(r["vader_rho"]),
                                                                 "coop": float(r["coop_rho"])}).text for r in rows)
    lower = all(float(r["vader_rho"]) < float(r["coop_rho"]) for r in rows)
    return Facts(PAGE, "vader_role", "lower" if lower else "not_lower", {
        "parts": parts, "n_parts": len(rows),
        "headline_vader": bool(choice is not None and choice.measure == "vader_compound")})


def vader_role_text(heldout: pd.DataFrame, choice: HeadlineLanguage | None = None) -> str:
    return vader_role_facts(heldout, choice).text


# =========================================================================== tone per episode and shifts
def episode_table(ep_lang: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Per episode and language (date order, then language code): episode (label), language (name),
    sentences, articles, then one column per measure label holding "estimate [low, high]" ("*": the
    interval is within one article, see WITHIN_NOTE).
    ``ep_lang``: :func:`scripts.tone.summary_level` rows of level episode_language."""
    labels = E.labels(episodes)
    rows = []
    first = E.sort_by_episode(ep_lang[ep_lang["measure"] == MEASURES[0]], episodes, then=("language",))
    for r in first.itertuples():
        row = {"episode": labels[r.episode], "language": language_name(r.language), "sentences": int(r.n),
               "articles": int(r.n_articles)}
        for m in MEASURES:
            x = ep_lang[(ep_lang["episode"] == r.episode) & (ep_lang["language"] == r.language) & (ep_lang["measure"] == m)]
            row[MEASURE_LABELS[m]] = _estimate_ci(x.iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)


def shift_table(shifts: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.tone.all_shifts` rows for readers, narrow enough for the ~700 px page column:
    comparison ("label → label"), measure (short label), before → after (the two means), difference
    [95% CI] ("+d [low, high]"), "p (raw / BH)" (permutation p-value and Benjamini–Hochberg adjusted
    one, 3 decimals; raw only when ``shifts`` has no ``p_adjusted``), p min (smallest p these articles
    allow), sentences ("n_from / n_to"), articles (same), verdict (:func:`scripts.inference.verdict` label), all
    text. Numbers are kept together by no-break spaces, so cells wrap only between the parts."""
    labels = E.labels(episodes)
    nb = NBSP
    adj = shifts["p_adjusted"] if "p_adjusted" in shifts.columns else pd.Series([float("nan")] * len(shifts))
    return pd.DataFrame({
        "comparison": [f"{labels[a]} → {labels[b]}" for a, b in zip(shifts["episode_from"], shifts["episode_to"])],
        "measure": shifts["measure"].map(SHORT_MEASURE_LABELS),
        "before → after": [f"{a:+.2f}{nb}→ {b:+.2f}" for a, b in zip(shifts["estimate_from"], shifts["estimate_to"])],
        "difference [95% CI]": [f"{d:+.2f} [{lo:+.2f},{nb}{hi:+.2f}]"
                                for d, lo, hi in zip(shifts["difference"], shifts["ci_low"], shifts["ci_high"])],
        "p (raw / BH)": [f"{p:.3f}" + (f"{nb}/{nb}{q:.3f}" if pd.notna(q) else "") for p, q in zip(shifts["p_value"], adj)],
        "p min": [f"{p:.3f}" for p in shifts["p_min"]],
        "sentences": [f"{a}{nb}/{nb}{b}" for a, b in zip(shifts["n_from"], shifts["n_to"])],
        "articles": [f"{a}{nb}/{nb}{b}" for a, b in zip(shifts["n_articles_from"], shifts["n_articles_to"])],
        "verdict": shifts["label"] if "label" in shifts.columns else "",
    })


def headline_language_facts(choice: HeadlineLanguage) -> Facts:
    """Which sentences the headline comparison uses and why (:func:`scripts.tone.pick_headline_language`).
    Cases: single_episode, all, no_language, requested_missing, only_language, requested, auto_tied
    (another language covers as many episodes; more sentences decided), auto_most."""
    langs = choice.languages
    if choice.reason == "single-episode":
        return Facts(PAGE, "headline_language", "single_episode")
    pooled = (Facts(PAGE, "headline_pooled", "one_language", {"language": langs["language"].iloc[0]}) if len(langs) == 1
              else Facts(PAGE, "headline_pooled", "several")).text
    if choice.reason in ("all", "no-language", "requested-missing"):
        return Facts(PAGE, "headline_language", choice.reason.replace("-", "_"),
                     {"pooled": pooled, "requested": choice.requested})
    values = {"language": choice.language}
    inst = choice.instrument
    if choice.reason == "validity":
        best = inst.ranking.iloc[0]
        return Facts(PAGE, "headline_language", "validity", {
            **values, "measure": MEASURE_LABELS[choice.measure], "min_n": MIN_CODED, "rho_low": float(best["rho_low"]),
            "in_sample": bool(best["in_sample"])})
    if len(langs) == 1:
        return Facts(PAGE, "headline_language", "only_language", values)
    if choice.reason == "requested":
        return Facts(PAGE, "headline_language", "requested", values)
    per = langs.set_index("language")
    covered = int(per.loc[choice.language, "episodes"])
    tied = [language_name(code) for code, k in per["episodes"].items() if code != choice.language and k == covered]
    return Facts(PAGE, "headline_language", "auto_tied" if tied else "auto_most",
                 {**values, "covered": covered, "n_episodes": choice.n_episodes, "tied": tied,
                  "n_sentences": int(per.loc[choice.language, "sentences"]), "min_n": MIN_CODED,
                  "fallback": choice.reason == "auto"})


def headline_language_text(choice: HeadlineLanguage) -> str:
    return headline_language_facts(choice).text


def headline_facts(headline: Headline | None, episodes: pd.DataFrame) -> Facts:
    """The headline sentence (:func:`scripts.tone.headline_comparison`), worded by the book's one
    verdict rule (:func:`scripts.inference.verdict`, article-level and adjusted). Cases:
    single_episode; not_testable (says why: a side rests on one article, or too few articles for any
    p below the threshold); clear (rose / fell); suggestive (higher / lower, does not survive the
    correction); no_change (no detectable change)."""
    if headline is None:
        return Facts(PAGE, "headline", "single_episode")
    h = headline
    labels = E.labels(episodes)
    case = h.case.replace("-", "_")

    def mean(m: tuple[float, float, float], n: int, k: int, labelled: bool) -> str:
        return Facts(PAGE, "headline_mean", "labelled" if labelled else "plain",
                     {"estimate": m[0], "low": m[1], "high": m[2], "n": n, "k": k}).text

    p = Facts(PAGE, "headline_p", "adjusted" if _finite(h.p_adjusted) else "raw",
              {"p": h.p_value, "p_adjusted": h.p_adjusted, "n_comparisons": h.n_comparisons, "p_min": h.p_min}).text
    where = Facts(PAGE, "headline_where", "language" if h.language else "pooled", {"language": h.language}).text
    why = "one_article" if min(h.n_articles_from, h.n_articles_to) < 2 else "few_articles"
    return Facts(PAGE, "headline", case, {
        "where": where, "label_from": labels[h.episode_from], "label_to": labels[h.episode_to],
        "mean_from": mean(h.mean_from, h.n_from, h.n_articles_from, True),
        "mean_to": mean(h.mean_to, h.n_to, h.n_articles_to, False), "direction": h.direction, "why": why,
        "difference": h.difference, "ci_low": h.ci_low, "ci_high": h.ci_high, "p": p,
        "k_from": h.n_articles_from, "k_to": h.n_articles_to, "measure": HEADLINE_MEASURES[h.measure]})


def headline_loo_facts(loo: pd.DataFrame, headline: Headline | None, episodes: pd.DataFrame) -> Facts:
    """What the headline difference rests on (:func:`scripts.tone.headline_leave_one_out`). Cases: none
    (no headline); rests (dropping one article reverses the sign of the difference, or leaves its side
    empty: names that article, and then also the other article carrying most of the shift); stable (no single article
    reverses it: the range of the differences without each article)."""
    if headline is None or not len(loo):
        return Facts(PAGE, "headline_loo", "none")
    d = headline.difference
    labels = E.labels(episodes)
    finite = loo[loo["difference"].notna()]
    flips = finite[np.sign(finite["difference"]) != np.sign(d)]
    alone = loo[loo["difference"].isna()]
    closest = finite.iloc[0] if len(finite) else None        # rows come sorted: most of the shift first
    extra = {} if closest is None else {"closest": str(closest["article"]), "closest_without": float(closest["difference"]),
                                        "closest_label": labels.get(closest["group"], closest["group"])}
    if len(flips) or len(alone):
        r = flips.iloc[0] if len(flips) else alone.iloc[0]
        return Facts(PAGE, "headline_loo", "rests", {
            "article": str(r["article"]), "label": labels.get(r["group"], r["group"]), "difference": d,
            "without": None if pd.isna(r["difference"]) else float(r["difference"]),
            **({k: v for k, v in extra.items()} if pd.isna(r["difference"]) else {})})
    return Facts(PAGE, "headline_loo", "stable", {"difference": d, "low": float(loo["difference"].min()),
                                                  "high": float(loo["difference"].max())})


def headline_loo_table(loo: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.tone.headline_leave_one_out` for readers, the article carrying most of the shift
    first: without article, episode (label), sentences, article mean, difference without it ("n/a"
    when it is its episode's only article)."""
    labels = E.labels(episodes)
    return pd.DataFrame({"without article": loo["article"].astype(str),
                         "episode": loo["group"].map(lambda g: labels.get(g, g)), "sentences": loo["n_sentences"],
                         "article mean": [f"{x:+.2f}" for x in loo["article_mean"]],
                         "difference without it": [f"{x:+.2f}" if _finite(x) else "n/a" for x in loo["difference"]]})


def headline_text(headline: Headline | None, episodes: pd.DataFrame) -> str:
    return headline_facts(headline, episodes).text


def per_episode_text(per_episode: pd.DataFrame) -> str:
    """'3 articles' or '1 to 3 articles' (:func:`scripts.tone.articles_per_episode`)."""
    lo, hi = (int(per_episode["articles"].min()), int(per_episode["articles"].max())) if len(per_episode) else (0, 0)
    return Facts(PAGE, "per_episode", "same" if lo == hi else "range", {"lo": lo, "hi": hi}).text


def independence_facts(repeats: pd.DataFrame, per_episode: pd.DataFrame, jaccard: float = REPEAT_JACCARD) -> Facts:
    """Why the intervals are too narrow, from the data: near-repeated sentences within articles
    (:func:`scripts.repeats.repeated_sentences` with ``jaccard``, named when there are any) and the
    number of articles per episode. Cases: repeats, no_repeats."""
    rep = repeats[repeats["repeated"] > 0]
    items = [Facts(PAGE, "repeat_item", "default", {"doc_id": r.doc_id, "repeated": int(r.repeated),
                                                    "sentences": int(r.sentences)}).text for r in rep.itertuples()]
    return Facts(PAGE, "independence", "repeats" if items else "no_repeats",
                 {"items": items, "jaccard": jaccard, "per_episode": per_episode_text(per_episode)})


def independence_text(repeats: pd.DataFrame, per_episode: pd.DataFrame, jaccard: float = REPEAT_JACCARD) -> str:
    return independence_facts(repeats, per_episode, jaccard).text


# =========================================================================== language and lexicon
def language_facts(gap: LanguageGap) -> Facts:
    """How far the mean cooperation index differs between the languages of one episode
    (:func:`scripts.tone.language_gap`), with no causal claim. Cases: none, one, several."""
    if not gap.gaps:
        return Facts(PAGE, "language_gap", "none", {"n": len(gap.episodes)})
    n = len(gap.episodes)
    return Facts(PAGE, "language_gap", "one" if n == 1 else "several", {"n": n, "gap": max(gap.gaps.values())})


def language_text(gap: LanguageGap) -> str:
    return language_facts(gap).text


def language_table(documents: pd.DataFrame, ep_lang: pd.DataFrame, cov: pd.DataFrame, episodes: pd.DataFrame,
                   bilingual: list[str]) -> pd.DataFrame:
    """For each episode of ``bilingual`` (:attr:`scripts.tone.LanguageGap.episodes`) and language:
    episode (label), language (name), documents (doc_ids: six, then how many more), one column per measure label ("estimate
    [low, high]"), and "sentences scored (VADER / diplomatic)" (coverage shares). A one-cell "note"
    frame when no episode is bilingual."""
    labels = E.labels(episodes)
    rows = []
    for e in bilingual:
        for lang in sorted(documents.loc[documents["episode"] == e, "language"].unique()):
            docs = documents.loc[(documents["episode"] == e) & (documents["language"] == lang), "doc_id"]
            row = {"episode": labels[e], "language": language_name(lang), "documents": capped_list(docs)}
            for m in MEASURES:
                x = ep_lang[(ep_lang["episode"] == e) & (ep_lang["language"] == lang) & (ep_lang["measure"] == m)]
                if len(x):
                    row[MEASURE_LABELS[m]] = _estimate_ci(x.iloc[0])
            c = cov[(cov["episode"] == e) & (cov["language"] == lang)].set_index("lexicon")["sentence_share"]
            row["sentences scored (VADER / diplomatic)"] = " / ".join(pct(v) for v in c)
            rows.append(row)
    if rows:
        return pd.DataFrame(rows)
    return pd.DataFrame({"note": [Facts(PAGE, "language_table_note", "default").text]})


# =========================================================================== whose words
def quotes_text(n_quotes: int, min_words: int) -> str:
    """'12 quotations of at least 3 words' for the chapter's quotation sentence."""
    return Facts(PAGE, "quotes", "default", {"n": int(n_quotes), "min_words": int(min_words)}).text


def actor_mention_table(tone: pd.DataFrame, episodes: pd.DataFrame, names: dict | None = None) -> pd.DataFrame:
    """:func:`scripts.tone.actor_mention_tone` for readers: actor (display name from ``names`` when
    given, else the id), episode (label), cooperation index, 95% CI ("[low, high]", marked "*" when it
    is within one article), sentences, articles."""
    names = names or {}
    out = pd.DataFrame({"actor": tone["actor"].map(lambda a: names.get(a, a)),
                        "episode": tone["episode"].map(E.labels(episodes)), "cooperation index": tone["estimate"],
                        "95% CI": [_ci(lo, hi) + _within(w) for lo, hi, w in
                                   zip(tone["ci_low"], tone["ci_high"], tone["interval"])],
                        "sentences": tone["n"], "articles": tone["n_articles"]})
    return out.reset_index(drop=True)


# =========================================================================== within the article
def trajectory_facts(ends: tuple[float, float], measure: str = "cooperation_index") -> Facts:
    """The measure in the first and the last slice (:func:`scripts.tone.trajectory_ends`); an empty
    slice is said to be undefined. One case: default (first/last None when the slice is empty)."""
    first, last = ends
    return Facts(PAGE, "trajectory", "default", {"measure": MEASURE_LABELS[measure],
                                                 "first": first if _finite(first) else None,
                                                 "last": last if _finite(last) else None})


def trajectory_text(ends: tuple[float, float], measure: str = "cooperation_index") -> str:
    return trajectory_facts(ends, measure).text


def dominance_facts(dominance: SliceDominance) -> Facts:
    """How much the largest article weighs in the slices (:func:`scripts.tone.slice_dominance`).
    Cases: empty, one_article, every_slice / some_slices / no_slice (slices where it supplies more
    than half of the sentences)."""
    d = dominance
    if d.n_articles == 0:
        return Facts(PAGE, "dominance", "empty")
    if d.n_articles == 1:
        return Facts(PAGE, "dominance", "one_article", {"largest": d.largest})
    k = sum(s > 0.5 for s in d.shares)
    case = "every_slice" if k == len(d.shares) else ("some_slices" if k else "no_slice")
    return Facts(PAGE, "dominance", case, {"largest": d.largest, "low": min(d.shares), "high": max(d.shares),
                                           "k": k, "n_slices": len(d.shares)})


def dominance_text(dominance: SliceDominance) -> str:
    return dominance_facts(dominance).text


# =========================================================================== which words drive the shift
def word_shift_facts(ws: HeadlineWordShift, episodes: pd.DataFrame, k: int = 3) -> Facts:
    """The ``k`` entries pushing the cooperation index up most and down most between the earliest and
    the latest episode of the headline comparison (:func:`scripts.tone.headline_word_shift`), each with
    its direction (more or fewer mentions per sentence: "fewer mentions of “strikes”" raised it), or why
    there is no shift to decompose. Cases: single_episode, too_few_episodes, unchanged, shift."""
    where = Facts(PAGE, "word_shift_where", "language" if ws.language else "all", {"language": ws.language}).text
    if ws.n_present < 2:
        return Facts(PAGE, "word_shift", "single_episode" if ws.n_episodes < 2 else "too_few_episodes",
                     {"where": where})
    labels = E.labels(episodes)
    values = {"where": where, "label_from": labels[ws.episode_from], "label_to": labels[ws.episode_to]}
    if ws.shift.empty:
        return Facts(PAGE, "word_shift", "unchanged", values)
    d = ws.shift

    def entry(r) -> str:
        # the entries are English concept labels: other languages' sentences also show the words as written
        forms = [f"“{f}”" for f in str(r.surfaces or "").split(";") if f and f != r.entry.lower()] if ws.language != "en" else []
        return Facts(PAGE, "word_shift_entry", "written" if forms else "same", {"entry": r.entry, "forms": forms}).text

    def items(rows: pd.DataFrame) -> list[str]:
        # more or fewer (weighted) mentions per sentence: a confrontation word raises the index by becoming rarer;
        # consecutive entries with the same direction share "more/fewer mentions of"
        groups: list[tuple[str, list[str]]] = []
        for r in rows.itertuples():
            way = "more" if abs(r.rate_to) > abs(r.rate_from) else "fewer"
            if groups and groups[-1][0] == way:
                groups[-1][1].append(entry(r))
            else:
                groups.append((way, [entry(r)]))
        return [Facts(PAGE, "word_shift_item", way, {"entries": names}).text for way, names in groups]

    up, down = items(d[d["difference"] > 0].head(k)), items(d[d["difference"] < 0].head(k))
    return Facts(PAGE, "word_shift", "shift", {**values, "up": up, "down": down})


def word_shift_text(ws: HeadlineWordShift, episodes: pd.DataFrame, k: int = 3) -> str:
    return word_shift_facts(ws, episodes, k).text


# =========================================================================== evidence
def excerpt_window(length: int, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """(start, end) of an excerpt of at most ``max_chars`` characters of a text of ``length``
    characters that holds the matched ``spans`` (start, end): centred on them, never starting after
    the first match (a scored word is never cut off); when the matches span more than ``max_chars``,
    it starts at the first one. Whole text when it is short enough or there is no span."""
    if length <= max_chars or not spans:
        return 0, min(length, max_chars)
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    room = max_chars - (last - first)
    if room <= 0:
        return first, first + max_chars
    start = max(0, min(first - room // 2, length - max_chars))
    return start, min(length, start + max_chars)


def _md(text: str) -> str:
    """Article text escaped for a Markdown table cell pasted raw by ``report.md_table`` (which escapes
    the pipe itself): HTML and Markdown syntax show as text."""
    return escape_cell(text).replace("\\|", "|")


def highlight_excerpt(text: str, spans: list[tuple[int, int]], max_chars: int = 220) -> str:
    """The sentence cut around its matched words (:func:`excerpt_window`, "…" where cut), article text
    escaped, each matched surface form in Markdown emphasis (**bold**): safe Markdown for a raw column
    of ``report.md_table``. ``spans``: (start, end) of the matches in ``text``; overlapping ones merge."""
    a, b = excerpt_window(len(text), spans, max_chars)
    first = min((x for x, _ in spans), default=b)
    last = max((y for _, y in spans), default=a)
    if a > 0 and not text[a - 1].isspace():       # start at a word, never after the first match
        nxt = text.find(" ", a, first)
        a = nxt + 1 if nxt >= 0 else a
    if b < len(text) and not text[b].isspace():   # end at a word, never before the last match
        prev = text.rfind(" ", last, b)
        b = prev if prev >= 0 else b
    merged: list[list[int]] = []
    for s0, e0 in sorted((max(s0, a), min(e0, b)) for s0, e0 in spans if e0 > a and s0 < b):
        if merged and s0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e0)
        else:
            merged.append([s0, e0])
    out, pos = ["…" if a > 0 else ""], a
    for s0, e0 in merged:
        out += [_md(text[pos:s0]), f"**{_md(text[s0:e0])}**"]
        pos = e0
    out += [_md(text[pos:b]), "…" if b < len(text) else ""]
    return "".join(out)


def extremes_table(ex: pd.DataFrame, episodes: pd.DataFrame, matches: pd.DataFrame | None = None,
                   max_chars: int = 220) -> pd.DataFrame:
    """:func:`scripts.tone.extremes` for readers, in four columns that fit the page: episode (label,
    date order), side, "scores (sentence) and matched words" (cooperation index, VADER, sentence_id,
    the words matched in the sentence's own language with their signed contributions), text (the
    sentence cut around its matched words, which are in bold: :func:`highlight_excerpt`).
    ``matches``: :func:`scripts.diplomatic.diplomatic_matches` (None: lexicon entry labels, no
    highlight). The text column is escaped Markdown: paste it with ``report.md_table(..., raw=("text",))``."""
    ex = E.sort_by_episode(ex.sort_values("side", ascending=False, kind="stable"), episodes, then=())
    # only the sentences shown (grouping every match of a large corpus took seconds for a few rows)
    shown = matches if matches is None else matches[matches["sentence_id"].isin(set(ex["sentence_id"]))]
    by_sentence = {} if shown is None else {k: g.sort_values("start") for k, g in shown.groupby("sentence_id")}
    scores, texts = [], []
    for r in ex.itertuples():
        m = by_sentence.get(r.sentence_id)
        if m is not None and len(m):
            words = "; ".join(f"“{w}” {c:+g}" for w, c in zip(m["surface"], m["contribution"]))
            spans = list(zip(m["start"].astype(int), m["end"].astype(int)))
        else:
            words, spans = (r.dip_entries or "").replace(";", "; ") or "none", []
        scores.append(f"coop. {r.cooperation_index:+.2f}, VADER {r.vader_compound:+.2f} ({r.sentence_id}); words: {words}")
        texts.append(highlight_excerpt(str(r.text), spans, max_chars))
    # four columns fit the page; the separate numbers are in tone_sentences.csv
    return pd.DataFrame({"episode": ex["episode"].map(E.labels(episodes)).to_list(), "side": ex["side"].to_list(),
                         "scores (sentence) and matched words": scores, "text": texts})


def entries_table(entries: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`scripts.tone.top_entries` for readers: episode (label), entry, pole, matches, summed
    signed weight."""
    return entries.assign(episode=entries["episode"].map(E.labels(episodes))).rename(
        columns={"weight": "summed signed weight"})


# =========================================================================== limits
def limits_facts(n_articles: int, per_episode: pd.DataFrame, episodes: pd.DataFrame, translated: Translations,
                 cov: pd.DataFrame, fragments: pd.DataFrame | None = None) -> list[Facts]:
    """The data-dependent sentences of the chapter's limits, in order: size (articles, episodes and
    articles per episode), episodes resting on a single article, episodes dominated by one article
    (more than half of their sentences), translations according to the manifest, and the share of
    sentences without a diplomatic-lexicon word. ``per_episode``: :func:`scripts.tone.articles_per_episode`;
    ``translated``: :func:`scripts.tone.translations`; ``cov``: :func:`scripts.tone.coverage`;
    ``fragments``: the sentences :func:`scripts.tone.exclude_fragments` left out (a count by reason)."""
    labels = E.labels(episodes)
    n_eps = len(episodes)
    out = [Facts(PAGE, "limits_size", "several_episodes" if n_eps > 1 else "one_episode",
                 {"n_articles": int(n_articles), "n_episodes": n_eps, "per_episode": per_episode_text(per_episode)})]
    single = [labels[e] for e in per_episode.loc[per_episode["articles"] == 1, "episode"]]
    if single:
        out.append(Facts(PAGE, "limits_single", "default", {"labels": single}))
    dominated = per_episode[(per_episode["articles"] > 1) & (per_episode["top_share"] > 0.5)]
    if len(dominated):
        items = [Facts(PAGE, "limits_dominated_item", "first" if i == 0 else "other",
                       {"label": labels[r.episode], "doc_id": r.top_doc, "share": r.top_share}).text
                 for i, r in enumerate(dominated.itertuples())]
        out.append(Facts(PAGE, "limits_dominated", "default", {"items": items}))
    out.append(Facts(PAGE, "limits_translations", "some" if translated.doc_ids else "none",
                     {"doc_ids": translated.doc_ids, "share": translated.sentence_share}))
    dip = cov[cov["lexicon"] == "diplomatic"]
    if len(dip):
        out.append(Facts(PAGE, "limits_no_lexicon", "default", {"low": float(1 - dip["sentence_share"].max()),
                                                                "high": float(1 - dip["sentence_share"].min())}))
    if fragments is not None:
        counts = fragments["reason"].value_counts()
        out.append(Facts(PAGE, "limits_fragments", "some" if len(fragments) else "none",
                         {"n": len(fragments), "no_letters": int(counts.get("no letters", 0)),
                          "dateline": int(counts.get("dateline", 0)), "short": int(counts.get("short", 0))}))
    return out


def limits_text(n_articles: int, per_episode: pd.DataFrame, episodes: pd.DataFrame, translated: Translations,
                cov: pd.DataFrame, fragments: pd.DataFrame | None = None) -> str:
    return " ".join(f.text for f in limits_facts(n_articles, per_episode, episodes, translated, cov, fragments))
