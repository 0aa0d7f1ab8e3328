"""Sentences and reader tables of the terms chapter: which case each statement takes and with which
values (facts), the reader tables' columns and cells, and every statement of templates/terms.yml
rendered on the bundled, tiny and one-episode corpora."""
from __future__ import annotations

import pandas as pd
import pytest
from test_terms import EPISODES, EPISODES3, TINY, _conc, make_corpus  # tests/ is on sys.path (rootdir conftest)

from scripts import corpus as C
from scripts import terms as T
from scripts.narrative import Facts, template_names
from scripts.narrative import terms as NT
from scripts.narrative.common import titled_tables

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
    assert f.text == "here from 5 to 10 words per article, the longest 2 times the shortest"
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
    assert list(sizes.columns) == ["episode", "language", "articles", "words", "content words", "content share"]
    # early (first by date): 1 article, 7 words, 3 of them terms
    assert sizes.iloc[0].tolist() == ["Moscow 2017", "French", 1, 7, 3, "43%"]
    assert sizes.iloc[1].tolist() == ["Sochi 2019", "English", 1, 4, 4, "100%"]
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
    assert [u["surfaces"] for u in f["units"]] == [["élections"], ["Syria", "talks"]]   # Syria and talks: 2 each
    assert [u.case for u in f["units"]] == ["default", "tied"]
    assert f["units"][1].text == "Sochi 2019 (English): Syria and talks, tied (500.0 per 1,000 words each)"
    assert f["units"][0]["per_1k"] == pytest.approx(3000 / 7)
    assert NT.top_frequent_facts(freq.head(0), EPISODES).case == "none"


# --------------------------------------------------------------------------- concepts
def test_patterns_table_and_readable_patterns():
    assert NT.readable_pattern(r"\bsyri") == "syri…" and NT.readable_pattern(r"\bcorée du nord\b") == "corée du nord"
    concepts = pd.DataFrame({"concept": ["syria", "syria", "syria"], "label": ["Syria"] * 3, "language": ["en", "fr", "fr"],
                             "pattern": [r"\bsyri", r"\bsyri", r"\bdamas\b"]})
    tbl = NT.patterns_table(concepts)
    assert tbl.to_dict("records") == [{"concept": "Syria", "English patterns": "syri…", "French patterns": "syri…, damas"}]


def test_concepts_tables_one_per_language_with_forms():
    conc = pd.concat([_conc({("early", "syria"): (4, 1000), ("early", "iran"): (0, 1000), ("late", "syria"): (2, 2000),
                             ("late", "iran"): (4, 2000)}),
                      _conc({("late", "syria"): (1, 100), ("late", "iran"): (0, 100)}, "en")], ignore_index=True)
    forms = pd.DataFrame({"concept": ["syria", "syria", "syria"], "label": "Syria", "language": ["fr", "fr", "en"],
                          "form": ["syrie", "damas", "syria"], "count": [5, 1, 1]})
    parts = NT.concepts_tables(conc, T.concept_rates(conc, EPISODES), T.agenda_range(conc, EPISODES), forms, EPISODES)
    assert [title for title, _ in parts] == ["French", "English"]            # French has the earliest article
    fr, en = parts[0][1].set_index("concept"), parts[1][1].set_index("concept")
    assert list(fr.columns) == ["Moscow 2017", "Sochi 2019", "range", "matched (count)"]
    assert fr.loc["Syria"].tolist() == ["4.00 (4)", "1.00 (2)", "3.00", "syrie (5), damas (1)"]
    assert fr.loc["Iran", "matched (count)"] == ""
    # English has articles in Sochi only: one episode column, no range, never a French rate in its rows
    assert list(en.columns) == ["Sochi 2019", "matched (count)"] and en.loc["Syria"].tolist() == ["10.00 (1)", "syria (1)"]
    md = titled_tables(parts)
    assert md.startswith("**French**\n\n| concept |") and "**English**" in md
    assert titled_tables([("<b>x</b>", fr.reset_index())]).startswith("**&lt;b&gt;x&lt;/b&gt;**")   # titles escaped


