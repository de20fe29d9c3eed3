"""``planning year`` and ``bonus --period`` with a year plan; the year section's bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planning.cli import main
from tests.conftest import write_dataset

YEAR_PLAN = """\
gates: {revenue: 0.95, gop: 1.0}
pool: {method: excess_gop_share, rate: 0.5}
distribution: {method: salary}
year:
  settle: year_to_date
  holdback: 0.2
  year_end: {gates: {revenue: 1.0}}
"""


@pytest.fixture
def year_dir(tmp_path):
    return write_dataset(tmp_path / "year", {"plan.yaml": YEAR_PLAN})


def test_year_json_has_exactly_the_keys_and_a_year_in_progress_has_null_year_end(year_dir, capsys):
    assert main(["year", "--data", str(year_dir), "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["fiscal_year", "quarters", "year_end", "people"]
    assert data["fiscal_year"] == 2026
    assert [list(q) for q in data["quarters"]] == [["period", "earned_to_date", "pool", "shared_now", "held_back",
                                                    "allocated", "unallocated", "reserve"]] * 2
    q1, q2 = data["quarters"]
    # 2026Q1: GOP 210,000 of 200,000 -> 5,000 earned, 1,000 held back. 2026Q2 is behind for the year.
    assert (q1["earned_to_date"], q1["pool"], q1["held_back"], q1["shared_now"]) == (5000, 5000, 1000, 4000)
    assert (q2["pool"], q2["reserve"]) == (0, 1000)
    assert data["year_end"] == dict.fromkeys(["reserve", "gates_passed", "released", "forfeited", "allocated",
                                              "unallocated"])
    person = data["people"][0]
    assert list(person) == ["employee_id", "name", "quarters", "year_end", "total"]
    assert person["quarters"] == {"2026Q1": pytest.approx(person["total"]), "2026Q2": 0.0}
    assert person["year_end"] is None
    assert sum(p["total"] for p in data["people"]) == pytest.approx(4000)


def test_year_text_and_workbook_agree_with_the_json(year_dir, tmp_path, capsys):
    book = tmp_path / "year.xlsx"
    assert main(["year", "--data", str(year_dir), "--year", "FY2026", "--json", "--xlsx", str(book)]) == 0
    data = json.loads(capsys.readouterr().out)
    quarters = pd.read_excel(book, sheet_name="quarters")
    assert quarters.to_dict("records") == data["quarters"]
    people = pd.read_excel(book, sheet_name="people", dtype={"employee_id": str})
    assert people["total"].tolist() == [p["total"] for p in data["people"]]
    assert main(["year", "--data", str(year_dir), "--year", "2026"]) == 0
    text = capsys.readouterr().out
    assert "behind its GOP target for the year so far, so this quarter adds nothing until that is made good" in text
    assert "it is paid at the year end of FY2026 only if the full year's revenue reaches" in text


def test_bonus_with_a_year_plan_shows_the_quarter_as_the_year_settles_it(year_dir, tiny_dir, capsys):
    assert main(["bonus", "--data", str(year_dir), "--period", "2026Q1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["pool"], data["earned_to_date"], data["shared_now"], data["held_back"]) == (5000, 5000, 4000, 1000)
    assert data["allocated"] + data["unallocated"] + data["held_back"] == data["pool"]
    assert sum(a["payout"] for a in data["allocations"]) == pytest.approx(4000)
    assert main(["bonus", "--data", str(year_dir), "--period", "2026Q1"]) == 0
    assert "+ held back EUR 1,000.00" in capsys.readouterr().out
    # Without year: the JSON has none of the year's keys.
    assert main(["bonus", "--data", str(tiny_dir), "--period", "2026Q1", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert not {"earned_to_date", "shared_now", "held_back"} & set(plain)


@pytest.mark.parametrize("year, key, message", [
    ("{holdback: 20}", "year.holdback", "write 0.2 for 20%"),
    ("{settle: year_to_date, weights: [0.1, 0.2, 0.3, 0.4]}", "year.weights",
     "apply only to pool method payout_curve"),
    ("{settle: monthly}", "year.settle", "expected quarter"),
    ("{year_end: {gates: {gop: 100}}}", "year.year_end.gates.gop", "write 1 for 100%"),
    ("{year_end: {gate: {gop: 1}}}", "year.year_end.gate", "unknown key"),
])
def test_bad_year_sections_exit_2_naming_the_key_and_write_nothing(tmp_path, capsys, year, key, message):
    folder = write_dataset(tmp_path / "bad", {"plan.yaml": f"pool: {{rate: 0.3}}\nyear: {year}\n"})
    out = tmp_path / "out.json"
    for command in (["year", "--year", "2026"], ["bonus", "--period", "2026Q1"]):
        assert main([*command, "--data", str(folder), "--json", "--output", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"error: plan.yaml, key {key}: " in err and message in err
        assert not out.exists()


@pytest.mark.parametrize("distribution, key, message", [
    ("{method: {salary: 0.6, equal: 0.3}}", "distribution.method", "add up to 0.9; expected fractions adding up to 1"),
    ("{method: {salary: 0.6, bonus: 0.4}}", "distribution.method.bonus", "unknown method 'bonus' in the blend"),
    ("{method: {salary: 60, equal: 40}}", "distribution.method.salary", "write 0.6 for 60%"),
])
def test_bad_blends_exit_2(tmp_path, capsys, distribution, key, message):
    folder = write_dataset(tmp_path / "bad", {"plan.yaml": f"pool: {{rate: 0.3}}\ndistribution: {distribution}\n"})
    assert main(["bonus", "--data", str(folder), "--period", "2026Q1"]) == 2
    err = capsys.readouterr().err
    assert f"error: plan.yaml, key {key}: " in err and message in err


def test_weights_that_do_not_add_up_or_have_the_wrong_length(tmp_path, capsys):
    curve = "pool: {method: payout_curve, target_pool: 1000, curve: [[1, 1]]}\n"
    for weights, message in (("[0.1, 0.2, 0.3]", "has 3 weights; expected four weights"),
                             ("[10, 20, 30, 40]", "write [0.1, 0.2, 0.3, 0.4]"),
                             ("[0.5, 0.5, 0.5, 0.5]", "add up to 2")):
        folder = write_dataset(tmp_path / f"w{len(message)}", {
            "plan.yaml": curve + f"year: {{settle: year_to_date, weights: {weights}}}\n"})
        assert main(["year", "--data", str(folder), "--year", "2026"]) == 2
        err = capsys.readouterr().err
        assert "error: plan.yaml, key year.weights: " in err and message in err


def test_year_bad_arguments(year_dir, capsys):
    assert main(["year", "--data", str(year_dir), "--year", "26"]) == 2
    assert "error: --year: '26' is not a fiscal year" in capsys.readouterr().err
    assert main(["year", "--data", str(year_dir), "--year", "2027"]) == 2
    assert "has no rows for fiscal year 2027" in capsys.readouterr().err


def test_weights_need_settle_year_to_date_and_the_plan_round_trips(tmp_path, capsys):
    from planning.plan import parse_plan, plan_to_dict, with_overrides

    folder = write_dataset(tmp_path / "q", {"plan.yaml": "pool: {method: payout_curve, target_pool: 1000, "
                                                          "curve: [[1, 1]]}\nyear: {weights: [0.1, 0.2, 0.3, 0.4]}\n"})
    assert main(["year", "--data", str(folder), "--year", "2026"]) == 2
    assert "key year.weights: apply only with year.settle: year_to_date" in capsys.readouterr().err
    plan = parse_plan({"pool": {"method": "payout_curve", "target_pool": 1000, "curve": [[1, 1]]},
                       "distribution": {"method": {"salary": 0.6, "equal": 0.4}},
                       "year": {"settle": "year_to_date", "holdback": 0.25, "weights": [0.1, 0.2, 0.3, 0.4],
                                "year_end": {"gates": {"gop": 1.0}}}})
    assert parse_plan(plan_to_dict(plan)) == plan
    changed = with_overrides(plan, {"year.holdback": 0.2, "gates.gop": 0.9})
    assert changed.year.holdback == 0.2 and changed.year.weights == plan.year.weights
    assert changed.distribution.blend == {"salary": 0.6, "equal": 0.4}


def test_year_csv_is_one_payroll_line_per_payout_and_adds_up_to_the_json(tmp_path, capsys):
    from tests.conftest import SAMPLE
    plan = tmp_path / "plan.yaml"
    plan.write_text(YEAR_PLAN.replace("rate: 0.5", "rate: 0.3").replace("{revenue: 1.0}", "{revenue: 1.0, gop: 1.0}"))
    out = tmp_path / "year.csv"
    assert main(["year", "--data", str(SAMPLE), "--year", "2026", "--plan", str(plan), "--json",
                 "--csv", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    table = pd.read_csv(out, dtype={"employee_id": str, "amount": str, "period": str})
    assert list(table.columns) == ["employee_id", "name", "period", "pay_item", "amount", "currency"]
    assert set(table["period"]) == {q["period"] for q in data["quarters"] if q["allocated"]} | {"FY2026"}
    cents = table.assign(c=table["amount"].str.replace(".", "", regex=False).astype(int))
    by_person = cents.groupby("employee_id")["c"].sum()
    for person in data["people"]:
        assert by_person.get(person["employee_id"], 0) == round(person["total"] * 100)
    year_end = cents[cents["period"] == "FY2026"]["c"].sum()
    assert year_end == round(data["year_end"]["allocated"] * 100) and year_end > 0
