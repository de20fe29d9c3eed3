"""Imported quarters merged into an existing ``actuals.csv`` (pure).

A quarter the file does not have is added; a quarter it has with the same figures is left as
it is; a quarter it has with other figures is replaced only when the caller says so
(``--replace``), and the change is listed department by department.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from planning.books.amounts import format_minor
from planning.books.mapping import COUNTED
from planning.errors import Problem
from planning.periods import parse_period

__all__ = ["QuarterChange", "Merged", "merge_actuals", "actuals_csv_text"]

Rows = dict[tuple[str, str], dict[str, int]]


@dataclass(frozen=True)
class QuarterChange:
    """What the import does to one quarter: ``added``, ``replaced`` or ``unchanged``."""

    period: str
    status: str
    details: tuple[str, ...] = ()


@dataclass
class Merged:
    order: list[tuple[str, str]] = field(default_factory=list)   # (period, department) in file order
    rows: Rows = field(default_factory=dict)
    changes: list[QuarterChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def merge_actuals(existing: list[tuple[str, str, dict[str, int]]], imported: Rows, departments: tuple[str, ...],
                  replace: bool, digits: int, file: str = "actuals.csv") -> Merged:
    """The rows of the new ``actuals.csv`` and what changed.

    Parameters
    ----------
    existing : list of (period, department, {line: minor units})
        The current file's rows in file order (empty when there is none).
    imported : dict
        ``(period, department) -> {line: minor units}`` from the books.
    departments : tuple of str
        ``departments.list``: the order of an imported quarter's rows.
    replace : bool
        Whether a quarter already in the file with other figures may be replaced.
    """
    money = lambda v: format_minor(v, digits, grouped=True)  # noqa: E731
    out = Merged()
    new_periods = sorted({p for p, _ in imported}, key=parse_period)
    old: dict[str, dict[str, dict[str, int]]] = {}
    for period, department, values in existing:
        old.setdefault(period, {})[department] = values
    for period in new_periods:
        if period not in old:
            out.changes.append(QuarterChange(period, "added"))
            continue
        new = {d: imported[(period, d)] for d in departments if (period, d) in imported}
        details = []
        for department in [*new, *(d for d in old[period] if d not in new)]:
            before = old[period].get(department)
            after = new.get(department)
            if before == after:
                continue
            if before is None:
                details.append(f"{department}: added (" + ", ".join(f"{k} {money(v)}" for k, v in after.items()) + ")")
            elif after is None:
                details.append(f"{department}: removed (not in the books)")
            else:
                details.append(f"{department}: " + ", ".join(
                    f"{k} {money(before[k])} -> {money(after[k])}" for k in COUNTED if before[k] != after[k]))
        if not details:
            out.changes.append(QuarterChange(period, "unchanged"))
        elif replace:
            out.changes.append(QuarterChange(period, "replaced", tuple(details)))
        else:
            out.problems.append(Problem(file, None, "period", f"already has {period}, and the books differ "
                                        f"({'; '.join(details)}); pass --replace to replace that quarter"))
    replaced = {c.period for c in out.changes if c.status in ("replaced", "added", "unchanged")}
    kept = [(p, d, v) for p, d, v in existing if p not in replaced]
    fresh = [(p, d, imported[(p, d)]) for p in new_periods for d in departments if (p, d) in imported]
    merged = sorted([*kept, *fresh], key=lambda r: parse_period(r[0]))   # stable: file / list order within
    for period, department, values in merged:
        out.order.append((period, department))
        out.rows[(period, department)] = values
    return out


def actuals_csv_text(merged: Merged, digits: int) -> str:
    """``actuals.csv`` as text: ``period,department,revenue,cogs,opex``, amounts like 1234.50."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["period", "department", *COUNTED])
    for period, department in merged.order:
        values = merged.rows[(period, department)]
        writer.writerow([period, department, *(format_minor(values[k], digits) for k in COUNTED)])
    return buffer.getvalue()
