"""One scenario for one planned quarter: the vectorised projection from its :class:`Baseline`
(:mod:`.baseline`), the bonus; :mod:`.compare` tables scenarios side by side.

:func:`project_arrays` holds the driver formulas; :func:`run_scenario` puts one projected
quarter through the bonus engine, and ``evaluate_changes`` does the engine's arithmetic for arrays
of driver changes (sweeps, sensitivity, goal seek).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from planning.bonus import compute_bonus, pool_arrays, staff_in_period
from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.financials import PeriodResult
from planning.money import unit_digits
from planning.periods import Period
from planning.plan import Plan
from planning.scenarios.baseline import Baseline, calibrate
from planning.scenarios.spec import (
    DRIVERS,
    FUNNEL_DRIVERS,
    SOURCE,
    Scenario,
    apply_plan,
    correlation_factor,
    roles_without_points,
    scenario_set,
    uncertain_drivers,
)
from planning.sharing import cap_cents
from planning.year import quarter_as_bonus
from planning.year.outlook import YearSoFar, settle_planned, year_so_far

# --- the projection (vectorised) --------------------------------------------------------------


def _half_up(cents: np.ndarray) -> np.ndarray:
    """Round amounts in cents to whole cents, half away from zero."""
    return np.where(cents >= 0, np.floor(cents + 0.5), -np.floor(0.5 - cents))


def project_arrays(baseline: Baseline, changes: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Project the quarter for arrays of driver changes (broadcast together).

    Parameters
    ----------
    baseline : Baseline
    changes : mapping
        Driver name -> change (scalar or array); missing drivers are 0.

    Returns
    -------
    dict of numpy arrays
        ``leads, lead_to_win, average_deal, campaign_revenue, other_revenue, revenue,
        gross_margin, cogs, marketing_spend, payroll, other_opex, opex, gop``. Revenue,
        cogs, opex and GOP are whole cents (currency units); GOP = revenue - cogs - opex.

    Notes
    -----
    With relative changes c_x and changes in points p_x::

        L = L0 (1 + c_leads)            r = r0 + p_lead_to_win        d = d0 (1 + c_average_deal)
        campaign revenue C = L r d      other revenue O = O0 (1 + c_other_revenue)
        revenue R = C + O               gross margin m = m0 + p_gross_margin
        cogs = R (1 - m)
        marketing spend S = S0 (1 + c_marketing_spend)
        payroll P = P0 (1 + c_headcount_change)(1 + c_salary_change)
        other opex = (X0 - S0 - P0)(1 + c_opex_growth)
        opex = other opex + S + P       GOP = R - cogs - opex

    Each line is computed as the base value plus the change (``C0 + (L r d - L0 r0 d0)``,
    ...) so that no changes give the base period's figures bit for bit. Counts and amounts
    stay at or above 0 and rates within [0, 1] (draws of a wide distribution are clipped
    there); revenue, cogs and opex are rounded to cents, half up.
    """
    b = baseline
    unknown = set(changes) - set(DRIVERS)
    if unknown:
        raise KeyError(f"unknown drivers {sorted(unknown)}")
    c = {name: np.asarray(changes.get(name, 0.0), dtype=float) for name in DRIVERS}

    def grow(base: float, change: np.ndarray) -> np.ndarray:
        return base * np.maximum(0.0, 1.0 + change)

    # Everything in cents (minor units) from here on; the base amounts are whole cents.
    k = 10 ** unit_digits(b.currency)
    revenue0, cogs0, opex0 = (round(x * k) for x in (b.revenue, b.cogs, b.opex))
    campaign0, spend0 = round(b.campaign_revenue * k), round(b.marketing_spend * k)
    other0 = revenue0 - campaign0
    gross_profit0 = revenue0 - cogs0
    deal0, payroll0 = b.average_deal * k, b.payroll * k
    other_opex0 = opex0 - spend0 - payroll0

    leads = grow(b.leads, c["leads"])
    rate = np.clip(b.lead_to_win + c["lead_to_win"], 0.0, 1.0)
    deal = grow(deal0, c["average_deal"])
    campaign = campaign0 + (leads * rate * deal - b.leads * b.lead_to_win * deal0)
    other = grow(other0, c["other_revenue"])
    revenue = campaign + other
    margin = np.clip(b.gross_margin + c["gross_margin"], min(0.0, b.gross_margin), 1.0)
    gross_profit = gross_profit0 + (revenue * margin - revenue0 * b.gross_margin)
    spend = grow(spend0, c["marketing_spend"])
    payroll = grow(payroll0, c["headcount_change"]) * np.maximum(0.0, 1.0 + c["salary_change"])
    other_opex = grow(other_opex0, c["opex_growth"])
    opex = opex0 + (other_opex - other_opex0) + (spend - spend0) + (payroll - payroll0)
    revenue_c = _half_up(revenue)
    cogs_c = _half_up(revenue - gross_profit)
    opex_c = _half_up(opex)
    shape = np.broadcast_shapes(*(a.shape for a in c.values()))

    def out(x):
        x = np.asarray(x)
        return x if x.shape == shape else np.broadcast_to(x, shape).copy()

    return {
        "leads": out(leads), "lead_to_win": out(rate), "average_deal": out(deal / k),
        "campaign_revenue": out(campaign / k), "other_revenue": out(other / k),
        "revenue": out(revenue_c / k), "gross_margin": out(margin), "cogs": out(cogs_c / k),
        "marketing_spend": out(spend / k), "payroll": out(payroll / k),
        "other_opex": out(other_opex / k), "opex": out(opex_c / k),
        "gop": out((revenue_c - cogs_c - opex_c) / k),
    }


