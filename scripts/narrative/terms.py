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
from .. import inference as I
from .. import terms as T
from .common import NBSP, first_only, language_name, pct
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
    """Words per episode × language (``sizes``: ``terms.unit_sizes(terms, "episode")``), date
    order. Columns: episode (label), language (name), articles, words, "content words" (terms left
    after stop words), "content share" ("62%")."""
    sizes = E.sort_by_episode(sizes, episodes)
    return pd.DataFrame({
        "episode": sizes["episode"].map(E.labels(episodes)),
        "language": sizes["language"].map(language_name), "articles": sizes["n_articles"],
        "words": sizes["n_tokens"], "content words": sizes["n_terms"],
        "content share": sizes["content_share"].map(pct)})


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
    """The most frequent term of each episode × language, in date order: case "units" with ``units``
    (one ``top_frequent_unit`` Facts each: name, surfaces, per_1k; case "tied" when several terms
    share the highest count, all of them named, none picked alphabetically), or "none"."""
    ep = freq[freq["level"] == "episode"]
    top = ep[ep["count"] == ep.groupby(["episode", "language"])["count"].transform("max")]
    units = []
    for (episode, language), g in E.sort_by_episode(top, episodes).groupby(["episode", "language"], sort=False):
        units.append(Facts(PAGE, "top_frequent_unit", "tied" if len(g) > 1 else "default", {
            "name": unit_name(episode, language, episodes), "surfaces": [str(x) for x in g["surface"]],
            "per_1k": float(g["per_1k"].iloc[0])}))
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


def _forms_cell(forms: pd.DataFrame) -> str:
    return ", ".join(f"{f} ({int(k)})" for f, k in zip(forms["form"], forms["count"]))


