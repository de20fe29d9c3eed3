"""Books in (issue 15): each preset on a realistic, messy export; Beancount with its own loader;
bad mappings and bad exports refused with one line per problem, exit 2, nothing written."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings

from planning.books import import_books, parse_accounts
from planning.books.amounts import format_minor, parse_date, parse_money, to_minor
from planning.books.mapping import Account
from planning.cli import main
from planning.errors import InputError
from tests.strategies import ledger_postings

COMPANY = "name: Test Fitouts\ncurrency: AUD\nfiscal_year_start_month: 7\n"
ACCOUNTS = """\
departments:
  list: [Sales, Delivery, Office]
  column: {column}
  metadata: dept
  tags: {{office: Office}}
  aliases: {{Deliveries: Delivery}}
accounts:
  - {{codes: [1000, 3999], line: excluded}}
  - {{name: "*drawings*", line: excluded}}
  - {{codes: [4000, 4999], line: revenue}}
  - {{code: 4900, line: excluded}}
  - {{codes: [5000, 5999], line: cogs}}
  - {{codes: [6000, 6999], line: opex}}
  - {{code: 6100, line: opex, department: Office}}
{extra}"""
# What every export below holds, in cents: 2025Q1 = Jul-Sep 2024, 2025Q2 = Oct-Dec 2024.
EXPECTED = ("period,department,revenue,cogs,opex\n"
            "2025Q1,Sales,10700.00,0.00,0.00\n"
            "2025Q1,Delivery,0.00,3000.00,0.00\n"
            "2025Q1,Office,0.00,0.00,2000.00\n"
            "2025Q2,Sales,4500.50,0.00,0.00\n"
            "2025Q2,Delivery,0.00,0.00,1234.56\n"
            "2025Q2,Office,0.00,0.00,0.00\n")


def folder(tmp_path, column="Department", extra=""):
    into = tmp_path / "co"
    into.mkdir(exist_ok=True)
    (into / "company.yaml").write_text(COMPANY)
    (into / "accounts.yaml").write_text(ACCOUNTS.format(column=column, extra=extra))
    return into


XERO = """\
Account Transactions
Test Fitouts
For the period 1 July 2024 to 31 December 2024

Date,Source,Description,Reference,Account Code,Account,Account Type,Department,Debit,Credit,Currency
Project Revenue
03 Jul 2024,Receivable Invoice,Fit-out stage 1,INV-1,4000,Project Revenue,Revenue,Sales,,"11,200.00",AUD
28 Aug 2024,Receivable Credit Note,Variation refunded,CN-1,4000,Project Revenue,Revenue,Sales,500.00,,AUD
02 Oct 2024,Receivable Invoice,Fit-out stage 2,INV-2,4000,Project Revenue,Revenue,Sales,,"4,500.50",AUD
Total Project Revenue,,,,,,,,500.00,"15,700.50",
Materials
15 Sep 2024,Payable Invoice,Timber,BILL-1,5000,Materials,Direct Costs,Deliveries,"3,000.00",,AUD
Total Materials,,,,,,,,"3,000.00",,
Rent
01 Aug 2024,Spend Money,Office rent,RENT,6100,Rent,Expense,,"2,000.00",,AUD
Total Rent,,,,,,,,"2,000.00",,
General Expenses
09 Nov 2024,Spend Money,Freight,EXP-1,6900,General Expenses,Expense,Deliveries,"1,334.56",,AUD
10 Nov 2024,Spend Money,Freight refund,EXP-2,6900,General Expenses,Expense,Deliveries,(100.00),,AUD
Total General Expenses,,,,,,,,"1,234.56",,
Owner Drawings
20 Aug 2024,Spend Money,Drawings,DRAW,3100,Owner Drawings,Equity,,"5,000.00",,AUD
Total Owner Drawings,,,,,,,,"5,000.00",,
Interest Income
30 Sep 2024,Receive Money,Interest,INT,4900,Interest Income,Other Income,,,12.34,AUD

Total,,,,,,,,"11,734.56","15,712.84",
"""

QBO = """\
Test Fitouts
General Ledger
July - December 2024

