"""Tests of scripts/plots/tone.py: each figure function returns a Figure with one panel per measure,
display names in labels, episodes in date order, and copes with one episode, no quotations and the
tiny fixture corpus."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from scripts import actors as A
from scripts import corpus as C
from scripts import diplomatic as D
from scripts import tone as T
from scripts import tone_scores as TS
from scripts.narrative.tone import MEASURE_LABELS, SHORT_MEASURE_LABELS
from scripts.plots import tone as PT

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"

EPISODES = pd.DataFrame({"episode": ["late", "early"], "label": ["Sochi, May 2019", "Moscow, April 2017"],
                         "date": pd.to_datetime(["2019-05-14", "2017-04-12"]), "order": [1, 0]})


def ep_lang_rows(rows):
    """rows: (episode, language, measure, estimate) -> summary_level-like frame with +-0.1 intervals."""
    return pd.DataFrame([{"episode": e, "language": l, "measure": m, "estimate": x, "ci_low": x - 0.1,
                          "ci_high": x + 0.1, "n": 10} for e, l, m, x in rows])


def drawn_xticklabels(ax):
    ax.figure.canvas.draw()
    lo, hi = ax.get_xlim()
    return [t.get_text() for t, v in zip(ax.get_xticklabels(), ax.get_xticks()) if lo <= v <= hi and t.get_text()]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _xlabels(ax):
    return [t.replace("\n", " ") for t in drawn_xticklabels(ax)]


def _points(ax):
    """(x, y) of each error bar's marker, in drawing order."""
    return [tuple(c.lines[0].get_xydata()[0]) for c in ax.containers]


def test_episode_tone_categorical_axis_and_direct_labels():
    rows = [(e, l, m, 0.2) for e in ("early", "late") for l in ("fr", "en") for m in T.MEASURES]
    fig = PT.episode_tone(ep_lang_rows(rows), EPISODES)
    assert isinstance(fig, Figure) and len(fig.axes) == 2 and not fig.legends
    assert [ax.get_title(loc="left") for ax in fig.axes] == [MEASURE_LABELS[m] for m in T.MEASURES]
    # the episodes are the x categories, in date order, labelled: no empty years between them
    ax = fig.axes[-1]
    assert list(ax.get_xticks()) == [0, 1] and _xlabels(ax) == ["Moscow, April 2017", "Sochi, May 2019"]
    assert ax.get_xlim() == pytest.approx((-0.6, 1.6))
    # one error bar per episode x language in each panel; the two languages of an episode side by side
    for a in fig.axes:
        pts = _points(a)
        assert len(pts) == 4 and len({round(x, 3) for x, _ in pts}) == 4
        assert all(abs(x - round(x)) == pytest.approx(0.15) for x, _ in pts)
        assert sorted(t.get_text() for t in a.texts) == ["en", "en", "fr", "fr"]   # language named at each point


def test_episode_tone_single_episode_and_language():
    one = EPISODES[EPISODES["episode"] == "early"]
    fig = PT.episode_tone(ep_lang_rows([("early", "fr", m, -0.1) for m in T.MEASURES]), one)
    assert len(fig.axes) == 2 and not fig.legends
    assert _xlabels(fig.axes[-1]) == ["Moscow, April 2017"]
    assert _points(fig.axes[0])[0][0] == pytest.approx(0.0)   # one language: centred on its episode


def test_year_formatter_adds_year_only_when_missing():
    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime(["2017-03-01", "2019-07-01"]), [0, 1])
    PT.year_date_axis(ax)
    labels = drawn_xticklabels(ax)
    assert labels[0].endswith("2017") and sum("2017" in t for t in labels) == 1
    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime(["2017-01-01", "2021-01-01"]), [0, 1])   # yearly ticks: unchanged
    PT.year_date_axis(ax)
    assert all(t.isdigit() for t in drawn_xticklabels(ax))


