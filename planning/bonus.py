"""The success-bonus engine (domain section 4): gates, pool, fair sharing to the cent.

Everything here is pure and vectorised over people; the pool functions are also vectorised
over arrays of results so that the Monte Carlo can run the same rules over many draws.

Sharing with individual caps is *water-filling*: every eligible person gets
``min(weight_i * lam, cap_i)`` where the level ``lam`` makes the payouts add up to the pool.
This is exactly the result of the contract's iteration (cap the over-cap people, share the
rest again by weight, repeat) but is computed in one sort, without a loop per person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.financials import PeriodResult, period_result
from planning.money import (
    Unit,
    format_cents,
    format_percent,
    from_cents,
    largest_remainder,
    round_cents,
    round_cents_array,
    to_cents,
    unit_digits,
)
from planning.periods import Period
from planning.plan import Distribution, Gates, Plan, Pool

__all__ = [
    "GateCheck",
    "Limit",
    "BonusResult",
    "PoolArrays",
    "SharingRule",
    "curve_multiple",
    "pool_arrays",
    "staff_in_period",
    "cap_cents",
    "compute_bonus",
    "bonus_for_period",
    "explain_payout",
    "explain_pool",
    "sharing_rule_text",
]


# --- the pool -------------------------------------------------------------------------------

#: Relative float noise of an attainment computed from cent amounts. 27,331,513.96 /
#: 34,164,392.45 is exactly 80%, but 0.7999999999999999 in binary; an attainment this close
#: to a gate or a curve point counts as being at it (the same tolerance as
#: :func:`~planning.money.round_cents_array` uses for half cents).
ATTAINMENT_NOISE = 16 * np.finfo(float).eps


def snap_attainment(attainment, marks) -> np.ndarray:
    """``attainment`` with values within float noise of one of ``marks`` set to that mark.

    >>> float(snap_attainment(27331513.96 / 34164392.45, [0.8]))
    0.8
    """
    a = np.asarray(attainment, dtype=float)
    for mark in marks:
        if mark is not None:
            a = np.where(np.abs(a - mark) <= ATTAINMENT_NOISE * abs(mark), float(mark), a)
    return a


def curve_multiple(attainment, curve) -> np.ndarray:
    """The payout curve's multiple at ``attainment`` (vectorised).

    0 below the first point's attainment, the last point's multiple above the last point,
    linear in between. An attainment within float noise of a point counts as at the point.

    >>> curve_multiple([0.8, 0.9, 0.95, 1.3], [[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]).round(4).tolist()
    [0.0, 0.5, 0.75, 1.5]
    """
    xs = np.array([p[0] for p in curve], dtype=float)
    ys = np.array([p[1] for p in curve], dtype=float)
    a = snap_attainment(attainment, xs)
    return np.where(a < xs[0], 0.0, np.interp(a, xs, ys))


def blended_attainment(metric: dict[str, float], revenue_attainment, gop_attainment) -> np.ndarray:
    """The weighted mean of the named attainments."""
    parts = {"revenue": np.asarray(revenue_attainment, float), "gop": np.asarray(gop_attainment, float)}
    total = sum(metric.values())
    return sum(parts[name] * weight for name, weight in metric.items()) / total


@dataclass(frozen=True)
class PoolArrays:
    """Each step of the pool calculation (arrays, one value per result or draw)."""

    revenue_passed: np.ndarray
    gop_passed: np.ndarray
    gates_passed: np.ndarray
    raw: np.ndarray          # before any limit, 0 where a gate failed
    after_floor: np.ndarray
    after_cap: np.ndarray
    pool: np.ndarray         # after self-funding, rounded to whole minor units (cents)
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
    2. Raw pool: ``excess_gop_share``: rate x max(0, GOP - gop_target) (the excess rounded
       to cents first); ``gop_share``:
       rate x max(0, GOP); ``payout_curve``: target_pool x f(a).
    3. floor (max), then cap (min), then self-funding (min with GOP above target).
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
    if pool.method == "excess_gop_share":
        raw = pool.rate * excess
    elif pool.method == "gop_share":
        raw = pool.rate * np.maximum(0.0, gop)
    else:
        raw = pool.target_pool * curve_multiple(blended_attainment(pool.metric, ra, ga), pool.curve)
    raw = np.where(passed, raw, 0.0)
    after_floor = np.where(passed, np.maximum(raw, pool.floor), 0.0)
    after_cap = np.minimum(after_floor, pool.cap) if pool.cap is not None else after_floor
    final = np.minimum(after_cap, excess) if pool.self_funding else after_cap
    return PoolArrays(revenue_passed, gop_passed, passed, raw, after_floor, after_cap,
                      round_cents_array(final, unit), excess)


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
    if distribution.method == "equal":
        base = np.ones(len(staff))
    elif distribution.method == "salary":
        base = salary
    else:
        points = staff["role"].map(distribution.points_for)
        if points.isna().any():
            raise InputError([Problem(plan_source, None, "distribution.points",
                                      f"role {role!r} has no points and there is no 'default'; "
                                      "expected points for every role or a default")
                              for role in dict.fromkeys(staff["role"][points.isna()])])
        base = points.to_numpy(dtype=float)
    dept_weight = staff["department"].map(distribution.department_weights).fillna(1.0).to_numpy(dtype=float)
    weight = np.where(eligible, base * fte * tenure * dept_weight, 0.0)
    period_salary = salary * fte * tenure / 4
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


def cap_cents(people: pd.DataFrame, unit: Unit = 2) -> np.ndarray:
    """Each person's cap in whole minor units, floored so no one is paid above a cap (inf: no cap).

    ``people`` is a :func:`staff_in_period` frame; ``unit`` the currency's minor unit. The
    1e-6 cent absorbs float noise (a cap of 0.29 is 28.999999999999996 cents before
    flooring, and stays 29).
    """
    return np.floor(people["cap"].to_numpy() * 10 ** unit_digits(unit) + 1e-6)



@dataclass(frozen=True, eq=False)
class SharingRule:
    """Water-filling of a pool over fixed weights and caps, precomputed for many pools.

    ``payouts(P) = min(weight * lam(P), cap)`` with ``sum(payouts) = min(P, sum(cap))``.
    Built once per staff set; every method is vectorised over an array of pools.
    """

    weights: np.ndarray
    caps: np.ndarray
    _order: np.ndarray = field(repr=False)
    _ratio: np.ndarray = field(repr=False)        # cap/weight, sorted ascending
    _breaks: np.ndarray = field(repr=False)       # pool at which the k-th sorted person is capped
    _capped_sum: np.ndarray = field(repr=False)   # caps of the first k sorted people
    _weight_left: np.ndarray = field(repr=False)  # weight of the people after the first k

    @classmethod
    def build(cls, weights, caps) -> SharingRule:
        w = np.asarray(weights, dtype=float)
        # Weights only matter relative to each other. A weight near the smallest float (or
        # 1e-300 of the largest) would overflow cap/weight and the level to inf and so
        # ignore the caps: rescale to the largest and lift such weights to 1e-290 of it.
        positive = w > 0
        if positive.any():
            w_max = w.max()
            if w_max < 1e-150 or w[positive].min() < w_max * 1e-290:
                w = np.where(positive, np.maximum(w / w_max, 1e-290), 0.0)
        c = np.where(w > 0, np.asarray(caps, dtype=float), 0.0)
        active = np.flatnonzero(w > 0)
        with np.errstate(over="ignore"):
            ratio = c[active] / w[active]
        order = active[np.argsort(ratio, kind="stable")]
        ratio = np.sort(ratio, kind="stable")
        capped_sum = np.concatenate([[0.0], np.cumsum(c[order])])
        # Suffix sums (not total - prefix) so tiny weights are not lost to cancellation.
        weight_left = np.concatenate([np.cumsum(w[order][::-1])[::-1], [0.0]])
        with np.errstate(invalid="ignore", over="ignore"):
            breaks = capped_sum[:-1] + ratio * weight_left[:-1]   # F(ratio_k)
        breaks = np.where(np.isinf(ratio), np.inf, breaks)
        return cls(w, c, order, ratio, breaks, capped_sum, weight_left)

    @property
    def total_weight(self) -> float:
        return float(self.weights.sum())

    @property
    def total_cap(self) -> float:
        return float(self.caps.sum())

    def level(self, pools) -> np.ndarray:
        """The water level ``lam`` for each pool (inf once everyone is capped)."""
        pools = np.asarray(pools, dtype=float)
        k = np.searchsorted(self._breaks, pools, side="right")  # people capped
        left = self._weight_left[k]
        # A weight left near the smallest float can overflow the division to inf (no warning).
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            lam = np.where(left > 0, (pools - self._capped_sum[k]) / np.where(left > 0, left, 1), np.inf)
        if self._ratio.size:
            # The level is at least the ratio of the last person capped; pool - capped_sum
            # can cancel below it when the weight left is tiny.
            last_capped = self._ratio[np.maximum(k - 1, 0)]
            lam = np.where(k > 0, np.maximum(lam, last_capped), lam)
        return lam

    def allocated(self, pools) -> np.ndarray:
        """What the people can take of each pool: ``min(P, total cap)``, 0 without weight."""
        pools = np.asarray(pools, dtype=float)
        if self.total_weight <= 0:
            return np.zeros_like(pools)
        return np.minimum(pools, self.total_cap)

    def shares(self, pool: float) -> np.ndarray:
        """Exact (unrounded) payouts of one pool."""
        if self.total_weight <= 0:
            return np.zeros_like(self.weights)
        lam = float(self.level(np.array([pool]))[0])
        with np.errstate(invalid="ignore"):
            out = np.minimum(self.weights * lam, self.caps)
        return np.where(self.weights > 0, out, 0.0)

    def expected_shares(self, pools) -> np.ndarray:
        """Mean payout per person over many pools, without a pools x people matrix.

        For person i with ratio r_i = cap_i / weight_i: payout is weight_i x lam when
        lam < r_i, else cap_i. With the levels sorted once, each person needs one
        binary search: O((draws + people) log).
        """
        pools = np.asarray(pools, dtype=float).ravel()
        if pools.size == 0:
            return np.zeros_like(self.weights)
        return self.share_sums(pools) / pools.size

    def share_sums(self, pools, scales=None) -> np.ndarray:
        """Total payout per person over many pools (a sum over pools), in one sort.

        Parameters
        ----------
        pools : array_like
            One pool per draw.
        scales : array_like, optional
            One factor k_j per pool that scales every weight and cap (a simulated pay
            rise scales salaries, hence caps, and with ``salary`` sharing the weights).

        Notes
        -----
        min(k w lam, k c) = k min(w lam, c), and min(w lam, k c) = k min(w lam / k, c), so
        sharing P_j with everything scaled by k_j pays k_j x the unscaled sharing of
        P_j / k_j. With levels lam_j = level(P_j / k_j) sorted once, person i with ratio
        r_i = c_i / w_i receives ``w_i x sum(k_j lam_j for lam_j < r_i) + c_i x
        sum(k_j for lam_j >= r_i)``: one binary search per person, O((draws + people) log).
        """
        pools = np.asarray(pools, dtype=float).ravel()
        out = np.zeros_like(self.weights)
        if pools.size == 0 or self.total_weight <= 0:
            return out
        if scales is None:
            lam = np.sort(self.level(pools))
            scale = np.ones_like(lam)
        else:
            scale = np.broadcast_to(np.asarray(scales, dtype=float), pools.shape)
            lam = self.level(pools / scale)
            order = np.argsort(lam, kind="stable")
            lam, scale = lam[order], scale[order]
        finite = np.where(np.isinf(lam), 0.0, lam * scale)
        prefix = np.concatenate([[0.0], np.cumsum(finite)])
        scale_prefix = np.concatenate([[0.0], np.cumsum(scale)])
        idx = self._order
        below = np.searchsorted(lam, self._ratio, side="left")   # draws with lam < ratio
        capped_scale = scale_prefix[-1] - scale_prefix[below]
        # Guard inf * 0: a person without a cap is never capped.
        with np.errstate(invalid="ignore"):
            capped = np.where(capped_scale > 0, self.caps[idx] * capped_scale, 0.0)
        out[idx] = self.weights[idx] * prefix[below] + capped
        return out


# --- the result -----------------------------------------------------------------------------


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


@dataclass(frozen=True, eq=False)
class BonusResult:
    """A period's bonus with the whole explanation (domain section 4.3)."""

    period: str
    currency: str
    revenue: float
    gop: float
    revenue_target: float
    gop_target: float
    gates: tuple[GateCheck, ...]
    raw_pool: float
    limits: tuple[Limit, ...]
    pool: float
    allocated: float
    unallocated: float
    allocations: pd.DataFrame
    plan: Plan

    @property
    def revenue_attainment(self) -> float:
        return self.revenue / self.revenue_target

    @property
    def gop_attainment(self) -> float:
        return self.gop / self.gop_target

    @property
    def gates_passed(self) -> bool:
        return all(g.passed for g in self.gates)

    @property
    def failed_gates(self) -> list[GateCheck]:
        return [g for g in self.gates if not g.passed]

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
        for name, before, after in (("floor", steps.raw, steps.after_floor),
                                     ("cap", steps.after_floor, steps.after_cap),
                                     ("self_funding", steps.after_cap, steps.pool)):
            if round_cents(float(after), unit) != round_cents(float(before), unit):
                limits.append(Limit(name, round_cents(float(before), unit), round_cents(float(after), unit)))
    pool = float(steps.pool)

    people = staff_in_period(staff, period, plan.distribution, salary_factor, plan.source)
    caps = cap_cents(people, unit)
    rule = SharingRule.build(people["weight"].to_numpy(), caps)
    pool_cents = to_cents(pool, unit)
    allocated_cents = int(round(float(rule.allocated(pool_cents)))) if pool_cents else 0
    exact = rule.shares(pool_cents) if allocated_cents else np.zeros(len(people))
    payout_cents = largest_remainder(exact, allocated_cents, employee_id_order(people["employee_id"]))
    people["exact_share"] = from_cents(exact, unit)
    people["cap"] = np.where(np.isfinite(caps), from_cents(caps, unit), np.inf)   # the cap applied: whole cents
    people["capped"] = (people["weight"] > 0) & np.isfinite(caps) & (payout_cents >= caps) & (allocated_cents > 0)
    people["payout"] = from_cents(payout_cents, unit)
    return BonusResult(
        period=result.period, currency=currency, revenue=result.revenue, gop=result.gop,
        revenue_target=result.revenue_target, gop_target=result.gop_target, gates=tuple(gates),
        raw_pool=raw, limits=tuple(limits), pool=pool, allocated=from_cents(allocated_cents, unit),
        unallocated=from_cents(pool_cents - allocated_cents, unit), allocations=people, plan=plan,
    )


def employee_id_order(ids) -> np.ndarray:
    """Rank of each employee_id for the leftover-cent tie-break ("ties to the lower employee_id").

    Ids that are all whole numbers compare as numbers (9 before 10); any other ids compare as
    text (``E009`` before ``E010``).

    >>> employee_id_order(["10", "9", "011"]).tolist(), employee_id_order(["E10", "E9"]).tolist()
    ([1, 0, 2], [0, 1])
    """
    ids = pd.Series(np.asarray(ids, dtype=object)).astype(str)
    if len(ids) and ids.str.fullmatch(r"\d+").all():
        digits = ids.str.lstrip("0")
        order = np.lexsort((ids.to_numpy(), digits.to_numpy(), digits.str.len().to_numpy()))
    else:
        order = np.argsort(ids.to_numpy(), kind="stable")
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[order] = np.arange(len(ids))
    return ranks


def bonus_for_period(dataset: Dataset, period: str | Period, plan: Plan | None = None) -> BonusResult:
    """The bonus of one period of a dataset, under its own plan or ``plan``."""
    p = dataset.require_period(period)
    return compute_bonus(period_result(dataset, p), dataset.staff, p, plan or dataset.plan,
                         currency=dataset.company.currency)


# --- the explanation ------------------------------------------------------------------------


def explain_pool(result: BonusResult) -> list[str]:
    """Sentences explaining the gates and the pool, for everyone."""
    m = lambda x: format_cents(x, result.currency)  # noqa: E731
    lines = [
        f"The company made {format_percent(result.revenue_attainment)} of its revenue target "
        f"({m(result.revenue)} of {m(result.revenue_target)}) and {format_percent(result.gop_attainment)} "
        f"of its GOP target ({m(result.gop)} of {m(result.gop_target)})."
    ]
    for g in result.gates:
        if g.passed:
            lines.append(f"The {g.name} gate of {format_percent(g.threshold)} passed.")
        else:
            lines.append(f"The {g.name} gate of {format_percent(g.threshold)} was missed by "
                         f"{g.shortfall * 100:.1f} points ({m(g.gap_amount)} short).")
    if not result.gates_passed:
        lines.append("Because a gate was missed, there is no bonus pool this period.")
        return lines
    pool = result.plan.pool
    if pool.method == "excess_gop_share":
        lines.append(f"GOP above target was {m(result.excess_gop)}; the plan shares "
                     f"{format_percent(pool.rate)} of it: {m(result.raw_pool)}.")
    elif pool.method == "gop_share":
        lines.append(f"The plan shares {format_percent(pool.rate)} of GOP: {m(result.raw_pool)}.")
    else:
        lines.append(f"On the payout curve the target pool of {m(pool.target_pool)} becomes "
                     f"{m(result.raw_pool)}.")
    words = {"floor": "the plan's minimum pool raised it", "cap": "the plan's pool cap limited it",
             "self_funding": "self-funding (never more than GOP above target) limited it"}
    for limit in result.limits:
        lines.append(f"Then {words[limit.name]} from {m(limit.before)} to {m(limit.after)}.")
    lines.append(f"The bonus pool is {m(result.pool)}.")
    if result.unallocated:
        lines.append(f"{m(result.unallocated)} of it could not be paid to anyone (everyone who "
                     "could take more was at their cap, or nobody was eligible) and stays with the company.")
    return lines


def sharing_rule_text(plan: Plan) -> str:
    """One sentence: how the pool is shared."""
    d = plan.distribution
    base = {"equal": "equally per person", "salary": "in proportion to salary",
            "points": "by points per role"}[d.method]
    text = f"The pool is shared {base}, scaled by FTE and by the share of the quarter each person was employed"
    if d.department_weights:
        text += ", and by department weights"
    text += "."
    if d.individual_cap is not None:
        text += (f" Nobody receives more than {format_percent(d.individual_cap)} of their salary for the "
                 "quarter; what the capped cannot take is shared again among the others.")
    return text


def explain_payout(result: BonusResult, employee_id: str) -> str:
    """A short plain-language chain of sentences an owner can read out to the person."""
    rows = result.allocations[result.allocations["employee_id"] == str(employee_id)]
    if rows.empty:
        raise KeyError(f"no employee {employee_id!r} in period {result.period}")
    person = rows.iloc[0]
    m = lambda x: format_cents(x, result.currency)  # noqa: E731
    lines = explain_pool(result)
    if not person["eligible"]:
        lines.append(f"{person['name']} receives nothing: {person['reason']}.")
        return " ".join(lines)
    if not result.gates_passed or result.pool == 0:
        lines.append(f"{person['name']} receives {m(0)}.")
        return " ".join(lines)
    lines.append(sharing_rule_text(result.plan))
    d = result.plan.distribution
    parts = []
    if d.method == "salary":
        parts.append(f"salary {m(person['base'])}")
    elif d.method == "points":
        parts.append(f"{person['base']:g} points for role {person['role']}")
    else:
        parts.append("1 share")
    parts.append(f"FTE {person['fte']:g}")
    parts.append(f"{format_percent(person['tenure'])} of the quarter ({int(person['days_in'])} days)")
    if person["department_weight"] != 1:
        parts.append(f"department weight {person['department_weight']:g}")
    total = result.allocations["weight"].sum()
    lines.append(f"{person['name']}'s weight is {' x '.join(parts)} = {person['weight']:,.2f}, "
                 f"which is {format_percent(person['weight'] / total)} of everyone's weight.")
    if person["capped"]:
        lines.append(f"That share would be above the individual cap of {m(person['cap'])} "
                     f"({format_percent(d.individual_cap)} of the quarter's salary), so it is the cap.")
    lines.append(f"{person['name']} receives {m(person['payout'])}.")
    return " ".join(lines)
