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

from planning.lazy import lazy_names

# public name -> the module that defines it; each loads on first use, so the scenarios.yaml
# loader (.parse) does not bring the model, the sweeps or scipy with it
_PUBLIC = {
    "pool_heatmap": "planning.scenarios.analysis",
    "sensitivity": "planning.scenarios.analysis",
    "sweep": "planning.scenarios.analysis",
    "Baseline": "planning.scenarios.baseline",
    "calibrate": "planning.scenarios.baseline",
    "compare_scenarios": "planning.scenarios.compare",
    "driver_table": "planning.scenarios.compare",
    "GoalSeekResult": "planning.scenarios.goalseek",
    "leads_needed": "planning.scenarios.goalseek",
    "lift_needed": "planning.scenarios.goalseek",
    "revenue_needed": "planning.scenarios.goalseek",
    "OUTPUTS": "planning.scenarios.model",
    "ScenarioModel": "planning.scenarios.model",
    "ScenarioResult": "planning.scenarios.model",
    "build_model": "planning.scenarios.model",
    "project_arrays": "planning.scenarios.model",
    "run_scenario": "planning.scenarios.model",
    "projected_from": "planning.scenarios.outlook",
    "parse_scenarios": "planning.scenarios.parse",
    "DRIVERS": "planning.scenarios.spec",
    "Driver": "planning.scenarios.spec",
    "DriverDistribution": "planning.scenarios.spec",
    "Scenario": "planning.scenarios.spec",
    "ScenarioSet": "planning.scenarios.spec",
    "default_scenarios": "planning.scenarios.spec",
    "scenario_set": "planning.scenarios.spec",
}

__all__ = list(_PUBLIC)

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
