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


def test_words_leave_out_clitics_and_symbols():
    # the rate denominator: a letter, and not a clitic (elided, bare, or English 's / n't)
    for tok, lang in [("l'", "fr"), ("d'", "fr"), ("qu'", "fr"), ("n'", "fr"), ("s'", "fr"), ("j'", "fr"), ("c'", "fr"),
                      ("m'", "fr"), ("t'", "fr"), ("jusqu'", "fr"), ("d", "fr"), ("'s", "en"), ("n't", "en"), ("'re", "en"),
                      ("–", "fr"), ("2017", "en"), ("/", "en"), ("%", "fr")]:
        assert not T.is_word(tok, lang), tok
    for tok, lang in [("a", "en"), ("à", "fr"), ("y", "fr"), ("M", "fr"), ("G20", "en"), ("aujourd'hui", "fr"), ("Syrie", "fr")]:
        assert T.is_word(tok, lang), tok
    _, toks = make_corpus([("e", "fr", "L'accord qu'il a signé n'est pas d'« affaire » – 2017."),
                           ("e", "en", "Russia's talks don't end.")])
    words = T.annotate_terms(toks)
    # fr: accord il a signé est pas affaire (l', qu', n', d and the bare "d" of d'« dropped; «, », –, 2017, . no letter)
    assert words.loc[words["language"] == "fr", "token"].tolist() == ["accord", "il", "a", "signé", "est", "pas", "affaire"]
    assert words.loc[words["language"] == "en", "token"].tolist() == ["Russia", "talks", "do", "end"]   # 's and n't dropped
    sizes = T.unit_sizes(words, "episode").set_index("language")
    assert (sizes.at["fr", "n_tokens"], sizes.at["en", "n_tokens"]) == (7, 4)


def _annotate_row_by_row(tokens: pd.DataFrame) -> pd.DataFrame:
    """The reference: :func:`terms.annotate_terms` as it filtered and stemmed before (row lists)."""
    cand = tokens[tokens["is_word"]]
    words = cand[[T.is_word(tok, lang) for tok, lang in zip(cand["token"], cand["language"])]].copy()
    stops = [T.is_stopword(tok, lang) for tok, lang in zip(words["token"], words["language"])]
    words["stop"] = stops
    words["term"] = [("" if s else T.stem(low, lang)) for s, low, lang in zip(stops, words["lower"], words["language"])]
    return words.reset_index(drop=True)


def test_annotate_terms_equals_row_by_row(any_corpus):
    _, corp = any_corpus
    pd.testing.assert_frame_equal(T.annotate_terms(corp.tokens), _annotate_row_by_row(corp.tokens))
    mixed = pd.concat([corp.tokens, corp.tokens.assign(language="xx")], ignore_index=True)  # a language without lists
    pd.testing.assert_frame_equal(T.annotate_terms(mixed), _annotate_row_by_row(mixed))


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
        # the denominator is every word of the unit (a letter, not a clitic), stop words included
        unit = tiny.tokens[(tiny.tokens["episode"] == u.episode) & (tiny.tokens["language"] == u.language)]
        assert u.n_tokens == sum(T.is_word(t, u.language) for t in unit["token"])
        assert u.n_articles == unit["doc_id"].nunique()
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


def test_keyness_ranks_share_ties():
    _, toks = make_corpus([
        ("a", "en", "Chemical weapons chemical weapons chemical attack in Syria, Syria talks."),
        ("b", "en", "Election interference talks, election talks, Syria talks and more talks."),
    ])
    key = T.keyness(T.annotate_terms(toks), min_count=2)
    a = key[(key["episode"] == "a") & (key["direction"] == "over")]
    assert a.iloc[0]["surface"] == "chemical" and a.iloc[0]["rank"] == 1 and a.iloc[0]["count_reference"] == 0
    # a: Pompeo 2, Lavrov 2 (never in b): the same counts, so the same G², one shared rank, both marked tied
    _, toks = make_corpus([("a", "en", "Pompeo Pompeo Lavrov Lavrov Syria."), ("b", "en", "Syria talks.")])
    key = T.keyness(T.annotate_terms(toks), min_count=2).set_index(["episode", "surface"])
    assert (key.at[("a", "Pompeo"), "rank"], key.at[("a", "Lavrov"), "rank"]) == (1, 1)
    assert key.at[("a", "Pompeo"), "tied"] and key.at[("a", "Lavrov"), "tied"]
    assert key.at[("a", "Syria"), "direction"] == "under" and key.at[("a", "Syria"), "rank"] == 0
    assert not key.at[("a", "Syria"), "tied"]


