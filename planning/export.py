"""The bookkeeper's exports: JSON and the ``.xlsx`` workbook, written through :mod:`planning.files`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from planning.bonus_result import BonusResult
from planning.files import write_atomic
from planning.money import format_cents
from planning.words import explain_pool, sharing_rule_text

__all__ = ["write_json", "write_bonus_xlsx", "bonus_workbook", "bonus_summary_frame", "year_workbook"]


def write_json(path: Path | str, data: object) -> Path:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def bonus_summary_frame(result: BonusResult) -> pd.DataFrame:
    """The summary sheet: one labelled value per row."""
    rows = [
        ("Period", result.period),
        ("Currency", result.currency),
        ("Revenue", result.revenue),
        ("Revenue target", result.revenue_target),
        ("Revenue attainment", result.revenue_attainment),
        ("GOP", result.gop),
        ("GOP target", result.gop_target),
        ("GOP attainment", result.gop_attainment),
        *((f"{'Revenue' if g.metric == 'revenue' else 'GOP'} gate {g.threshold:.0%}",
           "passed" if g.passed else f"missed by {g.shortfall * 100:.1f} points") for g in result.gates),
        ("Raw pool", result.raw_pool),
        *((f"Limit: {x.name}", f"{format_cents(x.before, result.currency, code=False)} -> "
                               f"{format_cents(x.after, result.currency, code=False)}") for x in result.limits),
        ("Bonus pool", result.pool),
        ("Allocated", result.allocated),
        ("Unallocated", result.unallocated),
        ("Pool as share of GOP", result.pool_share_of_gop),
        ("GOP after bonus", result.gop_after_bonus),
        ("How the pool was set", " ".join(explain_pool(result))),
        ("How it is shared", sharing_rule_text(result.plan)),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def write_bonus_xlsx(path: Path | str, result: BonusResult) -> Path:
    """A workbook for the bookkeeper: a summary sheet and a per-person sheet (atomically)."""
    return write_atomic(path, lambda tmp: bonus_workbook(tmp, result))


def bonus_workbook(path: Path, result: BonusResult) -> None:
    """Write the bookkeeper's workbook to ``path`` (not atomic: see :func:`write_bonus_xlsx`).

    Built in memory by :mod:`planning.bookkeeper` (formats, frozen header, widths, totals,
    explanations, the confidential note), then written in one plain write.
    """
    from planning.bookkeeper import bonus_workbook_bytes

    Path(path).write_bytes(bonus_workbook_bytes(result, bonus_summary_frame(result)))


def year_workbook(path: Path, result) -> None:
    """The bonus year for the bookkeeper (``year --xlsx``): quarters, year end and people sheets.

    The same numbers as ``year --json`` (``result`` is a :class:`~planning.year.YearResult`);
    text from the data stays text (never a formula).
    """
    data = result.to_dict()
    quarters = pd.DataFrame(data["quarters"], columns=["period", "earned_to_date", "pool", "shared_now",
                                                       "held_back", "allocated", "unallocated", "reserve"])
    year_end = pd.DataFrame([("Fiscal year", data["fiscal_year"]), ("Currency", str(result.currency)),
                             *((k, v) for k, v in data["year_end"].items())], columns=["item", "value"])
    periods = [q.period for q in result.quarters]
    people = result.people[["employee_id", "name", "department", *periods, "year_end", "total"]]
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in {"quarters": quarters, "year_end": year_end, "people": people}.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        for sheet in writer.book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # pandas wrote no formulas: this is text from the data
                        cell.data_type = "s"
