"""Fiscal quarters.

A period is a fiscal quarter written ``YYYYQn``. Fiscal year ``YYYY`` is the one that
*ends* in calendar year ``YYYY``: with ``fiscal_year_start_month=7``, ``2027Q1`` runs
2026-07-01 to 2026-09-30. With the default 1, quarters are calendar quarters. A period's
length in days counts both ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from planning.errors import quoted

__all__ = ["Period", "FiscalYear", "parse_period", "parse_fiscal_year", "period_containing"]

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*(\d)\s*$")
#: Fiscal years a period label may name: every quarter of them has real calendar dates (a
#: ``9999Q4`` would end on 10000-01-01 minus a day) and a four-digit label.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True, order=True)
class Period:
    """A fiscal quarter.

    >>> p = Period(2027, 1, fiscal_year_start_month=7)
    >>> p.start, p.end, p.days
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), 92)
    >>> str(p.next()), str(Period(2026, 4).next())
    ('2027Q2', '2027Q1')
    """

    fiscal_year: int
    quarter: int
    fiscal_year_start_month: int = 1

    def __post_init__(self):
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter must be 1-4, not {self.quarter}")
        if not 1 <= self.fiscal_year_start_month <= 12:
            raise ValueError("fiscal_year_start_month must be 1-12")

    def __str__(self) -> str:
        return f"{self.fiscal_year}Q{self.quarter}"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def months(self) -> str:
        """The quarter's months: ``Apr-Jun 2026`` (``Nov 2025-Jan 2026`` across a year end)."""
        start, end = self.start, self.end
        first = f"{start:%b}" if start.year == end.year else f"{start:%b} {start.year}"
        return f"{first}-{end:%b} {end.year}"

    @property
    def long_label(self) -> str:
        """The label with its months, for readers whom fiscal quarters confuse:
        ``2026Q4 (Apr-Jun 2026)``."""
        return f"{self} ({self.months})"

    @property
    def start(self) -> date:
        """First day of the quarter."""
        # Fiscal year Y ends in calendar year Y; it starts in Y-1 unless it starts in January.
        first_year = self.fiscal_year - (1 if self.fiscal_year_start_month > 1 else 0)
        month0 = (self.fiscal_year_start_month - 1) + 3 * (self.quarter - 1)
        return date(first_year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter (inclusive)."""
        return self.next().start - timedelta(days=1)

    @property
    def days(self) -> int:
        """Length in days, both ends counted."""
        return (self.end - self.start).days + 1

    def next(self, n: int = 1) -> Period:
        """The quarter ``n`` quarters later (``n`` may be negative)."""
        index = self.fiscal_year * 4 + (self.quarter - 1) + n
        return Period(index // 4, index % 4 + 1, self.fiscal_year_start_month)

    def previous(self, n: int = 1) -> Period:
        return self.next(-n)

    #: The share of a year's salary that is the period's salary (section 4.2: a quarter).
    share_of_year = 0.25

    @property
    def year(self) -> FiscalYear:
        """The fiscal year this quarter belongs to."""
        return FiscalYear(self.fiscal_year, self.fiscal_year_start_month)


@dataclass(frozen=True, order=True)
class FiscalYear:
    """A fiscal year: four quarters, and a period in its own right for the year-end sharing.

    It has the ``start``, ``end`` and ``days`` of a :class:`Period`, and ``share_of_year`` 1
    (a year's period salary is the whole year's, section 6.2).

    >>> y = FiscalYear(2026, 7)
    >>> y.start, y.end, y.days, [str(q) for q in y.quarters]
    (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30), 365, ['2026Q1', '2026Q2', '2026Q3', '2026Q4'])
    """

    fiscal_year: int
    fiscal_year_start_month: int = 1
    share_of_year = 1.0

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def quarters(self) -> tuple[Period, Period, Period, Period]:
        return tuple(Period(self.fiscal_year, q, self.fiscal_year_start_month) for q in (1, 2, 3, 4))

    @property
    def start(self) -> date:
        return self.quarters[0].start

    @property
    def end(self) -> date:
        return self.quarters[3].end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def parse_period(text: object, fiscal_year_start_month: int = 1) -> Period:
    """Parse ``'2026Q3'`` (also ``'2026-Q3'``, ``'2026 q3'``) into a :class:`Period`.

    Raises
    ------
    ValueError
        With a message saying what was expected, for ``'2026-Q5'``, ``'Q3 2026'``, ``'9999Q4'``
        (fiscal years run from 1900 to 2999), ...
    """
    match = _PERIOD_RE.match(str(text))
    if not match:
        raise ValueError(f"{quoted(text)} is not a period; expected a fiscal quarter like 2026Q3")
    year, quarter = int(match.group(1)), int(match.group(2))
    if not 1 <= quarter <= 4:
        raise ValueError(f"{quoted(text)} has quarter {quarter}; expected a quarter from 1 to 4, like 2026Q3")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{quoted(text)} has fiscal year {year}; expected a year from {FIRST_YEAR} to {LAST_YEAR}, "
                         "like 2026Q3")
    return Period(year, quarter, fiscal_year_start_month)


def parse_fiscal_year(text: object, fiscal_year_start_month: int = 1) -> FiscalYear:
    """Parse ``'2026'`` or ``'FY2026'`` (the fiscal year that ends in 2026).

    Raises
    ------
    ValueError
        With a message saying what was expected.
    """
    match = re.match(r"^\s*(?:FY\s*)?(\d{4})\s*$", str(text), re.IGNORECASE)
    if not match:
        raise ValueError(f"{quoted(text)} is not a fiscal year; expected a year like 2026 (the fiscal year "
                         "that ends in 2026)")
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{quoted(text)} is out of range; expected a year from {FIRST_YEAR} to {LAST_YEAR}")
    return FiscalYear(year, fiscal_year_start_month)


def period_containing(day: date, fiscal_year_start_month: int = 1) -> Period:
    """The fiscal quarter that contains ``day``."""
    months_into_year = (day.month - fiscal_year_start_month) % 12
    quarter = months_into_year // 3 + 1
    fiscal_year = day.year + (1 if fiscal_year_start_month > 1 and day.month >= fiscal_year_start_month else 0)
    return Period(fiscal_year, quarter, fiscal_year_start_month)
