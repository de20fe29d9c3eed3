"""Payouts as a payroll system imports them: one line per payout (``bonus --csv``).

Columns: ``employee_id, name, period, pay_item, amount, currency``. ``amount`` is a plain
number to the currency's minor unit (``1328.20`` AUD, ``1328`` JPY, ``1.500`` KWD): no currency
sign, no thousands separators, a dot for decimals, as importers expect. Only people paid more
than 0 get a line (a 0 in an import overwrites what payroll already holds: Gusto's Smart Import
says so). See docs/payroll.md for importing the file into Xero, QuickBooks, Gusto and MYOB.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from planning.money import Unit, cents_array, unit_digits

__all__ = ["PAYROLL_COLUMNS", "PAY_ITEM", "YEAR_END_PAY_ITEM", "payroll_frame", "payroll_csv_text", "spreadsheet_safe",
           "year_payroll_frame"]

PAYROLL_COLUMNS = ("employee_id", "name", "period", "pay_item", "amount", "currency")
#: The pay item (earnings type) every line is booked to; set it up once in the payroll system.
PAY_ITEM = "Success bonus"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: object) -> str:
    """Text a spreadsheet will not run as a formula: a leading ``= + - @`` (or tab, CR) gets an
    apostrophe before it, the OWASP rule for CSV files (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``).
    """
    value = str(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def payroll_frame(payouts: pd.DataFrame, period: str, currency: Unit, pay_item: str = PAY_ITEM) -> pd.DataFrame:
    """One row per person paid: ``payouts`` has employee_id, name and payout (currency units,
    whole minor units, as :attr:`planning.bonus.BonusResult.allocations`).

    ``amount`` is text with exactly the currency's minor-unit decimals, computed from the
    integer minor units, so it is the payout to the cent.
    """
    digits = unit_digits(currency)
    units = cents_array(payouts["payout"], currency)
    paid = units > 0
    amounts = [_amount_text(int(u), digits) for u in units[paid]]
    frame = pd.DataFrame({
        "employee_id": [spreadsheet_safe(x) for x in payouts.loc[paid, "employee_id"]],
        "name": [spreadsheet_safe(x) for x in payouts.loc[paid, "name"]],
        "period": str(period),
        "pay_item": pay_item,
        "amount": amounts,
        "currency": str(currency),
    }, columns=list(PAYROLL_COLUMNS))
    return frame.reset_index(drop=True)


def _amount_text(units: int, digits: int) -> str:
    """``132820, 2 -> '1328.20'``; ``1328, 0 -> '1328'``; ``1500, 3 -> '1.500'``."""
    if digits == 0:
        return str(units)
    whole, part = divmod(units, 10**digits)
    return f"{whole}.{part:0{digits}d}"


def payroll_csv_text(frame: pd.DataFrame) -> str:
    """The CSV file's text (a header line, then one line per payout; RFC 4180 quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PAYROLL_COLUMNS)
    writer.writerows(frame[list(PAYROLL_COLUMNS)].itertuples(index=False, name=None))
    return out.getvalue()


#: The pay item of the year end's release of the held-back reserve (``year --csv``).
YEAR_END_PAY_ITEM = "Success bonus (year-end release)"


def year_payroll_frame(year) -> pd.DataFrame:
    """``year --csv``: one line per payout of a bonus year, quarter by quarter, then the year
    end's release of the reserve (``period`` is the fiscal year, like ``FY2026``).

    ``year`` is a :class:`planning.year.YearResult` (``quarters`` with ``period`` and
    ``allocations``; ``year_end`` with ``allocations`` or None; ``fiscal_year``; ``currency``).
    """
    parts = [payroll_frame(q.allocations, q.period, year.currency) for q in year.quarters]
    if getattr(year, "year_end", None) is not None:
        parts.append(payroll_frame(year.year_end.allocations, str(year.fiscal_year), year.currency,
                                   YEAR_END_PAY_ITEM))
    if not parts:
        return pd.DataFrame(columns=list(PAYROLL_COLUMNS))
    return pd.concat(parts, ignore_index=True)
