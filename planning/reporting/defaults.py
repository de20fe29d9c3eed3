"""The reports' defaults and the one check of their arguments, read by the CLI, the runner,
the report content and the template.

``DEFAULT_SEED`` and ``DEFAULT_DRAWS`` are written here once: the CLI's help, the runner's
defaults and :func:`~planning.reporting.content.report.build_report` read them (the
template's parameters cell holds the same literals, checked by a test).
"""

from __future__ import annotations

from collections.abc import Iterable

from planning.errors import Problem

__all__ = ["AUDIENCES", "DEFAULT_SEED", "DEFAULT_DRAWS", "MAX_SEED", "MAX_DRAWS", "audience_problems",
           "seed_and_draws_problems", "report_parameters"]

AUDIENCES = ("owner", "staff")
DEFAULT_SEED = 20260101
DEFAULT_DRAWS = 2000
MAX_SEED = 2**63 - 1
MAX_DRAWS = 10_000_000


def audience_problems(audiences: Iterable[str]) -> list[Problem]:
    """One problem (against ``--audience``) for each audience that is not owner or staff."""
    return [Problem("--audience", None, None, f"{audience!r} is not an audience; expected owner or staff")
            for audience in audiences if audience not in AUDIENCES]


def seed_and_draws_problems(seed, draws) -> list[Problem]:
    """The report's ``--seed`` and ``--draws``: whole numbers in range (exact ``int`` only)."""
    problems = []
    if type(seed) is not int or not 0 <= seed <= MAX_SEED:
        problems.append(Problem("--seed", None, None, f"{seed!r} is not a whole number from 0 to 2**63-1"))
    if type(draws) is not int or not 1 <= draws <= MAX_DRAWS:
        problems.append(Problem("--draws", None, None, f"{draws!r} is not a whole number from 1 to 10,000,000"))
    return problems


def report_parameters(data_path, period, audience: str, plan_path, seed: int, draws: int,
                      inputs_sha256: dict | None) -> dict:
    """The template's parameters for one report, as the runner injects them and the report's
    provenance appendix lists them (one dict, written once)."""
    return {"data_path": str(data_path), "period": str(period), "audience": audience,
            "plan_path": None if plan_path is None else str(plan_path), "seed": seed, "draws": draws,
            "inputs_sha256": dict(inputs_sha256 or {})}
