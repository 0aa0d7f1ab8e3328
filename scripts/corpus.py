"""Load the seed corpus: validate the manifest, normalise and clean scraped text, split it into
sentences and tokens, and return tidy tables every chapter joins on ``doc_id``.

Cleaning (hard-wrapped lines re-joined, scraper metadata split off, furniture recognised by its
patterns and shapes) is in :mod:`scripts.cleaning`, sentence splitting in :mod:`scripts.sentences`,
what counts as a repeat in :mod:`scripts.repeats`; this module runs them in order.

Tables returned by :func:`load_corpus` (all pandas DataFrames):

``episodes``   episode, label, date (Timestamp), place, summary, order (0 = earliest)
``documents``  doc_id, file, episode, language, language_declared, language_detected,
               language_score, date, source, title, note, bytes, sha256, paragraphs_raw,
               paragraphs_kept, sentences, tokens_raw, tokens_clean, duplicate_of
               (doc_id of an earlier identical document, "" if none; such a document keeps its
               row but contributes no paragraphs, sentences or tokens), outlet, url,
               original_language, translation, source_type (optional manifest fields, "" if absent;
               see :data:`SOURCE_FIELDS`)
``paragraphs`` doc_id, par_id (0-based order in the file, after hard-wrapped lines are
               re-joined and scraper metadata is split off), text, n_words, kept (bool),
               reason ("" when kept, else boilerplate:<id>, after:<id>, furniture:<shape>,
               before-title, duplicate, near-duplicate, repeated-title, duplicate-document;
               see :mod:`scripts.cleaning`), duplicate_of (par_id or -1)
``sentences``  doc_id, episode, language, par_id, sentence_id ("<doc_id>-s<NNN>", unique in the
               corpus), sent_idx (0-based in the document), position (0 = first sentence of the
               article, 1 = last), text
``tokens``     doc_id, episode, language, sentence_id, tok_idx (0-based in the sentence), token
               (as written), lower, is_word (has a letter)

Counts: ``tokens_raw`` counts word tokens of the whole file before cleaning, ``tokens_clean``
those of the kept paragraphs. Everything is deterministic: no randomness, no network.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
import yaml

from scripts import cleaning, repeats
from scripts import episodes as E
from scripts import sentences as S

DATA_DIR = Path(__file__).resolve().parent / "data"
SUPPORTED_LANGUAGES = ("en", "fr")
#: a document is a (machine) translation when its manifest source or note says so
TRANSLATION_PATTERN = r"translat|tradu"
#: optional manifest fields naming a document's source (issue 13): outlet (publication or agency),
#: url (http(s) address, only when the text or its scrape shows it), original_language (language
#: the text was first written in, e.g. "ru"), translation (chain, e.g. "Russian → French (machine)"),
#: source_type (e.g. "news agency dispatch", "state-agency press review"). Empty when unknown.
SOURCE_FIELDS = ("outlet", "url", "original_language", "translation", "source_type")
#: columns of the documents table, in order (load_corpus and the analysis stage both return it)
DOCUMENT_COLUMNS = ["doc_id", "file", "episode", "language", "language_declared", "language_detected", "language_score",
                    "date", "source", "title", "note", "bytes", "sha256", "paragraphs_raw", "paragraphs_kept", "sentences",
                    "tokens_raw", "tokens_clean", "glued_repairs", "duplicate_of", *SOURCE_FIELDS]


class CorpusError(Exception):
    """Bad input. ``problems`` holds one line per problem: the file, what is wrong, the fix."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------- configuration
