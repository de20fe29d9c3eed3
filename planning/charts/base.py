"""What every chart shares: the colours and what they mean, money axes that read right at
any scale (zero included), legends outside the data, and tooltips with exact values.

Colours keep one meaning across every chart (:data:`PALETTE`): **green** is good for the
pool or a target reached, **red** is bad for the pool or a target missed, **amber** is
bonus money, and blue and grey are plain quantities that are neither good nor bad.

A tooltip is text attached to one bar, point or line (:func:`tip`); the reports write it
into the chart's SVG as a ``<title>``, which a browser shows under the pointer without any
script (:mod:`planning.reporting.content.markup`).
"""

from __future__ import annotations

import functools
import io
import math
import textwrap

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from planning.money import format_cents

__all__ = ["PALETTE", "literal_text", "figure_png", "plain_text", "plain_text_chart", "money_axis", "MoneyFormatter", "label_money",
           "tip", "retip", "tooltips", "legend_outside", "nothing_to_show", "wrap"]

PALETTE = {
    "pass": "#2e8b57",     # good for the pool, a target or gate reached
    "miss": "#c0392b",     # bad for the pool, a target or gate missed
    "pool": "#e6a23c",     # bonus money
    "actual": "#1f6f8b",   # a plain quantity (blue)
    "second": "#34495e",   # a second plain quantity beside the first (slate)
    "target": "#99a8b2",   # a target or a lighter plain quantity (grey)
    "neutral": "#5c6770",  # in-between steps (grey)
}
"""The chart colours; the keys say what each colour means."""

_STYLE = {"text.parse_math": False, "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10,
          "xtick.labelsize": 9.5, "ytick.labelsize": 9.5, "legend.fontsize": 9.5}


def literal_text():
    """A context in which matplotlib draws every text as written: no mathtext, so a name like
    ``Ops $x^2$`` is drawn as those characters and one like ``$\\frac{1$`` cannot make a chart
    fail. Needed both while a figure is built and while it is drawn (tick labels are made then).
    It also sets the charts' font sizes, large enough to read on a phone.
    """
    return matplotlib.rc_context(_STYLE)


def figure_png(fig: Figure, dpi: int, reproducible: bool = False) -> bytes:
    """A figure as PNG bytes, drawn in :func:`literal_text` (the report's and the cockpit's
    one PNG helper). ``reproducible``: a white background and no software metadata, so the
    same figure gives the same bytes (the reports)."""
    buffer = io.BytesIO()
    extra = {"metadata": {"Software": None}, "facecolor": "white"} if reproducible else {}
    with literal_text():
        fig.savefig(buffer, format="png", dpi=dpi, **extra)
    return buffer.getvalue()


def plain_text(chart):
    """Build the chart inside :func:`literal_text`."""
    @functools.wraps(chart)
    def build(*args, **kwargs):
        with literal_text():
            return chart(*args, **kwargs)
    return build


plain_text_chart = plain_text
"""The name :mod:`planning.scenario_charts` imports."""


# --- money axes ------------------------------------------------------------------------------


class MoneyFormatter(Formatter):
    """Tick labels in thousands or millions with as many decimals as the tick spacing needs.

    Every tick gets a different label: an axis from 0 to 1 reads ``0, 0.2, ... 1`` (never
    ``0 0 0 1 1 1``) and one from 1,000 to 2,000 in steps of 250 reads ``1k, 1.25k, ...``.
    """

    def __init__(self):
        self._scale, self._suffix, self._decimals = 1.0, "", 0

    def set_locs(self, locs):
        super().set_locs(locs)
        values = [abs(float(v)) for v in locs]
        top = max(values, default=0.0)
        self._scale, self._suffix = (1e6, "M") if top >= 1e6 else (1e3, "k") if top >= 1e3 else (1.0, "")
        steps = [abs(b - a) for a, b in zip(locs[:-1], locs[1:], strict=True) if b != a]
        step = min(steps, default=1.0) / self._scale
        self._decimals = 0 if step >= 1 else min(6, math.ceil(-math.log10(step) - 1e-9))

    def __call__(self, x, pos=None):
        text = f"{abs(x) / self._scale:,.{self._decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text == "0":
            return "0"
        return f"{'-' if x < 0 else ''}{text}{self._suffix}"


def money_axis(ax, currency: str = "", axis: str = "y") -> None:
    """Format an axis as money in thousands or millions (``1.2M``, ``450k``), the currency in
    the axis label; ticks fall on round amounts and never repeat a label."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    target.set_major_formatter(MoneyFormatter())
    if currency:
        (ax.set_ylabel if axis == "y" else ax.set_xlabel)(currency)


def label_money(value: float, currency: str = "") -> str:
    """A short amount for a label on a bar: ``AUD 45.0k``, ``1.25M``, ``-300``."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    text = f"{value / 1e6:.2f}M" if value >= 1e6 else f"{value / 1e3:.1f}k" if value >= 1e3 else f"{value:.0f}"
    return f"{sign}{currency + ' ' if currency else ''}{text}"


def money_text(value: float, currency: str = "") -> str:
    """The exact amount for a tooltip: ``AUD 45,000.00``."""
    return format_cents(value, currency) if currency else f"{value:,.2f}"


__all__ += ["money_text"]


# --- tooltips and legends ---------------------------------------------------------------------

_TIPS = "planning_tooltips"


def tip(fig: Figure, artist, text: str) -> None:
    """Attach ``text`` (an exact value in words) to one bar, point or line of ``fig``.

    The artist gets an id (``pl-tip-N``) that SVG output keeps on its group, so a report can
    put a ``<title>`` in it; PNG output ignores it.
    """
    tips = fig.__dict__.setdefault(_TIPS, {})
    gid = f"pl-tip-{len(tips)}"
    artist.set_gid(gid)
    tips[gid] = str(text)


def retip(fig: Figure, artist, text: str) -> None:
    """Change the tooltip :func:`tip` gave ``artist`` (a chart updated in place)."""
    fig.__dict__.setdefault(_TIPS, {})[artist.get_gid()] = str(text)


def tooltips(fig: Figure) -> dict[str, str]:
    """Every tooltip of ``fig`` by the id :func:`tip` gave its artist."""
    return dict(fig.__dict__.get(_TIPS, {}))


def legend_outside(fig: Figure, ax, ncols: int | None = None, handles=None, labels=None) -> None:
    """The legend above the plot, outside the axes, so it never covers a bar or a point."""
    if handles is None:
        handles, labels = [], []
        for one in fig.axes:
            h, lab = one.get_legend_handles_labels()
            handles += h
            labels += lab
    if not handles:
        return
    fig.legend(handles, labels, loc="outside upper center", ncols=ncols or min(len(handles), 4),
               frameon=False, handlelength=1.4, columnspacing=1.2)


def wrap(label: str, width: int = 20) -> str:
    """A long tick label on lines of about ``width`` characters, so it leaves the plot room."""
    return textwrap.fill(str(label), width, break_long_words=False) if len(str(label)) > width else str(label)


def nothing_to_show(ax, message: str) -> None:
    """An empty chart that says why (``Nothing was paid this quarter``) instead of an axis of
    meaningless ticks."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color=PALETTE["neutral"])
