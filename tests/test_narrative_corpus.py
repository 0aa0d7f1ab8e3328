"""Sentences and reader tables about the corpus (scripts/narrative/corpus.py, templates/corpus.yml):
which case each statement takes on hand-made tables, and every statement rendered on the bundled,
tiny and one-episode corpora."""
from __future__ import annotations

import pandas as pd
import pytest

from scripts import corpus as C
from scripts import provenance as P
from scripts.narrative import Facts, common, template_names
from scripts.narrative import corpus as NC


def _episodes(*dates: str) -> pd.DataFrame:
    return pd.DataFrame({"episode": [f"e{i}" for i in range(len(dates))], "label": [f"Ep {i}" for i in range(len(dates))],
                         "date": pd.to_datetime(list(dates)), "place": [f"City {i}" for i in range(len(dates))],
                         "order": range(len(dates))})


def _documents(rows: list[tuple]) -> pd.DataFrame:
    """rows: (doc_id, episode, language, tokens_clean, source)."""
    return pd.DataFrame(rows, columns=["doc_id", "episode", "language", "tokens_clean", "source"]).assign(note="")


def _dropped(doc_ids: list[str], reasons: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": doc_ids, "reason": reasons})


def _translation(docs: pd.DataFrame) -> Facts:
    return NC.translation_facts(docs, C.is_translated(docs))


THREE = _episodes("2017-04-12", "2017-05-10", "2019-05-14")
UNEVEN = _documents([("a", "e0", "fr", 750, "x"), ("b", "e1", "fr", 50, "x"),
                     ("c", "e2", "en", 80, "translation"), ("d", "e2", "fr", 20, "x")])
BALANCED = _documents([("a", "e0", "en", 55, "x"), ("b", "e0", "fr", 45, "x")])
ONE = _documents([("g", "e0", "en", 118, "x")])


# --------------------------------------------------------------------------- period, scope, size
def test_period_is_one_month_or_a_span():
    assert NC.period_facts(_episodes("2021-06-01", "2021-06-30")).case == "one_month"
    assert NC.period_facts(THREE).case == "span" and NC.period_facts(THREE.iloc[:0]).case == "empty"
    assert NC.period_text(THREE) == "from April 2017 to May 2019"  # the words a reader sees, once


def test_scope_counts_articles_and_episodes():
    f = NC.scope_facts(UNEVEN, THREE)
    assert (f["n_articles"], f["n_episodes"]) == (4, 3)
    assert NC.scope_text(ONE, THREE.iloc[:1]) == "1 article about 1 episode, in April 2017"


def test_size_says_unequal_only_when_it_is():
    eps = THREE.iloc[:2]
    unequal = NC.size_facts(_documents([("big", "e0", "fr", 900, "x"), ("small", "e1", "en", 100, "x")]), eps)
    assert unequal.case == "unequal" and unequal["name"] == "big (Ep 0)"
    assert unequal["share"] == pytest.approx(0.9) and unequal["ratio"] == pytest.approx(9.0)
    equal = NC.size_facts(_documents([("a", "e0", "fr", 120, "x"), ("b", "e1", "en", 100, "x")]), eps)
    assert equal.case == "comparable" and equal["ratio"] == pytest.approx(1.2)
    # a repeated document keeps no word and is left out of the ratio
    with_dup = NC.size_facts(_documents([("a", "e0", "fr", 120, "x"), ("b", "e1", "en", 100, "x"), ("c", "e1", "en", 0, "x")]), eps)
    assert with_dup == equal
    assert NC.size_facts(_documents([("only", "e0", "en", 1, "x")]), eps.iloc[:1]).case == "single"
    assert NC.size_facts(_documents([("a", "e0", "en", 0, "x")]), eps).case == "empty"
    assert "12 times as many" in NC.size_text(_documents([("a", "e0", "en", 1200, "x"), ("b", "e1", "en", 100, "x")]), eps)


def test_a_small_share_of_many_articles_reads_below_one_percent():
    """At 1,000 comparable articles the largest holds a fraction of a percent: "<1%", never "0%"."""
    docs = _documents([(f"d{i:04d}", "e0", "en", 100 + (i == 0) * 20, "x") for i in range(1000)])
    facts = NC.size_facts(docs, THREE.iloc[:1])
    assert 0 < facts["share"] < 0.005
    text = NC.size_text(docs, THREE.iloc[:1])
    assert "holds <1% of the cleaned words" in text and " 0%" not in text
    assert [common.pct(x) for x in (0.0004, 0, 0.053, 0.998, 1.0)] == ["<1%", "0%", "5%", ">99%", "100%"]
    assert common.pct(0.0004, 1) == "<0.1%" and common.pct_range(0.001, 0.4) == "<1% to 40%"
    table = NC.episodes_table(pd.DataFrame({"label": ["Ep 0", "Ep 1"], "language": ["en", "en"], "documents": [999, 1],
                                            "words": [99_900, 100], "share": [0.999, 0.001]}))
    assert list(table["share of words"]) == [">99%", "<1%"]


# --------------------------------------------------------------------------- what the corpus holds
def test_languages_overview_coverage_and_holdings():
    assert NC.languages_facts(UNEVEN)["counts"] == [("en", 1), ("fr", 3)]
    assert NC.languages_text(UNEVEN) == "1 in English and 3 in French"
    docs = UNEVEN.assign(tokens_raw=[1000, 50, 100, 50])
    f = NC.overview_facts(docs, THREE, 40)
    assert (f["clean"], f["raw"], f["n_sentences"]) == (900, 1200, 40) and f["removed"] == pytest.approx(0.25)
    assert f["scope"] == NC.scope_text(docs, THREE) and f["languages"] == NC.languages_text(docs)
    cov = NC.coverage_facts(THREE.iloc[::-1])  # date order, whatever the row order
    assert [e["label"] for e in cov["episodes"]] == ["Ep 0", "Ep 1", "Ep 2"]
    assert NC.coverage_text(THREE.iloc[:1]) == "The corpus covers 1 episode: Ep 0 (12 April 2017, City 0)."
    h = NC.holdings_facts(UNEVEN, 40)
    assert (h["n_articles"], h["words"], h["n_sentences"]) == (4, 900, 40)


# --------------------------------------------------------------------------- cleaning
def test_cleaning_names_only_the_kinds_that_removed_something():
    assert NC.cleaning_facts(_dropped([], [])).case == "none"
    furniture = NC.cleaning_facts(_dropped(["a", "a", "b"], ["boilerplate:share", "after:comments", "repeated-title"]))
    assert furniture.case == "removed"
    assert [(p.case, p["n_paragraphs"], p["n_articles"]) for p in furniture["parts"]] == [("furniture", 3, 2)]
    assert "repeat an earlier" not in furniture.text  # never claims repeats the corpus does not have
    mixed = NC.cleaning_facts(_dropped(["a", "b", "c"], ["near-duplicate", "boilerplate:x", "duplicate-document"]))
    assert [p.case for p in mixed["parts"]] == ["furniture", "repeats", "documents"]
    shapes = NC.cleaning_facts(_dropped(["a", "b"], ["furniture:caption", "before-title"]))  # cleaning by shape is furniture too
    assert [(p.case, p["n_paragraphs"]) for p in shapes["parts"]] == [("furniture", 2)]
    one = NC.cleaning_facts(_dropped(["a"], ["duplicate"]))
    assert "1 paragraph that repeats an earlier one" in one.text  # verb agrees with one paragraph


def test_duplicate_documents_pairs():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "duplicate_of": ["", "a", "a"]})
    f = NC.duplicate_documents_facts(docs)
    assert f.case == "some" and f["pairs"] == [("b", "a"), ("c", "a")]
    assert NC.duplicate_documents_facts(docs.iloc[:1]).case == "none"