@cache
def _yaml(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def cleaning_rules() -> dict:
    """The cleaning rules of ``scripts/data/cleaning.yml`` (boilerplate patterns, thresholds)."""
    return _yaml("cleaning.yml")


# --------------------------------------------------------------------------- manifest
@dataclass(frozen=True)
class Manifest:
    """The validated manifest: one row per episode and one per document."""

    folder: Path
    episodes: pd.DataFrame
    documents: pd.DataFrame


def _as_date(value, where: str, problems: list[str]) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(str(value)).normalize()
    except (ValueError, TypeError):
        problems.append(f"{where}: date {value!r} is not a date: write it as YYYY-MM-DD")
        return None


#: libyaml's safe loader when PyYAML was built with it: the same documents and errors (with the line) as
#: ``yaml.safe_load``, ~10 s faster on a manifest of 10,000 articles (pure Python before the pool starts);
#: also what the data page's inventory reads the manifest with (2.6 s at 1,000 articles in pure Python)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_manifest(folder: Path | str, missing: str = "create it (see seeds/manifest.yml for the format)") -> dict:
    """Parse ``<folder>/manifest.yml`` into ``{"episodes": [...], "documents": [...]}`` (an absent or
    empty list reads as ``[]``, an empty file as two empty lists), or raise :class:`CorpusError` for
    a missing file (``missing`` says what to do), text that is not UTF-8, malformed YAML (with the
    line) or a file that is not a mapping of two lists.

    The one reader of the manifest: :func:`load_manifest` validates what it returns, and
    ``scripts.seeds`` reads it before editing the file."""
    path = Path(folder) / "manifest.yml"
    if not path.is_file():
        raise CorpusError([f"{path}: missing: {missing}"])
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None) or "syntax error"
        raise CorpusError([f"{path}:{where} malformed YAML ({problem}): fix the indentation/quoting there"]) from None
    except UnicodeDecodeError:
        raise CorpusError([f"{path}: not UTF-8 text: save the manifest as UTF-8"]) from None
    raw = {} if raw is None else raw
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k) or [], list) for k in ("episodes", "documents")):
        raise CorpusError([f"{path}: needs an 'episodes' list and a 'documents' list: see seeds/manifest.yml for the format"])
    return {"episodes": raw.get("episodes") or [], "documents": raw.get("documents") or []}


def _source_fields(doc: dict, name: str, problems: list[str]) -> dict[str, str]:
    """The optional :data:`SOURCE_FIELDS` of one manifest entry as text ("" when absent).

    Why checked: the data page prints them and links the URL, so a URL must be a plain http(s)
    address (no ``javascript:``, no spaces) and every field a single line of text."""
    out = {}
    for key in SOURCE_FIELDS:
        value = doc.get(key)
        if value is None:
            out[key] = ""
            continue
        if not isinstance(value, (str, int, float)) or "\n" in str(value).strip():
            problems.append(f"{name}: '{key}' must be one line of text (e.g. {key}: {_SOURCE_EXAMPLES[key]})")
            out[key] = ""
            continue
        out[key] = str(value).strip()
    if out["url"] and not re.fullmatch(r"https?://[^\s<>\"'`]+", out["url"]):
        problems.append(f"{name}: url {out['url']!r} is not an http(s) address: give the full address "
                        "(https://…) or leave 'url' out when it is unknown")
        out["url"] = ""
    return out


_SOURCE_EXAMPLES = {"outlet": "TASS", "url": "https://example.org/article", "original_language": "ru",
                    "translation": "Russian → French (machine)", "source_type": "state-agency press review"}


