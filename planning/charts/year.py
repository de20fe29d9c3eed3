"""The bonus year's chart: the pool earned to date against the year's target pool, what
was paid and what is held back in the reserve. Every bar and point carries its value."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planning.charts.base import PALETTE, legend_outside, money_axis, money_text, plain_text, tip

__all__ = ["year_chart"]


@plain_text
def year_chart(year, targets=None, figsize=(5.0, 3.6)) -> Figure:
    """The four quarters of a bonus year, as settled so far.

    Parameters
    ----------
    year : planning.year.YearResult
        The year settled through the quarters with actuals so far.
    targets : list of (str, float) or None
        :func:`planning.year.target_pool_to_date` for each quarter: what the target line is
        (``"target pool"`` or ``"pool cap"``) and its amount to date; None draws no line.

    Notes
    -----
    For each settled quarter a stacked bar shows what the year has paid to date: shared
    with staff (amber) and held back in the reserve (light amber, outlined); the blue point
    is the pool earned to date, E_k. A point below the top of its bar is a shortfall that
    later quarters must make good. The dashed grey line is the year's target pool to date.
    Quarters not settled yet are labelled and left empty. A pool cap line more than three times
    what the year has paid is not drawn (it would flatten every bar); a note names the cap.
    """
    cur = year.currency
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.subplots()
    labels = [str(q) for q in year.fiscal_year.quarters]
    shared = reserve = 0.0
    top = 1.0
    for i, q in enumerate(year.quarters):
        shared = round(shared + q.shared_now, 2)
        reserve = q.reserve
        bar = ax.bar(i, shared, color=PALETTE["pool"], width=0.6)[0]
        tip(fig, bar, f"{q.period}: shared with staff so far {money_text(shared, cur)}")
        # lighter, with an outline: a hatch would be an SVG <pattern> the offline check refuses
        held = ax.bar(i, reserve, bottom=shared, color=PALETTE["pool"], alpha=0.35,
                      edgecolor=PALETTE["pool"], linewidth=1.2, width=0.6)[0]
        tip(fig, held, f"{q.period}: the reserve (held back to the year end) {money_text(reserve, cur)}")
        point, = ax.plot([i], [q.earned_to_date], marker="D", markersize=8, color=PALETTE["actual"], linestyle="")
        tip(fig, point, f"{q.period}: pool earned for the year so far {money_text(q.earned_to_date, cur)}"
                        + (f", {money_text(q.shortfall, cur)} short of what the year has paid" if q.shortfall else ""))
        top = max(top, shared + reserve, q.earned_to_date)
    handles = [Patch(color=PALETTE["pool"]), Patch(facecolor=PALETTE["pool"], alpha=0.35, edgecolor=PALETTE["pool"]),
               Line2D([], [], marker="D", color=PALETTE["actual"], linestyle="")]
    names = ["shared so far", "reserve", "earned to date"]
    off_scale = None
    if targets and targets[0][0] == "pool cap" and max(a for _, a in targets) > 3 * top:
        # a cap far above what the year pays would flatten every bar: name it instead of drawing it
        off_scale, targets = targets[0][1], None
    if targets:
        kind = targets[0][0]
        xs = list(range(len(targets)))
        ys = [amount for _, amount in targets]
        line, = ax.plot(xs, ys, linestyle="--", color=PALETTE["target"], linewidth=1.6)
        tip(fig, line, f"The year's {kind} to date")
        for i, (label, amount) in enumerate(zip(labels, ys, strict=False)):
            mark, = ax.plot([i], [amount], marker="o", markersize=5, color=PALETTE["target"], linestyle="")
            tip(fig, mark, f"{label}: the year's {kind} to date {money_text(amount, cur)}")
        top = max(top, *ys)
        handles.append(Line2D([], [], linestyle="--", color=PALETTE["target"]))
        names.append(f"{kind} to date")
    for i in range(len(year.quarters), 4):
        ax.annotate("not yet", (i, 0), xytext=(0, 4), textcoords="offset points", ha="center",
                    va="bottom", fontsize=9, color=PALETTE["neutral"])
    ax.set_xticks(range(4), labels)
    ax.set_xlim(-0.6, 3.6)
    ax.set_ylim(0, top * 1.12)
    money_axis(ax, cur)
    ax.set_title(f"The bonus year {year.fiscal_year} so far")
    if off_scale is not None:
        ax.set_xlabel(f"(the pool cap, {money_text(off_scale, cur)} a quarter, is far above these amounts)",
                      fontsize=8.5, color=PALETTE["neutral"])
    ax.grid(axis="y", alpha=0.3)
    legend_outside(fig, ax, ncols=4, handles=handles, labels=names)
    return fig
