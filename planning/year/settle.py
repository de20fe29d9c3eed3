"""Settling a bonus year (domain sections 6.1 and 6.2), pure and vectorised over people.

Each quarter's sharing and the year-end sharing are the quarter engine's
(:func:`planning.bonus.staff_in_period`, :func:`planning.bonus.share_cents`), run once per
quarter and once for the year; money is added in integer cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from planning.bonus import pool_arrays, pool_outcome, staff_in_period
from planning.bonus_result import GateCheck
from planning.financials import PeriodResult
from planning.methods import snap_attainment
from planning.money import Unit, from_cents, round_cents, share_of_cents, sum_cents, to_cents
from planning.periods import FiscalYear, Period
from planning.plan import Gates, Plan
from planning.sharing import cap_cents, employee_id_order, share_cents
from planning.year.result import QuarterSettlement, YearEnd, YearEndNeed, YearResult, year_plan

__all__ = ["year_to_date_plan", "year_to_date_result", "gate_checks", "settle_year", "pool_to_date_arrays"]


def _units(cents: int, unit: Unit) -> float:
    """Integer minor units as an amount in currency units."""
    return from_cents(int(cents), unit)


def year_to_date_plan(plan: Plan, quarter: int) -> Plan:
    """The plan whose section 4.1 pool on the figures of quarters 1..k is E_k (section 6.1 step 2).

    ``floor`` and ``cap`` are multiplied by k; a ``payout_curve``'s target pool becomes
    4 x target_pool x W_k, W_k the sum of the first k ``weights`` (k x target_pool with
    equal weights). With ``settle: quarter`` the plan is returned unchanged.

    >>> from planning.plan import parse_plan
    >>> p = parse_plan({"pool": {"method": "payout_curve", "target_pool": 60000, "curve": [[1, 1]],
    ...                 "cap": 90000}, "year": {"settle": "year_to_date", "weights": [0.1, 0.2, 0.3, 0.4]}})
    >>> q3 = year_to_date_plan(p, 3).pool
    >>> q3.target_pool, q3.cap
    (144000.0, 270000.0)
    """
    year = year_plan(plan)
    if year.settle != "year_to_date":
        return plan
    pool = plan.pool
    changes = {"floor": pool.floor * quarter, "cap": None if pool.cap is None else pool.cap * quarter}
    if pool.method == "payout_curve" and pool.target_pool is not None:
        changes["target_pool"] = 4 * pool.target_pool * year.weight_to_date(quarter)
    return replace(plan, pool=replace(pool, **changes))


def year_to_date_result(results: list[PeriodResult]) -> PeriodResult:
    """The sum of several quarters' results (revenue, cogs, opex and both targets, in cents)."""
    unit = results[0].currency
    label = results[0].period if len(results) == 1 else f"{results[0].period}-{results[-1].period}"
    return PeriodResult(
        period=label,
        revenue=sum_cents([r.revenue for r in results], unit),
        cogs=sum_cents([r.cogs for r in results], unit),
        opex=sum_cents([r.opex for r in results], unit),
        revenue_target=sum_cents([r.revenue_target for r in results], unit),
        gop_target=sum_cents([r.gop_target for r in results], unit),
        currency=results[0].currency,
    )


def gate_checks(gates: Gates, result: PeriodResult) -> tuple[GateCheck, ...]:
    """Each gate of ``gates`` on ``result`` (passing is attainment >= gate, float noise at the gate)."""
    checks = []
    for metric, threshold, actual, target in (("revenue", gates.revenue, result.revenue, result.revenue_target),
                                              ("gop", gates.gop, result.gop, result.gop_target)):
        if threshold is not None:
            attainment = actual / target
            passed = bool(snap_attainment(attainment, [threshold]) >= threshold)
            checks.append(GateCheck(metric, threshold, attainment, passed, actual, target, result.currency))
    return tuple(checks)



