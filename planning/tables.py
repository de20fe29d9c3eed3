"""Reading and validating the dataset's tables (CSV files or workbook sheets).

Every cell is read as text and checked column by column; every problem found becomes a
:class:`~planning.errors.Problem` naming the file, the spreadsheet row and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from planning.errors import InputError, Problem
from planning.money import Unit, round_cents_array
from planning.periods import parse_period

__all__ = ["Column", "RawTable", "read_csv_table", "read_workbook_tables", "check_columns", "MAX_AMOUNT"]

_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Amounts and counts must be below this (ten trillion): float64 holds whole cents exactly only
#: up to 2**53 cents (about 90 trillion), and totals add rows up.
MAX_AMOUNT = 10**13
# Bytes that are not UTF-8 (decoded as U+FFFD) and control characters that no spreadsheet
# cell can hold (openpyxl refuses them when the bonus workbook is written).
_NOT_UTF8 = "\ufffd"
_BAD_TEXT_RE = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


@dataclass(frozen=True)
class RawTable:
    """A table as text: ``frame`` has one str column per header cell, ``rows`` the sheet rows.

    ``header_row`` is the spreadsheet row of the header (the first row that is not blank);
    ``repeated`` maps a column name that the header has more than once to the spreadsheet
    letters of its columns (only the first is read).
    """

    file: str
    frame: pd.DataFrame
    rows: np.ndarray  # spreadsheet row number of each data row (header is row 1)
    header_row: int = 1
    repeated: dict[str, list[str]] = field(default_factory=dict)


def _normalise_header(names: Sequence[object]) -> list[str]:
    return [str(n).strip().lower() if n is not None else "" for n in names]


def column_letter(index: int) -> str:
    """Spreadsheet letters of the 0-based column ``index``: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _from_lines(file: str, lines: list[list[str]]) -> RawTable:
    """A table from every row of a sheet (row 1 first); the header is the first non-blank row."""
    filled = [i for i, record in enumerate(lines) if any(cell.strip() for cell in record)]
    if not filled:
        return _from_records(file, [], [], [], 1)
    first = filled[0]
    body = filled[1:]
    return _from_records(file, lines[first], [lines[i] for i in body], [i + 1 for i in body], first + 1)


def _from_records(file: str, header: Sequence[object], records: list[list[str]], rows: list[int],
                  header_row: int = 1) -> RawTable:
    columns = _normalise_header(header)
    width = len(columns)
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(columns):
        if name:
            seen.setdefault(name, []).append(i)
    repeated = {name: [column_letter(i) for i in where] for name, where in seen.items() if len(where) > 1}
    keep = [where[0] for where in seen.values()]
    padded = [[(r + [""] * width)[i] for i in keep] for r in records]
    names = [columns[i] for i in keep]
    frame = pd.DataFrame(padded, columns=names, dtype=object) if padded else pd.DataFrame(columns=names, dtype=object)
    frame = frame.apply(lambda s: s.astype(str).str.strip()) if len(frame) else frame
    return RawTable(file, frame.reset_index(drop=True), np.asarray(rows, dtype=int), header_row, repeated)


def read_csv_table(path: Path) -> RawTable:
    """Read a CSV file as text. Blank lines are skipped but keep their row numbers.

    Bytes that are not UTF-8 become U+FFFD, which :func:`check_columns` reports with the
    cell; a file that cannot be read at all raises InputError.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.single(path.name, f"cannot be read ({exc.strerror or exc.__class__.__name__}); "
                                "expected a CSV file") from None
    text = data.decode("utf-8-sig", errors="replace")
    first_line = next((line for line in text.splitlines() if line.strip()), "")   # the header's line
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError.single(path.name, f"is not a readable CSV file ({exc})") from None
    return _from_lines(path.name, lines)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook_tables(path: Path) -> dict[str, RawTable]:
    """Read every sheet of an ``.xlsx`` workbook as text tables keyed by lower-case sheet name."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    tables = {}
    try:
        for sheet in workbook.worksheets:
            all_rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            name = sheet.title.strip().lower()
            tables[name] = _from_lines(f"{path.name} [{sheet.title}]", all_rows)
    finally:
        workbook.close()
    return tables


