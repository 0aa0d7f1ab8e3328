"""Provenance of a build: which inputs, parameters, data files and packages produced the book.

Used by the Methods and Data pages. Every function returns a pandas DataFrame:

``file_inventory(folder)``        file (relative path), bytes, sha256, entries (int: YAML top-level
                                  items counted one per list/dict element, CSV rows, text lines),
                                  structure (e.g. "boilerplate 25, max_file_bytes 1")
``entry_count(folder, file, key)`` (an int) entries of one data file, or of one YAML top-level key
``chapter_parameters(nb_dir)``    chapter (file stem), parameter, value (as used: passed by the
                                  build, else the default), default, passed (bool), help (the
                                  comment after the default in the parameters cell)
``package_versions(req_file)``    package, pinned (version in requirements.txt), installed
                                  (importlib.metadata, "" if missing), matches (bool)
``table_inventory(data_dir)``     table (file stem), file (name), rows, columns (int), size_kb
``column_dictionary(csv, descr)`` column, type (integer, number, text, true/false, date),
                                  non_empty (int), example (first non-empty value, shortened),
                                  description (from ``scripts/data/columns.yml``, "" if none)
``table_report(data_dir, descr)``  both of the above for every CSV of ``data_dir``, each read once
                                  (the dictionary with a ``table`` column)
``markup_sentences(sentences)``   doc_id, sentence_id, text: sentences that still look like HTML
                                  markup after cleaning (shown escaped by the Data page)
``rebuild_command(params, ...)``  (a string, not a table) the command that rebuilds this book
"""
from __future__ import annotations

import hashlib
import json
import re
from importlib import metadata
from pathlib import Path

import pandas as pd
import yaml

from scripts.corpus import SAFE_LOADER

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMON_PARAMETERS = ("seeds_dir", "data_dir", "fig_dir")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def _entries(path: Path) -> tuple[int, str]:
    """Count the entries a user would count: items of top-level YAML lists/maps, CSV rows, lines."""
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        if isinstance(data, dict):
            parts = [(str(k), len(v) if isinstance(v, (list, dict)) else 1) for k, v in data.items()]
            return sum(n for _, n in parts), ", ".join(f"{k} {n}" for k, n in parts)
        if isinstance(data, list):
            return len(data), f"list {len(data)}"
        return (0 if data is None else 1), ""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    if suffix == ".csv":
        return max(len(lines) - 1, 0), "rows"
    return len(lines), "lines"


def file_inventory(folder: str | Path, pattern: str = "*") -> pd.DataFrame:
    """Every file under ``folder`` matching ``pattern`` (sorted), with size, SHA-256 and entry counts."""
    folder = Path(folder)
    rows = []
    for p in sorted(folder.rglob(pattern)):
        if not p.is_file() or p.name.startswith(".") or "__pycache__" in p.parts:
            continue
        data = p.read_bytes()
        try:
            entries, structure = _entries(p)
        except (yaml.YAMLError, UnicodeDecodeError):
            entries, structure = 0, "unreadable"
        rows.append({"file": p.relative_to(folder).as_posix(), "bytes": len(data),
                     "sha256": hashlib.sha256(data).hexdigest(), "entries": int(entries), "structure": structure})
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256", "entries", "structure"])


def entry_count(folder: str | Path, file: str, key: str | None = None) -> int:
    """Entries of one data file of ``folder`` as :func:`file_inventory` counts them, or the items of
    one top-level key of a YAML data file (1 for a scalar); 0 when the file or key is absent."""
    path = Path(folder) / file
    if not path.is_file():
        return 0
    if key is None:
        return int(_entries(path)[0])
    value = (yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}).get(key, [])
    return len(value) if isinstance(value, (list, dict)) else 1


