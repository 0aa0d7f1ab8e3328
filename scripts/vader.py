"""Sentiment engines: NLTK's VADER (``nltk.sentiment.vader.SentimentIntensityAnalyzer``) given its
lexicon as a dict, for English and for French, and the check of the English engine against the
``vaderSentiment`` reference implementation.

* English: NLTK's engine with the lexicon shipped by the ``vaderSentiment`` package; quotation marks
  are padded with spaces first (:func:`pad_quotes`).
* French: the same engine, subclassed (:class:`FrenchSentimentIntensityAnalyzer`) with a French
  lexicon from a package (``vaderSentiment-fr``'s ``fr_lexicon.txt``, default, or ``textblob-fr``'s
  ``fr-sentiment.xml``, polarity x 4) and French rules read from ``scripts/data/tone_fr_fixes.yml``:
  elisions split, French negation scopes ("ne ... pas", "n'... plus", "jamais", "aucun", "sans";
  "plus" alone is *not* a negator), French boosters, "mais" as the contrast word, lexicon overrides
  (topic words such as "guerre", "crise", "terrorisme", "paix" and mistranslated ones such as
  "interrogé", "poursuivi" deleted, each with its reason in the file).

The French negation rules (:mod:`scripts.negation`) are shared with the diplomatic lexicon
(:mod:`scripts.diplomatic`), so both instruments recognise the same negations; the diplomatic lexicon
reads a negation to the end of its clause, this engine at most ``negation.vader_window`` words after
it (VADER's own window), inside the clause.
"""
from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText, VaderConstants
from scipy import stats

from .negation import french_rules, negation

FR_FIXES_FILE = Path(__file__).resolve().parent / "data" / "tone_fr_fixes.yml"
FRENCH_LEXICONS = ("vader-fr", "textblob-fr")
#: two engines "agree" on a sentence when their compound scores differ by less than this
IDENTICAL = 1e-4


