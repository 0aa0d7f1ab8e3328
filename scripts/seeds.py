"""Command line to add articles and episodes to a seeds folder, and to check a folder without building.

    python -m scripts.seeds add FILE --episode ID --seeds FOLDER [--date YYYY-MM-DD] [--source TEXT]
                                [--title TEXT] [--language en|fr] [--id ID] [--note TEXT] [--name NAME] [--skip]
    python -m scripts.seeds episode add ID --label TEXT --date YYYY-MM-DD --place TEXT --seeds FOLDER
                                [--summary TEXT]
    python -m scripts.seeds check [FOLDER]
    python -m scripts.seeds sample [FOLDER] [--n 80] [--seed S] [--out FILE] [--force]

``add`` and ``episode add`` write, so they need ``--seeds``: they never write into the bundled
``seeds/`` unless told to (copy it first to extend it: ``cp -r seeds my-seeds``), and no message
advises writing into it. ``check`` and ``sample`` only read; their ``FOLDER`` defaults to the bundled
``seeds/``. Errors are printed as lines starting ``error: `` on stderr (one per problem: the file,
what is wrong, what to do) and the exit code is 2.

``sample`` writes a coding sheet: a stratified sample of sentences (episode x language,
:func:`scripts.validation_sample.draw_sample`) as CSV with columns sentence_id, doc_id, episode,
language, sentence_hash, text, label (empty: fill in -1, 0 or 1), note, and the coding guidelines
next to it (``tone_guidelines.md``). Build with ``--param annotations_file=/absolute/path.csv``: the
tone chapter then reports agreement on the user's own sentences.

Safety: ``add`` validates the text (UTF-8, not empty, not binary, not too large, a supported
language, not already in the folder) *before* writing anything; it copies the file and then
replaces ``manifest.yml`` atomically (write a hidden temporary file, then rename), and rolls both
back if the new manifest does not validate. The manifest is read like the build reads it
(:func:`scripts.corpus.read_manifest`) and edited with ruamel.yaml's round-trip mode (the new entry
is appended to its list), so comments, quoting and list indentation of the existing file are kept.

Tables returned by :func:`summarise` (pandas DataFrames, for ``check`` and tests):

``per_episode``  episode, label, date (YYYY-MM-DD), language, documents, words (clean word tokens)
``languages``    doc_id, file, declared ("" = not declared), detected, share (stop-word share of the
                 detected language), agrees (declared is empty or equal to detected)
``duplicates``   doc_id, file, duplicate_of (documents counted once because they repeat another)
``dropped``      doc_id, one column per kind of reason (boilerplate, after, duplicate, ...), total
``skipped``      file, episode, note (manifest entries marked ``skip: true``)
``suspects``     doc_id, file, par_id, text (kept short lines without a verb:
                 :func:`scripts.cleaning.suspected_junk`)
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import yaml

from scripts import cleaning, repeats
from scripts import corpus as C
from scripts import validation_sample as VS
from scripts.build.console import python_cmd
from scripts.narrative.common import plural

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT / "seeds"
#: the folder messages name instead of the bundled seeds/ when they advise writing
OWN_SEEDS = "my-seeds"
GUIDELINES = ROOT / "scripts" / "data" / "validation" / "tone_guidelines.md"
SAMPLE_HEADER = """\
# Coding guidelines for {sheet}

{sheet} holds {n} sentences drawn from {folder} by `python -m scripts.seeds sample` (seed {seed}),
stratified by episode and language. Fill in the `label` column of each row with -1, 0 or 1 as
below (leave it empty for a sentence you did not code; use `note` for doubts); do not edit the
other columns. Then build the book with
`--param annotations_file={sheet_path}`: the tone chapter reports how far its measures agree with
your codes, per language and measure. The rules below were written for the bundled sample; the
parts about that sample (its file, how it was drawn, who coded it) do not apply to yours.

