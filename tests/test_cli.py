"""The command line as a user meets it: outputs, exit codes, and nothing written on bad input."""

import json
import subprocess
import sys

import pytest

from planning.bookkeeper import CONFIDENTIAL
from planning.cli import main
from tests.conftest import ROOT, write_dataset


def run(*args):
    """Run the real ``python -m planning`` (so tracebacks would show up in stderr)."""
    return subprocess.run([sys.executable, "-m", "planning", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT)


def test_validate_sample():
    out = run("validate", "--data", "data")
    assert out.returncode == 0, out.stderr
    assert "dataset is valid" in out.stdout and "8 periods (2025Q1 to 2026Q4)" in out.stdout


def test_validate_describes_the_gates_in_words(tmp_path, capsys):
    folder = write_dataset(tmp_path / "d", {"plan.yaml": "gates: {gop: 0.975}\npool: {rate: 0.3}\n"})
    assert main(["validate", "--data", str(folder)]) == 0
    assert "  plan:     gates GOP at least 97.5%; pool excess_gop_share; shared by salary" in capsys.readouterr().out
    (folder / "plan.yaml").write_text("pool: {rate: 0.3}\n")
    assert main(["validate", "--data", str(folder)]) == 0
    assert "  plan:     no gates; pool" in capsys.readouterr().out   # not 'gates revenue None, GOP None'


def test_validate_notes_department_weights_for_no_department(tmp_path, capsys):
    folder = write_dataset(tmp_path / "d", {"plan.yaml": "pool: {rate: 0.3}\n"
                                                         "distribution: {department_weights: {sales: 2, IT: 1.5}}\n"})
    assert main(["validate", "--data", str(folder)]) == 0
    assert ("note:     distribution.department_weights names 'sales', which no one in staff.csv belongs to"
            in capsys.readouterr().out)


def test_pnl_json_keys_and_numbers(tiny_dir, capsys):
    assert main(["pnl", "--data", str(tiny_dir), "--period", "2026Q1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["period", "revenue", "cogs", "gross_profit", "opex", "gop", "revenue_target",
                          "gop_target", "revenue_attainment", "gop_attainment"]
    assert data["gop"] == 210000 and data["gop_attainment"] == 1.05 and data["period"] == "2026Q1"


def test_pnl_text(capsys):
    assert main(["pnl", "--data", str(ROOT / "data"), "--period", "2026Q4"]) == 0
    assert "AUD 650,671.79" in capsys.readouterr().out


def test_bonus_json_to_file_only_on_success(tiny_dir, tmp_path, capsys):
    out = tmp_path / "bonus.json"
    assert main(["bonus", "--data", str(tiny_dir), "--period", "2026Q1", "--json", "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["pool"] == 5000.0 and sum(a["payout"] for a in data["allocations"]) == pytest.approx(5000)
    bad = tmp_path / "bad.json"
    assert main(["bonus", "--data", str(tiny_dir), "--period", "2030Q1", "--json", "--output", str(bad)]) == 2
    assert not bad.exists()
    assert list(tmp_path.glob(".*tmp")) == []


def test_bonus_with_another_plan_and_xlsx(tiny_dir, tmp_path, capsys):
    plan = tmp_path / "alt.yaml"
    plan.write_text("gates: {gop: 1.0}\npool: {method: excess_gop_share, rate: 0.2}\ndistribution: {method: equal}\n")
    book = tmp_path / "out" / "bonus.xlsx"
    assert main(["bonus", "--data", str(tiny_dir), "--period", "2026Q1", "--plan", str(plan),
                 "--xlsx", str(book)]) == 0
    text = capsys.readouterr().out
    assert "The bonus pool is EUR 2,000.00." in text and "Pool EUR 2,000.00 = allocated EUR 2,000.00" in text
    import openpyxl

    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["summary", "people"]
    header = [c.value for c in wb["people"][1]]
    rows = [r for r in wb["people"].iter_rows(min_row=2, values_only=True) if r[0] is not None]
    payouts = [r[header.index("payout")] for r in rows if r[0] not in ("Total", CONFIDENTIAL)]
    totals = [r[header.index("payout")] for r in rows if r[0] == "Total"]
    assert round(sum(payouts), 2) == 2000.0 and totals == [2000.0]   # people, then the totals row


def test_bonus_xlsx_keeps_names_that_look_like_formulas_as_text(tmp_path, capsys):
    staff = ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
             'A1,"=HYPERLINK(""http://evil.example"",""Ann"")",=1+1,Manager,100000,1,2020-01-01,,true\n')
    folder = write_dataset(tmp_path / "d", {"staff.csv": staff})
    book = tmp_path / "bonus.xlsx"
    assert main(["bonus", "--data", str(folder), "--period", "2026Q1", "--xlsx", str(book)]) == 0
    import openpyxl

    people = openpyxl.load_workbook(book)["people"]
    name, department = people["B2"], people["C2"]
    assert name.value == '=HYPERLINK("http://evil.example","Ann")' and name.data_type == "s"
    assert department.value == "=1+1" and department.data_type == "s"


@pytest.mark.parametrize("bad", ["output", "xlsx"])
def test_bonus_output_that_cannot_be_written_is_one_line_and_writes_nothing(tiny_dir, tmp_path, bad):
    folder = tmp_path / "a folder"
    folder.mkdir()
    good = {"output": tmp_path / "bonus.json", "xlsx": tmp_path / "bonus.xlsx"}
    paths = {**good, bad: folder}
    result = run("bonus", "--data", tiny_dir, "--period", "2026Q1", "--json",
                 "--output", paths["output"], "--xlsx", paths["xlsx"])
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: --{bad}: {folder} cannot be written (Is a directory); expected a file in a folder you can write to"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a folder", "tiny"]   # nor the other file


def test_another_plan_without_points_for_a_role_names_that_plan(tiny_dir, tmp_path):
    plan = tmp_path / "points.yaml"
    plan.write_text("pool: {rate: 0.5}\ndistribution: {method: points, points: {Manager: 2}}\n")
    result = run("bonus", "--data", tiny_dir, "--period", "2026Q1", "--plan", plan)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: points.yaml, key distribution.points: role {role!r} has no points and there is no 'default'; "
        "expected points for every role or a default" for role in ("Associate", "Director")]


@pytest.mark.parametrize(("files", "args", "expected"), [
    ({"staff.csv": "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
                   "A1,Ann,Sales,M,12k,1,2020-01-01,,true\n"},
     ["bonus", "--period", "2026Q1", "--json"],
     "error: staff.csv, row 2, column annual_salary: '12k' is not a number"),
    ({"plan.yaml": "gates: {gop: 95}\npool: {rate: 0.3}\n"}, ["validate"],
     "error: plan.yaml, key gates.gop: 95 is out of range"),
    ({"plan.yaml": "gates: [\n"}, ["pnl", "--period", "2026Q1"], "error: plan.yaml, line 2: YAML syntax error"),
    ({}, ["pnl", "--period", "2026Q5"], "error: --period: '2026Q5' has quarter 5"),
    ({}, ["bonus", "--period", "2027Q1"], "error: actuals.csv, key period: has no rows for period 2027Q1"),
])
def test_bad_input_exits_2_with_one_clear_line_and_no_traceback(tmp_path, files, args, expected):
    folder = write_dataset(tmp_path / "d", files)
    out_file = tmp_path / "out.json"
    result = run(*args, "--data", folder, *(["--output", out_file] if args[0] == "bonus" else []))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(expected), result.stderr
    assert result.stdout == ""
    assert not out_file.exists()


def test_missing_dataset_folder(tmp_path):
    result = run("validate", "--data", tmp_path / "nope")
    assert result.returncode == 2 and "not found; expected a dataset folder or an .xlsx workbook" in result.stderr


def test_planning_entry_point_exists():
    exe = ROOT / ".venv" / "bin" / "planning"
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    out = subprocess.run([str(exe), "validate", "--data", str(ROOT / "data")], capture_output=True, text=True)
    assert out.returncode == 0


def test_a_bad_staff_csv_and_a_bad_scenarios_yaml_are_reported_in_one_run(tmp_path):
    folder = write_dataset(tmp_path / "d", {
        "staff.csv": "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
                     "A1,Ann,Sales,M,12k,1,2020-01-01,,true\n",
        "scenarios.yaml": "scenarios: {base: {drivers: {leeds: 0.2}}}\n"})
    result = run("validate", "--data", folder)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("error: staff.csv, row 2, column annual_salary: '12k' is not a number")
    assert lines[1].startswith("error: scenarios.yaml, key scenarios.base.drivers.leeds: unknown driver 'leeds'")
