"""The Monte Carlo: exact against the engine draw by draw, reproducible, worker-independent."""

from __future__ import annotations

import json
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from scipy import stats

from planning import InputError, load_dataset, with_overrides
from planning.cli import main
from planning.money import round_cents
from planning.montecarlo import (
    BLOCK,
    _changes,
    simulate,
)
from planning.montecarlo_goals import gate_for_probability, rate_for_expected_cost
from planning.scenarios import (
    DriverDistribution,
    build_model,
    default_scenarios,
    run_scenario,
)
from planning.scenarios.model import run_model
from tests.conftest import write_dataset

BASE = default_scenarios().get("base")


def uncertain(scenario=BASE, correlation=(), **dists):
    """A scenario with distributions given as driver=(dist, {params})."""
    return replace(scenario, uncertainty={k: DriverDistribution(k, d, p) for k, (d, p) in dists.items()},
                   correlation=tuple(correlation))


# --- zero variance is the deterministic scenario -------------------------------------------------


@pytest.mark.parametrize("period", ["2026Q3", "2026Q4", "2027Q1"])
def test_distributions_without_spread_reproduce_the_scenario_exactly(sample, period):
    fixed = replace(sample.scenarios.get("stretch"), correlation=())
    scenario = uncertain(fixed, leads=("randint", {"low": 0, "high": 1}),
                         gross_margin=("bernoulli", {"p": 0}),
                         salary_change=("randint", {"low": 0, "high": 1}))
    sim = simulate(sample, period, scenario, draws=5_000, seed=11)
    det = run_scenario(sample, period, scenario)
    assert (sim.expected_pool, sim.pool_p10, sim.pool_p50, sim.pool_p90) == (det.pool,) * 4
    assert sim.expected_cost == det.allocated
    assert (sim.expected_revenue, sim.expected_gop) == (det.revenue, det.gop)
    assert sim.p_gates_passed == float(det.gates_passed)
    assert sim.p_revenue_gate == float(det.gates[0].passed) and sim.p_gop_gate == float(det.gates[1].passed)
    payouts = det.allocations.set_index("employee_id")["payout"]
    assert np.abs(sim.expected_payout - payouts).max() < 0.01       # exact shares vs cents


def test_a_constant_draw_adds_to_the_scenarios_own_change(tiny):
    shifted = uncertain(BASE.with_drivers(leads=0.1), leads=("randint", {"low": 1, "high": 2}))
    sim = simulate(tiny, "2026Q1", shifted, draws=100)
    det = run_scenario(tiny, "2026Q1", BASE.with_drivers(leads=1.1))
    assert (sim.expected_revenue, sim.expected_pool) == (det.revenue, det.pool)


# --- draw by draw, the same as the engine --------------------------------------------------------


def test_every_draw_matches_compute_bonus_and_expected_payouts_match_the_loop(tiny_dir):
    write_dataset(tiny_dir, {"plan.yaml": """\
        gates: {revenue: 0.9, gop: 0.9}
        pool: {method: excess_gop_share, rate: 0.5, cap: 30000}
        distribution: {method: salary, individual_cap: 0.3}
        """})
    tiny = load_dataset(tiny_dir)
    scenario = uncertain(leads=("norm", {"scale": 0.3}), gross_margin=("uniform", {"loc": -0.05, "scale": 0.1}))
    draws = 400
    sim = simulate(tiny, "2026Q1", scenario, draws=draws, seed=5)
    model = build_model(tiny, "2026Q1", scenario)
    changes = _changes(model, 5, 0, draws)
    loop = [run_model(model, {k: float(v[j]) for k, v in changes.items()}) for j in range(draws)]
    pools = np.array([r.pool for r in loop])
    assert np.array_equal(sim.pools, pools)                       # every draw's pool, to the cent
    assert sim.expected_cost == round(np.mean([r.allocated for r in loop]), 2)
    assert sim.p_gates_passed == np.mean([r.gates_passed for r in loop])
    assert 0 < sim.p_gates_passed < 1 and (pools == 30_000).any()   # the cap and the gates both bite
    mean_payout = np.mean([r.allocations["payout"].to_numpy() for r in loop], axis=0)
    assert np.abs(sim.expected_payout.to_numpy() - mean_payout).max() < 0.01
    assert sim.expected_payout_by_department.sum() == pytest.approx(sim.expected_cost, abs=0.01)


