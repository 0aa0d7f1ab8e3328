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
:func:`unit_sizes`         level, episode, language, doc_id, n_tokens (word tokens), n_terms
:func:`term_frequencies`   level ("document", "episode" = episode × language, "language"), episode
                           ("(all)" for language rows), language, doc_id ("" unless level is
                           document), term, surface, count, n_tokens, per_1k, rank (1 = most frequent
                           in the unit; ties by term)
:func:`keyness_coverage`   episode, language, n_tokens, n_reference, reference_episodes, computable,
                           reason
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

Statistics (:func:`log_likelihood`, :func:`log_ratio`) follow Rayson & Garside (2000) and Hardie
(2014); see their docstrings for the formulas. Everything is deterministic.
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

from scripts.corpus import LANGUAGE_NAMES

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
    """Word tokens (the rate denominator, stop words included) and terms per unit of ``level``."""
    keys = _LEVEL_KEYS[level]
    out = (terms.assign(is_term=terms["term"] != "").groupby(keys)
           .agg(n_tokens=("is_term", "size"), n_terms=("is_term", "sum")).reset_index())
    out = _with_level(out, level)
    return out[["level", "episode", "language", "doc_id", "n_tokens", "n_terms"]]


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
def keyness_coverage(terms: pd.DataFrame, episodes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which episode × language units can be compared with a reference in the same language.

    The reference of a unit is every other episode's text in the same language; a unit without one
    (an episode's only English article when no other episode has English text) is not computable.
    """
    sizes = unit_sizes(terms, "episode")
    rows = []
    for r in sizes.itertuples():
        ref = sizes[(sizes["language"] == r.language) & (sizes["episode"] != r.episode)]
        n_ref = int(ref["n_tokens"].sum())
        ok = n_ref > 0
        reason = "" if ok else f"no other episode has {LANGUAGE_NAMES.get(r.language, r.language)} text to compare with"
        rows.append({"episode": r.episode, "language": r.language, "n_tokens": int(r.n_tokens), "n_reference": n_ref,
                     "reference_episodes": ", ".join(sorted(ref["episode"])), "computable": ok, "reason": reason})
    out = pd.DataFrame(rows, columns=["episode", "language", "n_tokens", "n_reference", "reference_episodes", "computable", "reason"])
    if episodes is not None and not out.empty:
        order = dict(zip(episodes["episode"], episodes["order"]))
        out = out.assign(_o=out["episode"].map(order)).sort_values(["_o", "language"]).drop(columns="_o").reset_index(drop=True)
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


def readable_pattern(pattern: str) -> str:
    """A pattern as readers can read it: word boundaries dropped, a bare word start shown with "…"
    ("\\bsyri" → "syri…", "\\bassad\\b" → "assad"); other regular-expression syntax is kept."""
    text = pattern[2:] if pattern.startswith(r"\b") else pattern
    if text.endswith(r"\b"):
        return text[:-2].replace(r"\b", "")
    return text.replace(r"\b", "") + "…"


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
    ordered = episodes.sort_values("order")["episode"].tolist()
    present = [e for e in ordered if e in set(concept_rates["episode"])]
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


# --------------------------------------------------------------------------- tables and sentences for readers
# Everything below shapes the tables and sentences the chapter shows; ``episodes`` is always
# ``corpus.episodes`` (columns episode, label, order): rows follow its date order and episodes are
# named by ``label``. Cells are plain strings; the chapter escapes them with ``report.glue_table``.
CORRECTION_NAMES = {"bh": "Benjamini–Hochberg", "by": "Benjamini–Yekutieli"}
NBSP = "\u00a0"  # no-break space: keeps "[0.45, 3.55]" and "Trump *" on one line in narrow table columns


def _labels(episodes: pd.DataFrame) -> dict[str, str]:
    return dict(zip(episodes["episode"], episodes["label"]))


def _order(episodes: pd.DataFrame) -> dict[str, int]:
    return dict(zip(episodes["episode"], episodes["order"]))


def by_date(df: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """``df`` (columns episode[, language]) with rows in episode date order, then language; rows of an
    episode missing from ``episodes`` (such as "(all)") come first. Other columns are untouched."""
    keys = ["_o", "language"] if "language" in df.columns else ["_o"]
    return (df.assign(_o=df["episode"].map(_order(episodes)).fillna(-1)).sort_values(keys, kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def unit_name(episode: str, language: str, episodes: pd.DataFrame) -> str:
    """How an episode × language unit is named: "<label> (<language name>)", e.g. "Moscow (French)"."""
    return f"{_labels(episodes).get(episode, episode)} ({LANGUAGE_NAMES.get(language, language)})"


def first_only(values) -> list[str]:
    """Blank a value that repeats the one above, so a long table reads as groups of rows:
    ["a", "a", "b", "a"] → ["a", "", "b", "a"]."""
    values = list(values)
    return [v if i == 0 or v != values[i - 1] else "" for i, v in enumerate(values)]


def csv_tables(freq: pd.DataFrame, key: pd.DataFrame, coll: pd.DataFrame, conc: pd.DataFrame,
               conc_lang: pd.DataFrame, episodes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The chapter's CSV tables by file name: ``term_frequencies`` (:func:`all_frequencies` + label),
    ``keyness``, ``collocations``, ``concepts_by_language`` (date order) and ``concepts``
    (:func:`concept_counts` + date, by date then concept)."""
    return {
        "term_frequencies": freq.merge(episodes[["episode", "label"]], on="episode", how="left"),
        "keyness": by_date(key, episodes), "collocations": by_date(coll, episodes),
        "concepts": conc.merge(episodes[["episode", "date"]], on="episode").sort_values(["date", "concept"]),
        "concepts_by_language": by_date(conc_lang, episodes),
    }


def spellings_table(terms: pd.DataFrame, surfaces: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """The ``n`` most frequent stems written in more than one way. Columns: language, "shown as"
    (the surface form), "forms in the texts (count)" ("élections (5), élection (2)", most frequent first)."""
    t = terms[terms["term"] != ""]
    multi = (t.groupby(["language", "term", "lower"]).size().rename("n").reset_index()
             .sort_values(["language", "term", "n", "lower"], ascending=[True, True, False, True]))
    forms = (multi.groupby(["language", "term"])
             .agg(total=("n", "sum"), n_forms=("lower", "size"),
                  forms=("lower", lambda s: ", ".join(f"{w} ({k})" for w, k in zip(s, multi.loc[s.index, "n"]))))
             .reset_index())
    forms = forms.merge(surfaces[["language", "term", "surface"]], on=["language", "term"])
    forms = forms[forms["n_forms"] > 1].sort_values(["total", "term"], ascending=[False, True]).head(n)
    return forms[["language", "surface", "forms"]].rename(
        columns={"surface": "shown as", "forms": "forms in the texts (count)"}).reset_index(drop=True)


def sizes_table(terms: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Word tokens per episode × language. Columns: episode (label), language (name), "word tokens",
    "content tokens" (terms left after stop words), "content share" ("62%")."""
    sizes = by_date(unit_sizes(terms, "episode"), episodes)
    return pd.DataFrame({
        "episode": sizes["episode"].map(_labels(episodes)),
        "language": sizes["language"].map(lambda c: LANGUAGE_NAMES.get(c, c)),
        "word tokens": sizes["n_tokens"], "content tokens": sizes["n_terms"],
        "content share": (sizes["n_terms"] / sizes["n_tokens"]).map("{:.0%}".format)})


def top_terms(freq: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` most frequent terms of each episode, languages together (the rows of the
    frequency figure): episode-level rows of :func:`term_frequencies`, by rate then term."""
    ep = freq[freq["level"] == "episode"]
    out = (ep.sort_values(["episode", "per_1k", "term"], ascending=[True, False, True])
           .groupby("episode", sort=False).head(top_n))
    return out.reset_index(drop=True)


def top_terms_table(freq: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """One column per episode × language (named by :func:`unit_name`, date order), one row per rank:
    "<surface> <per_1k:.1f>" for its ``top_n`` most frequent terms; first column ``rank``."""
    ep = freq[freq["level"] == "episode"]
    wide = {}
    for u in by_date(ep[["episode", "language"]].drop_duplicates(), episodes).itertuples():
        sub = ep[(ep["episode"] == u.episode) & (ep["language"] == u.language)].sort_values(
            ["per_1k", "term"], ascending=[False, True]).head(top_n)
        wide[unit_name(u.episode, u.language, episodes)] = [f"{s} {r:.1f}" for s, r in zip(sub["surface"], sub["per_1k"])]
    tbl = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in wide.items()}).fillna("")
    tbl.insert(0, "rank", range(1, len(tbl) + 1))
    return tbl


def top_frequent_text(freq: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """"<unit>: <surface> (<per_1k:.1f> per 1,000); …." — the most frequent term of each episode × language."""
    firsts = by_date(freq[(freq["level"] == "episode") & (freq["rank"] == 1)], episodes)
    return "; ".join(f"{unit_name(r.episode, r.language, episodes)}: {r.surface} ({r.per_1k:.1f} per 1,000)"
                     for r in firsts.itertuples()) + "."


def concept_rates(conc: pd.DataFrame, shift: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Concepts × episodes matrix of ``per_1k`` (episode-level :func:`concept_counts`): index concept
    ids, columns the episodes present, in date order. Rows go from the largest rise to the largest fall
    (:func:`agenda_shift`) when there are two episodes or more, else by decreasing mean rate."""
    present = [e for e in episodes.sort_values("order")["episode"] if e in set(conc["episode"])]
    order = shift["concept"].tolist() if len(present) > 1 else (
        conc.groupby("concept")["per_1k"].mean().sort_values(ascending=False).index.tolist())
    return conc.pivot_table(index="concept", columns="episode", values="per_1k").reindex(index=order, columns=present)


def concepts_table(conc: pd.DataFrame, shift: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The concepts table readers see, rows as in :func:`concept_rates`. Columns: concept (label), one
    column per episode (label, date order) holding "<per_1k:.2f> (<count>)", and with two episodes or
    more ``change`` (last minus first rate, signed)."""
    heat = concept_rates(conc, shift, episodes)
    labels = conc.drop_duplicates("concept").set_index("concept")["label"]
    tbl = pd.DataFrame({"concept": [labels[c] for c in heat.index]})
    for ep in heat.columns:
        sub = conc[conc["episode"] == ep].set_index("concept")
        tbl[_labels(episodes)[ep]] = [f"{sub.at[c, 'per_1k']:.2f} ({int(sub.at[c, 'count'])})" for c in heat.index]
    if len(heat.columns) > 1:
        tbl["change"] = [f"{v:+.2f}" for v in shift.set_index("concept").loc[heat.index, "change"]]
    return tbl


def patterns_table(concepts: pd.DataFrame) -> pd.DataFrame:
    """The concept dictionary for readers: concept (label), "English patterns", "French patterns"
    (:func:`readable_pattern` forms joined by ", "; file order)."""
    return (concepts.assign(pattern=concepts["pattern"].map(readable_pattern))
            .groupby(["label", "language"], sort=False)["pattern"].apply(", ".join).unstack("language")
            .reindex(columns=["en", "fr"]).fillna("").reset_index()
            .rename(columns={"label": "concept", "en": "English patterns", "fr": "French patterns"}))


def agenda_shift_summary(conc: pd.DataFrame, shift: pd.DataFrame, episodes: pd.DataFrame) -> dict[str, str | float]:
    """The agenda shift in words and numbers: ``agenda_shift_text`` (a sentence), ``rise_concept`` /
    ``fall_concept`` (labels of the first and last rows of :func:`agenda_shift`) and ``rise_change`` /
    ``fall_change`` (their change per 1,000 tokens). With fewer than two episodes: "none" and 0.0."""
    present = [e for e in episodes.sort_values("order")["episode"] if e in set(conc["episode"])]
    if len(present) < 2:
        return {"agenda_shift_text": "The corpus holds a single episode, so there is no change over time to measure.",
                "rise_concept": "none", "rise_change": 0.0, "fall_concept": "none", "fall_change": 0.0}
    first, last = _labels(episodes)[present[0]], _labels(episodes)[present[-1]]
    rise, fall = shift.iloc[0], shift.iloc[-1]
    parts = []
    if rise["change"] > 0:
        parts.append(f"{rise['label']} rises most ({rise['per_1k_first']:.1f} → {rise['per_1k_last']:.1f} per 1,000 "
                     f"tokens, {rise['change']:+.1f})")
    if fall["change"] < 0:
        parts.append(f"{fall['label']} falls most ({fall['per_1k_first']:.1f} → {fall['per_1k_last']:.1f}, "
                     f"{fall['change']:+.1f})")
    text = (f"From {first} to {last}, " + " and ".join(parts) + "." if parts
            else f"From {first} to {last}, no concept's rate changes.")
    return {"agenda_shift_text": text, "rise_concept": str(rise["label"]), "rise_change": float(rise["change"]),
            "fall_concept": str(fall["label"]), "fall_change": float(fall["change"])}


def top_concepts_text(conc: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """"<episode>: <concept label> (<per_1k:.1f> per 1,000); …." — the most mentioned concept of each
    episode (ties by concept id), or "none of the concepts" where nothing matched."""
    top = by_date(conc.sort_values(["per_1k", "concept"], ascending=[False, True]).drop_duplicates("episode"), episodes)
    lab = _labels(episodes)
    return "; ".join(f"{lab[r.episode]}: {r.label} ({r.per_1k:.1f} per 1,000)" if r.count > 0
                     else f"{lab[r.episode]}: none of the concepts" for r in top.itertuples()) + "."


def keyness_units(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The episode × language units that have keyness rows (computable and with a tested term), in
    date order. Columns: episode, language."""
    units = by_date(coverage[coverage["computable"]][["episode", "language"]], episodes)
    tested = set(zip(key["episode"], key["language"]))
    return units[[(e, lang) in tested for e, lang in zip(units["episode"], units["language"])]].reset_index(drop=True)


def keyness_table(key: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` over-used terms of each unit, narrow enough for the page. Columns: episode
    (:func:`unit_name`, first row of each unit only), term (surface, " *" when significant), "count
    (ref.)" (target count, reference count in brackets), G² (.1f), "p adj." (.2g), "Log Ratio" (.2f),
    "95% CI" ("[low, high]"; the spaces in term, count and CI are no-break spaces, :data:`NBSP`); a single ``note`` column when no unit could be compared. Rates and the
    rest are in the CSV."""
    top = by_date(key[(key["direction"] == "over") & (key["rank"] <= top_n)], episodes)
    if top.empty:
        return pd.DataFrame({"note": ["no episode could be compared"]})
    return pd.DataFrame({
        "episode": first_only(unit_name(e, lang, episodes) for e, lang in zip(top["episode"], top["language"])),
        "term": [f"{s}{NBSP}*" if sig else str(s) for s, sig in zip(top["surface"], top["significant"])],
        "count (ref.)": [f"{a}{NBSP}({b})" for a, b in zip(top["count_target"], top["count_reference"])],
        "G²": top["g2"].map("{:.1f}".format), "p adj.": top["p_adj"].map("{:.2g}".format),
        "Log Ratio": top["log_ratio"].map("{:.2f}".format),
        "95% CI": [f"[{a:.2f},{NBSP}{b:.2f}]" for a, b in zip(top["ci_low"], top["ci_high"])],
    })


def coverage_table(coverage: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`keyness_coverage` for readers. Columns: episode (:func:`unit_name`), "word tokens",
    "reference tokens", reference (labels of the reference episodes in date order, or "none"),
    keyness ("computed" or "not computable: <reason>")."""
    lab, order = _labels(episodes), _order(episodes)
    return pd.DataFrame({
        "episode": [unit_name(e, lang, episodes) for e, lang in zip(coverage["episode"], coverage["language"])],
        "word tokens": coverage["n_tokens"], "reference tokens": coverage["n_reference"],
        "reference": ["; ".join(lab.get(x, x) for x in sorted(r.split(", "), key=lambda e: order.get(e, -1))) if r else "none"
                      for r in coverage["reference_episodes"]],
        "keyness": ["computed" if ok else f"not computable: {why}" for ok, why in zip(coverage["computable"], coverage["reason"])],
    })


def _unit_tested(key: pd.DataFrame, episode: str, language: str) -> pd.DataFrame:
    return key[(key["episode"] == episode) & (key["language"] == language)]


def top_terms_text(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, min_count: int, n: int = 3) -> str:
    """One clause per unit of ``coverage``, joined by "; ", ending with ".": the unit's ``n`` over-used
    terms with the highest G², saying which pass the corrected test. As G² ranks the terms and the
    correction keeps the order of p-values, the significant ones come first:

    - all significant: "<unit>: w1, w2, w3 (all significant)"
    - some: "<unit>: w1, w2 (significant), then w3 (not significant)"
    - none: "<unit>: none significant (highest G²: w1, w2, w3)"
    - "<unit>: not computable (<reason>)", "<unit>: no term occurs <min_count> times or more" (nothing
      tested), "<unit>: no tested term is over-used".
    """
    from scripts.report import plural

    over = key[key["direction"] == "over"]
    parts = []
    for c in coverage.itertuples():
        name = unit_name(c.episode, c.language, episodes)
        sub = _unit_tested(over, c.episode, c.language).sort_values("rank").head(n)
        if not c.computable:
            parts.append(f"{name}: not computable ({c.reason})")
        elif _unit_tested(key, c.episode, c.language).empty:
            parts.append(f"{name}: no term occurs {plural(min_count, 'time')} or more")
        elif sub.empty:
            parts.append(f"{name}: no tested term is over-used")
        else:
            sig = sub["significant"].astype(bool)
            yes, no = list(sub.loc[sig, "surface"].astype(str)), list(sub.loc[~sig, "surface"].astype(str))
            if not no:
                parts.append(f"{name}: " + ", ".join(yes) + (" (all significant)" if len(yes) > 1 else " (significant)"))
            elif not yes:
                parts.append(f"{name}: none significant (highest G²: " + ", ".join(no) + ")")
            else:
                parts.append(f"{name}: " + ", ".join(yes) + " (significant), then " + ", ".join(no) + " (not significant)")
    return "; ".join(parts) + "." if parts else "No episode could be compared."


def significant_text(key: pd.DataFrame) -> str:
    """How many tested terms are significantly over-used, as a sentence without final stop:
    "5 of the 312 tested terms are significantly over-used", "1 of the 4 tested terms is …", "none of the 4
    tested terms is significantly over-used", "the only tested term is (not) significantly over-used", or
    "no term was tested"."""
    n_tested, n_sig = int(len(key)), int(key.loc[key["direction"] == "over", "significant"].astype(bool).sum())
    if n_tested == 0:
        return "no term was tested"
    if n_tested == 1:
        return f"the only tested term is {'' if n_sig else 'not '}significantly over-used"
    if n_sig == 0:
        return f"none of the {n_tested:,} tested terms is significantly over-used"
    return f"{n_sig:,} of the {n_tested:,} tested terms {'is' if n_sig == 1 else 'are'} significantly over-used"


def tested_terms_text(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, min_count: int) -> str:
    """A sentence giving the number of terms tested in each comparable episode × language (date order):
    "Terms tested per episode and language: Moscow (French): 312; Sochi (French): 288." /
    "No term is tested: no episode has another episode's text in its language to compare with." /
    "No term is tested: no term occurs <min_count> times or more in a comparable episode."."""
    from scripts.report import plural

    units = by_date(coverage[coverage["computable"]][["episode", "language"]], episodes)
    if units.empty:
        return "No term is tested: no episode has another episode's text in its language to compare with."
    counts = [(unit_name(u.episode, u.language, episodes), len(_unit_tested(key, u.episode, u.language)))
              for u in units.itertuples()]
    if not any(k for _, k in counts):
        return f"No term is tested: no term occurs {plural(min_count, 'time')} or more in a comparable episode."
    return "Terms tested per episode and language: " + "; ".join(f"{name}: {k:,}" for name, k in counts) + "."


def keyness_findings_text(key: pd.DataFrame, coverage: pd.DataFrame, correction_name: str, alpha: float) -> str:
    """The Findings sentence on keyness: "Word by word, <significant_text> against the other episodes
    of the same language (log-likelihood, <correction> correction at α = 0.05)." or, when nothing could
    be tested, why."""
    if coverage.empty or not bool(coverage["computable"].any()):
        return ("Word by word, no episode could be compared with another in the same language, so no term "
                "was tested for distinctiveness.")
    if key.empty:
        return "Word by word, no term was frequent enough in a comparable episode to be tested for distinctiveness."
    return (f"Word by word, {significant_text(key)} in their episode against the other episodes of the same language "
            f"(log-likelihood, {correction_name} correction at α = {alpha:.2f}).")


def length_spread_text(terms: pd.DataFrame) -> str:
    """How unequal the articles are, as a clause: "here from 120 to 9,000 word tokens per article, the
    longest 75 times the shortest", "here from 120 to 150 word tokens per article", or "here a single
    article of 1,234 word tokens" (word tokens as in :func:`unit_sizes`, level document)."""
    from scripts.report import plural

    sizes = unit_sizes(terms, "document")["n_tokens"]
    if sizes.empty:
        return "here no article has a word"
    if len(sizes) == 1:
        return f"here a single article of {plural(int(sizes.iloc[0]), 'word token')}"
    lo, hi = int(sizes.min()), int(sizes.max())
    text = f"here from {lo:,} to {hi:,} word tokens per article"
    ratio = hi / lo if lo else float("inf")
    if ratio >= 2:
        text += f", the longest {ratio:.0f} times the shortest"
    return text


def not_computable_text(coverage: pd.DataFrame, episodes: pd.DataFrame) -> str:
    """A sentence naming the units without a same-language reference (and why), or saying there are none."""
    bad = coverage[~coverage["computable"]]
    if bad.empty:
        return "Every episode has a reference text in its language."
    from scripts.report import join_words

    return ("Not computable: " + join_words([f"{unit_name(r.episode, r.language, episodes)} ({r.reason})" for r in bad.itertuples()])
            + "; its terms still appear in the frequency tables and its concepts in the agenda above.")


def kwic_table(terms: pd.DataFrame, sentences: pd.DataFrame, key: pd.DataFrame, units: pd.DataFrame,
               episodes: pd.DataFrame, n: int = 3, width: int = 55) -> pd.DataFrame:
    """:func:`kwic` for the most distinctive term of each unit (rows of :func:`keyness_units`).
    Columns: episode and term (first row of each unit only), doc, left, keyword, right; a single
    ``note`` column when there is nothing to show."""
    over = key[key["direction"] == "over"]
    rows = []
    for u in units.itertuples():
        best = over[(over["episode"] == u.episode) & (over["language"] == u.language)].sort_values("rank").head(1)
        if best.empty:
            continue
        kw = kwic(terms, sentences, best.iloc[0]["term"], u.episode, u.language, n=n, width=width)
        kw.insert(0, "term", best.iloc[0]["surface"])
        kw.insert(0, "episode", unit_name(u.episode, u.language, episodes))
        rows.append(kw)
    if not rows:
        return pd.DataFrame({"note": ["no distinctive term to show"]})
    tbl = pd.concat(rows, ignore_index=True)
    tbl["episode"] = first_only(tbl["episode"])
    tbl["term"] = [t if e else "" for t, e in zip(tbl["term"], tbl["episode"])]
    return tbl.drop(columns=["sentence_id"]).rename(columns={"doc_id": "doc"})


def collocations_table(coll: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 8) -> pd.DataFrame:
    """The ``top_n`` strongest collocations of each unit. Columns: episode (:func:`unit_name`, first
    row of each unit only), rank, collocation (surface), count, "G² (LLR)" (.1f); a single ``note``
    column when there is none."""
    show = by_date(coll[coll["rank"] <= top_n], episodes)
    if show.empty:
        return pd.DataFrame({"note": ["no pair of words is frequent enough"]})
    return pd.DataFrame({
        "episode": first_only(unit_name(e, lang, episodes) for e, lang in zip(show["episode"], show["language"])),
        "rank": show["rank"].astype(int), "collocation": show["surface"],
        "count": show["count"].astype(int), "G² (LLR)": show["llr"].map("{:.1f}".format),
    })
