"""Exact money in the currency's own units: parsing, half-up rounding to the minor unit,
largest-remainder allocation, and amounts and percentages written for people.

"Cents" means the currency's minor unit (domain.md 4.2): two decimals for AUD, none for JPY,
three for KWD. Every rounding helper takes that unit: a :class:`Currency` (an ISO 4217 code
that knows its minor unit and locale), a currency code, or the number of decimals.

Amounts are held in currency units as float64 whose values are whole minor units; anything
that must add up exactly (payouts, totals) is computed in integer minor units. Amounts are
written by Babel (``format_currency``) with the ISO code instead of the symbol (``AUD 1,234.50``:
``$`` is ambiguous between AUD, NZD and USD), in the locale's digits grouping and signs.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

import numpy as np

from planning.currencies import (
    CURRENCIES,
    currency_problem,
    default_locale,
    locale_problem,
    minor_digits,
)

__all__ = [
    "Currency",
    "CURRENCIES",
    "currency_problem",
    "default_locale",
    "locale_problem",
    "minor_digits",
    "unit_digits",
    "Unit",
    "parse_amount",
    "round_cents",
    "round_cents_array",
    "cents_array",
    "sum_cents",
    "to_cents",
    "from_cents",
    "share_of_cents",
    "share_of_cents_array",
    "largest_remainder",
    "format_money",
    "format_cents",
    "format_percent",
]

#: What a rounding helper takes as the minor unit: a Currency, an ISO code, or decimals.
Unit = int | str


class Currency(str):
    """An ISO 4217 code (it *is* the code: ``Currency('AUD') == 'AUD'``) that knows its minor
    unit (``digits``) and the locale its amounts are written in.

    >>> jpy = Currency("JPY"); jpy.digits, jpy.round(1328.5), jpy.to_minor(1328.5)
    (0, 1329.0, 1329)
    >>> Currency("KWD").round(1.0005), Currency("AUD").locale
    (1.001, 'en_AU')
    """

    digits: int
    locale: str

    def __new__(cls, code: str, locale: str | None = None, digits: int | None = None):
        self = super().__new__(cls, str(code).strip().upper())
        self.digits = minor_digits(str(self)) if digits is None else int(digits)
        self.locale = (locale.strip().replace("-", "_") if locale else default_locale(str(self)))
        return self

    def __reduce__(self):
        return (Currency, (str(self), self.locale, self.digits))

    @property
    def code(self) -> str:
        return str(self)

    @property
    def scale(self) -> int:
        """Minor units per currency unit: 100 for AUD, 1 for JPY, 1000 for KWD."""
        return 10**self.digits

    def round(self, amount: float | Decimal) -> float:
        return round_cents(amount, self)

    def round_array(self, amounts) -> np.ndarray:
        return round_cents_array(amounts, self)

    def to_minor(self, amount: float) -> int:
        return to_cents(amount, self)

    def minor_array(self, amounts) -> np.ndarray:
        return cents_array(amounts, self)

    def from_minor(self, units):
        return from_cents(units, self)

    def sum(self, amounts) -> float:
        return sum_cents(amounts, self)

    def format(self, amount: float, extra: int = 0, code: bool = True) -> str:
        return format_cents(amount, self, extra, code=code)


def unit_digits(unit: Unit) -> int:
    """Decimals of a minor unit given as a Currency, a currency code or a number of decimals."""
    if isinstance(unit, Currency):
        return unit.digits
    if isinstance(unit, str):
        return minor_digits(unit)
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or unit < 0:
        raise TypeError(f"a minor unit is a Currency, a currency code or a number of decimals, not {unit!r}")
    return int(unit)


def _locale(currency: str, locale: str | None) -> str:
    if locale:
        return locale
    if isinstance(currency, Currency):
        return currency.locale
    return default_locale(currency) if currency else "en"


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


def round_cents(amount: float | Decimal, unit: Unit = 2) -> float:
    """Round an amount to whole minor units (``unit``: a Currency, a code or decimals), half up.

    Floats are rounded as :func:`round_cents_array` does (a value within float noise of a
    half cent counts as the half cent), so ``0.3 * 32582.35`` (= 9774.705 exactly in
    decimal, 9774.704999... in binary) rounds to 9774.71. Decimals round exactly.

    >>> round_cents(2.675), round_cents(0.125), round_cents(-0.125), round_cents(0.3 * 32582.35)
    (2.68, 0.13, -0.13, 9774.71)
    >>> round_cents(1328.5, "JPY"), round_cents(Decimal("1.0005"), "KWD")
    (1329.0, 1.001)
    """
    digits = unit_digits(unit)
    if isinstance(amount, Decimal):
        return float(amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    return float(round_cents_array(float(amount), digits))


def round_cents_array(amounts, unit: Unit = 2) -> np.ndarray:
    """Vectorised half-up rounding to minor units (for simulated amounts, not for payouts).

    Adds a tiny relative nudge so values like 2.675 (stored as 2.67499999...) round up
    the way :func:`round_cents` does.
    """
    scale = float(10 ** unit_digits(unit))
    a = np.asarray(amounts, dtype=float) * scale
    nudged = np.abs(a) * (1 + 16 * np.finfo(float).eps)
    return np.sign(a) * np.floor(nudged + 0.5) / scale + 0.0  # + 0.0 turns -0.0 into 0.0


def cents_array(amounts, unit: Unit = 2) -> np.ndarray:
    """Amounts that are whole minor units, in currency units, as int64 minor units.

    For amounts that are already whole minor units (as loaded, or as projected): ``np.round``
    only removes the binary noise of ``x * 100``. Use :func:`round_cents` to round.
    """
    return np.round(np.asarray(amounts, dtype=float) * 10 ** unit_digits(unit)).astype(np.int64)


def from_cents(units, unit: Unit = 2):
    """Integer minor units back in currency units (a float, or an array of floats)."""
    scale = 10 ** unit_digits(unit)
    if isinstance(units, int | np.integer):
        return int(units) / scale
    if hasattr(units, "index"):   # a pandas Series or DataFrame keeps its labels
        return units / scale
    return np.asarray(units) / scale


def sum_cents(amounts, unit: Unit = 2) -> float:
    """Sum whole-minor-unit amounts exactly, in integer minor units; the total in currency units.

    >>> sum(0.1 for _ in range(10)), sum_cents([0.1] * 10), sum_cents([1000.10, -0.2])
    (0.9999999999999999, 1.0, 999.9)
    >>> sum_cents([0.001] * 3, "KWD")
    0.003
    """
    return int(cents_array(amounts, unit).sum()) / 10 ** unit_digits(unit)


def to_cents(amount: float, unit: Unit = 2) -> int:
    """An amount in currency units as integer minor units, rounded half up."""
    digits = unit_digits(unit)
    return int(Decimal(repr(float(amount))).scaleb(digits).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share_of_cents(fraction: float, cents: int) -> int:
    """``fraction`` x ``cents``, rounded half up to a whole cent, computed exactly.

    The fraction counts as the decimal it is written as (``0.2``, not its binary neighbour),
    so a share that lands on a half cent rounds up (25% of 2 cents is 1 cent).

    >>> share_of_cents(0.2, 71_505), share_of_cents(0.25, 2), share_of_cents(0.2, 12), share_of_cents(0.1, 5)
    (14301, 1, 2, 1)
    """
    product = Decimal(repr(float(fraction))) * int(cents)
    return int(product.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share_of_cents_array(fraction: float, cents) -> np.ndarray:
    """:func:`share_of_cents` for an array of whole, non-negative cents (Monte Carlo draws).

    A product within float noise of a half cent counts as the half cent (as
    :func:`round_cents_array`), so it agrees with the exact :func:`share_of_cents`.
    """
    product = float(fraction) * np.asarray(cents, dtype=float)
    return np.floor(product * (1 + 16 * np.finfo(float).eps) + 0.5)


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


@lru_cache(maxsize=256)
def _pattern(locale: str, places: int, code: bool):
    """The locale's currency pattern with the ISO code for the symbol (or no code), one
    space between code and number, and ``places`` decimals."""
    import copy

    from babel import Locale

    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])

    def affix(text: str, before: bool) -> str:
        if "¤" not in text:
            return text
        if not code:
            return text.replace("¤", "").replace("\xa0", "").strip(" ")
        text = text.replace("\xa0¤", " ¤").replace("¤\xa0", "¤ ")
        if before and text.endswith("¤"):
            text += " "
        if not before and text.startswith("¤"):
            text = " " + text
        return text.replace("¤", "¤¤")

    pattern.prefix = tuple(affix(p, True) for p in pattern.prefix)
    pattern.suffix = tuple(affix(s, False) for s in pattern.suffix)
    pattern.frac_prec = (places, places)
    return pattern


def format_money(amount: float, currency: str = "", decimals: int = 0, *, code: bool = True,
                 locale: str | None = None) -> str:
    """An amount with ``decimals`` decimals (default: whole units), written by Babel.

    The locale is ``locale``, else the Currency's own, else :func:`default_locale`; the code
    stands where the locale puts the currency symbol. ``code=False`` writes the number alone.
    Rounding for display is half-even on the exact value (as Python's own formatting); a
    value that rounds to zero has no minus sign. Use :func:`format_cents` for an amount to the
    currency's minor unit.

    >>> format_money(1234567.891, "AUD"), format_money(-12.5, "EUR", 2), format_money(-0.001, "", 2)
    ('AUD 1,234,568', '-EUR 12.50', '0.00')
    >>> format_money(1234.5, "EUR", 2, locale="de_DE")
    '1.234,50 EUR'
    """
    places = int(decimals)
    value = Decimal(float(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if value == 0:
        value = abs(value)
    from babel.numbers import format_currency

    pattern = _pattern(_locale(currency, locale), places, bool(code and currency))
    # XXX is ISO 4217's "no currency": the pattern has no code then, so it is never shown.
    return format_currency(value, str(currency) or "XXX", format=pattern, locale=_locale(currency, locale),
                           currency_digits=False, decimal_quantization=True)


def format_cents(amount: float, currency: str, extra: int = 0, *, code: bool = True,
                 locale: str | None = None) -> str:
    """An amount to the currency's minor unit (and ``extra`` decimals more, for exact shares).

    >>> format_cents(1328.2, "AUD"), format_cents(1328, "JPY"), format_cents(-1.5, "KWD")
    ('AUD 1,328.20', 'JPY 1,328', '-KWD 1.500')
    >>> format_cents(1328.2, "AUD", code=False)
    '1,328.20'
    """
    return format_money(amount, currency, unit_digits(currency) + extra, code=code, locale=locale)


def format_percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction written as a percentage; ``n/a`` when there is nothing to divide by.

    >>> format_percent(0.8), format_percent(1.23456, 2), format_percent(float("nan"))
    ('80.0%', '123.46%', 'n/a')
    """
    return "n/a" if fraction is None or not np.isfinite(fraction) else f"{fraction * 100:.{digits}f}%"