"""
EPISODE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MANIFEST_HEADER = """\
# Corpus manifest: which texts belong to which diplomatic episode (format of seeds/manifest.yml).
# episodes: id, label, date (YYYY-MM-DD), place, summary.
# documents: file (relative to this folder), episode (an id above), language (en/fr; omit to
# detect), date, source, title, optional id (defaults to the part of the file name before "_"),
# optional skip: true (keep the file but leave it out of the analysis), optional note.
# Edit by hand or with: python -m scripts.seeds episode add ... / python -m scripts.seeds add ...
episodes: []
documents: []
"""


def advised_folder(folder: Path | str) -> str:
    """The folder to name in advice that writes, closing quote included: ``folder`` itself, or for
    the bundled seeds/ a copy of the user's own, never the bundled corpus."""
    if Path(folder).resolve() == DEFAULT_SEEDS.resolve():
        return f"{OWN_SEEDS}' (after 'cp -r {DEFAULT_SEEDS} {OWN_SEEDS}': seeds/ is the bundled corpus; work on a copy)"
    return f"{folder}'"


# --------------------------------------------------------------------------- editing the manifest
def _round_trip(text: str):
    """A ruamel.yaml round-trip loader/dumper that writes lists with the indentation ``text`` uses
    (``  - key: value`` as in seeds/manifest.yml when it cannot tell), keeps quotes and never wraps."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, offset = load_yaml_guess_indent(text)
    if indent is None or offset is None:
        indent, offset = 4, 2
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 10**6
    rt.indent(mapping=2, sequence=indent, offset=offset)
    return rt


def _split_trailing_comment(node, into) -> None:
    """Move what follows the last line of ``node`` (blank lines, comment lines) to the end of
    ``into``, the item appended after it, so that they stay after the list as in the file.

    ruamel.yaml keeps them on the last key (or item) of ``node``, deepest first; an end-of-line
    comment on that last line stays where it is."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    keys = list(node) if isinstance(node, CommentedMap) else list(range(len(node))) if isinstance(node, CommentedSeq) else []
    if not keys:
        return
    last = keys[-1]
    value = node[last]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        _split_trailing_comment(value, into)
    entry = node.ca.items.get(last)
    if not entry or len(entry) < 3 or entry[2] is None or "\n" not in entry[2].value:
        return
    token = entry[2]
    head, tail = token.value.split("\n", 1)
    if not tail:
        return
    into_keys = list(into) if isinstance(into, CommentedMap) else list(range(len(into)))
    if not into_keys:
        return
    moved = copy.copy(token)
    moved.value = "\n" + tail
    into.ca.items[into_keys[-1]] = [None, None, moved, None]
    if head.strip():
        token.value = head + "\n"
    else:
        entry[2] = None


