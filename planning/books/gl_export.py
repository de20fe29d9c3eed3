"""A general-ledger export's rows -> postings (pure: the rows are already read as text).

Rows above the header are the report's title; blank rows are skipped; a row whose first
filled cell starts with ``Total``, ``Opening Balance``, ``Closing Balance`` (and the like) is a
summary line: not a posting, but its amounts are checked against the postings it sums. A
row with one filled cell and no date is an account heading (QuickBooks Online puts the
account there). Every other row must be a posting with a date, an account and an amount, or
it is reported: nothing is skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from planning.books.amounts import format_minor, parse_date, parse_money, to_minor
from planning.books.mapping import Account
from planning.books.presets import Preset
from planning.errors import Problem, quoted

ZERO = Decimal(0)
__all__ = ["Posting", "ExportRows", "ParsedExport", "parse_export", "find_header"]

SUMMARY = re.compile(r"^\s*(total\b|opening balance|closing balance|beginning balance|ending balance|"
                     r"net movement|balance (b/f|c/f|brought forward|carried forward))", re.IGNORECASE)
_HEADING_CODE = re.compile(r"^\s*(\d[\d.\-]*)\s+[-\u2013]?\s*(.+?)\s*$")
_TOTAL_LABEL = re.compile(r"^\s*total(\s+for)?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Posting:
    """One line of the books: ``debit`` is debit minus credit, in minor units.

    ``department`` is the tracking value as written ('' when none); ``row`` the spreadsheet row
    (or the ledger's line) for problems.
    """

    day: date
    account: Account
    debit: int
    department: str
    currency: str
    file: str
    row: int | None


@dataclass(frozen=True)
class ExportRows:
    """Rows of one sheet or CSV file as text, with their spreadsheet row numbers."""

    file: str
    rows: list[list[str]]
    numbers: list[int]


@dataclass
class ParsedExport:
    postings: list[Posting] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    totals_checked: int = 0
    header_row: int | None = None


def _pick(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def find_header(export: ExportRows, preset: Preset, department_column: str | None
                ) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, field -> column index), or None when no row has the fields."""
    for i, row in enumerate(export.rows):
        header = [cell.strip().casefold() for cell in row]
        found = {name: _pick(header, names) for name, names in preset.columns.items()}
        found = {name: col for name, col in found.items() if col is not None}
        has_amount = ("debit" in found and "credit" in found) or "amount" in found
        has_account = "account_code" in found or "account_name" in found or preset.accounts_from_headings
        if "date" in found and has_amount and has_account:
            if department_column and department_column.casefold() in header:
                found["department"] = header.index(department_column.casefold())
            return i, found
    return None


def expected_columns(preset: Preset) -> str:
    """The header a preset needs, for the 'no header' message."""
    def first(name):
        names = preset.columns.get(name)
        return f"'{names[0]}'" if names else f"<source.columns.{name}>"
    account = "" if preset.accounts_from_headings else f", {first('account_code')} or {first('account_name')}"
    return f"{first('date')}{account}, {first('debit')} and {first('credit')} (or {first('amount')})"


@dataclass
class _Sums:
    """Running totals of the postings under one heading (or of the whole file)."""

    label: str = ""
    debit: int = 0
    credit: int = 0
    bad: bool = False        # a row in it was unreadable (already reported)

    def add(self, debit: int, credit: int) -> None:
        self.debit += debit
        self.credit += credit


def parse_export(export: ExportRows, preset: Preset, department_column: str | None, currency: str,
                 digits: int, department_required: bool = True) -> ParsedExport:
    """Postings of an export; every row that is neither a posting nor a summary is a problem.

    Parameters
    ----------
    export : ExportRows
        The sheet's rows as text.
    preset : Preset
        Its column names and date format (with accounts.yaml's overrides).
    department_column : str or None
        The tracking category / class / department column.
    currency : str
        The company's currency: a posting with no currency cell is in it.
    digits : int
        Digits of the currency's minor unit.
    department_required : bool
        Whether a missing department column is a problem (it is when accounts.yaml names it;
        a preset's default column, like QuickBooks' Class, may be absent).

    Notes
    -----
    Headings nest (QuickBooks lists a sub-account's heading and total inside its parent's):
    a ``Total X`` line is checked against the postings under the open heading ``X``,
    sub-headings included, or the innermost heading when none is called ``X``, or the postings
    since the last total line when there are no headings; a bare ``Total`` against the file.
    """
    out = ParsedExport()
    file = export.file
    located = find_header(export, preset, department_column)
    if located is None:
        out.problems.append(Problem(file, None, None, f"has no header row with the {preset.name} columns; "
                                    f"expected a row with {expected_columns(preset)}"))
        return out
    start, cols = located
    out.header_row = export.numbers[start]
    if department_column and department_required and "department" not in cols:
        out.problems.append(Problem(file, out.header_row, department_column, "missing column; departments.column "
                                    "in accounts.yaml names it as the tracking / department column"))
    use_signed = not ("debit" in cols and "credit" in cols)
    sign = 1 if preset.amount_positive == "debit" else -1
    headings: list[_Sums] = []        # open headings, innermost last
    whole, loose = _Sums(), _Sums()   # the file; the postings since the last total line
    header = export.rows[start]

    def column(name: str) -> str:
        """The export's own header text for a field, for problems."""
        col = cols.get(name)
        return header[col].strip() if col is not None else _name(preset, name)

    def cell(row: list[str], name: str) -> str:
        col = cols.get(name)
        return row[col].strip() if col is not None and col < len(row) else ""

    for row, number in zip(export.rows[start + 1:], export.numbers[start + 1:], strict=True):
        filled = [c.strip() for c in row if c.strip()]
        if not filled:
            continue
        if SUMMARY.match(filled[0]):
            if _TOTAL_LABEL.match(filled[0]):
                sums = _total_target(filled[0], headings, whole, loose)
                out.totals_checked += _check_total(out, file, number, filled[0], row, cell, use_signed, sign,
                                                   digits, sums)
                loose = _Sums()
            continue                      # opening / closing balances are not movements
        when = cell(row, "date")
        amounts = [cell(row, k) for k in ("debit", "credit", "amount")]
        if len(filled) == 1 and not any(amounts) and not (filled[0] == when and _is_date(when, preset)):
            headings.append(_Sums(filled[0]))
            continue
        problems_before = len(out.problems)
        day = None
        if not when:
            out.problems.append(Problem(file, number, column("date"), "is empty; expected the posting's date, "
                                        "or a heading or total line with one label"))
        else:
            try:
                day = parse_date(when, preset.date_format)
            except ValueError as exc:
                out.problems.append(Problem(file, number, column("date"), str(exc)))
        debit = credit = 0
        try:
            if use_signed:
                value = parse_money(cell(row, "amount"))
                if value is None:
                    raise ValueError("is empty; expected the posting's amount")
                net = sign * to_minor(value, digits)
                debit, credit = max(net, 0), max(-net, 0)
            else:
                d, c = parse_money(cell(row, "debit")), parse_money(cell(row, "credit"))
                if d is None and c is None:
                    raise ValueError("is empty, and so is the credit column; expected the posting's amount")
                debit, credit = to_minor(d or ZERO, digits), to_minor(c or ZERO, digits)
                if debit and credit:
                    raise ValueError("has an amount in both the debit and the credit column; expected one side")
        except ValueError as exc:
            out.problems.append(Problem(file, number, column("amount" if use_signed else "debit"), str(exc)))
        code, name, kind = cell(row, "account_code"), cell(row, "account_name"), cell(row, "account_type")
        if not code and not name:
            if preset.accounts_from_headings and headings:
                heading = _heading_account(headings[-1].label)
                code, name = heading.code, heading.name
            else:
                out.problems.append(Problem(file, number, column("account_code"), "is empty; expected the "
                                            "posting's account (code or name)"))
        if len(out.problems) > problems_before:
            for sums in (*headings, whole, loose):
                sums.bad = True
            continue
        for sums in (*headings, whole, loose):
            sums.add(debit, credit)
        out.postings.append(Posting(day, Account(code, name, kind), debit - credit, cell(row, "department"),
                                    cell(row, "currency").upper() or currency, file, number))
    return out


def _is_date(text: str, preset: Preset) -> bool:
    """Whether a lone cell is a date (a posting without its amount, not a heading)."""
    try:
        parse_date(text, preset.date_format)
    except ValueError:
        return False
    return True


def _total_target(label: str, headings: list[_Sums], whole: _Sums, loose: _Sums) -> _Sums:
    """The running totals a ``Total ...`` line sums (closing its heading and those inside it)."""
    rest = _TOTAL_LABEL.sub("", label).strip().casefold()
    if rest == "":
        return whole
    for i in range(len(headings) - 1, -1, -1):
        if headings[i].label.casefold() == rest:
            target = headings[i]
            del headings[i:]
            return target
    return headings.pop() if headings else loose


def _name(preset: Preset, field_name: str) -> str:
    names = preset.columns.get(field_name)
    return names[0] if names else field_name


def _heading_account(text: str) -> Account:
    match = _HEADING_CODE.match(text)
    return Account(match.group(1), match.group(2)) if match else Account("", text.strip())


def _check_total(out, file, number, label, row, cell, use_signed, sign, digits, sums: _Sums) -> int:
    """Compare a ``Total ...`` line with the postings it sums; 1 when checked, 0 when not."""
    if sums.bad:
        return 0                                  # a bad row in it is already reported
    try:
        if use_signed:
            value = parse_money(cell(row, "amount"))
            if value is None:
                return 0
            stated = (sign * to_minor(value, digits),)
            actual = (sums.debit - sums.credit,)
        else:
            d, c = parse_money(cell(row, "debit")), parse_money(cell(row, "credit"))
            if d is None and c is None:
                return 0
            stated = (to_minor(d or ZERO, digits), to_minor(c or ZERO, digits))
            actual = (sums.debit, sums.credit)
    except ValueError:
        return 0
    if stated != actual:
        show = lambda v: " / ".join(format_minor(x, digits, grouped=True) for x in v)  # noqa: E731
        what = "net" if use_signed else "debit / credit"
        out.problems.append(Problem(file, number, None, f"the export's {quoted(label)} line says {what} {show(stated)} "
                                    f"but the postings above it add up to {show(actual)}; a posting is missing, "
                                    "repeated or unreadable"))
    return 1
