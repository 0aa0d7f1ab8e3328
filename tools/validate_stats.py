"""Simulation benchmark of the article-level inference (scripts.inference) on corpora with known truth.

    .venv/bin/python tools/validate_stats.py [--quick] [--articles 3 5 10 20 30] [--episodes 2 4]
                                   [--shifts 0 0.5 1] [--reps 1000] [--methods t percentile ...]
                                   [--n-boot 999] [--n-perm 999] [--seed 0] [--jobs 1]
                                   [--out _build/validate_stats.csv] [--strict]

For every design (episodes x articles per episode x true shift, in units of the article sd tau) it
draws ``--reps`` corpora with ``scripts.simulate.simulate_corpus`` and runs the library as the book
does: each episode's mean with its 95% interval, the book's family of comparisons (consecutive
episodes, plus first-last when there are more than two) with intervals, article-level permutation
p-values, Benjamini–Hochberg over the family and the shared verdict rule. It reports, per interval
method:

- coverage of the 95% intervals of episode means and of differences (target 93-97% at >= 10
  articles per episode; 3 and 5 articles are reported as they are);
- the share of corpora in which the headline comparison (first -> last episode) is called "clear"
  (rose/fell): with a true shift of 0 that is the false-claim rate (target <= 5%), otherwise power;
  also "suggestive", "not testable" and any clear claim in the family.

Writes a CSV (one row per design and method) and prints a table with Monte Carlo standard errors.
Not a unit test: a benchmark. ``--quick`` is the CI size (about 20 s on an idle 2-core machine);
the full run takes 25-50 min on one core (``--jobs 2`` runs designs side by side). ``--strict``
exits 1 when the default method misses a target by more than two Monte Carlo errors.
"""
from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from scripts import inference as I
from scripts import simulate as S

ROOT = Path(__file__).resolve().parent.parent

QUICK = {"articles": [3, 10], "episodes": [3], "shifts": [0.0, 1.0], "reps": 150, "n_boot": 499, "n_perm": 499,
         "methods": list(I.METHODS)}
FULL = {"articles": [3, 5, 10, 20, 30], "episodes": [2, 4], "shifts": [0.0, 0.5, 1.0], "reps": 1000, "n_boot": 999,
        "n_perm": 999, "methods": list(I.METHODS)}
COVERAGE_TARGET, FALSE_CLAIM_TARGET, LEVEL = (0.93, 0.97), 0.05, 0.95


def one_corpus(frame: pd.DataFrame | I.Nested, truth: S.Truth, methods: list[str], n_boot: int, n_perm: int, seed: int,
               rule: I.VerdictRule) -> list[dict]:
    """Everything the benchmark counts for one simulated corpus, one dict per method."""
    frame = I.nest(frame)  # reduce to article sums once for every call below
    groups = S.group_names(len(truth.means))
    pairs = I.consecutive_pairs(groups)
    tests = [I.permutation_test(frame, a, b, n_perm, seed) for a, b in pairs]
    p = np.array([t.p_value for t in tests])
    p_adj = I.bh_adjust(p)
    out = []
    for m in methods:
        est = [I.group_estimate(frame, g, m, LEVEL, n_boot, seed) for g in groups]
        cover_mean = [e.ci_low <= truth.means[g] <= e.ci_high for e, g in zip(est, groups)]
        width_mean = [e.ci_high - e.ci_low for e in est]
        diffs = [I.difference(frame, a, b, m, LEVEL, n_boot, seed) for a, b in pairs]
        cover_diff = [d.ci_low <= truth.difference(a, b) <= d.ci_high for d, (a, b) in zip(diffs, pairs)]
        width_diff = [d.ci_high - d.ci_low for d in diffs]
        verdicts = [I.verdict(d.estimate, d.ci_low, d.ci_high, t.p_value, pa, d.n_articles_from, d.n_articles_to,
                              t.p_min, rule) for d, t, pa in zip(diffs, tests, p_adj)]
        head, head_diff = verdicts[-1], diffs[-1]  # first -> last (the only pair with two episodes)
        true_head = truth.difference(groups[0], groups[-1])
        out.append({"method": m, "cover_mean": np.mean(cover_mean), "n_mean": len(cover_mean),
                    "width_mean": float(np.median(width_mean)), "cover_diff": np.mean(cover_diff),
                    "n_diff": len(cover_diff), "width_diff": float(np.median(width_diff)),
                    "clear": head.case == "clear", "suggestive": head.case == "suggestive",
                    "not_testable": head.case == "not-testable",
                    "wrong_sign": head.case == "clear" and true_head != 0 and np.sign(head_diff.estimate) != np.sign(true_head),
                    "clear_any": any(v.case == "clear" for v in verdicts),
                    "p_below_alpha": bool(tests[-1].p_value < rule.alpha)})
    return out