,Date,Transaction Type,Num,Name,Memo/Description,Split,Class,Amount,Balance
4000 Project Revenue
,Beginning Balance,,,,,,,,0.00
,07/03/2024,Invoice,1001,Client A,Fit-out stage 1,Accounts Receivable,Sales,"-11,200.00","-11,200.00"
,08/28/2024,Credit Memo,1002,Client A,Variation refunded,Accounts Receivable,Sales,500.00,"-10,700.00"
,10/02/2024,Invoice,1003,Client B,Fit-out stage 2,Accounts Receivable,Sales,"-4,500.50","-15,200.50"
Total for 4000 Project Revenue,,,,,,,,"-15,200.50",
5000 Materials
,09/15/2024,Bill,B-1,Timber Co,Timber,Accounts Payable,Deliveries,"3,000.00","3,000.00"
Total for 5000 Materials,,,,,,,,"3,000.00",
6100 Rent
,08/01/2024,Expense,,Landlord,Office rent,Cheque,,"2,000.00","2,000.00"
Total for 6100 Rent,,,,,,,,"2,000.00",
6900 General Expenses
,11/09/2024,Expense,,Freight Co,Freight,Cheque,Deliveries,"1,334.56","1,334.56"
,11/10/2024,Expense,,Freight Co,Freight refund,Cheque,Deliveries,(100.00),"1,234.56"
Total for 6900 General Expenses,,,,,,,,"1,234.56",
3100 Owner Drawings
,08/20/2024,Expense,,Owner,Drawings,Cheque,,"5,000.00","5,000.00"
Total for 3100 Owner Drawings,,,,,,,,"5,000.00",
"""

MYOB = "\n".join("\t".join(r) for r in [
    ["Test Fitouts - Journal Transactions"],
    [],
    ["Journal Number", "Date", "Memo", "Account Number", "Account Name", "Debit Amount", "Credit Amount", "Job",
     "Currency Code", "Category"],
    ["SJ000001", "03/07/2024", "Fit-out stage 1", "4-0100", "Project Revenue", "", "$11,200.00", "", "AUD", "Sales"],
    ["SJ000002", "28/08/2024", "Variation refunded", "4-0100", "Project Revenue", "$500.00", "", "", "AUD", "Sales"],
    ["SJ000003", "02/10/2024", "Fit-out stage 2", "4-0100", "Project Revenue", "", "$4,500.50", "", "AUD", "Sales"],
    ["PJ000001", "15/09/2024", "Timber", "5-0100", "Materials", "$3,000.00", "", "", "AUD", "Deliveries"],
    ["GJ000001", "01/08/2024", "Office rent", "6-0100", "Rent", "$2,000.00", "", "", "AUD", ""],
    ["GJ000002", "09/11/2024", "Freight", "6-0900", "General Expenses", "$1,334.56", "", "", "AUD", "Deliveries"],
    ["GJ000003", "10/11/2024", "Freight refund", "6-0900", "General Expenses", "", "$100.00", "", "AUD", "Deliveries"],
    ["GJ000004", "20/08/2024", "Drawings", "3-0100", "Owner Drawings", "$5,000.00", "", "", "AUD", ""],
]) + "\n"
MYOB_ACCOUNTS = ACCOUNTS.replace("[1000, 3999]", "[1-0000, 3-9999]").replace("[4000, 4999]", "[4-0000, 4-9999]") \
    .replace("[5000, 5999]", "[5-0000, 5-9999]").replace("[6000, 6999]", "[6-0000, 6-9999]") \
    .replace("code: 4900", "code: 4-0900").replace("code: 6100", "code: 6-0100")

GENERIC = """\
Posted;Acct;Ledger name;Cost centre;Value;Ccy
2024-07-03;4000;Project Revenue;Sales;-11200.00;AUD
2024-08-28;4000;Project Revenue;Sales;500;AUD
2024-10-02;4000;Project Revenue;Sales;-4500.50;AUD
2024-09-15;5000;Materials;Deliveries;3000;AUD
2024-08-01;6100;Rent;;2000;AUD
2024-11-09;6900;General Expenses;Deliveries;1334.56;AUD
2024-11-10;6900;General Expenses;Deliveries;-100;AUD
"""
GENERIC_SOURCE = """\
source:
  columns: {date: Posted, account_code: Acct, account_name: Ledger name, amount: Value, currency: Ccy}
"""

LEDGER = """\
option "operating_currency" "AUD"
2024-07-01 open Assets:Bank AUD
  code: "1010"
2024-07-01 open Income:Projects AUD
  code: "4000"
2024-07-01 open Expenses:Materials AUD
  code: "5000"
