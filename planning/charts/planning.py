"""The planning workbook's charts: where the bonus pays, and departments' proposals (the
scenario charts are in :mod:`planning.scenario_charts`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from planning.charts.base import PALETTE, label_money, money_axis, plain_text

__all__ = ["gate_heatmap", "proposals_chart"]


@plain_text
def gate_heatmap(revenue_attainment, gop_attainment, pool, current=None, gates=None,
                 currency: str = "", figsize=(6.4, 3.6)) -> Figure:
    """The pool over a grid of revenue (x) and GOP (y) attainment, gates as dashed lines.

    ``pool[i, j]`` belongs to ``gop_attainment[i]`` and ``revenue_attainment[j]``;
    ``current`` is the (revenue, GOP) attainment to mark; ``gates`` maps revenue/gop to a
    threshold or None. Where the pool is 0 the cell is grey.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    shown = np.ma.masked_where(np.asarray(pool) <= 0, np.asarray(pool, dtype=float))
    ax.set_facecolor("#e4e7ea")
    mesh = ax.pcolormesh(revenue_attainment, gop_attainment, shown, shading="nearest", cmap="YlOrBr")
    bar = fig.colorbar(mesh, ax=ax)
    bar.set_label(f"bonus pool{' (' + currency + ')' if currency else ''}", fontsize=8)
    bar.formatter = FuncFormatter(lambda v, _p: label_money(v))
    bar.update_ticks()
    for name, level in (gates or {}).items():
        if level is not None:
            line = ax.axvline if name == "revenue" else ax.axhline
            line(level, color="black", linestyle="--", linewidth=1)
    if current is not None:
        ax.plot(*current, marker="o", markersize=8, markerfacecolor="white", markeredgecolor="black")
        ax.annotate("this period", current, xytext=(6, 6), textcoords="offset points", fontsize=8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("revenue attainment", fontsize=8)
    ax.set_ylabel("GOP attainment", fontsize=8)
    ax.set_title("Where the bonus pays (grey: no pool)", fontsize=10)
    return fig

@plain_text
def proposals_chart(proposals: pd.DataFrame, owner_targets: tuple[float, float] | None = None,
                    currency: str = "", figsize=(9, 3.6)) -> Figure:
    """Each department's proposed revenue and GOP targets with its forecast range.

    ``proposals`` has ``department``, ``proposed_revenue_target``, ``proposed_gop_target``,
    ``revenue_forecast_low/high`` and ``gop_forecast_low/high``; ``owner_targets`` is the
    owner's (revenue, GOP) target, drawn as a line.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(1, 2)
    y = list(range(len(proposals)))
    for k, (ax, metric, title) in enumerate(((axes[0], "revenue", "Revenue"), (axes[1], "gop", "GOP"))):
        low, high = proposals[f"{metric}_forecast_low"], proposals[f"{metric}_forecast_high"]
        ax.barh(y, high - low, left=low, color=PALETTE["target"], alpha=0.6, height=0.5,
                label="forecast range")
        ax.scatter(proposals[f"proposed_{metric}_target"], y, marker="D", color=PALETTE["actual"],
                   zorder=3, label="proposed target")
        if owner_targets is not None:
            ax.axvline(owner_targets[k], color="black", linestyle="--", linewidth=1.2,
                       label="owner's target")
        ax.set_yticks(y, list(proposals["department"]) if k == 0 else [""] * len(y), fontsize=8)
        money_axis(ax, currency, axis="x")
        ax.set_title(f"{title}: proposals and forecasts", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.use_sticky_edges = False  # bars would pin the axis to the lowest forecast
        ax.margins(x=0.06, y=0.12)
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig
