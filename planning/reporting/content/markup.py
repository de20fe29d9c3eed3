"""The report's display objects and small HTML helpers.

:class:`Html` and :class:`Chart` use IPython's rich display protocol (``_repr_html_``,
``_repr_png_``), so nothing here imports IPython. Every piece of text passes through
:func:`esc` before it reaches a page; HTML is only assembled from escaped text and fixed
markup, and :class:`Markup` marks what was built that way.
"""

from __future__ import annotations

import base64
import html
from collections import OrderedDict
from collections.abc import Callable

from matplotlib.figure import Figure

from planning.charts import figure_png, literal_text

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


_PNG_CACHE: OrderedDict[tuple, bytes] = OrderedDict()
_PNG_CACHE_SIZE = 48


class Chart:
    """A matplotlib Figure displayed as an embedded PNG with alt text.

    ``figure`` is a Figure or a function making one. With a ``key`` the PNG is kept in a
    small in-process cache: a kernel that renders the owner and the staff report of a
    quarter draws each shared chart once. Keys carry the SHA-256 of every input, so a
    changed file never reuses a stale picture. The PNG carries no software or date
    metadata, so the same figure gives the same bytes.
    """

    def __init__(self, figure: Figure | Callable[[], Figure], alt: str, dpi: int = 96,
                 key: tuple | None = None):
        self._figure = figure
        self.alt = alt
        self.dpi = dpi
        self.key = None if key is None else (*key, dpi)

    @property
    def figure(self) -> Figure:
        if callable(self._figure):
            with literal_text():
                self._figure = self._figure()
        return self._figure

    def png(self) -> bytes:
        if self.key is not None and self.key in _PNG_CACHE:
            _PNG_CACHE.move_to_end(self.key)
            return _PNG_CACHE[self.key]
        data = figure_png(self.figure, self.dpi, reproducible=True)
        if self.key is not None:
            _PNG_CACHE[self.key] = data
            while len(_PNG_CACHE) > _PNG_CACHE_SIZE:
                _PNG_CACHE.popitem(last=False)
        return data

    def _repr_png_(self):
        return self.png(), {"alt": self.alt}

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
