"""The key findings of the summary page (scripts/narrative/findings.py, templates/findings.yml): on
the three corpora, computed from the same tables the chapters write; and on small hand-made tables,
each verdict case worded as the rule allows (no verb of change unless clear, none at all when not
testable); the actors finding labelled by the descriptive rule; the tone shifts read back from the tone
chapter's CSV, not recomputed."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from scripts import actors as A
from scripts import report
from scripts import terms as T
from scripts import tone as TN
from scripts import tone_scores as TS
from scripts.inference import load_verdict_rule
from scripts.narrative import findings as NF
from scripts.narrative.render import template_names

CHANGE_WORDS = re.compile(r"\b(rose|fell|higher|lower|moved)\b")


def corpus_tables(corp):
    """shifts, summary, agenda steps (with verdicts) as chapters/02_terms and 04_tone compute them (fewer resamples)."""
    eps = corp.episodes
    scored, _ = TN.exclude_fragments(TN.attach_actors(TS.score_sentences(corp.sentences),
                                                      A.find_mentions(corp.sentences, corp.documents)))
    hl = TN.pick_headline_language(scored)
    shifts = TN.all_shifts(scored, eps, 100, 0, 99, hl.language)
    summary = TN.tone_summary(scored, scored.iloc[:0].assign(actor=pd.Series(dtype=str)), shifts, 100, 0)
    terms = T.annotate_terms(corp.tokens)
    concepts = T.load_concepts()
    articles = T.article_concepts(T.concept_mentions(corp.sentences, concepts), terms, concepts)
    conc = T.concept_counts(articles, concepts)
    steps = T.agenda_steps(conc, eps)
    tables = T.csv_tables(T.all_frequencies(terms), T.keyness(terms),
                          T.collocations(corp.tokens, corp.sentences, min_count=2, top_n=None), conc, articles, steps,
                          T.agenda_tests(articles, eps, concepts, n_perm=99), eps)
    return shifts, summary, tables["agenda_steps"], tables["concepts"], eps


def actors_facts(corp):
    """The actors finding from ``co_mentions.csv`` and ``actor_mentions.csv`` as chapters/03_actors writes them."""
    mentions = A.find_mentions(corp.sentences, corp.documents)
    co = A.co_mentions(mentions, corp.sentences, window="sentence", episodes=corp.episodes, min_pair=2)
    co = co.rename(columns={"windows": "sentences"})[["episode", "actor_a", "actor_b", "sentences", "documents", "episodes", "npmi"]]
    return NF.actors_finding_facts(co, dict(zip(mentions["actor"], mentions["name"])), corp.documents["doc_id"].nunique())


EXPECTED = {  # statement -> case, per corpus
    "seeds": {"tone_glossed": "not_testable", "sentiment": "not_testable", "agenda": "not_testable", "actors": "one_pair"},
    "tiny": {"tone_glossed": "not_testable", "sentiment": "not_testable", "agenda": "not_testable", "actors": "tied"},
    "one_episode": {"scope": "single_episode", "actors": "too_few"},
}


def test_findings_on_every_corpus_are_labelled_linked_and_claim_nothing_untestable(any_corpus):
    name, corp = any_corpus
    shifts, summary, steps, _, eps = corpus_tables(corp)
    found = NF.key_findings(shifts, summary, steps, eps, actors_facts(corp))
    assert {f.statement: f.case for f in found} == EXPECTED[name]
    assert 1 <= len(found) <= 5 and found[-1].statement == "actors"
    labels = set(load_verdict_rule().labels.values()) | set(NF.load_descriptive_rule().labels.values())
    for f in found:
        text = f.text
        assert f["verdict"] in labels and f"*Confidence: {f['verdict']}.*" in text, text
        assert "Evidence: {numref}" in text or "Evidence: {doc}" in text, text
        assert not re.search(r"\bnan\b|None|–", text), text
        if f.case in ("not_testable", "single_episode", "too_few"):
            assert not CHANGE_WORDS.search(text), text   # no change claimed, nor denied
    md = NF.findings_markdown(found)
    assert md.count("\n- ") + md.startswith("- ") == len(found)
    assert list(NF.findings_table(found)["finding"]) == [f.statement for f in found]


def test_one_episode_makes_no_change_claim_at_all():
    from scripts.corpus import load_corpus
    from tests.conftest import CORPORA

    corp = load_corpus(CORPORA["one_episode"])
    shifts, summary, steps, _, eps = corpus_tables(corp)
    assert shifts.empty and steps.empty
    only, actors = NF.key_findings(shifts, summary, steps, eps, actors_facts(corp))
    assert only.case == "single_episode" and only["verdict"] == "not testable"
    assert actors.case == "too_few" and actors["verdict"] == "too few articles to say" and actors["documents_max"] == 1
    for f in (only, actors):
        assert not re.search(r"\b(rose|fell|higher|lower|no detectable change)\b", f.text)


EPISODES = pd.DataFrame({"episode": ["a", "b"], "label": ["Alpha", "Beta"], "order": [0, 1]})


def _shifts(case: str, direction: str, measure: str = "cooperation_index", k: int = 3) -> pd.DataFrame:
    return pd.DataFrame([{"episode_from": "a", "episode_to": "b", "language": "fr", "measure": measure,
                          "difference": 0.3, "case": case, "direction": direction, "n_articles_from": k, "n_articles_to": k}])


SUMMARY = pd.DataFrame([{"level": "episode_language", "key": f"{e}|fr", "measure": m, "estimate": v}
                        for e, v in (("a", 0.1), ("b", 0.4)) for m in NF.TONE_MEASURES])


@pytest.mark.parametrize("case, direction, words, forbidden", [
    ("clear", "rose", ["Diplomatic tone rose", "0.10 to", "0.40", "Confidence: clear"], ["higher", "not survive"]),
    ("suggestive", "higher", ["was higher", "does not survive", "Confidence: suggestive"], ["rose"]),
    ("no-change", "none", ["no detectable change", "Confidence: no detectable change"], ["rose", "higher"]),
    ("not-testable", "none", ["cannot be compared", "Confidence: not testable"], ["rose", "higher", "0.40"]),
])
def test_each_verdict_case_is_worded_as_the_rule_allows(case, direction, words, forbidden):
    f = NF.tone_finding_facts(_shifts(case, direction), SUMMARY, EPISODES)
    assert f.case == case.replace("-", "_") and f["mean_from"] == 0.1 and f["mean_to"] == 0.4
    for w in words:
        assert w in f.text, (w, f.text)
    for w in forbidden:
        assert w not in f.text, (w, f.text)


def test_the_agenda_finding_is_the_best_supported_then_largest_change():
    steps = pd.DataFrame([
        {"language": "fr", "label": "Syria", "episode_from": "a", "episode_to": "b", "per_1k_from": 9.0, "per_1k_to": 1.0,
         "change": -8.0, "n_articles_from": 3, "n_articles_to": 3, "case": "no-change"},
        {"language": "fr", "label": "Trade", "episode_from": "a", "episode_to": "b", "per_1k_from": 1.0, "per_1k_to": 3.0,
         "change": 2.0, "n_articles_from": 3, "n_articles_to": 3, "case": "clear"},
        {"language": "fr", "label": "Arms", "episode_from": "a", "episode_to": "b", "per_1k_from": 1.0, "per_1k_to": 1.5,
         "change": 0.5, "n_articles_from": 3, "n_articles_to": 3, "case": "clear"}])
    f = NF.agenda_finding_facts(steps, EPISODES)
    assert (f.case, f["concept"], f["direction"]) == ("clear", "Trade", "rose")
    assert "Trade rose" in f.text and "1.0 to 3.0" in f.text
    assert NF.agenda_finding_facts(steps.assign(case=None), EPISODES) is None     # no verdict, no finding
    g = NF.agenda_finding_facts(steps[steps["case"] != "clear"], EPISODES)
    assert g.case == "no_change" and g["concept"] == "Syria" and "no detectable change" in g.text


def test_every_case_of_the_template_is_reachable():
    assert template_names()["findings"] == {
        "tone_glossed": ["clear", "suggestive", "no_change", "not_testable"],
        "sentiment": ["clear", "suggestive", "no_change", "not_testable"],
        "agenda": ["clear", "suggestive", "no_change", "not_testable"],
        "scope": ["single_episode"],
        "actors": ["one_pair", "tied", "too_few", "no_pair"]}


def _co(rows, window="sentences"):
    """Pooled and per-episode rows of co_mentions.csv: (episode, actor_a, actor_b, windows, documents)."""
    return pd.DataFrame([{"episode": e, "actor_a": a, "actor_b": b, window: w, "documents": d, "episodes": 1, "npmi": 0.1}
                         for e, a, b, w, d in rows])


NAMES = {"a": "Ann Alpha", "b": "Bob Beta", "c": "Cy Gamma", "d": "Di Delta"}


@pytest.mark.parametrize("rows, case, words, label", [
    # one leading pair in two articles: "most" is the largest count of shared sentences
    ([("all", "a", "b", 5, 2), ("all", "c", "d", 3, 3), ("e1", "a", "b", 9, 9)], "one_pair",
     ["Ann Alpha and Bob Beta", "most often", "in 5 sentences across 2 of 7 articles"], "descriptive (a count, no test)"),
    # a tie is named as a tie, never ranked by another measure (NPMI)
    ([("all", "c", "d", 4, 2), ("all", "a", "b", 4, 3)], "tied",
     ["Ann Alpha with Bob Beta and Cy Gamma with Di Delta", "tied at 4 sentences each", "at least 2 of 7"],
     "descriptive (a count, no test)"),
    # the leading pair rests on one article: too few articles to say
    ([("all", "a", "b", 6, 1), ("all", "c", "d", 2, 2)], "too_few",
     ["cannot be said", "Ann Alpha and Bob Beta", "(6 sentences), all in a single article", "fewer than 2 articles"],
     "too few articles to say"),
    # a tie where one pair is in a single article: the weaker support decides
    ([("all", "a", "b", 2, 1), ("all", "c", "d", 2, 2)], "too_few", ["share the top count", "one of them in only 1 article"],
     "too few articles to say"),
    ([("e1", "a", "b", 1, 1)], "no_pair", ["no two persons are named in the same sentence of the 7 articles"],
     "descriptive (a count, no test)"),
])
def test_the_actors_finding_follows_the_descriptive_rule(rows, case, words, label):
    f = NF.actors_finding_facts(_co(rows), NAMES, 7)
    assert f.case == case and f["verdict"] == label
    assert f"*Confidence: {label}.*" in f.text
    for w in words:
        assert w in f.text, (w, f.text)
    assert not re.search(r"\b(rose|fell|higher|lower)\b", f.text)


def test_the_actors_finding_counts_paragraphs_when_the_chapter_does():
    f = NF.actors_finding_facts(_co([("all", "a", "b", 3, 2)], window="paragraphs"), NAMES, 4)
    assert f["window"] == "paragraph" and "in 3 paragraphs across 2 of 4 articles" in f.text
    assert NF.actors_finding_facts(_co([("all", "a", "b", 3, 2)]), {}, 4)["name_a"] == "a"  # no name: the id


def test_the_descriptive_rule_is_the_data_file_s():
    rule = NF.load_descriptive_rule()
    assert rule.min_articles == load_verdict_rule().min_articles == 2   # one threshold of "beyond one article"
    assert set(rule.labels) == {"descriptive", "too-few"}


@pytest.mark.parametrize("name", ["tiny", "one_episode"])
def test_the_page_reads_the_tone_chapter_s_shifts_as_written(tmp_path, name):
    """tone_shifts.csv round-trips: the findings computed from the file equal those from the chapter's frame,
    and an edited file changes the finding (the page reads the verdicts; it does not recompute them)."""
    from scripts.corpus import load_corpus
    from tests.conftest import CORPORA

    corp = load_corpus(CORPORA[name])
    shifts, summary, steps, _, eps = corpus_tables(corp)
    report.write_table(shifts, tmp_path, "tone_shifts")
    back = NF.read_shifts(tmp_path)
    assert list(back.columns) == list(shifts.columns) and len(back) == len(shifts)
    assert [f.text for f in NF.key_findings(back, summary, steps, eps)] == [f.text for f in NF.key_findings(shifts, summary, steps, eps)]
    if len(shifts):
        edited = shifts.assign(case="clear", label="clear", direction="rose")
        report.write_table(edited, tmp_path, "tone_shifts")
        tone = NF.key_findings(NF.read_shifts(tmp_path), summary, steps, eps)[0]
        assert tone.case == "clear" and "Diplomatic tone rose" in tone.text