def test_quoted_tone_rows_use_display_names_and_empty_case():
    qa = pd.DataFrame([{"actor": a, "episode": e, "measure": m, "estimate": 0.5, "ci_low": 0.2, "ci_high": 0.8, "n": 3}
                       for a, e in (("lavrov", "early"), ("lavrov", "late"), ("pompeo", "late")) for m in T.MEASURES])
    fig = PT.quoted_tone(qa, EPISODES)  # no names: the ids are shown
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "lavrov\nMoscow, April 2017", "lavrov\nSochi, May 2019", "pompeo\nSochi, May 2019"]
    named = qa.assign(name=qa["actor"].map({"lavrov": "Sergei Lavrov", "pompeo": "Mike Pompeo"}))
    assert [t.get_text() for t in PT.quoted_tone(named, EPISODES).axes[0].get_yticklabels()] == [
        "Sergei Lavrov\nMoscow, April 2017", "Sergei Lavrov\nSochi, May 2019", "Mike Pompeo\nSochi, May 2019"]
    assert fig.axes[0].get_title() == "VADER"
    alt = PT.quoted_tone_alt(named, EPISODES)
    assert "Sergei Lavrov, Moscow, April 2017 (n=3): VADER +0.50, coop. index +0.50" in alt
    assert sum(t.get_text() == "n=3" for t in fig.axes[1].texts) == 3
    empty = PT.quoted_tone(qa.iloc[0:0], EPISODES)
    assert len(empty.axes) == 1 and "no attributed quotations" in empty.axes[0].texts[0].get_text()


def test_trajectory_one_line_per_measure():
    traj = pd.DataFrame([{"bin": b, "bin_mid": (b + 0.5) / 3, "measure": m, "estimate": 0.1 * b, "ci_low": 0.0,
                          "ci_high": 0.3, "n": 5} for m in T.MEASURES for b in range(3)])
    fig = PT.trajectory(traj)
    ax = fig.axes[0]
    assert len(fig.axes) == 1 and len(ax.lines) == 3  # two measures + the zero line
    assert ax.get_legend() is None                     # named at the line ends instead
    assert sorted(t.get_text() for t in ax.texts) == sorted(SHORT_MEASURE_LABELS[m] for m in T.MEASURES)
    assert list(ax.lines[0].get_ydata()) == pytest.approx([0.0, 0.1, 0.2])
    # both lines end at 0.2: their names are pushed apart, not drawn on top of each other
    r = fig.canvas.get_renderer()
    a, b = (t.get_window_extent(r) for t in ax.texts)
    assert not a.overlaps(b)
    assert "from +0.00 in the first slice to +0.20 in the last" in PT.trajectory_alt(traj)


def test_word_shift_bars_and_empty_case():
    ws = pd.DataFrame({"entry": ["dialogue", "sanctions", "trust"], "pole": ["cooperation", "confrontation", "cooperation"],
                       "difference": [0.5, 0.3, -0.1]})
    fig = PT.word_shift(ws, top_entries=2)
    ax = fig.axes[0]
    assert len(ax.patches) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["sanctions (conf.)", "dialogue (coop.)"]  # largest on top
    assert ax.get_xlim() == pytest.approx((-0.575, 0.575))
    empty = PT.word_shift(ws.iloc[0:0])
    assert "no shift to decompose" in empty.axes[0].texts[0].get_text()


