"""Calibration: the base quarter of actuals a scenario changes, as the driver model sees it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.bonus import staff_in_period
from planning.dataset import Dataset
from planning.errors import InputError
from planning.money import Unit, sum_cents
from planning.periods import Period
from planning.plan import Distribution
from planning.scenarios.spec import (
    DRIVERS,
)

__all__ = ["Baseline", "calibrate"]


@dataclass(frozen=True)
class Baseline:
    """The base period's figures every driver changes. Amounts in currency units.

    Notes
    -----
    From ``actuals.csv`` (company sums) and ``funnel.csv`` of the base period B:
    leads L0, won deals W0, campaign revenue C0, campaign spend S0;
    lead_to_win r0 = W0 / L0; average_deal d0 = C0 / W0 (with no wins in B: the average
    deal of every funnel quarter up to B); other_revenue O0 = revenue R0 - C0;
    gross_margin m0 = (R0 - cogs G0) / R0; payroll P0 = sum of annual_salary x fte x
    tenure / 4 over ``staff.csv`` for B; other_opex = opex X0 - S0 - P0.
    """

    period: str
    revenue: float
    cogs: float
    opex: float
    leads: float
    won: float
    campaign_revenue: float
    marketing_spend: float
    lead_to_win: float
    average_deal: float
    payroll: float
    has_funnel: bool
    currency: Unit = 2       # amounts are whole minor units of this currency ("cents")

    @property
    def other_revenue(self) -> float:
        return round(self.revenue - self.campaign_revenue, 2)

    @property
    def gross_profit(self) -> float:
        return round(self.revenue - self.cogs, 2)

    @property
    def gross_margin(self) -> float:
        return self.gross_profit / self.revenue if self.revenue else 0.0

    @property
    def other_opex(self) -> float:
        return self.opex - self.marketing_spend - self.payroll

    @property
    def gop(self) -> float:
        return round(self.revenue - self.cogs - self.opex, 2)

    def value(self, driver: str) -> float:
        """The base value the driver changes."""
        return float(getattr(self, DRIVERS[driver].base_attr))

    def to_dict(self) -> dict:
        names = ("period", "revenue", "cogs", "opex", "gop", "leads", "won", "campaign_revenue",
                 "other_revenue", "marketing_spend", "lead_to_win", "average_deal", "gross_margin",
                 "payroll", "other_opex")
        return {n: getattr(self, n) for n in names}


def calibrate(dataset: Dataset, base_period: str | Period) -> Baseline:
    """The :class:`Baseline` of ``base_period`` (a quarter with actuals)."""
    label = str(dataset.period(base_period))
    rows = dataset.actuals[dataset.actuals["period"] == label]
    if rows.empty:
        raise InputError.single("actuals.csv", f"has no rows for period {label}; expected actuals "
                                "for the base period", column="period")
    funnel = dataset.funnel[dataset.funnel["period"] == label]
    leads, won = float(funnel["leads"].sum()), float(funnel["won"].sum())
    unit = dataset.company.currency
    campaign = sum_cents(funnel["revenue"], unit)
    if won > 0:
        average_deal = campaign / won
    else:
        base = dataset.period(label)
        before = np.array([dataset.period(p) <= base for p in dataset.funnel["period"]], dtype=bool)
        history = dataset.funnel[before]
        total_won = float(history["won"].sum())
        average_deal = float(history["revenue"].sum()) / total_won if total_won else 0.0
    people = staff_in_period(dataset.staff, dataset.period(label), Distribution())
    return Baseline(
        period=label,
        revenue=sum_cents(rows["revenue"], unit),
        cogs=sum_cents(rows["cogs"], unit),
        opex=sum_cents(rows["opex"], unit),
        leads=leads, won=won, campaign_revenue=campaign,
        marketing_spend=sum_cents(funnel["spend"], unit),
        lead_to_win=won / leads if leads else 0.0,
        average_deal=average_deal,
        payroll=float(people["period_salary"].sum()),
        has_funnel=leads > 0,
        currency=unit,
    )
