"""The development corpus: its manifest, the seeded dev/test split, sentence keys and the hand
annotations. Shared by ``assemble.py``, ``annotate.py`` and ``score.py`` (run as scripts, so this
module is imported by its file name; tests put this folder on ``sys.path``).

The article texts are third-party and never committed: ``manifest.yml`` records where each came
from and the sha256 of the text file, so a rebuilt folder can be checked byte for byte (and, failing
that, by ``sha256_normalised``: the hash of the text after ``scripts.corpus.normalise``, which is all
the report and the annotations see, so a copy differing only in spaces, apostrophes or Unicode form
still matches). Annotations
are keyed by ``doc_id`` and :func:`sentence_hash` of the sentence text, not by sentence number, so
they survive a change of the sentence splitter for every sentence whose text is unchanged.

Tables (pandas DataFrames):

``documents`` (:func:`load_manifest`) id, file, url, outlet, episode, date (YYYY-MM-DD string),
               language, sha256, sha256_normalised, split (dev/test), title, note
``mentions``   doc_id, sentence_hash, actor, surface, count
``quotes``     doc_id, sentence_hash, quote (first 8 words of the quotation), speaker (actor id or
               ``unknown``)
``tone``       doc_id, sentence_hash, label (-1/0/+1), junk (1 = scrape junk: caption, credit,
               byline, navigation; 0 = article text)
"""
from __future__ import annotations

import hashlib
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.yml"
ANNOTATIONS = HERE / "annotations"
SPLITS = ("dev", "test")
LANGUAGES = ("en", "fr")
DOC_FIELDS = ("id", "file", "url", "outlet", "episode", "date", "language", "sha256", "sha256_normalised", "split", "title")
EPISODE_FIELDS = ("id", "label", "date", "place", "summary")
ANNOTATION_COLUMNS = {
    "mentions": ["doc_id", "sentence_hash", "actor", "surface", "count"],
    "quotes": ["doc_id", "sentence_hash", "quote", "speaker"],
    "tone": ["doc_id", "sentence_hash", "label", "junk"],
}
UNKNOWN = "unknown"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HASH16 = re.compile(r"^[0-9a-f]{16}$")
_ACTOR = re.compile(r"^(?:[a-z][a-z0-9_]*|person:[a-z0-9]+(?:-[a-z0-9]+)+)$")


# --------------------------------------------------------------------------- keys
def sentence_hash(text: str) -> str:
    """First 16 hex digits of the sha256 of the NFC sentence text: the key annotations use."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]


def file_sha256(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def normalised_sha256(path: Path | str) -> str:
    """sha256 of the text as the report reads it (UTF-8, ``scripts.corpus.normalise``): invisible
    differences of a re-saved copy (no-break spaces, curly apostrophes, NFD) do not change it."""
    from scripts.corpus import normalise

    text = Path(path).read_bytes().decode("utf-8-sig", errors="replace")
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def person_slug(name: str) -> str:
    """``person:firstname-lastname`` for someone the gazetteer does not list (accents folded)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "person:" + "-".join(re.findall(r"[a-z0-9]+", folded))


# --------------------------------------------------------------------------- manifest
@dataclass(frozen=True)
class DevManifest:
    """The committed manifest: seed of the split, episodes (seeds-manifest format) and documents."""

    seed: int
    episodes: list[dict]
    documents: pd.DataFrame


