"""The narrative layer's machinery: templates compile, facts render, filters format; and every
corpus-level template renders on the bundled, tiny and one-episode corpora."""
from __future__ import annotations

import pytest

from scripts.narrative import Facts, common, render, template_names
from scripts.narrative import corpus as NC
from scripts.narrative.render import template as compiled


def test_every_template_file_compiles_and_names_its_cases():
    names = template_names()
    assert "corpus" in names
    for page, statements in names.items():
        for statement, cases in statements.items():
            assert cases, f"{page}.{statement} has no case"
            for case in cases:  # compiled when first rendered: compile each here (a syntax error raises)
                assert compiled(page, statement, case).render is not None


def test_unknown_case_is_a_clear_error():
    with pytest.raises(KeyError, match="has no case 'nope'"):
        render(Facts("corpus", "size", "nope"))


def test_a_missing_value_raises_instead_of_printing_a_hole():
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        render(Facts("corpus", "size", "single", {"name": "x"}))


def test_filters_format_for_readers():
    assert common.plural(1, "article") == "1 article" and common.plural(1234, "token") == "1,234 tokens"
    assert common.join_words(["a", "b", "c"]) == "a, b and c"
    assert common.signed(-0.04) == "−0.04" and common.signed(0.31) == "+0.31"
    assert common.interval((0.03, 0.57)) == "[+0.03, +0.57]"
    assert common.pct_range(0.05, 0.051) == "5%" and common.pct_range(0.05, 0.4) == "5% to 40%"


def test_a_list_in_a_cell_names_a_few_and_counts_the_rest():
    assert common.capped_list(["000", "001"]) == "000, 001"
    ids = [f"{i:03}" for i in range(1000)]
    assert common.capped_list(ids) == "000, 001, 002, 003, 004, 005 and 994 more"
    assert common.capped_list(ids[:7], limit=7) == ", ".join(ids[:7])
    assert common.capped_list([]) == ""


def test_size_cases_follow_the_documents(any_corpus):
    name, corp = any_corpus
    facts = NC.size_facts(corp.documents, corp.episodes)
    expected = {"seeds": "unequal", "one_episode": "single"}
    if name in expected:
        assert facts.case == expected[name]
    assert facts.text and "{" not in facts.text


def test_period_is_one_month_for_one_episode(any_corpus):
    name, corp = any_corpus
    facts = NC.period_facts(corp.episodes)
    assert facts.case == ("one_month" if name == "one_episode" else "span")