def append_entry(text: str, key: str, item: dict) -> str:
    """Return manifest ``text`` with ``item`` appended to its top-level list ``key``.

    Edited with ruamel.yaml's round-trip mode: comments, blank lines, quoting, key order and the
    list indentation of the file are kept; lines after the list's last item (blank lines, comments)
    stay after the new one. A missing key, an empty flow list (``documents: []``) or an empty value
    (``documents:``) become a block list holding the item; an empty text starts from
    :data:`MANIFEST_HEADER`. Raises :class:`ValueError` for a list written in flow style with items
    (``[{...}]``) or a non-list value, and if the result does not read back as the old content plus
    the item.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not text.strip():
        text = MANIFEST_HEADER
    rt = _round_trip(text)
    data = rt.load(text)
    if not isinstance(data, CommentedMap):
        raise ValueError("the manifest is not a mapping of 'episodes' and 'documents'")
    seq = data.get(key)
    if seq is None or (isinstance(seq, CommentedSeq) and not len(seq)):
        seq = CommentedSeq()  # a comment after 'documents: []' stays on the key
        data[key] = seq
    elif not isinstance(seq, CommentedSeq) or seq.fa.flow_style():
        raise ValueError(f"'{key}' is not a block list (write it as '{key}:' followed by '  - ...' lines)")
    seq.fa.set_block_style()
    entry = CommentedMap(item)
    if len(seq):
        _split_trailing_comment(seq[-1], entry)
    seq.append(entry)
    out = io.StringIO()
    rt.dump(data, out)
    new = out.getvalue()
    before, after = yaml.safe_load(text) or {}, yaml.safe_load(new)
    expected = {**before, key: [*(before.get(key) or []), _plain(item)]}
    if after != expected:
        raise ValueError(f"could not append to '{key}' without changing its meaning")
    return new


def _plain(item: dict) -> dict:
    """``item`` as YAML reads it back (dates stay dates, everything else unchanged)."""
    return yaml.safe_load(yaml.safe_dump(item, allow_unicode=True, sort_keys=False))


def _read_manifest(folder: Path) -> tuple[str, dict]:
    """The manifest's text (to edit) and its content (:func:`scripts.corpus.read_manifest`)."""
    raw = C.read_manifest(folder, missing=f"create it with '{python_cmd()} -m scripts.seeds episode add ID --label ... --date ... "
                                           f"--place ... --seeds {advised_folder(folder)}")
    return (folder / "manifest.yml").read_text(encoding="utf-8"), raw


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file and a rename (never half a file)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@contextmanager
def _folder_lock(folder: Path):
    """One writer at a time per seeds folder (hidden lock file: not part of the seeds hash)."""
    from filelock import FileLock

    with FileLock(str(folder / ".seeds.lock"), timeout=30):
        yield


def _as_date(value: str, what: str) -> dt.date:
    try:
        return pd.Timestamp(str(value)).date()
    except (ValueError, TypeError):
        raise C.CorpusError([f"{what}: date {value!r} is not a date: write it as YYYY-MM-DD"]) from None


# --------------------------------------------------------------------------- episode add
def add_episode(folder: Path | str, episode_id: str, label: str, date: str, place: str, summary: str = "") -> dict:
    """Append an episode to ``<folder>/manifest.yml`` (created, with the folder, if missing).

    Returns the entry written. Raises :class:`CorpusError` (nothing written) for a bad id, a
    duplicate id, an empty label/place or a bad date.
    """
    folder = Path(folder)
    problems = []
    if not EPISODE_ID.match(episode_id or ""):
        problems.append(f"episode id {episode_id!r}: use letters, digits, '-', '_' or '.' (e.g. geneva-2021)")
    if not (label or "").strip():
        problems.append(f"episode {episode_id}: --label is empty: give a short readable name, e.g. 'Geneva, June 2021'")
    if not (place or "").strip():
        problems.append(f"episode {episode_id}: --place is empty: give the city, e.g. Geneva")
    when = None
    try:
        when = _as_date(date, f"episode {episode_id}")
    except C.CorpusError as err:
        problems.extend(err.problems)
    if problems:
        raise C.CorpusError(problems)
    folder.mkdir(parents=True, exist_ok=True)
    with _folder_lock(folder):
        path = folder / "manifest.yml"
        text, raw = _read_manifest(folder) if path.is_file() else (MANIFEST_HEADER, {"episodes": [], "documents": []})
        known = [str(e.get("id")) for e in raw["episodes"] if isinstance(e, dict)]
        if episode_id in known:
            raise C.CorpusError([f"{path}: episode {episode_id!r} already exists: choose another id or edit the existing entry"])
        entry = {"id": episode_id, "label": label.strip(), "date": when, "place": place.strip()}
        if summary:
            entry["summary"] = summary.strip()
        try:
            new = append_entry(text, "episodes", entry)
        except ValueError as err:
            raise C.CorpusError([f"{path}: {err}: add the episode by hand (see seeds/manifest.yml)"]) from None
        _write_atomic(path, new.encode("utf-8"))
    return entry


