"""scripts/repeats.py: the three repeat measures on hand-made texts, and the results they give on the
bundled seeds and the fixture corpora checked against the definitions written out plainly here."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd
import pytest

from scripts import corpus as C
from scripts import repeats as R

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {"seeds": ROOT / "seeds", "tiny": ROOT / "tests" / "fixtures" / "tiny",
           "one_episode": ROOT / "tests" / "fixtures" / "one_episode"}


def test_words_are_lower_case_runs_of_letters_and_digits():
    assert R.words("L'ONU, 2019 : « Paix » !") == ["l", "onu", "2019", "paix"]


# --------------------------------------------------------------------------- documents
def test_duplicate_documents_detected():
    text = "Les deux ministres ont parlé de la Syrie et de la confiance entre les deux pays pendant trois heures."
    other = "Tout autre chose, sans rapport avec le reste du texte ici."
    assert R.duplicate_documents({"a": text, "b": text, "c": other}, 0.8) == {"b": "a"}
    # three copies all point to the first; a copy with a short extra paragraph is still a copy
    longer = text + " " + text.replace("Syrie", "Corée")
    assert R.duplicate_documents({"a": longer, "b": longer + " Publicité.", "c": longer}, 0.8) == {"b": "a", "c": "a"}


def _all_pairs(texts: dict[str, str], threshold: float) -> dict[str, str]:
    """The definition, pair by pair (what the indexed check must reproduce)."""
    sets = {d: R.shingles(R.words(t)) for d, t in texts.items()}
    out: dict[str, str] = {}
    ids = list(texts)
    for j, b in enumerate(ids):
        for a in ids[:j]:
            if a not in out and R.jaccard_index(sets[a], sets[b]) >= threshold:
                out[b] = a
                break
    return out


def test_duplicate_documents_equals_all_pairs_comparison():
    import random
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(40)]
    base = [" ".join(rng.choices(vocab, k=rng.randint(3, 60))) for _ in range(12)]
    texts = {}
    for k in range(80):  # copies, edited copies, concatenations and short texts
        words = (rng.choice(base) + " " + (rng.choice(base) if rng.random() < 0.3 else "")).split()
        for _ in range(rng.randint(0, 4)):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        texts[f"d{k}"] = " ".join(words)
    for threshold in (0.3, 0.5, 0.8, 0.9, 1.0):
        found = R.duplicate_documents(texts, threshold)
        assert found == _all_pairs(texts, threshold)
    assert R.duplicate_documents(texts, 0.8)  # the corpus does hold duplicates


@pytest.mark.parametrize("seed", range(12))
def test_duplicate_documents_equals_all_pairs_on_random_corpora(seed):
    """Property test: corpora recombined from a small pool of shared paragraphs (the case that made
    prefix filtering quadratic), with edited copies, exact copies, reordered copies, short and empty
    texts, at thresholds from 0.2 to 1: the same mapping as comparing every pair."""
    import random
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(rng.choice((6, 30, 200)))]
    pool = [" ".join(rng.choices(vocab, k=rng.randint(1, 25))) for _ in range(rng.randint(2, 15))]
    texts: dict[str, str] = {}
    for k in range(rng.randint(1, 70)):
        kind = rng.random()
        if kind < 0.1:
            text = rng.choice(["", "w1", "w1 w2 w3", "...", " ".join(rng.choices(vocab, k=4))])
        elif kind < 0.35 and texts:
            words = rng.choice(list(texts.values())).split()
            for _ in range(rng.randint(0, 3)):  # an edited or exact copy of an earlier text
                if words:
                    words[rng.randrange(len(words))] = rng.choice(vocab)
            if rng.random() < 0.3:
                rng.shuffle(words)
            text = " ".join(words)
        else:
            text = "\n\n".join(rng.choices(pool, k=rng.randint(1, 6)))
        texts[f"d{k}"] = text
    found = {}
    for threshold in (0.2, 0.5, 0.7, 0.8, 0.9, 1.0, 1.5):
        found[threshold] = R.duplicate_documents(texts, threshold)
        assert found[threshold] == _all_pairs(texts, threshold), threshold
    assert not found[1.5]
    if len(texts) > 20:  # not a vacuous check: copies are found, and fewer at a stricter threshold
        assert len(found[0.2]) > len(found[0.9]) > 0


def test_shingle_ids_are_the_shingles():
    """One id per distinct shingle of a text, and two texts share as many ids as shingles."""
    texts = ["a b c d e f a b c d e", "b c d e f", "a b", "", "a b", "x " * 12, "c d e f a b"]
    ids = R.shingle_ids(texts)
    sets = [R.shingles(R.words(t)) for t in texts]
    for x in range(len(texts)):
        assert len(ids[x]) == len(set(ids[x].tolist())) == len(sets[x])
        for y in range(len(texts)):
            assert len(set(ids[x].tolist()) & set(ids[y].tolist())) == len(sets[x] & sets[y]), (x, y)


def test_shingles_of_a_short_text_are_the_text():
    assert R.shingles(["a", "b"]) == {("a", "b")}
    assert len(R.shingles(list("abcdefg"))) == 3


# --------------------------------------------------------------------------- paragraphs
def test_near_duplicate_tolerates_changed_words_and_shortened_copies():
    a = R.words("Le ministre a souligné que la Russie ne soutenait pas la résolution sur l'attaque chimique à Idlib.")
    b = R.words("Le ministre a souligné que la Russie ne soutiendrait pas la résolution sur l'attaque chimique d'Idlib.")
    assert R.near_duplicate(b, a, 0.8)
    assert R.near_duplicate(a[:10], a, 0.8)      # a shortened copy is contained in the earlier paragraph
    assert not R.near_duplicate(a, a[:10], 0.8)  # the longer one is not a repeat of its excerpt
    assert not R.near_duplicate(R.words("Un tout autre sujet : la péninsule coréenne et les sanctions."), a, 0.8)


def test_paragraph_repeats_remember_only_kept_paragraphs():
    seen = R.ParagraphRepeats(0.8, 3)
    first = R.words("one two three four five six")
    assert seen.check(first) == ("", -1)
    seen.keep(0, first)
    assert seen.check(first) == ("duplicate", 0)
    assert seen.check(R.words("one two three four five seven")) == ("near-duplicate", 0)
    assert seen.check(R.words("heading")) == ("", -1)  # short paragraphs are compared exactly only
    seen.keep(2, R.words("heading"))
    assert seen.check(R.words("Heading")) == ("duplicate", 2)


def _reference_paragraph_repeats(words: list[list[str]], kept_before: list[bool], threshold: float, min_words: int):
    """The paragraph rule written out: same words as a kept paragraph, or (both ≥ min_words) a
    SequenceMatcher ratio ≥ threshold, or the shorter one's words matched in order at ≥ threshold."""
    out, kept = [], []
    for i, w in enumerate(words):
        if not kept_before[i]:  # dropped for another reason (boilerplate, title): not compared, not kept
            out.append("other")
            continue
        reason = next(("duplicate" for j in kept if words[j] == w), "")
        if not reason and len(w) >= min_words:
            for j in kept:
                if len(words[j]) < min_words:
                    continue
                sm = SequenceMatcher(None, w, words[j], autojunk=False)
                contained = len(w) <= len(words[j]) and sum(b.size for b in sm.get_matching_blocks()) / len(w) >= threshold
                if sm.ratio() >= threshold or contained:
                    reason = "near-duplicate"
                    break
        if not reason:
            kept.append(i)
        out.append(reason)
    return out


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_cleaning_results_follow_the_written_out_rules(name):
    """Cleaning on the seeds and fixtures: every duplicate / near-duplicate verdict is the one the
    rules give when written out naively, and duplicate documents are those of 5-gram Jaccard."""
    corp = C.load_corpus(CORPORA[name])
    rules = C.cleaning_rules()
    for doc_id, pars in corp.paragraphs.groupby("doc_id", sort=False):
        if (pars["reason"] == "duplicate-document").all():
            continue
        words = [R.words(t) for t in pars["text"]]
        other = ~pars["reason"].isin(["", "duplicate", "near-duplicate"])
        expected = _reference_paragraph_repeats(words, (~other).tolist(), rules["near_duplicate_threshold"],
                                                rules["near_duplicate_min_words"])
        got = ["other" if o else r for o, r in zip(other, pars["reason"])]
        assert got == expected, doc_id
    if name == "seeds":  # the seeds hold repeats; the reference is not vacuous
        assert (corp.paragraphs["reason"] == "near-duplicate").sum() > 0
    texts = {d: C.repair_glued_words(C.normalise(C.read_text(p)))[0]
             for d, p in zip(corp.documents["doc_id"], corp.documents["file"].map(lambda f: CORPORA[name] / f))}
    grams = {d: {tuple(w[i:i + 5]) for i in range(max(1, len(w) - 4))} for d, w in ((d, R.words(t)) for d, t in texts.items())}
    for doc_id, first in zip(corp.documents["doc_id"], corp.documents["duplicate_of"]):
        if first:
            a, b = grams[first], grams[doc_id]
            assert len(a & b) / len(a | b) >= rules["duplicate_document_threshold"]


