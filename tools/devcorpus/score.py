"""Score the report's CURRENT instruments against the hand annotations of the development corpus.

    .venv/bin/python tools/devcorpus/score.py ASSEMBLED_DIR [--split dev|test|all] [--out FILE.csv]

ASSEMBLED_DIR is the seeds folder written by ``assemble.py``. The instruments run exactly as the
book runs them, through their public functions only: ``scripts.corpus.load_corpus``,
``scripts.actors.find_mentions`` and ``find_quotes``, ``scripts.tone_scores.score_sentences``.
One row per split and language (and their totals), printed and written as CSV:

- mentions: person-mention absolute error, |predicted - gold| summed over actor x article over the
  gold total; the same on people ``actors.yml`` listed at annotation time and on the others;
- quotes: share of gold quotations whose predicted speaker is right (a quotation not found is wrong);
- tone (junk sentences left out): Spearman rho of the cooperation index and of VADER against the
  -1/0/+1 labels, their 3-class accuracy (thresholds +-0.05) and the all-neutral baseline's.

The dev half is for looking and tuning; score ``--split test`` once, at the end.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import devcorpus as D
import metrics as M
import pandas as pd

THRESHOLD = 0.05
MEASURES = {"coop": "cooperation_index", "vader": "vader_compound"}


def run_instruments(folder: Path) -> dict[str, pd.DataFrame]:
    """sentences (with sentence_hash), mentions, quotes and scored sentences of the assembled folder."""
    from scripts import actors, tone_scores
    from scripts.corpus import load_corpus

    corp = load_corpus(folder)
    sentences = corp.sentences.copy()
    sentences["sentence_hash"] = [D.sentence_hash(t) for t in sentences["text"]]
    mentions = actors.find_mentions(corp.sentences, corp.documents)
    if "kind" in mentions.columns:
        mentions = mentions[mentions["kind"] == "person"]
    quotes = actors.find_quotes(corp.sentences, corp.documents)
    scored = tone_scores.score_sentences(corp.sentences)
    missing = [c for c in MEASURES.values() if c not in scored.columns]
    if missing:
        raise SystemExit(f"scripts.tone_scores.score_sentences no longer returns {missing}: update MEASURES in {__file__}")
    scored = scored.assign(sentence_hash=[D.sentence_hash(t) for t in scored["text"]])
    return {"sentences": sentences, "mentions": mentions, "quotes": quotes, "scored": scored}


def predictions(out: dict[str, pd.DataFrame], gold_ids: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Predicted mentions (doc_id, actor) and quotations (doc_id, quote, speaker) in annotation keys."""
    m = out["mentions"]
    names = m["name"] if "name" in m.columns else pd.Series("", index=m.index)
    pm = pd.DataFrame({"doc_id": m["doc_id"].values,
                       "actor": [M.actor_key(a, n, gold_ids) for a, n in zip(m["actor"], names)]})
    pm = pm[pm["actor"] != ""]
    q = out["quotes"]
    order = out["sentences"].set_index("sentence_id")["sent_idx"]
    q = q.assign(_o=q["sentence_id"].map(order)).sort_values(["doc_id", "_o"], kind="stable")
    qnames = q["name"] if "name" in q.columns else pd.Series("", index=q.index)
    pq = pd.DataFrame({"doc_id": q["doc_id"].values, "quote": q["quote"].values,
                       "speaker": [M.actor_key(a, n, gold_ids) for a, n in zip(q["actor"], qnames)]})
    return pm, pq


