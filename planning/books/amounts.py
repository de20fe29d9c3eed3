"""Amounts and dates as accounting exports write them, read exactly (pure functions).

Exports write ``1,234.56``, ``(1,234.56)`` for a negative, ``-1,234.56``, ``$1,234.56`` and
``1234.5``; dates in the export's own format (``1 Jul 2024``, ``07/01/2024``). Everything is
read with :class:`~decimal.Decimal` and kept in the currency's minor unit as an ``int``:
nothing is rounded, and an amount finer than the minor unit is refused rather than guessed.
The minor unit is the company currency's (:attr:`planning.money.Currency.digits`: 2 for AUD,
0 for JPY, 3 for KWD).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from planning.errors import quoted

__all__ = ["parse_money", "to_minor", "format_minor", "parse_date", "describe_format"]

_PLAIN = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
_SYMBOLS = ("A$", "NZ$", "US$", "C$", "$", "€", "£", "¥")


def parse_money(text: str) -> Decimal | None:
    """An amount as an export writes it, exactly; None for an empty cell.

    Accepts a leading minus or parentheses for negatives, thousands separators in groups of
    three (``1,234,567.89``) and a currency symbol (``$``, ``A$``, ``€``, ``£``). A trailing
    ``CR``/``DR`` is not accepted: it would hide a sign convention.

    Raises
    ------
    ValueError
        For text that is not such an amount (``12k``, ``1.234,56``, ``1,23``).

    >>> parse_money("(1,234.50)"), parse_money("$ 12,000"), parse_money("-0.10"), parse_money("")
    (Decimal('-1234.50'), Decimal('12000'), Decimal('-0.10'), None)
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if s == "":
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    for symbol in _SYMBOLS:
        if s.startswith(symbol):
            s = s[len(symbol):]
            break
    if s.startswith("-") and not negative:  # $-12.00
        negative, s = True, s[1:]
    if not (_PLAIN.match(s) or _GROUPED.match(s)):
        raise ValueError(f"{quoted(text.strip())} is not an amount; expected an amount like 1,234.56, -1234.56 "
                         "or (1,234.56)")
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns above only let numbers through
        raise ValueError(f"{quoted(text.strip())} is not an amount") from None
    return -value if negative else value


def to_minor(amount: Decimal, digits: int) -> int:
    """``amount`` in minor units (cents for ``digits=2``), exactly.

    Raises
    ------
    ValueError
        When the amount has more decimals than the minor unit (``10.005`` AUD).

    >>> to_minor(Decimal("1234.5"), 2), to_minor(Decimal("-0.01"), 2), to_minor(Decimal("120"), 0)
    (123450, -1, 120)
    """
    scaled = amount.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than {digits} decimal{'s' if digits != 1 else ''}; "
                         f"expected whole {'cents' if digits == 2 else 'minor units'}")
    return int(scaled)


def format_minor(minor: int, digits: int, grouped: bool = False) -> str:
    """Minor units as a decimal amount: ``format_minor(-123450, 2) == '-1234.50'``.

    >>> format_minor(-123450, 2), format_minor(5, 2), format_minor(1234567, 2, grouped=True)
    ('-1234.50', '0.05', '12,345.67')
    """
    sign = "-" if minor < 0 else ""
    whole, part = divmod(abs(minor), 10**digits)
    whole_text = f"{whole:,}" if grouped else str(whole)
    return f"{sign}{whole_text}.{part:0{digits}d}" if digits else f"{sign}{whole_text}"


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")


def parse_date(text: str, fmt: str) -> date:
    """A date written in ``fmt`` (a :func:`~datetime.datetime.strptime` format), or ISO.

    ISO ``YYYY-MM-DD`` is always accepted as well: it is unambiguous, and it is how a date
    cell of an ``.xlsx`` export is read.

    Raises
    ------
    ValueError
        Naming the expected format with an example.

    >>> parse_date("1 Jul 2024", "%d %b %Y"), parse_date("2024-07-01", "%m/%d/%Y")
    (datetime.date(2024, 7, 1), datetime.date(2024, 7, 1))
    """
    s = text.strip()
    iso = _ISO.match(s)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise ValueError(f"{quoted(s)} is not a real calendar date") from None
    try:
        return datetime.strptime(s, fmt).date()
    except ValueError:
        raise ValueError(f"{quoted(s)} is not a date in the export's format; expected a date like "
                         f"{describe_format(fmt)} or 2024-07-01") from None


def describe_format(fmt: str) -> str:
    """An example of a date in ``fmt``: ``describe_format('%d/%m/%Y') == '31/07/2024 (%d/%m/%Y)'``."""
    return f"{date(2024, 7, 31).strftime(fmt)} ({fmt})"
