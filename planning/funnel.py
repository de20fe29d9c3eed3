"""Marketing's funnel judged on the shared targets (domain section 3).

Per campaign: cost per lead = spend / leads; lead-to-win rate = won / leads;
attributed gross profit = campaign revenue x the company's gross margin of the period;
ROI = (attributed gross profit - spend) / spend. A campaign that spent money and won no
revenue is *flagged*: it reached neither target. Ratios with a zero denominator are NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planning.dataset import Dataset
from planning.financials import pnl_table
from planning.periods import Period

__all__ = ["campaign_metrics", "funnel_by_period"]


def _ratio(numerator, denominator) -> np.ndarray:
    n = np.asarray(numerator, dtype=float)
    d = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d != 0, n / np.where(d != 0, d, 1), np.nan)


def campaign_metrics(dataset: Dataset, period: str | Period | None = None) -> pd.DataFrame:
    """One row per campaign (of ``period``, or of every period) with its metrics and flag."""
    funnel = dataset.funnel.copy()
    if period is not None:
        funnel = funnel[funnel["period"] == str(dataset.period(period))]
    margins = pnl_table(dataset)
    margin = (margins["gross_profit"] / margins["revenue"].where(margins["revenue"] != 0)).fillna(0.0)
    funnel["gross_margin"] = funnel["period"].map(margin).fillna(0.0).astype(float)
    funnel["cost_per_lead"] = _ratio(funnel["spend"], funnel["leads"])
    funnel["lead_to_qualified"] = _ratio(funnel["qualified"], funnel["leads"])
    funnel["lead_to_win"] = _ratio(funnel["won"], funnel["leads"])
    funnel["average_deal"] = _ratio(funnel["revenue"], funnel["won"])
    funnel["attributed_gross_profit"] = funnel["revenue"] * funnel["gross_margin"]
    funnel["roi"] = _ratio(funnel["attributed_gross_profit"] - funnel["spend"], funnel["spend"])
    funnel["flagged"] = (funnel["spend"] > 0) & (funnel["revenue"] <= 0)
    return funnel.reset_index(drop=True)


def funnel_by_period(dataset: Dataset) -> pd.DataFrame:
    """The funnel per period: totals, rates, marketing-sourced revenue against the target."""
    metrics = campaign_metrics(dataset)
    cols = ["spend", "leads", "qualified", "won", "revenue", "attributed_gross_profit"]
    totals = metrics.groupby("period")[cols].sum()
    totals["campaigns"] = metrics.groupby("period").size()
    totals["flagged_campaigns"] = metrics.groupby("period")["flagged"].sum().astype(int)
    totals["flagged_spend"] = metrics[metrics["flagged"]].groupby("period")["spend"].sum()
    totals["flagged_spend"] = totals["flagged_spend"].fillna(0.0)
    totals["cost_per_lead"] = _ratio(totals["spend"], totals["leads"])
    totals["lead_to_win"] = _ratio(totals["won"], totals["leads"])
    totals["average_deal"] = _ratio(totals["revenue"], totals["won"])
    totals["roi"] = _ratio(totals["attributed_gross_profit"] - totals["spend"], totals["spend"])
    targets = dataset.targets.set_index("period")["revenue_target"]
    totals["share_of_revenue_target"] = _ratio(totals["revenue"], totals.index.map(targets))
    order = sorted(totals.index, key=dataset.period)
    return totals.loc[order]