2024-07-01 open Expenses:Rent AUD
  code: "6100"
2024-07-01 open Expenses:General AUD
  code: "6900"
2024-07-01 open Equity:Owner-Drawings AUD

2024-07-03 * "Client A" "Fit-out stage 1"
  Assets:Bank        11200.00 AUD
  Income:Projects   -11200.00 AUD
    dept: "Sales"
2024-08-28 * "Client A" "Variation refunded"
  dept: "Sales"
  Income:Projects      500.00 AUD
  Assets:Bank
2024-10-02 * "Client B" "Fit-out stage 2"
  Assets:Bank         4500.50 AUD
  Income:Projects    -4500.50 AUD
    dept: "Sales"
2024-09-15 * "Timber Co" "Timber"
  Expenses:Materials  3000.00 AUD
    dept: "Deliveries"
  Assets:Bank
2024-08-01 * "Landlord" "Office rent"
  Expenses:Rent       2000.00 AUD
  Assets:Bank
2024-11-09 * "Freight Co" "Freight and a refund" #office
  Expenses:General    1334.56 AUD
    dept: "Delivery"
  Expenses:General    -100.00 AUD
    dept: "Delivery"
  Assets:Bank
2024-08-20 * "Owner" "Drawings"
  Equity:Owner-Drawings 5000.00 AUD
  Assets:Bank