def _tests(steps: pd.DataFrame, case: str = "not-testable", **over) -> pd.DataFrame:
    """agenda_tests-like rows for ``steps``, every comparison with ``case`` unless ``over`` maps a concept to a case."""
    out = steps[["language", "concept", "label", "episode_from", "episode_to"]].assign(
        estimate=steps["change"], ci_low=steps["change"] - 1, ci_high=steps["change"] + 1, n_articles_from=steps["n_articles_from"],
        n_articles_to=steps["n_articles_to"], interval="between articles", p_value=0.5, p_min=0.01, p_adj=0.5, case=case,
        verdict=case, direction="none")
    for concept, c in over.items():
        sel = out["concept"] == concept
        out.loc[sel, "case"] = c
        out.loc[sel, "direction"] = [("rose" if x > 0 else "fell") if c == "clear" else "none" for x in out.loc[sel, "estimate"]]
    return out


def test_agenda_facts_name_every_step_and_claim_no_rise():
    fr = _conc({("early", "syria"): (4, 1000), ("early", "iran"): (0, 1000), ("early", "trust"): (1, 1000),
                ("mid", "syria"): (1, 1000), ("mid", "iran"): (3, 1000), ("mid", "trust"): (0, 1000),
                ("late", "syria"): (1, 2000), ("late", "iran"): (1, 2000), ("late", "trust"): (1, 2000)})
    fr.loc[fr["episode"] == "late", "n_articles"] = 2
    en = _conc({("late", "syria"): (1, 100), ("late", "iran"): (0, 100), ("late", "trust"): (0, 100)}, language="en")
    conc = pd.concat([fr, en], ignore_index=True)
    steps = T.agenda_steps(conc, EPISODES3)
    f = NT.agenda_shift_facts(steps, _tests(steps), conc, EPISODES3)
    assert f.case == "languages" and [lang["language"] for lang in f["languages"]] == ["fr"]
    st = f["languages"][0]["steps"]
    assert [(x["from"], x["to"], x["n_from"], x["n_to"]) for x in st] == [
        ("Moscow 2017", "Washington 2017", 1, 1), ("Washington 2017", "Sochi 2019", 1, 2)]
    # early → mid: Iran +3, Syria −3 and Trust −1; mid → late: Trust +0.5, Iran −2.5 (Syria −0.5)
    assert st[0].case == "up_and_down" and [i["label"] for i in st[0]["up"]] == ["Iran"]
    assert [(i["label"], i["change"]) for i in st[0]["down"]] == [("Syria", -3.0)]
    assert [i["label"] for i in st[1]["up"]] == ["Trust"] and [i["label"] for i in st[1]["down"]] == ["Iran"]
    assert [x["language"] for x in f["one_language"]] == ["en"] and f["one_language"][0]["episode"] == "Sochi 2019"
    summary = f["summary"]
    assert summary.case == "none_testable" and summary["n_tests"] == len(steps) == 6
    assert summary["one_article"] == ["Moscow 2017", "Washington 2017"]      # the single-article French episodes
    # every comparison untestable: the items carry no verdict, the summary says it once
    assert all(i["verdict"].case == "hidden" for i in st[0]["up"] + st[0]["down"])
    # the wording is the point: both rules are stated and no rise or fall is claimed
    assert "no rise or fall is claimed" in f.text and "Up and down most name the largest differences" in f.text
    assert "rises" not in f.text and "falls" not in f.text and " rose" not in f.text and " fell" not in f.text
    # a clear comparison: the only place where "rose"/"fell" is written
    clear = NT.agenda_shift_facts(steps, _tests(steps, "no-change", iran="clear"), conc, EPISODES3)
    s2 = clear["summary"]
    assert s2.case == "some_clear" and s2["n_clear"] == 2 and s2["n_no_change"] == 4
    assert [(c["label"], c["direction"]) for c in s2["clear"]] == [("Iran", "rose"), ("Iran", "fell")]
    up = clear["languages"][0]["steps"][0]["up"][0]
    assert up["verdict"].case == "clear" and up["verdict"].text.startswith("rose, 95% interval")
    assert clear["languages"][0]["steps"][0]["down"][0]["verdict"].text == "no detectable change"
    assert NT.agenda_shift_facts(steps, _tests(steps, "suggestive"), conc, EPISODES3)["summary"].case == "no_clear"
    # ties at the extreme: every tied concept is named
    tie = _conc({("early", "syria"): (0, 1000), ("early", "iran"): (0, 1000), ("early", "trust"): (1, 1000),
                 ("late", "syria"): (2, 1000), ("late", "iran"): (2, 1000), ("late", "trust"): (1, 1000)})
    tie_steps = T.agenda_steps(tie, EPISODES)
    t = NT.agenda_shift_facts(tie_steps, _tests(tie_steps), tie, EPISODES)["languages"][0]["steps"][0]
    assert t.case == "up" and sorted(i["label"] for i in t["up"]) == ["Iran", "Syria"] and t["down"] == []
    flat = _conc({("early", "syria"): (1, 1000), ("late", "syria"): (1, 1000)})
    flat_steps = T.agenda_steps(flat, EPISODES)
    assert NT.agenda_shift_facts(flat_steps, _tests(flat_steps), flat, EPISODES)["languages"][0]["steps"][0].case == "flat"
    # no language in two episodes; a single episode
    split = pd.concat([_conc({("early", "syria"): (1, 100)}), _conc({("late", "syria"): (1, 100)}, "en")])
    split_steps = T.agenda_steps(split, EPISODES)
    assert NT.agenda_shift_facts(split_steps, _tests(split_steps), split, EPISODES).case == "no_pairs"
    one = fr[fr["episode"] == "early"]
    one_steps = T.agenda_steps(one, EPISODES3)
    assert NT.agenda_shift_facts(one_steps, _tests(one_steps), one, EPISODES3).case == "single"


