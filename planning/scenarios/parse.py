"""The ``scenarios.yaml`` loader: :func:`parse_scenarios` checks every key and resolves
inheritance, so a bad file is refused with the key path and what was expected."""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from planning.dataset import Dataset
from planning.errors import InputError, Problem, quoted
from planning.periods import parse_period
from planning.scenarios.spec import (
    DRIVERS,
    SOURCE,
    DriverDistribution,
    Scenario,
    ScenarioSet,
    apply_plan,
    correlation_factor,
    driver_change,
    is_number,
    roles_without_points,
    unknown_driver,
)
from planning.yaml_files import text_number_hint

_SCENARIO_KEYS = ("description", "inherits", "base_period", "drivers", "uncertainty",
                  "correlation", "plan", "targets")
_PLAN_SECTIONS = ("gates", "pool", "distribution")


# The distributions owners write most, with their shape parameters and ranges well inside
# those where scipy's quantiles at 1%, 50% and 99% are finite. A spec inside these ranges is
# accepted without importing scipy (about a second of start-up for `validate`); anything else,
# valid or not, goes to scipy itself, so every refusal is scipy's own and reads as before.
_PLAIN_SHAPES: dict[str, dict[str, tuple[float, float]]] = {
    "norm": {},
    "uniform": {},
    "triang": {"c": (0.0, 1.0)},
    "lognorm": {"s": (0.0, 100.0)},
    "beta": {"a": (1e-3, 1e6), "b": (1e-3, 1e6)},
}
_PLAIN_LOC_SCALE = {"loc": (-1e100, 1e100), "scale": (0.0, 1e100)}


def _plain_params(value: Mapping) -> dict[str, float] | None:
    """The parameters of a plain distribution, all present and in range; else None."""
    shapes = _PLAIN_SHAPES.get(value["dist"]) if isinstance(value.get("dist"), str) else None
    if shapes is None:
        return None
    params = {k: v for k, v in value.items() if k != "dist"}
    if not set(shapes) <= set(params) <= {*shapes, "loc", "scale"}:
        return None
    if not all(isinstance(v, int | float) and is_number(v) for v in params.values()):
        return None
    ranges = {**_PLAIN_LOC_SCALE, **shapes}
    if not all(ranges[k][0] < v < ranges[k][1] for k, v in params.items()):
        return None
    return {k: float(v) for k, v in params.items()}