def concepts_tables(conc: pd.DataFrame, rates: pd.DataFrame, ranges: pd.DataFrame, forms: pd.DataFrame,
                    episodes: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The concepts tables readers see: one (language name, table) per language (in the order the
    languages first appear by date), one row per concept (as in ``rates``: ``terms.concept_rates``).
    Columns: concept (label), one column per episode with articles in that language (label, date
    order) holding "<per_1k:.2f> (<count>)" of ``conc`` (``terms.concept_counts``), with two
    episodes or more ``range`` (``terms.agenda_range``: highest minus lowest rate), and
    "matched (count)": the forms the patterns matched in that language (``terms.concept_forms``).
    One table per language keeps each narrow enough for the page and never puts two languages'
    rates in one row."""
    labels = E.labels(episodes)
    names = conc.drop_duplicates("concept").set_index("concept")["label"]
    out = []
    for language in dict.fromkeys(E.sort_by_episode(conc, episodes)["language"]):
        sub = conc[conc["language"] == language]
        present = [e for e in E.in_order(episodes) if e in set(sub["episode"])]
        cell = {(r.episode, r.concept): f"{r.per_1k:.2f} ({int(r.count)})" for r in sub.itertuples()}
        rng = {r.concept: f"{r.range:.2f}" for r in ranges[ranges["language"] == language].itertuples()}
        rows = []
        for concept in rates.index:
            row = {"concept": names[concept], **{labels.get(e, e): cell.get((e, concept), "") for e in present}}
            if len(present) > 1:
                row["range"] = rng.get(concept, "")
            row["matched (count)"] = _forms_cell(forms[(forms["concept"] == concept) & (forms["language"] == language)])
            rows.append(row)
        cols = ["concept"] + [labels.get(e, e) for e in present] + (["range"] if len(present) > 1 else []) + ["matched (count)"]
        out.append((language_name(language), pd.DataFrame(rows, columns=cols)))
    return out


def _verdict_facts(t, show: bool) -> Facts:
    """What the shared rule (``inference.verdict``) lets the book say about one comparison (a row
    of ``terms.agenda_tests``); case "hidden" when every comparison of the table is untestable
    (the closing sentence then says so once)."""
    if not show:
        return Facts(PAGE, "agenda_verdict", "hidden")
    return Facts(PAGE, "agenda_verdict", str(t.case), {"direction": str(t.direction), "low": float(t.ci_low),
                                                       "high": float(t.ci_high), "p_adj": float(t.p_adj)})


def _agenda_items(rows: pd.DataFrame, tests: dict, show: bool) -> list[Facts]:
    items = []
    for r in rows.itertuples():
        t = tests[(r.language, r.concept, r.episode_from, r.episode_to)]
        items.append(Facts(PAGE, "agenda_item", "default", {"label": str(r.label), "a": float(r.per_1k_from),
                                                             "b": float(r.per_1k_to), "change": float(r.change),
                                                             "verdict": _verdict_facts(t, show)}))
    return items


def agenda_shift_facts(steps: pd.DataFrame, tests: pd.DataFrame, conc: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """How each concept's rate differs between consecutive episodes, language by language, and what
    may be claimed about it (``steps``: ``terms.agenda_steps``; ``tests``: ``terms.agenda_tests``,
    same rows; ``conc``: ``terms.concept_counts``).

    Two rules, both stated by the template. Description: for each pair of consecutive episodes of
    a language, "up most" is the concept whose rate per 1,000 words increases most, "down most" the
    one that decreases most (every concept tied at the extreme is named; none when no rate moves
    that way). Claim: a concept is said to rise or fall only when its article-level comparison is
    "clear" (``inference.verdict``: adjusted permutation p and interval, two articles or more a
    side); the words of every named item come from its verdict.

    Cases: single (fewer than two episodes), no_pairs (no language has articles in two episodes),
    languages (``languages``: ``agenda_language`` Facts with ``steps``, one ``agenda_step`` each,
    case up_and_down / up / down / flat, values from, to, n_from, n_to, up, down: lists of
    ``agenda_item`` Facts). With it: ``one_language`` (languages seen in one episode only) and
    ``summary`` (``agenda_summary``: none_testable / no_clear / some_clear; values n_tests,
    n_clear, n_suggestive, n_no_change, n_not_testable, one_article (labels of compared episodes
    resting on one article in the language), clear (``agenda_clear`` Facts))."""
    if conc.empty or conc["episode"].nunique() < 2:
        return Facts(PAGE, "agenda_shift", "single")
    labels = E.labels(episodes)
    by_key = {(t.language, t.concept, t.episode_from, t.episode_to): t for t in tests.itertuples()}
    counts = tests["case"].value_counts()
    show = bool(len(tests)) and int(counts.get("not-testable", 0)) < len(tests)
    langs = []
    for language, g in steps.groupby("language", sort=False):
        clauses = []
        for (e1, e2), st in g.groupby(["episode_from", "episode_to"], sort=False):
            up = st[(st["change"] > 0) & (st["change"] == st["change"].max())]
            down = st[(st["change"] < 0) & (st["change"] == st["change"].min())]
            case = {(True, True): "up_and_down", (True, False): "up", (False, True): "down", (False, False): "flat"}[
                (not up.empty, not down.empty)]
            clauses.append(Facts(PAGE, "agenda_step", case, {
                "from": labels.get(e1, e1), "to": labels.get(e2, e2), "n_from": int(st["n_articles_from"].iloc[0]),
                "n_to": int(st["n_articles_to"].iloc[0]), "up": _agenda_items(up, by_key, show),
                "down": _agenda_items(down, by_key, show)}))
        langs.append(Facts(PAGE, "agenda_language", "default", {"language": language, "steps": clauses}))
    seen = conc.drop_duplicates(["episode", "language"])
    per_lang = seen.groupby("language")["episode"].nunique()
    one_language = [Facts(PAGE, "agenda_one_language", "default",
                          {"language": lang, "episode": labels.get(seen.loc[seen["language"] == lang, "episode"].iloc[0])})
                    for lang in per_lang.index if per_lang[lang] == 1]
    compared = conc[conc["language"].isin(per_lang[per_lang > 1].index)].drop_duplicates(["episode", "language"])
    single = E.sort_by_episode(compared[compared["n_articles"] == 1], episodes)
    clear = [Facts(PAGE, "agenda_clear", "default", {
        "label": str(t.label), "direction": str(t.direction), "from": labels.get(t.episode_from, t.episode_from),
        "to": labels.get(t.episode_to, t.episode_to), "language": str(t.language), "change": float(t.estimate),
        "low": float(t.ci_low), "high": float(t.ci_high)}) for t in tests[tests["case"] == "clear"].itertuples()]
    n = {k: int(counts.get(c, 0)) for k, c in (("n_clear", "clear"), ("n_suggestive", "suggestive"),
                                               ("n_no_change", "no-change"), ("n_not_testable", "not-testable"))}
    summary_case = "none_testable" if n["n_not_testable"] == len(tests) else ("some_clear" if clear else "no_clear")
    rule = I.load_verdict_rule()
    summary = Facts(PAGE, "agenda_summary", summary_case, {
        "n_tests": int(len(tests)), **n, "clear": clear, "alpha": rule.alpha,
        "one_article": list(dict.fromkeys(labels.get(e, e) for e in single["episode"]))})
    values = {"languages": langs, "one_language": one_language, "summary": summary, "alpha": rule.alpha,
              "min_articles": rule.min_articles}
    return Facts(PAGE, "agenda_shift", "languages" if langs else "no_pairs", values)


def agenda_shift_text(steps: pd.DataFrame, tests: pd.DataFrame, conc: pd.DataFrame, episodes: pd.DataFrame) -> str:
    return agenda_shift_facts(steps, tests, conc, episodes).text


def top_concepts_facts(top: pd.DataFrame, episodes: pd.DataFrame) -> Facts:
    """The most mentioned concept of each episode × language (``top``: ``terms.top_concepts``), in
    date order: case "units" with ``units`` (``top_concepts_unit`` Facts: "found" with
    ``concepts`` (labels; several when tied) and per_1k, or "nothing" where no concept matched), or
    "none"."""
    clauses = []
    top = E.sort_by_episode(top, episodes)
    for (episode, language), g in top.groupby(["episode", "language"], sort=False):
        name = unit_name(episode, language, episodes)
        if int(g["count"].max()) == 0:
            clauses.append(Facts(PAGE, "top_concepts_unit", "nothing", {"name": name}))
        else:
            clauses.append(Facts(PAGE, "top_concepts_unit", "found" if len(g) == 1 else "tied",
                                 {"name": name, "concepts": [str(x) for x in g["label"]], "per_1k": float(g["per_1k"].iloc[0])}))
    return Facts(PAGE, "top_concepts", "units" if clauses else "none", {"units": clauses})


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


def _keyness_counts(key: pd.DataFrame) -> dict[str, int]:
    """Counts of rows of ``terms.keyness`` (the table's one family of tests)."""
    sig = key["significant"].astype(bool)
    over = key["direction"] == "over"
    single = key["single_article"].astype(bool)
    return {"n_tested": int(len(key)), "n_significant": int(sig.sum()), "n_over": int((sig & over).sum()),
            "n_under": int((sig & (key["direction"] == "under")).sum()), "n_single": int((sig & over & single).sum()),
            "n_distinctive": int((sig & over & ~single).sum()),
            "n_units": int(key[["episode", "language"]].drop_duplicates().shape[0])}


def significant_facts(key: pd.DataFrame, correction: str) -> Facts:
    """The table's family of tests and what passes: every row of ``terms.keyness`` (all units, both
    directions) is one test of one family, corrected together. Cases: none_tested,
    none_significant, some_significant; values n_tested, n_units, n_significant, n_over, n_under
    (significant over- and under-used rows), correction (its name). Renders without final stop."""
    counts = _keyness_counts(key)
    case = "none_tested" if not counts["n_tested"] else ("some_significant" if counts["n_significant"] else "none_significant")
    return Facts(PAGE, "significant", case, {**counts, "correction": correction_name(correction)})


def significant_text(key: pd.DataFrame, correction: str) -> str:
    return significant_facts(key, correction).text


def exact_tests_facts(key: pd.DataFrame, exact_below: float) -> Facts:
    """Which test gave the p-values (``terms.keyness`` column ``test``). Cases: none_tested, all_g2,
    all_fisher, mixed; values n_tested, n_fisher, exact_below."""
    n, k = int(len(key)), int((key["test"] == T.TEST_FISHER).sum()) if len(key) else 0
    case = "none_tested" if n == 0 else ("all_fisher" if k == n else ("all_g2" if k == 0 else "mixed"))
    return Facts(PAGE, "exact_tests", case, {"n_tested": n, "n_fisher": k, "exact_below": float(exact_below)})


def exact_tests_text(key: pd.DataFrame, exact_below: float) -> str:
    return exact_tests_facts(key, exact_below).text


def distinctive_rule_text(alpha: float, n: int = 3) -> str:
    """The rule that decides which terms the book calls distinctive (``terms.distinctive_terms``)."""
    return Facts(PAGE, "distinctive_rule", "default", {"alpha": float(alpha), "n": int(n)}).text


def single_article_facts(key: pd.DataFrame) -> Facts:
    """How many significantly over-used terms rest on one article (``single_article``) and are
    therefore not called distinctive. Cases: none_significant, none_single, some_single, all_single;
    values n_over, n_single, n_distinctive."""
    c = _keyness_counts(key)
    if not c["n_over"]:
        case = "none_significant"
    else:
        case = "none_single" if not c["n_single"] else ("all_single" if c["n_single"] == c["n_over"] else "some_single")
    return Facts(PAGE, "single_article", case, {k: c[k] for k in ("n_over", "n_single", "n_distinctive")})


def single_article_text(key: pd.DataFrame) -> str:
    return single_article_facts(key).text


def keyness_findings_facts(key: pd.DataFrame, coverage: pd.DataFrame, correction: str, alpha: float) -> Facts:
    """The Findings sentence on keyness. Cases: none_computable, none_tested, tested (values
    significant (:func:`significant_text`), single (:func:`single_article_text`), correction
    (:func:`correction_name` of the code), alpha, n_tested)."""
    if coverage.empty or not bool(coverage["computable"].any()):
        return Facts(PAGE, "keyness_findings", "none_computable")
    if key.empty:
        return Facts(PAGE, "keyness_findings", "none_tested")
    return Facts(PAGE, "keyness_findings", "tested", {
        "significant": significant_text(key, correction), "single": single_article_text(key),
        "correction": correction_name(correction), "alpha": float(alpha), "n_tested": int(len(key))})


def keyness_findings_text(key: pd.DataFrame, coverage: pd.DataFrame, correction: str, alpha: float) -> str:
    return keyness_findings_facts(key, coverage, correction, alpha).text


def top_terms_facts(key: pd.DataFrame, distinctive: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame,
                    min_count: int) -> Facts:
    """One clause per unit of ``coverage`` (its order) naming its distinctive terms
    (``distinctive``: ``terms.distinctive_terms``, which already applies the rule and keeps ties).

    Clause cases (``top_terms_unit``): not_computable, nothing_tested (no term of the language
    occurs ``min_count`` times), none_significant (no significantly over-used term), only_single
    (significantly over-used terms, all in one article: ``single`` lists them), distinctive
    (``terms``: surfaces by G²; ``tied``: those sharing their G² with another named term;
    ``n_single``: significantly over-used terms left out for resting on one article). Statement
    cases: units, none (no unit)."""
    units = []
    for c in coverage.itertuples():
        name = unit_name(c.episode, c.language, episodes)
        rows = _unit_rows(key, c.episode, c.language)
        sig_over = rows[(rows["direction"] == "over") & rows["significant"].astype(bool)]
        single = sig_over[sig_over["single_article"].astype(bool)]
        named = _unit_rows(distinctive, c.episode, c.language)
        if not c.computable:
            units.append(Facts(PAGE, "top_terms_unit", "not_computable", {"name": name, "reason": reason_text(c.reason, c.language)}))
        elif rows.empty:
            units.append(Facts(PAGE, "top_terms_unit", "nothing_tested", {"name": name, "min_count": int(min_count)}))
        elif sig_over.empty:
            units.append(Facts(PAGE, "top_terms_unit", "none_significant", {"name": name}))
        elif named.empty:
            units.append(Facts(PAGE, "top_terms_unit", "only_single", {"name": name, "single": [str(x) for x in single["surface"]],
                                                                     "n_articles": int(rows["n_articles"].iloc[0])}))
        else:
            tied = named[named.duplicated("place", keep=False)]
            units.append(Facts(PAGE, "top_terms_unit", "distinctive", {
                "name": name, "terms": [str(x) for x in named["surface"]], "tied": [str(x) for x in tied["surface"]],
                "n_single": int(len(single))}))
    return Facts(PAGE, "top_terms", "units" if units else "none", {"units": units})


def top_terms_text(key: pd.DataFrame, distinctive: pd.DataFrame, coverage: pd.DataFrame, episodes: pd.DataFrame,
                   min_count: int) -> str:
    return top_terms_facts(key, distinctive, coverage, episodes, min_count).text


def _empty_table(which: str) -> pd.DataFrame:
    return pd.DataFrame({"note": [Facts(PAGE, "empty_table", which).text]})


def _term_cell(surface: str, significant: bool, single: bool) -> str:
    """A term as the keyness table and figure show it: " *" when significant, " †" when all its
    occurrences in the unit come from one article (no-break spaces)."""
    return f"{surface}{NBSP + '*' if significant else ''}{NBSP + '†' if single else ''}"


KEYNESS_ROWS = 5  # over-used terms shown per keyness table (more when tied); the figure shows top_n, the CSV all


def keyness_totals(key: pd.DataFrame, episodes: pd.DataFrame, top_n: int = KEYNESS_ROWS) -> list[int | None]:
    """The number of tested terms (over- and under-used) of each table of :func:`keyness_tables`, in its
    order: what each table was cut from, so its caption can say "Top 6 of 255 tested terms; all in the
    CSV". [None] for the single note table when no unit could be compared."""
    rows = _keyness_rows(key, top_n)
    if rows.empty:
        return [None]
    units = E.sort_by_episode(key[["episode", "language"]].drop_duplicates(), episodes)
    shown = rows[["episode", "language"]].drop_duplicates()
    units = units.merge(shown, on=["episode", "language"])
    sizes = key.groupby(["episode", "language"]).size()
    return [int(sizes[(e, lang)]) for e, lang in zip(units["episode"], units["language"])]


def _keyness_rows(key: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The rows of the keyness tables: over-used terms of rank ``top_n`` or better, significant under-used ones."""
    over = key[(key["direction"] == "over") & (key["rank"] <= top_n)]
    under = key[(key["direction"] == "under") & key["significant"].astype(bool)]
    return pd.concat([over, under])


def keyness_tables(key: pd.DataFrame, episodes: pd.DataFrame, top_n: int = 10) -> list[tuple[str, pd.DataFrame]]:
    """One (unit name, table) per episode × language with tested terms (date order): its over-used
    terms of rank ``top_n`` or better (more rows when tied), then its significantly under-used
    terms. Columns: rank (G² rank, "3=" when tied; "under" for an under-used term), term
    (:func:`_term_cell`), "count (ref.)" (target count, reference count in brackets), articles
    ("articles with the term/articles of the unit"), DP (.2f, Gries; "–" when not defined), G²
    (.1f), test ("Fisher" or "χ²"), "p adj." (.2g, corrected over the whole table), "Log Ratio
    [95% CI]"; spaces inside cells are no-break spaces (``NBSP``). One table per unit keeps each
    narrow and short enough for the page. A single ("", ``note`` table) when no unit could be
    compared. Rates and the rest are in the CSV."""
    top = E.sort_by_episode(_keyness_rows(key, top_n), episodes)
    if top.empty:
        return [("", _empty_table("keyness"))]
    out = []
    for (episode, language), t in top.groupby(["episode", "language"], sort=False):
        out.append((unit_name(episode, language, episodes), pd.DataFrame({
            "rank": [("under" if d == "under" else f"{r}{'=' if tie else ''}") for d, r, tie in zip(t["direction"], t["rank"], t["tied"])],
            "term": [_term_cell(s, g, o) for s, g, o in zip(t["surface"], t["significant"].astype(bool), t["single_article"].astype(bool))],
            "count (ref.)": [f"{a}{NBSP}({b})" for a, b in zip(t["count_target"], t["count_reference"])],
            "articles": [f"{w}/{n}" for w, n in zip(t["articles_with"], t["n_articles"])],
            "DP": t["dp"].map(lambda v: "–" if pd.isna(v) else f"{v:.2f}"),
            "G²": t["g2"].map("{:.1f}".format),
            "test": ["Fisher" if x == T.TEST_FISHER else "χ²" for x in t["test"]],
            "p adj.": t["p_adj"].map("{:.2g}".format),
            "Log Ratio [95% CI]": [f"{lr:.2f}{NBSP}[{a:.2f},{NBSP}{b:.2f}]".replace("-", "−")
                                   for lr, a, b in zip(t["log_ratio"], t["ci_low"], t["ci_high"])],
        })))
    return out


def kwic_table(kw: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """``terms.distinctive_kwic`` for readers, units in date order. Columns: episode (:func:`unit_name`,
    first row of each unit only), term (surface, " †" when it rests on one article; first row of
    each term only), doc, left, keyword, right; a single ``note`` column when there is nothing to show."""
    if kw.empty:
        return _empty_table("kwic")
    kw = E.sort_by_episode(kw, episodes)
    episode = first_only(unit_name(e, lang, episodes) for e, lang in zip(kw["episode"], kw["language"]))
    unit_term = [f"{e}|{lang}|{t}" for e, lang, t in zip(kw["episode"], kw["language"], kw["term"])]
    firsts = first_only(unit_term)
    term = [_term_cell(s, False, bool(o)) if f else "" for s, o, f in zip(kw["surface"], kw["single_article"], firsts)]
    return pd.DataFrame({"episode": episode, "term": term, "doc": kw["doc_id"], "left": kw["left"], "keyword": kw["keyword"],
                         "right": kw["right"]})


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
