"""Terms of the press coverage: stop words and stems, frequencies per 1,000 tokens, distinctive terms
(keyness), collocations, and a bilingual concept dictionary that puts English and French articles
on one scale.

Definitions used throughout
---------------------------
*word token*  a row of ``corpus.tokens`` with ``is_word`` (it has a letter). The **denominator of
              every rate** is the number of word tokens of the unit (document, episode × language,
              episode, language) *before* stop words are removed: ``per_1k = 1000 * count / n_tokens``.
*term*        the Snowball stem (NLTK ``SnowballStemmer("english"/"french")``) of a lower-cased word
              token that is not a stop word. Stop words: the ``stopwordsiso`` list of the language
              plus ``add`` minus ``keep`` of ``scripts/data/stopwords_domain.yml``; tokens written as
              in ``keep_as_written`` always stay; tokens with no letter, elided forms and clitics
              (``l'``, ``qu'``, ``'s``, ``n't``) and one-letter tokens are always dropped.
*surface*     how a term is shown: the most frequent lower-case form of the stem in that language
              over the whole corpus (ties: alphabetical), written in its most frequent casing (ties:
              alphabetical, so "Syrie" before "syrie"). Readers never see a bare stem.

Tables (pandas DataFrames) returned by the public functions
------------------------------------------------------------
:func:`annotate_terms`     the token table plus ``stop`` (bool: dropped), ``term`` ("" when dropped)
:func:`surface_forms`      language, term, surface, n_forms (distinct lower-case forms of the stem)
:func:`unit_sizes`         level, episode, language, doc_id, n_tokens (word tokens), n_terms,
                           content_share (n_terms / n_tokens)
:func:`term_frequencies`   level ("document", "episode" = episode × language, "language"), episode
                           ("(all)" for language rows), language, doc_id ("" unless level is
                           document), term, surface, count, n_tokens, per_1k, rank (1 = most frequent
                           in the unit; ties by term)
:func:`keyness_coverage`   episode, language, n_tokens, n_reference, reference_episodes, computable,
                           reason ("" or the code :data:`NO_REFERENCE`)
:func:`keyness`            episode, language, term, surface, count_target, count_reference,
                           n_target, n_reference, per_1k_target, per_1k_reference, g2, p_value, p_adj,
                           log_ratio, ci_low, ci_high, significant, direction ("over"/"under"), rank
                           (1 = most distinctive over-used term; 0 for under-used)
:func:`collocations`       episode, language, bigram (lower-case "w1 w2"), surface (the most frequent
                           text span, stop words between included: "Conseil de sécurité"), count, llr,
                           rank
:func:`load_concepts`      concept, label, language, pattern (one row per pattern, file order)
:func:`concept_counts`     episode [, language], concept, label, count, n_tokens, per_1k
:func:`agenda_shift`       concept, label, first, last, per_1k_first, per_1k_last, change
:func:`kwic`               doc_id, sentence_id, left, keyword, right
:func:`distinctive_kwic`   episode, language, term, surface + the :func:`kwic` columns
:func:`spelling_variants`  language, term, surface, total, lower, count (stems with several forms)
:func:`top_terms`, :func:`top_concepts`, :func:`concept_rates`: the rows of the chapter's figures

Statistics (:func:`log_likelihood`, :func:`log_ratio`) follow Rayson & Garside (2000) and Hardie
(2014); see their docstrings for the formulas. Everything is deterministic. This module returns
data only: the chapter's sentences and reader tables are in :mod:`scripts.narrative.terms`.
"""
from __future__ import annotations

import math
import re
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder
from nltk.stem.snowball import SnowballStemmer
from scipy import stats

from scripts import episodes as E

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


def is_stopword(token: str, language: str, path: str | None = None) -> bool:
    """True when a token (as written) is not a term: stop word, elided form, clitic, no letter, one letter."""
    if token in domain_stopwords(language, path)["keep_as_written"]:
        return False
    low = token.lower()
    if not any(c.isalpha() for c in low) or len(low) < 2 or _ELIDED.match(low):
        return True
    return low in stopwords(language, path)


