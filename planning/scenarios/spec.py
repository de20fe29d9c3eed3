"""What a scenario is: the driver table, driver distributions, Scenario and ScenarioSet.

The drivers, their units and what they change are tabled in :mod:`planning.scenarios`.
The checks here (a driver's name and the range of its change, a scenario's correlations
and plan overrides) are the ones ``scenarios.yaml`` is held to (:mod:`.parse`), so a
scenario built in code is refused for the same reasons, with the same words.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.plan import Plan, with_overrides
from planning.yaml_files import text_number_hint

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
MAX_RELATIVE = 10.0   # +1000%: anything above is almost surely a percentage typed as 20 for 20%


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
        from scipy import special  # scipy loads on first use, not with `import planning`

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
    import scipy.stats  # scipy loads on first use, not with `import planning`

    return getattr(scipy.stats, dist)(**dict(params))


# --- scenarios ------------------------------------------------------------------------------


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
                problems.append(unknown_driver(path, name))
            else:
                checked[name] = driver_change(value, DRIVERS[name], path, problems)
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


# --- checks shared by scenarios.yaml, with_drivers, sweeps, sensitivity and goal seek -------


def unknown_driver(path: str, name: str) -> Problem:
    close = difflib.get_close_matches(str(name), list(DRIVERS), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return Problem(SOURCE, None, path, f"unknown driver {name!r}{hint}; expected one of: "
                   f"{', '.join(DRIVERS)}")


def require_drivers(names: Iterable[str], file: str) -> None:
    """Raise InputError for the first name that is not a driver, naming ``file`` as its source."""
    for name in names:
        if name not in DRIVERS:
            raise InputError([replace(unknown_driver(name, name), file=file)])


def is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer with hundreds of digits
        return False


def driver_change(value: Any, driver: Driver, path: str, problems: list[Problem]) -> float | None:
    """A fixed change, checked for its unit; None (with a problem) when it is not usable."""
    if not is_number(value):
        expect = ("a relative change like 0.2 for +20%" if driver.kind == "relative"
                  else "a change in points like -0.02 for two points lower")
        problems.append(Problem(SOURCE, None, path, f"{value!r} is not a number{text_number_hint(value)}; "
                                f"expected {expect}"))
        return None
    value = float(value)
    if driver.kind == "relative" and not -1 < value <= MAX_RELATIVE:
        hint = f"; {value:g} looks like a percentage: write {value / 100:g} for {value:g}%" if value > 1 else ""
        problems.append(Problem(SOURCE, None, path, f"{value:g} is out of range; expected a relative "
                                f"change above -1 (-100%) and at most {MAX_RELATIVE:g}{hint}"))
        return None
    if driver.kind == "points" and not -1 <= value <= 1:
        problems.append(Problem(SOURCE, None, path, f"{value:g} is out of range; expected a change "
                                "of a rate in points from -1 to 1, like -0.02 for two points lower"))
        return None
    return value


# --- what a scenario implies: random streams' order, correlations, its plan -----------------


def uncertain_drivers(scenario: Scenario) -> list[str]:
    """Uncertain drivers in the driver table's order (which fixes the random streams)."""
    return [d for d in DRIVERS if d in scenario.uncertainty]


def correlation_factor(scenario: Scenario) -> np.ndarray | None:
    """Lower Cholesky factor of the drivers' correlation matrix (None without correlations)."""
    if not scenario.correlation:
        return None
    order = uncertain_drivers(scenario)
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


def apply_plan(plan: Plan, scenario: Scenario) -> Plan:
    """The plan with the scenario's overrides; problems are reported against scenarios.yaml."""
    if not scenario.plan_overrides:
        return plan
    try:
        return with_overrides(plan, scenario.plan_overrides)
    except InputError as exc:
        raise InputError([Problem(SOURCE, None, f"scenarios.{scenario.name}.plan.{p.column}"
                                  if p.column else f"scenarios.{scenario.name}.plan", p.message)
                          for p in exc.problems]) from None


def roles_without_points(plan: Plan, staff: pd.DataFrame) -> Problem | None:
    """With ``points`` sharing, the first staff role that has no points and no ``default``.

    The dataset checks its own plan.yaml this way; a plan changed by a scenario or a sweep
    (``distribution.method: points``, ``distribution.points``) must be checked again, or the
    engine blames plan.yaml at run time. The Problem's file and key are the caller's to set.
    """
    if "points" not in plan.distribution.methods:
        return None
    for role in staff["role"]:
        if plan.distribution.points_for(role) is None:
            return Problem(SOURCE, None, "distribution.points", f"role {role!r} (in staff.csv) has no "
                           "points and there is no 'default'; expected points for every role or a default")
    return None
