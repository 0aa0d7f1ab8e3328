"""Terms of the press coverage: stop words and stems, frequencies per 1,000 words, distinctive terms
(keyness, with dispersion across articles), collocations, and a bilingual concept dictionary counted
within each language.

Definitions used throughout
---------------------------
*word*        a token of ``corpus.tokens`` that has a letter (``is_word``) and is not a clitic: elided
              forms (``l'``, ``d'``, ``qu'``, ``n'``, ``s'``, ``j'``, ``c'``, ``m'``, ``t'``, ``jusqu'``),
              the same clitics written without their apostrophe (``bare_clitics`` of
              ``scripts/data/stopwords_domain.yml``: "d" in "d'« affaire »") and English ``'s``, ``'re``,
              ``n't`` tokens. Tokens without a letter (punctuation, numbers, symbols) are never words.
              French writes "l'accord" as two tokens where English writes "the agreement" as two
              words, so counting clitics would inflate French denominators: this is the **denominator
              of every rate** (``per_1k = 1000 * count / n_tokens``, ``n_tokens`` = words of the unit,
              stop words included). Rates are computed within one language; nothing here pools them.
*term*        the Snowball stem (NLTK ``SnowballStemmer("english"/"french")``) of a lower-cased word
              that is not a stop word. Stop words: the ``stopwordsiso`` list of the language plus
              ``add`` minus ``keep`` of ``scripts/data/stopwords_domain.yml``; words written as in
              ``keep_as_written`` always stay; one-letter words are always dropped.
*surface*     how a term is shown: the most frequent lower-case form of the stem in that language
              over the whole corpus (ties: alphabetical), written in its most frequent casing (ties:
              alphabetical, so "Syrie" before "syrie"). Readers never see a bare stem.
*unit*        an episode in one language (its articles in that language).

Tables (pandas DataFrames) returned by the public functions
------------------------------------------------------------
:func:`annotate_terms`     the word rows of the token table plus ``stop`` (bool), ``term`` ("" when dropped)
:func:`surface_forms`      language, term, surface, n_forms (distinct lower-case forms of the stem)
:func:`unit_sizes`         level, episode, language, doc_id, n_tokens (words), n_terms,
                           content_share (n_terms / n_tokens), n_articles
:func:`term_frequencies`   level ("document", "episode" = episode × language, "language"), episode
                           ("(all)" for language rows), language, doc_id ("" unless level is
                           document), term, surface, count, n_tokens, per_1k, rank (1 = most frequent
                           in the unit; ties by term)
:func:`keyness_coverage`   episode, language, n_tokens, n_reference, reference_episodes, computable,
                           reason ("" or the code :data:`NO_REFERENCE`)
:func:`keyness`            :data:`KEYNESS_COLUMNS` (see its docstring)
:func:`distinctive_terms`  the rows of :func:`keyness` the prose may call distinctive, plus ``place``
:func:`collocations`       episode, language, bigram (lower-case "w1 w2"), surface (the most frequent
                           text span, stop words between included: "Conseil de sécurité"), count, llr,
                           rank
:func:`load_concepts`      concept, label, language, pattern (one row per pattern, file order)
:func:`concept_mentions`   doc_id, episode, language, sentence_id, concept, label, pattern, start, end, match
:func:`article_concepts`   doc_id, episode, language, concept, count, words (every article × concept)
:func:`concept_counts`     episode, language, concept, label, count, n_tokens, per_1k, n_articles
:func:`concept_forms`      concept, label, language, form, count (what the patterns matched)
:func:`agenda_steps`       language, concept, label, episode_from, episode_to, per_1k_from, per_1k_to,
                           change, count_from, count_to, n_articles_from, n_articles_to
:func:`agenda_range`       language, concept, label, n_episodes, episode_min, per_1k_min, episode_max,
                           per_1k_max, range
:func:`agenda_tests`       the rows of :func:`agenda_steps` with article-level intervals, p-values and
                           verdicts (:data:`AGENDA_TEST_COLUMNS`)
:func:`kwic`               doc_id, sentence_id, left, keyword, right
:func:`distinctive_kwic`   episode, language, term, surface + the :func:`kwic` columns
:func:`spelling_variants`  language, term, surface, total, lower, count (stems with several forms)
:func:`top_terms`, :func:`top_concepts`, :func:`concept_rates`: the rows of the chapter's figures

Statistics (:func:`log_likelihood`, :func:`log_ratio`, :func:`gries_dp`) follow Rayson & Garside
(2000), Hardie (2014) and Gries (2008); see their docstrings for the formulas. Everything is
deterministic. This module returns data only: the chapter's sentences and reader tables are in
:mod:`scripts.narrative.terms`.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.probability import FreqDist
from nltk.stem.snowball import SnowballStemmer
from scipy import stats

from scripts import episodes as E
from scripts import inference as I

DATA_DIR = Path(__file__).resolve().parent / "data"
STEMMER_LANGUAGES = {"en": "english", "fr": "french"}
ALL = "(all)"


# --------------------------------------------------------------------------- stop words and stems
@cache
def _domain(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def domain_stopwords(language: str, path: Path | str | None = None) -> dict[str, list[str]]:
    """The ``add``/``keep``/``keep_as_written`` lists of one language from ``stopwords_domain.yml``."""
    block = _domain(str(path or DATA_DIR / "stopwords_domain.yml")).get(language) or {}
    return {k: [str(w) for w in (block.get(k) or [])] for k in ("add", "keep", "keep_as_written")}


@cache
def stopwords(language: str, path: str | None = None) -> frozenset[str]:
    """Lower-case stop words of one language: stopwordsiso + domain ``add`` − domain ``keep``."""
    import stopwordsiso

    general = set(stopwordsiso.stopwords(language)) if stopwordsiso.has_lang(language) else set()
    dom = domain_stopwords(language, path)
    return frozenset((general | {w.lower() for w in dom["add"]}) - {w.lower() for w in dom["keep"]})


@cache
def _stemmer(language: str) -> SnowballStemmer:
    return SnowballStemmer(STEMMER_LANGUAGES.get(language, "english"))


@lru_cache(maxsize=100_000)
def stem(word: str, language: str) -> str:
    """Snowball stem of a lower-case word ("élections" and "élection" → "élect")."""
    return _stemmer(language).stem(word)


_ELIDED = re.compile(r"^\w+'$|^'\w*$|^n't$")


@cache
def domain_clitics(language: str, path: str | None = None) -> frozenset[str]:
    """Clitics of ``language`` that lost their apostrophe in the text (``bare_clitics`` of
    ``stopwords_domain.yml``, lower case): not words, like their elided forms."""
    block = _domain(str(path or DATA_DIR / "stopwords_domain.yml")).get(language) or {}
    return frozenset(str(w).lower() for w in (block.get("bare_clitics") or []))


@lru_cache(maxsize=200_000)  # pure (the data files are read once per process): a corpus repeats its words
def is_word(token: str, language: str, path: str | None = None) -> bool:
    """True when a token counts as a word (the rate denominator): it has a letter and is not a clitic.

    Why: French splits "l'accord" into two tokens where English has "the agreement"; counting
    "l'" (or English "'s") would make French denominators larger for the same text and rates
    incomparable across languages."""
    low = token.lower()
    if not any(c.isalpha() for c in low) or _ELIDED.match(low):
        return False
    return low not in domain_clitics(language, path)


@lru_cache(maxsize=200_000)
def is_stopword(token: str, language: str, path: str | None = None) -> bool:
    """True when a token (as written) is not a term: stop word, elided form, clitic, no letter, one letter."""
    if token in domain_stopwords(language, path)["keep_as_written"]:
        return False
    low = token.lower()
    if not is_word(token, language, path) or len(low) < 2:
        return True
    return low in stopwords(language, path)


def _codes(*columns: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """(code of each row, the distinct value tuples): rows with equal values in ``columns`` share a code."""
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    parts = []
    for col in columns:
        c, u = pd.factorize(col)
        codes = codes * len(u) + c
        parts.append((len(u), u))
    uniq, inverse = np.unique(codes, return_inverse=True)
    values, rest = [], uniq
    for size, u in reversed(parts):  # decode the mixed-radix code, last column first
        values.append(np.asarray(u, dtype=object)[rest % size])
        rest = rest // size
    return inverse, list(zip(*reversed(values)))


def annotate_terms(tokens: pd.DataFrame, stopwords_path: str | None = None) -> pd.DataFrame:
    """The words of the token table (:func:`is_word`: the rows every rate counts), with ``stop``
    (dropped as stop word) and ``term`` (its stem, or "").

    Each distinct (token, language) is classified once and each distinct (lower-case word, language)
    stemmed once (a corpus repeats its words), and the table is filtered once."""
    cand = tokens["is_word"].to_numpy(dtype=bool)
    if not cand.any():
        return tokens[cand].assign(stop=pd.Series(dtype=bool), term=pd.Series(dtype=str)).reset_index(drop=True)
    code, keys = _codes(tokens["token"], tokens["language"])
    word = np.array([is_word(tok, lang, stopwords_path) for tok, lang in keys], dtype=bool)
    stop = np.array([is_stopword(tok, lang, stopwords_path) for tok, lang in keys], dtype=bool)
    keep = cand & word[code]
    words = tokens[keep].reset_index(drop=True)
    stops = stop[code[keep]]
    words["stop"] = stops
    lcode, lkeys = _codes(words["lower"], words["language"])
    stems = np.array([stem(low, lang) for low, lang in lkeys], dtype=object)
    words["term"] = np.where(stops, "", stems[lcode])
    return words


def surface_forms(terms: pd.DataFrame) -> pd.DataFrame:
    """One row per (language, term): the form shown to readers (see the module docstring)."""
    t = terms[terms["term"] != ""]
    if t.empty:
        return pd.DataFrame(columns=["language", "term", "surface", "n_forms"])
    low = (t.groupby(["language", "term", "lower"]).size().rename("n").reset_index()
           .sort_values(["language", "term", "n", "lower"], ascending=[True, True, False, True]))
    best_lower = low.drop_duplicates(["language", "term"])[["language", "term", "lower"]]
    n_forms = low.groupby(["language", "term"]).size().rename("n_forms").reset_index()
    cased = (t.merge(best_lower, on=["language", "term", "lower"])
             .groupby(["language", "term", "token"]).size().rename("n").reset_index()
             .sort_values(["language", "term", "n", "token"], ascending=[True, True, False, True])
             .drop_duplicates(["language", "term"]).rename(columns={"token": "surface"}))
    return cased[["language", "term", "surface"]].merge(n_forms, on=["language", "term"]).reset_index(drop=True)


# --------------------------------------------------------------------------- frequencies
_LEVEL_KEYS = {"document": ["episode", "language", "doc_id"], "episode": ["episode", "language"], "language": ["language"]}


def _with_level(df: pd.DataFrame, level: str) -> pd.DataFrame:
    df = df.copy()
    if level == "language":
        df["episode"] = ALL
    if level != "document":
        df["doc_id"] = ""
    df.insert(0, "level", level)
    return df


def unit_sizes(terms: pd.DataFrame, level: str = "episode") -> pd.DataFrame:
    """Words (the rate denominator, stop words included), terms, the share of words that are terms
    (``content_share``) and the articles (``n_articles``) of each unit of ``level``."""
    keys = _LEVEL_KEYS[level]
    out = (terms.assign(is_term=terms["term"] != "").groupby(keys)
           .agg(n_tokens=("is_term", "size"), n_terms=("is_term", "sum"), n_articles=("doc_id", "nunique")).reset_index())
    out = _with_level(out, level)
    out["content_share"] = out["n_terms"] / out["n_tokens"]
    return out[["level", "episode", "language", "doc_id", "n_tokens", "n_terms", "content_share", "n_articles"]]


def term_frequencies(terms: pd.DataFrame, level: str = "episode", surfaces: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count of each term per unit and its rate per 1,000 word tokens of the unit.

    ``level``: "document", "episode" (episode × language: terms of two languages never mix) or
    "language" (all episodes). Summing ``per_1k`` over the terms of a unit gives
    1000 × n_terms / n_tokens.
    """
    keys = _LEVEL_KEYS[level]
    surfaces = surface_forms(terms) if surfaces is None else surfaces
    sizes = unit_sizes(terms, level)
    t = terms[terms["term"] != ""]
    counts = t.groupby(keys + ["term"]).size().rename("count").reset_index()
    counts = _with_level(counts, level)
    out = counts.merge(sizes[["level", "episode", "language", "doc_id", "n_tokens"]], on=["level", "episode", "language", "doc_id"])
    out = out.merge(surfaces[["language", "term", "surface"]], on=["language", "term"], how="left")
    out["per_1k"] = 1000.0 * out["count"] / out["n_tokens"]
    out = out.sort_values(["episode", "language", "doc_id", "count", "term"], ascending=[True, True, True, False, True])
    out["rank"] = out.groupby(["episode", "language", "doc_id"]).cumcount() + 1
    cols = ["level", "episode", "language", "doc_id", "term", "surface", "count", "n_tokens", "per_1k", "rank"]
    return out[cols].reset_index(drop=True)