def load_manifest(path: Path | str = MANIFEST) -> DevManifest:
    """Read ``manifest.yml``; dates become YYYY-MM-DD strings (YAML reads them as dates)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    episodes = [{k: (str(v) if v is not None else "") for k, v in ep.items()} for ep in raw["episodes"]]
    docs = pd.DataFrame([{k: ("" if d.get(k) is None else str(d.get(k))) for k in (*DOC_FIELDS, "note")}
                         for d in raw["documents"]])
    return DevManifest(seed=int(raw["seed"]), episodes=episodes, documents=docs)


def manifest_problems(m: DevManifest) -> list[str]:
    """One line per malformed field of the manifest (empty when it is well-formed)."""
    problems = []
    episode_ids = [e.get("id", "") for e in m.episodes]
    for e in m.episodes:
        missing = [f for f in EPISODE_FIELDS if not e.get(f)]
        if missing:
            problems.append(f"episode {e.get('id', '?')}: missing {', '.join(missing)}")
    for d in m.documents.to_dict("records"):
        where = f"document {d['id'] or '?'}"
        missing = [f for f in DOC_FIELDS if not d[f]]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
        if d["episode"] and d["episode"] not in episode_ids:
            problems.append(f"{where}: unknown episode {d['episode']!r}")
        if d["language"] and d["language"] not in LANGUAGES:
            problems.append(f"{where}: language {d['language']!r} is not en/fr")
        if d["split"] and d["split"] not in SPLITS:
            problems.append(f"{where}: split {d['split']!r} is not dev/test")
        for field in ("sha256", "sha256_normalised"):
            if d[field] and not _SHA256.match(d[field]):
                problems.append(f"{where}: {field} {d[field]!r} is not 64 lower-case hex digits")
        if d["date"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["date"]):
            problems.append(f"{where}: date {d['date']!r} is not YYYY-MM-DD")
        if d["file"] and (Path(d["file"]).name != d["file"] or not d["file"].endswith(".txt")):
            problems.append(f"{where}: file {d['file']!r} must be a bare .txt file name")
    for col in ("id", "file"):
        dup = m.documents[col][m.documents[col].duplicated()]
        problems.extend(f"{col} {v!r} appears twice" for v in dup)
    return problems


def assign_splits(documents: pd.DataFrame, seed: int) -> pd.Series:
    """dev/test per document, stratified by episode x language and reproducible from ``seed``.

    Within each cell the ids are sorted and shuffled by a generator seeded with the seed and the
    cell; the first half goes to dev. An odd cell's extra article goes to dev and test in turn
    (cells in sorted order), so the halves stay within one article of each other.
    """
    out = pd.Series("", index=documents.index, dtype=object)
    odd = 0
    for (episode, language), cell in documents.groupby(["episode", "language"], sort=True):
        ids = sorted(cell["id"])
        random.Random(f"{seed}:{episode}:{language}").shuffle(ids)
        n_dev = len(ids) // 2
        if len(ids) % 2:
            n_dev += 1 - odd % 2
            odd += 1
        dev = set(ids[:n_dev])
        for idx, doc_id in zip(cell.index, cell["id"]):
            out[idx] = "dev" if doc_id in dev else "test"
    return out


# --------------------------------------------------------------------------- texts
def verify_texts(documents: pd.DataFrame, texts_dir: Path | str) -> tuple[list[str], list[str]]:
    """(problems, notes): one problem line per text that is missing or differs from the manifest;
    one note per text whose bytes differ but whose normalised text matches (accepted)."""
    texts_dir = Path(texts_dir)
    problems, notes = [], []
    for d in documents.itertuples():
        path = texts_dir / d.file
        if not path.is_file():
            problems.append(f"{d.file}: missing from {texts_dir} ({d.id}, {d.outlet}, {d.url}): rebuild it (README.md)")
            continue
        actual = file_sha256(path)
        if actual == d.sha256:
            continue
        if normalised_sha256(path) == d.sha256_normalised:
            notes.append(f"{d.file}: bytes differ from the manifest's sha256 but the normalised text is the same "
                         f"(spaces, apostrophes or Unicode form only): accepted")
            continue
        problems.append(f"{d.file}: sha256 {actual[:12]}… differs from the manifest's {d.sha256[:12]}… "
                        f"({d.id}, {d.url}): the text is not the annotated one (README.md, 'hash mismatch')")
    return problems, notes


def seeds_manifest(m: DevManifest, documents: pd.DataFrame) -> dict:
    """The seeds-folder manifest (format of ``seeds/manifest.yml``) for ``documents``; the
    development fields (url, outlet, split, sha256) ride along as extra keys the report ignores."""
    used = set(documents["episode"])
    docs = []
    for d in documents.to_dict("records"):
        note = f"{d['note']} " if d["note"] else ""
        docs.append({"file": d["file"], "id": d["id"], "episode": d["episode"], "language": d["language"],
                     "date": d["date"], "source": d["outlet"], "title": d["title"],
                     "note": f"{note}Development corpus ({d['split']} half); {d['url']}",
                     "url": d["url"], "split": d["split"], "sha256": d["sha256"], "sha256_normalised": d["sha256_normalised"]})
    return {"episodes": [e for e in m.episodes if e["id"] in used], "documents": docs}


def write_seeds_folder(m: DevManifest, documents: pd.DataFrame, texts_dir: Path | str, out_dir: Path | str) -> Path:
    """Copy the texts of ``documents`` into ``out_dir`` and write its ``manifest.yml``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for d in documents.itertuples():
        shutil.copyfile(Path(texts_dir) / d.file, out_dir / d.file)
    header = ("# Development corpus assembled by tools/devcorpus/assemble.py from texts checked against\n"
              "# tools/devcorpus/manifest.yml (third-party texts: do not commit this folder).\n")
    body = yaml.safe_dump(seeds_manifest(m, documents), allow_unicode=True, sort_keys=False, width=1000)
    (out_dir / "manifest.yml").write_text(header + body, encoding="utf-8")
    return out_dir


