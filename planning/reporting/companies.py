"""A report batch over many companies: ``report --data DIR1 DIR2 ...`` or a folder of companies.

Each company is a dataset (a folder with ``company.yaml``, or an ``.xlsx`` workbook); a
folder without ``company.yaml`` is a folder of companies, every sub-folder with a
``company.yaml`` and every workbook in it one company. Every company is validated before
anything renders (all problems at once, each naming its company's folder), and its reports
go to ``OUT/<company-folder-name>/`` with their own ``index.html``. All the companies' jobs
run on one pool of warm workers (:func:`planning.reporting.runner.batch.render_reports`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planning.errors import InputError, Problem

__all__ = ["company_datasets", "plan_company_reports"]


def _is_dataset(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx" and path.is_file() or (path / "company.yaml").is_file()


def company_datasets(paths: Sequence[Path | str]) -> list[tuple[str, Path]]:
    """(folder name, dataset path) of every company ``paths`` name, in the order given.

    Raises InputError (one problem a line, naming ``--data``) for a path that is neither a
    dataset nor a folder holding any, and for two companies with the same folder name (their
    reports would land in one folder).
    """
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    for given in map(Path, paths):
        if _is_dataset(given):
            found.append((given.stem if given.suffix.lower() == ".xlsx" else given.resolve().name, given))
        elif given.is_dir():
            inside = sorted(p for p in given.iterdir() if not p.name.startswith(".") and _is_dataset(p))
            if not inside:
                problems.append(Problem("--data", None, None, f"{given} holds no company.yaml and no company "
                                        "folders; expected a dataset folder, a workbook, or a folder of them"))
            found += [(p.stem if p.suffix.lower() == ".xlsx" else p.name, p) for p in inside]
        else:
            problems.append(Problem("--data", None, None, f"{given} does not exist; expected a dataset folder, "
                                    "a workbook, or a folder of them"))
    seen: dict[str, Path] = {}
    for name, path in found:
        if name in seen:
            problems.append(Problem("--data", None, None, f"{seen[name]} and {path} are both called {name!r}: "
                                    "their reports would go to one folder; rename one"))
        seen.setdefault(name, path)
    if problems:
        raise InputError(problems)
    return found


def plan_company_reports(companies: Sequence[tuple[str, Path]], periods, audiences, plan, seed, draws, years):
    """Every company's jobs (:func:`~planning.reporting.runner.jobs.plan_reports`, each with its
    folder), after validating them all; a company's problems name its folder (``acme/staff.csv``)."""
    from planning.reporting.runner.jobs import plan_reports

    jobs, problems = [], []
    for name, path in companies:
        try:
            jobs += plan_reports(path, periods, audiences, plan, seed, draws, years=years, folder=name)
        except InputError as exc:
            problems += [Problem(f"{name}/{p.file}" if p.file else name, p.row, p.column, p.message)
                         for p in exc.problems]
    if problems:
        raise InputError(problems)
    return jobs


def many_companies(paths: Sequence[Path | str]) -> list[tuple[str, Path]] | None:
    """The companies of a batch over many, or None for one dataset (``report`` as before:
    ``OUT/`` itself, and the loader's own words for a dataset with problems)."""
    if len(paths) == 1:
        only = Path(paths[0])
        if _is_dataset(only) or not only.is_dir() or not any(
                _is_dataset(p) for p in only.iterdir() if not p.name.startswith(".")):
            return None
    return company_datasets(paths)
