"""``accounts.yaml``: which accounts are revenue, cogs, opex or excluded, and which department
a line belongs to (pure: parses the YAML's data, reads no file).

Rules match an account by exact ``code``, by a ``codes: [first, last]`` range, by a ``name``
pattern (``*`` and ``?`` wildcards, any case) or by its ``type``. When several rules match one
account the most specific kind wins: code, then range (the narrowest of nested ranges), then
name, then type. Configurations that leave a tie are refused: the same code, range, name or
type in two rules, or two ranges that overlap without one containing the other, are refused
when the file is read; two name (or type) rules of different outcome that both match an
account in the books are refused at import, naming the account and both rules.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planning.errors import InputError, Problem, quoted

__all__ = ["LINES", "COUNTED", "Account", "Rule", "DepartmentMap", "SourceColumns", "AccountsMap",
           "parse_accounts", "code_key"]

LINES = ("revenue", "cogs", "opex", "excluded")
COUNTED = ("revenue", "cogs", "opex")
MATCHERS = ("code", "codes", "name", "type")
RANK = {"code": 0, "codes": 1, "name": 2, "type": 3}
COLUMN_FIELDS = ("date", "account_code", "account_name", "account_type", "debit", "credit", "amount",
                 "currency")
_NUMERIC_CODE = re.compile(r"^\d+(?:[-. ]\d+)*$")


@dataclass(frozen=True)
class Account:
    """An account as the books name it; ``code`` and ``type`` are '' when the source has none."""

    code: str
    name: str
    type: str = ""

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.code, self.name) if part) or "(no account)"


def code_key(code: str) -> tuple[int, Any]:
    """Sort key of an account code: numeric codes (``4000``, ``4-1000``) by their digits, others
    as text, any case.

    >>> code_key("4-1000"), code_key(" 200 "), code_key("SALES")
    ((0, 41000), (0, 200), (1, 'sales'))
    """
    text = code.strip()
    if _NUMERIC_CODE.match(text):
        return (0, int(re.sub(r"\D", "", text)))
    return (1, text.casefold())


@dataclass(frozen=True)
class Rule:
    """One entry of ``accounts:``; ``where`` is its key path (``accounts[3]``)."""

    where: str
    kind: str                      # code, codes, name or type
    values: tuple                  # codes as keys, a (first, last) range, patterns or types
    line: str
    department: str | None = None

    def matches(self, account: Account) -> bool:
        if self.kind == "code":
            return bool(account.code) and code_key(account.code) in self.values
        if self.kind == "codes":
            if not account.code:
                return False
            key = code_key(account.code)
            first, last = self.values
            return key[0] == first[0] and first <= key <= last
        if self.kind == "name":
            name = account.name.casefold()
            return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.values)
        return account.type.casefold() in self.values

    @property
    def width(self) -> int:
        """How many codes a range spans (narrower ranges win); 0 for other rules."""
        if self.kind != "codes" or self.values[0][0] != 0:
            return 0
        return self.values[1][1] - self.values[0][1]

    def outcome(self) -> tuple[str, str | None]:
        return (self.line, self.department)


@dataclass(frozen=True)
class DepartmentMap:
    """``departments:``: the departments in the order actuals.csv lists them, and where a line's
    department comes from (a column of the export, posting metadata or tags of a ledger)."""

    order: tuple[str, ...]
    column: str | None = None
    metadata: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None

    def resolve(self, written: str) -> str | None:
        """The department a tracking value names, or None when it names none."""
        text = written.strip()
        for name in self.order:
            if name.casefold() == text.casefold():
                return name
        for alias, name in self.aliases.items():
            if alias.casefold() == text.casefold():
                return name
        return None


@dataclass(frozen=True)
class SourceColumns:
    """``source:``: column names for the generic preset (or overriding a preset's), the date format."""

    columns: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    amount_positive: str | None = None


@dataclass(frozen=True)
class AccountsMap:
    """The parsed ``accounts.yaml``."""

    rules: tuple[Rule, ...]
    departments: DepartmentMap
    source: SourceColumns = field(default_factory=SourceColumns)
    file: str = "accounts.yaml"

    def classify(self, account: Account) -> tuple[Rule | None, list[Rule]]:
        """(the rule that decides ``account``, or None; the tied rules when ambiguous)."""
        matching = [r for r in self.rules if r.matches(account)]
        if not matching:
            return None, []
        best = min(RANK[r.kind] for r in matching)
        top = [r for r in matching if RANK[r.kind] == best]
        if best == RANK["codes"]:
            narrowest = min(r.width for r in top)
            top = [r for r in top if r.width == narrowest]
        if len({r.outcome() for r in top}) > 1:
            return None, top
        return top[0], []


def _text_list(value: Any) -> list[str] | None:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int) or not str(item).strip():
            return None
        out.append(str(item).strip())
    return out or None


