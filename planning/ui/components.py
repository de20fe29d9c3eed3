"""Small building blocks shared by the workbook's widgets: controls, tiles, tables, charts.

Every name that reaches HTML goes through :func:`html.escape` (or ``DataFrame.to_html``,
which escapes); charts are rendered to PNG bytes here so they show the same in JupyterLab,
Voila and a kernel-free test.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from planning.charts import figure_png

__all__ = [
    "LABEL_STYLE",
    "percent_slider",
    "money_box",
    "chart_image",
    "chart_png",
    "tile",
    "tiles_html",
    "message_html",
    "table_html",
    "pct",
    "problems_html",
    "percent_exact",
    "percent_readout",
    "period_label",
]

LABEL_STYLE = {"description_width": "120px"}
CONTROL_WIDTH = "390px"
CHART_DPI = 80

_CSS = """
<style>
.pw-tiles, .pw-pool-line, .pw-why, .pw-error, .pw-ok, .pw-note, .pw-table {line-height:1.35;}
.pw-tiles {display:grid; grid-template-columns:repeat(auto-fit, minmax(150px, 1fr)); gap:8px;
           font-family:system-ui, sans-serif;}
.pw-tile {border:1px solid #d5dbe0; border-radius:6px; padding:6px 10px; background:#fafbfc;}
.pw-tile .pw-title {font-size:12px; color:#5c6770;}
.pw-tile .pw-value {font-size:19px; font-weight:600; color:#1d2a33;}
.pw-tile .pw-detail {font-size:12px; color:#5c6770;}
.pw-pass {border-left:5px solid #2e8b57;} .pw-miss {border-left:5px solid #c0392b;}
.pw-pool {border-left:5px solid #e6a23c;} .pw-plain {border-left:5px solid #99a8b2;}
.pw-pool-line {font-size:22px; font-weight:700; margin:8px 0 2px 0; color:#1d2a33;
               font-family:system-ui, sans-serif;}
.pw-why {font-size:12px; color:#3b4650; margin:2px 0; font-family:system-ui, sans-serif;}
.pw-error {border:1px solid #c0392b; background:#fdecea; color:#7b1d13; padding:6px 10px;
           border-radius:6px; font-family:system-ui, sans-serif; white-space:pre-wrap;}
.pw-ok {color:#1e5e3a; font-family:system-ui, sans-serif;}
.pw-note {color:#5c6770; font-size:12px; font-family:system-ui, sans-serif;}
.pw-table table {border-collapse:collapse; font-size:12px; font-family:system-ui, sans-serif;}
.pw-table th, .pw-table td {padding:2px 8px; border-bottom:1px solid #e4e7ea; text-align:right;}
.pw-table th {position:sticky; top:0; background:#f0f3f5;}
.pw-table td:nth-child(-n+4), .pw-table th:nth-child(-n+4) {text-align:left;}
</style>
"""


def pct(x: float, decimals: int = 1) -> str:
    """``0.9512 -> '95.1%'``; NaN -> 'n/a'."""
    return "n/a" if x != x else f"{x * 100:.{decimals}f}%"


def percent_exact(x: float) -> str:
    """A threshold as written, without rounding it away: ``0.95 -> '95%'``, ``0.975 -> '97.5%'``."""
    return f"{x * 100:.2f}".rstrip("0").rstrip(".") + "%"


def period_label(period) -> str:
    """A fiscal quarter with its months, for people who do not count fiscal quarters:
    ``2026Q4 (Apr-Jun 2026)``, ``2026Q2 (Oct-Dec 2025)``, ``2026Q1 (Nov 2025-Jan 2026)``."""
    start, end = period.start, period.end
    months = (f"{start:%b}-{end:%b %Y}" if start.year == end.year
              else f"{start:%b %Y}-{end:%b %Y}")
    return f"{period} ({months})"


def percent_readout(value: float | None) -> str:
    """The slider readout's format that shows ``value`` exactly: ``.0%`` for whole percents,
    else one or two decimals (a 97.5% gate must not read 98%)."""
    hundredths = round((value or 0.0) * 10000)
    return ".0%" if hundredths % 100 == 0 else ".1%" if hundredths % 10 == 0 else ".2%"


def percent_slider(description: str, value: float | None, low: float, high: float,
                   step: float = 0.01) -> widgets.FloatSlider:
    """A slider over a fraction shown as a percentage; it recomputes only on release.

    ``None`` (no gate, no cap) is shown as 0, which the cockpit reads back as None.
    """
    return widgets.FloatSlider(
        value=0.0 if value is None else float(value), min=low, max=high, step=step,
        description=description, readout_format=percent_readout(value), continuous_update=False,
        style=LABEL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))


def money_box(description: str, value: float | None, step: float = 1000.0) -> widgets.BoundedFloatText:
    """A box for an amount in currency units (0 or more)."""
    return widgets.BoundedFloatText(
        value=0.0 if value is None else float(value), min=0.0, max=1e13, step=step,
        description=description, continuous_update=False, style=LABEL_STYLE,
        layout=widgets.Layout(width=CONTROL_WIDTH))


def chart_png(fig: Figure) -> bytes:
    """A cockpit chart as PNG bytes: :func:`planning.charts.figure_png` at the page's DPI."""
    return figure_png(fig, CHART_DPI)


def chart_image(height: str) -> widgets.Image:
    """An image area of fixed height, so the page does not jump when a chart is redrawn."""
    return widgets.Image(format="png", layout=widgets.Layout(height=height, width="auto",
                                                              object_fit="contain"))


def tile(title: str, value: str, detail: str = "", tone: str = "plain") -> str:
    """One headline tile as HTML; every text is escaped. ``tone``: pass, miss, pool or plain."""
    return (f'<div class="pw-tile pw-{tone}"><div class="pw-title">{html.escape(title)}</div>'
            f'<div class="pw-value">{html.escape(value)}</div>'
            f'<div class="pw-detail">{html.escape(detail)}</div></div>')


def tiles_html(tiles: Iterable[str], pool_line: str, reasons: Iterable[str] = ()) -> str:
    """The headline block: tiles, the ``Bonus pool:`` line and the plain-language reasons."""
    why = "".join(f'<div class="pw-why">{html.escape(s)}</div>' for s in reasons)
    return (f'{_CSS}<div class="pw-tiles">{"".join(tiles)}</div>'
            f'<div class="pw-pool-line">{html.escape(pool_line)}</div>{why}')


def message_html(text: str, kind: str = "error") -> str:
    """An escaped message box: ``error``, ``ok`` or ``note``."""
    return f'{_CSS}<div class="pw-{kind}">{html.escape(text)}</div>'


def problems_html(error, heading: str = "The dataset has problems; nothing is computed until "
                  "they are fixed:") -> str:
    """An :class:`~planning.errors.InputError` as the page shows it: one escaped line per problem
    (file, row, column, what was expected), under ``heading``."""
    return message_html("\n".join([heading, *(str(p) for p in error.problems)]))


def table_html(frame: pd.DataFrame, height: str = "300px", max_rows: int = 500,
               note: str = "", total_rows: int | None = None) -> str:
    """A scrollable, escaped HTML table of at most ``max_rows`` rows; ``total_rows`` is the
    whole table's length when ``frame`` is only its first rows."""
    shown = frame.head(max_rows)
    total = len(frame) if total_rows is None else max(total_rows, len(frame))
    extra = ""
    if total > max_rows:
        extra = f"Showing {max_rows:,} of {total:,} rows. "
    text = shown.to_html(index=False, escape=True, border=0, na_rep="")
    footer = f'<div class="pw-note">{html.escape(extra + note)}</div>' if extra or note else ""
    return (f'{_CSS}<div class="pw-table" style="max-height:{height}; overflow:auto">{text}</div>'
            f"{footer}")
