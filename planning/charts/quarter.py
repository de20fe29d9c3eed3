"""A quarter's charts: the P&L against its targets, attainment, the pool, payouts, the
outlook and what moves it. Every bar and point carries its exact value (:func:`tip`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from planning.charts.base import (
    PALETTE,
    label_money,
    legend_outside,
    money_axis,
    money_text,
    nothing_to_show,
    plain_text,
    retip,
    tip,
    tooltips,
    wrap,
)
from planning.methods import pool_limit

__all__ = ["metric_vs_target", "pnl_vs_targets", "attainment_trend", "bonus_waterfall", "update_waterfall", "payouts_by_department",
           "update_payouts_by_department",
           "grouped_payouts_chart", "pool_distribution", "tornado_chart"]

_METRICS = {"revenue": "Revenue", "gop": "GOP"}


def _metric_axes(fig, ax, pnl: pd.DataFrame, metric: str, currency: str, highlight: str | None) -> None:
    target = pnl[f"{metric}_target"]
    met = pnl[metric] >= target
    x = list(range(len(pnl)))
    bars = ax.bar(x, pnl[metric], color=[PALETTE["pass"] if m else PALETTE["miss"] for m in met], alpha=0.85)
    name = _METRICS[metric]
    for i, (label, value, goal, ok) in enumerate(zip(pnl.index, pnl[metric], target, met, strict=True)):
        tip(fig, bars[i], f"{label} {name}: {money_text(value, currency)}, target {money_text(goal, currency)} "
                          f"({'reached' if ok else 'missed'})")
        mark, = ax.plot([i], [goal], marker="_", markersize=20, markeredgewidth=2.5, color="black", linestyle="")
        tip(fig, mark, f"{label} {name} target: {money_text(goal, currency)}")
    if highlight is not None and highlight in pnl.index:
        i = list(pnl.index).index(highlight)
        bars[i].set_edgecolor("black")
        bars[i].set_linewidth(2)
    ax.set_xticks(x, list(pnl.index), rotation=45, ha="right")
    ax.set_title(f"{name} against target")
    money_axis(ax, currency)
    ax.grid(axis="y", alpha=0.3)


def _pnl_legend(fig, ax) -> None:
    legend_outside(fig, ax, handles=[Patch(color=PALETTE["pass"]), Patch(color=PALETTE["miss"]),
                                     ax.lines[0] if ax.lines else Patch(color="black")],
                   labels=["target reached", "target missed", "target"])


@plain_text
def metric_vs_target(pnl: pd.DataFrame, metric: str, currency: str = "", highlight: str | None = None,
                     figsize=(5.2, 3.6)) -> Figure:
    """One metric (``revenue`` or ``gop``) per period as bars against its target (markers);
    green where the target was reached, red where it was missed."""
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    _metric_axes(fig, ax, pnl, metric, currency, highlight)
    _pnl_legend(fig, ax)
    return fig


@plain_text
def pnl_vs_targets(pnl: pd.DataFrame, currency: str = "", highlight: str | None = None) -> Figure:
    """Revenue and GOP per period as bars against their targets (markers), side by side.

    ``pnl`` is :func:`planning.financials.pnl_table`'s frame.
    """
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, metric in zip(axes, _METRICS, strict=True):
        _metric_axes(fig, ax, pnl, metric, currency, highlight)
    _pnl_legend(fig, axes[0])
    return fig


@plain_text
def attainment_trend(pnl: pd.DataFrame, gates: dict[str, float | None] | None = None,
                     figsize=(6.4, 3.4)) -> Figure:
    """Revenue and GOP attainment per period, with the gate levels as dashed lines."""
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    x = list(range(len(pnl)))
    for column, name, marker, colour in (("revenue_attainment", "revenue", "o", PALETTE["actual"]),
                                         ("gop_attainment", "GOP", "s", PALETTE["second"])):
        ax.plot(x, pnl[column], color=colour, label=f"{name} attainment")
        for i, (label, value) in enumerate(zip(pnl.index, pnl[column], strict=True)):
            point, = ax.plot([i], [value], marker=marker, color=colour, linestyle="")
            tip(fig, point, f"{label} {name} attainment: {value:.1%} of target")
    for name, level in (gates or {}).items():
        if level is not None:
            line = ax.axhline(level, linestyle="--", linewidth=1.2,
                              color=PALETTE["actual"] if name == "revenue" else PALETTE["second"],
                              label=f"{'revenue' if name == 'revenue' else 'GOP'} gate {level:.0%}")
            tip(fig, line, f"{'Revenue' if name == 'revenue' else 'GOP'} gate: at least {level:.0%} of target")
    ax.set_xticks(x, list(pnl.index), rotation=45, ha="right")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title("Attainment (share of target) against the gates")
    ax.grid(alpha=0.3)
    legend_outside(fig, ax, ncols=2)
    return fig


_PARTS = "planning_parts"
"""Where a chart that can be updated in place keeps its artists (on the figure)."""


def _waterfall_steps(result) -> list[tuple]:
    """(label, bottom, top, colour, value printed on the bar, tooltip) for each bar."""
    cur = result.currency
    steps = [("GOP", 0.0, result.gop, PALETTE["actual"], result.gop, "GOP this quarter"),
             ("GOP target", 0.0, result.gop_target, PALETTE["target"], result.gop_target, "GOP target"),
             ("Above target", result.gop_target, result.gop_target + result.excess_gop,
              PALETTE["neutral"], result.excess_gop, "GOP above its target")]
    if result.gates_passed:
        steps.append(("Raw pool", 0.0, result.raw_pool, PALETTE["pool"], result.raw_pool,
                      "Raw pool (what the plan's rate gives, before any limit)"))
        for limit in result.limits:
            colour = PALETTE["miss"] if limit.after < limit.before else PALETTE["pass"]
            label = pool_limit(limit.name).chart_label
            steps.append((label, limit.before, limit.after, colour, limit.after - limit.before,
                          f"{label}: {money_text(limit.before, cur)} to {money_text(limit.after, cur)}"))
    steps.append(("Bonus pool", 0.0, result.pool, PALETTE["pool"], result.pool, "Bonus pool"))
    return steps


def _waterfall_frame(result) -> tuple:
    """What the waterfall's bars stand in: the step labels, the title, the scale, the currency."""
    title = "From GOP to the bonus pool"
    if not result.gates_passed:
        failed = " and ".join(g.name for g in result.failed_gates)
        title += f": no pool, {failed} gate missed"
    ylim = (min(0.0, result.gop) * 1.15, max(result.gop, result.gop_target, 1.0) * 1.18)
    return tuple(s[0] for s in _waterfall_steps(result)), title, ylim, result.currency


