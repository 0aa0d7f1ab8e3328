"""Tone of the coverage: general sentiment (VADER) and diplomatic tone (cooperation vs. confrontation
vocabulary) per sentence, their coverage, aggregates with bootstrap intervals, episode-to-episode
shifts with permutation tests, within-article trajectories, word shifts and validation against a
hand-coded sample.

Instruments
-----------
* English sentiment: NLTK's VADER engine (``nltk.sentiment.vader.SentimentIntensityAnalyzer``) with
  the lexicon shipped by the ``vaderSentiment`` package (copied, without its trailing newline, to a
  cache folder that is appended to ``nltk.data.path``: NLTK 3.10 loads lexicons only from there).
* French sentiment: the same NLTK engine, subclassed (:class:`FrenchSentimentIntensityAnalyzer`) with
  a French lexicon from a package (``vaderSentiment-fr``'s ``fr_lexicon.txt``, default, or
  ``textblob-fr``'s ``fr-sentiment.xml``, polarity x 4) and French rules read from
  ``scripts/data/tone_fr_fixes.yml``: elisions split, French negation scopes ("ne ... pas",
  "n'... plus", "jamais", "aucun", "sans"; "plus" alone is *not* a negator), French boosters, "mais"
  as the contrast word, lexicon overrides.
* Diplomatic tone: the bilingual lexicon ``scripts/data/diplomatic_lexicon.yml`` (entries with English
  and French regular expressions, pole, weight, negation effect).

Tables (pandas DataFrames)
--------------------------
:func:`score_texts` / :func:`score_sentences` add to a frame with ``text`` and ``language`` columns:
    vader_compound (-1..1), vader_words (word tokens the engine sees), vader_hits (of them in its
    lexicon), coop_weight, conf_weight (summed weights after negation), cooperation_index
    ((coop - conf) / (coop + conf), 0 when no entry), dip_words (word tokens), dip_hits (word tokens
    inside matched entries), dip_entries (";"-joined ``entry:+w`` / ``entry:-w`` contributions).
:func:`diplomatic_matches`: sentence_id, entry, pole, weight, surface, start, end, negated, effect
    (flip/cancel), contribution (signed weight counted: + cooperation, - confrontation, 0 cancelled).
:func:`summarise`: level, key, measure, estimate, ci_low, ci_high, n (the ``tone_summary.csv`` rows).
:func:`episode_shifts`: pair (consecutive / first-last), episode_from, episode_to, date_from, date_to,
    language, measure, estimate_from, estimate_to, difference, ci_low, ci_high, p_value, n_from, n_to;
    :func:`all_shifts` adds p_adjusted (Benjamini–Hochberg over all rows of the stacked table).
:func:`trajectory`: bin, bin_low, bin_high, bin_mid, measure, estimate, ci_low, ci_high, n.
:func:`word_shift`: entry, pole, rate_from, rate_to, difference (change in summed signed weight per
    sentence), n_from, n_to.
:func:`coverage`: episode, language, lexicon, tokens, tokens_scored, token_share, sentences,
    sentences_scored, sentence_share.
:func:`validate`: measure, n, spearman_rho, spearman_p, krippendorff_alpha, accuracy, threshold.

Aggregates are means of the per-sentence measure over all sentences of a group (a sentence without
lexicon words counts as 0, neutral); intervals are percentile bootstrap intervals resampling
sentences (seeded). Everything is deterministic for a given seed.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import krippendorff
import nltk
import numpy as np
import pandas as pd
import yaml
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants
from scipy import stats

DATA_DIR = Path(__file__).resolve().parent / "data"
FR_FIXES_FILE = DATA_DIR / "tone_fr_fixes.yml"
DIPLOMATIC_FILE = DATA_DIR / "diplomatic_lexicon.yml"
#: the hand-coded validation sample (see scripts/data/validation/tone_guidelines.md)
ANNOTATIONS_FILE = Path(__file__).resolve().parent / "data" / "validation" / "tone_annotations.csv"
MEASURES = ("vader_compound", "cooperation_index")
MEASURE_LABELS = {"vader_compound": "VADER compound", "cooperation_index": "cooperation index"}
#: thresholds mapping a measure to three classes: > t -> +1, < -t -> -1, else 0. VADER's are the
#: conventional ones of Hutto & Gilbert (compound >= 0.05 positive, <= -0.05 negative).
CLASS_THRESHOLDS = {"vader_compound": 0.05, "cooperation_index": 0.0}
FRENCH_LEXICONS = ("vader-fr", "textblob-fr")
_WORD = re.compile(r"\w+'|\w+(?:-\w+)*")


# =========================================================================== lexicon files
def _site_file(package: str, name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed: pip install it (see requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / name


def lexicon_cache_dir() -> Path:
    """Folder holding NLTK-readable copies of the lexicons; appended to ``nltk.data.path``.

    ``TONE_CACHE_DIR`` overrides the default ``<tmp>/tone_lexicons``.
    """
    folder = Path(os.environ.get("TONE_CACHE_DIR") or Path(tempfile.gettempdir()) / "tone_lexicons")
    folder.mkdir(parents=True, exist_ok=True)
    if str(folder) not in nltk.data.path:
        nltk.data.path.append(str(folder))
    return folder


def _write_lexicon(entries: dict[str, float], stem: str) -> str:
    """Write ``word<TAB>valence`` lines (no trailing newline: NLTK's loader breaks on it); return the
    resource name to give NLTK. The name carries a hash of the content, so edits never hit a stale copy."""
    body = "\n".join(f"{w}\t{v:g}" for w, v in sorted(entries.items()) if w and "\t" not in w and "\n" not in w)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    folder = lexicon_cache_dir()
    name = f"{stem}_{digest}.txt"
    path = folder / name
    if not path.exists():
        tmp = folder / f".{name}.{os.getpid()}"
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, path)
    return name


def read_vader_lexicon(path: Path | str) -> dict[str, float]:
    """word -> valence from a VADER lexicon file (tab-separated, as in ``vaderSentiment``)."""
    out = {}
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        parts = line.strip("\n").split("\t")
        if len(parts) >= 2 and parts[0]:
            out[parts[0]] = float(parts[1])
    return out


def read_vader_fr_lexicon(path: Path | str | None = None) -> dict[str, float]:
    """word -> valence from ``vaderSentiment-fr``'s ``fr_lexicon.txt`` (``word->valence`` lines)."""
    path = path or _site_file("vaderSentiment_fr", "fr_lexicon.txt")
    out = {}
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if "->" in line:
            word, value = line.rsplit("->", 1)
            try:
                out[word.strip().lower()] = float(value)
            except ValueError:
                continue
    return out


def read_textblob_fr_lexicon(path: Path | str | None = None) -> dict[str, float]:
    """word -> valence from ``textblob-fr``'s ``fr-sentiment.xml``: the mean polarity of a form's
    senses (-1..1) times 4, VADER's scale; forms with mean polarity 0 are left out."""
    path = path or _site_file("textblob_fr", "fr-sentiment.xml")
    senses: dict[str, list[float]] = {}
    for el in ET.parse(path).getroot().iter("word"):
        form, pol = el.get("form"), el.get("polarity")
        if form and pol is not None:
            senses.setdefault(form.lower(), []).append(float(pol))
    return {w: round(4 * float(np.mean(v)), 3) for w, v in senses.items() if abs(np.mean(v)) > 1e-9}


@cache
def load_fr_fixes(path: str | None = None) -> dict:
    """The French rules of ``scripts/data/tone_fr_fixes.yml`` (negation, boosters, overrides)."""
    return yaml.safe_load(Path(path or FR_FIXES_FILE).read_text(encoding="utf-8"))


def french_lexicon(choice: str = "vader-fr", fixes: dict | None = None) -> dict[str, float]:
    """The French sentiment lexicon ``choice`` (one of :data:`FRENCH_LEXICONS`) with the overrides of
    the fixes file applied (a null override deletes the word)."""
    if choice not in FRENCH_LEXICONS:
        raise ValueError(f"french_lexicon {choice!r} unknown: use one of {', '.join(FRENCH_LEXICONS)}")
    lex = read_vader_fr_lexicon() if choice == "vader-fr" else read_textblob_fr_lexicon()
    fixes = fixes or load_fr_fixes()
    for word, value in (fixes.get("lexicon_overrides") or {}).items():
        if value is None:
            lex.pop(str(word), None)
        else:
            lex[str(word)] = float(value)
    return lex


# =========================================================================== negation scopes
def _norm(word: str) -> str:
    w = word.lower().strip(".,;:!?«»\"“”()[]")
    return w


def french_negation_scope(words: Sequence[str], fixes: dict | None = None) -> set[int]:
    """Indices of ``words`` inside a French negation (rules of ``tone_fr_fixes.yml``).

    "ne/n' ... closer": from the opener to ``after_closer`` words after the closer (closer excluded);
    "ne ... que" negates nothing; a standalone negator ("jamais", "aucun", "sans", "pas") negates the
    next ``window`` words. "plus" without "ne" negates nothing ("plus de tensions" = more tensions).
    """
    neg = (fixes or load_fr_fixes())["negation"]
    openers, closers = set(neg["openers"]), set(neg["closers"])
    standalone, not_neg = set(neg["standalone"]), set(neg.get("not_negating") or [])
    gap, after, window = int(neg["max_gap"]), int(neg["after_closer"]), int(neg["window"])
    w = [_norm(x) for x in words]
    n = len(w)

    phrases = [p.split() for p in not_neg]

    def phrase_at(i: int) -> int:
        """Length of a not-negating phrase starting at word i (0 if none)."""
        return max((len(p) for p in phrases if w[i:i + len(p)] == p), default=0)

    scope: set[int] = set()
    used: set[int] = set()
    for i, word in enumerate(w):
        if i in used:
            continue
        k = phrase_at(i)
        if k:
            used.update(range(i, i + k))
            continue
        if word in openers:
            found = None
            for j in range(i + 1, min(n, i + 2 + gap)):
                if w[j] in ("que", "qu'"):
                    found = ("que", j)
                    break
                if w[j] in closers:
                    found = ("closer", j)
                    break
            if found and found[0] == "que":
                continue
            if found:
                j = found[1]
                used.add(j)
                if phrase_at(j):
                    used.update(range(j, j + phrase_at(j)))
                    continue
                scope.update(range(i + 1, j))
                scope.update(range(j + 1, min(n, j + 1 + after)))
            else:
                scope.update(range(i + 1, min(n, i + 1 + window)))
        elif word in standalone:
            scope.update(range(i + 1, min(n, i + 1 + window)))
    return scope


def english_negation_scope(words: Sequence[str], extra: Iterable[str] = (), window: int = 3) -> set[int]:
    """Indices of ``words`` within ``window`` words after an English negator (NLTK's VADER NEGATE
    list, any "n't" word, plus ``extra``)."""
    negators = set(VaderConstants.NEGATE) | set(extra)
    scope: set[int] = set()
    for i, word in enumerate(words):
        w = _norm(word)
        if w in negators or "n't" in w:
            scope.update(range(i + 1, min(len(words), i + 1 + window)))
    return scope


_QUOTES = re.compile(r'["“”«»„]')


def pad_quotes(text: str) -> str:
    """Put spaces around quotation marks. NLTK's VADER tokenizer strips only one punctuation mark
    from each side of a word, so ``terrorism",`` or ``"unacceptable"-`` would miss the lexicon (the
    ``vaderSentiment`` reference strips them all); padding makes both see the same words."""
    return _QUOTES.sub(lambda m: f" {m.group(0)} ", text)


def split_elisions(text: str, fixes: dict | None = None) -> str:
    """Insert a space after French elided words ("l'ingérence" -> "l' ingérence")."""
    pattern = (fixes or load_fr_fixes())["elisions"]
    return re.sub(pattern, lambda m: m.group(0) + " ", pad_quotes(text))


# =========================================================================== sentiment engines
class FrenchVaderConstants(VaderConstants):
    """VADER constants with French boosters/dampeners (the NLTK increments B_INCR/B_DECR kept)."""

    def __init__(self, fixes: dict):
        super().__init__()
        self.BOOSTER_DICT = {**{w: self.B_INCR for w in fixes.get("boosters", [])},
                             **{w: self.B_DECR for w in fixes.get("dampeners", [])}}
        self.SPECIAL_CASE_IDIOMS = {}
        self.NEGATE = set()  # French negation is handled by scopes (see FrenchSentimentIntensityAnalyzer)


class FrenchSentimentIntensityAnalyzer(SentimentIntensityAnalyzer):
    """NLTK's VADER engine with a French lexicon and French rules.

    Differences from the English engine, all driven by ``tone_fr_fixes.yml``: elisions are split
    before tokenising; the English negation check (the previous three words) is replaced by French
    negation scopes (:func:`french_negation_scope`): a lexicon word inside a scope is multiplied by
    VADER's N_SCALAR (-0.74) once; boosters are French; the but-rule uses "mais".
    """

    def __init__(self, lexicon_file: str, fixes: dict | None = None):
        super().__init__(lexicon_file=lexicon_file)
        self.fixes = fixes or load_fr_fixes()
        self.constants = FrenchVaderConstants(self.fixes)
        self.contrast = set(self.fixes.get("contrast") or ["mais"])
        self._scope: set[int] = set()

    def words(self, text: str) -> list[str]:
        """The tokens the engine scores (after splitting elisions)."""
        text = split_elisions(text, self.fixes)
        return SentiText(text, self.constants.PUNC_LIST, self.constants.REGEX_REMOVE_PUNCTUATION).words_and_emoticons

    def polarity_scores(self, text: str) -> dict[str, float]:
        text = split_elisions(text, self.fixes)
        words = SentiText(text, self.constants.PUNC_LIST, self.constants.REGEX_REMOVE_PUNCTUATION).words_and_emoticons
        self._scope = french_negation_scope(words, self.fixes)
        return super().polarity_scores(text)

    def sentiment_valence(self, valence, sentitext, item, i, sentiments):
        sentiments = super().sentiment_valence(valence, sentitext, item, i, sentiments)
        if item.lower() in self.lexicon and i in self._scope:
            sentiments[-1] = sentiments[-1] * self.constants.N_SCALAR
        return sentiments

    def _never_check(self, valence, words_and_emoticons, start_i, i):
        return valence  # English "never/not" rules off: French scopes apply in sentiment_valence

    def _but_check(self, words_and_emoticons, sentiments):
        lower = [w.lower() for w in words_and_emoticons]
        hits = [k for k, w in enumerate(lower) if w in self.contrast]
        if hits:
            bi = hits[0]
            for k, s in enumerate(sentiments):
                if k < bi:
                    sentiments[k] = s * 0.5
                elif k > bi:
                    sentiments[k] = s * 1.5
        return sentiments


class EnglishSentimentIntensityAnalyzer(SentimentIntensityAnalyzer):
    """NLTK's VADER engine, unchanged except that quotation marks are padded with spaces first
    (:func:`pad_quotes`)."""

    def words(self, text: str) -> list[str]:
        """The tokens the engine scores."""
        return SentiText(pad_quotes(text), self.constants.PUNC_LIST, self.constants.REGEX_REMOVE_PUNCTUATION).words_and_emoticons

    def polarity_scores(self, text: str) -> dict[str, float]:
        return super().polarity_scores(pad_quotes(text))


@cache
def english_analyzer() -> EnglishSentimentIntensityAnalyzer:
    """NLTK's VADER engine with the ``vaderSentiment`` package's English lexicon."""
    lex = read_vader_lexicon(_site_file("vaderSentiment", "vader_lexicon.txt"))
    return EnglishSentimentIntensityAnalyzer(lexicon_file=_write_lexicon(lex, "vader_en"))


@cache
def french_analyzer(choice: str = "vader-fr") -> FrenchSentimentIntensityAnalyzer:
    """:class:`FrenchSentimentIntensityAnalyzer` on the French lexicon ``choice``."""
    fixes = load_fr_fixes()
    return FrenchSentimentIntensityAnalyzer(_write_lexicon(french_lexicon(choice, fixes), f"fr_{choice}"), fixes)


def analyzer(language: str, french_lexicon_choice: str = "vader-fr"):
    """The sentiment engine for ``language`` ("en" or "fr")."""
    if language == "fr":
        return french_analyzer(french_lexicon_choice)
    if language == "en":
        return english_analyzer()
    raise ValueError(f"no sentiment engine for language {language!r}: use 'en' or 'fr'")


def reference_compound(texts: Iterable[str]) -> list[float]:
    """Compound scores of the ``vaderSentiment`` reference implementation (English)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as Reference

    ref = Reference()
    return [float(ref.polarity_scores(t)["compound"]) for t in texts]


def vader_agreement(texts: Sequence[str], same_input: bool = True) -> dict[str, float]:
    """NLTK engine (this module's English analyzer) vs. ``vaderSentiment`` on the same texts:
    n, max_abs_diff, mean_abs_diff, pearson_r, share_identical (|diff| < 1e-4).

    ``same_input``: the reference also gets the quote-padded text (compares the engines); False
    gives it the raw text (compares this pipeline with the reference used as is)."""
    texts = list(texts)
    ours, ref = _engine_pair(texts, same_input)
    diff = np.abs(ours - ref)
    r = float(stats.pearsonr(ours, ref)[0]) if len(texts) > 2 and ours.std() > 0 and ref.std() > 0 else float("nan")
    return {"n": int(len(texts)), "max_abs_diff": float(diff.max()) if len(diff) else float("nan"),
            "mean_abs_diff": float(diff.mean()) if len(diff) else float("nan"), "pearson_r": r,
            "share_identical": float((diff < 1e-4).mean()) if len(diff) else float("nan")}


# =========================================================================== diplomatic lexicon
@cache
def _diplomatic_yaml(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def load_diplomatic_lexicon(path: Path | str | None = None) -> pd.DataFrame:
    """The entries of ``diplomatic_lexicon.yml``: id, pole, weight, en, fr, negated (flip/cancel).

    Raises ValueError naming the entry when a field is missing or a pattern does not compile."""
    raw = _diplomatic_yaml(str(path or DIPLOMATIC_FILE))
    rows = []
    for e in raw["entries"]:
        if e.get("pole") not in ("cooperation", "confrontation") or e.get("negated") not in ("flip", "cancel"):
            raise ValueError(f"diplomatic lexicon entry {e.get('id')!r}: pole must be cooperation/confrontation and negated flip/cancel")
        for lang in ("en", "fr"):
            try:
                re.compile(e.get(lang) or "")
            except re.error as err:
                raise ValueError(f"diplomatic lexicon entry {e['id']!r}: bad {lang} pattern ({err})") from None
        rows.append({"id": str(e["id"]), "pole": e["pole"], "weight": float(e["weight"]),
                     "en": e.get("en") or "", "fr": e.get("fr") or "", "negated": e["negated"]})
    return pd.DataFrame(rows, columns=["id", "pole", "weight", "en", "fr", "negated"])


def diplomatic_settings(path: Path | str | None = None) -> dict:
    """The ``negation`` settings of the diplomatic lexicon file."""
    return _diplomatic_yaml(str(path or DIPLOMATIC_FILE))["negation"]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text.lower())]


def match_diplomatic(text: str, language: str, lexicon: pd.DataFrame | None = None,
                     settings: dict | None = None) -> list[dict]:
    """Lexicon matches in one sentence: entry, pole, weight, surface, start, end, negated, effect,
    contribution (+weight cooperation, -weight confrontation; the other sign when a negated "flip"
    entry, 0 when a negated "cancel" entry). Overlaps: the earliest, then longest, match wins."""
    lexicon = load_diplomatic_lexicon() if lexicon is None else lexicon
    settings = settings or diplomatic_settings()
    lower = text.lower()
    found = []
    for e in lexicon.itertuples():
        pattern = getattr(e, language, "") if language in ("en", "fr") else ""
        if not pattern:
            continue
        for m in re.finditer(rf"\b(?:{pattern})(?!\w)", lower):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), m.end(), e))
    found.sort(key=lambda x: (x[0], x[1]))
    kept, last_end = [], -1
    for start, _, end, e in found:
        if start >= last_end:
            kept.append((start, end, e))
            last_end = end
    if not kept:
        return []
    toks = _tokens(text)
    words = [t[0] for t in toks]
    if language == "fr":
        scope = french_negation_scope(words)
        neg = load_fr_fixes()["negation"]
        after_negators = set(neg["openers"])
    else:
        scope = english_negation_scope(words, settings.get("en", []), int(settings.get("before", 3)))
        after_negators = set(VaderConstants.NEGATE) | set(settings.get("en", []))
    after = int(settings.get("after", 3))
    out = []
    for start, end, e in kept:
        idx = [k for k, (_, s, t) in enumerate(toks) if s < end and t > start]
        first, last = (idx[0], idx[-1]) if idx else (None, None)
        negated = first is not None and first in scope
        if not negated and last is not None:
            follow = [_norm(w) for w in words[last + 1:last + 1 + after]]
            negated = any(w in after_negators or "n't" in w for w in follow)
        sign = 1.0 if e.pole == "cooperation" else -1.0
        contribution = sign * e.weight
        if negated:
            contribution = -contribution if e.negated == "flip" else 0.0
        out.append({"entry": e.id, "pole": e.pole, "weight": e.weight, "surface": text[start:end],
                    "start": start, "end": end, "negated": bool(negated), "effect": e.negated if negated else "",
                    "contribution": float(contribution), "n_words": len(idx)})
    return out


def cooperation_index(contributions: Sequence[float]) -> tuple[float, float, float]:
    """(coop, conf, index) from signed contributions: index = (coop - conf) / (coop + conf), 0 if none."""
    coop = float(sum(c for c in contributions if c > 0))
    conf = float(-sum(c for c in contributions if c < 0))
    return coop, conf, (coop - conf) / (coop + conf) if coop + conf > 0 else 0.0


# =========================================================================== scoring
def score_texts(frame: pd.DataFrame, french_lexicon_choice: str = "vader-fr",
                lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Copy of ``frame`` (needs ``text`` and ``language``) with the sentiment and diplomatic columns
    listed in the module docstring. Languages other than en/fr get NaN sentiment and no matches."""
    lexicon = load_diplomatic_lexicon() if lexicon is None else lexicon
    rows = []
    for text, lang in zip(frame["text"].astype(str), frame["language"].astype(str)):
        row: dict = {}
        if lang in ("en", "fr"):
            eng = analyzer(lang, french_lexicon_choice)
            row["vader_compound"] = float(eng.polarity_scores(text)["compound"])
            words = eng.words(text)
            words = [w.lower() for w in words if any(c.isalpha() for c in w)]
            row["vader_words"] = len(words)
            row["vader_hits"] = sum(1 for w in words if w in eng.lexicon)
        else:
            row.update(vader_compound=float("nan"), vader_words=0, vader_hits=0)
        matches = match_diplomatic(text, lang, lexicon) if lang in ("en", "fr") else []
        coop, conf, idx = cooperation_index([m["contribution"] for m in matches])
        row.update(coop_weight=coop, conf_weight=conf, cooperation_index=idx,
                   dip_words=sum(1 for t, _, _ in _tokens(text) if any(c.isalpha() for c in t)),
                   dip_hits=sum(m["n_words"] for m in matches),
                   dip_entries=";".join(f"{m['entry']}:{m['contribution']:+g}" for m in matches))
        rows.append(row)
    cols = ["vader_compound", "vader_words", "vader_hits", "coop_weight", "conf_weight", "cooperation_index",
            "dip_words", "dip_hits", "dip_entries"]
    out = frame.reset_index(drop=True).copy()
    scores = pd.DataFrame(rows, columns=cols)
    for c in cols:
        out[c] = scores[c].values
    return out


def score_sentences(sentences: pd.DataFrame, french_lexicon_choice: str = "vader-fr",
                    lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sentences table of :func:`scripts.corpus.load_corpus` with the measure columns added."""
    return score_texts(sentences, french_lexicon_choice, lexicon)


def diplomatic_matches(sentences: pd.DataFrame, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per lexicon match: doc_id, episode, language, sentence_id, entry, pole, weight, surface,
    start, end, negated, effect, contribution."""
    lexicon = load_diplomatic_lexicon() if lexicon is None else lexicon
    rows = []
    for r in sentences.itertuples():
        for m in match_diplomatic(str(r.text), str(r.language), lexicon):
            rows.append({"doc_id": r.doc_id, "episode": r.episode, "language": r.language,
                         "sentence_id": r.sentence_id, **m})
    cols = ["doc_id", "episode", "language", "sentence_id", "entry", "pole", "weight", "surface", "start", "end",
            "negated", "effect", "contribution"]
    return pd.DataFrame(rows, columns=cols + ["n_words"])[cols]


def attach_actors(scored: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """``scored`` with an ``actors`` column: the ";"-joined sorted actor ids mentioned in each sentence."""
    out = scored.copy()
    if mentions is None or mentions.empty:
        out["actors"] = ""
        return out
    joined = mentions.groupby("sentence_id")["actor"].agg(lambda s: ";".join(sorted({a for a in s if a})))
    out["actors"] = out["sentence_id"].map(joined).fillna("")
    return out


# =========================================================================== statistics
def bootstrap_ci(values: Sequence[float], n_boot: int = 2000, seed: int = 0,
                 level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): percentile bootstrap interval of the mean (scipy.stats.bootstrap), seeded.

    NaN for no values; for one value, or all values equal, the interval is that value."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return float("nan"), float("nan"), float("nan")
    est = float(x.mean())
    if len(x) == 1 or np.all(x == x[0]):
        return est, est, est
    res = stats.bootstrap((x,), np.mean, n_resamples=int(n_boot), confidence_level=level, method="percentile",
                          vectorized=True, rng=np.random.default_rng(seed))
    return est, float(res.confidence_interval.low), float(res.confidence_interval.high)


def bootstrap_diff_ci(a: Sequence[float], b: Sequence[float], n_boot: int = 2000, seed: int = 0,
                      level: float = 0.95) -> tuple[float, float, float]:
    """(mean(b) - mean(a), low, high): percentile bootstrap resampling each group independently."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return float("nan"), float("nan"), float("nan")
    est = float(b.mean() - a.mean())
    if (len(a) < 2 and len(b) < 2) or (np.all(a == a[0]) and np.all(b == b[0])):
        return est, est, est
    rng = np.random.default_rng(seed)
    ia = rng.integers(0, len(a), size=(int(n_boot), len(a)))
    ib = rng.integers(0, len(b), size=(int(n_boot), len(b)))
    diffs = b[ib].mean(axis=1) - a[ia].mean(axis=1)
    alpha = (1 - level) / 2
    return est, float(np.quantile(diffs, alpha)), float(np.quantile(diffs, 1 - alpha))


def permutation_pvalue(a: Sequence[float], b: Sequence[float], n_perm: int = 9999, seed: int = 0) -> float:
    """Two-sided permutation p-value for a difference in means (scipy.stats.permutation_test, exact
    when the number of distinct relabellings is at most ``n_perm``). NaN if a group is empty."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    if np.all(np.concatenate([a, b]) == a[0]):
        return 1.0

    def diff(x, y, axis=-1):
        return np.mean(y, axis=axis) - np.mean(x, axis=axis)

    res = stats.permutation_test((a, b), diff, permutation_type="independent", n_resamples=int(n_perm),
                                 alternative="two-sided", vectorized=True, rng=np.random.default_rng(seed))
    return float(res.pvalue)


def summarise(frame: pd.DataFrame, by: str | list[str], level: str, measures: Sequence[str] = MEASURES,
              n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Mean of each measure per group of ``by`` with a bootstrap 95% interval and the number of rows:
    columns level, key ("|"-joined group values), measure, estimate, ci_low, ci_high, n."""
    by = [by] if isinstance(by, str) else list(by)
    rows = []
    if not frame.empty:
        for key, group in frame.groupby(by, sort=False):
            key = key if isinstance(key, tuple) else (key,)
            for m in measures:
                est, lo, hi = bootstrap_ci(group[m].to_numpy(), n_boot, seed)
                rows.append({"level": level, "key": "|".join(map(str, key)), "measure": m, "estimate": est,
                             "ci_low": lo, "ci_high": hi, "n": int(group[m].notna().sum())})
    return pd.DataFrame(rows, columns=["level", "key", "measure", "estimate", "ci_low", "ci_high", "n"])


def episode_shifts(scored: pd.DataFrame, episodes: pd.DataFrame, measure: str, n_boot: int = 2000,
                   seed: int = 0, n_perm: int = 9999, language: str | None = None) -> pd.DataFrame:
    """Differences of a measure between consecutive episodes (date order) and between the first and
    the last episode, among sentences of ``language`` (all if None): bootstrap interval of the
    difference and permutation p-value. Episodes without such sentences are skipped."""
    data = scored if language is None else scored[scored["language"] == language]
    eps = episodes.sort_values("order")
    present = [e for e in eps["episode"] if (data["episode"] == e).any()]
    dates = dict(zip(eps["episode"], eps["date"]))
    pairs = [("consecutive", a, b) for a, b in zip(present, present[1:])]
    if len(present) > 2:
        pairs.append(("first-last", present[0], present[-1]))
    rows = []
    for kind, a, b in pairs:
        xa = data.loc[data["episode"] == a, measure].dropna().to_numpy()
        xb = data.loc[data["episode"] == b, measure].dropna().to_numpy()
        diff, lo, hi = bootstrap_diff_ci(xa, xb, n_boot, seed)
        rows.append({"pair": kind, "episode_from": a, "episode_to": b, "date_from": dates[a], "date_to": dates[b],
                     "language": language or "all", "measure": measure, "estimate_from": float(xa.mean()),
                     "estimate_to": float(xb.mean()), "difference": diff, "ci_low": lo, "ci_high": hi,
                     "p_value": permutation_pvalue(xa, xb, n_perm, seed), "n_from": len(xa), "n_to": len(xb)})
    cols = ["pair", "episode_from", "episode_to", "date_from", "date_to", "language", "measure", "estimate_from",
            "estimate_to", "difference", "ci_low", "ci_high", "p_value", "n_from", "n_to"]
    return pd.DataFrame(rows, columns=cols)


def headline_language(scored: pd.DataFrame, preferred: str = "fr") -> str | None:
    """``preferred`` if its sentences cover at least two episodes, else None (= all languages)."""
    if preferred and scored.loc[scored["language"] == preferred, "episode"].nunique() >= 2:
        return preferred
    return None


def trajectory(scored: pd.DataFrame, measure: str, n_bins: int = 5, n_boot: int = 2000,
               seed: int = 0) -> pd.DataFrame:
    """Mean of ``measure`` by relative position in the article (``position`` 0..1, ``n_bins`` equal
    bins) with bootstrap intervals: bin, bin_low, bin_high, bin_mid, measure, estimate, ci_low, ci_high, n."""
    edges = np.linspace(0, 1, int(n_bins) + 1)
    bins = np.clip(np.digitize(scored["position"].to_numpy(), edges[1:-1], right=False), 0, n_bins - 1)
    rows = []
    for k in range(int(n_bins)):
        vals = scored.loc[bins == k, measure].to_numpy()
        est, lo, hi = bootstrap_ci(vals, n_boot, seed)
        rows.append({"bin": k, "bin_low": edges[k], "bin_high": edges[k + 1], "bin_mid": (edges[k] + edges[k + 1]) / 2,
                     "measure": measure, "estimate": est, "ci_low": lo, "ci_high": hi, "n": int(len(vals))})
    return pd.DataFrame(rows)


def word_shift(matches: pd.DataFrame, scored: pd.DataFrame, episode_from: str, episode_to: str,
               language: str | None = None) -> pd.DataFrame:
    """Which lexicon entries drive the change of the diplomatic tone between two episodes.

    For each entry: rate = summed signed contribution (weight, + cooperation / - confrontation, after
    negation) per sentence of the episode; difference = rate_to - rate_from (positive: pushes the later
    episode towards cooperation). Columns entry, pole, rate_from, rate_to, difference, n_from, n_to,
    sorted by |difference|."""
    s = scored if language is None else scored[scored["language"] == language]
    m = matches if language is None else matches[matches["language"] == language]
    n_from, n_to = int((s["episode"] == episode_from).sum()), int((s["episode"] == episode_to).sum())
    cols = ["entry", "pole", "rate_from", "rate_to", "difference", "n_from", "n_to"]
    m = m[m["episode"].isin([episode_from, episode_to]) & m["sentence_id"].isin(s["sentence_id"])]
    if m.empty or not n_from or not n_to:
        return pd.DataFrame(columns=cols)
    sums = m.pivot_table(index=["entry", "pole"], columns="episode", values="contribution", aggfunc="sum", fill_value=0.0)
    out = pd.DataFrame({"rate_from": sums.get(episode_from, 0.0) / n_from, "rate_to": sums.get(episode_to, 0.0) / n_to}).reset_index()
    out["difference"] = out["rate_to"] - out["rate_from"]
    out["n_from"], out["n_to"] = n_from, n_to
    out = out[out["difference"].abs() > 1e-12]
    return out.reindex(out["difference"].abs().sort_values(ascending=False).index)[cols].reset_index(drop=True)


def coverage(scored: pd.DataFrame) -> pd.DataFrame:
    """Share of word tokens and of sentences each lexicon scores, per episode and language."""
    rows = []
    for (ep, lang), g in scored.groupby(["episode", "language"], sort=False):
        for name, words, hits in (("sentiment (VADER)", "vader_words", "vader_hits"),
                                  ("diplomatic", "dip_words", "dip_hits")):
            tokens, scored_tokens = int(g[words].sum()), int(g[hits].sum())
            n_scored = int((g[hits] > 0).sum())
            rows.append({"episode": ep, "language": lang, "lexicon": name, "tokens": tokens,
                         "tokens_scored": scored_tokens, "token_share": scored_tokens / tokens if tokens else float("nan"),
                         "sentences": int(len(g)), "sentences_scored": n_scored,
                         "sentence_share": n_scored / len(g) if len(g) else float("nan")})
    return pd.DataFrame(rows, columns=["episode", "language", "lexicon", "tokens", "tokens_scored", "token_share",
                                       "sentences", "sentences_scored", "sentence_share"])


# =========================================================================== validation
def to_classes(values: Sequence[float], threshold: float) -> np.ndarray:
    """Three classes: +1 above ``threshold``, -1 below ``-threshold``, 0 otherwise (inclusive of +-t
    when t = 0: exactly 0 is neutral)."""
    x = np.asarray(values, dtype=float)
    return np.where(x > threshold, 1, np.where(x < -threshold, -1, 0)) if threshold > 0 else np.sign(x).astype(int)


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


def validate(annotations: pd.DataFrame, scored: pd.DataFrame, measures: Sequence[str] = MEASURES,
             thresholds: dict[str, float] | None = None) -> pd.DataFrame:
    """Agreement of each measure with the hand labels on the aligned sentences: Spearman rho (scipy)
    on the raw measure, Krippendorff's alpha (ordinal) and accuracy on its three classes."""
    thresholds = {**CLASS_THRESHOLDS, **(thresholds or {})}
    merged = annotations.merge(scored[["sentence_id", "text", *measures]], on=["sentence_id", "text"], how="inner")
    rows = []
    for m in measures:
        d = merged.dropna(subset=[m])
        labels, values = d["label"].to_numpy(), d[m].to_numpy()
        classes = to_classes(values, thresholds[m])
        rho, p = (stats.spearmanr(values, labels) if len(d) > 2 else (float("nan"), float("nan")))
        alpha = (krippendorff.alpha(reliability_data=np.vstack([labels, classes]).astype(float),
                                    level_of_measurement="ordinal", value_domain=[-1, 0, 1])
                 if len(d) > 1 and len(set(labels) | set(classes)) > 1 else float("nan"))
        rows.append({"measure": m, "n": int(len(d)), "spearman_rho": float(rho), "spearman_p": float(p),
                     "krippendorff_alpha": float(alpha), "accuracy": float((labels == classes).mean()) if len(d) else float("nan"),
                     "threshold": float(thresholds[m])})
    return pd.DataFrame(rows)


def score_quotes(quotes: pd.DataFrame, documents: pd.DataFrame, min_words: int = 3,
                 french_lexicon_choice: str = "vader-fr", lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attributed quotations (``actors.find_quotes`` rows with a speaker and at least ``min_words``
    words) scored like sentences on their quoted words: the quote columns plus language, text and
    the measure columns of :func:`score_texts`.

    Words are counted as in the actors chapter: its ``n_words`` column (runs of ``\\w+``), computed
    the same way when the column is missing, so both chapters keep the same quotations."""
    lang = dict(zip(documents["doc_id"], documents["language"]))
    q = quotes[(quotes["actor"].astype(str) != "")].copy()
    q["text"] = q["quote"].astype(str)
    n_words = q["n_words"] if "n_words" in q.columns else q["text"].map(quote_words)
    q = q[n_words.astype(int) >= int(min_words)]
    q["language"] = q["doc_id"].map(lang)
    if q.empty:
        return score_texts(pd.DataFrame(columns=[*quotes.columns, "text", "language"]), french_lexicon_choice, lexicon)
    return score_texts(q, french_lexicon_choice, lexicon)


def quote_words(text: str) -> int:
    """Words of a quotation as the actors chapter counts them (``actors.find_quotes`` ``n_words``):
    runs of ``\\w+``, so "l'ingérence" is two words and "U.S." two."""
    return len(re.findall(r"\w+", str(text)))


def actor_sentences(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, actor mentioned in it), from the ";"-joined ``actors`` column."""
    rows = scored[scored["actors"].astype(str) != ""].assign(actor=lambda d: d["actors"].str.split(";"))
    return rows.explode("actor").reset_index(drop=True)


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


# =========================================================================== chapter tables and sentences
#: columns of ``tone_sentences.csv`` (one row per sentence), in order
SENTENCE_COLUMNS = ["doc_id", "episode", "language", "sentence_id", "position", "text", "vader_compound",
                    "cooperation_index", "actors", "vader_words", "vader_hits", "coop_weight", "conf_weight",
                    "dip_words", "dip_hits", "dip_entries"]
SHORT_MEASURE_LABELS = {"vader_compound": "VADER", "cooperation_index": "coop. index"}


def _labels(episodes: pd.DataFrame) -> dict[str, str]:
    return dict(zip(episodes["episode"], episodes["label"]))


def _rank(episodes: pd.DataFrame) -> dict[str, int]:
    """episode -> position in date order (0 = earliest)."""
    return {e: i for i, e in enumerate(episodes.sort_values("order")["episode"])}


def _lang_name(code: str) -> str:
    from .corpus import LANGUAGE_NAMES

    return LANGUAGE_NAMES.get(code, code)


def _ci(low: float, high: float) -> str:
    return f"[{low:+.2f}, {high:+.2f}]"


def _engine_pair(texts: Sequence[str], same_input: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(NLTK engine compounds, reference compounds) for ``texts`` (see :func:`vader_agreement`)."""
    texts = list(texts)
    ours = np.array([english_analyzer().polarity_scores(t)["compound"] for t in texts], dtype=float)
    ref = np.array(reference_compound([pad_quotes(t) for t in texts] if same_input else texts), dtype=float)
    return ours, ref


def has_negation(text: str) -> bool:
    """True when ``text`` holds an English negation word: NLTK's VADER ``VaderConstants.NEGATE``, any
    "n't" word, or "no" (which both engines treat by special rules of their own), the words whose rules
    the two VADER implementations handle differently."""
    words = [_norm(w) for w in pad_quotes(text).split()]
    return any(w in VaderConstants.NEGATE or w == "no" or "n't" in w for w in words)


def vader_agreement_text(scored: pd.DataFrame) -> str:
    """One paragraph comparing NLTK's VADER engine with the ``vaderSentiment`` reference on the English
    sentences of ``scored`` (same padded input, then raw text); says so when there is no English.

    A cause of the differences is named only when there are differences, and only as far as it is
    checked: how many of the differing sentences hold a negation word (:func:`has_negation`)."""
    from .report import plural

    en_texts = scored.loc[scored["language"] == "en", "text"].tolist()
    if not en_texts:
        return "The corpus has no English sentence, so the NLTK engine was not compared with the reference implementation."
    agree = vader_agreement(en_texts, same_input=True)
    raw = vader_agreement(en_texts, same_input=False)

    def r_of(a):
        return f"Pearson r = {a['pearson_r']:.2f}" if np.isfinite(a["pearson_r"]) else "Pearson r undefined"

    text = (f"On the {plural(agree['n'], 'English sentence')}, NLTK's VADER engine and the vaderSentiment reference "
            f"give identical compound scores (within 0.0001) for {agree['share_identical']:.0%} of them "
            f"({r_of(agree)}, mean absolute difference {agree['mean_abs_diff']:.3f}, largest {agree['max_abs_diff']:.2f})")
    if agree["max_abs_diff"] > 1e-4:
        ours, ref = _engine_pair(en_texts, same_input=True)
        differing = [t for t, a, b in zip(en_texts, ours, ref) if abs(a - b) > 1e-4]
        n_neg = sum(has_negation(t) for t in differing)
        if n_neg == len(differing):
            who = {1: "the one sentence", 2: "both sentences"}.get(len(differing), f"all {len(differing)} sentences")
            text += (f"; {who} where they differ hold{'s' if len(differing) == 1 else ''} a negation word "
                     "(\"no\", \"not\", \"never\"…), which the two implementations handle differently.")
        elif n_neg:
            text += (f"; {n_neg} of the {plural(len(differing), 'sentence')} where they differ hold a negation "
                     "word (\"no\", \"not\", \"never\"…), which the two implementations handle differently.")
        else:
            text += (f"; none of the {plural(len(differing), 'sentence')} where they differ holds a negation word, "
                     "so the cause is not identified here.")
    else:
        text += "."
    if raw["max_abs_diff"] > agree["max_abs_diff"] + 1e-4 or raw["share_identical"] < agree["share_identical"]:
        text += (f" Given the raw text instead of the quote-padded one, the reference agrees less ({r_of(raw)}, largest "
                 f"difference {raw['max_abs_diff']:.2f}): it misses words glued to quotation marks.")
    else:
        text += " Given the raw text instead of the quote-padded one, the reference agrees as well: padding changes nothing here."
    return text


def coverage_table(cov: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The coverage table as readers see it, from :func:`coverage`: episode (label), language (name),
    lexicon, words scored ("scored / all"), share of words ("5%"), sentences scored ("scored / all"),
    share of sentences ("40%"); episodes in date order, then language and lexicon."""
    rank = _rank(episodes)
    out = cov.assign(episode=cov["episode"].map(_labels(episodes)), _o=cov["episode"].map(rank),
                     language=cov["language"].map(_lang_name),
                     tokens=cov["tokens_scored"].astype(str) + " / " + cov["tokens"].astype(str),
                     sents=cov["sentences_scored"].astype(str) + " / " + cov["sentences"].astype(str),
                     token_share=cov["token_share"].map(_pct), sentence_share=cov["sentence_share"].map(_pct))
    out = out.sort_values(["_o", "language", "lexicon"])[["episode", "language", "lexicon", "tokens", "token_share",
                                                          "sents", "sentence_share"]]
    return out.rename(columns={"tokens": "words scored", "token_share": "share of words", "sents": "sentences scored",
                               "sentence_share": "share of sentences"})


def _pct(x: float) -> str:
    """0.053 -> "5%"; NaN -> "–"."""
    return f"{x:.0%}" if pd.notna(x) else "–"


def _pct_range(lo: float, hi: float) -> str:
    """"5%" when both round alike, else "5% to 40%"."""
    return _pct(lo) if _pct(lo) == _pct(hi) else f"{_pct(lo)} to {_pct(hi)}"


def coverage_text(cov: pd.DataFrame) -> str:
    """The coverage sentence of the chapter from :func:`coverage`: the largest share of words a lexicon
    scores in any episode and language, and the range of the share of sentences with a scored word."""
    if cov.empty:
        return "The corpus has no sentence to score."
    return (f"Each lexicon scores at most {_pct(cov['token_share'].max())} of the words in any episode and "
            f"language, and finds at least one scored word in {_pct_range(cov['sentence_share'].min(), cov['sentence_share'].max())} "
            "of the sentences; the other sentences count as neutral (0) in every average below.")


VALIDATION_COLUMNS = ["measure", "n", "spearman_rho", "spearman_p", "krippendorff_alpha", "accuracy", "threshold"]


def validate_sample(annotations: pd.DataFrame, sentences: pd.DataFrame,
                    scored: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(aligned, misaligned, results): the annotations that still match ``sentences`` (id and text),
    the :func:`check_annotations` problems, and :func:`validate` on the aligned ones (empty frame with
    the :func:`validate` columns when none align)."""
    misaligned = check_annotations(annotations, sentences)
    aligned = annotations[~annotations["sentence_id"].isin(misaligned["sentence_id"])]
    results = validate(aligned, scored) if len(aligned) else pd.DataFrame(columns=VALIDATION_COLUMNS)
    return aligned, misaligned, results


def validation_text(results: pd.DataFrame, n_aligned: int, n_misaligned: int, in_sample: bool = False) -> str:
    """The sentence reporting agreement with the hand coding (Spearman rho, Krippendorff's alpha,
    accuracy per measure), or why there is none: no annotation aligns, or too few (1-2) do.

    ``in_sample``: the sample is the bundled one, coded on the articles that were read to write the
    diplomatic lexicon, by the lexicon's author; the figures are then flagged as in-sample."""
    from .report import plural

    if n_aligned >= 3 and len(results):
        parts = [f"{MEASURE_LABELS[r.measure]}: Spearman ρ = {r.spearman_rho:.2f}, Krippendorff's α = "
                 f"{r.krippendorff_alpha:.2f}, {r.accuracy:.0%} of the three classes right" for r in results.itertuples()]
        text = (f"Against {plural(n_aligned, 'hand-coded sentence')} (−1 confrontational, 0 neutral, +1 cooperative): "
                + "; ".join(parts) + ".")
        if in_sample:
            text += (" These are in-sample figures: the hand-coded sentences come from the articles that were read to "
                     "write the diplomatic lexicon, and one coder, who also wrote the lexicon, coded them, so agreement "
                     "on other articles is likely lower.")
        return text
    if n_aligned > 0:
        return (f"Only {plural(n_aligned, 'hand-coded sentence')} of the sample "
                f"{'belongs' if n_aligned == 1 else 'belong'} to this corpus ({n_misaligned} of the others do not align): "
                "too few to measure agreement, so the measures are not validated here.")
    return (f"None of the hand-coded sentences belongs to this corpus ({plural(n_misaligned, 'annotation')} "
            f"{'does' if n_misaligned == 1 else 'do'} not align), so the measures are not validated here.")


def sample_text(annotations: pd.DataFrame, aligned: pd.DataFrame, sentences: pd.DataFrame,
                guidelines: str | None = None) -> str:
    """Where the hand-coded sample comes from, as far as it aligns with this corpus: how many sentences,
    from how many articles, in which languages, their classes, and how many annotations were left out.
    ``guidelines``: path of the coding guidelines to name (None: not named)."""
    from .report import join_words, plural

    n_all, n = len(annotations), len(aligned)
    how = f" following written guidelines ({guidelines})" if guidelines else ""
    if n == 0:
        return (f"The hand-coded sample holds {plural(n_all, 'sentence')}, coded as cooperative, neutral or "
                f"confrontational{how}, and is matched to the corpus by sentence id and text.")
    m = aligned.merge(sentences[["sentence_id", "doc_id", "language"]].rename(columns={"doc_id": "_doc"}),
                      on="sentence_id", how="left")
    langs = join_words([_lang_name(c) for c in sorted(m["language"].dropna().unique())])
    counts = label_counts(aligned)
    left = n_all - n
    rest = ("every annotation of the sample aligns" if left == 0 else
            f"{plural(left, 'annotation')} of the sample {'does' if left == 1 else 'do'} not align and "
            f"{'is' if left == 1 else 'are'} left out")
    return (f"{plural(n, 'sentence')} of this corpus, from {plural(int(m['_doc'].nunique()), 'article')} in {langs}, "
            f"{'was' if n == 1 else 'were'} coded by hand as cooperative, neutral or confrontational{how}: "
            f"{counts[1]} cooperative, {counts[0]} neutral and {counts[-1]} confrontational. The sample is matched to "
            f"the corpus by sentence id and text; {rest}.")


def validation_comparison_text(results: pd.DataFrame, n_aligned: int) -> str:
    """Which measure agrees more with the hand coding (Spearman ρ compared in code), or why the
    comparison cannot be made."""
    rho = dict(zip(results["measure"], results["spearman_rho"])) if len(results) else {}
    v, c = rho.get("vader_compound", float("nan")), rho.get("cooperation_index", float("nan"))
    if n_aligned < 3 or not (np.isfinite(v) and np.isfinite(c)):
        return "The two measures cannot be compared with the hand coding here."
    if round(v, 2) == round(c, 2):
        return f"Here VADER and the cooperation index agree equally with the hand coding (Spearman ρ = {v:.2f})."
    word = "less" if v < c else "more"
    return (f"Here VADER agrees {word} with the hand coding than the cooperation index does "
            f"(Spearman ρ = {v:.2f} against {c:.2f}).")


def validation_table(results: pd.DataFrame) -> pd.DataFrame:
    """:func:`validate` results for readers: measure (label), n, Spearman ρ, p (ρ), Krippendorff α
    (ordinal), accuracy, three classes (the thresholds as a rule)."""
    out = results.assign(measure=results["measure"].map(MEASURE_LABELS),
                         threshold=results["threshold"].map(lambda t: f"> {t:g} → +1, < −{t:g} → −1" if t
                                                            else "> 0 → +1, < 0 → −1"))
    return out[VALIDATION_COLUMNS].rename(columns={"spearman_rho": "Spearman ρ", "spearman_p": "p (ρ)",
                                                   "krippendorff_alpha": "Krippendorff α (ordinal)",
                                                   "threshold": "three classes"})


def label_counts(annotations: pd.DataFrame) -> dict[int, int]:
    """Number of hand labels per class: {1: cooperative, 0: neutral, -1: confrontational}."""
    counts = annotations["label"].value_counts()
    return {k: int(counts.get(k, 0)) for k in (1, 0, -1)}


def all_shifts(scored: pd.DataFrame, episodes: pd.DataFrame, n_boot: int = 2000, seed: int = 0,
               n_perm: int = 9999, language: str | None = None) -> pd.DataFrame:
    """:func:`episode_shifts` for every measure of :data:`MEASURES`, stacked, plus ``p_adjusted``: the
    permutation p-values adjusted for the number of comparisons in the table (Benjamini–Hochberg,
    ``scipy.stats.false_discovery_control``), the correction the keyness section also uses."""
    out = pd.concat([episode_shifts(scored, episodes, m, n_boot, seed, n_perm, language) for m in MEASURES],
                    ignore_index=True)
    return out.assign(p_adjusted=bh_adjust(out["p_value"]))


def bh_adjust(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (``scipy.stats.false_discovery_control``); NaN stays NaN
    and does not count as a comparison."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def tone_summary(scored: pd.DataFrame, quoted: pd.DataFrame, shifts: pd.DataFrame, n_boot: int = 2000,
                 seed: int = 0) -> pd.DataFrame:
    """The rows of ``tone_summary.csv`` (columns of :func:`summarise`): level "document" (key doc_id),
    "episode", "episode_language" (key "episode|language"), "actor" (sentences mentioning the actor,
    key "actor|episode"), "quote_actor" (quotations, key "actor|episode") and "shift" (key
    "from→to|language", estimate = difference, n = sentences of both episodes)."""
    parts = [summarise(scored, "doc_id", "document", n_boot=n_boot, seed=seed),
             summarise(scored, "episode", "episode", n_boot=n_boot, seed=seed),
             summarise(scored, ["episode", "language"], "episode_language", n_boot=n_boot, seed=seed),
             summarise(actor_sentences(scored), ["actor", "episode"], "actor", n_boot=n_boot, seed=seed),
             summarise(quoted, ["actor", "episode"], "quote_actor", n_boot=n_boot, seed=seed)]
    parts.append(shifts.assign(level="shift", key=shifts["episode_from"] + "→" + shifts["episode_to"] + "|" + shifts["language"],
                               estimate=shifts["difference"], n=shifts["n_from"] + shifts["n_to"])
                 [["level", "key", "measure", "estimate", "ci_low", "ci_high", "n"]])
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def summary_level(summary: pd.DataFrame, level: str, names: Sequence[str]) -> pd.DataFrame:
    """The rows of one ``level`` of :func:`tone_summary` with the "|"-joined key split into ``names``
    columns (e.g. ``["episode", "language"]``)."""
    rows = summary[summary["level"] == level].copy()
    if len(rows):
        rows[list(names)] = rows["key"].str.split("|", expand=True)
    else:
        rows = rows.assign(**{n: pd.Series(dtype=str) for n in names})
    return rows


def episode_table(ep_lang: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Per episode and language (date order, then language code): episode (label), language (name),
    sentences, then one column per measure label holding "estimate [low, high]".
    ``ep_lang``: :func:`summary_level` rows of level episode_language."""
    labels, rank = _labels(episodes), _rank(episodes)
    rows = []
    for r in ep_lang[ep_lang["measure"] == MEASURES[0]].itertuples():
        row = {"episode": labels[r.episode], "language": _lang_name(r.language), "sentences": int(r.n)}
        for m in MEASURES:
            x = ep_lang[(ep_lang["episode"] == r.episode) & (ep_lang["language"] == r.language) & (ep_lang["measure"] == m)].iloc[0]
            row[MEASURE_LABELS[m]] = f"{x.estimate:+.2f} {_ci(x.ci_low, x.ci_high)}"
        rows.append((rank[r.episode], r.language, row))
    return pd.DataFrame([r for _, _, r in sorted(rows, key=lambda t: (t[0], t[1]))])


def headline_text(scored: pd.DataFrame, shifts: pd.DataFrame, episodes: pd.DataFrame, language: str | None,
                  n_boot: int = 2000, seed: int = 0) -> str:
    """The headline sentence: the cooperation index of the last shift row of ``shifts`` (first-last when
    there are more than two episodes, else the only pair), both episodes' means with bootstrap
    intervals among ``language`` sentences (all if None), the difference, its interval, the permutation
    p-value and, when ``shifts`` has ``p_adjusted``, the Benjamini–Hochberg one over the whole table.

    "rose"/"fell" only when the interval of the difference excludes 0; otherwise the sentence says
    which mean was higher and that the interval does not distinguish the difference from zero."""
    from .report import plural

    labels = _labels(episodes)
    coop = shifts[shifts["measure"] == "cooperation_index"]
    if not len(coop):
        return "The corpus has a single episode, so no change of tone between episodes can be measured."
    r = coop.iloc[-1]

    def ci_of(ep):
        d = scored[(scored["episode"] == ep) & ((scored["language"] == language) if language else True)]["cooperation_index"]
        return bootstrap_ci(d.to_numpy(), n_boot, seed)

    e1, l1, h1 = ci_of(r.episode_from)
    e2, l2, h2 = ci_of(r.episode_to)
    def mean(e, lo, hi, n, first):
        return f"{e:+.2f} ({'95% CI ' if first else ''}{lo:+.2f} to {hi:+.2f}, {plural(int(n), 'sentence')})"

    a = mean(e1, l1, h1, r.n_from, True)
    b = mean(e2, l2, h2, r.n_to, False)
    where = f"In {_lang_name(language)} sentences" if language else "In all sentences (languages pooled)"
    diff = f"a difference of {r.difference:+.2f} ({r.ci_low:+.2f} to {r.ci_high:+.2f})"
    p = f"permutation p = {r.p_value:.3f}"
    if "p_adjusted" in shifts.columns and pd.notna(r.p_adjusted):
        p += (f" before and {r.p_adjusted:.3f} after Benjamini–Hochberg correction over the "
              f"{plural(int(shifts['p_adjusted'].notna().sum()), 'comparison')} of the shift table")
    if r.ci_low > 0 or r.ci_high < 0:
        verb = "rose" if r.difference > 0 else "fell"
        return (f"{where}, the cooperation index {verb} from {a} in {labels[r.episode_from]} to {b} in "
                f"{labels[r.episode_to]}: {diff}, {p}.")
    if r.difference == 0:
        return (f"{where}, the cooperation index was the same in {labels[r.episode_from]}, {a}, and in "
                f"{labels[r.episode_to]}, {b}; {p}.")
    word = "higher" if r.difference > 0 else "lower"
    a, b = mean(e1, l1, h1, r.n_from, False), mean(e2, l2, h2, r.n_to, True)
    return (f"{where}, the cooperation index was {word} in {labels[r.episode_to]}, {b}, than in "
            f"{labels[r.episode_from]}, {a}: {diff}, which the interval does not distinguish from zero; {p}.")


def pick_headline_language(scored: pd.DataFrame, requested: str = "") -> tuple[str | None, str]:
    """(language of the headline comparison or None for all languages pooled, reason).

    ``requested``: a language code overrides the choice when its sentences cover two episodes or more
    (reason "requested", else None and "requested-missing"); "all" pools all languages ("all").
    Empty: chosen from the data, the language whose sentences cover the most episodes, ties broken by
    the number of sentences (reason "auto"); None and "no-language" when no language covers two
    episodes. A corpus with fewer than two episodes gives (None, "single-episode")."""
    if scored["episode"].nunique() < 2:
        return None, "single-episode"
    requested = (requested or "").strip()
    if requested == "all":
        return None, "all"
    if requested:
        ok = scored.loc[scored["language"] == requested, "episode"].nunique() >= 2
        return (requested, "requested") if ok else (None, "requested-missing")
    per = scored.groupby("language").agg(episodes=("episode", "nunique"), sentences=("episode", "size"))
    per = per.sort_values(["episodes", "sentences"], ascending=False)
    if not len(per) or per["episodes"].iloc[0] < 2:
        return None, "no-language"
    return str(per.index[0]), "auto"


def headline_language_text(scored: pd.DataFrame | str | None, language: str | None = None, reason: str = "auto",
                           requested: str = "") -> str:
    """The sentence saying which sentences the headline comparison uses and why, from
    :func:`pick_headline_language`'s ``(language, reason)``; ``requested`` is the parameter value (named
    when it could not be used).

    For backward compatibility a single argument (a language code or None) gives just the name
    ("French", or "all languages")."""
    from .report import plural

    if not isinstance(scored, pd.DataFrame):
        return _lang_name(scored) if scored else "all languages"
    langs = sorted(scored["language"].dropna().unique())
    n_eps = scored["episode"].nunique()
    instruments = "the languages are scored with different lexicons, so mixing them would mix instruments"
    pooled = (f"all its sentences, which are all {_lang_name(langs[0])}" if len(langs) == 1
              else "all languages pooled; they are scored with different lexicons, so a difference between "
                   "episodes may partly be a difference between instruments")
    if reason == "single-episode":
        return "A headline comparison needs two episodes or more."
    if reason == "all":
        return f"As the headline_language parameter asks, the headline comparison uses {pooled}."
    if reason == "no-language":
        return f"No language has sentences in two episodes, so the headline comparison uses {pooled}."
    if reason == "requested-missing":
        asked = f" ({_lang_name(requested)})" if requested else ""
        return (f"The headline language requested by the headline_language parameter{asked} has sentences in fewer "
                f"than two episodes, so the headline comparison uses {pooled}.")
    name = _lang_name(language)
    if len(langs) == 1:
        return f"The headline comparison uses {name} sentences, the only language of the corpus."
    if reason == "requested":
        return f"The headline comparison uses {name} sentences only, as the headline_language parameter asks; {instruments}."
    from .report import join_words

    per = scored.groupby("language")["episode"].nunique()
    covered = int(per[language])
    n_sent = int((scored["language"] == language).sum())
    tied = [_lang_name(l) for l in per.index if l != language and per[l] == covered]
    why = (f"{name} has sentences in {covered} of the {plural(n_eps, 'episode')}, as many as {join_words(tied)}, "
           f"and more sentences ({n_sent})" if tied else
           f"{name} has sentences in more episodes than any other language ({covered} of {n_eps})")
    return f"The headline comparison uses {name} sentences only: {why}; {instruments}."


def shift_table(shifts: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """:func:`all_shifts` rows for readers, narrow enough for the ~700 px page column: comparison
    ("label → label"), measure (short label), before → after (the two means), difference [95% CI]
    ("+d [low, high]"), "p (raw / BH)" (permutation p-value and Benjamini–Hochberg adjusted one, 3
    decimals; raw only when ``shifts`` has no ``p_adjusted``), sentences ("n_from / n_to"), all text.
    Numbers are kept together by no-break spaces, so cells wrap only between the parts."""
    labels = _labels(episodes)
    nb = "\u00a0"
    adj = shifts["p_adjusted"] if "p_adjusted" in shifts.columns else pd.Series([float("nan")] * len(shifts))
    return pd.DataFrame({
        "comparison": [f"{labels[a]} → {labels[b]}" for a, b in zip(shifts["episode_from"], shifts["episode_to"])],
        "measure": shifts["measure"].map(SHORT_MEASURE_LABELS),
        "before → after": [f"{a:+.2f}{nb}→ {b:+.2f}" for a, b in zip(shifts["estimate_from"], shifts["estimate_to"])],
        "difference [95% CI]": [f"{d:+.2f} [{lo:+.2f},{nb}{hi:+.2f}]"
                                for d, lo, hi in zip(shifts["difference"], shifts["ci_low"], shifts["ci_high"])],
        "p (raw / BH)": [f"{p:.3f}" + (f"{nb}/{nb}{q:.3f}" if pd.notna(q) else "") for p, q in zip(shifts["p_value"], adj)],
        "sentences": [f"{a}{nb}/{nb}{b}" for a, b in zip(shifts["n_from"], shifts["n_to"])],
    })


def bilingual_episodes(documents: pd.DataFrame, episodes: pd.DataFrame) -> list[str]:
    """Episodes (date order) whose articles are in more than one language."""
    n = documents.groupby("episode")["language"].nunique()
    return [e for e in episodes.sort_values("order")["episode"] if n.get(e, 0) > 1]


def language_table(documents: pd.DataFrame, ep_lang: pd.DataFrame, cov: pd.DataFrame,
                   episodes: pd.DataFrame) -> pd.DataFrame:
    """For each bilingual episode and language: episode (label), language (name), documents (doc_ids),
    one column per measure label ("estimate [low, high]"), and "sentences scored (VADER / diplomatic)"
    (coverage shares). A one-cell "note" frame when no episode is bilingual."""
    labels = _labels(episodes)
    rows = []
    for e in bilingual_episodes(documents, episodes):
        for lang in sorted(documents.loc[documents["episode"] == e, "language"].unique()):
            row = {"episode": labels[e], "language": _lang_name(lang),
                   "documents": ", ".join(documents.loc[(documents["episode"] == e) & (documents["language"] == lang), "doc_id"])}
            for m in MEASURES:
                x = ep_lang[(ep_lang["episode"] == e) & (ep_lang["language"] == lang) & (ep_lang["measure"] == m)]
                if len(x):
                    x = x.iloc[0]
                    row[MEASURE_LABELS[m]] = f"{x.estimate:+.2f} {_ci(x.ci_low, x.ci_high)}"
            c = cov[(cov["episode"] == e) & (cov["language"] == lang)].set_index("lexicon")["sentence_share"]
            row["sentences scored (VADER / diplomatic)"] = " / ".join(f"{v:.0%}" for v in c)
            rows.append(row)
    return pd.DataFrame(rows) if rows else pd.DataFrame({"note": ["No episode has articles in two languages."]})


def language_gap(scored: pd.DataFrame, documents: pd.DataFrame, episodes: pd.DataFrame) -> tuple[int, float, str]:
    """(number of bilingual episodes, largest gap of the mean cooperation index between the languages of
    one episode (0 when none), the sentence stating it). The sentence makes no causal claim: the
    languages of one episode are different articles as well as different lexicons."""

    eps = bilingual_episodes(documents, episodes)
    gaps = []
    for e in eps:
        means = scored[scored["episode"] == e].groupby("language")["cooperation_index"].mean()
        if len(means) > 1:
            gaps.append(float(means.max() - means.min()))
    n = len(eps)
    if not gaps:
        return n, 0.0, ("No episode has scored sentences in more than one language, so how far the language moves "
                        "the cooperation index cannot be seen here.")
    where = "In the one episode" if n == 1 else f"Across the {n} episodes"
    between = "between its languages" if n == 1 else "between the languages of one episode"
    return n, max(gaps), (f"{where} with articles in more than one language, the mean cooperation index differs "
                          f"by {'' if n == 1 else 'up to '}{max(gaps):.2f} {between}; "
                          "those languages are different articles as well as different lexicons, so the gap mixes "
                          "both and only warns that comparing episodes read in different languages mixes them too.")


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
    qa = qa.assign(_a=qa["actor"].map({a: i for i, a in enumerate(keep)}), _o=qa["episode"].map(_rank(episodes)))
    return qa.sort_values(["_a", "_o"]).drop(columns=["_a", "_o"])


def actor_mention_table(summary: pd.DataFrame, scored: pd.DataFrame, episodes: pd.DataFrame,
                        max_actors: int = 6, names: dict | None = None) -> pd.DataFrame:
    """Cooperation index of the sentences mentioning each of the ``max_actors`` most mentioned actors,
    per episode: actor (display name from ``names`` when given, else the id), episode (label),
    cooperation index, 95% CI ("[low, high]"), sentences."""
    act = summary_level(summary[summary["measure"] == "cooperation_index"], "actor", ["actor", "episode"])
    top = actor_sentences(scored).groupby("actor").size().sort_values(ascending=False).index[:max_actors]
    act = act[act["actor"].isin(top)]
    act = act.assign(episode_label=act["episode"].map(_labels(episodes)), _o=act["episode"].map(_rank(episodes)),
                     ci=[_ci(lo, hi) for lo, hi in zip(act["ci_low"], act["ci_high"])]).sort_values(["actor", "_o"])
    if names:
        act = act.assign(actor=act["actor"].map(lambda a: names.get(a, a)))
    return act[["actor", "episode_label", "estimate", "ci", "n"]].rename(
        columns={"episode_label": "episode", "estimate": "cooperation index", "ci": "95% CI", "n": "sentences"})


def trajectories(scored: pd.DataFrame, n_bins: int = 5, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """:func:`trajectory` for every measure of :data:`MEASURES`, stacked (same columns)."""
    return pd.concat([trajectory(scored, m, n_bins, n_boot, seed) for m in MEASURES], ignore_index=True)


def trajectory_ends(traj: pd.DataFrame, measure: str = "cooperation_index") -> tuple[float, float]:
    """(estimate in the first bin, estimate in the last bin) of ``measure`` in :func:`trajectories`."""
    t = traj[traj["measure"] == measure].sort_values("bin")
    return float(t["estimate"].iloc[0]), float(t["estimate"].iloc[-1])


def headline_word_shift(matches: pd.DataFrame, scored: pd.DataFrame, episodes: pd.DataFrame,
                        language: str | None = None) -> tuple[pd.DataFrame, str, str]:
    """(:func:`word_shift` from the earliest to the latest episode having ``language`` sentences, label of
    the earlier, label of the later). With fewer than two such episodes: an empty frame with the
    word-shift columns and the labels of the first and last episode."""
    labels = _labels(episodes)
    order = list(episodes.sort_values("order")["episode"])
    present = [e for e in order if ((scored["episode"] == e) & ((scored["language"] == language) if language else True)).any()]
    if len(present) >= 2:
        return word_shift(matches, scored, present[0], present[-1], language), labels[present[0]], labels[present[-1]]
    empty = pd.DataFrame(columns=["entry", "pole", "rate_from", "rate_to", "difference", "n_from", "n_to"])
    return empty, labels[order[0]], labels[order[-1]]


def word_shift_movers(ws: pd.DataFrame, k: int = 3) -> tuple[str, str]:
    """(the ``k`` entries pushing most towards cooperation, the ``k`` pushing most towards confrontation),
    each as quoted words joined for prose ("“a”, “b” and “c”"), "none" when there are none."""
    from .report import join_words

    up = ws[ws["difference"] > 0].head(k)["entry"].tolist()
    down = ws[ws["difference"] < 0].head(k)["entry"].tolist()
    return (join_words([f"“{x}”" for x in up]) or "none", join_words([f"“{x}”" for x in down]) or "none")


def extremes_table(scored: pd.DataFrame, episodes: pd.DataFrame, n: int = 1, max_chars: int = 220) -> pd.DataFrame:
    """:func:`extremes` for readers, in four columns that fit the page: episode (label, date order),
    side, "scores (sentence) and lexicon entries" (cooperation index, VADER, sentence_id, entries with
    signed weights), text (cut to ``max_chars`` with "…"). Text is untrusted: show it
    with ``report.md_table``/``glue_table`` only."""
    ex = extremes(scored, n)
    ex = ex.assign(_o=ex["episode"].map(_rank(episodes)), episode=ex["episode"].map(_labels(episodes)),
                   text=ex["text"].map(lambda t: t if len(t) <= max_chars else t[:max_chars - 3] + "…"),
                   scores=[f"coop. {c:+.2f}, VADER {v:+.2f} ({sid}); entries: {e.replace(';', '; ') or 'none'}"
                           for c, v, sid, e in zip(ex["cooperation_index"], ex["vader_compound"], ex["sentence_id"],
                                                   ex["dip_entries"].fillna(""))]
                   ).sort_values(["_o", "side"], ascending=[True, False])
    # four columns fit the page; the separate numbers are in tone_sentences.csv
    return ex[["episode", "side", "scores", "text"]].rename(columns={"scores": "scores (sentence) and lexicon entries"})


def entries_table(matches: pd.DataFrame, episodes: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` lexicon entries with the largest |summed signed weight| per episode (date order):
    episode (label), entry, pole, matches, summed signed weight."""
    ent = matches.groupby(["episode", "entry", "pole"]).agg(matches=("contribution", "size"),
                                                           weight=("contribution", "sum")).reset_index()
    ent = ent.assign(_o=ent["episode"].map(_rank(episodes)), a=ent["weight"].abs())
    ent = ent.sort_values(["_o", "a"], ascending=[True, False]).groupby("episode", sort=False).head(n)
    return ent.assign(episode=ent["episode"].map(_labels(episodes)))[["episode", "entry", "pole", "matches", "weight"]].rename(
        columns={"weight": "summed signed weight"})


def _position_bins(position: pd.Series, n_bins: int) -> np.ndarray:
    """Bin (0..n_bins-1) of each relative position (0..1), as :func:`trajectory` bins them."""
    edges = np.linspace(0, 1, int(n_bins) + 1)
    return np.clip(np.digitize(np.asarray(position, dtype=float), edges[1:-1], right=False), 0, int(n_bins) - 1)


def trajectory_dominance_text(scored: pd.DataFrame, n_bins: int = 5) -> str:
    """How much the article with the most sentences weighs in the slices of :func:`trajectory`: its share
    of the sentences of each non-empty slice, summarised in one sentence."""
    if scored.empty:
        return "There is no sentence to place in the article."
    sizes = scored.groupby("doc_id").size()
    if len(sizes) == 1:
        return f"All sentences come from one article, {sizes.index[0]}, so the curves are that article's curves."
    big = sizes.idxmax()
    bins = _position_bins(scored["position"], n_bins)
    frame = pd.DataFrame({"bin": bins, "big": (scored["doc_id"] == big).to_numpy()})
    shares = frame.groupby("bin")["big"].mean()
    lo, hi, k = float(shares.min()), float(shares.max()), int((shares > 0.5).sum())
    if k == len(shares):
        return (f"The largest article, {big}, supplies {_pct_range(lo, hi)} of the sentences of every slice, so the "
                "curves mostly follow that article.")
    if k:
        return (f"The largest article, {big}, supplies more than half of the sentences in {k} of the {len(shares)} "
                f"slices ({_pct_range(lo, hi)} across slices).")
    return (f"No article supplies more than half of the sentences of any slice; the largest, {big}, supplies "
            f"{_pct_range(lo, hi)}.")


def trajectory_text(traj: pd.DataFrame, measure: str = "cooperation_index") -> str:
    """The cooperation index in the first and the last slice of :func:`trajectories` ("no sentence" for
    an empty slice)."""
    first, last = trajectory_ends(traj, measure)

    def val(x):
        return f"{x:+.2f}" if np.isfinite(x) else "undefined (no sentence)"

    return f"The {MEASURE_LABELS[measure]} is {val(first)} in the first slice and {val(last)} in the last."


def word_shift_text(matches: pd.DataFrame, scored: pd.DataFrame, episodes: pd.DataFrame,
                    language: str | None = None, k: int = 3) -> str:
    """One sentence on the word shift of :func:`headline_word_shift`: the ``k`` entries pushing the
    cooperation index up most and down most between the earliest and the latest episode having
    ``language`` sentences, or why there is no shift to decompose."""
    order = list(episodes.sort_values("order")["episode"])
    sel = (scored["language"] == language) if language else pd.Series(True, index=scored.index)
    present = [e for e in order if ((scored["episode"] == e) & sel).any()]
    where = f"{_lang_name(language)} sentences" if language else "sentences"
    if len(present) < 2:
        if len(order) < 2:
            return "The corpus has a single episode, so there is no shift of vocabulary to decompose."
        return f"Fewer than two episodes have {where}, so there is no shift of vocabulary to decompose."
    ws, a, b = headline_word_shift(matches, scored, episodes, language)
    if ws.empty:
        return f"Between {a} and {b} ({where}), no lexicon entry changed its weight per sentence."
    up, down = word_shift_movers(ws, k)
    up_t = f"the lexicon entries that pushed the cooperation index up most are {up}" if up != "none" \
        else "no lexicon entry pushed the cooperation index up"
    down_t = f"those that pulled it down most, {down}" if down != "none" else "none pulled it down"
    return f"Between {a} and {b} ({where}), {up_t}; {down_t}."


def quotes_text(n_quotes: int, min_words: int) -> str:
    """"12 quotations of at least 3 words" (plural-aware) for the chapter's quotation sentence."""
    from .report import plural

    return f"{plural(int(n_quotes), 'quotation')} of at least {plural(int(min_words), 'word')}"


#: a document is a (machine) translation when its manifest source or note says so (as in methods.ipynb)
TRANSLATION_PATTERN = r"translat|tradu"


def repeated_sentences(sentences: pd.DataFrame, min_words: int = 5, jaccard: float = 0.8) -> pd.DataFrame:
    """Per document: doc_id, sentences, repeated (sentences of at least ``min_words`` distinct words
    sharing at least ``jaccard`` of their word set with an earlier sentence of the same document)."""
    rows = []
    for doc, g in sentences.groupby("doc_id", sort=False):
        sets = [set(re.findall(r"\w+", str(t).lower())) for t in g["text"]]
        rep = 0
        for i, a in enumerate(sets):
            if len(a) >= min_words and any(len(b) >= min_words and len(a & b) / len(a | b) >= jaccard for b in sets[:i]):
                rep += 1
        rows.append({"doc_id": doc, "sentences": len(sets), "repeated": rep})
    return pd.DataFrame(rows, columns=["doc_id", "sentences", "repeated"])


def _articles_per_episode(documents: pd.DataFrame, episodes: pd.DataFrame) -> str:
    from .report import plural

    counts = [int((documents["episode"] == e).sum()) for e in episodes["episode"]]
    lo, hi = (min(counts), max(counts)) if counts else (0, 0)
    return plural(hi, "article") if lo == hi else f"{lo} to {plural(hi, 'article')}"


def independence_text(documents: pd.DataFrame, episodes: pd.DataFrame, sentences: pd.DataFrame) -> str:
    """Why the intervals are too narrow, from the data: near-repeated sentences within articles
    (:func:`repeated_sentences`, named when there are any) and the number of articles per episode."""
    from .report import join_words, plural

    rep = repeated_sentences(sentences)
    rep = rep[rep["repeated"] > 0]
    text = ""
    if len(rep):
        text = ("Some articles repeat themselves: " + join_words(
            [f"in {r.doc_id}, {r.repeated} of {plural(r.sentences, 'sentence')} nearly repeat an earlier one"
             for r in rep.itertuples()]) + " (80% of their words or more shared). ")
    return (text + f"With {_articles_per_episode(documents, episodes)} per episode, the intervals and p-values "
            "describe these articles, not “the coverage” of an episode.")


def limits_text(documents: pd.DataFrame, episodes: pd.DataFrame, cov: pd.DataFrame) -> str:
    """The data-dependent part of the chapter's limits: articles per episode, episodes resting on one
    article or dominated by one (more than half of their sentences), translations according to the
    manifest, and the share of sentences without a diplomatic-lexicon word."""
    from .report import join_words, plural

    parts = [f"The corpus holds {plural(len(documents), 'article')} about {plural(len(episodes), 'episode')}"
             + (f", {_articles_per_episode(documents, episodes)} per episode." if len(episodes) > 1 else ".")]
    labels = _labels(episodes)
    single, dominated = [], []
    for e in episodes.sort_values("order")["episode"]:
        d = documents[documents["episode"] == e]
        if len(d) == 1:
            single.append(labels[e])
        elif len(d) > 1 and d["sentences"].sum() > 0:
            top = d.loc[d["sentences"].idxmax()]
            share = float(top["sentences"] / d["sentences"].sum())
            if share > 0.5:
                dominated.append(f"in {labels[e]}, one article ({top['doc_id']}) holds {share:.0%} of the sentences")
    if single:
        parts.append(f"{join_words(single)} {'rests' if len(single) == 1 else 'rest'} on a single article, so "
                     f"{'its' if len(single) == 1 else 'their'} tone is that article's tone.")
    if dominated:
        text = join_words(dominated)
        parts.append(text[0].upper() + text[1:] + ", so that episode's tone is largely one article's tone.")
    marked = (documents["source"].astype(str) + " " + documents["note"].astype(str)).str.contains(
        TRANSLATION_PATTERN, case=False, regex=True)
    tr = documents[marked]
    if len(tr):
        total = documents["sentences"].sum()
        share = float(tr["sentences"].sum() / total) if total else 0.0
        parts.append(f"{plural(len(tr), 'article')} ({join_words(list(tr['doc_id']))}), holding {share:.0%} of the "
                     f"sentences, {'is a translation' if len(tr) == 1 else 'are translations'} according to the "
                     f"manifest, so {'its' if len(tr) == 1 else 'their'} scores partly measure the translation.")
    else:
        parts.append("The manifest marks no article as a translation.")
    dip = cov[cov["lexicon"] == "diplomatic"]
    if len(dip):
        none = 1 - dip["sentence_share"]
        parts.append(f"{_pct_range(none.min(), none.max()).capitalize()} of the sentences of an episode and language "
                     "carry no word of the diplomatic lexicon and count as neutral.")
    return " ".join(parts)

