"""The team's proposed targets: validation with file/row/column, comparison, odds."""

from __future__ import annotations

import pandas as pd
import pytest

from planning import InputError, load_dataset
from planning.montecarlo import simulate
from planning.proposals import compare_proposals, load_proposals, owner_targets, proposal_odds
from tests.conftest import write_dataset

HEADER = ("period,department,proposed_revenue_target,proposed_gop_target,revenue_forecast_low,"
          "revenue_forecast_high,gop_forecast_low,gop_forecast_high,comment\n")
GOOD = "2026Q2,Sales,1000000,200000,900000,1100000,150000,250000,steady\n"


def problems_of(dataset, text: str) -> list[str]:
    (dataset.root / "proposals.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_proposals(dataset)
    return [str(p) for p in info.value.problems]


def test_sample_proposals_load_typed_in_file_order(sample):
    proposals = load_proposals(sample)
    assert list(proposals["department"]) == ["Sales", "Marketing", "Fulfilment", "IT", "Finance & HR"]
    assert set(proposals["period"]) == {"2027Q1"}
    assert proposals["proposed_revenue_target"].dtype == float
    assert proposals.loc[3, "comment"] == "The owner's draft looks right to us."


def test_comment_is_optional_and_a_path_can_be_given(tiny, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER.replace(",comment", "") + GOOD.replace(",steady", ""), encoding="utf-8")
    proposals = load_proposals(tiny, path)
    assert proposals.loc[0, "comment"] == "" and proposals.loc[0, "proposed_gop_target"] == 200000.0


@pytest.mark.parametrize("row, expected", [
    ("2026Q2,Sales,1e6,200k,900000,1100000,150000,250000,x",
     "proposals.csv, row 3, column proposed_gop_target: '200k' is not a number"),
    ("2026Q2,Sales,0,200000,900000,1100000,150000,250000,x",
     "proposals.csv, row 3, column proposed_revenue_target: '0' is not above 0; expected a target above 0"),
    ("2026Q2,Sales,1000000,200000,-5,1100000,150000,250000,x",
     "proposals.csv, row 3, column revenue_forecast_low: '-5' is negative"),
    ("2026Q2,Sales,1000000,200000,1200000,1100000,150000,250000,x",
     "proposals.csv, row 3, column revenue_forecast_low: 1,200,000.00 is above revenue_forecast_high "
     "1,100,000.00; expected low <= high"),
    ("2026Q2,Sales,1000000,200000,900000,1100000,300000,250000,x",
     "proposals.csv, row 3, column gop_forecast_low: 300,000.00 is above gop_forecast_high"),
    ("2026Q5,IT,1000000,200000,900000,1100000,150000,250000,x",
     "proposals.csv, row 3, column period: '2026Q5' has quarter 5"),
    ("2026Q2,Legal,1000000,200000,900000,1100000,150000,250000,x",
     "proposals.csv, row 3, column department: 'Legal' is not a department of staff.csv or actuals.csv; "
     "expected one of: IT, Marketing, Sales"),
    ("2026Q2,,1000000,200000,900000,1100000,150000,250000,x",
     "proposals.csv, row 3, column department: is empty"),
    ("2026Q2,Sales,1000000,200000,900000,1100000,150000,250000,again",
     "proposals.csv, row 3, column department: duplicate period and department '2026Q2, Sales' "
     "(also on row 2)"),
])
def test_bad_cells_are_named_by_file_row_and_column(tiny, row, expected):
    found = problems_of(tiny, HEADER + GOOD + row + "\n")
    assert any(p.startswith(expected) for p in found), found


def test_gop_forecasts_may_be_negative_and_every_problem_is_reported(tiny):
    load_ok = HEADER + "2026Q2,IT,1000000,200000,900000,1100000,-50000,250000,loss possible\n"
    (tiny.root / "proposals.csv").write_text(load_ok, encoding="utf-8")
    assert load_proposals(tiny).loc[0, "gop_forecast_low"] == -50000.0
    found = problems_of(tiny, HEADER + "2026Q2,Legal,x,200000,900000,1100000,150000,250000,\n"
                        "2026Q2,Sales,1000000,0,900000,1100000,150000,250000,\n")
    assert len(found) == 3


def test_missing_column_file_and_rows(tiny, tmp_path):
    found = problems_of(tiny, HEADER.replace("gop_forecast_high,", "") + GOOD.replace("250000,", ""))
    assert found[0].startswith("proposals.csv, row 1, column gop_forecast_high: missing column")
    assert problems_of(tiny, HEADER) == ["proposals.csv: has no proposals; expected one row per department"]
    bare = load_dataset(write_dataset(tmp_path / "bare"))
    with pytest.raises(InputError, match="proposals.csv: file not found"):
        load_proposals(bare)


def test_owner_targets_from_targets_csv_or_the_base_scenario(sample, tiny):
    assert owner_targets(sample, "2026Q4") == (4540000.0, 477000.0)
    assert owner_targets(sample, "2027Q1") == (4440000.0, 466000.0)  # scenarios.yaml's budget
    with pytest.raises(InputError, match="targets.csv"):
        owner_targets(tiny, "2026Q3")


def test_comparison_with_the_owner_and_with_the_departments_own_forecast():
    proposals = pd.DataFrame({
        "period": ["2027Q1"] * 3, "department": ["A", "B", "C"],
        "proposed_revenue_target": [900.0, 1100.0, 1000.0], "proposed_gop_target": [90.0, 100.0, 100.0],
        "revenue_forecast_low": [950.0, 900.0, 900.0], "revenue_forecast_high": [1050.0, 1050.0, 1100.0],
        "gop_forecast_low": [80.0, 80.0, 80.0], "gop_forecast_high": [120.0, 120.0, 120.0],
        "comment": ["", "", ""],
    })
    table = compare_proposals(proposals, revenue_target=1000.0, gop_target=100.0)
    assert table["revenue_vs_owner"].tolist() == pytest.approx([-0.1, 0.1, 0.0])
    assert table["gop_vs_owner"].tolist() == pytest.approx([-0.1, 0.0, 0.0])
    assert table["stance"].tolist() == ["below own forecast", "above own forecast", "within own forecast"]
    assert table["revenue_forecast_mid"].tolist() == [1000.0, 975.0, 1000.0]


def test_odds_per_proposal_share_one_simulation(sample):
    proposals = load_proposals(sample)
    odds = proposal_odds(sample, "2027Q1", proposals, draws=4000, seed=11)
    assert list(odds.index) == ["owner", *proposals["department"]]
    reference = simulate(sample, "2027Q1", "base", draws=4000, seed=11)
    assert odds.loc["owner", "p_gates_passed"] == reference.p_gates_passed
    assert odds.loc["owner", "expected_pool"] == reference.expected_pool
    # IT proposes the owner's own targets: the same simulated quarters give the same answer
    assert odds.loc["IT"].tolist() == odds.loc["owner"].tolist()
    # with the same quarters, lower targets can only pass the gates more often
    assert odds.loc["Sales", "p_gates_passed"] > odds.loc["owner", "p_gates_passed"]
    assert odds.loc["Marketing", "p_gates_passed"] < odds.loc["owner", "p_gates_passed"]
    assert odds.attrs["base_period"] == "2026Q4"
    again = proposal_odds(sample, "2027Q1", proposals, draws=4000, seed=11)
    pd.testing.assert_frame_equal(odds, again)



def test_owner_targets_need_no_projection_of_the_quarter(tmp_path):
    """The base scenario's uncertainty on leads cannot project a quarter without campaigns, but
    that quarter's targets are still the owner's targets."""
    from planning.scenarios import build_model
    from planning.ui.targets import TargetSetting

    folder = write_dataset(tmp_path / "d", {"scenarios.yaml": (
        "scenarios:\n  base:\n    uncertainty:\n      leads: {dist: norm, loc: 0, scale: 0.1}\n"
        "    targets:\n      2026Q3: {revenue_target: 1200000, gop_target: 250000}\n")})
    (folder / "proposals.csv").write_text(HEADER + GOOD.replace("2026Q2", "2026Q3"), encoding="utf-8")
    ds = load_dataset(folder)
    assert owner_targets(ds, "2026Q2") == (1000000.0, 200000.0)  # targets.csv
    assert owner_targets(ds, "2026Q3") == (1200000.0, 250000.0)  # the base scenario's budget
    with pytest.raises(InputError):  # the 2026Q2 base quarter has no campaigns to vary
        build_model(ds, "2026Q3", "base")
    view = TargetSetting(ds, draws=100)
    assert view.owner == (1200000.0, 250000.0)
    assert "Sales" in view.comparison_text()
    assert view.odds is None and "has no leads in funnel.csv" in view.odds_html.value
    for wrong in ("2026Q5", "next quarter"):
        with pytest.raises(InputError):
            owner_targets(ds, wrong)


def test_owner_targets_follow_the_scenario_engines_rule(sample):
    from planning.scenarios import build_model

    for period in ("2026Q4", "2027Q1"):
        model = build_model(sample, period, "base")
        assert owner_targets(sample, period) == (model.revenue_target, model.gop_target)


def test_a_workbook_passed_by_its_path_supplies_its_proposals_sheet(tmp_path):
    """Like the other tables: the workbook named wins over a stale proposals.csv beside it."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import ROOT

    source = write_dataset(tmp_path / "source")
    (source / "proposals.csv").write_text(HEADER + GOOD, encoding="utf-8")  # Sales proposes 1,000,000
    folder = tmp_path / "book"
    shutil.copytree(source, folder)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_workbook.py"), str(source),
                    str(folder / "book.xlsx")], check=True, capture_output=True)
    (folder / "proposals.csv").write_text(HEADER + GOOD.replace("1000000,200000", "1234000,200000"),
                                          encoding="utf-8")
    from_book = load_proposals(load_dataset(folder / "book.xlsx"))
    assert from_book.loc[0, "proposed_revenue_target"] == 1000000.0  # the workbook's sheet
    from_folder = load_proposals(load_dataset(folder))
    assert from_folder.loc[0, "proposed_revenue_target"] == 1234000.0  # a folder: its CSV files
    for name in ("staff", "actuals", "targets", "funnel", "proposals"):
        (folder / f"{name}.csv").unlink()
    assert load_proposals(load_dataset(folder)).loc[0, "proposed_revenue_target"] == 1000000.0


def test_a_comment_that_is_not_utf8_text_is_refused_like_any_cell(tiny):
    """A proposals.csv saved as 'CSV' (Windows-1252) by Excel showed 'caf\ufffd' without a word."""
    path = tiny.root / "proposals.csv"
    path.write_bytes((HEADER + GOOD.replace("steady", "caf\xe9 au lait")).encode("cp1252"))
    with pytest.raises(InputError) as info:
        load_proposals(tiny)
    assert [str(p) for p in info.value.problems] == [
        "proposals.csv, row 2, column comment: 'caf\ufffd au lait' has bytes that are not UTF-8 text; "
        "expected a UTF-8 file (in Excel: Save As \"CSV UTF-8\")"]
    path.write_text(HEADER + GOOD.replace("steady", "bell\x07"), encoding="utf-8")
    with pytest.raises(InputError, match="row 2, column comment: 'bell\\\\x07' contains a control character"):
        load_proposals(tiny)
    path.write_text(HEADER + GOOD.replace("steady", '"two\nlines, and a\ttab"'), encoding="utf-8")
    assert load_proposals(tiny).loc[0, "comment"] == "two\nlines, and a\ttab"
