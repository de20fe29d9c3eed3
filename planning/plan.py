"""The success-bonus plan (``plan.yaml``) as one typed, validated, frozen object.

See ``docs/plan.md`` for every key. Defaults chosen where ``domain.md`` is silent:
``self_funding`` defaults to true (the pool never exceeds GOP above target), ``floor`` to 0,
``distribution.method`` to ``salary``, ``require_employed_at_period_end`` to true and
``min_days_in_period`` to 0. Unknown keys are refused: a typo such as ``self_fundig`` would
otherwise silently change what people are paid.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from planning.errors import InputError, quoted
from planning.methods import POOL_METHODS, REQUIRED_KEY_EXPECT, SHARING_METHODS
from planning.plan_year import (
    SETTLE_METHODS,
    Gates,
    YearPlan,
    parse_blend,
    parse_gates,
    parse_year,
    year_to_dict,
)
from planning.yaml_files import PlanReader, read_yaml

__all__ = [
    "Gates",
    "Pool",
    "Distribution",
    "YearPlan",
    "SETTLE_METHODS",
    "Plan",
    "parse_plan",
    "load_plan",
    "plan_to_dict",
    "with_overrides",
]

METRICS = ("revenue", "gop")
_MAX_GATE = 2.0


@dataclass(frozen=True)
class Pool:
    method: str = "excess_gop_share"
    rate: float | None = None
    target_pool: float | None = None
    metric: dict[str, float] = field(default_factory=lambda: {"gop": 1.0})
    curve: tuple[tuple[float, float], ...] = ()
    floor: float = 0.0
    cap: float | None = None
    self_funding: bool = True


@dataclass(frozen=True)
class Distribution:
    method: str = "salary"
    points: dict[str, float] = field(default_factory=dict)
    department_weights: dict[str, float] = field(default_factory=dict)
    require_employed_at_period_end: bool = True
    min_days_in_period: int = 0
    individual_cap: float | None = None
    blend: dict[str, float] = field(default_factory=dict)   # method "blended": {method: fraction}

    @property
    def methods(self) -> dict[str, float]:
        """Each sharing method with its fraction of the pool: ``{"salary": 1.0}`` unless blended."""
        return dict(self.blend) if self.method == "blended" else {self.method: 1.0}

    def points_for(self, role: str) -> float | None:
        """The role's points, else ``default``, else None (a plan error for that role)."""
        return self.points.get(role, self.points.get("default"))


@dataclass(frozen=True)
class Plan:
    gates: Gates = Gates()
    pool: Pool = Pool()
    distribution: Distribution = Distribution()
    source: str = "plan.yaml"
    year: YearPlan | None = None   # the bonus year (``year:``, domain section 6); None: quarters alone

    def to_yaml(self, header: str = "", path: Path | str | None = None) -> str:
        """The plan as ``plan.yaml`` text (``header``: comment lines first), checked to
        load back to this plan before anyone writes it (to ``path``) (:func:`plan_to_dict`)."""
        path = Path(path if path is not None else self.source)
        text = header + yaml.safe_dump(plan_to_dict(self), sort_keys=False, allow_unicode=True)
        if plan_to_dict(parse_plan(yaml.safe_load(text), source=path.name)) != plan_to_dict(self):
            raise RuntimeError(f"the design does not load back to the plan shown; {path} was not written")
        return text

    def dump(self, path: Path | str, header: str = "", overwrite: bool = False) -> Path:
        """Write the plan as a ``plan.yaml`` and check that it loads back the same.

        Without ``overwrite`` an existing file is never touched (FileExistsError); with it,
        the file is replaced atomically. Text that would not load back is never written.
        """
        from planning.files import write_atomic, write_new

        path = Path(path)
        text = self.to_yaml(header, path)
        if overwrite:
            write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        else:
            write_new(path, text)
        if plan_to_dict(load_plan(path)) != plan_to_dict(self):  # pragma: no cover - a bug if so
            raise RuntimeError(f"{path} does not load back to the plan shown")
        return path


# --- parsing ------------------------------------------------------------------------------