# --------------------------------------------------------------------------- add
def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def default_title(text: str, language: str = "en", max_chars: int = 150) -> str:
    """The first line that cleaning keeps (site furniture above the headline, such as a menu or the
    site's name, is skipped) when it is short enough to be a headline, else ""."""
    rules = C.cleaning_rules()
    text, _ = cleaning.unwrap_lines(C.normalise(text), rules)
    pars = cleaning.split_paragraphs(text, rules)[:20]
    kept = cleaning.clean_paragraphs(pars, language, rules=rules)
    first = kept.loc[kept["kept"], "text"]
    if first.empty:
        return ""
    line = str(first.iloc[0]).strip()
    return line if len(line) <= max_chars else ""


def add_document(folder: Path | str, file: Path | str, episode: str, *, date: str | None = None,
                 source: str = "", title: str | None = None, language: str | None = None,
                 doc_id: str | None = None, note: str = "", name: str | None = None, skip: bool = False) -> dict:
    """Validate ``file`` and add it to the seeds folder with a manifest entry.

    Returns a dict: ``entry`` (what was written), ``path`` (the file in the folder), ``detected``
    and ``share`` (language detection), ``copied`` (False when the file was already in the folder),
    ``warnings`` (list of lines: near-duplicate text, declared language differing from detected).
    Raises :class:`CorpusError` with one line per problem, before anything is written.
    """
    folder = Path(folder).resolve()
    src = Path(file)
    if not src.is_file():
        raise C.CorpusError([f"{src}: no such file: give the path of a plain-text article"])
    text_manifest, raw = _read_manifest(folder)
    episodes = [str(e.get("id")) for e in raw["episodes"] if isinstance(e, dict)]
    if episode not in episodes:
        known = ", ".join(episodes) or "none"
        raise C.CorpusError([f"{src.name}: unknown episode {episode!r} (known: {known}): add it first with "
                             f"'{python_cmd()} -m scripts.seeds episode add {episode} --label ... --date ... --place ... "
                             f"--seeds {advised_folder(folder)}"])

    # 1. the text itself, exactly as the build will read it
    text = C.read_text(src)
    clean, _ = C.repair_glued_words(C.normalise(text))
    detected, share = C.detect_language(clean)
    supported = ", ".join(C.SUPPORTED_LANGUAGES)
    if language is not None and language not in C.SUPPORTED_LANGUAGES and not skip:
        raise C.CorpusError([f"{src.name}: language {language!r} is not supported ({supported}): "
                             "translate the article, or add it with --skip"])
    if language is None and detected not in C.SUPPORTED_LANGUAGES and not skip:
        raise C.CorpusError([f"{src.name}: detected language {detected!r} (stop-word share {share:.0%}) is not supported ({supported}): "
                             f"translate the article, pass --language if detection is wrong, or add it with --skip"])
    warnings = []
    if language and language != detected:
        warnings.append(f"{src.name}: declared {language!r} but the text reads as {detected!r} (share {share:.0%}): check --language")

    # 2. not already there
    listed = [d for d in raw["documents"] if isinstance(d, dict) and d.get("file")]
    digest = sha256(src)
    for d in listed:
        p = (folder / str(d["file"])).resolve()
        if p.is_file() and p != src.resolve() and sha256(p) == digest:
            raise C.CorpusError([f"{src.name}: already in {folder} as {d['file']} (same content): nothing to add; use a different article"])
    in_folder = folder in src.resolve().parents
    target = src.resolve() if in_folder else folder / (name or src.name)
    rel = target.relative_to(folder).as_posix() if folder in target.resolve().parents else None
    if rel is None or name and (Path(name).is_absolute() or ".." in Path(name).parts):
        raise C.CorpusError([f"{name}: --name must be a plain file name inside {folder}"])
    if any(str(d["file"]) == rel or (folder / str(d["file"])).resolve() == target.resolve() for d in listed):
        raise C.CorpusError([f"{rel}: already listed in {folder / 'manifest.yml'}: edit that entry, or pass --name for a new file name"])
    if not in_folder and target.exists():
        raise C.CorpusError([f"{rel}: a different file with this name is already in {folder}: pass --name NEW_NAME.txt"])
    if doc_id:
        ids = {str(d.get("id") or "") for d in listed} | {_default_id(str(d["file"])) for d in listed}
        if doc_id in ids:
            raise C.CorpusError([f"{src.name}: id {doc_id!r} is already used in {folder / 'manifest.yml'}: choose another --id"])
    others = {}
    for d in listed:
        p = folder / str(d["file"])
        try:
            others[str(d["file"])] = C.repair_glued_words(C.normalise(C.read_text(p)))[0]
        except (C.CorpusError, OSError):
            continue
    threshold = float(C.cleaning_rules()["duplicate_document_threshold"])
    dup = repeats.duplicate_documents({**others, "\0new": clean}, threshold).get("\0new")
    if dup:
        warnings.append(f"{src.name}: the same text as {dup} (after normalisation): it will be counted once (documents.csv duplicate_of)")

    # 3. the entry
    entry: dict = {"file": rel, "episode": episode}
    if language or detected in C.SUPPORTED_LANGUAGES:
        entry["language"] = language or detected
    if date:
        entry["date"] = _as_date(date, src.name)
    entry["source"] = source or ""
    entry["title"] = title if title is not None else default_title(text, language or detected)
    if title is None and not entry["title"]:
        warnings.append(f"{src.name}: no title could be taken (its first line of text is not a short headline): "
                        "cleaning uses the title to drop repeated headlines; pass --title, or add 'title:' to its entry")
    if doc_id:
        entry["id"] = doc_id
    if note:
        entry["note"] = note
    if skip:
        entry["skip"] = True
    if not entry["source"]:
        del entry["source"]
    if not entry["title"]:
        del entry["title"]
    try:
        new_manifest = append_entry(text_manifest, "documents", entry)
    except ValueError as err:
        raise C.CorpusError([f"{folder / 'manifest.yml'}: {err}: add the entry by hand"]) from None

    # 4. write: copy the text, replace the manifest, validate, roll back on failure
    manifest = folder / "manifest.yml"
    with _folder_lock(folder):
        if manifest.read_text(encoding="utf-8") != text_manifest:
            raise C.CorpusError([f"{manifest}: changed while adding {src.name}: run the command again"])
        copied = False
        if not in_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            shutil.copyfile(src, tmp)
            os.replace(tmp, target)
            copied = True
        _write_atomic(manifest, new_manifest.encode("utf-8"))
        try:
            C.load_manifest(folder)
        except C.CorpusError as err:
            _write_atomic(manifest, text_manifest.encode("utf-8"))
            if copied:
                target.unlink()
            raise C.CorpusError([*err.problems, f"{manifest}: left unchanged; fix the problems above and add {src.name} again"]) from None
    return {"entry": entry, "path": target, "detected": detected, "share": share, "copied": copied, "warnings": warnings}


