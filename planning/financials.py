"""The company's and each department's result for a period (domain section 3).

Sign conventions: all amounts are in the company's currency; revenue, cogs and opex are
non-negative; gross profit and GOP may be negative. GOP is before the success bonus.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from planning.dataset import Dataset
from planning.money import Unit, cents_array, from_cents, sum_cents
from planning.periods import Period

__all__ = ["PeriodResult", "period_result", "pnl_table", "department_pnl", "attainment"]


@dataclass(frozen=True)
class PeriodResult:
    """A period's company P&L against its targets.

    Notes
    -----
    gross_profit = revenue - cogs; gop = revenue - cogs - opex;
    revenue_attainment = revenue / revenue_target; gop_attainment = gop / gop_target.
    """

    period: str
    revenue: float
    cogs: float
    opex: float
    revenue_target: float
    gop_target: float
    currency: Unit = 2     # the currency (its minor unit is what sums count in); 2: cents

    @property
    def gross_profit(self) -> float:
        return sum_cents((self.revenue, -self.cogs), self.currency)

    @property
    def gop(self) -> float:
        return sum_cents((self.revenue, -self.cogs, -self.opex), self.currency)

    @property
    def gross_margin(self) -> float:
        return self.gross_profit / self.revenue if self.revenue else 0.0

    @property
    def revenue_attainment(self) -> float:
        return self.revenue / self.revenue_target

    @property
    def gop_attainment(self) -> float:
        return self.gop / self.gop_target

    @property
    def excess_gop(self) -> float:
        """GOP above target, never negative."""
        return max(0.0, sum_cents((self.gop, -self.gop_target), self.currency))

    def as_dict(self) -> dict:
        """The ``pnl --json`` object: numbers, not strings."""
        out = asdict(self)
        return {
            "period": out["period"],
            "revenue": self.revenue,
            "cogs": self.cogs,
            "gross_profit": self.gross_profit,
            "opex": self.opex,
            "gop": self.gop,
            "revenue_target": self.revenue_target,
            "gop_target": self.gop_target,
            "revenue_attainment": self.revenue_attainment,
            "gop_attainment": self.gop_attainment,
        }


def attainment(actual, target):
    """actual / target, elementwise."""
    return np.asarray(actual, dtype=float) / np.asarray(target, dtype=float)


def period_result(dataset: Dataset, period: str | Period) -> PeriodResult:
    """The company's result for ``period``: sums over departments of ``actuals.csv``."""
    label = str(dataset.require_period(period))
    rows = dataset.actuals[dataset.actuals["period"] == label]
    target = dataset.targets[dataset.targets["period"] == label].iloc[0]
    currency = dataset.company.currency
    return PeriodResult(
        period=label,
        revenue=sum_cents(rows["revenue"], currency),
        cogs=sum_cents(rows["cogs"], currency),
        opex=sum_cents(rows["opex"], currency),
        revenue_target=float(target["revenue_target"]),
        gop_target=float(target["gop_target"]),
        currency=currency,
    )


def pnl_table(dataset: Dataset) -> pd.DataFrame:
    """Every period with actuals: the company P&L, targets (NaN if none) and attainments.

    Indexed by period label in order.
    """
    unit = dataset.company.currency
    sums = dataset.actuals.assign(
        **{c: cents_array(dataset.actuals[c], unit) for c in ("revenue", "cogs", "opex")}
    ).groupby("period")[["revenue", "cogs", "opex"]].sum()
    order = [str(p) for p in dataset.periods]
    table = from_cents(sums.loc[order], unit).astype(float)
    table["gross_profit"] = from_cents(sums.loc[order, "revenue"] - sums.loc[order, "cogs"], unit)
    table["gop"] = from_cents(sums.loc[order, "revenue"] - sums.loc[order, "cogs"] - sums.loc[order, "opex"], unit)
    targets = dataset.targets.set_index("period")[["revenue_target", "gop_target"]]
    table = table.join(targets, how="left")
    table["revenue_attainment"] = table["revenue"] / table["revenue_target"]
    table["gop_attainment"] = table["gop"] / table["gop_target"]
    table.index.name = "period"
    return table[["revenue", "cogs", "gross_profit", "opex", "gop", "revenue_target", "gop_target",
                  "revenue_attainment", "gop_attainment"]]


def department_pnl(dataset: Dataset, period: str | Period) -> pd.DataFrame:
    """Each department's own contribution in ``period``, with the company attainments.

    Every department carries the same two company attainments (the shared targets); what
    differs is its own revenue, gross profit and opex. Marketing's campaign revenue and
    attributed gross profit come from ``funnel.csv``.
    """
    result = period_result(dataset, period)
    rows = dataset.actuals[dataset.actuals["period"] == result.period].set_index("department")
    table = rows[["revenue", "cogs", "opex"]].astype(float).copy()
    table["gross_profit"] = table["revenue"] - table["cogs"]
    table["contribution"] = table["gross_profit"] - table["opex"]
    table["share_of_opex"] = table["opex"] / result.opex if result.opex else 0.0
    table["revenue_attainment"] = result.revenue_attainment
    table["gop_attainment"] = result.gop_attainment
    funnel = dataset.funnel[dataset.funnel["period"] == result.period]
    table["campaign_revenue"] = 0.0
    table["campaign_gross_profit"] = 0.0
    if len(funnel) and "Marketing" in table.index:
        table.loc["Marketing", "campaign_revenue"] = float(funnel["revenue"].sum())
        table.loc["Marketing", "campaign_gross_profit"] = float(funnel["revenue"].sum()) * result.gross_margin
    headcount = _headcount(dataset, period)
    table["headcount"] = headcount.reindex(table.index).fillna(0).astype(int)
    table.index.name = "department"
    return table.sort_index()


def _headcount(dataset: Dataset, period: str | Period) -> pd.Series:
    p = dataset.period(period)
    staff = dataset.staff
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end)
    present = (staff["start_date"] <= end) & (staff["end_date"].isna() | (staff["end_date"] >= start))
    return staff[present].groupby("department").size()
