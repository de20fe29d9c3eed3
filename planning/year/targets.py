"""The year's target pool to date: the line the reports draw the pool earned to date against."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from planning.bonus import pool_outcome
from planning.financials import PeriodResult
from planning.money import round_cents, sum_cents
from planning.periods import FiscalYear
from planning.plan import Plan
from planning.year.result import year_plan
from planning.year.settle import year_to_date_plan

__all__ = ["target_pool_to_date"]


def _at_target(label: str, revenue_target: float, gop_target: float, currency) -> PeriodResult:
    """Figures that make exactly their targets (GOP = GOP target, revenue = revenue target)."""
    return PeriodResult(label, revenue_target, 0.0, sum_cents([revenue_target, -gop_target], currency),
                        revenue_target, gop_target, currency=currency)


def target_pool_to_date(plan: Plan, fiscal_year: FiscalYear, targets: pd.DataFrame,
                        currency) -> list[tuple[str, float]] | None:
    """For each quarter k of the year that has targets, the year's target pool to date.

    The target pool to date is what section 4.1 (with section 6.1's year-to-date floor, cap
    and weights) gives on the year's targets to date, as if the company made exactly its
    targets, before self-funding (which at target leaves nothing): ``4 x target_pool x W_k`` for a ``payout_curve`` that pays 1 x at target, the
    rate x the GOP target to date for ``gop_share``; with ``settle: quarter`` the sum of the
    quarters' own. When that is 0 in every quarter (``excess_gop_share``: at target there is
    nothing above it) the line is the pool cap to date, k x cap, the most the year to date
    can pay; with no cap either, there is no line (None).

    Parameters
    ----------
    plan : Plan
    fiscal_year : FiscalYear
    targets : DataFrame
        ``Dataset.targets`` (``period``, ``revenue_target``, ``gop_target``).
    currency : Currency or str

    Returns
    -------
    list of (kind, amount) or None
        ``kind`` is ``"target pool"`` or ``"pool cap"``; one entry per quarter from the first,
        as far as ``targets`` has the quarters in a row.

    >>> from planning.plan import parse_plan
    >>> from planning.periods import FiscalYear
    >>> t = pd.DataFrame({"period": ["2026Q1", "2026Q2"], "revenue_target": [100.0, 100.0],
    ...                   "gop_target": [20.0, 20.0]})
    >>> p = parse_plan({"gates": {}, "pool": {"method": "payout_curve", "target_pool": 10, "curve": [[1, 1]]},
    ...                 "year": {"settle": "year_to_date", "weights": [0.1, 0.2, 0.3, 0.4]}})
    >>> target_pool_to_date(p, FiscalYear(2026), t, "AUD")
    [('target pool', 4.0), ('target pool', 12.0)]
    """
    # self-funding limits a pool to the GOP made above target, which at target is 0: the
    # target pool is the plan's pool for making the targets, before that limit
    plan = replace(plan, pool=replace(plan.pool, self_funding=False))
    rows = targets.set_index("period")
    to_date = year_plan(plan).settle == "year_to_date"
    revenue = gop = pool = 0.0
    amounts = []
    for k, quarter in enumerate(fiscal_year.quarters, start=1):
        label = str(quarter)
        if label not in rows.index:
            break
        rt, gt = float(rows.at[label, "revenue_target"]), float(rows.at[label, "gop_target"])
        revenue, gop = sum_cents([revenue, rt], currency), sum_cents([gop, gt], currency)
        if to_date:
            pool = pool_outcome(_at_target(label, revenue, gop, currency), year_to_date_plan(plan, k), currency).pool
        else:
            pool = sum_cents([pool, pool_outcome(_at_target(label, rt, gt, currency), plan, currency).pool], currency)
        amounts.append(round_cents(pool, currency))
    if not amounts:
        return None
    if any(amounts):
        return [("target pool", a) for a in amounts]
    if plan.pool.cap is None:
        return None
    return [("pool cap", round_cents(plan.pool.cap * k, currency)) for k in range(1, len(amounts) + 1)]
