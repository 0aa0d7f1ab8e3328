"""One look for every figure, sized so that its text stays legible where the figure is shown.

Why these numbers (measured on the built book, sphinx-book-theme, Jupyter Book 1.x):

- HTML: at a 1280 px window a figure can be 672 CSS px wide; at 390 px, 342 px.
- PDF: the text is about 6.26 in wide (A4, 1 in margins).

A figure is drawn :data:`FIG_WIDTH` = 6.25 in wide and shown at 96 CSS px an inch, i.e. 600 CSS px in
the HTML (never stretched) and 6.25 in in the PDF: one point of font is one point on the page in
both, so text drawn at >= :data:`MIN_FONT` (10 pt) is read at >= 10 pt. A phone's column is
narrower than that, so a chapter figure is also drawn :data:`NARROW_WIDTH` = 3.4 in (326 CSS px) wide,
re-laid out for that width (one panel a row, labels above their marks, wrapped text):
:func:`publish_figure` then gives the HTML a ``<picture>`` that shows the narrow drawing in windows
matching :data:`NARROW_MEDIA` and the wide one in others; the PDF always takes the wide PNG (myst-nb's
LaTeX builder prefers ``image/png`` to ``text/html``). Both are shown at their drawn size, so 10 pt
stays 10 pt. A figure with no narrow drawing keeps its size on a phone and scrolls sideways inside its
box (``_static/figures.css``) rather than shrink to 5 pt.
PNGs are written at :data:`PIXEL_RATIO` times that size (sharp on high-density screens), with
the alt text in the PNG's ``Description`` chunk, which ``_ext/figure_alt.py`` copies into the HTML.
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

FIG_WIDTH = 6.25      # inches: fits the HTML column (672 px) and the PDF text width (6.26 in)
NARROW_WIDTH = 3.4    # inches: 326 CSS px, inside a 390 px phone's column (see scripts/plots/summary.py)
NARROW_MEDIA = "(max-width: 660px)"  # windows whose column is narrower than FIG_WIDTH (as _static/figures.css)
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
    turns into the image's width in HTML and LaTeX; no height, so a narrowed image keeps its shape).

    With a ``narrow`` drawing (:data:`NARROW_WIDTH`, shown ``narrow_size`` CSS px) it also has a
    ``text/html`` form, a ``<picture>`` of both PNGs inline (no file, no request), which the HTML
    builders prefer; LaTeX keeps the wide PNG."""

    png: bytes
    width: int
    height: int
    alt: str
    narrow: bytes | None = None
    narrow_size: tuple[int, int] | None = None

    def _repr_png_(self):
        return self.png, {"width": self.width}

    def _repr_html_(self):
        if self.narrow is None or self.narrow_size is None:
            return None
        return picture_html(self.png, (self.width, self.height), self.narrow, self.narrow_size, self.alt)

    def __repr__(self) -> str:  # text/plain of the glued output
        return f"<figure {self.width}x{self.height}: {self.alt[:60]}>"


def picture_html(wide: bytes, wide_size: tuple[int, int], narrow: bytes, narrow_size: tuple[int, int], alt: str) -> str:
    """A ``<picture>`` that shows ``narrow`` in windows matching :data:`NARROW_MEDIA` and ``wide`` in
    others, each at its drawn size in CSS px (2x PNGs, inline as data URLs); ``alt`` is escaped."""
    def url(data: bytes) -> str:
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")

    (w, h), (nw, nh) = wide_size, narrow_size
    return (f'<picture class="book-figure"><source media="{NARROW_MEDIA}" srcset="{url(narrow)} 2x" width="{nw}" height="{nh}">'
            f'<img src="{url(wide)}" srcset="{url(wide)} 2x" width="{w}" height="{h}" alt="{html.escape(alt, quote=True)}">'
            "</picture>")


def publish_figure(fig: Figure, fig_dir: str | Path, name: str, alt: str, narrow: Figure | None = None) -> FigureImage:
    """Write ``<fig_dir>/<name>.png`` (2x PNG with alt text), close ``fig`` and return what to glue.

    ``alt`` must say what is plotted and its main values (computed, see the ``*_alt`` functions).
    ``narrow``: the same figure drawn :data:`NARROW_WIDTH` wide for phones (written to
    ``<fig_dir>/narrow/<name>.png``, shown in the HTML only); it is closed too."""
    if not alt.strip():
        raise ValueError(f"figure {name!r} needs an alt text")
    if narrow is not None and float(narrow.get_size_inches()[0]) > NARROW_WIDTH + 1e-6:
        raise ValueError(f"figure {name!r}: the narrow drawing is wider than {NARROW_WIDTH} in")
    data = png_bytes(fig, alt)
    w_in, h_in = fig.get_size_inches()
    out = Path(fig_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.png").write_bytes(data)
    plt.close(fig)
    small, small_size = None, None
    if narrow is not None:
        small = png_bytes(narrow, alt)
        (out / "narrow").mkdir(exist_ok=True)
        (out / "narrow" / f"{name}.png").write_bytes(small)
        small_size = tuple(round(float(v) * CSS_DPI) for v in narrow.get_size_inches())
        plt.close(narrow)
    return FigureImage(data, round(w_in * CSS_DPI), round(h_in * CSS_DPI), alt, small, small_size)


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