def chapter_parameters(nb_dir: str | Path, include_common: bool = False) -> pd.DataFrame:
    """Parameters of every executed notebook in ``nb_dir`` as papermill ran them.

    Values passed by the build come from the notebook's ``metadata.papermill.parameters``; the others
    are the defaults of its ``parameters`` cell (read with ``papermill.inspect_notebook``). The
    folder arguments every chapter receives are left out unless ``include_common``.
    """
    import papermill

    rows = []
    for nb in sorted(Path(nb_dir).glob("*.ipynb")):
        passed = json.loads(nb.read_text(encoding="utf-8")).get("metadata", {}).get("papermill", {}).get("parameters", {})
        for name, info in papermill.inspect_notebook(str(nb)).items():
            if name in COMMON_PARAMETERS and not include_common:
                continue
            default = str(info.get("default", ""))
            rows.append({"chapter": nb.stem, "parameter": name,
                         "value": json.dumps(passed[name]) if name in passed else default,
                         "default": default, "passed": name in passed, "help": str(info.get("help") or "")})
    return pd.DataFrame(rows, columns=["chapter", "parameter", "value", "default", "passed", "help"])


def package_versions(requirements: str | Path) -> pd.DataFrame:
    """Pinned (``name==version`` lines of ``requirements``) against installed versions."""
    rows = []
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s;]+)", line)
        if not m:
            continue
        name, pinned = re.sub(r"\[.*\]", "", m.group(1)), m.group(2)
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = ""
        rows.append({"package": name, "pinned": pinned, "installed": installed, "matches": installed == pinned})
    return pd.DataFrame(rows, columns=["package", "pinned", "installed", "matches"])


INVENTORY_COLUMNS = ["table", "file", "rows", "columns", "size_kb"]
DICTIONARY_COLUMNS = ["column", "type", "non_empty", "example", "description"]


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _inventory_row(path: Path, df: pd.DataFrame) -> dict:
    return {"table": path.stem, "file": path.name, "rows": int(len(df)), "columns": int(df.shape[1]),
            "size_kb": round(path.stat().st_size / 1024, 1)}


def table_inventory(data_dir: str | Path) -> pd.DataFrame:
    """One row per CSV in ``data_dir`` (sorted by name): rows, columns and size."""
    rows = [_inventory_row(p, _read_csv(p)) for p in sorted(Path(data_dir).glob("*.csv"))]
    return pd.DataFrame(rows, columns=INVENTORY_COLUMNS)