# --- one scenario, one period -----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ScenarioModel:
    """Everything needed to project one scenario for one planned quarter (picklable).

    Built by :func:`build_model`; used by :func:`run_scenario`, sweeps and the Monte Carlo.
    """

    period: Period
    scenario: Scenario
    baseline: Baseline
    plan: Plan
    revenue_target: float
    gop_target: float
    currency: str
    staff: pd.DataFrame
    cholesky: np.ndarray | None = None
    year: YearSoFar | None = None   # with a ``year:`` plan: the actual quarters of the year before

    @property
    def drivers(self) -> dict[str, float]:
        """Every driver's fixed change (0 when the scenario does not set it)."""
        return {d: self.scenario.change(d) for d in DRIVERS}

    @property
    def uncertain(self) -> list[str]:
        return uncertain_drivers(self.scenario)

    @property
    def salary_factor(self) -> float:
        return 1.0 + self.scenario.change("salary_change")


def _base_period(dataset: Dataset, period: Period, scenario: Scenario) -> str:
    if scenario.base_period:
        return scenario.base_period
    before = [p for p in dataset.periods if p <= period]
    if not before:
        first = dataset.periods[0] if dataset.periods else None
        raise InputError.single("--period", f"{period} is before the first quarter of actuals"
                                f"{f' ({first})' if first else ''}; expected a quarter at or after it "
                                "to project from")
    return str(before[-1])


def targets_for(dataset: Dataset, period: Period, scenario: Scenario) -> tuple[float, float]:
    label = str(period)
    given = dict(scenario.targets.get(label, {}))
    row = dataset.targets[dataset.targets["period"] == label]
    if not row.empty:
        given.setdefault("revenue_target", float(row["revenue_target"].iloc[0]))
        given.setdefault("gop_target", float(row["gop_target"].iloc[0]))
    missing = [k for k in ("revenue_target", "gop_target") if k not in given]
    if missing:
        raise InputError.single("targets.csv", f"has no row for period {label} and scenario "
                                f"{scenario.name!r} gives no {' or '.join(missing)}; expected a row in "
                                f"targets.csv or scenarios.{scenario.name}.targets.{label} in scenarios.yaml",
                                column="period")
    return given["revenue_target"], given["gop_target"]


def works_backwards(baseline: Baseline, driver: str) -> str | None:
    """Why ``driver`` would work backwards in ``baseline``: the line it scales is negative.

    Other revenue (R0 - C0) and other opex (X0 - S0 - P0) are what is left of the actuals
    after the funnel's campaigns and the staff's payroll. When those claim more than the
    actuals hold, the rest is negative and +10% would lower revenue or opex.
    """
    b = baseline
    if driver == "other_revenue" and b.other_revenue < -0.005:
        return (f"campaign revenue in funnel.csv ({b.campaign_revenue:,.2f}) is more than the revenue in "
                f"actuals.csv ({b.revenue:,.2f}) in {b.period}, so revenue not from campaigns is negative "
                "and other_revenue would work backwards; expected campaign revenue within the quarter's revenue")
    if driver == "opex_growth" and b.other_opex < -0.005:
        return (f"campaign spend in funnel.csv ({b.marketing_spend:,.2f}) and payroll from staff.csv "
                f"({b.payroll:,.2f}) are more than the opex in actuals.csv ({b.opex:,.2f}) in {b.period}, so "
                "other opex is negative and opex_growth would work backwards; expected opex that includes "
                "the campaign spend and the payroll")
    return None


