"""Scenario planning: a driver model from marketing's funnel to the bonus (domain section 5).

A scenario projects the planned quarter from a *base period* of actuals by changing
*drivers*. Every driver is a change from the base period, so a scenario with no changes is
the base period's actuals, to the cent. See ``docs/scenarios.md`` for the whole model.

========================  ========  =========================================================
driver                    unit      what it changes
========================  ========  =========================================================
``leads``                 relative  leads from marketing's campaigns (0.2 = 20% more)
``lead_to_win``           points    won deals / leads (0.01 = one point higher, 4% -> 5%)
``average_deal``          relative  campaign revenue per won deal
``marketing_spend``       relative  campaign spend (part of opex)
``other_revenue``         relative  revenue not from campaigns (repeat clients, call-outs)
``gross_margin``          points    gross profit / revenue (-0.02 = two points lower)
``opex_growth``           relative  opex other than campaign spend and salaries
``headcount_change``      relative  salary cost from more or fewer people
``salary_change``         relative  pay rise: salary cost, bonus weights and caps
========================  ========  =========================================================

The model is pure: functions take a :class:`~planning.dataset.Dataset` and return numbers
or frames. Projections are vectorised (:func:`project_arrays`), so sweeps, sensitivity and
the Monte Carlo (:mod:`planning.montecarlo`) run the same formulas as a single scenario.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.stats
from scipy import optimize, special

from planning.bonus import BonusResult, compute_bonus, pool_arrays, staff_in_period
from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.financials import PeriodResult
from planning.periods import Period
from planning.plan import Distribution, Plan, with_overrides

__all__ = [
    "DRIVERS",
    "Driver",
    "DriverDistribution",
    "Scenario",
    "ScenarioSet",
    "Baseline",
    "ScenarioModel",
    "ScenarioResult",
    "GoalSeekResult",
    "parse_scenarios",
    "default_scenarios",
    "scenario_set",
    "calibrate",
    "build_model",
    "project_arrays",
    "driver_table",
    "run_scenario",
    "compare_scenarios",
    "sweep",
    "pool_heatmap",
    "sensitivity",
    "lift_needed",
    "leads_needed",
    "revenue_needed",
    "OUTPUTS",
]

SOURCE = "scenarios.yaml"


# --- drivers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Driver:
    """One driver: ``relative`` changes multiply (1 + change); ``points`` changes add to a rate."""

    name: str
    kind: str          # "relative" or "points"
    label: str         # in the business's words
    base_attr: str     # the Baseline attribute the change applies to


DRIVERS: dict[str, Driver] = {d.name: d for d in (
    Driver("leads", "relative", "leads from campaigns", "leads"),
    Driver("lead_to_win", "points", "lead-to-win rate", "lead_to_win"),
    Driver("average_deal", "relative", "average won deal", "average_deal"),
    Driver("marketing_spend", "relative", "campaign spend", "marketing_spend"),
    Driver("other_revenue", "relative", "revenue not from campaigns", "other_revenue"),
    Driver("gross_margin", "points", "gross margin", "gross_margin"),
    Driver("opex_growth", "relative", "other opex", "other_opex"),
    Driver("headcount_change", "relative", "headcount (salary cost)", "payroll"),
    Driver("salary_change", "relative", "salaries (pay rise)", "payroll"),
)}
FUNNEL_DRIVERS = ("leads", "lead_to_win", "average_deal")
_MAX_RELATIVE = 10.0   # +1000%: anything above is almost surely a percentage typed as 20 for 20%

#: What sweeps, sensitivity and comparisons can report, per projected result.
OUTPUTS = ("revenue", "gop", "revenue_attainment", "gop_attainment", "gates_passed", "pool",
           "cost", "gop_after_bonus", "cost_share_of_gop")


@dataclass(frozen=True)
class DriverDistribution:
    """Uncertainty on one driver: a ``scipy.stats`` distribution of the change.

    A draw is ``scenario's fixed change + X`` with ``X ~ dist(**params)``; ``loc: 0`` keeps
    the scenario's value at the centre.
    """

    driver: str
    dist: str
    params: dict[str, float] = field(default_factory=dict)

    def frozen(self):
        """The frozen ``scipy.stats`` distribution (built once per distinct spec)."""
        return _frozen(self.dist, tuple(sorted(self.params.items())))

    def from_normal(self, z: np.ndarray) -> np.ndarray:
        """Map standard-normal draws to this distribution (the Gaussian copula's marginal).

        Notes
        -----
        ``X = F^-1(Phi(z))``, computed as ``ppf(Phi(z))`` for z < 0 and ``isf(Phi(-z))``
        for z >= 0 so no precision is lost in the upper tail. For ``norm`` this is exactly
        ``loc + scale * z`` and is computed that way.
        """
        z = np.asarray(z, dtype=float)
        if self.dist == "norm":
            return self.params.get("loc", 0.0) + self.params.get("scale", 1.0) * z
        frozen = self.frozen()
        out = np.empty_like(z)
        low = z < 0
        out[low] = frozen.ppf(special.ndtr(z[low]))
        out[~low] = frozen.isf(special.ndtr(-z[~low]))
        return out

    def to_dict(self) -> dict:
        return {"dist": self.dist, **self.params}


@functools.lru_cache(maxsize=256)
def _frozen(dist: str, params: tuple[tuple[str, float], ...]):
    # Freezing builds scipy's docstrings (~1 ms); the Monte Carlo asks once per block.
    return getattr(scipy.stats, dist)(**dict(params))


# --- scenarios and their file ---------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A named scenario with inheritance already resolved.

    Attributes
    ----------
    name : str
    drivers : dict
        Driver name -> fixed change (drivers not listed are 0).
    uncertainty : dict
        Driver name -> :class:`DriverDistribution` (for the Monte Carlo).
    correlation : tuple
        ``(driver_a, driver_b, rho)`` between uncertain drivers (Gaussian copula).
    plan_overrides : dict
        Dotted plan keys -> value, applied with :func:`planning.plan.with_overrides`.
    targets : dict
        Period label -> ``{"revenue_target": x, "gop_target": y}`` (either may be absent).
    base_period : str or None
        The quarter of actuals to project from; None: the latest at or before the planned one.
    """

    name: str
    description: str = ""
    inherits: str | None = None
    drivers: dict[str, float] = field(default_factory=dict)
    uncertainty: dict[str, DriverDistribution] = field(default_factory=dict)
    correlation: tuple[tuple[str, str, float], ...] = ()
    plan_overrides: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, dict[str, float]] = field(default_factory=dict)
    base_period: str | None = None

    def change(self, driver: str) -> float:
        return float(self.drivers.get(driver, 0.0))

    def with_drivers(self, **changes: float) -> Scenario:
        """A copy with some fixed driver changes replaced (validated when projected)."""
        problems: list[Problem] = []
        checked = {}
        for name, value in changes.items():
            path = f"scenarios.{self.name}.drivers.{name}"
            if name not in DRIVERS:
                problems.append(_unknown_driver(path, name))
            else:
                checked[name] = _driver_change(value, DRIVERS[name], path, problems)
        if problems:
            raise InputError([replace(p, file="drivers") for p in problems])
        return replace(self, drivers={**self.drivers, **checked})

    def to_dict(self) -> dict:
        """Plain data for provenance and reports."""
        return {
            "name": self.name, "description": self.description, "inherits": self.inherits,
            "base_period": self.base_period, "drivers": dict(self.drivers),
            "uncertainty": {k: v.to_dict() for k, v in self.uncertainty.items()},
            "correlation": [list(c) for c in self.correlation],
            "plan": dict(self.plan_overrides), "targets": {k: dict(v) for k, v in self.targets.items()},
        }