"""


def _run(tmp_path, source, name, text, accounts=None, column="Department", extra="", capsys=None):
    into = folder(tmp_path, column, extra)
    if accounts is not None:
        (into / "accounts.yaml").write_text(accounts)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = import_books(source, path, into)
    return into, result


def test_xero_export_with_titles_groups_totals_credit_notes_and_parentheses(tmp_path):
    into, result = _run(tmp_path, "xero", "xero.csv", XERO)
    assert (into / "actuals.csv").read_text() == EXPECTED
    assert result.totals_checked == 6          # five account totals and the grand total
    assert all(check.reconciled for check in result.books.checks)
    lines = {a.account.label: a.line for a in result.books.accounts}
    assert lines["3100 Owner Drawings"] == "excluded" and lines["4900 Interest Income"] == "excluded"


def test_xero_export_as_xlsx_with_date_and_number_cells(tmp_path):
    import csv
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(XERO)):
        cells = []
        for i, cell in enumerate(row):
            if i == 0 and cell[:2].isdigit():
                from datetime import datetime
                cells.append(datetime.strptime(cell, "%d %b %Y"))
            elif i in (8, 9) and cell[:1].isdigit():
                cells.append(float(cell.replace(",", "")))
            else:
                cells.append(cell or None)
        sheet.append(cells)
    into = folder(tmp_path)
    book.save(tmp_path / "xero.xlsx")
    import_books("xero", tmp_path / "xero.xlsx", into)
    assert (into / "actuals.csv").read_text() == EXPECTED


def test_qbo_general_ledger_accounts_from_headings_signed_amounts_and_classes(tmp_path):
    into, result = _run(tmp_path, "qbo", "qbo.csv", QBO, column="Class")
    assert (into / "actuals.csv").read_text() == EXPECTED
    assert result.totals_checked == 5
    assert [c.reconciled for c in result.books.checks] == [True, True]          # five account totals (no grand total line)


def test_myob_tab_separated_with_dollar_signs_categories_and_currency(tmp_path):
    into, result = _run(tmp_path, "myob", "myob.txt", MYOB, accounts=MYOB_ACCOUNTS.format(column="Category", extra=""))
    assert (into / "actuals.csv").read_text() == EXPECTED
    assert {a.account.code for a in result.books.accounts} >= {"4-0100", "3-0100"}
    assert [c.reconciled for c in result.books.checks] == [True, True]


def test_generic_preset_reads_the_columns_named_in_accounts_yaml(tmp_path):
    into, result = _run(tmp_path, "generic", "gl.csv", GENERIC, column="Cost centre", extra=GENERIC_SOURCE)
    assert (into / "actuals.csv").read_text() == EXPECTED
    assert [c.reconciled for c in result.books.checks] == [True, True]


def test_beancount_ledger_with_metadata_transaction_metadata_and_tags(tmp_path):
    # The posting's metadata wins over the transaction's tag (the freight lines are Delivery).
    into, result = _run(tmp_path, "beancount", "books.beancount", LEDGER)
    assert (into / "actuals.csv").read_text() == EXPECTED
    assert all(check.reconciled for check in result.books.checks)


def test_beancount_errors_come_from_beancounts_own_loader(tmp_path):
    bad = LEDGER.replace("  Income:Projects   -11200.00 AUD", "  Income:Projects   -11000.00 AUD")
    with pytest.raises(InputError) as err:
        _run(tmp_path, "beancount", "books.beancount", bad)
    assert any("Beancount:" in str(p) and "balance" in str(p).lower() for p in err.value.problems)
    assert not (tmp_path / "co" / "actuals.csv").exists()


def test_a_beancount_posting_in_another_currency_is_refused_with_its_line(tmp_path):
    bad = LEDGER.replace("  Expenses:Rent       2000.00 AUD", "  Expenses:Rent       2000.00 USD @ 1.5 AUD")
    bad = bad.replace("open Expenses:Rent AUD", "open Expenses:Rent")   # Beancount itself allows it then
    with pytest.raises(InputError, match=r"^books.beancount, line 31, column currency: 'USD' is not the company's "
                       r"currency AUD"):
        _run(tmp_path, "beancount", "books.beancount", bad)


def test_unmapped_accounts_are_listed_with_their_totals_and_nothing_is_written(tmp_path, capsys):
    into = folder(tmp_path)
    text = XERO.replace(",6900,General Expenses,", ",7700,Parking Fines,").replace("General Expenses\n", "")
    (tmp_path / "x.csv").write_text(text)
    code = main(["import", "--from", "xero", str(tmp_path / "x.csv"), "--into", str(into)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and not (into / "actuals.csv").exists()
    assert any("account '7700 Parking Fines' has 2 postings (net debit 1,234.56" in line for line in err)


@pytest.mark.parametrize("change, expected", [
    (lambda t: t.replace("28 Aug 2024", "28/08/2024"),
     "xero.csv, row 8, column Date: '28/08/2024' is not a date in the export's format; expected a date like 31 Jul 2024"),
    (lambda t: t.replace('"4,500.50",AUD', '"4.500,50",AUD'),
     "xero.csv, row 9, column Debit: '4.500,50' is not an amount"),
    (lambda t: t.replace('"3,000.00",,AUD', '"3,000.005",,AUD'),
     "xero.csv, row 12, column Debit: 3000.005 has more than 2 decimals"),
    (lambda t: t.replace("Timber,BILL-1,5000,Materials,Direct Costs,Deliveries", "Timber,BILL-1,5000,Materials,Direct Costs,Warehouse"),
     "xero.csv, row 12, column Department: 'Warehouse' is not a department"),
    (lambda t: t.replace('Freight,EXP-1,6900,General Expenses,Expense,Deliveries,"1,334.56",,AUD',
                         'Freight,EXP-1,6900,General Expenses,Expense,Deliveries,"1,334.56",,USD'),
     "xero.csv, row 18, column currency: 'USD' is not the company's currency AUD"),
    (lambda t: t.replace('Total Materials,,,,,,,,"3,000.00"', 'Total Materials,,,,,,,,"3,100.00"'),
     "xero.csv, row 13: the export's 'Total Materials' line says debit / credit 3,100.00 / 0.00 but the postings"),
    (lambda t: t.replace("Date,Source", "When,Source"), "xero.csv: has no header row with the xero columns"),
    (lambda t: t.replace("Timber,BILL-1,5000,Materials,Direct Costs,Deliveries", "Timber,BILL-1,5000,Materials,Direct Costs,"),
     "xero.csv, row 12, column Department: 1 posting to '5000 Materials' has no department (row 12)"),
    (lambda t: t.replace('Sales,,"11,200.00",AUD', 'Sales,"200.00","11,200.00",AUD'),
     "xero.csv, row 7, column Debit: has an amount in both the debit and the credit column"),
])
def test_bad_exports_get_one_clear_line_each_and_nothing_is_written(tmp_path, capsys, change, expected):
    into = folder(tmp_path)
    (tmp_path / "xero.csv").write_text(change(XERO))
    code = main(["import", "--from", "xero", str(tmp_path / "xero.csv"), "--into", str(into)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and not (into / "actuals.csv").exists()
    assert any(line.startswith("error: " + expected) for line in err), err
    assert "Traceback" not in "\n".join(err)


def test_negative_revenue_after_credit_notes_is_refused(tmp_path):
    text = XERO.replace("Receivable Credit Note,Variation refunded,CN-1,4000,Project Revenue,Revenue,Sales,500.00",
                        "Receivable Credit Note,Variation refunded,CN-1,4000,Project Revenue,Revenue,Sales,\"12,000.00\"")
    text = text.replace('Total Project Revenue,,,,,,,,500.00', 'Total Project Revenue,,,,,,,,"12,000.00"')
    text = text.replace('Total,,,,,,,,"11,734.56"', 'Total,,,,,,,,"23,234.56"')
    with pytest.raises(InputError, match="2025Q1 Sales revenue comes to -800.00"):
        _run(tmp_path, "xero", "xero.csv", text)


def test_a_quarter_already_in_actuals_is_replaced_only_with_replace(tmp_path, capsys):
    into, _ = _run(tmp_path, "xero", "xero.csv", XERO)
    changed = XERO.replace("Freight refund,EXP-2,6900,General Expenses,Expense,Deliveries,(100.00)",
                           "Freight refund,EXP-2,6900,General Expenses,Expense,Deliveries,(200.00)")
    changed = changed.replace('Total General Expenses,,,,,,,,"1,234.56"', 'Total General Expenses,,,,,,,,"1,134.56"')
    changed = changed.replace('Total,,,,,,,,"11,734.56"', 'Total,,,,,,,,"11,634.56"')
    (tmp_path / "xero.csv").write_text(changed)
    args = ["import", "--from", "xero", str(tmp_path / "xero.csv"), "--into", str(into)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "actuals.csv, key period: already has 2025Q2" in err and "pass --replace" in err
    assert (into / "actuals.csv").read_text() == EXPECTED
    assert main([*args, "--replace"]) == 0
    out = capsys.readouterr().out
    assert "unchanged: 2025Q1\n" in out and "replaced:  2025Q2\n" in out
    assert "Delivery: opex 1,234.56 -> 1,134.56" in out
    assert "2025Q2,Delivery,0.00,0.00,1134.56" in (into / "actuals.csv").read_text()


def test_quarters_not_in_the_books_are_kept(tmp_path):
    into = folder(tmp_path)
    (into / "actuals.csv").write_text("period,department,revenue,cogs,opex\n2024Q4,Sales,5,0,1.5\n")
    (tmp_path / "xero.csv").write_text(XERO)
    import_books("xero", tmp_path / "xero.csv", into)
    assert (into / "actuals.csv").read_text() == EXPECTED.replace("opex\n", "opex\n2024Q4,Sales,5.00,0.00,1.50\n")


def test_json_summary(tmp_path, capsys):
    import json

    into = folder(tmp_path)
    (tmp_path / "xero.csv").write_text(XERO)
    assert main(["import", "--from", "xero", str(tmp_path / "xero.csv"), "--into", str(into), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["written"] is True and data["export_totals_checked"] == 6
    assert data["quarters"][0] == {"period": "2025Q1", "reconciled": True, "revenue": "10700.00", "cogs": "3000.00",
                                   "opex": "2000.00", "source": {"revenue": "10700.00", "cogs": "3000.00",
                                                                 "opex": "2000.00"}}


# --- accounts.yaml --------------------------------------------------------------------------

BASE = {"departments": {"list": ["Sales", "Office"], "column": "Department"},
        "accounts": [{"codes": [4000, 4999], "line": "revenue"}]}


def problems(data):
    with pytest.raises(InputError) as err:
        parse_accounts(data)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("rules, expected", [
    ([{"code": 4000, "line": "revenue"}, {"code": "4000", "line": "cogs"}],
     "accounts.yaml, key accounts[2].code: 4000 is also in accounts[1]"),
    ([{"codes": [4500, 5500], "line": "cogs"}],
     "accounts.yaml, key accounts[1].codes: overlaps accounts[0] without one range containing the other"),
    ([{"codes": [4000, 4999], "line": "cogs"}], "accounts.yaml, key accounts[1].codes: is the same range as accounts[0]"),
    ([{"codes": [4999, 4000], "line": "cogs"}], "accounts.yaml, key accounts[1].codes: [4999, 4000] runs backwards"),
    ([{"code": 6000, "line": "expense"}], "accounts.yaml, key accounts[1].line: 'expense' is not a line"),
    ([{"code": 6000, "type": "Expense", "line": "opex"}], "accounts.yaml, key accounts[1]: has code and type matcher"),
    ([{"line": "opex"}], "accounts.yaml, key accounts[1]: has no matcher"),
    ([{"code": 6000, "line": "opex", "deparment": "Sales"}], "accounts.yaml, key accounts[1].deparment: is not a key"),
    ([{"code": 6000, "line": "opex", "department": "IT"}], "accounts.yaml, key accounts[1].department: 'IT' is not in"),
    ([{"code": 3100, "line": "excluded", "department": "Sales"}], "accounts.yaml, key accounts[1].department: is given"),
    ([{"name": "*drawings*", "line": "excluded"}, {"name": "*Drawings*", "line": "opex"}],
     "accounts.yaml, key accounts[2].name: '*drawings*' is also in accounts[1]"),
])
def test_accounts_yaml_refuses_ties_and_typos(rules, expected):
    data = {**BASE, "accounts": [*BASE["accounts"], *rules]}
    assert any(p.startswith(expected) for p in problems(data)), problems(data)


@pytest.mark.parametrize("departments, expected", [
    ({"column": "Department"}, "accounts.yaml, key departments.list: is missing or empty"),
    ({"list": ["Sales", "sales"]}, "accounts.yaml, key departments.list[1]: 'sales' is listed twice"),
    ({"list": ["Sales"], "default": "Office"}, "accounts.yaml, key departments.default: 'Office' is not in"),
    ({"list": ["Sales"], "aliases": {"Sls": "Sale"}}, "accounts.yaml, key departments.aliases.Sls: 'Sale' is not in"),
    ({"list": ["Sales"], "colum": "Department"}, "accounts.yaml, key departments.colum: is not a key"),
])
def test_accounts_yaml_checks_departments(departments, expected):
    assert any(p.startswith(expected) for p in problems({**BASE, "departments": departments}))


def test_accounts_yaml_checks_source_and_reports_every_problem_at_once():
    found = problems({"departments": {"list": []}, "accounts": [], "source": {
        "columns": {"date": "When", "debit": "When", "bank": "X"}, "date_format": "%d/%m", "amount_positive": "dr"}})
    assert len(found) == 6, found
    assert "accounts.yaml, key source.date_format: '%d/%m' is not a date format" in "\n".join(found)


def test_the_most_specific_rule_wins():
    mapping = parse_accounts({"departments": {"list": ["Sales"]}, "accounts": [
        {"type": "revenue", "line": "revenue"}, {"name": "*interest*", "line": "excluded"},
        {"codes": [4000, 4999], "line": "revenue"}, {"codes": [4800, 4899], "line": "opex"},
        {"code": "4850", "line": "cogs"}]})
    decide = lambda code, name="X", kind="": mapping.classify(Account(code, name, kind))[0]  # noqa: E731
    assert decide("4850").line == "cogs"                    # code beats range
    assert decide("4810").line == "opex"                    # the narrower range
    assert decide("4100", "Interest").line == "revenue"     # a range beats a name
    assert decide("", "Bank interest", "Revenue").line == "excluded"   # a name beats a type
    assert decide("", "Sales", "REVENUE").line == "revenue"
    assert decide("", "Sales", "Expense") is None


def test_two_name_rules_matching_one_account_are_refused_at_import(tmp_path):
    extra = '  - {name: "*expenses*", line: opex}\n  - {name: "general*", line: excluded}\n'
    text = XERO.replace(",6900,General Expenses,", ",,General Expenses,")
    with pytest.raises(InputError, match=r"'General Expenses' \(first at xero.csv, row 18\) matches accounts\[7\] "
                       r"and accounts\[8\], which disagree"):
        _run(tmp_path, "xero", "xero.csv", text, extra=extra)


# --- amounts --------------------------------------------------------------------------------


def test_amounts_are_read_exactly():
    assert parse_money("(1,234.00)") == Decimal("-1234.00")
    assert parse_money("A$1,234,567.89") == Decimal("1234567.89")
    assert parse_money("-$5") == parse_money("$-5") == Decimal("-5")
    for bad in ("12k", "1,23", "1.234,56", "--5", "(5", "1 2 3 4,5"):
        with pytest.raises(ValueError):
            parse_money(bad)
    assert to_minor(Decimal("0.1") + Decimal("0.2"), 2) == 30
    assert format_minor(-5, 2) == "-0.05"
    assert parse_date("07/01/2024", "%m/%d/%Y") == date(2024, 7, 1)
    with pytest.raises(ValueError, match="not a real calendar date"):
        parse_date("2024-02-30", "%d/%m/%Y")


def test_mapping_problems_stop_the_import_before_the_books_are_read(tmp_path, capsys):
    into = folder(tmp_path, extra="  - {code: 4000, line: revenue}\n  - {code: 4000, line: cogs}\n")
    code = main(["import", "--from", "xero", str(tmp_path / "missing.csv"), "--into", str(into)])
    err = capsys.readouterr().err
    assert code == 2 and "accounts.yaml, key accounts[8].code: 4000 is also in accounts[7]" in err


def test_generic_preset_needs_columns(tmp_path):
    into = folder(tmp_path)
    (tmp_path / "gl.csv").write_text(GENERIC)
    with pytest.raises(InputError, match="the generic preset needs the export's column names"):
        import_books("generic", tmp_path / "gl.csv", into)


def test_into_needs_company_yaml(tmp_path):
    (tmp_path / "x.csv").write_text(XERO)
    with pytest.raises(InputError, match="company.yaml: file not found"):
        import_books("xero", tmp_path / "x.csv", tmp_path)


QBO_NESTED = """\
Test Fitouts
General Ledger
July - December 2024

