"""NLTK's regular expressions without NLTK's per-call timeout, for the analysis hot paths.

NLTK 3.10 compiles every pattern with the ``regex`` engine and wraps it (``nltk.redos.TimedPattern``)
so that each call runs under a wall-clock timeout: a guard against crafted *caller-supplied* patterns.
The wrapper and the engine's timeout checks cost 3-14x the match itself on the short strings
the stage feeds them (one call per token in Punkt, per sentence in VADER and the word tokenizer):
about a quarter of the stage's CPU time at 1,000 articles. The patterns used here are fixed (NLTK's
own and this project's), so :func:`untimed` recompiles the same source with the same flags on the
same ``regex`` engine, without the timeout: every match, and so every output, stays the same.

Importing this module imports NLTK's Punkt (import it where it is used, not in a notebook that only
reads tables). The Punkt classes are at module level so that a splitter pickles (process pool, Dask).
"""
from __future__ import annotations

import regex
from nltk.tokenize import punkt


def untimed(pattern) -> regex.Pattern:
    """``pattern`` (an NLTK ``TimedPattern``, a compiled pattern, or a source string) compiled by the
    ``regex`` engine NLTK uses, with the same flags, and no timeout."""
    return regex.compile(getattr(pattern, "pattern", pattern), getattr(pattern, "flags", 0))


def compile_untimed(source: str, flags: int = 0) -> regex.Pattern:
    """What ``nltk.redos.compile(source, flags)`` matches with, without the timeout."""
    return regex.compile(source, flags)


class PunktLanguageVars(punkt.PunktLanguageVars):
    """NLTK's Punkt language variables, their patterns :func:`untimed`."""

    __slots__ = ()
    re_boundary_realignment = untimed(punkt.PunktLanguageVars.re_boundary_realignment)

    def _word_tokenizer_re(self):
        return _kept_untimed(self, "_re_word_tokenizer", super()._word_tokenizer_re)

    def period_context_re(self):
        return _kept_untimed(self, "_re_period_context", super().period_context_re)


def _kept_untimed(obj, attr: str, make) -> regex.Pattern:
    """``obj.attr``, set on first use to :func:`untimed` ``make()`` (as NLTK keeps its own compiled patterns)."""
    try:
        return getattr(obj, attr)
    except AttributeError:
        setattr(obj, attr, untimed(make()))
        return getattr(obj, attr)


_NON_PUNCT = untimed(punkt._re_non_punct)


class PunktToken(punkt.PunktToken):
    """NLTK's Punkt token, its patterns :func:`untimed` (Punkt builds one per word of every text)."""

    __slots__ = ()
    _RE_ELLIPSIS = untimed(punkt.PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = untimed(punkt.PunktToken._RE_NUMERIC)
    _RE_INITIAL = untimed(punkt.PunktToken._RE_INITIAL)
    _RE_ALPHA = untimed(punkt.PunktToken._RE_ALPHA)

    @property
    def is_non_punct(self):
        return _NON_PUNCT.search(self.type)
