"""Exact money: parsing, half-up rounding to cents, largest-remainder allocation, and
amounts and percentages written for people.

Amounts are held in currency units as float64 whose values are whole cents; anything that
must add up exactly (payouts) is computed in integer cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

__all__ = [
    "parse_amount",
    "round_cents",
    "round_cents_array",
    "cents_array",
    "sum_cents",
    "largest_remainder",
    "format_money",
    "format_percent",
]

_CENT = Decimal("0.01")


def parse_amount(text: object) -> Decimal:
    """Parse a plain number (``'12000'``, ``'-3.5'``, ``'1e3'``) exactly, via ``Decimal(str)``.

    Raises ``ValueError`` for ``'12k'``, ``'1,200'``, ``''``, ``'nan'`` and ``'inf'``.
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number")
    s = str(text).strip()
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"{s!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{s!r} is not a finite number")
    return value


def round_cents(amount: float | Decimal) -> float:
    """Round an amount to whole cents, half up (away from zero).

    Floats are rounded as :func:`round_cents_array` does (a value within float noise of a
    half cent counts as the half cent), so ``0.3 * 32582.35`` (= 9774.705 exactly in
    decimal, 9774.704999... in binary) rounds to 9774.71. Decimals round exactly.

    >>> round_cents(2.675), round_cents(0.125), round_cents(-0.125), round_cents(0.3 * 32582.35)
    (2.68, 0.13, -0.13, 9774.71)
    """
    if isinstance(amount, Decimal):
        return float(amount.quantize(_CENT, rounding=ROUND_HALF_UP))
    return float(round_cents_array(float(amount)))


def round_cents_array(amounts) -> np.ndarray:
    """Vectorised half-up rounding to cents (for simulated amounts, not for payouts).

    Adds a tiny relative nudge so values like 2.675 (stored as 2.67499999...) round up
    the way :func:`round_cents` does.
    """
    a = np.asarray(amounts, dtype=float) * 100.0
    nudged = np.abs(a) * (1 + 16 * np.finfo(float).eps)
    return np.sign(a) * np.floor(nudged + 0.5) / 100.0 + 0.0  # + 0.0 turns -0.0 into 0.0


def cents_array(amounts) -> np.ndarray:
    """Whole-cent amounts in currency units as int64 cents.

    For amounts that are already whole cents (as loaded, or as projected): ``np.round``
    only removes the binary noise of ``x * 100``. Use :func:`round_cents` to round.
    """
    return np.round(np.asarray(amounts, dtype=float) * 100).astype(np.int64)


def sum_cents(amounts) -> float:
    """Sum whole-cent amounts exactly, in integer cents; the total in currency units.

    >>> sum(0.1 for _ in range(10)), sum_cents([0.1] * 10), sum_cents([1000.10, -0.2])
    (0.9999999999999999, 1.0, 999.9)
    """
    return int(cents_array(amounts).sum()) / 100


def to_cents(amount: float) -> int:
    """An amount in currency units as integer cents, rounded half up."""
    return int(Decimal(repr(float(amount))).scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def largest_remainder(exact_cents: np.ndarray, total_cents: int, tie_key: np.ndarray) -> np.ndarray:
    """Whole-cent parts of ``total_cents`` closest to the exact shares.

    Each exact share (in cents) is floored; the leftover cents go one each to the largest
    fractional remainders, ties to the lower ``tie_key`` (the employee id).

    Parameters
    ----------
    exact_cents : array of float
        The exact shares in cents; ``exact_cents.sum()`` should equal ``total_cents`` up to
        float error.
    total_cents : int
        What the parts must add up to exactly.
    tie_key : array
        Sort key for equal remainders (lower first).

    Returns
    -------
    numpy.ndarray of int64, summing to ``total_cents``.

    >>> largest_remainder(np.array([50.5, 49.5]), 100, np.array(["A", "B"])).tolist()
    [51, 49]
    >>> largest_remainder(np.array([1/3, 1/3, 1/3]) * 100, 100, np.array(["C", "A", "B"])).tolist()
    [33, 34, 33]
    """
    exact = np.asarray(exact_cents, dtype=float)
    if exact.size == 0:
        return np.zeros(0, dtype=np.int64)
    # Guard against float dust: 33.99999999997 should count as 34.
    floors = np.floor(exact + 1e-6).astype(np.int64)
    floors = np.maximum(floors, 0)
    remainders = np.where(exact - floors > 0, exact - floors, 0.0)
    leftover = int(total_cents - floors.sum())
    parts = floors.copy()
    if leftover > 0:
        # Order: largest remainder first, then lower tie_key. Remainders are rounded to
        # 1e-9 cents so float noise does not break genuine ties.
        order = np.lexsort((np.asarray(tie_key), -np.round(remainders, 9)))
        parts[order[:leftover]] += 1
    elif leftover < 0:  # only from float dust; take back from the smallest remainders
        order = np.lexsort((np.asarray(tie_key), np.round(remainders, 9)))
        take = order[parts[order] > 0][: -leftover]
        parts[take] -= 1
    return parts


def format_money(amount: float, currency: str = "", decimals: int = 0) -> str:
    """``format_money(1234567.891, 'AUD') -> 'AUD 1,234,568'``; negatives get a minus sign."""
    text = f"{abs(amount):,.{decimals}f}"
    sign = "-" if amount < 0 and float(text.replace(",", "")) != 0 else ""
    return f"{sign}{currency + ' ' if currency else ''}{text}"


def format_percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction written as a percentage; ``n/a`` when there is nothing to divide by.

    >>> format_percent(0.8), format_percent(1.23456, 2), format_percent(float("nan"))
    ('80.0%', '123.46%', 'n/a')
    """
    return "n/a" if fraction is None or not np.isfinite(fraction) else f"{fraction * 100:.{digits}f}%"