def load_manifest(folder: Path | str) -> Manifest:
    """Read (:func:`read_manifest`) and validate ``<folder>/manifest.yml``; raise :class:`CorpusError`
    listing every problem.

    Checks the structure only (episodes known, files present and inside the folder); the texts
    themselves are checked by :func:`read_text`.
    """
    folder = Path(folder).resolve()
    path = folder / "manifest.yml"
    if not folder.is_dir():
        raise CorpusError([f"{folder}: no such seeds folder: pass a folder that holds manifest.yml and the texts"])
    raw = read_manifest(folder)

    problems: list[str] = []
    episodes = []
    for i, ep in enumerate(raw["episodes"]):
        where = f"{path}: episode #{i + 1}"
        if not isinstance(ep, dict) or not ep.get("id"):
            problems.append(f"{where}: needs at least 'id', 'label' and 'date'")
            continue
        date = _as_date(ep.get("date"), f"{where} ({ep['id']})", problems)
        episodes.append({
            "episode": str(ep["id"]), "label": str(ep.get("label") or ep["id"]), "date": date,
            "place": str(ep.get("place") or ""), "summary": str(ep.get("summary") or ""),
        })
    ids = [e["episode"] for e in episodes]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        problems.append(f"{path}: episode id {dup!r} appears twice: give each episode its own id")

    documents = []
    for i, doc in enumerate(raw["documents"]):
        where = f"{path}: document #{i + 1}"
        if not isinstance(doc, dict) or not doc.get("file"):
            problems.append(f"{where}: needs at least 'file' and 'episode'")
            continue
        name = str(doc["file"])
        target = (folder / name).resolve()
        if folder not in target.parents:
            problems.append(f"{name}: path is outside the seeds folder {folder}: copy the file into the folder and name it relative to it")
            continue
        if not target.is_file():
            problems.append(f"{name}: listed in manifest.yml but missing from {folder}: add the file or remove its entry")
            continue
        episode = str(doc.get("episode") or "")
        if episode not in ids:
            known = ", ".join(ids) or "none"
            problems.append(f"{name}: unknown episode {episode!r} (known: {known}): fix the entry or add the episode with "
                            "'python -m scripts.seeds episode add'")
            continue
        language = doc.get("language")
        if language is not None and str(language) not in SUPPORTED_LANGUAGES:
            if not doc.get("skip"):
                problems.append(f"{name}: language {language!r} is not supported ({', '.join(SUPPORTED_LANGUAGES)}): "
                                "translate it, or mark the entry 'skip: true'")
                continue
        source_fields = _source_fields(doc, name, problems)
        date_value = doc.get("date")
        date = _as_date(date_value, name, problems) if date_value else None
        default_id = target.stem.split("_")[0] if "_" in target.stem else target.stem
        documents.append({
            "doc_id": str(doc.get("id") or default_id), "file": name, "path": str(target),
            "episode": episode, "language_declared": str(language) if language else "",
            "date": date, "source": str(doc.get("source") or ""), "title": str(doc.get("title") or ""),
            "note": str(doc.get("note") or ""), "skip": bool(doc.get("skip", False)), **source_fields,
        })
    doc_ids = [d["doc_id"] for d in documents]
    if len(set(doc_ids)) != len(doc_ids):  # short ids clash: fall back to full file stems
        for d in documents:
            d["doc_id"] = Path(d["file"]).stem
    files = Counter(d["path"] for d in documents)  # (list.count per file was quadratic: seconds at 10,000)
    for dup in sorted(f for f, n in files.items() if n > 1):
        problems.append(f"{Path(dup).name}: listed twice in manifest.yml: keep one entry")
    if not documents and not problems:
        problems.append(f"{path}: lists no documents: add at least one with 'python -m scripts.seeds add'")
    if problems:
        raise CorpusError(problems)

    ep_df = pd.DataFrame(episodes).sort_values(["date", "episode"]).reset_index(drop=True)
    ep_df["order"] = range(len(ep_df))
    doc_df = pd.DataFrame(documents)
    ep_dates = dict(zip(ep_df["episode"], ep_df["date"]))
    # a document without a date takes its episode's (pandas turns None into NaT when other rows have dates)
    doc_df["date"] = [ep_dates[e] if d is None or pd.isna(d) else d for d, e in zip(doc_df["date"], doc_df["episode"])]
    return Manifest(folder=folder, episodes=ep_df, documents=doc_df)


