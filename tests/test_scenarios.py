"""The driver model, scenarios.yaml, comparisons, sweeps, the heat map, the tornado, goal seek.

Hand numbers use the tiny dataset's 2026Q1 (see conftest): revenue 1,000,000 of which
campaigns 300,000 (250 leads, 10 won: rate 4%, average deal 30,000), cogs 400,000 (margin
60%), opex 390,000 = campaign spend 15,000 + payroll 93,750 (staff.csv salaries for the
quarter) + other opex 281,250; GOP 210,000 against 200,000; pool 50% of GOP above target.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning import InputError, bonus_for_period, load_dataset
from planning.cli import main
from planning.scenarios import (
    DRIVERS,
    Scenario,
    build_model,
    calibrate,
    compare_scenarios,
    default_scenarios,
    driver_table,
    leads_needed,
    lift_needed,
    pool_heatmap,
    project_arrays,
    revenue_needed,
    run_scenario,
    sensitivity,
    sweep,
)
from tests.conftest import write_dataset

BASE = default_scenarios().get("base")


def with_drivers(**changes) -> Scenario:
    return BASE.with_drivers(**changes)


# --- no changes reproduce the actuals --------------------------------------------------------


def test_base_scenario_equals_the_actuals_for_every_sample_quarter(sample):
    for period in sample.reportable_periods:
        actual = bonus_for_period(sample, period).to_dict()
        projected = run_scenario(sample, period, "base").to_dict()
        assert projected == actual, period


def test_base_scenario_equals_the_actuals_of_the_tiny_company(tiny):
    for period in ("2026Q1", "2026Q2"):
        assert run_scenario(tiny, period).to_dict() == bonus_for_period(tiny, period).to_dict()


def test_no_changes_project_the_base_period_bit_for_bit(sample):
    for period in sample.periods:
        base = calibrate(sample, period)
        figures = project_arrays(base, {})
        assert (float(figures["revenue"]), float(figures["cogs"]), float(figures["opex"]),
                float(figures["gop"])) == (base.revenue, base.cogs, base.opex, base.gop)


def test_calibration_of_the_tiny_company(tiny):
    base = calibrate(tiny, "2026Q1")
    assert (base.leads, base.won, base.campaign_revenue, base.marketing_spend) == (250, 10, 300_000, 15_000)
    assert base.lead_to_win == pytest.approx(0.04)
    assert base.average_deal == pytest.approx(30_000)
    assert base.other_revenue == 700_000
    assert base.gross_margin == pytest.approx(0.6)
    assert base.payroll == pytest.approx(25_000 + 6_250 + 7_500 + 5_000 + 50_000)
    assert base.other_opex == pytest.approx(281_250)


# --- every driver formula, by hand ------------------------------------------------------------


@pytest.mark.parametrize(("driver", "change", "revenue", "gop"), [
    # campaign revenue = leads x rate x deal; GOP = revenue x margin - opex
    ("leads", 0.2, 1_060_000, 246_000),              # 300 x 4% x 30,000 = 360,000
    ("lead_to_win", 0.01, 1_075_000, 255_000),       # 250 x 5% x 30,000 = 375,000
    ("average_deal", -0.1, 970_000, 192_000),        # 250 x 4% x 27,000 = 270,000
    ("other_revenue", 0.1, 1_070_000, 252_000),      # 700,000 x 1.1 = 770,000
    ("gross_margin", -0.05, 1_000_000, 160_000),     # 55% x 1,000,000 - 390,000
    ("marketing_spend", 1.0, 1_000_000, 195_000),    # opex + 15,000
    ("opex_growth", 0.1, 1_000_000, 181_875),        # opex + 28,125
    ("headcount_change", 0.1, 1_000_000, 200_625),   # opex + 9,375
    ("salary_change", 0.1, 1_000_000, 200_625),      # opex + 9,375
])
def test_each_driver_by_hand(tiny, driver, change, revenue, gop):
    result = run_scenario(tiny, "2026Q1", with_drivers(**{driver: change}))
    assert (result.revenue, result.gop) == (revenue, gop)
    assert result.period_result.gross_profit == pytest.approx(
        revenue * (0.6 + (change if driver == "gross_margin" else 0.0)))


def test_leads_up_20_percent_pays_half_the_excess(tiny):
    result = run_scenario(tiny, "2026Q1", with_drivers(leads=0.2))
    assert result.pool == 23_000.0                        # 50% x (246,000 - 200,000)
    assert result.allocations["payout"].sum() == pytest.approx(23_000.0, abs=0.001)


def test_drivers_combine_multiplicatively_in_the_funnel(tiny):
    result = run_scenario(tiny, "2026Q1", with_drivers(leads=0.2, lead_to_win=0.01, average_deal=0.1))
    campaign = 300 * 0.05 * 33_000
    assert result.revenue == 700_000 + campaign
    assert result.gop == round(0.6 * (700_000 + campaign) - 390_000, 2)


def test_a_pay_rise_scales_the_bonus_weights_and_caps(tiny_dir):
    write_dataset(tiny_dir, {"plan.yaml": """\
        gates: {revenue: 0.95, gop: 1.0}
        pool: {method: gop_share, rate: 0.5}
        distribution: {method: salary, individual_cap: 0.01}
        """})
    tiny = load_dataset(tiny_dir)
    plain = run_scenario(tiny, "2026Q1", with_drivers(salary_change=0.0))
    raised = run_scenario(tiny, "2026Q1", with_drivers(salary_change=0.1))
    # Ann's cap is 1% of her quarter's salary: 250.00, and 275.00 after a 10% rise.
    ann = lambda r: r.allocations.set_index("employee_id").loc["A1"]  # noqa: E731
    assert (ann(plain)["payout"], ann(raised)["payout"]) == (250.0, 275.0)
    assert raised.salary_factor == 1.1


def test_driver_table_follows_revenue_and_gop_back_to_the_drivers(tiny):
    table = driver_table(tiny, "2026Q1", with_drivers(leads=0.2))
    assert table.loc["leads", ["base", "scenario", "change"]].tolist() == pytest.approx([250, 300, 0.2])
    assert table.loc["campaign_revenue", "scenario"] == pytest.approx(360_000)
    assert table.loc["gop", ["base", "scenario"]].tolist() == [210_000, 246_000]
    assert table.attrs["base_period"] == "2026Q1"


def test_relative_changes_cannot_take_a_quantity_below_zero(tiny):
    base = calibrate(tiny, "2026Q1")
    figures = project_arrays(base, {"leads": np.array([-1.0, -3.0]), "lead_to_win": np.array([0.0, 2.0])})
    assert figures["leads"].tolist() == [0.0, 0.0]
    assert figures["lead_to_win"].tolist() == [0.04, 1.0]    # rates are clipped to 0..1 (draws)
    assert figures["revenue"].tolist() == [700_000.0, 700_000.0]


# --- future quarters, base periods, targets ---------------------------------------------------


def test_a_future_quarter_projects_from_the_latest_actuals_with_scenario_targets(tiny_dir):
    write_dataset(tiny_dir, {"scenarios.yaml": """\
        scenarios:
          base:
            targets: {2026Q3: {revenue_target: 900000, gop_target: 150000}}
          from_q1: {base_period: 2026Q1, drivers: {leads: 0.2}}
        """})
    tiny = load_dataset(tiny_dir)
    result = run_scenario(tiny, "2026Q3")
    assert (result.base_period, result.revenue, result.gop) == ("2026Q2", 900_000, 110_000)
    assert (result.revenue_target, result.gop_target) == (900_000, 150_000)
    assert run_scenario(tiny, "2026Q3", "from_q1").gop == 246_000   # inherits the targets


def test_a_future_quarter_without_targets_is_refused(tiny):
    with pytest.raises(InputError) as err:
        run_scenario(tiny, "2026Q3")
    problem = err.value.problems[0]
    assert (problem.file, problem.column) == ("targets.csv", "period")
    assert "2026Q3" in problem.message and "scenarios.base.targets.2026Q3" in problem.message


def test_a_quarter_before_all_actuals_is_refused(tiny):
    with pytest.raises(InputError, match="before the first quarter of actuals"):
        run_scenario(tiny, "2025Q4")


def test_funnel_drivers_need_a_funnel_in_the_base_period(tiny):
    with pytest.raises(InputError) as err:
        run_scenario(tiny, "2026Q2", with_drivers(leads=0.1))   # 2026Q2 has no campaigns
    assert err.value.problems[0].column == "scenarios.base.drivers.leads"
    assert run_scenario(tiny, "2026Q2", with_drivers(other_revenue=0.1)).revenue == 990_000


def test_a_dataset_without_funnel_csv_projects_other_revenue(tmp_path):
    tiny = load_dataset(write_dataset(tmp_path / "nofunnel", {"funnel.csv": None}))
    base = calibrate(tiny, "2026Q1")
    assert (base.leads, base.campaign_revenue, base.other_revenue, base.has_funnel) == (0, 0, 1_000_000, False)
    assert run_scenario(tiny, "2026Q1").to_dict() == bonus_for_period(tiny, "2026Q1").to_dict()
    assert run_scenario(tiny, "2026Q1", with_drivers(other_revenue=0.1)).gop == 270_000


def test_drivers_that_would_work_backwards_on_a_negative_rest_are_refused(tmp_path):
    # Campaigns claim 1,200,000 of a 1,000,000 quarter: other revenue is -200,000, and
    # +10% of it used to lower revenue. Payroll 540,000 > opex 390,000: other opex is
    # negative, and opex_growth +10% used to raise GOP.
    tiny = load_dataset(write_dataset(tmp_path / "claims", {
        "funnel.csv": """\
            period,campaign,channel,spend,leads,qualified,won,revenue
            2026Q1,Search,Search ads,15000,250,40,10,1200000
            """,
        "staff.csv": """\
            employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible
            A1,Ann,Sales,Manager,2160000,1,2020-01-01,,true
            """}))
    base = calibrate(tiny, "2026Q1")
    assert (base.other_revenue, base.other_opex) == (-200_000, 390_000 - 15_000 - 540_000)
    assert run_scenario(tiny, "2026Q1").to_dict() == bonus_for_period(tiny, "2026Q1").to_dict()
    for driver, words in (("other_revenue", "campaign revenue in funnel.csv (1,200,000.00) is more than "
                                            "the revenue in actuals.csv (1,000,000.00) in 2026Q1"),
                          ("opex_growth", "payroll from staff.csv (540,000.00) are more than the opex")):
        with pytest.raises(InputError) as err:
            run_scenario(tiny, "2026Q1", with_drivers(**{driver: 0.1}))
        problem = err.value.problems[0]
        assert (problem.file, problem.column) == ("scenarios.yaml", f"scenarios.base.drivers.{driver}")
        assert words in problem.message and "would work backwards" in problem.message
        with pytest.raises(InputError, match="would work backwards"):
            sweep(tiny, "2026Q1", {driver: [0.0, 0.1]})
        with pytest.raises(InputError, match="would work backwards"):
            lift_needed(tiny, "2026Q1", driver)
    assert {"other_revenue", "opex_growth"}.isdisjoint(sensitivity(tiny, "2026Q1").index)
    seek = revenue_needed(tiny, "2026Q1")          # all revenue lifted together still works
    assert seek.found and seek.base_value == 1_000_000


def test_drivers_given_in_code_are_checked_like_the_file():
    with pytest.raises(InputError, match="unknown driver 'leeds'"):
        BASE.with_drivers(leeds=0.1)
    with pytest.raises(InputError, match="write 0.5 for 50%"):
        BASE.with_drivers(leads=50)


def test_a_change_that_takes_a_rate_outside_0_to_1_is_refused(tiny):
    with pytest.raises(InputError) as err:
        run_scenario(tiny, "2026Q1", with_drivers(gross_margin=0.5))   # 60% + 50 points
    problem = err.value.problems[0]
    assert (problem.file, problem.column) == ("scenarios.yaml", "scenarios.base.drivers.gross_margin")
    assert "expected a rate from 0 to 1" in problem.message


# --- scenarios.yaml ---------------------------------------------------------------------------

SCENARIOS = """\
scenarios:
  base:
    drivers: {other_revenue: 0.01}
    uncertainty:
      leads: {dist: norm, loc: 0, scale: 0.1}
      gross_margin: {dist: triang, c: 0.5, loc: -0.02, scale: 0.04}
    correlation: {leads: {gross_margin: 0.2}}
  stretch:
    description: more leads
    drivers: {leads: 0.2}
    plan: {gates: {gop: 0.95}, pool.rate: 0.4}
  calm:
    inherits: stretch
    uncertainty: {leads: null, gross_margin: null}
    correlation: {}
  solo:
    inherits: null
