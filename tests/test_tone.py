"""Tests of scripts/tone.py (analysis only: the sentences and tables built from these results are
tested in test_narrative_tone.py), and the tone chapter executed on the tiny and one-episode corpora."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scripts import corpus as C
from scripts import diplomatic as D
from scripts import inference as I
from scripts import tone as T
from scripts import tone_scores as TS

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
ONE_EPISODE = ROOT / "tests" / "fixtures" / "one_episode"


@pytest.fixture(scope="module")
def seeds():
    return C.load_corpus(ROOT / "seeds")


EPS = pd.DataFrame({"episode": ["b", "a"], "label": ["Later talks", "Early talks"],
                    "date": pd.to_datetime(["2019-05-14", "2017-04-12"]), "order": [1, 0]})
TWO = pd.DataFrame({"episode": ["a"] * 4 + ["b"] * 4, "language": "fr", "doc_id": ["d1"] * 4 + ["d2"] * 4,
                    "sentence_id": list("abcdefgh"), "text": list("abcdefgh"),
                    "actors": ["lavrov", "", "lavrov;putin", "", "lavrov", "", "", ""],
                    "vader_compound": [0, 0.1, 0.2, 0.1, 0.5, 0.6, 0.4, 0.5],
                    "cooperation_index": [-1, 0, 0, -1, 1, 1, 0, 1]})
SHIFT_SENTS = pd.DataFrame({"doc_id": "d", "sentence_id": list("pqrs"), "episode": ["a", "a", "b", "b"], "language": "en",
                            "text": ["Sanctions and accusations.", "They met.", "A new dialogue.", "Dialogue and trust."]})


# ------------------------------------------------------------------ aggregates and shifts
def test_summarise_and_shifts_columns():
    s = T.summarise(TWO, "episode", "episode", n_boot=200, seed=0)
    assert list(s.columns) == ["level", "key", "measure", "estimate", "ci_low", "ci_high", "n", "n_articles", "interval"]
    assert set(s["n_articles"]) == {1} and set(s["interval"]) == {"within article"}
    assert s.loc[(s["key"] == "b") & (s["measure"] == "cooperation_index"), "estimate"].item() == pytest.approx(0.75)
    sh = T.episode_shifts(TWO, EPS, "cooperation_index", 200, 0, 999, "fr")
    assert sh["difference"].item() == pytest.approx(1.25)
    # one article per episode: the article permutation cannot reach below 1 (two labellings, both extreme)
    assert sh["p_value"].item() == 1.0 and sh["p_min"].item() == 1.0
    assert (sh["n_articles_from"].item(), sh["n_articles_to"].item()) == (1, 1)
    assert (sh["episode_from"].item(), sh["episode_to"].item()) == ("a", "b")     # date order, not row order


def test_all_shifts_adjust_over_the_whole_table():
    sh = T.all_shifts(TWO, EPS, 200, 0, 999, "fr")
    assert list(sh["measure"]) == list(T.MEASURES)
    p = sorted(sh["p_value"])     # BH over the two rows: the smaller p-value is doubled (capped by the larger)
    assert sorted(sh["p_adjusted"]) == pytest.approx([min(2 * p[0], p[1]), p[1]])


def test_summary_levels_and_headline_read_from_the_summary():
    sh = T.all_shifts(TWO, EPS, 200, 0, 999, "fr")
    summary = T.tone_summary(TWO, TWO.iloc[0:0].assign(actor=[]), sh, 200, 0)
    assert {"document", "episode", "episode_language", "actor", "shift"} == set(summary["level"])
    assert summary.loc[summary["level"] == "shift", "key"].iloc[0] == "a→b|fr"
    shift_rows = summary[summary["level"] == "shift"]   # every difference carries the book's verdict, as in tone_shifts.csv
    assert list(shift_rows["verdict"]) == list(sh["label"]) and list(shift_rows["direction"]) == list(sh["direction"])
    assert (shift_rows["verdict"] != "").all() and (summary.loc[summary["level"] != "shift", "verdict"] == "").all()
    h = T.headline_comparison(sh, summary)
    coop = sh.iloc[-1]
    assert (h.episode_from, h.episode_to, h.language) == ("a", "b", "fr")
    assert (h.difference, h.ci_low, h.ci_high, h.p_value, h.p_adjusted) == tuple(
        coop[["difference", "ci_low", "ci_high", "p_value", "p_adjusted"]])
    # the episode means are the summary's (article-level estimates), computed once
    est = I.group_estimate(TWO, "a", n_boot=200, seed=0, cols=("cooperation_index", "doc_id", "episode"))
    assert h.mean_from == pytest.approx((est.estimate, est.ci_low, est.ci_high))
    assert h.case == "not-testable" and (h.n_articles_from, h.n_articles_to) == (1, 1)
    assert (h.n_from, h.n_to, h.n_comparisons) == (4, 4, 2)
    pooled = T.all_shifts(TWO, EPS, 200, 0, 999)
    hp = T.headline_comparison(pooled, T.tone_summary(TWO, TWO.iloc[0:0].assign(actor=[]), pooled, 200, 0))
    assert hp.language is None and hp.mean_to[0] == pytest.approx(0.75)
    assert np.isnan(T.headline_comparison(sh.drop(columns="p_adjusted"), summary).p_adjusted)
    assert T.headline_comparison(T.all_shifts(TWO[TWO["episode"] == "a"], EPS, 200, 0, 99), summary) is None


def test_pick_headline_language():
    three = pd.DataFrame({"episode": ["a", "a", "b", "c", "c", "b"], "language": ["fr", "fr", "fr", "fr", "en", "en"]})

    def pick(frame, requested=""):
        c = T.pick_headline_language(frame, requested)
        return c.language, c.reason

    assert pick(three) == ("fr", "auto")          # fr covers 3 episodes, en 2
    assert pick(three, "en") == ("en", "requested")
    assert pick(three, "all") == (None, "all")
    assert pick(three, "de") == (None, "requested-missing")
    tie = pd.DataFrame({"episode": ["a", "b", "a", "b", "b"], "language": ["fr", "fr", "en", "en", "en"]})
    assert pick(tie) == ("en", "auto")            # same episodes, more sentences
    apart = pd.DataFrame({"episode": ["a", "b"], "language": ["fr", "en"]})
    assert pick(apart) == (None, "no-language")
    assert pick(apart[apart["episode"] == "a"], "fr") == (None, "single-episode")
    c = T.pick_headline_language(three, " de ")
    assert c.requested == "de" and c.n_episodes == 3
    assert c.languages.to_dict("records") == [{"language": "en", "episodes": 2, "sentences": 2},
                                              {"language": "fr", "episodes": 3, "sentences": 4}]


# ------------------------------------------------------------------ word shift
def test_word_shift_decomposes_difference():
    scored = TS.score_texts(SHIFT_SENTS)
    m = D.diplomatic_matches(SHIFT_SENTS)
    ws = T.word_shift(m, scored, "a", "b")
    d = ws.set_index("entry")["difference"]
    assert d["dialogue"] == pytest.approx(1.0)      # 2 x weight 1 over 2 sentences
    assert d["sanctions"] == pytest.approx(0.75)    # -1.5 over 2 sentences disappears
    assert d.sum() == pytest.approx((3.5 - (-3.0)) / 2)


def test_headline_word_shift_picks_the_episodes_with_sentences():
    scored, m = TS.score_texts(SHIFT_SENTS), D.diplomatic_matches(SHIFT_SENTS)
    ws = T.headline_word_shift(m, scored, EPS, "en")
    assert (ws.episode_from, ws.episode_to, ws.n_present, ws.n_episodes) == ("a", "b", 2, 2)
    assert "dialogue" in set(ws.shift["entry"])
    fr = T.headline_word_shift(m, scored, EPS, "fr")
    assert fr.shift.empty and list(fr.shift.columns) == T.WORD_SHIFT_COLUMNS and fr.n_present == 0
    one = T.headline_word_shift(m, scored[scored["episode"] == "a"], EPS[EPS["episode"] == "a"])
    assert (one.n_present, one.n_episodes, one.episode_from, one.episode_to) == (1, 1, "a", "a")


# ------------------------------------------------------------------ trajectory
def test_trajectory_bins_ends_and_dominance():
    frame = pd.DataFrame({"doc_id": ["big"] * 8 + ["small"] * 2, "position": [0, .1, .3, .4, .5, .6, .8, .9, 0, .9],
                          "cooperation_index": [1, 1, 0, 0, 0, 0, -1, -1, 1, -1], "vader_compound": 0.0})
    traj = T.trajectories(frame, 2, 100, 0)
    assert list(traj["n"]) == [5, 5, 5, 5] and T.trajectory_ends(traj) == (pytest.approx(0.6), pytest.approx(-0.6))
    assert T.trajectory_ends(pd.DataFrame({"bin": [2, 0, 1], "measure": "cooperation_index",
                                           "estimate": [0.3, -0.1, 0.0]})) == (pytest.approx(-0.1), pytest.approx(0.3))
    d = T.slice_dominance(frame, 2)
    assert (d.n_articles, d.largest, d.shares) == (2, "big", (0.8, 0.8))
    split = pd.DataFrame({"doc_id": ["big"] * 4 + ["small"] * 3, "position": [0, .1, .2, .3, .6, .7, .8]})
    assert T.slice_dominance(split, 2).shares == (1.0, 0.0)
    assert T.slice_dominance(frame[frame["doc_id"] == "big"], 2).n_articles == 1
    assert T.slice_dominance(frame.iloc[0:0], 2) == T.SliceDominance(0, None, ())


# ------------------------------------------------------------------ languages, actors, evidence
def test_language_gap():
    docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "episode": ["a", "b", "b"], "language": ["fr", "fr", "en"]})
    scored = pd.concat([TWO, TWO[TWO["episode"] == "b"].assign(language="en", doc_id="d3", cooperation_index=0.0)])
    gap = T.language_gap(scored, docs, EPS)
    assert gap.episodes == ["b"] and gap.gaps == {"b": pytest.approx(0.75)}
    none = T.language_gap(TWO, docs.iloc[:2], EPS)
    assert none.episodes == [] and none.gaps == {}
    unscored = T.language_gap(TWO, docs, EPS)         # bilingual articles, but only French sentences scored
    assert unscored.episodes == ["b"] and unscored.gaps == {}


def test_actor_mention_tone_and_top_quoted_order():
    sh = T.all_shifts(TWO, EPS, 200, 0, 999, "fr")
    quoted = TWO.assign(actor=["putin", "lavrov", "lavrov", "putin", "lavrov", "lavrov", "lavrov", "putin"])
    summary = T.tone_summary(TWO, quoted, sh, 200, 0)
    act = T.actor_mention_tone(summary, TWO, EPS, max_actors=1)
    assert list(act["actor"]) == ["lavrov", "lavrov"] and list(act["episode"]) == ["a", "b"]
    assert list(act["n"]) == [2, 1] and list(act.columns) == ["actor", "episode", "estimate", "ci_low", "ci_high", "n",
                                                                "n_articles", "interval"]
    assert list(act["n_articles"]) == [1, 1] and set(act["interval"]) == {"within article"}
    assert set(T.actor_mention_tone(summary, TWO, EPS, max_actors=2)["actor"]) == {"lavrov", "putin"}
    qa = T.top_quoted(summary, quoted.assign(name=quoted["actor"].str.title()), EPS, max_actors=2)
    pairs = list(dict.fromkeys(zip(qa["actor"], qa["episode"])))
    assert pairs == [("lavrov", "a"), ("lavrov", "b"), ("putin", "a"), ("putin", "b")]  # most quoted first, then date
    assert set(qa["name"]) == {"Lavrov", "Putin"}


def test_extremes_and_top_entries():
    scored, m = TS.score_texts(SHIFT_SENTS), D.diplomatic_matches(SHIFT_SENTS)
    ex = T.extremes(scored, 1)
    assert list(zip(ex["episode"], ex["side"])) == [("a", "most confrontational"), ("b", "most cooperative")]
    ent = T.top_entries(m, EPS, 1)
    # "accusation" and "sanctions" tie at -1.5 in episode a: the tie keeps entry order
    assert list(ent["episode"]) == ["a", "b"] and list(ent["entry"]) == ["accusation", "dialogue"]
    assert list(ent.columns) == ["episode", "entry", "pole", "matches", "weight"]
    assert ent["weight"].tolist() == [-1.5, 2.0] and ent["matches"].tolist() == [1, 2]


# ------------------------------------------------------------------ sources
def test_articles_per_episode_translations_and_repeats():
    docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "episode": ["a", "b", "b"], "sentences": [10, 9, 1],
                         "source": ["machine translation of a review", "site", "site"], "note": ["", "", "traduit"]})
    per = T.articles_per_episode(docs, EPS)
    assert per.to_dict("records") == [
        {"episode": "a", "articles": 1, "sentences": 10, "top_doc": "d1", "top_share": 1.0},
        {"episode": "b", "articles": 2, "sentences": 10, "top_doc": "d2", "top_share": pytest.approx(0.9)}]
    tr = T.translations(docs)
    assert tr.doc_ids == ["d1", "d3"] and tr.sentence_share == pytest.approx(11 / 20)
    assert T.translations(docs.assign(source="site", note="")).doc_ids == []
    empty = T.articles_per_episode(docs.iloc[:1], EPS)
    assert empty.loc[1, "articles"] == 0 and np.isnan(empty.loc[1, "top_share"])


# ------------------------------------------------------------------ quotations
def test_score_quotes_uses_the_actors_word_count():
    docs = pd.DataFrame({"doc_id": ["d"], "language": ["fr"]})
    quotes = pd.DataFrame({"doc_id": "d", "actor": ["lavrov", "lavrov", ""], "quote": ["l'ingérence", "non", "a b c"]})
    assert T.quote_words("l'ingérence américaine") == 3 and T.quote_words("U.S.") == 2
    q = T.score_quotes(quotes, docs, min_words=2)          # "l'ingérence" has 2 \w+ words, 1 str.split word
    assert list(q["quote"]) == ["l'ingérence"]
    given = quotes.assign(n_words=[1, 5, 5])               # the actors' column, when present, decides
    assert list(T.score_quotes(given, docs, min_words=2)["quote"]) == ["non"]


# ------------------------------------------------------------------ validation sample
def test_annotations_align_with_current_sentence_splitting(seeds):
    ann = T.load_annotations()
    assert T.ANNOTATIONS_FILE.parent.name == "validation" and len(ann) >= 60
    problems = T.check_annotations(ann, seeds.sentences)
    assert problems.empty, problems.to_string()
    merged = ann.merge(seeds.sentences, on="sentence_id")
    assert set(merged["language"]) == {"en", "fr"}
    assert set(merged["episode"]) == set(seeds.episodes["episode"])
    assert set(ann["label"]) == {-1, 0, 1}


def test_check_annotations_detects_changed_text(seeds):
    ann = T.load_annotations().head(3).copy()
    ann.loc[ann.index[0], "text"] = ann.loc[ann.index[0], "text"] + " (edited)"
    ann.loc[ann.index[1], "sentence_id"] = "999-s999"
    problems = T.check_annotations(ann, seeds.sentences)
    assert problems["problem"].tolist() == ["text changed", "missing"]


def test_label_counts_and_coded_profile():
    ann = pd.DataFrame({"sentence_id": list("abcd"), "text": ["a", "b", "c", "d"], "label": [1, 0, -1, 1]})
    assert T.label_counts(ann) == {1: 2, 0: 1, -1: 1}
    sents = pd.DataFrame({"sentence_id": list("abc"), "doc_id": ["d1", "d1", "d2"], "language": ["fr", "en", "fr"],
                          "text": ["a", "b", "changed"]})
    sample = T.CodedSample(ann.iloc[:2].assign(language="xx"), n_rows=6, n_uncoded=2, n_unaligned=2, bundled=False,
                           in_sample=False)
    p = T.coded_profile(sample, sents)
    assert (p.n_sample, p.n_aligned, p.n_articles, p.languages, p.n_uncoded) == (4, 2, 1, ["en", "fr"], 2)
    assert p.counts == {1: 1, 0: 1, -1: 0}



# ------------------------------------------------------------------ notebook on the fixtures
def glued_texts(nb_path: Path) -> dict[str, str]:
    """name -> text/plain of every glue of an executed notebook (myst-nb records it as
    application/papermill.record/text/plain with the name in the output's scrapbook metadata)."""
    import ast
    import json

    out = {}
    for cell in json.loads(Path(nb_path).read_text())["cells"]:
        for o in cell.get("outputs", []):
            name = (o.get("metadata") or {}).get("scrapbook", {}).get("name")
            plain = (o.get("data") or {}).get("application/papermill.record/text/plain")
            if name and plain is not None:
                try:
                    out[name] = ast.literal_eval(plain)
                except (ValueError, SyntaxError):
                    out[name] = plain
    return out


def run_chapter(tmp_path, seeds_dir, **params):
    import papermill

    out = tmp_path / "tone.ipynb"
    papermill.execute_notebook(str(ROOT / "chapters" / "04_tone.ipynb"), str(out), cwd=str(ROOT / "chapters"),
                               kernel_name="python3", progress_bar=False,
                               parameters={"seeds_dir": str(seeds_dir), "data_dir": str(tmp_path / "data"),
                                           "fig_dir": str(tmp_path / "fig"), **params})
    return out


@pytest.mark.e2e
def test_chapter_runs_on_tiny_fixture_with_other_parameters(tmp_path):
    out = run_chapter(tmp_path, TINY, n_boot=200, n_perm=199, random_seed=7, french_lexicon="textblob-fr", n_bins=3,
                      headline_language="en", min_quote_words=2)
    assert (tmp_path / "fig" / "tone_episodes.png").is_file()
    sentences = pd.read_csv(tmp_path / "data" / "tone_sentences.csv")
    assert {"vader_compound", "cooperation_index", "actors"} <= set(sentences.columns)
    summary = pd.read_csv(tmp_path / "data" / "tone_summary.csv")
    assert {"document", "episode", "shift"} <= set(summary["level"])
    g = glued_texts(out)
    # English covers one episode of the tiny corpus: the requested language cannot be used
    assert g["headline_language_text"].startswith("The headline language requested by the headline_language "
                                                  "parameter (English) has sentences in fewer than two episodes")
    assert g["tone_headline_text"].startswith("In all sentences (languages pooled), the cooperation index ")
    assert "no change can be claimed" in g["tone_headline_text"]   # one article per episode: not testable
    assert g["quotes_text"].endswith("of at least 2 words")
    assert g["n_annotated"] == 0 and g["tone_validation_text"].startswith(
        "No hand-coded sentence of this corpus is available, so the instruments are unvalidated")
    assert "in-sample" not in g["tone_validation_text"]
    assert g["tone_sample_text"].startswith("None of the 67 coded sentences of the bundled sample")
    assert "seed" not in g["tone_limits_text"] and "marks no article as a translation" in g["tone_limits_text"]
    assert g["ws_text"].startswith("Between Moscow, April 2017 and Geneva, June 2021 (sentences),")
    assert g["traj_dominance_text"].startswith("No article supplies more than half")


@pytest.mark.e2e
def test_chapter_on_one_english_episode(tmp_path):
    g = glued_texts(run_chapter(tmp_path, ONE_EPISODE, n_boot=100, n_perm=99))
    assert g["tone_headline_text"] == "The corpus has a single episode, so no change of tone between episodes can be measured."
    assert g["headline_language_text"] == "A headline comparison needs two episodes or more."
    assert g["ws_text"] == "The corpus has a single episode, so there is no shift of vocabulary to decompose."
    assert g["language_text"].startswith("No episode has scored sentences in more than one language")
    assert g["tone_limits_text"].startswith("The corpus holds 1 article about 1 episode.")
    assert g["traj_dominance_text"].startswith("All sentences come from one article")
    assert "the one sentence" not in g["vader_agreement_text"] and "negation" not in g["vader_agreement_text"]


# --------------------------------------------------------------------------- validation on this corpus
def _coded_corpus(n: int = 40, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n French and n English sentences over two episodes; the codes follow the cooperation index in
    French and VADER in English (so each language has its own best measure)."""
    rng = np.random.default_rng(seed)
    rows, codes = [], []
    for lang in ("fr", "en"):
        for i in range(n):
            label = int(rng.integers(-1, 2))
            noise = rng.normal(0, 0.1, 2)
            good, bad = label * 0.5 + noise[0], rng.normal(0, 0.5)
            coop, vader = (good, bad) if lang == "fr" else (bad, good + noise[1])
            sid = f"{lang}{i:03d}"
            rows.append({"sentence_id": sid, "doc_id": f"{lang}{i % 4}", "episode": "ab"[i % 2], "language": lang,
                         "text": f"sentence {sid}", "cooperation_index": coop, "vader_compound": vader})
            codes.append({"sentence_id": sid, "doc_id": f"{lang}{i % 4}", "text": f"sentence {sid}", "label": label})
    return pd.DataFrame(rows), pd.DataFrame(codes)


def test_pick_headline_language_by_measured_validity():
    from scripts import validity as VY

    scored, codes = _coded_corpus()
    table = VY.agreement(scored, codes)
    choice = T.pick_headline_language(scored, "", table)
    assert choice.reason == "validity" and choice.instrument.reason == "validity"
    best = table[table["language"] != "all"].sort_values("rho_low").iloc[-1]
    assert (choice.language, choice.measure) == (best["language"], best["measure"])
    # the requested language keeps its own best measure
    assert T.pick_headline_language(scored, "en", table).measure == "vader_compound"
    assert T.pick_headline_language(scored, "fr", table).measure == "cooperation_index"
    # too few codes: the documented fallback (cooperation index, language covering most episodes)
    few = VY.agreement(scored, codes.groupby(codes["sentence_id"].str[:2]).head(10))
    fallback = T.pick_headline_language(scored, "", few)
    assert fallback.reason == "auto" and fallback.measure == "cooperation_index"
    assert fallback.instrument.reason == "unvalidated"
    assert T.pick_headline_language(scored).instrument is None


def test_headline_comparison_follows_the_chosen_measure():
    scored, _ = _coded_corpus()
    shifts = T.all_shifts(scored.assign(position=0.5), EPS, 50, 1, 99, "en")
    summary = T.summarise(scored, ["episode", "language"], "episode_language", n_boot=50, seed=1)
    h = T.headline_comparison(shifts, summary, "vader_compound")
    row = shifts[shifts["measure"] == "vader_compound"].iloc[-1]
    assert h.measure == "vader_compound" and h.difference == pytest.approx(row["difference"])


def test_coded_sample_reads_a_partly_coded_sheet(tmp_path):
    from scripts import validation_sample as VS

    corp = C.load_corpus(TINY)
    sheet = VS.coding_sheet(VS.draw_sample(corp.sentences, corp.episodes, n=10, min_words=1))
    sheet.loc[sheet.index[:4], "label"] = ["1", "0", "-1", "0"]
    sheet.loc[sheet.index[4], ["label", "text"]] = ["1", "A sentence that is not in the corpus any more."]
    sheet.loc[sheet.index[4], "sentence_hash"] = ""
    path = tmp_path / "sheet.csv"
    sheet.to_csv(path, index=False)
    sample = T.coded_sample(corp.sentences, path)
    assert (sample.n_rows, sample.n_uncoded, sample.n_unaligned, len(sample.coded)) == (len(sheet), len(sheet) - 5, 1, 4)
    assert not sample.bundled and not sample.in_sample
    profile = T.coded_profile(sample, corp.sentences)
    assert (profile.n_sample, profile.n_aligned, profile.n_uncoded) == (5, 4, len(sheet) - 5)
    scored = TS.score_sentences(corp.sentences)
    table = T.corpus_agreement(scored, sample)
    assert set(table["n"]) <= {0, 1, 2, 3, 4} and not table["in_sample"].any()
    bundled = T.coded_sample(C.load_corpus(ROOT / "seeds").sentences)
    assert bundled.bundled and bundled.in_sample and bundled.n_uncoded == 0 and len(bundled.coded) == bundled.n_rows
    assert T.corpus_agreement(scored, bundled).empty is False


def test_heldout_agreement_reads_the_devcorpus_scores(tmp_path):
    held = T.heldout_agreement()
    raw = pd.read_csv(T.DEVCORPUS_SCORES_FILE)
    test = raw[raw["split"] == "test"]
    assert list(held["language"]) == list(test["language"])
    assert list(held["coop_rho"]) == list(test["coop_rho"]) and list(held["n"]) == list(test["tone_n"])
    assert T.heldout_agreement(tmp_path / "absent.csv").empty


@pytest.mark.e2e
def test_chapter_reports_agreement_on_a_partly_coded_sheet(tmp_path):
    from scripts import validation_sample as VS

    corp = C.load_corpus(TINY)
    sheet = VS.coding_sheet(VS.draw_sample(corp.sentences, corp.episodes, n=12, min_words=1))
    k = 6
    sheet.loc[sheet.index[:k], "label"] = ["1", "0", "-1", "0", "1", "-1"]
    path = tmp_path / "sheet.csv"
    sheet.to_csv(path, index=False)
    g = glued_texts(run_chapter(tmp_path, TINY, n_boot=100, n_perm=99, annotations_file=str(path)))
    assert g["n_annotated"] == k
    assert g["tone_validation_text"].startswith("Spearman ρ of each measure with the hand codes")
    assert "on this corpus" in g["tone_validation_text"] and "in-sample" not in g["tone_validation_text"]
    assert f"{len(sheet) - k} rows of the sheet are not coded yet and ignored" in g["tone_sample_text"]
    assert "fallback rule" in g["headline_language_text"]      # 6 codes: fewer than validity.MIN_CODED
    assert g["vader_role_text"].startswith("VADER is kept as a secondary check")


def test_fragments_of_repeated_texts_are_each_excluded(seeds):
    scored = TS.score_sentences(seeds.sentences.head(30))
    doubled = pd.concat([scored, scored], ignore_index=True)
    kept, frag = T.exclude_fragments(doubled)
    kept1, frag1 = T.exclude_fragments(scored)
    assert len(kept) == 2 * len(kept1) and len(frag) == 2 * len(frag1)
    assert list(frag["reason"]) == list(frag1["reason"]) * 2


# ------------------------------------------------------------------ shared draws equal one call per measure
def _simulated_scored(n_docs: int = 36, seed: int = 3) -> pd.DataFrame:
    """Sentences of ``n_docs`` articles over three episodes and two languages, some VADER values missing."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        episode, language = "abc"[d % 3], ("en", "fr")[d % 2]
        for k in range(int(rng.integers(2, 9))):
            rows.append({"doc_id": f"d{d}", "episode": episode, "language": language, "sentence_id": f"d{d}-{k}",
                         "position": k / 8, "cooperation_index": float(rng.normal()),
                         "vader_compound": float("nan") if rng.random() < 0.1 else float(rng.uniform(-1, 1))})
    return pd.DataFrame(rows)


SIM_EPS = pd.DataFrame({"episode": list("abc"), "label": list("ABC"), "order": [0, 1, 2],
                        "date": pd.to_datetime(["2017-01-01", "2018-01-01", "2019-01-01"])})


def _shifts_one_measure_at_a_time(scored, episodes, measure, n_boot, seed, n_perm, language):
    """The reference: one ``inference.compare`` call per measure (how episode_shifts ran before)."""
    data = scored if language is None else scored[scored["language"] == language]
    data = data[data[measure].notna()]
    present = [e for e in T.E.in_order(episodes) if (data["episode"] == e).any()]
    pairs = I.consecutive_pairs(present)
    cmp = I.compare(data, pairs, n_boot=n_boot, n_perm=n_perm, seed=seed, cols=(measure, "doc_id", "episode"))
    return T._shift_table(cmp, data, present, pairs, episodes, measure, language)  # the table's layout; the test is of cmp


@pytest.mark.parametrize("language", [None, "en", "fr"])
def test_all_shifts_share_labellings_and_equal_one_call_per_measure(language):
    scored = _simulated_scored()
    got = T.all_shifts(scored, SIM_EPS, 200, 5, 999, language)
    want = pd.concat([_shifts_one_measure_at_a_time(scored, SIM_EPS, m, 200, 5, 999, language) for m in T.MEASURES],
                     ignore_index=True)
    pd.testing.assert_frame_equal(got[T.SHIFT_COLUMNS], want)
    for m in T.MEASURES:
        pd.testing.assert_frame_equal(T.episode_shifts(scored, SIM_EPS, m, 200, 5, 999, language).reset_index(drop=True),
                                      want[want["measure"] == m].reset_index(drop=True))


def test_trajectories_share_draws_and_equal_one_bootstrap_per_bin_and_measure():
    from scripts.stats import bootstrap_ci

    scored = _simulated_scored(60)
    for data in (scored, scored.assign(vader_compound=scored["vader_compound"].fillna(0.0))):  # masks differ, then equal
        traj = T.trajectories(data, 4, 300, 11)
        bins = T.position_bins(data["position"], 4)
        for r in traj.itertuples():
            vals = data.loc[bins == r.bin, r.measure].to_numpy()
            assert (r.estimate, r.ci_low, r.ci_high) == bootstrap_ci(vals, 300, 11)
            assert r.n == len(vals)
        pd.testing.assert_frame_equal(T.trajectory(data, "vader_compound", 4, 300, 11),
                                      traj[traj["measure"] == "vader_compound"].reset_index(drop=True))