# --------------------------------------------------------------------------- reading text
def read_text(path: Path | str, max_bytes: int | None = None) -> str:
    """Read one seed as UTF-8 text, or raise :class:`CorpusError` saying what it is and how to fix it."""
    path = Path(path)
    max_bytes = max_bytes or int(cleaning_rules()["max_file_bytes"])
    size = path.stat().st_size
    name = path.name
    if size > max_bytes:
        raise CorpusError([f"{name}: {size:,} bytes is far larger than a news article (limit {max_bytes:,}): "
                           "split it into articles or raise max_file_bytes in scripts/data/cleaning.yml"])
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark (Windows "Unicode" text): text, not binary
        raise CorpusError([f"{name}: UTF-16 text, not UTF-8: convert it with "
                           f"`iconv -f UTF-16 -t UTF-8 {name} -o {name}.utf8 && mv {name}.utf8 {name}`"])
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.1:
        raise CorpusError([f"{name}: binary data, not text: save the article as a plain .txt file (UTF-8)"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        guess = _guess_encoding(data)
        raise CorpusError([f"{name}: not UTF-8 text (looks like {guess}): convert it with "
                           f"`iconv -f {guess} -t UTF-8 {name} -o {name}.utf8 && mv {name}.utf8 {name}`"]) from None
    if not text.strip():
        what = "empty" if not text else "whitespace only"
        raise CorpusError([f"{name}: {what}: put the article's text in it or remove its manifest entry"])
    return text


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)


def _guess_encoding(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding.replace("_", "-") if best is not None else "an unknown 8-bit encoding"


# --------------------------------------------------------------------------- normalisation
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u3000"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u00b4\u2032"), "'")
#: the three tables in one pass (their characters are distinct and none maps to another's)
_ONE_PASS = {**_INVISIBLE, **_SPACES, **_APOSTROPHES}


def normalise(text: str) -> str:
    """NFC, no BOM or zero-width marks, LF line ends, plain spaces, straight apostrophes.

    Quotation marks (« » “ ” ") are kept: later chapters attribute quotes. Opening and closing
    single quotes become apostrophes (French elision and English possessives use them).
    """
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_ONE_PASS)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def repair_glued_words(text: str, min_lower: int | None = None) -> tuple[str, int]:
    """Re-insert spaces lost in scraping: "Pompeo.These" and "unacceptableMike".

    Only when the left part has ``min_lower`` lower-case letters, so "U.S." and "McDonald" stay.
    Returns the text and the number of repairs.
    """
    n = int(min_lower or cleaning_rules()["glued_word_min_lower"])
    lower, upper = "a-zà-öø-ÿœ", "A-ZÀ-ÖØ-ÞŒ"
    pattern = re.compile(rf"(?<=[{lower}]{{{n}}})([.!?]?)(?=[{upper}][{lower}])")
    count = 0

    def fix(m: re.Match) -> str:
        nonlocal count
        count += 1
        return m.group(1) + " "

    return pattern.sub(fix, text), count


# --------------------------------------------------------------------------- language
def detect_language(text: str) -> tuple[str, float]:
    """Guess the language from stop-word shares (stopwordsiso lists, 50+ languages).

    Returns (ISO 639-1 code, share of the text's words that are stop words of that language).
    Deterministic, data-free at run time, and good enough to tell news articles apart.
    """
    words = repeats.words(text)[:5000]
    if not words:
        return "", 0.0
    hits = dict.fromkeys(_stopword_sets(), 0)
    languages_of = _stopword_languages()
    for w, n in Counter(words).items():  # each distinct word looked up once, in one index of every language's stop words
        for code in languages_of.get(w, ()):
            hits[code] += n
    scores = {code: n / len(words) for code, n in hits.items()}
    best = max(sorted(scores), key=lambda c: scores[c])
    return best, round(scores[best], 3)


@lru_cache(maxsize=1)
def _stopword_sets() -> dict[str, frozenset]:
    import stopwordsiso

    langs = ["en", "fr", "de", "es", "it", "pt", "nl", "ru", "pl", "sv", "da", "no", "fi", "cs",
             "ro", "hu", "tr", "uk", "bg", "el", "ar", "zh", "ja", "ko", "hr", "sk", "sl", "ca"]
    return {code: frozenset(stopwordsiso.stopwords(code)) for code in langs if stopwordsiso.has_lang(code)}


@lru_cache(maxsize=1)
def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """Stop word -> the languages of :func:`_stopword_sets` that list it."""
    out: dict[str, list[str]] = {}
    for code, words in _stopword_sets().items():
        for w in words:
            out.setdefault(w, []).append(code)
    return {w: tuple(codes) for w, codes in out.items()}


