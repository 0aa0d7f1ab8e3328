"""The summary figure of the findings page (scripts/plots/summary.py) on the three corpora: one
categorical episode axis in date order, one language in the agenda panel, no text under 10 pt, no
overlapping concept labels (the alt text is in findings.ipynb, checked by test_findings_e2e)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from scripts import plots  # noqa: E402
from scripts import tone as TN  # noqa: E402
from scripts.plots import summary as PS  # noqa: E402
from tests.test_narrative_findings import corpus_tables  # noqa: E402


def _texts(fig):
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip() and t.get_visible()]


def test_summary_figure_on_every_corpus(any_corpus):
    name, corp = any_corpus
    plots.setup_style()
    _, summary, _, concepts, eps = corpus_tables(corp)
    ep_lang = TN.summary_level(summary, "episode_language", ["episode", "language"])
    fig = PS.summary_figure(concepts, ep_lang, eps)
    try:
        fig.canvas.draw()
        top, bottom = fig.axes[:2]
        ticks = [t.get_text().replace("\n", " ") for t in bottom.get_xticklabels()]
        assert ticks == list(eps.sort_values("order")["label"])           # categorical, date order
        assert min(t.get_fontsize() for t in _texts(fig)) >= PS.FONT >= 10
        lang = PS.agenda_language(concepts)
        assert lang in set(concepts["language"])
        assert top.get_title(loc="left").endswith(f"({ {'en': 'English', 'fr': 'French'}[lang]} articles)")
        labels = [t for t in top.texts]
        boxes = [matplotlib.text.Text.get_window_extent(t) for t in labels]  # the words, not their leader lines
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), [t.get_text() for t in labels]
        axis_y = top.transData.transform((0, 0))[1]
        assert all(b.y0 > axis_y - 1 for b in boxes), "a concept label sits on the x axis"
    finally:
        plt.close(fig)


def test_agenda_language_covers_most_episodes_then_most_mentions():
    c = pd.DataFrame({"episode": ["a", "b", "b", "a"], "language": ["en", "fr", "en", "fr"], "count": [1, 9, 1, 1]})
    assert PS.agenda_language(c) == "fr"                         # both cover two episodes; fr has more mentions
    assert PS.agenda_language(c[c["language"] == "en"].iloc[:1]) == "en"
    assert PS.agenda_language(c.iloc[:0]) == ""