def _quarter_people(staff: pd.DataFrame, period: Period, plan: Plan, salary_factor: float,
                    shared_cents: int, tie_order: np.ndarray, unit: Unit) -> pd.DataFrame:
    people = staff_in_period(staff, period, plan.distribution, salary_factor, plan.source)
    caps = cap_cents(people, unit)
    shared = share_cents(people["weight"].to_numpy(), caps, shared_cents, tie_order=tie_order)
    people["cap"] = np.where(np.isfinite(caps), from_cents(caps, unit), np.inf)
    people["exact_share"] = from_cents(shared.exact_cents, unit)   # as bonus_for_period's (statements read it)
    people["capped"] = shared.capped
    people["payout_cents"] = shared.payout_cents
    people["payout"] = from_cents(shared.payout_cents, unit)
    return people


def settle_year(results: list[PeriodResult], staff: pd.DataFrame, fiscal_year: FiscalYear, plan: Plan,
                currency: str = "", salary_factor: float | Sequence[float] = 1.0,
                year_targets: list[PeriodResult] | None = None) -> YearResult:
    """Settle the quarters of a fiscal year in order, and the year end once all four are in.

    Parameters
    ----------
    results : list of PeriodResult
        The figures of quarters 1..k of ``fiscal_year`` (k from 1 to 4), in order.
    staff : DataFrame
        ``Dataset.staff``.
    fiscal_year : FiscalYear
    plan : Plan
        Without a ``year:`` section every quarter stands alone and nothing is held back.
    currency : str
    salary_factor : float or sequence of float
        Scales every salary (scenario pay rises); 1 for actuals. A sequence gives one factor
        per quarter of ``results`` (actual quarters 1, a planned one its pay rise); the year
        end uses the last.
    year_targets : list of PeriodResult, optional
        For a year in progress, the later quarters' targets (only their targets are read),
        to say what the year end will need.

    Returns
    -------
    YearResult

    Notes
    -----
    Quarter k (section 6.1): with ``settle: year_to_date``, E_k is section 4.1 on the sums of
    quarters 1..k (floor and cap x k, a payout curve's target pool 4 x target_pool x W_k) and
    P_k = max(0, E_k - sum of earlier P); with ``settle: quarter``, P_k is section 4.1 on the
    quarter and E_k = P_1 + ... + P_k. H_k = holdback x P_k rounded half up to cents; P_k - H_k
    is shared over quarter k. The year end (section 6.2): if a ``year_end.gates`` gate fails on
    the full year's totals the reserve is forfeited; otherwise it is shared over the fiscal
    year (year salary, eligibility at the year end) with each person's cap the yearly cap less
    what the quarters paid them (not below 0).
    """
    expected = [str(q) for q in fiscal_year.quarters[:len(results)]]
    if not 1 <= len(results) <= 4 or [r.period for r in results] != expected:
        raise ValueError(f"expected the results of {', '.join(expected) or 'quarters 1..k'} in order")
    year = year_plan(plan)
    unit = currency or 2
    factors = (list(salary_factor) if isinstance(salary_factor, Sequence)
               else [float(salary_factor)] * len(results))
    quarters: list[QuarterSettlement] = []
    tie_order = employee_id_order(staff["employee_id"])   # once for the year's five sharings
    paid_cents = reserve_cents = 0
    payouts: dict[str, np.ndarray] = {}
    for k, (period, result) in enumerate(zip(fiscal_year.quarters, results, strict=False), start=1):
        to_date = year.settle == "year_to_date"
        basis = year_to_date_result(results[:k]) if to_date else result
        outcome = pool_outcome(basis, year_to_date_plan(plan, k), unit)
        earned_cents = to_cents(outcome.pool, unit)
        pool_cents = max(0, earned_cents - paid_cents) if to_date else earned_cents
        held_cents = share_of_cents(year.holdback, pool_cents)
        shared_cents = pool_cents - held_cents
        people = _quarter_people(staff, period, plan, factors[k - 1], shared_cents, tie_order, unit)
        allocated_cents = int(people["payout_cents"].sum())
        payouts[str(period)] = people["payout_cents"].to_numpy()
        reserve_cents += held_cents
        quarters.append(QuarterSettlement(
            period=str(period), quarter=k, result=result, basis=basis, gates=outcome.gates,
            raw_pool=outcome.raw_pool, limits=outcome.limits,
            earned_to_date=_units(earned_cents if to_date else paid_cents + pool_cents, unit),
            paid_before=_units(paid_cents, unit), pool=_units(pool_cents, unit), held_back=_units(held_cents, unit),
            shared_now=_units(shared_cents, unit), allocated=_units(allocated_cents, unit),
            unallocated=_units(shared_cents - allocated_cents, unit), reserve=_units(reserve_cents, unit),
            allocations=people.drop(columns="payout_cents")))
        paid_cents += pool_cents

    first = quarters[0].allocations
    people = pd.DataFrame({"employee_id": first["employee_id"].to_numpy(), "name": first["name"].to_numpy(),
                           "department": first["department"].to_numpy()})
    paid_by_person = np.sum(list(payouts.values()), axis=0)
    for label, cents in payouts.items():
        people[label] = from_cents(cents, unit)
    year_end, needs = None, ()
    if len(results) == 4:
        year_end = _settle_year_end(results, staff, fiscal_year, plan, factors[-1], reserve_cents,
                                    paid_by_person, tie_order, unit)
        ye_cents = year_end.allocations["payout_cents"].to_numpy()
        year_end = replace(year_end, allocations=year_end.allocations.drop(columns="payout_cents"))
        people["year_end"] = from_cents(ye_cents, unit)
        people["total"] = from_cents(paid_by_person + ye_cents, unit)
    else:
        people["year_end"] = np.nan
        people["total"] = from_cents(paid_by_person, unit)
        needs = _needs(year.year_end_gates, year_to_date_result(results), results, year_targets)
    return YearResult(fiscal_year, currency, plan, tuple(quarters), year_end, needs, people)


