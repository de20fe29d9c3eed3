"""The reports' defaults and the one check of their arguments, read by the CLI, the runner,
the report content and the template.

``DEFAULT_SEED`` and ``DEFAULT_DRAWS`` are written here once: the CLI's help, the runner's
defaults and :func:`~planning.reporting.content.report.build_report` read them (the
template's parameters cell holds the same literals, checked by a test).
"""

from __future__ import annotations

from collections.abc import Iterable

from planning.errors import Problem

__all__ = ["AUDIENCES", "DEFAULT_SEED", "DEFAULT_DRAWS", "audience_problems",
           "report_seed_and_draws_problems", "report_parameters"]

AUDIENCES = ("owner", "staff")
DEFAULT_SEED = 20260101
DEFAULT_DRAWS = 2000


def audience_problems(audiences: Iterable[str]) -> list[Problem]:
    """One problem (against ``--audience``) for each audience that is not owner or staff."""
    return [Problem("--audience", None, None, f"{audience!r} is not an audience; expected owner or staff")
            for audience in audiences if audience not in AUDIENCES]


def report_seed_and_draws_problems(seed, draws) -> list[Problem]:
    """The report's ``--seed`` and ``--draws``: the Monte Carlo's own check
    (:func:`planning.montecarlo.seed_and_draws_problems`) with the report's tighter draws
    limit, :data:`~planning.montecarlo.MAX_REPORT_DRAWS`, and exact ``int`` only."""
    from planning.montecarlo import MAX_REPORT_DRAWS, seed_and_draws_problems  # not for --help

    return seed_and_draws_problems(seed, draws, max_draws=MAX_REPORT_DRAWS, exact=True)


def report_parameters(data_path, period, audience: str, plan_path, seed: int, draws: int,
                      inputs_sha256: dict | None) -> dict:
    """The template's parameters for one report, as the runner injects them and the report's
    provenance appendix lists them (one dict, written once)."""
    return {"data_path": str(data_path), "period": str(period), "audience": audience,
            "plan_path": None if plan_path is None else str(plan_path), "seed": seed, "draws": draws,
            "inputs_sha256": dict(inputs_sha256 or {})}
