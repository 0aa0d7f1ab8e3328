"""Tests of scripts/quotes.py: who a quotation is attributed to, on made-up sentences."""
from __future__ import annotations

import pytest
from test_actors import frames  # tests/ is on sys.path once conftest ran

from scripts import actors as A
from scripts import quotes as Q


@pytest.fixture(scope="module")
def gz():
    return A.load_gazetteer()


def speakers(texts, date="2021-05-19", lang="en", par_ids=None, gz=None):
    sents, docs = frames(texts, date, lang=lang, par_ids=par_ids)
    q = Q.find_quotes(sents, docs, gz)
    return [(r.actor, r.method, r.position) for r in q.itertuples()], q


def test_subject_before_the_verb_wins_over_the_person_after_it(gz):
    got, q = speakers(['"We seek a stable relationship," Blinken told Lavrov.'], gz=gz)
    assert got == [("blinken", "name", "after")] and q["verb"].iloc[0] == "told"
    got, _ = speakers(['"We are ready," said Lavrov.'], gz=gz)  # inversion: the person after the verb
    assert got == [("lavrov", "name", "after")]
    got, _ = speakers(["Blinken told Lavrov that the talks were \"useful\"."], gz=gz)
    assert got == [("blinken", "name", "before")]
    got, _ = speakers(["« Il y a eu un échange très long », a rapporté Rex Tillerson précisant que Donald Trump avait insisté."],
                      date="2017-07-07", lang="fr", gz=gz)
    assert got[0][0] == "tillerson"


def test_a_word_quoted_inside_a_reported_statement_goes_to_the_subject(gz):
    got, _ = speakers(["Putin at a press conference described the talks as “extremely constructive”."], gz=gz)
    assert got == [("putin", "name", "before")]
    got, _ = speakers(["Biden a proposé des rapports plus «prévisibles», jugeant que «deux puissances» devaient négocier."],
                      lang="fr", date="2021-06-16", gz=gz)
    assert [g[0] for g in got] == ["biden", "biden"]


def test_the_latter_and_the_former_are_the_last_and_first_named(gz):
    got, _ = speakers(["Biden a rencontré Poutine.", "« Ce fut constructif », a estimé ce dernier."], lang="fr",
                      date="2021-06-16", gz=gz)
    assert got == [("putin", "anaphor", "after")]
    got, _ = speakers(["Le sommet entre Joe Biden et Vladimir Poutine a été «positif» d'après le premier."],
                      lang="fr", date="2021-06-16", gz=gz)
    assert got == [("biden", "anaphor", "according")]
    got, _ = speakers(["Blinken met Lavrov.", "\"We will answer,\" the latter said."], gz=gz)
    assert got == [("lavrov", "anaphor", "after")]


def test_continuation_quotes_inherit_the_speaker(gz):
    texts = ["« Nous sommes prêts », a déclaré Sergueï Lavrov.", "« Mais pas à tout prix. »"]
    got, _ = speakers(texts, lang="fr", par_ids=[0, 0], gz=gz)
    assert got == [("lavrov", "alias", "after"), ("lavrov", "continuation", "continuation")]
    # the next paragraph opening with a quotation continues too
    got, _ = speakers(texts, lang="fr", par_ids=[0, 1], gz=gz)
    assert [g[0] for g in got] == ["lavrov", "lavrov"]
    # a person named in between breaks the chain
    got, _ = speakers([texts[0], "Blinken a écouté.", "« Mais pas à tout prix. »"], lang="fr", par_ids=[0, 0, 0], gz=gz)
    assert got[-1] == ("", "unattributed", "")
    # later quotations of one sentence continue the first
    got, _ = speakers(['Interfax quoted Putin as saying he had discussed "many issues," including "both Ukraine and Syria".'],
                      date="2017-07-07", gz=gz)
    assert [g[0] for g in got] == ["putin", "putin"] and got[1][1] == "continuation"


def test_institutions_and_impersonal_subjects_speak_for_nobody(gz):
    got, _ = speakers(['Trump warned Lavrov "to stop," a White House readout said.'], date="2019-12-10", gz=gz)
    assert got == [("", "institution", "")]
    got, _ = speakers(["Côté américain, on parle d'une discussion \"constructive\"."], lang="fr", gz=gz)
    assert got == [("", "institution", "")]
    got, _ = speakers(["Lavrov said his country is ready to publish \"secret channel\" notes on the U.S. election."],
                      date="2019-12-10", gz=gz)
    assert got[0][0] == "lavrov"  # a state named after the subject does not take over


def test_pronoun_speaker_and_headline_single_quotes(gz):
    got, _ = speakers(["Lavrov a parlé.", "« En fait nous n'avons pas parlé d'élections », a-t-il dit à la presse à Washington."],
                      lang="fr", date="2019-12-10", gz=gz)
    assert got == [("lavrov", "pronoun", "after")]  # Washington after the verb is no institution speaking
    got, q = speakers(["Leaders agree to resume talks after 'constructive' discussions"], gz=gz)
    assert got == [("", "unattributed", "")] and q["quote"].iloc[0] == "constructive"
    assert Q.quote_spans("Biden's aides and the leaders' talks") == []


def test_unclosed_quote_stops_at_its_sentence_end():
    text = 'Il avait "mis en garde contre toute tentative. Trump a évoqué "l\'ingérence" hier.'
    spans = Q.quote_spans(text, ends=[text.index(". ") + 1, len(text)])
    assert [text[a:b] for a, b in spans] == ['"mis en garde contre toute tentative.', '"l\'ingérence"']


def test_speakers_columns_allow_an_audit(gz):
    _, q = speakers(["« Nous sommes prêts », a déclaré Sergueï Lavrov."], lang="fr", gz=gz)
    assert list(q.columns) == Q.QUOTE_COLUMNS
    assert q[["sentence_id", "verb", "method", "position"]].values.tolist() == [["d1-s000", "déclaré", "alias", "after"]]


def test_provisional_people_can_speak(gz):
    got, q = speakers(['"We will return," said Anatoly Antonovich, a diplomat.'], gz=gz)
    assert got == [("new:anatoly-antonovich", "provisional", "after")] and q["name"].iloc[0] == "Anatoly Antonovich"
