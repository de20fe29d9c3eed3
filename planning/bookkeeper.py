"""The bookkeeper's workbook (``bonus --xlsx``): a summary sheet and one row per person.

Money cells are numbers with a currency format in the currency's minor unit (``"AUD"
#,##0.00``, ``"JPY" #,##0``, ``"KWD" #,##0.000``), shares are percentages, the header row is
frozen, columns are as wide as what they hold, the people sheet ends with a totals row, every
person's payout is explained in words, and every sheet says that it is confidential (in a
cell and in the printed page's header). Text from the data is always stored as text: a name
like ``=HYPERLINK(...)`` never becomes a live formula.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from planning.bonus_result import BonusResult
from planning.money import Unit, cents_array, format_cents, from_cents, unit_digits
from planning.words import explain_payout, explain_pool

__all__ = ["CONFIDENTIAL", "PEOPLE_COLUMNS", "money_format", "bonus_workbook_bytes"]

CONFIDENTIAL = ("Confidential: contains salaries and every person's bonus. Share it only with the owner "
                "and the bookkeeper.")
PEOPLE_COLUMNS = ("employee_id", "name", "department", "role", "eligible", "reason", "days_in", "tenure",
                  "fte", "period_salary", "weight", "cap", "capped", "payout", "explanation")
_MONEY_COLUMNS = {"period_salary", "cap", "payout"}
_PERCENT_COLUMNS = {"tenure"}
_MONEY_ITEMS = {"Revenue", "Revenue target", "GOP", "GOP target", "Raw pool", "Bonus pool", "Allocated",
                "Unallocated", "GOP after bonus"}
_PERCENT_ITEMS = {"Revenue attainment", "GOP attainment", "Pool as share of GOP"}
PERCENT = "0.0%"
WEIGHT = "#,##0.00"
_WIDEST = 60          # characters; longer text wraps
_EXPLANATION_WIDTH = 90


def money_format(currency: Unit) -> str:
    """The Excel number format of an amount in ``currency``, to its minor unit.

    >>> money_format("AUD"), money_format("JPY"), money_format("KWD")
    ('"AUD" #,##0.00;-"AUD" #,##0.00', '"JPY" #,##0;-"JPY" #,##0', '"KWD" #,##0.000;-"KWD" #,##0.000')
    """
    digits = unit_digits(currency)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    code = str(currency)
    return f'"{code}" {number};-"{code}" {number}' if code else f"{number};-{number}"


def person_explanation(result: BonusResult, employee_id: str, pool_text: str) -> str:
    """The person's own sentences of :func:`~planning.bonus.explain_payout` (the pool's are on
    the summary sheet)."""
    text = explain_payout(result, employee_id)
    return text[len(pool_text):].strip() if text.startswith(pool_text) else text


def people_frame(result: BonusResult) -> pd.DataFrame:
    """The people sheet's rows: one per staff row, amounts in whole minor units."""
    a = result.allocations
    unit = result.currency or 2
    pool_text = " ".join(explain_pool(result))
    people = a[[c for c in PEOPLE_COLUMNS if c != "explanation"]].copy()
    people["cap"] = people["cap"].where(np.isfinite(people["cap"].astype(float)))
    people["period_salary"] = from_cents(cents_array(people["period_salary"], unit), unit)
    people["explanation"] = [person_explanation(result, str(i), pool_text) for i in a["employee_id"]]
    return people.reset_index(drop=True)


def totals_row(result: BonusResult, people: pd.DataFrame) -> dict:
    """The totals row under the people: exact sums in minor units, and what they mean."""
    unit = result.currency or 2
    m = lambda x: format_cents(x, result.currency)  # noqa: E731
    words = (f"{int(people['eligible'].sum())} of {len(people)} eligible. Payouts add up to {m(result.allocated)}, "
             f"the pool of {m(result.pool)}")
    words += (f" less {m(result.unallocated)} that nobody could take and stays with the company."
              if result.unallocated else ", to the cent.")
    return {"employee_id": "Total", "eligible": int(people["eligible"].sum()),
            "period_salary": from_cents(int(cents_array(people["period_salary"], unit).sum()), unit),
            "weight": float(people["weight"].sum()), "payout": result.allocated, "explanation": words}


