"""What every section of the report reads: the computed quarter and a few helpers.

:class:`ReportBase` holds one period's inputs and results for one audience; the section
modules (:mod:`.scoreboard`, :mod:`.payouts`, :mod:`.marketing`, :mod:`.outlook`) add their
sections to it as methods, and :class:`~planning.reporting.content.report.QuarterlyReport`
brings them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.financials import PeriodResult
from planning.money import format_cents, format_money
from planning.periods import Period
from planning.plan import Plan
from planning.reporting.content.markup import Chart, Markup, esc
from planning.reporting.content.privacy import paid_out_reveals_pay, sharers_by_department
from planning.reporting.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from planning.words import GLOSSARY
from planning.year import YearResult

__all__ = ["SECTIONS", "CHART_WIDTH", "LETTER_CURRENCIES", "paper_size", "ReportBase"]

SECTIONS = (("results", "How the quarter went", False), ("gates", "The gates", False),
            ("pool", "The bonus pool", False), ("sharing", "How the pool is shared", False),
            ("departments", "Payouts by department", False), ("people", "Payouts by person", True),
            ("marketing", "Marketing", False), ("outlook", "Next quarter's odds", True),
            ("sensitivity", "What moves next quarter's pool", True), ("glossary", "Words used in this report", False),
            ("provenance", "Where these numbers come from", False))
"""(anchor, title, owner only) of every section, in the order of the page: the table of contents."""

CHART_WIDTH = 5.0
"""Every report chart is drawn 5 inches wide (480 px): on a 390 px phone its text keeps about
its drawn size, and on a wide screen two charts sit side by side."""

LETTER_CURRENCIES = frozenset({"USD", "CAD", "MXN", "PHP", "CLP", "COP", "VES", "GTQ", "CRC", "DOP"})
"""Currencies of the countries that print on US Letter; every other company prints on A4."""


def paper_size(currency: str) -> str:
    """The CSS ``@page`` size for a company's currency: ``Letter`` (USD, CAD, ...) or ``A4``."""
    return "Letter" if currency.upper() in LETTER_CURRENCIES else "A4"



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
    year: YearResult | None = None       # the bonus year through this quarter (plans with ``year:``)

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

    @property
    def dataset_name(self) -> str:
        """The dataset's folder or workbook by name (``data``, ``acme.xlsx``), never its path."""
        return Path(str(self.parameters.get("data_path") or self.dataset.root)).name or "data"

    @property
    def plan_name(self) -> str:
        """The alternative plan's file name, or ``(the dataset's plan.yaml)``."""
        return Path(self.plan_path).name if self.plan_path else "(the dataset's plan.yaml)"

    @property
    def long_label(self) -> str:
        """``2026Q4 (Apr-Jun 2026)``."""
        return self.period.long_label

    def chart(self, name: str, make: Callable[[], Figure], alt: str, half: bool = False) -> Chart:
        """A chart of this period's inputs, cached by (inputs' SHA-256, period, name)."""
        return Chart(make, alt, key=(self.fingerprint, self.label, name) if self.fingerprint else None, half=half)

    def explain(self, *terms: str) -> Markup:
        """The one-line explanation of each term (from :data:`~.words.GLOSSARY`), printed
        where the term is first used: ``ROI: return on investment: ...``."""
        items = "".join(f"<div><dt>{esc(term)}</dt><dd>{esc(GLOSSARY[term])}</dd></div>" for term in terms)
        return Markup(f'<dl class="pl-glosses">{items}</dl>')

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