def _two_episode_words(a_docs: list[str], b_docs: list[str], language: str = "en") -> pd.DataFrame:
    return T.annotate_terms(make_corpus([("a", language, t) for t in a_docs] + [("b", language, t) for t in b_docs])[1])


def test_keyness_filter_is_direction_neutral_and_one_family():
    # "sanctions" 0 times in a, 4 times in b: a + b = 4 ≥ 3, so it is tested in a (under-used) as in b (over-used)
    terms = _two_episode_words(["Talks on Syria today.", "Talks on Syria again today."],
                               ["Sanctions, sanctions, sanctions and sanctions.", "Talks about trade."])
    key = T.keyness(terms, min_count=3)
    row = key[(key["episode"] == "a") & (key["term"] == T.stem("sanctions", "en"))].iloc[0]
    assert row["count_target"] == 0 and row["count_reference"] == 4 and row["direction"] == "under"
    assert row["rank"] == 0 and row["articles_with"] == 0 and math.isnan(row["dp"])
    # every term with a + b ≥ 3 is tested in both episodes: the same candidates on each side
    assert set(key.loc[key["episode"] == "a", "term"]) == set(key.loc[key["episode"] == "b", "term"])
    # one family: BH over every row of the table, not per episode
    assert key["p_adj"].tolist() == pytest.approx(stats.false_discovery_control(key["p_value"].to_numpy(), method="bh").tolist())
    n_candidates = int((T.term_frequencies(terms, "language")["count"] >= 3).sum())
    assert len(key) == 2 * n_candidates                                  # the family: every candidate in both episodes


def test_keyness_uses_fisher_for_small_expected_counts():
    terms = _two_episode_words(["Talks on Syria today.", "Talks on Syria again today."],
                               ["Sanctions, sanctions, sanctions and sanctions.", "Talks about trade."])
    key = T.keyness(terms, min_count=3, exact_below=5)
    assert (key["expected_min"] < 5).all() and (key["test"] == T.TEST_FISHER).all()
    r = key.iloc[0]
    table = [[r.count_target, r.n_target - r.count_target], [r.count_reference, r.n_reference - r.count_reference]]
    assert r.p_value == pytest.approx(stats.fisher_exact(table).pvalue)
    g2_only = T.keyness(terms, min_count=3, exact_below=0)
    assert (g2_only["test"] == T.TEST_G2).all()
    assert g2_only["p_value"].tolist() == pytest.approx(stats.chi2.sf(g2_only["g2"], 1).tolist())


def test_keyness_fisher_p_values_equal_one_test_per_row(any_corpus):
    """Equal tables are tested once: every Fisher row still has exactly its own table's p-value."""
    _, corp = any_corpus
    key = T.keyness(T.annotate_terms(corp.tokens), min_count=2)
    for r in key[key["test"] == T.TEST_FISHER].itertuples():
        table = [[r.count_target, r.n_target - r.count_target], [r.count_reference, r.n_reference - r.count_reference]]
        assert r.p_value == min(stats.fisher_exact(table).pvalue, 1.0)


def test_gries_dp_worked_examples():
    # two articles of 50 words each: a term 3 + 1 → ½(|0.75 − 0.5| + |0.25 − 0.5|) = 0.25
    assert float(T.gries_dp([[3, 1]], [50, 50])[0]) == pytest.approx(0.25)
    # all in one of two equal articles: ½(0.5 + 0.5) = 0.5 (the maximum, 1 − 0.5)
    assert float(T.gries_dp([[4, 0]], [50, 50])[0]) == pytest.approx(0.5)
    # spread exactly like the words (a 30/10 split over articles of 75/25 words): 0
    assert float(T.gries_dp([[3, 1]], [75, 25])[0]) == pytest.approx(0.0)
    # absent, or a single article: nothing to spread over
    assert math.isnan(T.gries_dp([[0, 0]], [50, 50])[0]) and math.isnan(T.gries_dp([[5]], [80])[0])


