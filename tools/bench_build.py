"""Time the build: cold, rebuilt with nothing changed, rebuilt after editing one seed, after adding one.

    .venv/bin/python tools/bench_build.py [--seeds seeds] [--work /tmp/bench_build] [--strict] [--repeat 3]
                                          [--cold-only] [--build-arg=--cold-kernels ...]

Works on a copy of the seeds folder (the original is never touched) and a fresh output folder.
Prints one line per build with the wall time, the CPU time of the build and everything it started
(kernels, Jupyter Book), the load average when it started, and what the build did (notebooks
executed, whether Jupyter Book ran), then a summary table. Not a test: wall times depend on the
machine; on a shared machine the CPU time is the steadier figure. ``--repeat N`` runs the three
builds N times (each time from a fresh copy and output folder) and the table gives the minimum wall
time and the minimum and maximum CPU time of each build. ``--cold-only`` times the cold build alone
(issue 14's 20 s target); ``--build-arg`` passes an argument to every build (e.g. ``--cold-kernels``
to compare with kernels started from scratch). ``--timeline`` records the first cold build's spans
(:mod:`scripts.build.trace`: which process ran what, when) and prints them as a chart, with the time
fewer than two processes were working (a core idle, on two cores).
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def run(seeds: Path, out: Path, extra: list[str], trace: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the build and the processes it waited for), stdout.
    ``trace``: record the build's timeline there (:mod:`scripts.build.trace`)."""
    from scripts.build.trace import VARIABLE

    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    if trace is not None:
        trace.unlink(missing_ok=True)
        env[VARIABLE] = str(trace)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "scripts.build", "--seeds", str(seeds), "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, proc.stdout


def describe(stdout: str) -> str:
    executed = len(re.findall(r": executing \.\.\.", stdout))
    unchanged = len(re.findall(r": unchanged, not re-executed", stdout))
    html = "jupyter-book ran" if "[html] jupyter-book build" in stdout else "jupyter-book skipped"
    return f"{executed} notebooks executed, {unchanged} unchanged, {html}"


BUILDS = ("cold", "no change", "one seed changed", "one article added")


#: spans that contain others (or wait for another process): not counted as a working process
WAITING = ("html (waiting for the renderer)", "jupyter-book build")


def timeline(path: Path, width: int = 60) -> str:
    """The spans of a trace as a chart: one row per span (start, end, CPU s, process, bar), then the
    seconds during which fewer than two processes worked."""
    from scripts.build.trace import read

    spans = read(str(path))
    if not spans:
        return "(no spans recorded)"
    t0 = min(s["start"] for s in spans)
    total = max(s["end"] for s in spans) - t0
    names = {}
    for s in spans:  # a process is named by the first span it recorded
        names.setdefault(s["pid"], s["name"].split()[0] if s["name"].startswith(("notebook", "sphinx", "renderer", "zygote")) else "build")
    lanes = {pid: f"{kind}#{i}" for i, (pid, kind) in enumerate(names.items())}
    scale = width / max(total, 1e-9)
    rows = [f"{'start':>6} {'end':>6} {'CPU s':>6}  {'process':<12} {'span':<44} 0{' ' * (width - 6)}{total:5.1f} s"]
    for s in spans:
        a, b = s["start"] - t0, s["end"] - t0
        bar = " " * int(a * scale) + "#" * max(1, int(round((b - a) * scale)))
        cpu = "" if s.get("cpu") is None else f"{s['cpu']:.1f}"
        rows.append(f"{a:6.1f} {b:6.1f} {cpu:>6}  {lanes[s['pid']]:<12} {s['name'][:44]:<44} {bar}")
    working = [s for s in spans if s["name"] not in WAITING]
    edges = sorted({t for s in working for t in (s["start"], s["end"])})
    idle = 0.0
    for lo, hi in zip(edges, edges[1:]):
        busy = sum(1 for s in working if s["start"] <= lo and s["end"] >= hi)
        idle += (hi - lo) * max(0, 2 - busy)
    rows.append(f"core-seconds with no span running (two cores, {total:.1f} s): {idle:.1f} "
                "(Sphinx's parallel reading and writing use a second process not shown here)")
    return "\n".join(rows)


def series(source: Path, work: Path, extra: list[str], builds: tuple[str, ...] = BUILDS,
           trace: Path | None = None) -> list[tuple[str, float, float, float, str]]:
    """Cold, no-change and one-seed-changed builds on a fresh copy of ``source`` in ``work``."""
    if work.exists():
        shutil.rmtree(work)
    seeds, out = work / "seeds", work / "out"
    shutil.copytree(source, seeds)
    results = []
    for label in builds:
        if label == "one article added":  # the incremental target (scale: one new article in 1,000)
            sys.path.insert(0, str(ROOT / "tools"))
            from bench_scale import add_article
            add_article(seeds)
        if label == "one seed changed":
            first = yaml.safe_load((seeds / "manifest.yml").read_text(encoding="utf-8"))["documents"][0]["file"]
            path = seeds / first
            path.write_text(path.read_text(encoding="utf-8") + "\n\nOne more paragraph added by the benchmark.\n", encoding="utf-8")
        load = os.getloadavg()[0]
        elapsed, cpu, stdout = run(seeds, out, extra, trace if label == "cold" else None)
        results.append((label, elapsed, cpu, load, describe(stdout)))
        (work / f"build-{label.replace(' ', '-')}.log").write_text(stdout, encoding="utf-8")  # per-step times
        print(f"{label:>17}: {elapsed:6.1f} s wall, {cpu:6.1f} s CPU, load {load:.1f}  ({results[-1][4]})", flush=True)
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench_build"))
    ap.add_argument("--strict", action="store_true", help="pass --strict to every build")
    ap.add_argument("--repeat", type=int, default=1, help="run the three builds this many times; report the minimum wall time")
    ap.add_argument("--cold-only", action="store_true", help="time the cold build only")
    ap.add_argument("--build-arg", action="append", default=[], help="an argument for every build, e.g. --build-arg=--cold-kernels")
    ap.add_argument("--timeline", action="store_true", help="print the first cold build's timeline (which process ran what, when)")
    args = ap.parse_args()
    extra = (["--strict"] if args.strict else []) + args.build_arg
    builds = BUILDS[:1] if args.cold_only else BUILDS
    trace = args.work.with_name(args.work.name + "-trace.jsonl") if args.timeline else None
    runs = [series(args.seeds, args.work, extra, builds, trace if i == 0 else None) for i in range(max(1, args.repeat))]
    if trace is not None:
        print()
        print(timeline(trace))
    print()
    print(f"seeds: {args.seeds} ({len(list(args.seeds.glob('*.txt')))} texts); output: {args.work / 'out'}")
    print(f"machine: {os.cpu_count()} cores; {len(runs)} run(s) of each build; build arguments: {' '.join(extra) or 'none'}")
    print("| build | wall s (min) | CPU s (min–max) | load (1 min) at start | what ran |\n|---|---:|---:|---:|---|")
    for i, (label, *_rest) in enumerate(runs[0]):
        rows = [r[i] for r in runs]
        cpus = [r[2] for r in rows]
        loads = ", ".join(f"{r[3]:.1f}" for r in rows)
        print(f"| {label} | {min(r[1] for r in rows):.1f} | {min(cpus):.1f}–{max(cpus):.1f} | {loads} | {rows[-1][4]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