def run_design(design: tuple[int, int, float], reps: int, methods: list[str], n_boot: int, n_perm: int,
               seed: int) -> list[dict]:
    """All replications of one design, summarised per method (one row each)."""
    episodes, articles, shift_tau = design
    rule = I.load_verdict_rule()
    rows = []
    for r in range(reps):
        rng = np.random.default_rng([seed, episodes, articles, round(shift_tau * 1000), r])
        frame, truth = S.simulate_corpus(articles, episodes, shift_tau * S.TAU, seed=rng)
        rows += one_corpus(frame, truth, methods, n_boot, n_perm, seed + r, rule)
    df = pd.DataFrame(rows)
    _, truth = S.simulate_corpus(articles, episodes, shift_tau * S.TAU, seed=0)
    names = S.group_names(episodes)
    summary = []
    for m, g in df.groupby("method", sort=False):
        summary.append({"episodes": episodes, "articles": articles, "shift_tau": shift_tau,
                        "true_difference": truth.difference(names[0], names[-1]), "method": m, "reps": len(g),
                        "coverage_mean": float((g["cover_mean"] * g["n_mean"]).sum() / g["n_mean"].sum()),
                        "n_intervals_mean": int(g["n_mean"].sum()), "median_width_mean": float(g["width_mean"].median()),
                        "coverage_diff": float((g["cover_diff"] * g["n_diff"]).sum() / g["n_diff"].sum()),
                        "n_intervals_diff": int(g["n_diff"].sum()), "median_width_diff": float(g["width_diff"].median()),
                        "clear": float(g["clear"].mean()), "suggestive": float(g["suggestive"].mean()),
                        "not_testable": float(g["not_testable"].mean()), "wrong_sign": float(g["wrong_sign"].mean()),
                        "clear_any": float(g["clear_any"].mean()), "perm_p_below_alpha": float(g["p_below_alpha"].mean())})
    return summary


def mc_se(p: float, n: int) -> float:
    """Monte Carlo standard error of a share p over n trials."""
    return math.sqrt(max(p * (1 - p), 1e-12) / n)


def check_targets(table: pd.DataFrame, method: str) -> list[str]:
    """The targets the default method misses by more than two Monte Carlo standard errors (of a share
    at the target: 95% for coverage, 5% for false claims)."""
    misses = []
    lo, hi = COVERAGE_TARGET
    for r in table[table["method"] == method].itertuples():
        name = f"{r.episodes} episodes x {r.articles} articles, shift {r.shift_tau:g} tau"
        if r.articles >= 10:
            for what, cov, n in (("means", r.coverage_mean, r.n_intervals_mean), ("differences", r.coverage_diff, r.n_intervals_diff)):
                if cov + 2 * mc_se(LEVEL, n) < lo or cov - 2 * mc_se(LEVEL, n) > hi:
                    misses.append(f"coverage of {what} {cov:.1%} outside {lo:.0%}-{hi:.0%} ({name})")
        if r.shift_tau == 0 and r.clear - 2 * mc_se(FALSE_CLAIM_TARGET, r.reps) > FALSE_CLAIM_TARGET:
            misses.append(f"false claims {r.clear:.1%} > {FALSE_CLAIM_TARGET:.0%} ({name})")
    return misses


