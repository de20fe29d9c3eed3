"""The workbook's one doorway to :mod:`planning.scenarios` and :mod:`planning.montecarlo`.

The cockpit shows a scenario the way it shows actuals: the scenario engine projects the
quarter (:func:`planning.scenarios.build_model` + :func:`~planning.scenarios.project_arrays`),
then the cockpit's own plan and targets judge it, so moving a control after picking a
scenario works exactly as it does on actuals. The Monte Carlo runs the same model with the
cockpit's plan and targets put in (:func:`planning.montecarlo.simulate_model`).
"""

from __future__ import annotations

from dataclasses import replace

from planning.dataset import Dataset
from planning.financials import PeriodResult
from planning.montecarlo import simulate_model
from planning.montecarlo_result import MonteCarloResult
from planning.plan import Plan
from planning.scenarios import ScenarioModel, build_model, project_arrays
from planning.ui.model import ACTUALS, CockpitSettings

__all__ = [
    "ScenariosUnavailable",
    "scenario_names",
    "scenario_model",
    "projected_result",
    "simulate_settings",
]


class ScenariosUnavailable(RuntimeError):
    """The dataset has no ``scenarios.yaml``, so there is no uncertainty to simulate."""


def scenario_names(dataset: Dataset) -> list[str]:
    """Names from the dataset's ``scenarios.yaml`` in file order (``base`` first); [] without one."""
    return [] if dataset.scenarios is None else [str(n) for n in dataset.scenarios.names]


def scenario_model(dataset: Dataset, period: str, scenario: str, plan: Plan) -> ScenarioModel:
    """The scenario engine's model of ``period``; "Actuals" uses the ``base`` scenario."""
    return build_model(dataset, period, "base" if scenario == ACTUALS else scenario, plan)


def projected_result(model: ScenarioModel, revenue_target: float, gop_target: float) -> PeriodResult:
    """The quarter the model projects, judged against the given targets.

    Notes
    -----
    revenue, cogs and opex are :func:`planning.scenarios.project_arrays` of the model's
    baseline and driver changes (whole cents); only the targets are the caller's.
    """
    figures = project_arrays(model.baseline, model.drivers)
    return PeriodResult(period=str(model.period), revenue=float(figures["revenue"]),
                        cogs=float(figures["cogs"]), opex=float(figures["opex"]),
                        revenue_target=float(revenue_target), gop_target=float(gop_target),
                        currency=model.currency)


def simulate_settings(dataset: Dataset, settings: CockpitSettings, plan: Plan, draws: int,
                      seed: int) -> MonteCarloResult:
    """Monte Carlo of the cockpit's scenario under the cockpit's plan and targets.

    With "Actuals" chosen, the ``base`` scenario's uncertainty is drawn around the quarter.

    Raises
    ------
    ScenariosUnavailable
        Without a ``scenarios.yaml`` (nothing is uncertain, so there is nothing to draw).
    """
    if dataset.scenarios is None:
        raise ScenariosUnavailable(
            "This dataset has no scenarios.yaml, so there is no uncertainty to simulate. "
            "Add one (see docs/scenarios.md) to see how likely the bonus is to pay.")
    model = scenario_model(dataset, settings.period, settings.scenario, plan)
    model = replace(model, plan=plan, revenue_target=float(settings.revenue_target),
                    gop_target=float(settings.gop_target))
    return simulate_model(model, draws=int(draws), seed=int(seed))
