"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from hypothesis import strategies as st

from planning.periods import Period

PERIOD = Period(2026, 1)  # 2026-01-01 .. 2026-03-31, 90 days
ROLES = ("Manager", "Associate", "Senior")
DEPARTMENTS = ("Sales", "IT", "Marketing")


@st.composite
def staff_frames(draw, min_size=1, max_size=25):
    n = draw(st.integers(min_size, max_size))
    rows = []
    for i in range(n):
        start = PERIOD.start + timedelta(days=draw(st.integers(-400, 100)))
        end = None
        if draw(st.booleans()):
            end = start + timedelta(days=draw(st.integers(0, 500)))
        rows.append({
            "employee_id": f"E{i:03d}",
            "name": f"Person {i}",
            "department": draw(st.sampled_from(DEPARTMENTS)),
            "role": draw(st.sampled_from(ROLES)),
            "annual_salary": float(draw(st.integers(0, 300_000))),
            "fte": draw(st.sampled_from([0.2, 0.5, 0.6, 0.8, 1.0])),
            "start_date": pd.Timestamp(start),
            "end_date": pd.Timestamp(end) if end else pd.NaT,
            "bonus_eligible": draw(st.booleans()) or draw(st.booleans()),
        })
    frame = pd.DataFrame(rows)
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame


plans = st.fixed_dictionaries({
    "gates": st.fixed_dictionaries({"revenue": st.sampled_from([0.9, 0.95, 1.0]),
                                    "gop": st.sampled_from([0.95, 1.0])}),
    "pool": st.one_of(
        st.fixed_dictionaries({"method": st.just("excess_gop_share"), "rate": st.sampled_from([0.1, 0.3, 0.5]),
                               "cap": st.sampled_from([None, 20_000, 50_000]),
                               "self_funding": st.booleans()}),
        st.fixed_dictionaries({"method": st.just("gop_share"), "rate": st.sampled_from([0.05, 0.2]),
                               "self_funding": st.booleans()}),
        st.fixed_dictionaries({"method": st.just("payout_curve"), "target_pool": st.sampled_from([10_000, 40_000]),
                               "metric": st.sampled_from(["gop", "revenue", {"revenue": 0.5, "gop": 0.5}]),
                               "curve": st.just([[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]),
                               "self_funding": st.booleans()}),
    ),
    "distribution": st.fixed_dictionaries({
        "method": st.sampled_from(["equal", "salary", "points"]),
        "points": st.just({"default": 1, "Manager": 2}),
        "department_weights": st.sampled_from([{}, {"Sales": 1.5, "IT": 0.0}]),
        "require_employed_at_period_end": st.booleans(),
        "min_days_in_period": st.sampled_from([0, 30]),
        "individual_cap": st.sampled_from([None, 0.05, 0.1, 0.25]),
    }),
})


@st.composite
def ledger_postings(draw, max_size=40):
    """Postings of a small chart (codes 1010-6900) over two fiscal years, with tracking values."""
    from datetime import date

    from planning.books.gl_export import Posting
    from planning.books.mapping import Account

    chart = [Account("1010", "Bank"), Account("2200", "GST"), Account("4000", "Sales"), Account("4900", "Interest"),
             Account("5000", "Materials"), Account("6100", "Rent"), Account("6900", "General")]
    out = []
    for row in range(2, draw(st.integers(1, max_size)) + 2):
        day = date(2024, 7, 1) + timedelta(days=draw(st.integers(0, 729)))
        out.append(Posting(day, draw(st.sampled_from(chart)), draw(st.integers(-10**9, 10**9)),
                           draw(st.sampled_from(("Sales", "IT", "", "it"))), "AUD", "gl.csv", row))
    return out


# --- the bonus year (domain section 6) ----------------------------------------------------------

year_sections = st.fixed_dictionaries({
    "settle": st.sampled_from(["quarter", "year_to_date"]),
    "holdback": st.sampled_from([0, 0.2, 0.25, 0.5, 1]),
    "year_end": st.fixed_dictionaries({"gates": st.sampled_from([{}, {"revenue": 1.0}, {"gop": 1.0},
                                                                 {"revenue": 0.95, "gop": 1.0}])}),
})

blends = st.sampled_from([{"salary": 0.6, "equal": 0.4}, {"equal": 0.5, "points": 0.5},
                          {"salary": 0.2, "equal": 0.3, "points": 0.5}])


@st.composite
def year_plans(draw):
    """A plan mapping with a ``year:`` section (weights only where the contract allows them)."""
    data = draw(plans)
    data = {**data, "distribution": dict(data["distribution"]), "year": dict(draw(year_sections))}
    if draw(st.booleans()):
        data["distribution"]["method"] = draw(blends)
    if data["pool"]["method"] == "payout_curve" and data["year"]["settle"] == "year_to_date" and draw(st.booleans()):
        data["year"]["weights"] = draw(st.sampled_from([[0.1, 0.2, 0.3, 0.4], [0.2, 0.2, 0.2, 0.4],
                                                        [0, 0, 0, 1]]))
    if draw(st.booleans()):
        data["pool"] = {**data["pool"], "floor": draw(st.sampled_from([0, 2_000, 20_000])), "cap": None}
    return data


@st.composite
def year_figures(draw, quarters=4):
    """``quarters`` quarters of (revenue, cogs, opex, revenue_target, gop_target) in whole cents."""
    out = []
    for _ in range(quarters):
        revenue_target = draw(st.integers(500_000, 2_000_000))
        gop_target = draw(st.integers(50_000, 300_000))
        revenue = round(revenue_target * draw(st.floats(0.8, 1.2)), 2)
        gop = round(gop_target * draw(st.one_of(st.floats(-0.5, 0.95), st.floats(0.95, 1.6), st.floats(1.0, 1.3))), 2)
        cogs = round(revenue * 0.4, 2)
        out.append((revenue, cogs, round(revenue - cogs - gop, 2), float(revenue_target), float(gop_target)))
    return out