def test_top_concepts_facts_report_ties():
    conc = pd.concat([_conc({("early", "syria"): (4, 1000), ("early", "iran"): (0, 1000), ("late", "syria"): (2, 1000),
                             ("late", "iran"): (2, 1000)}),
                      _conc({("late", "syria"): (0, 100), ("late", "iran"): (0, 100)}, "en")])
    f = NT.top_concepts_facts(T.top_concepts(conc), EPISODES)
    assert f.case == "units" and [u["name"] for u in f["units"]] == ["Moscow 2017 (French)", "Sochi 2019 (English)",
                                                                     "Sochi 2019 (French)"]
    assert [u.case for u in f["units"]] == ["found", "nothing", "tied"]
    assert f["units"][0]["concepts"] == ["Syria"] and f["units"][0]["per_1k"] == 4.0
    assert f["units"][2]["concepts"] == ["Iran", "Syria"]
    assert f["units"][2].text == "Sochi 2019 (French): Iran and Syria, tied (2.0 per 1,000 words each)"


# --------------------------------------------------------------------------- keyness
def _key_rows(rows, episode="late"):
    """Keyness rows of one unit (``episode``, en) from (surface, g2, significant, direction, single_article) tuples;
    ranks by G² among over-used rows as terms.keyness gives them."""
    cols = ["episode", "language", "term", "surface", "g2", "significant", "direction", "single_article", "n_articles", "test"]
    df = pd.DataFrame([{"episode": episode, "language": "en", "term": s.lower(), "surface": s, "g2": g, "significant": sig,
                        "direction": d, "single_article": one, "n_articles": 2, "test": T.TEST_FISHER}
                       for s, g, sig, d, one in rows], columns=cols)
    over = df["direction"] == "over"
    df["rank"] = 0
    df.loc[over, "rank"] = df.loc[over, "g2"].rank(method="min", ascending=False).astype(int)
    return df


def _cov(computable=True):
    return pd.DataFrame({"episode": ["late"], "language": ["en"], "n_tokens": [100], "n_reference": [50 if computable else 0],
                         "reference_episodes": ["early" if computable else ""], "computable": [computable],
                         "reason": ["" if computable else T.NO_REFERENCE]})


