"""What to render: validate the inputs first, then list one job per period and audience."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planning.errors import InputError, Problem
from planning.provenance import input_hashes
from planning.report_sections.base import AUDIENCES, DEFAULT_DRAWS, DEFAULT_SEED, audience_problems

__all__ = ["ReportError", "ReportJob", "plan_reports"]


class ReportError(RuntimeError):
    """A report could not be rendered (the template failed, the kernel would not start...).

    ``failures`` maps ``"<period>-<audience>"`` to a one-line reason.
    """

    def __init__(self, failures: Mapping[str, str]):
        self.failures = dict(failures)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.failures.items()))


@dataclass(frozen=True)
class ReportJob:
    """One report to render: a period, an audience and the template's parameters."""

    period: str
    audience: str
    parameters: dict = field(hash=False, compare=False)
    title: str = ""

    @property
    def key(self) -> str:
        return f"{self.period}-{self.audience}"


def plan_reports(data: Path | str, periods: Sequence[str] | None = None,
                 audiences: Sequence[str] = AUDIENCES, plan: Path | str | None = None,
                 seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS) -> list[ReportJob]:
    """Load and validate everything, then list the reports to render.

    ``periods=None`` means every period with actuals and targets. Raises InputError (and
    starts nothing) on bad data, a bad plan, an unknown period or audience, or a bad seed or
    number of draws.
    """
    from planning.bonus import bonus_for_period
    from planning.dataset import load_dataset
    from planning.plan import load_plan

    problems = audience_problems(audiences)
    if type(seed) is not int or not 0 <= seed < 2**63:
        problems.append(Problem("--seed", None, None, f"{seed!r} is not a whole number from 0 to 2**63-1"))
    if type(draws) is not int or not 1 <= draws <= 10_000_000:
        problems.append(Problem("--draws", None, None, f"{draws!r} is not a whole number from 1 to 10,000,000"))
    if problems:
        raise InputError(problems)
    data_path = Path(data).resolve()
    dataset = load_dataset(data_path)
    plan_path = Path(plan).resolve() if plan is not None else None
    the_plan = load_plan(plan_path) if plan_path is not None else dataset.plan
    if periods is None:
        chosen = [str(p) for p in dataset.reportable_periods]
        if not chosen:
            raise InputError([Problem("targets.csv", None, "period",
                                      "no period has both actuals and targets; nothing to report")])
    else:
        chosen = [str(dataset.require_period(p)) for p in periods]
    for p in chosen:
        bonus_for_period(dataset, p, the_plan)  # any plan error surfaces now, not in a kernel
    hashes = input_hashes(dataset.sources, plan_path)
    company = dataset.company.name
    jobs = []
    for p in chosen:
        for audience in audiences:
            params = {"data_path": str(data_path), "period": p, "audience": audience,
                      "plan_path": None if plan_path is None else str(plan_path), "seed": seed,
                      "draws": draws, "inputs_sha256": hashes}
            jobs.append(ReportJob(p, audience, params, f"{company}: {p} quarterly report ({audience})"))
    return jobs
