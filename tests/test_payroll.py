"""``bonus --csv``: one line per payout, in a shape payroll systems import, to the cent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from planning.cli import main
from planning.money import minor_digits
from planning.payroll import PAYROLL_COLUMNS, payroll_csv_text, payroll_frame, spreadsheet_safe
from tests.conftest import ROOT, SAMPLE, write_dataset


def _bonus_json(folder, period, capsys):
    assert main(["bonus", "--data", str(folder), "--period", period, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("period", ["2026Q1", "2026Q3"])
def test_the_payroll_csv_round_trips_through_pandas_to_the_cents_of_bonus_json(tmp_path, period, capsys):
    out = tmp_path / "payroll.csv"
    assert main(["bonus", "--data", str(SAMPLE), "--period", period, "--csv", str(out)]) == 0
    capsys.readouterr()
    data = _bonus_json(SAMPLE, period, capsys)
    table = pd.read_csv(out, dtype={"employee_id": str, "amount": str})
    assert tuple(table.columns) == PAYROLL_COLUMNS
    paid = {a["employee_id"]: a for a in data["allocations"] if a["payout"] > 0}
    assert table["employee_id"].tolist() == list(paid)                 # one line per payout, in order
    assert table["name"].tolist() == [a["name"] for a in paid.values()]
    cents = {r.employee_id: int(r.amount.replace(".", "")) for r in table.itertuples()}
    assert cents == {k: round(a["payout"] * 100) for k, a in paid.items()}
    assert sum(cents.values()) == round(data["allocated"] * 100)
    assert set(table["period"]) == {period} and set(table["currency"]) == {"AUD"}
    assert set(table["pay_item"]) == {"Success bonus"}
    assert all(len(a.split(".")[1]) == 2 for a in table["amount"])   # always two decimals for AUD


@pytest.mark.parametrize("currency", ["JPY", "KWD"])
def test_payroll_amounts_are_in_the_currency_minor_unit(tmp_path, currency, capsys):
    folder = tmp_path / currency
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xlsx", "scenarios.yaml"))
    (folder / "company.yaml").write_text((folder / "company.yaml").read_text().replace("AUD", currency))
    out = tmp_path / "p.csv"
    assert main(["bonus", "--data", str(folder), "--period", "2026Q1", "--csv", str(out)]) == 0
    capsys.readouterr()
    data = _bonus_json(folder, "2026Q1", capsys)
    digits = minor_digits(currency)
    table = pd.read_csv(out, dtype=str)
    assert all(("." not in a) if digits == 0 else len(a.split(".")[1]) == digits for a in table["amount"])
    units = sum(int(a.replace(".", "")) for a in table["amount"])
    assert units == round(data["allocated"] * 10**digits)


def test_nobody_paid_gives_a_header_only_file(tmp_path, tiny_dir, capsys):
    out = tmp_path / "p.csv"
    assert main(["bonus", "--data", str(tiny_dir), "--period", "2026Q2", "--csv", str(out)]) == 0
    assert out.read_bytes() == (",".join(PAYROLL_COLUMNS) + "\r\n").encode()


def test_names_that_look_like_formulas_are_defused_and_quoted(tmp_path, capsys):
    staff = ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
             'A1,"=HYPERLINK(""http://evil.example"",""Ann"")",Sales,Manager,100000,1,2020-01-01,,true\n'
             'A2,"Smith, Bob",Sales,Manager,100000,1,2020-01-01,,true\n')
    folder = write_dataset(tmp_path / "d", {"staff.csv": staff})
    out = tmp_path / "p.csv"
    assert main(["bonus", "--data", str(folder), "--period", "2026Q1", "--csv", str(out)]) == 0
    table = pd.read_csv(out, dtype=str)
    assert table["name"].tolist() == ["'=HYPERLINK(\"http://evil.example\",\"Ann\")", "Smith, Bob"]
    assert spreadsheet_safe("-5") == "'-5" and spreadsheet_safe("E001") == "E001"


def test_amount_text_is_exact_for_large_amounts():
    frame = payroll_frame(pd.DataFrame({"employee_id": ["1"], "name": ["A"], "payout": [9_999_999_999.99]}),
                          "2026Q1", "AUD")
    assert frame["amount"].tolist() == ["9999999999.99"]
    assert payroll_csv_text(frame).splitlines()[1] == "1,A,2026Q1,Success bonus,9999999999.99,AUD"


def test_a_csv_that_cannot_be_written_is_one_line_and_writes_nothing(tiny_dir, tmp_path):
    folder = tmp_path / "a folder"
    folder.mkdir()
    result = subprocess.run([sys.executable, "-m", "planning", "bonus", "--data", str(tiny_dir), "--period",
                             "2026Q1", "--xlsx", str(tmp_path / "b.xlsx"), "--csv", str(folder)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: --csv: {folder} cannot be written (Is a directory); expected a file in a folder you can write to"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a folder", "tiny"]


def test_a_year_gives_one_line_per_quarter_payout_then_the_year_end_release(tmp_path):
    """year --csv's rows, on the shape of planning.year.YearResult (quarters, year_end)."""
    from types import SimpleNamespace

    from planning.payroll import YEAR_END_PAY_ITEM, year_payroll_frame

    def people(payouts):
        return pd.DataFrame({"employee_id": ["A1", "A2"], "name": ["Ann", "Bob"], "payout": payouts})

    quarters = (SimpleNamespace(period="2026Q1", allocations=people([100.5, 0.0])),
                SimpleNamespace(period="2026Q2", allocations=people([0.0, 0.0])),
                SimpleNamespace(period="2026Q3", allocations=people([1.25, 2.75])))
    year = SimpleNamespace(quarters=quarters, year_end=SimpleNamespace(allocations=people([10.0, 0.01])),
                           fiscal_year="FY2026", currency="AUD")
    frame = year_payroll_frame(year)
    assert frame[["employee_id", "period", "pay_item", "amount"]].values.tolist() == [
        ["A1", "2026Q1", "Success bonus", "100.50"], ["A1", "2026Q3", "Success bonus", "1.25"],
        ["A2", "2026Q3", "Success bonus", "2.75"], ["A1", "FY2026", YEAR_END_PAY_ITEM, "10.00"],
        ["A2", "FY2026", YEAR_END_PAY_ITEM, "0.01"]]
    in_progress = SimpleNamespace(quarters=quarters[:2], year_end=None, fiscal_year="FY2026", currency="AUD")
    assert year_payroll_frame(in_progress)["period"].tolist() == ["2026Q1"]   # no year end yet