# --------------------------------------------------------------------------- sentences and tokens
_ELISION = r"(?:[ldjmnstcLDJMNSTC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)'(?=\w)"
_WORD = r"\w+(?:[-.]\w+)*"
_NUMBER = r"\d+(?:[.,]\d+)*%?"
_TOKEN_PATTERNS = {
    "fr": rf"{_ELISION}|aujourd'hui|{_NUMBER}|{_WORD}|[^\w\s]",
    "en": rf"{_NUMBER}|{_WORD}(?=n't)|n't|'(?:s|re|ve|ll|d|m)\b|{_WORD}|[^\w\s]",
}


@lru_cache(maxsize=8)
def _token_regex(language: str):
    """The token pattern of ``language`` as NLTK's ``RegexpTokenizer`` compiles it (its default flags,
    the ``regex`` engine), without NLTK's per-call timeout (:mod:`scripts.nltk_regex`): the same tokens
    as ``RegexpTokenizer(pattern).tokenize`` (a ``findall``), in a third of the time."""
    from scripts.nltk_regex import compile_untimed

    return compile_untimed(_TOKEN_PATTERNS.get(language, _TOKEN_PATTERNS["en"]), re.UNICODE | re.MULTILINE | re.DOTALL)


def tokenize(text: str, language: str) -> list[str]:
    """NLTK's RegexpTokenizer (:func:`_token_regex`): French elisions split ("l'", "qu'"), hyphenated
    names kept ("al-Assad")."""
    return _token_regex(language).findall(text)


def _n_word_tokens(text: str, language: str) -> int:
    return sum(1 for t in tokenize(text, language) if t.isalpha() or any(c.isalpha() for c in t))  # (isalpha: most words, at C speed)


# --------------------------------------------------------------------------- the corpus
@dataclass(frozen=True)
class Corpus:
    """All tables of one seeds folder (see the module docstring for the columns)."""

    folder: Path
    episodes: pd.DataFrame
    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame


