"""Reading the dataset's tables as text: CSV files and workbook sheets become a
:class:`RawTable` (every cell text, each row's spreadsheet number), the header found below
any title rows and matched by :func:`header_name`; :mod:`planning.tables` checks them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from planning.errors import InputError, Problem
from planning.input_limits import MAX_TABLE_BYTES, read_bounded

__all__ = ["workbook_problem", "sheet_marks", "RawTable", "header_name", "column_letter", "find_header", "HEADER_SEARCH_ROWS", "read_csv_table",
           "cell_text", "read_workbook_tables"]


@dataclass(frozen=True)
class RawTable:
    """A table as text: ``frame`` has one str column per header cell, ``rows`` the sheet rows.

    ``header_row`` is the spreadsheet row of the header (the first row that is not blank, until
    :func:`find_header` finds the header below a title); ``repeated`` maps a column name that
    the header has more than once (after :func:`header_name`) to the spreadsheet letters of its
    columns (only the first is read); ``header_text`` is the header's cells as written;
    ``lines`` every row of the sheet (for :func:`find_header`); ``overflow`` the rows with
    values right of the header's last named column, as (row, cells); ``columns_at`` each column
    name's 0-based sheet column; ``formulas`` the workbook cells holding a formula with no saved
    result, (row, 0-based column) -> the formula (a CSV has none).
    """

    file: str
    frame: pd.DataFrame
    rows: np.ndarray  # spreadsheet row number of each data row (header is row 1)
    header_row: int = 1
    repeated: dict[str, list[str]] = field(default_factory=dict)
    header_text: tuple[str, ...] = ()
    lines: list[list[str]] | None = field(default=None, repr=False)
    overflow: tuple[tuple[int, int], ...] = ()
    columns_at: dict[str, int] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)


_SEPARATORS_RE = re.compile(r"[\s_\-.]+")


def header_name(text: object) -> str:
    """A header cell as the column name it stands for: case, spacing, underscores, hyphens and
    dots do not matter (``GOP Target``, `` gop_target ``, ``Gop-Target`` are all ``gop_target``).

    >>> header_name(" GOP  Target "), header_name("annual_salary"), header_name("Start-Date")
    ('gop_target', 'annual_salary', 'start_date')
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _SEPARATORS_RE.sub("_", folded).strip("_")


def _normalise_header(names: Sequence[object]) -> list[str]:
    return [header_name(n) for n in names]


