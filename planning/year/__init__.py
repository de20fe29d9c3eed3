"""The bonus year (domain section 6): holdbacks, shortfalls carried forward, the year end.

Pure and vectorised over people: each quarter's sharing and the year-end sharing are the
quarter engine's (:func:`planning.bonus.staff_in_period`, :func:`planning.bonus.share_cents`),
run once per quarter and once for the year. Money is added in integer cents, so the laws
of section 6.3 hold exactly:

* each quarter: allocated + unallocated + held back = P_k;
* the year end: released + forfeited = sum of H_k;
* the year: payouts + everything unallocated + forfeited = sum of P_k.

The words that explain a year are in :mod:`planning.year_words`.
"""

from planning.year.actuals import bonus_in_year, quarter_as_bonus, quarters_so_far, year_for_dataset
from planning.year.result import QuarterSettlement, YearEnd, YearEndNeed, YearResult, year_plan
from planning.year.settle import (
    gate_checks,
    pool_to_date_arrays,
    settle_year,
    year_to_date_plan,
    year_to_date_result,
)
from planning.year.targets import target_pool_to_date

__all__ = [
    "QuarterSettlement",
    "YearEnd",
    "YearEndNeed",
    "YearResult",
    "year_plan",
    "year_to_date_plan",
    "year_to_date_result",
    "gate_checks",
    "settle_year",
    "pool_to_date_arrays",
    "year_for_dataset",
    "quarters_so_far",
    "quarter_as_bonus",
    "bonus_in_year",
    "target_pool_to_date",
]
