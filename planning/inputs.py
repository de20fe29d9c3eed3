"""The single loader of a company's inputs: its dataset, the plan in force and its scenarios.

Everything that reads a company's files comes through here: the CLI, the report runner and
the report content, the statements, the cockpit and the notebooks. The module sits above
:mod:`planning.dataset` (the tables, ``company.yaml`` and ``plan.yaml``), :mod:`planning.plan`
and :mod:`planning.scenarios` (``scenarios.yaml``), so none of them needs another's loader.

Two rules are written here once:

* a dataset's ``scenarios.yaml`` is checked with the rest of the dataset: its own problems
  are listed with the other files' problems in one :class:`~planning.errors.InputError`,
  and the checks that need the dataset (a base period's actuals, plan overrides) run once
  the other files are valid;
* the plan in force is the one from ``--plan`` if given, else the dataset's ``plan.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from planning.dataset import Dataset, read_dataset
from planning.errors import InputError
from planning.plan import Plan, load_plan
from planning.scenarios.parse import parse_scenarios

__all__ = ["SCENARIOS_FILE", "CompanyInputs", "load_dataset", "load_inputs", "plan_in_force"]

SCENARIOS_FILE = "scenarios.yaml"


def load_dataset(path: Path | str) -> Dataset:
    """Load and validate every file of a dataset, ``scenarios.yaml`` included.

    Raises
    ------
    InputError
        Listing every problem of every file.
    """
    dataset, problems, extra = read_dataset(path, extra_yaml=(SCENARIOS_FILE,))
    scenarios_data = extra.get(SCENARIOS_FILE)
    if dataset is None:
        if scenarios_data is not None:
            try:  # scenarios.yaml's own problems, found without a valid dataset
                parse_scenarios(scenarios_data, None, SCENARIOS_FILE)
            except InputError as exc:
                problems = [*problems, *exc.problems]
        raise InputError(problems)
    if scenarios_data is None:
        return dataset
    return replace(dataset, scenarios=parse_scenarios(scenarios_data, dataset, SCENARIOS_FILE))


def plan_in_force(dataset: Dataset, plan_path: Path | str | None = None) -> Plan:
    """The plan from ``plan_path`` (``--plan``) if given, else the dataset's ``plan.yaml``."""
    return load_plan(Path(plan_path)) if plan_path is not None else dataset.plan


@dataclass(frozen=True, eq=False)
class CompanyInputs:
    """A company's validated inputs: the dataset and the plan in force (``plan_path`` is the
    ``--plan`` file it came from, or None for the dataset's own)."""

    dataset: Dataset
    plan: Plan
    plan_path: Path | None = None


def load_inputs(data: Path | str, plan_path: Path | str | None = None) -> CompanyInputs:
    """Load a dataset (:func:`load_dataset`) and the plan in force (:func:`plan_in_force`)."""
    dataset = load_dataset(data)
    return CompanyInputs(dataset, plan_in_force(dataset, plan_path),
                         None if plan_path is None else Path(plan_path))
