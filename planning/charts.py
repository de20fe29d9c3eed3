"""Charts: data in, a matplotlib ``Figure`` out.

Figures are built with ``matplotlib.figure.Figure`` directly (no pyplot global state), so
the model stays pure and charts are safe in threads, widgets and reports. Callers display
them (notebooks) or embed them as PNG (reports). Money axes are in the company's currency.
"""

from __future__ import annotations

import functools
import io

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from planning.methods import pool_limit

__all__ = ["literal_text", "figure_png", "money_axis", "pnl_vs_targets", "attainment_trend", "PALETTE"]

def literal_text():
    """A context in which matplotlib draws every text as written: no mathtext, so a name like
    ``Ops $x^2$`` is drawn as those characters and one like ``$\\frac{1$`` cannot make a chart
    fail. Needed both while a figure is built and while it is drawn (tick labels are made then).
    """
    return matplotlib.rc_context({"text.parse_math": False})


def figure_png(fig: Figure, dpi: int, reproducible: bool = False) -> bytes:
    """A figure as PNG bytes, drawn in :func:`literal_text` (the report's and the cockpit's
    one PNG helper). ``reproducible``: a white background and no software metadata, so the
    same figure gives the same bytes (the reports)."""
    buffer = io.BytesIO()
    extra = {"metadata": {"Software": None}, "facecolor": "white"} if reproducible else {}
    with literal_text():
        fig.savefig(buffer, format="png", dpi=dpi, **extra)
    return buffer.getvalue()


def plain_text_chart(chart):
    """Build the chart inside :func:`literal_text`."""
    @functools.wraps(chart)
    def build(*args, **kwargs):
        with literal_text():
            return chart(*args, **kwargs)
    return build


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


@plain_text_chart
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


@plain_text_chart
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


# --- the interactive workbook's charts (issue 5) ------------------------------------------


def label_money(value: float, currency: str = "") -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    text = f"{value / 1e6:.2f}M" if value >= 1e6 else f"{value / 1e3:.1f}k" if value >= 1e3 else f"{value:.0f}"
    return f"{sign}{currency + ' ' if currency else ''}{text}"


