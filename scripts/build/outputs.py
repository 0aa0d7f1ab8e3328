"""Where notebooks write their tables and figures, so that nothing an earlier build wrote survives.

Each notebook writes into its own folders, ``outputs/<notebook>/data`` and
``outputs/<notebook>/figures`` of the staging copy, emptied before it runs. The ``data/`` and
``figures/`` folders of the staging copy (``data/`` is published) are then assembled from the
folders of the notebooks in the book, in book order, so they hold exactly what the current
notebooks wrote: a table or figure only an earlier corpus produced, or a removed chapter's, is gone.

A page that reads earlier chapters (the data page lists their tables) gets, as ``data_dir``, the
assembled ``data/`` of the notebooks before it; what it adds or changes there is kept as its own."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

OUTPUTS = "outputs"
KINDS = ("data", "figures")


def folder(work: Path, rel: str) -> Path:
    """``outputs/chapters--01_corpus``: one flat folder per notebook (easy to prune)."""
    return work / OUTPUTS / rel.removesuffix(".ipynb").replace("/", "--")


def fresh(path: Path) -> Path:
    """``path`` as an empty folder."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def assemble(work: Path, rels: list[str]) -> None:
    """Rebuild ``data/`` and ``figures/`` of ``work`` from the output folders of ``rels`` (later wins)."""
    for kind in KINDS:
        target = fresh(work / kind)
        for rel in rels:
            src = folder(work, rel) / kind
            if src.is_dir():
                shutil.copytree(src, target, dirs_exist_ok=True)


def snapshot(path: Path) -> dict[str, str]:
    """sha256 of every file under ``path`` by relative path."""
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


def keep_written(path: Path, before: dict[str, str], dest: Path) -> None:
    """Copy into ``dest`` the files of ``path`` that are new or changed since ``before``."""
    for rel, digest in snapshot(path).items():
        if before.get(rel) != digest:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path / rel, dest / rel)


def prune(work: Path, rels: list[str]) -> None:
    """Delete the output folders of notebooks no longer in the book."""
    keep = {folder(work, rel) for rel in rels}
    root = work / OUTPUTS
    if root.is_dir():
        for p in root.iterdir():
            if p not in keep:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
