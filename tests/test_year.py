"""The bonus year (domain section 6): published worked examples to the cent, and the rules."""

from __future__ import annotations

import pandas as pd
import pytest

from planning.financials import PeriodResult
from planning.periods import FiscalYear
from planning.plan import parse_plan
from planning.year import settle_year, year_to_date_plan

FY = FiscalYear(2026, 1)   # calendar quarters: 2026Q1 .. 2026Q4


def staff(*rows) -> pd.DataFrame:
    """Full-time, eligible, employed all year: (employee_id, annual_salary) pairs."""
    return pd.DataFrame({
        "employee_id": [r[0] for r in rows], "name": [f"Person {r[0]}" for r in rows],
        "department": "Ops", "role": "Associate", "annual_salary": [float(r[1]) for r in rows],
        "fte": 1.0, "start_date": pd.Timestamp("2020-01-01"), "end_date": pd.NaT, "bonus_eligible": True,
    }).astype({"end_date": "datetime64[ns]"})


def quarters(gops, revenue=1_000_000.0, revenue_target=1_000_000.0, gop_targets=100_000.0):
    """Quarter results with the given GOPs (cogs 0, opex = revenue - GOP)."""
    targets = gop_targets if isinstance(gop_targets, list) else [gop_targets] * len(gops)
    return [PeriodResult(f"2026Q{k}", revenue, 0.0, revenue - gop, revenue_target, target)
            for k, (gop, target) in enumerate(zip(gops, targets, strict=True), start=1)]


def plan(pool, year=None, distribution=None, gates=None):
    data = {"gates": gates or {}, "pool": pool, "distribution": distribution or {"method": "salary"}}
    if year is not None:
        data["year"] = year
    return parse_plan(data)


def pools(result):
    return [(q.earned_to_date, q.pool, q.held_back, q.shared_now, q.reserve) for q in result.quarters]


# --- published worked examples (domain-background.md b1, b4-b6) --------------------------------


def test_scanlon_quarter_with_a_25_percent_reserve_and_a_deficit_quarter():
    """b4 Scanlon: a gain of 0.92M; a 25% reserve; 75% of the rest (517.5k) to the workers.

    Here the workers' 75% is the pool rate and the 25% the holdback (the two commute):
    0.75 x 920,000 = 690,000; 25% of it is held back (172,500), 517,500 is shared now.
    Q4's gain of -0.2M is a deficit: nothing is taken back and Q4 adds nothing.
    """
    p = plan({"method": "gop_share", "rate": 0.75, "self_funding": False},
             {"settle": "year_to_date", "holdback": 0.25})
    result = settle_year(quarters([0, 0, 920_000, -200_000]), staff(("A", 50_000)), FY, p)
    q3, q4 = result.quarters[2], result.quarters[3]
    assert (q3.pool, q3.held_back, q3.shared_now) == (690_000.0, 172_500.0, 517_500.0)
    assert (q4.earned_to_date, q4.pool, q4.shared_now) == (540_000.0, 0.0, 0.0)
    assert result.year_end.reserve == 172_500.0 and result.year_end.released == 172_500.0


def test_losses_carried_forward_against_later_quarters():
    """b1 mortgage division: 25% of quarterly pre-tax income, losses carried forward."""
    p = plan({"method": "gop_share", "rate": 0.25, "self_funding": False}, {"settle": "year_to_date"})
    result = settle_year(quarters([400_000, -200_000, 300_000, 100_000]), staff(("A", 50_000)), FY, p)
    assert [q.earned_to_date for q in result.quarters] == [100_000, 50_000, 125_000, 150_000]
    # Q3 alone would pay 75,000; the 50,000 lost in Q2 is made good first.
    assert [q.pool for q in result.quarters] == [100_000, 0, 25_000, 25_000]
    assert result.quarters[1].shortfall == 50_000.0
    # Each quarter on its own (settle: quarter) pays the loss-making quarter 0 and keeps nothing back.
    alone = settle_year(quarters([400_000, -200_000, 300_000, 100_000]), staff(("A", 50_000)), FY,
                        plan({"method": "gop_share", "rate": 0.25, "self_funding": False}, {"settle": "quarter"}))
    assert [q.pool for q in alone.quarters] == [100_000, 0, 75_000, 25_000]


