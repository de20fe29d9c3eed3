from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning.money import (
    format_money,
    largest_remainder,
    parse_amount,
    round_cents,
    round_cents_array,
)


def test_half_up_rounding():
    assert round_cents(2.675) == 2.68
    assert round_cents(Decimal("0.005")) == 0.01
    assert round_cents(-0.005) == -0.01
    assert round_cents(0.3 * 32582.35) == 9774.71
    assert round_cents(1.004) == 1.0
    assert round_cents_array([0.125, 1.235, -0.125]).tolist() == [0.13, 1.24, -0.13]


@pytest.mark.parametrize("text", ["12k", "1,200", "", "nan", "inf", "12 000", "€12"])
def test_parse_amount_refuses(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_parse_amount_exact():
    assert parse_amount(" 12000.10 ") == Decimal("12000.10")


def test_largest_remainder_ties_go_to_lower_id():
    parts = largest_remainder(np.array([100 / 3] * 3), 100, np.array(["E3", "E1", "E2"]))
    assert parts.tolist() == [33, 34, 33]


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=40), st.integers(0, 10**9))
def test_largest_remainder_adds_up_and_stays_within_a_cent(weights, total):
    w = np.array(weights)
    if w.sum() == 0:
        w = np.ones_like(w)
    exact = total * w / w.sum()
    parts = largest_remainder(exact, total, np.arange(len(w)))
    assert parts.sum() == total
    assert np.all(parts >= 0)
    assert np.all(np.abs(parts - exact) < 1 + 1e-6)


def test_format_money():
    assert format_money(1234567.891, "AUD") == "AUD 1,234,568"
    assert format_money(-12.5, "EUR", 2) == "-EUR 12.50"
    assert format_money(-0.001, "", 2) == "0.00"