# --------------------------------------------------------------------------- sentences
def test_repeated_sentences_count_near_repeats_within_an_article():
    sents = pd.DataFrame({"doc_id": ["d1", "d1", "d1", "d2", "d2"],
                          "text": ["The ministers met in Sochi on Tuesday afternoon.",
                                   "Short one.",
                                   "On Tuesday afternoon the ministers met in Sochi!",  # same word set, reordered
                                   "The ministers met in Sochi on Tuesday afternoon.",  # another article: not counted
                                   "Nothing else."]})
    assert R.repeated_sentences(sents).to_dict("records") == [{"doc_id": "d1", "sentences": 3, "repeated": 1},
                                                              {"doc_id": "d2", "sentences": 2, "repeated": 0}]
    assert R.repeated_sentences(sents, min_words=20)["repeated"].sum() == 0


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_repeated_sentences_follow_the_written_out_rule(name):
    """Word-set Jaccard ≥ 0.8 with an earlier sentence of the same article, both ≥ 5 distinct words."""
    sentences = C.load_corpus(CORPORA[name]).sentences
    got = R.repeated_sentences(sentences).set_index("doc_id")["repeated"].to_dict()
    expected = {}
    for doc, g in sentences.groupby("doc_id", sort=False):
        sets = [set(re.findall(r"\w+", t.lower())) for t in g["text"]]
        expected[doc] = sum(1 for i, a in enumerate(sets) if len(a) >= 5 and
                            any(len(b) >= 5 and len(a & b) / len(a | b) >= 0.8 for b in sets[:i]))
    assert got == expected
