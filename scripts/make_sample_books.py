"""Write the sample company's books under data/books/ and its mapping as data/accounts.yaml.

Deterministic (fixed seed, no clock). The books are made *from* data/actuals.csv: every
quarter's revenue, cogs and opex by department is split into invoices, credit notes, bills,
pay runs and journals of a small Australian chart of accounts (GST at 10% on most lines, pay
runs with PAYG withholding and super, owner drawings, interest income and income tax, which
the mapping leaves out), so that importing either file with data/accounts.yaml reproduces
data/actuals.csv exactly (tests/test_books_sample.py holds it).

* data/books/bluegum.beancount: the ledger (Beancount), departments in posting metadata
  ``department:`` and, for Marketing's bills, the tag ``#marketing``;
* data/books/xero-account-transactions.csv: the same postings as Xero's Account
  Transactions report exports them (title rows, one group per account with a total line,
  dates like ``03 Jul 2024``, thousands separators, the tracking category "Department",
  whose option for Finance & HR is spelled "Finance and HR").

Usage: ``python scripts/make_sample_books.py`` (after scripts/make_sample_data.py).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

SEED = 20240715
DATA = Path(__file__).resolve().parents[1] / "data"
FY_START = 7
# code: (Xero name, Xero type, Beancount account)
CHART = {
    "1010": ("Business Cheque Account", "Bank", "Assets:Bank:Cheque"),
    "1100": ("Accounts Receivable", "Current Asset", "Assets:Receivables"),
    "2100": ("Accounts Payable", "Current Liability", "Liabilities:Payables"),
    "2200": ("GST", "Current Liability", "Liabilities:GST"),
    "2300": ("PAYG Withholdings Payable", "Current Liability", "Liabilities:PAYG-Withholding"),
    "2400": ("Superannuation Payable", "Current Liability", "Liabilities:Superannuation"),
    "3100": ("Owner A Drawings", "Equity", "Equity:Owner-Drawings"),
    "3200": ("Owner A Funds Introduced", "Equity", "Equity:Owner-Funds-Introduced"),
    "4000": ("Project Revenue", "Revenue", "Income:Projects"),
    "4100": ("Service Call-outs", "Revenue", "Income:Service-Callouts"),
    "4900": ("Interest Income", "Other Income", "Income:Interest"),
    "5000": ("Materials", "Direct Costs", "Expenses:Cost-of-Sales:Materials"),
    "5100": ("Subcontractors", "Direct Costs", "Expenses:Cost-of-Sales:Subcontractors"),
    "5200": ("Site Labour", "Direct Costs", "Expenses:Cost-of-Sales:Site-Labour"),
    "5300": ("Sales Commissions", "Direct Costs", "Expenses:Cost-of-Sales:Commissions"),
    "6000": ("Wages and Salaries", "Expense", "Expenses:Wages"),
    "6050": ("Superannuation", "Expense", "Expenses:Superannuation"),
    "6100": ("Rent", "Expense", "Expenses:Rent"),
    "6200": ("Advertising", "Expense", "Expenses:Advertising"),
    "6300": ("Software and IT", "Expense", "Expenses:Software"),
    "6400": ("Insurance", "Expense", "Expenses:Insurance"),
    "6500": ("Motor Vehicle and Travel", "Expense", "Expenses:Travel"),
    "6900": ("General Expenses", "Expense", "Expenses:General"),
    "9100": ("Income Tax Expense", "Expense", "Expenses:Income-Tax"),
}
# department: [(account, share of the department's opex)]; rent is fixed, in Finance & HR
OPEX = {"Sales": [("6000", 70), ("6050", 8), ("6500", 12), ("6900", 10)],
        "Marketing": [("6000", 45), ("6050", 5), ("6200", 45), ("6900", 5)],
        "Fulfilment": [("6000", 70), ("6050", 8), ("6500", 12), ("6900", 10)],
        "IT": [("6000", 60), ("6050", 7), ("6300", 28), ("6900", 5)],
        "Finance & HR": [("6000", 55), ("6050", 6), ("6400", 20), ("6900", 19)]}
RENT_A_MONTH = 1_200_000   # cents
COGS = {"Sales": [("5300", 100)], "Fulfilment": [("5000", 50), ("5100", 30), ("5200", 20)]}
REVENUE = {"Sales": "4000", "Fulfilment": "4100"}
NO_GST = {"6000", "6050", "5200", "6400", "9100", "4900", "3100"}
XERO_TRACKING = {"Finance & HR": "Finance and HR"}
ACCOUNTS_YAML = """\
# How Bluegum's books map onto actuals.csv (see docs/data.md, "Books in").
# `planning import --from xero data/books/xero-account-transactions.csv --into data` and
# `planning import --from beancount data/books/bluegum.beancount --into data` both use it.
departments:
  list: [Sales, Marketing, Fulfilment, IT, Finance & HR]   # the order of actuals.csv's rows
  column: Department          # Xero: the tracking category's column
  metadata: department        # Beancount: posting (or transaction) metadata
  tags: {marketing: Marketing}   # Beancount: a transaction tagged #marketing
  aliases: {Finance and HR: Finance & HR}   # Xero's tracking option is spelled this way