def annotate_terms(tokens: pd.DataFrame, stopwords_path: str | None = None) -> pd.DataFrame:
    """Word tokens only (``is_word``), with ``stop`` (dropped as stop word) and ``term`` (its stem, or "")."""
    words = tokens[tokens["is_word"]].copy()
    keys = list(zip(words["token"], words["language"]))
    stop = {k: is_stopword(k[0], k[1], stopwords_path) for k in set(keys)}
    words["stop"] = [stop[k] for k in keys]
    words["term"] = [("" if s else stem(low, lang)) for s, low, lang in zip(words["stop"], words["lower"], words["language"])]
    return words.reset_index(drop=True)


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
    """Word tokens (the rate denominator, stop words included), terms and the share of word tokens
    that are terms (``content_share``) per unit of ``level``."""
    keys = _LEVEL_KEYS[level]
    out = (terms.assign(is_term=terms["term"] != "").groupby(keys)
           .agg(n_tokens=("is_term", "size"), n_terms=("is_term", "sum")).reset_index())
    out = _with_level(out, level)
    out["content_share"] = out["n_terms"] / out["n_tokens"]
    return out[["level", "episode", "language", "doc_id", "n_tokens", "n_terms", "content_share"]]


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


def keyness(terms: pd.DataFrame, min_count: int = 3, top_n: int | None = None, alpha: float = 0.05,
            correction: str = "bh", confidence: float = 0.95) -> pd.DataFrame:
    """Distinctive terms of each episode × language unit against the other episodes in that language.

    Tested: every term seen at least ``min_count`` times in the unit. p-values (χ², 1 df) are
    corrected over the tested terms of the unit with scipy's ``false_discovery_control``
    (``correction`` "bh" = Benjamini–Hochberg, "by" = Benjamini–Yekutieli); ``significant`` is
    ``p_adj < alpha``. Over-used terms (log_ratio > 0) are ranked by G², then Log Ratio; ``top_n``
    keeps that many over-used terms per unit (under-used ones are then dropped). Units without a
    same-language reference get no rows: see :func:`keyness_coverage`.
    """
    cols = ["episode", "language", "term", "surface", "count_target", "count_reference", "n_target", "n_reference",
            "per_1k_target", "per_1k_reference", "g2", "p_value", "p_adj", "log_ratio", "ci_low", "ci_high",
            "significant", "direction", "rank"]
    freq = term_frequencies(terms, "episode")
    cover = keyness_coverage(terms)
    frames = []
    for unit in cover[cover["computable"]].itertuples():
        lang = freq[freq["language"] == unit.language]
        target = lang[lang["episode"] == unit.episode].set_index("term")
        ref = lang[lang["episode"] != unit.episode].groupby("term")["count"].sum()
        target = target[target["count"] >= min_count]
        if target.empty:
            continue
        df = pd.DataFrame({"episode": unit.episode, "language": unit.language, "term": target.index,
                           "surface": target["surface"].to_numpy(), "count_target": target["count"].to_numpy()})
        df["count_reference"] = df["term"].map(ref).fillna(0).astype(int)
        df["n_target"], df["n_reference"] = unit.n_tokens, unit.n_reference
        a, b, c, d = df["count_target"], df["count_reference"], df["n_target"], df["n_reference"]
        df["per_1k_target"] = 1000.0 * a / c
        df["per_1k_reference"] = 1000.0 * b / d
        df["g2"] = log_likelihood(a, b, c, d)
        df["p_value"] = stats.chi2.sf(df["g2"], 1)
        df["p_adj"] = stats.false_discovery_control(df["p_value"].to_numpy(), method=correction)
        df["log_ratio"], df["ci_low"], df["ci_high"] = log_ratio(a, b, c, d, confidence)
        df["significant"] = df["p_adj"] < alpha
        df["direction"] = np.where(df["log_ratio"] > 0, "over", "under")
        df = df.sort_values(["direction", "g2", "log_ratio", "term"], ascending=[True, False, False, True])
        over = df["direction"] == "over"
        df["rank"] = 0
        df.loc[over, "rank"] = np.arange(1, int(over.sum()) + 1)
        if top_n is not None:
            df = df[over & (df["rank"] <= top_n)]
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


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
    """
    cols = ["episode", "language", "bigram", "surface", "count", "llr", "rank"]
    all_tokens = tokens.sort_values(["sentence_id", "tok_idx"])
    text_of = dict(zip(sentences["sentence_id"], sentences["text"]))
    measures = BigramAssocMeasures()
    frames = []
    for (episode, language), unit in all_tokens.groupby(["episode", "language"], sort=True):
        docs, spans_of = [], {}
        for sid, sent in unit.groupby("sentence_id", sort=True):
            text = text_of.get(sid, "")
            toks = sent["token"].tolist()
            spans = _spans(text, toks)
            run: list[tuple[int, str]] = []  # (token position, lower-case word) of the current run
            gap = 0

            def close() -> None:  # noqa: B023 - called only inside this iteration
                if run:
                    docs.append([w for _, w in run])
                    for (i, w1), (j, w2) in zip(run, run[1:]):
                        surface = text[spans[i][0]:spans[j][1]]
                        forms = spans_of.setdefault((w1, w2), {})
                        forms[surface] = forms.get(surface, 0) + 1
                run.clear()

            for i, (tok, is_word) in enumerate(zip(toks, sent["is_word"])):
                if not is_word:
                    close()
                    gap = 0
                elif is_stopword(tok, language, stopwords_path):
                    gap += 1
                else:
                    if gap > max_gap:
                        close()
                    run.append((i, tok.lower()))
                    gap = 0
            close()
        finder = BigramCollocationFinder.from_documents(docs)
        finder.apply_freq_filter(min_count)
        scored = finder.score_ngrams(measures.likelihood_ratio)
        if not scored:
            continue
        rows = []
        for (w1, w2), llr in scored:
            forms = spans_of.get((w1, w2), {})
            surface = sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if forms else f"{w1} {w2}"
            rows.append({"episode": episode, "language": language, "bigram": f"{w1} {w2}", "surface": surface,
                         "count": int(finder.ngram_fd[(w1, w2)]), "llr": float(llr)})
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


def _concept_regexes(concepts: pd.DataFrame) -> dict[tuple[str, str], re.Pattern]:
    out = {}
    for (concept, language), g in concepts.groupby(["concept", "language"], sort=False):
        pats = sorted(g["pattern"], key=lambda p: (-len(p), p))  # longest first: "north korea" before "korea"
        # a match runs on to the end of its word, so matches read as words ("ingér" → "ingérence")
        alternation = "|".join(f"(?:{p})" for p in pats)
        out[(concept, language)] = re.compile(f"(?:{alternation})" + r"\w*", re.IGNORECASE)
    return out


def concept_matches(text: str, language: str, concepts: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """The matches of every concept in one text: {concept: [matched strings]} (concepts with none left out)."""
    concepts = load_concepts() if concepts is None else concepts
    out = {}
    for (concept, lang), rx in _concept_regexes(concepts).items():
        if lang == language:
            found = [m.group(0) for m in rx.finditer(text)]
            if found:
                out[concept] = found
    return out


def concept_counts(sentences: pd.DataFrame, tokens: pd.DataFrame, concepts: pd.DataFrame | None = None,
                   by_language: bool = False) -> pd.DataFrame:
    """Matches of each concept per episode (languages pooled) or per episode × language, with the
    rate per 1,000 word tokens of the unit. Every concept appears for every unit (count 0 if absent)."""
    concepts = load_concepts() if concepts is None else concepts
    keys = ["episode", "language"] if by_language else ["episode"]
    regexes = _concept_regexes(concepts)
    labels = concepts.drop_duplicates("concept").set_index("concept")["label"]
    rows = []
    for s in sentences.itertuples():
        for (concept, lang), rx in regexes.items():
            if lang == s.language:
                n = sum(1 for _ in rx.finditer(s.text))
                if n:
                    rows.append({"episode": s.episode, "language": s.language, "concept": concept, "count": n})
    hits = pd.DataFrame(rows, columns=["episode", "language", "concept", "count"]).groupby(keys + ["concept"])["count"].sum()
    sizes = tokens[tokens["is_word"]].groupby(keys).size().rename("n_tokens").reset_index()
    grid = sizes.merge(pd.DataFrame({"concept": list(labels.index)}), how="cross")
    grid["label"] = grid["concept"].map(labels)
    grid["count"] = [int(hits.get(tuple(k), 0)) for k in grid[keys + ["concept"]].itertuples(index=False)]
    grid["per_1k"] = 1000.0 * grid["count"] / grid["n_tokens"]
    return grid[keys + ["concept", "label", "count", "n_tokens", "per_1k"]]


def agenda_shift(concept_rates: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Change of each concept's rate between the earliest and the latest episode (episode-level
    :func:`concept_counts`), sorted from the largest rise to the largest fall (ties by concept)."""
    present = [e for e in E.in_order(episodes) if e in set(concept_rates["episode"])]
    cols = ["concept", "label", "first", "last", "per_1k_first", "per_1k_last", "change"]
    if not present:
        return pd.DataFrame(columns=cols)
    first, last = present[0], present[-1]
    wide = concept_rates.pivot_table(index=["concept", "label"], columns="episode", values="per_1k").reset_index()
    out = pd.DataFrame({"concept": wide["concept"], "label": wide["label"], "first": first, "last": last,
                        "per_1k_first": wide[first], "per_1k_last": wide[last]})
    out["change"] = out["per_1k_last"] - out["per_1k_first"]
    return out.sort_values(["change", "concept"], ascending=[False, True]).reset_index(drop=True)[cols]


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
               conc_lang: pd.DataFrame, episodes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The chapter's CSV tables by file name: ``term_frequencies`` (:func:`all_frequencies` + label),
    ``keyness``, ``collocations``, ``concepts_by_language`` (date order) and ``concepts``
    (:func:`concept_counts` + date, by date then concept)."""
    return {
        "term_frequencies": freq.merge(episodes[["episode", "label"]], on="episode", how="left"),
        "keyness": E.sort_by_episode(key, episodes), "collocations": E.sort_by_episode(coll, episodes),
        "concepts": conc.merge(episodes[["episode", "date"]], on="episode").sort_values(["date", "concept"]),
        "concepts_by_language": E.sort_by_episode(conc_lang, episodes),
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
    """The ``top_n`` most frequent terms of each episode, languages together (the rows of the
    frequency figure): episode-level rows of :func:`term_frequencies`, by rate then term."""
    ep = freq[freq["level"] == "episode"]
    out = (ep.sort_values(["episode", "per_1k", "term"], ascending=[True, False, True])
           .groupby("episode", sort=False).head(top_n))
    return out.reset_index(drop=True)


def concept_rates(conc: pd.DataFrame, shift: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Concepts × episodes matrix of ``per_1k`` (episode-level :func:`concept_counts`): index concept
    ids, columns the episodes present, in date order. Rows go from the largest rise to the largest fall
    (:func:`agenda_shift`) when there are two episodes or more, else by decreasing mean rate."""
    present = [e for e in E.in_order(episodes) if e in set(conc["episode"])]
    order = shift["concept"].tolist() if len(present) > 1 else (
        conc.groupby("concept")["per_1k"].mean().sort_values(ascending=False).index.tolist())
    return conc.pivot_table(index="concept", columns="episode", values="per_1k").reindex(index=order, columns=present)


