"""The bookkeeper's workbook (``bonus --xlsx``), read back with openpyxl."""

from __future__ import annotations

import openpyxl
import pytest

from planning import bonus_for_period, load_dataset
from planning.bookkeeper import CONFIDENTIAL, PERCENT, money_format
from planning.cli import main
from planning.money import cents_array, format_cents
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "bonus.xlsx"
    assert main(["bonus", "--data", str(SAMPLE), "--period", "2026Q1", "--xlsx", str(path)]) == 0
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def result():
    return bonus_for_period(load_dataset(SAMPLE), "2026Q1")


def _table(sheet):
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    return header, rows


def _people(sheet):
    header, rows = _table(sheet)
    people = [r for r in rows if r["employee_id"] not in (None, "Total", CONFIDENTIAL)]
    total = [r for r in rows if r["employee_id"] == "Total"]
    return header, people, total


def test_every_sheet_says_it_is_confidential(book):
    assert book.sheetnames == ["summary", "people"]
    for sheet in book.worksheets:
        assert CONFIDENTIAL in [c.value for c in sheet["A"]]
        assert sheet.oddHeader.center.text == CONFIDENTIAL
        assert "salaries" in CONFIDENTIAL.lower()


def test_header_rows_are_frozen(book):
    assert book["summary"].freeze_panes == "A2"
    assert book["people"].freeze_panes == "C2"


def test_money_and_percent_cells_have_number_formats(book):
    sheet = book["people"]
    header = [c.value for c in sheet[1]]
    for name, fmt in (("payout", money_format("AUD")), ("period_salary", money_format("AUD")),
                      ("tenure", PERCENT), ("weight", "#,##0.00")):
        cells = [row[header.index(name)] for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 2)]
        assert cells and all(c.number_format == fmt for c in cells), name
    assert money_format("AUD") == '"AUD" #,##0.00;-"AUD" #,##0.00'
    summary = {r[0].value: r[1] for r in book["summary"].iter_rows(min_row=2) if r[0].value}
    assert summary["Bonus pool"].number_format == money_format("AUD")
    assert summary["GOP attainment"].number_format == PERCENT
    assert summary["Pool as share of GOP"].number_format == PERCENT
    assert isinstance(summary["Bonus pool"].value, float)


def test_columns_are_as_wide_as_what_they_hold(book):
    sheet = book["people"]
    header = [c.value for c in sheet[1]]
    names = [r[header.index("name")] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] != CONFIDENTIAL]
    width = sheet.column_dimensions["B"].width
    assert max(len(n) for n in names if n) + 2 <= width <= 60
    payout_width = sheet.column_dimensions[openpyxl.utils.get_column_letter(header.index("payout") + 1)].width
    assert payout_width >= len("AUD 9,774.71")
    for letter, dim in sheet.column_dimensions.items():
        assert 8 <= dim.width <= 90, letter


def test_totals_row_adds_up_to_the_cent(book, result):
    _, people, total = _people(book["people"])
    assert len(people) == len(result.allocations) and len(total) == 1
    payouts = cents_array([p["payout"] for p in people], "AUD")
    assert int(payouts.sum()) == round(total[0]["payout"] * 100) == round(result.allocated * 100)
    salaries = cents_array([p["period_salary"] for p in people], "AUD")
    assert round(total[0]["period_salary"] * 100) == int(salaries.sum())
    assert total[0]["eligible"] == int(result.allocations["eligible"].sum())
    assert format_cents(result.allocated, "AUD") in total[0]["explanation"]


def test_each_payout_is_explained_in_words(book, result):
    _, people, _ = _people(book["people"])
    by_id = {p["employee_id"]: p for p in people}
    for r in result.allocations.itertuples():
        text = by_id[r.employee_id]["explanation"]
        assert not text.startswith("The company made")          # the pool's sentences are on the summary
        if r.eligible:
            assert f"{r.name} receives {format_cents(r.payout, 'AUD')}." in text
            assert "weight" in text
        else:
            assert text == f"{r.name} receives nothing: {r.reason}."


def test_a_gate_missed_workbook_still_adds_up(tmp_path, tiny_dir, capsys):
    path = tmp_path / "b.xlsx"
    assert main(["bonus", "--data", str(tiny_dir), "--period", "2026Q2", "--xlsx", str(path)]) == 0
    _, people, total = _people(openpyxl.load_workbook(path)["people"])
    assert [p["payout"] for p in people] == [0.0] * 5 and total[0]["payout"] == 0.0
    assert "EUR 0.00" in total[0]["explanation"]
