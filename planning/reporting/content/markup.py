"""The report's display objects and small HTML helpers.

:class:`Html` and :class:`Chart` use IPython's rich display protocol (``_repr_html_``),
so nothing here imports IPython. Every piece of text passes through
:func:`esc` before it reaches a page; HTML is only assembled from escaped text and fixed
markup, and :class:`Markup` marks what was built that way.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from collections import OrderedDict
from collections.abc import Callable

import matplotlib
from matplotlib.figure import Figure

from planning.charts import figure_png, literal_text, tooltips

__all__ = ["Markup", "esc", "Html", "Chart", "html_table", "badge", "paragraphs", "section", "tag",
           "count", "day", "points"]


class Markup(str):
    """Text that is already safe HTML (built here from escaped parts); never user input."""


def esc(value: object) -> Markup:
    """Escape any value for HTML text or attributes (``Markup`` passes through)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


class Html:
    """An HTML fragment the notebook displays as ``text/html``."""

    def __init__(self, markup: str):
        self.markup = str(markup)

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<Html {len(self.markup)} characters>"


_CACHE: OrderedDict[tuple, object] = OrderedDict()
_CACHE_SIZE = 64
_SVG_HEAD = re.compile(r"^.*?(?=<svg\b)", re.S)
_SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SVG_STYLE = re.compile(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>")
_SVG_FONT = re.compile(r"font-family: [^;\"]*")
_SVG_SIZE = re.compile(r'<svg ([^>]*?)width="([\d.]+)pt" height="([\d.]+)pt"')


class Chart:
    """A matplotlib Figure shown as inline SVG (or PNG) with a tooltip on every bar and point.

    ``figure`` is a Figure or a function making one. In a report the chart is inline SVG:
    every artist the chart gave a tooltip (:func:`planning.charts.tip`) carries it as an SVG
    ``<title>``, so a reader sees the exact value under the pointer without any script. The
    SVG scales to the width of the page (never wider than drawn) and its ids are prefixed
    with the chart's own, so several charts share a page. ``half=True`` lets two charts sit
    side by side on a wide screen (they stack on a phone).

    With a ``key`` the output is kept in a small in-process cache: a kernel that renders the
    owner and the staff report of a quarter draws each shared chart once. Keys carry the
    SHA-256 of every input, so a changed file never reuses a stale picture. Neither SVG nor
    PNG carries software or date metadata, so the same figure gives the same bytes.
    """

    def __init__(self, figure: Figure | Callable[[], Figure], alt: str, dpi: int = 96,
                 key: tuple | None = None, half: bool = False):
        self._figure = figure
        self.alt = alt
        self.dpi = dpi
        self.half = half
        self.key = None if key is None else (*key, dpi)
        self.slug = "c" + hashlib.sha256(repr((alt, key)).encode()).hexdigest()[:8]

    @property
    def figure(self) -> Figure:
        if callable(self._figure):
            with literal_text():
                self._figure = self._figure()
        return self._figure

    def _cached(self, kind: str, make: Callable[[], object]):
        key = None if self.key is None else (*self.key, kind)
        if key is not None and key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        value = make()
        if key is not None:
            _CACHE[key] = value
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        return value

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        return self._cached("png", lambda: figure_png(self.figure, self.dpi, reproducible=True))

    def svg(self) -> str:
        """The chart as an inline ``<svg>`` element with a ``<title>`` on every tooltip."""
        return self._cached("svg", self._make_svg)

    def _make_svg(self) -> str:
        figure = self.figure
        buffer = io.StringIO()
        with literal_text(), matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": self.slug}):
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                                           "Type": None}, facecolor="white")
        text = _SVG_METADATA.sub("", _SVG_HEAD.sub("", buffer.getvalue(), count=1), count=1)
        # the line-join style moves to report.css; one short font list instead of matplotlib's ten
        text = _SVG_FONT.sub("font-family: 'DejaVu Sans', Verdana, Arial, sans-serif", _SVG_STYLE.sub("", text, count=1))
        slug = self.slug
        text = (text.replace(' id="', f' id="{slug}-').replace("url(#", f"url(#{slug}-")
                .replace('xlink:href="#', f'xlink:href="#{slug}-'))
        for gid, words in tooltips(figure).items():
            text = text.replace(f'<g id="{slug}-{gid}">', f'<g id="{slug}-{gid}"><title>{esc(words)}</title>', 1)
        size = _SVG_SIZE.search(text)
        if size:
            width = float(size.group(2)) * 4 / 3  # points to CSS pixels
            text = _SVG_SIZE.sub(f'<svg \\1width="100%" style="max-width: {width:.0f}px" role="img" '
                                 f'aria-label="{esc(self.alt)}"', text, count=1)
        return text

    def _repr_html_(self) -> str:
        cls = "pl-chart pl-half" if self.half else "pl-chart"
        return f'<figure class="{cls}">{self.svg()}</figure>'

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png()).decode("ascii")

    def __repr__(self) -> str:
        return f"<Chart {self.alt!r}>"


# --- small HTML helpers -------------------------------------------------------------------


def tag(name: str, content: object, cls: str | None = None) -> Markup:
    """``<name class="cls">content</name>`` with ``content`` escaped."""
    attr = f' class="{esc(cls)}"' if cls else ""
    return Markup(f"<{name}{attr}>{esc(content)}</{name}>")


def html_table(header: list[str] | None, rows: list[list[object]], numeric: set[int] | frozenset = frozenset(),
               cls: str = "pl-table", caption: str | None = None) -> Markup:
    """A table whose every cell is escaped (``Markup`` cells are trusted as built here).

    ``numeric`` lists the column indexes to right-align; ``header=None`` omits the header row.
    """
    def cells(values, element):
        out = []
        for i, value in enumerate(values):
            align = ' class="num"' if i in numeric else ""
            out.append(f"<{element}{align}>{esc('' if value is None else value)}</{element}>")
        return "".join(out)

    head = f"<thead><tr>{cells(header, 'th')}</tr></thead>" if header else ""
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    # The wrapper scrolls sideways instead of clipping a table wider than the page.
    return Markup(f'<div class="pl-scroll"><table class="{esc(cls)}">{cap}{head}<tbody>{body}</tbody></table></div>')


def badge(passed: bool, yes: str = "passed", no: str = "missed") -> Markup:
    """A green ``yes`` or red ``no`` label."""
    return Markup(f'<span class="pl-badge {"pass" if passed else "miss"}">{esc(yes if passed else no)}</span>')


def paragraphs(lines: list[str], cls: str | None = None) -> Markup:
    """One escaped ``<p>`` per line."""
    return Markup("".join(tag("p", line, cls) for line in lines))


def section(title: str, *parts: str, anchor: str | None = None) -> Html:
    """A titled ``<section>`` of already-built parts, with an optional ``id`` to link to."""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f'<section class="pl-section"{ident}><h2>{esc(title)}</h2>{"".join(parts)}</section>')


def count(n: float, noun: str) -> str:
    """``1 campaign``, ``3 campaigns``, ``0 leads``."""
    n = int(n)
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def day(d) -> str:
    """``1 Oct 2026``."""
    return f"{d.day} {d:%b %Y}"


def points(x: float) -> str:
    """A difference of two fractions in percentage points: ``2.5 points``."""
    return f"{x * 100:.1f} points"
