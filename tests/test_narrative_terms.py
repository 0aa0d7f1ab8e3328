"""Sentences and reader tables of the terms chapter: which case each statement takes and with which
values (facts), the reader tables' columns and cells, and every statement of templates/terms.yml
rendered on the bundled, tiny and one-episode corpora."""
from __future__ import annotations

import pandas as pd
import pytest
from test_terms import EPISODES, TINY, _conc, make_corpus  # tests/ is on sys.path (rootdir conftest)

from scripts import corpus as C
from scripts import terms as T
from scripts.narrative import Facts, template_names
from scripts.narrative import terms as NT

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def tiny() -> C.Corpus:
    return C.load_corpus(TINY)


# --------------------------------------------------------------------------- names
def test_unit_name_correction_and_reason():
    assert NT.unit_name("early", "fr", EPISODES) == "Moscow 2017 (French)"
    assert NT.unit_name("other", "xx", EPISODES) == "other (xx)"                # unknown ids fall back to themselves
    assert NT.correction_name("bh") == "Benjamini–Hochberg" and NT.correction_name("by") == "Benjamini–Yekutieli"
    assert NT.correction_name("holm") == "holm"
    assert NT.reason_text(T.NO_REFERENCE, "en") == "no other episode has English text to compare with"


def test_keyness_units_are_comparable_tested_units_in_date_order():
    cov = pd.DataFrame({"episode": ["late", "early", "early"], "language": ["fr", "fr", "en"],
                        "computable": [True, True, False]})
    key = pd.DataFrame({"episode": ["late", "early", "early"], "language": ["fr", "fr", "en"]})
    units = NT.keyness_units(key, cov, EPISODES)
    assert list(zip(units["episode"], units["language"])) == [("early", "fr"), ("late", "fr")]
    assert NT.keyness_units(key[key["episode"] == "late"], cov, EPISODES)["episode"].tolist() == ["late"]


# --------------------------------------------------------------------------- sizes and forms
def test_length_spread_cases():
    def sizes(*n):
        return pd.DataFrame({"n_tokens": list(n)})

    f = NT.length_spread_facts(sizes(10, 5))
    assert f.case == "unequal" and (f["lo"], f["hi"], f["ratio"]) == (5, 10, 2.0)
    assert f.text == "here from 5 to 10 word tokens per article, the longest 2 times the shortest"
    assert NT.length_spread_facts(sizes(6, 5)).case == "close"                      # 1.2 × : no ratio claimed
    assert NT.length_spread_facts(sizes(1234, 120)).text.startswith("here from 120 to 1,234 ")
    single = NT.length_spread_facts(sizes(5))
    assert single.case == "single" and single["n"] == 5
    assert NT.length_spread_facts(sizes()).case == "empty"


def test_sizes_and_spellings_tables():
    _, toks = make_corpus([("late", "en", "Syria talks, Syria talks."),
                           ("early", "fr", "Les élections et les élections, une élection.")])
    terms = T.annotate_terms(toks)
    sizes = NT.sizes_table(T.unit_sizes(terms, "episode"), EPISODES)
    assert list(sizes.columns) == ["episode", "language", "word tokens", "content tokens", "content share"]
    # early (first by date): 7 words, 3 of them terms
    assert sizes.iloc[0].tolist() == ["Moscow 2017", "French", 7, 3, "43%"]
    assert sizes.iloc[1].tolist() == ["Sochi 2019", "English", 4, 4, "100%"]
    forms = NT.spellings_table(T.spelling_variants(terms, T.surface_forms(terms)))
    assert forms.to_dict("records") == [{"language": "fr", "shown as": "élections",
                                         "forms in the texts (count)": "élections (2), élection (1)"}]
    assert NT.spellings_table(T.spelling_variants(terms.iloc[:0], T.surface_forms(terms))).columns.tolist() == [
        "language", "shown as", "forms in the texts (count)"]


