"""A Beancount ledger's entries -> postings (pure: the entries come from Beancount's own loader).

An account's code is the ``code`` metadata of its ``open`` directive (``code: "4000"``), its
type the first part of its name (``Income``, ``Expenses``, ``Assets``, ``Liabilities``,
``Equity``), its name the full name (``Income:Projects``). A posting's department is, in this
order: the posting's metadata key ``departments.metadata``, the same key on its transaction,
or a tag of the transaction listed in ``departments.tags``. Beancount's amounts are positive
for debits, as the import counts them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planning.books.amounts import to_minor
from planning.books.gl_export import Posting
from planning.books.mapping import Account, DepartmentMap
from planning.errors import Problem

__all__ = ["ledger_postings"]


def ledger_postings(entries: list[Any], errors: list[Any], departments: DepartmentMap, file: str,
                    digits: int) -> tuple[list[Posting], list[Problem]]:
    """Postings of every transaction in ``entries``; Beancount's own errors become problems.

    Parameters
    ----------
    entries, errors : list
        What ``beancount.loader.load_file`` returned.
    departments : DepartmentMap
        Where departments come from (``metadata``, ``tags``).
    file : str
        The ledger's name, for the problems.
    digits : int
        Digits of the company currency's minor unit.
    """
    from beancount.core import data

    problems = [Problem(_name(getattr(e, "source", None), file), _line(getattr(e, "source", None)), None,
                        f"Beancount: {str(getattr(e, 'message', e)).strip()}") for e in errors]
    codes: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, data.Open):
            code = entry.meta.get("code") if entry.meta else None
            if code is not None:
                codes[entry.account] = str(code).strip()
    postings = []
    key = departments.metadata
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        tagged = sorted({departments.tags[t] for t in entry.tags or () if t in departments.tags})
        for posting in entry.postings:
            where = posting.meta or entry.meta or {}
            line = _line(where)
            if posting.units is None or posting.units.number is None:
                problems.append(Problem(file, line, None, f"the posting to {posting.account} has no amount "
                                        "Beancount could work out; expected an amount"))
                continue
            department = ""
            if key and posting.meta and key in posting.meta:
                department = str(posting.meta[key])
            elif key and entry.meta and key in entry.meta:
                department = str(entry.meta[key])
            elif len(tagged) == 1:
                department = tagged[0]
            elif len(tagged) > 1:
                problems.append(Problem(file, line, "tags", f"the transaction has tags of {len(tagged)} departments "
                                        f"({', '.join(tagged)}); expected one, or {key or 'department'} metadata "
                                        "on each posting"))
                continue
            try:
                amount = to_minor(posting.units.number, digits)
            except ValueError as exc:
                problems.append(Problem(file, line, None, f"the posting to {posting.account}: {exc}"))
                continue
            account = Account(codes.get(posting.account, ""), posting.account, posting.account.split(":")[0])
            postings.append(Posting(entry.date, account, amount, department, posting.units.currency, file, line))
    return postings, problems


def _name(source: Any, file: str) -> str:
    if isinstance(source, dict) and source.get("filename") and not str(source["filename"]).startswith("<"):
        return Path(str(source["filename"])).name
    return file


def _line(source: Any) -> int | None:
    if isinstance(source, dict) and isinstance(source.get("lineno"), int):
        return source["lineno"]
    return None
