"""What the cockpit shows, computed from its settings (pure: no widgets, no files).

The widgets in :mod:`planning.ui.cockpit` only translate control values into a
:class:`CockpitSettings` and call :func:`evaluate`; everything an owner sees is derived here
from the bonus engine, so the same numbers can be checked in pytest and reproduced in a
report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from planning.bonus import compute_bonus, pool_arrays
from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.financials import PeriodResult, period_result
from planning.plan import Plan, with_overrides
from planning.year import YearResult, quarter_as_bonus, year_for_dataset

__all__ = [
    "ACTUALS",
    "CockpitSettings",
    "GateGrid",
    "settings_from_plan",
    "plan_from_settings",
    "period_result_for",
    "evaluate",
    "evaluate_in_year",
    "gate_grid",
]

ACTUALS = "Actuals"
"""The scenario picker's entry for the period's recorded actuals (no scenario)."""


@dataclass(frozen=True)
class CockpitSettings:
    """Every value the owner can change in the cockpit.

    Gates and the individual cap use ``None`` for "none"; targets are in currency units.
    ``scenario`` is a name from ``scenarios.yaml`` or :data:`ACTUALS`.
    """

    period: str
    revenue_target: float
    gop_target: float
    revenue_gate: float | None
    gop_gate: float | None
    pool_method: str
    pool_rate: float | None
    pool_cap: float | None
    distribution: str
    individual_cap: float | None
    scenario: str = ACTUALS


def settings_from_plan(dataset: Dataset, period: str, plan: Plan | None = None,
                       scenario: str = ACTUALS) -> CockpitSettings:
    """The settings that reproduce ``plan`` and the period's own targets."""
    plan = plan or dataset.plan
    result = period_result(dataset, period)
    return CockpitSettings(
        period=result.period,
        revenue_target=result.revenue_target,
        gop_target=result.gop_target,
        revenue_gate=plan.gates.revenue,
        gop_gate=plan.gates.gop,
        pool_method=plan.pool.method,
        pool_rate=plan.pool.rate,
        pool_cap=plan.pool.cap,
        distribution=plan.distribution.method,
        individual_cap=plan.distribution.individual_cap,
        scenario=scenario,
    )


def plan_from_settings(base: Plan, settings: CockpitSettings) -> Plan:
    """``base`` with the cockpit's plan settings applied, validated like ``plan.yaml``.

    Keys the cockpit does not show (floor, self-funding, the payout curve, points,
    department weights, eligibility rules) keep the base plan's values.

    Raises
    ------
    InputError
        When the combination is not a valid plan (for example ``payout_curve`` without a
        curve in the base plan, or ``points`` without points).
    """
    overrides = {
        "gates.revenue": settings.revenue_gate,
        "gates.gop": settings.gop_gate,
        "pool.method": settings.pool_method,
        "pool.rate": settings.pool_rate,
        "pool.cap": settings.pool_cap,
        "distribution.method": settings.distribution,
        "distribution.individual_cap": settings.individual_cap,
    }
    return with_overrides(base, overrides, source="cockpit")


def period_result_for(dataset: Dataset, settings: CockpitSettings,
                      scenario_result: PeriodResult | None = None) -> PeriodResult:
    """The period's result (actuals or a scenario's) with the cockpit's targets.

    Notes
    -----
    Only the targets change: revenue, cogs and opex are the actuals' (or the scenario's),
    so attainment = actual / cockpit target.
    """
    base = scenario_result if scenario_result is not None else period_result(dataset, settings.period)
    return replace(base, revenue_target=float(settings.revenue_target),
                   gop_target=float(settings.gop_target))


def evaluate(dataset: Dataset, settings: CockpitSettings, base_plan: Plan | None = None,
             scenario_result: PeriodResult | None = None,
             salary_factor: float = 1.0) -> BonusResult:
    """The bonus the cockpit shows for ``settings``.

    Parameters
    ----------
    dataset : Dataset
    settings : CockpitSettings
    base_plan : Plan, optional
        The plan whose hidden keys are kept (default: the dataset's plan).
    scenario_result : PeriodResult, optional
        A scenario's projected result to use instead of the period's actuals.
    salary_factor : float
        Scales salaries (a scenario's pay rise); 1 for actuals.

    Returns
    -------
    BonusResult
        Exactly :func:`planning.bonus.compute_bonus` for the overridden plan and targets.
    """
    plan = plan_from_settings(base_plan or dataset.plan, settings)
    result = period_result_for(dataset, settings, scenario_result)
    period = dataset.period(settings.period)
    return compute_bonus(result, dataset.staff, period, plan, currency=dataset.company.currency,
                         salary_factor=salary_factor)


def evaluate_in_year(dataset: Dataset, settings: CockpitSettings, base_plan: Plan | None = None
                     ) -> tuple[BonusResult, YearResult | None]:
    """The quarter on actuals as people are paid for it, and its year so far.

    Without a ``year:`` section this is :func:`evaluate` (and None). With one, the fiscal
    year is settled through the quarter (:func:`planning.year.year_for_dataset` with
    ``upto``), the quarter judged against the cockpit's targets and the earlier quarters as
    recorded, and the quarter is returned as :func:`planning.year.quarter_as_bonus` gives it:
    ``pool`` is the quarter's pool P_k and the payouts are of what is shared now, exactly as
    ``planning bonus --period P`` shows it with the same plan.
    """
    result = evaluate(dataset, settings, base_plan)
    if result.plan.year is None:
        return result, None
    period = dataset.require_period(settings.period)
    year = year_for_dataset(dataset, period.year, result.plan, upto=period, last=result.period_result)
    return quarter_as_bonus(year, period), year


@dataclass(frozen=True)
class GateGrid:
    """The pool over a grid of revenue and GOP attainments (the gate heat map's data).

    ``pool[i, j]`` is the pool at ``gop_attainment[i]`` and ``revenue_attainment[j]``;
    ``current`` is the period's own (revenue, GOP) attainment.
    """

    revenue_attainment: np.ndarray
    gop_attainment: np.ndarray
    pool: np.ndarray
    gates_passed: np.ndarray
    current: tuple[float, float]
    revenue_gate: float | None
    gop_gate: float | None


def gate_grid(plan: Plan, result: PeriodResult, revenue_span: tuple[float, float] = (0.8, 1.2),
              gop_span: tuple[float, float] = (0.7, 1.5), steps: int = 41) -> GateGrid:
    """The pool ``plan`` pays at every (revenue, GOP) attainment in the spans.

    Notes
    -----
    revenue = revenue_attainment x revenue_target and GOP = gop_attainment x gop_target on
    a ``steps`` x ``steps`` grid; the pool is :func:`planning.bonus.pool_arrays` (gates,
    raw pool, floor, cap, self-funding, cents) evaluated on the whole grid at once.
    """
    ra = np.linspace(*revenue_span, steps)
    ga = np.linspace(*gop_span, steps)
    revenue = ra[np.newaxis, :] * result.revenue_target
    gop = ga[:, np.newaxis] * result.gop_target
    steps_ = pool_arrays(plan, revenue, gop, result.revenue_target, result.gop_target, result.currency)
    return GateGrid(ra, ga, steps_.pool, steps_.gates_passed,
                    (result.revenue_attainment, result.gop_attainment),
                    plan.gates.revenue, plan.gates.gop)

