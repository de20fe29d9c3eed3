"""Property tests of the bonus year: the conservation laws of section 6.3, and an independent
reference for the order of operations of section 6.1 (in exact decimals)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from planning.bonus import compute_bonus
from planning.financials import PeriodResult
from planning.money import cents_array
from planning.periods import FiscalYear
from planning.plan import parse_plan
from planning.year import settle_year
from tests.strategies import PERIOD, staff_frames, year_figures, year_plans

FY = FiscalYear(PERIOD.fiscal_year, 1)


def results_from(figures, k=4):
    return [PeriodResult(f"{FY.fiscal_year}Q{i + 1}", *f) for i, f in enumerate(figures[:k])]


def cents(x) -> int:
    return int(Decimal(repr(float(x))).scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def reference_pool(plan, r: PeriodResult, k: int, to_date: bool) -> int:
    """Section 4.1 on ``r`` in decimals, with floor and cap x k and 4 x target_pool x W_k."""
    D = lambda x: Decimal(repr(float(x)))  # noqa: E731
    revenue, gop = D(r.revenue), D(r.revenue) - D(r.cogs) - D(r.opex)
    ra, ga = revenue / D(r.revenue_target), gop / D(r.gop_target)
    g = plan.gates
    if (g.revenue is not None and ra < D(g.revenue) - Decimal("1e-12")) or (
            g.gop is not None and ga < D(g.gop) - Decimal("1e-12")):
        return 0
    p = plan.pool
    excess = max(Decimal(0), gop - D(r.gop_target))
    scale = k if to_date else 1
    if p.method == "excess_gop_share":
        raw = D(p.rate) * excess
    elif p.method == "gop_share":
        raw = D(p.rate) * max(Decimal(0), gop)
    else:
        weights = plan.year.weights or (0.25, 0.25, 0.25, 0.25)
        w = sum(D(x) for x in weights[:k]) if to_date else Decimal("0.25")
        target = D(p.target_pool) * 4 * w
        total = sum(D(v) for v in p.metric.values())
        a = sum(D(v) * (ra if m == "revenue" else ga) for m, v in p.metric.items()) / total
        xs, ys = [D(x) for x, _ in p.curve], [D(y) for _, y in p.curve]
        if a < xs[0]:
            mult = Decimal(0)
        elif a >= xs[-1]:
            mult = ys[-1]
        else:
            i = max(j for j in range(len(xs)) if xs[j] <= a)
            mult = ys[i] + (ys[i + 1] - ys[i]) * (a - xs[i]) / (xs[i + 1] - xs[i])
        raw = target * mult
    pool = max(raw, D(p.floor) * scale)
    if p.cap is not None:
        pool = min(pool, D(p.cap) * scale)
    if p.self_funding:
        pool = min(pool, excess)
    return int((pool * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(year_plans(), year_figures(), staff_frames(max_size=12), st.integers(1, 4))
def test_the_year_follows_section_6_and_adds_up_to_the_cent(data, figures, staff, k):
    plan = parse_plan(data)
    year = plan.year
    results = results_from(figures, k)
    result = settle_year(results, staff, FY, plan)
    to_date = year.settle == "year_to_date"
    paid = reserve = 0
    for i, q in enumerate(result.quarters, start=1):
        basis = PeriodResult(q.basis.period, *(sum(getattr(r, f) for r in results[:i]) if to_date else
                                               getattr(results[i - 1], f)
                                               for f in ("revenue", "cogs", "opex", "revenue_target", "gop_target")))
        earned = reference_pool(plan, basis, i, to_date)
        pool = max(0, earned - paid) if to_date else earned
        # Within a cent of the decimal reference (attainments divide in binary floating point).
        assert abs(cents(q.pool) - pool) <= 1 and abs(cents(q.earned_to_date) - (earned if to_date else paid + pool)) <= 1
        pool = cents(q.pool)
        held = int((Decimal(repr(year.holdback)) * pool).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert cents(q.held_back) == held and cents(q.shared_now) == pool - held
        assert cents(q.allocated) + cents(q.unallocated) + cents(q.held_back) == cents(q.pool)
        assert int(cents_array(q.allocations["payout"]).sum()) == cents(q.allocated)
        assert (q.allocations["payout"] >= 0).all() and cents(q.unallocated) >= 0
        paid += pool
        reserve += held
        assert cents(q.reserve) == reserve
        assert cents(result.people[q.period].sum()) == cents(q.allocated)
    unallocated = sum(cents(q.unallocated) for q in result.quarters)
    people = result.people
    if k < 4:
        assert result.year_end is None and people["year_end"].isna().all()
        assert result.to_dict()["year_end"] == dict.fromkeys(
            ("reserve", "gates_passed", "released", "forfeited", "allocated", "unallocated"))
        assert int(cents_array(people["total"]).sum()) + unallocated + reserve == paid
        return
    end = result.year_end
    assert cents(end.reserve) == reserve
    assert cents(end.released) + cents(end.forfeited) == reserve
    assert cents(end.allocated) + cents(end.unallocated) == cents(end.released)
    assert (cents(end.released) == 0 or end.gates_passed) and (cents(end.forfeited) == 0 or not end.gates_passed)
    assert int(cents_array(people["year_end"]).sum()) == cents(end.allocated)
    total = int(cents_array(people["total"]).sum())
    assert total + unallocated + cents(end.unallocated) + cents(end.forfeited) == paid
    # With an individual cap, the year end never takes anyone above their yearly cap
    # (individual_cap x year salary), and pays only people eligible at the year end.
    ye = end.allocations
    individual_cap = plan.distribution.individual_cap
    if individual_cap is not None:
        yearly = np.floor(individual_cap * ye["period_salary"].to_numpy() * 100 + 1e-6)
        paid_in_quarters = cents_array(ye["paid_in_quarters"])
        assert (cents_array(people["total"]) <= np.maximum(paid_in_quarters, yearly)).all()
    assert ((ye["payout"] == 0) | ye["eligible"]).all()


@given(year_plans(), year_figures(), staff_frames(max_size=12))
def test_settle_quarter_without_holdback_is_each_quarter_alone(data, figures, staff):
    data = {**data, "year": {"settle": "quarter", "holdback": 0}}
    data["pool"] = {k: v for k, v in data["pool"].items()}
    plan = parse_plan(data)
    result = settle_year(results_from(figures), staff, FY, plan)
    for period, q, r in zip(FY.quarters, result.quarters, results_from(figures), strict=True):
        alone = compute_bonus(r, staff, period, plan)
        assert q.pool == alone.pool and q.allocated == alone.allocated
        assert q.allocations["payout"].tolist() == alone.allocations["payout"].tolist()
    assert result.year_end.reserve == 0 and result.year_end.allocated == 0
