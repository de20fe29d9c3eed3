"""Next quarter from a given quarter: the scenario the quarterly report's outlook simulates,
and ``planning simulate --base-period`` reproduces."""

from __future__ import annotations

from dataclasses import replace

from planning.dataset import Dataset
from planning.financials import period_result
from planning.periods import Period
from planning.scenarios.spec import Scenario, scenario_set

__all__ = ["projected_from"]


def projected_from(dataset: Dataset, base_period: str | Period, name: str = "base",
                   period: str | Period | None = None) -> tuple[Period, Scenario, bool]:
    """The scenario ``name`` projecting ``period`` (default: the quarter after
    ``base_period``) from ``base_period``'s actuals.

    Returns
    -------
    (Period, Scenario, bool)
        The projected quarter, the scenario with ``base_period`` fixed, and whether that
        quarter had no targets (in ``targets.csv`` or the scenario), in which case the
        scenario measures it against ``base_period``'s targets.

    Raises
    ------
    InputError
        ``--base-period`` is not a quarter with actuals and targets.
    """
    base = dataset.require_period(base_period)
    nxt = base.next() if period is None else dataset.period(period)
    scenario = replace(scenario_set(dataset).get(name), base_period=str(base))
    borrowed = str(nxt) not in set(dataset.targets["period"]) and str(nxt) not in scenario.targets
    if borrowed:
        result = period_result(dataset, base)
        scenario = replace(scenario, targets={**scenario.targets, str(nxt): {
            "revenue_target": result.revenue_target, "gop_target": result.gop_target}})
    return nxt, scenario, borrowed
