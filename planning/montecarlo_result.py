"""What a Monte Carlo found (:func:`planning.montecarlo.simulate`): the chances, the pool's
spread and each person's expected payout; ``to_dict`` is ``simulate --json``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planning.money import unit_digits

__all__ = ["MonteCarloResult"]


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """What the simulation found. Probabilities are shares of draws; money in currency units.

    Attributes
    ----------
    p_revenue_gate, p_gop_gate, p_gates_passed : float
        Probability that each gate, and both, pass.
    p_pays : float
        Probability that the pool is above 0.
    p_self_funding : float
        Probability that what is paid out is no more than GOP above target (the company
        still makes its GOP target after the bonus).
    expected_pool, expected_cost : float
        Mean pool; mean amount paid out (the pool less what nobody can take).
    expected_revenue, expected_gop, expected_gop_after_bonus : float
        Means (GOP after the bonus: GOP less what is paid out), each from exact cent sums.
    pool_p10, pool_p50, pool_p90 : float
        Percentiles of the pool (linear interpolation, rounded to cents).
    expected_payout : Series
        Mean payout per person, indexed by employee_id.
    expected_payout_by_department : Series
    pools : ndarray
        Every draw's pool (for a histogram).
    """

    scenario: str
    period: str
    base_period: str
    currency: str
    draws: int
    seed: int
    p_revenue_gate: float
    p_gop_gate: float
    p_gates_passed: float
    p_pays: float
    p_self_funding: float
    expected_pool: float
    expected_cost: float
    expected_revenue: float
    expected_gop: float
    expected_gop_after_bonus: float
    pool_p10: float
    pool_p50: float
    pool_p90: float
    people: pd.DataFrame = field(repr=False)
    pools: np.ndarray = field(repr=False)
    #: With a ``year:`` plan, the rest of the year (:func:`planning.year.outlook.combine_year`);
    #: ``simulate --json``'s ``year`` object. None without one (and no ``year`` key).
    year: dict | None = field(default=None, repr=False)

    @property
    def expected_payout(self) -> pd.Series:
        return self.people.set_index("employee_id")["expected_payout"]

    @property
    def expected_payout_by_department(self) -> pd.Series:
        return self.people.groupby("department")["expected_payout"].sum().round(unit_digits(self.currency))

    def to_dict(self) -> dict:
        """The ``simulate --json`` object (with a ``year`` object only for a ``year:`` plan)."""
        data = {
            "scenario": self.scenario, "period": self.period, "base_period": self.base_period,
            "currency": self.currency, "draws": self.draws, "seed": self.seed,
            "p_revenue_gate": self.p_revenue_gate, "p_gop_gate": self.p_gop_gate,
            "p_gates_passed": self.p_gates_passed, "p_pays": self.p_pays,
            "p_self_funding": self.p_self_funding,
            "expected_pool": self.expected_pool, "expected_cost": self.expected_cost,
            "expected_revenue": self.expected_revenue, "expected_gop": self.expected_gop,
            "expected_gop_after_bonus": self.expected_gop_after_bonus,
            "pool_p10": self.pool_p10, "pool_p50": self.pool_p50, "pool_p90": self.pool_p90,
            "expected_payout_by_department": {str(k): float(v) for k, v in
                                              self.expected_payout_by_department.items()},
            "expected_payouts": [
                {"employee_id": r.employee_id, "name": r.name, "department": r.department,
                 "expected_payout": round(float(r.expected_payout), unit_digits(self.currency))}
                for r in self.people.itertuples(index=False)
            ],
        }
        if self.year is not None:
            data["year"] = self.year
        return data
