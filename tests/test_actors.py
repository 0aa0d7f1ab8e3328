"""Tests of scripts/actors.py on worked examples, on the hand annotations, and the chapter on the tiny corpus."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from scripts import actors as A
from scripts import corpus as C

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gz():
    return A.load_gazetteer()


def frames(texts: list[str], date: str, lang: str = "en", doc_id: str = "d1", par_ids=None):
    """Minimal sentences/documents tables for worked examples."""
    sents = pd.DataFrame({"doc_id": doc_id, "episode": "ep", "language": lang,
                          "par_id": par_ids or [0] * len(texts),
                          "sentence_id": [f"{doc_id}-s{i:03d}" for i in range(len(texts))],
                          "sent_idx": range(len(texts)), "position": 0.0, "text": texts})
    docs = pd.DataFrame({"doc_id": [doc_id], "episode": ["ep"], "language": [lang], "date": [pd.Timestamp(date)],
                         "tokens_clean": [sum(len(t.split()) for t in texts)]})
    return sents, docs


def test_fold_keeps_length():
    assert A.fold("Sergueï Lavrov, État") == "Serguei Lavrov, Etat"
    assert len(A.fold_lower("Œuvre Été")) == len("Œuvre Été")


def test_holder_by_date(gz):
    assert gz.holder("us_secretary_of_state", "2017-04-12") == "tillerson"
    assert gz.holder("us_secretary_of_state", "2019-05-14") == "pompeo"
    assert gz.holder("us_secretary_of_state", "2013-06-01") == "kerry"
    assert gz.holder("us_secretary_of_state", "2018-04-10") == ""  # acting Secretary: vacancy, not guessed
    assert gz.holder("us_president", "2026-01-01") == "trump"
    assert gz.holder("us_president", "2022-01-01") == "biden"
    assert gz.holder("ru_president", "2010-01-01") == "medvedev"
    assert gz.holder("nato_secretary_general", "2025-01-01") == "rutte"
    assert gz.holder("syria_president", "2024-12-20") == ""


def test_role_resolves_to_different_secretaries(gz):
    m17 = A.detect_mentions("Le secrétaire d'État américain a rencontré Lavrov.", "2017-04-12", gz)
    m19 = A.detect_mentions("The Secretary of State met the Russian president.", "2019-05-14", gz)
    assert [(x["actor"], x["method"]) for x in m17] == [("tillerson", "role"), ("lavrov", "name")]
    assert [(x["actor"], x["method"]) for x in m19] == [("pompeo", "role"), ("putin", "role")]


def test_title_plus_name_is_one_mention(gz):
    m = A.detect_mentions("le ministre russe des Affaires étrangères Sergueï Lavrov et US President Donald Trump", "2017-05-10", gz)
    assert [(x["actor"], x["method"], x["titled"]) for x in m] == [("lavrov", "alias", True), ("trump", "name", True)]
    assert m[0]["surface"] == "ministre russe des Affaires étrangères Sergueï Lavrov"
    m = A.detect_mentions("le chef de la diplomatie russe, Sergueï Lavrov, a reçu M. Pompeo", "2019-05-14", gz)
    assert [x["actor"] for x in m] == ["lavrov", "pompeo"] and m[1]["surface"] == "M. Pompeo"


def test_spelling_variants_and_slips(gz):
    m = A.detect_mentions("Bachar el-Assad, Vladimir Poutine and Kim Jong A met Nicolas Maduro.", "2019-05-14", gz)
    assert [x["actor"] for x in m] == ["assad", "putin", "kim_jong_un", "maduro"]
    assert {x["method"] for x in m} == {"alias", "name"}


def test_unresolved_and_former_roles(gz):
    m = A.detect_mentions("The Syrian president spoke.", "2024-12-20", gz)
    assert [(x["actor"], x["method"]) for x in m] == [("", "role-unresolved")]
    m = A.detect_mentions("The former Secretary of State spoke.", "2019-05-14", gz)
    assert m[0]["method"] == "role-unresolved"
    sents, docs = frames(["The Syrian president spoke."], "2024-12-20")
    assert A.find_mentions(sents, docs, gz).empty
    assert list(A.unresolved_roles(sents, docs, gz)["surface"]) == ["Syrian president"]


def test_pronouns_collectives_and_portfolios_are_not_mentions(gz):
    assert A.detect_mentions("He said the two men agreed.", "2019-05-14", gz) == []
    assert A.detect_mentions("le ministre russe de la Défense", "2019-05-14", gz) == []


def test_tiers_and_metonymy(gz):
    sents, docs = frames(["US President Donald Trump called the Kremlin and Moscow answered.", "The UN met."], "2017-05-10")
    persons = A.find_mentions(sents, docs, gz)
    assert list(persons["actor"]) == ["trump"]
    everything = A.find_mentions(sents, docs, gz, tiers=("person", "state", "organisation"))
    assert list(everything["actor"]) == ["trump", "russia", "russia", "un"]  # "US" inside the title is not a state mention
    assert list(everything["method"]) == ["name", "metonym", "metonym", "name"]
    assert list(everything.columns)[:10] == ["doc_id", "episode", "sentence_id", "actor", "name", "kind", "surface",
                                             "method", "start", "end"]


def test_quotes_attribution(gz):
    texts = ["« Nous avons discuté de la Syrie », a déclaré Sergueï Lavrov.",
             "Rex Tillerson a noté le faible niveau de confiance.",
             "« Le niveau est au plus bas », a-t-il ajouté.",
             "\"Democracy is not established by force\", replied the Russian Foreign Minister."]
    sents, docs = frames(texts, "2017-04-12", lang="fr", par_ids=[0, 1, 1, 2])
    q = A.find_quotes(sents, docs, gz)
    assert list(q["actor"]) == ["lavrov", "tillerson", "lavrov"]
    assert list(q["method"]) == ["alias", "pronoun", "role"]
    assert q["quote"].iloc[0] == "Nous avons discuté de la Syrie"
    assert q["verb"].iloc[0] == "déclaré" and q["sentence_id"].iloc[2] == "d1-s003"


def test_quote_speaker_never_from_inside_quote(gz):
    sents, docs = frames(["« Donald Trump a appelé Vladimir Poutine », a-t-il dit."], "2017-04-12", lang="fr")
    q = A.find_quotes(sents, docs, gz)
    assert list(q["actor"]) == [""] and list(q["method"]) == ["unattributed"]


def test_co_mentions_npmi(gz):
    texts = ["Lavrov met Tillerson.", "Lavrov met Tillerson again.", "Putin spoke.", "Nothing here."]
    sents, docs = frames(texts, "2017-04-12")
    m = A.find_mentions(sents, docs, gz)
    co = A.co_mentions(m, sents, min_pair=1)
    row = co[(co["episode"] == "all")].iloc[0]
    assert (row["actor_a"], row["actor_b"], row["windows"], row["documents"], row["n_windows"]) == ("lavrov", "tillerson", 2, 1, 4)
    # p(a,b) = p(a) = p(b) = 1/2: pmi = log 2, npmi = log 2 / log 2 = 1
    assert row["npmi"] == pytest.approx(1.0)
    sents2, _ = frames(texts, "2017-04-12", par_ids=[0, 0, 0, 1])
    co_p = A.co_mentions(m, sents2, window="paragraph", min_pair=1)
    got = {(r.actor_a, r.actor_b): r.npmi for r in co_p[co_p["episode"] == "all"].itertuples()}
    # 2 paragraphs; all three actors in paragraph 0: p = 1/2 each, npmi = 1
    assert got == {("lavrov", "putin"): pytest.approx(1.0), ("lavrov", "tillerson"): pytest.approx(1.0),
                   ("putin", "tillerson"): pytest.approx(1.0)}
    with pytest.raises(ValueError):
        A.co_mentions(m, sents, window="document")


def test_npmi_negative_when_rarer_than_chance(gz):
    texts = ["Lavrov spoke.", "Lavrov spoke.", "Lavrov met Putin.", "Putin spoke.", "Putin spoke."]
    sents, docs = frames(texts, "2017-04-12")
    co = A.co_mentions(A.find_mentions(sents, docs, gz), sents, min_pair=1)
    r = co.iloc[0]
    expected = math.log((1 / 5) / ((3 / 5) * (3 / 5))) / -math.log(1 / 5)
    assert r["npmi"] == pytest.approx(expected) and r["npmi"] < 0


def test_counts_constant_and_counterparts(gz):
    s1, d1 = frames(["Lavrov met Tillerson.", "Lavrov again."], "2017-04-12", doc_id="a")
    s2, d2 = frames(["Lavrov met Pompeo and Trump.", "Pompeo spoke."], "2019-05-14", doc_id="b")
    s2["episode"], d2["episode"] = "ep2", "ep2"
    sents, docs = pd.concat([s1, s2]), pd.concat([d1, d2])
    episodes = pd.DataFrame({"episode": ["ep", "ep2"], "date": pd.to_datetime(["2017-04-12", "2019-05-14"]), "order": [0, 1]})
    m = A.find_mentions(sents, docs, gz)
    counts = A.mention_counts(m, docs)
    assert counts.set_index(["episode", "actor"]).loc[("ep", "lavrov"), "per_1000"] == pytest.approx(1000 * 2 / 5)
    assert list(A.constant_actors(counts, episodes)["actor"]) == ["lavrov"]
    # an episode of the manifest without any text (all its documents skipped) does not empty the list
    with_empty = pd.concat([episodes, pd.DataFrame({"episode": ["ep3"], "date": pd.to_datetime(["2020-01-01"]),
                                                    "order": [2]})], ignore_index=True)
    assert A.constant_actors(counts, with_empty).empty                  # without documents every episode counts
    assert list(A.constant_actors(counts, with_empty, documents=docs)["actor"]) == ["lavrov"]
    assert A.episodes_with_text(with_empty, docs) == ["ep", "ep2"]
    assert A.episodes_with_text(with_empty, docs.assign(tokens_clean=[0, 7])) == ["ep2"]
    assert A.constant_actors(counts, with_empty, documents=docs.iloc[:0]).empty
    cp = A.counterparts("lavrov", episodes, gz)
    assert list(cp["counterpart"]) == ["tillerson", "pompeo"]
    off = A.officials_by_episode(m, docs, gz)
    assert list(off.loc[off["rank"] == 1, "actor"]) == ["tillerson", "pompeo"]


def test_unknown_people_are_provisional_actors(gz):
    """People actors.yml lacks: a first name, or a title cue, makes a person; the surname alone later
    (same article) is the same person; the display name is the fullest form."""
    texts = ["L'opposant Alexeï Navalny reste en prison, a dit Carla Dubois-Marin.",
             "Selon Carla Dubois-Marin, Navalny est malade.",
             "Navalny's lawyers and ambassador Okonkwo spoke; M. Brahimov too."]
    sents, docs = frames(texts, "2021-06-16", lang="fr")
    m = A.find_mentions(sents, docs, gz)
    got = [(r.sentence_id[-1], r.actor, r.name, r.surface) for r in m.itertuples()]
    assert got == [("0", "new:alexei-navalny", "Alexeï Navalny", "Alexeï Navalny"),
                   ("0", "new:carla-dubois-marin", "Carla Dubois-Marin", "Carla Dubois-Marin"),
                   ("1", "new:carla-dubois-marin", "Carla Dubois-Marin", "Carla Dubois-Marin"),
                   ("1", "new:alexei-navalny", "Alexeï Navalny", "Navalny"),
                   ("2", "new:alexei-navalny", "Alexeï Navalny", "Navalny"),
                   ("2", "new:okonkwo", "Okonkwo", "Okonkwo"), ("2", "new:brahimov", "Brahimov", "Brahimov")]
    assert m["provisional"].all() and set(m["method"]) == {"provisional"}
    assert A.find_mentions(sents, docs, gz, provisional=False).empty
    people = A.provisional_people(m, sents)
    assert people[["actor", "mentions", "documents"]].values.tolist()[0] == ["new:alexei-navalny", 3, 1]
    assert people["entry"].iloc[0] == ('- {id: alexei_navalny, name: Alexeï Navalny, kind: person, country: "", '
                                       'names: [Alexeï Navalny, Navalny]}')
    assert people["context"].iloc[0] == texts[0] and people["sentence_id"].iloc[0] == "d1-s000"


def test_non_persons_stay_out(gz):
    texts = ["The Black Sea, the Financial Times and the New START treaty were discussed in Geneva.",
             "Le porte-avions Carl Vinson croise près de la Corée; la Guerre froide est finie.",
             "The Cold War ended; the Paris Agreement and the Geneva Convention hold; Victoria Street is closed.",
             "(AP Photo/Keystone, Martial Trezzini) REUTERS/SAUL LOEB Alex Wong/Getty Images",
             "Will Russia agree? May brings the Arctic Council to Reykjavik."]
    sents, docs = frames(texts, "2021-06-16")
    assert A.find_mentions(sents, docs, gz).empty


def test_surname_alone_of_a_listed_person_named_in_full(gz):
    """"John Sullivan" (ambassador) is listed without his bare surname, which is ambiguous: in an
    article naming him in full, "Sullivan" alone is him - before or after the full name."""
    texts = ["Sullivan will return to Moscow.", "US Ambassador to Russia John Sullivan left in April."]
    sents, docs = frames(texts, "2021-06-16")
    m = A.find_mentions(sents, docs, gz)
    assert [(r.actor, r.method) for r in m.itertuples()] == [("john_sullivan", "surname"), ("john_sullivan", "name")]
    sents, docs = frames(["Sullivan will return to Moscow."], "2021-06-16")
    assert A.find_mentions(sents, docs, gz).empty  # nobody named in full: not guessed
    # a different first name before a listed surname is someone else
    sents, docs = frames(["Ivanka Obamaa and Melania Trump arrived."], "2017-07-07")
    assert "trump" not in set(A.find_mentions(sents, docs, gz)["actor"])


def test_relational_roles_resolve_through_counterparts(gz):
    texts = ["Le secrétaire d'État américain et son homologue russe sont à Genève.",
             "Joe Biden a parlé de son homologue russe.",
             "Blinken met his Russian counterpart on Tuesday.",
             "Vladimir Poutine et son homologue ukrainien Volodymyr Zelensky ont parlé.",
             "Il a mis en garde son interlocuteur.",
             "Les ministres et leurs homologues sont venus."]
    sents, docs = frames(texts, "2021-06-16", lang="fr")
    m = A.find_mentions(sents, docs, gz)
    rel = m[m["method"] == "relational"]
    assert [(r.sentence_id[-1], r.actor, r.surface) for r in rel.itertuples()] == [
        ("0", "lavrov", "son homologue russe"), ("1", "putin", "son homologue russe"),
        ("2", "lavrov", "his Russian counterpart"), ("4", "biden", "son interlocuteur")]  # counterpart of Putin, named first before
    # "son homologue ukrainien Volodymyr Zelensky" is one mention of Zelensky, not of Biden
    s3 = m[m["sentence_id"] == "d1-s003"]
    assert list(s3["actor"]) == ["putin", "zelensky"] and bool(s3["titled"].iloc[1])
    assert m[m["sentence_id"] == "d1-s005"].empty  # plural: a collective


def test_appositions_labels_indefinite_titles_and_variants(gz):
    # the person inside a role phrase is mentioned too; the role names the adviser
    m = A.detect_mentions("Yuri Ushakov, Putin's foreign policy adviser, spoke.", "2019-05-14", gz)
    assert [(x["actor"], x["method"]) for x in m] == [("ushakov", "name"), ("putin", "name")]
    m = A.detect_mentions("Putin's foreign policy adviser spoke.", "2019-05-14", gz)
    assert sorted(x["actor"] for x in m) == ["putin", "ushakov"]
    # a name that labels a government or a period is no mention
    for text in ("The Biden administration imposed sanctions.", "A senior Biden administration official spoke.",
                 "L'administration Biden a réagi.", "Le régime de Bachar al-Assad tient.", "Obama-era documents"):
        assert A.detect_mentions(text, "2021-06-16", gz) == [], text
    # an indefinite title is nobody; a definite one is the holder
    assert A.detect_mentions("A Russian president would never say that.", "2021-06-16", gz) == []
    assert A.detect_mentions("Un ministre russe a parlé.", "2021-06-16", gz) == []
    assert [x["actor"] for x in A.detect_mentions("Le ministre russe a parlé.", "2021-06-16", gz)] == ["lavrov"]
    # spelling variants of titles: accents, typographic apostrophes, "de l'État" for "d'État"
    for text in ("le secretaire d'Etat americain", "le secrétaire d’État américain", "le secrétaire de l'État américain",
                 "le chef de l’Etat russe", "le chef d'État russe"):
        got = A.detect_mentions(text, "2021-06-16", gz)
        assert [x["method"] for x in got] == ["role"], text


def test_office_timelines_of_the_episodes(gz):
    """Office holders at the dates of the development-corpus episodes (public office lists)."""
    at = {"2013-09-14": {"us_secretary_of_state": "kerry", "us_president": "obama", "ru_president": "putin",
                         "ru_prime_minister": "medvedev", "ru_foreign_minister": "lavrov", "un_envoy_syria": "brahimi",
                         "us_ambassador_to_russia": "mcfaul", "ru_ambassador_to_us": "kislyak"},
          "2017-07-07": {"us_secretary_of_state": "tillerson", "us_president": "trump", "ru_ambassador_to_us": "kislyak",
                         "us_ambassador_to_russia": "tefft"},
          "2019-12-10": {"us_secretary_of_state": "pompeo", "ru_ambassador_to_us": "antonov", "us_ambassador_to_russia": ""},
          "2021-05-19": {"us_secretary_of_state": "blinken", "us_president": "biden", "us_ambassador_to_russia": "john_sullivan"},
          "2021-06-16": {"us_president": "biden", "ru_ambassador_to_us": "antonov", "ru_prime_minister": "mishustin"}}
    for date, holders in at.items():
        for office, actor in holders.items():
            assert gz.holder(office, date) == actor, (date, office)
    assert gz.counterpart_of("antonov", "2021-06-16") == ("us_ambassador_to_russia", "john_sullivan")


@pytest.fixture(scope="module")
def seeds():
    return C.load_corpus(ROOT / "seeds")


def test_precision_recall_on_hand_annotations(seeds, gz):
    gold = A.load_annotations(ROOT / "scripts" / "data" / "validation" / "actor_annotations")
    docs = A.annotated_documents(gold, seeds.sentences)
    assert {"000", "003"} <= set(docs)  # one English, one French
    pred = A.find_mentions(seeds.sentences, seeds.documents, gz)
    ev = A.evaluate_mentions(pred[pred["doc_id"].isin(docs)], gold, docs).set_index("doc_id")
    assert ev.loc["all", "gold"] >= 50
    assert ev.loc["all", "precision"] >= 0.95
    assert ev.loc["all", "recall"] >= 0.95
    for d in docs:
        assert ev.loc[d, "recall"] >= 0.9


def test_evaluate_counts_wrong_actor_as_error():
    gold = pd.DataFrame({"doc_id": ["x", "x"], "sentence_id": ["x-s000", "x-s000"], "actor": ["a", "b"], "surface": ["A", "B"]})
    pred = pd.DataFrame({"doc_id": ["x", "x"], "sentence_id": ["x-s000", "x-s000"], "actor": ["a", "c"]})
    ev = A.evaluate_mentions(pred, gold).set_index("doc_id")
    assert (ev.loc["all", "tp"], ev.loc["all", "precision"], ev.loc["all", "recall"]) == (1, 0.5, 0.5)


def test_unseen_fixture_texts(gz):
    """Texts the gazetteer was not written from (2021): roles resolve to Blinken and Biden."""
    corp = C.load_corpus(ROOT / "tests" / "fixtures" / "tiny")
    m = A.find_mentions(corp.sentences, corp.documents, gz)
    geneva = m[m["doc_id"] == "geneva_en"]
    assert "blinken" in set(geneva.loc[geneva["method"] == "role", "actor"])
    assert {"biden", "putin", "lavrov", "blinken"} <= set(geneva["actor"])
    q = A.find_quotes(corp.sentences, corp.documents, gz)
    assert "biden" in set(q["actor"])


@pytest.mark.e2e
def test_chapter_runs_on_tiny_corpus(tmp_path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "actors.ipynb"
    papermill.execute_notebook(str(ROOT / "chapters" / "03_actors.ipynb"), str(out), cwd=str(ROOT / "chapters"),
                               kernel_name="python3", progress_bar=False,
                               parameters={"seeds_dir": str(ROOT / "tests" / "fixtures" / "tiny"),
                                           "data_dir": str(tmp_path / "data"), "fig_dir": str(tmp_path / "fig"),
                                           "window": "paragraph", "min_count": 1, "tiers": "person,state,organisation"})
    for name in ("actor_mentions", "co_mentions", "speakers", "provisional_actors"):
        assert (tmp_path / "data" / f"{name}.csv").is_file()
    co = pd.read_csv(tmp_path / "data" / "co_mentions.csv")
    assert list(co.columns) == ["episode", "actor_a", "actor_b", "paragraphs", "documents", "episodes", "npmi"]
    speakers = pd.read_csv(tmp_path / "data" / "speakers.csv")
    assert {"sentence_id", "method", "verb"} <= set(speakers.columns)
    assert (tmp_path / "fig" / "actors_networks.png").is_file() and (tmp_path / "fig" / "actors_mentions.png").is_file()
    import nbformat

    glued = {o.metadata["scrapbook"]["name"]: o.data.get("application/papermill.record/text/plain", "")
             for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", []) if "scrapbook" in o.get("metadata", {})}
    # every glue name the Findings and Methods pages read exists
    assert {"constant_sentence", "counterpart_sentence", "us_officials_sentence", "top_pair_sentence",
            "top_speaker_text", "accuracy_text"} <= set(glued)
    # the glued sentences the chapter and the Findings page print (tiny: no annotated document, 2 episodes)
    assert glued["accuracy_text"] == "'No hand-annotated document belongs to this corpus, so precision and recall were not measured.'"
    assert glued["constant_sentence"].startswith("'Mentioned in every episode (2 persons): Vladimir Putin and Sergei Lavrov. "
                                                 "The most consistently present is Vladimir Putin: even in the episode where")
    assert glued["top_pair_sentence"].startswith("'The pair of persons most often named in the same paragraph is ")
    assert glued["quotes_text"].startswith("'3 direct quotations of at least 3 words were found")
    assert glued["us_officials_sentence"] == ("'The most-mentioned US office holder of each episode: Rex Tillerson in "
                                              "Moscow, April 2017 (4 mentions) and Joe Biden in Geneva, June 2021 (5 mentions).'")


def test_pronoun_skips_sentence_whose_subject_is_a_pronoun(gz):
    """Seed 001: "celui-ci devrait rencontrer le président Poutine" names Putin as an object; the
    following "a-t-il conclu" goes back to Pompeo, the subject named before."""
    texts = ["Ces idées seront présentées par Pompeo à Lavrov à Sotchi.",
             "En outre, celui-ci devrait également y rencontrer le président Poutine.",
             "« On verra à quel point nous pouvons faire des progrès » a-t-il conclu.",
             "Il est possible que Poutine le reçoive.",
             "« Nous verrons », a-t-il dit."]
    sents, docs = frames(texts, "2019-05-14", lang="fr", par_ids=[0, 0, 0, 1, 1])
    q = A.find_quotes(sents, docs, gz)
    assert list(q["actor"]) == ["pompeo", "putin"]  # impersonal "il est" is not a subject pronoun
    assert list(q["method"]) == ["pronoun", "pronoun"]
    sents, docs = frames(["Trump met Lavrov.", "He also saw Putin.", "\"It went well,\" he said."], "2017-05-10")
    assert list(A.find_quotes(sents, docs, gz)["actor"]) == ["trump"]


@pytest.fixture()
def two_episodes(gz):
    s1, d1 = frames(["Lavrov met Tillerson.", "Lavrov again.", "« Nous avons parlé », a déclaré Lavrov.",
                     "The Secretary of State spoke."], "2017-04-12", doc_id="a")
    s2, d2 = frames(["Lavrov met Pompeo and Trump.", "Pompeo spoke.", "« Bien », a-t-il dit."], "2019-05-14", doc_id="b")
    s2["episode"], d2["episode"] = "ep2", "ep2"
    sents, docs = pd.concat([s1, s2], ignore_index=True), pd.concat([d1, d2], ignore_index=True)
    episodes = pd.DataFrame({"episode": ["ep2", "ep"], "label": ["Second", "First"],
                             "date": pd.to_datetime(["2019-05-14", "2017-04-12"]), "order": [1, 0]})
    m = A.find_mentions(sents, docs, gz)
    return sents, docs, episodes, m, A.mention_counts(m, docs)


def test_mention_totals_ranking_and_matrix(two_episodes):
    sents, docs, episodes, m, counts = two_episodes
    # ep: Lavrov x3 + Tillerson x2 (one by role); ep2: Lavrov, Pompeo x2, Trump
    t = A.mention_totals(m)
    assert (t.n_mentions, t.n_persons) == (9, 4) and t.share_role == pytest.approx(1 / 9)
    assert A.mention_totals(m.iloc[:0]) == A.MentionTotals(0, 0, 0.0)
    assert A.persons_by_mentions(counts) == ["lavrov", "pompeo", "tillerson", "trump"]  # 4, 2, 2, 1: ties by id
    assert A.persons_by_mentions(counts, min_count=2) == ["lavrov", "pompeo", "tillerson"]
    mx = A.mention_matrix(counts, episodes, top_n=2)
    assert list(mx.columns) == ["actor", "name", "ep", "ep2"]  # episodes in date order, not manifest order
    assert mx.values.tolist() == [["lavrov", "Sergei Lavrov", 3, 1], ["pompeo", "Mike Pompeo", 0, 2]]


def test_counterparts_of_the_constant_person_and_top_officials(two_episodes, gz):
    sents, docs, episodes, m, counts = two_episodes
    constant = A.constant_actors(counts, episodes, documents=docs)
    facing = A.constant_counterparts(constant, counts, episodes, docs, gz)
    assert facing[["episode", "counterpart", "mentions"]].values.tolist() == [["ep", "tillerson", 2], ["ep2", "pompeo", 2]]
    assert set(facing["counterpart_office"]) == {gz.offices["us_secretary_of_state"]["label"]}
    assert A.constant_counterparts(constant.iloc[:0], counts, episodes, docs, gz).empty
    top = A.top_officials(m, docs, episodes, gz)
    assert top[["episode", "actor", "mentions"]].values.tolist() == [["ep", "tillerson", 2], ["ep2", "pompeo", 2]]
    # the US office holder most mentioned need not be the counterpart: Trump outnumbers Pompeo
    extra = pd.concat([m] + [m[m["actor"] == "trump"].assign(sentence_id=f"b-s01{i}") for i in range(2)], ignore_index=True)
    top = A.top_officials(extra, docs, episodes, gz)
    assert top[["episode", "actor", "mentions"]].values.tolist() == [["ep", "tillerson", 2], ["ep2", "trump", 3]]
    facing = A.constant_counterparts(constant, A.mention_counts(extra, docs), episodes, docs, gz)
    assert facing["counterpart"].tolist() == ["tillerson", "pompeo"]
    assert A.top_officials(m.iloc[:0], docs, episodes, gz).empty


def test_roles_by_date_and_office_resolution(two_episodes, gz):
    sents, docs, episodes, m, counts = two_episodes
    roles = A.role_resolutions(m, docs, gz)
    by_date = A.roles_by_date(roles)
    assert list(by_date.columns) == ["office", "date", "name", "phrases", "mentions"]
    assert by_date[["name", "phrases", "mentions"]].values.tolist() == [["Rex Tillerson", ["secretary of state"], 1]]
    assert A.office_resolution(roles, gz) == A.OfficeResolution("us_secretary_of_state", "US Secretary of State", 1)
    two = pd.concat([roles, roles.assign(actor="pompeo", name="Mike Pompeo")], ignore_index=True)
    assert A.office_resolution(two, gz).persons == 2
    assert A.office_resolution(roles.iloc[:0], gz).persons == 0
    assert A.office_resolution(roles, gz, office="no_such_office") == A.OfficeResolution("no_such_office", None, 0)


def test_co_mentions_order_top_pair_and_pair_matrix(two_episodes):
    sents, docs, episodes, m, counts = two_episodes
    co = A.co_mentions(m, sents, episodes=episodes, min_pair=1)
    # scopes in date order with "all" last; within a scope most windows first, then highest NPMI
    assert co["episode"].tolist() == ["ep", "ep2", "ep2", "ep2", "all", "all", "all", "all"]
    for _, scope in co.groupby("episode", sort=False):
        assert list(zip(-scope["windows"], -scope["npmi"])) == sorted(zip(-scope["windows"], -scope["npmi"]))
    # pooled over the episodes where both are mentioned: Trump appears only in ep2 (3 sentences, Lavrov in 1
    # of them, with Trump), so Lavrov-Trump is scored on ep2 alone (NPMI 1), not on the 7 sentences of both
    top = A.top_pair(co)
    assert (top["actor_a"], top["actor_b"], top["windows"], top["episodes"], top["n_windows"]) == ("lavrov", "trump", 1, 1, 3)
    assert top["npmi"] == pytest.approx(1.0)
    pt = co[(co["episode"] == "all") & (co["actor_a"] == "pompeo")].iloc[0]
    assert pt["npmi"] == pytest.approx(math.log((1 / 3) / ((2 / 3) * (1 / 3))) / -math.log(1 / 3))
    # Lavrov and Tillerson are both mentioned only in ep: scored on its 4 sentences
    lt = co[(co["episode"] == "all") & (co["actor_b"] == "tillerson")].iloc[0]
    assert (lt["episodes"], lt["n_windows"], lt["count_a"], lt["count_b"]) == (1, 4, 3, 2)
    lavrov_pompeo = co[(co["episode"] == "all") & (co["actor_b"] == "pompeo")].iloc[0]
    assert (lavrov_pompeo["episodes"], lavrov_pompeo["count_a"], lavrov_pompeo["n_windows"]) == (1, 1, 3)
    assert A.top_pair(co.iloc[:0]) is None
    # the most frequent pair wins over a higher NPMI
    more = co[co["episode"] == "all"].copy()
    more.loc[more.index[-1], "windows"] = 5
    assert tuple(A.top_pair(more)[["actor_a", "actor_b", "windows"]]) == ("lavrov", "tillerson", 5)
    mx = A.pair_matrix(co, episodes)
    assert list(mx.columns) == ["actor_a", "actor_b", "name_a", "name_b", "episode", "windows", "documents"]
    cells = {(r.actor_a, r.actor_b, r.episode): (r.windows, r.documents) for r in mx.itertuples()}
    assert cells[("lavrov", "tillerson", "ep")] == (1, 1) and cells[("lavrov", "tillerson", "ep2")] == (0, 0)
    assert cells[("pompeo", "trump", "ep2")] == (1, 1)
    # the same pairs, in the same order, as the table over all episodes (most windows, then NPMI)
    overall = co[co["episode"] == "all"]
    assert list(dict.fromkeys(zip(mx["actor_a"], mx["actor_b"]))) == list(zip(overall["actor_a"], overall["actor_b"]))
    assert mx["actor_a"].nunique() and len(A.pair_matrix(co, episodes, top_n=2)) == 2 * 2
    assert A.pair_matrix(co[co["episode"] == "all"], episodes).empty


def test_npmi_only_from_min_pair_windows(two_episodes):
    """Issue 11: a pair met in one sentence gets no NPMI (the extreme values came from such pairs)."""
    sents, docs, episodes, m, counts = two_episodes
    co = A.co_mentions(m, sents, episodes=episodes)  # min_pair=2 by default
    assert co["npmi"].isna().all() and (co["windows"] == 1).all()
    texts = ["Lavrov met Blinken.", "Lavrov and Blinken spoke.", "Putin waited.", "Blinken left."]
    s2, d2 = frames(texts, "2021-05-19")
    co2 = A.co_mentions(A.find_mentions(s2, d2), s2, min_pair=2)
    row = co2[co2["episode"] == "all"].set_index(["actor_a", "actor_b"]).loc[("blinken", "lavrov")]
    assert row["windows"] == 2 and not math.isnan(row["npmi"])


def test_quote_shares_and_top_speakers(two_episodes, gz):
    sents, docs, episodes, m, counts = two_episodes
    q = A.find_quotes(sents, docs, gz)  # "Nous avons parlé" (Lavrov, by name), "Bien" (Pompeo, by pronoun)
    assert A.quote_shares(q, min_words=1) == A.QuoteShares(n_quotes=2, share_attributed=1.0, share_named=0.5,
                                                           share_pronoun=0.5, min_words=1)
    assert A.quote_shares(q, min_words=3) == A.QuoteShares(1, 1.0, 1.0, 0.0, 3)
    assert A.quote_shares(q, min_words=9) == A.QuoteShares(0, 0.0, 0.0, 0.0, 9)
    top = A.top_speakers(A.speaker_counts(q, min_words=1), episodes)
    assert top[["episode", "actor", "quotes"]].values.tolist() == [["ep", "lavrov", 1], ["ep2", "pompeo", 1]]
    assert A.top_speakers(A.speaker_counts(q, min_words=9), episodes).empty
    # an unattributed quotation is never the top speaker, however many there are
    sp = pd.DataFrame({"episode": ["ep", "ep"], "actor": ["", "lavrov"], "name": ["", "Sergei Lavrov"],
                       "quotes": [5, 1], "words": [50, 3]})
    assert A.top_speakers(sp, episodes)["actor"].tolist() == ["lavrov"]


def test_kind_counts_and_evaluation_outside_the_annotated_corpus(gz):
    sents, docs = frames(["Trump called the Kremlin and Moscow answered.", "Trump and the UN."], "2017-05-10")
    k = A.kind_counts(A.find_mentions(sents, docs, gz, tiers=A.KINDS))
    assert k.values.tolist() == [["organisation", "United Nations", 1], ["person", "Donald Trump", 2], ["state", "Russia", 2]]
    pred = pd.DataFrame({"doc_id": ["x"], "sentence_id": ["x-s000"], "actor": ["a"]})
    ev = A.evaluate_on_annotations(pred, sents)  # the bundled annotations match no sentence here
    assert ev.empty and list(ev.columns) == ["doc_id", "gold", "predicted", "tp", "precision", "recall", "f1"]


def test_officials_by_episode_equals_one_lookup_per_mention(any_corpus, gz):
    """Offices are looked up once per (person, date): the table a lookup per mention gives."""
    _, corp = any_corpus
    m = A.find_mentions(corp.sentences, corp.documents, gz)
    dates = corp.documents.set_index("doc_id")["date"]
    people = set(gz.actors.loc[(gz.actors["kind"] == "person") & (gz.actors["country"] == "US"), "id"])
    ref = m[m["actor"].isin(people)].copy()
    ref["office"] = [", ".join(gz.offices[o]["label"] for o in gz.offices_of(a, dates[d])) for a, d in zip(ref["actor"], ref["doc_id"])]
    ref = ref[ref["office"] != ""]
    want = (ref.groupby(["episode", "actor", "name"]).agg(mentions=("sentence_id", "size"), office=("office", "first"))
            .reset_index().sort_values(["episode", "mentions", "actor"], ascending=[True, False, True]))
    want["rank"] = want.groupby("episode").cumcount() + 1
    pd.testing.assert_frame_equal(A.officials_by_episode(m, corp.documents, gz),
                                  want[["episode", "actor", "name", "office", "mentions", "rank"]].reset_index(drop=True))


def test_co_mentions_equal_on_the_corpora_per_window(any_corpus, gz):
    """The pairs of each window come from one pass over the mentions (was a groupby with a lambda per
    window): the same table as the pairs listed window by window."""
    from itertools import combinations

    _, corp = any_corpus
    m = A.find_mentions(corp.sentences, corp.documents, gz)
    for window in ("sentence", "paragraph"):
        co = A.co_mentions(m, corp.sentences, window=window, episodes=corp.episodes, min_pair=1)
        s = corp.sentences.assign(win=corp.sentences["sentence_id"] if window == "sentence"
                                  else corp.sentences["doc_id"] + "#p" + corp.sentences["par_id"].astype(str))
        mm = m[m["actor"] != ""].merge(s[["sentence_id", "win"]], on="sentence_id")
        for ep, g in mm.groupby("episode"):
            want: dict = {}
            for _, actors in g.groupby("win")["actor"]:
                for a, b in combinations(sorted(set(actors)), 2):
                    want[(a, b)] = want.get((a, b), 0) + 1
            got = co[co["episode"] == ep]
            assert dict(zip(zip(got["actor_a"], got["actor_b"]), got["windows"])) == want
