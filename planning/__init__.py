"""planning: shared revenue and GOP targets and a company-wide success bonus.

The public API. The CLI, the notebooks, the reports and the tests all call these.
"""

from planning.bonus import bonus_for_period, compute_bonus, pool_arrays, staff_in_period
from planning.bonus_result import BonusResult, GateCheck, Limit
from planning.dataset import Company, Dataset
from planning.errors import InputError, Problem
from planning.financials import PeriodResult, department_pnl, period_result, pnl_table
from planning.funnel import campaign_metrics, funnel_by_period
from planning.inputs import CompanyInputs, load_dataset, load_inputs
from planning.money import format_money, largest_remainder, round_cents
from planning.montecarlo import (
    simulate,
)
from planning.montecarlo_goals import gate_for_probability, rate_for_expected_cost
from planning.montecarlo_result import MonteCarloResult
from planning.periods import FiscalYear, Period, parse_period
from planning.plan import Plan, YearPlan, load_plan, parse_plan, plan_to_dict, with_overrides
from planning.proposals import compare_proposals, load_proposals, owner_targets, proposal_odds
from planning.scenarios import (
    DRIVERS,
    GoalSeekResult,
    Scenario,
    ScenarioResult,
    ScenarioSet,
    compare_scenarios,
    default_scenarios,
    driver_table,
    leads_needed,
    lift_needed,
    parse_scenarios,
    pool_heatmap,
    revenue_needed,
    run_scenario,
    scenario_set,
    sensitivity,
    sweep,
)
from planning.sharing import SharingRule
from planning.version import DISTRIBUTION, VERSION
from planning.words import explain_payout, explain_pool, sharing_rule_text
from planning.year import QuarterSettlement, YearEnd, YearResult, settle_year, year_for_dataset

__version__ = VERSION

__all__ = [
    "DISTRIBUTION",
    "__version__",
    "FiscalYear",
    "YearPlan",
    "QuarterSettlement",
    "YearEnd",
    "YearResult",
    "settle_year",
    "year_for_dataset",
    "compare_proposals",
    "load_proposals",
    "owner_targets",
    "proposal_odds",
    "DRIVERS",
    "GoalSeekResult",
    "MonteCarloResult",
    "Scenario",
    "ScenarioResult",
    "ScenarioSet",
    "compare_scenarios",
    "default_scenarios",
    "driver_table",
    "gate_for_probability",
    "leads_needed",
    "lift_needed",
    "parse_scenarios",
    "pool_heatmap",
    "rate_for_expected_cost",
    "revenue_needed",
    "run_scenario",
    "scenario_set",
    "sensitivity",
    "simulate",
    "sweep",
    "BonusResult",
    "Company",
    "Dataset",
    "GateCheck",
    "InputError",
    "Limit",
    "Period",
    "PeriodResult",
    "Plan",
    "Problem",
    "SharingRule",
    "bonus_for_period",
    "campaign_metrics",
    "compute_bonus",
    "department_pnl",
    "explain_payout",
    "explain_pool",
    "format_money",
    "funnel_by_period",
    "largest_remainder",
    "load_dataset",
    "load_inputs",
    "CompanyInputs",
    "load_plan",
    "parse_period",
    "parse_plan",
    "period_result",
    "plan_to_dict",
    "pnl_table",
    "pool_arrays",
    "round_cents",
    "sharing_rule_text",
    "staff_in_period",
    "with_overrides",
]

# Reports and statements need papermill, nbconvert and Jinja, which `import planning` should
# not pay for (the model, the kernel and the CLI's other commands never use them): their entry
# points load on first use (PEP 562).
_LAZY = {
    "QuarterlyReport": "planning.reporting.content.report",
    "build_report": "planning.reporting.content.report",
    "ReportError": "planning.reporting.runner.jobs",
    "plan_reports": "planning.reporting.runner.jobs",
    "render_report": "planning.reporting.runner.batch",
    "render_reports": "planning.reporting.runner.batch",
    "write_statements": "planning.reporting.statements",
}
__all__ += list(_LAZY)


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planning' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