# --------------------------------------------------------------------------- frequent terms
def test_top_terms_table_and_top_frequent_facts():
    _, toks = make_corpus([("late", "en", "Syria talks, Syria talks."),
                           ("early", "fr", "Les élections et les élections, une élection.")])
    freq = T.all_frequencies(T.annotate_terms(toks))
    tbl = NT.top_terms_table(freq, EPISODES, top_n=2)
    assert list(tbl.columns) == ["rank", "Moscow 2017 (French)", "Sochi 2019 (English)"]
    # élections: 3 of 7 word tokens = 428.6 per 1,000; Syria 2 of 4 = 500.0
    assert tbl.iloc[0].tolist() == [1, "élections 428.6", "Syria 500.0"]
    assert tbl.iloc[1].tolist() == [2, "", "talks 500.0"]                   # a shorter column is padded
    f = NT.top_frequent_facts(freq, EPISODES)
    assert f.case == "units" and [u["name"] for u in f["units"]] == ["Moscow 2017 (French)", "Sochi 2019 (English)"]
    assert [u["surface"] for u in f["units"]] == ["élections", "Syria"]
    assert f["units"][0]["per_1k"] == pytest.approx(3000 / 7)
    assert NT.top_frequent_facts(freq.head(0), EPISODES).case == "none"


# --------------------------------------------------------------------------- concepts
def test_patterns_table_and_readable_patterns():
    assert NT.readable_pattern(r"\bsyri") == "syri…" and NT.readable_pattern(r"\bcorée du nord\b") == "corée du nord"
    concepts = pd.DataFrame({"concept": ["syria", "syria", "syria"], "label": ["Syria"] * 3, "language": ["en", "fr", "fr"],
                             "pattern": [r"\bsyri", r"\bsyri", r"\bdamas\b"]})
    tbl = NT.patterns_table(concepts)
    assert tbl.to_dict("records") == [{"concept": "Syria", "English patterns": "syri…", "French patterns": "syri…, damas"}]


def test_concepts_table_and_agenda_facts():
    conc = _conc({("early", "syria"): (4, 1000), ("early", "iran"): (0, 1000), ("early", "trust"): (1, 1000),
                  ("late", "syria"): (2, 2000), ("late", "iran"): (4, 2000), ("late", "trust"): (2, 2000)})
    shift = T.agenda_shift(conc, EPISODES)
    tbl = NT.concepts_table(conc, T.concept_rates(conc, shift, EPISODES), shift, EPISODES)
    assert list(tbl.columns) == ["concept", "Moscow 2017", "Sochi 2019", "change"]
    assert tbl.iloc[0].tolist() == ["Iran", "0.00 (0)", "2.00 (4)", "+2.00"]
    assert tbl.iloc[2].tolist() == ["Syria", "4.00 (4)", "1.00 (2)", "-3.00"]
    f = NT.agenda_shift_facts(shift, EPISODES)
    assert f.case == "rise_and_fall" and (f["first"], f["last"]) == ("Moscow 2017", "Sochi 2019")
    assert (f["rise"], f["rise_change"], f["fall"], f["fall_change"]) == ("Iran", 2.0, "Syria", -3.0)
    assert (f["rise_first"], f["rise_last"], f["fall_first"], f["fall_last"]) == (0.0, 2.0, 4.0, 1.0)
    # a rise is claimed only for a positive change, a fall only for a negative one
    assert NT.agenda_shift_facts(shift[shift["change"] >= 0], EPISODES).case == "rise"
    assert NT.agenda_shift_facts(shift[shift["change"] <= 0], EPISODES).case == "fall"
    flat = NT.agenda_shift_facts(shift[shift["change"] == 0], EPISODES)
    assert flat.case == "no_change" and "rises" not in flat.text and "falls" not in flat.text
    # one episode: nothing to compare, no change column
    one = conc[conc["episode"] == "early"]
    one_shift = T.agenda_shift(one, EPISODES)
    assert NT.agenda_shift_facts(one_shift, EPISODES).case == "single"
    assert list(NT.concepts_table(one, T.concept_rates(one, one_shift, EPISODES), one_shift, EPISODES).columns) == [
        "concept", "Moscow 2017"]
    top = NT.top_concepts_facts(T.top_concepts(conc), EPISODES)
    assert top.case == "episodes" and [c.case for c in top["episodes"]] == ["found", "found"]
    assert [(c["episode"], c["concept"], c["per_1k"]) for c in top["episodes"]] == [("Moscow 2017", "Syria", 4.0),
                                                                                     ("Sochi 2019", "Iran", 2.0)]
    zero = _conc({("early", "syria"): (0, 100), ("early", "iran"): (0, 100)})
    assert [c.case for c in NT.top_concepts_facts(T.top_concepts(zero), EPISODES)["episodes"]] == ["nothing"]