def printable(table: pd.DataFrame) -> str:
    """The table as text: percentages, one row per design and method."""
    show = table.copy()
    for c in ("coverage_mean", "coverage_diff", "clear", "suggestive", "not_testable", "clear_any"):
        show[c] = (100 * show[c]).map("{:.1f}".format)
    for c in ("median_width_mean", "median_width_diff", "true_difference"):
        show[c] = show[c].map("{:.3f}".format)
    cols = ["episodes", "articles", "shift_tau", "true_difference", "method", "reps", "coverage_mean", "median_width_mean",
            "coverage_diff", "median_width_diff", "clear", "suggestive", "not_testable", "clear_any"]
    return show[cols].to_string(index=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI size: " + ", ".join(f"{k}={v}" for k, v in QUICK.items()))
    ap.add_argument("--articles", type=int, nargs="+", help="articles per episode (default 3 5 10 20 30)")
    ap.add_argument("--episodes", type=int, nargs="+", help="episodes per corpus (default 2 4)")
    ap.add_argument("--shifts", type=float, nargs="+", help="true latent shift first -> last, in units of tau (default 0 0.5 1)")
    ap.add_argument("--reps", type=int, help="corpora per design (default 1000)")
    ap.add_argument("--methods", nargs="+", choices=I.METHODS, help="interval methods (default all)")
    ap.add_argument("--n-boot", type=int, help="bootstrap resamples (default 999)")
    ap.add_argument("--n-perm", type=int, help="random permutations when exact enumeration is too large (default 999)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1, help="processes (designs run in parallel)")
    ap.add_argument("--out", type=Path, default=ROOT / "_build" / "validate_stats.csv")
    ap.add_argument("--strict", action="store_true", help="exit 1 when the default method misses a target")
    args = ap.parse_args(argv)
    conf = dict(QUICK if args.quick else FULL)
    for key in ("articles", "episodes", "shifts", "reps", "n_boot", "n_perm", "methods"):
        if getattr(args, key) is not None:
            conf[key] = getattr(args, key)

    designs = list(itertools.product(conf["episodes"], conf["articles"], conf["shifts"]))
    print(f"{len(designs)} designs x {conf['reps']} corpora; methods {', '.join(conf['methods'])}; "
          f"tau={S.TAU}, sigma={S.SIGMA}, p_zero={S.P_ZERO}, sentences per article {S.SENTENCES}; "
          f"n_boot={conf['n_boot']}, n_perm={conf['n_perm']}, seed={args.seed}", flush=True)
    t0 = time.perf_counter()
    call = dict(reps=conf["reps"], methods=conf["methods"], n_boot=conf["n_boot"], n_perm=conf["n_perm"], seed=args.seed)
    rows = []
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            for part in pool.map(run_design, designs, *[itertools.repeat(v) for v in call.values()]):
                rows += part
    else:
        for d in designs:
            rows += run_design(d, **call)
            print(f"  design {d} done ({time.perf_counter() - t0:.0f} s)", flush=True)
    table = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(printable(table))
    print(f"\ncoverage and claim shares in %; Monte Carlo se of a 95% coverage over n intervals: "
          f"{100 * mc_se(0.95, int(table['n_intervals_mean'].min())):.1f} points at the smallest n; "
          f"{time.perf_counter() - t0:.0f} s; written {args.out}")
    if I.DEFAULT_METHOD in set(table["method"]):
        misses = check_targets(table, I.DEFAULT_METHOD)
        print(f"default method {I.DEFAULT_METHOD!r}: " + ("meets every target" if not misses else "misses: " + "; ".join(misses)))
        if misses and args.strict:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
