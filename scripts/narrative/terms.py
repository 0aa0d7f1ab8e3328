"""Sentences and reader tables of the terms chapter (and the Findings sentences glued from it).

Each statement has a ``*_facts`` function (which case is true, with which values; tested) and a
``*_text`` function (the rendered sentence). Wording lives in ``templates/terms.yml``. ``*_table``
functions shape the reader tables: display column names, formatted cells, one label per group of rows;
cells are plain strings, which the chapter escapes with ``report.glue_table``.

Everything here takes results of :mod:`scripts.terms` computed once by the chapter and computes no
statistic. ``episodes`` is always ``corpus.episodes`` (episode, label, order): rows follow its date
order and episodes are named by their label.
"""
from __future__ import annotations

import pandas as pd

from .. import episodes as E
from .common import NBSP, first_only, language_name
from .render import Facts, templates

PAGE = "terms"


# --------------------------------------------------------------------------- names
def unit_name(episode: str, language: str, episodes: pd.DataFrame) -> str:
    """How an episode × language unit is named: "<label> (<language name>)", e.g. "Moscow (French)";
    an unknown episode or language is named by its code."""
    return f"{E.labels(episodes).get(episode, episode)} ({language_name(language)})"


def keyness_units(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The episode × language units shown in the keyness figure: computable units of ``coverage``
    with at least one tested term in ``key``, in date order. Columns: episode, language."""
    units = E.sort_by_episode(coverage[coverage["computable"]][["episode", "language"]], episodes)
    tested = set(zip(key["episode"], key["language"]))
    return units[[(e, lang) in tested for e, lang in zip(units["episode"], units["language"])]].reset_index(drop=True)


def reason_text(code: str, language: str) -> str:
    """Why a unit of :func:`scripts.terms.keyness_coverage` is not computable, from its reason code."""
    return Facts(PAGE, "reason", code, {"language": language}).text


def correction_name(correction: str) -> str:
    """"Benjamini–Hochberg" for "bh", "Benjamini–Yekutieli" for "by"; another code as it is."""
    case = correction if correction in templates(PAGE)["correction"] else "other"
    return Facts(PAGE, "correction", case, {"code": correction}).text


def _unit_rows(key: pd.DataFrame, episode: str, language: str) -> pd.DataFrame:
    return key[(key["episode"] == episode) & (key["language"] == language)]


# --------------------------------------------------------------------------- sizes and forms
def length_spread_facts(doc_sizes: pd.DataFrame) -> Facts:
    """How unequal the articles are. ``doc_sizes``: ``terms.unit_sizes(terms, "document")``.
    Cases: empty, single, close (longest < 2 × shortest), unequal; values lo, hi, ratio (or n)."""
    sizes = doc_sizes["n_tokens"]
    if sizes.empty:
        return Facts(PAGE, "length_spread", "empty")
    if len(sizes) == 1:
        return Facts(PAGE, "length_spread", "single", {"n": int(sizes.iloc[0])})
    lo, hi = int(sizes.min()), int(sizes.max())
    ratio = hi / lo
    return Facts(PAGE, "length_spread", "unequal" if ratio >= 2 else "close", {"lo": lo, "hi": hi, "ratio": ratio})


def length_spread_text(doc_sizes: pd.DataFrame) -> str:
    return length_spread_facts(doc_sizes).text


def sizes_table(sizes: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Word tokens per episode × language (``sizes``: ``terms.unit_sizes(terms, "episode")``), date
    order. Columns: episode (label), language (name), "word tokens", "content tokens" (terms left
    after stop words), "content share" ("62%")."""
    sizes = E.sort_by_episode(sizes, episodes)
    return pd.DataFrame({
        "episode": sizes["episode"].map(E.labels(episodes)),
        "language": sizes["language"].map(language_name),
        "word tokens": sizes["n_tokens"], "content tokens": sizes["n_terms"],
        "content share": sizes["content_share"].map("{:.0%}".format)})


def spellings_table(variants: pd.DataFrame) -> pd.DataFrame:
    """One row per stem of ``terms.spelling_variants`` (its order). Columns: language, "shown as" (the
    surface form), "forms in the texts (count)" ("élections (5), élection (2)")."""
    rows = [{"language": lang, "shown as": g["surface"].iloc[0],
             "forms in the texts (count)": ", ".join(f"{w} ({k})" for w, k in zip(g["lower"], g["count"]))}
            for (lang, _), g in variants.groupby(["language", "term"], sort=False)]
    return pd.DataFrame(rows, columns=["language", "shown as", "forms in the texts (count)"])


# --------------------------------------------------------------------------- frequent terms
def top_terms_table(freq: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """One column per episode × language (named by :func:`unit_name`, date order), one row per rank:
    "<surface> <per_1k:.1f>" for its ``top_n`` most frequent terms (``rank`` of
    ``terms.term_frequencies``); first column ``rank``."""
    ep = freq[freq["level"] == "episode"]
    wide = {}
    for u in E.sort_by_episode(ep[["episode", "language"]].drop_duplicates(), episodes).itertuples():
        sub = _unit_rows(ep, u.episode, u.language)
        sub = sub[sub["rank"] <= top_n].sort_values("rank")
        wide[unit_name(u.episode, u.language, episodes)] = [f"{s} {r:.1f}" for s, r in zip(sub["surface"], sub["per_1k"])]
    tbl = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in wide.items()}).fillna("")
    tbl.insert(0, "rank", range(1, len(tbl) + 1))
    return tbl


