"""Planning the rest of the bonus year: scenario and simulate for quarter k of a year plan
(planning.year.outlook), against a hand computation, and unchanged without ``year:``."""

from __future__ import annotations

import json
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from planning import load_dataset
from planning.cli import main
from planning.montecarlo import simulate
from planning.scenarios import run_scenario
from tests.conftest import write_dataset

# 2026Q1 misses its GOP target (GOP 190,000 of 200,000: pool 0); 2026Q2 makes 230,000.
ACTUALS = """\
    period,department,revenue,cogs,opex
    2026Q1,Sales,1000000,420000,100000
    2026Q1,IT,0,0,150000
    2026Q1,Marketing,0,0,140000
    2026Q2,Sales,1000000,380000,100000
    2026Q2,IT,0,0,150000
    2026Q2,Marketing,0,0,140000
    """
PLAN = textwrap.dedent("""\
    gates: {revenue: 0.95, gop: 1.0}
    pool: {method: excess_gop_share, rate: 0.5, floor: 0, cap: null, self_funding: true}
    distribution:
      method: salary
      require_employed_at_period_end: true
      min_days_in_period: 0
    """)
YEAR = "year: {settle: year_to_date, holdback: 0.2, year_end: {gates: {gop: 1.0}}}\n"


@pytest.fixture
def year_tiny(tmp_path):
    return load_dataset(write_dataset(tmp_path / "y", {"actuals.csv": ACTUALS, "plan.yaml": PLAN + YEAR}))


@pytest.fixture
def quarter_tiny(tmp_path):
    return load_dataset(write_dataset(tmp_path / "q", {"actuals.csv": ACTUALS, "plan.yaml": PLAN}))


def test_scenario_settles_the_planned_quarter_on_the_year_to_date(year_tiny, quarter_tiny):
    # Alone, 2026Q2 earns 0.5 x 30,000 = 15,000. On the year to date GOP is 420,000 of 400,000:
    # E_2 = 0.5 x 20,000 = 10,000, P_2 = 10,000 - P_1 (0) = 10,000; 20% held back, 8,000 shared now.
    alone = run_scenario(quarter_tiny, "2026Q2").to_dict()
    assert alone["pool"] == 15_000 and "held_back" not in alone
    got = run_scenario(year_tiny, "2026Q2").to_dict()
    assert (got["earned_to_date"], got["pool"], got["held_back"], got["shared_now"]) == (10_000, 10_000, 2_000, 8_000)
    assert got["allocated"] == 8_000 and got["reserve"] == 2_000
    # Quarter salaries 25,000 (Ann), 6,250 (Bob), 15,000 (Cat): Ann 8,000 x 25,000 / 46,250 = 4,324.32
    payouts = {a["employee_id"]: a["payout"] for a in got["allocations"]}
    assert payouts["A1"] == 4324.32 and payouts["A2"] == 1081.08 and payouts["A3"] == 2594.60


def test_simulate_draws_the_rest_of_the_year(year_tiny):
    # No uncertainty: every draw is the base quarter, and 2026Q3 and 2026Q4 (no targets: 2026Q2's)
    # repeat it. E_3 = 0.5 x 50,000 = 25,000, P_3 = 15,000; E_4 = 40,000, P_4 = 15,000; reserve
    # 2,000 + 3,000 + 3,000 = 8,000, released (full-year GOP 880,000 of 800,000).
    result = simulate(year_tiny, "2026Q2", draws=50, seed=3)
    assert (result.expected_pool, result.expected_cost) == (10_000, 8_000)
    year = result.to_dict()["year"]
    assert year["quarters_drawn"] == ["2026Q3", "2026Q4"] and year["targets_assumed"] == ["2026Q3", "2026Q4"]
    assert year["p_reserve_released"] == 1.0
    assert (year["expected_reserve"], year["expected_released"], year["expected_forfeited"]) == (8_000, 8_000, 0)
    assert year["expected_year_pool"] == 40_000
    totals = {p["employee_id"]: p["expected_year_total"] for p in year["expected_year_totals"]}
    assert sum(totals.values()) == pytest.approx(40_000, abs=0.05)
    assert totals["A2"] == pytest.approx(totals["A1"] / 4, abs=0.01)   # both all year, salary 25,000 vs 100,000
    assert totals["A4"] == 0 and totals["A5"] == 0                     # left in 2026Q1; not eligible


def test_the_year_end_forfeits_when_the_full_year_misses(tmp_path):
    gate = YEAR.replace("{gop: 1.0}", "{revenue: 1.01}")   # 4,000,000 of 4,000,000 is not 101%
    ds = load_dataset(write_dataset(tmp_path / "f", {"actuals.csv": ACTUALS, "plan.yaml": PLAN + gate}))
    year = simulate(ds, "2026Q2", draws=10).to_dict()["year"]
    assert year["p_reserve_released"] == 0.0 and year["expected_forfeited"] == 8_000
    assert sum(p["expected_year_total"] for p in year["expected_year_totals"]) == pytest.approx(32_000, abs=0.05)


def test_simulate_with_a_year_is_the_same_for_any_executor(year_sample):
    one = simulate(year_sample, "2026Q3", draws=70_000, seed=11)
    with ThreadPoolExecutor(2) as pool:
        two = simulate(year_sample, "2026Q3", draws=70_000, seed=11, executor=pool, chunk_size=1)
    assert one.to_dict() == two.to_dict()
    assert 0 < one.year["p_reserve_released"] < 1


def test_an_earlier_quarter_without_actuals_is_one_clear_line(capsys, tmp_path):
    folder = write_dataset(tmp_path / "g", {"actuals.csv": ACTUALS, "plan.yaml": PLAN + YEAR,
                                            "targets.csv": "period,revenue_target,gop_target\n"
                                            "2026Q1,1000000,200000\n2026Q2,1000000,200000\n"
                                            "2026Q3,1000000,200000\n2026Q4,1000000,200000\n"})
    assert main(["scenario", "--data", str(folder), "--period", "2026Q4"]) == 2   # 2026Q3 has no actuals
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no rows for period 2026Q3" in err[0]
    actuals = "".join(line + "\n" for line in ACTUALS.splitlines() if "2026Q1" not in line)
    bad = write_dataset(tmp_path / "h", {"actuals.csv": actuals, "plan.yaml": PLAN + YEAR})
    assert main(["simulate", "--data", str(bad), "--period", "2026Q2"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "2026Q1" in err[0] and "actuals.csv" in err[0]


def test_without_a_year_section_simulate_and_scenario_are_unchanged(quarter_tiny, sample, capsys):
    assert simulate(sample, "2027Q1", draws=2_000, seed=5).year is None
    assert "year" not in simulate(sample, "2027Q1", draws=2_000, seed=5).to_dict()
    assert main(["simulate", "--data", str(sample.root), "--period", "2027Q1", "--draws", "3000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "year" not in data
    assert main(["scenario", "--data", str(sample.root), "--period", "2026Q4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "held_back" not in data and data["pool"] == 45_000