CURVE = {"method": "payout_curve", "target_pool": 25_000, "curve": [[1.0, 1.0]], "self_funding": False}


def test_ggob_weights_10_20_30_40_with_unearned_amounts_rolled_over():
    """b6 GGOB: 10/20/30/40% of the annual pool (4 x 25,000); Q2's miss rolls over into Q3."""
    p = plan(CURVE, {"settle": "year_to_date", "weights": [0.1, 0.2, 0.3, 0.4]})
    # Year to date: Q1 on target, Q2 behind (GOP 300k of 400k to date), Q3 and Q4 back on target.
    result = settle_year(quarters([100_000, 0, 200_000, 100_000]), staff(("A", 50_000)), FY, p)
    assert [q.earned_to_date for q in result.quarters] == [10_000, 0, 60_000, 100_000]
    assert [q.pool for q in result.quarters] == [10_000, 0, 50_000, 40_000]
    assert year_to_date_plan(p, 3).pool.target_pool == 60_000   # 4 x 25,000 x (0.1 + 0.2 + 0.3)


def test_sec_weights_20_20_20_40():
    """b6 SEC: 20/20/20/40 of a 100,000 year, every quarter on target."""
    p = plan(CURVE, {"settle": "year_to_date", "weights": [0.2, 0.2, 0.2, 0.4]})
    result = settle_year(quarters([100_000] * 4), staff(("A", 50_000)), FY, p)
    assert [q.pool for q in result.quarters] == [20_000, 20_000, 20_000, 40_000]
    # Equal weights by default: k x target_pool to date.
    equal = settle_year(quarters([100_000] * 4), staff(("A", 50_000)), FY,
                        plan(CURVE, {"settle": "year_to_date"}))
    assert [q.earned_to_date for q in equal.quarters] == [25_000, 50_000, 75_000, 100_000]


def test_twenty_percent_year_end_holdback_released_when_the_year_passes():
    """b1/b6: pay quarterly with a 20% year-end holdback."""
    p = plan({"method": "excess_gop_share", "rate": 0.5},
             {"settle": "quarter", "holdback": 0.2, "year_end": {"gates": {"gop": 1.0}}})
    result = settle_year(quarters([120_000] * 4), staff(("A", 60_000), ("B", 40_000)), FY, p)
    assert pools(result)[0] == (10_000, 10_000, 2_000, 8_000, 2_000)
    assert result.year_end.reserve == 8_000 and result.year_end.released == 8_000
    people = result.people.set_index("employee_id")
    assert people.loc["A", "2026Q1"] == 4_800 and people.loc["A", "year_end"] == 4_800
    assert people["total"].sum() == 40_000


def test_reserve_forfeited_when_a_year_end_gate_fails_on_the_full_year():
    p = plan({"method": "excess_gop_share", "rate": 0.5},
             {"settle": "quarter", "holdback": 0.2, "year_end": {"gates": {"revenue": 1.0}}})
    results = quarters([120_000] * 4, revenue=990_000.0)   # 99% of the revenue target all year
    result = settle_year(results, staff(("A", 60_000)), FY, p)
    end = result.year_end
    assert (end.gates_passed, end.reserve, end.released, end.forfeited, end.allocated) == (False, 8_000, 0, 8_000, 0)
    assert end.failed_gates[0].gap_amount == 40_000.0
    assert result.people["year_end"].tolist() == [0.0]


def test_hybrid_sixty_percent_salary_forty_percent_equal():
    """b1/b5: 60% of the pool by salary, 40% equally."""
    p = plan({"method": "gop_share", "rate": 0.1, "self_funding": False},
             distribution={"method": {"salary": 0.6, "equal": 0.4}})
    result = settle_year(quarters([100_000]), staff(("A", 100_000), ("B", 50_000)), FY, p)
    # salary part 6,000 -> 4,000 / 2,000; equal part 4,000 -> 2,000 / 2,000.
    assert result.quarters[0].allocations["payout"].tolist() == [6_000.0, 4_000.0]


