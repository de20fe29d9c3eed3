"""Planning the rest of the bonus year: a planned quarter settled against the actual year so far,
and the Monte Carlo's year end (domain section 6 applied to projected quarters).

``scenario`` and ``simulate`` for quarter k of a fiscal year with a ``year:`` plan settle the
planned quarter after the actual quarters 1..k-1 of the year (:class:`YearSoFar`): with
``settle: year_to_date`` its pool is E_k on the actual year to date plus the projected quarter,
less what the earlier quarters paid; the holdback is kept from it. The Monte Carlo also draws the
remaining quarters k+1..4 from the same drivers (independent draws per quarter, the same
distributions and correlations) and settles the year end on every draw: the probability that
the reserve is released, and each person's expected total for the year.

Numbers only; the words are in :mod:`planning.year_words`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.bonus import staff_in_period
from planning.dataset import Dataset
from planning.errors import InputError
from planning.financials import PeriodResult, period_result
from planning.methods import sharing_method, snap_attainment
from planning.money import cents_array, share_of_cents_array, unit_digits
from planning.periods import FiscalYear, Period
from planning.plan import Gates, Plan
from planning.sharing import SharingRule, cap_cents
from planning.year.result import YearResult, year_plan
from planning.year.settle import pool_to_date_arrays, settle_year

__all__ = ["YearSoFar", "year_so_far", "settle_planned", "QuarterDraws", "YearDraws", "YearRules", "zero_salary",
           "settle_draws", "planned_draws", "year_rules", "simulate_year_blocks", "combine_year"]

#: Draws x people held at once when the year end is shared draw by draw (about 16 MB of floats).
MATRIX_CELLS = 2_000_000


@dataclass(frozen=True, eq=False)
class YearSoFar:
    """The actual quarters of the fiscal year before the planned one, settled (picklable).

    Attributes
    ----------
    fiscal_year : FiscalYear
    quarter : int
        k, the planned quarter's place in its fiscal year (1 to 4).
    earlier : tuple of PeriodResult
        The actual quarters 1..k-1.
    paid_cents, reserve_cents : int
        The sum of their pools P_1..P_(k-1) and of their held-back amounts, in minor units.
    paid_people_cents : ndarray
        What each person of ``staff`` (in its order) was paid in those quarters.
    later : tuple of (Period, revenue_target, gop_target)
        The quarters k+1..4 the Monte Carlo draws, with their targets.
    targets_assumed : tuple of str
        Those of ``later`` without targets (in ``targets.csv`` or the scenario): they take the
        planned quarter's targets.
    """

    fiscal_year: FiscalYear
    quarter: int
    earlier: tuple[PeriodResult, ...]
    paid_cents: int
    reserve_cents: int
    paid_people_cents: np.ndarray
    later: tuple[tuple[Period, float, float], ...]
    targets_assumed: tuple[str, ...]


def year_so_far(dataset: Dataset, period: Period, plan: Plan, targets: Callable[[Period], tuple | None],
                planned_targets: tuple[float, float]) -> YearSoFar | None:
    """The :class:`YearSoFar` of a planned quarter (None without a ``year:`` plan).

    ``targets(q)`` gives a later quarter's (revenue_target, gop_target) or None. The earlier
    quarters of the year must have actuals and targets (the year settles from its first quarter);
    they are settled with ``plan``, so with no scenario plan changes they are exactly what
    ``planning year`` gives.
    """
    if plan.year is None:
        return None
    fy = period.year
    k = period.quarter
    earlier_periods = list(fy.quarters[:k - 1])
    with_actuals = {str(p) for p in dataset.periods}
    with_targets = set(dataset.targets["period"])
    for q in earlier_periods:
        if str(q) not in with_actuals or str(q) not in with_targets:
            missing = "actuals.csv has no rows" if str(q) not in with_actuals else "targets.csv has no row"
            raise InputError.single("actuals.csv" if str(q) not in with_actuals else "targets.csv",
                                    f"{missing.split(' ', 1)[1]} for period {q}; the plan's year settles {period} "
                                    f"after the actual quarters of {fy} before it, so {q} needs actuals and "
                                    "targets (or plan a quarter whose earlier quarters have them)",
                                    column="period")
    earlier = tuple(period_result(dataset, q) for q in earlier_periods)
    unit = dataset.company.currency
    n = len(dataset.staff)
    paid = reserve = 0
    paid_people = np.zeros(n)
    if earlier:
        year = settle_year(list(earlier), dataset.staff, fy, plan, currency=unit)
        k_ = 10 ** unit_digits(unit)
        paid = int(round(sum(q.pool for q in year.quarters) * k_))
        reserve = int(round(year.quarters[-1].reserve * k_))
        paid_people = sum(cents_array(year.people[str(q)].to_numpy(), unit) for q in earlier_periods)
    later, assumed = [], []
    for q in fy.quarters[k:]:
        given = targets(q)
        if given is None:
            assumed.append(str(q))
            given = planned_targets
        later.append((q, float(given[0]), float(given[1])))
    return YearSoFar(fy, k, earlier, paid, reserve, np.asarray(paid_people, dtype=float), tuple(later),
                     tuple(assumed))


def settle_planned(so_far: YearSoFar, projected: PeriodResult, staff: pd.DataFrame, plan: Plan,
                   currency: str, salary_factor: float) -> YearResult:
    """The year through the planned quarter: the actual quarters, then ``projected`` (its pay rise)."""
    results = [*so_far.earlier, projected]
    factors = [1.0] * len(so_far.earlier) + [float(salary_factor)]
    return settle_year(results, staff, so_far.fiscal_year, plan, currency=currency, salary_factor=factors)


# --- the Monte Carlo -------------------------------------------------------------------------


def zero_salary(plan: Plan, pool_cents: np.ndarray, scale):
    """(pools, scales) with a salary scale of 0 handled as the engine does (everyone paid 0 salary).

    With ``salary`` sharing nobody has weight and with an individual cap every cap is 0, so
    nothing is paid; otherwise salaries do not matter and the pool is shared as it is.
    """
    if scale is None or not (np.asarray(scale) <= 0).any():
        return pool_cents, scale
    zero = scale <= 0
    d = plan.distribution
    if sharing_method(d).follows_salary or d.individual_cap is not None:
        pool_cents = np.where(zero, 0.0, pool_cents)
    return pool_cents, np.where(zero, 1.0, scale)


@dataclass(frozen=True)
class QuarterDraws:
    """One quarter's pool per draw (minor units): E, P, H and what is shared now."""

    earned: np.ndarray
    pool: np.ndarray
    held: np.ndarray
    shared: np.ndarray
    steps: object          # the PoolArrays of the quarter's (or year to date's) figures


