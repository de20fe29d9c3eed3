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

The package, in the order each part builds on the last:

* :mod:`.spec`: the driver table, :class:`DriverDistribution`, :class:`Scenario`,
  :class:`ScenarioSet` and the checks a driver change must pass;
* :mod:`.parse`: :func:`parse_scenarios`, the ``scenarios.yaml`` loader;
* :mod:`.model`: :class:`Baseline` (:func:`calibrate`), :func:`project_arrays`,
  :func:`build_model`, :func:`run_scenario`, :func:`driver_table`, :func:`compare_scenarios`;
* :mod:`.analysis`: :func:`sweep`, :func:`pool_heatmap`, :func:`sensitivity`;
* :mod:`.goalseek`: :func:`lift_needed`, :func:`leads_needed`, :func:`revenue_needed`;
* :mod:`.outlook`: :func:`projected_from`, next quarter from a given quarter's actuals.
"""

# Names outside __all__ (marked noqa) are imported from here by tests and benchmarks, or were
# public in the single module this package replaced.
from planning.scenarios.analysis import pool_heatmap, sensitivity, sweep
from planning.scenarios.baseline import Baseline, calibrate
from planning.scenarios.compare import compare_scenarios, driver_table
from planning.scenarios.goalseek import GoalSeekResult, leads_needed, lift_needed, revenue_needed
from planning.scenarios.model import (
    OUTPUTS,
    ScenarioModel,
    ScenarioResult,
    build_model,
    project_arrays,
    run_model,  # noqa: F401  (the per-draw reference loop of the Monte Carlo tests and benchmark)
    run_scenario,
)
from planning.scenarios.outlook import projected_from
from planning.scenarios.parse import parse_scenarios
from planning.scenarios.spec import (
    DRIVERS,
    FUNNEL_DRIVERS,  # noqa: F401
    SOURCE,  # noqa: F401
    Driver,
    DriverDistribution,
    Scenario,
    ScenarioSet,
    default_scenarios,
    scenario_set,
)

__all__ = [
    "projected_from",
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