# --- column checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """How one column is parsed and what it must satisfy.

    ``kind`` is one of ``text``, ``amount`` (number rounded to cents), ``number``, ``count``
    (non-negative integer), ``date``, ``optional_date``, ``bool``, ``period``.
    ``check`` is an optional vectorised predicate on the parsed values with the message for
    values that fail it.
    """

    name: str
    kind: str
    check: tuple[Callable[[pd.Series], pd.Series], str] | None = None


def _parse_number(text: pd.Series) -> pd.Series:
    ok = text.str.match(_NUMBER_RE)
    return pd.to_numeric(text.where(ok), errors="coerce")


def _parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Returns (dates as datetime64, message per bad cell or '')."""
    parts = text.str.extract(_DATE_RE)
    has_shape = parts[0].notna()
    parsed = pd.to_datetime(
        parts[0] + "-" + parts[1] + "-" + parts[2], format="%Y-%m-%d", errors="coerce"
    )
    messages = pd.Series("", index=text.index, dtype=object)
    messages[~has_shape] = "is not a date; expected an ISO date like 2024-02-29 (YYYY-MM-DD)"
    messages[has_shape & parsed.isna()] = "is not a real calendar date; expected an ISO date like 2024-02-29"
    return parsed, messages


def check_columns(table: RawTable, columns: Sequence[Column], problems: list[Problem],
                  fiscal_year_start_month: int = 1, *, unit: Unit = 2) -> pd.DataFrame:
    """Parse ``table`` into typed columns, appending a Problem per bad cell.

    Amounts are rounded half up to whole minor units of ``unit`` (the company's currency,
    its code, or decimals: cents by default).

    Returns the typed frame (bad cells are NaN/NaT) with a ``_row`` column of spreadsheet rows.
    Missing and repeated columns are reported once each (at the header row); the cells of a
    missing column are not checked, a repeated column is read from its first occurrence.
    Cells with bytes that are not UTF-8 or with control characters are reported and then
    treated as unreadable; amounts and counts must be finite and below :data:`MAX_AMOUNT`.
    """
    frame = table.frame
    out = pd.DataFrame({"_row": table.rows})
    present = set(frame.columns)
    missing = [c.name for c in columns if c.name not in present]
    expected = ", ".join(c.name for c in columns)
    for name in missing:
        problems.append(Problem(table.file, table.header_row, name,
                                f"missing column; the header must have: {expected}"))
    for col in columns:
        if col.name in table.repeated:
            letters = table.repeated[col.name]
            problems.append(Problem(table.file, table.header_row, col.name,
                                    f"appears {len(letters)} times in the header (columns {', '.join(letters)}); "
                                    "expected each column once"))

    def report(mask: pd.Series, column: str, message: str, values: pd.Series | None = None):
        for idx in np.flatnonzero(mask.to_numpy()):
            shown = "" if values is None else f"{values.iloc[idx]!r} "
            problems.append(Problem(table.file, int(table.rows[idx]), column, shown + message))

    for col in columns:
        if col.name not in present:
            out[col.name] = pd.Series([np.nan] * len(frame), dtype=object)
            continue
        text = frame[col.name].astype(str)
        unreadable = text.str.contains(_BAD_TEXT_RE)
        for idx in np.flatnonzero(unreadable.to_numpy()):
            cell = text.iloc[idx]
            what = ("has bytes that are not UTF-8 text; expected a UTF-8 file (in Excel: Save As \"CSV UTF-8\")"
                    if _NOT_UTF8 in cell else "contains a control character; expected plain text")
            problems.append(Problem(table.file, int(table.rows[idx]), col.name, f"{cell!r} {what}"))
        text = text.where(~unreadable, "")
        empty = (text == "") & ~unreadable
        if col.kind != "optional_date":
            report(empty, col.name, f"is empty; expected {_EXPECT[col.kind]}")
        filled = (text != "")
        if col.kind == "text":
            value = text
        elif col.kind in ("amount", "number", "count"):
            value = _parse_number(text)
            bad = filled & value.isna()
            report(bad, col.name, f"is not a number; expected {_EXPECT[col.kind]}", text)
            if col.kind == "number":
                infinite = value.notna() & ~np.isfinite(value.astype(float))
                report(infinite, col.name, f"is not a finite number; expected {_EXPECT[col.kind]}", text)
            else:
                infinite = value.notna() & ~(value.abs() < MAX_AMOUNT)
                what = "an amount" if col.kind == "amount" else "a whole number"
                report(infinite, col.name, f"is too large; expected {what} below {MAX_AMOUNT:,}", text)
            value = value.where(~infinite)
            if col.kind == "count":
                not_int = filled & value.notna() & ((value % 1 != 0) | (value < 0))
                report(not_int, col.name, f"is not a whole number of 0 or more; expected {_EXPECT['count']}", text)
                value = value.where(~not_int)
            if col.kind == "amount":
                value = pd.Series(round_cents_array(value.to_numpy(dtype=float), unit), index=value.index)
        elif col.kind in ("date", "optional_date"):
            value, messages = _parse_dates(text)
            bad = filled & (messages != "")
            for idx in np.flatnonzero(bad.to_numpy()):
                problems.append(Problem(table.file, int(table.rows[idx]), col.name,
                                        f"{text.iloc[idx]!r} {messages.iloc[idx]}"))
        elif col.kind == "bool":
            lower = text.str.lower()
            value = lower.map(lambda s: True if s in _TRUE else (False if s in _FALSE else None))
            report(filled & value.isna(), col.name, "is not true or false; expected true or false", text)
        elif col.kind == "period":
            labels = []
            for idx, cell in enumerate(text):
                if cell == "":
                    labels.append(None)
                    continue
                try:
                    labels.append(str(parse_period(cell, fiscal_year_start_month)))
                except ValueError as exc:
                    labels.append(None)
                    problems.append(Problem(table.file, int(table.rows[idx]), col.name, str(exc)))
            value = pd.Series(labels, index=text.index, dtype=object)
        else:  # pragma: no cover - programming error
            raise ValueError(col.kind)
        if col.check is not None:
            predicate, message = col.check
            known = value.notna()
            failing = known & ~predicate(value.where(known))
            report(failing, col.name, message, text)
            if col.kind in ("amount", "number", "count"):
                value = value.where(~failing)
        out[col.name] = value.to_numpy()
    return out


_EXPECT = {
    "text": "some text",
    "amount": "an amount like 12000 or 12000.50 (no currency sign, no thousands separators)",
    "number": "a plain number like 0.8",
    "count": "a whole number like 120",
    "date": "an ISO date like 2024-02-29",
    "optional_date": "an ISO date like 2024-02-29 or an empty cell",
    "bool": "true or false",
    "period": "a fiscal quarter like 2026Q3",
}


def report_duplicates(typed: pd.DataFrame, keys: list[str], file: str, problems: list[Problem],
                      what: str) -> None:
    """One problem per repeated key, naming the row it repeats."""
    known = typed.dropna(subset=keys)
    first_row: dict[tuple, int] = {}
    for row, key in zip(known["_row"], known[keys].itertuples(index=False, name=None), strict=True):
        if key in first_row:
            shown = ", ".join(str(k) for k in key)
            problems.append(Problem(file, int(row), keys[-1],
                                    f"duplicate {what} {shown!r} (also on row {first_row[key]}); expected one row each"))
        else:
            first_row[key] = int(row)