def check_rates(baseline: Baseline, scenario: Scenario) -> None:
    """Fixed changes must leave rates within 0..1, funnel drivers need a funnel, and
    other_revenue and opex_growth need a line that is not negative (:func:`works_backwards`)."""
    problems = []
    for name in ("lead_to_win", "gross_margin"):
        change = scenario.change(name)
        value = baseline.value(name) + change
        if change and not 0 <= value <= 1:
            problems.append(Problem(SOURCE, None, f"scenarios.{scenario.name}.drivers.{name}",
                                    f"takes the {DRIVERS[name].label} to {value:.4g} ({baseline.value(name):.4g} "
                                    f"in {baseline.period} {change:+g}); expected a rate from 0 to 1"))
    if not baseline.has_funnel:
        for name in FUNNEL_DRIVERS:
            if scenario.change(name) or name in scenario.uncertainty:
                problems.append(Problem(SOURCE, None, f"scenarios.{scenario.name}.drivers.{name}",
                                        f"the base period {baseline.period} has no leads in funnel.csv, "
                                        "so funnel drivers cannot move revenue; expected funnel rows for "
                                        "the base period (or a base_period that has them)"))
    for name in ("other_revenue", "opex_growth"):
        why = works_backwards(baseline, name)
        if why and (scenario.change(name) or name in scenario.uncertainty):
            problems.append(Problem(SOURCE, None, f"scenarios.{scenario.name}.drivers.{name}", why))
    if problems:
        raise InputError(problems)


def build_model(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
                plan: Plan | None = None) -> ScenarioModel:
    """Resolve a scenario for a planned quarter: base period, baseline, plan and targets.

    Parameters
    ----------
    dataset : Dataset
    period : str or Period
        The quarter being planned. It may be in the future; its targets come from the
        scenario's ``targets`` or ``targets.csv``.
    scenario : str or Scenario
        A name in the dataset's scenarios (``base`` always exists) or a Scenario.
    plan : Plan, optional
        Instead of the dataset's plan; the scenario's plan overrides apply on top.
    """
    try:
        p = dataset.period(period)
    except ValueError as exc:
        raise InputError.single("--period", str(exc)) from None
    s = scenario if isinstance(scenario, Scenario) else scenario_set(dataset).get(scenario)
    baseline = calibrate(dataset, _base_period(dataset, p, s))
    check_rates(baseline, s)
    revenue_target, gop_target = targets_for(dataset, p, s)
    scenario_plan = apply_plan(plan or dataset.plan, s)
    if s.plan_overrides and (missing := roles_without_points(scenario_plan, dataset.staff)) is not None:
        raise InputError([replace(missing, column=f"scenarios.{s.name}.plan.distribution.points")])
    def later_targets(q):
        try:
            return targets_for(dataset, q, s)
        except InputError:
            return None

    return ScenarioModel(
        period=p, scenario=s, baseline=baseline, plan=scenario_plan,
        revenue_target=revenue_target, gop_target=gop_target, currency=dataset.company.currency,
        staff=dataset.staff, cholesky=correlation_factor(s),
        year=year_so_far(dataset, p, scenario_plan, later_targets, (revenue_target, gop_target)),
    )


def projected_result(model: ScenarioModel, changes: Mapping[str, float]) -> PeriodResult:
    figures = project_arrays(model.baseline, changes)
    return PeriodResult(period=str(model.period), revenue=float(figures["revenue"]),
                        cogs=float(figures["cogs"]), opex=float(figures["opex"]),
                        revenue_target=model.revenue_target, gop_target=model.gop_target,
                        currency=model.currency)