# --------------------------------------------------------------------------- keyness
def _key_rows(rows):
    """Keyness rows of one unit (late, en) from (surface, rank, significant, direction) tuples."""
    return pd.DataFrame([{"episode": "late", "language": "en", "term": s.lower(), "surface": s, "rank": r,
                          "significant": g, "direction": d} for s, r, g, d in rows])


def _cov(computable=True):
    return pd.DataFrame({"episode": ["late"], "language": ["en"], "n_tokens": [100], "n_reference": [50 if computable else 0],
                         "reference_episodes": ["early" if computable else ""], "computable": [computable],
                         "reason": ["" if computable else T.NO_REFERENCE]})


def test_top_terms_facts_say_which_terms_are_significant():
    def clause(key, cov=None, min_count=3):
        f = NT.top_terms_facts(key, _cov() if cov is None else cov, EPISODES, min_count)
        assert f.case == "units" and len(f["units"]) == 1
        return f["units"][0]

    all_sig = clause(_key_rows([("Pompeo", 1, True, "over"), ("Sochi", 2, True, "over"), ("Mike", 3, True, "over")]))
    assert all_sig.case == "all_significant" and all_sig["significant"] == ["Pompeo", "Sochi", "Mike"]
    assert clause(_key_rows([("Pompeo", 1, True, "over")])).case == "one_significant"
    some = clause(_key_rows([("Pompeo", 1, True, "over"), ("Sochi", 2, False, "over"), ("Mike", 3, False, "over")]))
    assert some.case == "some_significant" and some["not_significant"] == ["Sochi", "Mike"]
    # the wording is the point here: significant terms first, then the others, each group labelled
    assert some.text == "Sochi 2019 (English): Pompeo (significant), then Sochi, Mike (not significant)"
    none = clause(_key_rows([("Pompeo", 1, False, "over"), ("Sochi", 2, False, "over"), ("talk", 0, False, "under")]))
    assert none.case == "none_significant" and none["not_significant"] == ["Pompeo", "Sochi"]   # under-used left out
    under = _key_rows([("talk", 0, False, "under")])
    assert clause(under).case == "none_over"
    nothing = clause(under.iloc[:0], min_count=1)
    assert nothing.case == "nothing_tested" and nothing.text.endswith("no term occurs 1 time or more")
    assert clause(under, _cov(False)).case == "not_computable"
    f = NT.top_terms_facts(under, _cov().iloc[:0], EPISODES, 3)
    assert f.case == "none" and f.text == "No episode could be compared."


def test_significant_tested_and_findings_facts():
    some = _key_rows([("Pompeo", 1, True, "over"), ("Sochi", 2, False, "over"), ("talk", 0, True, "under")])
    f = NT.significant_facts(some)
    assert f.case == "some" and (f["n_significant"], f["n_tested"]) == (1, 3)   # under-used never counted
    assert f.text == "1 of the 3 tested terms is significantly over-used"
    assert NT.significant_facts(some.iloc[:1]).case == "only_significant"
    assert NT.significant_facts(some.iloc[1:2]).case == "only_not_significant"
    assert NT.significant_facts(some.iloc[1:]).case == "none"
    two = NT.significant_facts(_key_rows([("Pompeo", 1, True, "over"), ("Sochi", 2, True, "over")]))
    assert two.text == "2 of the 2 tested terms are significantly over-used"
    assert NT.significant_facts(some.iloc[:0]).case == "none_tested"
    tested = NT.tested_terms_facts(some, _cov(), EPISODES, 3)
    assert tested.case == "units" and tested["units"] == [{"name": "Sochi 2019 (English)", "n": 3}]
    none_frequent = NT.tested_terms_facts(some.iloc[:0], _cov(), EPISODES, 2)
    assert none_frequent.case == "none_frequent" and none_frequent["min_count"] == 2
    assert NT.tested_terms_facts(some, _cov(False), EPISODES, 3).case == "none_computable"
    findings = NT.keyness_findings_facts(some, _cov(), "bh", 0.05)
    assert findings.case == "tested" and findings["correction"] == "Benjamini–Hochberg" and findings["alpha"] == 0.05
    assert findings["significant"] == NT.significant_text(some)
    assert NT.keyness_findings_facts(some, _cov(False), "bh", 0.05).case == "none_computable"
    assert NT.keyness_findings_facts(some, _cov().iloc[:0], "bh", 0.05).case == "none_computable"
    assert NT.keyness_findings_facts(some.iloc[:0], _cov(), "bh", 0.05).case == "none_tested"