def parse_accounts(data: Any, file: str = "accounts.yaml") -> AccountsMap:
    """Validate ``accounts.yaml``'s data; raise InputError with one problem per mistake.

    Parameters
    ----------
    data : Any
        What YAML read from the file.
    file : str
        The file's name, for the problems.
    """
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(file, None, key, message))

    if not isinstance(data, dict):
        raise InputError.single(file, "must be a mapping with the keys departments and accounts "
                                "(and optionally source); see docs/data.md")
    for key in data:
        if key not in ("departments", "accounts", "source"):
            bad(str(key), "is not a key of accounts.yaml; expected departments, accounts or source")
    departments = _departments(data.get("departments"), bad)
    known = {n.casefold(): n for n in departments.order} if departments else {}
    rules = _rules(data.get("accounts"), known, bad)
    source = _source(data.get("source"), bad)
    if problems:
        raise InputError(problems)
    return AccountsMap(tuple(rules), departments, source, file)


def _departments(value: Any, bad) -> DepartmentMap | None:
    if not isinstance(value, dict):
        bad("departments", "is missing or not a mapping; expected departments: {list: [Sales, ...], "
            "column: <tracking column>} (see docs/data.md)")
        return None
    for key in value:
        if key not in ("list", "column", "metadata", "tags", "aliases", "default"):
            bad(f"departments.{key}", "is not a key of departments; expected list, column, metadata, tags, "
                "aliases or default")
    order = value.get("list")
    names: list[str] = []
    if not isinstance(order, list) or not order:
        bad("departments.list", "is missing or empty; expected the departments in the order actuals.csv "
            "lists them, like [Sales, Marketing]")
    else:
        for i, name in enumerate(order):
            if not isinstance(name, str) or not name.strip():
                bad(f"departments.list[{i}]", f"{quoted(name)} is not a department name; expected text")
            elif name.strip().casefold() in {n.casefold() for n in names}:
                bad(f"departments.list[{i}]", f"{quoted(name.strip())} is listed twice; expected each department once")
            else:
                names.append(name.strip())
    listed = {n.casefold(): n for n in names}

    def department(key: str, name: Any) -> str | None:
        if not isinstance(name, str) or name.strip().casefold() not in listed:
            bad(key, f"{quoted(name)} is not in departments.list; expected one of {', '.join(names) or '(none)'}")
            return None
        return listed[name.strip().casefold()]

    texts = {}
    for key in ("column", "metadata"):
        text = value.get(key)
        if text is not None and (not isinstance(text, str) or not text.strip()):
            bad(f"departments.{key}", f"{quoted(text)} is not a name; expected the {key} that holds the department")
            text = None
        texts[key] = text.strip() if isinstance(text, str) else None
    maps = {}
    for key in ("tags", "aliases"):
        given = value.get(key) or {}
        maps[key] = {}
        if not isinstance(given, dict):
            bad(f"departments.{key}", f"expected a mapping like {{fulfil: Fulfilment}}, not {quoted(given)}")
            continue
        for written, name in given.items():
            target = department(f"departments.{key}.{written}", name)
            if target is not None:
                maps[key][str(written).strip().lstrip("#")] = target
    default = value.get("default")
    default = None if default is None else department("departments.default", default)
    return DepartmentMap(tuple(names), texts["column"], texts["metadata"], maps["tags"], maps["aliases"], default)


def _rules(value: Any, known: dict[str, str], bad) -> list[Rule]:
    if not isinstance(value, list) or not value:
        bad("accounts", "is missing or empty; expected a list of rules like "
            "- {codes: [4000, 4999], line: revenue}")
        return []
    rules: list[Rule] = []
    for i, item in enumerate(value):
        where = f"accounts[{i}]"
        if not isinstance(item, dict):
            bad(where, f"expected a rule like {{code: 4000, line: revenue}}, not {quoted(item)}")
            continue
        for key in item:
            if key not in (*MATCHERS, "line", "department"):
                bad(f"{where}.{key}", "is not a key of a rule; expected one of code, codes, name, type, "
                    "line, department")
        kinds = [k for k in MATCHERS if k in item]
        if len(kinds) != 1:
            bad(where, f"has {'no' if not kinds else ' and '.join(kinds)} matcher; expected exactly one "
                "of code, codes (a range), name or type")
            continue
        kind = kinds[0]
        line = item.get("line")
        if line not in LINES:
            bad(f"{where}.line", f"{quoted(line)} is not a line; expected one of {', '.join(LINES)}")
            continue
        department = item.get("department")
        if department is not None:
            if line == "excluded":
                bad(f"{where}.department", "is given on an excluded rule; an excluded account has no department")
                continue
            if not isinstance(department, str) or department.strip().casefold() not in known:
                bad(f"{where}.department", f"{quoted(department)} is not in departments.list; expected one of "
                    f"{', '.join(known.values()) or '(none)'}")
                continue
            department = known[department.strip().casefold()]
        values = _matcher_values(kind, item[kind], f"{where}.{kind}", bad)
        if values is not None:
            rules.append(Rule(where, kind, values, line, department))
    _refuse_ties(rules, bad)
    return rules


