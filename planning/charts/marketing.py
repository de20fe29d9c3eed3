"""Marketing's charts: the funnel per quarter and each campaign's return (ROI)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from planning.charts.base import PALETTE, legend_outside, plain_text, tip, wrap

__all__ = ["funnel_chart", "campaign_roi_chart"]


@plain_text
def funnel_chart(by_period: pd.DataFrame, figsize=(6.4, 3.6)) -> Figure:
    """Leads, qualified and won per period (bars) and the lead-to-win rate (line).

    Counts are plain quantities (blues and grey); the rate is a dark line on its own axis.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    x = list(range(len(by_period)))
    width = 0.27
    for k, (col, color) in enumerate((("leads", PALETTE["target"]), ("qualified", PALETTE["actual"]),
                                      ("won", PALETTE["second"]))):
        bars = ax.bar([i + (k - 1) * width for i in x], by_period[col], width=width, color=color, label=col)
        for bar, label, n in zip(bars, by_period.index, by_period[col], strict=True):
            tip(fig, bar, f"{label}: {int(n):,} {col if col != 'won' else 'wins'}")
    ax.set_xticks(x, list(by_period.index), rotation=45, ha="right")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_ylabel("count")
    rate = ax.twinx()
    rate.plot(x, by_period["lead_to_win"], color=PALETTE["pool"], marker="o", label="lead-to-win rate")
    for i, (label, value) in enumerate(zip(by_period.index, by_period["lead_to_win"], strict=True)):
        point, = rate.plot([i], [value], marker="o", color=PALETTE["pool"], linestyle="")
        tip(fig, point, f"{label} lead-to-win rate: " + (f"{value:.1%}" if np.isfinite(value) else "no leads"))
    rate.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    best_rate = float(by_period["lead_to_win"].max())  # NaN when no campaign had a lead
    rate.set_ylim(0, max(best_rate * 1.3, 0.01) if np.isfinite(best_rate) else 0.01)
    ax.set_title("Marketing funnel per quarter")
    legend_outside(fig, ax)
    return fig


@plain_text
def campaign_roi_chart(campaigns: pd.DataFrame, figsize=(6.4, 3.4)) -> Figure:
    """Campaign ROI on gross profit: green where a campaign earned back more than it spent,
    red where it lost money (campaigns that spent and won nothing are marked so)."""
    table = campaigns.sort_values("roi")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    y = list(range(len(table)))
    roi = table["roi"].fillna(0.0)
    colors = [PALETTE["miss"] if f or r < 0 else PALETTE["pass"] for f, r in zip(table["flagged"], roi, strict=True)]
    bars = ax.barh(y, roi, color=colors)
    labels = [f"{p} {c}".strip() for p, c in zip(table.get("period", [""] * len(table)), table["campaign"], strict=True)]
    for bar, label, value, flagged in zip(bars, labels, roi, table["flagged"], strict=True):
        tip(fig, bar, f"{label}: ROI {value:.0%}" + (" (spent money, won nothing)" if flagged else ""))
    ax.set_yticks(y, [wrap(f"{label} (won nothing)" if f else label)
                      for label, f in zip(labels, table["flagged"], strict=True)])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title("Campaign ROI")
    legend_outside(fig, ax, handles=[Patch(color=PALETTE["pass"]), Patch(color=PALETTE["miss"])],
                   labels=["earned back more than it spent", "lost money"])
    ax.grid(axis="x", alpha=0.3)
    return fig
