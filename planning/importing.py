"""``planning import`` and ``planning import-staff``: a dataset's files from other systems' exports.

The work is :mod:`planning.books`' (``import_books``, ``import_staff``); this module is the
command line around it: the options, the summary in words or as JSON.
"""

from __future__ import annotations

from pathlib import Path

from planning.commandline import add_command, print_json
from planning.terminal import require_extra

__all__ = ["add_import_commands", "cmd_import", "cmd_import_staff"]


def cmd_import(args) -> int:
    if args.source == "beancount":
        require_extra("import --from beancount")
    from planning.books import import_books, import_dict, import_summary

    result = import_books(args.source, args.file, args.into, args.accounts, replace=args.replace,
                          write=not args.check)
    if args.json:
        print_json(import_dict(result))
    else:
        print("\n".join(import_summary(result)))
    return 0


def cmd_import_staff(args) -> int:
    from planning.books.files import import_staff

    result = import_staff(args.file, args.into, args.mapping, replace=args.replace)
    if args.json:
        print_json({"file": str(result.file), "staff": str(result.staff_path), "people": result.people,
                     "changes": result.changes, "written": result.written})
        return 0
    print(f"{result.people} people in {result.file.name}")
    for change in result.changes:
        print(f"  {change}")
    print(f"wrote {result.staff_path}" if result.written else f"{result.staff_path}: nothing to change")
    return 0


def add_import_commands(sub) -> None:
    """Register ``planning import`` and ``planning import-staff``."""
    p = add_command(sub, "import", cmd_import, "actuals.csv from the books: a general-ledger export or a Beancount ledger",
                    data=False)
    p.add_argument("--from", dest="source", required=True, choices=["xero", "qbo", "myob", "beancount", "generic"],
                   help="the export's preset, or beancount for a Beancount ledger (required)")
    p.add_argument("file", type=Path, metavar="FILE", help="the export (.csv or .xlsx) or the ledger (.beancount)")
    p.add_argument("--accounts", type=Path, metavar="FILE", help="the mapping of accounts (default: INTO/accounts.yaml)")
    p.add_argument("--into", required=True, type=Path, metavar="DIR",
                   help="the dataset folder whose actuals.csv is written (required)")
    p.add_argument("--replace", action="store_true", help="replace quarters actuals.csv already has")
    p.add_argument("--check", action="store_true", help="map and reconcile only; write nothing")

    p = add_command(sub, "import-staff", cmd_import_staff, "staff.csv from a payroll system's employee export",
                    data=False)
    p.add_argument("file", type=Path, metavar="FILE", help="the employee export (.csv or .xlsx)")
    p.add_argument("--mapping", type=Path, metavar="FILE", help="the column mapping (default: INTO/payroll.yaml)")
    p.add_argument("--into", required=True, type=Path, metavar="DIR",
                   help="the dataset folder whose staff.csv is written (required)")
    p.add_argument("--replace", action="store_true", help="update people already in staff.csv")