def load_corpus(folder: Path | str) -> Corpus:
    """Validate, read, clean, split and tokenise every document of a seeds folder.

    Raises :class:`CorpusError` with one line per bad file; duplicate documents are not errors:
    the later copy is reported (``duplicate_of``) and counted once.
    """
    manifest = load_manifest(folder)
    rules = cleaning_rules()
    problems: list[str] = []
    docs = manifest.documents[~manifest.documents["skip"]].copy()
    texts: dict[str, str] = {}
    meta: dict[str, dict] = {}
    for row in docs.itertuples():
        try:
            raw = read_text(row.path, int(rules["max_file_bytes"]))
        except CorpusError as err:
            problems.extend(err.problems)
            continue
        text, repairs = repair_glued_words(normalise(raw), int(rules["glued_word_min_lower"]))
        text, joins = cleaning.unwrap_lines(text, rules)
        detected, score = detect_language(text)
        language = row.language_declared or detected
        if language not in SUPPORTED_LANGUAGES:
            problems.append(
                f"{row.file}: detected language {detected!r} (stop-word share {score:.0%}) is not supported "
                f"({', '.join(SUPPORTED_LANGUAGES)}): translate it, set 'language:' if detection is wrong, or mark it 'skip: true'")
            continue
        texts[row.doc_id] = text
        meta[row.doc_id] = {"language": language, "language_detected": detected, "language_score": score,
                            "bytes": len(raw.encode("utf-8")), "sha256": hashlib.sha256(Path(row.path).read_bytes()).hexdigest(),
                            "repairs": repairs, "joins": joins, "raw": raw}
    if problems:
        raise CorpusError(problems)

    duplicate_of = repeats.duplicate_documents(texts, float(rules["duplicate_document_threshold"]))
    par_frames = []
    for row in docs.itertuples():
        if row.doc_id not in texts:
            continue
        m = meta[row.doc_id]
        pars = cleaning.clean_paragraphs(cleaning.split_paragraphs(texts[row.doc_id], rules), m["language"], row.title, rules)
        if duplicate_of.get(row.doc_id):
            pars["kept"], pars["reason"] = False, "duplicate-document"
        pars.insert(0, "doc_id", row.doc_id)
        par_frames.append(pars)
    paragraphs = pd.concat(par_frames, ignore_index=True)

    splitters = {
        lang: S.train_sentence_splitter(
            paragraphs.loc[paragraphs["kept"] & paragraphs["doc_id"].isin([d for d in texts if meta[d]["language"] == lang]), "text"],
            lang)
        for lang in sorted({m["language"] for m in meta.values()})
    }
    episode_of = dict(zip(docs["doc_id"], docs["episode"]))
    sent_rows, tok_rows = [], []
    for doc_id, group in paragraphs[paragraphs["kept"]].groupby("doc_id", sort=False):
        lang = meta[doc_id]["language"]
        doc_sents = [(par_id, s) for par_id, text in zip(group["par_id"], group["text"])
                     for s in S.split_sentences(text, splitters[lang])]
        n = len(doc_sents)
        for idx, (par_id, s) in enumerate(doc_sents):
            sid = f"{doc_id}-s{idx:03d}"
            sent_rows.append({"doc_id": doc_id, "episode": episode_of[doc_id], "language": lang, "par_id": par_id,
                              "sentence_id": sid, "sent_idx": idx, "position": idx / (n - 1) if n > 1 else 0.0, "text": s})
            for t_idx, tok in enumerate(tokenize(s, lang)):
                tok_rows.append((doc_id, episode_of[doc_id], lang, sid, t_idx, tok, tok.lower(), any(c.isalpha() for c in tok)))
    sentences = pd.DataFrame(sent_rows, columns=["doc_id", "episode", "language", "par_id", "sentence_id", "sent_idx", "position", "text"])
    tokens = pd.DataFrame(tok_rows, columns=["doc_id", "episode", "language", "sentence_id", "tok_idx", "token", "lower", "is_word"])

    for d in meta:
        meta[d]["tokens_raw"] = _n_word_tokens(normalise(meta[d]["raw"]), meta[d]["language"])
    documents = documents_table(docs, meta, paragraphs, sentences, tokens, duplicate_of, manifest.episodes)
    return Corpus(folder=manifest.folder, episodes=manifest.episodes, documents=documents,
                  paragraphs=paragraphs, sentences=sentences, tokens=tokens)


def dropped_paragraphs(corpus: Corpus) -> pd.DataFrame:
    """What cleaning removed: doc_id, par_id, reason, text (joined with the document's episode)."""
    dropped = corpus.paragraphs[~corpus.paragraphs["kept"]]
    columns = ["doc_id", "episode", "par_id", "reason", "duplicate_of", "text"]
    return dropped.merge(corpus.documents[["doc_id", "episode"]], on="doc_id")[columns]




# --------------------------------------------------------------------------- summaries for the pages
# Data only: the sentences and reader tables built from these live in scripts/narrative/corpus.py.
def dropped_counts(corpus: Corpus) -> pd.DataFrame:
    """Paragraphs cleaning removed, per document (rows in document order) and kind of reason: doc_id,
    one column per kind found (the reason before ":", e.g. boilerplate, after, duplicate,
    near-duplicate; sorted), total. Documents that lost nothing have zeros."""
    dropped = dropped_paragraphs(corpus)
    kinds = dropped["reason"].str.replace(r":.*", "", regex=True)
    table = pd.crosstab(dropped["doc_id"], kinds) if len(dropped) else pd.DataFrame(index=pd.Index([], name="doc_id"))
    table = table.reindex(corpus.documents["doc_id"]).fillna(0).astype(int)
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index()


def is_translated(documents: pd.DataFrame) -> pd.Series:
    """True for documents the manifest marks as translations (source or note matches
    :data:`TRANSLATION_PATTERN`, case-insensitive). ``documents``: source, optional note."""
    note = documents["note"] if "note" in documents else pd.Series("", index=documents.index)
    return (documents["source"].astype(str) + " " + note.astype(str)).str.contains(TRANSLATION_PATTERN, case=False, regex=True)