def settle_draws(plan: Plan, quarter: int, paid_cents, revenue, gop, revenue_target, gop_target,
                 unit) -> QuarterDraws:
    """Section 6.1 for arrays of draws: revenue, gop and targets are the year to date's with
    ``settle: year_to_date`` (the quarter's own otherwise); ``paid_cents`` the earlier pools."""
    year = year_plan(plan)
    steps = pool_to_date_arrays(plan, quarter, revenue, gop, revenue_target, gop_target, unit)
    earned = np.round(steps.pool * 10 ** unit_digits(unit))
    pool = np.maximum(0.0, earned - paid_cents) if year.settle == "year_to_date" else earned
    held = share_of_cents_array(year.holdback, pool)
    return QuarterDraws(earned, pool, held, pool - held, steps)


def _shares(rule: SharingRule, pools, scale) -> np.ndarray:
    """Exact payouts per draw and person (draws x people) of a fixed rule, salaries scaled."""
    scale = np.ones_like(pools) if scale is None else scale
    lam = rule.level(pools / scale)
    with np.errstate(invalid="ignore"):
        out = np.minimum(rule.weights[None, :] * lam[:, None], rule.caps[None, :])
    return np.where(rule.weights[None, :] > 0, out, 0.0) * scale[:, None]


def _fill_rows(weights: np.ndarray, caps: np.ndarray, pools: np.ndarray) -> np.ndarray:
    """Water-filling with caps that differ by draw: (draws x people) shares of ``pools``."""
    w = np.where(weights > 0, weights, 0.0)
    if w.sum() <= 0:
        return np.zeros_like(caps)
    if not np.isfinite(caps).any():
        return pools[:, None] * (w / w.sum())[None, :]
    c = np.where(w[None, :] > 0, caps, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(w[None, :] > 0, c / np.where(w > 0, w, 1.0)[None, :], np.inf)
    order = np.argsort(ratio, axis=1, kind="stable")
    r = np.take_along_axis(ratio, order, axis=1)
    cs = np.take_along_axis(c, order, axis=1)
    ws = w[order]
    capped_sum = np.concatenate([np.zeros((len(pools), 1)), np.cumsum(np.where(ws > 0, cs, 0.0), axis=1)], axis=1)
    weight_left = np.concatenate([np.cumsum(ws[:, ::-1], axis=1)[:, ::-1], np.zeros((len(pools), 1))], axis=1)
    with np.errstate(invalid="ignore", over="ignore"):
        breaks = np.where(np.isinf(r), np.inf, capped_sum[:, :-1] + r * weight_left[:, :-1])
    count = (breaks <= pools[:, None]).sum(axis=1)
    rows = np.arange(len(pools))
    left = weight_left[rows, count]
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(left > 0, (pools - capped_sum[rows, count]) / np.where(left > 0, left, 1.0), np.inf)
        out = np.minimum(w[None, :] * lam[:, None], c)
    return np.where(w[None, :] > 0, out, 0.0)


def _passes(gates: Gates, revenue, gop, revenue_target, gop_target) -> np.ndarray:
    passed = np.ones(np.shape(revenue), dtype=bool)
    for threshold, actual, target in ((gates.revenue, revenue, revenue_target), (gates.gop, gop, gop_target)):
        if threshold is not None:
            passed &= snap_attainment(np.asarray(actual) / target, [threshold]) >= threshold
    return passed


@dataclass(frozen=True)
class YearDraws:
    """A block's year-end statistics, summed over its draws (combined in block order)."""

    draws: int
    released_count: int
    reserve_cents: int
    released_cents: int
    year_pool_cents: int
    total_sums: np.ndarray      # per person, minor units: paid so far + quarters + year end


@dataclass(frozen=True, eq=False)
class YearRules:
    """The sharing rules of the planned quarter, the later quarters and the year end (picklable)."""

    quarter: SharingRule
    later: tuple[SharingRule, ...]
    year_weights: np.ndarray
    year_caps: np.ndarray


def year_rules(so_far: YearSoFar, staff: pd.DataFrame, period: Period, plan: Plan, salary_factor: float,
               unit) -> YearRules:
    def rule(p):
        people = staff_in_period(staff, p, plan.distribution, salary_factor)
        return SharingRule.build(people["weight"].to_numpy(), cap_cents(people, unit))

    year = staff_in_period(staff, so_far.fiscal_year, plan.distribution, salary_factor)
    return YearRules(rule(period), tuple(rule(q) for q, _, _ in so_far.later),
                     year["weight"].to_numpy(), cap_cents(year, unit))


def simulate_year_blocks(so_far: YearSoFar, rules: YearRules, plan: Plan, planned, targets: tuple[float, float],
                         draw_later: Callable[[int], tuple[np.ndarray, np.ndarray, np.ndarray | None]],
                         unit) -> YearDraws:
    """The rest of the year for one block of draws.

    ``planned`` is the planned quarter's (QuarterDraws, revenue, gop, salary scale) and
    ``draw_later(i)`` gives the i-th later quarter's (revenue, gop, salary scale) per draw. Each
    later quarter is settled after the ones before it on the same draw, the reserve is released
    where every ``year_end.gates`` gate holds on the full year, and it is shared over the year
    with each person's cap the year's less what the quarters paid them (exact shares, as the
    quarter's expected payouts).
    """
    draws, revenue, gop, scale = planned
    size = len(draws.pool)
    rev = sum(r.revenue for r in so_far.earlier) + revenue
    g = sum(r.gop for r in so_far.earlier) + gop
    rt = sum(r.revenue_target for r in so_far.earlier) + targets[0]
    gt = sum(r.gop_target for r in so_far.earlier) + targets[1]
    paid = so_far.paid_cents + draws.pool
    reserve = so_far.reserve_cents + draws.held
    quarters = [(rules.quarter, *zero_salary(plan, draws.shared, scale))]
    last_scale = scale
    for i, (_, q_rt, q_gt) in enumerate(so_far.later):
        q_rev, q_gop, q_scale = draw_later(i)
        rev, g, rt, gt = rev + q_rev, g + q_gop, rt + q_rt, gt + q_gt
        settle = year_plan(plan).settle == "year_to_date"
        m = so_far.quarter + 1 + i
        d = settle_draws(plan, m, paid, rev if settle else q_rev, g if settle else q_gop,
                         rt if settle else q_rt, gt if settle else q_gt, unit)
        paid, reserve = paid + d.pool, reserve + d.held
        quarters.append((rules.later[i], *zero_salary(plan, d.shared, q_scale)))
        last_scale = q_scale
    released = _passes(year_plan(plan).year_end_gates, rev, g, rt, gt)
    released_cents = np.where(released, reserve, 0.0)
    ye_pool, ye_scale = zero_salary(plan, released_cents, last_scale)
    ye_scale = np.ones(size) if ye_scale is None else ye_scale
    totals = np.zeros(len(rules.year_weights))
    step = max(1, MATRIX_CELLS // max(1, len(totals)))
    for start in range(0, size, step):
        part = slice(start, min(size, start + step))
        got = np.broadcast_to(so_far.paid_people_cents, (part.stop - part.start, len(totals))).copy()
        for rule, pools, sc in quarters:
            got += _shares(rule, pools[part], None if sc is None else sc[part])
        caps = np.maximum(0.0, ye_scale[part, None] * rules.year_caps[None, :] - got)
        # a salary scale moves every weight alike: the year end's shares depend only on the caps
        totals += (got + _fill_rows(rules.year_weights, caps, ye_pool[part])).sum(axis=0)
    return YearDraws(size, int(released.sum()), int(np.round(reserve).astype(np.int64).sum()),
                     int(np.round(released_cents).astype(np.int64).sum()),
                     int(np.round(paid).astype(np.int64).sum()), totals)


def planned_draws(so_far: YearSoFar, plan: Plan, revenue, gop, revenue_target: float, gop_target: float,
                  unit) -> QuarterDraws:
    """The planned quarter k per draw, settled after the actual quarters 1..k-1 of its year."""
    if year_plan(plan).settle == "year_to_date":
        revenue = sum(r.revenue for r in so_far.earlier) + revenue
        gop = sum(r.gop for r in so_far.earlier) + gop
        revenue_target = sum(r.revenue_target for r in so_far.earlier) + revenue_target
        gop_target = sum(r.gop_target for r in so_far.earlier) + gop_target
    return settle_draws(plan, so_far.quarter, so_far.paid_cents, revenue, gop, revenue_target, gop_target, unit)


def combine_year(so_far: YearSoFar, blocks: list[YearDraws], people: pd.DataFrame, plan: Plan, unit,
                 mean: Callable) -> dict:
    """The ``year`` object of ``simulate --json`` from the blocks' statistics (in block order).

    ``mean(total_cents, draws, unit)`` is the Monte Carlo's mean of exact cent sums; ``people``
    has employee_id, name and department in the staff's order.
    """
    draws = int(sum(b.draws for b in blocks))
    k = 10 ** unit_digits(unit)
    totals = np.sum([b.total_sums for b in blocks], axis=0) / draws / k
    released = sum(b.released_count for b in blocks)
    digits = unit_digits(unit)
    year = year_plan(plan)
    return {
        "fiscal_year": str(so_far.fiscal_year), "quarter": so_far.quarter, "settle": year.settle,
        "holdback": year.holdback,
        "paid_before": so_far.paid_cents / k, "reserve_before": so_far.reserve_cents / k,
        "quarters_drawn": [str(q) for q, _, _ in so_far.later], "targets_assumed": list(so_far.targets_assumed),
        "p_reserve_released": released / draws,
        "expected_reserve": mean(sum(b.reserve_cents for b in blocks), draws, unit),
        "expected_released": mean(sum(b.released_cents for b in blocks), draws, unit),
        "expected_forfeited": mean(sum(b.reserve_cents - b.released_cents for b in blocks), draws, unit),
        "expected_year_pool": mean(sum(b.year_pool_cents for b in blocks), draws, unit),
        "expected_year_totals": [
            {"employee_id": r.employee_id, "name": r.name, "department": r.department,
             "paid_so_far": round(float(p) / k, digits), "expected_year_total": round(float(t), digits)}
            for r, p, t in zip(people.itertuples(index=False), so_far.paid_people_cents, totals, strict=True)],
    }
