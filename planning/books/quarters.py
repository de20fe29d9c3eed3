"""Postings + ``accounts.yaml`` -> quarter actuals by department, reconciled (pure).

Sign conventions (every amount is debit minus credit in the books): revenue is credit-normal,
so a department's revenue is its credits less its debits (a credit note or refund, a debit,
reduces it); cogs and opex are debit-normal, so they are debits less credits (a supplier's
credit note reduces them). Amounts stay integers in the currency's minor unit throughout.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from planning.books.amounts import format_minor
from planning.books.gl_export import Posting
from planning.books.mapping import COUNTED, Account, AccountsMap, Rule
from planning.errors import Problem, quoted
from planning.periods import period_containing

__all__ = ["AccountTotal", "QuarterCheck", "BooksActuals", "build_actuals"]


@dataclass(frozen=True)
class AccountTotal:
    """One account's postings in the books: where they went and their net (debit minus credit)."""

    account: Account
    line: str | None          # revenue, cogs, opex, excluded; None when no rule matches
    rule: str | None          # the deciding rule's key path in accounts.yaml
    postings: int
    debit: int


@dataclass(frozen=True)
class QuarterCheck:
    """A quarter's totals per line from the department rows and from the accounts' own totals."""

    period: str
    imported: dict[str, int]
    source: dict[str, int]

    @property
    def reconciled(self) -> bool:
        return self.imported == self.source


