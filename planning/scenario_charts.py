"""Charts of scenario planning: scenarios side by side, sweeps, the pool heat map and the
Monte Carlo's pool histogram (data -> matplotlib Figure, as :mod:`planning.charts`)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from planning.charts import (
    PALETTE,
    gate_heatmap,
    label_money,
    legend_outside,
    money_axis,
    plain_text_chart,
    pool_distribution,
)

__all__ = ["scenario_comparison_chart", "sweep_chart", "pool_heatmap_chart", "monte_carlo_chart"]


@plain_text_chart
def scenario_comparison_chart(table: pd.DataFrame, currency: str = "", figsize=(9, 3.4)) -> Figure:
    """Scenarios side by side: revenue and GOP against their targets, and the bonus pool.

    ``table`` is :func:`planning.scenarios.compare_scenarios`'s frame. Bars are green where
    both gates pass, red where a gate is missed; targets are black markers.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[2, 2, 1.5])
    x = list(range(len(table)))
    colors = [PALETTE["pass"] if ok else PALETTE["miss"] for ok in table["gates_passed"]]
    for ax, metric, title in ((axes[0], "revenue", "Revenue"), (axes[1], "gop", "GOP")):
        ax.bar(x, table[metric], color=colors, alpha=0.85)
        ax.scatter(x, table[f"{metric}_target"], marker="_", s=400, color="black", linewidths=2,
                   zorder=3, label="target")
        ax.set_title(f"{title} against target", fontsize=10)
        money_axis(ax, currency)
    axes[2].bar(x, table["pool"], color=PALETTE["pool"])
    for i, pool in enumerate(table["pool"]):
        axes[2].annotate(label_money(float(pool)), (i, float(pool)), xytext=(0, 2),
                         textcoords="offset points", ha="center", fontsize=8)
    axes[2].set_title("Bonus pool", fontsize=10)
    money_axis(axes[2], "")
    for ax in axes:
        ax.set_xticks(x, list(table.index), rotation=30, ha="right", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    legend_outside(fig, axes[0], handles=axes[0].get_legend_handles_labels()[0],
                   labels=axes[0].get_legend_handles_labels()[1])
    return fig


@plain_text_chart
def sweep_chart(table: pd.DataFrame, x: str, y: str = "pool", by: str | None = None,
                currency: str = "", figsize=(6.4, 3.2)) -> Figure:
    """One line of ``y`` over ``x`` per value of ``by`` (a :func:`planning.scenarios.sweep` frame).

    Money outputs get a money axis; attainments and shares a percentage axis. Points where a
    gate is missed are hollow.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    groups = [(None, table)] if by is None else list(table.groupby(by, sort=False, dropna=False))
    for value, part in groups:
        label = None if by is None else f"{by} = {value}"
        line, = ax.plot(part[x], part[y], marker="o", markersize=3, label=label)
        missed = ~part["gates_passed"].astype(bool)
        ax.scatter(part[x][missed], part[y][missed], s=18, facecolors="white",
                   edgecolors=line.get_color(), zorder=3)
    if y in ("revenue_attainment", "gop_attainment", "cost_share_of_gop"):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    else:
        money_axis(ax, currency)
    ax.set_xlabel(x.replace("_", " "), fontsize=8)
    ax.set_title(f"{y.replace('_', ' ')} as {x.replace('_', ' ')} changes (hollow: a gate missed)", fontsize=10)
    ax.grid(alpha=0.3)
    if by is not None:
        legend_outside(fig, ax, ncols=3)
    return fig


@plain_text_chart
def pool_heatmap_chart(grid: pd.DataFrame, currency: str = "", figsize=(6.4, 3.6)) -> Figure:
    """:func:`gate_heatmap` of a :func:`planning.scenarios.pool_heatmap` frame (with its marker)."""
    return gate_heatmap(grid.columns.to_numpy(float), grid.index.to_numpy(float), grid.to_numpy(float),
                        current=grid.attrs.get("current"), gates=grid.attrs.get("gates"),
                        currency=currency, figsize=figsize)


@plain_text_chart
def monte_carlo_chart(result, figsize=(6.4, 3.0)) -> Figure:
    """:func:`pool_distribution` of a :class:`planning.montecarlo.MonteCarloResult`."""
    return pool_distribution(result.pools, result.currency, p_pays=result.p_pays, figsize=figsize)