def _default_id(file: str) -> str:
    stem = Path(file).stem
    return stem.split("_")[0] if "_" in stem else stem


# --------------------------------------------------------------------------- check
def summarise(corp: C.Corpus, manifest: C.Manifest) -> dict[str, pd.DataFrame]:
    """The tables ``check`` prints (columns in the module docstring)."""
    docs, eps = corp.documents, corp.episodes
    per = (docs[docs["duplicate_of"] == ""].groupby(["episode", "language"])
           .agg(documents=("doc_id", "count"), words=("tokens_clean", "sum")).reset_index()
           .merge(eps[["episode", "label", "date", "order"]], on="episode", how="right")
           .sort_values(["order", "language"]))
    per["documents"] = per["documents"].fillna(0).astype(int)
    per["words"] = per["words"].fillna(0).astype(int)
    per["language"] = per["language"].fillna("-")
    per["date"] = per["date"].dt.strftime("%Y-%m-%d")
    per_episode = per[["episode", "label", "date", "language", "documents", "words"]].reset_index(drop=True)
    languages = pd.DataFrame({
        "doc_id": docs["doc_id"], "file": docs["file"], "declared": docs["language_declared"],
        "detected": docs["language_detected"], "share": docs["language_score"],
        "agrees": (docs["language_declared"] == "") | (docs["language_declared"] == docs["language_detected"]),
    })
    duplicates = docs.loc[docs["duplicate_of"] != "", ["doc_id", "file", "duplicate_of"]].reset_index(drop=True)
    mdocs = manifest.documents
    skipped = mdocs.loc[mdocs["skip"], ["file", "episode", "note"]].reset_index(drop=True)
    suspects = cleaning.suspected_junk(corp.paragraphs, docs, C.cleaning_rules())
    return {"per_episode": per_episode, "languages": languages, "duplicates": duplicates,
            "dropped": C.dropped_counts(corp), "skipped": skipped, "suspects": suspects}