@dataclass(frozen=True)
class ScenarioSet:
    """The scenarios of a dataset, ``base`` first."""

    scenarios: tuple[Scenario, ...]

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def get(self, name: str) -> Scenario:
        """The scenario called ``name``; an InputError listing the names if there is none."""
        if isinstance(name, Scenario):
            return name
        for s in self.scenarios:
            if s.name == name:
                return s
        raise InputError.single("scenario name", f"unknown scenario {name!r}; expected one of: "
                                f"{', '.join(self.names)}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self):
        return iter(self.scenarios)

    def __len__(self) -> int:
        return len(self.scenarios)


def default_scenarios(dataset: Dataset | None = None) -> ScenarioSet:
    """The set used without ``scenarios.yaml``: one ``base`` with no changes and no uncertainty."""
    return ScenarioSet((Scenario("base", "the base period's actuals, unchanged"),))


def scenario_set(dataset: Dataset) -> ScenarioSet:
    """``dataset.scenarios``, or :func:`default_scenarios` when the dataset has none."""
    return dataset.scenarios if dataset.scenarios is not None else default_scenarios(dataset)


_SCENARIO_KEYS = ("description", "inherits", "base_period", "drivers", "uncertainty",
                  "correlation", "plan", "targets")
_PLAN_SECTIONS = ("gates", "pool", "distribution")


def _unknown_driver(path: str, name: str) -> Problem:
    close = difflib.get_close_matches(str(name), list(DRIVERS), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return Problem(SOURCE, None, path, f"unknown driver {name!r}{hint}; expected one of: "
                   f"{', '.join(DRIVERS)}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _driver_change(value: Any, driver: Driver, path: str, problems: list[Problem]) -> float | None:
    """A fixed change, checked for its unit; None (with a problem) when it is not usable."""
    if not _is_number(value):
        expect = ("a relative change like 0.2 for +20%" if driver.kind == "relative"
                  else "a change in points like -0.02 for two points lower")
        problems.append(Problem(SOURCE, None, path, f"{value!r} is not a number; expected {expect}"))
        return None
    value = float(value)
    if driver.kind == "relative" and not -1 < value <= _MAX_RELATIVE:
        hint = f"; {value:g} looks like a percentage: write {value / 100:g} for {value:g}%" if value > 1 else ""
        problems.append(Problem(SOURCE, None, path, f"{value:g} is out of range; expected a relative "
                                f"change above -1 (-100%) and at most {_MAX_RELATIVE:g}{hint}"))
        return None
    if driver.kind == "points" and not -1 <= value <= 1:
        problems.append(Problem(SOURCE, None, path, f"{value:g} is out of range; expected a change "
                                "of a rate in points from -1 to 1, like -0.02 for two points lower"))
        return None
    return value


def _distribution(value: Any, driver: str, path: str, problems: list[Problem]) -> DriverDistribution | None:
    """Parse ``{dist: name, **params}`` and prove scipy accepts it by building it."""
    if not isinstance(value, Mapping) or "dist" not in value:
        problems.append(Problem(SOURCE, None, path, f"{value!r} is not a distribution; expected a "
                                "mapping like {dist: norm, loc: 0, scale: 0.1}"))
        return None
    name = value["dist"]
    candidate = getattr(scipy.stats, str(name), None) if isinstance(name, str) else None
    if not isinstance(candidate, scipy.stats.rv_continuous | scipy.stats.rv_discrete):
        names = [n for n in dir(scipy.stats)
                 if isinstance(getattr(scipy.stats, n), scipy.stats.rv_continuous | scipy.stats.rv_discrete)]
        close = difflib.get_close_matches(str(name), names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        problems.append(Problem(SOURCE, None, f"{path}.dist", f"unknown distribution {name!r}{hint}; "
                                "expected a scipy.stats distribution name like norm, triang, uniform, "
                                "lognorm or beta"))
        return None
    params: dict[str, float] = {}
    for key, number in value.items():
        if key == "dist":
            continue
        if not _is_number(number):
            problems.append(Problem(SOURCE, None, f"{path}.{key}", f"{number!r} is not a number; "
                                    f"expected a number for {name}'s parameter {key}"))
            return None
        params[str(key)] = float(number)
    accepted = ([s.strip() for s in candidate.shapes.split(",")] if candidate.shapes else [])
    accepted += ["loc"] + (["scale"] if isinstance(candidate, scipy.stats.rv_continuous) else [])
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        problems.append(Problem(SOURCE, None, f"{path}.{unknown[0]}", f"scipy.stats.{name} has no "
                                f"parameter {unknown[0]!r}; expected: {', '.join(accepted)}"))
        return None
    spec = DriverDistribution(driver, name, params)
    try:
        with np.errstate(all="ignore"):
            probe = spec.frozen().ppf([0.01, 0.5, 0.99])
    except (TypeError, ValueError) as exc:
        problems.append(Problem(SOURCE, None, path, f"scipy.stats.{name} rejects these parameters "
                                f"({exc}); expected: {', '.join(accepted)}"))
        return None
    if np.isnan(probe).any():
        shown = ", ".join(f"{k}={v:g}" for k, v in params.items()) or "no parameters"
        problems.append(Problem(SOURCE, None, path, f"scipy.stats.{name} rejects {shown}; expected "
                                "valid parameters (scale above 0, probabilities from 0 to 1, shapes "
                                "in their documented range)"))
        return None
    return spec


def _flatten_plan(value: Any, path: str, problems: list[Problem]) -> dict[str, Any]:
    """``{gates: {gop: 0.95}}`` or ``{gates.gop: 0.95}`` -> ``{"gates.gop": 0.95}``."""
    if not isinstance(value, Mapping):
        problems.append(Problem(SOURCE, None, path, f"{value!r} is not a mapping; expected plan "
                                "overrides like {gates.gop: 0.95, pool.rate: 0.25}"))
        return {}
    out = {}
    for key, item in value.items():
        key = str(key)
        if "." not in key and key in _PLAN_SECTIONS and isinstance(item, Mapping):
            out.update({f"{key}.{k}": v for k, v in item.items()})
        else:
            out[key] = item
    return out


def _targets(value: Any, dataset: Dataset, path: str, problems: list[Problem]) -> dict[str, dict[str, float]]:
    if not isinstance(value, Mapping):
        problems.append(Problem(SOURCE, None, path, f"{value!r} is not a mapping; expected targets "
                                "per quarter like {2027Q1: {revenue_target: 4440000, gop_target: 466000}}"))
        return {}
    out = {}
    for period, item in value.items():
        where = f"{path}.{period}"
        try:
            label = str(dataset.period(str(period)))
        except ValueError as exc:
            problems.append(Problem(SOURCE, None, where, str(exc)))
            continue
        if not isinstance(item, Mapping):
            problems.append(Problem(SOURCE, None, where, f"{item!r} is not a mapping; expected "
                                    "{revenue_target: ..., gop_target: ...}"))
            continue
        targets = {}
        for key, amount in item.items():
            if key not in ("revenue_target", "gop_target"):
                problems.append(Problem(SOURCE, None, f"{where}.{key}", "unknown key; expected "
                                        "revenue_target or gop_target"))
            elif not _is_number(amount) or amount <= 0:
                problems.append(Problem(SOURCE, None, f"{where}.{key}", f"{amount!r} is not an amount "
                                        "above 0; expected a target above 0"))
            else:
                targets[key] = round(float(amount), 2)
        out[label] = targets
    return out


def _parse_one(name: str, body: Any, dataset: Dataset, problems: list[Problem]) -> dict:
    """One scenario's own keys, checked, before inheritance."""
    path = f"scenarios.{name}"
    if body is None:
        body = {}
    if not isinstance(body, Mapping):
        problems.append(Problem(SOURCE, None, path, f"must be a mapping with keys {', '.join(_SCENARIO_KEYS)}"))
        return {}
    for key in sorted(set(map(str, body)) - set(_SCENARIO_KEYS)):
        problems.append(Problem(SOURCE, None, f"{path}.{key}", f"unknown key; expected one of: {', '.join(_SCENARIO_KEYS)}"))
    own: dict[str, Any] = {"description": str(body.get("description") or "")}
    if "inherits" in body:
        own["inherits"] = None if body["inherits"] is None else str(body["inherits"])
    if body.get("base_period") is not None:
        try:
            label = str(dataset.period(str(body["base_period"])))
            if label not in set(dataset.actuals["period"]):
                problems.append(Problem(SOURCE, None, f"{path}.base_period", f"{label} has no actuals; "
                                        "expected a quarter in actuals.csv"))
            own["base_period"] = label
        except ValueError as exc:
            problems.append(Problem(SOURCE, None, f"{path}.base_period", str(exc)))
    drivers = body.get("drivers") or {}
    own["drivers"] = {}
    if not isinstance(drivers, Mapping):
        problems.append(Problem(SOURCE, None, f"{path}.drivers", "must be a mapping of driver to change, like {leads: 0.2}"))
    else:
        for key, value in drivers.items():
            where = f"{path}.drivers.{key}"
            if key not in DRIVERS:
                problems.append(_unknown_driver(where, key))
                continue
            change = _driver_change(value, DRIVERS[key], where, problems)
            if change is not None:
                own["drivers"][key] = change
    uncertainty = body.get("uncertainty") or {}
    own["uncertainty"] = {}
    if not isinstance(uncertainty, Mapping):
        problems.append(Problem(SOURCE, None, f"{path}.uncertainty", "must be a mapping of driver to "
                                "distribution, like {leads: {dist: norm, loc: 0, scale: 0.1}}"))
    else:
        for key, value in uncertainty.items():
            where = f"{path}.uncertainty.{key}"
            if key not in DRIVERS:
                problems.append(_unknown_driver(where, key))
            elif value is None:
                own["uncertainty"][key] = None      # removes an inherited distribution
            else:
                spec = _distribution(value, key, where, problems)
                if spec is not None:
                    own["uncertainty"][key] = spec
    correlation = body.get("correlation") or {}
    own["correlation"] = {}
    if not isinstance(correlation, Mapping):
        problems.append(Problem(SOURCE, None, f"{path}.correlation", "must be a mapping like "
                                "{leads: {average_deal: -0.3}}"))
    else:
        for a, partners in correlation.items():
            if a not in DRIVERS:
                problems.append(_unknown_driver(f"{path}.correlation.{a}", a))
                continue
            if not isinstance(partners, Mapping):
                problems.append(Problem(SOURCE, None, f"{path}.correlation.{a}", "must be a mapping of "
                                        "driver to correlation, like {average_deal: -0.3}"))
                continue
            for b, rho in partners.items():
                where = f"{path}.correlation.{a}.{b}"
                if b not in DRIVERS:
                    problems.append(_unknown_driver(where, b))
                elif b == a:
                    problems.append(Problem(SOURCE, None, where, "a driver's correlation with itself "
                                            "is always 1; expected another driver"))
                elif not _is_number(rho) or not -1 <= rho <= 1:
                    problems.append(Problem(SOURCE, None, where, f"{rho!r} is not a correlation; "
                                            "expected a number from -1 to 1"))
                else:
                    pair = tuple(sorted((a, b)))
                    if pair in own["correlation"] and own["correlation"][pair] != float(rho):
                        problems.append(Problem(SOURCE, None, where, f"contradicts the correlation "
                                                f"{own['correlation'][pair]:g} given for {b} and {a}"))
                    own["correlation"][pair] = float(rho)
                    own.setdefault("correlation_paths", {})[pair] = where
    own["plan"] = _flatten_plan(body["plan"], f"{path}.plan", problems) if body.get("plan") is not None else {}
    own["targets"] = _targets(body["targets"], dataset, f"{path}.targets", problems) if body.get("targets") is not None else {}
    return own


def parse_scenarios(data: Any, dataset: Dataset, source: str = SOURCE) -> ScenarioSet:
    """Build the :class:`ScenarioSet` of a parsed ``scenarios.yaml``, or raise InputError.

    Every problem is reported with the file, the key path as ``column`` (e.g.
    ``scenarios.stretch.drivers.leads``) and what was expected. Scenarios other than
    ``base`` inherit from ``base`` unless they name another in ``inherits``; a child's
    drivers, distributions, correlations, plan overrides and targets replace its parent's
    key by key (``uncertainty: {leads: null}`` removes an inherited distribution).
    """
    problems: list[Problem] = []
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InputError.single(source, "must be a mapping with the key scenarios")
    for key in sorted(set(map(str, data)) - {"scenarios"}):
        problems.append(Problem(source, None, key, "unknown key; expected scenarios"))
    body = data.get("scenarios") or {}
    if not isinstance(body, Mapping):
        raise InputError.single(source, "must map scenario names to scenarios", column="scenarios")
    own = {str(name): _parse_one(str(name), value, dataset, problems) for name, value in body.items()}
    own.setdefault("base", {"description": "the base period's actuals, unchanged"})
    if own["base"].get("inherits"):
        problems.append(Problem(source, None, "scenarios.base.inherits", "base cannot inherit; "
                                "it is the root every other scenario builds on"))
    names = ["base"] + [n for n in own if n != "base"]
    parents = {n: (None if n == "base" else own[n].get("inherits", "base")) for n in names}
    for n, parent in parents.items():
        if parent is not None and parent not in own:
            problems.append(Problem(source, None, f"scenarios.{n}.inherits", f"unknown scenario "
                                    f"{parent!r}; expected one of: {', '.join(names)}"))
            parents[n] = "base"
    resolved: dict[str, Scenario] = {}

    def resolve(n: str, chain: tuple[str, ...]) -> Scenario:
        if n in resolved:
            return resolved[n]
        if n in chain:
            problems.append(Problem(source, None, f"scenarios.{n}.inherits", "inheritance goes round "
                                    f"in a circle ({' -> '.join((*chain, n))}); expected a chain ending at base"))
            parent = Scenario("base")
        else:
            parent = resolve(parents[n], (*chain, n)) if parents[n] else Scenario("base")
        mine = own[n]
        uncertainty = {**parent.uncertainty, **mine.get("uncertainty", {})}
        uncertainty = {k: v for k, v in uncertainty.items() if v is not None}
        # Inherited correlations lapse with either driver's distribution; own ones are checked.
        correlation = {tuple(c[:2]): c[2] for c in parent.correlation
                       if c[0] in uncertainty and c[1] in uncertainty}
        for pair, rho in mine.get("correlation", {}).items():
            for d in pair:
                if d not in uncertainty:
                    problems.append(Problem(source, None, mine["correlation_paths"][pair], f"{d} has no "
                                            "distribution in this scenario's uncertainty; expected "
                                            "correlations only between uncertain drivers"))
            correlation[pair] = rho
        targets = {p: dict(t) for p, t in parent.targets.items()}
        for p, t in mine.get("targets", {}).items():
            targets.setdefault(p, {}).update(t)
        scenario = Scenario(
            name=n, description=mine.get("description", ""), inherits=parents[n],
            drivers={**parent.drivers, **mine.get("drivers", {})},
            uncertainty=uncertainty,
            correlation=tuple((a, b, rho) for (a, b), rho in sorted(correlation.items())),
            plan_overrides={**parent.plan_overrides, **mine.get("plan", {})},
            targets=targets,
            base_period=mine.get("base_period", parent.base_period),
        )
        resolved[n] = scenario
        return scenario

    for n in names:
        scenario = resolve(n, ())
        if scenario.correlation and not any(p.column and p.column.startswith(f"scenarios.{n}.correlation") for p in problems):
            try:
                _cholesky(scenario)
            except InputError as exc:
                problems.extend(exc.problems)
        if scenario.plan_overrides and dataset.plan is not None:
            try:
                _apply_plan(dataset.plan, scenario)
            except InputError as exc:
                problems.extend(p for p in exc.problems if p not in problems)
    if problems:
        raise InputError(problems)
    return ScenarioSet(tuple(resolved[n] for n in names))


def _uncertain_drivers(scenario: Scenario) -> list[str]:
    """Uncertain drivers in the driver table's order (which fixes the random streams)."""
    return [d for d in DRIVERS if d in scenario.uncertainty]


def _cholesky(scenario: Scenario) -> np.ndarray | None:
    """Lower Cholesky factor of the drivers' correlation matrix (None without correlations)."""
    if not scenario.correlation:
        return None
    order = _uncertain_drivers(scenario)
    index = {d: i for i, d in enumerate(order)}
    matrix = np.eye(len(order))
    for a, b, rho in scenario.correlation:
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = rho
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise InputError.single(SOURCE, "these correlations cannot hold together (the matrix is not "
                                "positive definite); expected weaker or consistent correlations",
                                column=f"scenarios.{scenario.name}.correlation") from None


def _apply_plan(plan: Plan, scenario: Scenario) -> Plan:
    """The plan with the scenario's overrides; problems are reported against scenarios.yaml."""
    if not scenario.plan_overrides:
        return plan
    try:
        return with_overrides(plan, scenario.plan_overrides)
    except InputError as exc:
        raise InputError([Problem(SOURCE, None, f"scenarios.{scenario.name}.plan.{p.column}"
                                  if p.column else f"scenarios.{scenario.name}.plan", p.message)
                          for p in exc.problems]) from None


# --- calibration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The base period's figures every driver changes. Amounts in currency units.

    Notes
    -----
    From ``actuals.csv`` (company sums) and ``funnel.csv`` of the base period B:
    leads L0, won deals W0, campaign revenue C0, campaign spend S0;
    lead_to_win r0 = W0 / L0; average_deal d0 = C0 / W0 (with no wins in B: the average
    deal of every funnel quarter up to B); other_revenue O0 = revenue R0 - C0;
    gross_margin m0 = (R0 - cogs G0) / R0; payroll P0 = sum of annual_salary x fte x
    tenure / 4 over ``staff.csv`` for B; other_opex = opex X0 - S0 - P0.
    """

    period: str
    revenue: float
    cogs: float
    opex: float
    leads: float
    won: float
    campaign_revenue: float
    marketing_spend: float
    lead_to_win: float
    average_deal: float
    payroll: float
    has_funnel: bool

    @property
    def other_revenue(self) -> float:
        return round(self.revenue - self.campaign_revenue, 2)

    @property
    def gross_profit(self) -> float:
        return round(self.revenue - self.cogs, 2)

    @property
    def gross_margin(self) -> float:
        return self.gross_profit / self.revenue if self.revenue else 0.0

    @property
    def other_opex(self) -> float:
        return self.opex - self.marketing_spend - self.payroll

    @property
    def gop(self) -> float:
        return round(self.revenue - self.cogs - self.opex, 2)

    def value(self, driver: str) -> float:
        """The base value the driver changes."""
        return float(getattr(self, DRIVERS[driver].base_attr))

    def to_dict(self) -> dict:
        names = ("period", "revenue", "cogs", "opex", "gop", "leads", "won", "campaign_revenue",
                 "other_revenue", "marketing_spend", "lead_to_win", "average_deal", "gross_margin",
                 "payroll", "other_opex")
        return {n: getattr(self, n) for n in names}


def _cents(values) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)


def calibrate(dataset: Dataset, base_period: str | Period) -> Baseline:
    """The :class:`Baseline` of ``base_period`` (a quarter with actuals)."""
    label = str(dataset.period(base_period))
    rows = dataset.actuals[dataset.actuals["period"] == label]
    if rows.empty:
        raise InputError.single("actuals.csv", f"has no rows for period {label}; expected actuals "
                                "for the base period", column="period")
    funnel = dataset.funnel[dataset.funnel["period"] == label]
    leads, won = float(funnel["leads"].sum()), float(funnel["won"].sum())
    campaign = int(_cents(funnel["revenue"]).sum()) / 100
    if won > 0:
        average_deal = campaign / won
    else:
        base = dataset.period(label)
        before = np.array([dataset.period(p) <= base for p in dataset.funnel["period"]], dtype=bool)
        history = dataset.funnel[before]
        total_won = float(history["won"].sum())
        average_deal = float(history["revenue"].sum()) / total_won if total_won else 0.0
    people = staff_in_period(dataset.staff, dataset.period(label), Distribution())
    return Baseline(
        period=label,
        revenue=int(_cents(rows["revenue"]).sum()) / 100,
        cogs=int(_cents(rows["cogs"]).sum()) / 100,
        opex=int(_cents(rows["opex"]).sum()) / 100,
        leads=leads, won=won, campaign_revenue=campaign,
        marketing_spend=int(_cents(funnel["spend"]).sum()) / 100,
        lead_to_win=won / leads if leads else 0.0,
        average_deal=average_deal,
        payroll=float(people["period_salary"].sum()),
        has_funnel=leads > 0,
    )


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

    # Everything in cents from here on; the base amounts are whole cents.
    revenue0, cogs0, opex0 = (round(x * 100) for x in (b.revenue, b.cogs, b.opex))
    campaign0, spend0 = round(b.campaign_revenue * 100), round(b.marketing_spend * 100)
    other0 = revenue0 - campaign0
    gross_profit0 = revenue0 - cogs0
    deal0, payroll0 = b.average_deal * 100, b.payroll * 100
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
        "leads": out(leads), "lead_to_win": out(rate), "average_deal": out(deal / 100),
        "campaign_revenue": out(campaign / 100), "other_revenue": out(other / 100),
        "revenue": out(revenue_c / 100), "gross_margin": out(margin), "cogs": out(cogs_c / 100),
        "marketing_spend": out(spend / 100), "payroll": out(payroll / 100),
        "other_opex": out(other_opex / 100), "opex": out(opex_c / 100),
        "gop": out((revenue_c - cogs_c - opex_c) / 100),
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

    @property
    def drivers(self) -> dict[str, float]:
        """Every driver's fixed change (0 when the scenario does not set it)."""
        return {d: self.scenario.change(d) for d in DRIVERS}

    @property
    def uncertain(self) -> list[str]:
        return _uncertain_drivers(self.scenario)

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


def _targets_for(dataset: Dataset, period: Period, scenario: Scenario) -> tuple[float, float]:
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


def _check_rates(baseline: Baseline, scenario: Scenario) -> None:
    """Fixed changes must leave rates within 0..1 and funnel drivers need a funnel."""
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
    _check_rates(baseline, s)
    revenue_target, gop_target = _targets_for(dataset, p, s)
    return ScenarioModel(
        period=p, scenario=s, baseline=baseline, plan=_apply_plan(plan or dataset.plan, s),
        revenue_target=revenue_target, gop_target=gop_target, currency=dataset.company.currency,
        staff=dataset.staff, cholesky=_cholesky(s),
    )


def _period_result(model: ScenarioModel, changes: Mapping[str, float]) -> PeriodResult:
    figures = project_arrays(model.baseline, changes)
    return PeriodResult(period=str(model.period), revenue=float(figures["revenue"]),
                        cogs=float(figures["cogs"]), opex=float(figures["opex"]),
                        revenue_target=model.revenue_target, gop_target=model.gop_target)


@dataclass(frozen=True, eq=False)
class ScenarioResult(BonusResult):
    """A scenario's bonus: a :class:`~planning.bonus.BonusResult` (same ``to_dict`` keys as
    ``bonus --json``) that also carries the projection behind it."""

    period_result: PeriodResult | None = None
    scenario: str = "base"
    base_period: str = ""
    drivers: dict[str, float] = field(default_factory=dict)
    salary_factor: float = 1.0


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
    return _run_model(model)


def _run_model(model: ScenarioModel, changes: Mapping[str, float] | None = None) -> ScenarioResult:
    changes = dict(model.drivers if changes is None else changes)
    projected = _period_result(model, changes)
    factor = 1.0 + float(changes.get("salary_change", 0.0))
    result = compute_bonus(projected, model.staff, model.period, model.plan,
                           currency=model.currency, salary_factor=factor)
    return ScenarioResult(**{f.name: getattr(result, f.name) for f in fields(BonusResult)},
                          period_result=projected, scenario=model.scenario.name,
                          base_period=model.baseline.period, drivers=changes, salary_factor=factor)


def driver_table(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
                 plan: Plan | None = None) -> pd.DataFrame:
    """The driver tree of a scenario next to its base period, one row per line.

    Columns ``base`` (the base period) and ``scenario`` (projected) and ``change`` (the
    driver's change in its unit); an owner can follow revenue and GOP back to each driver.
    """
    model = build_model(dataset, period, scenario, plan)
    base = project_arrays(model.baseline, {})
    projected = project_arrays(model.baseline, model.drivers)
    rows = ["leads", "lead_to_win", "average_deal", "campaign_revenue", "other_revenue", "revenue",
            "gross_margin", "cogs", "marketing_spend", "payroll", "other_opex", "opex", "gop"]
    driver_of = {"leads": "leads", "lead_to_win": "lead_to_win", "average_deal": "average_deal",
                 "other_revenue": "other_revenue", "gross_margin": "gross_margin",
                 "marketing_spend": "marketing_spend", "other_opex": "opex_growth"}
    table = pd.DataFrame({
        "base": [float(base[r]) for r in rows],
        "scenario": [float(projected[r]) for r in rows],
        "driver": [driver_of.get(r, "") for r in rows],
        "change": [model.scenario.change(driver_of[r]) if r in driver_of else np.nan for r in rows],
    }, index=pd.Index(rows, name="line"))
    table.loc["payroll", "driver"] = "headcount_change, salary_change"
    table.attrs.update(base_period=model.baseline.period, period=str(model.period),
                       scenario=model.scenario.name)
    return table


def _summary_row(result: BonusResult) -> dict:
    return {
        "revenue": result.revenue, "gop": result.gop,
        "revenue_target": result.revenue_target, "gop_target": result.gop_target,
        "revenue_attainment": result.revenue_attainment, "gop_attainment": result.gop_attainment,
        "gates_passed": result.gates_passed, "pool": result.pool, "cost": result.allocated,
        "cost_share_of_gop": result.allocated / result.gop if result.gop > 0 else np.nan,
        "gop_after_bonus": result.gop_after_bonus,
    }


def compare_scenarios(dataset: Dataset, period: str | Period, names: Iterable[str] | None = None,
                      plan: Plan | None = None) -> pd.DataFrame:
    """Scenarios side by side: one row per scenario (index ``scenario``).

    Columns: revenue, gop, revenue_target, gop_target, revenue_attainment, gop_attainment,
    gates_passed, pool, cost (what is paid out: the pool less any unallocated part),
    cost_share_of_gop (cost / GOP), gop_after_bonus, base_period.
    """
    names = list(names) if names is not None else scenario_set(dataset).names
    rows = []
    for name in names:
        model = build_model(dataset, period, name, plan)
        rows.append({"scenario": name, **_summary_row(_run_model(model)),
                     "base_period": model.baseline.period})
    return pd.DataFrame(rows).set_index("scenario")


# --- many projections at once: sweeps, the heat map, sensitivity ----------------------------


def _total_cap_cents(model: ScenarioModel, plan: Plan, salary_factor: float) -> tuple[float, bool]:
    """(sum of the people's caps in cents as compute_bonus floors them, anyone eligible?)."""
    people = staff_in_period(model.staff, model.period, plan.distribution, salary_factor)
    weights = people["weight"].to_numpy()
    caps = np.floor(people["cap"].to_numpy() * 100 + 1e-6)
    return float(caps[weights > 0].sum()), bool((weights > 0).any())


def _evaluate(model: ScenarioModel, plan: Plan, changes: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Summary outputs for arrays of driver changes under one plan (the engine's arithmetic)."""
    changes = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in changes.items()}
    figures = project_arrays(model.baseline, changes)
    revenue, gop = figures["revenue"], figures["gop"]
    steps = pool_arrays(plan, revenue, gop, model.revenue_target, model.gop_target)
    pool_cents = np.round(steps.pool * 100)
    factors = np.broadcast_to(1.0 + np.asarray(changes.get("salary_change", 0.0), float), pool_cents.shape)
    allocated_cents = np.zeros_like(pool_cents)
    for factor in np.unique(factors):
        total_cap, anyone = _total_cap_cents(model, plan, float(factor))
        here = factors == factor
        if anyone:
            allocated_cents[here] = np.round(np.minimum(pool_cents[here], total_cap))
    cost = allocated_cents / 100
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(gop > 0, cost / np.where(gop > 0, gop, 1.0), np.nan)
    return pd.DataFrame({
        "revenue": revenue, "gop": gop,
        "revenue_attainment": revenue / model.revenue_target, "gop_attainment": gop / model.gop_target,
        "gates_passed": steps.gates_passed, "pool": steps.pool, "cost": cost,
        "gop_after_bonus": (np.round(gop * 100) - allocated_cents) / 100, "cost_share_of_gop": share,
    })


def _sweep_task(model: ScenarioModel, plan: Plan, grid: pd.DataFrame, drivers: list[str]) -> pd.DataFrame:
    changes = dict(model.drivers)
    changes.update({d: grid[d].to_numpy(dtype=float) for d in drivers})
    return _evaluate(model, plan, changes)


def _check_sweep_key(key: str, values: Sequence[Any]) -> None:
    """Driver values must be valid changes; other keys must be dotted plan keys."""
    if key in DRIVERS:
        problems: list[Problem] = []
        for v in values:
            _driver_change(v, DRIVERS[key], key, problems)
        if problems:
            raise InputError([replace(problems[0], file="sweep")])
    elif "." not in key:
        problem = _unknown_driver(key, key)
        raise InputError([replace(problem, file="sweep", message=problem.message
                                  + ", or a plan key like gates.gop or pool.rate")])


def sweep(dataset: Dataset, period: str | Period, grid: Mapping[str, Sequence[Any]],
          scenario: str | Scenario = "base", plan: Plan | None = None,
          executor: Executor | None = None) -> pd.DataFrame:
    """Project a scenario over a grid of driver changes and/or plan settings.

    Parameters
    ----------
    grid : mapping
        One or two keys (more work too), each a driver name (a change in the driver's unit,
        replacing the scenario's own value) or a dotted plan key (``gates.gop``,
        ``pool.rate``, ``distribution.individual_cap``, ...), to a sequence of values. Every
        combination is evaluated, the last key varying fastest.
    executor : concurrent.futures.Executor, optional
        Evaluate each plan setting's block of driver values on it (e.g. a Dask
        ``Client.get_executor()``); the result does not depend on it.

    Returns
    -------
    DataFrame
        One row per combination: the grid's columns, then revenue, gop, revenue_attainment,
        gop_attainment, gates_passed, pool, cost, gop_after_bonus, cost_share_of_gop, each
        exactly what :func:`run_scenario` gives for that point.

    Notes
    -----
    Driver values are evaluated together as arrays (:func:`project_arrays`); each distinct
    combination of plan values is one block (one validated plan).
    """
    if not grid:
        raise InputError.single("sweep", "no keys to sweep; expected {driver or plan key: values}")
    keys = list(grid)
    values = {k: list(grid[k]) for k in keys}
    for k in keys:
        _check_sweep_key(k, values[k])
    model = build_model(dataset, period, scenario, plan)
    driver_keys = [k for k in keys if k in DRIVERS]
    plan_keys = [k for k in keys if k not in DRIVERS]
    # Rows as positions into each key's values; blocks share the plan keys' positions.
    positions = list(itertools.product(*(range(len(values[k])) for k in keys)))
    blocks: dict[tuple[int, ...], list[int]] = {}
    for row, pos in enumerate(positions):
        blocks.setdefault(tuple(pos[keys.index(k)] for k in plan_keys), []).append(row)
    tasks = []
    for plan_pos, rows in blocks.items():
        settings = {k: values[k][i] for k, i in zip(plan_keys, plan_pos, strict=True)}
        try:
            block_plan = with_overrides(model.plan, settings, source="sweep")
        except InputError as exc:
            raise InputError([replace(p, file="sweep") for p in exc.problems]) from None
        grid_block = pd.DataFrame({k: [float(values[k][positions[r][keys.index(k)]]) for r in rows]
                                   for k in driver_keys}, index=rows)
        tasks.append((rows, (model, block_plan, grid_block, driver_keys)))
    if executor is None:
        outputs = [_sweep_task(*args) for _, args in tasks]
    else:
        futures = [executor.submit(_sweep_task, *args) for _, args in tasks]
        outputs = [f.result() for f in futures]
    frame = pd.concat([out.set_axis(rows) for (rows, _), out in zip(tasks, outputs, strict=True)]).sort_index()
    points = pd.DataFrame({k: [values[k][pos[i]] for pos in positions] for i, k in enumerate(keys)})
    result = pd.concat([points, frame], axis=1)
    result.attrs.update(scenario=model.scenario.name, period=str(model.period),
                        base_period=model.baseline.period)
    return result


def pool_heatmap(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
                 plan: Plan | None = None, revenue_attainment: Sequence[float] | None = None,
                 gop_attainment: Sequence[float] | None = None) -> pd.DataFrame:
    """The pool over a grid of revenue attainment x GOP attainment (the gates' "cliff").

    Returns
    -------
    DataFrame
        Index ``gop_attainment`` (rows), columns ``revenue_attainment``, values the pool.
        ``attrs`` carries the scenario's own attainments (``current``) and the gates.

    Notes
    -----
    revenue = revenue attainment x revenue target, GOP = GOP attainment x GOP target; the
    pool is the plan's (with the scenario's overrides), so the cliff at each gate shows.
    """
    model = build_model(dataset, period, scenario, plan)
    ra = np.asarray(revenue_attainment if revenue_attainment is not None else np.linspace(0.85, 1.15, 31), float)
    ga = np.asarray(gop_attainment if gop_attainment is not None else np.linspace(0.7, 1.5, 41), float)
    rr, gg = np.meshgrid(ra, ga)
    revenue = np.round(rr * model.revenue_target * 100) / 100
    gop = np.round(gg * model.gop_target * 100) / 100
    pool = pool_arrays(model.plan, revenue, gop, model.revenue_target, model.gop_target).pool
    table = pd.DataFrame(pool, index=pd.Index(ga, name="gop_attainment"),
                         columns=pd.Index(ra, name="revenue_attainment"))
    current = _period_result(model, model.drivers)
    table.attrs.update(current=(current.revenue_attainment, current.gop_attainment),
                       gates={"revenue": model.plan.gates.revenue, "gop": model.plan.gates.gop},
                       scenario=model.scenario.name, period=str(model.period))
    return table


def sensitivity(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
                change: float = 0.1, output: str = "pool", plan: Plan | None = None,
                drivers: Iterable[str] | None = None) -> pd.DataFrame:
    """A tornado: the output with each driver moved down and up by ``change``.

    Parameters
    ----------
    change : float
        How far to move each driver, as a fraction of its base value: relative drivers move
        by +-change (0.1: 10% fewer / more leads); drivers in points by +-change x the base
        rate (0.1 with a 43% margin: +-4.3 points).
    output : str
        One of :data:`OUTPUTS` (``pool``, ``cost``, ``gop_after_bonus``, ``gop``, ...).

    Returns
    -------
    DataFrame
        Index ``driver``; columns low_change, high_change (the driver's change at each end),
        low, high (the output there), base (the output of the scenario), swing
        (|high - low|); sorted by swing, largest first.
    """
    if output not in OUTPUTS:
        raise InputError.single("--output", f"unknown output {output!r}; expected one of: {', '.join(OUTPUTS)}")
    if not 0 < change <= 1:
        raise InputError.single("--change", f"{change:g} is out of range; expected a fraction above 0 and at most 1")
    model = build_model(dataset, period, scenario, plan)
    names = list(drivers) if drivers is not None else list(DRIVERS)
    for name in names:
        if name not in DRIVERS:
            raise InputError([replace(_unknown_driver(name, name), file="--drivers")])
    names = [n for n in names if model.baseline.has_funnel or n not in FUNNEL_DRIVERS]
    base_changes = model.drivers
    steps = {n: change * (model.baseline.value(n) if DRIVERS[n].kind == "points" else 1.0) for n in names}
    columns = {n: np.full(2 * len(names) + 1, base_changes[n]) for n in DRIVERS}
    for i, n in enumerate(names):
        columns[n][2 * i] -= steps[n]
        columns[n][2 * i + 1] += steps[n]
    values = _evaluate(model, model.plan, columns)[output].to_numpy(dtype=float)
    table = pd.DataFrame({
        "low_change": [columns[n][2 * i] for i, n in enumerate(names)],
        "high_change": [columns[n][2 * i + 1] for i, n in enumerate(names)],
        "low": values[0:-1:2], "high": values[1:-1:2],
    }, index=pd.Index(names, name="driver"))
    table["base"] = values[-1]
    table["swing"] = (table["high"] - table["low"]).abs()
    table = table.sort_values("swing", ascending=False, kind="stable")
    table.attrs.update(output=output, change=change, scenario=model.scenario.name, period=str(model.period))
    return table


# --- goal seek ------------------------------------------------------------------------------


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


def _bracket(driver: str, baseline: Baseline) -> tuple[float, float]:
    if DRIVERS[driver].kind == "points":
        base = baseline.value(driver)
        return -base, 1.0 - base
    return -1.0, _MAX_RELATIVE


def _threshold(pays, lo: float, hi: float, xtol: float = 1e-9) -> float:
    """Where the monotone yes/no ``pays`` switches between lo and hi, on its paying side."""
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
    weights = {driver: 1.0} if isinstance(driver, str) else {k: float(v) for k, v in driver.items()}
    for name in weights:
        if name not in DRIVERS:
            raise InputError([replace(_unknown_driver(name, name), file="goal seek")])
    base = model.drivers
    lo, hi = -np.inf, np.inf
    for name, w in weights.items():     # keep every moved driver inside its own range
        a, b = _bracket(name, model.baseline)
        a, b = sorted(((a - base[name]) / w, (b - base[name]) / w))
        lo, hi = max(lo, a), min(hi, b)

    def changes_at(t: float) -> dict[str, float]:
        return {**base, **{name: base[name] + t * w for name, w in weights.items()}}

    def pays(t: float) -> bool:
        return bool(_evaluate(model, model.plan, changes_at(t))["pool"].iloc[0] > 0)

    single = isinstance(driver, str)
    key = driver if single else "+".join(weights)
    base_value = model.baseline.value(driver) if single else None
    pays_now = pays(0.0)
    end = next((e for e in (hi, lo) if e != 0 and pays(e) != pays_now), None)
    if end is None:
        where = "pays" if pays_now else "does not pay"
        return GoalSeekResult("pays", key, False, None, None, base_value, None,
                              f"the bonus {where} whatever {key} does within its range")
    t = _threshold(pays, *sorted((0.0, end)))
    change = base[driver] + t if single else t
    value = None
    if single:
        value = base_value * (1 + change) if DRIVERS[driver].kind == "relative" else base_value + change
    pool = float(_evaluate(model, model.plan, changes_at(t))["pool"].iloc[0])
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
        pool = float(_evaluate(model, model.plan, ch)["pool"].iloc[0])
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
    seek = lift_needed(dataset, period, {"average_deal": 1.0, "other_revenue": 1.0}, scenario, plan)
    model = build_model(dataset, period, scenario, plan)
    now = float(project_arrays(model.baseline, model.drivers)["revenue"])
    if not seek.found:
        return replace(seek, key="revenue", base_value=now)
    changes = dict(model.drivers)
    changes["average_deal"] += seek.change
    changes["other_revenue"] += seek.change
    revenue = float(project_arrays(model.baseline, changes)["revenue"])
    verb = "would stop paying below" if "stop" in seek.message else "starts paying at"
    return replace(seek, key="revenue", value=revenue, base_value=now,
                   message=f"the bonus {verb} revenue of {revenue:,.2f} ({seek.change:+.2%} on {now:,.2f})")
