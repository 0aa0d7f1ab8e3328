"""Score the report's cleaning and sentence splitting against the junk flags and sentence hashes of
the development corpus annotations.

    .venv/bin/python tools/devcorpus/score_cleaning.py reference ASSEMBLED_DIR OUT.csv
    .venv/bin/python tools/devcorpus/score_cleaning.py score ASSEMBLED_DIR --reference REF.csv [--split dev|test|all] [--out FILE.csv]

The annotations hold only a hash of each sentence, so whether a junk sentence *survives* (perhaps
glued to another sentence or re-split) or a real sentence is *lost* needs its text. ``reference``
writes the text of every annotated sentence, found by its hash in ``scripts.corpus.load_corpus``
as it splits the folder when run: run it at the commit the annotations were made with (6d7169d or
any commit whose splitting reproduces all 491 annotated hashes; it says how many it found). The
file holds third-party text: keep it outside git, like the texts.

``score`` loads the folder with the current cleaning and splitting and reports, per split and
language (and their totals):

- ``junk`` / ``real``: annotated junk and non-junk sentences;
- ``junk_kept``: junk sentences whose words all still occur, in order, in the article's kept sentences;
- ``real_lost``: non-junk sentences of which no run of at least :data:`REAL_KEPT_SHARE` of their
  words remains in the kept sentences (what cleaning removed; a sentence only re-split or
  re-joined, or with a scraper's prefix split off, is not lost);
- ``real_reproduced``: non-junk sentences the current splitter yields exactly (same hash), the
  sentences whose annotations still apply one to one.

Words are the lower-cased ``\\w+`` runs (``scripts.repeats.words``), so re-joined hard-wrapped lines
and changed spacing do not count as losses.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import devcorpus as D
import pandas as pd

#: a real sentence is kept when this share of its words is still there as one run (a scraper's
#: metadata prefix split off its first sentence does not make the sentence lost)
REAL_KEPT_SHARE = 0.8
COLUMNS = ["split", "language", "articles", "junk", "junk_kept", "real", "real_lost", "real_reproduced"]


def reference(folder: Path, annotations: Path = D.ANNOTATIONS) -> pd.DataFrame:
    """doc_id, sentence_hash, text of every annotated sentence the current splitter yields."""
    from scripts.corpus import load_corpus

    s = load_corpus(folder).sentences
    s = pd.DataFrame({"doc_id": s["doc_id"].values, "sentence_hash": [D.sentence_hash(t) for t in s["text"]],
                      "text": s["text"].values})
    tone = D.load_annotations(annotations)["tone"]
    keys = set(zip(tone["doc_id"], tone["sentence_hash"]))
    return s[[k in keys for k in zip(s["doc_id"], s["sentence_hash"])]].drop_duplicates(["doc_id", "sentence_hash"])


def occurs_in(needle: list[str], haystack: list[str]) -> bool:
    """True when the word list ``needle`` (non-empty) is a contiguous run of ``haystack``."""
    n = len(needle)
    if not n:
        return False
    first = needle[0]
    return any(haystack[i:i + n] == needle for i, w in enumerate(haystack[:len(haystack) - n + 1]) if w == first)


def longest_run_share(needle: list[str], haystack: list[str]) -> float:
    """Share of ``needle``'s words in its longest contiguous run found in ``haystack`` (0 when empty)."""
    from difflib import SequenceMatcher

    if not needle or not haystack:
        return 0.0
    m = SequenceMatcher(None, needle, haystack, autojunk=False).find_longest_match(0, len(needle), 0, len(haystack))
    return m.size / len(needle)