def table_report(data_dir: str | Path, descriptions: dict | None = None, width: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`table_inventory` and every table's :func:`column_dictionary` (with a ``table`` column, in
    the inventory's order), each CSV read once: at 1,000 articles the tables are ≈ 30 MB, and the data
    page read them twice (≈ 1 s of a page that runs alone, after every other)."""
    descriptions = descriptions if descriptions is not None else column_descriptions()
    rows, dictionaries = [], []
    for p in sorted(Path(data_dir).glob("*.csv")):
        df = _read_csv(p)
        rows.append(_inventory_row(p, df))
        dictionaries.append(_dictionary(df, p.stem, descriptions, width).assign(table=p.stem))
    dictionary = (pd.concat(dictionaries, ignore_index=True) if dictionaries
                  else pd.DataFrame(columns=[*DICTIONARY_COLUMNS, "table"]))
    return pd.DataFrame(rows, columns=INVENTORY_COLUMNS), dictionary


def column_descriptions(path: str | Path = DATA_DIR / "columns.yml") -> dict:
    """The column glossary: ``{"tables": {table: {column: text}}, "columns": {column: text}}``."""
    p = Path(path)
    data = yaml.load(p.read_text(encoding="utf-8"), Loader=SAFE_LOADER) if p.is_file() else None
    data = data or {}
    return {"tables": data.get("tables") or {}, "columns": data.get("columns") or {}}


def _all(values: pd.Series, test, head: int = 500) -> bool:
    """``test(values).all()``, looking at the first ``head`` values before the rest: a text column
    fails the integer, number and date tests on its first values, and a million-row table (the term
    frequencies at 1,000 articles) was parsed whole three times to find that out. Same answer."""
    if not bool(test(values.iloc[:head]).all()):
        return False
    return len(values) <= head or bool(test(values.iloc[head:]).all())


def _kind(values: pd.Series) -> str:
    v = values[values != ""]
    if v.empty:
        return "empty"
    if _all(v, lambda x: x.isin(["True", "False"])):
        return "true/false"
    if _all(v, lambda x: x.str.fullmatch(r"-?(0|[1-9]\d*)")):  # "004" is an identifier, not a number
        return "integer"
    if _all(v, lambda x: pd.to_numeric(x, errors="coerce").notna()) and not v.str.fullmatch(r"0\d+").any():
        return "number"
    if _all(v, lambda x: x.str.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?")):
        return "date"
    return "text"


def column_dictionary(csv_path: str | Path, descriptions: dict | None = None, width: int = 40) -> pd.DataFrame:
    """Describe every column of one CSV: inferred type, non-empty count, an example, its meaning.

    The description is looked up in ``descriptions["tables"][<table>][<column>]``, then in
    ``descriptions["columns"][<column>]`` (columns shared by several tables, such as ``doc_id``).
    """
    p = Path(csv_path)
    descriptions = descriptions if descriptions is not None else column_descriptions()
    return _dictionary(_read_csv(p), p.stem, descriptions, width)


def _dictionary(df: pd.DataFrame, table: str, descriptions: dict, width: int) -> pd.DataFrame:
    per_table = (descriptions.get("tables") or {}).get(table) or {}
    shared = descriptions.get("columns") or {}
    rows = []
    for col in df.columns:
        values = df[col]
        non_empty = values[values != ""]
        example = str(non_empty.iloc[0]) if len(non_empty) else ""
        if len(example) > width:
            example = example[: width - 1] + "…"
        rows.append({"column": col, "type": _kind(values), "non_empty": int(len(non_empty)), "example": example,
                     "description": str(per_table.get(col, shared.get(col, "")))})
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def markup_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences (``corpus.sentences``: doc_id, sentence_id, text) that still contain HTML-like tags."""
    hit = sentences["text"].astype(str).str.contains(_TAG)
    return sentences.loc[hit, ["doc_id", "sentence_id", "text"]].reset_index(drop=True)


def rebuild_command(seeds_dir: str | Path, root: str | Path, params: dict | None = None, pdf: bool = True) -> str:
    """The shell command that rebuilds this book from ``root``: seeds folder relative to the
    repository when inside it, every non-default chapter parameter as ``--param NAME=VALUE``."""
    seeds, root = Path(seeds_dir).resolve(), Path(root).resolve()
    seeds_arg = seeds.relative_to(root).as_posix() if seeds.is_relative_to(root) else str(seeds)
    parts = ["python", "-m", "scripts.build", "--seeds", seeds_arg]
    for name, value in sorted((params or {}).items()):
        text = value if isinstance(value, str) else json.dumps(value)
        parts += ["--param", f"{name}={text}"]
    if pdf:
        parts.append("--pdf")
    return " ".join(_quote(p) for p in parts)


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def download_role(path: str | Path, start: str | Path) -> str:
    """A MyST ``{download}`` role for ``path`` relative to ``start`` (the page's folder).

    Only plain file names (letters, digits, ``._-``) are accepted: the role is pasted unescaped.
    """
    import os

    p = Path(path)
    if not re.fullmatch(r"[\w.\-]+", p.name):
        raise ValueError(f"{p.name!r}: table names may hold only letters, digits, '.', '_' and '-'")
    rel = Path(os.path.relpath(p, start)).as_posix()
    return f"{{download}}`{p.name} <{rel}>`"


def source_revision(root: str | Path) -> str:
    """``<commit> (clean)`` / ``<commit> plus uncommitted changes`` for a git checkout, else a sentence."""
    import subprocess

    try:
        sha = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                             text=True, check=True, timeout=20).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return f"commit {sha}" + (" plus uncommitted changes" if dirty else "")
