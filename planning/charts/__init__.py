"""Charts: data in, a matplotlib ``Figure`` out.

Figures are built with ``matplotlib.figure.Figure`` directly (no pyplot global state), so
the model stays pure and charts are safe in threads, widgets and reports. Callers display
them (notebooks), embed them as PNG (the cockpit) or as inline SVG with a tooltip on every
bar and point (reports). Money axes are in the company's currency.

Modules
-------
base
    :data:`PALETTE` (one meaning per colour), money axes, legends outside the data,
    :func:`tip` and :func:`tooltips`.
quarter
    The P&L against targets, attainment, the pool's waterfall, payouts, the simulated pool
    and the tornado of what moves it.
marketing
    The funnel and each campaign's ROI.
planning
    Where the bonus pays (heatmap) and departments' proposals; scenarios and sweeps are in
    :mod:`planning.scenario_charts`.
"""

from planning.charts.base import (
    PALETTE,
    MoneyFormatter,
    figure_png,
    label_money,
    legend_outside,
    literal_text,
    money_axis,
    plain_text_chart,
    tip,
    tooltips,
)
from planning.charts.marketing import campaign_roi_chart, funnel_chart
from planning.charts.planning import gate_heatmap, proposals_chart
from planning.charts.quarter import (
    attainment_trend,
    bonus_waterfall,
    grouped_payouts_chart,
    metric_vs_target,
    payouts_by_department,
    pnl_vs_targets,
    pool_distribution,
    tornado_chart,
    update_payouts_by_department,
    update_waterfall,
)

__all__ = ["PALETTE", "MoneyFormatter", "figure_png", "label_money", "legend_outside", "literal_text", "money_axis",
           "plain_text_chart", "tip", "tooltips", "campaign_roi_chart", "funnel_chart", "gate_heatmap",
           "proposals_chart",
           "attainment_trend", "bonus_waterfall", "grouped_payouts_chart", "metric_vs_target",
           "payouts_by_department", "pnl_vs_targets", "pool_distribution", "tornado_chart",
           "update_payouts_by_department", "update_waterfall"]
