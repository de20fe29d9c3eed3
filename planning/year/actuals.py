"""The bonus year of a dataset's actuals: the quarters so far, and one quarter as ``bonus`` shows it."""

from __future__ import annotations

from planning.bonus import bonus_for_period
from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.financials import PeriodResult, period_result
from planning.periods import FiscalYear, Period, parse_fiscal_year
from planning.plan import Plan
from planning.year.result import YearResult
from planning.year.settle import settle_year

__all__ = ["quarters_so_far", "year_for_dataset", "quarter_as_bonus", "bonus_in_year"]


def quarters_so_far(dataset: Dataset, fiscal_year: FiscalYear, upto: Period | None = None) -> list[Period]:
    """The quarters of the year with actuals (through ``upto``), which must run from quarter 1.

    Raises InputError when the year has no quarter with actuals, or when a quarter is
    missing before one that has them (a year is settled from its first quarter).
    """
    with_actuals = {str(p) for p in dataset.periods}
    with_targets = set(dataset.targets["period"])
    quarters = [q for q in fiscal_year.quarters if upto is None or q <= upto]
    present = [q for q in quarters if str(q) in with_actuals]
    if not present:
        raise InputError.single("actuals.csv", f"has no rows for fiscal year {fiscal_year.fiscal_year} "
                                f"({fiscal_year.quarters[0]} to {fiscal_year.quarters[3]}); periods with "
                                f"actuals: {', '.join(map(str, dataset.periods)) or 'none'}", column="period")
    last = present[-1]
    problems = []
    for q in quarters:
        if q > last:
            break
        if str(q) not in with_actuals:
            problems.append(Problem("actuals.csv", None, "period", f"has no rows for period {q}; the bonus "
                                    f"year settles from {fiscal_year.quarters[0]}, so every quarter up to {last} "
                                    "needs actuals"))
        if str(q) not in with_targets:
            problems.append(Problem("targets.csv", None, "period", f"has no row for period {q}"))
    if problems:
        raise InputError(problems)
    return [q for q in quarters if q <= last]


def year_for_dataset(dataset: Dataset, fiscal_year: int | str | FiscalYear, plan: Plan | None = None,
                     upto: str | Period | None = None, last: PeriodResult | None = None) -> YearResult:
    """The bonus year of a dataset: every quarter with actuals so far, and the year end if complete.

    ``upto`` stops at that quarter (``bonus --period`` with a year plan settles the year
    through the quarter asked for). ``last`` replaces the last quarter's result (the
    cockpit's targets put on ``upto``); the earlier quarters stay as recorded.
    """
    fy_month = dataset.company.fiscal_year_start_month
    if not isinstance(fiscal_year, FiscalYear):
        try:
            fiscal_year = parse_fiscal_year(fiscal_year, fy_month)
        except ValueError as exc:
            raise InputError.single("--year", str(exc)) from None
    upto_period = dataset.require_period(upto) if upto is not None else None
    periods = quarters_so_far(dataset, fiscal_year, upto_period)
    results = [period_result(dataset, p) for p in periods]
    if last is not None:
        if last.period != str(periods[-1]):
            raise ValueError(f"last is {last.period}, but the year runs to {periods[-1]}")
        results[-1] = last
    targets = set(dataset.targets["period"])
    later = [q for q in fiscal_year.quarters if q > periods[-1]]
    year_targets = None
    if later and all(str(q) in targets for q in later):
        rows = dataset.targets.set_index("period")
        year_targets = [PeriodResult(str(q), 0.0, 0.0, 0.0, float(rows.loc[str(q), "revenue_target"]),
                                     float(rows.loc[str(q), "gop_target"]), dataset.company.currency)
                        for q in later]
    return settle_year(results, dataset.staff, fiscal_year, plan or dataset.plan,
                       currency=dataset.company.currency, year_targets=year_targets)


def quarter_as_bonus(year: YearResult, period: str | Period) -> BonusResult:
    """Quarter k of a settled year as a :class:`~planning.bonus.BonusResult` (what ``bonus`` shows).

    Revenue, GOP and targets are the quarter's own; the gates, raw pool and limits are those
    the quarter's pool was worked out on (the year to date with ``settle: year_to_date``);
    ``pool`` is P_k, and ``allocated``, ``unallocated`` and the payouts are of what is shared
    now, so pool = allocated + unallocated + the quarter's held-back amount.
    """
    q = year.quarter(period)
    return BonusResult(period_result=q.result, currency=year.currency, gates=q.gates, raw_pool=q.raw_pool,
                       limits=q.limits, pool=q.pool, allocated=q.allocated, unallocated=q.unallocated,
                       allocations=q.allocations, plan=year.plan)


def bonus_in_year(dataset: Dataset, period: str | Period, plan: Plan | None = None
                  ) -> tuple[BonusResult, YearResult | None]:
    """The quarter as people are paid for it, and its year so far (None without ``year:``).

    With a ``year:`` plan the quarter is settled in its fiscal year through ``period``
    (:func:`year_for_dataset` with ``upto``) and returned as :func:`quarter_as_bonus` gives
    it (the payouts are of what is shared now); without one it is
    :func:`~planning.bonus.bonus_for_period`, exactly as before. Reports, statements and the
    cockpit read the quarter through this, so they agree with ``planning year`` to the cent.
    """
    plan = plan or dataset.plan
    if plan.year is None:
        return bonus_for_period(dataset, period, plan), None
    p = dataset.require_period(period)
    year = year_for_dataset(dataset, p.year, plan, upto=p)
    return quarter_as_bonus(year, p), year