,Date,Transaction Type,Num,Name,Memo/Description,Split,Amount,Balance
4000 Project Revenue
,07/03/2024,Invoice,1001,Client A,Fit-out stage 1,Accounts Receivable,"-10,700.00",
,10/02/2024,Invoice,1003,Client B,Fit-out stage 2,Accounts Receivable,"-4,500.50",
Total for 4000 Project Revenue,,,,,,,"-15,200.50",
6000 Overheads
6100 Rent
,08/01/2024,Expense,,Landlord,Office rent,Cheque,"2,000.00",
Total for 6100 Rent,,,,,,,"2,000.00",
,11/09/2024,Expense,,Freight Co,Freight,Cheque,"1,234.56",
Total for 6000 Overheads,,,,,,,"3,234.56",
TOTAL,,,,,,,"-11,965.94",
"""


def test_qbo_sub_accounts_nest_inside_their_parents_totals_and_an_xlsx_export(tmp_path):
    import csv
    import io

    import openpyxl

    extra = "  - {code: 6000, line: opex, department: Delivery}\n  - {code: 4000, line: revenue, department: Sales}\n"
    into = folder(tmp_path, column="null", extra=extra)  # no department column: the rules give them
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(QBO_NESTED)):
        book.active.append([float(c.replace(",", "")) if re.fullmatch(r"-?[\d,]+\.\d\d", c) else c or None
                            for c in row])
    book.save(tmp_path / "gl.xlsx")
    result = import_books("qbo", tmp_path / "gl.xlsx", into)
    assert result.totals_checked == 4
    rows = (into / "actuals.csv").read_text().splitlines()
    assert rows[1:4] == ["2025Q1,Sales,10700.00,0.00,0.00", "2025Q1,Delivery,0.00,0.00,0.00",
                         "2025Q1,Office,0.00,0.00,2000.00"]
    assert rows[5] == "2025Q2,Delivery,0.00,0.00,1234.56"


def test_a_parent_total_that_misses_its_sub_account_is_caught(tmp_path):
    extra = "  - {code: 6000, line: opex, department: Delivery}\n  - {code: 4000, line: revenue, department: Sales}\n"
    bad = QBO_NESTED.replace('Total for 6000 Overheads,,,,,,,"3,234.56"', 'Total for 6000 Overheads,,,,,,,"1,234.56"')
    with pytest.raises(InputError, match=r"^gl.csv, row 15: the export's 'Total for 6000 Overheads' line says net 1,234.56 "
                       r"but the postings above it add up to 3,234.56"):
        _run(tmp_path, "qbo", "gl.csv", bad, column="null", extra=extra)


def test_a_lone_date_is_a_posting_without_an_amount_not_a_heading(tmp_path):
    bad = XERO.replace("Materials\n15 Sep", "Materials\n16 Sep 2024\n15 Sep")
    with pytest.raises(InputError, match=r"xero.csv, row 12, column Debit: is empty, and so is the credit column"):
        _run(tmp_path, "xero", "xero.csv", bad)


@settings(deadline=None)
@given(ledger_postings())
def test_every_posting_is_counted_once_or_named(postings):
    """Property: the rows add up to each line's postings, signed by its convention, to the cent."""
    from planning.books.mapping import COUNTED
    from planning.books.quarters import build_actuals
    from planning.periods import period_containing

    mapping = parse_accounts({"departments": {"list": ["Sales", "IT"], "default": "Sales"}, "accounts": [
        {"codes": [1000, 3999], "line": "excluded"}, {"codes": [4000, 4999], "line": "revenue"},
        {"code": 4900, "line": "excluded"}, {"codes": [5000, 5999], "line": "cogs"},
        {"codes": [6000, 6999], "line": "opex"}, {"code": 6100, "line": "opex", "department": "IT"}]})
    books = build_actuals(postings, mapping, 7, "AUD", 2)
    line_of = {"4000": "revenue", "5000": "cogs", "6100": "opex", "6900": "opex"}
    for check in books.checks:
        expected = dict.fromkeys(COUNTED, 0)
        for p in postings:
            if p.account.code in line_of and str(period_containing(p.day, 7)) == check.period:
                line = line_of[p.account.code]
                expected[line] += -p.debit if line == "revenue" else p.debit
        assert check.imported == check.source == expected
    negative = any(v < 0 for row in books.rows.values() for v in row.values())
    assert bool(books.problems) == negative     # only a negative quarter line is refused here