def _matcher_values(kind: str, raw: Any, key: str, bad) -> tuple | None:
    if kind == "codes":
        if not isinstance(raw, list) or len(raw) != 2 or _text_list(raw) is None:
            bad(key, f"{quoted(raw)} is not a range; expected [first, last] like [4000, 4999] (both included)")
            return None
        first, last = (code_key(c) for c in _text_list(raw))
        if first[0] != last[0]:
            bad(key, f"{quoted(raw)} mixes a numeric and a text code; expected two numeric codes like [4000, 4999]")
            return None
        if first > last:
            bad(key, f"{quoted(raw)} runs backwards; expected [first, last] with first <= last")
            return None
        return (first, last)
    texts = _text_list(raw)
    if texts is None:
        bad(key, f"{quoted(raw)} is not {'a code' if kind == 'code' else 'text'} (or a list of them)")
        return None
    if kind == "code":
        return tuple(code_key(t) for t in texts)
    return tuple(t.casefold() for t in texts)


def _refuse_ties(rules: list[Rule], bad) -> None:
    """Refuse rules that would tie: a value in two rules, partly overlapping ranges."""
    seen: dict[tuple, str] = {}
    for rule in rules:
        if rule.kind == "codes":
            continue
        for value in rule.values:
            key = (RANK[rule.kind], value)
            if key in seen:
                bad(f"{rule.where}.{rule.kind}", f"{_show(rule.kind, value)} is also in {seen[key]}; expected each "
                    f"{rule.kind} in one rule, so that one rule decides")
            else:
                seen[key] = rule.where
    ranges = [r for r in rules if r.kind == "codes"]
    for i, a in enumerate(ranges):
        for b in ranges[:i]:
            (a0, a1), (b0, b1) = a.values, b.values
            if a0[0] != b0[0] or a1 < b0 or b1 < a0:
                continue   # different kinds of code, or disjoint
            if (a0, a1) == (b0, b1):
                bad(f"{a.where}.codes", f"is the same range as {b.where}; expected each range in one rule")
            elif not ((a0 >= b0 and a1 <= b1) or (b0 >= a0 and b1 <= a1)):
                bad(f"{a.where}.codes", f"overlaps {b.where} without one range containing the other; expected "
                    "disjoint ranges, or a narrower range inside a wider one (the narrower wins)")


def _show(kind: str, value: Any) -> str:
    return repr(value[1]) if kind == "code" else repr(value)


def _source(value: Any, bad) -> SourceColumns:
    if value is None:
        return SourceColumns()
    if not isinstance(value, dict):
        bad("source", f"expected a mapping with columns and date_format, not {quoted(value)}")
        return SourceColumns()
    for key in value:
        if key not in ("columns", "date_format", "amount_positive"):
            bad(f"source.{key}", "is not a key of source; expected columns, date_format or amount_positive")
    columns: dict[str, str] = {}
    given = value.get("columns") or {}
    if not isinstance(given, dict):
        bad("source.columns", f"expected a mapping like {{date: Posted, debit: Dr}}, not {quoted(given)}")
        given = {}
    for name, header in given.items():
        if name not in COLUMN_FIELDS:
            bad(f"source.columns.{name}", f"is not a column the import reads; expected one of {', '.join(COLUMN_FIELDS)}")
        elif not isinstance(header, str) or not header.strip():
            bad(f"source.columns.{name}", f"{quoted(header)} is not a column name; expected the header text")
        elif header.strip().casefold() in {h.casefold() for h in columns.values()}:
            bad(f"source.columns.{name}", f"{quoted(header.strip())} is named for two fields; expected one column each")
        else:
            columns[name] = header.strip()
    fmt = value.get("date_format")
    if fmt is not None and not date_format_ok(fmt):
        bad("source.date_format", f"{quoted(fmt)} is not a date format; expected a strptime format like '%d/%m/%Y' "
            "(day, month and year)")
        fmt = None
    positive = value.get("amount_positive")
    if positive not in (None, "debit", "credit"):
        bad("source.amount_positive", f"{quoted(positive)} is not debit or credit; expected which side a positive "
            "amount is")
        positive = None
    return SourceColumns(columns, fmt, positive)


def date_format_ok(fmt: Any) -> bool:
    if not isinstance(fmt, str):
        return False
    sample = date(2024, 7, 31)
    try:
        return datetime.strptime(sample.strftime(fmt), fmt).date() == sample
    except ValueError:
        return False