def sentence_fates(tone: pd.DataFrame, ref: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per annotated sentence (``tone``: doc_id, sentence_hash, junk): found (its text is in the
    reference), kept (its words occur in order in the document's current sentences) and reproduced
    (the current splitter yields it exactly). ``sentences``: doc_id, text (current)."""
    from scripts.repeats import words

    text = dict(zip(zip(ref["doc_id"], ref["sentence_hash"]), ref["text"]))
    current = {doc: [w for t in g["text"] for w in words(t)] for doc, g in sentences.groupby("doc_id")}
    hashes = set(zip(sentences["doc_id"], [D.sentence_hash(t) for t in sentences["text"]]))
    rows = []
    for r in tone.itertuples():
        key = (r.doc_id, r.sentence_hash)
        t = text.get(key)
        doc_words, w = current.get(r.doc_id, []), words(t or "")
        kept = occurs_in(w, doc_words) if int(r.junk) else longest_run_share(w, doc_words) >= REAL_KEPT_SHARE
        rows.append({"doc_id": r.doc_id, "sentence_hash": r.sentence_hash, "junk": int(r.junk), "found": t is not None,
                     "kept": t is not None and kept,
                     "reproduced": key in hashes, "text": t or ""})
    return pd.DataFrame(rows, columns=["doc_id", "sentence_hash", "junk", "found", "kept", "reproduced", "text"])


def score(folder: Path, ref: pd.DataFrame, split: str = "dev", manifest: Path = D.MANIFEST,
          annotations: Path = D.ANNOTATIONS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, fates): the score table (columns :data:`COLUMNS`) and :func:`sentence_fates` of the
    articles of ``split`` present in ``folder``."""
    from scripts.corpus import load_corpus

    docs = D.load_manifest(manifest).documents.set_index("id")
    corp = load_corpus(folder)
    present = set(corp.documents["doc_id"])
    tone = D.load_annotations(annotations)["tone"]
    splits = list(D.SPLITS) if split == "all" else [split]
    wanted = set(docs.index[docs["split"].isin(splits)]) & present
    fates = sentence_fates(tone[tone["doc_id"].isin(wanted)], ref, corp.sentences[corp.sentences["doc_id"].isin(wanted)])
    if not fates.empty and not fates["found"].all():
        missing = int((~fates["found"]).sum())
        raise SystemExit(f"the reference lacks the text of {missing} annotated sentences: rebuild it (see the module docstring)")
    groups = [(s, lang) for s in splits for lang in (*D.LANGUAGES, "all")]
    if split == "all":
        groups += [("all", lang) for lang in (*D.LANGUAGES, "all")]
    rows = []
    for s, lang in groups:
        sel = docs[docs["split"].isin(D.SPLITS if s == "all" else [s]) & docs["language"].isin(D.LANGUAGES if lang == "all" else [lang])]
        f = fates[fates["doc_id"].isin(set(sel.index) & present)]
        junk, real = f[f["junk"] == 1], f[f["junk"] == 0]
        rows.append({"split": s, "language": lang, "articles": len(set(sel.index) & present), "junk": len(junk),
                     "junk_kept": int(junk["kept"].sum()), "real": len(real), "real_lost": int((~real["kept"]).sum()),
                     "real_reproduced": int(real["reproduced"].sum())})
    return pd.DataFrame(rows, columns=COLUMNS), fates


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("reference", help="write the text of the annotated sentences (run at the annotation commit)")
    r.add_argument("assembled", type=Path)
    r.add_argument("out", type=Path)
    s = sub.add_parser("score", help="junk kept, real sentences lost and sentences reproduced")
    s.add_argument("assembled", type=Path)
    s.add_argument("--reference", type=Path, required=True)
    s.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    s.add_argument("--out", type=Path, default=None, help="CSV to write (default: print only)")
    s.add_argument("--list", action="store_true", help="also print the junk kept and the real sentences lost (dev only)")
    a = p.parse_args(argv)
    if a.command == "reference":
        ref = reference(a.assembled)
        ref.to_csv(a.out, index=False)
        print(f"{len(ref)} annotated sentences found; written to {a.out} (third-party text: keep it out of git)")
        return 0
    if a.split != "dev":
        print("note: this scores the test half, which is for the final figures, not for tuning")
    ref = pd.read_csv(a.reference, dtype=str, keep_default_na=False)
    table, fates = score(a.assembled, ref, a.split)
    print(table.to_string(index=False))
    if a.out:
        table.to_csv(a.out, index=False)
        print(f"written to {a.out}")
    if a.list and a.split == "dev":
        for r in fates[(fates["junk"] == 1) & fates["kept"]].itertuples():
            print(f"junk kept  {r.doc_id}: {r.text[:120]}")
        for r in fates[(fates["junk"] == 0) & ~fates["kept"]].itertuples():
            print(f"real lost  {r.doc_id}: {r.text[:120]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
