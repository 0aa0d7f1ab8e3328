"""One look for every figure, sized so that its text stays legible where the figure is shown.

Why these numbers (measured on the built book, sphinx-book-theme, Jupyter Book 1.x):

- HTML: at a 1280 px window a figure can be 672 CSS px wide; at 390 px, 342 px.
- PDF: the text is about 6.26 in wide (A4, 1 in margins).

A figure is drawn :data:`FIG_WIDTH` = 6.25 in wide and shown at 96 CSS px an inch, i.e. 600 CSS px in
the HTML (never stretched) and 6.25 in in the PDF: one point of font is one point on the page in
both, so text drawn at >= :data:`MIN_FONT` (10 pt) is read at >= 10 pt. On a phone the HTML keeps
that size and the figure scrolls sideways (``_static/figures.css``) rather than shrink to 5 pt.
PNGs are written at :data:`PIXEL_RATIO` times that size (sharp on high-density screens), with
the alt text in the PNG's ``Description`` chunk, which ``_ext/figure_alt.py`` copies into the HTML.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

FIG_WIDTH = 6.25      # inches: fits the HTML column (672 px) and the PDF text width (6.26 in)
CSS_DPI = 96          # CSS pixels per inch
PIXEL_RATIO = 2       # PNG pixels per CSS pixel
MIN_FONT = 10.0       # points, at display size
ALT_KEY = "Description"  # PNG text chunk that carries the alt text

RC = {
    "figure.dpi": CSS_DPI, "savefig.dpi": CSS_DPI * PIXEL_RATIO,
    "font.size": 10.5, "axes.titlesize": 11, "axes.titleweight": "bold", "axes.labelsize": 10.5,
    "xtick.labelsize": 10, "ytick.labelsize": 10, "legend.fontsize": 10, "figure.titlesize": 11,
    "axes.spines.top": False, "axes.spines.right": False,
    "figure.constrained_layout.use": True,
}


def setup_style() -> None:
    """Apply :data:`RC` (text >= 10 pt in a :data:`FIG_WIDTH` figure) and PNG display in notebooks."""
    plt.rcParams.update(RC)
    _register_png_display()


def _register_png_display() -> None:
    """In a notebook kernel, make Figure objects display (and glue) as PNG even on the Agg backend."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
        # a figure glued as is (intro, methods) is also a 2x PNG shown at its drawn width
        get_ipython().display_formatter.formatters["image/png"].for_type(
            Figure, lambda fig: (png_bytes(fig), {"width": round(float(fig.get_size_inches()[0]) * CSS_DPI)}))


def png_bytes(fig: Figure, alt: str = "") -> bytes:
    """The figure as a PNG at :data:`PIXEL_RATIO` x 96 dpi, its full canvas (no tight crop: the width
    stays :data:`FIG_WIDTH`), with ``alt`` in the ``Description`` text chunk."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CSS_DPI * PIXEL_RATIO, bbox_inches=None, metadata={ALT_KEY: alt} if alt else None)
    return buf.getvalue()


@dataclass(frozen=True)
class FigureImage:
    """A rendered figure for ``glue``: PNG bytes shown at ``width`` x ``height`` CSS px (half the pixels),
    with its alt text. IPython displays it through ``_repr_png_`` (bytes plus a width, which myst-nb
    turns into the image's width in HTML and LaTeX; no height, so a narrowed image keeps its shape)."""

    png: bytes
    width: int
    height: int
    alt: str

    def _repr_png_(self):
        return self.png, {"width": self.width}

    def __repr__(self) -> str:  # text/plain of the glued output
        return f"<figure {self.width}x{self.height}: {self.alt[:60]}>"


def publish_figure(fig: Figure, fig_dir: str | Path, name: str, alt: str) -> FigureImage:
    """Write ``<fig_dir>/<name>.png`` (2x PNG with alt text), close ``fig`` and return what to glue.

    ``alt`` must say what is plotted and its main values (computed, see the ``*_alt`` functions)."""
    if not alt.strip():
        raise ValueError(f"figure {name!r} needs an alt text")
    data = png_bytes(fig, alt)
    w_in, h_in = fig.get_size_inches()
    out = Path(fig_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.png").write_bytes(data)
    plt.close(fig)
    return FigureImage(data, round(w_in * CSS_DPI), round(h_in * CSS_DPI), alt)


def png_alt(data: bytes) -> str:
    """The alt text stored by :func:`png_bytes` ('' when none)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return str(im.info.get(ALT_KEY, ""))


def display_scale(fig: Figure, display_in: float) -> float:
    """Factor from the figure's size to its shown size when ``display_in`` inches are available
    (never above 1: figures are not stretched)."""
    return min(1.0, display_in / float(fig.get_size_inches()[0]))


def visible_texts(fig: Figure) -> list[Text]:
    """Every drawn, non-empty text of the figure (titles, labels, tick labels, annotations); tick labels
    of ticks outside the axis limits are not drawn and left out."""
    fig.canvas.draw()
    all_ticks, drawn = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                all_ticks |= {id(tick.label1), id(tick.label2)}
            for tick in axis._update_ticks() if ax.axison else []:  # drawn: inside the view limits, axis on
                drawn |= {id(tick.label1), id(tick.label2)}
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible()) and (id(t) not in all_ticks or id(t) in drawn)]


def min_font_at(fig: Figure, display_in: float) -> float:
    """Smallest font size (pt) of the figure's visible text once it is shown ``display_in`` wide."""
    sizes = [t.get_fontsize() for t in visible_texts(fig)]
    return min(sizes) * display_scale(fig, display_in) if sizes else float("inf")


def overlapping_texts(fig: Figure, pad: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of visible texts whose drawn boxes overlap (for tests: labels must not collide)."""
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer).padded(-pad)) for t in visible_texts(fig)]
    return [(a, b) for i, (a, ba) in enumerate(boxes) for (b, bb) in boxes[i + 1:] if ba.overlaps(bb)]