# =========================================================================== lexicons
def _site_file(package: str, name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed: pip install it (see requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / name


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
def norm_word(word: str) -> str:
    """A token lower-cased and stripped of the punctuation around it, as negation rules compare it."""
    return word.lower().strip(".,;:!?«»\"“”()[]")


def french_negation_scope(words: Sequence[str], fixes: dict | None = None, window: int | None = None) -> set[int]:
    """Indices of ``words`` inside a French negation (:mod:`scripts.negation`, rules of
    ``tone_fr_fixes.yml``): "ne/n' ... closer" reaches from the opener to the end of its clause (closer
    excluded); "ne ... que" and a "ne" without closer negate nothing; a standalone negator ("jamais",
    "aucun", "sans", "pas") and a failure phrase ("échoué à", "faute de") negate the rest of their
    clause. "plus" without "ne" negates nothing ("plus de tensions" = more tensions). ``window``: at
    most so many words after the negator (or closer) are reached, None: the whole clause. ``words``
    may carry punctuation ("pas,") or be punctuation (","): both end a clause where the mark does."""
    return set(negation(list(words), french_rules((fixes or load_fr_fixes())["negation"], window)).scope)


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
def vader_words(text: str, constants: VaderConstants) -> list[str]:
    """``SentiText(text, ...).words_and_emoticons`` (the tokens VADER scores), without the table of
    every word × every punctuation mark SentiText builds for it (most of the cost of counting words
    after scoring). A token is replaced by its word when it is ``mark + word`` or ``word + mark``
    (the latter winning, as in SentiText); marks are ASCII punctuation and words have none, so at
    most one reading fits; should two ever fit, SentiText itself decides."""
    marks = constants.PUNC_LIST
    first_chars = {m[0] for m in marks}
    last_chars = {m[-1] for m in marks}
    words_only = {w for w in constants.REGEX_REMOVE_PUNCTUATION.sub("", text).split() if len(w) > 1}
    out = []
    for we in text.split():
        if len(we) <= 1:
            continue
        if we[0] in first_chars or we[-1] in last_chars:
            after = {we[:-len(m)] for m in marks if we.endswith(m) and we[:-len(m)] in words_only}
            before = {we[len(m):] for m in marks if we.startswith(m) and we[len(m):] in words_only}
            if len(after) > 1 or (not after and len(before) > 1):
                return SentiText(text, marks, constants.REGEX_REMOVE_PUNCTUATION).words_and_emoticons
            if after or before:
                we = next(iter(after or before))
        out.append(we)
    return out


class UntimedVaderConstants(VaderConstants):
    """NLTK's VADER constants with the punctuation pattern every ``SentiText`` strips with recompiled
    without NLTK's per-call timeout (:mod:`scripts.nltk_regex`: same pattern, flags and engine, so the
    same words): the timeout wrapper was a third of the time spent scoring a sentence."""

    def __init__(self):
        super().__init__()
        from scripts.nltk_regex import untimed

        self.REGEX_REMOVE_PUNCTUATION = untimed(VaderConstants.REGEX_REMOVE_PUNCTUATION)


class _SentiText(SentiText):
    """NLTK's ``SentiText`` with its words from :func:`vader_words` (the same list, without building the
    table of every word x every punctuation mark first: a third of the time of scoring a sentence)."""

    def __init__(self, text: str, constants: VaderConstants):
        if not isinstance(text, str):  # as SentiText
            text = str(text.encode("utf-8"))
        self.text = text
        self.PUNC_LIST = constants.PUNC_LIST
        self.REGEX_REMOVE_PUNCTUATION = constants.REGEX_REMOVE_PUNCTUATION
        self.words_and_emoticons = vader_words(text, constants)
        self.is_cap_diff = self.allcap_differential(self.words_and_emoticons)


class LexiconSentimentIntensityAnalyzer(SentimentIntensityAnalyzer):
    """NLTK's VADER engine given its lexicon (word -> valence) directly.

    NLTK 3.10's ``__init__`` loads a lexicon file through ``nltk.data.load`` (so only from a folder
    on ``nltk.data.path``) and does nothing else than set ``lexicon_file``, ``lexicon`` (parsed by
    ``make_lex_dict``) and ``constants``; this ``__init__`` sets the same three attributes from the
    dict, so no file is written and scoring is NLTK's, unchanged."""

    def __init__(self, lexicon: Mapping[str, float], constants: VaderConstants | None = None):
        self.lexicon_file = None
        self.lexicon = {str(w): float(v) for w, v in lexicon.items()}
        self.constants = constants or UntimedVaderConstants()
        # the words of the text scored last, per thread (one engine may score in several threads):
        # counting words right after scoring the same sentence (``tone_scores.score_texts``) reuses them
        self._last = threading.local()

    def _words(self, text: str) -> list[str]:
        """:func:`vader_words` of ``text`` (already prepared: quotes padded, elisions split)."""
        last = getattr(self._last, "words", None)
        if last is not None and last[0] == text:
            return list(last[1])
        return vader_words(text, self.constants)

    def polarity_scores(self, text: str) -> dict[str, float]:
        """NLTK 3.10's ``SentimentIntensityAnalyzer.polarity_scores`` step for step, on :class:`_SentiText`
        (same words, so the same scores: ``tests/test_vader.py`` compares the two on the corpus)."""
        sentitext = _SentiText(text, self.constants)
        sentiments: list = []
        words_and_emoticons = sentitext.words_and_emoticons
        self._last.words = (text, tuple(words_and_emoticons))
        first_index: dict[str, int] = {}
        for idx, token in enumerate(words_and_emoticons):
            first_index.setdefault(token, idx)
        for item in words_and_emoticons:
            valence = 0
            i = first_index[item]
            if (i < len(words_and_emoticons) - 1 and item.lower() == "kind" and words_and_emoticons[i + 1].lower() == "of") \
                    or item.lower() in self.constants.BOOSTER_DICT:
                sentiments.append(valence)
                continue
            sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)


class FrenchVaderConstants(UntimedVaderConstants):
    """VADER constants with French boosters/dampeners (the NLTK increments B_INCR/B_DECR kept)."""

    def __init__(self, fixes: dict):
        super().__init__()
        self.BOOSTER_DICT = {**{w: self.B_INCR for w in fixes.get("boosters", [])},
                             **{w: self.B_DECR for w in fixes.get("dampeners", [])}}
        self.SPECIAL_CASE_IDIOMS = {}
        self.NEGATE = set()  # French negation is handled by scopes (see FrenchSentimentIntensityAnalyzer)


class FrenchSentimentIntensityAnalyzer(LexiconSentimentIntensityAnalyzer):
    """NLTK's VADER engine with a French lexicon and French rules.

    Differences from the English engine, all driven by ``tone_fr_fixes.yml``: elisions are split
    before tokenising; the English negation check (the previous three words) is replaced by French
    negation scopes (:func:`french_negation_scope`, at most ``negation.vader_window`` words, within
    the clause): a lexicon word inside a scope is multiplied by VADER's N_SCALAR (-0.74) once;
    boosters are French; the but-rule uses "mais".
    """

    def __init__(self, lexicon: Mapping[str, float], fixes: dict | None = None):
        self.fixes = fixes or load_fr_fixes()
        super().__init__(lexicon, FrenchVaderConstants(self.fixes))
        self.contrast = set(self.fixes.get("contrast") or ["mais"])
        # the negation scope of the sentence being scored: per thread, since one cached engine may score
        # sentences in several threads at once (the Dask engine's threads)
        self._local = threading.local()
        # the negation rules are built once per engine, not once per sentence (same rules as french_negation_scope)
        self._negation_rules = french_rules(self.fixes["negation"], int(self.fixes["negation"]["vader_window"]))

    def words(self, text: str) -> list[str]:
        """The tokens the engine scores (after splitting elisions)."""
        return self._words(split_elisions(text, self.fixes))

    def polarity_scores(self, text: str) -> dict[str, float]:
        text = split_elisions(text, self.fixes)
        # the scope is read on all whitespace tokens (punctuation included: it ends clauses), then
        # carried over to the tokens VADER keeps (SentiText drops one-character tokens)
        raw = text.split()
        scope = negation(raw, self._negation_rules).scope
        kept = [k for k, t in enumerate(raw) if len(t) > 1]
        self._local.scope = {i for i, k in enumerate(kept) if k in scope}
        return super().polarity_scores(text)

    def sentiment_valence(self, valence, sentitext, item, i, sentiments):
        sentiments = super().sentiment_valence(valence, sentitext, item, i, sentiments)
        if item.lower() in self.lexicon and i in getattr(self._local, "scope", ()):
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


class EnglishSentimentIntensityAnalyzer(LexiconSentimentIntensityAnalyzer):
    """NLTK's VADER engine, unchanged except that quotation marks are padded with spaces first
    (:func:`pad_quotes`)."""

    def words(self, text: str) -> list[str]:
        """The tokens the engine scores."""
        return self._words(pad_quotes(text))

    def polarity_scores(self, text: str) -> dict[str, float]:
        return super().polarity_scores(pad_quotes(text))


@cache
def english_analyzer() -> EnglishSentimentIntensityAnalyzer:
    """NLTK's VADER engine with the ``vaderSentiment`` package's English lexicon."""
    lex = read_vader_lexicon(_site_file("vaderSentiment", "vader_lexicon.txt"))
    return EnglishSentimentIntensityAnalyzer(lex)


@cache
def french_analyzer(choice: str = "vader-fr") -> FrenchSentimentIntensityAnalyzer:
    """:class:`FrenchSentimentIntensityAnalyzer` on the French lexicon ``choice``."""
    fixes = load_fr_fixes()
    return FrenchSentimentIntensityAnalyzer(french_lexicon(choice, fixes), fixes)



def analyzer(language: str, french_lexicon_choice: str = "vader-fr") -> LexiconSentimentIntensityAnalyzer:
    """The sentiment engine for ``language`` ("en" or "fr")."""
    if language == "fr":
        return french_analyzer(french_lexicon_choice)
    if language == "en":
        return english_analyzer()
    raise ValueError(f"no sentiment engine for language {language!r}: use 'en' or 'fr'")


# =========================================================================== check against the reference
def reference_compound(texts: Iterable[str]) -> list[float]:
    """Compound scores of the ``vaderSentiment`` reference implementation (English)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as Reference

    ref = Reference()
    return [float(ref.polarity_scores(t)["compound"]) for t in texts]


def has_negation(text: str) -> bool:
    """True when ``text`` holds an English negation word: NLTK's VADER ``VaderConstants.NEGATE``, any
    "n't" word, or "no" (which both engines treat by special rules of their own), the words whose rules
    the two VADER implementations handle differently."""
    words = [norm_word(w) for w in pad_quotes(text).split()]
    return any(w in VaderConstants.NEGATE or w == "no" or "n't" in w for w in words)


@dataclass(frozen=True)
class Agreement:
    """Compound scores of two engines on the same sentences: how many sentences, the largest and
    mean absolute difference, Pearson r (NaN for fewer than 3 sentences or a constant side) and the
    share of sentences scored alike (within :data:`IDENTICAL`). NaN everywhere for no sentence."""

    n: int
    max_abs_diff: float
    mean_abs_diff: float
    pearson_r: float
    share_identical: float


def agreement(ours: Sequence[float], reference: Sequence[float]) -> Agreement:
    """:class:`Agreement` of two lists of compound scores of the same sentences."""
    ours, reference = np.asarray(ours, dtype=float), np.asarray(reference, dtype=float)
    diff = np.abs(ours - reference)
    nan = float("nan")
    r = (float(stats.pearsonr(ours, reference)[0]) if len(diff) > 2 and ours.std() > 0 and reference.std() > 0
         else nan)
    return Agreement(int(len(diff)), float(diff.max()) if len(diff) else nan, float(diff.mean()) if len(diff) else nan,
                     r, float((diff < IDENTICAL).mean()) if len(diff) else nan)


@dataclass(frozen=True)
class EngineCheck:
    """NLTK's engine against the reference on the English sentences of a corpus: ``padded`` (the
    reference given the quote-padded text too: the engines compared), ``raw`` (the reference given
    the raw text), and among the sentences where the padded scores differ, how many there are and
    how many hold a negation word (:func:`has_negation`), the one cause checked here."""

    padded: Agreement
    raw: Agreement
    n_differing: int
    n_differing_negation: int


def check_english_engine(sentences: pd.DataFrame) -> EngineCheck:
    """:class:`EngineCheck` on the sentences of ``sentences`` (columns text, language) whose language
    is "en"; every sentence is scored once by each engine and input."""
    texts = sentences.loc[sentences["language"] == "en", "text"].astype(str).tolist()
    distinct = list(dict.fromkeys(texts))  # a repeated sentence (wire copy) is scored once, then counted as often as it occurs
    ours_of = dict(zip(distinct, (english_analyzer().polarity_scores(t)["compound"] for t in distinct)))
    padded_of = dict(zip(distinct, reference_compound([pad_quotes(t) for t in distinct])))
    raw_of = dict(zip(distinct, reference_compound(distinct)))
    ours = np.array([ours_of[t] for t in texts], dtype=float)
    padded = np.array([padded_of[t] for t in texts], dtype=float)
    raw = np.array([raw_of[t] for t in texts], dtype=float)
    differing = [t for t, a, b in zip(texts, ours, padded) if abs(a - b) > IDENTICAL]
    return EngineCheck(agreement(ours, padded), agreement(ours, raw), len(differing),
                       sum(has_negation(t) for t in differing))
