"""Re-key annotations after the report's cleaning or splitting changed a document's sentences.

    .venv/bin/python tools/devcorpus/rekey.py ASSEMBLED_DIR OLD_LISTING --doc ID [--doc ID ...] [--write]

OLD_LISTING is the ``annotate.py sentences`` output the coder worked from (``== <doc_id>`` headers,
then ``s<NNN> <sentence_hash> <text>`` lines): it holds the texts the annotation hashes were taken
from. Each current sentence of a document (``scripts.corpus.load_corpus``) is located in the old
units by its text with all whitespace removed (a hard-wrapped line joined to the next one changes
only whitespace), and takes:

- tone: the label of the old units it covers when they agree (junk likewise); when they carry
  different labels or junk flags, the sentence is NOT labelled but listed in
  ``annotations/tone_recode.csv`` (doc_id, sentence_hash, old_labels, reason) for the coder: a
  label is the coder's reading, never a guess;
- junk units that the cleaning now removes keep their rows (``score.py`` uses them to put their
  mentions out of scope);
- mentions and quotations: the hash of the current sentence, among those covering their old unit,
  whose text holds their surface (or the quotation's first words).

A current sentence that cannot be located (its text changed beyond whitespace) is listed in
tone_recode.csv with reason "not found". Without ``--write`` it only prints what it would do.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import devcorpus as D
import pandas as pd

from scripts.corpus import load_corpus

RECODE = D.ANNOTATIONS / "tone_recode.csv"
RECODE_COLUMNS = ["doc_id", "sentence_hash", "old_labels", "reason"]
_WS = re.compile(r"\s+")


def compact(text: str) -> str:
    return _WS.sub("", text)


def read_listing(path: Path | str) -> dict[str, list[tuple[str, str]]]:
    """doc_id -> [(sentence_hash, text)] in order, from an ``annotate.py sentences`` listing."""
    out: dict[str, list[tuple[str, str]]] = {}
    doc = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("== "):
            doc = line[3:].strip()
            out[doc] = []
        elif doc and re.match(r"^s\d{3} [0-9a-f]{16} ", line):
            _, h, text = line.split(" ", 2)
            out[doc].append((h, text))
    return out


@dataclass
class Mapping:
    """For each current sentence (hash, text): the old unit hashes it covers (empty: not found)."""

    new: list[tuple[str, str]]
    covers: list[list[str]]


def map_units(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> Mapping:
    """Locate each new sentence in the stream of old units (whitespace removed), in order."""
    stream, owner = "", []
    for h, t in old:
        c = compact(t)
        stream += c
        owner += [h] * len(c)
    covers, pos = [], 0
    for _, t in new:
        c = compact(t)
        at = stream.find(c, pos) if c else -1
        if at < 0:
            covers.append([])
            continue
        hs = list(dict.fromkeys(owner[at:at + len(c)]))
        covers.append(hs)
        pos = at + len(c)
    return Mapping(new, covers)


def rekey_document(doc_id: str, mapping: Mapping, ann: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The document's annotation rows keyed by current hashes, and its tone_recode rows."""
    tone = ann["tone"][ann["tone"]["doc_id"] == doc_id].set_index("sentence_hash")
    rows, recode = [], []
    for (h, _), hs in zip(mapping.new, mapping.covers):
        if not hs:
            recode.append({"doc_id": doc_id, "sentence_hash": h, "old_labels": "", "reason": "not found"})
            continue
        known = [x for x in hs if x in tone.index]
        labels = sorted({int(tone.loc[x, "label"]) for x in known})
        junk = sorted({int(tone.loc[x, "junk"]) for x in known})
        if len(known) == len(hs) and len(labels) == 1 and len(junk) == 1:
            rows.append({"doc_id": doc_id, "sentence_hash": h, "label": labels[0], "junk": junk[0]})
        else:
            reason = "labels differ" if len(labels) > 1 else ("junk differs" if len(junk) > 1 else "unlabelled part")
            recode.append({"doc_id": doc_id, "sentence_hash": h, "old_labels": " ".join(str(int(tone.loc[x, "label"]))
                                                                                       for x in known), "reason": reason})
    # junk units the cleaning now removes keep their rows: score.py uses them to put their mentions out of scope
    covered = {x for hs in mapping.covers for x in hs}
    gone = tone[(tone["junk"] == 1) & ~tone.index.isin(list(covered))].reset_index()
    rows += gone[D.ANNOTATION_COLUMNS["tone"]].to_dict("records")
    texts = dict(mapping.new)
    where: dict[str, list[str]] = {}
    for (h, _), hs in zip(mapping.new, mapping.covers):
        for x in hs:
            where.setdefault(x, []).append(h)

    def move(df: pd.DataFrame, column: str) -> pd.DataFrame:
        df = df[df["doc_id"] == doc_id].copy()
        new_hashes = []
        for r in df.itertuples():
            cands = where.get(r.sentence_hash, [])
            words = " ".join(str(getattr(r, column)).split()[:3])
            hit = next((c for c in cands if compact(words) in compact(texts[c])), cands[0] if cands else r.sentence_hash)
            new_hashes.append(hit)
        return df.assign(sentence_hash=new_hashes)

    out = {"tone": pd.DataFrame(rows, columns=D.ANNOTATION_COLUMNS["tone"]),
           "mentions": move(ann["mentions"], "surface"), "quotes": move(ann["quotes"], "quote")}
    return out, pd.DataFrame(recode, columns=RECODE_COLUMNS)


