"""Charts: data in, a matplotlib ``Figure`` out.

Figures are built with ``matplotlib.figure.Figure`` directly (no pyplot global state), so
the model stays pure and charts are safe in threads, widgets and reports. Callers display
them (notebooks) or embed them as PNG (reports). Money axes are in the company's currency.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

__all__ = ["money_axis", "pnl_vs_targets", "attainment_trend", "PALETTE"]

PALETTE = {"actual": "#1f6f8b", "target": "#99a8b2", "pass": "#2e8b57", "miss": "#c0392b",
           "pool": "#e6a23c", "neutral": "#5c6770"}


def money_axis(ax, currency: str = "", axis: str = "y") -> None:
    """Format an axis as money in thousands (``AUD 1.2M``, ``AUD 450k``)."""
    def fmt(x, _pos):
        sign = "-" if x < 0 else ""
        x = abs(x)
        if x >= 1e6:
            text = f"{x / 1e6:.1f}M"
        elif x >= 1e3:
            text = f"{x / 1e3:.0f}k"
        else:
            text = f"{x:.0f}"
        return f"{sign}{text}"
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(fmt))
    if currency:
        (ax.set_ylabel if axis == "y" else ax.set_xlabel)(currency)


def pnl_vs_targets(pnl: pd.DataFrame, currency: str = "", highlight: str | None = None) -> Figure:
    """Revenue and GOP per period as bars against their targets (markers).

    ``pnl`` is :func:`planning.financials.pnl_table`'s frame.
    """
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    x = range(len(pnl))
    for ax, metric, title in ((axes[0], "revenue", "Revenue"), (axes[1], "gop", "GOP")):
        target = pnl[f"{metric}_target"]
        met = pnl[metric] >= target
        colors = [PALETTE["pass"] if m else PALETTE["miss"] for m in met]
        bars = ax.bar(x, pnl[metric], color=colors, alpha=0.85, label="actual")
        ax.scatter(x, target, marker="_", s=400, color="black", linewidths=2, label="target", zorder=3)
        if highlight is not None and highlight in pnl.index:
            i = list(pnl.index).index(highlight)
            bars[i].set_edgecolor("black")
            bars[i].set_linewidth(2)
        ax.set_xticks(list(x), list(pnl.index), rotation=45, ha="right")
        ax.set_title(f"{title} against target")
        money_axis(ax, currency)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="lower right", fontsize=8)
    return fig


def attainment_trend(pnl: pd.DataFrame, gates: dict[str, float | None] | None = None) -> Figure:
    """Revenue and GOP attainment per period, with the gate levels as dashed lines."""
    fig = Figure(figsize=(9, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(pnl.index, pnl["revenue_attainment"], marker="o", label="revenue attainment", color=PALETTE["actual"])
    ax.plot(pnl.index, pnl["gop_attainment"], marker="s", label="GOP attainment", color=PALETTE["pool"])
    for name, level in (gates or {}).items():
        if level is not None:
            ax.axhline(level, linestyle="--", linewidth=1,
                       color=PALETTE["actual"] if name == "revenue" else PALETTE["pool"],
                       label=f"{'revenue' if name == 'revenue' else 'GOP'} gate {level:.0%}")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title("Attainment against the gates")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncols=2)
    ax.tick_params(axis="x", rotation=45)
    return fig
