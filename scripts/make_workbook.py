"""Write a dataset folder's CSV tables as one ``.xlsx`` workbook (one sheet per CSV).

Usage: ``python scripts/make_workbook.py DATA_DIR OUT.xlsx``. The YAML files stay beside the
workbook: a workbook dataset is the workbook plus ``company.yaml`` and ``plan.yaml`` in the
same folder (see docs/data.md). Cells are written as text exactly as in the CSV, except
numbers and dates, which become real numbers and dates so the workbook is pleasant to edit.
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import date
from pathlib import Path

import openpyxl

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TABLES = ("staff", "actuals", "targets", "funnel", "proposals")


def cell(text: str):
    if NUMBER.match(text):
        return float(text) if "." in text else int(text)
    if DATE.match(text):
        return date.fromisoformat(text)
    return text


def main(data_dir: str, out: str) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in TABLES:
        path = Path(data_dir) / f"{name}.csv"
        if not path.exists():
            continue
        sheet = book.create_sheet(name)
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for i, row in enumerate(csv.reader(fh)):
                sheet.append(row if i == 0 else [cell(c) for c in row])
        for col in sheet.columns:
            sheet.column_dimensions[col[0].column_letter].width = max(10, len(str(col[0].value)) + 2)
    book.save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
