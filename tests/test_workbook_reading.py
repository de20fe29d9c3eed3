"""Workbooks read as the owner sees them (issue 11, item 5)."""

from __future__ import annotations

import pytest

from planning import InputError, load_dataset
from tests.attacks import damaged_part, workbook


def problems_of(path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_dataset(path)
    return [str(p) for p in info.value.problems]


def test_a_hidden_row_is_refused_naming_it(tmp_path):
    def hide(book):
        sheet = book["staff"]
        sheet.append(["E999", "Hidden", "Sales", "Associate", 9000000, 1, "2020-01-01", None, True])
        sheet.row_dimensions[sheet.max_row].hidden = True
    lines = problems_of(workbook(tmp_path, hide))
    assert len(lines) == 1 and lines[0].startswith("book.xlsx [staff], row ") and "is a hidden row" in lines[0]


@pytest.mark.parametrize("state, words", [("hidden", "the sheet is hidden"), ("veryHidden", "very hidden")])
def test_a_hidden_sheet_is_refused_naming_it(tmp_path, state, words):
    def hide(book):
        book["funnel"].sheet_state = state
    lines = problems_of(workbook(tmp_path, hide))
    assert len(lines) == 1 and lines[0].startswith("book.xlsx [funnel]: ") and words in lines[0]


def test_a_formula_without_a_saved_result_says_so(tmp_path):
    def formula(book):
        book["staff"]["E2"] = "=100000*2"
    lines = problems_of(workbook(tmp_path, formula))
    assert lines == ["book.xlsx [staff], row 2, column annual_salary: '=100000*2' is a formula with no saved "
                     "result (the file was written by a program that does not calculate); expected a value: open "
                     "the workbook in Excel or LibreOffice and save it, so the result is stored"]


def test_a_plain_number_in_a_date_column_is_refused_as_in_a_csv(tmp_path):
    def number(book):
        book["staff"]["G2"] = 45000
        book["staff"]["G2"].number_format = "General"   # shown as 45000, not as a date
    lines = problems_of(workbook(tmp_path, number))
    assert lines == ["book.xlsx [staff], row 2, column start_date: '45000' is not a date; expected an ISO date "
                     "like 2024-02-29 (YYYY-MM-DD)"]


def test_a_damaged_workbook_says_what_is_wrong_in_words(tmp_path):
    path = damaged_part(tmp_path)[-1]
    lines = problems_of(path)
    assert len(lines) == 1 and "a part of it is damaged" in lines[0]
