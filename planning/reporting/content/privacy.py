"""Staff privacy: which payout figures a page for everyone may show.

A staff page shows payouts only as totals that at least :data:`MIN_GROUP` people share, and
nothing that gives a smaller group's total (or a few people's caps) away by subtraction
from the public pool. See ``docs/reports.md``, "What the staff report shows".
"""

from __future__ import annotations

import pandas as pd

from planning.bonus_result import BonusResult
from planning.money import Unit, from_cents, sum_cents, unit_digits

__all__ = ["MIN_GROUP", "OTHER_DEPARTMENTS", "sharers_by_department", "paid_out_reveals_pay",
           "suppressed_department_payouts"]

MIN_GROUP = 5
"""Smallest number of eligible people whose combined payout a staff page may show."""

OTHER_DEPARTMENTS = "Other departments"


def sharers_by_department(allocations: pd.DataFrame, unit: Unit = 2) -> pd.DataFrame:
    """Per department, the people who can actually take part of the pool, and their payout.

    Parameters
    ----------
    allocations : DataFrame
        :attr:`planning.bonus_result.BonusResult.allocations`.

    Returns
    -------
    DataFrame
        Indexed by department with columns ``eligible`` (people who are eligible, have a
        weight above 0 and an individual cap of at least a cent) and ``payout`` (currency,
        rounded to cents).

    Notes
    -----
    Someone eligible with no weight receives nothing, so they cannot make a group look
    bigger than the people its total is shared by.
    """
    a = allocations
    sharing = a["eligible"] & (a["weight"] > 0) & (a["cap"] >= from_cents(1, unit))
    frame = a.assign(eligible=sharing).groupby("department").agg(
        eligible=("eligible", "sum"), payout=("payout", "sum"))
    frame["payout"] = frame["payout"].round(unit_digits(unit))
    return frame


def paid_out_reveals_pay(result: BonusResult, min_group: int = MIN_GROUP) -> bool:
    """Whether the amount paid out (and so GOP after the bonus) is a figure about fewer than
    ``min_group`` people that the public pool does not already give away.

    Notes
    -----
    That happens when individual caps kept part of the pool back: the amount paid is then
    the caps of a few people, which are a fixed share of their salaries.
    """
    if result.unallocated <= 0 or result.allocated <= 0:
        return False
    return int(sharers_by_department(result.allocations, result.currency or 2)["eligible"].sum()) < min_group


def suppressed_department_payouts(by_department: pd.DataFrame, min_group: int = MIN_GROUP,
                                  unit: Unit = 2) -> tuple[pd.DataFrame, list[str]]:
    """Payouts by department safe to show to all staff.

    Parameters
    ----------
    by_department : DataFrame
        Indexed by department with columns ``eligible`` (count) and ``payout``
        (:meth:`planning.bonus_result.BonusResult.by_department`).
    min_group : int
        The smallest group whose total may be shown.
    unit : Currency, str or int
        The currency's minor unit, which combined totals are summed in.

    Returns
    -------
    (table, combined)
        ``table`` has columns ``group``, ``departments`` (count), ``eligible`` and ``payout``;
        ``combined`` lists the departments folded into the one ``Other departments`` row.

    Notes
    -----
    Departments without eligible people receive nothing and are left out. A department
    with fewer than ``min_group`` eligible people is never shown alone (primary
    suppression). Because the total pool is public, a single hidden department could be
    worked out by subtraction, so hidden departments are shown only as one combined row,
    and while that row would stand for a single department or for fewer than ``min_group``
    people, the smallest shown department (fewest eligible, then name) is folded into it
    too (secondary suppression). If everything ends up combined, the table is one row for
    all departments.
    """
    frame = by_department[by_department["eligible"] > 0][["eligible", "payout"]].copy()
    hidden = {d for d, n in frame["eligible"].items() if n < min_group}
    visible = [d for d in frame.index if d not in hidden]

    def too_revealing() -> bool:
        return bool(hidden) and (len(hidden) == 1 or frame.loc[sorted(hidden), "eligible"].sum() < min_group)

    while too_revealing() and visible:
        smallest = min(visible, key=lambda d: (int(frame.at[d, "eligible"]), str(d)))
        visible.remove(smallest)
        hidden.add(smallest)
    rows = [{"group": str(d), "departments": 1, "eligible": int(frame.at[d, "eligible"]),
             "payout": float(frame.at[d, "payout"])} for d in sorted(visible, key=str)]
    combined = sorted(hidden, key=str)
    if combined:
        label = "All departments" if not visible else OTHER_DEPARTMENTS
        rows.append({"group": label, "departments": len(combined),
                     "eligible": int(frame.loc[combined, "eligible"].sum()),
                     "payout": sum_cents(frame.loc[combined, "payout"].to_numpy(), unit)})
    table = pd.DataFrame(rows, columns=["group", "departments", "eligible", "payout"])
    return table, combined