# --------------------------------------------------------------------------- biases
def test_translation_counts_manifest_flags():
    docs = _documents([("a", "e0", "en", 300, "English machine translation of X"), ("b", "e0", "fr", 100, "Le Monde")])
    f = _translation(docs)
    assert f.case == "one" and (f["n_translated"], f["n_articles"]) == (1, 2) and f["share"] == pytest.approx(0.75)
    assert _translation(docs.iloc[1:]).case == "none"
    noted = docs.assign(note=["", "traduit du russe"])
    assert _translation(noted).case == "several" and _translation(noted)["share"] == pytest.approx(1.0)


def test_bias_statements_on_three_episodes():
    balance = C.episode_balance(UNEVEN, THREE)
    dom = NC.dominated_facts(balance)
    assert dom.case == "one" and dom["episodes"] == [{"episode": "Ep 2", "doc": "c", "share": pytest.approx(0.8)}]
    single = NC.single_facts(balance)
    assert single.case == "several" and single["episodes"] == ["Ep 0", "Ep 1"]
    lang = NC.language_facts(balance)
    assert lang.case == "some_single" and lang["n_episodes"] == 3
    assert lang["episodes"] == [{"episode": "Ep 0", "language": "fr"}, {"episode": "Ep 1", "language": "fr"}]
    table = NC.bias_table(balance)
    assert list(table.columns) == ["episode", "articles", "words", "languages", "largest article", "its share",
                                   "machine-translated share"]
    assert table.iloc[2].tolist() == ["Ep 2", 2, 100, "en, fr", "c", "80%", "80%"]