# --- the rules -----------------------------------------------------------------------------------


def test_floor_and_cap_scale_with_the_year_so_far():
    p = plan({"method": "excess_gop_share", "rate": 1.0, "floor": 1_000, "cap": 5_000, "self_funding": False},
             {"settle": "year_to_date"})
    # GOP above target to date: 500, 600, 30,600, 30,600.
    result = settle_year(quarters([100_500, 100_100, 130_000, 100_000]), staff(("A", 50_000)), FY, p)
    assert [q.earned_to_date for q in result.quarters] == [1_000, 2_000, 15_000, 20_000]
    assert [lim.name for lim in result.quarters[0].limits] == ["floor"]
    assert [lim.name for lim in result.quarters[2].limits] == ["cap"]


def test_gates_on_the_year_to_date_figures():
    p = plan({"method": "excess_gop_share", "rate": 0.5}, {"settle": "year_to_date"}, gates={"gop": 1.0})
    # Q2 alone misses GOP (60k of 100k) but the year to date is still above target (200k of 200k).
    result = settle_year(quarters([140_000, 60_000]), staff(("A", 50_000)), FY, p)
    q2 = result.quarters[1]
    assert q2.gates_passed and q2.basis.gop == 200_000 and q2.earned_to_date == 0 and q2.pool == 0
    assert result.year_end is None and result.to_dict()["year_end"]["released"] is None


def test_holdback_rounds_half_up_to_the_cent():
    p = plan({"method": "gop_share", "rate": 1.0, "self_funding": False}, {"holdback": 0.5})
    result = settle_year(quarters([0.05]), staff(("A", 50_000)), FY, p)
    assert (result.quarters[0].held_back, result.quarters[0].shared_now) == (0.03, 0.02)


def test_year_end_cap_is_the_yearly_cap_less_what_the_quarters_paid():
    """b1: capped at one extra monthly salary a year (individual_cap 1/12)."""
    p = plan({"method": "gop_share", "rate": 1.0, "self_funding": False},
             {"holdback": 0.5}, distribution={"method": "salary", "individual_cap": 0.1})
    # A (120k) can take 3,000 a quarter and 12,000 a year; each quarter shares 5,000 of a 10,000 pool.
    result = settle_year(quarters([10_000] * 4), staff(("A", 120_000), ("B", 1_200)), FY, p)
    people = result.people.set_index("employee_id")
    assert people.loc["A", "2026Q1"] == 3_000 and people.loc["B", "2026Q1"] == 30
    assert people.loc["A", "year_end"] == 0 and people.loc["B", "year_end"] == 0
    assert result.quarters[0].unallocated == 1_970
    assert result.year_end.unallocated == 20_000


def test_no_year_section_and_an_empty_one_settle_each_quarter_alone(tiny):
    from planning.bonus import bonus_for_period
    from planning.year import year_for_dataset

    for p in (tiny.plan, parse_plan({**_plan_dict(tiny.plan), "year": {}})):
        result = year_for_dataset(tiny, 2026, p)
        assert [q.period for q in result.quarters] == ["2026Q1", "2026Q2"] and result.year_end is None
        for q in result.quarters:
            alone = bonus_for_period(tiny, q.period, p)
            assert q.pool == alone.pool and q.held_back == 0 and q.reserve == 0
            assert q.allocations["payout"].tolist() == alone.allocations["payout"].tolist()


def _plan_dict(p):
    from planning.plan import plan_to_dict

    return plan_to_dict(p)


def test_a_year_needs_its_quarters_from_the_first(tiny):
    from planning.errors import InputError
    from planning.year import year_for_dataset

    with pytest.raises(InputError, match="fiscal year 2027"):
        year_for_dataset(tiny, 2027)
    with pytest.raises(InputError, match="not a fiscal year"):
        year_for_dataset(tiny, "26")