def top_concepts(conc: pd.DataFrame) -> pd.DataFrame:
    """The most mentioned concept of each episode: one row of episode-level :func:`concept_counts`
    per episode, the highest ``per_1k`` (ties by concept id; a row with count 0 when nothing matched)."""
    return (conc.sort_values(["per_1k", "concept"], ascending=[False, True]).drop_duplicates("episode")
            .reset_index(drop=True))


def distinctive_kwic(terms: pd.DataFrame, sentences: pd.DataFrame, key: pd.DataFrame, n: int = 3,
                     width: int = 55) -> pd.DataFrame:
    """:func:`kwic` of the most distinctive over-used term (rank 1 of :func:`keyness`) of each unit.

    Columns: episode, language, term (the stem), surface, then the :func:`kwic` columns (doc_id,
    sentence_id, left, keyword, right). Units in the order of ``key``; units with no over-used term
    have no rows."""
    cols = ["episode", "language", "term", "surface", "doc_id", "sentence_id", "left", "keyword", "right"]
    best = key[key["direction"] == "over"].sort_values("rank", kind="stable").drop_duplicates(["episode", "language"])
    units = key[["episode", "language"]].drop_duplicates().merge(best, on=["episode", "language"])
    frames = []
    for u in units.itertuples():
        kw = kwic(terms, sentences, u.term, u.episode, u.language, n=n, width=width)
        if not kw.empty:
            frames.append(kw.assign(episode=u.episode, language=u.language, term=u.term, surface=u.surface))
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]