def test_bias_statements_balanced_and_single_article():
    balanced = C.episode_balance(BALANCED, THREE.iloc[:1])
    assert NC.dominated_facts(balanced).case == "none"  # 55% is not domination
    assert NC.single_facts(balanced).case == "none"
    assert NC.language_facts(balanced).case == "all_mixed"
    one = C.episode_balance(ONE, THREE.iloc[:1])
    assert NC.dominated_facts(one).case == "no_several" and NC.dominated_text(one) == ""
    assert NC.single_facts(one).case == "one"
    assert NC.language_facts(one).case == "one_language" and NC.language_facts(one)["language"] == "en"
    two_dominated = C.episode_balance(_documents([("a", "e0", "fr", 90, "x"), ("b", "e0", "fr", 10, "x"),
                                                  ("c", "e1", "en", 70, "x"), ("d", "e1", "en", 30, "x")]), THREE.iloc[:2])
    assert NC.dominated_facts(two_dominated).case == "several"


def test_sample_and_language_shares():
    balance = C.episode_balance(UNEVEN, THREE)
    f = NC.sample_facts(UNEVEN, balance)
    assert (f["n_articles"], f["words"], f["min_articles"]) == (4, 900, 1)
    shares = NC.language_shares_facts(C.word_shares(UNEVEN))["shares"]
    assert [c for c, _ in shares] == ["en", "fr"] and [s for _, s in shares] == pytest.approx([80 / 900, 820 / 900])


def test_markup_cases():
    assert NC.markup_facts(pd.DataFrame({"doc_id": [], "sentence_id": [], "text": []})).case == "none"
    assert NC.markup_facts(pd.DataFrame({"doc_id": ["a"], "sentence_id": ["a-s000"], "text": ["<b>x</b>"]})).case == "some"


def test_pipeline_boxes_carry_the_sizes():
    sizes = {"n_files": 1, "n_rules": 25, "n_abbreviations": 40, "n_concepts": 30, "n_actors": 50, "n_lexicon": 200}
    stages, branches, outputs = NC.pipeline_boxes(sizes)
    assert [t for t, _ in stages] == ["Seed articles", "Cleaning", "Sentences"] and len(branches) == 3 and len(outputs) == 2
    assert "1 text file," in stages[0][1] and "25 boilerplate rules" in stages[1][1] and "200-entry" in branches[2][1]


