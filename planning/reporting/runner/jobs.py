"""What to render: validate the inputs first, then list one job per period and audience."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planning.errors import InputError, Problem
from planning.notebooks import YEAR_REPORT_TEMPLATE, notebook_path
from planning.provenance import input_hashes
from planning.reporting.defaults import (
    AUDIENCES,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    audience_problems,
    report_parameters,
    report_seed_and_draws_problems,
)

__all__ = ["ReportError", "ReportJob", "plan_reports", "jobs_covered"]


class ReportError(RuntimeError):
    """A report could not be rendered (the template failed, the kernel would not start...).

    ``failures`` maps ``"<period>-<audience>"`` to a one-line reason.
    """

    def __init__(self, failures: Mapping[str, str], unwritten: Sequence[str] = (),
                 published: Sequence[Path] = ()):
        self.failures = dict(failures)
        self.unwritten = set(unwritten)    # keys that failed because a file could not be written
        self.published = list(published)   # the pages of the same batch that were published
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.failures.items()))

    def report_lines(self, total: int, index: Path) -> list[str]:
        """One ``error:`` line per failure, then what was published and what failed.

        ``index`` is the output folder's index, or (a batch over many companies) the output
        folder itself, whose every company folder has its own index.
        """
        def is_index(key: str) -> bool:
            return key == "index" or key.endswith("/index")

        def what(key: str) -> str:
            if key == "index":
                return "the index"
            return f"the index of {key[:-len('/index')]}" if is_index(key) else f"report {key}"

        lines = [f"error: {what(key)}: {reason}" for key, reason in self.failures.items()]
        failed = [key for key in self.failures if not is_index(key)]
        no_index = [key for key in self.failures if is_index(key)]
        where = (f"the index lists what is there: {index}" if index.suffix == ".html"
                 else f"each company's index.html in {index} lists what is there")
        lines.append(f"published {len(self.published)} of {total} report{'s' if total != 1 else ''}"
                     + (f"; failed: {', '.join(failed)}" if failed else "")
                     + ("; the index could not be written" if no_index else f"; {where}"))
        return lines

    def print_report(self, total: int, index: Path, unwritten_status: int = 2) -> int:
        """Print the published pages (stdout) and :meth:`report_lines` (stderr); the exit status:
        ``unwritten_status`` when a file could not be written, else 1."""
        import sys

        for path in self.published:
            print(path)
        for line in self.report_lines(total, index):
            print(line, file=sys.stderr)
        return unwritten_status if self.unwritten else 1


@dataclass(frozen=True)
class ReportJob:
    """One report to render: a period, an audience and the template's parameters."""

    period: str
    audience: str
    parameters: dict = field(hash=False, compare=False)
    title: str = ""
    notebook: str | None = None   # a packaged template (planning.notebooks) instead of the batch's own
    folder: str = ""              # a batch over many companies: this company's folder inside OUT

    def template(self, default: Path) -> Path:
        """The template this job runs: its own packaged notebook, or the batch's ``default``."""
        return notebook_path(self.notebook) if self.notebook else default

    @property
    def key(self) -> str:
        """``2026Q4-owner``, or ``acme/2026Q4-owner`` in a batch over many companies."""
        return f"{self.folder + '/' if self.folder else ''}{self.period}-{self.audience}"


def plan_reports(data: Path | str, periods: Sequence[str] | None = None,
                 audiences: Sequence[str] = AUDIENCES, plan: Path | str | None = None,
                 seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS,
                 years: Sequence[str] | None = (), folder: str = "") -> list[ReportJob]:
    """Load and validate everything, then list the reports to render.

    ``periods=None`` means every period with actuals and targets (``periods=()``: none).
    ``years`` lists fiscal years (``FY2026`` or ``2026``) for year-end reports
    (``year_report.ipynb``, one per year and audience, after the quarters); ``None`` means
    every fiscal year whose first quarter has actuals, but only for a plan with a ``year:``
    section (``report --all``), so a plan without one renders exactly the quarters as
    before. ``folder`` names the company's folder inside the output folder (a batch over many
    companies, :mod:`planning.reporting.companies`). Raises InputError (and starts nothing) on bad data, a bad plan, an unknown
    period, year or audience, or a bad seed or number of draws.
    """
    from planning.bonus import bonus_for_period
    from planning.inputs import load_inputs

    problems = audience_problems(audiences) + report_seed_and_draws_problems(seed, draws)
    if problems:
        raise InputError(problems)
    data_path = Path(data).resolve()
    plan_path = Path(plan).resolve() if plan is not None else None
    inputs = load_inputs(data_path, plan_path)
    dataset, the_plan = inputs.dataset, inputs.plan
    if periods is None:
        chosen = [str(p) for p in dataset.reportable_periods]
        if not chosen and years is None:
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
            params = report_parameters(data_path, p, audience, plan_path, seed, draws, hashes)
            jobs.append(ReportJob(p, audience, params,
                                  f"{company}: {dataset.period(p).long_label} quarterly report ({audience})",
                                  folder=folder))
    for fy in _fiscal_years(dataset, the_plan, years):
        for audience in audiences:
            params = {"data_path": str(data_path), "fiscal_year": fy, "audience": audience,
                      "plan_path": None if plan_path is None else str(plan_path), "inputs_sha256": hashes}
            jobs.append(ReportJob(fy, audience, params, f"{company}: {fy} year-end report ({audience})",
                                  notebook=YEAR_REPORT_TEMPLATE, folder=folder))
    return jobs


def _fiscal_years(dataset, plan, years: Sequence[str] | None) -> list[str]:
    """The fiscal years to report on, each settled once now so a bad one fails before any kernel."""
    from planning.year import year_for_dataset

    if years is None:
        if plan.year is None:
            return []
        starts = {p.year for p in dataset.periods if p.quarter == 1}
        years = [str(fy) for fy in sorted(starts)]
    chosen = []
    for fy in years:
        result = year_for_dataset(dataset, fy, plan)
        if str(result.fiscal_year) not in chosen:
            chosen.append(str(result.fiscal_year))
    return chosen


def jobs_covered(jobs: Sequence[ReportJob]) -> str:
    """What the jobs cover, in words: ``8 quarters and 2 fiscal years``, ``1 quarter``."""
    quarters = len({job.period for job in jobs if job.notebook is None})
    years = len({job.period for job in jobs if job.notebook is not None})
    parts = [f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in ((quarters, "quarter"), (years, "fiscal year"))
             if n or (noun == "quarter" and not years)]
    return " and ".join(parts)