def test_top_terms_facts_name_only_distinctive_terms():
    def clause(key, cov=None, min_count=3, n=3):
        f = NT.top_terms_facts(key, T.distinctive_terms(key, n), _cov() if cov is None else cov, EPISODES, min_count)
        assert f.case == "units" and len(f["units"]) == 1
        return f["units"][0]

    key = _key_rows([("Pompeo", 40.0, True, "over", False), ("mardi", 30.0, True, "over", True),
                     ("Mike", 20.0, True, "over", False), ("Sochi", 5.0, False, "over", False)])
    c = clause(key)
    # a single-article term never appears among the distinctive terms; the count of such terms is said
    assert c.case == "distinctive" and c["terms"] == ["Pompeo", "Mike"] and "mardi" not in c.text
    assert c["n_single"] == 1 and c["tied"] == []
    assert c.text == "Sochi 2019 (English): Pompeo and Mike (1 more significant term in one article only)"
    # ties at the cut: every tied term is named and the tie is said
    tied = clause(_key_rows([("Pompeo", 40.0, True, "over", False), ("Mike", 20.0, True, "over", False),
                             ("intérêts", 10.0, True, "over", False), ("dialogue", 10.0, True, "over", False)]), n=3)
    assert tied["terms"] == ["Pompeo", "Mike", "intérêts", "dialogue"] and tied["tied"] == ["intérêts", "dialogue"]
    assert "tied in G²" in tied.text
    only = clause(_key_rows([("mardi", 30.0, True, "over", True), ("talk", 9.0, True, "under", True)]))
    assert only.case == "only_single" and only["single"] == ["mardi"]
    assert clause(_key_rows([("Pompeo", 9.0, False, "over", False), ("talk", 9.0, True, "under", False)])).case == "none_significant"
    nothing = clause(_key_rows([]), min_count=1)
    assert nothing.case == "nothing_tested" and nothing.text.endswith("no term occurs 1 time or more")
    assert clause(key, _cov(False)).case == "not_computable"
    f = NT.top_terms_facts(key, T.distinctive_terms(key), _cov().iloc[:0], EPISODES, 3)
    assert f.case == "none" and f.text == "No episode could be compared."


def test_family_single_article_and_findings_facts():
    key = pd.concat([_key_rows([("Pompeo", 40.0, True, "over", False), ("mardi", 30.0, True, "over", True),
                                ("Sochi", 2.0, False, "over", False), ("talk", 9.0, True, "under", False)]),
                     _key_rows([("Tillerson", 12.0, False, "over", False)], episode="early")], ignore_index=True)
    f = NT.significant_facts(key, "bh")
    # the family is every row of the table, both directions and every unit
    assert f.case == "some_significant" and f["n_tested"] == len(key) == 5 and f["n_units"] == 2
    assert (f["n_significant"], f["n_over"], f["n_under"]) == (3, 2, 1) and f["correction"] == "Benjamini–Hochberg"
    assert f.text.startswith("the 5 tests of the table (every tested term in each of the 2 comparable")
    assert NT.significant_facts(key.assign(significant=False), "bh").case == "none_significant"
    assert NT.significant_facts(key.iloc[:0], "bh").case == "none_tested"
    single = NT.single_article_facts(key)
    assert single.case == "some_single" and (single["n_over"], single["n_single"], single["n_distinctive"]) == (2, 1, 1)
    assert NT.single_article_facts(key[key["surface"] != "mardi"]).case == "none_single"
    assert NT.single_article_facts(key[key["surface"] != "Pompeo"]).case == "all_single"
    assert NT.single_article_facts(key.assign(significant=False)).case == "none_significant"
    tested = NT.tested_terms_facts(key, _cov(), EPISODES, 3)
    assert tested.case == "units" and tested["units"] == [{"name": "Sochi 2019 (English)", "n": 4}]
    none_frequent = NT.tested_terms_facts(key.iloc[:0], _cov(), EPISODES, 2)
    assert none_frequent.case == "none_frequent" and none_frequent["min_count"] == 2
    assert NT.tested_terms_facts(key, _cov(False), EPISODES, 3).case == "none_computable"
    exact = NT.exact_tests_facts(key, 5)
    assert exact.case == "all_fisher" and exact["n_fisher"] == 5
    assert NT.exact_tests_facts(key.assign(test=[T.TEST_G2] * 4 + [T.TEST_FISHER]), 5).case == "mixed"
    assert NT.exact_tests_facts(key.assign(test=T.TEST_G2), 5).case == "all_g2"
    findings = NT.keyness_findings_facts(key, _cov(), "bh", 0.05)
    assert findings.case == "tested" and findings["correction"] == "Benjamini–Hochberg" and findings["alpha"] == 0.05
    assert findings["significant"] == NT.significant_text(key, "bh") and findings["single"] == NT.single_article_text(key)
    assert NT.keyness_findings_facts(key, _cov(False), "bh", 0.05).case == "none_computable"
    assert NT.keyness_findings_facts(key, _cov().iloc[:0], "bh", 0.05).case == "none_computable"
    assert NT.keyness_findings_facts(key.iloc[:0], _cov(), "bh", 0.05).case == "none_tested"
    rule = NT.distinctive_rule_text(0.05, 3)
    assert "at least two of the episode's articles" in rule and "never broken alphabetically" in rule


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