def test_a_quarter_the_export_cuts_off_gets_a_note_and_check_writes_nothing(tmp_path, capsys):
    into = folder(tmp_path)
    (tmp_path / "xero.csv").write_text(XERO)
    assert main(["import", "--from", "xero", str(tmp_path / "xero.csv"), "--into", str(into), "--check"]) == 0
    out = capsys.readouterr().out
    assert ("note: 2025Q2: the postings run from 2024-10-02 to 2024-11-10 but the quarter from 2024-10-01 to "
            "2024-12-31: is the export's date range the whole quarter?") in out
    assert "2025Q1: the postings" not in out
    assert "checked only (--check); nothing written" in out and not (into / "actuals.csv").exists()


def test_the_docstring_examples_hold():
    import doctest

    from planning.books import amounts, mapping

    for module in (amounts, mapping):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("currency, amount, expected, finer", [("JPY", "-12,000", "12000", "-12,000.5"),
                                                               ("KWD", "-1,234.567", "1234.567", "-1,234.5671")])
def test_amounts_are_kept_in_the_currencys_own_minor_unit(tmp_path, currency, amount, expected, finer):
    into = folder(tmp_path, column="Cost centre", extra=GENERIC_SOURCE)
    (into / "company.yaml").write_text(COMPANY.replace("AUD", currency))
    (tmp_path / "gl.csv").write_text(f"Posted;Acct;Ledger name;Cost centre;Value;Ccy\n"
                                     f"2024-07-03;4000;Project Revenue;Sales;{amount};{currency}\n")
    import_books("generic", tmp_path / "gl.csv", into)
    assert f"2025Q1,Sales,{expected},0" in (into / "actuals.csv").read_text()
    (tmp_path / "gl.csv").write_text(f"Posted;Acct;Ledger name;Cost centre;Value;Ccy\n"
                                     f"2024-07-03;4000;Project Revenue;Sales;{finer};{currency}\n")
    with pytest.raises(InputError, match="has more than"):
        import_books("generic", tmp_path / "gl.csv", into, replace=True)


def test_an_unwritable_folder_is_bad_input_and_leaves_nothing(tmp_path, capsys):
    into = folder(tmp_path)
    (into / "actuals.csv").mkdir()          # a folder where the file should go
    (tmp_path / "xero.csv").write_text(XERO)
    assert main(["import", "--from", "xero", str(tmp_path / "xero.csv"), "--into", str(into)]) == 2
    err = capsys.readouterr().err
    assert "error: actuals.csv: cannot be read (Is a directory); expected a CSV file" in err
    assert sorted(p.name for p in into.iterdir()) == ["accounts.yaml", "actuals.csv", "company.yaml"]


def test_beancount_missing_is_a_clear_problem(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "beancount", None)      # as if the [books] extra were not installed
    with pytest.raises(InputError, match=r"--from: beancount needs Beancount, an optional dependency"):
        _run(tmp_path, "beancount", "books.beancount", LEDGER)