def _settle_year_end(results, staff, fiscal_year, plan, salary_factor, reserve_cents, paid_by_person,
                     tie_order, unit) -> YearEnd:
    full_year = year_to_date_result(results)
    gates = gate_checks(year_plan(plan).year_end_gates, full_year)
    passed = all(g.passed for g in gates)
    released_cents = reserve_cents if passed else 0
    people = staff_in_period(staff, fiscal_year, plan.distribution, salary_factor, plan.source)
    caps = np.maximum(0.0, cap_cents(people, unit) - paid_by_person)   # inf - paid stays inf
    shared = share_cents(people["weight"].to_numpy(), caps, released_cents, tie_order=tie_order)
    people["paid_in_quarters"] = from_cents(paid_by_person, unit)
    people["cap"] = np.where(np.isfinite(caps), from_cents(caps, unit), np.inf)
    people["capped"] = shared.capped
    people["payout_cents"] = shared.payout_cents
    people["payout"] = from_cents(shared.payout_cents, unit)
    return YearEnd(result=full_year, gates=gates, reserve=_units(reserve_cents, unit), released=_units(released_cents, unit),
                   forfeited=_units(reserve_cents - released_cents, unit), allocated=_units(shared.allocated_cents, unit),
                   unallocated=_units(released_cents - shared.allocated_cents, unit), allocations=people)


def _needs(gates: Gates, so_far: PeriodResult, results, year_targets) -> tuple[YearEndNeed, ...]:
    later = list(year_targets or [])
    complete = len(results) + len(later) == 4
    unit = so_far.currency
    revenue_target = sum_cents([r.revenue_target for r in [*results, *later]], unit) if complete else None
    gop_target = sum_cents([r.gop_target for r in [*results, *later]], unit) if complete else None
    needs = []
    for metric, threshold, actual, target in (("revenue", gates.revenue, so_far.revenue, revenue_target),
                                              ("gop", gates.gop, so_far.gop, gop_target)):
        if threshold is not None:
            still = None if target is None else max(0.0, round_cents(threshold * target - actual, unit))
            needs.append(YearEndNeed(metric, threshold, actual, target, still))
    return tuple(needs)


def pool_to_date_arrays(plan: Plan, quarter: int, revenue, gop, revenue_target, gop_target, unit: Unit = 2):
    """E_k for arrays of year-to-date figures (Monte Carlo draws), as :func:`~planning.bonus.pool_arrays`."""
    return pool_arrays(year_to_date_plan(plan, quarter), revenue, gop, revenue_target, gop_target, unit)
