"""Spreadsheets as owners have them: a title above the header, Title Case headers, day-first dates."""

from __future__ import annotations

import openpyxl
import pytest

from planning import InputError, load_dataset
from tests.conftest import TINY_FILES, write_dataset

TITLED_STAFF = """\
    Tiny Test Co - staff list
    (exported 2026-04-02; confidential)

    Employee ID,Name,Department,Role,Annual Salary,FTE,Start Date,End Date,Bonus Eligible
    A1,Ann,Sales,Manager,100000,1,2020-01-01,,true
    A2,Bob,Sales,Associate,50000,0.5,2020-01-01,,true
    A3,Cat,IT,Associate,60000,1,2026-02-15,,true
    A4,Dan,IT,Associate,40000,1,2020-01-01,2026-02-14,true
    A5,Eve,Marketing,Director,200000,1,2020-01-01,,false
    """


def problems_of(tmp_path, files):
    with pytest.raises(InputError) as err:
        load_dataset(write_dataset(tmp_path / "d", files))
    return [str(p) for p in err.value.problems]


def test_a_title_above_title_case_headers_loads_as_the_plain_file(tmp_path):
    plain = load_dataset(write_dataset(tmp_path / "plain"))
    titled = load_dataset(write_dataset(tmp_path / "titled", {"staff.csv": TITLED_STAFF}))
    assert titled.staff.equals(plain.staff)


def test_row_numbers_stay_the_sheet_rows_below_a_title(tmp_path):
    bad = TITLED_STAFF.replace("A2,Bob,Sales,Associate,50000", "A2,Bob,Sales,Associate,50k")
    assert problems_of(tmp_path, {"staff.csv": bad}) == [
        "staff.csv, row 6, column annual_salary: '50k' is not a number; expected an amount like 12000 or "
        "12000.50 (no currency sign, no thousands separators)"]


def test_headers_match_ignoring_case_spaces_underscores_and_hyphens(tmp_path):
    targets = "Period , Revenue-Target,GOP  TARGET\n2026Q1,1000000,200000\n2026Q2,1000000,200000\n"
    ds = load_dataset(write_dataset(tmp_path / "d", {"targets.csv": targets}))
    assert ds.targets.columns.tolist() == ["period", "revenue_target", "gop_target"]


def test_two_headers_that_read_the_same_are_refused_naming_both(tmp_path):
    targets = "period,revenue_target,gop_target,GOP Target\n2026Q1,1000000,200000,1\n"
    assert problems_of(tmp_path, {"targets.csv": targets}) == [
        "targets.csv, row 1, column gop_target: appears 2 times in the header (columns C, D); expected each "
        "column once (C 'gop_target' and D 'GOP Target' read as the same name: case, spaces and underscores "
        "do not tell columns apart; delete or rename all but one)"]


def test_a_repeated_column_that_is_not_needed_is_ignored(tmp_path):
    targets = "period,revenue_target,gop_target,Note,note\n2026Q1,1000000,200000,a,b\n2026Q2,1,1,,\n"
    assert load_dataset(write_dataset(tmp_path / "d", {"targets.csv": targets})).targets.shape == (2, 3)


def test_a_missing_column_lists_the_headers_found_and_their_row(tmp_path):
    staff = TITLED_STAFF.replace("Annual Salary,", "Salary,").replace("100000,1,2020", "100000,1,2020")
    lines = problems_of(tmp_path, {"staff.csv": staff})
    assert lines == [
        "staff.csv, row 4, column annual_salary: missing column; the header must have: employee_id, name, "
        "department, role, annual_salary, fte, start_date, end_date, bonus_eligible; the header looks like "
        "row 4, which has: 'Employee ID', 'Name', 'Department', 'Role', 'Salary', 'FTE', 'Start Date', "
        "'End Date', 'Bonus Eligible'"]


def test_a_sheet_with_no_header_at_all_says_which_row_it_read(tmp_path):
    lines = problems_of(tmp_path, {"targets.csv": "Quarterly targets\nQ1,1000,100\n"})
    assert lines[0] == ("targets.csv, row 1, column period: missing column; the header must have: period, "
                        "revenue_target, gop_target; the header looks like row 1, which has: 'Quarterly targets'")


