"""Goal seek: the driver change, leads or revenue at which the bonus starts (or stops) paying."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from planning.dataset import Dataset
from planning.errors import InputError
from planning.periods import Period
from planning.plan import Plan
from planning.scenarios.baseline import Baseline
from planning.scenarios.model import (
    ScenarioModel,
    build_model,
    evaluate_changes,
    project_arrays,
    works_backwards,
)
from planning.scenarios.spec import (
    DRIVERS,
    FUNNEL_DRIVERS,
    MAX_RELATIVE,
    Scenario,
    is_number,
    require_drivers,
)


@dataclass(frozen=True)
class GoalSeekResult:
    """What a goal seek found.

    ``change`` is the driver's (or plan key's) value that reaches the goal, ``value`` the
    quantity in business units (leads, revenue, a rate); ``found`` is False when the goal
    cannot be reached within the driver's range (``message`` says why).
    """

    goal: str
    key: str
    found: bool
    change: float | None
    value: float | None
    base_value: float | None
    achieved: float | None
    message: str

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("goal", "key", "found", "change", "value",
                                               "base_value", "achieved", "message")}


def _pool(model: ScenarioModel, changes: Mapping[str, float]) -> float:
    """The pool for one set of driver changes (the engine's arithmetic, :func:`evaluate_changes`)."""
    return float(evaluate_changes(model, model.plan, changes)["pool"].iloc[0])


def _bracket(driver: str, baseline: Baseline) -> tuple[float, float]:
    if DRIVERS[driver].kind == "points":
        base = baseline.value(driver)
        return -base, 1.0 - base
    return -1.0, MAX_RELATIVE


def _threshold(pays, lo: float, hi: float, xtol: float = 1e-9) -> float:
    """Where the monotone yes/no ``pays`` switches between lo and hi, on its paying side."""
    from scipy import optimize  # scipy loads on first use, not with `import planning`

    paying_end = lo if pays(lo) else hi
    root = float(optimize.bisect(lambda x: 1.0 if pays(x) else -1.0, lo, hi, xtol=xtol, maxiter=200))
    step = xtol
    while not pays(root):        # bisect stops within xtol of the switch; step onto the paying side
        root += step if paying_end > root else -step
        step *= 2
    return root


def lift_needed(dataset: Dataset, period: str | Period, driver: str | Mapping[str, float],
                scenario: str | Scenario = "base", plan: Plan | None = None) -> GoalSeekResult:
    """The change of a driver at which the bonus starts (or stops) paying.

    Parameters
    ----------
    driver : str or mapping
        A driver name, or several drivers lifted together as ``{driver: weight}``: a lift t
        moves each by t x weight from the scenario's value (:func:`revenue_needed` lifts
        average deal and other revenue together).

    Returns
    -------
    GoalSeekResult
        For one driver, ``change`` is the driver's change (in its unit, like the scenario's
        ``drivers``) at which the bonus starts paying (pool > 0), and ``value`` the driver's
        quantity there (leads, a rate, an amount). When it already pays, they give where it
        would stop paying: the headroom. For several drivers, ``change`` is the lift t.

    Notes
    -----
    "Pays" is monotone in every driver (more leads or margin never lowers GOP; more opex
    never raises it), so the switching point is found by bisection
    (``scipy.optimize.bisect``, to 1e-9) on the yes/no answer between the scenario's value
    and the end of the driver's range where the answer differs: relative drivers from
    -100% to +1000%, rates from 0 to 1.
    """
    model = build_model(dataset, period, scenario, plan)
    if isinstance(driver, str):
        weights = {driver: 1.0}
    elif isinstance(driver, Mapping) and driver:
        bad = next((k for k, v in driver.items() if not is_number(v) or v == 0), None)
        if bad is not None:
            raise InputError.single("goal seek", f"{driver[bad]!r} is not a weight; expected a number "
                                    "other than 0 for each driver lifted", column=str(bad))
        weights = {k: float(v) for k, v in driver.items()}
    else:
        raise InputError.single("goal seek", f"{driver!r} is not a driver; expected a driver name or "
                                "{driver: weight, ...}")
    require_drivers(weights, "goal seek")
    if not model.baseline.has_funnel:
        funnel = [d for d in weights if d in FUNNEL_DRIVERS]
        if funnel:      # as run_scenario: refused rather than "does not pay whatever leads does"
            raise InputError.single("funnel.csv", f"has no leads in {model.baseline.period}, so "
                                    f"{funnel[0]} cannot move revenue; expected funnel rows for the base "
                                    "period to seek a change of it", column="leads")
    for name in weights:
        why = works_backwards(model.baseline, name)
        if why:
            raise InputError.single("goal seek", why, column=name)
    return _lift(model, weights, driver if isinstance(driver, str) else None)


def _lift(model: ScenarioModel, weights: Mapping[str, float], single: str | None) -> GoalSeekResult:
    """:func:`lift_needed` for a built model and checked weights (``single``: the one driver)."""
    base = model.drivers
    lo, hi = -np.inf, np.inf
    for name, w in weights.items():     # keep every moved driver inside its own range
        a, b = _bracket(name, model.baseline)
        a, b = sorted(((a - base[name]) / w, (b - base[name]) / w))
        lo, hi = max(lo, a), min(hi, b)

    def changes_at(t: float) -> dict[str, float]:
        return {**base, **{name: base[name] + t * w for name, w in weights.items()}}

    def pays(t: float) -> bool:
        return _pool(model, changes_at(t)) > 0

    key = single or "+".join(weights)
    base_value = model.baseline.value(single) if single else None
    pays_now = pays(0.0)
    end = next((e for e in (hi, lo) if e != 0 and pays(e) != pays_now), None)
    if end is None:
        where = "pays" if pays_now else "does not pay"
        return GoalSeekResult("pays", key, False, None, None, base_value, None,
                              f"the bonus {where} whatever {key} does within its range")
    t = _threshold(pays, *sorted((0.0, end)))
    change = base[single] + t if single else t
    value = None
    if single:
        value = base_value * (1 + change) if DRIVERS[single].kind == "relative" else base_value + change
    pool = _pool(model, changes_at(t))
    verb = "would stop paying beyond" if pays_now else "starts paying at"
    return GoalSeekResult("pays", key, True, change, value, base_value, pool,
                          f"the bonus {verb} a change of {change:+.4g} in {key}")


def leads_needed(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
                 plan: Plan | None = None) -> GoalSeekResult:
    """The fewest whole leads (at the scenario's rate and deal size) for the bonus to pay.

    When it already pays, the fewest leads with which it still pays.
    ``value`` is the number of leads, ``change`` the relative change from the base period.
    """
    model = build_model(dataset, period, scenario, plan)
    if not model.baseline.has_funnel:
        raise InputError.single("funnel.csv", f"has no leads in {model.baseline.period}; expected "
                                "funnel rows to seek the leads needed", column="leads")
    seek = lift_needed(dataset, period, "leads", scenario, plan)
    if not seek.found:
        return replace(seek, goal="pays", key="leads")
    leads0 = model.baseline.leads
    changes = model.drivers

    def pays_with(n: int) -> tuple[bool, float]:
        ch = {**changes, "leads": n / leads0 - 1.0}
        pool = _pool(model, ch)
        return pool > 0, pool

    n = max(0, math.ceil(seek.value - 1e-6))
    paying, pool = pays_with(n)
    while not paying:
        n += 1
        paying, pool = pays_with(n)
    words = "still pays with as few as" if "stop" in seek.message else "starts paying with"
    return GoalSeekResult("pays", "leads", True, n / leads0 - 1.0, float(n), leads0, pool,
                          f"the bonus {words} {n} leads ({n / leads0 - 1:+.1%} on {leads0:g} in "
                          f"{model.baseline.period})")


def revenue_needed(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
                   plan: Plan | None = None) -> GoalSeekResult:
    """The revenue at which the bonus starts (or, if it pays, stops) paying.

    Notes
    -----
    Revenue is lifted as a whole: average deal and other revenue move together by the same
    relative lift t (``change``), so campaign and other revenue both grow by (1 + t) (for
    the base scenario, R = R0 (1 + t)); cogs follow at the scenario's gross margin, opex is
    unchanged. ``value`` is the revenue there, ``base_value`` the scenario's revenue.
    """
    model = build_model(dataset, period, scenario, plan)
    # Without leads in the base quarter all revenue is other revenue (and average_deal is refused).
    lifted = ("average_deal", "other_revenue") if model.baseline.has_funnel else ("other_revenue",)
    # Lifting every revenue line together gives R = R0 (1 + t) even when campaigns claim more
    # than the quarter's revenue (other revenue negative), so works_backwards does not apply here.
    seek = _lift(model, dict.fromkeys(lifted, 1.0), None)
    now = float(project_arrays(model.baseline, model.drivers)["revenue"])
    if not seek.found:
        return replace(seek, key="revenue", base_value=now)
    changes = dict(model.drivers)
    for name in lifted:
        changes[name] += seek.change
    revenue = float(project_arrays(model.baseline, changes)["revenue"])
    verb = "would stop paying below" if "stop" in seek.message else "starts paying at"
    return replace(seek, key="revenue", value=revenue, base_value=now,
                   message=f"the bonus {verb} revenue of {revenue:,.2f} ({seek.change:+.2%} on {now:,.2f})")