@plain_text_chart
def bonus_waterfall(result, figsize=(6.4, 3.4)) -> Figure:
    """GOP -> GOP target -> GOP above target -> raw pool -> each limit -> the bonus pool.

    ``result`` is a :class:`planning.bonus_result.BonusResult`. GOP and the target stand on 0, GOP
    above target floats between them, the raw pool stands on 0 and each limit that bit
    floats between the pool before and after it. When a gate failed the title says so and
    the pool is 0.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    # (label, bottom, top, colour, value printed on the bar)
    steps = [("GOP", 0.0, result.gop, PALETTE["actual"], result.gop),
             ("GOP target", 0.0, result.gop_target, PALETTE["target"], result.gop_target),
             ("Above target", result.gop_target, result.gop_target + result.excess_gop,
              PALETTE["neutral"], result.excess_gop)]
    if result.gates_passed:
        steps.append(("Raw pool", 0.0, result.raw_pool, PALETTE["pool"], result.raw_pool))
        for limit in result.limits:
            colour = PALETTE["miss"] if limit.after < limit.before else PALETTE["pass"]
            steps.append((pool_limit(limit.name).chart_label, limit.before, limit.after, colour, limit.after - limit.before))
    steps.append(("Bonus pool", 0.0, result.pool, PALETTE["pool"], result.pool))
    for i, (_, low, high, colour, value) in enumerate(steps):
        bottom, top = min(low, high), max(low, high)
        ax.bar(i, top - bottom, bottom=bottom, color=colour, width=0.62)
        ax.annotate(label_money(value), (i, top), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(steps)), [s[0] for s in steps], fontsize=8, rotation=20, ha="right")
    money_axis(ax, result.currency)
    ax.set_ylim(min(0.0, result.gop) * 1.15, max(result.gop, result.gop_target, 1.0) * 1.15)
    title = "From GOP to the bonus pool"
    if not result.gates_passed:
        failed = " and ".join(g.name for g in result.failed_gates)
        title += f": no pool, {failed} gate missed"
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    return fig


@plain_text_chart
def payouts_by_department(result, figsize=(6.4, 3.0)) -> Figure:
    """Total payout per department, labelled with the eligible headcount."""
    table = result.by_department().sort_values("payout")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    y = range(len(table))
    ax.barh(list(y), table["payout"], color=PALETTE["pool"])
    ax.set_yticks(list(y), list(table.index), fontsize=8)
    for i, (payout, eligible) in enumerate(zip(table["payout"], table["eligible"], strict=True)):
        ax.annotate(f"{label_money(payout)} ({int(eligible)} eligible)", (payout, i), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    money_axis(ax, result.currency, axis="x")
    ax.set_xlim(0, max(float(table["payout"].max()) if len(table) else 0.0, 1.0) * 1.45)
    ax.set_title("Payouts by department", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


@plain_text_chart
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


@plain_text_chart
def pool_distribution(pools, currency: str = "", p_pays: float | None = None,
                      figsize=(6.4, 3.0)) -> Figure:
    """Histogram of simulated pools with the 10th, 50th and 90th percentiles marked."""
    pools = np.asarray(pools, dtype=float)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    paying = pools[pools > 0]
    if paying.size:
        ax.hist(paying, bins=40, color=PALETTE["pool"], alpha=0.9)
    marks: dict[float, list[str]] = {}  # percentiles that coincide share one line and label
    for q in (10, 50, 90):
        value = round(float(np.percentile(pools, q)), 2) if pools.size else 0.0
        marks.setdefault(value, []).append(f"P{q}")
    for value, names in marks.items():
        ax.axvline(value, color="black", linestyle="-" if "P50" in names else ":", linewidth=1)
        ax.annotate(", ".join(names), (value, 1), xycoords=("data", "axes fraction"), xytext=(2, -10),
                    textcoords="offset points", fontsize=8)
    money_axis(ax, currency, axis="x")
    share = p_pays if p_pays is not None else (float((pools > 0).mean()) if pools.size else 0.0)
    ax.set_title(f"Simulated bonus pool when it pays (it pays in {share:.0%} of draws)", fontsize=10)
    ax.set_ylabel("draws", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return fig


@plain_text_chart
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
            ax.axvline(owner_targets[k], color=PALETTE["miss"], linestyle="--", linewidth=1.2,
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


@plain_text_chart
def funnel_chart(by_period: pd.DataFrame, figsize=(9, 3.2)) -> Figure:
    """Leads, qualified and won per period (bars) and the lead-to-win rate (line)."""
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    x = list(range(len(by_period)))
    width = 0.27
    for k, (col, color) in enumerate((("leads", PALETTE["target"]), ("qualified", PALETTE["actual"]),
                                      ("won", PALETTE["pass"]))):
        ax.bar([i + (k - 1) * width for i in x], by_period[col], width=width, color=color, label=col)
    ax.set_xticks(x, list(by_period.index), rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("count", fontsize=8)
    rate = ax.twinx()
    rate.plot(x, by_period["lead_to_win"], color=PALETTE["pool"], marker="o", label="lead-to-win")
    rate.yaxis.set_major_formatter(PercentFormatter(1.0))
    best_rate = float(by_period["lead_to_win"].max())  # NaN when no campaign had a lead
    rate.set_ylim(0, max(best_rate * 1.3, 0.01) if np.isfinite(best_rate) else 0.01)
    ax.legend(fontsize=8, loc="upper left", ncols=3)
    rate.legend(fontsize=8, loc="upper right")
    ax.set_title("Marketing funnel per quarter", fontsize=10)
    return fig


@plain_text_chart
def campaign_roi_chart(campaigns: pd.DataFrame, figsize=(9, 3.4)) -> Figure:
    """Campaign ROI on gross profit; flagged campaigns (spend, no revenue) in red."""
    table = campaigns.sort_values("roi")
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    y = list(range(len(table)))
    colors = [PALETTE["miss"] if f else PALETTE["pass"] for f in table["flagged"]]
    ax.barh(y, table["roi"].fillna(0.0), color=colors)
    labels = [f"{p} {c}" if "period" in table else c for p, c in
              zip(table.get("period", [""] * len(table)), table["campaign"], strict=True)]
    ax.set_yticks(y, labels, fontsize=7)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title("Campaign ROI on gross profit (red: spent money, won nothing)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


__all__ += ["bonus_waterfall", "payouts_by_department", "gate_heatmap", "pool_distribution",
            "proposals_chart", "funnel_chart", "campaign_roi_chart"]


# --- the quarterly reports' charts (issue 6) ----------------------------------------------


@plain_text_chart
def grouped_payouts_chart(table: pd.DataFrame, currency: str = "", figsize=(8, 2.6)) -> Figure:
    """Total payout per department group, for the staff report.

    ``table`` is :func:`planning.reporting.content.suppressed_department_payouts`' frame
    (``group``, ``eligible``, ``payout``): small departments are already combined, so the
    chart shows nothing the table does not.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    y = list(range(len(table)))
    ax.barh(y, table["payout"], color=PALETTE["pool"])
    ax.set_yticks(y, list(table["group"]), fontsize=8)
    for i, (payout, eligible) in enumerate(zip(table["payout"], table["eligible"], strict=True)):
        ax.annotate(f"{label_money(payout)} ({int(eligible)} people)", (payout, i), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    money_axis(ax, currency, axis="x")
    ax.set_xlim(0, max(float(table["payout"].max()) if len(table) else 0.0, 1.0) * 1.45)
    ax.invert_yaxis()
    ax.set_title("Payouts by department (groups under 5 people combined)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


__all__ += ["grouped_payouts_chart"]


@plain_text_chart
def tornado_chart(table: pd.DataFrame, labels: dict[str, str] | None = None, currency: str = "",
                  title: str = "What moves the bonus pool most", figsize=(8, 3.2)) -> Figure:
    """A tornado: for each driver, the output with the driver moved down (left) and up (right).

    ``table`` is :func:`planning.scenarios.sensitivity`'s frame (index ``driver``; columns
    ``low``, ``high``, ``base``, ``swing``), biggest swing first; ``labels`` maps driver
    names to words. Bars start at the base value, so their length is the change.
    """
    shown = table[table["swing"] > 0] if (table["swing"] > 0).any() else table
    fig = Figure(figsize=(figsize[0], max(1.6, 0.9 + 0.32 * len(shown))), layout="constrained")
    ax = fig.subplots()
    base = float(shown["base"].iloc[0]) if len(shown) else 0.0
    y = list(range(len(shown)))
    ax.barh(y, shown["low"] - base, left=base, color=PALETTE["miss"], alpha=0.85, label="driver down")
    ax.barh(y, shown["high"] - base, left=base, color=PALETTE["pass"], alpha=0.85, label="driver up")
    ax.axvline(base, color="black", linewidth=0.8)
    ends = np.concatenate([shown["low"].to_numpy(float), shown["high"].to_numpy(float), [base]])
    span = max(float(ends.max() - ends.min()), abs(base) * 0.1, 1.0)
    ax.set_xlim(float(ends.min()) - 0.06 * span, float(ends.max()) + 0.06 * span)
    ax.set_yticks(y, [(labels or {}).get(str(d), str(d)) for d in shown.index], fontsize=8)
    ax.invert_yaxis()
    money_axis(ax, currency, axis="x")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return fig


__all__ += ["tornado_chart"]
