"""Time the analysis functions on seeded synthetic corpora of 100 / 1,000 / 10,000 articles.

    .venv/bin/python tools/bench_scale.py [--sizes 100 1000 10000] [--out _build/bench] [--work /tmp/bench_scale]
    SIZES="100 1000" make bench-scale            # a quick run

Each size runs in its own subprocess (so its peak memory, ``ru_maxrss``, is its own; CPU time is
reported next to wall time because a shared machine makes wall time noisy): the corpus is
written by ``tools/synth_corpus.py`` (seed 1), then every step below is timed in turn — the same calls
the chapters make, with their default parameters. Term counting is also timed against scikit-learn's
``CountVectorizer`` on the same tokens (the ratio ours / scikit-learn; the target is ≤ 1.5).
Writes ``bench_scale.csv`` and ``bench_scale.png`` into ``--out`` and prints the table.

The ``stage`` step times the analysis stage (``scripts.stage.run_stage``: corpus tables, mentions,
quotes, tone scores) on a copy of the corpus with a fresh store, three times in a row: ``cold``
(nothing stored), ``no-change`` (read back), ``one-added`` (one new article: it alone is read, the
reductions re-run), each with ``jobs=1`` and ``jobs=2`` (rows ``stage_<run>_j<jobs>``; ``analysed``:
articles read by step 1; ``cpu_s`` includes the pool's workers). Peak memory is this process's: the
pool's workers are not counted.
``--steps stage`` times the stage alone, ``--steps analysis`` the chapters' steps alone.
The whole book is timed by ``tools/bench_build.py --seeds /tmp/bench_scale/s1000`` (cold, no change,
one article edited, one added; one build log per run with the stage's and each notebook's time).

``--dump DIR`` writes every table the steps return (Parquet-free: pickled DataFrames) for one corpus,
so a change to a hot path can be checked for identical output (``--compare REF``).
Not a test: wall times depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

N_BOOT, N_PERM = 2000, 9999  # the chapters' defaults


# --- one function per timed step: each takes what earlier steps returned, returns its tables -------------

def step_load(seeds: Path) -> dict:
    """The corpus chapter's (and every chapter's) ``load_corpus``."""
    from scripts import corpus as C
    corp = C.load_corpus(seeds)
    return {"corpus": corp, "documents": corp.documents, "paragraphs": corp.paragraphs,
            "sentences": corp.sentences, "tokens": corp.tokens, "dropped": C.dropped_paragraphs(corp)}


def step_terms(corp) -> dict:
    """The terms chapter's analysis: annotation, frequencies, keyness, collocations, concepts, agenda tests."""
    from scripts import terms as T
    episodes = corp.episodes.sort_values("order").reset_index(drop=True)
    terms = T.annotate_terms(corp.tokens)
    key = T.keyness(terms, min_count=3, alpha=0.05, correction="bh", exact_below=5)
    concepts = T.load_concepts()
    mentions = T.concept_mentions(corp.sentences, concepts)
    articles = T.article_concepts(mentions, terms, concepts)
    conc = T.concept_counts(articles, concepts)
    return {"terms": terms, "surfaces": T.surface_forms(terms), "freq": T.all_frequencies(terms),
            "coverage": T.keyness_coverage(terms, episodes), "keyness": key,
            "collocations": T.collocations(corp.tokens, corp.sentences, min_count=2, top_n=None),
            "concept_mentions": mentions, "article_concepts": articles, "concept_counts": conc,
            "agenda_steps": T.agenda_steps(conc, episodes),
            "agenda_tests": T.agenda_tests(articles, episodes, concepts, n_perm=N_PERM, seed=0)}


def step_actors(corp) -> dict:
    """The actors chapter's analysis: detection, mentions, co-mentions, quotes, provisional people."""
    from scripts import actors as A
    docs, sents = corp.documents, corp.sentences
    gz = A.load_gazetteer()
    detected = A.detect_corpus(sents, docs, gz)
    mentions = A.find_mentions(sents, docs, gz, detected=detected)
    quotes = A.find_quotes(sents, docs, gz, detected=detected)
    return {"mentions": mentions, "mention_counts": A.mention_counts(mentions, docs),
            "co_mentions": A.co_mentions(mentions, sents, window="sentence", episodes=corp.episodes, min_pair=2),
            "quotes": quotes, "speakers": A.speaker_counts(quotes, min_words=3),
            "provisional": A.provisional_people(mentions, sents),
            "unresolved": A.unresolved_roles(sents, docs, gz, detected=detected)}


