"""Books in: a quarter's actuals from the owner's accounting software or ledger (issue 15).

``accounts.yaml`` maps accounts to revenue, cogs, opex or excluded and lines to departments
(:mod:`~planning.books.mapping`); a general-ledger export (Xero, QuickBooks Online, MYOB or
named columns, :mod:`~planning.books.gl_export`) or a Beancount ledger
(:mod:`~planning.books.ledger`) gives the postings; :mod:`~planning.books.quarters` totals and
reconciles them; :mod:`~planning.books.merge` merges them into ``actuals.csv``;
:mod:`~planning.books.files` is the only module that reads or writes files. Payroll exports
become ``staff.csv`` through :mod:`~planning.books.payroll`.
"""

from planning.books.files import SOURCES, BooksImport, import_books, load_accounts
from planning.books.mapping import Account, AccountsMap, parse_accounts
from planning.books.summary import import_dict, import_summary

__all__ = ["SOURCES", "Account", "AccountsMap", "BooksImport", "import_books", "import_dict", "import_summary",
           "load_accounts", "parse_accounts"]
