"""The bonus year at the command line: ``planning year`` and ``bonus --period`` with a year plan.

Edge code beside :mod:`planning.cli` (which registers these and writes the files): each
function returns the result and the text to print, from :mod:`planning.year` and
:mod:`planning.year_words`.
"""

from __future__ import annotations

import json
import sys

__all__ = ["add_year_parser", "year_output", "year_bonus_output"]


def add_year_parser(sub, load, write_outputs) -> None:
    """Register ``planning year`` on the CLI's subparsers (``load`` and ``write_outputs``: the CLI's)."""
    from planning.commandline import add_command, output_option, plan_option

    p = add_command(sub, "year", lambda args: cmd_year(args, load, write_outputs),
                    "the bonus year: each quarter's pool, holdback and reserve, and the year end")
    p.add_argument("--year", required=True, metavar="FY",
                   help="fiscal year like 2026, the one that ends in 2026 (required)")
    plan_option(p)
    output_option(p)
    p.add_argument("--xlsx", metavar="FILE", help="also write a workbook (quarters, year_end and people sheets) "
                   "for the bookkeeper (default: none)")
    p.add_argument("--csv", metavar="FILE",
                   help="also write the year's payouts for payroll import, one line per payout: each "
                        "quarter's, then the year end's release (docs/payroll.md; default: none)")


def cmd_year(args, load, write_outputs) -> int:
    """``planning year``: the text or JSON to stdout (or ``--output``), ``--xlsx`` beside it."""
    from planning.export import year_workbook

    result, text = year_output(args, *load(args))
    write_outputs(args, result, text, year_workbook)
    if not args.output:
        sys.stdout.write(text)
    return 0


def year_output(args, dataset, plan):
    """``planning year``: (YearResult, text)."""
    from planning.year import year_for_dataset
    from planning.year_words import year_text

    result = year_for_dataset(dataset, args.year, plan)
    text = (json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n" if args.json
            else year_text(dataset.company.name, result))
    return result, text


def year_bonus_output(args, dataset, plan):
    """``bonus --period P`` with a ``year:`` plan: (BonusResult of P as its year settles it, text).

    Its JSON is ``bonus --json``'s with ``earned_to_date``, ``shared_now`` and ``held_back``
    added (``pool`` is P_k = allocated + unallocated + held back).
    """
    from planning.words import bonus_text
    from planning.year import quarter_as_bonus, year_for_dataset
    from planning.year_words import explain_quarter, year_pool_sum

    period = dataset.require_period(args.period)
    year = year_for_dataset(dataset, period.year, plan, upto=period)
    q = year.quarter(period)
    result = quarter_as_bonus(year, period)
    if args.json:
        data = result.to_dict()
        data.update(earned_to_date=q.earned_to_date, shared_now=q.shared_now, held_back=q.held_back)
        return result, json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text = bonus_text(dataset.company.name, result)
    text += "\n  In its year:\n" + "".join(f"  {line}\n" for line in explain_quarter(year, period))
    text += f"  {year_pool_sum(year, period)}\n"
    return result, text