def _waterfall_bar(fig, bar, note, i: int, step: tuple, currency: str) -> None:
    _, low, high, colour, value, words = step
    bottom, top = min(low, high), max(low, high)
    bar.set_y(bottom)
    bar.set_height(top - bottom)
    bar.set_facecolor(colour)
    retip(fig, bar, words if ":" in words else f"{words}: {money_text(value, currency)}")
    note.set_text(label_money(value))
    note.xy = (i, top)


@plain_text
def bonus_waterfall(result, figsize=(6.4, 3.6), figure: Figure | None = None) -> Figure:
    """GOP -> GOP target -> GOP above target -> raw pool -> each limit -> the bonus pool.

    ``result`` is a :class:`planning.bonus_result.BonusResult`. GOP and the target stand on 0, GOP
    above target floats between them, the raw pool stands on 0 and each limit that bit
    floats between the pool before and after it (red where it lowered the pool, green where
    it raised it). When a gate failed the title says so and the pool is 0.
    :func:`update_waterfall` redraws it for another result in place.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    cur = result.currency
    steps = _waterfall_steps(result)
    bars, notes = [], []
    for i, (_, low, high, colour, value, words) in enumerate(steps):
        bottom, top = min(low, high), max(low, high)
        bar = ax.bar(i, top - bottom, bottom=bottom, color=colour, width=0.62)[0]
        tip(fig, bar, words if ":" in words else f"{words}: {money_text(value, cur)}")
        bars.append(bar)
        notes.append(ax.annotate(label_money(value), (i, top), xytext=(0, 3), textcoords="offset points",
                                 ha="center", va="bottom", fontsize=9))
    frame = _waterfall_frame(result)
    ax.set_xticks(range(len(steps)), list(frame[0]), rotation=25, ha="right")
    money_axis(ax, cur)
    ax.set_ylim(*frame[2])
    ax.set_title(frame[1])
    ax.grid(axis="y", alpha=0.3)
    fig.__dict__[_PARTS] = ("waterfall", frame, bars, notes)
    return fig


@plain_text
def update_waterfall(fig: Figure, result) -> bool:
    """Redraw a :func:`bonus_waterfall` figure for ``result`` in place (bars, amounts,
    tooltips); False, and ``fig`` untouched, when it would need other steps, another
    title or another scale (build a new one then)."""
    parts = fig.__dict__.get(_PARTS)
    if not parts or parts[0] != "waterfall" or parts[1] != _waterfall_frame(result):
        return False
    for i, (bar, note, step) in enumerate(zip(parts[2], parts[3], _waterfall_steps(result), strict=True)):
        _waterfall_bar(fig, bar, note, i, step, result.currency)
    return True


def _payout_bars(fig, ax, names, payouts, counts, noun: str, currency: str) -> None:
    y = list(range(len(names)))
    if not len(names) or float(np.max(payouts)) <= 0:
        nothing_to_show(ax, "Nothing was paid this quarter")
        return
    bars = ax.barh(y, payouts, color=PALETTE["pool"])
    notes = []
    for i in y:
        tip(fig, bars[i], "")
        notes.append(ax.annotate("", (0.0, i), xytext=(3, 0), textcoords="offset points", va="center",
                                 fontsize=9))
    _set_payout_bars(fig, ax, list(bars), notes, names, payouts, counts, noun, currency)
    money_axis(ax, currency, axis="x")
    ax.grid(axis="x", alpha=0.3)
    fig.__dict__[_PARTS] = ("payouts", len(names), noun, currency, ax, list(bars), notes)


def _set_payout_bars(fig, ax, bars, notes, names, payouts, counts, noun: str, currency: str) -> None:
    ax.set_yticks(range(len(names)), [wrap(str(n)) for n in names])
    for i, (name, payout, n) in enumerate(zip(names, payouts, counts, strict=True)):
        bars[i].set_width(payout)
        retip(fig, bars[i], f"{name}: {money_text(payout, currency)} paid to {int(n)} {noun}")
        notes[i].set_text(f"{label_money(payout)} ({int(n)} {noun})")
        notes[i].xy = (payout, i)
    ax.set_xlim(0, float(np.max(payouts)) * 1.6)


def _department_table(result) -> pd.DataFrame:
    return result.by_department().sort_values("payout")


@plain_text
def payouts_by_department(result, figsize=(6.4, 3.0), figure: Figure | None = None) -> Figure:
    """Total payout per department, labelled with the eligible headcount.

    ``figure``: one drawn before, redrawn in place and returned when it fits
    (:func:`update_payouts_by_department`); otherwise a new figure.
    """
    if figure is not None and update_payouts_by_department(figure, result):
        return figure
    table = _department_table(result)
    fig = Figure(figsize=(figsize[0], max(figsize[1], 1.0 + 0.4 * len(table))), layout="constrained")
    ax = fig.subplots()
    _payout_bars(fig, ax, list(table.index), table["payout"].to_numpy(float), table["eligible"], "eligible",
                 result.currency)
    ax.set_title("Payouts by department")
    return fig


@plain_text
def update_payouts_by_department(fig: Figure, result) -> bool:
    """Redraw a :func:`payouts_by_department` figure for ``result`` in place; False, and
    ``fig`` untouched, when the number of departments changed or nothing is paid."""
    parts = fig.__dict__.get(_PARTS)
    table = _department_table(result)
    payouts = table["payout"].to_numpy(float)
    if (not parts or parts[:4] != ("payouts", len(table), "eligible", result.currency)
            or not len(table) or float(np.max(payouts)) <= 0):
        return False
    _, _, noun, currency, ax, bars, notes = parts
    _set_payout_bars(fig, ax, bars, notes, list(table.index), payouts, table["eligible"], noun, currency)
    return True


@plain_text
def grouped_payouts_chart(table: pd.DataFrame, currency: str = "", figsize=(6.4, 2.8)) -> Figure:
    """Total payout per department group, for the staff report.

    ``table`` is :func:`planning.reporting.content.suppressed_department_payouts`' frame
    (``group``, ``eligible``, ``payout``): small departments are already combined, so the
    chart shows nothing the table does not.
    """
    fig = Figure(figsize=(figsize[0], max(figsize[1], 1.0 + 0.4 * len(table))), layout="constrained")
    ax = fig.subplots()
    _payout_bars(fig, ax, list(table["group"]), table["payout"].to_numpy(float), table["eligible"], "people",
                 currency)
    ax.invert_yaxis()
    ax.set_title("Payouts by department (groups under 5 people combined)")
    return fig


@plain_text
def pool_distribution(pools, currency: str = "", p_pays: float | None = None,
                      figsize=(6.4, 3.2)) -> Figure:
    """Histogram of simulated pools with the 10th, 50th and 90th percentiles marked."""
    pools = np.asarray(pools, dtype=float)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    paying = pools[pools > 0]
    share = p_pays if p_pays is not None else (float((pools > 0).mean()) if pools.size else 0.0)
    if not paying.size:
        nothing_to_show(ax, "The pool is 0 in every simulated quarter")
        ax.set_title("Simulated bonus pool: it never pays")
        return fig
    counts, edges, bars = ax.hist(paying, bins=40, color=PALETTE["pool"], alpha=0.9)
    for bar, n, low, high in zip(bars, counts, edges[:-1], edges[1:], strict=True):
        tip(fig, bar, f"{int(n):,} draws with a pool from {money_text(low, currency)} to {money_text(high, currency)}")
    marks: dict[float, list[str]] = {}  # percentiles that coincide share one line and label
    for q in (10, 50, 90):
        marks.setdefault(round(float(np.percentile(pools, q)), 2), []).append(f"P{q}")
    for value, names in marks.items():
        line = ax.axvline(value, color="black", linestyle="-" if "P50" in names else ":", linewidth=1.2)
        tip(fig, line, f"{', '.join(names)}: {money_text(value, currency)}")
        ax.annotate(", ".join(names), (value, 1), xycoords=("data", "axes fraction"), xytext=(2, -12),
                    textcoords="offset points", fontsize=9)
    money_axis(ax, currency, axis="x")
    ax.set_title(f"Simulated bonus pool when it pays ({share:.1%} of draws)")
    ax.set_ylabel("draws")
    ax.grid(axis="y", alpha=0.3)
    return fig


@plain_text
def tornado_chart(table: pd.DataFrame, labels: dict[str, str] | None = None, currency: str = "",
                  title: str = "What moves the bonus pool most", figsize=(6.4, 3.2)) -> Figure:
    """A tornado: for each driver, the output with the driver moved down and up.

    ``table`` is :func:`planning.scenarios.sensitivity`'s frame (index ``driver``; columns
    ``low``, ``high``, ``base``, ``swing``), biggest swing first; ``labels`` maps driver
    names to words. Bars start at the base value, so their length is the change. A bar is
    green where the move raises the pool and red where it lowers it, whichever way the
    driver went; each bar says which way (``-10%``, ``+10%``).
    """
    shown = table[table["swing"] > 0] if (table["swing"] > 0).any() else table
    fig = Figure(figsize=(figsize[0], max(2.0, 1.3 + 0.42 * len(shown))), layout="constrained")
    ax = fig.subplots()
    base = float(shown["base"].iloc[0]) if len(shown) else 0.0
    words = labels or {}
    for i, (driver, row) in enumerate(shown.iterrows()):
        name = words.get(str(driver), str(driver))
        for column, move in (("low", "-10%"), ("high", "+10%")):
            value = float(row[column])
            if value == base:
                continue
            colour = PALETTE["pass"] if value > base else PALETTE["miss"]
            bar = ax.barh(i, value - base, left=base, color=colour, alpha=0.85, height=0.6)[0]
            change = value - base
            tip(fig, bar, f"{name} {move}: pool {money_text(value, currency)} "
                          f"({'+' if change > 0 else '-'}{money_text(abs(change), currency)})")
            ax.annotate(move, (value, i), xytext=(3 if value > base else -3, 0), textcoords="offset points",
                        ha="left" if value > base else "right", va="center", fontsize=8.5)
    if not tooltips(fig):  # no move changes the pool (a missed gate far away, or no drivers)
        nothing_to_show(ax, "No driver moved by 10% changes the pool")
        ax.set_title(title)
        return fig
    ax.axvline(base, color="black", linewidth=0.9)
    ends = np.concatenate([shown["low"].to_numpy(float), shown["high"].to_numpy(float), [base]])
    span = max(float(ends.max() - ends.min()), abs(base) * 0.1, 1.0)
    ax.set_xlim(float(ends.min()) - 0.14 * span, float(ends.max()) + 0.14 * span)
    ax.set_yticks(range(len(shown)), [wrap(words.get(str(d), str(d))) for d in shown.index])
    ax.set_ylim(len(shown) - 0.5, -0.5)
    money_axis(ax, currency, axis="x")
    ax.set_title(title)
    legend_outside(fig, ax, handles=[Patch(color=PALETTE["pass"]), Patch(color=PALETTE["miss"])],
                   labels=["raises the pool", "lowers the pool"])
    ax.grid(axis="x", alpha=0.3)
    return fig