def test_keyness_tables_mark_significance_ties_and_single_articles():
    _, toks = make_corpus([
        ("late", "en", "Chemical weapons chemical weapons chemical attack in Syria, Syria talks."),
        ("late", "en", "Chemical talks."),
        ("early", "en", "Election interference talks, election talks, Syria talks and more talks."),
    ])
    key = T.keyness(T.annotate_terms(toks), min_count=2, alpha=0.5)
    parts = NT.keyness_tables(key, EPISODES, top_n=2)
    assert [title for title, _ in parts] == ["Moscow 2017 (English)", "Sochi 2019 (English)"]   # date order
    for (_, tbl), ep in zip(parts, ["early", "late"]):
        assert list(tbl.columns) == ["rank", "term", "count (ref.)", "articles", "DP", "G²", "test", "p adj.", "Log Ratio [95% CI]"]
        k = key[key["episode"] == ep]
        shown = pd.concat([k[(k["direction"] == "over") & (k["rank"] <= 2)], k[(k["direction"] == "under") & k["significant"]]])
        assert len(tbl) == len(shown)
        for row, r in zip(tbl.itertuples(index=False), shown.itertuples()):
            assert row.term.split(NBSP)[0] == r.surface
            assert ("*" in row.term) == bool(r.significant) and ("†" in row.term) == bool(r.single_article)
            assert row.rank == ("under" if r.direction == "under" else f"{r.rank}{'=' if r.tied else ''}")
            assert row.articles == f"{r.articles_with}/{r.n_articles}"
    # early has one article: DP is not defined there; late: "chemical" 4 times in its 2 articles, never in the reference
    assert (parts[0][1]["DP"] == "–").all()
    late = parts[1][1].iloc[0]
    assert late["term"].split(NBSP)[0] == "Chemical" and late["count (ref.)"] == f"4{NBSP}(0)" and late["articles"] == "2/2"
    empty = NT.keyness_tables(key.head(0), EPISODES)
    assert len(empty) == 1 and empty[0][0] == "" and empty[0][1].columns.tolist() == ["note"]
    # what each table was cut from: every tested term of its unit (all of them are in keyness.csv)
    assert NT.keyness_totals(key, EPISODES, top_n=2) == [int((key["episode"] == ep).sum()) for ep in ("early", "late")]
    assert NT.keyness_totals(key.head(0), EPISODES) == [None]


def test_keyness_table_captions_state_the_cut(monkeypatch):
    """The open keyness tables are short (top KEYNESS_ROWS by G²) and their captions say what they were cut from."""
    from IPython.display import Markdown

    from scripts import report

    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display=False: glued.update({name: value}))
    parts = [("A (English)", pd.DataFrame({"term": list("abcde")})), ("B (English)", pd.DataFrame({"term": list("ab")}))]
    report.glue_tables("tbl_k", parts, caption="Distinctive terms", label="tbl-k", totals=[161, 2], unit="tested terms")
    text = glued["tbl_k"].data if isinstance(glued["tbl_k"], Markdown) else str(glued["tbl_k"])
    assert "Distinctive terms: A (English). Top 5 of 161 tested terms; all in the CSV." in text
    assert "B (English)" in text and "Top 2 of 2" not in text                       # a whole table says nothing
    with pytest.raises(ValueError):
        report.glue_tables("tbl_k", parts, caption="x", label="tbl-k", totals=[1])


def test_kwic_table(tiny):
    terms = T.annotate_terms(tiny.tokens)
    key = T.keyness(terms, min_count=1)
    kw = NT.kwic_table(T.distinctive_kwic(terms, tiny.sentences, key, n=2, width=20), tiny.episodes)
    assert list(kw.columns) == ["episode", "term", "doc", "left", "keyword", "right"]
    names = [e for e in kw["episode"] if e]
    assert names == ["Moscow, April 2017 (French)", "Geneva, June 2021 (French)"]      # date order, one label a unit
    best = key[(key["episode"] == "moscow-2017") & (key["rank"] == 1)]
    shown = [t for t in kw["term"] if t]
    assert shown[0].split(NBSP)[0] in set(best["surface"])
    assert all(t.endswith("†") for t in shown)                                 # one article per unit in tiny
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
# Statements rendered inside others (per unit, per step, per episode) or inside table cells.
NESTED = {"top_frequent_unit", "top_concepts_unit", "not_computable_unit", "top_terms_unit", "reason", "coverage_cell",
          "correction", "empty_table", "agenda_language", "agenda_step", "agenda_item", "agenda_one_language",
          "agenda_summary", "agenda_clear", "agenda_verdict"}