def step_tone_score(corp) -> dict:
    """The tone chapter's per-sentence work: VADER + cooperation index, actors attached, lexicon matches, quotes."""
    from scripts import actors as A
    from scripts import diplomatic as D
    from scripts import tone as T
    from scripts import tone_scores as TS
    docs, sents = corp.documents, corp.sentences
    lexicon = D.load_diplomatic_lexicon()
    mentions = A.find_mentions(sents, docs)
    scored = T.attach_actors(TS.score_sentences(sents, "vader-fr", lexicon), mentions)
    quoted = T.score_quotes(A.find_quotes(sents, docs), docs, 3, "vader-fr", lexicon)
    return {"scored_all": scored, "matches": D.diplomatic_matches(sents, lexicon), "quoted": quoted}


def step_tone_inference(corp, scored_all: pd.DataFrame, quoted: pd.DataFrame) -> dict:
    """The tone chapter's statistics: shifts (bootstrap + article-level permutation), summary, trajectories."""
    from scripts import tone as T
    episodes = corp.episodes
    scored, _ = T.exclude_fragments(scored_all)
    hl = T.pick_headline_language(scored, "")
    shifts = T.all_shifts(scored, episodes, N_BOOT, 20170412, N_PERM, hl.language)
    summary = T.tone_summary(scored, quoted, shifts, N_BOOT, 20170412)
    return {"shifts": shifts, "tone_summary": summary, "trajectories": T.trajectories(scored, 5, N_BOOT, 20170412)}


