"""Validation on the user's own corpus: draw a sample of sentences to code by hand, and align coded
sentences with the corpus as it is split now.

``python -m scripts.seeds sample FOLDER`` calls :func:`draw_sample` and writes :func:`coding_sheet`
as CSV, with the coding guidelines next to it. Once the ``label`` column is filled in (-1, 0, +1),
the tone chapter reads the file through its ``annotations_file`` parameter; :func:`read_coded` and
:func:`align` make such a file (or the bundled ``scripts/data/validation/tone_annotations.csv``)
usable by ``scripts.tone.coded_sample`` (what the chapter calls) and ``scripts.validity.agreement``:

    coded = align(read_coded(annotations_file or tone.ANNOTATIONS_FILE), sentences)

Alignment is by :func:`sentence_hash` within the document, not by sentence number: after a change
of cleaning or splitting, or a document added to the folder, every coded sentence whose text is
unchanged keeps its label under its new sentence_id, and a sentence whose text changed is reported
(it must be coded again, never given another sentence's label).

Tables (pandas DataFrames):

``sample``  (:func:`draw_sample`) the sentences of :data:`SHEET_COLUMNS` but label and note, in
            episode, language and text order
``coded``   (:func:`read_coded`) sentence_id, doc_id, text, label (int), plus the sheet's other
            columns when present (sentence_hash, episode, language, note); uncoded rows left out
"""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from scripts import episodes as E

#: columns of the coding sheet ``scripts.seeds sample`` writes
SHEET_COLUMNS = ["sentence_id", "doc_id", "episode", "language", "sentence_hash", "text", "label", "note"]
LABELS = (-1, 0, 1)