def parse_plan(data: Any, source: str = "plan.yaml") -> Plan:
    """Build a :class:`Plan` from a parsed YAML mapping, or raise InputError with every problem."""
    r = PlanReader(source)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InputError.single(source, "must be a mapping with keys gates, pool, distribution")
    top = r.section(data, "", ("gates", "pool", "distribution", "year"))

    gates = parse_gates(r, top, "gates")

    p = r.section(top, "pool", ("method", "rate", "target_pool", "metric", "curve", "floor", "cap",
                                "self_funding"))
    method = p.get("method", "excess_gop_share")
    if not isinstance(method, str) or method not in POOL_METHODS:
        r.problem("pool.method", f"unknown method {quoted(method)}; expected one of: {', '.join(POOL_METHODS)}")
    rate = r.number(p, "rate", "pool.rate", low=0, high=1, expect="a share from 0 to 1, like 0.30",
                    percent_hint=True)
    target_pool = r.number(p, "target_pool", "pool.target_pool", low=0, low_open=True,
                           expect="an amount above 0")
    metric = _parse_metric(r, p.get("metric", "gop"))
    curve = _parse_curve(r, p.get("curve"))
    for key in POOL_METHODS[method].required if isinstance(method, str) and method in POOL_METHODS else ():
        if key not in p:  # a key written but invalid has its own problem above
            r.problem(f"pool.{key}", f"is required for method {method}; expected {REQUIRED_KEY_EXPECT[key]}")
    floor = r.number(p, "floor", "pool.floor", low=0, default=0.0, expect="an amount of 0 or more")
    cap = r.number(p, "cap", "pool.cap", low=0, expect="an amount of 0 or more, or null for no cap")
    if floor is not None and cap is not None and floor > cap:
        r.problem("pool.floor", f"{floor:g} is above pool.cap {cap:g}; expected floor <= cap")
    pool = Pool(method=method, rate=rate, target_pool=target_pool, metric=metric, curve=curve,
                floor=floor or 0.0, cap=cap,
                self_funding=r.boolean(p, "self_funding", "pool.self_funding", True))

    d = r.section(top, "distribution", ("method", "points", "department_weights",
                                         "require_employed_at_period_end", "min_days_in_period",
                                         "individual_cap"))
    dmethod = d.get("method", "salary")
    blend: dict[str, float] = {}
    if isinstance(dmethod, Mapping):   # a blend, like {salary: 0.6, equal: 0.4}
        blend, dmethod = parse_blend(r, dmethod, SHARING_METHODS), "blended"
        for key in sorted({k for m in blend for k in SHARING_METHODS[m].required}):
            if not d.get(key):
                r.problem(f"distribution.{key}", f"is required for method {', '.join(blend)}; expected "
                          f"{REQUIRED_KEY_EXPECT[key]}")
    elif not isinstance(dmethod, str) or dmethod not in SHARING_METHODS:
        r.problem("distribution.method",
                  f"unknown method {quoted(dmethod)}; expected one of: {', '.join(SHARING_METHODS)}")
    points = r.weights(d, "points", "distribution.points", "role")
    parsed = {"points": points}
    for key in SHARING_METHODS[dmethod].required if isinstance(dmethod, str) and dmethod in SHARING_METHODS else ():
        if not parsed[key]:
            r.problem(f"distribution.{key}", f"is required for method {dmethod}; expected {REQUIRED_KEY_EXPECT[key]}")
    min_days = r.number(d, "min_days_in_period", "distribution.min_days_in_period", low=0,
                        default=0, expect="a whole number of days, 0 or more")
    if min_days is not None and min_days != int(min_days):
        r.problem("distribution.min_days_in_period", f"{min_days:g} is not a whole number of days")
    distribution = Distribution(
        method=dmethod,
        points=points,
        department_weights=r.weights(d, "department_weights", "distribution.department_weights",
                                     "department"),
        require_employed_at_period_end=r.boolean(
            d, "require_employed_at_period_end", "distribution.require_employed_at_period_end", True),
        min_days_in_period=int(min_days or 0),
        individual_cap=r.number(d, "individual_cap", "distribution.individual_cap", low=0, high=1,
                                expect="a fraction from 0 to 1 of the person's salary for the period, like 0.25",
                                percent_hint=True),
        blend=blend,
    )
    year = parse_year(r, top, method) if "year" in top else None
    if r.problems:
        raise InputError(r.problems)
    return Plan(gates=gates, pool=pool, distribution=distribution, source=source, year=year)


