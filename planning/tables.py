"""Validating the dataset's tables (read as text by :mod:`planning.table_reading`).

Every cell is read as text and checked column by column; every problem found becomes a
:class:`~planning.errors.Problem` naming the file, the spreadsheet row and the column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.errors import MAX_LISTED, Problem, quoted, summary_problem
from planning.money import Unit, round_cents_array
from planning.periods import parse_period
from planning.table_reading import RawTable, column_letter, find_header

__all__ = ["Column", "check_columns", "report_duplicates", "MAX_AMOUNT"]

_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Amounts and counts must be below this (ten trillion): float64 holds whole cents exactly only
#: up to 2**53 cents (about 90 trillion), and totals add rows up.
MAX_AMOUNT = 10**13
# Bytes that are not UTF-8 (decoded as U+FFFD) and control characters that no spreadsheet
# cell can hold (openpyxl refuses them when the bonus workbook is written).
NOT_UTF8 = "\ufffd"
BAD_TEXT_RE = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


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


#: A date written with its day, month and four-digit year apart: 31/03/2026, 3.31.2026, 31-3-2026.
_DAY_MONTH_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
#: company.yaml's ``date_order`` -> (what a slash date is, an example).
_ORDERS = {"DMY": ("day/month/year", "31/03/2026"), "MDY": ("month/day/year", "03/31/2026")}


def _parse_dates(text: pd.Series, date_order: str = "ISO") -> tuple[pd.Series, pd.Series]:
    """Returns (dates as datetime64, message per bad cell or '').

    ISO dates (YYYY-MM-DD) are always read; with ``date_order`` DMY or MDY (company.yaml) a
    date like 31/03/2026 (or 31.03.2026, 31-03-2026) is read in that order. Two-digit years
    are never guessed.
    """
    parts = text.str.extract(_DATE_RE)
    has_shape = parts[0].notna()
    year, month, day = parts[0], parts[1], parts[2]
    other = text.str.extract(_DAY_MONTH_RE)
    slashed = other[0].notna() & ~has_shape
    if date_order in _ORDERS:
        first, second = other[0].str.zfill(2), other[1].str.zfill(2)
        d, m = (first, second) if date_order == "DMY" else (second, first)
        year, month, day = year.where(~slashed, other[2]), month.where(~slashed, m), day.where(~slashed, d)
        has_shape = has_shape | slashed
    parsed = pd.to_datetime(year + "-" + month + "-" + day, format="%Y-%m-%d", errors="coerce")
    messages = pd.Series("", index=text.index, dtype=object)
    if date_order in _ORDERS:
        words, example = _ORDERS[date_order]
        expect = f"{words} like {example} (company.yaml date_order: {date_order}) or an ISO date like 2024-02-29"
        messages[~has_shape] = f"is not a date; expected {expect}"
        messages[has_shape & parsed.isna()] = f"is not a real calendar date; expected {expect}"
        return parsed, _time_of_day(text, messages)
    messages[~has_shape] = "is not a date; expected an ISO date like 2024-02-29 (YYYY-MM-DD)"
    messages[slashed] = ("is not a date; expected an ISO date like 2024-02-29 (YYYY-MM-DD), or say in "
                         "company.yaml how dates are written: date_order: DMY for 31/03/2026, MDY for 03/31/2026")
    messages[has_shape & parsed.isna()] = "is not a real calendar date; expected an ISO date like 2024-02-29"
    return parsed, _time_of_day(text, messages)


#: A date with a time of day after it (not midnight, which is a date as Excel writes it).
_DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}")


def _time_of_day(text: pd.Series, messages: pd.Series) -> pd.Series:
    """A refused date that has a time of day says so (a date never carries a time here)."""
    timed = (messages != "") & text.str.match(_DATE_TIME_RE)
    messages[timed] = ("has a time of day; expected a date alone, like 2024-02-29 (a payroll date has no time: "
                       "in Excel, format the cell as a date)")
    return messages


def check_columns(table: RawTable, columns: Sequence[Column], problems: list[Problem],
                  fiscal_year_start_month: int = 1, *, unit: Unit = 2,
                  date_order: str = "ISO") -> pd.DataFrame:
    """Parse ``table`` into typed columns, appending a Problem per bad cell.

    The header is found below a title row or two (:func:`find_header`) and matched by
    :func:`header_name`. Dates are ISO, and also day/month/year (``date_order="DMY"``) or
    month/day/year (``"MDY"``) when company.yaml says so.

    Amounts are rounded half up to whole minor units of ``unit`` (the company's currency,
    its code, or decimals: cents by default).

    Returns the typed frame (bad cells are NaN/NaT) with a ``_row`` column of spreadsheet rows.
    Missing and repeated columns are reported once each (at the header row); the cells of a
    missing column are not checked, a repeated column is read from its first occurrence.
    Cells with bytes that are not UTF-8 or with control characters are reported and then
    treated as unreadable; amounts and counts must be finite and below :data:`MAX_AMOUNT`.
    """
    table = find_header(table, [c.name for c in columns])
    frame = table.frame
    out = pd.DataFrame({"_row": table.rows})
    present = set(frame.columns)
    missing = [c.name for c in columns if c.name not in present]
    expected = ", ".join(c.name for c in columns)
    found = _found_headers(table)
    for name in missing:
        problems.append(Problem(table.file, table.header_row, name,
                                f"missing column; the header must have: {expected}; {found}"))
    for col in columns:
        if col.name in table.repeated:
            letters = table.repeated[col.name]
            problems.append(Problem(table.file, table.header_row, col.name,
                                    f"appears {len(letters)} times in the header (columns {', '.join(letters)}); "
                                    f"expected each column once ({_same_names(table, letters)})"))

    if table.overflow:
        named = max(table.columns_at.values(), default=-1) + 1
        for row, cells in table.overflow[:MAX_LISTED]:
            problems.append(Problem(table.file, row, None, f"has {cells} cells but the header names {named} "
                                    f"columns; expected no values right of column {column_letter(named - 1)} "
                                    "(a value with a comma or semicolon must be in quotes)"))
        if len(table.overflow) > MAX_LISTED:
            problems.append(summary_problem(table.file, None, len(table.overflow) - MAX_LISTED))

    def listed(mask, column: str):
        """The first MAX_LISTED positions of ``mask``; the rest become one summary line."""
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(where) > MAX_LISTED:
            problems.append(summary_problem(table.file, column, len(where) - MAX_LISTED))
            return where[:MAX_LISTED], len(problems) - 1
        return where, None

    def add(where, at, problem_for):
        new = [problem_for(int(idx)) for idx in where]
        if at is None:
            problems.extend(new)
        else:   # the listed ones go before their summary line
            problems[at:at] = new

    def report(mask: pd.Series, column: str, message: str, values: pd.Series | None = None):
        where, at = listed(mask.to_numpy(), column)
        add(where, at, lambda idx: Problem(table.file, int(table.rows[idx]), column,
                                           ("" if values is None else f"{quoted(values.iloc[idx])} ") + message))

    for col in columns:
        if col.name not in present:
            out[col.name] = pd.Series([np.nan] * len(frame), dtype=object)
            continue
        text = frame[col.name].astype(str)
        unreadable = text.str.contains(BAD_TEXT_RE)

        def unreadable_problem(idx, text=text, name=col.name):
            cell = text.iloc[idx]
            what = ("has bytes that are not UTF-8 text; expected a UTF-8 file (in Excel: Save As \"CSV UTF-8\")"
                    if NOT_UTF8 in cell else "contains a control character; expected plain text")
            return Problem(table.file, int(table.rows[idx]), name, f"{quoted(cell)} {what}")

        add(*listed(unreadable.to_numpy(), col.name), unreadable_problem)
        text = text.where(~unreadable, "")
        empty = (text == "") & ~unreadable
        if table.formulas and col.name in table.columns_at:
            at = table.columns_at[col.name]
            formula = pd.Series([table.formulas.get((int(r), at)) for r in table.rows], index=text.index, dtype=object)
            unsaved = empty & formula.notna()
            report(unsaved, col.name, "is a formula with no saved result (the file was written by a program "
                   "that does not calculate); expected a value: open the workbook in Excel or LibreOffice and "
                   "save it, so the result is stored", formula)
            empty = empty & ~unsaved
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
            value, messages = _parse_dates(text, date_order)
            bad = filled & (messages != "")
            add(*listed(bad.to_numpy(), col.name),
                lambda idx, text=text, messages=messages, name=col.name: Problem(
                    table.file, int(table.rows[idx]), name, f"{quoted(text.iloc[idx])} {messages.iloc[idx]}"))
        elif col.kind == "bool":
            lower = text.str.lower()
            value = lower.map(lambda s: True if s in _TRUE else (False if s in _FALSE else None))
            report(filled & value.isna(), col.name, "is not true or false; expected true or false", text)
        elif col.kind == "period":
            labels, errors = [], {}
            for idx, cell in enumerate(text):
                if cell == "":
                    labels.append(None)
                    continue
                try:
                    labels.append(str(parse_period(cell, fiscal_year_start_month)))
                except ValueError as exc:
                    labels.append(None)
                    if len(errors) <= MAX_LISTED:
                        errors[idx] = str(exc)
                    else:
                        errors[idx] = ""
            value = pd.Series(labels, index=text.index, dtype=object)
            mask = np.zeros(len(text), dtype=bool)
            mask[list(errors)] = True
            add(*listed(mask, col.name), lambda idx, errors=errors, name=col.name: Problem(
                table.file, int(table.rows[idx]), name, errors[idx]))
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


def _found_headers(table: RawTable, most: int = 15) -> str:
    """What the header row has, for a "missing column" message."""
    cells = [c for c in table.header_text if c]
    if not cells:
        return f"the header looks like row {table.header_row}, which is empty"
    shown = ", ".join(repr(c) if len(c) <= 40 else repr(c[:40]) + "..." for c in cells[:most])
    more = f" and {len(cells) - most} more" if len(cells) > most else ""
    return f"the header looks like row {table.header_row}, which has: {shown}{more}"


def _same_names(table: RawTable, letters: list[str]) -> str:
    """``C 'gop_target' and D 'GOP Target' read as the same name ...``."""
    index = {column_letter(i): text for i, text in enumerate(table.header_text)}
    cells = " and ".join(f"{letter} {index.get(letter, '')!r}" for letter in letters)
    return (f"{cells} read as the same name: case, spaces and underscores do not tell columns apart; "
            "delete or rename all but one")


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


def comparable(text: object) -> object:
    """A key as it is compared for duplicates: NFKC-normalised, format characters (zero-width
    space, joiners, byte-order marks, direction marks) removed, so ``E003``, ``E003\u200b`` and a
    full-width ``\uff25003`` are one id. Not str: unchanged.

    >>> comparable("\uff25003\u200b")
    'E003'
    """
    if not isinstance(text, str):
        return text
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


def report_duplicates(typed: pd.DataFrame, keys: list[str], file: str, problems: list[Problem],
                      what: str) -> None:
    """One problem per repeated key, naming the row it repeats.

    Keys are compared by :func:`comparable`: two that differ only by invisible or look-alike
    characters are duplicates, and the message shows both as written.
    """
    known = typed.dropna(subset=keys)
    first_row: dict[tuple, tuple[int, tuple]] = {}
    for row, key in zip(known["_row"], known[keys].itertuples(index=False, name=None), strict=True):
        same = tuple(comparable(k) for k in key)
        if same in first_row:
            earlier, written = first_row[same]
            shown = ", ".join(str(k) for k in key)
            if written == key:
                problems.append(Problem(file, int(row), keys[-1], f"duplicate {what} {quoted(shown)} "
                                        f"(also on row {earlier}); expected one row each"))
            else:
                other = ", ".join(str(k) for k in written)
                problems.append(Problem(file, int(row), keys[-1], f"duplicate {what} {quoted(shown)}: it reads "
                                        f"the same as {quoted(other)} on row {earlier}, differing only by invisible "
                                        "or look-alike characters; expected one row each"))
        else:
            first_row[same] = (int(row), key)
