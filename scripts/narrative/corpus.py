"""Sentences and reader tables about the corpus (intro, corpus chapter, methods, data page, findings).

Each statement has a ``*_facts`` function (which case is true, with which values; tested) and a
``*_text`` function (the rendered sentence). Wording lives in ``templates/corpus.yml``. The numbers
come from ``scripts.corpus`` (documents, episodes, :func:`~scripts.corpus.dropped_paragraphs`,
:func:`~scripts.corpus.episode_balance`, ...); nothing here computes a statistic: only counts,
sums and shares of the tables it is given.

Reader tables (``*_table``) take the same results and return DataFrames with display column names
and formatted strings, for ``report.glue_table``.
"""
from __future__ import annotations

import pandas as pd

from .. import episodes as E
from .common import pct
from .render import Facts

PAGE = "corpus"


# --------------------------------------------------------------------------- period, scope, size
def period_facts(episodes: pd.DataFrame) -> Facts:
    """'in June 2021' when all episodes fall in one month, else 'from April 2017 to May 2019'.
    ``episodes``: column date (Timestamp)."""
    if episodes.empty:
        return Facts(PAGE, "period", "empty")
    first, last = episodes["date"].min(), episodes["date"].max()
    case = "one_month" if (first.year, first.month) == (last.year, last.month) else "span"
    return Facts(PAGE, "period", case, {"first": first, "last": last})


def period_text(episodes: pd.DataFrame) -> str:
    return period_facts(episodes).text