def test_measure_and_pole_colours_are_not_episode_colours():
    from matplotlib.colors import to_hex

    from scripts import plots

    palette = {c.lower() for c in plots.EPISODE_PALETTE} | {c.lower() for c in plots.OKABE_ITO}
    used = set(PT.MEASURE_COLORS.values()) | set(PT.POLE_COLORS.values())
    assert not {c.lower() for c in used} & palette
    # word shift: dark grey cooperation bars, hatched red confrontation bars, and a legend naming both
    ws = pd.DataFrame({"entry": ["dialogue", "sanctions"], "pole": ["cooperation", "confrontation"], "difference": [0.5, -0.3]})
    fig = PT.word_shift(ws)
    bars = {t.get_text(): b for t, b in zip(fig.axes[0].get_yticklabels(), fig.axes[0].patches)}
    assert to_hex(bars["dialogue (coop.)"].get_facecolor()) == PT.POLE_COLORS["cooperation"]
    assert to_hex(bars["sanctions (conf.)"].get_facecolor()) == PT.POLE_COLORS["confrontation"]
    assert bars["sanctions (conf.)"].get_hatch() == "///" and not bars["dialogue (coop.)"].get_hatch()
    assert not fig.legends                              # each label names its pole, in the pole's colour
    assert {t.get_text(): to_hex(t.get_color()) for t in fig.axes[0].get_yticklabels()} == {
        "dialogue (coop.)": PT.POLE_COLORS["cooperation"], "sanctions (conf.)": PT.POLE_COLORS["confrontation"]}
    # trajectory: the two measures differ by line style and marker, not only by a shade of grey
    traj = pd.DataFrame([{"bin": 0, "bin_mid": 0.5, "measure": m, "estimate": 0.0, "ci_low": -0.1, "ci_high": 0.1, "n": 1}
                         for m in T.MEASURES])
    lines = PT.trajectory(traj).axes[0].lines[:2]
    assert lines[0].get_linestyle() != lines[1].get_linestyle() and lines[0].get_marker() != lines[1].get_marker()
    assert [to_hex(l.get_color()) for l in lines] == [PT.MEASURE_COLORS[m] for m in T.MEASURES]


def test_figures_on_tiny_fixture():
    corp = C.load_corpus(TINY)
    scored = T.attach_actors(TS.score_sentences(corp.sentences), A.find_mentions(corp.sentences, corp.documents))
    quoted = T.score_quotes(A.find_quotes(corp.sentences, corp.documents), corp.documents)
    shifts = T.all_shifts(scored, corp.episodes, 100, 0, 99)
    summary = T.tone_summary(scored, quoted, shifts, 100, 0)
    ep_lang = T.summary_level(summary, "episode_language", ["episode", "language"])
    fig = PT.episode_tone(ep_lang, corp.episodes)
    assert _xlabels(fig.axes[-1]) == list(corp.episodes.sort_values("order")["label"])
    alt = PT.episode_tone_alt(ep_lang, corp.episodes)
    assert all(label in alt for label in corp.episodes["label"])
    assert len(PT.quoted_tone(T.top_quoted(summary, quoted, corp.episodes), corp.episodes).axes) in (1, 2)
    assert len(PT.trajectory(T.trajectories(scored, 3, 100, 0)).axes) == 1
    ws = T.headline_word_shift(D.diplomatic_matches(corp.sentences), scored, corp.episodes)
    assert isinstance(PT.word_shift(ws.shift, 5), Figure)


def test_episode_tone_marks_within_article_estimates():
    from scripts.inference import WITHIN
    eps = pd.DataFrame({"episode": ["a", "b"], "label": ["A", "B"], "date": pd.to_datetime(["2017-04-12", "2019-05-14"]),
                        "order": [0, 1]})
    rows = [{"episode": e, "language": "fr", "measure": m, "estimate": 0.1, "ci_low": 0.0, "ci_high": 0.2,
             "n": 5, "n_articles": k, "interval": WITHIN if k == 1 else "between articles"}
            for e, k in (("a", 1), ("b", 3)) for m in PT.MEASURES]
    fig = PT.episode_tone(pd.DataFrame(rows), eps)
    faces = [c.lines[0].get_markerfacecolor() for c in fig.axes[0].containers]
    assert faces[0] == "white" and faces[1] != "white"                   # hollow: one article, within-article interval
    assert [t.get_text() for t in fig.axes[0].texts] == ["fr (1)", "fr (3)"]  # language and articles at each point
    plt.close(fig)