@pytest.mark.parametrize(("draws", "seed"), [(3, 1), (7, 8), (8, 15)])
def test_expected_gop_after_bonus_is_the_mean_of_each_draws_gop_after_bonus(tiny, draws, seed):
    # was round(E[GOP]) - round(E[cost]): 217,515.47 where the draws' mean is 217,515.48
    scenario = uncertain(leads=("norm", {"scale": 0.3}))
    sim = simulate(tiny, "2026Q1", scenario, draws=draws, seed=seed)
    model = build_model(tiny, "2026Q1", scenario)
    changes = _changes(model, seed, 0, draws)
    loop = [run_model(model, {k: float(v[j]) for k, v in changes.items()}) for j in range(draws)]
    after_cents = sum(round(r.gop * 100) - round(r.allocated * 100) for r in loop)
    assert sim.expected_gop_after_bonus == round_cents(Decimal(after_cents) / draws / 100)
    assert sim.to_dict()["expected_gop_after_bonus"] == sim.expected_gop_after_bonus


def test_an_uncertain_pay_rise_scales_caps_per_draw(tiny_dir):
    write_dataset(tiny_dir, {"plan.yaml": """\
        gates: {}
        pool: {method: gop_share, rate: 0.5, self_funding: false}
        distribution: {method: salary, individual_cap: 0.05}
        """})
    tiny = load_dataset(tiny_dir)
    scenario = uncertain(salary_change=("uniform", {"loc": 0.0, "scale": 0.2}))
    sim = simulate(tiny, "2026Q1", scenario, draws=300, seed=2)
    model = build_model(tiny, "2026Q1", scenario)
    changes = _changes(model, 2, 0, 300)
    loop = [run_model(model, {k: float(v[j]) for k, v in changes.items()}) for j in range(300)]
    assert all(r.unallocated > 0 for r in loop)                    # everyone is at their cap
    mean_payout = np.mean([r.allocations["payout"].to_numpy() for r in loop], axis=0)
    assert np.abs(sim.expected_payout.to_numpy() - mean_payout).max() < 0.02
    assert sim.expected_cost == pytest.approx(np.mean([r.allocated for r in loop]), abs=0.05)


