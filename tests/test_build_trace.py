"""The build's timeline (:mod:`scripts.build.trace`, ``tools/bench_build.py --timeline``): spans are
recorded only when asked, by every process into one file, and the chart counts the idle core-seconds."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from scripts.build import trace

ROOT = Path(__file__).resolve().parent.parent


def test_nothing_is_recorded_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv(trace.VARIABLE, raising=False)
    with trace.span("x"):
        pass
    trace.record("y", 0.0, 1.0)
    assert list(tmp_path.iterdir()) == []


def test_spans_of_several_processes_land_in_one_file(tmp_path, monkeypatch):
    path = tmp_path / "trace.jsonl"
    monkeypatch.setenv(trace.VARIABLE, str(path))
    with trace.span("outer"):
        pid = os.fork()
        if pid == 0:
            trace.record("child", 10.0, 11.0)
            os._exit(0)
        os.waitpid(pid, 0)
    spans = trace.read(str(path))
    assert [s["name"] for s in spans] == ["child", "outer"]  # earliest start first
    assert len({s["pid"] for s in spans}) == 2 and spans[1]["cpu"] >= 0


def test_the_timeline_counts_a_core_idle_when_one_process_works(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from bench_build import timeline
    finally:
        sys.path.pop(0)
    path = tmp_path / "trace.jsonl"
    monkeypatch.setenv(trace.VARIABLE, str(path))
    trace.record("analysis stage", 100.0, 104.0)    # alone for 2 s, then beside the zygote's imports
    trace.record("zygote imports", 102.0, 104.0)
    trace.record("notebook a", 104.0, 106.0)        # one process for 2 s
    chart = timeline(path, width=20)
    assert "notebook a" in chart and chart.splitlines()[-1].startswith("core-seconds with no span running (two cores, 6.0 s): 4.0")