@dataclass
class BooksActuals:
    """What the books say: rows ``(period, department) -> {line: minor units}`` and the evidence."""

    rows: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    accounts: list[AccountTotal] = field(default_factory=list)
    checks: list[QuarterCheck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    postings: int = 0
    notes: list[str] = field(default_factory=list)


def _signed(line: str, debit: int) -> int:
    """An amount on ``line``: revenue is credit-normal, cogs and opex debit-normal."""
    return -debit if line == "revenue" else debit


def build_actuals(postings: list[Posting], mapping: AccountsMap, fiscal_year_start_month: int,
                  currency: str, digits: int) -> BooksActuals:
    """Map every posting to revenue, cogs, opex or excluded and total them by quarter and department.

    Every posting is either counted, excluded by a rule, or named in a problem: an account no
    rule matches (with its total), an ambiguous account, a posting without a department, a
    tracking value that is no department, or another currency.

    Returns
    -------
    BooksActuals
        With ``problems`` empty only when every posting was accounted for.
    """
    out = BooksActuals(postings=len(postings))
    money = lambda v: format_minor(v, digits, grouped=True)  # noqa: E731
    by_account: dict[Account, list[Posting]] = defaultdict(list)
    for posting in postings:
        by_account[posting.account].append(posting)
    decided: dict[Account, Rule] = {}
    for account in sorted(by_account, key=lambda a: (a.code, a.name)):
        items = by_account[account]
        total = sum(p.debit for p in items)
        rule, tied = mapping.classify(account)
        where = f"{items[0].file}, {'line' if items[0].file.endswith(('.beancount', '.bean')) else 'row'} {items[0].row}"
        if tied:
            out.problems.append(Problem(mapping.file, None, "accounts", f"account {quoted(account.label)} (first at {where}) "
                                        f"matches {' and '.join(r.where for r in tied)}, which disagree; expected one "
                                        "rule to decide (give the account its own code rule)"))
        elif rule is None:
            out.problems.append(Problem(mapping.file, None, "accounts", f"account {quoted(account.label)} has {len(items)} "
                                        f"posting{'s' if len(items) != 1 else ''} (net debit {money(total)}; first at "
                                        f"{where}) and no rule; expected a rule with line revenue, cogs, opex or excluded"))
        else:
            decided[account] = rule
        out.accounts.append(AccountTotal(account, rule.line if rule else None, rule.where if rule else None,
                                         len(items), total))

    # The source's side of the reconciliation: each counted account's own total per quarter,
    # before departments are looked at (a posting lost on the way to a row would show here).
    source: dict[tuple[str, str], int] = defaultdict(int)
    for account, rule in decided.items():
        if rule.line in COUNTED:
            for posting in by_account[account]:
                period = str(period_containing(posting.day, fiscal_year_start_month))
                source[(period, rule.line)] += _signed(rule.line, posting.debit)
    missing: dict[Account, list[int | None]] = defaultdict(list)
    for posting in postings:
        rule = decided.get(posting.account)
        if rule is None or rule.line not in COUNTED:
            continue
        if posting.currency.upper() != currency.upper():
            out.problems.append(Problem(posting.file, posting.row, "currency", f"{quoted(posting.currency)} is not the "
                                        f"company's currency {currency}; expected every counted posting in {currency} "
                                        "(export the report in the base currency)"))
            continue
        department = _department(posting, rule, mapping, out.problems, missing)
        if department is None:
            continue
        period = str(period_containing(posting.day, fiscal_year_start_month))
        row = out.rows.setdefault((period, department), dict.fromkeys(COUNTED, 0))
        row[rule.line] += _signed(rule.line, posting.debit)
    for account, rows in missing.items():
        shown = ", ".join(str(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
        many = len(rows) != 1
        out.problems.append(Problem(by_account[account][0].file, rows[0], mapping.departments.column or "department",
                                    f"{len(rows)} posting{'s' if many else ''} to {quoted(account.label)} "
                                    f"{'have' if many else 'has'} no department ({'rows' if many else 'row'} {shown}); "
                                    "expected a tracking value, a department on the account's rule, or "
                                    "departments.default"))
    _fill_departments(out, mapping)
    for (period, department), row in sorted(out.rows.items()):
        for line, value in row.items():
            if value < 0:
                out.problems.append(Problem(mapping.file, None, "accounts", f"{period} {department} {line} comes to "
                                            f"{money(value)} (more credit notes than {line}); actuals.csv needs 0 or "
                                            "more: check the postings or the rules for that line"))
    out.notes = coverage_notes(postings, fiscal_year_start_month)
    for period in sorted({p for p, _ in out.rows} | {p for p, _ in source}):
        imported = {line: sum(r[line] for (p, _), r in out.rows.items() if p == period) for line in COUNTED}
        out.checks.append(QuarterCheck(period, imported, {line: source[(period, line)] for line in COUNTED}))
    return out


def _department(posting: Posting, rule: Rule, mapping: AccountsMap, problems: list[Problem],
                missing: dict) -> str | None:
    if rule.department is not None:
        return rule.department
    departments = mapping.departments
    if posting.department:
        department = departments.resolve(posting.department)
        if department is None:
            problems.append(Problem(posting.file, posting.row, departments.column or departments.metadata or "department",
                                    f"{quoted(posting.department)} is not a department; expected one of "
                                    f"{', '.join(departments.order)} or an alias in departments.aliases"))
        return department
    if departments.default is not None:
        return departments.default
    missing[posting.account].append(posting.row)
    return None


def _fill_departments(out: BooksActuals, mapping: AccountsMap) -> None:
    """Every department of ``departments.list`` gets a row in every imported quarter."""
    periods = {p for p, _ in out.rows}
    for period in periods:
        for department in mapping.departments.order:
            out.rows.setdefault((period, department), dict.fromkeys(COUNTED, 0))



def coverage_notes(postings: list[Posting], fiscal_year_start_month: int, slack_days: int = 14) -> list[str]:
    """A note for each quarter whose postings start or end well inside it (a partial export?).

    Books have postings nearly every week (pay runs, bills), so a quarter whose first posting
    is more than ``slack_days`` after its start, or whose last is more than ``slack_days``
    before its end, is probably cut off by the export's date range.
    """
    spans: dict[str, list] = {}
    for posting in postings:
        period = period_containing(posting.day, fiscal_year_start_month)
        span = spans.setdefault(str(period), [period, posting.day, posting.day])
        span[1], span[2] = min(span[1], posting.day), max(span[2], posting.day)
    notes = []
    for label, (period, first, last) in sorted(spans.items()):
        if (first - period.start).days > slack_days or (period.end - last).days > slack_days:
            notes.append(f"{label}: the postings run from {first} to {last} but the quarter from {period.start} to "
                         f"{period.end}: is the export's date range the whole quarter?")
    return notes