def unlisted_files(folder: Path, manifest: C.Manifest) -> list[str]:
    """Text files in the folder that the manifest does not list (they are ignored by the build)."""
    listed = {Path(p).resolve() for p in manifest.documents["path"]}
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")
                  if p.resolve() not in listed and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def check(folder: Path | str, out=None) -> None:
    """Validate ``folder`` like the build does and print a summary; raise :class:`CorpusError` if invalid."""
    folder = Path(folder).resolve()
    out = out or sys.stdout
    manifest = C.load_manifest(folder)
    corp = C.load_corpus(folder)
    s = summarise(corp, manifest)
    docs = corp.documents
    w = lambda line="": print(line, file=out)  # noqa: E731
    langs = ", ".join(f"{l} {n}" for l, n in docs["language"].value_counts().sort_index().items())
    w(f"seeds folder {folder}: valid")
    w(f"{plural(len(docs), 'document')} ({len(s['duplicates'])} duplicate, {len(s['skipped'])} skipped), "
      f"{plural(len(corp.episodes), 'episode')}, languages: {langs}, {int(docs['tokens_clean'].sum()):,} clean word tokens")
    w()
    w("Documents per episode and language (duplicates counted once):")
    w(s["per_episode"].to_string(index=False))
    for r in s["per_episode"][s["per_episode"]["documents"] == 0].itertuples():
        w(f"warning: episode {r.episode} has no documents: add articles with "
          f"'{python_cmd()} -m scripts.seeds add FILE --episode {r.episode} --seeds {advised_folder(folder)} or remove the episode")
    w()
    w("Language declared in manifest.yml vs detected from the text:")
    w(s["languages"].to_string(index=False))
    for r in s["languages"][~s["languages"]["agrees"]].itertuples():
        w(f"warning: {r.file}: declared {r.declared!r} but the text reads as {r.detected!r}: check its 'language:'")
    for r in docs[(docs["paragraphs_kept"] == 0) & (docs["duplicate_of"] == "")].itertuples():
        w(f"warning: {r.file}: cleaning dropped all {r.paragraphs_raw} paragraphs: nothing of it is analysed; "
          f"check the text, or the rules in scripts/data/cleaning.yml")
    w()
    if s["duplicates"].empty:
        w("Duplicate documents: none")
    else:
        w("Duplicate documents (kept in documents.csv with duplicate_of, counted once):")
        w(s["duplicates"].to_string(index=False))
    w()
    n_dropped = int(s["dropped"]["total"].sum())
    w(f"Paragraphs dropped by cleaning: {n_dropped} of {len(corp.paragraphs)} (reasons per document; rules in scripts/data/cleaning.yml)")
    w(s["dropped"].to_string(index=False))
    w()
    if s["suspects"].empty:
        w("Suspected leftover junk: none (no short line without a verb survived cleaning)")
    else:
        w(f"Suspected leftover junk: {plural(len(s['suspects']), 'short line')} without a verb survived cleaning. Headings "
          "look like this too; a line that is site furniture (a caption, credit, menu, date) needs a pattern in "
          "scripts/data/cleaning.yml:")
        for file, g in s["suspects"].groupby("file", sort=False):
            w(f"  {file}:")
            for r in g.itertuples():
                w(f"    paragraph {r.par_id}: {r.text[:100]!r}")
    if not s["skipped"].empty:
        w()
        w("Skipped (skip: true):")
        w(s["skipped"].to_string(index=False))
    extra = unlisted_files(folder, manifest)
    if extra:
        w()
        w(f"note: not in manifest.yml, ignored by the build: {', '.join(extra)} "
          f"(add them with '{python_cmd()} -m scripts.seeds add FILE --episode ID --seeds {advised_folder(folder)})")
    w()
    w(f"OK. Build the book with: make book SEEDS={folder}   (or {python_cmd()} -m scripts.build --seeds {folder})")