def sentence_hash(text: str) -> str:
    """First 16 hex digits of the sha256 of the NFC sentence text (the key of
    tools/devcorpus annotations too): equal texts, equal keys, whatever their sentence number."""
    return hashlib.sha256(unicodedata.normalize("NFC", str(text)).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- drawing a sample
def allocate(sizes: pd.Series, n: int, min_per_stratum: int) -> pd.Series:
    """Sentences to draw per stratum: at least ``min_per_stratum`` (or all the stratum has), the
    rest proportional to the sentences each stratum has left (largest remainders), never more than
    a stratum holds, ``n`` in all (or every sentence when there are fewer). When ``n`` cannot give
    every stratum its minimum, it is shared as evenly as possible (larger strata first)."""
    sizes = sizes.astype(int)
    total = int(sizes.sum())
    if n >= total:
        return sizes.copy()
    base = np.minimum(sizes, min_per_stratum)
    if base.sum() > n:
        out = pd.Series(0, index=sizes.index)
        order = sizes.sort_values(ascending=False, kind="stable").index
        while out.sum() < n:
            for key in order:
                if out.sum() < n and out[key] < sizes[key]:
                    out[key] += 1
        return out
    room = sizes - base
    extra = n - int(base.sum())
    share = room / room.sum() * extra
    add = np.floor(share).astype(int)
    left = extra - int(add.sum())
    for key in (share - add).sort_values(ascending=False, kind="stable").index[:left]:
        add[key] += 1
    return (base + add).astype(int)


def eligible(sentences: pd.DataFrame, min_words: int = 4) -> pd.DataFrame:
    """The sentences a sample may draw: at least ``min_words`` words (headings and fragments are
    not worth coding). ``sentences``: text and any other columns, returned unchanged."""
    return sentences[sentences["text"].str.count(r"[^\W\d_]+") >= min_words]


def draw_sample(sentences: pd.DataFrame, episodes: pd.DataFrame, n: int = 80, seed: int = 0,
                min_per_stratum: int = 5, min_words: int = 4) -> pd.DataFrame:
    """A stratified random sample of sentences to code by hand.

    Strata are episode x language; :func:`allocate` sets the count per stratum; within a stratum
    the sentences are drawn without replacement by ``numpy.random.default_rng(seed)`` (same seed,
    same sample). Sentences of fewer than ``min_words`` words (headings, fragments) are not drawn.
    ``sentences``: doc_id, episode, language, sentence_id, sent_idx, text (``Corpus.sentences``).
    Returns sentence_id, doc_id, episode, language, sentence_hash, text, in episode date order,
    then language, document and position."""
    pool = eligible(sentences, min_words)
    sizes = pool.groupby(["episode", "language"]).size()
    counts = allocate(sizes, n, min_per_stratum) if len(sizes) else sizes
    rng = np.random.default_rng(seed)
    picked = []
    for key, k in counts.items():
        stratum = pool[(pool["episode"] == key[0]) & (pool["language"] == key[1])].sort_values(["doc_id", "sent_idx"])
        if k:
            picked.append(stratum.iloc[np.sort(rng.choice(len(stratum), size=int(k), replace=False))])
    out = pd.concat(picked) if picked else pool.iloc[0:0]
    out = E.sort_by_episode(out, episodes, then=("language", "doc_id", "sent_idx"))
    return pd.DataFrame({"sentence_id": out["sentence_id"].values, "doc_id": out["doc_id"].values,
                         "episode": out["episode"].values, "language": out["language"].values,
                         "sentence_hash": [sentence_hash(t) for t in out["text"]], "text": out["text"].values})


def coding_sheet(sample: pd.DataFrame) -> pd.DataFrame:
    """The sample with empty ``label`` and ``note`` columns: :data:`SHEET_COLUMNS`."""
    return sample.assign(label="", note="")[SHEET_COLUMNS]


# --------------------------------------------------------------------------- reading it back
def read_coded(path: Path | str) -> pd.DataFrame:
    """A coded sheet: rows whose ``label`` is filled in, with label as int (-1, 0, 1).

    Accepts a sheet of ``scripts.seeds sample`` and the bundled tone_annotations.csv (columns
    sentence_id, doc_id, text, label; lines starting with # are comments). Raises ValueError naming
    the file and the rows when a column is missing or a label is not -1, 0 or 1."""
    path = Path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    missing = [c for c in ("sentence_id", "doc_id", "text", "label") if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}: use the sheet written by 'python -m scripts.seeds sample'")
    df["label"] = df["label"].str.strip().str.replace("\u2212", "-", regex=False).str.lstrip("+")
    coded = df[df["label"] != ""].copy()
    bad = coded[~coded["label"].isin([str(v) for v in LABELS])]
    if len(bad):
        rows = ", ".join(f"{r.sentence_id} ({r.label!r})" for r in bad.head(5).itertuples())
        raise ValueError(f"{path}: labels must be -1, 0 or 1 (or empty for a sentence not coded yet): {rows}")
    coded["label"] = coded["label"].astype(int)
    return coded.reset_index(drop=True)


def count_rows(path: Path | str) -> int:
    """Rows of a coding sheet, coded or not (comment lines excluded): with :func:`read_coded`, how much
    of a partly coded sheet is still to code."""
    return int(len(pd.read_csv(Path(path), dtype=str, keep_default_na=False, comment="#")))


def align(coded: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``coded`` with sentence_id and text of the current corpus, found by sentence hash.

    Each coded row is looked up in the current ``sentences`` (doc_id, sentence_id, text) of its
    document by its ``sentence_hash`` (computed from its text when the column is absent or empty):
    found, it takes the current sentence_id and text (its text is the same); not found (the
    sentence was re-split or cleaned away, or the document is gone), it keeps its own, so that
    ``scripts.tone.check_annotations`` reports it. When a document holds the same sentence twice,
    the copy with the row's own sentence_id wins, else the first. Adds column ``aligned`` (bool)."""
    hashes = coded["sentence_hash"] if "sentence_hash" in coded.columns else pd.Series("", index=coded.index)
    hashes = [h or sentence_hash(t) for h, t in zip(hashes.astype(str), coded["text"])]
    where: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for d, sid, t in zip(sentences["doc_id"], sentences["sentence_id"], sentences["text"]):
        where.setdefault((str(d), sentence_hash(t)), []).append((sid, t))
    ids, texts, found = [], [], []
    for r, h in zip(coded.itertuples(index=False), hashes):
        hits = where.get((str(r.doc_id), h), [])
        hit = next((x for x in hits if x[0] == r.sentence_id), hits[0] if hits else None)
        ids.append(hit[0] if hit else r.sentence_id)
        texts.append(hit[1] if hit else r.text)
        found.append(hit is not None)
    out = coded.copy()
    out["sentence_id"], out["text"], out["aligned"] = ids, texts, found
    if "sentence_hash" in out.columns:
        out["sentence_hash"] = hashes
    return out