def add_article(folder: Path) -> None:
    """One new article in ``folder``: the lines of the first article that shares its language with a
    later one and of that later one, interleaved (new text, same language and episode as the first),
    appended to the manifest.
    Why not the first article reordered: the duplicate-document check found it a copy and dropped it,
    so "one added" timed an article nothing analysed."""
    import yaml
    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    docs = manifest["documents"]
    pairs = [(d, o) for i, d in enumerate(docs) for o in docs[i + 1:] if o["language"] == d["language"]]
    first, other = pairs[0] if pairs else (docs[0], docs[0])   # one article per language: its own lines, reordered
    a, b = ((folder / d["file"]).read_text(encoding="utf-8").splitlines() for d in (first, other))
    lines = [line for pair in zip(a, b if other is not first else b[::-1]) for line in pair]
    (folder / "added_bench.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest["documents"].append({**first, "file": "added_bench.txt", "title": "Added by the benchmark"})
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")


def stage_rows(seeds: Path, n_articles: int, jobs_list: tuple[int, ...] = (1, 2)) -> list[dict]:
    """The analysis stage cold, with nothing changed, and with one article added, per ``jobs``."""
    from scripts.stage import run_stage
    rows = []
    for jobs in jobs_list:
        with tempfile.TemporaryDirectory(prefix="bench_stage_") as tmp:
            folder, store = Path(tmp) / "corpus", Path(tmp) / "store"
            shutil.copytree(seeds, folder)
            for run in ("cold", "no-change", "one-added"):
                if run == "one-added":
                    add_article(folder)
                t, cpu = time.perf_counter(), time.process_time() + _children_cpu()
                result = run_stage(folder, store=store, jobs=jobs)
                wall, cpu = time.perf_counter() - t, time.process_time() + _children_cpu() - cpu
                rows.append({"articles": n_articles, "step": f"stage_{run}_j{jobs}", "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                             "articles_per_s": round(n_articles / wall, 1), "analysed": result.read,
                             "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})
                print(f"  {n_articles:>6} {rows[-1]['step']:<22} {wall:8.2f} s wall ({result.read} analysed; "
                      + ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items()) + ")", file=sys.stderr, flush=True)
    return rows


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the stage's pool workers: counted in ``cpu_s``)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def analysis(seeds: Path, timer: Callable[[str, Callable[[], dict]], dict] | None = None) -> dict:
    """Run every step on ``seeds``; ``timer(name, thunk)`` wraps each (default: just call it)."""
    timer = timer or (lambda name, thunk: thunk())
    out = timer("load_corpus", lambda: step_load(seeds))
    corp = out.pop("corpus")
    out.update(timer("terms", lambda: step_terms(corp)))
    out.update(timer("actors", lambda: step_actors(corp)))
    out.update(timer("tone_score", lambda: step_tone_score(corp)))
    out.update(timer("tone_inference", lambda: step_tone_inference(corp, out["scored_all"], out["quoted"])))
    return out


# --- counting against scikit-learn -----------------------------------------------------------------------

def count_terms_ours(terms: pd.DataFrame) -> pd.Series:
    """Our term counting: the (article, term) counts :func:`scripts.terms.term_frequencies` tabulates
    (the same output as CountVectorizer's article × term matrix)."""
    return terms[terms["term"] != ""].groupby(["doc_id", "term"]).size()


def frequency_table(terms: pd.DataFrame) -> pd.DataFrame:
    """The whole per-article frequency table (counts + sizes, rates, reader surfaces, ranks)."""
    from scripts import terms as T
    return T.term_frequencies(terms, "document")


def count_terms_sklearn(terms: pd.DataFrame):
    """CountVectorizer on the same tokens (one document per article, analyzer = its list of terms)."""
    try:
        from sklearn.feature_extraction.text import CountVectorizer
    except ImportError:
        raise SystemExit("tools/bench_scale.py: scikit-learn is missing (the counting baseline): run `make bench-scale`, "
                         "which installs requirements-bench.txt") from None
    docs = terms[terms["term"] != ""].groupby("doc_id", sort=True)["term"].agg(list)
    vec = CountVectorizer(analyzer=lambda toks: toks)
    return vec.fit_transform(docs.tolist())


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


# --- one size, in its own process ------------------------------------------------------------------------

def measure(seeds: Path, n_articles: int, steps: tuple[str, ...] = ("analysis", "stage"), jobs: tuple[int, ...] = (1, 2)) -> list[dict]:
    """Time every step on one corpus; rows of the result CSV."""
    rows: list[dict] = []
    if "analysis" not in steps:
        return stage_rows(seeds, n_articles, jobs)

    def timer(name: str, thunk: Callable[[], dict]) -> dict:
        t, cpu = time.perf_counter(), time.process_time()
        result = thunk()
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        rows.append({"articles": n_articles, "step": name, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                     "articles_per_s": round(n_articles / wall, 1) if wall else None})
        print(f"  {n_articles:>6} {name:<16} {wall:8.2f} s wall {cpu:8.2f} s cpu", file=sys.stderr, flush=True)
        return result

    out = analysis(seeds, timer)
    total = sum(r["wall_s"] for r in rows)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append({"articles": n_articles, "step": "total", "wall_s": round(total, 3),
                 "cpu_s": round(sum(r["cpu_s"] for r in rows), 3), "articles_per_s": round(n_articles / total, 1)})
    for r in rows:
        r["peak_mb"] = round(peak_mb)
    ours = best_of(lambda: count_terms_ours(out["terms"]))
    table = best_of(lambda: frequency_table(out["terms"]))
    theirs = best_of(lambda: count_terms_sklearn(out["terms"]))
    rows.append({"articles": n_articles, "step": "count_ours", "wall_s": round(ours, 4), "peak_mb": round(peak_mb),
                 "ratio_vs_sklearn": round(ours / theirs, 2)})
    rows.append({"articles": n_articles, "step": "count_table", "wall_s": round(table, 4), "peak_mb": round(peak_mb),
                 "ratio_vs_sklearn": round(table / theirs, 2)})
    rows.append({"articles": n_articles, "step": "count_sklearn", "wall_s": round(theirs, 4), "peak_mb": round(peak_mb)})
    return rows + (stage_rows(seeds, n_articles, jobs) if "stage" in steps else [])


def run_size(n: int, work: Path, steps: tuple[str, ...] = ("analysis", "stage"), jobs: tuple[int, ...] = (1, 2)) -> list[dict]:
    seeds = work / f"s{n}"
    if not (seeds / "manifest.yml").exists():
        from synth_corpus import write_corpus
        write_corpus(seeds, n, seed=1)
    proc = subprocess.run([sys.executable, __file__, "--one", str(seeds), str(n), "--steps", *steps,
                           "--jobs", *map(str, jobs)], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench failed at {n} articles ({proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def plot(table: pd.DataFrame, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    steps = table[~table["step"].str.startswith(("count_", "stage_no-change"))]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for step, group in steps.groupby("step", sort=False):
        ax.plot(group["articles"], group["wall_s"], marker="o", label=step, lw=2.5 if step == "total" else 1.2)
    ax.set(xscale="log", yscale="log", xlabel="articles", ylabel="wall time (s)", title="Analysis time by corpus size")
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- identical-output check --------------------------------------------------------------------------------

def stage_tables(seeds: Path, jobs: int = 2) -> dict:
    """Every table the analysis stage writes (corpus and analysis tables), from a cold run into a fresh
    store with ``jobs`` processes: what the book reads, so a speed-up of the stage is checked too."""
    from scripts.stage import run
    with tempfile.TemporaryDirectory(prefix="bench_dump_") as tmp:
        r = run.run_stage(seeds, store=Path(tmp) / "store", jobs=jobs)
        out = {f"stage_{n}": getattr(r.corpus, n) for n in run.TABLES}
        out.update({f"stage_{n}": r.tables[n] for n in run.ANALYSIS_TABLES})
    return out


def every_table(seeds: Path) -> dict:
    """The chapters' steps' tables and the stage's tables."""
    return {**analysis(seeds), **stage_tables(seeds)}


def dump(seeds: Path, folder: Path) -> None:
    """Pickle every table the steps and the stage return into ``folder`` (for ``--compare``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in every_table(seeds).items():
        with open(folder / f"{name}.pkl", "wb") as fh:
            pickle.dump(table, fh)


def compare(seeds: Path, reference: Path) -> int:
    """Re-run the steps and the stage and compare every table exactly with the dumped reference; 1 if any differs."""
    bad = 0
    for name, table in every_table(seeds).items():
        with open(reference / f"{name}.pkl", "rb") as fh:
            ref = pickle.load(fh)
        try:
            if isinstance(ref, pd.DataFrame):
                pd.testing.assert_frame_equal(table, ref, check_exact=True)
            else:
                assert table == ref
        except AssertionError as err:
            bad += 1
            print(f"DIFFERS {name}: {str(err)[:400]}")
    print(f"{seeds}: {'identical' if not bad else f'{bad} tables differ'}")
    return int(bad > 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[int(s) for s in os.environ.get("SIZES", "100 1000 10000").split()])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_scale"))
    parser.add_argument("--one", nargs=2, metavar=("SEEDS", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--steps", nargs="+", choices=("analysis", "stage"), default=["analysis", "stage"],
                        help="the chapters' analysis steps, the analysis stage (default: both)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="the stage's --jobs values to time (default: 1 2)")
    parser.add_argument("--dump", nargs=2, type=Path, metavar=("SEEDS", "DIR"))
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("SEEDS", "DIR"))
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(Path(args.one[0]), int(args.one[1]), tuple(args.steps), tuple(args.jobs))))
        return 0
    if args.dump:
        dump(*args.dump)
        return 0
    if args.compare:
        return compare(*args.compare)
    rows = [row for n in args.sizes for row in run_size(n, args.work, tuple(args.steps), tuple(args.jobs))]
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "bench_scale.csv", index=False)
    plot(table, args.out / "bench_scale.png")
    info = f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB RAM, " \
           f"{time.strftime('%Y-%m-%d')}"
    print(f"\n{info}\n" + table.astype(object).where(table.notna(), "").to_markdown(index=False))
    print(f"\nwrote {args.out / 'bench_scale.csv'} and {args.out / 'bench_scale.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