# --------------------------------------------------------------------------- sample
def write_sample(folder: Path | str, out: Path | str, n: int = 80, seed: int = 0, force: bool = False,
                 min_per_stratum: int = 5) -> dict:
    """Draw the coding sample of ``folder`` (:func:`scripts.validation_sample.draw_sample`) and write
    it to ``out`` (CSV, :data:`scripts.validation_sample.SHEET_COLUMNS`) with ``tone_guidelines.md``
    next to it. Refuses to overwrite either file unless ``force`` (a coded sheet is hours of work).
    Returns sheet (path), guidelines (path), sample (DataFrame), strata (DataFrame: episode,
    language, sentences, drawn)."""
    folder = Path(folder).resolve()
    out = Path(out).resolve()
    guide = out.parent / "tone_guidelines.md"
    if n < 1:
        raise C.CorpusError([f"--n {n}: draw at least one sentence"])
    existing = [p for p in (out, guide) if p.exists()]
    if existing and not force:
        raise C.CorpusError([f"{p}: exists (perhaps already coded): choose another --out, or pass --force to replace it"
                             for p in existing])
    if folder in out.parents:
        raise C.CorpusError([f"{out}: inside the seeds folder {folder}: write the sheet outside it (--out), so the corpus stays "
                             "what the manifest lists"])
    corp = C.load_corpus(folder)
    sample = VS.draw_sample(corp.sentences, corp.episodes, n=n, seed=seed, min_per_stratum=min_per_stratum)
    pool = VS.eligible(corp.sentences).groupby(["episode", "language"]).size().rename("sentences")
    drawn = sample.groupby(["episode", "language"]).size().rename("drawn")
    strata = pd.concat([pool, drawn], axis=1).fillna(0).astype(int).reset_index()
    out.parent.mkdir(parents=True, exist_ok=True)
    VS.coding_sheet(sample).to_csv(out, index=False)
    header = SAMPLE_HEADER.format(sheet=out.name, n=len(sample), folder=folder, seed=seed, sheet_path=out)
    guide.write_text(header + GUIDELINES.read_text(encoding="utf-8"), encoding="utf-8")
    return {"sheet": out, "guidelines": guide, "sample": sample, "strata": strata}


