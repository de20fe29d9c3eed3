"""Many projections at once: sweeps over drivers and plan settings, the pool heat map and
the sensitivity tornado, all through the same arithmetic as :func:`run_scenario`."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from planning.bonus import pool_arrays
from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.money import unit_digits
from planning.periods import Period
from planning.plan import Plan, with_overrides
from planning.scenarios.model import (
    OUTPUTS,
    ScenarioModel,
    build_model,
    check_rates,
    evaluate_changes,
    projected_result,
    works_backwards,
)
from planning.scenarios.spec import (
    DRIVERS,
    FUNNEL_DRIVERS,
    MAX_RELATIVE,
    Scenario,
    driver_change,
    is_number,
    require_drivers,
    roles_without_points,
    unknown_driver,
)


def _sweep_task(model: ScenarioModel, plan: Plan, grid: pd.DataFrame, drivers: list[str]) -> pd.DataFrame:
    changes = dict(model.drivers)
    changes.update({d: grid[d].to_numpy(dtype=float) for d in drivers})
    return evaluate_changes(model, plan, changes)


def _sweep_values(key: str, values: Any, file: str = "sweep") -> list:
    """The values of one key as a list: one or more of them, not a string or a mapping."""
    listed = (None if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable)
              else list(values))
    if not listed:
        what = "has no values" if listed == [] else f"{values!r} is not a list of values"
        raise InputError.single(file, f"{what}; expected one or more values for {key}, "
                                "like [0.0, 0.1, 0.2]", column=str(key))
    return listed


def _check_sweep_key(key: str, values: Sequence[Any]) -> None:
    """Driver values must be valid changes; other keys must be dotted plan keys."""
    if key in DRIVERS:
        problems: list[Problem] = []
        for v in values:
            driver_change(v, DRIVERS[key], key, problems)
        if problems:
            raise InputError([replace(problems[0], file="sweep")])
    elif "." not in key:
        problem = unknown_driver(key, key)
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
    values = {k: _sweep_values(k, grid[k]) for k in keys}
    for k in keys:
        _check_sweep_key(k, values[k])
    model = build_model(dataset, period, scenario, plan)
    driver_keys = [k for k in keys if k in DRIVERS]
    for k in driver_keys:       # what run_scenario refuses at a point, the sweep refuses too
        for v in dict.fromkeys(float(x) for x in values[k]):
            try:
                check_rates(model.baseline, Scenario(model.scenario.name, drivers={k: v}))
            except InputError as exc:
                raise InputError([replace(p, file="sweep", column=k) for p in exc.problems[:1]]) from None
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
        missing = roles_without_points(block_plan, model.staff)
        if missing is not None:
            raise InputError([replace(missing, file="sweep")])
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


def _attainments(name: str, values: Any, default: np.ndarray) -> np.ndarray:
    """A heat map axis: one or more attainments (numbers), or the default grid."""
    if values is None:
        return default
    listed = _sweep_values(name, values, "pool_heatmap")
    if not all(is_number(v) for v in listed):
        raise InputError.single("pool_heatmap", f"{listed!r} are not attainments; expected numbers like "
                                "[0.9, 1.0, 1.1]", column=name)
    return np.asarray(listed, dtype=float)


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
    ra = _attainments("revenue_attainment", revenue_attainment, np.linspace(0.85, 1.15, 31))
    ga = _attainments("gop_attainment", gop_attainment, np.linspace(0.7, 1.5, 41))
    rr, gg = np.meshgrid(ra, ga)
    k = 10 ** unit_digits(model.currency)
    revenue = np.round(rr * model.revenue_target * k) / k
    gop = np.round(gg * model.gop_target * k) / k
    pool = pool_arrays(model.plan, revenue, gop, model.revenue_target, model.gop_target, model.currency).pool
    table = pd.DataFrame(pool, index=pd.Index(ga, name="gop_attainment"),
                         columns=pd.Index(ra, name="revenue_attainment"))
    current = projected_result(model, model.drivers)
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
    if not is_number(change) or not 0 < change <= 1:
        raise InputError.single("--change", f"{change!r} is out of range; expected a fraction above 0 and at most 1")
    model = build_model(dataset, period, scenario, plan)
    names = ([drivers] if isinstance(drivers, str) else list(drivers)) if drivers is not None else list(DRIVERS)
    require_drivers(names, "--drivers")
    names = [n for n in names if (model.baseline.has_funnel or n not in FUNNEL_DRIVERS)
             and not works_backwards(model.baseline, n)]
    base_changes = model.drivers
    steps = {n: change * (model.baseline.value(n) if DRIVERS[n].kind == "points" else 1.0) for n in names}
    columns = {n: np.full(2 * len(names) + 1, base_changes[n]) for n in DRIVERS}
    for i, n in enumerate(names):
        # Each end stays in the driver's range (a rate within 0..1, a change within -100%..+1000%),
        # so low_change and high_change are the changes the output was computed at.
        low, high = ((-model.baseline.value(n), 1.0 - model.baseline.value(n)) if DRIVERS[n].kind == "points"
                     else (-1.0, MAX_RELATIVE))
        columns[n][2 * i] = max(low, base_changes[n] - steps[n])
        columns[n][2 * i + 1] = min(high, base_changes[n] + steps[n])
    values = evaluate_changes(model, model.plan, columns)[output].to_numpy(dtype=float)
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