def test_keyness_dispersion_and_single_article_flag():
    # episode a has two articles: "Pompeo" in both, "mardi" three times in the first only
    terms = _two_episode_words(["Pompeo arrive mardi, mardi, mardi.", "Pompeo parle."],
                               ["Lavrov parle.", "Lavrov répond à Pompeo."], language="fr")
    key = T.keyness(terms, min_count=2).set_index(["episode", "surface"])
    pompeo, mardi = key.loc[("a", "Pompeo")], key.loc[("a", "mardi")]
    assert (pompeo["n_articles"], pompeo["articles_with"], pompeo["doc_freq"]) == (2, 2, 1.0) and not pompeo["single_article"]
    assert (mardi["articles_with"], mardi["doc_freq"]) == (1, 0.5) and mardi["single_article"]
    # words: "Pompeo arrive mardi mardi mardi" = 5, "Pompeo parle" = 2 → s = (5/7, 2/7); Pompeo (1, 1) → v = (½, ½)
    assert pompeo["dp"] == pytest.approx(0.5 * (abs(0.5 - 5 / 7) + abs(0.5 - 2 / 7)))
    assert mardi["dp"] == pytest.approx(0.5 * (abs(1 - 5 / 7) + abs(0 - 2 / 7)))


def _key(rows):
    """keyness-like rows of one unit from (surface, g2, significant, single_article) tuples, all over-used."""
    return pd.DataFrame([{"episode": "e", "language": "fr", "term": s.lower(), "surface": s, "g2": g, "significant": sig,
                          "single_article": one, "direction": "over"} for s, g, sig, one in rows])


def test_distinctive_terms_rule_and_ties():
    key = _key([("Pompeo", 40.0, True, False), ("mardi", 30.0, True, True), ("Mike", 20.0, True, False),
                ("intérêts", 10.0, True, False), ("normalisation", 10.0, True, False), ("point", 5.0, True, False),
                ("dialogue", 50.0, False, False)])
    d = T.distinctive_terms(key, n=3)
    # single-article ("mardi") and not significant ("dialogue") terms are never distinctive
    assert "mardi" not in set(d["surface"]) and "dialogue" not in set(d["surface"])
    # third place is a tie: both tied terms are kept (4 names for n = 3), none picked alphabetically
    assert d["surface"].tolist() == ["Pompeo", "Mike", "intérêts", "normalisation"] and d["place"].tolist() == [1, 2, 3, 3]
    assert T.distinctive_terms(key, n=2)["surface"].tolist() == ["Pompeo", "Mike"]
    assert T.distinctive_terms(key[key["surface"] == "mardi"]).empty


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