"""


def test_scenarios_yaml_inherits_from_base_and_overrides_key_by_key(tiny_dir):
    write_dataset(tiny_dir, {"scenarios.yaml": SCENARIOS})
    scenarios = load_dataset(tiny_dir).scenarios
    assert scenarios.names == ["base", "stretch", "calm", "solo"]
    stretch = scenarios.get("stretch")
    assert stretch.drivers == {"other_revenue": 0.01, "leads": 0.2}
    assert set(stretch.uncertainty) == {"leads", "gross_margin"}
    assert stretch.plan_overrides == {"gates.gop": 0.95, "pool.rate": 0.4}
    calm = scenarios.get("calm")
    assert calm.inherits == "stretch" and calm.uncertainty == {} and calm.drivers["leads"] == 0.2
    assert scenarios.get("solo").drivers == {}


def test_plan_overrides_apply_on_top_of_the_plan(tiny_dir):
    write_dataset(tiny_dir, {"scenarios.yaml": SCENARIOS.replace("    correlation: {}\n", "")
                             .replace("uncertainty: {leads: null, gross_margin: null}", "uncertainty: {}")})
    tiny = load_dataset(tiny_dir)
    model = build_model(tiny, "2026Q1", "stretch")
    assert (model.plan.gates.gop, model.plan.pool.rate, model.plan.gates.revenue) == (0.95, 0.4, 0.95)
    result = run_scenario(tiny, "2026Q1", "stretch")
    assert result.gop == 246_000 + 0.6 * 7_000
    assert result.pool == round(0.4 * (result.gop - 200_000), 2)


def test_a_plan_override_to_points_without_points_for_a_role_names_the_scenario(tiny):
    # was: "plan.yaml, key distribution.points" from the engine, though plan.yaml is fine
    points = Scenario("base", plan_overrides={"distribution.method": "points", "distribution.points": {"Manager": 2}})
    with pytest.raises(InputError) as err:
        run_scenario(tiny, "2026Q1", points)
    assert [(p.file, p.column) for p in err.value.problems] == [
        ("scenarios.yaml", "scenarios.base.plan.distribution.points")]
    with pytest.raises(InputError) as err:
        sweep(tiny, "2026Q1", {"distribution.method": ["salary", "points"],
                               "distribution.points": [{"Manager": 2}]})
    assert [(p.file, p.column) for p in err.value.problems] == [("sweep", "distribution.points")]
    assert "role 'Associate'" in err.value.problems[0].message


def test_without_scenarios_yaml_there_is_a_base_scenario(tiny):
    assert tiny.scenarios is None
    assert default_scenarios(tiny).names == ["base"]
    assert build_model(tiny, "2026Q1").scenario.drivers == {}


BAD = [
    # (scenarios.yaml body, key path, words in the message)
    ("{stretch: {drivers: {leeds: 0.2}}}", "scenarios.stretch.drivers.leeds", "did you mean leads"),
    ("{base: {drivers: {leads: 20}}}", "scenarios.base.drivers.leads", "write 0.2 for 20%"),
    ("{base: {drivers: {leads: -1.5}}}", "scenarios.base.drivers.leads", "above -1"),
    ("{base: {drivers: {gross_margin: 2}}}", "scenarios.base.drivers.gross_margin", "points from -1 to 1"),
    ("{base: {drivers: {leads: lots}}}", "scenarios.base.drivers.leads", "not a number"),
    # YAML 1.1 reads 2e-1 and 5e-3 (no dot) as text: say how to write them
    ("{base: {drivers: {leads: 2e-1}}}", "scenarios.base.drivers.leads",
     "'2e-1' is not a number (YAML reads 2e-1 as text, not a number: write 0.2)"),
    ("{base: {uncertainty: {leads: {dist: norm, scale: 5e-3}}}}", "scenarios.base.uncertainty.leads.scale",
     "write 0.005"),
    ("{stretch: {targets: {2027Q1: {gop_target: 4.66e5}}}}", "scenarios.stretch.targets.2027Q1.gop_target",
     "write 466000"),
    ("{base: {uncertainty: {leads: {dist: normal, scale: 1}}}}", "scenarios.base.uncertainty.leads.dist",
     "unknown distribution 'normal'"),
    ("{base: {uncertainty: {leads: {dist: norm, scale: -1}}}}", "scenarios.base.uncertainty.leads",
     "rejects scale=-1"),
    ("{base: {uncertainty: {leads: {dist: norm, mu: 0}}}}", "scenarios.base.uncertainty.leads.mu",
     "no parameter 'mu'"),
    ("{base: {uncertainty: {leads: {dist: bernoulli, p: 1.5}}}}", "scenarios.base.uncertainty.leads",
     "probabilities from 0 to 1"),
    ("{base: {uncertainty: {leads: {dist: triang, c: 2}}}}", "scenarios.base.uncertainty.leads", "rejects c=2"),
    # scipy refuses these with ZeroDivisionError, OverflowError, RuntimeError, AttributeError
    ("{base: {uncertainty: {leads: {dist: genhalflogistic, c: 0}}}}", "scenarios.base.uncertainty.leads",
     "scipy.stats.genhalflogistic rejects these parameters"),
    ("{base: {uncertainty: {leads: {dist: gausshyper, a: 1.0e+300, b: 1.0e+300, c: 1.0e+300, z: 1.0e+300}}}}",
     "scenarios.base.uncertainty.leads", "scipy.stats.gausshyper rejects"),
    ("{base: {uncertainty: {leads: {dist: rel_breitwigner, rho: 1.0e+300}}}}",
     "scenarios.base.uncertainty.leads", "scipy.stats.rel_breitwigner rejects"),
    ("{base: {uncertainty: {leads: {dist: betabinom, n: 1.0e+300, a: 1.0e+300, b: 1.0e+300}}}}",
     "scenarios.base.uncertainty.leads", "scipy.stats.betabinom rejects"),
    ("{base: {uncertainty: {leads: 0.1}}}", "scenarios.base.uncertainty.leads", "not a distribution"),
    ("{base: {uncertainty: {magic: {dist: norm}}}}", "scenarios.base.uncertainty.magic", "unknown driver"),
    ("{stretch: {inherits: strech}}", "scenarios.stretch.inherits", "unknown scenario 'strech'"),
    ("{a: {inherits: b}, b: {inherits: a}}", "scenarios.a.inherits", "in a circle"),
    ("{base: {inherits: other}, other: {}}", "scenarios.base.inherits", "base cannot inherit"),
    ("{base: {uncertainty: {leads: {dist: norm}}, correlation: {leads: {gross_margin: 0.5}}}}",
     "scenarios.base.correlation.leads.gross_margin", "has no distribution"),
    ("{base: {uncertainty: {leads: {dist: norm}, gross_margin: {dist: norm}}, "
     "correlation: {leads: {gross_margin: 1.5}}}}", "scenarios.base.correlation.leads.gross_margin",
     "expected a number from -1 to 1"),
    ("{base: {uncertainty: {leads: {dist: norm}, gross_margin: {dist: norm}, opex_growth: {dist: norm}}, "
     "correlation: {leads: {gross_margin: 0.9, opex_growth: 0.9}, gross_margin: {opex_growth: -0.9}}}}",
     "scenarios.base.correlation", "not positive definite"),
    ("{stretch: {plan: {gates.gop: 5}}}", "scenarios.stretch.plan.gates.gop", "out of range"),
    ("{stretch: {plan: {pool: {rate: 30}}}}", "scenarios.stretch.plan.pool.rate", "write 0.3 for 30%"),
    ("{stretch: {targets: {2027Q5: {gop_target: 1}}}}", "scenarios.stretch.targets.2027Q5", "quarter"),
    ("{stretch: {targets: {2027Q1: {gop_target: -1}}}}", "scenarios.stretch.targets.2027Q1.gop_target",
     "above 0"),
    ("{stretch: {base_period: 2020Q1}}", "scenarios.stretch.base_period", "no actuals"),
    ("{stretch: {drivres: {}}}", "scenarios.stretch.drivres", "unknown key"),
    ("{stretch: {plan: {distribution: {method: points, points: {Manager: 2}}}}}",
     "scenarios.stretch.plan.distribution.points", "role 'Associate' (in staff.csv) has no points"),
]


@pytest.mark.parametrize(("body", "column", "words"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_scenarios_yaml_is_refused_with_file_key_and_expectation(tiny_dir, body, column, words):
    write_dataset(tiny_dir, {"scenarios.yaml": f"scenarios: {body}\n"})
    with pytest.raises(InputError) as err:
        load_dataset(tiny_dir)
    problems = [p for p in err.value.problems if p.column == column]
    assert problems, [str(p) for p in err.value.problems]
    assert all(p.file == "scenarios.yaml" for p in err.value.problems)
    assert words in problems[0].message


def test_bad_scenarios_yaml_fails_the_cli_with_one_line_and_writes_nothing(tiny_dir, capsys, tmp_path):
    write_dataset(tiny_dir, {"scenarios.yaml": "scenarios: {base: {drivers: {leeds: 0.2}}}\n"})
    out = tmp_path / "out.json"
    code = main(["scenario", "--data", str(tiny_dir), "--period", "2026Q1", "--json", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert err.strip().splitlines() == [
        "error: scenarios.yaml, key scenarios.base.drivers.leeds: unknown driver 'leeds' (did you mean "
        f"leads?); expected one of: {', '.join(DRIVERS)}"]
    assert "Traceback" not in err


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_scenario_json_has_the_keys_of_bonus_json(capsys):
    assert main(["bonus", "--data", "data", "--period", "2026Q3", "--json"]) == 0
    bonus = json.loads(capsys.readouterr().out)
    assert main(["scenario", "--data", "data", "--period", "2026Q3", "--name", "base", "--json"]) == 0
    base = json.loads(capsys.readouterr().out)
    assert base == bonus
    assert main(["scenario", "--data", "data", "--period", "2027Q1", "--name", "stretch", "--json"]) == 0
    stretch = json.loads(capsys.readouterr().out)
    assert stretch.keys() == bonus.keys() and stretch["period"] == "2027Q1"


def test_cli_scenario_summary_names_the_base_period_and_the_changes(capsys):
    assert main(["scenario", "--data", "data", "--period", "2026Q3", "--name", "downturn"]) == 0
    out = capsys.readouterr().out
    assert "projected from the actuals of 2026Q3" in out
    assert "(-15.0%)" in out and "(-2.00 points)" in out and "GOP after the bonus" in out


def test_cli_unknown_scenario_exits_2(capsys):
    assert main(["scenario", "--data", "data", "--period", "2026Q3", "--name", "boom"]) == 2
    assert "unknown scenario 'boom'; expected one of: base, stretch" in capsys.readouterr().err


# --- comparison, sweeps, heat map, tornado -----------------------------------------------------


def test_compare_scenarios_is_one_row_per_scenario(sample):
    table = compare_scenarios(sample, "2026Q3")
    assert list(table.index) == sample.scenarios.names
    base = run_scenario(sample, "2026Q3")
    row = table.loc["base"]
    assert (row["revenue"], row["gop"], row["pool"], row["cost"]) == (base.revenue, base.gop, base.pool, base.allocated)
    assert row["gop_after_bonus"] == base.gop_after_bonus
    assert row["cost_share_of_gop"] == pytest.approx(base.allocated / base.gop)
    assert table.loc["downturn", "gop"] < row["gop"] < table.loc["stretch", "gop"]


def test_sweep_gives_what_run_scenario_gives_at_every_point(sample):
    grid = {"leads": [-0.3, 0.0, 0.25], "salary_change": [0.0, 0.05], "gates.gop": [0.9, 1.1]}
    table = sweep(sample, "2026Q3", grid)
    assert len(table) == 12
    for row in table.itertuples(index=False):
        scenario = BASE.with_drivers(leads=row.leads, salary_change=row.salary_change)
        scenario = Scenario(**{**scenario.__dict__, "plan_overrides": {"gates.gop": row[2]}})
        result = run_scenario(sample, "2026Q3", scenario)
        assert (row.revenue, row.gop, row.pool, row.cost, row.gates_passed) == (
            result.revenue, result.gop, result.pool, result.allocated, result.gates_passed)


def test_sweep_keeps_the_grid_order_and_accepts_none_for_plan_keys(sample):
    table = sweep(sample, "2026Q3", {"pool.cap": [None, 1000.0], "leads": [0.0, 0.2]})
    assert table["leads"].tolist() == [0.0, 0.2, 0.0, 0.2]
    assert table["pool.cap"][:2].isna().all()
    assert (table["pool"][2:] <= 1000.0).all() and table["pool"][1] > 1000.0


def test_sweep_with_an_executor_gives_the_same_table(sample):
    grid = {"gross_margin": np.linspace(-0.03, 0.03, 7), "pool.rate": [0.2, 0.3, 0.4]}
    with ThreadPoolExecutor(2) as pool:
        parallel = sweep(sample, "2026Q3", grid, executor=pool)
    assert parallel.equals(sweep(sample, "2026Q3", grid))


def test_bad_sweep_keys_are_refused(sample):
    with pytest.raises(InputError, match="unknown driver 'leeds'"):
        sweep(sample, "2026Q3", {"leeds": [0.1]})
    with pytest.raises(InputError, match="out of range"):
        sweep(sample, "2026Q3", {"gates.gop": [5]})


@pytest.mark.parametrize(("grid", "key", "words"), [
    # run_scenario refuses these points, so the sweep must not clip them or ignore them
    ({"gross_margin": [0.0, 0.5]}, "gross_margin", "takes the gross margin to 1.1"),
    ({"lead_to_win": [-0.05]}, "lead_to_win", "expected a rate from 0 to 1"),
    ({"pool.rate": [0.3], "leads": []}, "leads", "has no values"),
    ({"leads": "0.1"}, "leads", "is not a list of values"),
])
def test_sweep_refuses_what_run_scenario_refuses(tiny, grid, key, words):
    with pytest.raises(InputError) as err:
        sweep(tiny, "2026Q1", grid)
    problem = err.value.problems[0]
    assert (problem.file, problem.column) == ("sweep", key) and words in problem.message


def test_sweep_refuses_funnel_drivers_without_a_funnel_in_the_base_period(tiny):
    with pytest.raises(InputError, match="2026Q2 has no leads in funnel.csv"):
        sweep(tiny, "2026Q2", {"leads": [0.0, 0.2]})       # was: revenue unchanged at +20% leads
    assert sweep(tiny, "2026Q2", {"leads": [0.0]})["revenue"].tolist() == [900_000]


def test_the_pool_never_falls_as_leads_rise(sample):
    table = sweep(sample, "2026Q3", {"leads": np.linspace(-0.5, 1.0, 61)})
    assert (np.diff(table["pool"]) >= 0).all()
    assert table["pool"].iloc[0] == 0 and table["pool"].iloc[-1] == 45_000   # the pool cap


def test_pool_heatmap_shows_the_gate_cliff(sample):
    grid = pool_heatmap(sample, "2026Q3", revenue_attainment=[0.94, 0.95, 1.0],
                        gop_attainment=[0.99, 1.0, 1.05, 1.5])
    assert grid.shape == (4, 3)
    assert (grid.loc[0.99] == 0).all() and (grid.loc[1.0] == 0).all()   # no GOP above target
    assert grid.loc[1.05, 0.94] == 0                                     # revenue gate missed
    assert grid.loc[1.05, 0.95] == pytest.approx(0.3 * 0.05 * 427_000, abs=0.01)
    assert grid.loc[1.5, 1.0] == 45_000                                  # 64,050 capped
    assert grid.attrs["gates"] == {"revenue": 0.95, "gop": 1.0}
    base = run_scenario(sample, "2026Q3")
    assert grid.attrs["current"] == (base.revenue_attainment, base.gop_attainment)


def test_comparisons_heat_maps_and_tornados_take_one_name_and_refuse_empty_or_text_grids(tiny):
    assert compare_scenarios(tiny, "2026Q1", "base").index.tolist() == ["base"]   # was: 'b', 'a', ...
    assert sensitivity(tiny, "2026Q1", drivers="leads").index.tolist() == ["leads"]
    with pytest.raises(InputError, match="no scenarios to compare"):
        compare_scenarios(tiny, "2026Q1", [])                                      # was: KeyError
    with pytest.raises(InputError, match="are not attainments") as err:
        pool_heatmap(tiny, "2026Q1", gop_attainment=["1.0"])                       # was: ValueError
    assert (err.value.problems[0].file, err.value.problems[0].column) == ("pool_heatmap", "gop_attainment")


def test_sensitivity_is_a_tornado_sorted_by_swing(tiny):
    table = sensitivity(tiny, "2026Q1", change=0.1, output="gop")
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    assert (table["base"] == 210_000).all()
    assert table.loc["gross_margin", ["low_change", "high_change"]].tolist() == pytest.approx([-0.06, 0.06])
    assert table.loc["gross_margin", ["low", "high"]].tolist() == [150_000, 270_000]
    assert table.loc["leads", ["low", "high"]].tolist() == [192_000, 228_000]
    assert table.index[0] == "gross_margin"
    pool = sensitivity(tiny, "2026Q1", output="pool")
    assert pool.loc["leads", ["low", "high"]].tolist() == [0.0, 14_000.0]


def test_sensitivity_reports_the_changes_it_computed_at_within_the_drivers_range(tiny):
    # a 60% margin moved by 100% of itself: the high end is a 100% margin (+40 points), not
    # +60 points (a 120% margin) that the projection clipped without the table saying so
    table = sensitivity(tiny, "2026Q1", BASE.with_drivers(leads=9.95), change=1.0, output="gop")
    assert table.loc["gross_margin", ["low_change", "high_change"]].tolist() == pytest.approx([-0.6, 0.4])
    assert table.loc["gross_margin", "high"] == 1_000_000 + 250 * 10.95 * 0.04 * 30_000 - 300_000 - 390_000
    assert table.loc["leads", ["low_change", "high_change"]].tolist() == pytest.approx([8.95, 10.0])


def test_sensitivity_refuses_unknown_outputs(tiny):
    with pytest.raises(InputError, match="unknown output"):
        sensitivity(tiny, "2026Q1", output="happiness")


# --- goal seek --------------------------------------------------------------------------------


def test_leads_needed_when_the_bonus_pays_is_the_fewest_that_still_pay(tiny):
    # GOP = 0.6 x (700,000 + 1,200 x leads) - 390,000 > 200,000  <=>  leads > 236.1
    seek = leads_needed(tiny, "2026Q1")
    assert (seek.found, seek.value, seek.base_value) == (True, 237.0, 250.0)
    assert seek.achieved == 320.0                     # 50% x (200,640 - 200,000)
    assert "still pays" in seek.message


def test_leads_needed_when_the_bonus_does_not_pay(tiny):
    # average deal 27,000: 0.6 x (700,000 + 1,080 x leads) - 390,000 > 200,000  <=>  leads > 262.3
    seek = leads_needed(tiny, "2026Q1", with_drivers(average_deal=-0.1))
    assert (seek.value, seek.change) == (263.0, pytest.approx(263 / 250 - 1))
    assert seek.achieved > 0 and "starts paying" in seek.message


def test_revenue_needed_lifts_all_revenue_at_the_margin(tiny):
    # 0.6 x 970,000 x (1 + t) - 390,000 > 200,000  <=>  revenue > 983,333.33
    seek = revenue_needed(tiny, "2026Q1", with_drivers(average_deal=-0.1))
    assert seek.found and seek.base_value == 970_000
    assert seek.value == pytest.approx(983_333.34, abs=0.02)


def test_lift_needed_for_a_rate_and_when_it_cannot_be_reached(tiny):
    seek = lift_needed(tiny, "2026Q1", "gross_margin", with_drivers(average_deal=-0.1))
    assert seek.value == pytest.approx(590_000 / 970_000, abs=1e-8)     # margin where GOP = target
    # at a 30% margin GOP is -90,000; saving all 15,000 of campaign spend cannot reach 200,000
    never = lift_needed(tiny, "2026Q1", "marketing_spend", with_drivers(gross_margin=-0.3))
    assert not never.found and "does not pay whatever marketing_spend does" in never.message


@pytest.mark.parametrize(("driver", "column", "words"), [
    ({"leads": 0}, "leads", "0 is not a weight"),              # was: ZeroDivisionError
    ({"leads": float("nan")}, "leads", "nan is not a weight"),
    ({"leads": "1"}, "leads", "'1' is not a weight"),
    ({}, None, "is not a driver"),                            # was: "pays whatever  does"
])
def test_lift_needed_refuses_bad_weights(tiny, driver, column, words):
    with pytest.raises(InputError) as err:
        lift_needed(tiny, "2026Q1", driver)
    problem = err.value.problems[0]
    assert (problem.file, problem.column) == ("goal seek", column) and words in problem.message


def test_goal_seek_on_funnel_drivers_needs_a_funnel_and_revenue_needed_does_not(tiny):
    # 2026Q2 has no campaigns: leads cannot move revenue, so "does not pay whatever leads
    # does" was misleading; revenue is then all other revenue.
    with pytest.raises(InputError, match="has no leads in 2026Q2, so lead_to_win cannot move revenue"):
        lift_needed(tiny, "2026Q2", {"other_revenue": 1.0, "lead_to_win": 1.0})
    seek = revenue_needed(tiny, "2026Q2")     # margin 5/9: 5/9 x revenue - 390,000 > 200,000
    assert seek.found and seek.base_value == 900_000
    assert seek.value == pytest.approx(1_062_000, abs=0.02)
    assert run_scenario(tiny, "2026Q2", with_drivers(other_revenue=seek.change)).pool > 0


def test_sensitivity_refuses_a_change_that_is_not_a_number(tiny):
    with pytest.raises(InputError, match="'0.1' is out of range"):
        sensitivity(tiny, "2026Q1", change="0.1")


# --- charts -------------------------------------------------------------------------------------


def test_scenario_charts_draw_the_tables(sample):
    from planning import scenario_charts as charts

    table = compare_scenarios(sample, "2027Q1")
    fig = charts.scenario_comparison_chart(table, "AUD")
    revenue, _, pool = fig.axes
    assert [p.get_height() for p in pool.patches] == table["pool"].tolist()
    assert [t.get_text() for t in revenue.get_xticklabels()] == sample.scenarios.names
    swept = sweep(sample, "2026Q3", {"leads": [-0.2, 0.0, 0.2], "gates.gop": [0.9, 1.0]})
    lines = charts.sweep_chart(swept, "leads", by="gates.gop").axes[0].get_lines()
    assert len(lines) == 2 and lines[1].get_ydata().tolist() == swept["pool"][swept["gates.gop"] == 1.0].tolist()
    grid = pool_heatmap(sample, "2026Q3")
    assert charts.pool_heatmap_chart(grid, "AUD").axes[0].get_title().startswith("Where the bonus pays")


def test_a_huge_integer_driver_is_one_problem_not_a_traceback(sample_copy):
    (sample_copy / "scenarios.yaml").write_text("scenarios:\n  base:\n    drivers: {leads: 1" + "0" * 400 + "}\n")
    with pytest.raises(InputError) as exc:
        load_dataset(sample_copy)
    assert [p.column for p in exc.value.problems] == ["scenarios.base.drivers.leads"]


# --- the plain distributions are checked without scipy, and agree with it ---------------------

@settings(max_examples=150, deadline=None)
@given(dist=st.sampled_from(["norm", "uniform", "triang", "lognorm", "beta"]),
       loc=st.floats(-1e6, 1e6), scale=st.floats(1e-9, 1e6),
       shape=st.floats(1e-2, 50), other=st.floats(1e-2, 50))
def test_plain_distributions_are_accepted_exactly_when_scipy_accepts_them(dist, loc, scale, shape, other):
    from planning.scenarios import parse

    shapes = {"triang": {"c": min(shape / 50, 0.999)}, "lognorm": {"s": shape},
              "beta": {"a": shape, "b": other}}.get(dist, {})
    value = {"dist": dist, **shapes, "loc": loc, "scale": scale}
    plain = parse._plain_params(value)
    assert plain is not None          # inside the plain ranges: accepted without scipy
    problems = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parse, "_plain_params", lambda value: None)      # scipy's own check
        spec = parse._distribution(value, "leads", "scenarios.base.uncertainty.leads", problems)
    assert problems == [] and spec is not None and spec.params == plain


@pytest.mark.parametrize("value", [
    {"dist": "norm", "loc": 0, "scale": 0},            # scale 0: scipy's refusal, not ours
    {"dist": "triang", "c": 1.5, "loc": 0, "scale": 1},
    {"dist": "beta", "a": 2, "loc": 0, "scale": 1},    # b missing
    {"dist": "norm", "loc": 0, "scale": 1, "c": 1},    # no such parameter
    {"dist": "lognorm", "s": 500, "loc": 0, "scale": 1},
])
def test_anything_outside_the_plain_ranges_goes_to_scipy(value):
    from planning.scenarios import parse

    assert parse._plain_params(value) is None