def test_heavy_tailed_draws_stay_in_the_drivers_range_and_the_sums_stay_exact(tiny):
    # pareto with b = 0.05 has draws beyond 1e300: unclipped they made revenue and GOP infinite
    # and the int64 sums wrapped round (an expected GOP of minus trillions).
    scenario = uncertain(leads=("pareto", {"b": 0.05, "loc": -1}),
                         opex_growth=("levy", {"scale": 0.5}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sim = simulate(tiny, "2026Q1", scenario, draws=2_000, seed=3)
    model = build_model(tiny, "2026Q1", scenario)
    changes = _changes(model, 3, 0, 2_000)
    assert changes["leads"].max() == 10.0 and changes["opex_growth"].max() == 10.0   # +1000%
    loop = [run_model(model, {k: float(v[j]) for k, v in changes.items()}) for j in range(2_000)]
    revenue_cents = sum(round(r.revenue * 100) for r in loop)
    gop_cents = sum(round(r.gop * 100) for r in loop)
    assert sim.expected_revenue == round_cents(Decimal(revenue_cents) / 2_000 / 100)
    assert sim.expected_gop == round_cents(Decimal(gop_cents) / 2_000 / 100)
    assert np.array_equal(sim.pools, [r.pool for r in loop])


@pytest.mark.parametrize("distribution", [
    "{method: salary, individual_cap: 0.05}",    # no weight and no cap left: nothing is paid
    "{method: equal}",                           # salaries do not matter: shared as usual
    "{method: points, points: {default: 1}, individual_cap: 0.5}",
])
def test_a_pay_cut_of_100_percent_pays_what_the_engine_pays(tiny_dir, distribution):
    write_dataset(tiny_dir, {"plan.yaml": f"""\
        gates: {{}}
        pool: {{method: gop_share, rate: 0.5, self_funding: false}}
        distribution: {distribution}
        """})
    tiny = load_dataset(tiny_dir)
    scenario = uncertain(salary_change=("uniform", {"loc": -1.5, "scale": 1.0}))   # half below -100%
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # was: divide by zero in the sharing
        sim = simulate(tiny, "2026Q1", scenario, draws=300, seed=8)
        seek = rate_for_expected_cost(tiny, "2026Q1", 50, scenario, draws=300, seed=8)
    model = build_model(tiny, "2026Q1", scenario)
    changes = _changes(model, 8, 0, 300)
    assert changes["salary_change"].min() == -1.0 and (changes["salary_change"] == -1.0).sum() > 100
    loop = [run_model(model, {k: float(v[j]) for k, v in changes.items()}) for j in range(300)]
    assert sim.expected_cost == pytest.approx(np.mean([r.allocated for r in loop]), abs=0.02)
    mean_payout = np.mean([r.allocations["payout"].to_numpy() for r in loop], axis=0)
    assert np.abs(sim.expected_payout.to_numpy() - mean_payout).max() < 0.02
    assert seek.found


# --- probabilities are right ------------------------------------------------------------------------


def test_the_revenue_gate_probability_matches_the_normal_distribution(tiny):
    # revenue = 1,000,000 + 300,000 x x with x ~ N(0, 0.2): passes 95% of 1,000,000 when x >= -1/6
    sim = simulate(tiny, "2026Q1", uncertain(leads=("norm", {"scale": 0.2})), draws=200_000, seed=1)
    expected = stats.norm.sf(-1 / 6, scale=0.2)
    assert abs(sim.p_revenue_gate - expected) < 4 * np.sqrt(expected * (1 - expected) / 200_000)
    # GOP = 210,000 + 180,000 x: above 200,000 when x > -1/18
    assert sim.p_gop_gate == pytest.approx(stats.norm.sf(-1 / 18, scale=0.2), abs=0.004)


def test_correlated_drivers_have_the_asked_correlation(tiny):
    scenario = uncertain(correlation=[("gross_margin", "leads", -0.6)],
                         leads=("norm", {"scale": 0.1}),
                         gross_margin=("triang", {"c": 0.5, "loc": -0.02, "scale": 0.04}))
    model = build_model(tiny, "2026Q1", scenario)
    changes = _changes(model, 0, 0, 100_000)
    # the Gaussian copula keeps rank correlation near (6 / pi) asin(rho / 2)
    rho = stats.spearmanr(changes["leads"], changes["gross_margin"]).statistic
    assert rho == pytest.approx(6 / np.pi * np.arcsin(-0.3), abs=0.01)


# --- reproducible, and the same for any chunking or executor -------------------------------------


def test_the_same_seed_gives_identical_json_and_another_seed_does_not(sample):
    first = simulate(sample, "2027Q1", "base", draws=20_000, seed=42).to_dict()
    again = simulate(sample, "2027Q1", "base", draws=20_000, seed=42).to_dict()
    other = simulate(sample, "2027Q1", "base", draws=20_000, seed=43).to_dict()
    assert json.dumps(first) == json.dumps(again)
    assert first["expected_pool"] != other["expected_pool"]


def test_results_do_not_depend_on_chunking_or_the_executor(sample):
    draws = 2 * BLOCK + 1_234
    single = simulate(sample, "2027Q1", "stretch", draws=draws, seed=9)
    chunks = simulate(sample, "2027Q1", "stretch", draws=draws, seed=9, chunk_size=1)
    with ThreadPoolExecutor(3) as pool:
        threaded = simulate(sample, "2027Q1", "stretch", draws=draws, seed=9, executor=pool, chunk_size=BLOCK)
    for other in (chunks, threaded):
        assert other.to_dict() == single.to_dict()
        assert np.array_equal(other.pools, single.pools)
    assert single.draws == draws


def test_a_scenarios_draws_of_a_driver_do_not_change_when_another_becomes_uncertain(tiny):
    one = build_model(tiny, "2026Q1", uncertain(leads=("norm", {"scale": 0.1})))
    two = build_model(tiny, "2026Q1", uncertain(leads=("norm", {"scale": 0.1}),
                                                gross_margin=("norm", {"scale": 0.01})))
    assert np.array_equal(_changes(one, 3, 0, 1000)["leads"], _changes(two, 3, 0, 1000)["leads"])


def test_more_draws_extend_the_same_sequence(tiny):
    scenario = uncertain(leads=("norm", {"scale": 0.3}))
    short = simulate(tiny, "2026Q1", scenario, draws=1_000, seed=4)
    long = simulate(tiny, "2026Q1", scenario, draws=5_000, seed=4)
    assert np.array_equal(long.pools[:1_000], short.pools)


# --- the result -------------------------------------------------------------------------------------


def test_result_has_the_simulate_json_keys(sample):
    sim = simulate(sample, "2026Q3", "base", draws=2_000, seed=0)
    data = sim.to_dict()
    for key in ("draws", "p_gates_passed", "expected_pool", "pool_p10", "pool_p50", "pool_p90",
                "p_revenue_gate", "p_gop_gate", "p_self_funding", "expected_cost",
                "expected_payout_by_department", "expected_payouts"):
        assert key in data
    assert data["draws"] == 2_000 and 0 < data["p_gates_passed"] < 1
    assert data["pool_p10"] <= data["pool_p50"] <= data["pool_p90"] <= 45_000
    assert sim.expected_payout.index.tolist() == sample.staff["employee_id"].tolist()
    ineligible = sim.people.loc[~sim.people["eligible"], "expected_payout"]
    assert (ineligible == 0).all()
    assert sim.p_self_funding == 1.0            # self_funding: true never pays above the excess


def test_self_funding_probability_without_the_limit(sample):
    plan = with_overrides(sample.plan, {"pool.self_funding": False, "pool.method": "gop_share",
                                        "pool.rate": 0.1, "gates.gop": 0.8, "pool.cap": None})
    sim = simulate(sample, "2026Q3", "base", draws=20_000, seed=0, plan=plan)
    # a gate missed pays nothing, which is self-funding too
    assert 1 - sim.p_gates_passed < sim.p_self_funding < 1


@pytest.mark.parametrize(("kwargs", "flag"), [({"draws": 0}, "--draws"), ({"seed": -1}, "--seed"),
                                              ({"draws": 2.5}, "--draws"),
                                              ({"draws": 10**10}, "--draws")])   # was: hours, then out of memory
@pytest.mark.timeout(60)
def test_bad_run_settings_are_refused(tiny, kwargs, flag):
    with pytest.raises(InputError) as err:
        simulate(tiny, "2026Q1", **kwargs)
    assert err.value.problems[0].file == flag


def test_a_progress_bar_can_be_shown(sample_copy, capsys):
    """The Monte Carlo draws no bar itself: the CLI's --progress moves one from its callback."""
    from planning.cli import main

    assert main(["simulate", "--data", str(sample_copy), "--period", "2027Q1", "--draws", "1000",
                 "--progress"]) == 0
    assert "simulating base" in capsys.readouterr().err


def test_the_progress_callback_hears_every_chunk(tiny, capsys):
    calls = []
    from planning.montecarlo import BLOCK

    draws = 2 * BLOCK + 10  # three chunks of one block
    simulate(tiny, "2026Q1", uncertain(leads=("norm", {"scale": 0.1})), draws=draws, chunk_size=BLOCK,
             progress=lambda done, total: calls.append((done, total)))
    assert calls == [(BLOCK, draws), (2 * BLOCK, draws), (draws, draws)]
    assert capsys.readouterr().err == ""  # no bar of its own


# --- goal seek over draws --------------------------------------------------------------------------


def test_the_rate_for_an_expected_cost(sample):
    seek = rate_for_expected_cost(sample, "2027Q1", 20_000, "base", draws=20_000, seed=1)
    assert seek.found and seek.key == "pool.rate" and 0 < seek.value < 0.3
    plan = with_overrides(sample.plan, {"pool.rate": seek.value})
    sim = simulate(sample, "2027Q1", "base", draws=20_000, seed=1, plan=plan)
    assert sim.expected_cost == pytest.approx(20_000, abs=0.01)
    too_much = rate_for_expected_cost(sample, "2027Q1", 60_000, "base", draws=5_000)
    assert not too_much.found and "cannot be reached" in too_much.message   # the 45k cap


def test_the_gate_level_that_pays_with_a_chosen_probability(sample):
    seek = gate_for_probability(sample, "2027Q1", 0.7, gate="revenue", draws=20_000, seed=3)
    assert seek.found and seek.achieved >= 0.7 and seek.value > 1
    at = with_overrides(sample.plan, {"gates.revenue": seek.value})
    above = with_overrides(sample.plan, {"gates.revenue": seek.value + 1e-9})
    assert simulate(sample, "2027Q1", "base", 20_000, 3, plan=at).p_pays >= 0.7
    assert simulate(sample, "2027Q1", "base", 20_000, 3, plan=above).p_pays < 0.7
    never = gate_for_probability(sample, "2027Q1", 0.9, gate="gop", scenario="downturn", draws=5_000)
    assert not never.found and "even without a gop gate" in never.message


def test_goal_seek_over_draws_refuses_amounts_that_are_not_numbers(tiny):
    with pytest.raises(InputError, match="'100' is not an amount above 0"):
        rate_for_expected_cost(tiny, "2026Q1", "100", draws=100)        # was: TypeError
    with pytest.raises(InputError, match="'0.5' is out of range"):
        gate_for_probability(tiny, "2026Q1", "0.5", draws=100)


# --- the CLI ---------------------------------------------------------------------------------------


def test_cli_simulate_json_is_reproducible(capsys):
    args = ["simulate", "--data", "data", "--period", "2027Q1", "--scenario", "stretch",
            "--draws", "3000", "--seed", "5", "--json"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert data["draws"] == 3000 and data["scenario"] == "stretch"


def test_cli_simulate_summary_and_bad_draws(capsys):
    assert main(["simulate", "--data", "data", "--period", "2026Q3", "--draws", "2000"]) == 0
    out = capsys.readouterr().out
    assert "Both gates pass" in out and "Pool P10 / P50 / P90" in out and "Fulfilment" in out
    assert main(["simulate", "--data", "data", "--period", "2026Q3", "--draws", "0"]) == 2
    assert capsys.readouterr().err.startswith("error: --draws: 0 is not a number of draws")


@pytest.mark.parametrize("command", [["scenario", "--name", "stretch"], ["simulate", "--draws", "200"]])
def test_cli_output_file_for_scenario_and_simulate(command, tmp_path, capsys):
    args = [*command, "--data", "data", "--period", "2027Q1"]
    # text without --json goes to the file too (it went to stdout and no file was written)
    assert main([*args, "--output", str(tmp_path / "out.txt")]) == 0
    assert capsys.readouterr().out == "" and "2027Q1" in (tmp_path / "out.txt").read_text()
    # a path that cannot be written is one line and exit 2 (was: a CannotWrite traceback)
    (tmp_path / "file").write_text("")
    assert main([*args, "--json", "--output", str(tmp_path / "file" / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --output: ") and len(err.strip().splitlines()) == 1


def test_monte_carlo_chart_is_the_pool_histogram(sample):
    from planning.scenario_charts import monte_carlo_chart

    sim = simulate(sample, "2027Q1", "base", draws=5_000)
    ax = monte_carlo_chart(sim).axes[0]
    assert sum(p.get_height() for p in ax.patches) == (sim.pools > 0).sum()
    assert f"{sim.p_pays:.1%}" in ax.get_title()  # as the report and `simulate` print it
