"""Tone scores of sentences (or any texts): general sentiment (VADER, :mod:`scripts.vader`) and
diplomatic tone (cooperation vs. confrontation vocabulary, :mod:`scripts.diplomatic`), one row per text.

Separate from :mod:`scripts.tone` (the chapter's statistics) because the analysis stage scores every
article with it and keys its cache on the bytes of the code it runs (``scripts/stage/store.py``,
``ANALYSIS_FILES``): this module is in that key, ``tone.py`` is not, so editing a summary, shift or
trajectory of the chapter does not re-score every article. Whatever the scores depend on must stay
here (or in ``vader.py``, ``diplomatic.py``, ``negation.py`` and their data files, also in the key).

Columns
-------
:func:`score_texts` / :func:`score_sentences` add :data:`SCORE_COLUMNS` to a frame with ``text`` and
``language`` columns: vader_compound (-1..1), vader_words (word tokens the engine sees), vader_hits
(of them in its lexicon), coop_weight, conf_weight (summed weights after negation), cooperation_index
((coop - conf) / (coop + conf + k), 0 when no entry), dip_words (word tokens), dip_hits (word tokens
inside matched entries), dip_entries (";"-joined ``entry:+w`` / ``entry:-w`` contributions).
"""
from __future__ import annotations

import pandas as pd

from .diplomatic import cooperation_index, load_diplomatic_lexicon, match_diplomatic, word_tokens

#: the columns :func:`score_texts` adds, in order
SCORE_COLUMNS = ["vader_compound", "vader_words", "vader_hits", "coop_weight", "conf_weight", "cooperation_index",
                 "dip_words", "dip_hits", "dip_entries"]


def score_texts(frame: pd.DataFrame, french_lexicon_choice: str = "vader-fr",
                lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Copy of ``frame`` (needs ``text`` and ``language``) with :data:`SCORE_COLUMNS` added (see the
    module docstring). Languages other than en/fr get NaN sentiment and no matches."""
    from .vader import analyzer  # here, not at the top: NLTK costs ~2 s per kernel that only reads scores (findings)

    lexicon = load_diplomatic_lexicon() if lexicon is None else lexicon
    rows = []
    done: dict[tuple[str, str], dict] = {}  # a text repeated (wire copy, a quote in several articles) is scored once
    for text, lang in zip(frame["text"].astype(str), frame["language"].astype(str)):
        if (text, lang) in done:
            rows.append(done[(text, lang)])
            continue
        row: dict = {}
        done[(text, lang)] = row
        if lang in ("en", "fr"):
            eng = analyzer(lang, french_lexicon_choice)
            row["vader_compound"] = float(eng.polarity_scores(text)["compound"])
            words = [w.lower() for w in eng.words(text) if any(c.isalpha() for c in w)]
            row["vader_words"] = len(words)
            row["vader_hits"] = sum(1 for w in words if w in eng.lexicon)
        else:
            row.update(vader_compound=float("nan"), vader_words=0, vader_hits=0)
        matches = match_diplomatic(text, lang, lexicon) if lang in ("en", "fr") else []
        coop, conf, idx = cooperation_index([m["contribution"] for m in matches])
        row.update(coop_weight=coop, conf_weight=conf, cooperation_index=idx,
                   dip_words=sum(1 for t, _, _ in word_tokens(text) if any(c.isalpha() for c in t)),
                   dip_hits=sum(m["n_words"] for m in matches),
                   dip_entries=";".join(f"{m['entry']}:{m['contribution']:+g}" for m in matches))
        rows.append(row)
    out = frame.reset_index(drop=True).copy()
    scores = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    for c in SCORE_COLUMNS:
        out[c] = scores[c].values
    return out


def score_sentences(sentences: pd.DataFrame, french_lexicon_choice: str = "vader-fr",
                    lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sentences table of :func:`scripts.corpus.load_corpus` with :data:`SCORE_COLUMNS` added."""
    return score_texts(sentences, french_lexicon_choice, lexicon)