def test_coverage_table_and_not_computable_facts(tiny):
    terms = T.annotate_terms(tiny.tokens)
    cov = T.keyness_coverage(terms, tiny.episodes)
    tbl = NT.coverage_table(cov, tiny.episodes)
    assert list(tbl.columns) == ["episode", "word tokens", "reference tokens", "reference", "keyness"]
    row = tbl.set_index("episode").loc["Geneva, June 2021 (English)"]
    assert row["reference"] == "none" and row["keyness"] == "not computable: no other episode has English text to compare with"
    assert tbl.set_index("episode").loc["Moscow, April 2017 (French)", "reference"] == "Geneva, June 2021"
    assert tbl.set_index("episode").loc["Moscow, April 2017 (French)", "keyness"] == "computed"
    f = NT.not_computable_facts(cov, tiny.episodes)
    assert f.case == "some" and [u["name"] for u in f["units"]] == ["Geneva, June 2021 (English)"]
    assert NT.not_computable_facts(cov[cov["computable"]], tiny.episodes).case == "none"


def test_keyness_table_fits_the_page_and_marks_significance():
    _, toks = make_corpus([
        ("late", "en", "Chemical weapons chemical weapons chemical attack in Syria, Syria talks."),
        ("early", "en", "Election interference talks, election talks, Syria talks and more talks."),
    ])
    key = T.keyness(T.annotate_terms(toks), min_count=2, alpha=0.5)
    tbl = NT.keyness_table(key, EPISODES, top_n=2)
    assert list(tbl.columns) == ["episode", "term", "count (ref.)", "G²", "p adj.", "Log Ratio", "95% CI"]
    assert tbl["episode"].tolist()[:1] == ["Moscow 2017 (English)"]           # date order, then blanks in the group
    assert "" in tbl["episode"].tolist()
    over = key[(key["direction"] == "over") & (key["rank"] <= 2)]
    over = over.assign(_o=over["episode"].map({"early": 0, "late": 1})).sort_values("_o", kind="stable")
    for row, k in zip(tbl.itertuples(), over.itertuples()):
        assert row.term == (f"{k.surface}{NBSP}*" if k.significant else k.surface)   # no-break spaces: no wrap
        assert row[7] == f"[{k.ci_low:.2f},{NBSP}{k.ci_high:.2f}]"
    # late: "chemical" 3 times in 10 word tokens, never in the reference
    late = tbl.iloc[tbl.index[tbl["episode"] == "Sochi 2019 (English)"][0]]
    assert late["term"].split(NBSP)[0] == "chemical" and late["count (ref.)"] == f"3{NBSP}(0)"
    assert NT.keyness_table(key.head(0), EPISODES).columns.tolist() == ["note"]


def test_kwic_table(tiny):
    terms = T.annotate_terms(tiny.tokens)
    key = T.keyness(terms, min_count=1)
    kw = NT.kwic_table(T.distinctive_kwic(terms, tiny.sentences, key, n=2, width=20), tiny.episodes)
    assert list(kw.columns) == ["episode", "term", "doc", "left", "keyword", "right"]
    names = [e for e in kw["episode"] if e]
    assert names == ["Moscow, April 2017 (French)", "Geneva, June 2021 (French)"]      # date order, one label a unit
    best = key[(key["episode"] == "moscow-2017") & (key["rank"] == 1)].iloc[0]
    assert kw["term"].iloc[0] == best["surface"]
    assert all(t == "" for t, e in zip(kw["term"], kw["episode"]) if not e)
    assert NT.kwic_table(T.distinctive_kwic(terms, tiny.sentences, key.head(0)), tiny.episodes).columns.tolist() == ["note"]


