"""What every section of the report reads: the computed quarter and a few helpers.

:class:`ReportBase` holds one period's inputs and results for one audience; the section
modules (:mod:`.scoreboard`, :mod:`.payouts`, :mod:`.marketing`, :mod:`.outlook`) add their
sections to it as methods, and :class:`~planning.reporting.content.report.QuarterlyReport`
brings them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.financials import PeriodResult
from planning.money import format_cents, format_money
from planning.periods import Period
from planning.plan import Plan
from planning.reporting.content.markup import Chart
from planning.reporting.content.privacy import paid_out_reveals_pay, sharers_by_department
from planning.reporting.defaults import DEFAULT_DRAWS, DEFAULT_SEED

__all__ = ["ReportBase"]

@dataclass(frozen=True, eq=False)
class ReportBase:
    """One period's report for one audience: the data, the plan and the computed quarter."""

    dataset: Dataset
    period: Period
    audience: str
    plan: Plan
    bonus: BonusResult
    result: PeriodResult
    pnl: pd.DataFrame
    parameters: dict
    plan_path: str | None = None
    fingerprint: str = ""
    seed: int = DEFAULT_SEED
    draws: int = DEFAULT_DRAWS

    @property
    def currency(self) -> str:
        return self.dataset.company.currency

    @property
    def is_owner(self) -> bool:
        return self.audience == "owner"

    def money(self, x: float, cents: bool = False) -> str:
        """An amount with its currency, for sentences: whole units, or to the cent (the
        currency's minor unit)."""
        return format_cents(x, self.currency) if cents else format_money(x, self.currency)

    def num(self, x: float, cents: bool = False) -> str:
        """An amount without the currency, for table cells under a ``(CUR)`` header."""
        return (format_cents(x, self.currency, code=False) if cents
                else format_money(x, self.currency, code=False))

    @property
    def label(self) -> str:
        return str(self.period)

    def chart(self, name: str, make: Callable[[], Figure], alt: str) -> Chart:
        """A chart of this period's inputs, cached by (inputs' SHA-256, period, name)."""
        return Chart(make, alt, key=(self.fingerprint, self.label, name) if self.fingerprint else None)

    @property
    def eligible(self) -> pd.DataFrame:
        a = self.bonus.allocations
        return a[a["eligible"]]

    def sharers_by_department(self) -> pd.DataFrame:
        """Per department, the people who can take part of the pool and their payout
        (:func:`~planning.reporting.content.privacy.sharers_by_department`)."""
        return sharers_by_department(self.bonus.allocations, self.currency)

    @property
    def hides_paid_out(self) -> bool:
        """Staff only: the amount paid out (and so GOP after the bonus) would show a few
        people's pay (:func:`~planning.reporting.content.privacy.paid_out_reveals_pay`)."""
        return not self.is_owner and paid_out_reveals_pay(self.bonus)