def _distribution(value: Any, driver: str, path: str, problems: list[Problem]) -> DriverDistribution | None:
    """Parse ``{dist: name, **params}`` and prove scipy accepts it by building it."""
    plain = _plain_params(value) if isinstance(value, Mapping) and "dist" in value else None
    if plain is not None:
        return DriverDistribution(driver, value["dist"], plain)
    import scipy.stats  # scipy loads on first use, not with `import planning`

    if not isinstance(value, Mapping) or "dist" not in value:
        problems.append(Problem(SOURCE, None, path, f"{quoted(value)} is not a distribution; expected a "
                                "mapping like {dist: norm, loc: 0, scale: 0.1}"))
        return None
    name = value["dist"]
    candidate = getattr(scipy.stats, str(name), None) if isinstance(name, str) else None
    if not isinstance(candidate, scipy.stats.rv_continuous | scipy.stats.rv_discrete):
        names = [n for n in dir(scipy.stats)
                 if isinstance(getattr(scipy.stats, n), scipy.stats.rv_continuous | scipy.stats.rv_discrete)]
        close = difflib.get_close_matches(str(name), names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        problems.append(Problem(SOURCE, None, f"{path}.dist", f"unknown distribution {quoted(name)}{hint}; "
                                "expected a scipy.stats distribution name like norm, triang, uniform, "
                                "lognorm or beta"))
        return None
    params: dict[str, float] = {}
    for key, number in value.items():
        if key == "dist":
            continue
        if not is_number(number):
            problems.append(Problem(SOURCE, None, f"{path}.{key}", f"{quoted(number)} is not a number"
                                    f"{text_number_hint(number)}; expected a number for {name}'s parameter {key}"))
            return None
        params[str(key)] = float(number)
    accepted = ([s.strip() for s in candidate.shapes.split(",")] if candidate.shapes else [])
    accepted += ["loc"] + (["scale"] if isinstance(candidate, scipy.stats.rv_continuous) else [])
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        problems.append(Problem(SOURCE, None, f"{path}.{unknown[0]}", f"scipy.stats.{name} has no "
                                f"parameter {quoted(unknown[0])}; expected: {', '.join(accepted)}"))
        return None
    spec = DriverDistribution(driver, name, params)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")     # scipy warns on stderr for some shapes
            probe = np.asarray(spec.frozen().ppf([0.01, 0.5, 0.99]), dtype=float)
    except Exception as exc:  # noqa: BLE001 - scipy raises ZeroDivisionError, OverflowError, RuntimeError, ...
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        problems.append(Problem(SOURCE, None, path, f"scipy.stats.{name} rejects these parameters "
                                f"({reason}); expected: {', '.join(accepted)}"))
        return None
    if not np.isfinite(probe).all():
        shown = ", ".join(f"{k}={v:g}" for k, v in params.items()) or "no parameters"
        problems.append(Problem(SOURCE, None, path, f"scipy.stats.{name} rejects {shown}; expected "
                                "valid parameters (scale above 0, probabilities from 0 to 1, shapes "
                                "in their documented range)"))
        return None
    return spec


def _flatten_plan(value: Any, path: str, problems: list[Problem]) -> dict[str, Any]:
    """``{gates: {gop: 0.95}}`` or ``{gates.gop: 0.95}`` -> ``{"gates.gop": 0.95}``."""
    if not isinstance(value, Mapping):
        problems.append(Problem(SOURCE, None, path, f"{quoted(value)} is not a mapping; expected plan "
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


def _period_label(text: Any, dataset: Dataset | None) -> str:
    """A quarter's label in the dataset's fiscal calendar; ValueError if it is not a quarter.

    Without a dataset only the label is checked (whether ``2026Q5`` is a quarter does not
    depend on the fiscal year's first month).
    """
    return str(dataset.period(str(text)) if dataset is not None else parse_period(str(text)))


def _targets(value: Any, dataset: Dataset | None, path: str, problems: list[Problem]) -> dict[str, dict[str, float]]:
    if not isinstance(value, Mapping):
        problems.append(Problem(SOURCE, None, path, f"{quoted(value)} is not a mapping; expected targets "
                                "per quarter like {2027Q1: {revenue_target: 4440000, gop_target: 466000}}"))
        return {}
    out = {}
    for period, item in value.items():
        where = f"{path}.{period}"
        try:
            label = _period_label(period, dataset)
        except ValueError as exc:
            problems.append(Problem(SOURCE, None, where, str(exc)))
            continue
        if not isinstance(item, Mapping):
            problems.append(Problem(SOURCE, None, where, f"{quoted(item)} is not a mapping; expected "
                                    "{revenue_target: ..., gop_target: ...}"))
            continue
        targets = {}
        for key, amount in item.items():
            if key not in ("revenue_target", "gop_target"):
                problems.append(Problem(SOURCE, None, f"{where}.{key}", "unknown key; expected "
                                        "revenue_target or gop_target"))
            elif not is_number(amount) or amount <= 0:
                problems.append(Problem(SOURCE, None, f"{where}.{key}", f"{quoted(amount)} is not an amount "
                                        f"above 0{text_number_hint(amount)}; expected a target above 0"))
            else:
                targets[key] = round(float(amount), 2)
        out[label] = targets
    return out


def _parse_one(name: str, body: Any, dataset: Dataset | None, problems: list[Problem]) -> dict:
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
            label = _period_label(body["base_period"], dataset)
            if dataset is not None and label not in set(dataset.actuals["period"]):
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
                problems.append(unknown_driver(where, key))
                continue
            change = driver_change(value, DRIVERS[key], where, problems)
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
                problems.append(unknown_driver(where, key))
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
                problems.append(unknown_driver(f"{path}.correlation.{a}", a))
                continue
            if not isinstance(partners, Mapping):
                problems.append(Problem(SOURCE, None, f"{path}.correlation.{a}", "must be a mapping of "
                                        "driver to correlation, like {average_deal: -0.3}"))
                continue
            for b, rho in partners.items():
                where = f"{path}.correlation.{a}.{b}"
                if b not in DRIVERS:
                    problems.append(unknown_driver(where, b))
                elif b == a:
                    problems.append(Problem(SOURCE, None, where, "a driver's correlation with itself "
                                            "is always 1; expected another driver"))
                elif not is_number(rho) or not -1 <= rho <= 1:
                    problems.append(Problem(SOURCE, None, where, f"{quoted(rho)} is not a correlation"
                                            f"{text_number_hint(rho)}; expected a number from -1 to 1"))
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


def parse_scenarios(data: Any, dataset: Dataset | None, source: str = SOURCE) -> ScenarioSet:
    """Build the :class:`ScenarioSet` of a parsed ``scenarios.yaml``, or raise InputError.

    Every problem is reported with the file, the key path as ``column`` (e.g.
    ``scenarios.stretch.drivers.leads``) and what was expected. Scenarios other than
    ``base`` inherit from ``base`` unless they name another in ``inherits``; a child's
    drivers, distributions, correlations, plan overrides and targets replace its parent's
    key by key (``uncertainty: {leads: null}`` removes an inherited distribution).

    With ``dataset=None`` only the file's own problems are looked for: keys, drivers and their
    ranges, distributions (built with scipy), correlations, inheritance and the form of quarter
    labels. What needs the dataset (a base period's actuals, plan overrides against plan.yaml
    and the staff's roles) is left out, so :func:`~planning.inputs.load_dataset` can report
    those problems together with the other files' before it has a valid dataset.
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
                                    f"{quoted(parent)}; expected one of: {', '.join(names)}"))
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
                correlation_factor(scenario)
            except InputError as exc:
                problems.extend(exc.problems)
        if scenario.plan_overrides and dataset is not None and dataset.plan is not None:
            try:
                missing = roles_without_points(apply_plan(dataset.plan, scenario), dataset.staff)
            except InputError as exc:
                problems.extend(p for p in exc.problems if p not in problems)
            else:
                if missing is not None:
                    problems.append(replace(missing, file=source, column=f"scenarios.{n}.plan.distribution.points"))
    if problems:
        raise InputError(problems)
    return ScenarioSet(tuple(resolved[n] for n in names))
