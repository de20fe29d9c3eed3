"""The getting-started tour's demonstration (notebook 04): what a typo in your data looks like.

:func:`typo_demo` copies the files a dataset was loaded from (a folder of CSV files or an
``.xlsx`` workbook, with the YAML files beside it) into a temporary folder, writes ``12k`` into
the first person's ``annual_salary`` there, loads the copy and returns the workbook's answer.
The user's own files are only read. It works on any valid dataset, whatever its formatting.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

from planning.errors import InputError
from planning.inputs import load_dataset

__all__ = ["TYPO", "typo_demo", "books_demo"]

TYPO = "12k"
"""What the demonstration writes into the first ``annual_salary``: a number with a unit."""


def typo_demo(data_path: str | Path) -> str:
    """The problems the workbook reports for a copy of the dataset with one typo.

    Parameters
    ----------
    data_path : str or Path
        A dataset folder or ``.xlsx`` workbook (see :func:`planning.load_dataset`).

    Returns
    -------
    str
        One line per problem, as the command line prints them (file, row, column, what was
        expected); or why there was nothing to break.

    Raises
    ------
    InputError
        When the dataset itself does not load (fix those problems first).
    """
    try:
        dataset = load_dataset(data_path)
    except InputError as exc:   # a header-only staff.csv is refused (issue 11): nothing to mistype
        if all(p.message.startswith("has a header but no rows") and p.file.startswith("staff")
               for p in exc.problems):
            return "staff has no one in it, so there is no salary to mistype."
        raise
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        copy.mkdir()
        for source in dataset.sources.values():
            shutil.copy2(source, copy / source.name)
        if "staff.csv" in dataset.sources:
            changed = _break_csv(copy / "staff.csv")
        else:
            books = [p for p in copy.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm")]
            changed = bool(books) and _break_workbook(books[0])
        if not changed:
            return "staff has no one in it, so there is no salary to mistype."
        try:
            load_dataset(copy)
        except InputError as exc:
            return str(exc)
    return "The copy loaded without a problem: the typo was not caught."  # pragma: no cover - a bug


def books_demo(data_path: str | Path, source: str = "xero") -> str:
    """Import a dataset's books (``books/`` beside ``accounts.yaml``) into a scratch folder.

    The import's summary (accounts mapped, each quarter reconciled) and whether the imported
    ``actuals.csv`` is the dataset's own, byte for byte. The dataset is only read.

    Parameters
    ----------
    data_path : str or Path
        A dataset folder (or a workbook in one) with ``accounts.yaml`` and ``books/``.
    source : str
        ``xero`` (the general-ledger export) or ``beancount`` (the ledger).
    """
    from planning.books import import_books, import_summary

    folder = Path(data_path)
    folder = folder.parent if folder.is_file() else folder
    books = {"xero": folder / "books" / "xero-account-transactions.csv",
             "beancount": folder / "books" / "bluegum.beancount"}[source]
    if not (folder / "accounts.yaml").exists() or not books.exists():
        return (f"{folder} has no accounts.yaml and {books.relative_to(folder)}: export your general ledger and "
                "map your accounts as docs/data.md ('Books in') shows, then run `planning import`.")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for name in ("company.yaml", "accounts.yaml"):
            shutil.copy2(folder / name, scratch / name)
        result = import_books(source, books, scratch)
        lines = import_summary(result)[:-1]        # not the scratch folder's path
        own = folder / "actuals.csv"
        same = own.exists() and (scratch / "actuals.csv").read_bytes() == own.read_bytes()
    lines.append(f"The imported actuals.csv is {'the same as' if same else 'NOT the same as'} {own.name}, "
                 "byte for byte.")
    return "\n".join(lines)


def _typo_cell(rows: list[list[object]]) -> tuple[int, int] | None:
    """(row index, column index) of the first data row's annual_salary; None without one."""
    filled = [i for i, row in enumerate(rows) if any(str(v or "").strip() for v in row)]
    if len(filled) < 2:
        return None
    header = [str(v or "").strip().lower() for v in rows[filled[0]]]
    if "annual_salary" not in header:
        return None
    return filled[1], header.index("annual_salary")


def _break_csv(path: Path) -> bool:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    where = _typo_cell(rows)
    if where is None:
        return False
    row, column = where
    rows[row] += [""] * (column + 1 - len(rows[row]))
    rows[row][column] = TYPO
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return True


def _break_workbook(path: Path) -> bool:
    import openpyxl

    book = openpyxl.load_workbook(path)
    try:
        sheets = [s for s in book.worksheets if s.title.strip().lower() == "staff"]
        if not sheets:
            return False
        rows = [list(r) for r in sheets[0].iter_rows(values_only=True)]
        where = _typo_cell(rows)
        if where is None:
            return False
        sheets[0].cell(row=where[0] + 1, column=where[1] + 1, value=TYPO)
        book.save(path)
        return True
    finally:
        book.close()