def scope_facts(documents: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """'5 articles about 3 episodes, from April 2017 to May 2019'."""
    return Facts(PAGE, "scope", "default", {"n_articles": len(documents), "n_episodes": len(episodes),
                                            "period": period_text(episodes)})


def scope_text(documents: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return scope_facts(documents, episodes).text


def size_facts(documents: pd.DataFrame, episodes: pd.DataFrame, unequal_ratio: float = 3.0) -> Facts:
    """How unequal the articles are in size. Cases: empty, single, unequal (largest ≥ ``unequal_ratio``
    × smallest), comparable. ``documents``: doc_id, episode, tokens_clean. Articles that keep no word
    (e.g. a repeated document) are left out of the comparison."""
    docs = documents[documents["tokens_clean"] > 0]
    if docs.empty:
        return Facts(PAGE, "size", "empty")
    total = int(docs["tokens_clean"].sum())
    top = docs.loc[docs["tokens_clean"].idxmax()]
    name = f"{top['doc_id']} ({E.labels(episodes).get(top['episode'], top['episode'])})"
    if len(docs) == 1:
        return Facts(PAGE, "size", "single", {"name": name, "total": total})
    ratio = float(top["tokens_clean"] / docs["tokens_clean"].min())
    case = "unequal" if ratio >= unequal_ratio else "comparable"
    return Facts(PAGE, "size", case, {"name": name, "total": total, "ratio": ratio,
                                      "share": float(top["tokens_clean"] / total)})


def size_text(documents: pd.DataFrame, episodes: pd.DataFrame, unequal_ratio: float = 3.0) -> str:
    return size_facts(documents, episodes, unequal_ratio).text


# --------------------------------------------------------------------------- what the corpus holds
def languages_facts(documents: pd.DataFrame) -> Facts:
    """Articles per language, languages in code order: '1 in English and 4 in French'.
    ``documents``: doc_id, language."""
    counts = documents.groupby("language")["doc_id"].count()
    return Facts(PAGE, "languages", "default", {"counts": [(str(code), int(n)) for code, n in counts.items()]})


def languages_text(documents: pd.DataFrame) -> str:
    return languages_facts(documents).text


def overview_facts(documents: pd.DataFrame, episodes: pd.DataFrame, n_sentences: int) -> Facts:
    """The corpus chapter's opening: scope, languages, words kept of those scraped, share removed.
    ``documents``: doc_id, language, tokens_raw, tokens_clean."""
    raw, clean = int(documents["tokens_raw"].sum()), int(documents["tokens_clean"].sum())
    return Facts(PAGE, "overview", "default", {
        "scope": scope_text(documents, episodes), "languages": languages_text(documents), "clean": clean, "raw": raw,
        "n_sentences": int(n_sentences), "removed": 1 - clean / raw if raw else 0.0})


def overview_text(documents: pd.DataFrame, episodes: pd.DataFrame, n_sentences: int) -> str:
    return overview_facts(documents, episodes, n_sentences).text


def coverage_facts(episodes: pd.DataFrame) -> Facts:
    """The intro's list of episodes with date and place, in date order.
    ``episodes``: label, date, place, order."""
    items = [{"label": r.label, "date": r.date, "place": r.place} for r in episodes.sort_values("order").itertuples()]
    return Facts(PAGE, "coverage", "default", {"episodes": items})


def coverage_text(episodes: pd.DataFrame) -> str:
    return coverage_facts(episodes).text


def holdings_facts(documents: pd.DataFrame, n_sentences: int) -> Facts:
    """The intro's corpus sentence: articles, languages, words and sentences after cleaning."""
    return Facts(PAGE, "holdings", "default", {
        "n_articles": len(documents), "languages": languages_text(documents),
        "words": int(documents["tokens_clean"].sum()), "n_sentences": int(n_sentences)})


def holdings_text(documents: pd.DataFrame, n_sentences: int) -> str:
    return holdings_facts(documents, n_sentences).text


# --------------------------------------------------------------------------- cleaning
#: kinds of dropped paragraph a reader is told about, and the reasons (before ":") of each
CLEANING_KINDS = {"furniture": ("boilerplate", "after", "furniture", "before-title", "repeated-title"),
                  "repeats": ("duplicate", "near-duplicate"),
                  "documents": ("duplicate-document",)}


def cleaning_facts(dropped: pd.DataFrame) -> Facts:
    """What cleaning removed, by kind (site furniture, repeated paragraphs, repeated documents).
    Case "none" when nothing was removed, else "removed" with ``parts``: one Facts per kind that
    removed something (case = the kind; values n_paragraphs, n_articles), so the sentence never
    claims furniture or repeats the corpus does not have. ``dropped``: doc_id, reason (as
    :func:`scripts.corpus.dropped_paragraphs`)."""
    kind = dropped["reason"].astype(str).str.replace(r":.*", "", regex=True)
    parts = []
    for name, reasons in CLEANING_KINDS.items():
        sel = dropped[kind.isin(reasons)]
        if len(sel):
            parts.append(Facts(PAGE, "cleaning_part", name, {"n_paragraphs": len(sel), "n_articles": int(sel["doc_id"].nunique())}))
    return Facts(PAGE, "cleaning", "removed" if parts else "none", {"parts": parts})


def cleaning_text(dropped: pd.DataFrame) -> str:
    return cleaning_facts(dropped).text


def duplicate_documents_facts(documents: pd.DataFrame) -> Facts:
    """Documents counted once because they repeat an earlier one. ``documents``: doc_id, duplicate_of."""
    dup = documents[documents["duplicate_of"] != ""]
    pairs = [(str(r.doc_id), str(r.duplicate_of)) for r in dup.itertuples()]
    return Facts(PAGE, "duplicate_documents", "some" if pairs else "none", {"pairs": pairs})


def duplicate_documents_text(documents: pd.DataFrame) -> str:
    return duplicate_documents_facts(documents).text


# --------------------------------------------------------------------------- biases (methods, findings)
def translation_facts(documents: pd.DataFrame, translated: pd.Series) -> Facts:
    """Articles the manifest marks as translations and their share of the cleaned words. Cases:
    none, one, several. ``documents``: doc_id, tokens_clean; ``translated``: bool per row
    (:func:`scripts.corpus.is_translated`)."""
    flagged = documents[translated.to_numpy(dtype=bool)]
    if flagged.empty:
        return Facts(PAGE, "translation", "none")
    total = int(documents["tokens_clean"].sum())
    return Facts(PAGE, "translation", "one" if len(flagged) == 1 else "several", {
        "n_translated": len(flagged), "n_articles": len(documents),
        "share": float(flagged["tokens_clean"].sum() / total) if total else 0.0})


def translation_text(documents: pd.DataFrame, translated: pd.Series) -> str:
    return translation_facts(documents, translated).text


def dominated_facts(balance: pd.DataFrame, share: float = 2 / 3) -> Facts:
    """Episodes with several articles where one article holds at least ``share`` of the words.
    Cases: no_several (no episode has several articles: :func:`single_facts` covers it; renders
    ''), none, one, several. ``balance``: :func:`scripts.corpus.episode_balance`."""
    several = balance[balance["articles"] > 1]
    if several.empty:
        return Facts(PAGE, "dominated", "no_several")
    dom = several[several["largest_share"] >= share]
    items = [{"episode": r.label, "doc": r.largest_doc, "share": float(r.largest_share)} for r in dom.itertuples()]
    case = "none" if not items else ("one" if len(items) == 1 else "several")
    return Facts(PAGE, "dominated", case, {"threshold": float(share), "episodes": items})


def dominated_text(balance: pd.DataFrame, share: float = 2 / 3) -> str:
    return dominated_facts(balance, share).text


def single_facts(balance: pd.DataFrame) -> Facts:
    """Episodes that rest on a single article. Cases: none, one, several. ``balance``: as
    :func:`dominated_facts`."""
    names = balance.loc[balance["articles"] == 1, "label"].tolist()
    case = "none" if not names else ("one" if len(names) == 1 else "several")
    return Facts(PAGE, "single", case, {"episodes": names})


def single_text(balance: pd.DataFrame) -> str:
    return single_facts(balance).text


def language_facts(balance: pd.DataFrame) -> Facts:
    """Whether episodes are read in one language only (language and episode confounded). Cases:
    one_language (the whole corpus is in one language), all_mixed (every episode has several),
    some_single (``episodes``: label and language of the one-language episodes)."""
    langs = sorted({code for codes in balance["languages"] for code in codes})
    if len(langs) <= 1:
        return Facts(PAGE, "language", "one_language", {"language": langs[0] if langs else None})
    one = balance[(balance["languages"].map(len) == 1) & (balance["articles"] > 0)]
    if one.empty:
        return Facts(PAGE, "language", "all_mixed")
    return Facts(PAGE, "language", "some_single", {
        "n_episodes": len(balance), "episodes": [{"episode": r.label, "language": r.languages[0]} for r in one.itertuples()]})


def language_text(balance: pd.DataFrame) -> str:
    return language_facts(balance).text


def sample_facts(documents: pd.DataFrame, balance: pd.DataFrame) -> Facts:
    """Methods' corpus-size caveat: articles, words, and the articles of the smallest episode."""
    return Facts(PAGE, "sample", "default", {"n_articles": len(documents), "words": int(documents["tokens_clean"].sum()),
                                             "min_articles": int(balance["articles"].min())})


def sample_text(documents: pd.DataFrame, balance: pd.DataFrame) -> str:
    return sample_facts(documents, balance).text


def language_shares_facts(shares: pd.Series) -> Facts:
    """'English 15% and French 85%' from :func:`scripts.corpus.word_shares` (language -> share)."""
    return Facts(PAGE, "language_shares", "default", {"shares": [(str(c), float(s)) for c, s in shares.items()]})


def language_shares_text(shares: pd.Series) -> str:
    return language_shares_facts(shares).text


# --------------------------------------------------------------------------- data page
def markup_facts(markup: pd.DataFrame) -> Facts:
    """Sentences that still look like HTML markup (:func:`scripts.provenance.markup_sentences`).
    Cases: none, some."""
    return Facts(PAGE, "markup", "some" if len(markup) else "none", {"n": len(markup)})


def markup_text(markup: pd.DataFrame) -> str:
    return markup_facts(markup).text


def no_markup_note() -> str:
    """What the data page shows instead of an empty table of markup sentences."""
    return Facts(PAGE, "markup_table", "empty").text


# --------------------------------------------------------------------------- methods: the pipeline chart
#: (statement in templates/corpus.yml, box title) for each column of the pipeline chart
PIPELINE_STAGES = (("pipeline_seeds", "Seed articles"), ("pipeline_cleaning", "Cleaning"), ("pipeline_sentences", "Sentences"))
PIPELINE_BRANCHES = (("pipeline_terms", "Terms"), ("pipeline_actors", "Actors"), ("pipeline_tone", "Tone"))
PIPELINE_OUTPUTS = (("pipeline_tables", "Tables, figures"), ("pipeline_book", "Book"))


def pipeline_boxes(sizes: dict[str, int]) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """(stages, branches, outputs) of (title, detail) for ``plots.flow_chart``. ``sizes``: n_files
    (seed texts), n_rules (boilerplate patterns), n_abbreviations, n_concepts, n_actors, n_lexicon
    (diplomatic lexicon entries)."""
    def boxes(spec):
        return [(title, Facts(PAGE, statement, "default", dict(sizes)).text) for statement, title in spec]

    return boxes(PIPELINE_STAGES), boxes(PIPELINE_BRANCHES), boxes(PIPELINE_OUTPUTS)


# --------------------------------------------------------------------------- reader tables
def documents_table(documents: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """One row per article: doc, episode (label), lang, date (YYYY-MM-DD), sentences, words raw, words kept."""
    return (documents.merge(episodes[["episode", "label"]], on="episode")
            .assign(date=lambda d: d["date"].dt.strftime("%Y-%m-%d"))
            [["doc_id", "label", "language", "date", "sentences", "tokens_raw", "tokens_clean"]]
            .rename(columns={"doc_id": "doc", "label": "episode", "language": "lang",
                             "tokens_raw": "words raw", "tokens_clean": "words kept"}))


def sources_table(documents: pd.DataFrame) -> pd.DataFrame:
    """doc_id, title, source, as the manifest gives them (seed text: escaped by ``report.md_table``)."""
    return documents[["doc_id", "title", "source"]]


def episodes_table(per_episode: pd.DataFrame) -> pd.DataFrame:
    """From :func:`scripts.corpus.documents_per_episode`: episode (label), language, documents, words,
    share of words ('75%')."""
    return pd.DataFrame({"episode": per_episode["label"], "language": per_episode["language"],
                         "documents": per_episode["documents"], "words": per_episode["words"],
                         "share of words": per_episode["share"].map(pct)})


def dropped_examples_table(dropped: pd.DataFrame, n_examples: int, width: int = 110) -> pd.DataFrame:
    """Up to ``n_examples`` dropped paragraphs per reason (in text order), text cut to ``width``
    characters: doc_id, reason, text."""
    return (dropped.assign(text=dropped["text"].str.slice(0, width))
            .groupby("reason", sort=True).head(n_examples)[["doc_id", "reason", "text"]])


def bias_table(balance: pd.DataFrame) -> pd.DataFrame:
    """From :func:`scripts.corpus.episode_balance`: episode (label), articles, words, languages
    ('en, fr'), largest article, its share, machine-translated share (both '75%')."""
    return pd.DataFrame({"episode": balance["label"], "articles": balance["articles"], "words": balance["words"],
                         "languages": balance["languages"].map(", ".join), "largest article": balance["largest_doc"],
                         "its share": balance["largest_share"].map(pct),
                         "machine-translated share": balance["translated_share"].map(pct)})


def figure_caption_facts(statement: str, n_articles: int, per_article: bool) -> Facts:
    """The caption of a corpus figure (``timeline_caption`` or ``sizes_caption``): case
    ``per_article`` (one mark per article) or ``by_episode`` (the corpus is too large for that;
    :func:`scripts.plots.corpus.per_article` decides)."""
    return Facts(PAGE, statement, "per_article" if per_article else "by_episode", {"n_articles": int(n_articles)})


def figure_caption_text(statement: str, n_articles: int, per_article: bool) -> str:
    return figure_caption_facts(statement, n_articles, per_article).text
