"""Help a human annotator: list sentences as the report splits them, and turn a coder's sheets into
the three annotation CSVs.

    .venv/bin/python tools/devcorpus/annotate.py sentences ASSEMBLED_DIR [--doc ID ...]
    .venv/bin/python tools/devcorpus/annotate.py compile ASSEMBLED_DIR SHEETS_DIR [--out ANNOTATIONS_DIR]

``sentences`` prints, per document, ``s<NNN> <sentence_hash> <text>`` (cleaned paragraphs only,
``scripts.corpus.load_corpus``), the view an annotator codes.

``compile`` reads one sheet per document, ``SHEETS_DIR/<doc_id>.txt``, one line per sentence:

    s004 -1 | trump "Trump" | putin "Vladimir Putin" | Q lavrov "We have serious" | J

``s<NNN>`` is the sentence number of the listing; then the tone label (-1, 0, 1); then ``|``
separated items: a person mention ``<actor> "<surface as written>"`` (repeat it for each
occurrence), a quotation ``Q <speaker> "<its first words>"`` (the first 8 words are taken from the
sentence from there on), ``J`` when the sentence is scrape junk. Every sentence needs a line; every
surface and quotation start must occur in the sentence: otherwise compile lists the problems and
writes nothing. Sheets keyed by sentence number are a working aid (not committed): the CSVs are
keyed by sentence hash.
"""
from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

import devcorpus as D
import pandas as pd

from scripts.corpus import load_corpus

_LINE = re.compile(r"^s(\d{3})\s+(-1|0|1)\s*(?:\|(.*))?$")
_QUOTE_OPEN = "«“\"„"


def listing(sentences: pd.DataFrame) -> pd.DataFrame:
    """doc_id, key (s<NNN>), sentence_hash, text: the sentences an annotator codes, in order."""
    s = sentences.sort_values(["doc_id", "sent_idx"])
    return pd.DataFrame({"doc_id": s["doc_id"].values, "key": [f"s{i:03d}" for i in s["sent_idx"]],
                         "sentence_hash": [D.sentence_hash(t) for t in s["text"]], "text": s["text"].values})


def first_words(text: str, start: str, n: int = 8) -> str | None:
    """The first ``n`` words of the quotation that begins with ``start`` in ``text`` (opening marks
    dropped, cut at the closing mark), or None when ``start`` does not occur."""
    i = text.find(start)
    if i < 0:
        return None
    rest = text[i:].lstrip(_QUOTE_OPEN + " ")
    ends = [rest.find(c) for c in "»”\"" if rest.find(c) >= 0]
    if i > 0 and text[i - 1] == "'":  # 'single' quotes (the corpus turns them into apostrophes)
        close = re.search(r"'(?!\w)", rest)
        ends += [close.start()] if close else []
    return " ".join(rest[:min(ends, default=len(rest))].split()[:n])


def parse_sheet(doc_id: str, lines: list[str], rows: pd.DataFrame) -> tuple[dict[str, list[dict]], list[str]]:
    """Annotation rows of one document from its sheet lines, and the problems found."""
    by_key = {r.key: r for r in rows.itertuples()}
    out: dict[str, list[dict]] = {"mentions": [], "quotes": [], "tone": []}
    problems, seen = [], set()
    for n, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{doc_id}.txt line {n}"
        m = _LINE.match(line)
        if not m:
            problems.append(f"{where}: not 's<NNN> <label> | items': {line[:60]}")
            continue
        key, label, rest = f"s{m.group(1)}", int(m.group(2)), m.group(3) or ""
        if key not in by_key:
            problems.append(f"{where}: {doc_id} has no sentence {key}")
            continue
        seen.add(key)
        r = by_key[key]
        junk, counts = 0, {}
        for item in (x.strip() for x in rest.split("|")):
            if not item:
                continue
            parts = shlex.split(item)
            if parts == ["J"]:
                junk = 1
            elif len(parts) == 3 and parts[0] == "Q":
                quote = first_words(r.text, parts[2])
                if quote is None:
                    problems.append(f"{where}: quotation start {parts[2]!r} not in {key}")
                else:
                    out["quotes"].append({"doc_id": doc_id, "sentence_hash": r.sentence_hash, "quote": quote, "speaker": parts[1]})
            elif len(parts) == 2:
                actor, surface = parts
                if surface not in r.text:
                    problems.append(f"{where}: surface {surface!r} not in {key}")
                counts[(actor, surface)] = counts.get((actor, surface), 0) + 1
            else:
                problems.append(f"{where}: cannot read item {item!r}")
        for (actor, surface), c in counts.items():
            if 0 < r.text.count(surface) < c:
                problems.append(f"{where}: {surface!r} counted {c} times but occurs {r.text.count(surface)} times in {key}")
            out["mentions"].append({"doc_id": doc_id, "sentence_hash": r.sentence_hash, "actor": actor, "surface": surface, "count": c})
        out["tone"].append({"doc_id": doc_id, "sentence_hash": r.sentence_hash, "label": label, "junk": junk})
    missing = [k for k in by_key if k not in seen]
    if missing:
        problems.append(f"{doc_id}.txt: no line for {', '.join(missing)}")
    return out, problems


def compile_sheets(assembled: Path, sheets: Path) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The three annotation tables from every sheet, and the problems (empty when all are right)."""
    corp = load_corpus(assembled)
    rows = listing(corp.sentences)
    tables: dict[str, list[dict]] = {k: [] for k in D.ANNOTATION_COLUMNS}
    problems = []
    for doc_id in sorted(corp.documents["doc_id"]):
        path = sheets / f"{doc_id}.txt"
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        got, bad = parse_sheet(doc_id, path.read_text(encoding="utf-8").splitlines(), rows[rows["doc_id"] == doc_id])
        problems.extend(bad)
        for k, v in got.items():
            tables[k].extend(v)
    out = {k: pd.DataFrame(v, columns=D.ANNOTATION_COLUMNS[k]) for k, v in tables.items()}
    # a sentence repeated within a document has one hash: keep its first coding
    out["tone"] = out["tone"].drop_duplicates(["doc_id", "sentence_hash"])
    return out, problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sentences", help="list sentences with their keys and hashes")
    s.add_argument("assembled", type=Path)
    s.add_argument("--doc", nargs="*", default=None)
    c = sub.add_parser("compile", help="turn coding sheets into the annotation CSVs")
    c.add_argument("assembled", type=Path)
    c.add_argument("sheets", type=Path)
    c.add_argument("--out", type=Path, default=D.ANNOTATIONS)
    a = p.parse_args(argv)
    if a.command == "sentences":
        rows = listing(load_corpus(a.assembled).sentences)
        for doc_id, g in rows.groupby("doc_id", sort=True):
            if a.doc and doc_id not in a.doc:
                continue
            print(f"== {doc_id}")
            for r in g.itertuples():
                print(f"{r.key} {r.sentence_hash} {r.text}")
        return 0
    tables, problems = compile_sheets(a.assembled, a.sheets)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problems: nothing written")
        return 1
    a.out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(a.out / f"{name}.csv", index=False)
    print(", ".join(f"{len(df)} {name}" for name, df in tables.items()) + f" written to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