def top_frequent_facts(freq: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """The most frequent term (rank 1) of each episode × language, in date order: case "units" with
    ``units`` (one ``top_frequent_unit`` Facts each: name, surface, per_1k), or "none"."""
    firsts = E.sort_by_episode(freq[(freq["level"] == "episode") & (freq["rank"] == 1)], episodes)
    units = [Facts(PAGE, "top_frequent_unit", "default", {"name": unit_name(r.episode, r.language, episodes),
                                                          "surface": r.surface, "per_1k": float(r.per_1k)})
             for r in firsts.itertuples()]
    return Facts(PAGE, "top_frequent", "units" if units else "none", {"units": units})


def top_frequent_text(freq: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return top_frequent_facts(freq, episodes).text


# --------------------------------------------------------------------------- concepts
def readable_pattern(pattern: str) -> str:
    """A pattern as readers can read it: word boundaries dropped, a bare word start shown with "…"
    ("\\bsyri" → "syri…", "\\bassad\\b" → "assad"); other regular-expression syntax is kept."""
    text = pattern[2:] if pattern.startswith(r"\b") else pattern
    if text.endswith(r"\b"):
        return text[:-2].replace(r"\b", "")
    return text.replace(r"\b", "") + "…"


def patterns_table(concepts: pd.DataFrame) -> pd.DataFrame:
    """The concept dictionary (``terms.load_concepts``) for readers: concept (label), "English
    patterns", "French patterns" (:func:`readable_pattern` forms joined by ", "; file order)."""
    return (concepts.assign(pattern=concepts["pattern"].map(readable_pattern))
            .groupby(["label", "language"], sort=False)["pattern"].apply(", ".join).unstack("language")
            .reindex(columns=["en", "fr"]).fillna("").reset_index()
            .rename(columns={"label": "concept", "en": "English patterns", "fr": "French patterns"}))


def concepts_table(conc: pd.DataFrame, rates: pd.DataFrame, shift: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """The concepts table readers see, rows as in ``rates`` (``terms.concept_rates``). Columns: concept
    (label), one column per episode of ``rates`` (label, date order) holding "<per_1k:.2f> (<count>)"
    from ``conc`` (episode-level ``terms.concept_counts``), and with two episodes or more ``change``
    (``terms.agenda_shift``: last minus first rate, signed)."""
    labels = conc.drop_duplicates("concept").set_index("concept")["label"]
    tbl = pd.DataFrame({"concept": [labels[c] for c in rates.index]})
    for ep in rates.columns:
        sub = conc[conc["episode"] == ep].set_index("concept")
        tbl[E.labels(episodes)[ep]] = [f"{sub.at[c, 'per_1k']:.2f} ({int(sub.at[c, 'count'])})" for c in rates.index]
    if len(rates.columns) > 1:
        tbl["change"] = [f"{v:+.2f}" for v in shift.set_index("concept").loc[rates.index, "change"]]
    return tbl


def agenda_shift_facts(shift: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """The largest rise and fall of a concept's rate from the first to the last episode
    (``shift``: ``terms.agenda_shift``, largest rise first). Cases: single (fewer than two episodes),
    rise_and_fall, rise, fall, no_change. A rise is claimed only for a positive change, a fall only
    for a negative one."""
    if shift.empty or shift["first"].iloc[0] == shift["last"].iloc[0]:
        return Facts(PAGE, "agenda_shift", "single")
    labels = E.labels(episodes)
    rise, fall = shift.iloc[0], shift.iloc[-1]
    values = {"first": labels[rise["first"]], "last": labels[rise["last"]],
              "rise": str(rise["label"]), "rise_first": float(rise["per_1k_first"]), "rise_last": float(rise["per_1k_last"]),
              "rise_change": float(rise["change"]),
              "fall": str(fall["label"]), "fall_first": float(fall["per_1k_first"]), "fall_last": float(fall["per_1k_last"]),
              "fall_change": float(fall["change"])}
    rises, falls = values["rise_change"] > 0, values["fall_change"] < 0
    case = {(True, True): "rise_and_fall", (True, False): "rise", (False, True): "fall", (False, False): "no_change"}
    return Facts(PAGE, "agenda_shift", case[(rises, falls)], values)


def agenda_shift_text(shift: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return agenda_shift_facts(shift, episodes).text


def top_concepts_facts(top: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """The most mentioned concept of each episode (``top``: ``terms.top_concepts``), in date order:
    case "episodes" with ``episodes`` (``top_concepts_episode`` Facts: "found", or "nothing" where no
    concept matched), or "none"."""
    labels = E.labels(episodes)
    clauses = [Facts(PAGE, "top_concepts_episode", "found" if r.count > 0 else "nothing",
                     {"episode": labels[r.episode], "concept": r.label, "per_1k": float(r.per_1k)})
               for r in E.sort_by_episode(top, episodes).itertuples()]
    return Facts(PAGE, "top_concepts", "episodes" if clauses else "none", {"episodes": clauses})


def top_concepts_text(top: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return top_concepts_facts(top, episodes).text


# --------------------------------------------------------------------------- keyness
def coverage_table(coverage: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """``terms.keyness_coverage`` for readers. Columns: episode (:func:`unit_name`), "word tokens",
    "reference tokens", reference (labels of the reference episodes in date order, or "none"),
    keyness ("computed" or "not computable: <reason>")."""
    lab, order = E.labels(episodes), E.order(episodes)
    none = Facts(PAGE, "coverage_cell", "no_reference_episode").text
    return pd.DataFrame({
        "episode": [unit_name(e, lang, episodes) for e, lang in zip(coverage["episode"], coverage["language"])],
        "word tokens": coverage["n_tokens"], "reference tokens": coverage["n_reference"],
        "reference": ["; ".join(lab.get(x, x) for x in sorted(r.split(", "), key=lambda e: order.get(e, -1))) if r else none
                      for r in coverage["reference_episodes"]],
        "keyness": [Facts(PAGE, "coverage_cell", "computed").text if ok else
                    Facts(PAGE, "coverage_cell", "not_computable", {"reason": reason_text(why, lang)}).text
                    for ok, why, lang in zip(coverage["computable"], coverage["reason"], coverage["language"])],
    })


def not_computable_facts(coverage: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """The units without a same-language reference: case "some" with ``units``
    (``not_computable_unit`` Facts: name, reason), or "none"."""
    bad = coverage[~coverage["computable"]]
    units = [Facts(PAGE, "not_computable_unit", "default", {"name": unit_name(r.episode, r.language, episodes),
                                                            "reason": reason_text(r.reason, r.language)})
             for r in bad.itertuples()]
    return Facts(PAGE, "not_computable", "some" if units else "none", {"units": units})


def not_computable_text(coverage: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return not_computable_facts(coverage, episodes).text


def tested_terms_facts(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, min_count: int) -> Facts:
    """How many terms were tested in each comparable episode × language (date order). Cases:
    none_computable, none_frequent (no term occurs ``min_count`` times), units (``units``: dicts
    name, n)."""
    comparable = E.sort_by_episode(coverage[coverage["computable"]][["episode", "language"]], episodes)
    if comparable.empty:
        return Facts(PAGE, "tested_terms", "none_computable")
    units = [{"name": unit_name(u.episode, u.language, episodes), "n": len(_unit_rows(key, u.episode, u.language))}
             for u in comparable.itertuples()]
    if not any(u["n"] for u in units):
        return Facts(PAGE, "tested_terms", "none_frequent", {"min_count": int(min_count)})
    return Facts(PAGE, "tested_terms", "units", {"units": units})


def tested_terms_text(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, min_count: int) -> str:
    return tested_terms_facts(key, coverage, episodes, min_count).text


def significant_facts(key: pd.DataFrame) -> Facts:
    """How many tested terms (rows of ``terms.keyness``) are significantly over-used; under-used terms
    are never counted as significant. Cases: none_tested, only_significant, only_not_significant
    (a single tested term), none, some; values n_tested, n_significant. Renders without final stop."""
    n_tested = int(len(key))
    n_sig = int(key.loc[key["direction"] == "over", "significant"].astype(bool).sum())
    if n_tested == 0:
        case = "none_tested"
    elif n_tested == 1:
        case = "only_significant" if n_sig else "only_not_significant"
    else:
        case = "some" if n_sig else "none"
    return Facts(PAGE, "significant", case, {"n_tested": n_tested, "n_significant": n_sig})


def significant_text(key: pd.DataFrame) -> str:
    return significant_facts(key).text


def keyness_findings_facts(key: pd.DataFrame, coverage: pd.DataFrame, correction: str, alpha: float) -> Facts:
    """The Findings sentence on keyness. Cases: none_computable, none_tested, tested (values
    significant (:func:`significant_text`), correction (:func:`correction_name` of the code), alpha)."""
    if coverage.empty or not bool(coverage["computable"].any()):
        return Facts(PAGE, "keyness_findings", "none_computable")
    if key.empty:
        return Facts(PAGE, "keyness_findings", "none_tested")
    return Facts(PAGE, "keyness_findings", "tested", {"significant": significant_text(key),
                                                      "correction": correction_name(correction), "alpha": float(alpha)})


def keyness_findings_text(key: pd.DataFrame, coverage: pd.DataFrame, correction: str, alpha: float) -> str:
    return keyness_findings_facts(key, coverage, correction, alpha).text


def _top_terms_unit(name: str, sub: pd.DataFrame) -> Facts:
    """The clause of one unit with over-used terms ``sub`` (already cut to the n of highest G²)."""
    sig = sub["significant"].astype(bool)
    yes, no = list(sub.loc[sig, "surface"].astype(str)), list(sub.loc[~sig, "surface"].astype(str))
    if not no:
        case = "all_significant" if len(yes) > 1 else "one_significant"
    else:
        case = "some_significant" if yes else "none_significant"
    return Facts(PAGE, "top_terms_unit", case, {"name": name, "significant": yes, "not_significant": no})


def top_terms_facts(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, min_count: int, n: int = 3) -> Facts:
    """One clause per unit of ``coverage`` (its order): the unit's ``n`` over-used terms of highest G²
    and which pass the corrected test. As G² ranks the terms and the correction keeps the order of
    p-values, the significant ones come first. Clause cases (``top_terms_unit``): not_computable,
    nothing_tested (no term occurs ``min_count`` times), none_over, all_significant, one_significant,
    none_significant, some_significant (values significant, not_significant: surface lists).
    Statement cases: units (``units``: the clauses), none (no unit)."""
    over = key[key["direction"] == "over"]
    units = []
    for c in coverage.itertuples():
        name = unit_name(c.episode, c.language, episodes)
        sub = _unit_rows(over, c.episode, c.language).sort_values("rank").head(n)
        if not c.computable:
            units.append(Facts(PAGE, "top_terms_unit", "not_computable", {"name": name, "reason": reason_text(c.reason, c.language)}))
        elif _unit_rows(key, c.episode, c.language).empty:
            units.append(Facts(PAGE, "top_terms_unit", "nothing_tested", {"name": name, "min_count": int(min_count)}))
        elif sub.empty:
            units.append(Facts(PAGE, "top_terms_unit", "none_over", {"name": name}))
        else:
            units.append(_top_terms_unit(name, sub))
    return Facts(PAGE, "top_terms", "units" if units else "none", {"units": units})


def top_terms_text(key: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame, min_count: int, n: int = 3) -> str:
    return top_terms_facts(key, coverage, episodes, min_count, n).text


def _empty_table(which: str) -> pd.DataFrame:
    return pd.DataFrame({"note": [Facts(PAGE, "empty_table", which).text]})


def keyness_table(key: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` over-used terms of each unit, narrow enough for the page. Columns: episode
    (:func:`unit_name`, first row of each unit only), term (surface, " *" when significant), "count
    (ref.)" (target count, reference count in brackets), G² (.1f), "p adj." (.2g), "Log Ratio" (.2f),
    "95% CI" ("[low, high]"); the spaces in term, count and CI are no-break spaces (``NBSP``). A single
    ``note`` column when no unit could be compared. Rates and the rest are in the CSV."""
    top = E.sort_by_episode(key[(key["direction"] == "over") & (key["rank"] <= top_n)], episodes)
    if top.empty:
        return _empty_table("keyness")
    return pd.DataFrame({
        "episode": first_only(unit_name(e, lang, episodes) for e, lang in zip(top["episode"], top["language"])),
        "term": [f"{s}{NBSP}*" if sig else str(s) for s, sig in zip(top["surface"], top["significant"])],
        "count (ref.)": [f"{a}{NBSP}({b})" for a, b in zip(top["count_target"], top["count_reference"])],
        "G²": top["g2"].map("{:.1f}".format), "p adj.": top["p_adj"].map("{:.2g}".format),
        "Log Ratio": top["log_ratio"].map("{:.2f}".format),
        "95% CI": [f"[{a:.2f},{NBSP}{b:.2f}]" for a, b in zip(top["ci_low"], top["ci_high"])],
    })


def kwic_table(kw: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """``terms.distinctive_kwic`` for readers, units in date order. Columns: episode (:func:`unit_name`)
    and term (surface), both on the first row of each unit only, doc, left, keyword, right; a single
    ``note`` column when there is nothing to show."""
    if kw.empty:
        return _empty_table("kwic")
    kw = E.sort_by_episode(kw, episodes)
    episode = first_only(unit_name(e, lang, episodes) for e, lang in zip(kw["episode"], kw["language"]))
    return pd.DataFrame({"episode": episode, "term": [s if e else "" for s, e in zip(kw["surface"], episode)],
                         "doc": kw["doc_id"], "left": kw["left"], "keyword": kw["keyword"], "right": kw["right"]})


def collocations_table(coll: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 8) -> pd.DataFrame:
    """The ``top_n`` strongest collocations of each unit (``terms.collocations``). Columns: episode
    (:func:`unit_name`, first row of each unit only), rank, collocation (surface), count, "G² (LLR)"
    (.1f); a single ``note`` column when there is none."""
    show = E.sort_by_episode(coll[coll["rank"] <= top_n], episodes)
    if show.empty:
        return _empty_table("collocations")
    return pd.DataFrame({
        "episode": first_only(unit_name(e, lang, episodes) for e, lang in zip(show["episode"], show["language"])),
        "rank": show["rank"].astype(int), "collocation": show["surface"],
        "count": show["count"].astype(int), "G² (LLR)": show["llr"].map("{:.1f}".format),
    })
