"""The plan's method registries: every entry is read by the parser, the engine and the words,
and a new pool method, sharing method or limit is one entry."""

from __future__ import annotations

import numpy as np
import pytest

import planning.bonus as bonus_module
from planning import (
    InputError,
    bonus_for_period,
    explain_payout,
    explain_pool,
    parse_plan,
    with_overrides,
)
from planning.methods import (
    POOL_LIMITS,
    POOL_METHODS,
    REQUIRED_KEY_EXPECT,
    SHARING_METHODS,
    PoolLimit,
    PoolMethod,
    SharingMethod,
)
from planning.ui.cockpit_controls import DISTRIBUTION_LABELS, POOL_METHOD_LABELS

COMPLETE_POOL = {"rate": 0.3, "target_pool": 1000, "curve": [[0.9, 0.5], [1.0, 1.0]]}


@pytest.mark.parametrize("name", list(POOL_METHODS))
def test_every_pool_method_parses_with_its_keys_and_refuses_without_each(name):
    method = POOL_METHODS[name]
    pool = {"method": name, **{key: COMPLETE_POOL[key] for key in method.required}}
    assert parse_plan({"pool": pool}).pool.method == name
    for key in method.required:
        with pytest.raises(InputError) as exc:
            parse_plan({"pool": {k: v for k, v in pool.items() if k != key}})
        assert [str(p) for p in exc.value.problems] == [
            f"plan.yaml, key pool.{key}: is required for method {name}; expected {REQUIRED_KEY_EXPECT[key]}"]


@pytest.mark.parametrize("name", list(SHARING_METHODS))
def test_every_sharing_method_parses_and_pays_the_whole_pool(tiny, name):
    method = SHARING_METHODS[name]
    extra = {"points": {"default": 1, "Manager": 2}} if "points" in method.required else {}
    plan = parse_plan({"pool": {"rate": 0.5}, "distribution": {"method": name, **extra}})
    r = bonus_for_period(tiny, "2026Q1", plan)
    assert r.allocated == r.pool == 5000.0
    assert method.rule in explain_payout(r, "A1")


def test_unknown_methods_list_the_registries_in_order():
    with pytest.raises(InputError) as exc:
        # A mapping is a blend (domain 4.2: {salary: 0.6, equal: 0.4}); its unknown method lists the registry too.
        parse_plan({"pool": {"method": "bogus", "rate": 0.1}, "distribution": {"method": {"salary": 1, "shares": 0}}})
    assert [p.message for p in exc.value.problems] == [
        "unknown method 'bogus'; expected one of: excess_gop_share, gop_share, payout_curve",
        "unknown method 'shares' in the blend; expected one of: equal, salary, points"]
    with pytest.raises(InputError, match="unknown method 'shares'; expected one of: equal, salary, points"):
        parse_plan({"pool": {"rate": 0.1}, "distribution": {"method": "shares"}})


def test_the_cockpit_offers_exactly_the_registries():
    assert list(POOL_METHOD_LABELS) == list(POOL_METHODS)
    assert set(DISTRIBUTION_LABELS) == set(SHARING_METHODS)
    assert list(DISTRIBUTION_LABELS) == ["salary", "equal", "points"]


def test_a_new_pool_method_is_one_entry(tiny, monkeypatch):
    fixed = PoolMethod(
        "fixed_amount", "A fixed amount", ("target_pool",), "pool.target_pool",
        raw=lambda pool, f: np.full_like(f.gop, pool.target_pool),
        explain=lambda pool, m, excess, raw: f"The plan pays a fixed {m(raw)}.",
        basis="a fixed amount")
    monkeypatch.setitem(POOL_METHODS, fixed.name, fixed)
    with pytest.raises(InputError, match="pool.target_pool: is required for method fixed_amount"):
        parse_plan({"pool": {"method": "fixed_amount"}})
    plan = parse_plan({"pool": {"method": "fixed_amount", "target_pool": 1234.5, "self_funding": False}})
    r = bonus_for_period(tiny, "2026Q1", plan)
    assert r.raw_pool == r.pool == r.allocated == 1234.5
    assert "The plan pays a fixed EUR 1,234.50." in explain_pool(r)


def test_a_new_sharing_method_is_one_entry(tiny, monkeypatch):
    by_fte = SharingMethod(
        "fte", "By FTE", 3, (), base=lambda d, staff, salary: np.ones(len(staff)), follows_salary=False,
        rule="by hours worked", weight_part="one share", person_base=lambda person, m: "1 share",
        statement_base=lambda person, m: ("Shares per person", "1"))
    monkeypatch.setitem(SHARING_METHODS, by_fte.name, by_fte)
    r = bonus_for_period(tiny, "2026Q1", parse_plan({"pool": {"rate": 0.5}, "distribution": {"method": "fte"}}))
    assert r.allocated == 5000.0
    assert "The pool is shared by hours worked" in explain_payout(r, "A2")


def test_a_new_limit_is_one_entry_in_the_ordered_chain(tiny, monkeypatch):
    """A 20% holdback after the cap: recorded, explained and applied in its place."""
    holdback = PoolLimit("holdback", lambda pool, x, f, passed: x * 0.8,
                         "holding back 20% to the year end lowered it", "Held back to the year end", "Holdback")
    chain = (*POOL_LIMITS[:2], holdback, POOL_LIMITS[2])
    monkeypatch.setattr(bonus_module, "POOL_LIMITS", chain)
    monkeypatch.setattr("planning.methods.POOL_LIMITS", chain)
    plan = with_overrides(parse_plan({"pool": {"rate": 0.5}}), {"pool.cap": 4000})
    r = bonus_for_period(tiny, "2026Q1", plan)
    assert [(x.name, x.before, x.after) for x in r.limits] == [("cap", 5000.0, 4000.0),
                                                               ("holdback", 4000.0, 3200.0)]
    assert r.pool == r.allocated == 3200.0
    assert ("Then holding back 20% to the year end lowered it from EUR 4,000.00 to EUR 3,200.00."
            in explain_pool(r))
