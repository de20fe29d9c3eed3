"""Scenarios as tables: one scenario's driver tree beside its base quarter, and scenarios
side by side."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.errors import InputError
from planning.periods import Period
from planning.plan import Plan
from planning.scenarios.model import build_model, project_arrays, run_model
from planning.scenarios.spec import (
    Scenario,
    scenario_set,
)

__all__ = ["driver_table", "compare_scenarios"]


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
    names = ([names] if isinstance(names, str | Scenario) else list(names)) if names is not None \
        else scenario_set(dataset).names
    if not names:
        raise InputError.single("scenario name", "no scenarios to compare; expected one or more names, "
                                f"like {', '.join(scenario_set(dataset).names)}")
    rows = []
    for name in names:
        model = build_model(dataset, period, name, plan)
        rows.append({"scenario": name, **_summary_row(run_model(model)),
                     "base_period": model.baseline.period})
    return pd.DataFrame(rows).set_index("scenario")
