"""Terms: keyness statistics on worked examples, stop words and stems, surface forms, concepts,
rates per 1,000 tokens, keyness coverage, collocations, KWIC, the rows the chapter shows, and the
chapter on the tiny corpus. Sentences and reader tables: tests/test_narrative_terms.py."""
from __future__ import annotations

import math
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from scipy import stats

from scripts import corpus as C
from scripts import terms as T

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
CHAPTER = ROOT / "chapters" / "02_terms.ipynb"


def make_corpus(rows: list[tuple[str, str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and tokens tables with the columns of ``corpus.load_corpus`` from
    (episode, language, sentence text) triples; each triple is its own document."""
    sents, toks = [], []
    for i, (episode, language, text) in enumerate(rows):
        doc_id, sid = f"d{i}", f"d{i}-s000"
        sents.append({"doc_id": doc_id, "episode": episode, "language": language, "par_id": 0, "sentence_id": sid,
                      "sent_idx": 0, "position": 0.0, "text": text})
        for j, tok in enumerate(C.tokenize(text, language)):
            toks.append({"doc_id": doc_id, "episode": episode, "language": language, "sentence_id": sid, "tok_idx": j,
                         "token": tok, "lower": tok.lower(), "is_word": any(c.isalpha() for c in tok)})
    return pd.DataFrame(sents), pd.DataFrame(toks)


@pytest.fixture(scope="module")
def tiny() -> C.Corpus:
    return C.load_corpus(TINY)


# --------------------------------------------------------------------------- statistics
def test_log_likelihood_and_log_ratio_worked_example():
    # a = 10 in a target of c = 1,000 tokens; b = 5 in a reference of d = 2,000 tokens.
    # E1 = c(a+b)/(c+d) = 1000·15/3000 = 5 ;  E2 = d(a+b)/(c+d) = 2000·15/3000 = 10
    # G² = 2·(10·ln(10/5) + 5·ln(5/10)) = 2·(10·ln2 − 5·ln2) = 10·ln2 = 6.931472
    g2 = T.log_likelihood(10, 5, 1000, 2000)
    assert float(g2) == pytest.approx(10 * math.log(2), rel=1e-9)
    assert float(g2) == pytest.approx(6.931472, abs=1e-6)
    # p-value: χ² with 1 df above 6.931472 = 0.008470 (tables: 6.63 → 0.01, 7.88 → 0.005)
    assert float(stats.chi2.sf(g2, 1)) == pytest.approx(0.008470, abs=1e-5)
    # Log Ratio = log2((10/1000)/(5/2000)) = log2(0.01/0.0025) = log2(4) = 2
    # SE(ln ratio) = sqrt(1/10 + 1/5) = sqrt(0.3) = 0.547723 ; 1.959964·0.547723 = 1.073516
    # in log2 units: 1.073516 / ln2 (0.693147) = 1.548760 → CI = [0.451240, 3.548760]
    lr, lo, hi = T.log_ratio(10, 5, 1000, 2000)
    assert float(lr) == pytest.approx(2.0, abs=1e-12)
    assert float(lo) == pytest.approx(0.451240, abs=1e-5)
    assert float(hi) == pytest.approx(3.548760, abs=1e-5)


def test_zero_count_cases():
    # a = 4, b = 0, c = d = 100: E1 = E2 = 100·4/200 = 2 ; G² = 2·(4·ln(4/2) + 0) = 8·ln2 = 5.545177
    assert float(T.log_likelihood(4, 0, 100, 100)) == pytest.approx(8 * math.log(2), rel=1e-9)
    # b = 0 becomes 0.5: LR = log2((4/100)/(0.5/100)) = log2(8) = 3 ; SE = sqrt(1/4 + 1/0.5) = 1.5
    lr, lo, hi = T.log_ratio(4, 0, 100, 100)
    assert float(lr) == pytest.approx(3.0)
    assert float(hi - lr) == pytest.approx(1.959964 * 1.5 / math.log(2), abs=1e-5)
    # same rates: G² = 0 and LR = 0
    assert float(T.log_likelihood(3, 6, 100, 200)) == pytest.approx(0.0, abs=1e-12)
    assert float(T.log_ratio(3, 6, 100, 200)[0]) == pytest.approx(0.0, abs=1e-12)


# --------------------------------------------------------------------------- stop words and stems
def test_french_elision_accents_and_stems():
    toks = C.tokenize("L'ingérence des États-Unis dans les élections, a-t-il déclaré.", "fr")
    assert toks[:2] == ["L'", "ingérence"]
    kept = [t for t in toks if any(c.isalpha() for c in t) and not T.is_stopword(t, "fr")]
    assert kept == ["ingérence", "États-Unis", "élections"]            # l', des, dans, les, a-t-il, déclaré dropped
    assert T.is_stopword("qu'", "fr") and T.is_stopword("d'", "fr") and T.is_stopword("2017", "fr")
    assert T.stem("élections", "fr") == T.stem("élection", "fr") == "élect"
    assert T.stem("ingérence", "fr") == T.stem("ingérences", "fr")
    assert T.stem("états-unis", "fr") == "états-un"                   # accent kept, hyphenated name one term


def test_stems_join_the_pairs_the_chapter_names():
    # the chapter says *élection*/*élections* and *talks*/*talk* count together (Syria/Syrian do not)
    assert T.stem("élections", "fr") == T.stem("élection", "fr")
    assert T.stem("talks", "en") == T.stem("talk", "en")
    assert T.stem("syria", "en") != T.stem("syrian", "en")


def test_domain_lists():
    assert T.is_stopword("said", "en") and T.is_stopword("TASS", "en") and T.is_stopword("Novosti", "fr")
    assert T.is_stopword("souligné", "fr") and T.is_stopword("a-t-il", "fr")
    assert not T.is_stopword("US", "en") and T.is_stopword("us", "en")   # keep_as_written: the country
    assert not T.is_stopword("État", "fr")                               # "keep" overrides stopwordsiso
    assert T.is_stopword("'s", "en") and T.is_stopword("n't", "en") and T.is_stopword("M", "fr")


def test_surface_form_is_most_frequent_form_ties_alphabetical():
    _, toks = make_corpus([
        ("e1", "fr", "Élections et élections puis élection."),
        ("e1", "fr", "Russie, russe, russes, Russie."),
    ])
    terms = T.annotate_terms(toks)
    s = T.surface_forms(terms).set_index("term")["surface"]
    # "élections" (2: Élections, élections) beats "élection" (1); casing tie 1–1 → alphabetical: "Élections"
    assert s[T.stem("élections", "fr")] == "Élections"
    # "russie" 2 beats "russe" 1 and "russes" 1 (all one stem); written "Russie" both times
    assert s[T.stem("russie", "fr")] == "Russie"
    _, toks2 = make_corpus([("e1", "fr", "syrien syrienne")])
    # a 1–1 tie between lower-case forms goes to the alphabetically first one
    assert T.surface_forms(T.annotate_terms(toks2)).set_index("term").loc[T.stem("syrien", "fr"), "surface"] == "syrien"


# --------------------------------------------------------------------------- rates
def test_per_1k_sums_to_content_share(tiny):
    terms = T.annotate_terms(tiny.tokens)
    sizes = T.unit_sizes(terms, "episode")
    freq = T.term_frequencies(terms, "episode")
    assert not freq.empty
    for u in sizes.itertuples():
        sub = freq[(freq["episode"] == u.episode) & (freq["language"] == u.language)]
        # Σ per_1k = Σ 1000·count/n_tokens = 1000·n_terms/n_tokens
        assert sub["per_1k"].sum() == pytest.approx(1000 * u.n_terms / u.n_tokens)
        assert (sub["n_tokens"] == u.n_tokens).all()
        # the denominator is every word token of the unit, stop words included
        assert u.n_tokens == int(tiny.tokens[tiny.tokens["is_word"] & (tiny.tokens["episode"] == u.episode)
                                             & (tiny.tokens["language"] == u.language)].shape[0])
    docs = T.term_frequencies(terms, "document")
    assert set(docs["doc_id"]) == set(tiny.documents["doc_id"])
    assert docs.groupby("doc_id")["count"].sum().sum() == freq["count"].sum()


# --------------------------------------------------------------------------- keyness
def test_keyness_skips_units_without_same_language_reference(tiny):
    terms = T.annotate_terms(tiny.tokens)
    cov = T.keyness_coverage(terms, tiny.episodes).set_index(["episode", "language"])
    assert not cov.loc[("geneva-2021", "en"), "computable"]              # the only English text
    assert cov.loc[("geneva-2021", "en"), "reason"] == T.NO_REFERENCE                # a code: the narrative words it
    assert cov.loc[("geneva-2021", "fr"), "reason"] == ""
    assert list(T.keyness_coverage(terms, tiny.episodes)["episode"]) == ["moscow-2017", "geneva-2021", "geneva-2021"]
    assert cov.loc[("geneva-2021", "fr"), "computable"] and cov.loc[("moscow-2017", "fr"), "computable"]
    key = T.keyness(terms, min_count=1)
    assert set(zip(key["episode"], key["language"])) == {("geneva-2021", "fr"), ("moscow-2017", "fr")}
    row = key.iloc[0]
    a, b, c, d = row["count_target"], row["count_reference"], row["n_target"], row["n_reference"]
    assert row["g2"] == pytest.approx(float(T.log_likelihood(a, b, c, d)))
    assert (key["p_adj"] >= key["p_value"] - 1e-12).all()
    # one language only: nothing computable, an empty table, no error
    _, toks = make_corpus([("e1", "en", "Syria talks in Moscow."), ("e2", "en", "Syria again.")])
    only_en = T.annotate_terms(toks[toks["episode"] == "e1"])
    assert T.keyness(only_en, min_count=1).empty
    assert not T.keyness_coverage(only_en)["computable"].any()


def test_keyness_ranks_and_top_n():
    _, toks = make_corpus([
        ("a", "en", "Chemical weapons chemical weapons chemical attack in Syria, Syria talks."),
        ("b", "en", "Election interference talks, election talks, Syria talks and more talks."),
    ])
    key = T.keyness(T.annotate_terms(toks), min_count=2, top_n=2)
    a = key[key["episode"] == "a"]
    assert list(a["rank"]) == [1, 2] and (a["direction"] == "over").all()
    assert a.iloc[0]["surface"] == "chemical" and a.iloc[0]["count_reference"] == 0


# --------------------------------------------------------------------------- collocations
def test_collocations_bridge_stop_words_and_show_surface():
    text = "Le Conseil de sécurité de l'ONU a voté ; le Conseil de sécurité a parlé des armes chimiques."
    sents, toks = make_corpus([("e", "fr", text), ("e", "fr", "Les armes chimiques et le Conseil de sécurité.")])
    col = T.collocations(toks, sents, min_count=2, top_n=None).set_index("bigram")
    assert col.loc["conseil sécurité", "surface"] == "Conseil de sécurité"
    assert col.loc["conseil sécurité", "count"] == 3
    assert col.loc["armes chimiques", "count"] == 2
    for bigram in col.index:                                         # no word of a pair is a stop word
        assert not any(T.is_stopword(w, "fr") for w in bigram.split())
    assert col["llr"].is_monotonic_decreasing


# --------------------------------------------------------------------------- concepts
def test_concepts_both_languages_multiword_and_elision():
    fr = T.concept_matches("L'ingérence russe dans les élections ; la Corée du Nord et les armes chimiques ; "
                           "le principe de non-ingérence.", "fr")
    assert fr["election_interference"] == ["ingérence", "élections"]    # "non-ingérence" is not counted
    assert fr["north_korea"] == ["Corée du Nord"]                      # once, not once per word
    assert fr["chemical_weapons"] == ["armes chimiques"]
    en = T.concept_matches("North Korea and chemical weapons; Russian interference in the US election.", "en")
    assert en["north_korea"] == ["North Korea"] and en["chemical_weapons"] == ["chemical weapons"]
    assert len(en["election_interference"]) == 2
    assert "syria" not in en
    concepts = T.load_concepts()
    required = {"syria", "chemical_weapons", "terrorism", "election_interference", "ukraine", "north_korea",
                "venezuela", "iran", "sanctions", "arms_control", "cyber", "trust", "cooperation"}
    assert required <= set(concepts["concept"])
    assert set(concepts["language"]) == {"en", "fr"}


def test_concept_counts_rates_pool_languages():
    sents, toks = make_corpus([("e1", "en", "Syria and Syria."), ("e1", "fr", "La Syrie et Damas, ville syrienne."),
                               ("e2", "fr", "Rien ici.")])
    out = T.concept_counts(sents, toks).set_index(["episode", "concept"])
    # e1: 3 English words + 6 French words (la, syrie, et, damas, ville, syrienne) = 9 word tokens; 2 + 3 = 5 matches
    assert out.loc[("e1", "syria"), "count"] == 5 and out.loc[("e1", "syria"), "n_tokens"] == 9
    assert out.loc[("e1", "syria"), "per_1k"] == pytest.approx(1000 * 5 / 9)
    assert out.loc[("e2", "syria"), "count"] == 0                      # every concept for every episode
    episodes = pd.DataFrame({"episode": ["e1", "e2"], "order": [0, 1]})
    shift = T.agenda_shift(out.reset_index(), episodes)
    assert shift.iloc[-1]["concept"] == "syria" and shift.iloc[-1]["change"] == pytest.approx(-1000 * 5 / 9)


def test_kwic_finds_inflected_forms():
    sents, toks = make_corpus([("e", "fr", "Les élections américaines et une élection locale.")])
    terms = T.annotate_terms(toks)
    kw = T.kwic(terms, sents, T.stem("élection", "fr"), n=5, width=10)
    assert list(kw["keyword"]) == ["élections"]                        # one row per sentence, first hit
    assert kw.iloc[0]["left"] == "Les " and kw.iloc[0]["right"] == " américain…"


# --------------------------------------------------------------------------- selections the chapter shows
# ids in reverse alphabetical order of their dates, so date order is really tested
EPISODES = pd.DataFrame({"episode": ["late", "early"], "label": ["Sochi 2019", "Moscow 2017"], "order": [1, 0],
                         "date": pd.to_datetime(["2019-05-14", "2017-04-12"])})


def test_spelling_variants_and_top_terms():
    _, toks = make_corpus([("late", "en", "Syria talks, Syria talks."),
                           ("early", "fr", "Les élections et les élections, une élection.")])
    terms = T.annotate_terms(toks)
    sizes = T.unit_sizes(terms, "episode").set_index("episode")
    # early: les élections et les élections une élection = 7 words, 3 of them terms
    assert (sizes.at["early", "n_tokens"], sizes.at["early", "n_terms"]) == (7, 3)
    assert sizes.at["early", "content_share"] == pytest.approx(3 / 7) and sizes.at["late", "content_share"] == 1.0
    var = T.spelling_variants(terms, T.surface_forms(terms))
    # one stem with two forms ("syria" and "talks" have one form each), forms by count
    assert var[["surface", "lower", "count", "total"]].values.tolist() == [["élections", "élections", 2, 3],
                                                                           ["élections", "élection", 1, 3]]
    assert T.spelling_variants(terms.iloc[:0], T.surface_forms(terms)).empty
    top = T.top_terms(T.all_frequencies(terms), top_n=1)
    assert sorted(top["surface"]) == ["Syria", "élections"]


def _conc(rates: dict[tuple[str, str], tuple[int, int]]) -> pd.DataFrame:
    """Episode-level concept_counts rows from {(episode, concept): (count, n_tokens)}."""
    labels = {"syria": "Syria", "iran": "Iran", "trust": "Trust"}
    return pd.DataFrame([{"episode": e, "concept": c, "label": labels[c], "count": n, "n_tokens": t, "per_1k": 1000 * n / t}
                         for (e, c), (n, t) in rates.items()])


def test_concept_rates_agenda_shift_and_top_concepts():
    conc = _conc({("early", "syria"): (4, 1000), ("early", "iran"): (0, 1000), ("early", "trust"): (1, 1000),
                  ("late", "syria"): (2, 2000), ("late", "iran"): (4, 2000), ("late", "trust"): (2, 2000)})
    shift = T.agenda_shift(conc, EPISODES)
    # iran 0 → 2 per 1,000 (+2), trust 1 → 1 (0), syria 4 → 1 (−3): largest rise first
    assert list(shift["concept"]) == ["iran", "trust", "syria"] and list(shift["change"]) == [2.0, 0.0, -3.0]
    assert (shift["first"] == "early").all() and (shift["last"] == "late").all()
    heat = T.concept_rates(conc, shift, EPISODES)
    assert list(heat.columns) == ["early", "late"] and list(heat.index) == ["iran", "trust", "syria"]
    top = T.top_concepts(conc).set_index("episode")
    assert top.at["early", "concept"] == "syria" and top.at["late", "concept"] == "iran"
    # one episode: rows by rate (no change to rank by), one column
    one = conc[conc["episode"] == "early"]
    one_shift = T.agenda_shift(one, EPISODES)
    assert (one_shift["first"] == one_shift["last"]).all() and (one_shift["change"] == 0).all()
    assert list(T.concept_rates(one, one_shift, EPISODES).index) == ["syria", "trust", "iran"]
    # nothing matched: the top row is a concept with count 0 (ties by concept id)
    zero = _conc({("early", "syria"): (0, 100), ("early", "iran"): (0, 100)})
    assert T.top_concepts(zero).iloc[0][["concept", "count"]].tolist() == ["iran", 0]


def test_distinctive_kwic_shows_the_top_term_of_each_unit(tiny):
    terms = T.annotate_terms(tiny.tokens)
    key = T.keyness(terms, min_count=1)
    kw = T.distinctive_kwic(terms, tiny.sentences, key, n=2, width=20)
    assert list(kw.columns) == ["episode", "language", "term", "surface", "doc_id", "sentence_id", "left", "keyword", "right"]
    assert set(zip(kw["episode"], kw["language"])) == {("moscow-2017", "fr"), ("geneva-2021", "fr")}
    for (episode, language), rows in kw.groupby(["episode", "language"]):
        best = key[(key["episode"] == episode) & (key["language"] == language) & (key["rank"] == 1)].iloc[0]
        assert (rows["term"] == best["term"]).all() and 1 <= len(rows) <= 2
        assert all(T.stem(w.lower(), language) == best["term"] for w in rows["keyword"])
    assert T.distinctive_kwic(terms, tiny.sentences, key.head(0)).empty


def test_csv_tables_follow_episode_dates():
    coll = pd.DataFrame({"episode": ["late", "early"], "language": ["fr", "fr"], "bigram": ["a b", "c d"],
                         "surface": ["A B", "C D"], "count": [2, 2], "llr": [5.0, 4.0], "rank": [1, 1]})
    conc = _conc({("late", "syria"): (1, 10), ("early", "syria"): (2, 10)})
    tables = T.csv_tables(pd.DataFrame({"episode": ["late"], "x": [1]}), coll.head(0), coll, conc, conc, EPISODES)
    assert list(tables["collocations"]["episode"]) == ["early", "late"]
    assert list(tables["concepts"]["episode"]) == ["early", "late"] and "date" in tables["concepts"]
    assert tables["term_frequencies"]["label"].tolist() == ["Sochi 2019"]


# --------------------------------------------------------------------------- the chapter
def test_chapter_committed_without_outputs():
    nb = nbformat.read(CHAPTER, as_version=4)
    assert "parameters" in nb.cells[1].metadata.get("tags", [])
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.e2e
def test_chapter_runs_on_tiny_with_other_parameters(tmp_path):
    import papermill

    data, figs = tmp_path / "data", tmp_path / "figs"
    papermill.execute_notebook(
        str(CHAPTER), str(tmp_path / "out.ipynb"), cwd=str(ROOT / "chapters"), kernel_name="python3", progress_bar=False,
        parameters={"seeds_dir": str(TINY), "data_dir": str(data), "fig_dir": str(figs), "top_n": 4,
                    "min_count": 1, "alpha": 0.1, "correction": "by", "colloc_min_count": 1, "colloc_top_n": 3,
                    "kwic_n": 2})
    for name in ("terms_top", "concepts_heatmap", "keyness"):
        assert (figs / f"{name}.png").stat().st_size > 5000
    freq = pd.read_csv(data / "term_frequencies.csv", keep_default_na=False)
    assert {"episode", "language", "term", "surface", "count", "per_1k"} <= set(freq.columns)
    key = pd.read_csv(data / "keyness.csv", keep_default_na=False)
    assert {"episode", "language", "term", "surface", "count_target", "count_reference", "g2", "p_value",
            "log_ratio", "p_adj", "ci_low", "ci_high", "significant"} <= set(key.columns)
    assert "en" not in set(key["language"])                            # geneva English has no reference
    coll = pd.read_csv(data / "collocations.csv", keep_default_na=False)
    assert {"episode", "language", "bigram", "count", "llr"} <= set(coll.columns)
    conc = pd.read_csv(data / "concepts.csv", keep_default_na=False)
    assert {"episode", "concept", "count", "per_1k", "label"} <= set(conc.columns)
    assert set(conc["episode"]) == {"moscow-2017", "geneva-2021"}
    # glued keys the Findings page cites
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    glued = {o.metadata["scrapbook"]["name"]: o.data for c in out.cells for o in c.get("outputs", [])
             if "scrapbook" in o.get("metadata", {})}
    for k in ("agenda_shift_text", "top_terms_text", "top_concepts_text", "keyness_findings_text", "fig_terms_top", "fig_concepts"):
        assert k in glued
    text = glued["top_terms_text"]["application/papermill.record/text/plain"]
    assert "not computable" in text and "Geneva, June 2021 (English)" in text
    plain = {k: v.get("application/papermill.record/text/plain", "") for k, v in glued.items()}
    assert plain["length_spread_text"] == "'here from 92 to 118 word tokens per article'"
    assert plain["tested_terms_text"].startswith("'Terms tested per episode and language: Moscow, April 2017 (French): ")
    assert "correction at α = 0.10" in plain["keyness_findings_text"] and "Benjamini–Yekutieli" in plain["keyness_findings_text"]


@pytest.mark.e2e
def test_chapter_runs_on_a_single_english_episode(tmp_path):
    import papermill

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "geneva_en.txt").write_text((TINY / "geneva_en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (seeds / "manifest.yml").write_text("episodes:\n  - {id: g, label: Geneva, date: 2021-06-16}\n"
                                        "documents:\n  - {file: geneva_en.txt, episode: g, language: en}\n", encoding="utf-8")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(CHAPTER), str(out), cwd=str(ROOT / "chapters"), kernel_name="python3", progress_bar=False,
                               parameters={"seeds_dir": str(seeds), "data_dir": str(tmp_path / "d"), "fig_dir": str(tmp_path / "f")})
    glued = {o.metadata["scrapbook"]["name"]: o.data["application/papermill.record/text/plain"]
             for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", []) if "scrapbook" in o.get("metadata", {})}
    assert "single episode" in glued["agenda_shift_text"]
    assert "not computable" in glued["top_terms_text"]
    assert glued["length_spread_text"] == "'here a single article of 118 word tokens'"
    assert glued["significant_text"] == "'no term was tested'"
    assert "no episode could be compared" in glued["keyness_findings_text"]
    assert glued["tested_terms_text"].strip("'\"").startswith("No term is tested: no episode has another")
    assert pd.read_csv(tmp_path / "d" / "keyness.csv").empty