def all_frequencies(terms: pd.DataFrame) -> pd.DataFrame:
    """:func:`term_frequencies` at the three levels stacked (episode rows first)."""
    surfaces = surface_forms(terms)
    return pd.concat([term_frequencies(terms, lvl, surfaces) for lvl in ("episode", "document", "language")], ignore_index=True)


# --------------------------------------------------------------------------- keyness statistics
def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's log-likelihood G² for a term seen ``a`` times in a target of ``c`` tokens and ``b``
    times in a reference of ``d`` tokens (Rayson & Garside 2000, the 2×2 form used by Wmatrix):

        E1 = c·(a+b)/(c+d),  E2 = d·(a+b)/(c+d),  G² = 2·(a·ln(a/E1) + b·ln(b/E2)),

    with 0·ln 0 = 0. Under the null of equal rates G² follows χ² with 1 degree of freedom.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2.0 * (t1 + t2)


def log_ratio(a, b, c, d, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hardie's Log Ratio: log2 of the ratio of relative frequencies, 0.5 added to a zero count:

        LR = log2( (a'/c) / (b'/d) ),  a' = a or 0.5 if a = 0, b' likewise;

    and its confidence interval from the standard error of the natural-log ratio of two Poisson
    counts, SE = sqrt(1/a' + 1/b'):  CI = LR ± z·SE/ln 2  (z = 1.96 for 95 %).
    LR = 1 means twice as frequent in the target; 0 means equally frequent.
    Returns (log_ratio, ci_low, ci_high).
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    a2, b2 = np.where(a == 0, 0.5, a), np.where(b == 0, 0.5, b)
    lr = np.log2((a2 / c) / (b2 / d))
    z = stats.norm.ppf(0.5 + confidence / 2)
    half = z * np.sqrt(1 / a2 + 1 / b2) / math.log(2)
    return lr, lr - half, lr + half


def gries_dp(counts, sizes) -> np.ndarray:
    """Gries' deviation of proportions (Gries 2008) of each row of ``counts`` (terms × articles)
    over the articles whose word counts are ``sizes``:

        DP = ½ · Σᵢ | cᵢ / Σc − sᵢ / Σs |,

    the distance between where a term occurs and where the words are. 0: spread exactly like the
    text (each article has its share); close to 1: all in one small article (the maximum is
    1 − the smallest article's share). NaN for a term absent from every article, and for every term
    when there is a single article (nothing to spread over: DP would be 0 whatever the term).

    Why: a high G² can come from one article that uses a word again and again; DP (with the
    number of articles holding the term) tells a burst from an episode's vocabulary."""
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    sizes = np.asarray(sizes, dtype=float)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        dp = 0.5 * np.abs(counts / total - sizes / sizes.sum()).sum(axis=1)
    return np.where((total[:, 0] > 0) & (sizes.size > 1), dp, np.nan)


# --------------------------------------------------------------------------- keyness
NO_REFERENCE = "no_reference"  # keyness_coverage reason: no other episode has text in the unit's language


def keyness_coverage(terms: pd.DataFrame, episodes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which episode × language units can be compared with a reference in the same language.

    The reference of a unit is every other episode's text in the same language; a unit without one
    (an episode's only English article when no other episode has English text) is not computable,
    with ``reason`` :data:`NO_REFERENCE` (a code: the chapter words it). Rows in date order when
    ``episodes`` is given.
    """
    sizes = unit_sizes(terms, "episode")
    rows = []
    for r in sizes.itertuples():
        ref = sizes[(sizes["language"] == r.language) & (sizes["episode"] != r.episode)]
        n_ref = int(ref["n_tokens"].sum())
        ok = n_ref > 0
        rows.append({"episode": r.episode, "language": r.language, "n_tokens": int(r.n_tokens), "n_reference": n_ref,
                     "reference_episodes": ", ".join(sorted(ref["episode"])), "computable": ok,
                     "reason": "" if ok else NO_REFERENCE})
    out = pd.DataFrame(rows, columns=["episode", "language", "n_tokens", "n_reference", "reference_episodes", "computable", "reason"])
    if episodes is not None and not out.empty:
        out = E.sort_by_episode(out, episodes)
    return out


KEYNESS_COLUMNS = [
    "episode", "language", "term", "surface", "count_target", "count_reference", "n_target", "n_reference",
    "per_1k_target", "per_1k_reference", "expected_min", "g2", "test", "p_value", "p_adj", "log_ratio", "ci_low",
    "ci_high", "significant", "direction", "rank", "tied", "n_articles", "articles_with", "doc_freq", "dp",
    "single_article"]
TEST_G2, TEST_FISHER = "g2", "fisher"  # keyness ``test`` codes: which test gave the p-value
_DIRECTION_ORDER = {"over": 0, "under": 1, "none": 2}


def keyness(terms: pd.DataFrame, min_count: int = 3, alpha: float = 0.05, correction: str = "bh",
            confidence: float = 0.95, exact_below: float = 5.0) -> pd.DataFrame:
    """Distinctive terms of each episode × language unit against the other episodes in that language.

    **Tested** (direction-neutral): in every comparable unit (:func:`keyness_coverage`), every term
    of the language seen at least ``min_count`` times in the target and the reference together
    (a + b ≥ min_count), so a term frequent elsewhere and rare in the target (under-use) is tested
    like one frequent in the target.

    **Test**: G² (:func:`log_likelihood`) against χ² with 1 df; when an expected count of the term
    (E₁ or E₂) is below ``exact_below``, where the χ² approximation is poor, the p-value comes from
    Fisher's exact test instead (``scipy.stats.fisher_exact``, two-sided, on the 2×2 table
    [[a, c − a], [b, d − b]]); ``test`` says which (:data:`TEST_G2`, :data:`TEST_FISHER`;
    ``exact_below=0`` turns Fisher off).

    **Family**: the returned table. Its p-values are corrected *together*, over every row of every
    unit and both directions, with ``scipy.stats.false_discovery_control`` (``correction`` "bh" =
    Benjamini–Hochberg, "by" = Benjamini–Yekutieli); ``significant`` is ``p_adj < alpha``. A
    count of significant rows is therefore a count within one declared family of ``len(table)``
    tests.

    **Dispersion** over the unit's articles: ``n_articles`` (articles of the unit), ``articles_with``
    (those containing the term), ``doc_freq`` (their share), ``dp`` (:func:`gries_dp`, articles
    weighted by their words) and ``single_article`` (all the target's occurrences in one article).

    **Order and rank**: per unit, over-used terms (``direction`` "over": a higher rate in the target)
    first, by G² then Log Ratio then term; then "under", then "none" (equal rates). ``rank`` ranks
    the over-used terms by G² with ties sharing the best rank (1, 2, 2, 4); ``tied`` marks an
    over-used term whose G² another over-used term of the unit shares; under-used terms have rank 0.

    Columns: :data:`KEYNESS_COLUMNS` (``expected_min`` = min(E₁, E₂)). Units without a same-language
    reference get no rows.
    """
    cols = KEYNESS_COLUMNS
    freq = term_frequencies(terms, "episode")
    t = terms[terms["term"] != ""]
    by_doc = t.groupby(["episode", "language", "doc_id", "term"]).size()
    doc_sizes = unit_sizes(terms, "document")
    cover = keyness_coverage(terms)
    frames = []
    fisher: dict[tuple[int, int, int, int], float] = {}
    for unit in cover[cover["computable"]].itertuples():
        lang = freq[freq["language"] == unit.language]
        totals = lang.groupby("term")["count"].sum()
        cand = totals[totals >= min_count].sort_index()
        if cand.empty:
            continue
        here = lang[lang["episode"] == unit.episode].set_index("term")
        a = here["count"].reindex(cand.index, fill_value=0).astype(int)
        surface = lang.drop_duplicates("term").set_index("term")["surface"].reindex(cand.index)
        df = pd.DataFrame({"episode": unit.episode, "language": unit.language, "term": cand.index,
                           "surface": surface.to_numpy(), "count_target": a.to_numpy(),
                           "count_reference": (cand - a).to_numpy().astype(int)})
        df["n_target"], df["n_reference"] = int(unit.n_tokens), int(unit.n_reference)
        a, b, c, d = (df[k].to_numpy(dtype=float) for k in ("count_target", "count_reference", "n_target", "n_reference"))
        df["per_1k_target"] = 1000.0 * a / c
        df["per_1k_reference"] = 1000.0 * b / d
        df["expected_min"] = np.minimum(c * (a + b) / (c + d), d * (a + b) / (c + d))
        df["g2"] = log_likelihood(a, b, c, d)
        exact = df["expected_min"].to_numpy() < exact_below
        df["test"] = np.where(exact, TEST_FISHER, TEST_G2)
        p = stats.chi2.sf(df["g2"].to_numpy(), 1)
        for i in np.flatnonzero(exact):
            table = (int(a[i]), int(c[i] - a[i]), int(b[i]), int(d[i] - b[i]))
            if table not in fisher:  # a unit's small counts repeat: each distinct table is tested once
                fisher[table] = stats.fisher_exact(np.array([table[:2], table[2:]], dtype=np.int64)).pvalue
            p[i] = fisher[table]
        df["p_value"] = np.minimum(p, 1.0)
        df["log_ratio"], df["ci_low"], df["ci_high"] = log_ratio(a, b, c, d, confidence)
        df["direction"] = np.select([a / c > b / d, a / c < b / d], ["over", "under"], "none")
        # dispersion over the unit's articles
        docs = doc_sizes[(doc_sizes["episode"] == unit.episode) & (doc_sizes["language"] == unit.language)]
        per_doc = (by_doc.loc[(unit.episode, unit.language)].unstack("doc_id", fill_value=0)
                   .reindex(index=cand.index, columns=docs["doc_id"], fill_value=0).to_numpy(dtype=float))
        df["n_articles"] = len(docs)
        df["articles_with"] = (per_doc > 0).sum(axis=1)
        df["doc_freq"] = df["articles_with"] / len(docs)
        df["dp"] = gries_dp(per_doc, docs["n_tokens"].to_numpy())
        df["single_article"] = df["articles_with"] == 1
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=cols)
    key = pd.concat(frames, ignore_index=True)
    key["p_adj"] = stats.false_discovery_control(key["p_value"].to_numpy(), method=correction)
    key["significant"] = key["p_adj"] < alpha
    key = (key.assign(_d=key["direction"].map(_DIRECTION_ORDER))
           .sort_values(["episode", "language", "_d", "g2", "log_ratio", "term"], ascending=[True, True, True, False, False, True])
           .drop(columns="_d").reset_index(drop=True))
    over = key["direction"] == "over"
    g2 = key["g2"].round(9)  # equal counts give equal G²; rounding keeps float noise from splitting a tie
    units = [key["episode"], key["language"]]
    key["rank"] = 0
    key.loc[over, "rank"] = g2[over].groupby([u[over] for u in units]).rank(method="min", ascending=False).astype(int)
    key["tied"] = over & pd.DataFrame({"e": key["episode"], "l": key["language"], "g": g2, "o": over}).duplicated(keep=False)
    return key[cols]


def distinctive_terms(key: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The terms the prose may call an episode's *distinctive* vocabulary, and which of them to name.

    The rule (the chapter states it): a row of :func:`keyness` is distinctive when it is over-used,
    significant in the table's family, and found in at least two articles of its unit (not
    ``single_article``). Per unit, the ``n`` distinctive terms of highest G² are kept, **with every
    term tied in G² with the n-th** (so a tie is never broken alphabetically). ``place`` is the rank
    among the unit's distinctive terms by G², ties sharing the best place. Rows in :func:`keyness`
    order; columns those of :func:`keyness` plus ``place``."""
    ok = key[(key["direction"] == "over") & key["significant"].astype(bool) & ~key["single_article"].astype(bool)].copy()
    if ok.empty:
        return ok.assign(place=pd.Series(dtype=int))
    g2 = ok["g2"].round(9)
    ok["place"] = g2.groupby([ok["episode"], ok["language"]]).rank(method="min", ascending=False).astype(int)
    return ok[ok["place"] <= n]


# --------------------------------------------------------------------------- collocations
def _spans(text: str, toks: list[str]) -> list[tuple[int, int]]:
    """Character spans of tokens in their sentence. Tokens are substrings in order, so each is the
    next occurrence after the previous one; word tokens may be given alone (what lies between them
    has no letter, so a word cannot be found there by mistake)."""
    spans, pos = [], 0
    for tok in toks:
        start = text.find(tok, pos)
        if start < 0:  # should not happen; fall back to no span
            spans.append((pos, pos))
            continue
        spans.append((start, start + len(tok)))
        pos = start + len(tok)
    return spans


def _pair_surfaces(first: np.ndarray, last: np.ndarray, sent: np.ndarray, texts: list[str], langs: list[str],
                   toks: list[str], i: np.ndarray, j: np.ndarray) -> list[str]:
    """The text from token ``i[k]`` to token ``j[k]`` of their sentence (:func:`_spans` of the
    sentence's tokens). Tokens are sorted by sentence; ``sent`` is each token's sentence number,
    ``first``/``last`` the sentence's token range, ``texts``/``langs`` per sentence number. A sentence
    is located once per (language, text, number of tokens): its tokens follow from its text (wire
    copy repeats sentences across articles)."""
    spans_of: dict[tuple, list[tuple[int, int]]] = {}
    out = []
    for a, b in zip(i.tolist(), j.tolist()):
        s = int(sent[a])
        lo, hi = int(first[s]), int(last[s])
        key = (langs[s], texts[s], hi - lo)
        spans = spans_of.get(key)
        if spans is None:
            spans = spans_of[key] = _spans(texts[s], toks[lo:hi])
        out.append(texts[s][spans[a - lo][0]:spans[b - lo][1]])
    return out


def collocations(tokens: pd.DataFrame, sentences: pd.DataFrame, min_count: int = 2, top_n: int | None = 10,
                 max_gap: int = 2, stopwords_path: str | None = None) -> pd.DataFrame:
    """Bigram collocations per episode × language with NLTK ``BigramCollocationFinder``, scored by
    ``BigramAssocMeasures.likelihood_ratio``.

    The finder gets one "document" per run of words: a run ends at any non-word token (punctuation,
    number) and where more than ``max_gap`` stop words separate two content words, so no pair
    crosses a sentence, a comma or a long clause. A run's words are its lower-cased non-stop-word
    tokens: no pair is made of stop words, and a pair may bridge up to ``max_gap`` stop words
    ("conseil … sécurité"). ``apply_freq_filter(min_count)`` drops rarer pairs. ``surface`` is the
    most frequent original text from the first to the second word ("Conseil de sécurité").

    The finder's word and pair counts are built once from the token table, with arrays over all
    units (two content words pair when they are consecutive content words of one sentence with only
    stop words, at most ``max_gap``, between them): what ``BigramCollocationFinder.from_documents``
    counts from those runs (tested equal). NLTK filters and scores them.
    """
    cols = ["episode", "language", "bigram", "surface", "count", "llr", "rank"]
    t = tokens.sort_values(["sentence_id", "tok_idx"])
    if t.empty:
        return pd.DataFrame(columns=cols)
    toks = t["token"].tolist()
    code, keys = _codes(t["token"], t["language"])
    stop = np.array([is_stopword(tok, lang, stopwords_path) for tok, lang in keys], dtype=bool)
    wordlike = t["is_word"].to_numpy(dtype=bool)
    content = wordlike & ~stop[code]
    # the content words, and which of them pair with the next content word
    idx = np.flatnonzero(content)
    sent, sids = pd.factorize(t["sentence_id"])  # sorted by sentence: numbers rise with the rows
    nonwords = np.cumsum(~wordlike)  # non-word tokens up to each position
    i, j = idx[:-1], idx[1:]
    paired = (sent[i] == sent[j]) & (nonwords[j] == nonwords[i]) & (j - i - 1 <= max_gap)
    i, j = i[paired], j[paired]
    first = np.searchsorted(sent, np.arange(len(sids)), side="left")
    last = np.searchsorted(sent, np.arange(len(sids)), side="right")
    text_of = dict(zip(sentences["sentence_id"].tolist(), sentences["text"].tolist()))
    texts = [text_of.get(s, "") for s in sids]
    unit_code, units = _codes(t["episode"], t["language"])
    unit_of = [units[u] for u in unit_code[idx].tolist()]  # (episode, language) of each content word
    langs = [units[u][1] for u in unit_code[first].tolist()]
    unit = dict(zip(idx.tolist(), unit_of))
    lower = {k: toks[k].lower() for k in idx.tolist()}
    word_counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (u, word), n in Counter(zip(unit_of, (lower[k] for k in idx.tolist()))).items():
        word_counts[u][word] = n
    forms = Counter((unit[a], lower[a], lower[b], surface)
                    for a, b, surface in zip(i.tolist(), j.tolist(), _pair_surfaces(first, last, sent, texts, langs, toks, i, j)))
    pair_counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    surface_of: dict[tuple, tuple[int, str]] = {}  # the most frequent surface of a pair, ties alphabetical
    for ((episode, language), w1, w2, surface), n in forms.items():
        pair_counts[(episode, language)][(w1, w2)] += n
        best = surface_of.get((episode, language, w1, w2))
        if best is None or (-n, surface) < best:
            surface_of[(episode, language, w1, w2)] = (-n, surface)
    measures = BigramAssocMeasures()
    frames = []
    for (episode, language) in sorted(word_counts):
        finder = BigramCollocationFinder(FreqDist(word_counts[(episode, language)]),
                                         FreqDist(pair_counts.get((episode, language), {})))
        finder.apply_freq_filter(min_count)
        scored = finder.score_ngrams(measures.likelihood_ratio)
        if not scored:
            continue
        rows = [{"episode": episode, "language": language, "bigram": f"{w1} {w2}",
                 "surface": surface_of[(episode, language, w1, w2)][1],
                 "count": int(finder.ngram_fd[(w1, w2)]), "llr": float(llr)} for (w1, w2), llr in scored]
        df = pd.DataFrame(rows).sort_values(["llr", "bigram"], ascending=[False, True])
        df["rank"] = np.arange(1, len(df) + 1)
        if top_n is not None:
            df = df.head(top_n)
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


# --------------------------------------------------------------------------- concepts
def load_concepts(path: Path | str | None = None) -> pd.DataFrame:
    """The concept dictionary as rows: concept, label, language, pattern (file order kept)."""
    raw = yaml.safe_load(Path(path or DATA_DIR / "concepts.yml").read_text(encoding="utf-8")) or {}
    rows = []
    for concept, spec in raw.items():
        for language in ("en", "fr"):
            for pattern in spec.get(language) or []:
                re.compile(pattern)  # fail early, naming nothing silently
                rows.append({"concept": str(concept), "label": str(spec.get("label") or concept),
                             "language": language, "pattern": str(pattern)})
    return pd.DataFrame(rows, columns=["concept", "label", "language", "pattern"])


def _compiled(concepts: pd.DataFrame) -> dict[str, list[tuple[int, str, str, re.Pattern]]]:
    """Per language, (file position, concept, pattern, regex) of every pattern. A match runs on to
    the end of its word, so matches read as words ("ingér" → "ingérence")."""
    out: dict[str, list] = {}
    for i, r in enumerate(concepts.itertuples()):
        out.setdefault(r.language, []).append((i, r.concept, r.pattern, re.compile(f"(?:{r.pattern})" + r"\w*", re.IGNORECASE)))
    return out


def _mentions_in(text: str, patterns: list[tuple[int, str, str, re.Pattern]]) -> list[tuple[int, int, str, str]]:
    """(start, end, concept, pattern) of the mentions in ``text``: leftmost-longest, non-overlapping.

    Every match of every pattern is a candidate; reading left to right, the candidate that starts
    first wins, and of those starting at one place the longest; the text it covers can hold no
    other mention. So "North Korea" is one mention (not also "Korea") and "interference in the
    2016 election" one interference mention (not also an election mention). When patterns of two
    concepts match exactly the same words, the mention counts once for each of them (never twice
    for one concept); the pattern recorded is the first in file order."""
    cands = sorted((m.start(), -(m.end() - m.start()), pos, concept, pattern)
                   for pos, concept, pattern, rx in patterns for m in rx.finditer(text) if m.end() > m.start())
    out, end_of_last, i = [], 0, 0
    while i < len(cands):
        start, neg_len = cands[i][0], cands[i][1]
        if start < end_of_last:
            i += 1
            continue
        seen = set()
        while i < len(cands) and cands[i][0] == start and cands[i][1] == neg_len:
            _, _, _, concept, pattern = cands[i]
            if concept not in seen:
                seen.add(concept)
                out.append((start, start - neg_len, concept, pattern))
            i += 1
        end_of_last = start - neg_len
    return out


def concept_matches(text: str, language: str, concepts: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """The mentions of every concept in one text: {concept: [matched strings]} (concepts with none
    left out), counted as :func:`concept_mentions` counts them."""
    concepts = load_concepts() if concepts is None else concepts
    out: dict[str, list[str]] = {}
    for start, end, concept, _ in _mentions_in(text, _compiled(concepts).get(language, [])):
        out.setdefault(concept, []).append(text[start:end])
    return out


MENTION_COLUMNS = ["doc_id", "episode", "language", "sentence_id", "concept", "label", "pattern", "start", "end", "match"]


def concept_mentions(sentences: pd.DataFrame, concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per concept mention in the cleaned sentences (:func:`_mentions_in`: one per matched
    phrase, non-overlapping, longest first). Columns: :data:`MENTION_COLUMNS` (start/end are
    character offsets in the sentence, ``match`` the text as written)."""
    concepts = load_concepts() if concepts is None else concepts
    compiled = _compiled(concepts)
    first = concepts.drop_duplicates("concept")
    labels = dict(zip(first["concept"], first["label"]))
    rows = []
    found: dict[tuple[str, str], list] = {}  # a sentence repeated across articles (wire copy) is matched once
    columns = (sentences[c].tolist() for c in ("doc_id", "episode", "language", "sentence_id", "text"))
    for doc_id, episode, language, sentence_id, text in zip(*columns):
        key = (language, text)
        if key not in found:
            found[key] = _mentions_in(text, compiled.get(language, []))
        for start, end, concept, pattern in found[key]:
            rows.append((doc_id, episode, language, sentence_id, concept, labels[concept], pattern, start, end, text[start:end]))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def article_concepts(mentions: pd.DataFrame, terms: pd.DataFrame, concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mentions of each concept in each article, with the article's words (the rate denominator).

    Columns: doc_id, episode, language, concept, count, words; every article with words × every
    concept (count 0 included), articles in doc_id order, concepts in file order. This is the
    input of article-level inference (an article's rate is 1000 · count / words)."""
    concepts = load_concepts() if concepts is None else concepts
    cols = ["doc_id", "episode", "language", "concept", "count", "words"]
    docs = unit_sizes(terms, "document")[["doc_id", "episode", "language", "n_tokens"]].rename(columns={"n_tokens": "words"})
    grid = docs.sort_values("doc_id").merge(concepts.drop_duplicates("concept")[["concept"]], how="cross")
    counts = mentions.groupby(["doc_id", "concept"]).size().to_dict()
    grid["count"] = [int(counts.get((d, c), 0)) for d, c in zip(grid["doc_id"].tolist(), grid["concept"].tolist())]
    return grid[cols].reset_index(drop=True)


def concept_counts(articles: pd.DataFrame, concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mentions of each concept per episode × language unit and the rate per 1,000 words of the
    unit (``articles``: :func:`article_concepts`; labels from ``concepts``). Languages are never
    pooled: a rate's words and mentions come from one language. Columns: episode, language,
    concept, label, count, n_tokens (words), per_1k, n_articles; every concept for every unit
    (count 0 if absent)."""
    concepts = load_concepts() if concepts is None else concepts
    cols = ["episode", "language", "concept", "label", "count", "n_tokens", "per_1k", "n_articles"]
    if articles.empty:
        return pd.DataFrame(columns=cols)
    labels = concepts.drop_duplicates("concept").set_index("concept")["label"]
    out = (articles.groupby(["episode", "language", "concept"], sort=False)
           .agg(count=("count", "sum"), n_tokens=("words", "sum"), n_articles=("doc_id", "nunique")).reset_index())
    out["label"] = out["concept"].map(labels).fillna(out["concept"])
    out["per_1k"] = 1000.0 * out["count"] / out["n_tokens"]
    return out[cols]


def concept_forms(mentions: pd.DataFrame, concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the patterns matched: one row per concept, language and lower-case form, with its
    mentions. Columns: concept, label, language, form, count; concepts in file order, then
    language, then count (descending) and form."""
    concepts = load_concepts() if concepts is None else concepts
    cols = ["concept", "label", "language", "form", "count"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    order = {c: i for i, c in enumerate(concepts.drop_duplicates("concept")["concept"])}
    out = (mentions.assign(form=mentions["match"].str.lower()).groupby(["concept", "label", "language", "form"])
           .size().rename("count").reset_index())
    out = (out.assign(_o=out["concept"].map(order)).sort_values(["_o", "language", "count", "form"], ascending=[True, True, False, True])
           .drop(columns="_o"))
    return out[cols].reset_index(drop=True)


def agenda_steps(conc: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The change of each concept's rate between consecutive episodes, within each language
    (``conc``: :func:`concept_counts`): for a language with articles in episodes e₁ < e₂ < … (date
    order), one row per concept and pair (eᵢ, eᵢ₊₁). Every episode counts, not only the first and
    the last. Columns: language, concept, label, episode_from, episode_to, per_1k_from, per_1k_to,
    change (to − from), count_from, count_to, n_articles_from, n_articles_to; languages
    alphabetical, pairs in date order, concepts as in ``conc``."""
    cols = ["language", "concept", "label", "episode_from", "episode_to", "per_1k_from", "per_1k_to", "change",
            "count_from", "count_to", "n_articles_from", "n_articles_to"]
    frames = []
    order = E.in_order(episodes)
    for language, g in conc.groupby("language", sort=True):
        present = [e for e in order if e in set(g["episode"])]
        by = g.set_index(["episode", "concept"])
        concepts = g.drop_duplicates("concept")[["concept", "label"]]
        for e1, e2 in zip(present, present[1:]):
            a, b = by.loc[e1].reindex(concepts["concept"]), by.loc[e2].reindex(concepts["concept"])
            frames.append(pd.DataFrame({
                "language": language, "concept": concepts["concept"].to_numpy(), "label": concepts["label"].to_numpy(),
                "episode_from": e1, "episode_to": e2, "per_1k_from": a["per_1k"].to_numpy(), "per_1k_to": b["per_1k"].to_numpy(),
                "change": b["per_1k"].to_numpy() - a["per_1k"].to_numpy(), "count_from": a["count"].to_numpy(),
                "count_to": b["count"].to_numpy(), "n_articles_from": a["n_articles"].to_numpy(),
                "n_articles_to": b["n_articles"].to_numpy()}))
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


AGENDA_TEST_COLUMNS = ["language", "concept", "label", "episode_from", "episode_to", "estimate", "ci_low", "ci_high",
                       "n_articles_from", "n_articles_to", "interval", "p_value", "p_min", "p_adj", "case", "verdict", "direction"]


def agenda_tests(articles: pd.DataFrame, episodes: pd.DataFrame, concepts: pd.DataFrame | None = None,
                 level: float = 0.95, n_perm: int = 9999, seed: int = 0, method: str = I.DEFAULT_METHOD) -> pd.DataFrame:
    """Article-level inference (:mod:`scripts.inference`) for every row of :func:`agenda_steps`:
    the change of a concept's rate between consecutive episodes of one language, with the article
    as the unit.

    A rate per 1,000 words is the pooled mean of a 0/1000 score over the words of the articles
    (1000 for as many words as the article has mentions), so :func:`scripts.inference.compare`
    applies as it is: its interval resamples articles (``interval`` "between articles"), or, when
    a side has a single article, the words of that article ("within article": no claim may rest on
    it); its p-value permutes the episode labels of whole articles. The family of the
    Benjamini–Hochberg correction is this whole table (every language, concept and consecutive
    pair), and :func:`scripts.inference.verdict` decides the words: ``case`` (not-testable, clear,
    suggestive, no-change), ``verdict`` (its label), ``direction`` (rose/fell, higher/lower or none).

    ``articles``: :func:`article_concepts`. Columns: :data:`AGENDA_TEST_COLUMNS` (``estimate`` is
    the change, to − from, per 1,000 words)."""
    concepts = load_concepts() if concepts is None else concepts
    labels = concepts.drop_duplicates("concept").set_index("concept")["label"]
    rule = I.load_verdict_rule()
    order = E.in_order(episodes)
    rows = []
    for language, lang in articles.groupby("language", sort=True):
        present = [e for e in order if e in set(lang["episode"])]
        pairs = list(zip(present, present[1:]))
        if not pairs:
            continue
        # per concept, the 0/1000 score of every word summarised per article (I.nest_counts: the same
        # as nesting one row per word); the concepts share the permutations of a pair (I.compare_many)
        names, nested = [], []
        for concept, a in lang.groupby("concept", sort=False):
            names.append(concept)
            nested.append(I.nest_counts(a.sort_values("doc_id"), cols=("count", "words", "doc_id", "episode")))
        for concept, res in zip(names, I.compare_many(nested, pairs, method=method, level=level, n_perm=n_perm, seed=seed, rule=rule)):
            rows.append(res.assign(language=language, concept=concept, label=labels.get(concept, concept)))
    if not rows:
        return pd.DataFrame(columns=AGENDA_TEST_COLUMNS)
    out = pd.concat(rows, ignore_index=True).rename(columns={"group_from": "episode_from", "group_to": "episode_to"})
    out["p_adj"] = I.bh_adjust(out["p_value"])  # one family: the whole table
    verdicts = [I.verdict(r.estimate, r.ci_low, r.ci_high, r.p_value, r.p_adj, r.n_articles_from, r.n_articles_to, r.p_min, rule)
                for r in out.itertuples()]
    out["case"] = [v.case for v in verdicts]
    out["verdict"] = [v.label for v in verdicts]
    out["direction"] = [v.direction for v in verdicts]
    return out[AGENDA_TEST_COLUMNS]


def agenda_range(conc: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The spread of each concept's rate over the episodes of each language (``conc``:
    :func:`concept_counts`). Columns: language, concept, label, n_episodes, episode_min, per_1k_min,
    episode_max, per_1k_max, range (max − min; 0 with one episode). Of equal rates, the earliest
    episode is named."""
    cols = ["language", "concept", "label", "n_episodes", "episode_min", "per_1k_min", "episode_max", "per_1k_max", "range"]
    if conc.empty:
        return pd.DataFrame(columns=cols)
    dated = E.sort_by_episode(conc, episodes, then=())
    rows = []
    for (language, concept), g in dated.groupby(["language", "concept"], sort=False):
        lo, hi = g.loc[g["per_1k"].idxmin()], g.loc[g["per_1k"].idxmax()]
        rows.append({"language": language, "concept": concept, "label": g["label"].iloc[0], "n_episodes": len(g),
                     "episode_min": lo["episode"], "per_1k_min": float(lo["per_1k"]), "episode_max": hi["episode"],
                     "per_1k_max": float(hi["per_1k"]), "range": float(hi["per_1k"] - lo["per_1k"])})
    return pd.DataFrame(rows, columns=cols).sort_values(["language"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- keyword in context
def kwic(terms: pd.DataFrame, sentences: pd.DataFrame, term: str, episode: str | None = None,
         language: str | None = None, n: int = 3, width: int = 60) -> pd.DataFrame:
    """Keyword in context: up to ``n`` sentences holding a token of ``term`` (a stem), first in
    document order, with ``width`` characters of left and right context (cut at the sentence)."""
    hit = terms[terms["term"] == term]
    if episode is not None:
        hit = hit[hit["episode"] == episode]
    if language is not None:
        hit = hit[hit["language"] == language]
    hit = hit.sort_values(["sentence_id", "tok_idx"]).drop_duplicates("sentence_id").head(n)
    text_of = dict(zip(sentences["sentence_id"], sentences["text"]))
    rows = []
    for h in hit.itertuples():
        text = text_of.get(h.sentence_id, "")
        sent = terms[terms["sentence_id"] == h.sentence_id].sort_values("tok_idx")
        spans = dict(zip(sent["tok_idx"], _spans(text, sent["token"].tolist())))
        start, end = spans[h.tok_idx]
        if end <= start:
            continue
        left, right = text[max(0, start - width):start], text[end:end + width]
        rows.append({"doc_id": h.doc_id, "sentence_id": h.sentence_id,
                     "left": ("…" if start > width else "") + left.lstrip(), "keyword": text[start:end],
                     "right": right.rstrip() + ("…" if end + width < len(text) else "")})
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "left", "keyword", "right"])


# --------------------------------------------------------------------------- selections the chapter shows
# Data, not prose: the rows a table, a figure or a sentence of the chapter is made from. ``episodes``
# is ``corpus.episodes`` (episode, label, date, order); scripts.narrative.terms words and formats.
def csv_tables(freq: pd.DataFrame, key: pd.DataFrame, coll: pd.DataFrame, conc: pd.DataFrame,
               articles: pd.DataFrame, steps: pd.DataFrame, tests: pd.DataFrame, episodes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The chapter's CSV tables by file name: ``term_frequencies`` (:func:`all_frequencies` + label),
    ``keyness``, ``collocations``, ``concepts`` (:func:`concept_counts` + date), ``concept_articles``
    (:func:`article_concepts`) and ``agenda_steps`` (:func:`agenda_steps` with the interval, p-values
    and verdict of :func:`agenda_tests`), all in date order."""
    keys = ["language", "concept", "episode_from", "episode_to"]
    tested = steps.merge(tests[keys + ["ci_low", "ci_high", "interval", "p_value", "p_min", "p_adj", "case", "verdict"]],
                         on=keys, how="left")
    return {
        "term_frequencies": freq.merge(episodes[["episode", "label"]], on="episode", how="left"),
        "keyness": E.sort_by_episode(key, episodes), "collocations": E.sort_by_episode(coll, episodes),
        "concepts": E.sort_by_episode(conc.merge(episodes[["episode", "date"]], on="episode"), episodes),
        "concept_articles": E.sort_by_episode(articles, episodes, then=("language", "doc_id")),
        "agenda_steps": E.sort_by_episode(tested, episodes, column="episode_from", then=("language",)),
    }


def spelling_variants(terms: pd.DataFrame, surfaces: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The ``n`` most frequent stems written in more than one lower-case form, one row per form.

    Columns: language, term, surface (:func:`surface_forms`), total (tokens of the stem), lower (a
    form), count (its tokens). Stems by total (descending) then term; a stem's forms by count
    (descending) then alphabetically."""
    cols = ["language", "term", "surface", "total", "lower", "count"]
    t = terms[terms["term"] != ""]
    if t.empty:
        return pd.DataFrame(columns=cols)
    forms = t.groupby(["language", "term", "lower"]).size().rename("count").reset_index()
    stems = (forms.groupby(["language", "term"]).agg(total=("count", "sum"), n_forms=("lower", "size")).reset_index()
             .merge(surfaces[["language", "term", "surface"]], on=["language", "term"]))
    stems = stems[stems["n_forms"] > 1].sort_values(["total", "term"], ascending=[False, True]).head(n)
    stems = stems.assign(_rank=range(len(stems)))
    out = stems.merge(forms, on=["language", "term"]).sort_values(["_rank", "count", "lower"], ascending=[True, False, True])
    return out[cols].reset_index(drop=True)


def top_terms(freq: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` most frequent terms of each episode × language unit (the rows of the frequency
    figure): episode-level rows of :func:`term_frequencies`, by rate then term."""
    ep = freq[freq["level"] == "episode"]
    out = (ep.sort_values(["episode", "language", "per_1k", "term"], ascending=[True, True, False, True])
           .groupby(["episode", "language"], sort=False).head(top_n))
    return out.reset_index(drop=True)


def concept_units(conc: pd.DataFrame, episodes: pd.DataFrame) -> list[tuple[str, str]]:
    """The (episode, language) units of :func:`concept_counts`, in date order then language."""
    units = E.sort_by_episode(conc[["episode", "language"]].drop_duplicates(), episodes)
    return list(zip(units["episode"], units["language"]))


def concept_rates(conc: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Concepts × units matrix of ``per_1k`` (:func:`concept_counts`): index concept ids, columns
    (episode, language) tuples of :func:`concept_units`. Rows by decreasing highest rate over the
    units, then concept id: an order that favours no language and no pair of episodes."""
    units = concept_units(conc, episodes)
    wide = conc.pivot_table(index="concept", columns=["episode", "language"], values="per_1k")
    if wide.empty:
        return pd.DataFrame(index=pd.Index([], name="concept"))
    wide = wide.reindex(columns=pd.MultiIndex.from_tuples(units, names=["episode", "language"]))
    top = wide.max(axis=1)
    order = sorted(wide.index, key=lambda c: (-top[c], c))
    return wide.reindex(index=order)


def top_concepts(conc: pd.DataFrame) -> pd.DataFrame:
    """The most mentioned concept(s) of each episode × language unit: the rows of
    :func:`concept_counts` with the unit's highest ``per_1k`` (all of them when tied, by concept
    id); a unit where nothing matched keeps one row with count 0."""
    conc = conc.sort_values(["episode", "language", "per_1k", "concept"], ascending=[True, True, False, True])
    best = conc.groupby(["episode", "language"])["per_1k"].transform("max")
    top = conc[(conc["per_1k"] == best) & (conc["count"] > 0)]
    nothing = conc[best == 0].drop_duplicates(["episode", "language"])
    return pd.concat([top, nothing]).sort_values(["episode", "language", "concept"]).reset_index(drop=True)


def distinctive_kwic(terms: pd.DataFrame, sentences: pd.DataFrame, key: pd.DataFrame, n: int = 3,
                     width: int = 55) -> pd.DataFrame:
    """:func:`kwic` of the over-used term of highest G² (rank 1 of :func:`keyness`; every one of them
    when tied) of each unit.

    Columns: episode, language, term (the stem), surface, single_article (from :func:`keyness`),
    then the :func:`kwic` columns (doc_id, sentence_id, left, keyword, right). Units and terms in
    the order of ``key``; units with no over-used term have no rows."""
    cols = ["episode", "language", "term", "surface", "single_article", "doc_id", "sentence_id", "left", "keyword", "right"]
    best = key[(key["direction"] == "over") & (key["rank"] == 1)]
    # only the sentences holding one of these terms can be shown: each kwic call looks at those alone
    held = terms.loc[terms["term"].isin(set(best["term"])), "sentence_id"].unique()
    terms = terms[terms["sentence_id"].isin(held)]
    sentences = sentences[sentences["sentence_id"].isin(held)]
    frames = []
    for u in best.itertuples():
        kw = kwic(terms, sentences, u.term, u.episode, u.language, n=n, width=width)
        if not kw.empty:
            frames.append(kw.assign(episode=u.episode, language=u.language, term=u.term, surface=u.surface,
                                    single_article=bool(u.single_article)))
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]