def column_letter(index: int) -> str:
    """Spreadsheet letters of the 0-based column ``index``: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _filled(lines: list[list[str]]) -> list[int]:
    return [i for i, record in enumerate(lines) if any(str(cell).strip() for cell in record)]


def _from_lines(file: str, lines: list[list[str]], header_index: int | None = None) -> RawTable:
    """A table from every row of a sheet (row 1 first); the header is row ``header_index + 1``,
    by default the first non-blank row. Rows above the header are not data (a title)."""
    filled = _filled(lines)
    if not filled:
        return replace(_from_records(file, [], [], [], 1), lines=lines)
    first = filled[0] if header_index is None else header_index
    body = [i for i in filled if i > first]
    table = _from_records(file, lines[first], [lines[i] for i in body], [i + 1 for i in body], first + 1)
    return replace(table, lines=lines)


#: How many non-blank rows at the top of a sheet may be a title above the header, at most.
HEADER_SEARCH_ROWS = 10


def find_header(table: RawTable, names: Sequence[str]) -> RawTable:
    """``table`` with its header at the row among the first :data:`HEADER_SEARCH_ROWS` non-blank
    rows that has the most of the column ``names`` (the earliest of equals); rows above it are
    a title. Unchanged when the first non-blank row is already the best (or none has any)."""
    if table.lines is None:
        return table
    wanted = set(names)
    candidates = _filled(table.lines)[:HEADER_SEARCH_ROWS]
    scores = [len(wanted & set(_normalise_header(table.lines[i]))) for i in candidates]
    if not candidates or max(scores) == 0:
        return table
    best = candidates[scores.index(max(scores))]
    if best + 1 == table.header_row:
        return table
    return replace(_from_lines(table.file, table.lines, best), formulas=table.formulas)


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
    text = tuple("" if h is None else str(h).strip() for h in header)
    named = max((i + 1 for i, name in enumerate(columns) if name), default=0)
    overflow = tuple((row, max(i + 1 for i, c in enumerate(r) if str(c).strip()))
                     for r, row in zip(records, rows, strict=True)
                     if len(r) > named and any(str(c).strip() for c in r[named:]))
    return RawTable(file, frame.reset_index(drop=True), np.asarray(rows, dtype=int), header_row, repeated, text,
                    overflow=overflow, columns_at=dict(zip(names, keep, strict=True)))


def read_csv_table(path: Path) -> RawTable:
    """Read a CSV file as text. Blank lines are skipped but keep their row numbers.

    Bytes that are not UTF-8 become U+FFFD, which :func:`check_columns` reports with the
    cell; a file that cannot be read at all raises InputError.
    """
    # a pipe, a device or a folder is refused unopened; a file over the limit unread (issue 11)
    data = read_bounded(path, path.name, MAX_TABLE_BYTES, "a CSV file")
    text = data.decode("utf-8-sig", errors="replace")
    first_line = next((line for line in text.splitlines() if line.strip()), "")   # the header's line
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError.single(path.name, f"is not a readable CSV file ({exc})") from None
    return _from_lines(path.name, lines)


def cell_text(value: object) -> str:
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
    hidden: list[Problem] = []
    try:
        for sheet in workbook.worksheets:
            label = f"{path.name} [{sheet.title}]"
            if sheet.sheet_state != "visible":
                how = "very hidden (only a macro can show it)" if sheet.sheet_state == "veryHidden" else "hidden"
                hidden.append(Problem(label, None, None, f"the sheet is {how}; expected every sheet of the workbook "
                                      "to be visible, as the owner sees it: unhide it or delete it"))
                continue
            all_rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            hidden_rows, formulas = sheet_marks(sheet)
            for row in hidden_rows:
                if row <= len(all_rows) and any(c.strip() for c in all_rows[row - 1]):
                    hidden.append(Problem(label, row, None, "is a hidden row; expected every row with values to "
                                          "be visible, as the owner sees it: unhide it or delete it"))
            name = sheet.title.strip().lower()
            tables[name] = replace(_from_lines(label, all_rows), formulas=formulas)
    finally:
        workbook.close()
    if hidden:
        raise InputError(hidden)
    return tables


def sheet_marks(sheet) -> tuple[list[int], dict[tuple[int, int], str]]:
    """(hidden rows, formulas with no saved result as (row, 0-based column) -> formula) of a
    read-only openpyxl sheet, from one streaming pass over its XML (openpyxl's read-only mode
    keeps neither)."""
    try:
        from defusedxml.ElementTree import iterparse
    except ImportError:  # pragma: no cover - openpyxl's own reader is then plain expat too
        from xml.etree.ElementTree import iterparse
    from openpyxl.utils.cell import coordinate_to_tuple

    hidden, formulas = [], {}
    with sheet._get_source() as source:
        for _, element in iterparse(source):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "c":
                formula = value = None
                for child in element:
                    kind = child.tag.rsplit("}", 1)[-1]
                    formula = child if kind == "f" else formula
                    value = child if kind in ("v", "is") else value
                if formula is not None and (value is None or not "".join(value.itertext())) and element.get("r"):
                    row, column = coordinate_to_tuple(element.get("r"))
                    formulas[(row, column - 1)] = "=" + (formula.text or "")
            elif tag == "row":
                if element.get("hidden") in ("1", "true") and element.get("r"):
                    hidden.append(int(element.get("r")))
                element.clear()
    return hidden, formulas


def workbook_problem(exc: BaseException) -> str:
    """What is wrong with a workbook openpyxl could not read, in words (not only the exception's
    name), and what to do: "cannot be read as an .xlsx workbook: ... (BadZipFile)"."""
    import zipfile

    name = exc.__class__.__name__
    text = str(exc)
    if isinstance(exc, zipfile.BadZipFile) or "CRC" in text or name in ("error", "EOFError"):
        what = "a part of it is damaged (its data does not unpack to what the archive says)"
    elif isinstance(exc, KeyError):
        what = "a part it lists is missing from the archive"
    elif "Entit" in name or "DTD" in name:
        what = "a part declares XML entities, which no spreadsheet program writes"
    elif "Parse" in name or "XML" in name or "xml" in text.lower():
        what = "a part of it is not well-formed XML"
    else:
        what = "it is damaged or was not written by a spreadsheet program"
    return (f"cannot be read as an .xlsx workbook: {what} ({name}); open it in Excel or LibreOffice and save "
            "it again as .xlsx")