# --------------------------------------------------------------------------- annotations
def load_annotations(folder: Path | str = ANNOTATIONS) -> dict[str, pd.DataFrame]:
    """The three annotation tables (columns in the module docstring)."""
    folder = Path(folder)
    out = {}
    for name, cols in ANNOTATION_COLUMNS.items():
        df = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        for c in ("count", "label", "junk"):
            if c in df.columns and c in cols:
                df[c] = df[c].astype(int)
        out[name] = df
    return out


def annotation_problems(ann: dict[str, pd.DataFrame], doc_ids: set[str]) -> list[str]:
    """One line per malformed annotation row (empty when all are well-formed)."""
    problems = []
    for name, cols in ANNOTATION_COLUMNS.items():
        df = ann[name]
        if list(df.columns) != cols:
            problems.append(f"{name}.csv: columns {list(df.columns)} should be {cols}")
            continue
        for i, r in enumerate(df.to_dict("records"), start=2):
            where = f"{name}.csv line {i}"
            if r["doc_id"] not in doc_ids:
                problems.append(f"{where}: doc_id {r['doc_id']!r} is not in the manifest")
            if not _HASH16.match(r["sentence_hash"]):
                problems.append(f"{where}: sentence_hash {r['sentence_hash']!r} is not 16 hex digits")
            if name == "mentions" and (not _ACTOR.match(r["actor"]) or r["count"] < 1 or not r["surface"]):
                problems.append(f"{where}: needs an actor id, a surface and a count >= 1")
            if name == "quotes" and (not r["quote"] or not (r["speaker"] == UNKNOWN or _ACTOR.match(r["speaker"]))):
                problems.append(f"{where}: needs the quote's first words and a speaker (actor id or {UNKNOWN})")
            if name == "quotes" and len(r["quote"].split()) > 8:
                problems.append(f"{where}: quote keeps more than the first 8 words")
            if name == "tone" and (r["label"] not in (-1, 0, 1) or r["junk"] not in (0, 1)):
                problems.append(f"{where}: label must be -1/0/1 and junk 0/1")
    dup = ann["tone"][ann["tone"].duplicated(["doc_id", "sentence_hash"])]
    problems.extend(f"tone.csv: {r.doc_id} {r.sentence_hash} labelled twice" for r in dup.itertuples())
    return problems