def gold_in_scope(ann: dict[str, pd.DataFrame], sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Annotations that still apply: a junk sentence the current cleaning removed takes its
    annotations with it; an article sentence that is missing (re-split or wrongly dropped) keeps
    its mentions and quotations as gold (they are lost, so they count as errors)."""
    present = set(zip(sentences["doc_id"], sentences["sentence_hash"]))
    j = ann["tone"][ann["tone"]["junk"] == 1]
    junk = set(zip(j["doc_id"], j["sentence_hash"]))

    def keep(df: pd.DataFrame) -> pd.DataFrame:
        keys = zip(df["doc_id"], df["sentence_hash"])
        return df.loc[pd.Series([k in present or k not in junk for k in keys], index=df.index, dtype=bool)]

    return {"mentions": keep(ann["mentions"]), "quotes": keep(ann["quotes"]), "tone": ann["tone"]}


def score(folder: Path, split: str = "dev", annotations: Path = D.ANNOTATIONS, manifest: Path = D.MANIFEST) -> pd.DataFrame:
    """The score table (one row per split x language plus totals) for ``split`` (dev, test or all)."""
    m = D.load_manifest(manifest)
    ann = D.load_annotations(annotations)
    out = run_instruments(folder)
    docs = m.documents.set_index("id")
    gold = gold_in_scope(ann, out["sentences"])
    gold_ids = set(ann["mentions"]["actor"]) | set(ann["quotes"]["speaker"])
    pm, pq = predictions(out, gold_ids)
    table = M.mention_table(gold["mentions"], pm)
    matched = M.match_quotes(gold["quotes"][["doc_id", "quote", "speaker"]], pq)
    tone = gold["tone"][gold["tone"]["junk"] == 0].merge(
        out["scored"][["doc_id", "sentence_hash", *MEASURES.values()]].drop_duplicates(["doc_id", "sentence_hash"]),
        on=["doc_id", "sentence_hash"], how="left")
    assembled = set(out["sentences"]["doc_id"])
    splits = list(D.SPLITS) if split == "all" else [split]
    groups = [(s, lang) for s in splits for lang in (*D.LANGUAGES, "all")]
    if split == "all":
        groups += [("all", lang) for lang in (*D.LANGUAGES, "all")]
    rows = []
    for s, lang in groups:
        in_split = docs["split"].isin(D.SPLITS if s == "all" else [s])
        sel = docs[in_split & docs["language"].isin(D.LANGUAGES if lang == "all" else [lang])]
        ids = set(sel.index) & assembled  # an article missing from the folder (assemble --partial) is not scored
        row = {"split": s, "language": lang, "articles": len(ids), "articles_missing": len(set(sel.index) - assembled)}
        t = table[table["doc_id"].isin(ids)]
        for label, part in (("", t), ("listed_", t[t["listed"]]), ("unlisted_", t[~t["listed"]])):
            e = M.mention_error(part)
            row.update({f"{label}mentions_gold": e["gold"], f"{label}mentions_abs_error": e["abs_error"],
                        f"{label}mention_error": e["error"]})
        qa = M.quote_accuracy(matched[matched["doc_id"].isin(ids)])
        row.update({"quotes_gold": qa["gold"], "quotes_found": qa["found"], "quote_accuracy": qa["accuracy"]})
        tt = tone[tone["doc_id"].isin(ids)]
        row["tone_sentences_unmatched"] = int(tt[MEASURES["coop"]].isna().sum())
        tt = tt.dropna(subset=list(MEASURES.values()))
        for short, col in MEASURES.items():
            a = M.tone_agreement(tt["label"], tt[col], THRESHOLD)
            row.update({"tone_n": a["n"], f"{short}_rho": a["rho"], f"{short}_accuracy": a["accuracy"]})
        row["neutral_baseline"] = M.tone_agreement(tt["label"], [0.0] * len(tt), THRESHOLD)["neutral_baseline"]
        rows.append(row)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("assembled", type=Path, help="seeds folder written by assemble.py")
    p.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    p.add_argument("--out", type=Path, default=None, help="CSV to write (default ASSEMBLED/scores_<split>.csv)")
    a = p.parse_args(argv)
    if a.split != "dev":
        print("note: this scores the test half, which is for the final figures, not for tuning")
    table = score(a.assembled, a.split)
    out = a.out or a.assembled / f"scores_{a.split}.csv"
    table.to_csv(out, index=False, float_format="%.4f")
    show = table[["split", "language", "articles", "mention_error", "listed_mention_error", "unlisted_mention_error",
                  "quotes_gold", "quote_accuracy", "tone_n", "coop_rho", "vader_rho", "coop_accuracy", "vader_accuracy",
                  "neutral_baseline"]]
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:.3f}".format):
        print(show.to_string(index=False))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
