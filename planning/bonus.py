"""The success-bonus engine (domain section 4): gates, pool, fair sharing to the cent.

Everything here is pure and vectorised over people; the pool functions are also vectorised
over arrays of results so that the Monte Carlo can run the same rules over many draws.

The pool's formula and limits are the plan's registry entries (:mod:`planning.methods`);
sharing to the cent is :mod:`planning.sharing`; the result is :mod:`planning.bonus_result`;
its sentences are :mod:`planning.words`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.bonus_result import BonusResult, GateCheck, GatedOutcome, Limit
from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.financials import PeriodResult, period_result
from planning.methods import (
    POOL_LIMITS,
    SHARING_METHODS,
    PoolFigures,
    pool_method,
    sharing_method,
    snap_attainment,
)
from planning.money import (
    Unit,
    from_cents,
    round_cents,
    round_cents_array,
    to_cents,
)
from planning.periods import Period
from planning.plan import Distribution, Gates, Plan, Pool
from planning.sharing import cap_cents, share_cents

__all__ = ["PoolArrays", "pool_arrays", "staff_in_period", "PoolOutcome", "pool_outcome", "compute_bonus",
           "bonus_for_period"]


# --- the pool -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolArrays:
    """Each step of the pool calculation (arrays, one value per result or draw)."""

    revenue_passed: np.ndarray
    gop_passed: np.ndarray
    gates_passed: np.ndarray
    raw: np.ndarray          # before any limit, 0 where a gate failed
    limited: tuple[np.ndarray, ...]   # after each of POOL_LIMITS, in order (not rounded)
    pool: np.ndarray         # after every limit, rounded to whole minor units (cents)
    excess_gop: np.ndarray   # max(0, GOP - gop_target)


def pool_arrays(plan: Plan, revenue, gop, revenue_target, gop_target, unit: Unit = 2) -> PoolArrays:
    """The pool for arrays of results (domain section 4.1, steps 1-4).

    Parameters
    ----------
    plan : Plan
    revenue, gop, revenue_target, gop_target : array_like
        Amounts in currency units; broadcast together.
    unit : Currency, str or int
        The currency's minor unit (a Currency, its code, or decimals): "cents" below.

    Notes
    -----
    1. Gates: pass when attainment >= gate (an absent gate always passes); an attainment
       within float noise (:data:`ATTAINMENT_NOISE`) of the gate is at the gate.
    2. Raw pool: the plan's :data:`~planning.methods.POOL_METHODS` entry (``excess_gop_share``:
       rate x max(0, GOP - gop_target), the excess rounded to cents first; ``gop_share``:
       rate x max(0, GOP); ``payout_curve``: target_pool x f(a)).
    3. :data:`~planning.methods.POOL_LIMITS` in order: floor (max), then cap (min), then
       self-funding (min with GOP above target).
    4. Rounded to cents, half up.
    """
    revenue, gop, revenue_target, gop_target = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (revenue, gop, revenue_target, gop_target)))
    ra = revenue / revenue_target
    ga = gop / gop_target
    gates: Gates = plan.gates
    revenue_passed = (snap_attainment(ra, [gates.revenue]) >= gates.revenue if gates.revenue is not None
                      else np.ones_like(ra, bool))
    gop_passed = snap_attainment(ga, [gates.gop]) >= gates.gop if gates.gop is not None else np.ones_like(ga, bool)
    passed = revenue_passed & gop_passed
    pool: Pool = plan.pool
    # GOP above target is money: round the difference to cents, so the float noise of two large
    # amounts (22,009,152.70 - 22,006,952.00 = 2,200.699999999255) cannot move a half cent.
    excess = np.maximum(0.0, round_cents_array(gop - gop_target, unit))
    figures = PoolFigures(ra, ga, gop, excess)
    raw = np.where(passed, pool_method(pool).raw(pool, figures), 0.0)
    limited, amount = [], raw
    for limit in POOL_LIMITS:
        amount = limit.apply(pool, amount, figures, passed)
        limited.append(amount)
    return PoolArrays(revenue_passed, gop_passed, passed, raw, tuple(limited),
                      round_cents_array(amount, unit), excess)


# --- the people -----------------------------------------------------------------------------


def staff_in_period(staff: pd.DataFrame, period: Period, distribution: Distribution,
                    salary_factor: float = 1.0, plan_source: str = "plan.yaml") -> pd.DataFrame:
    """Each staff row's eligibility, tenure, period salary, weight and cap for ``period``.

    Notes
    -----
    days_in = days of [start_date, end_date] inside the period, both ends counted;
    tenure = days_in / period days; period_salary = annual_salary x fte x tenure / 4;
    weight = base x fte x tenure x department weight (0 when not eligible), base being 1
    (equal), annual_salary (salary) or the role's points (points);
    cap = individual_cap x period_salary (inf without an individual cap).
    ``salary_factor`` scales salaries (scenarios' pay rises). A role without points and no
    ``default`` raises InputError naming ``plan_source`` (the plan file in use).
    """
    p_start, p_end = np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
    start = staff["start_date"].to_numpy(dtype="datetime64[D]")
    end = staff["end_date"].to_numpy(dtype="datetime64[D]")
    has_end = ~np.isnat(end)
    end_in = np.where(has_end, np.minimum(end, p_end), p_end)
    days_in = np.maximum(0, (end_in - np.maximum(start, p_start)).astype(int) + 1)
    tenure = days_in / period.days
    left_early = has_end & (end < p_end)
    eligible_flag = staff["bonus_eligible"].to_numpy(dtype=bool)

    reasons = np.full(len(staff), "", dtype=object)
    if distribution.require_employed_at_period_end:
        reasons[left_early] = "left before the period ended"
    reasons[days_in < distribution.min_days_in_period] = (
        f"employed fewer than {distribution.min_days_in_period} days in the period")
    reasons[days_in == 0] = "not employed in the period"
    reasons[~eligible_flag] = "not bonus-eligible"
    eligible = reasons == ""

    salary = staff["annual_salary"].to_numpy(dtype=float) * salary_factor
    fte = staff["fte"].to_numpy(dtype=float)
    dept_weight = staff["department"].map(distribution.department_weights).fillna(1.0).to_numpy(dtype=float)
    if distribution.method == "blended":   # sum of fraction x weight_m / everyone's weight_m
        base = np.full(len(staff), np.nan)
        weight = np.zeros(len(staff))
        for method, fraction in distribution.blend.items():
            method_weight = np.where(eligible, _base(SHARING_METHODS[method], distribution, staff, salary,
                                                     plan_source) * fte * tenure * dept_weight, 0.0)
            if method_weight.sum() > 0:
                weight = weight + fraction * (method_weight / method_weight.sum())
    else:
        base = _base(sharing_method(distribution), distribution, staff, salary, plan_source)
        weight = np.where(eligible, base * fte * tenure * dept_weight, 0.0)
    period_salary = salary * fte * tenure * period.share_of_year
    cap = (distribution.individual_cap * period_salary if distribution.individual_cap is not None
           else np.full(len(staff), np.inf))
    return pd.DataFrame({
        "employee_id": staff["employee_id"].astype(str).to_numpy(),
        "name": staff["name"].to_numpy(),
        "department": staff["department"].to_numpy(),
        "role": staff["role"].to_numpy(),
        "eligible": eligible,
        "reason": reasons,
        "days_in": days_in,
        "tenure": tenure,
        "fte": fte,
        "period_salary": period_salary,
        "base": base,
        "department_weight": dept_weight,
        "weight": weight,
        "cap": np.where(eligible, cap, 0.0),
    })


def _base(method, distribution, staff, salary, plan_source: str) -> np.ndarray:
    """One sharing method's base per row; a role without points is a plan error naming the file."""
    base = method.base(distribution, staff, salary)
    if base is None:  # points sharing, and a role without points
        points = staff["role"].map(distribution.points_for)
        raise InputError([Problem(plan_source, None, "distribution.points",
                                  f"role {role!r} has no points and there is no 'default'; "
                                  "expected points for every role or a default")
                          for role in dict.fromkeys(staff["role"][points.isna()])])
    return base


@dataclass(frozen=True)
class PoolOutcome(GatedOutcome):
    """The pool of one set of figures with the steps that explain it (section 4.1)."""

    gates: tuple[GateCheck, ...]
    raw_pool: float
    limits: tuple[Limit, ...]
    pool: float



def pool_outcome(result: PeriodResult, plan: Plan, unit: Unit = 2) -> PoolOutcome:
    """Gates, raw pool, each limit that bit and the pool (rounded to the minor ``unit``) for ``result``."""
    steps = pool_arrays(plan, result.revenue, result.gop, result.revenue_target, result.gop_target, unit)
    gates = []
    for metric, threshold, actual, target in (
        ("revenue", plan.gates.revenue, result.revenue, result.revenue_target),
        ("gop", plan.gates.gop, result.gop, result.gop_target),
    ):
        if threshold is not None:
            passed = bool((steps.revenue_passed if metric == "revenue" else steps.gop_passed).item())
            gates.append(GateCheck(metric, threshold, actual / target, passed, actual, target, unit))
    raw = round_cents(float(steps.raw), unit)
    limits = []
    if steps.gates_passed.item():
        stages = (steps.raw, *steps.limited[:-1], steps.pool)   # before and after each limit
        for limit, before, after in zip(POOL_LIMITS, stages, stages[1:], strict=False):
            if round_cents(float(after), unit) != round_cents(float(before), unit):
                limits.append(Limit(limit.name, round_cents(float(before), unit), round_cents(float(after), unit)))
    pool = float(steps.pool)

    return PoolOutcome(tuple(gates), raw, tuple(limits), pool)


def compute_bonus(result: PeriodResult, staff: pd.DataFrame, period: Period, plan: Plan,
                  currency: str = "", salary_factor: float = 1.0) -> BonusResult:
    """Decide whether the bonus pays, how big the pool is and what each person receives.

    Parameters
    ----------
    result : PeriodResult
        The company's revenue, GOP and targets for the period.
    staff : DataFrame
        ``Dataset.staff`` (one row per person or contract).
    period : Period
        The period, for tenure.
    plan : Plan
    currency : str
        The ISO code (best a :class:`~planning.money.Currency`, which also knows the locale):
        the pool and payouts are whole minor units of it ('' counts in cents of two decimals).
    salary_factor : float
        Scales every salary (scenario pay rises); 1 for actuals.

    Returns
    -------
    BonusResult
        Payouts are whole minor units ("cents"), add up exactly to ``pool - unallocated``; leftover cents go
        to the largest fractional remainders, ties to the lower employee_id
        (:func:`employee_id_order`: numerically when every id is a whole number).
    """
    unit = currency or 2
    outcome = pool_outcome(result, plan, unit)
    gates, raw, limits, pool = list(outcome.gates), outcome.raw_pool, list(outcome.limits), outcome.pool

    people = staff_in_period(staff, period, plan.distribution, salary_factor, plan.source)
    caps = cap_cents(people, unit)
    pool_cents = to_cents(pool, unit)
    shared = share_cents(people["weight"].to_numpy(), caps, pool_cents, people["employee_id"])
    allocated_cents = shared.allocated_cents
    people["exact_share"] = from_cents(shared.exact_cents, unit)
    people["cap"] = np.where(np.isfinite(caps), from_cents(caps, unit), np.inf)   # the cap applied: whole cents
    people["capped"] = shared.capped
    people["payout"] = from_cents(shared.payout_cents, unit)
    return BonusResult(
        period_result=result, currency=currency, gates=tuple(gates),
        raw_pool=raw, limits=tuple(limits), pool=pool, allocated=from_cents(allocated_cents, unit),
        unallocated=from_cents(pool_cents - allocated_cents, unit), allocations=people, plan=plan,
    )


def bonus_for_period(dataset: Dataset, period: str | Period, plan: Plan | None = None) -> BonusResult:
    """The bonus of one period of a dataset, under its own plan or ``plan``."""
    p = dataset.require_period(period)
    return compute_bonus(period_result(dataset, p), dataset.staff, p, plan or dataset.plan,
                         currency=dataset.company.currency)
