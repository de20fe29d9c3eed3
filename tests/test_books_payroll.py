"""Staff from payroll (issue 15): an employee export into staff.csv, checked by the staff loader's rules."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from planning import load_dataset
from planning.books.files import import_staff
from planning.cli import main
from planning.errors import InputError

PAYROLL_YAML = """\
columns:
  employee_id: Employee ID
  name: [First Name, Surname]
  department: Department
  role: Job Title
  annual_salary: Annual Salary
  start_date: Start Date
  end_date: Termination Date
  bonus_eligible: Bonus Eligible
hours_per_week: Ordinary Hours
full_time_hours: 38
date_format: "%d/%m/%Y"
departments: {Finance and HR: Finance & HR}
"""
HEADER = ["Employee ID", "First Name", "Surname", "Department", "Job Title", "Annual Salary", "Ordinary Hours",
          "Start Date", "Termination Date", "Bonus Eligible"]


def export_rows(staff_csv):
    """The sample staff as a payroll system's employee report would list them."""
    rows = []
    with open(staff_csv, newline="") as fh:
        for r in csv.DictReader(fh):
            first, _, last = r["name"].partition(" ")
            dmy = lambda iso: date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""  # noqa: E731
            rows.append([r["employee_id"], first, last, r["department"].replace("&", "and"), r["role"],
                         f"${int(r['annual_salary']):,}.00", f"{float(r['fte']) * 38:g}", dmy(r["start_date"]),
                         dmy(r["end_date"]), "Yes" if r["bonus_eligible"] == "true" else "No"])
    return rows


def write_export(path, rows):
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerows([["Employee Details"], ["Bluegum Fitouts Pty Ltd (fictional)"], [], HEADER, *rows])


@pytest.fixture
def payroll(sample_copy, tmp_path):
    (sample_copy / "payroll.yaml").write_text(PAYROLL_YAML)
    rows = export_rows(sample_copy / "staff.csv")
    return sample_copy, tmp_path / "employees.csv", rows


def test_the_sample_staff_round_trip_through_a_payroll_export(payroll, capsys):
    folder, export, rows = payroll
    write_export(export, rows)
    before = load_dataset(folder).staff
    assert main(["import-staff", str(export), "--into", str(folder)]) == 0
    assert "nothing to change" in capsys.readouterr().out
    (folder / "staff.csv").unlink()
    assert main(["import-staff", str(export), "--into", str(folder)]) == 0
    after = load_dataset(folder).staff
    assert after.equals(before)


def test_a_joiner_is_added_and_a_pay_rise_needs_replace(payroll, capsys):
    folder, export, rows = payroll
    rows[2][5] = "$120,500.00"                                   # E003 gets a rise
    rows.append(["E900", "Ana", "New", "Sales", "Associate", "$80,000.00", "30.4", "01/06/2026", "", "Yes"])
    write_export(export, rows)
    args = ["import-staff", str(export), "--into", str(folder)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "staff.csv, row 4, column employee_id: E003 is already there and the payroll differs " \
           "(annual_salary 114000 -> 120500); pass --replace" in err
    assert main([*args, "--replace"]) == 0
    out = capsys.readouterr().out
    assert "E900 Ana New: joins (Sales, Associate, from 2026-06-01)" in out
    staff = load_dataset(folder).staff.set_index("employee_id")
    assert staff.loc["E003", "annual_salary"] == 120500 and staff.loc["E900", "fte"] == 0.8


@pytest.mark.parametrize("change, expected", [
    (lambda rows: rows[0].__setitem__(5, "12k"),
     "employees.csv, row 5, column annual_salary (Annual Salary): '12k' is not an amount"),
    (lambda rows: rows[1].__setitem__(6, "45"),
     "employees.csv, row 6, column fte (Ordinary Hours / 38 h): '1.1842' is out of range; expected an FTE above 0 and at most 1"),
    (lambda rows: rows[1].__setitem__(0, "E001"),
     "employees.csv, row 6, column employee_id (Employee ID): duplicate employee_id 'E001' (also on row 5)"),
    (lambda rows: rows[3].__setitem__(8, "01/01/2000"),
     "employees.csv, row 8, column end_date (Termination Date): 2000-01-01 is before start_date"),
    (lambda rows: rows[3].__setitem__(7, "2009-31-12"),
     "employees.csv, row 8, column start_date (Start Date): '2009-31-12' is not a real calendar date"),
    (lambda rows: rows[4].__setitem__(9, "maybe"),
     "employees.csv, row 9, column bonus_eligible (Bonus Eligible): 'maybe' is not true or false"),
])
def test_bad_payroll_rows_are_refused_with_the_staff_loaders_rules(payroll, capsys, change, expected):
    folder, export, rows = payroll
    change(rows)
    write_export(export, rows)
    before = (folder / "staff.csv").read_bytes()
    assert main(["import-staff", str(export), "--into", str(folder), "--replace"]) == 2
    err = capsys.readouterr().err
    assert any(line.startswith("error: " + expected) for line in err.splitlines()), err
    assert (folder / "staff.csv").read_bytes() == before


def test_payroll_yaml_is_checked(payroll):
    folder, export, rows = payroll
    write_export(export, rows)
    (folder / "payroll.yaml").write_text("columns: {employee_id: ID, salary: Pay}\nhours_per_week: Hours\n")
    with pytest.raises(InputError) as err:
        import_staff(export, folder)
    text = str(err.value)
    assert "payroll.yaml, key columns.salary: is not a column of staff.csv" in text
    assert "payroll.yaml, key columns.name: is missing" in text
    assert "payroll.yaml, key full_time_hours: None is not a number of hours" in text