def test_a_workbook_sheet_with_a_title_row_loads(tmp_path):
    folder = write_dataset(tmp_path / "book", {"staff.csv": None})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "staff"
    sheet.append(["Staff list, Tiny Test Co"])
    sheet.append([])
    for line in TITLED_STAFF.strip().splitlines()[3:]:
        sheet.append([cell.strip() or None for cell in line.strip().split(",")])
    book.save(folder / "book.xlsx")
    ds = load_dataset(folder / "book.xlsx")
    assert ds.staff["employee_id"].tolist() == ["A1", "A2", "A3", "A4", "A5"]
    assert ds.staff["annual_salary"].tolist() == [100000, 50000, 60000, 40000, 200000]


# --- dates in the owner's order -------------------------------------------------------------

DMY_STAFF = TINY_FILES["staff.csv"].replace("2020-01-01", "01/01/2020").replace("2026-02-15", "15/02/2026") \
    .replace("2026-02-14", "14.2.2026")


def _company(order: str | None) -> str:
    return "name: Tiny Test Co\ncurrency: EUR\n" + (f"date_order: {order}\n" if order else "")


def test_day_first_dates_are_read_as_meant_with_date_order_dmy(tmp_path):
    plain = load_dataset(write_dataset(tmp_path / "plain"))
    dmy = load_dataset(write_dataset(tmp_path / "dmy", {"company.yaml": _company("DMY"), "staff.csv": DMY_STAFF}))
    assert dmy.staff.equals(plain.staff)
    assert dmy.company.date_order == "DMY"


def test_month_first_dates_with_date_order_mdy(tmp_path):
    mdy_staff = TINY_FILES["staff.csv"].replace("2026-02-15", "02/15/2026").replace("2026-02-14", "2/14/2026")
    plain = load_dataset(write_dataset(tmp_path / "plain"))
    mdy = load_dataset(write_dataset(tmp_path / "mdy", {"company.yaml": _company("mdy"), "staff.csv": mdy_staff}))
    assert mdy.staff.equals(plain.staff)


def test_iso_dates_stay_accepted_with_any_date_order(tmp_path):
    plain = load_dataset(write_dataset(tmp_path / "plain"))
    dmy = load_dataset(write_dataset(tmp_path / "dmy", {"company.yaml": _company("DMY")}))
    assert dmy.staff.equals(plain.staff)


def test_without_date_order_a_day_first_date_is_refused_with_the_hint(tmp_path):
    lines = problems_of(tmp_path, {"staff.csv": DMY_STAFF})
    assert lines[0].startswith("staff.csv, row 2, column start_date: '01/01/2020' is not a date; expected an ISO "
                               "date like 2024-02-29 (YYYY-MM-DD), or say in company.yaml how dates are written: "
                               "date_order: DMY for 31/03/2026")


@pytest.mark.parametrize(("cell", "message"), [
    ("31/02/2026", "'31/02/2026' is not a real calendar date; expected day/month/year like 31/03/2026 "
                   "(company.yaml date_order: DMY) or an ISO date like 2024-02-29"),
    ("03/31/2026", "'03/31/2026' is not a real calendar date; expected day/month/year like 31/03/2026"),
    ("1/2/26", "'1/2/26' is not a date; expected day/month/year like 31/03/2026"),
    ("2026-13-01", "'2026-13-01' is not a real calendar date; expected day/month/year"),
])
def test_bad_day_first_dates_are_refused(tmp_path, cell, message):
    staff = TINY_FILES["staff.csv"].replace("2026-02-15", cell)
    lines = problems_of(tmp_path, {"company.yaml": _company("DMY"), "staff.csv": staff})
    assert len(lines) == 1 and lines[0].startswith(f"staff.csv, row 4, column start_date: {message}"), lines


@pytest.mark.parametrize("order", ["YMD", "dd/mm/yyyy", 5])
def test_an_unknown_date_order_is_refused(tmp_path, order):
    lines = problems_of(tmp_path, {"company.yaml": f"name: X\ncurrency: EUR\ndate_order: {order}\n"})
    assert lines[0].startswith(f"company.yaml, key date_order: {order!r} is not a date order; expected DMY")
