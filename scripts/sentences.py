"""Sentence splitting: NLTK Punkt trained on the corpus, held to the boundary rules of two data files.

Punkt learns from the texts it will split which words end in a period without ending a sentence
(abbreviations), which word pairs run across a period, and which words start sentences. On a few
dozen news articles it learns wrong things too: "year", "loi" or "ajouté" taken for abbreviations
because they happened to end sentences, or any word pair seen twice across a period taken for a
collocation that must not be split. So:

- the abbreviations of ``scripts/data/abbreviations.yml`` are always known; of those Punkt learns,
  only forms an abbreviation can have are kept (``learned_abbreviations`` in
  ``scripts/data/sentences.yml``: an inner period as in "u.s", or one letter, an initial);
- collocations are learned only after numbers and initials, as Punkt does by default;
- whether an abbreviation ends a sentence depends on what follows (Punkt's orthographic and
  sentence-starter heuristics): after "U.S." a capitalised word that starts sentences elsewhere
  in the corpus, or one of the ``sentence_starters`` of sentences.yml ("The", "Il"), starts a new
  sentence ("… in the U.S. The talks …"); another capitalised word does not ("the U.S. Secretary
  of State");
- a title abbreviation (``titles`` in sentences.yml: "Mr.", "M.", "Dr.") never ends a sentence: a
  name follows it, even one that looks like a sentence starter ("M. Le Drian");
- a period followed by a word in lower case does not end a sentence (``lowercase_continues``): in
  news text that is an abbreviation the lists lack ("3 p.m. local time") or a garbled join, not a
  new sentence.

An opening quotation mark left at the end of a sentence moves to the next one.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # NLTK is imported where it is used: `import nltk` pulls in scipy.stats (seconds per kernel)
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

DATA_DIR = Path(__file__).resolve().parent / "data"
_QUOTE_OPEN = "«“\""


@cache
def _data(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def abbreviations(language: str) -> frozenset[str]:
    """Known abbreviations of ``language`` (lower case, no final period): abbreviations.yml."""
    return frozenset(str(a) for a in _data("abbreviations.yml").get(language, []))


def boundary_rules(language: str) -> dict:
    """The rules of sentences.yml for ``language``: titles, sentence_starters (sets of lower-case
    words), learned_abbreviations (a regular expression) and lowercase_continues (bool)."""
    raw = _data("sentences.yml")
    return {"titles": frozenset(str(t) for t in raw["titles"].get(language, [])),
            "sentence_starters": frozenset(str(w) for w in raw["sentence_starters"].get(language, [])),
            "learned_abbreviations": re.compile(str(raw["learned_abbreviations"])),
            "lowercase_continues": bool(raw.get("lowercase_continues", True))}


@dataclass(frozen=True)
class SentenceSplitter:
    """Punkt parameters learned from one language's texts, and that language's title abbreviations."""

    punkt: PunktSentenceTokenizer
    titles: frozenset[str]
    lowercase_continues: bool = True

    @property
    def params(self) -> PunktParameters:
        return self.punkt._params


def punkt_classes() -> tuple[type, type]:
    """(language variables, token class) for Punkt: NLTK's own, with every pattern they use recompiled
    without NLTK's per-call timeout (:mod:`scripts.nltk_regex`: the same source, flags and engine, so
    the same tokens, types and boundaries). Punkt calls them once per token: the timeout wrapper was
    most of the cost of training and splitting."""
    from scripts.nltk_regex import PunktLanguageVars, PunktToken

    return PunktLanguageVars, PunktToken


def punkt_tokenizer(params: PunktParameters) -> PunktSentenceTokenizer:
    """A Punkt sentence tokenizer deciding with ``params``, on :func:`punkt_classes`."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    lang_vars, token = punkt_classes()
    return PunktSentenceTokenizer(params, lang_vars=lang_vars(), token_cls=token)


def train_sentence_splitter(texts: Iterable[str], language: str) -> SentenceSplitter:
    """Punkt trained on this corpus's texts of one language under the rules of the module docstring."""
    from nltk.tokenize.punkt import PunktTrainer

    rules = boundary_rules(language)
    lang_vars, token = punkt_classes()
    trainer = PunktTrainer(lang_vars=lang_vars(), token_cls=token)
    text = "\n\n".join(texts)
    if text.strip():
        trainer.train(text, finalize=False)
        trainer.finalize_training()
    params: PunktParameters = trainer.get_params()
    learned = {a for a in params.abbrev_types if rules["learned_abbreviations"].fullmatch(a)}
    params.abbrev_types = set(learned) | set(abbreviations(language)) | set(rules["titles"])
    params.sent_starters = set(params.sent_starters) | set(rules["sentence_starters"])
    return SentenceSplitter(punkt_tokenizer(params), rules["titles"], rules["lowercase_continues"])


def _starts_lower(sentence: str) -> bool:
    m = re.match(r"[\W\d_]*([^\W\d_])", sentence)
    return bool(m) and m.group(1).islower()


def _ends_with_title(sentence: str, titles: frozenset[str]) -> bool:
    m = re.search(r"(?:^|[\s(«\"“'])([^\W\d_]+)\.$", sentence)
    return bool(m) and m.group(1).lower() in titles


def split_sentences(paragraph: str, splitter: SentenceSplitter) -> list[str]:
    """Split one paragraph: Punkt, then a sentence ending in a title abbreviation, or in a period
    before a lower-case word, is joined to the next, and an opening quote left at the end of a
    sentence moves to the next one."""
    pieces = [s.strip() for s in splitter.punkt.tokenize(paragraph) if s.strip()]
    sents: list[str] = []
    for s in pieces:
        if sents and (_ends_with_title(sents[-1], splitter.titles)
                      or (splitter.lowercase_continues and sents[-1].endswith(".") and _starts_lower(s))):
            sents[-1] = f"{sents[-1]} {s}"
        else:
            sents.append(s)
    out: list[str] = []
    carry = ""
    for s in sents:
        s = (carry + " " + s).strip() if carry else s
        carry = ""
        m = re.search(rf"\s([{_QUOTE_OPEN}])$", s)  # a quote after a space opens, it does not close
        if m:
            carry, s = m.group(1), s[: m.start()].rstrip()
        if s:
            out.append(s)
    if carry and out:
        out[-1] = out[-1] + " " + carry
    return out
