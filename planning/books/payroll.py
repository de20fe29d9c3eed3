"""Staff from payroll: an employee export's columns -> ``staff.csv`` rows (pure).

``payroll.yaml`` names, for each column of ``staff.csv``, the export's column (or columns,
joined with a space, for a first and last name). Values are cleaned the way the books import
cleans them (``$85,000.00`` -> ``85000``, dates in the export's format -> ISO, ``Yes`` ->
``true``), then checked by the staff loader's own rules (:func:`planning.dataset.load_dataset`'s
checks of ``staff.csv``), so a payroll file is refused exactly where a typed ``staff.csv``
would be. People are matched to ``staff.csv`` by ``employee_id``: joiners are added; a change
to someone already there (a pay rise, a leaving date) needs ``--replace``; people the export
does not list are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from planning.books.amounts import parse_date, parse_money
from planning.books.gl_export import ExportRows
from planning.errors import InputError, Problem, quoted

__all__ = ["STAFF_FIELDS", "PayrollMap", "parse_payroll", "staff_from_export", "merge_staff", "staff_csv_text"]

STAFF_FIELDS = ("employee_id", "name", "department", "role", "annual_salary", "fte", "start_date", "end_date",
                "bonus_eligible")
REQUIRED = ("employee_id", "name", "department", "role", "annual_salary", "start_date")
_YES = {"true", "yes", "y", "1"}
_NO = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class PayrollMap:
    """The parsed ``payroll.yaml``."""

    columns: dict[str, tuple[str, ...]]
    date_format: str = "%d/%m/%Y"
    hours_per_week: str | None = None
    full_time_hours: Decimal | None = None
    bonus_eligible: bool | None = None
    departments: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    file: str = "payroll.yaml"


def parse_payroll(data: Any, file: str = "payroll.yaml") -> PayrollMap:
    """Validate ``payroll.yaml``'s data; one problem per mistake (key path, what was expected)."""
    from planning.books.mapping import date_format_ok

    problems: list[Problem] = []

    def bad(key, message):
        problems.append(Problem(file, None, key, message))

    if not isinstance(data, dict):
        raise InputError.single(file, "must be a mapping with the key columns (see docs/books.md, 'Staff from payroll')")
    for key in data:
        if key not in ("columns", "date_format", "hours_per_week", "full_time_hours", "bonus_eligible",
                       "departments", "roles"):
            bad(str(key), "is not a key of payroll.yaml; expected columns, date_format, hours_per_week, "
                "full_time_hours, bonus_eligible, departments or roles")
    given = data.get("columns")
    columns: dict[str, tuple[str, ...]] = {}
    if not isinstance(given, dict):
        bad("columns", "is missing or not a mapping; expected staff.csv's columns with the export's column names, "
            "like {employee_id: Employee ID, name: [First Name, Last Name]}")
        given = {}
    for name, header in given.items():
        headers = header if isinstance(header, list) else [header]
        if name not in STAFF_FIELDS:
            bad(f"columns.{name}", f"is not a column of staff.csv; expected one of {', '.join(STAFF_FIELDS)}")
        elif not headers or not all(isinstance(h, str) and h.strip() for h in headers):
            bad(f"columns.{name}", f"{quoted(header)} is not a column name; expected the export's header text")
        else:
            columns[name] = tuple(h.strip() for h in headers)
    for name in REQUIRED:
        if given and name not in given:
            bad(f"columns.{name}", "is missing; expected the export's column for it")
    hours = data.get("hours_per_week")
    full_time = data.get("full_time_hours")
    if "fte" not in given and hours is None and given:
        bad("columns.fte", "is missing, and so is hours_per_week; expected one of them")
    if hours is not None and (not isinstance(hours, str) or not hours.strip()):
        bad("hours_per_week", f"{quoted(hours)} is not a column name; expected the export's weekly hours column")
    if hours is not None and (isinstance(full_time, bool) or not isinstance(full_time, int | float) or full_time <= 0):
        bad("full_time_hours", f"{quoted(full_time)} is not a number of hours; expected full-time hours a week, like 38")
    fmt = data.get("date_format", "%d/%m/%Y")
    if not date_format_ok(fmt):
        bad("date_format", f"{quoted(fmt)} is not a date format; expected a strptime format like '%d/%m/%Y'")
    eligible = data.get("bonus_eligible")
    if eligible is not None and not isinstance(eligible, bool):
        bad("bonus_eligible", f"{quoted(eligible)} is not true or false; expected the default for people the export "
            "does not say")
    if "bonus_eligible" not in given and eligible is None and given:
        bad("bonus_eligible", "is missing; expected columns.bonus_eligible or a default bonus_eligible: true/false")
    maps = {}
    for key in ("departments", "roles"):
        value = data.get(key) or {}
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            bad(key, f"expected a mapping from the export's {key[:-1]} to yours, like {{Ops: Fulfilment}}")
            value = {}
        maps[key] = {str(k).strip().casefold(): v.strip() for k, v in value.items()}
    if problems:
        raise InputError(problems)
    return PayrollMap(columns, fmt, hours.strip() if hours else None,
                      Decimal(str(full_time)) if hours is not None else None, eligible,
                      maps["departments"], maps["roles"], file)


