"""Headers, ids and rows that only look right (issue 11, item 6)."""

from __future__ import annotations

import pytest

from planning import InputError, load_dataset
from planning.cli import main
from planning.tables import comparable
from tests.conftest import TINY_FILES, write_dataset
from tests.test_books_payroll import payroll, write_export  # noqa: F401, F811 - payroll is a fixture

STAFF = TINY_FILES["staff.csv"]


def problems_of(tmp_path, overrides) -> list[str]:
    with pytest.raises(InputError) as info:
        load_dataset(write_dataset(tmp_path / "d", overrides))
    return [str(p) for p in info.value.problems]


def staff_with(*rows: str) -> str:
    return STAFF + "".join(f"        {row}\n" for row in rows)


@pytest.mark.parametrize("twin", ["A1\u200b", "\uff211", "A\u20601", "\ufeffA1"])
def test_ids_that_differ_only_by_invisible_or_look_alike_characters_are_duplicates(tmp_path, twin):
    lines = problems_of(tmp_path, {"staff.csv": staff_with(f"{twin},Zed,Sales,Associate,1000,1,2020-01-01,,true")})
    assert len(lines) == 1
    assert lines[0].startswith("staff.csv, row 7, column employee_id: duplicate employee_id ")
    assert "on row 2" in lines[0] and "'A1'" in lines[0] and "invisible or look-alike" in lines[0]


def test_an_exact_duplicate_keeps_its_message(tmp_path):
    lines = problems_of(tmp_path, {"staff.csv": staff_with("A1,Zed,Sales,Associate,1000,1,2020-01-01,,true")})
    assert lines == ["staff.csv, row 7, column employee_id: duplicate employee_id 'A1' (also on row 2); "
                     "expected one row each"]


def test_comparable_keeps_case_and_plain_ids():
    assert comparable("E003") == "E003" and comparable("e003") == "e003" and comparable(3) == 3


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path):
    lines = problems_of(tmp_path, {"staff.csv": staff_with("A9,Zed,Sales,Associate,1000,1,2020-01-01,,true,oops")})
    assert lines == ["staff.csv, row 7: has 10 cells but the header names 9 columns; expected no values right "
                     "of column I (a value with a comma or semicolon must be in quotes)"]


def test_trailing_empty_cells_are_fine(tmp_path):
    load_dataset(write_dataset(tmp_path / "d", {"staff.csv": staff_with("A9,Zed,Sales,Associate,1,1,2020-01-01,,true,,")}))


@pytest.mark.parametrize("when", ["2020-01-01 09:30", "2020-01-01T17:45:00"])
def test_a_date_with_a_time_of_day_is_refused_saying_so(tmp_path, when):
    lines = problems_of(tmp_path, {"staff.csv": staff_with(f"A9,Zed,Sales,Associate,1,1,{when},,true")})
    assert lines == [f"staff.csv, row 7, column start_date: '{when}' has a time of day; expected a date alone, "
                     "like 2024-02-29 (a payroll date has no time: in Excel, format the cell as a date)"]


def test_midnight_stays_a_date(tmp_path):
    load_dataset(write_dataset(tmp_path / "d", {"staff.csv": staff_with("A9,Zed,Sales,Associate,1,1,2020-01-01 00:00,,true")}))


@pytest.mark.parametrize("name", ["staff.csv", "actuals.csv", "targets.csv"])
def test_a_header_only_table_is_an_error(tmp_path, name):
    header = TINY_FILES[name].strip().splitlines()[0].strip()
    lines = problems_of(tmp_path, {name: header + "\n"})
    assert any(line.startswith(f"{name}, row 1: has a header but no rows; expected one row") for line in lines)


def test_a_header_only_payroll_export_is_refused_by_import_staff(payroll, capsys):  # noqa: F811
    folder, export, _ = payroll
    write_export(export, [])
    assert main(["import-staff", str(export), "--into", str(folder)]) == 2
    assert "has a header but no rows; expected one row per employee" in capsys.readouterr().err


def test_look_alike_ids_are_refused_by_import_staff(payroll, capsys):  # noqa: F811
    folder, export, rows = payroll
    rows[1][0] = rows[0][0] + "\u200b"
    write_export(export, rows)
    assert main(["import-staff", str(export), "--into", str(folder), "--replace"]) == 2
    assert "invisible or look-alike characters" in capsys.readouterr().err


def test_gop_target_beside_gop_target_is_refused(tmp_path):
    lines = problems_of(tmp_path, {"targets.csv": "period,revenue_target,gop_target,GOP Target\n2026Q1,1,1,1\n"})
    assert lines == ["targets.csv, row 1, column gop_target: appears 2 times in the header (columns C, D); "
                     "expected each column once (C 'gop_target' and D 'GOP Target' read as the same name: case, "
                     "spaces and underscores do not tell columns apart; delete or rename all but one)"]