def replace_rows(ann: dict[str, pd.DataFrame], doc_id: str, new: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The annotation tables with ``doc_id``'s rows replaced by ``new``'s, at the place of the old ones."""
    out = {}
    for name, df in ann.items():
        keep = df["doc_id"] != doc_id
        first = int((~keep).to_numpy().argmax()) if (~keep).any() else len(df)
        out[name] = pd.concat([df[keep].iloc[:first], new[name], df[keep].iloc[first:]], ignore_index=True)[df.columns]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("assembled", type=Path)
    p.add_argument("listing", type=Path, help="the annotate.py sentences listing the coder worked from")
    p.add_argument("--doc", action="append", required=True)
    p.add_argument("--write", action="store_true", help="rewrite the annotation CSVs (else only report)")
    a = p.parse_args(argv)
    ann = D.load_annotations()
    old = read_listing(a.listing)
    sents = load_corpus(a.assembled).sentences
    recode = pd.read_csv(RECODE, dtype=str, keep_default_na=False) if RECODE.exists() else pd.DataFrame(columns=RECODE_COLUMNS)
    for doc in a.doc:
        cur = sents[sents["doc_id"] == doc]
        new = [(D.sentence_hash(t), t) for t in cur["text"]]
        mapping = map_units(old[doc], new)
        rows, rc = rekey_document(doc, mapping, ann)
        n_old = int((ann["tone"]["doc_id"] == doc).sum())
        print(f"{doc}: {n_old} old tone rows -> {len(rows['tone'])} tone rows, {len(rc)} marked for re-coding "
              f"({', '.join(f'{k} {v}' for k, v in rc['reason'].value_counts().items()) or 'none'}); "
              f"{len(rows['mentions'])} mentions and {len(rows['quotes'])} quotations re-keyed")
        ann = replace_rows(ann, doc, rows)
        recode = pd.concat([recode[recode["doc_id"] != doc], rc.astype(str)], ignore_index=True)
    problems = D.annotation_problems(ann, set(D.load_manifest().documents["id"]))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    if a.write:
        for name, df in ann.items():
            df.to_csv(D.ANNOTATIONS / f"{name}.csv", index=False)
        recode.to_csv(RECODE, index=False)
        print(f"written to {D.ANNOTATIONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