def staff_from_export(export: ExportRows, mapping: PayrollMap, fiscal_year_start_month: int
                      ) -> tuple[list[dict[str, str]], list[Problem]]:
    """The export's people as ``staff.csv`` rows (text), checked by the staff loader's rules."""
    from planning.dataset import STAFF_COLUMNS, check_table
    from planning.table_reading import RawTable

    needed = {h.casefold() for hs in mapping.columns.values() for h in hs} | (
        {mapping.hours_per_week.casefold()} if mapping.hours_per_week else set())
    header_at = next((i for i, row in enumerate(export.rows)
                      if needed <= {c.strip().casefold() for c in row}), None)
    if header_at is None:
        wanted = ", ".join(sorted({h for hs in mapping.columns.values() for h in hs}))
        return [], [Problem(export.file, None, None, f"has no header row with the columns payroll.yaml names; "
                            f"expected a row with {wanted}")]
    header = [c.strip().casefold() for c in export.rows[header_at]]
    problems: list[Problem] = []
    records, numbers = [], []
    for row, number in zip(export.rows[header_at + 1:], export.numbers[header_at + 1:], strict=True):
        if not any(c.strip() for c in row):
            continue
        def cell(h: str, row: list[str] = row) -> str:
            at = header.index(h.casefold())
            return row[at].strip() if at < len(row) else ""

        record = {}
        for name in STAFF_FIELDS:
            headers = mapping.columns.get(name)
            text = " ".join(t for t in (cell(h) for h in headers) if t) if headers else ""
            record[name] = _clean(name, text, mapping, cell, export.file, number, problems)
        records.append(record)
        numbers.append(number)
    frame = pd.DataFrame(records, columns=list(STAFF_FIELDS), dtype=object)
    checked: list[Problem] = []
    check_table("staff", RawTable(export.file, frame, np.asarray(numbers, dtype=int), export.numbers[header_at]),
                 STAFF_COLUMNS, checked, fiscal_year_start_month)
    for p in checked:   # name the export's own column beside staff.csv's
        source = mapping.columns.get(p.column or "")
        if p.column == "fte" and not source and mapping.hours_per_week:
            source = (f"{mapping.hours_per_week} / {mapping.full_time_hours:f} h",)
        column = f"{p.column} ({' + '.join(source)})" if source else p.column
        problems.append(Problem(p.file, p.row, column, p.message))
    return records, problems


def _clean(name, text, mapping, cell, file, number, problems) -> str:
    """One value in staff.csv's own format; a value that cannot be read is left for the checks."""
    try:
        if name == "annual_salary" and text:
            return _plain(parse_money(text))
        if name in ("start_date", "end_date") and text:
            return parse_date(text, mapping.date_format).isoformat()
        if name == "fte" and not text and mapping.hours_per_week:
            hours = parse_money(cell(mapping.hours_per_week))
            return "" if hours is None else _plain(round(hours / mapping.full_time_hours, 4))
        if name == "bonus_eligible":
            if not text:
                return "" if mapping.bonus_eligible is None else str(mapping.bonus_eligible).lower()
            return "true" if text.casefold() in _YES else "false" if text.casefold() in _NO else text
        if name == "department":
            return mapping.departments.get(text.casefold(), text)
        if name == "role":
            return mapping.roles.get(text.casefold(), text)
    except ValueError as exc:
        problems.append(Problem(file, number, f"{name} ({' + '.join(mapping.columns.get(name, ()))})", str(exc)))
        return ""
    return text


def _plain(value: Decimal) -> str:
    """``Decimal('85000.00') -> '85000'``, ``Decimal('0.60') -> '0.6'``."""
    return format(value.normalize(), "f")


def _key(record: dict[str, str]) -> dict[str, Any]:
    """A row's values for comparing (numbers as Decimal, so 85000 equals 85000.00)."""
    out = {}
    for name in STAFF_FIELDS:
        text = record.get(name, "").strip()
        if name in ("annual_salary", "fte") and text:
            try:
                out[name] = Decimal(text)
                continue
            except ArithmeticError:
                pass
        out[name] = text.casefold() if name == "bonus_eligible" else text
    return out


def merge_staff(existing: list[dict[str, str]], imported: list[dict[str, str]], replace: bool,
                file: str = "staff.csv", numbers: list[int] | None = None
                ) -> tuple[list[dict[str, str]], list[str], list[Problem]]:
    """(the new staff.csv rows, the changes in words, problems) when ``imported`` is merged in.

    ``numbers`` are the spreadsheet rows of ``existing`` (for problems; default 2, 3, ...).
    """
    numbers = numbers or list(range(2, len(existing) + 2))
    by_id = {r["employee_id"]: i for i, r in enumerate(existing)}
    rows = [dict(r) for r in existing]
    changes: list[str] = []
    problems: list[Problem] = []
    for record in imported:
        at = by_id.get(record["employee_id"])
        if at is None:
            rows.append(record)
            changes.append(f"{record['employee_id']} {record['name']}: joins ({record['department']}, "
                           f"{record['role']}, from {record['start_date']})")
            continue
        before, after = _key(existing[at]), _key(record)
        diff = [f"{k} {existing[at].get(k, '') or '(empty)'} -> {record[k] or '(empty)'}"
                for k in STAFF_FIELDS if before[k] != after[k]]
        if not diff:
            continue
        if replace:
            rows[at] = record
            changes.append(f"{record['employee_id']} {record['name']}: " + "; ".join(diff))
        else:
            problems.append(Problem(file, numbers[at], "employee_id", f"{record['employee_id']} is already there and the "
                                    f"payroll differs ({'; '.join(diff)}); pass --replace to update them"))
    listed = {r["employee_id"] for r in imported}
    kept = [r["employee_id"] for r in existing if r["employee_id"] not in listed]
    if kept:
        changes.append(f"kept as they are (not in the export): {', '.join(kept)}")
    return rows, changes, problems


def staff_csv_text(rows: list[dict[str, str]]) -> str:
    """``staff.csv`` as text, in its columns' order."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STAFF_FIELDS)
    for row in rows:
        writer.writerow([row.get(name, "") for name in STAFF_FIELDS])
    return buffer.getvalue()