def bonus_workbook_bytes(result: BonusResult, summary: pd.DataFrame) -> bytes:
    """The workbook as bytes (built in memory: a full disk fails one plain write)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "summary"
    _summary_sheet(sheet, summary, result.currency)
    _people_sheet(book.create_sheet("people"), result)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary_sheet(sheet, summary: pd.DataFrame, currency: Unit) -> None:
    from openpyxl.styles import Alignment

    _header(sheet, ["item", "value"])
    money = money_format(currency)
    for row, (item, value) in enumerate(summary.itertuples(index=False, name=None), start=2):
        _put(sheet.cell(row, 1), item)
        cell = sheet.cell(row, 2)
        _put(cell, None if isinstance(value, float) and value != value else value)
        if item in _MONEY_ITEMS:
            cell.number_format = money
        elif item in _PERCENT_ITEMS:
            cell.number_format = PERCENT
        elif isinstance(value, str) and len(value) > _WIDEST:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _note(sheet, sheet.max_row + 2)
    _fit(sheet, {2: money})


def _people_sheet(sheet, result: BonusResult) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    people = people_frame(result)
    _header(sheet, list(PEOPLE_COLUMNS))
    money = money_format(result.currency)
    formats = {c: money for c in _MONEY_COLUMNS} | {c: PERCENT for c in _PERCENT_COLUMNS} | {"weight": WEIGHT}
    records = people.to_dict("records") + [totals_row(result, people)]
    for row, record in enumerate(records, start=2):
        for col, name in enumerate(PEOPLE_COLUMNS, start=1):
            value = record.get(name)
            if isinstance(value, float) and value != value:
                value = None
            cell = sheet.cell(row, col)
            _put(cell, value.item() if isinstance(value, np.generic) else value)
            if name in formats:
                cell.number_format = formats[name]
            if name == "explanation":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = len(records) + 1
    for col in range(1, len(PEOPLE_COLUMNS) + 1):
        cell = sheet.cell(last, col)
        cell.font = Font(bold=True)
        cell.border = Border(top=Side(style="thin"))
    _note(sheet, last + 2)
    widths = {PEOPLE_COLUMNS.index(c) + 1: f for c, f in formats.items()}
    _fit(sheet, widths, wide={PEOPLE_COLUMNS.index("explanation") + 1: _EXPLANATION_WIDTH})
    sheet.freeze_panes = "C2"   # the header row, and who each row is


def _put(cell, value) -> None:
    """A value; text is always text (never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _header(sheet, names: list[str]) -> None:
    from openpyxl.styles import Font

    for col, name in enumerate(names, start=1):
        cell = sheet.cell(1, col, name)
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.oddHeader.center.text = CONFIDENTIAL
    sheet.oddFooter.center.text = "Page &P of &N"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _note(sheet, row: int) -> None:
    from openpyxl.styles import Font

    cell = sheet.cell(row, 1)
    _put(cell, CONFIDENTIAL)
    cell.font = Font(bold=True, color="9C0006")


def _fit(sheet, formats: dict[int, str], wide: dict[int, int] | None = None) -> None:
    """Each column as wide as its longest cell (as shown), at most :data:`_WIDEST` characters."""
    from openpyxl.utils import get_column_letter

    wide = wide or {}
    for col in range(1, sheet.max_column + 1):
        if col in wide:
            sheet.column_dimensions[get_column_letter(col)].width = wide[col]
            continue
        longest = 0
        for (cell,) in sheet.iter_rows(min_col=col, max_col=col):
            if cell.value is None or (col == 1 and cell.value == CONFIDENTIAL):
                continue
            longest = max(longest, len(_shown(cell.value, formats.get(col, cell.number_format))))
        sheet.column_dimensions[get_column_letter(col)].width = min(_WIDEST, max(8, longest + 2))


def _shown(value, number_format: str) -> str:
    """About what Excel shows for ``value`` (for the width)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if number_format.endswith("%"):
        return f"{value:.1%}"
    digits = number_format.split(";")[0].rsplit(".", 1)
    places = len(digits[1]) if len(digits) == 2 and "#,##0" in number_format else 0
    code = number_format.split('"')[1] + " " if number_format.startswith('"') else ""
    return f"{code}{value:,.{places}f}"
