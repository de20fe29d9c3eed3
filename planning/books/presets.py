"""Column names of the general-ledger exports the import knows (pure data).

Each preset lists, per field, the header texts that export uses (any case); the first header
row that has the required fields is the header, rows above it are the report's title. The
sources of these names are cited in docs/data.md ("Books in").
"""

from __future__ import annotations

from dataclasses import dataclass

from planning.books.mapping import SourceColumns

__all__ = ["Preset", "PRESETS", "resolve_preset"]


@dataclass(frozen=True)
class Preset:
    """How one export names its columns.

    ``accounts_from_headings``: the account is the heading row above its postings (QuickBooks
    Online's General Ledger) when the export has no account column. ``amount_positive``: the
    side a positive signed ``amount`` is on.
    """

    name: str
    columns: dict[str, tuple[str, ...]]
    date_format: str
    department_column: str | None = None
    accounts_from_headings: bool = False
    amount_positive: str = "debit"


PRESETS: dict[str, Preset] = {
    # Xero: Account Transactions / General Ledger Detail report, exported to Excel or CSV, with
    # the Account Code column added; the tracking category is a column named after it.
    "xero": Preset(
        "xero",
        {"date": ("date",), "account_code": ("account code", "code"), "account_name": ("account", "account name"),
         "account_type": ("account type",), "debit": ("debit", "debit (aud)", "debit (source)"),
         "credit": ("credit", "credit (aud)", "credit (source)"),
         "currency": ("currency", "currency code")},
        "%d %b %Y"),
    # QuickBooks Online: the General Ledger report exported to Excel; the account is the heading
    # above its lines ("4000 Sales", then "Total for 4000 Sales"); Amount is positive for debits.
    "qbo": Preset(
        "qbo",
        {"date": ("date",), "account_code": ("account #", "account number", "acct #"),
         "account_name": ("account", "account name", "account full name"), "account_type": ("account type",),
         "debit": ("debit",), "credit": ("credit",), "amount": ("amount",),
         "currency": ("currency",)},
        "%m/%d/%Y", department_column="Class", accounts_from_headings=True),
    # MYOB AccountRight: journal transactions exported from the Import/Export assistant
    # (Account Number like 4-1000, Debit Amount, Credit Amount, Category, Currency Code).
    "myob": Preset(
        "myob",
        {"date": ("date",), "account_code": ("account number", "account no.", "account no", "id no."),
         "account_name": ("account name",), "account_type": ("account type",),
         "debit": ("debit amount", "debit"), "credit": ("credit amount", "credit"), "amount": ("amount",),
         "currency": ("currency code", "currency")},
        "%d/%m/%Y", department_column="Category"),
    # Any export: the columns are named in accounts.yaml (source.columns).
    "generic": Preset("generic", {}, "%Y-%m-%d"),
}


def resolve_preset(name: str, source: SourceColumns) -> Preset:
    """The preset ``name`` with ``accounts.yaml``'s ``source`` overrides applied.

    A column named in ``source.columns`` replaces the preset's names for that field; the
    generic preset has only those. ``source.date_format`` replaces the preset's format.
    """
    base = PRESETS[name]
    columns = dict(base.columns)
    for key, header in source.columns.items():
        columns[key] = (header.casefold(),)
    positive = source.amount_positive or base.amount_positive
    return Preset(base.name, columns, source.date_format or base.date_format, base.department_column,
                  base.accounts_from_headings and "account_code" not in source.columns
                  and "account_name" not in source.columns, positive)