# --- the words -------------------------------------------------------------------------------------


def test_the_words_say_how_far_behind_the_year_is_and_that_the_quarter_adds_nothing():
    from planning.year_words import explain_quarter, explain_year_end

    p = plan({"method": "excess_gop_share", "rate": 0.5}, {"settle": "year_to_date", "holdback": 0.2},
             gates={"gop": 1.0})
    result = settle_year(quarters([110_000, 50_000]), staff(("A", 50_000)), FY, p)
    words = " ".join(explain_quarter(result, "2026Q2"))
    assert ("the company is 40,000.00 behind its GOP target for the year so far, so this quarter adds "
            "nothing until that is made good") in words
    first = " ".join(explain_quarter(result, "2026Q1"))
    assert "20% of it (1,000.00) is held back to the year end and 4,000.00 is shared now" in first
    assert "paid at the year end of FY2026" in " ".join(explain_year_end(result))


def test_the_words_of_a_forfeited_and_a_released_reserve():
    from planning.year_words import explain_year_end, year_text

    p = plan({"method": "excess_gop_share", "rate": 0.5},
             {"holdback": 0.2, "year_end": {"gates": {"revenue": 1.0}}})
    forfeited = settle_year(quarters([120_000] * 4, revenue=990_000.0), staff(("A", 60_000)), FY, p)
    text = " ".join(explain_year_end(forfeited))
    assert "the company is 40,000.00 behind its revenue target for the full year" in text
    assert "reserve of 8,000.00 is forfeited and stays with the company" in text
    released = settle_year(quarters([120_000] * 4), staff(("A", 60_000)), FY, p)
    assert "reserve of 8,000.00 is released" in " ".join(explain_year_end(released))
    assert "released = allocated 8,000.00 + unallocated 0.00" in year_text("Co", released)


# --- the sample company's year plan ---------------------------------------------------------------


def test_the_sample_company_shows_every_mechanism_over_its_two_years(sample):
    from planning.plan import with_overrides
    from planning.year import year_for_dataset

    # The sample company's own figures under the year plan docs/plan.md describes for it.
    plan = with_overrides(sample.plan, {"year": {"settle": "year_to_date", "holdback": 0.2,
                                                 "year_end": {"gates": {"revenue": 1.0, "gop": 1.0}}}})
    fy2025, fy2026 = year_for_dataset(sample, 2025, plan), year_for_dataset(sample, 2026, plan)
    # FY2025: three paying quarters, 20% held back; 2025Q4 adds nothing; the full year misses
    # its revenue target (98.6%), so the reserve is forfeited.
    assert [q.pool for q in fy2025.quarters] == [7150.65, 14689.14, 3521.14, 0.0]
    assert [q.held_back for q in fy2025.quarters] == [1430.13, 2937.83, 704.23, 0.0]
    end = fy2025.year_end
    assert (end.reserve, end.gates_passed, end.released, end.forfeited) == (5072.19, False, 0.0, 5072.19)
    assert [g.metric for g in end.failed_gates] == ["revenue"]
    # FY2026: 2026Q2 and 2026Q3 earn less to date than 2026Q1 paid (nothing until made good);
    # 2026Q4 makes it good, both year-end gates pass and the reserve is released.
    assert [q.earned_to_date for q in fy2026.quarters] == [9774.71, 163.97, 5250.89, 57352.43]
    assert [q.pool for q in fy2026.quarters] == [9774.71, 0.0, 0.0, 47577.72]
    assert fy2026.quarters[1].shortfall == 9610.74
    end = fy2026.year_end
    assert (end.reserve, end.gates_passed, end.released, end.forfeited) == (11470.48, True, 11470.48, 0.0)
    assert end.allocated + end.unallocated == end.released
    assert round(fy2026.people["total"].sum(), 2) == round(9774.71 + 47577.72 - 1954.94 - 9515.54 + end.allocated, 2)
