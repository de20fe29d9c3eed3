"""The workbook's one doorway to :mod:`planning.scenarios` and :mod:`planning.montecarlo`.

The cockpit, the marketing what-if and the target-setting notebook ask three things of the
scenario engine: the scenario names of a dataset, a scenario's projected period result,
and a seeded Monte Carlo of a scenario under a plan and targets. Keeping those calls here
means the widgets never depend on the engine's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planning.dataset import Dataset
from planning.financials import PeriodResult
from planning.plan import Plan
from planning.ui.model import ACTUALS, CockpitSettings

__all__ = [
    "ScenariosUnavailable",
    "MonteCarloSummary",
    "scenario_names",
    "projected_result",
    "dataset_with_targets",
    "simulate_settings",
]


class ScenariosUnavailable(RuntimeError):
    """The dataset has no ``scenarios.yaml`` (or the scenario engine is not installed)."""


def scenario_names(dataset: Dataset) -> list[str]:
    """Names from the dataset's ``scenarios.yaml``, in file order (empty without one)."""
    scenarios = getattr(dataset, "scenarios", None)
    return [] if scenarios is None else [str(n) for n in scenarios.names]


def _engine():
    try:
        from planning import montecarlo, scenarios
    except ImportError as exc:  # pragma: no cover - only while the engine is being built
        raise ScenariosUnavailable(f"the scenario engine is not available ({exc})") from None
    return scenarios, montecarlo


def projected_result(dataset: Dataset, period: str, scenario: str, plan: Plan) -> PeriodResult:
    """The period result a named scenario projects (revenue, cogs, opex and targets)."""
    scenarios, _ = _engine()
    outcome = scenarios.run_scenario(dataset, period, scenario, plan)
    return outcome.period_result


def dataset_with_targets(dataset: Dataset, period: str, revenue_target: float,
                         gop_target: float) -> Dataset:
    """A copy of ``dataset`` whose ``period`` has these targets (the cockpit's, a proposal's)."""
    targets = dataset.targets.copy()
    mask = targets["period"] == str(period)
    if mask.any():
        targets.loc[mask, ["revenue_target", "gop_target"]] = [float(revenue_target), float(gop_target)]
    else:
        row = pd.DataFrame({"period": [str(period)], "revenue_target": [float(revenue_target)],
                            "gop_target": [float(gop_target)]})
        targets = pd.concat([targets, row], ignore_index=True)
    return replace(dataset, targets=targets)


@dataclass(frozen=True)
class MonteCarloSummary:
    """What the Monte Carlo panel shows (amounts in currency units)."""

    scenario: str
    draws: int
    seed: int
    p_gates_passed: float
    expected_pool: float
    pool_p10: float
    pool_p50: float
    pool_p90: float
    pools: np.ndarray


def simulate_settings(dataset: Dataset, settings: CockpitSettings, plan: Plan, draws: int,
                      seed: int) -> MonteCarloSummary:
    """Monte Carlo of the cockpit's scenario under its plan and targets.

    With "Actuals" chosen, the first scenario of ``scenarios.yaml`` supplies the
    uncertainty. Raises :class:`ScenariosUnavailable` without scenarios.
    """
    names = scenario_names(dataset)
    if not names:
        raise ScenariosUnavailable(
            "This dataset has no scenarios.yaml, so there is no uncertainty to simulate. "
            "Add one (see docs/scenarios.md) to see how likely the bonus is to pay.")
    _, montecarlo = _engine()
    scenario = names[0] if settings.scenario == ACTUALS else settings.scenario
    data = dataset_with_targets(dataset, settings.period, settings.revenue_target, settings.gop_target)
    sim = montecarlo.simulate(data, settings.period, scenario, draws=draws, seed=seed, plan=plan)
    return MonteCarloSummary(scenario, int(draws), int(seed), float(sim.p_gates_passed),
                             float(sim.expected_pool), float(sim.pool_p10), float(sim.pool_p50),
                             float(sim.pool_p90), np.asarray(sim.pools, dtype=float))
