"""The bonus engine: hand-worked examples for every rule, and properties."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from planning import (
    PeriodResult,
    bonus_for_period,
    compute_bonus,
    explain_payout,
    load_dataset,
    parse_plan,
    period_result,
    with_overrides,
)
from planning.bonus import pool_arrays
from planning.methods import curve_multiple
from planning.sharing import SharingRule
from tests.conftest import write_dataset
from tests.strategies import PERIOD, plans, staff_frames


def payouts(result) -> dict[str, float]:
    return dict(zip(result.allocations["employee_id"], result.allocations["payout"], strict=True))


def tiny_with(tmp_path, plan_yaml: str, **files):
    files["plan.yaml"] = plan_yaml
    return load_dataset(write_dataset(tmp_path / "t", files))


# --- hand-worked examples on the tiny dataset (2026Q1: revenue 1,000,000 = target;
# GOP 210,000 against 200,000; 90 days) --------------------------------------------------------


def test_salary_sharing_by_hand(tiny):
    r = bonus_for_period(tiny, "2026Q1")
    assert r.gates_passed and (r.revenue_attainment, r.gop_attainment) == (1.0, 1.05)
    assert r.raw_pool == 5000.0 and r.pool == 5000.0 and r.limits == ()
    # weights: Ann 100,000; Bob 50,000 x 0.5; Cat 60,000 x 45/90 (joined 15 Feb); Dan left
    # 14 Feb (not employed at period end); Eve not eligible. Total 155,000.
    # Ann 3225.806.. (remainder .645 gets the leftover cent), Bob 806.451.., Cat 967.741..
    assert payouts(r) == {"A1": 3225.81, "A2": 806.45, "A3": 967.74, "A4": 0.0, "A5": 0.0}
    assert r.allocated == 5000.0 and r.unallocated == 0.0
    people = r.allocations.set_index("employee_id")
    assert people.loc["A3", "days_in"] == 45 and people.loc["A3", "tenure"] == 0.5
    assert people.loc["A4", "reason"] == "left before the period ended"
    assert people.loc["A5", "reason"] == "not bonus-eligible"
    assert r.pool_share_of_gop == pytest.approx(5000 / 210000)
    assert r.pool_share_of_excess_gop == 0.5
    assert r.gop_after_bonus == 205000.0


def test_failed_gate_says_by_how_much(tiny):
    r = bonus_for_period(tiny, "2026Q2")  # revenue 900,000 of 1,000,000; GOP 110,000
    assert not r.gates_passed and r.pool == 0 and set(payouts(r).values()) == {0.0}
    revenue_gate, gop_gate = r.gates
    assert not revenue_gate.passed and revenue_gate.shortfall == pytest.approx(0.05)
    assert revenue_gate.gap_amount == 50000.0
    assert gop_gate.gap_amount == 90000.0
    assert "missed by 5.0 points (EUR 50,000.00 short)" in explain_payout(r, "A1")


def test_gates_pass_exactly_at_the_threshold(tiny):
    plan = with_overrides(tiny.plan, {"gates.revenue": 1.0, "gates.gop": 1.05})
    assert bonus_for_period(tiny, "2026Q1", plan).gates_passed
    plan = with_overrides(tiny.plan, {"gates.gop": 1.0500001})
    assert not bonus_for_period(tiny, "2026Q1", plan).gates_passed


def test_gate_and_curve_point_reached_exactly_in_cents(tiny):
    # 27,331,513.96 is exactly 80% of 34,164,392.45, but the float quotient is 0.7999999999999999.
    at_gate = PeriodResult("2026Q1", revenue=27_331_513.96, cogs=20_000_000, opex=1_000_000,
                           revenue_target=34_164_392.45, gop_target=6_000_000)
    plan = parse_plan({"gates": {"revenue": 0.8},
                       "pool": {"method": "payout_curve", "target_pool": 60_000, "metric": "revenue",
                                "curve": [[0.8, 0.5], [1.0, 1.0]], "self_funding": False},
                       "distribution": {"method": "equal"}})
    r = compute_bonus(at_gate, tiny.staff, tiny.period("2026Q1"), plan)
    assert r.gates_passed and r.gates[0].shortfall == 0.0
    assert r.raw_pool == 30_000.0 and r.pool == 30_000.0   # the curve's first point, not 0
    one_cent_short = dataclasses.replace(at_gate, revenue=27_331_513.95)
    assert not compute_bonus(one_cent_short, tiny.staff, tiny.period("2026Q1"), plan).gates_passed
    gop_gate = with_overrides(plan, {"gates.revenue": None, "gates.gop": 0.8, "pool.metric": "gop"})
    at_gop_gate = dataclasses.replace(at_gate, cogs=0, opex=0, gop_target=34_164_392.45)
    r = compute_bonus(at_gop_gate, tiny.staff, tiny.period("2026Q1"), gop_gate)
    assert r.gates_passed and r.pool == 30_000.0


def test_equal_sharing_with_individual_caps_by_hand(tiny):
    # Equal weights: Ann 1, Bob 0.5 (FTE), Cat 0.5 (half the quarter). Pool 5000 -> 2500/1250/1250.
    # Caps at 15% of period salary: Ann 3750, Bob 937.50, Cat 1125. Bob and Cat are capped; the
    # rest (2937.50) goes to Ann, who stays under her cap.
    plan = with_overrides(tiny.plan, {"distribution.method": "equal", "distribution.individual_cap": 0.15})
    r = bonus_for_period(tiny, "2026Q1", plan)
    assert payouts(r)["A1"] == 2937.5 and payouts(r)["A2"] == 937.5 and payouts(r)["A3"] == 1125.0
    assert r.allocations.set_index("employee_id")["capped"].to_dict() == {
        "A1": False, "A2": True, "A3": True, "A4": False, "A5": False}
    assert "so it is the cap" in explain_payout(r, "A2")


def test_the_cap_shown_is_the_cap_applied(tmp_path):
    # 10% of a quarter of 4,000.24 is 100.006: the cap is floored to 100.00 (nobody is paid above
    # it), and the JSON, the workbook and the explanation used to show 100.01.
    staff = ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
             "A1,Ann,IT,A,4000.24,1,2020-01-01,,true\n")
    ds = tiny_with(tmp_path, "pool: {rate: 0.5}\ndistribution: {individual_cap: 0.1}\n", **{"staff.csv": staff})
    r = bonus_for_period(ds, "2026Q1")
    person = r.to_dict()["allocations"][0]
    assert person["payout"] == 100.0 and person["cap"] == 100.0 and person["capped"]
    assert "individual cap of EUR 100.00" in explain_payout(r, "A1")


def test_everyone_capped_leaves_the_rest_unallocated(tiny):
    plan = with_overrides(tiny.plan, {"distribution.individual_cap": 0.1})
    r = bonus_for_period(tiny, "2026Q1", plan)
    # Caps: 10% of 25,000 / 6,250 / 7,500 -> 3,875 in all of a 5,000 pool.
    assert payouts(r) == {"A1": 2500.0, "A2": 625.0, "A3": 750.0, "A4": 0.0, "A5": 0.0}
    assert (r.allocated, r.unallocated) == (3875.0, 1125.0)
    assert r.gop_after_bonus == 210000 - 3875


def test_points_with_default_and_tie_to_lower_id(tiny):
    plan = with_overrides(tiny.plan, {"distribution.method": "points",
                                      "distribution.points": {"default": 1, "Manager": 2}})
    r = bonus_for_period(tiny, "2026Q1", plan)
    # weights 2, 0.5, 0.5: 3333.333.., 833.333.., 833.333..; one leftover cent, three equal
    # remainders, goes to the lowest employee_id.
    assert payouts(r) == {"A1": 3333.34, "A2": 833.33, "A3": 833.33, "A4": 0.0, "A5": 0.0}


def test_tie_to_the_lower_numeric_employee_id(tmp_path):
    # Eleven equal shares of 50.00: 4.5454.. each, six leftover cents on equal remainders. With
    # ids 1..11 the lower ids are 1-6 (as numbers), not '1', '10', '11', '2', '3', '4' (as text).
    staff = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n" + "".join(
        f"{i},P{i},IT,A,40000,1,2020-01-01,,true\n" for i in range(11, 0, -1))
    ds = tiny_with(tmp_path, "pool: {rate: 0.005}\ndistribution: {method: equal}\n", **{"staff.csv": staff})
    r = bonus_for_period(ds, "2026Q1")
    assert r.pool == 50.0
    assert payouts(r) == {str(i): 4.55 if i <= 6 else 4.54 for i in range(1, 12)}


def test_department_weights(tiny):
    plan = with_overrides(tiny.plan, {"distribution.method": "equal",
                                      "distribution.department_weights": {"IT": 2}})
    r = bonus_for_period(tiny, "2026Q1", plan)
    # weights Ann 1, Bob 0.5, Cat 0.5 x 2 = 1 -> 2000 / 1000 / 2000
    assert payouts(r)["A1"] == 2000.0 and payouts(r)["A2"] == 1000.0 and payouts(r)["A3"] == 2000.0


def test_leaver_on_last_day_and_joiner_on_first_day(tmp_path):
    header = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
    staff = header + ("L1,Leaver,IT,A,40000,1,2020-01-01,2026-03-31,true\n"
                      "J1,Joiner,IT,A,40000,1,2026-01-01,,true\n"
                      "M1,Late,IT,A,40000,1,2026-03-01,,true\n")
    ds = tiny_with(tmp_path, "pool: {rate: 0.5}\ndistribution: {method: equal, min_days_in_period: 31}\n",
                   **{"staff.csv": staff})
    r = bonus_for_period(ds, "2026Q1")
    people = r.allocations.set_index("employee_id")
    assert people.loc["L1", "tenure"] == 1.0 and people.loc["J1", "tenure"] == 1.0
    assert people.loc["M1", "days_in"] == 31 and people.loc["M1", "eligible"]
    # weights 1, 1 and 31/90: 5000 / (2 + 31/90) = 2132.701.. each; 734.597.. for M1
    assert payouts(r) == {"L1": 2132.70, "J1": 2132.70, "M1": 734.60}
    plan = with_overrides(ds.plan, {"distribution.min_days_in_period": 32})
    assert payouts(bonus_for_period(ds, "2026Q1", plan))["M1"] == 0.0


def test_zero_eligible_weight_keeps_the_pool(tmp_path):
    staff = ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
             "A1,Ann,IT,A,40000,1,2020-01-01,,false\n")
    r = bonus_for_period(tiny_with(tmp_path, "pool: {rate: 0.5}\n", **{"staff.csv": staff}), "2026Q1")
    assert r.pool == 5000 and r.allocated == 0 and r.unallocated == 5000


@pytest.mark.parametrize(("pool", "expected_pool", "limit"), [
    ({"method": "excess_gop_share", "rate": 0.5, "floor": 6000}, 6000.0, "floor"),
    ({"method": "excess_gop_share", "rate": 0.5, "cap": 4000}, 4000.0, "cap"),
    ({"method": "gop_share", "rate": 0.1}, 10000.0, "self_funding"),
    ({"method": "gop_share", "rate": 0.1, "self_funding": False}, 21000.0, None),
    ({"method": "payout_curve", "target_pool": 4000, "curve": [[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]}, 4500.0, None),
    ({"method": "payout_curve", "target_pool": 4000, "metric": {"revenue": 0.5, "gop": 0.5},
      "curve": [[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]}, 4250.0, None),
    ({"method": "excess_gop_share", "rate": 0.0}, 0.0, None),
])
def test_pool_methods_and_limits_by_hand(tiny, pool, expected_pool, limit):
    plan = parse_plan({"gates": {"revenue": 0.95, "gop": 1.0}, "pool": pool})
    r = bonus_for_period(tiny, "2026Q1", plan)
    assert r.pool == expected_pool
    assert [x.name for x in r.limits] == ([limit] if limit else [])
    assert r.allocated + r.unallocated == r.pool


def test_half_cent_pool_on_a_large_gop_rounds_up():
    # GOP 22,009,152.70 against 22,006,952.00: 5% of the excess 2,200.70 is 110.035 -> 110.04.
    # In floats the excess is 2,200.699999999255, which used to round down to 110.03.
    result = PeriodResult("2025Q2", revenue=89_410_195.81, cogs=40_440_625.87, opex=26_960_417.24,
                          revenue_target=94_115_995.59, gop_target=22_006_952.00)
    assert result.gop == 22_009_152.70
    plan = parse_plan({"pool": {"rate": 0.05, "self_funding": False}})
    arrays = pool_arrays(plan, result.revenue, result.gop, result.revenue_target, result.gop_target)
    assert float(arrays.excess_gop) == 2200.70 and float(arrays.pool) == 110.04


def test_curve_shape():
    curve = [[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]
    assert curve_multiple([0.0, 0.8999, 0.9, 1.1, 1.2, 5.0], curve).round(6).tolist() == [0, 0, 0.5, 1.25, 1.5, 1.5]


def test_sample_company_quarters(sample):
    outcomes = {str(p): bonus_for_period(sample, p) for p in sample.reportable_periods}
    failed = {p: [g.metric for g in r.failed_gates] for p, r in outcomes.items() if not r.gates_passed}
    assert failed == {"2025Q4": ["revenue", "gop"], "2026Q2": ["gop"]}
    q4 = outcomes["2026Q4"]
    # 0.30 x (650,671.79 - 477,000) = 52,101.54, capped at 45,000.
    assert q4.raw_pool == 52101.54 and q4.pool == 45000.0 and [x.name for x in q4.limits] == ["cap"]
    assert round(q4.allocations["payout"].sum(), 2) == 45000.0
    assert outcomes["2026Q1"].pool == 9774.71  # 0.30 x 32,582.35 = 9,774.705, half up


def test_json_shape(tiny):
    data = bonus_for_period(tiny, "2026Q1").to_dict()
    for key in ["period", "revenue", "gop", "revenue_target", "gop_target", "revenue_attainment", "gop_attainment", "gates_passed", "pool", "allocated", "unallocated", "allocations"]:
        assert key in data
    assert data["allocations"][0]["employee_id"] == "A1" and data["allocations"][0]["payout"] == 3225.81
    assert len(data["allocations"]) == 5


def test_explanation_reads_out_the_chain(tiny):
    text = explain_payout(bonus_for_period(tiny, "2026Q1"), "A3")
    assert text.startswith("The company made 100.0% of its revenue target")
    assert "GOP above target was EUR 10,000.00; the plan shares 50.0% of it: EUR 5,000.00." in text
    assert "salary EUR 60,000.00 x FTE 1 x 50.0% of the quarter (45 days) = 30,000.00" in text
    assert text.endswith("Cat receives EUR 967.74.")
    assert "not bonus-eligible" in explain_payout(bonus_for_period(tiny, "2026Q1"), "A5")


# --- water-filling against the contract's iteration -------------------------------------------


def iterative_reference(pool, weights, caps):
    """The contract's words, literally: cap, reshare among the others, repeat."""
    pay = np.zeros_like(weights)
    active = weights > 0
    left = pool
    while True:
        w = np.where(active, weights, 0.0)
        if w.sum() <= 0 or left <= 1e-12:
            break
        share = left * (w / w.sum())  # w / sum first: left * w underflows for a denormal w
        over = active & (pay + share > caps)
        if not over.any():
            pay += share
            break
        left -= (caps[over] - pay[over]).sum()
        pay[over] = caps[over]
        active &= ~over
    return pay


