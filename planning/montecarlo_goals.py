"""Goal seek over simulated draws: the pool rate for an expected cost, the gate for a chance.

Both search one fixed set of the Monte Carlo's draws (:func:`planning.montecarlo.draw_outcomes`,
common random numbers), so the answer is a property of those draws, reproducible by seed.
"""

from __future__ import annotations

import math

import numpy as np

from planning.bonus import pool_arrays
from planning.dataset import Dataset
from planning.errors import InputError
from planning.methods import pool_method
from planning.money import unit_digits
from planning.montecarlo import allocated_cents, draw_outcomes, to_share
from planning.periods import Period
from planning.plan import Plan, with_overrides
from planning.scenarios import GoalSeekResult, Scenario, build_model
from planning.scenarios.spec import is_number

__all__ = ["rate_for_expected_cost", "gate_for_probability"]


def rate_for_expected_cost(dataset: Dataset, period: str | Period, cost: float,
                           scenario: str | Scenario = "base", draws: int = 20_000, seed: int = 0,
                           plan: Plan | None = None) -> GoalSeekResult:
    """The pool rate (or, for ``payout_curve``, the target pool) whose expected cost is ``cost``.

    Notes
    -----
    Expected cost E[min(pool(rate), caps)] over one fixed set of simulated draws (common
    random numbers, so it is a non-decreasing function of the rate) is solved for the
    rate with ``scipy.optimize.brentq`` on [0, 1] (target pool: [0, 100 x cost]). Floors,
    caps and self-funding can make a cost unreachable; then ``found`` is False.
    """
    model = build_model(dataset, period, scenario, plan)
    if not is_number(cost) or not cost > 0:
        raise InputError.single("--cost", f"{cost!r} is not an amount above 0; expected the expected bonus cost to aim for")
    spec, o = draw_outcomes(model, draws, seed)
    rule = spec.rule
    key = pool_method(model.plan.pool).size_key
    high = 100.0 * cost if key == "pool.target_pool" else 1.0

    scale = 10 ** unit_digits(model.currency)

    def expected(x: float) -> float:
        p = with_overrides(model.plan, {key: x})
        pools = np.round(pool_arrays(p, o.revenue, o.gop, model.revenue_target, model.gop_target,
                                     model.currency).pool * scale)
        return float(allocated_cents(spec, rule, *to_share(spec, pools, o.scale)).mean() / scale)

    lo_cost, hi_cost = expected(0.0), expected(high)
    if not lo_cost <= cost <= hi_cost:
        return GoalSeekResult("expected_cost", key, False, None, None, None, None,
                              f"expected cost ranges from {lo_cost:,.2f} to {hi_cost:,.2f} over "
                              f"{key} from 0 to {high:g}; {cost:,.2f} cannot be reached")
    from scipy import optimize  # scipy loads on first use, not with `import planning`

    x = optimize.brentq(lambda v: expected(v) - cost, 0.0, high, xtol=1e-10)
    achieved = expected(x)
    return GoalSeekResult("expected_cost", key, True, float(x), float(x),
                          getattr(model.plan.pool, key.split(".")[1]), achieved,
                          f"{key} {x:.6g} gives an expected cost of {achieved:,.2f} over {draws:,} draws")


def gate_for_probability(dataset: Dataset, period: str | Period, probability: float,
                         gate: str = "gop", scenario: str | Scenario = "base", draws: int = 20_000,
                         seed: int = 0, plan: Plan | None = None) -> GoalSeekResult:
    """The highest gate level at which the bonus pays with at least ``probability``.

    Notes
    -----
    Over one fixed set of draws, the bonus pays at gate level g when the other gates pass,
    the pool without this gate is above 0 and the gated attainment a >= g. P(pays | g) is
    a non-increasing step function of g, so the answer is exact: with m = ceil(p x draws),
    g* is the m-th largest attainment among the draws that pay without the gate.
    """
    if gate not in ("revenue", "gop"):
        raise InputError.single("--gate", f"unknown gate {gate!r}; expected revenue or gop")
    if not is_number(probability) or not 0 < probability <= 1:
        raise InputError.single("--probability", f"{probability!r} is out of range; expected a probability above 0 and at most 1")
    model = build_model(dataset, period, scenario, plan)
    _, o = draw_outcomes(model, draws, seed)
    open_plan = with_overrides(model.plan, {f"gates.{gate}": None})
    open_pool = pool_arrays(open_plan, o.revenue, o.gop, model.revenue_target, model.gop_target,
                            model.currency).pool
    attainment = (o.revenue / model.revenue_target) if gate == "revenue" else (o.gop / model.gop_target)
    candidates = np.sort(attainment[open_pool > 0])[::-1]
    needed = math.ceil(probability * len(attainment) - 1e-9)
    current = getattr(model.plan.gates, gate)
    if needed > len(candidates):
        return GoalSeekResult("probability", f"gates.{gate}", False, None, None, current,
                              len(candidates) / len(attainment),
                              f"even without a {gate} gate the bonus pays in only "
                              f"{len(candidates) / len(attainment):.1%} of draws")
    level = float(candidates[needed - 1])
    achieved = float(((attainment >= level) & (open_pool > 0)).mean())
    return GoalSeekResult("probability", f"gates.{gate}", True, level, level, current, achieved,
                          f"a {gate} gate of {level:.4%} pays in {achieved:.1%} of {draws:,} draws")
