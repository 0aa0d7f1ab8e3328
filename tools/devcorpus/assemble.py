"""Check the development-corpus texts against the committed manifest and write a seeds folder.

    .venv/bin/python tools/devcorpus/assemble.py TEXTS_DIR OUT_DIR [--partial]

Every text listed in ``manifest.yml`` must be in TEXTS_DIR with the recorded sha256 (or, when only
invisible characters differ, the recorded ``sha256_normalised``: noted and accepted): one line per
missing or different file, exit status 1, nothing written. ``--partial`` writes the folder with the
texts that match (the scorer then reports the missing articles' annotations as not scored).
The folder (texts + ``manifest.yml``) is what ``scripts.seeds check`` and the book accept.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import devcorpus as D


def assemble(texts_dir: Path | str, out_dir: Path | str, partial: bool = False,
             manifest: Path | str = D.MANIFEST, out=sys.stdout) -> int:
    """Verify and write; return the exit status (0 = all texts match, or ``partial`` and some do)."""
    m = D.load_manifest(manifest)
    problems = D.manifest_problems(m)
    if problems:
        for p in problems:
            print(f"manifest: {p}", file=out)
        return 1
    bad, notes = D.verify_texts(m.documents, texts_dir)
    for p in (*notes, *bad):
        print(p, file=out)
    ok_files = {d.file for d in m.documents.itertuples()} - {p.split(":", 1)[0] for p in bad}
    docs = m.documents[m.documents["file"].isin(ok_files)]
    if bad and not partial:
        print(f"{len(bad)} of {len(m.documents)} texts missing or different: nothing written "
              f"(--partial writes the {len(docs)} that match)", file=out)
        return 1
    if docs.empty:
        print("no text matches the manifest: nothing written", file=out)
        return 1
    folder = D.write_seeds_folder(m, docs, texts_dir, out_dir)
    print(f"{len(docs)} of {len(m.documents)} texts verified; seeds folder written to {folder}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("texts_dir", type=Path, help="folder holding the article .txt files (outside git)")
    p.add_argument("out_dir", type=Path, help="seeds folder to write (texts + manifest.yml)")
    p.add_argument("--partial", action="store_true", help="write the texts that match even if some are missing or differ")
    p.add_argument("--manifest", type=Path, default=D.MANIFEST, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    return assemble(a.texts_dir, a.out_dir, a.partial, a.manifest)


if __name__ == "__main__":
    sys.exit(main())