@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0, 1000)), min_size=1, max_size=30),
       st.floats(0, 20000))
@example(people=[(5e-324, 2.0)], pool=1.0)  # cap/weight overflows: the cap must still hold
@example(people=[(5e-324, 2.0)], pool=1.5)
@example(people=[(1.0, 0.0), (5e-324, 2.0)], pool=1.0)
@example(people=[(1.0, 1.0), (5e-324, 1.0)], pool=1.0)
@example(people=[(2.0, 0.0), (5e-324, 1.0)], pool=1.0)
def test_water_filling_equals_the_iteration(people, pool):
    w = np.array([p[0] for p in people])
    c = np.array([p[1] for p in people])
    rule = SharingRule.build(w, c)
    fast = rule.shares(pool)
    slow = iterative_reference(pool, w, np.where(w > 0, c, 0.0))
    np.testing.assert_allclose(fast, slow, atol=1e-6 * max(1.0, pool))
    # expected over several pools equals the mean of single pools
    pools = np.array([0.0, pool / 3, pool, pool * 2])
    np.testing.assert_allclose(rule.expected_shares(pools),
                               np.mean([rule.shares(p) for p in pools], axis=0), atol=1e-6 * max(1.0, pool))


# --- properties over random staff and plans -----------------------------------------------------

