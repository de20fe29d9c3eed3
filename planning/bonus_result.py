"""A period's bonus as the engine decided it: the gates, the limits, the pool and every payout.

:class:`BonusResult` holds the quarter it was computed on (:class:`~planning.financials.PeriodResult`)
and reads its revenue, GOP, targets and attainments from it; ``to_dict`` is ``bonus --json``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.financials import PeriodResult
from planning.money import Unit, round_cents, unit_digits
from planning.plan import Plan

__all__ = ["GateCheck", "GatedOutcome", "Limit", "BonusResult"]


@dataclass(frozen=True)
class GateCheck:
    """One gate: passed when attainment >= threshold."""

    metric: str            # "revenue" or "gop"
    threshold: float
    attainment: float
    passed: bool
    actual: float
    target: float
    unit: Unit = 2          # the currency's minor unit, for gap_amount

    @property
    def name(self) -> str:
        """The gate as a sentence names it: ``revenue`` or ``GOP``."""
        return "revenue" if self.metric == "revenue" else "GOP"

    @property
    def shortfall(self) -> float:
        """Attainment points missing (0 when passed)."""
        return 0.0 if self.passed else max(0.0, self.threshold - self.attainment)

    @property
    def gap_amount(self) -> float:
        """Currency needed to reach the gate (0 when passed)."""
        return max(0.0, round_cents(self.threshold * self.target - self.actual, self.unit)) if not self.passed else 0.0


@dataclass(frozen=True)
class Limit:
    """A pool limit that changed the pool."""

    name: str      # "floor", "cap", "self_funding"
    before: float
    after: float


class GatedOutcome:
    """``gates_passed`` and ``failed_gates`` of any result with ``gates`` (a tuple of GateCheck)."""

    gates: tuple[GateCheck, ...]

    @property
    def gates_passed(self) -> bool:
        return all(g.passed for g in self.gates)

    @property
    def failed_gates(self) -> list[GateCheck]:
        return [g for g in self.gates if not g.passed]


@dataclass(frozen=True, eq=False)
class BonusResult(GatedOutcome):
    """A period's bonus with the whole explanation (domain section 4.3).

    ``period_result`` is the quarter the bonus was computed on (its revenue, GOP, targets and
    attainments are read from it, never copied).
    """

    period_result: PeriodResult
    currency: str
    gates: tuple[GateCheck, ...]
    raw_pool: float
    limits: tuple[Limit, ...]
    pool: float
    allocated: float
    unallocated: float
    allocations: pd.DataFrame
    plan: Plan

    @property
    def period(self) -> str:
        return self.period_result.period

    @property
    def revenue(self) -> float:
        return self.period_result.revenue

    @property
    def gop(self) -> float:
        return self.period_result.gop

    @property
    def revenue_target(self) -> float:
        return self.period_result.revenue_target

    @property
    def gop_target(self) -> float:
        return self.period_result.gop_target

    @property
    def revenue_attainment(self) -> float:
        return self.period_result.revenue_attainment

    @property
    def gop_attainment(self) -> float:
        return self.period_result.gop_attainment


    @property
    def excess_gop(self) -> float:
        return max(0.0, round_cents(self.gop - self.gop_target, self.currency))

    @property
    def pool_share_of_gop(self) -> float:
        """Pool / GOP (NaN when GOP <= 0)."""
        return self.pool / self.gop if self.gop > 0 else float("nan")

    @property
    def pool_share_of_excess_gop(self) -> float:
        """Pool / GOP above target (NaN when there is none)."""
        return self.pool / self.excess_gop if self.excess_gop > 0 else float("nan")

    @property
    def gop_after_bonus(self) -> float:
        """GOP less what is actually paid out (the unallocated part stays with the company)."""
        return round_cents(self.gop - self.allocated, self.currency)

    def by_department(self) -> pd.DataFrame:
        """Headcount, eligible people and payouts per department."""
        a = self.allocations
        grouped = a.groupby("department").agg(
            people=("employee_id", "size"), eligible=("eligible", "sum"), payout=("payout", "sum"))
        grouped["payout"] = grouped["payout"].round(unit_digits(self.currency))
        return grouped

    def to_dict(self) -> dict:
        """The ``bonus --json`` object: amounts as numbers to the currency's minor unit."""
        digits = unit_digits(self.currency)
        def _num(x):
            return None if x != x else x  # NaN -> null

        rows = self.allocations
        allocations = [
            {
                "employee_id": r.employee_id,
                "name": r.name,
                "department": r.department,
                "role": r.role,
                "eligible": bool(r.eligible),
                "reason": r.reason or None,
                "days_in_period": int(r.days_in),
                "tenure": round(float(r.tenure), 6),
                "fte": float(r.fte),
                "weight": round(float(r.weight), 6),
                "cap": None if not np.isfinite(r.cap) else round(float(r.cap), digits),
                "capped": bool(r.capped),
                "payout": round(float(r.payout), digits),
            }
            for r in rows.itertuples(index=False)
        ]
        return {
            "period": self.period,
            "currency": self.currency,
            "revenue": self.revenue,
            "gop": self.gop,
            "revenue_target": self.revenue_target,
            "gop_target": self.gop_target,
            "revenue_attainment": self.revenue_attainment,
            "gop_attainment": self.gop_attainment,
            "gates_passed": self.gates_passed,
            "gates": [
                {"metric": g.metric, "threshold": g.threshold, "attainment": g.attainment,
                 "passed": g.passed, "shortfall": g.shortfall, "gap_amount": g.gap_amount}
                for g in self.gates
            ],
            "raw_pool": round(self.raw_pool, digits),
            "limits": [{"name": x.name, "before": round(x.before, digits), "after": round(x.after, digits)}
                       for x in self.limits],
            "pool": round(self.pool, digits),
            "allocated": round(self.allocated, digits),
            "unallocated": round(self.unallocated, digits),
            "pool_share_of_gop": _num(self.pool_share_of_gop),
            "pool_share_of_excess_gop": _num(self.pool_share_of_excess_gop),
            "gop_after_bonus": self.gop_after_bonus,
            "allocations": allocations,
        }
