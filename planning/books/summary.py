"""What an import did, in words and as one JSON-ready dict (pure)."""

from __future__ import annotations

from typing import Any

from planning.books.amounts import format_minor
from planning.books.mapping import COUNTED

__all__ = ["import_summary", "import_dict"]


def import_dict(result) -> dict[str, Any]:
    """The import as plain data: amounts as decimal strings in the company's currency."""
    digits = result.digits
    money = lambda v: format_minor(v, digits)  # noqa: E731
    books = result.books
    return {
        "source": result.source,
        "file": str(result.file),
        "actuals": str(result.actuals_path),
        "currency": result.company.currency,
        "written": result.written,
        "postings": books.postings,
        "excluded_postings": result.excluded_postings,
        "export_totals_checked": result.totals_checked,
        "notes": books.notes,
        "accounts": [{"account": a.account.label, "code": a.account.code, "name": a.account.name,
                      "line": a.line, "rule": a.rule, "postings": a.postings, "net_debit": money(a.debit)}
                     for a in books.accounts],
        "quarters": [{"period": c.period, "reconciled": c.reconciled,
                      **{line: money(c.imported[line]) for line in COUNTED},
                      "source": {line: money(c.source[line]) for line in COUNTED}} for c in books.checks],
        "changes": [{"period": c.period, "status": c.status, "details": list(c.details)}
                    for c in result.merged.changes],
    }


def import_summary(result) -> list[str]:
    """Lines for the owner: accounts mapped and left out, each quarter reconciled, what changed."""
    digits = result.digits
    money = lambda v: format_minor(v, digits, grouped=True)  # noqa: E731
    books = result.books
    cur = result.company.currency
    lines = [f"{result.company.name}: {books.postings} postings from {result.file.name} ({result.source})"]
    for line in (*COUNTED, "excluded"):
        accounts = [a for a in books.accounts if a.line == line]
        if not accounts:
            continue
        postings = sum(a.postings for a in accounts)
        lines.append(f"  {line:<9}{len(accounts):>3} account{'s' if len(accounts) != 1 else ' '} "
                     f"{postings:>6} postings: " + ", ".join(a.account.label for a in accounts))
    if result.totals_checked:
        lines.append(f"  the export's own {result.totals_checked} total lines match its postings")
    lines.append("")
    lines.append(f"  {'quarter':<8}{'revenue':>18}{'cogs':>18}{'opex':>18}   reconciled with the books")
    for check in books.checks:
        lines.append(f"  {check.period:<8}" + "".join(f"{money(check.imported[k]):>18}" for k in COUNTED)
                     + ("   yes, to the cent" if check.reconciled else "   NO"))
    lines.append(f"  (amounts in {cur}; revenue = credits - debits, cogs and opex = debits - credits)")
    lines.extend(f"  note: {note}" for note in books.notes)
    lines.append("")
    for status in ("added", "unchanged"):
        periods = [c.period for c in result.merged.changes if c.status == status]
        if periods:
            lines.append(f"  {status + ':':<10} {', '.join(periods)}")
    for change in (c for c in result.merged.changes if c.status == "replaced"):
        lines.append(f"  {'replaced:':<10} {change.period}")
        lines.extend(f"    {detail}" for detail in change.details)
    if result.written:
        lines.append(f"wrote {result.actuals_path}")
    elif all(c.status == "unchanged" for c in result.merged.changes):
        lines.append(f"{result.actuals_path} already has these figures; nothing written")
    else:
        lines.append("checked only (--check); nothing written")
    return lines