# --------------------------------------------------------------------------- command line
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scripts.seeds",
                                description="Add articles and episodes to a seeds folder; check a folder; draw a sample to code by hand.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("add", help="copy an article into the seeds folder and add its manifest entry")
    a.add_argument("file", type=Path, help="plain-text article (UTF-8)")
    a.add_argument("--episode", required=True, help="episode id (see manifest.yml)")
    a.add_argument("--date", help="publication date YYYY-MM-DD (default: the episode's date)")
    a.add_argument("--source", default="", help="outlet, byline, kind of text")
    a.add_argument("--title", help="headline (default: the first line when it is short)")
    a.add_argument("--language", help="en or fr (default: detected)")
    a.add_argument("--id", dest="doc_id", help="document id (default: file name before the first '_')")
    a.add_argument("--note", default="", help="how date/source/title were established")
    a.add_argument("--name", help="file name inside the folder (default: the file's own name)")
    a.add_argument("--skip", action="store_true", help="keep the file but leave it out of the analysis")
    a.add_argument("--seeds", type=Path, required=True,
                   help="your seeds folder (required; to extend the bundled corpus, copy it first: cp -r seeds my-seeds)")
    e = sub.add_parser("episode", help="manage episodes")
    esub = e.add_subparsers(dest="episode_command", required=True)
    ea = esub.add_parser("add", help="add an episode to manifest.yml (creates folder and manifest if needed)")
    ea.add_argument("id", help="short id, e.g. geneva-2021")
    ea.add_argument("--label", required=True, help="readable name, e.g. 'Geneva, June 2021'")
    ea.add_argument("--date", required=True, help="date of the event, YYYY-MM-DD")
    ea.add_argument("--place", required=True, help="city")
    ea.add_argument("--summary", default="", help="one sentence: who met whom")
    ea.add_argument("--seeds", type=Path, required=True,
                    help="your seeds folder, created if missing (required; the bundled seeds/ is not written unless named)")
    c = sub.add_parser("check", help="validate a seeds folder without building and print a summary")
    c.add_argument("folder", type=Path, nargs="?", default=DEFAULT_SEEDS, help="seeds folder (default: seeds/)")
    sm = sub.add_parser("sample", help="write a stratified sample of sentences to code by hand, with the guidelines")
    sm.add_argument("folder", type=Path, nargs="?", default=DEFAULT_SEEDS, help="seeds folder (default: seeds/)")
    sm.add_argument("--n", type=int, default=80, help="sentences to draw (default 80)")
    sm.add_argument("--seed", type=int, default=0, help="random seed (same seed, same sample; default 0)")
    sm.add_argument("--min-per-stratum", type=int, default=5, help="at least this many per episode x language (default 5)")
    sm.add_argument("--out", type=Path, default=Path("tone_sample.csv"),
                    help="CSV to write, outside the seeds folder (default: tone_sample.csv here); tone_guidelines.md goes next to it")
    sm.add_argument("--force", action="store_true", help="replace an existing sheet and guidelines")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "add":
            res = add_document(args.seeds, args.file, args.episode, date=args.date, source=args.source, title=args.title,
                               language=args.language, doc_id=args.doc_id, note=args.note, name=args.name, skip=args.skip)
            for line in res["warnings"]:
                print(f"warning: {line}", file=sys.stderr)
            how = "copied to" if res["copied"] else "already in"
            entry = res["entry"]
            print(f"added {entry['file']} ({how} {Path(args.seeds).resolve()}): episode {entry['episode']}, "
                  f"language {entry.get('language', '-')} (detected {res['detected']!r}, stop-word share {res['share']:.0%}), "
                  f"title {entry.get('title', '')!r}")
            print(f"next: {python_cmd()} -m scripts.seeds check {args.seeds}")
        elif args.command == "episode":
            entry = add_episode(args.seeds, args.id, args.label, args.date, args.place, args.summary)
            print(f"added episode {entry['id']} ({entry['label']}, {entry['date']}) to {Path(args.seeds).resolve() / 'manifest.yml'}")
        elif args.command == "sample":
            res = write_sample(args.folder, args.out, n=args.n, seed=args.seed, force=args.force,
                               min_per_stratum=args.min_per_stratum)
            print(f"wrote {len(res['sample'])} sentences to {res['sheet']} and the coding guidelines to {res['guidelines']}")
            print("Sentences of at least 4 words per episode and language, and those drawn:")
            print(res["strata"].to_string(index=False))
            print(f"next: fill in the label column (-1, 0, 1), then build with --param annotations_file={res['sheet']}")
        else:
            check(args.folder)
    except C.CorpusError as err:
        for line in err.problems:
            print(f"error: {line}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
