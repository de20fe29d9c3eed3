"""planning: shared revenue and GOP targets and a company-wide success bonus.

The public API. The CLI, the notebooks, the reports and the tests all call these.

Every name loads on first use (PEP 562), so ``import planning`` costs nothing and a command
pays only for the modules it uses: ``planning validate`` never imports the Monte Carlo, the
year engine or the report runner (papermill, nbconvert, Jinja).
"""

from planning.lazy import lazy_names
from planning.version import DISTRIBUTION, VERSION

__version__ = VERSION

# public name -> the module that defines it
_PUBLIC = {
    "bonus_for_period": "planning.bonus",
    "compute_bonus": "planning.bonus",
    "pool_arrays": "planning.bonus",
    "staff_in_period": "planning.bonus",
    "BonusResult": "planning.bonus_result",
    "GateCheck": "planning.bonus_result",
    "Limit": "planning.bonus_result",
    "Company": "planning.dataset",
    "Dataset": "planning.dataset",
    "InputError": "planning.errors",
    "Problem": "planning.errors",
    "PeriodResult": "planning.financials",
    "department_pnl": "planning.financials",
    "period_result": "planning.financials",
    "pnl_table": "planning.financials",
    "campaign_metrics": "planning.funnel",
    "funnel_by_period": "planning.funnel",
    "CompanyInputs": "planning.inputs",
    "load_dataset": "planning.inputs",
    "load_inputs": "planning.inputs",
    "format_money": "planning.money",
    "largest_remainder": "planning.money",
    "round_cents": "planning.money",
    "simulate": "planning.montecarlo",
    "gate_for_probability": "planning.montecarlo_goals",
    "rate_for_expected_cost": "planning.montecarlo_goals",
    "MonteCarloResult": "planning.montecarlo_result",
    "FiscalYear": "planning.periods",
    "Period": "planning.periods",
    "parse_period": "planning.periods",
    "Plan": "planning.plan",
    "YearPlan": "planning.plan",
    "load_plan": "planning.plan",
    "parse_plan": "planning.plan",
    "plan_to_dict": "planning.plan",
    "with_overrides": "planning.plan",
    "compare_proposals": "planning.proposals",
    "load_proposals": "planning.proposals",
    "owner_targets": "planning.proposals",
    "proposal_odds": "planning.proposals",
    "DRIVERS": "planning.scenarios",
    "GoalSeekResult": "planning.scenarios",
    "Scenario": "planning.scenarios",
    "ScenarioResult": "planning.scenarios",
    "ScenarioSet": "planning.scenarios",
    "compare_scenarios": "planning.scenarios",
    "default_scenarios": "planning.scenarios",
    "driver_table": "planning.scenarios",
    "leads_needed": "planning.scenarios",
    "lift_needed": "planning.scenarios",
    "parse_scenarios": "planning.scenarios",
    "pool_heatmap": "planning.scenarios",
    "revenue_needed": "planning.scenarios",
    "run_scenario": "planning.scenarios",
    "scenario_set": "planning.scenarios",
    "sensitivity": "planning.scenarios",
    "sweep": "planning.scenarios",
    "SharingRule": "planning.sharing",
    "explain_payout": "planning.words",
    "explain_pool": "planning.words",
    "sharing_rule_text": "planning.words",
    "QuarterSettlement": "planning.year",
    "YearEnd": "planning.year",
    "YearResult": "planning.year",
    "settle_year": "planning.year",
    "year_for_dataset": "planning.year",
    "QuarterlyReport": "planning.reporting.content.report",
    "build_report": "planning.reporting.content.report",
    "ReportError": "planning.reporting.runner.jobs",
    "plan_reports": "planning.reporting.runner.jobs",
    "render_report": "planning.reporting.runner.batch",
    "render_reports": "planning.reporting.runner.batch",
    "write_statements": "planning.reporting.statements",
}

__all__ = ["DISTRIBUTION", "__version__", *_PUBLIC]


__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
