"""The books import's file edge: read the export or ledger, ``accounts.yaml``, ``company.yaml`` and
the current ``actuals.csv``; write the new ``actuals.csv`` atomically. Everything in between
is pure (:mod:`planning.books.gl_export`, :mod:`~planning.books.ledger`,
:mod:`~planning.books.quarters`, :mod:`~planning.books.merge`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from planning.books.gl_export import ExportRows, Posting, parse_export
from planning.books.ledger import ledger_postings
from planning.books.mapping import AccountsMap, parse_accounts
from planning.books.merge import Merged, actuals_csv_text, merge_actuals
from planning.books.presets import PRESETS, resolve_preset
from planning.books.quarters import BooksActuals, build_actuals
from planning.dataset import Company
from planning.errors import InputError, Problem, quoted

__all__ = ["SOURCES", "BooksImport", "StaffImport", "import_books", "import_staff", "load_accounts",
           "read_company", "read_rows"]

SOURCES = (*PRESETS, "beancount")


@dataclass
class BooksImport:
    """The outcome of :func:`import_books`: what was read, mapped, reconciled and written."""

    source: str
    file: Path
    actuals_path: Path
    company: Company
    digits: int
    books: BooksActuals
    merged: Merged
    totals_checked: int = 0
    written: bool = False
    excluded_postings: int = 0


def read_company(folder: Path) -> Company:
    """``company.yaml`` of ``folder`` (the name, currency and fiscal year the import needs)."""
    from planning.dataset import parse_company
    from planning.yaml_files import read_yaml

    path = folder / "company.yaml"
    if not path.exists():
        raise InputError.single("company.yaml", f"file not found in {folder}; the import needs the company's "
                                "currency and fiscal year (--into names the dataset folder)")
    return parse_company(read_yaml(path), "company.yaml")


def load_accounts(path: Path) -> AccountsMap:
    """Read and validate an ``accounts.yaml``."""
    from planning.yaml_files import read_yaml

    if not path.exists():
        raise InputError.single(path.name, f"file not found ({path}); expected the mapping of accounts "
                                "(see docs/data.md, 'Books in'), or name it with --accounts")
    return parse_accounts(read_yaml(path), path.name)


def read_rows(path: Path) -> list[ExportRows]:
    """Every sheet of an ``.xlsx`` export, or the rows of a CSV / tab-separated export, as text.

    A CSV is decoded as UTF-8 (with or without a byte-order mark); bytes that are not UTF-8
    become U+FFFD, which is refused only where a cell the import reads holds one.
    """
    if not path.exists():
        raise InputError.single(path.name, f"file not found ({path})")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _workbook_rows(path)
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError.single(path.name, f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    lines = text.splitlines()[:60]
    delimiter = max((",", ";", "\t"), key=lambda d: max((line.count(d) for line in lines), default=0))
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError.single(path.name, f"is not a readable CSV file ({exc})") from None
    return [ExportRows(path.name, rows, list(range(1, len(rows) + 1)))]


def _workbook_rows(path: Path) -> list[ExportRows]:
    import openpyxl

    from planning.table_reading import cell_text, workbook_problem

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError.single(path.name, workbook_problem(exc)) from None
    try:
        sheets = []
        for sheet in book.worksheets:
            rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            sheets.append(ExportRows(f"{path.name} [{sheet.title}]", rows, list(range(1, len(rows) + 1))))
    finally:
        book.close()
    return sheets


def _existing_actuals(path: Path, fiscal_year_start_month: int, digits: int):
    """The current ``actuals.csv`` as (period, department, {line: minor units}) rows, validated."""
    from planning.dataset import ACTUALS_COLUMNS
    from planning.money import cents_array
    from planning.table_reading import read_csv_table
    from planning.tables import check_columns, report_duplicates

    if not path.exists():
        return []
    raw = read_csv_table(path)
    problems: list[Problem] = []
    frame = check_columns(raw, ACTUALS_COLUMNS, problems, fiscal_year_start_month, unit=digits)
    report_duplicates(frame, ["period", "department"], raw.file, problems, "period and department")
    if problems:
        raise InputError([*problems, Problem(raw.file, None, None, "must be valid before the import adds to it; "
                                             "fix it or move it away")])
    rows = []
    for record in frame.itertuples(index=False):
        values = {line: int(cents_array([getattr(record, line)], digits)[0]) for line in ("revenue", "cogs", "opex")}
        rows.append((record.period, record.department, values))
    return rows


def _postings(source: str, path: Path, mapping: AccountsMap, company: Company, digits: int
              ) -> tuple[list[Posting], list[Problem], int]:
    if source == "beancount":
        try:
            from beancount import loader
        except ImportError:
            raise InputError.single("--from", "beancount needs Beancount, an optional dependency; install it with "
                                    "pip install -e '.[books]'") from None

        if not path.exists():
            raise InputError.single(path.name, f"file not found ({path})")
        entries, errors, _ = loader.load_file(str(path))
        postings, problems = ledger_postings(entries, errors, mapping.departments, path.name, digits)
        return postings, problems, 0
    preset = resolve_preset(source, mapping.source)
    if source == "generic" and not mapping.source.columns:
        raise InputError.single(mapping.file, "the generic preset needs the export's column names; expected "
                                "source.columns with date, account_code or account_name, and debit and "
                                "credit or amount", column="source.columns")
    column = mapping.departments.column or preset.department_column
    parsed = None
    for sheet in read_rows(path):
        parsed = parse_export(sheet, preset, column, company.currency, digits,
                              department_required=mapping.departments.column is not None)
        if parsed.header_row is not None:
            break
    return parsed.postings, parsed.problems, parsed.totals_checked


def import_books(source: str, file: Path | str, into: Path | str, accounts: Path | str | None = None,
                 replace: bool = False, write: bool = True) -> BooksImport:
    """Import a quarter's (or several quarters') actuals from the books into ``into/actuals.csv``.

    Parameters
    ----------
    source : str
        ``xero``, ``qbo``, ``myob``, ``generic`` (a general-ledger export) or ``beancount``.
    file : path
        The export (``.csv``, tab-separated text or ``.xlsx``) or the Beancount ledger.
    into : path
        The dataset folder: its ``company.yaml`` gives the currency and fiscal year, and its
        ``actuals.csv`` is written (created, or merged into).
    accounts : path, optional
        The mapping; default ``into/accounts.yaml``.
    replace : bool
        Replace quarters that ``actuals.csv`` already has with other figures.
    write : bool
        False to only check and report (nothing is written).

    Raises
    ------
    InputError
        With every problem of the mapping, the books and the current ``actuals.csv``; then
        nothing is written.
    """
    if source not in SOURCES:
        raise InputError.single("--from", f"{quoted(source)} is not a source; expected one of {', '.join(SOURCES)}")
    file, into = Path(file), Path(into)
    company = read_company(into)
    mapping = load_accounts(Path(accounts) if accounts else into / "accounts.yaml")
    digits = company.currency.digits                   # the currency's minor unit: 2, 0 for JPY, 3 for KWD
    postings, problems, totals_checked = _postings(source, file, mapping, company, digits)
    if not postings and not problems:
        problems.append(Problem(file.name, None, None, "has no postings; expected the general ledger's lines"))
    books = build_actuals(postings, mapping, company.fiscal_year_start_month, company.currency, digits)
    problems.extend(books.problems)
    if problems:
        raise InputError(problems)
    actuals_path = into / "actuals.csv"
    existing = _existing_actuals(actuals_path, company.fiscal_year_start_month, digits)
    merged = merge_actuals(existing, books.rows, mapping.departments.order, replace, digits, actuals_path.name)
    if merged.problems:
        raise InputError(merged.problems)
    unreconciled = [c.period for c in books.checks if not c.reconciled]
    if unreconciled:  # pragma: no cover - every posting is counted once by construction; kept as a guard
        raise InputError.single(file.name, f"does not reconcile for {', '.join(unreconciled)}")
    result = BooksImport(source, file, actuals_path, company, digits, books, merged, totals_checked)
    result.excluded_postings = sum(a.postings for a in books.accounts if a.line == "excluded")
    changed = any(c.status != "unchanged" for c in merged.changes)
    if write and changed:
        _write(actuals_path, actuals_csv_text(merged, digits))
        result.written = True
    return result


def _write(path: Path, text: str) -> None:
    """``text`` into ``path`` atomically; a path that cannot be written is bad input (``--into``)."""
    from planning.files import CannotWrite, write_atomic

    try:
        write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except CannotWrite as exc:
        raise InputError.single("--into", f"{exc.path} cannot be written ({exc.strerror}); expected a folder "
                                "you can write to") from None


@dataclass
class StaffImport:
    """The outcome of :func:`import_staff`."""

    file: Path
    staff_path: Path
    people: int
    changes: list[str]
    written: bool = False


def import_staff(file: Path | str, into: Path | str, mapping: Path | str | None = None, replace: bool = False,
                 write: bool = True) -> StaffImport:
    """Update ``into/staff.csv`` from a payroll system's employee export (``.csv`` or ``.xlsx``).

    Parameters
    ----------
    file : path
        The employee export.
    into : path
        The dataset folder (``company.yaml`` for the fiscal year; ``staff.csv`` is written).
    mapping : path, optional
        The column mapping; default ``into/payroll.yaml`` (see docs/books.md).
    replace : bool
        Update people already in ``staff.csv`` whose payroll record differs.
    write : bool
        False to only check and report.

    Raises
    ------
    InputError
        With every problem; then nothing is written.
    """
    from planning.books.payroll import merge_staff, parse_payroll, staff_csv_text, staff_from_export
    from planning.dataset import STAFF_COLUMNS, check_table
    from planning.table_reading import read_csv_table
    from planning.yaml_files import read_yaml

    file, into = Path(file), Path(into)
    company = read_company(into)
    path = Path(mapping) if mapping else into / "payroll.yaml"
    if not path.exists():
        raise InputError.single(path.name, f"file not found ({path}); expected the payroll column mapping "
                                "(see docs/books.md, 'Staff from payroll'), or name it with --mapping")
    payroll = parse_payroll(read_yaml(path), path.name)
    problems: list[Problem] = []
    records: list[dict[str, str]] = []
    for sheet in read_rows(file):
        records, found = staff_from_export(sheet, payroll, company.fiscal_year_start_month)
        problems = found
        if records or not found or "has no header row" not in str(found[0]):
            break
    if not records and not problems:
        problems.append(Problem(file.name, None, None, "has no employees; expected one row per person"))
    if problems:
        raise InputError(problems)
    staff_path = into / "staff.csv"
    existing, numbers = [], []
    if staff_path.exists():
        raw = read_csv_table(staff_path)
        checked: list[Problem] = []
        check_table("staff", raw, STAFF_COLUMNS, checked, company.fiscal_year_start_month)
        if checked:
            raise InputError([*checked, Problem(raw.file, None, None, "must be valid before the import updates it")])
        existing = [{k: str(v) for k, v in r.items()} for r in raw.frame.to_dict("records")]
        numbers = [int(n) for n in raw.rows]
    rows, changes, merge_problems = merge_staff(existing, records, replace, staff_path.name, numbers)
    if merge_problems:
        raise InputError(merge_problems)
    result = StaffImport(file, staff_path, len(records), changes)
    people_changed = any(not c.startswith("kept as they are") for c in changes)
    if write and people_changed:
        _write(staff_path, staff_csv_text(rows))
        result.written = True
    return result
