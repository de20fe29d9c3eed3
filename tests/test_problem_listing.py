"""A file with thousands of bad cells: the listing is capped per column and quoted values are
clipped (issue 11, item 4), on every path that lists problems."""

from __future__ import annotations

import pytest

from planning import InputError, load_dataset
from planning.cli import main
from planning.errors import MAX_LISTED, Problem, cap_problems, quoted
from planning.proposals import load_proposals
from tests.conftest import write_dataset
from tests.test_books import XERO, folder
from tests.test_proposals import HEADER as PROPOSALS_HEADER

STAFF_HEADER = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"


def bad_staff(rows: int, salary: str = "x" * 1000) -> str:
    return STAFF_HEADER + "".join(f"E{i},N{i},Sales,Associate,{salary},1,2020-01-01,,true\n"
                                  for i in range(rows))


def problems_of(folder_path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_dataset(folder_path)
    return [str(p) for p in info.value.problems]


def test_thousands_of_bad_salaries_are_ten_lines_and_one_summary(tmp_path):
    lines = problems_of(write_dataset(tmp_path / "d", {"staff.csv": bad_staff(2500)}))
    salary = [line for line in lines if "column annual_salary" in line]
    assert len(salary) == MAX_LISTED + 1
    assert salary[-1] == "staff.csv: ... and 2,490 more bad values in column annual_salary"
    assert salary[0].startswith("staff.csv, row 2, column annual_salary: 'xxxxxxxx")
    assert all(len(line) < 250 for line in lines)


def test_the_cli_prints_the_capped_listing_and_json_keeps_its_keys(tmp_path, capsys):
    data = write_dataset(tmp_path / "d", {"staff.csv": bad_staff(3000, "12k")})
    assert main(["validate", "--data", str(data)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == MAX_LISTED + 1 and err[-1].endswith("2,990 more bad values in column annual_salary")
    assert main(["validate", "--data", str(data), "--json"]) == 2
    import json
    shown = json.loads(capsys.readouterr().out)["problems"]
    assert len(shown) == MAX_LISTED + 1 and set(shown[-1]) == {"file", "row", "column", "message"}


def test_every_kind_of_column_is_capped(tmp_path):
    rows = "".join(f"E{i},N{i},Sales,Associate,{'' if i % 2 else '-5'},7,2020-13-01,x,maybe\n"
                   for i in range(200))
    lines = problems_of(write_dataset(tmp_path / "d", {"staff.csv": STAFF_HEADER + rows,
                                                        "targets.csv": "period,revenue_target,gop_target\n"
                                                        + "2026Q9,1,1\n" * 300}))
    for column in ("annual_salary", "fte", "start_date", "end_date", "bonus_eligible", "period"):
        named = [line for line in lines if f"column {column}" in line]
        assert len(named) == MAX_LISTED + 1, (column, named)


def test_a_long_value_is_clipped_in_every_message():
    assert quoted("short") == "'short'"
    clipped = quoted("a" * 5000)
    assert clipped.endswith("...'") and len(clipped) < 50


def test_capping_twice_changes_nothing_and_keeps_order():
    many = [Problem("f.csv", r, "c", "bad") for r in range(2, 40)] + [Problem("f.csv", 3, "d", "bad")]
    once = cap_problems(many)
    assert cap_problems(once) == once
    assert [p.row for p in once[:MAX_LISTED]] == list(range(2, 2 + MAX_LISTED))
    assert once[MAX_LISTED].message == "... and 28 more bad values in column c"
    assert once[-1].column == "d"


def test_proposals_listing_is_capped(sample_copy):
    dataset = load_dataset(sample_copy)
    (sample_copy / "proposals.csv").write_text(PROPOSALS_HEADER + "".join(
        f"2026Q2,Dept{i},1000000,200000,900000,1100000,150000,250000,x\n" for i in range(500)))
    with pytest.raises(InputError) as info:
        load_proposals(dataset)
    departments = [p for p in info.value.problems if "department" in (p.column, p.of_column)]
    assert len(departments) == MAX_LISTED + 1


def test_books_import_listing_is_capped(tmp_path, capsys):
    into = folder(tmp_path, "Department", "")
    bad = "".join(f"03 Jul 2024,Receivable Invoice,Fit,INV-{i},4000,Project Revenue,Revenue,Sales,,{'z' * 300},AUD\n"
                  for i in range(2000))
    export = tmp_path / "xero.csv"
    export.write_text(XERO + bad, encoding="utf-8")
    assert main(["import", "--from", "xero", str(export), "--into", str(into), "--check"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) <= 3 * (MAX_LISTED + 1) and all(len(line) < 300 for line in err)
    assert any("more bad values" in line for line in err)