TOP_LEVEL = {"length_spread", "top_frequent", "agenda_shift", "top_concepts", "not_computable", "tested_terms",
             "significant", "exact_tests", "distinctive_rule", "single_article", "keyness_findings", "top_terms"}


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
    dist = T.distinctive_terms(key)
    coll = T.collocations(corp.tokens, corp.sentences, min_count=2, top_n=None)
    concepts = T.load_concepts()
    mentions = T.concept_mentions(corp.sentences, concepts)
    conc = T.concept_counts(T.article_concepts(mentions, terms, concepts))
    steps = T.agenda_steps(conc, eps)
    agenda_tests = T.agenda_tests(T.article_concepts(mentions, terms, concepts), eps, concepts)
    facts = [NT.length_spread_facts(T.unit_sizes(terms, "document")), NT.top_frequent_facts(freq, eps),
             NT.agenda_shift_facts(steps, agenda_tests, conc, eps), NT.top_concepts_facts(T.top_concepts(conc), eps),
             NT.not_computable_facts(cov, eps), NT.tested_terms_facts(key, cov, eps, 3), NT.significant_facts(key, "bh"),
             NT.exact_tests_facts(key, 5), Facts("terms", "distinctive_rule", "default", {"alpha": 0.05, "n": 3}),
             NT.single_article_facts(key), NT.keyness_findings_facts(key, cov, "bh", 0.05),
             NT.top_terms_facts(key, dist, cov, eps, 3)]
    assert {f.statement for f in facts} == TOP_LEVEL
    for f in facts:
        text = f.text
        assert text and "{" not in text and "nan" not in text and "None" not in text, (name, f.statement, text)
        assert "  " not in text and " ," not in text and " ." not in text and " ;" not in text, (name, f.statement, text)
    tables = [NT.sizes_table(T.unit_sizes(terms, "episode"), eps), NT.spellings_table(T.spelling_variants(terms, surfaces)),
              NT.top_terms_table(freq, eps),
              *[t for _, t in NT.concepts_tables(conc, T.concept_rates(conc, eps), T.agenda_range(conc, eps),
                                                 T.concept_forms(mentions, concepts), eps)],
              NT.patterns_table(concepts), NT.coverage_table(cov, eps), *[t for _, t in NT.keyness_tables(key, eps)],
              NT.kwic_table(T.distinctive_kwic(terms, corp.sentences, key), eps), NT.collocations_table(coll, eps)]
    for tbl in tables:
        cells = [str(v) for v in tbl.to_numpy().ravel()] + list(tbl.columns)
        assert not any(c in ("nan", "None") or "{" in c for c in cells), (name, tbl.columns.tolist())
    assert NT.correction_name("by") and NT.correction_name("bh")
    rendered = set().union(*(_statements(f) for f in facts))
    expected = {"seeds": ("languages", "some_significant", "tested", "some_single"),
                "tiny": ("languages", "none_significant", "tested", "none_significant"),
                "one_episode": ("single", "none_tested", "none_computable", "none_significant")}[name]
    assert (facts[2].case, facts[6].case, facts[10].case, facts[9].case) == expected
    assert {"top_terms_unit", "not_computable_unit", "top_frequent_unit", "top_concepts_unit"} <= rendered
    if name == "seeds":
        # the seeds' distinctive terms are exactly those the rule allows: none rests on one article
        single = key[key["single_article"].astype(bool)]
        assert len(dist) and not set(zip(dist["episode"], dist["term"])) & set(zip(single["episode"], single["term"]))
        named = {s for u in facts[11]["units"] if u.case == "distinctive" for s in u["terms"]}
        assert named == set(dist["surface"])                              # the prose names exactly these
        assert all(r.significant and r.direction == "over" and not r.single_article for r in dist.itertuples())
        assert {"agenda_step", "agenda_item", "agenda_one_language", "agenda_summary"} <= rendered
        assert facts[2]["summary"].case == "none_testable"                    # 2017 episodes: one French article each