def documents_per_episode(documents: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Articles and cleaned words per episode and language, in episode date order: episode, label,
    language, documents, words (tokens_clean), share (of all cleaned words). Episodes without
    documents are left out; a repeated document counts as an article with no words."""
    per = (documents.groupby(["episode", "language"]).agg(documents=("doc_id", "count"), words=("tokens_clean", "sum"))
           .reset_index().merge(episodes[["episode", "label"]], on="episode"))
    per = E.sort_by_episode(per, episodes)
    total = per["words"].sum()
    per["share"] = per["words"] / total if total else 0.0
    return per[["episode", "label", "language", "documents", "words", "share"]]


def episode_balance(documents: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """How evenly each episode is covered, one row per episode in date order: episode, label,
    articles, words (tokens_clean), languages (sorted tuple of codes), largest_doc ("" when the
    episode has no article), largest_share (of the episode's words; 0 without words),
    translated_share (words of articles :func:`is_translated` marks, 0..1)."""
    flagged = set(documents.loc[is_translated(documents), "doc_id"])
    rows = []
    for r in episodes.sort_values("order").itertuples():
        d = documents[documents["episode"] == r.episode]
        words = int(d["tokens_clean"].sum())
        top = d.loc[d["tokens_clean"].idxmax()] if len(d) else None
        rows.append({"episode": r.episode, "label": r.label, "articles": int(len(d)), "words": words,
                     "languages": tuple(sorted(d["language"].unique())),
                     "largest_doc": "" if top is None else str(top["doc_id"]),
                     "largest_share": float(top["tokens_clean"] / words) if words else 0.0,
                     "translated_share": float(d.loc[d["doc_id"].isin(flagged), "tokens_clean"].sum() / words) if words else 0.0})
    return pd.DataFrame(rows, columns=["episode", "label", "articles", "words", "languages", "largest_doc", "largest_share",
                                       "translated_share"])


def word_shares(documents: pd.DataFrame, by: str = "language") -> pd.Series:
    """Share of the cleaned words (tokens_clean) per value of column ``by`` (sorted); all 0 when no word is kept."""
    words = documents.groupby(by)["tokens_clean"].sum()
    return words / max(int(words.sum()), 1)


def documents_table(docs: pd.DataFrame, meta: dict[str, dict], paragraphs: pd.DataFrame, sentences: pd.DataFrame,
                    tokens: pd.DataFrame, duplicate_of: dict[str, str], episodes: pd.DataFrame) -> pd.DataFrame:
    """The documents table (columns :data:`DOCUMENT_COLUMNS`, episode order) from the manifest rows and
    each analysed article's ``meta`` (language, bytes, sha256, tokens_raw, repairs): one assembly for
    :func:`load_corpus` and the analysis stage."""
    documents = docs[docs["doc_id"].isin(meta)].drop(columns=["path", "skip"]).reset_index(drop=True)
    for col in ("language", "language_detected", "language_score", "bytes", "sha256"):
        documents[col] = [meta[d][col] for d in documents["doc_id"]]
    kept = paragraphs[paragraphs["kept"]]
    documents["paragraphs_raw"] = documents["doc_id"].map(paragraphs.groupby("doc_id").size()).fillna(0).astype(int)
    documents["paragraphs_kept"] = documents["doc_id"].map(kept.groupby("doc_id").size()).fillna(0).astype(int)
    documents["sentences"] = documents["doc_id"].map(sentences.groupby("doc_id").size()).fillna(0).astype(int)
    documents["tokens_raw"] = [meta[d]["tokens_raw"] for d in documents["doc_id"]]
    documents["tokens_clean"] = documents["doc_id"].map(tokens[tokens["is_word"]].groupby("doc_id").size()).fillna(0).astype(int)
    documents["glued_repairs"] = [meta[d]["repairs"] for d in documents["doc_id"]]
    documents["duplicate_of"] = [duplicate_of.get(d, "") for d in documents["doc_id"]]
    documents = E.sort_by_episode(documents, episodes, then=("date", "doc_id"))
    return documents[DOCUMENT_COLUMNS]