def _parse_metric(r: PlanReader, value: Any) -> dict[str, float]:
    if isinstance(value, str):
        if value not in METRICS:
            r.problem("pool.metric", f"unknown metric {quoted(value)}; expected revenue, gop or a blend like {{revenue: 0.5, gop: 0.5}}")
            return {"gop": 1.0}
        return {value: 1.0}
    if isinstance(value, Mapping):
        weights = {}
        for name in value:
            if name not in METRICS:
                r.problem(f"pool.metric.{name}", "unknown metric; expected revenue or gop")
                continue
            number = r.number(value, name, f"pool.metric.{name}", low=0, expect="a weight of 0 or more")
            if number is not None:
                weights[str(name)] = number
        if not value:
            r.problem("pool.metric", "is an empty blend; expected revenue, gop or a blend like {revenue: 0.5, gop: 0.5}")
        if weights and sum(weights.values()) <= 0:
            r.problem("pool.metric", "the blend's weights add up to 0; expected a positive total")
        return weights or {"gop": 1.0}
    r.problem("pool.metric", f"{quoted(value)} is not a metric; expected revenue, gop or a blend like {{revenue: 0.5, gop: 0.5}}")
    return {"gop": 1.0}


def _parse_curve(r: PlanReader, value: Any) -> tuple[tuple[float, float], ...]:
    if value is None:
        return ()
    expect = "a list of [attainment, multiple] points like [[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]"
    if not isinstance(value, list) or not value:
        r.problem("pool.curve", f"{quoted(value)} is not {expect}")
        return ()
    points = []
    for i, point in enumerate(value):
        ok = (isinstance(point, list | tuple) and len(point) == 2
              and all(isinstance(v, int | float) and not isinstance(v, bool) and abs(v) < 1e300 for v in point))
        if not ok:
            r.problem(f"pool.curve[{i}]", f"{quoted(point)} is not an [attainment, multiple] pair of numbers")
            return ()
        a, m = float(point[0]), float(point[1])
        if a < 0 or m < 0:
            r.problem(f"pool.curve[{i}]", f"{quoted(point)} has a negative number; expected attainment and multiple of 0 or more")
            return ()
        points.append((a, m))
    for i in range(1, len(points)):
        if points[i][0] <= points[i - 1][0]:
            r.problem(f"pool.curve[{i}]", f"attainment {points[i][0]:g} is not above the previous point's "
                      f"{points[i - 1][0]:g}; expected the curve's attainments to increase")
            return ()
    return tuple(points)


def load_plan(path: Path | str) -> Plan:
    """Read and validate a ``plan.yaml``."""
    path = Path(path)
    return parse_plan(read_yaml(path), source=path.name)


# --- writing and overriding ----------------------------------------------------------------


def plan_to_dict(plan: Plan) -> dict:
    """The plan as plain YAML-ready data; ``parse_plan(plan_to_dict(p)) == p``."""
    pool: dict[str, Any] = {"method": plan.pool.method}
    if plan.pool.rate is not None:
        pool["rate"] = plan.pool.rate
    if plan.pool.target_pool is not None:
        pool["target_pool"] = plan.pool.target_pool
    metric = plan.pool.metric
    pool["metric"] = next(iter(metric)) if len(metric) == 1 and next(iter(metric.values())) == 1.0 else dict(metric)
    if plan.pool.curve:
        pool["curve"] = [list(p) for p in plan.pool.curve]
    pool.update(floor=plan.pool.floor, cap=plan.pool.cap, self_funding=plan.pool.self_funding)
    gates = {k: v for k, v in (("revenue", plan.gates.revenue), ("gop", plan.gates.gop)) if v is not None}
    d = plan.distribution
    return {
        "gates": gates,
        "pool": pool,
        "distribution": {
            "method": dict(d.blend) if d.method == "blended" else d.method,
            "points": dict(d.points),
            "department_weights": dict(d.department_weights),
            "require_employed_at_period_end": d.require_employed_at_period_end,
            "min_days_in_period": d.min_days_in_period,
            "individual_cap": d.individual_cap,
        },
        **({} if plan.year is None else {"year": year_to_dict(plan.year)}),
    }


def with_overrides(plan: Plan, overrides: Mapping[str, Any] | None, source: str | None = None) -> Plan:
    """A copy of ``plan`` with dotted keys replaced, validated like the file.

    >>> p = with_overrides(Plan(pool=Pool(rate=0.3)), {"gates.gop": 0.95, "pool.rate": 0.2})
    >>> p.gates.gop, p.pool.rate
    (0.95, 0.2)
    """
    if not overrides:
        return plan
    data = copy.deepcopy(plan_to_dict(plan))
    for dotted, value in overrides.items():
        node = data
        *parents, leaf = str(dotted).split(".")
        for key in parents:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise InputError.single(source or plan.source, f"cannot override {quoted(dotted)}", column=str(dotted))
        node[leaf] = value
    return replace(parse_plan(data, source=source or plan.source))
