"""The bonus year's result objects (domain section 6.3): quarters, the year end, people.

Money in currency units (floats that are whole cents), as the quarter engine's results.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planning.bonus_result import GateCheck, GatedOutcome, Limit
from planning.financials import PeriodResult
from planning.money import round_cents, sum_cents
from planning.periods import FiscalYear, Period
from planning.plan import Plan, YearPlan

__all__ = ["QuarterSettlement", "YearEnd", "YearEndNeed", "YearResult", "year_plan"]


def year_plan(plan: Plan) -> YearPlan:
    """The plan's ``year:`` section, or the defaults (each quarter alone, nothing held back)."""
    return plan.year if plan.year is not None else YearPlan()



@dataclass(frozen=True, eq=False)
class QuarterSettlement(GatedOutcome):
    """Quarter k of the bonus year (section 6.1). Money in currency units (whole cents).

    Attributes
    ----------
    period : str
    quarter : int
        k, 1 to 4.
    result : PeriodResult
        The quarter's own figures.
    basis : PeriodResult
        The figures the pool was worked out on: the quarter alone (``settle: quarter``) or
        quarters 1..k summed (``year_to_date``).
    gates, raw_pool, limits :
        Section 4.1 on ``basis`` (with the year-to-date floor, cap and target pool).
    earned_to_date : float
        E_k; with ``settle: quarter`` the sum of the pools P_1..P_k.
    paid_before : float
        P_1 + ... + P_(k-1).
    pool : float
        P_k = max(0, E_k - paid_before) (year_to_date), or section 4.1 on the quarter.
    held_back, shared_now : float
        H_k = holdback x P_k rounded half up to cents; P_k - H_k.
    allocated, unallocated : float
        What of ``shared_now`` was paid, and what nobody could take.
    reserve : float
        H_1 + ... + H_k.
    allocations : DataFrame
        :func:`~planning.bonus.staff_in_period` for the quarter with ``cap`` (whole cents),
        ``capped`` and ``payout``.
    """

    period: str
    quarter: int
    result: PeriodResult
    basis: PeriodResult
    gates: tuple[GateCheck, ...]
    raw_pool: float
    limits: tuple[Limit, ...]
    earned_to_date: float
    paid_before: float
    pool: float
    held_back: float
    shared_now: float
    allocated: float
    unallocated: float
    reserve: float
    allocations: pd.DataFrame


    @property
    def shortfall(self) -> float:
        """What the pool earned to date falls short of what earlier quarters paid (0 if none)."""
        return max(0.0, round_cents(self.paid_before - self.earned_to_date, self.result.currency))

    def to_dict(self) -> dict:
        """One entry of ``year --json``'s ``quarters``."""
        return {"period": self.period, "earned_to_date": self.earned_to_date, "pool": self.pool,
                "shared_now": self.shared_now, "held_back": self.held_back, "allocated": self.allocated,
                "unallocated": self.unallocated, "reserve": self.reserve}


@dataclass(frozen=True, eq=False)
class YearEnd(GatedOutcome):
    """The year end (section 6.2): the reserve released (and shared) or forfeited.

    ``allocations`` is :func:`~planning.bonus.staff_in_period` over the fiscal year (year
    salary, eligibility at the year end) with ``paid_in_quarters``, ``cap`` (the yearly cap
    less what the quarters paid, not below 0; inf without a cap), ``capped`` and ``payout``.
    """

    result: PeriodResult
    gates: tuple[GateCheck, ...]
    reserve: float
    released: float
    forfeited: float
    allocated: float
    unallocated: float
    allocations: pd.DataFrame


    def to_dict(self) -> dict:
        return {"reserve": self.reserve, "gates_passed": self.gates_passed, "released": self.released,
                "forfeited": self.forfeited, "allocated": self.allocated, "unallocated": self.unallocated}


@dataclass(frozen=True)
class YearEndNeed:
    """For a year in progress: what one year-end gate needs over the rest of the year.

    ``full_year_target`` and ``still_needed`` are None when targets.csv does not yet have
    every quarter of the year.
    """

    metric: str
    threshold: float
    so_far: float
    full_year_target: float | None
    still_needed: float | None

    @property
    def name(self) -> str:
        return "revenue" if self.metric == "revenue" else "GOP"


@dataclass(frozen=True, eq=False)
class YearResult:
    """A fiscal year's bonus, settled over the quarters with actuals so far (section 6.3).

    Attributes
    ----------
    fiscal_year : FiscalYear
    currency : str
    plan : Plan
    quarters : tuple of QuarterSettlement
        Quarters 1..k with actuals so far (k = 4 once the year is complete).
    year_end : YearEnd or None
        None until the fourth quarter is settled.
    needs : tuple of YearEndNeed
        For a year in progress, what each year-end gate still needs (empty once complete).
    people : DataFrame
        One row per staff row: employee_id, name, department, one payout column per settled
        quarter (named by period), ``year_end`` (NaN before the year ends) and ``total``.
    """

    fiscal_year: FiscalYear
    currency: str
    plan: Plan
    quarters: tuple[QuarterSettlement, ...]
    year_end: YearEnd | None
    needs: tuple[YearEndNeed, ...]
    people: pd.DataFrame

    @property
    def complete(self) -> bool:
        return self.year_end is not None

    @property
    def settle(self) -> str:
        return year_plan(self.plan).settle

    @property
    def holdback(self) -> float:
        return year_plan(self.plan).holdback

    @property
    def reserve(self) -> float:
        """The reserve so far (sum of H_k)."""
        return self.quarters[-1].reserve if self.quarters else 0.0

    @property
    def total_pool(self) -> float:
        """Sum of the P_k so far."""
        return sum_cents([q.pool for q in self.quarters], self.currency or 2)

    @property
    def paid(self) -> float:
        """Everything paid to people so far (the quarters and, once complete, the year end)."""
        return sum_cents(self.people["total"], self.currency or 2)

    def quarter(self, period: str | Period) -> QuarterSettlement:
        """The settlement of one quarter of the year (KeyError when not settled)."""
        label = str(period)
        for q in self.quarters:
            if q.period == label:
                return q
        raise KeyError(f"{label} is not a settled quarter of {self.fiscal_year}")

    def to_dict(self) -> dict:
        """The ``year --json`` object; amounts are numbers in the currency, null before the year ends."""
        end = (self.year_end.to_dict() if self.year_end is not None else
               dict.fromkeys(("reserve", "gates_passed", "released", "forfeited", "allocated", "unallocated")))
        periods = [q.period for q in self.quarters]
        people = [
            {"employee_id": r["employee_id"], "name": r["name"],
             "quarters": {p: float(r[p]) for p in periods},
             "year_end": None if self.year_end is None else float(r["year_end"]),
             "total": float(r["total"])}
            for r in self.people.to_dict("records")
        ]
        return {"fiscal_year": self.fiscal_year.fiscal_year, "quarters": [q.to_dict() for q in self.quarters],
                "year_end": end, "people": people}
