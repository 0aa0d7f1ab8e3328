"""Tests of scripts/narrative/actors.py: which case each statement of the actors chapter takes and
with which values (facts), the reader tables, and every statement rendered on the bundled, tiny and
one-episode corpora."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from test_actors import frames  # tests/ is on sys.path once conftest ran

from scripts import actors as A
from scripts.narrative import actors as N
from scripts.narrative import template_names


@pytest.fixture(scope="module")
def gz():
    return A.load_gazetteer()


@pytest.fixture(scope="module")
def two_episodes(gz):
    """Two episodes (manifest order reversed, labels "First"/"Second"): Lavrov faces Tillerson, then Pompeo."""
    s1, d1 = frames(["Lavrov met Tillerson.", "Lavrov again.", "« Nous avons parlé », a déclaré Lavrov.",
                     "The Secretary of State spoke."], "2017-04-12", doc_id="a")
    s2, d2 = frames(["Lavrov met Pompeo and Trump.", "Pompeo spoke.", "« Bien », a-t-il dit."], "2019-05-14", doc_id="b")
    s2["episode"], d2["episode"] = "ep2", "ep2"
    sents, docs = pd.concat([s1, s2], ignore_index=True), pd.concat([d1, d2], ignore_index=True)
    episodes = pd.DataFrame({"episode": ["ep2", "ep"], "label": ["Second", "First"],
                             "date": pd.to_datetime(["2019-05-14", "2017-04-12"]), "order": [1, 0]})
    m = A.find_mentions(sents, docs, gz)
    return sents, docs, episodes, m, A.mention_counts(m, docs)


# --------------------------------------------------------------------------- facts
def test_mentions_facts():
    f = N.mentions_facts(A.MentionTotals(n_mentions=9, n_persons=4, share_role=1 / 9))
    assert f.case == "found" and (f["n_mentions"], f["n_persons"]) == (9, 4)
    assert f.text.startswith("The detector finds 9 mentions of 4 persons; 11% of them")
    assert N.mentions_facts(A.MentionTotals(0, 0, 0.0)).case == "none"
    p = N.mentions_facts(A.MentionTotals(9, 4, 1 / 9, n_provisional=1, n_provisional_mentions=2))
    assert p.case == "found_provisional" and (p["n_provisional"], p["n_provisional_mentions"]) == (1, 2)
    assert "1 person (2 mentions) is provisional" in p.text  # agreement is the point


def test_provisional_facts_say_when_the_table_is_cut(gz):
    sents, docs = frames(["L'opposant Alexeï Navalny et Carla Dubois-Marin.", "M. Okonkwo aussi."], "2021-06-16", lang="fr")
    people = A.provisional_people(A.find_mentions(sents, docs, gz), sents)
    assert N.provisional_facts(people, shown=5).case == "all"
    cut = N.provisional_facts(people, shown=2)
    assert cut.case == "cut" and (cut["n"], cut["shown"], cut["mentions"]) == (3, 2, 3)
    assert N.provisional_facts(people.iloc[:0], shown=5).case == "none"
    t = N.provisional_table(people, top_n=2, width=20)
    assert list(t.columns) == ["person", "mentions", "articles", "forms", "context", "entry"] and len(t) == 2
    assert t["context"].iloc[0].endswith(" …") and len(t["context"].iloc[0]) <= 22


def test_constant_facts_rank_only_over_several_episodes():
    two = pd.DataFrame({"name": ["Sergei Lavrov", "Vladimir Putin"]})
    f = N.constant_facts(two, n_episodes=3)
    assert f.case == "every_episode_ranked" and f["names"] == ["Sergei Lavrov", "Vladimir Putin"]
    assert "The most consistently present is Sergei Lavrov: even in the episode where Sergei Lavrov is mentioned least" in f.text
    assert "highest lowest" not in f.text
    assert N.constant_facts(two.iloc[:1], n_episodes=3).case == "every_episode"
    # one episode: everyone mentioned is "in every episode", so nobody is called the most consistent
    single = N.constant_facts(two, n_episodes=1)
    assert single.case == "single_episode" and "most consistently" not in single.text
    assert N.constant_facts(two.iloc[:0], n_episodes=3).case == "nobody_in_every"
    assert N.constant_facts(two.iloc[:0], n_episodes=1).case == "nobody"
    assert N.constant_facts(two.iloc[:0], n_episodes=0).case == "nobody_in_every"


def test_counterpart_and_us_officials_facts(two_episodes, gz):
    sents, docs, episodes, m, counts = two_episodes
    constant = A.constant_actors(counts, episodes, documents=docs)
    facing = A.constant_counterparts(constant, counts, episodes, docs, gz)
    f = N.counterpart_facts(constant, facing, episodes)
    assert f.case == "faced" and f["name"] == "Sergei Lavrov"
    assert (f["office"], f["counterpart_office"]) == (gz.offices["ru_foreign_minister"]["label"],
                                                      gz.offices["us_secretary_of_state"]["label"])
    assert f["counterparts"] == ["Rex Tillerson in First (2 mentions)", "Mike Pompeo in Second (2 mentions)"]  # date order
    # the office facing the constant person was vacant at every date
    assert N.counterpart_facts(constant, facing.assign(counterpart="", counterpart_name=""), episodes).case == "no_office"
    assert N.counterpart_facts(constant, facing.iloc[:0], episodes).case == "no_office"
    assert N.counterpart_facts(constant.iloc[:0], facing.iloc[:0], episodes).case == "no_constant"
    u = N.us_officials_facts(A.top_officials(m, docs, episodes, gz), episodes)
    assert u.case == "per_episode" and u["officials"] == f["counterparts"] and u["country"] == "US"
    assert N.us_officials_facts(A.top_officials(m.iloc[:0], docs, episodes, gz), episodes).case == "none"


def test_secretaries_facts():
    label = "US Secretary of State"
    cases = {n: N.secretaries_facts(A.OfficeResolution("us_secretary_of_state", label, n)) for n in (0, 1, 2)}
    assert [cases[n].case for n in (0, 1, 2)] == ["none", "single", "several"]
    assert cases[2]["n"] == 2 and cases[2]["office"] == label
    # an office the gazetteer lacks is named by its id
    assert N.secretaries_facts(A.OfficeResolution("no_such_office", None, 0))["office"] == "no_such_office"


def test_top_pair_facts(two_episodes):
    sents, docs, episodes, m, counts = two_episodes
    pair = A.top_pair(A.co_mentions(m, sents, episodes=episodes, min_pair=1))
    f = N.top_pair_facts(pair, "sentence")
    assert f.case == "pair" and (f["name_a"], f["name_b"], f["windows"], f["documents"]) == ("Sergei Lavrov", "Donald Trump", 1, 1)
    assert "(1 sentence in 1 article, NPMI" in f.text  # singular window, and the articles carrying the pair
    rare = N.top_pair_facts(A.top_pair(A.co_mentions(m, sents, episodes=episodes, min_pair=2)), "sentence", min_pair=2)
    assert rare.case == "pair_rare" and rare["npmi"] is None
    s = N.top_pair_sentence_facts(pair, "sentence")
    assert s.case == "pair" and s["pair"] == f.text
    assert N.top_pair_facts(None, "paragraph").case == "none"
    none = N.top_pair_sentence_facts(None, "paragraph")
    assert none.case == "none" and none["window"] == "paragraph"
    rule = N.npmi_rule_facts(A.co_mentions(m, sents, episodes=episodes), "sentence", 2)
    assert rule.case == "rule" and (rule["n_pairs"], rule["n_rare"], rule["min_pair"]) == (4, 4, 2)
    assert N.npmi_rule_facts(A.co_mentions(m, sents, episodes=episodes).iloc[:0]).case == "no_pair"


def test_quotes_and_top_speaker_facts(two_episodes, gz):
    sents, docs, episodes, m, counts = two_episodes
    f = N.quotes_facts(A.QuoteShares(n_quotes=2, share_attributed=1.0, share_named=0.5, share_pronoun=0.5, min_words=1))
    assert f.case == "found" and (f["n_quotes"], f["share_pronoun"], f["min_words"]) == (2, 0.5, 1)
    c = N.quotes_facts(A.QuoteShares(4, 1.0, 0.5, 0.25, 1, share_context=0.25))
    assert c.case == "found_context" and c["share_context"] == 0.25
    assert f.text.startswith("2 direct quotations of at least 1 word were found")
    one = N.quotes_facts(A.QuoteShares(1, 1.0, 1.0, 0.0, 3))
    assert one.text.startswith("1 direct quotation of at least 3 words was found")  # agreement is the point
    assert N.quotes_facts(A.QuoteShares(0, 0.0, 0.0, 0.0, 9)).case == "none"
    q = A.find_quotes(sents, docs, gz)
    t = N.top_speaker_facts(A.top_speakers(A.speaker_counts(q, min_words=1), episodes), episodes)
    assert t.case == "per_episode"
    assert t["speakers"] == ["Sergei Lavrov in First (1 quotation)", "Mike Pompeo in Second (1 quotation)"]
    assert N.top_speaker_facts(A.top_speakers(A.speaker_counts(q, min_words=9), episodes), episodes).case == "nobody"


def _evaluation(precision: float, recall: float) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["x", "all"], "gold": [2, 2], "predicted": [1, 1], "tp": [1, 1],
                         "precision": [precision] * 2, "recall": [recall] * 2, "f1": [0.67] * 2})


def test_accuracy_facts_say_when_scores_are_in_sample():
    f = N.accuracy_facts(_evaluation(1.0, 0.5), bundled=False)
    assert f.case == "measured" and (f["docs"], f["gold"], f["precision"], f["recall"]) == (["x"], 2, 1.0, 0.5)
    assert not f["in_sample"] and "gazetteer" not in f.text
    fb = N.accuracy_facts(_evaluation(1.0, 0.5))
    assert fb["in_sample"] and fb.text.startswith(f.text)
    assert "read while the gazetteer was written" in fb.text  # the caveat is the point
    nothing = N.accuracy_facts(_evaluation(float("nan"), 0.0), bundled=False)
    assert nothing["precision"] is None
    assert "precision undefined (no mention detected) and recall 0.00" in nothing.text
    none = N.accuracy_facts(_evaluation(1.0, 1.0).iloc[:0])
    assert none.case == "none" and "gazetteer" not in none.text


# --------------------------------------------------------------------------- reader tables
def test_mention_and_role_tables(two_episodes, gz):
    sents, docs, episodes, m, counts = two_episodes
    t = N.mention_table(A.mention_matrix(counts, episodes, top_n=2), counts, episodes)
    assert list(t.columns) == ["person", "First", "Second"]  # date order, labels
    rate = counts.set_index(["episode", "actor"])["per_1000"]
    assert t.values.tolist() == [["Sergei Lavrov", f"3 ({rate['ep', 'lavrov']:.1f})", f"1 ({rate['ep2', 'lavrov']:.1f})"],
                                 ["Mike Pompeo", "0 (0.0)", f"2 ({rate['ep2', 'pompeo']:.1f})"]]
    # with the article counts: in the column heads and beside every figure
    ta = N.mention_table(A.mention_matrix(counts, episodes, top_n=2), counts, episodes, A.articles_per_episode(docs))
    assert list(ta.columns) == ["person", "First (1 article)", "Second (1 article)"]
    assert ta.iloc[0, 1] == f"3 ({rate['ep', 'lavrov']:.1f}) in 1" and ta.iloc[1, 1] == "0 (0.0)"
    prov = counts.assign(provisional=counts["actor"] == "pompeo", actor=counts["actor"].replace("pompeo", "new:mike-pompeo"))
    tp = N.mention_table(A.mention_matrix(prov, episodes, top_n=2), prov, episodes)
    assert tp["person"].tolist() == ["Sergei Lavrov", "Mike Pompeo (provisional)"]
    roles = A.role_resolutions(m, docs, gz)
    rt = N.role_table(A.roles_by_date(roles))
    assert list(rt.columns) == ["office", "article date", "resolved to", "phrases", "mentions"]
    assert rt.iloc[0][["article date", "resolved to", "phrases", "mentions"]].tolist() == [
        "2017-04-12", "Rex Tillerson", "secretary of state", 1]
    two = pd.concat([roles, roles.assign(phrase="top american diplomat")], ignore_index=True)
    assert N.role_table(A.roles_by_date(two))["phrases"].tolist() == ["secretary of state; top american diplomat"]
    sents_u, docs_u = frames(["The Syrian president spoke."], "2024-12-20")
    ut = N.unresolved_table(A.unresolved_roles(sents_u, docs_u, gz))
    assert ut.values.tolist() == [["d1", "2024-12-20", "Syrian president"]]


def test_pair_speaker_example_and_tier_tables(two_episodes, gz):
    sents, docs, episodes, m, counts = two_episodes
    co = A.co_mentions(m, sents, episodes=episodes, min_pair=1)
    pt = N.pair_table(co, "sentence", top_n=3)
    assert list(pt.columns) == ["pair", "sentences", "articles", "episodes", "NPMI"] and len(pt) == 3
    assert pt["pair"].iloc[0] == "Sergei Lavrov – Donald Trump" and pt["NPMI"].iloc[0] == "1.00"
    assert N.pair_table(A.co_mentions(m, sents, episodes=episodes), "sentence")["NPMI"].tolist() == ["–"] * 4
    pe = N.pair_episode_table(A.pair_matrix(co, episodes), episodes)
    assert list(pe.columns) == ["pair", "First", "Second"]
    assert pe.set_index("pair").loc["Sergei Lavrov – Rex Tillerson"].tolist() == [1, 0]
    pa = N.pair_episode_table(A.pair_matrix(co, episodes), episodes, A.articles_per_episode(docs))
    assert list(pa.columns) == ["pair", "First (1 article)", "Second (1 article)"]
    assert pa.set_index("pair").loc["Sergei Lavrov – Rex Tillerson"].tolist() == ["1 in 1", "0"]
    assert list(N.pair_episode_table(A.pair_matrix(co.iloc[:0], episodes), episodes).columns) == ["pair"]
    q = A.find_quotes(sents, docs, gz)
    st = N.speaker_table(A.speaker_counts(q, min_words=1), episodes)
    assert st[["episode", "speaker", "quotes"]].values.tolist() == [["First", "Sergei Lavrov", 1], ["Second", "Mike Pompeo", 1]]
    unattributed = pd.DataFrame({"episode": ["ep2", "ep2", "ep"], "actor": ["", "pompeo", "lavrov"],
                                 "name": ["", "Mike Pompeo", "Sergei Lavrov"], "quotes": [1, 3, 2], "words": [5, 9, 6]})
    assert N.speaker_table(unattributed, episodes)["speaker"].tolist() == ["Sergei Lavrov", "Mike Pompeo", "(unattributed)"]
    assert N.pronoun_examples(q, min_words=1).values.tolist() == [["b-s002", "Mike Pompeo", "dit", "Bien"]]
    assert N.pronoun_examples(q, min_words=3).empty
    kinds = pd.DataFrame({"kind": ["person", "person", "state"], "name": ["A", "B", "C"], "mentions": [3, 2, 1]})
    assert N.tier_table(kinds, top_n=1).values.tolist() == [["person", "A", 3], ["state", "C", 1]]


# --------------------------------------------------------------------------- every statement on every corpus
def test_every_statement_renders_on_every_corpus(any_corpus, gz):
    name, corp = any_corpus
    docs, episodes, sents = corp.documents, corp.episodes, corp.sentences
    mentions = A.find_mentions(sents, docs, gz)
    counts = A.mention_counts(mentions, docs)
    constant = A.constant_actors(counts, episodes, documents=docs)
    co = A.co_mentions(mentions, sents, episodes=episodes)
    quotes = A.find_quotes(sents, docs, gz)
    speakers = A.speaker_counts(quotes, min_words=3)
    people = A.provisional_people(mentions, sents)
    facts = [N.mentions_facts(A.mention_totals(mentions)),
             N.constant_facts(constant, len(A.episodes_with_text(episodes, docs))),
             N.counterpart_facts(constant, A.constant_counterparts(constant, counts, episodes, docs, gz), episodes),
             N.us_officials_facts(A.top_officials(mentions, docs, episodes, gz), episodes),
             N.secretaries_facts(A.office_resolution(A.role_resolutions(mentions, docs, gz), gz)),
             N.top_pair_facts(A.top_pair(co)), N.top_pair_sentence_facts(A.top_pair(co)), N.npmi_rule_facts(co),
             N.provisional_facts(people, 24),
             N.quotes_facts(A.quote_shares(quotes, min_words=3)),
             N.top_speaker_facts(A.top_speakers(speakers, episodes), episodes),
             N.accuracy_facts(A.evaluate_on_annotations(mentions, sents))]
    # the item statement is rendered inside the per-episode lists
    assert {f.statement for f in facts} | {"in_episode"} == set(template_names()["actors"])
    for f in facts:
        text = f.text
        assert text and not any(leak in text for leak in ("{", "}", "nan", "None", "  ")), (f.statement, text)
    expected = {"seeds": ("every_episode_ranked", "measured"), "tiny": ("every_episode_ranked", "none"),
                "one_episode": ("single_episode", "none")}[name]
    assert (facts[1].case, facts[-1].case) == expected
    articles = A.articles_per_episode(docs)
    tables = [N.mention_table(A.mention_matrix(counts, episodes), counts, episodes, articles),
              N.pair_table(co), N.pair_episode_table(A.pair_matrix(co, episodes), episodes, articles),
              N.speaker_table(speakers, episodes), N.role_table(A.roles_by_date(A.role_resolutions(mentions, docs, gz)))]
    for t in tables:
        assert not t.empty and not t.isna().any().any()
    assert math.isfinite(A.mention_totals(mentions).share_role)