def test_collocations_table():
    coll = pd.DataFrame({"episode": ["late", "late", "early"], "language": ["fr"] * 3, "bigram": ["a b", "c d", "e f"],
                         "surface": ["A de B", "C D", "E F"], "count": [3, 2, 2], "llr": [12.345, 6.0, 4.0], "rank": [1, 2, 1]})
    tbl = NT.collocations_table(coll, EPISODES, top_n=1)
    assert tbl.to_dict("records") == [
        {"episode": "Moscow 2017 (French)", "rank": 1, "collocation": "E F", "count": 2, "G² (LLR)": "4.0"},
        {"episode": "Sochi 2019 (French)", "rank": 1, "collocation": "A de B", "count": 3, "G² (LLR)": "12.3"}]
    assert NT.collocations_table(coll.head(0), EPISODES).columns.tolist() == ["note"]


# --------------------------------------------------------------------------- every statement on three corpora
# Statements rendered inside others (per unit or per episode) or inside table cells.
NESTED = {"top_frequent_unit", "top_concepts_episode", "not_computable_unit", "top_terms_unit", "reason", "coverage_cell",
          "correction", "empty_table"}
TOP_LEVEL = {"length_spread", "top_frequent", "agenda_shift", "top_concepts", "not_computable", "tested_terms",
             "significant", "keyness_findings", "top_terms"}


def test_every_statement_is_rendered_by_the_corpus_test():
    assert set(template_names()["terms"]) == TOP_LEVEL | NESTED


def _statements(f: Facts) -> set[str]:
    """The statement of ``f`` and of every Facts among its values (clauses of a list)."""
    out = {f.statement}
    for v in f.values.values():
        for item in v if isinstance(v, list) else [v]:
            if isinstance(item, Facts):
                out |= _statements(item)
    return out


def test_every_statement_renders_on_every_corpus(any_corpus):
    name, corp = any_corpus
    eps = corp.episodes
    terms = T.annotate_terms(corp.tokens)
    surfaces = T.surface_forms(terms)
    freq = T.all_frequencies(terms)
    cov = T.keyness_coverage(terms, eps)
    key = T.keyness(terms)
    coll = T.collocations(corp.tokens, corp.sentences, min_count=2, top_n=None)
    concepts = T.load_concepts()
    conc = T.concept_counts(corp.sentences, corp.tokens, concepts)
    shift = T.agenda_shift(conc, eps)
    facts = [NT.length_spread_facts(T.unit_sizes(terms, "document")), NT.top_frequent_facts(freq, eps),
             NT.agenda_shift_facts(shift, eps), NT.top_concepts_facts(T.top_concepts(conc), eps),
             NT.not_computable_facts(cov, eps), NT.tested_terms_facts(key, cov, eps, 3), NT.significant_facts(key),
             NT.keyness_findings_facts(key, cov, "bh", 0.05), NT.top_terms_facts(key, cov, eps, 3)]
    assert {f.statement for f in facts} == TOP_LEVEL
    for f in facts:
        text = f.text
        assert text and "{" not in text and "nan" not in text and "None" not in text, (name, f.statement, text)
    tables = [NT.sizes_table(T.unit_sizes(terms, "episode"), eps), NT.spellings_table(T.spelling_variants(terms, surfaces)),
              NT.top_terms_table(freq, eps), NT.concepts_table(conc, T.concept_rates(conc, shift, eps), shift, eps),
              NT.patterns_table(concepts), NT.coverage_table(cov, eps), NT.keyness_table(key, eps),
              NT.kwic_table(T.distinctive_kwic(terms, corp.sentences, key), eps), NT.collocations_table(coll, eps)]
    for tbl in tables:
        cells = [str(v) for v in tbl.to_numpy().ravel()] + list(tbl.columns)
        assert not any(c in ("nan", "None") or "{" in c for c in cells), (name, tbl.columns.tolist())
    assert NT.correction_name("by") and NT.correction_name("bh")
    rendered = set().union(*(_statements(f) for f in facts))
    expected = {"seeds": ("rise_and_fall", "some", "tested"), "tiny": ("rise_and_fall", "none", "tested"),
                "one_episode": ("single", "none_tested", "none_computable")}[name]
    assert (facts[2].case, facts[6].case, facts[7].case) == expected
    assert {"top_terms_unit", "not_computable_unit", "top_frequent_unit", "top_concepts_episode"} <= rendered
