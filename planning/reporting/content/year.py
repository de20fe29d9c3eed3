"""The bonus year in a quarterly report: the year so far (domain section 6.3).

Only for a plan with a ``year:`` section; without one the section is empty and the report
is exactly as before. Owner and staff see the same company figures (the pool earned to
date, the quarter's pool, what is held back and the reserve are about the company, like
the pool); the amount actually paid and what nobody could take are the owner's only,
since with individual caps they are a few people's caps.
"""

from __future__ import annotations

from planning.charts.year import year_chart
from planning.reporting.content.base import ReportBase
from planning.reporting.content.markup import html_table, paragraphs, section
from planning.year import target_pool_to_date
from planning.year_words import settle_words, year_so_far

__all__ = ["YearSections", "year_quarter_rows"]


def year_quarter_rows(year, num, owner: bool) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the quarters-so-far table (amounts through ``num``)."""
    header = ["quarter", "pool earned to date", "quarter's pool", "held back", "shared now", "reserve"]
    if owner:
        header += ["paid", "could not be paid"]
    rows = []
    for q in year.quarters:
        row = [q.period, num(q.earned_to_date), num(q.pool), num(q.held_back), num(q.shared_now), num(q.reserve)]
        if owner:
            row += [num(q.allocated), num(q.unallocated)]
        rows.append(row)
    return header, rows


class YearSections(ReportBase):
    """The year so far (quarterly reports with a year plan)."""

    def year_so_far(self) -> list:
        """The bonus year through this quarter: words, the quarters' table and the chart."""
        year = self.year
        if year is None:
            return []
        cur = self.currency
        lines = [settle_words(year)]
        lines += year_so_far(year, unallocated=not self.hides_paid_out)
        header, rows = year_quarter_rows(year, lambda x: self.num(x, cents=True), self.is_owner)
        header = [h if h == "quarter" else f"{h} ({cur})" for h in header]
        targets = target_pool_to_date(year.plan, year.fiscal_year, self.dataset.targets, cur)
        return [
            section(f"The bonus year {year.fiscal_year} so far", paragraphs(lines),
                    html_table(header, rows, numeric=set(range(1, len(header)))), anchor="year"),
            self.chart("year", lambda: year_chart(year, targets),
                       f"The bonus year {year.fiscal_year} so far: the pool earned to date, what was shared "
                       "and what is held back in the reserve, against the year's target"),
        ]