def _collocations_from_runs(tokens: pd.DataFrame, sentences: pd.DataFrame, min_count: int = 2, max_gap: int = 2) -> pd.DataFrame:
    """The reference: the runs of each sentence built token by token and given to NLTK's
    ``BigramCollocationFinder.from_documents`` (how :func:`terms.collocations` counted before it
    built the counts from the token table once)."""
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    text_of = dict(zip(sentences["sentence_id"], sentences["text"]))
    frames = []
    for (episode, language), unit in tokens.sort_values(["sentence_id", "tok_idx"]).groupby(["episode", "language"], sort=True):
        docs, spans_of = [], {}
        for sid, sent in unit.groupby("sentence_id", sort=False):
            text, toks = text_of.get(sid, ""), sent["token"].tolist()
            spans, run, gap = T._spans(text, toks), [], 0

            def close(run=run, spans=spans, text=text):
                if run:
                    docs.append([w for _, w in run])
                    for (i, w1), (j, w2) in zip(run, run[1:]):
                        forms = spans_of.setdefault((w1, w2), {})
                        forms[text[spans[i][0]:spans[j][1]]] = forms.get(text[spans[i][0]:spans[j][1]], 0) + 1
                run.clear()

            for i, (tok, wordlike) in enumerate(zip(toks, sent["is_word"].tolist())):
                if not wordlike:
                    close()
                    gap = 0
                elif T.is_stopword(tok, language):
                    gap += 1
                else:
                    if gap > max_gap:
                        close()
                    run.append((i, tok.lower()))
                    gap = 0
            close()
        finder = BigramCollocationFinder.from_documents(docs)
        finder.apply_freq_filter(min_count)
        rows = [{"episode": episode, "language": language, "bigram": f"{w1} {w2}",
                 "surface": sorted(spans_of[(w1, w2)].items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                 "count": int(finder.ngram_fd[(w1, w2)]), "llr": float(llr)}
                for (w1, w2), llr in finder.score_ngrams(BigramAssocMeasures().likelihood_ratio)]
        if rows:
            df = pd.DataFrame(rows).sort_values(["llr", "bigram"], ascending=[False, True])
            frames.append(df.assign(rank=range(1, len(df) + 1)))
    cols = ["episode", "language", "bigram", "surface", "count", "llr", "rank"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def test_collocations_equal_nltk_from_documents_on_runs(any_corpus):
    """The counts built from the token table give NLTK's finder what ``from_documents`` counts from
    the runs of every sentence: the same pairs, counts, scores, surfaces and ranks."""
    _, corp = any_corpus
    for min_count in (1, 2):
        got = T.collocations(corp.tokens, corp.sentences, min_count=min_count, top_n=None)
        pd.testing.assert_frame_equal(got, _collocations_from_runs(corp.tokens, corp.sentences, min_count), check_dtype=False)
        assert len(got) or min_count > 1


def test_collocations_gaps_punctuation_and_sentence_ends_as_runs():
    """Pairs bridge up to ``max_gap`` stop words, never a non-word token or a sentence end."""
    rows = [("e", "en", "Arms control talks, arms of the control talks; arms of the very control."),
            ("e", "en", "Control talks. Arms control talks"), ("f", "en", "Arms control and arms control talks.")]
    sents, toks = make_corpus(rows)
    for gap in (0, 1, 2, 3):
        pd.testing.assert_frame_equal(T.collocations(toks, sents, min_count=1, top_n=None, max_gap=gap),
                                      _collocations_from_runs(toks, sents, min_count=1, max_gap=gap), check_dtype=False)
    col = T.collocations(toks, sents, min_count=1, top_n=None, max_gap=1).set_index(["episode", "bigram"])
    assert col.loc[("e", "control talks"), "count"] == 4
    assert ("e", "talks arms") not in col.index                      # a comma ends the run
    assert col.loc[("e", "arms control"), "surface"] == "Arms control"


# --------------------------------------------------------------------------- concepts
def test_concepts_both_languages_multiword_and_elision():
    fr = T.concept_matches("L'ingérence russe dans les élections ; les élections de mars ; la Corée du Nord et les "
                           "armes chimiques ; le principe de non-ingérence.", "fr")
    assert fr["interference"] == ["ingérence russe dans les élections"]   # one interference mention, not also an election one
    assert fr["elections"] == ["élections"]                              # a generic election word counts as elections
    assert fr["north_korea"] == ["Corée du Nord"]                        # once, not once per word
    assert fr["chemical_weapons"] == ["armes chimiques"]
    assert len(fr["interference"]) == 1                                  # "non-ingérence" is not counted
    en = T.concept_matches("North Korea and chemical weapons; Russian interference in the US election; "
                           "the election of 2020; Mueller found no collusion.", "en")
    assert en["north_korea"] == ["North Korea"] and en["chemical_weapons"] == ["chemical weapons"]
    assert en["interference"] == ["interference in the US election", "Mueller", "collusion"]
    assert en["elections"] == ["election"]
    assert "syria" not in en
    concepts = T.load_concepts()
    required = {"syria", "chemical_weapons", "terrorism", "interference", "elections", "ukraine", "north_korea",
                "venezuela", "iran", "sanctions", "arms_control", "cyber", "trust", "cooperation"}
    assert required <= set(concepts["concept"])
    assert set(concepts["language"]) == {"en", "fr"}


def _dictionary(rows):
    return pd.DataFrame([{"concept": c, "label": c.title(), "language": "en", "pattern": p} for c, p in rows])


def test_mentions_not_regex_hits():
    # two overlapping patterns of one concept on one phrase: one mention
    one = _dictionary([("korea", r"\bkorea"), ("korea", r"\bnorth korea")])
    assert T.concept_matches("North Korea talks; Korea.", "en", one) == {"korea": ["North Korea", "Korea"]}
    # overlapping patterns of two concepts: the longest match wins, the other concept gets nothing there
    two = _dictionary([("elections", r"\belection"), ("interference", r"\belection interference\b")])
    assert T.concept_matches("Election interference again.", "en", two) == {"interference": ["Election interference"]}
    # left to right: the match that starts first wins even when a later one is longer
    left = _dictionary([("a", r"\bnuclear talks\b"), ("b", r"\btalks in geneva\b")])
    assert T.concept_matches("nuclear talks in geneva", "en", left) == {"a": ["nuclear talks"]}
    # two concepts matching exactly the same words: one mention for each, never two for one concept
    same = _dictionary([("nuclear", r"\bdenucleari"), ("north_korea", r"\bdenucleari"), ("nuclear", r"\bdenuclearis")])
    assert T.concept_matches("denuclearisation", "en", same) == {"nuclear": ["denuclearisation"], "north_korea": ["denuclearisation"]}
    sents, _ = make_corpus([("e", "en", "Election interference again.")])
    men = T.concept_mentions(sents, two)
    assert men[["concept", "pattern", "match", "start", "end"]].values.tolist() == [
        ["interference", r"\belection interference\b", "Election interference", 0, 21]]


def test_concept_counts_per_language_and_article():
    sents, toks = make_corpus([("e1", "en", "Syria and Syria."), ("e1", "fr", "La Syrie et Damas, ville syrienne."),
                               ("e2", "fr", "Rien ici."), ("e2", "fr", "L'ingérence en Syrie.")])
    terms = T.annotate_terms(toks)
    concepts = T.load_concepts()
    men = T.concept_mentions(sents, concepts)
    art = T.article_concepts(men, terms, concepts)
    assert list(art.columns) == ["doc_id", "episode", "language", "concept", "count", "words"]
    assert len(art) == 4 * concepts["concept"].nunique()                     # every article × every concept
    a = art.set_index(["doc_id", "concept"])
    assert (a.at[("d0", "syria"), "count"], a.at[("d0", "syria"), "words"]) == (2, 3)
    # d3 "L'ingérence en Syrie": l' is a clitic, so 3 words
    assert (a.at[("d3", "syria"), "count"], a.at[("d3", "interference"), "count"], a.at[("d3", "syria"), "words"]) == (1, 1, 3)
    out = T.concept_counts(art, concepts).set_index(["episode", "language", "concept"])
    assert out.loc[("e1", "en", "syria"), "label"] == "Syria"
    # languages never pooled: e1 has one English and one French rate
    assert out.loc[("e1", "en", "syria"), "count"] == 2 and out.loc[("e1", "en", "syria"), "n_tokens"] == 3
    # fr: la syrie et damas ville syrienne = 6 words, 3 mentions
    assert out.loc[("e1", "fr", "syria"), "per_1k"] == pytest.approx(1000 * 3 / 6)
    assert out.loc[("e2", "fr", "syria"), "n_articles"] == 2 and out.loc[("e2", "fr", "syria"), "n_tokens"] == 2 + 3
    forms = T.concept_forms(men, concepts)
    syria_fr = forms[(forms["concept"] == "syria") & (forms["language"] == "fr")]
    assert syria_fr[["form", "count"]].values.tolist() == [["syrie", 2], ["damas", 1], ["syrienne", 1]]


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


def _conc(rates: dict[tuple[str, str], tuple[int, int]], language: str = "fr", n_articles: int = 1) -> pd.DataFrame:
    """concept_counts rows of one language from {(episode, concept): (count, n_tokens)}."""
    labels = {"syria": "Syria", "iran": "Iran", "trust": "Trust"}
    return pd.DataFrame([{"episode": e, "language": language, "concept": c, "label": labels[c], "count": n, "n_tokens": t,
                          "per_1k": 1000 * n / t, "n_articles": n_articles} for (e, c), (n, t) in rates.items()])


EPISODES3 = pd.DataFrame({"episode": ["late", "early", "mid"], "label": ["Sochi 2019", "Moscow 2017", "Washington 2017"],
                          "order": [2, 0, 1], "date": pd.to_datetime(["2019-05-14", "2017-04-12", "2017-05-10"])})


def test_agenda_steps_use_every_episode_within_each_language():
    fr = _conc({("early", "syria"): (4, 1000), ("early", "iran"): (0, 1000), ("mid", "syria"): (1, 1000),
                ("mid", "iran"): (3, 1000), ("late", "syria"): (1, 2000), ("late", "iran"): (1, 2000)})
    en = _conc({("late", "syria"): (1, 100), ("late", "iran"): (0, 100)}, language="en")
    conc = pd.concat([fr, en], ignore_index=True)
    steps = T.agenda_steps(conc, EPISODES3)
    # French: early → mid and mid → late (the middle episode counts); English: one episode, no step
    assert set(steps["language"]) == {"fr"}
    assert steps[["episode_from", "episode_to"]].drop_duplicates().values.tolist() == [["early", "mid"], ["mid", "late"]]
    s = steps.set_index(["episode_from", "concept"])
    assert s.at[("early", "syria"), "change"] == pytest.approx(-3.0) and s.at[("mid", "iran"), "change"] == pytest.approx(-2.5)
    assert (s.at[("mid", "iran"), "per_1k_from"], s.at[("mid", "iran"), "per_1k_to"]) == (3.0, 0.5)
    rng = T.agenda_range(conc, EPISODES3).set_index(["language", "concept"])
    assert (rng.at[("fr", "syria"), "episode_max"], rng.at[("fr", "syria"), "episode_min"]) == ("early", "late")
    assert rng.at[("fr", "syria"), "range"] == pytest.approx(3.5) and rng.at[("fr", "iran"), "range"] == pytest.approx(3.0)
    assert rng.at[("en", "syria"), "n_episodes"] == 1 and rng.at[("en", "syria"), "range"] == 0


def test_agenda_tests_take_the_article_as_the_unit():
    # 6 articles a side: Syria in every early article, Iran in every late one (exact permutation: 924 labellings)
    early = [("early", "en", f"Syria talks number {i} here.") for i in range(6)]
    late = [("late", "en", f"Iran talks number {i} here.") for i in range(6)]
    sents, toks = make_corpus(early + late)
    terms = T.annotate_terms(toks)
    concepts = T.load_concepts()
    art = T.article_concepts(T.concept_mentions(sents, concepts), terms, concepts)
    tests = T.agenda_tests(art, EPISODES, concepts)
    assert list(tests.columns) == T.AGENDA_TEST_COLUMNS and len(tests) == concepts["concept"].nunique()
    t = tests.set_index("concept")
    # 1 mention in 4 words per article ("Syria talks number 0 here": the number is no word): 250 per 1,000 words
    assert t.at["syria", "estimate"] == pytest.approx(-250.0) and t.at["iran", "estimate"] == pytest.approx(250.0)
    assert (t.at["syria", "n_articles_from"], t.at["syria", "n_articles_to"]) == (6, 6)
    assert t.at["syria", "interval"] == "between articles" and t.at["syria", "p_value"] == pytest.approx(2 / 924)
    # one family: BH over the whole table (17 comparisons), and the shared verdict rule decides the words
    assert t["p_adj"].tolist() == pytest.approx(stats.false_discovery_control(t["p_value"].to_numpy()).tolist())
    assert (t.at["syria", "case"], t.at["syria", "direction"]) == ("clear", "fell")
    assert (t.at["iran", "case"], t.at["iran", "direction"]) == ("clear", "rose")
    # never mentioned: every labelling gives the same difference, the smallest p is 1, the shared rule says not testable
    assert t.at["trust", "p_min"] == 1.0 and t.at["trust", "case"] == "not-testable"
    # a single article on a side: within-article interval only, not testable
    one = T.agenda_tests(art[art["doc_id"].isin(["d0", "d6", "d7"])], EPISODES, concepts).set_index("concept")
    assert one.at["syria", "interval"] == "within article" and one.at["syria", "case"] == "not-testable"


def test_concept_rates_and_top_concepts():
    conc = pd.concat([_conc({("early", "syria"): (4, 1000), ("early", "iran"): (0, 1000), ("early", "trust"): (1, 1000),
                             ("late", "syria"): (2, 2000), ("late", "iran"): (4, 2000), ("late", "trust"): (2, 2000)}),
                      _conc({("late", "syria"): (1, 100), ("late", "iran"): (1, 100), ("late", "trust"): (0, 100)}, "en")])
    heat = T.concept_rates(conc, EPISODES)
    # one column per episode × language, date order then language; rows by highest rate over the units
    assert list(heat.columns) == [("early", "fr"), ("late", "en"), ("late", "fr")]
    assert list(heat.index) == ["iran", "syria", "trust"]            # 10, 10 (en) then 1: ties by id
    top = T.top_concepts(conc)
    assert top.loc[top["episode"] == "early", "concept"].tolist() == ["syria"]
    assert top.loc[(top["episode"] == "late") & (top["language"] == "en"), "concept"].tolist() == ["iran", "syria"]  # tied
    zero = _conc({("early", "syria"): (0, 100), ("early", "iran"): (0, 100)})
    assert T.top_concepts(zero)[["concept", "count"]].values.tolist() == [["iran", 0]]


def test_distinctive_kwic_shows_the_top_term_of_each_unit(tiny):
    terms = T.annotate_terms(tiny.tokens)
    key = T.keyness(terms, min_count=1)
    kw = T.distinctive_kwic(terms, tiny.sentences, key, n=2, width=20)
    assert list(kw.columns) == ["episode", "language", "term", "surface", "single_article", "doc_id", "sentence_id", "left",
                                "keyword", "right"]
    assert set(zip(kw["episode"], kw["language"])) == {("moscow-2017", "fr"), ("geneva-2021", "fr")}
    for (episode, language), rows in kw.groupby(["episode", "language"]):
        best = key[(key["episode"] == episode) & (key["language"] == language) & (key["rank"] == 1)]
        assert set(rows["term"]) == set(best["term"])                            # every term tied at rank 1
        assert all(1 <= len(g) <= 2 for _, g in rows.groupby("term"))
        assert all(T.stem(w.lower(), language) == t for w, t in zip(rows["keyword"], rows["term"]))
    assert T.distinctive_kwic(terms, tiny.sentences, key.head(0)).empty


def test_distinctive_kwic_equals_kwic_on_the_whole_tables(any_corpus):
    """distinctive_kwic looks only at the sentences holding its terms: the rows of kwic on everything."""
    _, corp = any_corpus
    terms = T.annotate_terms(corp.tokens)
    key = T.keyness(terms, min_count=2)
    best = key[(key["direction"] == "over") & (key["rank"] == 1)]
    parts = [T.kwic(terms, corp.sentences, u.term, u.episode, u.language, n=3, width=40) for u in best.itertuples()]
    got = T.distinctive_kwic(terms, corp.sentences, key, n=3, width=40)
    shown = got[["doc_id", "sentence_id", "left", "keyword", "right"]]
    want = pd.concat(parts, ignore_index=True) if parts else shown.iloc[:0]
    pd.testing.assert_frame_equal(shown, want, check_dtype=False)


def test_csv_tables_follow_episode_dates():
    coll = pd.DataFrame({"episode": ["late", "early"], "language": ["fr", "fr"], "bigram": ["a b", "c d"],
                         "surface": ["A B", "C D"], "count": [2, 2], "llr": [5.0, 4.0], "rank": [1, 1]})
    conc = _conc({("late", "syria"): (1, 10), ("early", "syria"): (2, 10)})
    art = pd.DataFrame({"doc_id": ["d2", "d1"], "episode": ["late", "early"], "language": "fr", "concept": "syria",
                        "count": [1, 2], "words": [10, 10]})
    steps = T.agenda_steps(conc, EPISODES)
    tests = steps[["language", "concept", "episode_from", "episode_to"]].assign(
        ci_low=-1.0, ci_high=1.0, interval="within article", p_value=1.0, p_min=1.0, p_adj=1.0, case="not-testable",
        verdict="not testable")
    tables = T.csv_tables(pd.DataFrame({"episode": ["late"], "x": [1]}), coll.head(0), coll, conc, art, steps, tests, EPISODES)
    assert set(tables) == {"term_frequencies", "keyness", "collocations", "concepts", "concept_articles", "agenda_steps"}
    assert list(tables["collocations"]["episode"]) == ["early", "late"]
    assert list(tables["concepts"]["episode"]) == ["early", "late"] and "date" in tables["concepts"]
    assert list(tables["concept_articles"]["doc_id"]) == ["d1", "d2"]
    assert tables["agenda_steps"][["episode_from", "episode_to", "case"]].values.tolist() == [["early", "late", "not-testable"]]
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
    assert {"episode", "language", "concept", "count", "per_1k", "label", "n_articles"} <= set(conc.columns)
    assert set(zip(conc["episode"], conc["language"])) == {("moscow-2017", "fr"), ("geneva-2021", "fr"), ("geneva-2021", "en")}
    art = pd.read_csv(data / "concept_articles.csv", keep_default_na=False, dtype={"doc_id": str})
    assert list(art.columns) == ["doc_id", "episode", "language", "concept", "count", "words"]
    assert art.groupby(["episode", "language", "concept"])["count"].sum().to_dict() == \
        conc.set_index(["episode", "language", "concept"])["count"].to_dict()
    # glued keys the Findings page cites
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    glued = {o.metadata["scrapbook"]["name"]: o.data for c in out.cells for o in c.get("outputs", [])
             if "scrapbook" in o.get("metadata", {})}
    for k in ("agenda_shift_text", "top_terms_text", "top_concepts_text", "keyness_findings_text", "fig_terms_top", "fig_concepts"):
        assert k in glued
    text = glued["top_terms_text"]["application/papermill.record/text/plain"]
    assert "not computable" in text and "Geneva, June 2021 (English)" in text
    plain = {k: v.get("application/papermill.record/text/plain", "") for k, v in glued.items()}
    assert plain["length_spread_text"] == "'here from 88 to 118 words per article'"
    assert plain["tested_terms_text"].startswith("'Terms tested per episode and language: Moscow, April 2017 (French): ")
    assert "(α = 0.10)" in plain["keyness_findings_text"] and "Benjamini–Yekutieli" in plain["keyness_findings_text"]


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
    assert glued["length_spread_text"] == "'here a single article of 118 words'"
    assert glued["significant_text"] == "'no term was tested'"
    assert "no episode could be compared" in glued["keyness_findings_text"]
    assert glued["tested_terms_text"].strip("'\"").startswith("No term is tested: no episode has another")
    assert pd.read_csv(tmp_path / "d" / "keyness.csv").empty


def test_concept_mentions_of_repeated_sentences_are_found_in_each(tiny):
    """concept_mentions matches each distinct (language, text) once and gives every copy its rows:
    exactly what running every pattern on every sentence finds (the sentences doubled as wire copies)."""
    concepts = T.load_concepts()
    sents = pd.concat([tiny.sentences, tiny.sentences.assign(sentence_id=tiny.sentences["sentence_id"] + "-copy")],
                      ignore_index=True)
    fast = T.concept_mentions(sents, concepts)
    compiled = T._compiled(concepts)
    rows = [(r.sentence_id, s, e, c) for r in sents.itertuples() for s, e, c, _ in T._mentions_in(r.text, compiled.get(r.language, []))]
    assert list(zip(fast["sentence_id"], fast["start"], fast["end"], fast["concept"])) == rows
    assert len(fast) > 0 and len(fast) % 2 == 0