accounts:
  # The most specific rule wins: code, then range (the narrowest), then name, then type.
  - {codes: [1000, 3999], line: excluded}   # balance sheet: bank, receivables, GST, PAYG, super
  - {name: "*drawings*", line: excluded}     # owner drawings are never an expense
  - {codes: [4000, 4999], line: revenue}
  - {code: 4900, line: excluded}             # interest income: below GOP
  - {codes: [5000, 5999], line: cogs}
  - {codes: [6000, 6999], line: opex}
  - {code: 6100, line: opex, department: Finance & HR}   # rent is never tracked
  - {codes: [9000, 9999], line: excluded}    # income tax
"""


def read_actuals() -> dict[tuple[str, str], dict[str, int]]:
    rows = {}
    with (DATA / "actuals.csv").open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[(r["period"], r["department"])] = {k: round(float(r[k]) * 100) for k in ("revenue", "cogs", "opex")}
    return rows


def months(period: str) -> list[tuple[int, int]]:
    fy, q = int(period[:4]), int(period[-1])
    out = []
    for i in range(3):
        m0 = FY_START - 1 + 3 * (q - 1) + i
        out.append((fy - 1 + m0 // 12, m0 % 12 + 1))
    return out


def split(total: int, weights, rng) -> list[int]:
    """Whole-cent parts of ``total`` in proportion to jittered ``weights`` (the last takes the rest)."""
    w = np.asarray(weights, dtype=float) * rng.uniform(0.85, 1.15, len(weights))
    parts = [int(total * x / w.sum()) for x in w[:-1]]
    return [*parts, total - sum(parts)]


def gst(net: int, code: str) -> int:
    return 0 if code in NO_GST else (net + 5) // 10


class Books:
    def __init__(self):
        self.txns = []   # (date, narration, source, reference, [(code, debit cents, department)], tags)

    def add(self, day, narration, source, ref, lines, tags=()):
        assert sum(d for _, d, _ in lines) == 0, narration
        self.txns.append((day, narration, source, ref, [x for x in lines if x[1] != 0], tags))


def build(actuals, rng) -> Books:
    books = Books()
    periods = sorted({p for p, _ in actuals})
    n = 0
    for period in periods:
        mths = months(period)
        day = lambda i, d=None, m=mths: date(*m[i], d if d else int(rng.integers(2, 28)))  # noqa: E731
        for dept, code in REVENUE.items():
            total = actuals[(period, dept)]["revenue"]
            credit_note = 450_000 + int(rng.integers(0, 300_000)) if dept == "Sales" and period[-1] in "24" else 0
            count = 9 if dept == "Sales" else 3
            for i, net in enumerate(split(total + credit_note, [1] * count, rng)):
                n += 1
                tax = gst(net, code)
                books.add(day(i % 3), f"Invoice to client {n:04d}", "Receivable Invoice", f"INV-{n:04d}",
                          [("1100", net + tax, ""), (code, -net, dept), ("2200", -tax, "")])
            if credit_note:
                tax = gst(credit_note, code)
                books.add(day(2, 27), "Credit note: variation refunded", "Receivable Credit Note", f"CN-{n:04d}",
                          [(code, credit_note, dept), ("2200", tax, ""), ("1100", -credit_note - tax, "")])
        for dept, accounts in COGS.items():
            total = actuals[(period, dept)]["cogs"]
            supplier_credit = 180_000 if dept == "Fulfilment" and period[-1] == "3" else 0
            for code, net_q in zip((a for a, _ in accounts), split(total, [s for _, s in accounts], rng), strict=True):
                extra = supplier_credit if code == "5000" else 0
                for i, net in enumerate(split(net_q + extra, [1, 1, 1], rng)):
                    bill(books, day(i), code, net, dept, "Supplier bill")
                if extra:
                    tax = gst(extra, code)
                    books.add(day(1, 27), "Supplier credit: returned fixtures", "Payable Credit Note", "SC",
                              [("2100", extra + tax, ""), (code, -extra, dept), ("2200", -tax, "")])
        wages = defaultdict(lambda: [0, 0, 0])
        for dept, shares in OPEX.items():
            total = actuals[(period, dept)]["opex"]
            if dept == "Finance & HR":
                total -= 3 * RENT_A_MONTH
            for code, amount in zip((a for a, _ in shares), split(total, [s for _, s in shares], rng), strict=True):
                monthly = split(amount, [1, 1, 1], rng)
                if code in ("6000", "6050"):
                    for i in range(3):
                        wages[(code, dept)][i] = monthly[i]
                    continue
                for i, net in enumerate(monthly):
                    bill(books, day(i), code, net, dept, "Supplier bill", ("marketing",) if dept == "Marketing" else ())
        for i in range(3):
            pay = [("6000", wages[("6000", d)][i], d) for d in OPEX]
            gross = sum(x for _, x, _ in pay)
            payg = gross // 5
            books.add(day(i, 28), "Pay run", "Pay Run", f"PAY-{period}-{i + 1}",
                      [*pay, ("2300", -payg, ""), ("1010", payg - gross, "")])
            sup = [("6050", wages[("6050", d)][i], d) for d in OPEX]
            books.add(day(i, 28), "Superannuation guarantee", "Manual Journal", f"SUP-{period}-{i + 1}",
                      [*sup, ("2400", -sum(x for _, x, _ in sup), "")])
            tax = gst(RENT_A_MONTH, "6100")
            books.add(day(i, 1), "Office rent", "Spend Money", "RENT",
                      [("6100", RENT_A_MONTH, ""), ("2200", tax, ""), ("1010", -RENT_A_MONTH - tax, "")])
        interest = 80_000 + int(rng.integers(0, 90_000))
        books.add(day(2, 28), "Interest on the business account", "Receive Money", "INT",
                  [("1010", interest, ""), ("4900", -interest, "")])
        drawings = 1_500_000 + int(rng.integers(0, 1_000_000))
        books.add(day(1, 15), "Owner drawings", "Spend Money", "DRAW", [("3100", drawings, ""), ("1010", -drawings, "")])
        tax = 4_000_000 + int(rng.integers(0, 2_000_000))
        books.add(day(2, 21), "Company tax instalment", "Spend Money", "PAYG-I", [("9100", tax, ""), ("1010", -tax, "")])
        receipts = sum(d for t in books.txns if t[0] >= date(*mths[0], 1) for c, d, _ in t[4] if c == "1100")
        books.add(day(2, 28), "Receipts from clients", "Receive Money", f"REC-{period}",
                  [("1010", receipts, ""), ("1100", -receipts, "")])
        payables = -sum(d for t in books.txns if t[0] >= date(*mths[0], 1) for c, d, _ in t[4] if c == "2100")
        books.add(day(2, 28), "Payments to suppliers", "Spend Money", f"PMT-{period}",
                  [("2100", payables, ""), ("1010", -payables, "")])
    books.txns.sort(key=lambda t: t[0])
    return books


def bill(books, day, code, net, dept, narration, tags=()):
    tax = gst(net, code)
    books.add(day, narration, "Payable Invoice", f"BILL-{len(books.txns) + 1:05d}",
              [(code, net, dept), ("2200", tax, ""), ("2100", -net - tax, "")], tags)


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def beancount_text(books: Books) -> str:
    lines = ['; Bluegum Fitouts Pty Ltd (fictional): its books, written by scripts/make_sample_books.py.',
             '; Departments: posting metadata `department:`, or the tag #marketing.',
             'option "title" "Bluegum Fitouts Pty Ltd (fictional)"', 'option "operating_currency" "AUD"', ""]
    for code, (_, _, account) in CHART.items():
        lines += [f"2024-07-01 open {account} AUD", f'  code: "{code}"']
    lines.append("")
    for day, narration, _, ref, postings, tags in books.txns:
        tag_text = "".join(f" #{t}" for t in tags)
        lines.append(f'{day.isoformat()} * "{narration}" "{ref}"{tag_text}')
        for code, cents, dept in postings:
            lines.append(f"  {CHART[code][2]:<42}{money(cents):>14} AUD")
            if dept and not tags:
                lines.append(f'    department: "{dept}"')
        lines.append("")
    return "\n".join(lines)


def xero_text(books: Books, periods: list[str]) -> str:
    first, last = months(periods[0])[0], months(periods[-1])[-1]
    end = date(last[0] + last[1] // 12, last[1] % 12 + 1, 1).toordinal() - 1
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerows([["Account Transactions"], ["Bluegum Fitouts Pty Ltd (fictional)"],
                   [f"For the period 1 {date(*first, 1):%B %Y} to {date.fromordinal(end):%-d %B %Y}"], [],
                   ["Date", "Source", "Description", "Reference", "Account Code", "Account", "Account Type",
                    "Department", "Debit", "Credit"]])
    lines = defaultdict(list)
    for day, narration, source, ref, postings, _ in books.txns:
        for code, cents, dept in postings:
            lines[code].append((day, source, narration, ref, dept, cents))
    grand = [0, 0]
    shown = lambda c: f"{c // 100:,}.{c % 100:02d}" if c else ""  # noqa: E731
    for code in sorted(lines):
        name, kind, _ = CHART[code]
        out.writerow([name])
        debit = credit = 0
        for day, source, narration, ref, dept, cents in lines[code]:
            d, c = max(cents, 0), max(-cents, 0)
            debit, credit = debit + d, credit + c
            out.writerow([f"{day:%d %b %Y}", source, narration, ref, code, name, kind,
                          XERO_TRACKING.get(dept, dept), shown(d), shown(c)])
        out.writerow([f"Total {name}", "", "", "", "", "", "", "", shown(debit), shown(credit)])
        grand = [grand[0] + debit, grand[1] + credit]
        out.writerow([])
    out.writerow(["Total", "", "", "", "", "", "", "", shown(grand[0]), shown(grand[1])])
    return buffer.getvalue()


def main() -> None:
    actuals = read_actuals()
    rng = np.random.default_rng(SEED)
    books = build(actuals, rng)
    periods = sorted({p for p, _ in actuals})
    folder = DATA / "books"
    folder.mkdir(exist_ok=True)
    (folder / "bluegum.beancount").write_text(beancount_text(books), encoding="utf-8")
    (folder / "xero-account-transactions.csv").write_text(xero_text(books, periods), encoding="utf-8", newline="")
    (DATA / "accounts.yaml").write_text(ACCOUNTS_YAML, encoding="utf-8")
    postings = sum(len(t[4]) for t in books.txns)
    print(f"{len(books.txns)} transactions, {postings} postings, {len(periods)} quarters -> {folder}")


if __name__ == "__main__":
    main()