RESULT = PeriodResult("2026Q1", revenue=1_000_000, cogs=500_000, opex=280_000,
                      revenue_target=1_000_000, gop_target=200_000)


@given(staff_frames(), plans, st.integers(150_000, 400_000))
@example(staff=pd.DataFrame({
    "employee_id": ["E0"], "name": ["x"], "department": ["IT"], "role": ["Manager"], "annual_salary": [0.0],
    "fte": [1.0], "start_date": [pd.Timestamp("2026-03-31")], "end_date": [pd.NaT], "bonus_eligible": [True]}),
    plan={"pool": {"rate": 0.5}, "distribution": {"method": "salary", "individual_cap": 0.1}}, gop=300_000)
def test_payout_properties(staff, plan, gop):
    plan = parse_plan(plan)
    result = dataclasses.replace(RESULT, opex=500_000 - gop)
    r = compute_bonus(result, staff, PERIOD, plan)
    pay = r.allocations["payout"].to_numpy()
    cents = np.round(pay * 100).astype(np.int64)
    assert (pay >= 0).all()
    assert np.allclose(pay * 100, cents)
    assert cents.sum() == round(r.pool * 100) - round(r.unallocated * 100)
    assert r.unallocated >= 0
    assert (pay <= r.allocations["cap"].to_numpy() + 1e-9).all()
    assert (pay[r.allocations["weight"].to_numpy() == 0] == 0).all()
    if not r.gates_passed:
        assert r.pool == 0 and cents.sum() == 0
    # permuting the staff rows changes nothing
    shuffled = staff.sample(frac=1.0, random_state=1)
    again = compute_bonus(result, shuffled, PERIOD, plan)
    assert again.allocations.set_index("employee_id")["payout"].sort_index().equals(
        r.allocations.set_index("employee_id")["payout"].sort_index())
    # raising GOP never lowers the pool (all these plans are monotone)
    higher = compute_bonus(dataclasses.replace(result, opex=result.opex - 5_000), staff, PERIOD, plan)
    assert higher.pool >= r.pool


def test_pool_arrays_match_the_scalar_engine(tiny):
    base = period_result(tiny, "2026Q1")
    gops = np.linspace(150_000, 260_000, 23)
    arrays = pool_arrays(tiny.plan, base.revenue, gops, base.revenue_target, base.gop_target)
    for gop, pool in zip(gops, arrays.pool, strict=True):
        one = compute_bonus(dataclasses.replace(base, opex=base.revenue - base.cogs - gop), tiny.staff,
                            tiny.period("2026Q1"), tiny.plan)
        assert one.pool == pool