@dataclass(frozen=True, eq=False)
class ScenarioResult(BonusResult):
    """A scenario's bonus: a :class:`~planning.bonus_result.BonusResult` (same ``to_dict`` keys as
    ``bonus --json``) that also carries the projection behind it (its ``period_result`` is the
    projected P&L)."""

    scenario: str = "base"
    base_period: str = ""
    drivers: dict[str, float] = field(default_factory=dict)
    salary_factor: float = 1.0
    year: object = None     # with a ``year:`` plan: the YearResult through the planned quarter

    def to_dict(self) -> dict:
        """``bonus --json``'s keys; with a year plan also ``earned_to_date``, ``shared_now``,
        ``held_back`` and ``reserve`` (as ``bonus --period`` with a year plan)."""
        data = super().to_dict()
        if self.year is not None:
            q = self.year.quarter(self.period)
            data.update(earned_to_date=q.earned_to_date, shared_now=q.shared_now, held_back=q.held_back,
                        reserve=q.reserve)
        return data


def run_scenario(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
                 plan: Plan | None = None) -> ScenarioResult:
    """The deterministic bonus of a scenario: the projected quarter through the bonus engine.

    Returns
    -------
    ScenarioResult
        A BonusResult as :func:`planning.bonus.bonus_for_period` gives for actuals (same
        ``to_dict`` keys), plus ``period_result`` (the projected P&L), ``base_period`` and
        ``drivers``.
        With no driver changes and the planned quarter as its own base period, it equals the
        actuals' bonus to the cent. Salaries are scaled by ``1 + salary_change`` for the
        sharing weights and caps; ``headcount_change`` changes cost only (the people who would
        join or leave are not known by name).
    """
    model = build_model(dataset, period, scenario, plan)
    return run_model(model)


def run_model(model: ScenarioModel, changes: Mapping[str, float] | None = None) -> ScenarioResult:
    changes = dict(model.drivers if changes is None else changes)
    projected = projected_result(model, changes)
    factor = 1.0 + float(changes.get("salary_change", 0.0))
    year = None
    if model.year is not None:   # quarter k settled after the actual quarters of its year
        year = settle_planned(model.year, projected, model.staff, model.plan, model.currency, factor)
        result = quarter_as_bonus(year, model.period)
    else:
        result = compute_bonus(projected, model.staff, model.period, model.plan,
                               currency=model.currency, salary_factor=factor)
    return ScenarioResult(**{f.name: getattr(result, f.name) for f in fields(BonusResult)},
                          scenario=model.scenario.name,
                          base_period=model.baseline.period, drivers=changes, salary_factor=factor, year=year)


# --- many projections at once (sweeps, sensitivity, goal seek) ------------------------------

#: What sweeps, sensitivity and comparisons can report, per projected result.
OUTPUTS = ("revenue", "gop", "revenue_attainment", "gop_attainment", "gates_passed", "pool",
           "cost", "gop_after_bonus", "cost_share_of_gop")


def _total_cap_cents(model: ScenarioModel, plan: Plan, salary_factor: float) -> tuple[float, bool]:
    """(sum of the people's caps in cents as compute_bonus floors them, anyone eligible?)."""
    people = staff_in_period(model.staff, model.period, plan.distribution, salary_factor)
    weights = people["weight"].to_numpy()
    caps = cap_cents(people, model.currency)
    return float(caps[weights > 0].sum()), bool((weights > 0).any())


def evaluate_changes(model: ScenarioModel, plan: Plan, changes: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """:data:`OUTPUTS` for arrays of driver changes under one plan (the engine's arithmetic)."""
    changes = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in changes.items()}
    figures = project_arrays(model.baseline, changes)
    revenue, gop = figures["revenue"], figures["gop"]
    steps = pool_arrays(plan, revenue, gop, model.revenue_target, model.gop_target, model.currency)
    k = 10 ** unit_digits(model.currency)
    pool_cents = np.round(steps.pool * k)
    factors = np.broadcast_to(1.0 + np.asarray(changes.get("salary_change", 0.0), float), pool_cents.shape)
    allocated_cents = np.zeros_like(pool_cents)
    for factor in np.unique(factors):
        total_cap, anyone = _total_cap_cents(model, plan, float(factor))
        here = factors == factor
        if anyone:
            allocated_cents[here] = np.round(np.minimum(pool_cents[here], total_cap))
    cost = allocated_cents / k
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(gop > 0, cost / np.where(gop > 0, gop, 1.0), np.nan)
    return pd.DataFrame({
        "revenue": revenue, "gop": gop,
        "revenue_attainment": revenue / model.revenue_target, "gop_attainment": gop / model.gop_target,
        "gates_passed": steps.gates_passed, "pool": steps.pool, "cost": cost,
        "gop_after_bonus": (np.round(gop * k) - allocated_cents) / k, "cost_share_of_gop": share,
    })