# --------------------------------------------------------------------------- reader tables
def test_reader_tables_of_the_corpus_chapter(any_corpus):
    name, corp = any_corpus
    docs, eps = corp.documents, corp.episodes
    shown = NC.documents_table(docs, eps)
    assert list(shown.columns) == ["doc", "episode", "lang", "date", "sentences", "words raw", "words kept"]
    assert shown["doc"].tolist() == docs["doc_id"].tolist() and shown["date"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    per = NC.episodes_table(C.documents_per_episode(docs, eps))
    assert per["documents"].sum() == len(docs) and per["share of words"].str.endswith("%").all()
    dropped = C.dropped_paragraphs(corp)
    examples = NC.dropped_examples_table(dropped, 2)
    assert (examples.groupby("reason").size() <= 2).all() and (examples["text"].str.len() <= 110).all()
    assert set(examples["reason"]) == set(dropped["reason"])


# --------------------------------------------------------------------------- every statement, every corpus
def _statements(corp: C.Corpus) -> list[Facts]:
    """Every statement of templates/corpus.yml as the pages compute it for ``corp``."""
    docs, eps = corp.documents, corp.episodes
    dropped = C.dropped_paragraphs(corp)
    balance = C.episode_balance(docs, eps)
    cleaning = NC.cleaning_facts(dropped)
    sizes = {"n_files": len(docs), "n_rules": 1, "n_abbreviations": 1, "n_concepts": 1, "n_actors": 1, "n_lexicon": 1}
    return [NC.period_facts(eps), NC.scope_facts(docs, eps), NC.size_facts(docs, eps), NC.languages_facts(docs),
            NC.overview_facts(docs, eps, len(corp.sentences)), NC.coverage_facts(eps), NC.holdings_facts(docs, len(corp.sentences)),
            cleaning, *cleaning["parts"], NC.duplicate_documents_facts(docs), _translation(docs), NC.dominated_facts(balance),
            NC.single_facts(balance), NC.language_facts(balance), NC.sample_facts(docs, balance),
            NC.language_shares_facts(C.word_shares(docs)), NC.markup_facts(P.markup_sentences(corp.sentences)),
            Facts(NC.PAGE, "markup_table", "empty"),
            *[NC.figure_caption_facts(s, len(docs), per) for s in ("timeline_caption", "sizes_caption") for per in (True, False)],
            *[Facts(NC.PAGE, s, "default", sizes) for s, _ in NC.PIPELINE_STAGES + NC.PIPELINE_BRANCHES + NC.PIPELINE_OUTPUTS]]


def test_every_statement_renders_on_every_corpus(any_corpus):
    name, corp = any_corpus
    facts = _statements(corp)
    assert {f.statement for f in facts} == set(template_names()["corpus"])  # none forgotten
    for f in facts:
        text = f.text
        if (f.statement, f.case) != ("dominated", "no_several"):
            assert text, (name, f)
        for leak in ("{", "}", "nan", "None", "  "):
            assert leak not in text, (name, f.statement, f.case, text)
    expected = {"seeds": {"size": "unequal", "translation": "several", "single": "several", "language": "some_single"},
                "one_episode": {"size": "single", "translation": "none", "single": "one", "language": "one_language",
                                "dominated": "no_several", "period": "one_month"}}
    cases = {f.statement: f.case for f in facts}
    for statement, case in expected.get(name, {}).items():
        assert cases[statement] == case, (name, statement)


def test_every_case_of_every_statement_renders():
    """The cases the three corpora do not reach, built by hand: every variant in corpus.yml renders."""
    values = {"first": pd.Timestamp("2021-06-16"), "last": pd.Timestamp("2021-07-01"), "n_articles": 2, "n_episodes": 2,
              "period": "in June 2021", "name": "a (Ep 0)", "total": 100, "ratio": 3.5, "share": 0.6, "counts": [("en", 2)],
              "scope": "2 articles", "languages": "2 in English", "clean": 90, "raw": 100, "n_sentences": 9, "removed": 0.1,
              "episodes": [], "words": 90, "n_paragraphs": 2, "parts": [], "pairs": [("b", "a")],
              "n_translated": 1, "threshold": 2 / 3, "language": "fr", "min_articles": 1, "shares": [("en", 1.0)], "n": 1,
              "n_files": 2, "n_rules": 1, "n_abbreviations": 1, "n_concepts": 1, "n_actors": 1, "n_lexicon": 1}
    lists = {"dominated": [{"episode": "Ep 0", "doc": "a", "share": 0.7}, {"episode": "Ep 1", "doc": "c", "share": 0.8}],
             "single": ["Ep 0", "Ep 1"], "language": [{"episode": "Ep 0", "language": "en"}],
             "coverage": [{"label": "Ep 0", "date": pd.Timestamp("2021-06-16"), "place": "Geneva"}]}
    for statement, cases in template_names()["corpus"].items():
        for case in cases:
            v = dict(values, episodes=lists.get(statement, []))
            if statement == "cleaning_part":
                v["n_articles"] = 1
            if statement == "cleaning":
                v["parts"] = [Facts(NC.PAGE, "cleaning_part", "furniture", {"n_paragraphs": 1, "n_articles": 1})]
            text = Facts(NC.PAGE, statement, case, v).text
            assert "{" not in text and "None" not in text and "nan" not in text, (statement, case, text)


# --------------------------------------------------------------------------- shared formatting the templates use
@pytest.mark.parametrize("n, expected", [(0, "0 articles"), (1, "1 article"), (1234, "1,234 articles")])
def test_plural_as_the_corpus_sentences_use_it(n, expected):
    assert common.plural(n, "article") == expected
    assert common.plural(2, "analysis", "analyses") == "2 analyses"
    assert common.join_words([]) == "" and common.join_words(["a", "b"]) == "a and b"


@pytest.mark.parametrize("statement", ["timeline_caption", "sizes_caption"])
def test_figure_captions_say_per_article_or_per_episode(statement):
    small = NC.figure_caption_facts(statement, 5, per_article=True)
    large = NC.figure_caption_facts(statement, 1000, per_article=False)
    assert (small.case, large.case) == ("per_article", "by_episode")
    assert "per article" in large.text.replace("per article;", "per article") and "1,000 articles" in large.text
    assert "1,000" not in small.text and small.text == NC.figure_caption_text(statement, 5, True)
