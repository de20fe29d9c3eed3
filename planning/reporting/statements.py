"""Personal bonus statements: one small HTML page per eligible person, and an index.

A statement tells one person, in plain words, what they receive for the quarter and why:
the company's result against each gate (and how far it was from each), how the pool was
set, the rule that shares it, and their own inputs (salary, FTE, days in the quarter,
weight, cap) with the arithmetic. It is rendered from a Jinja template with autoescaping,
in this process, for everyone at once: no notebook, no kernel, milliseconds per person.

Statements are private. They are written to their own folder (default
``reports/statements/<period>/``, mode 0700, replaced as a whole on every run), never linked
from the reports' index, with file mode 0600; each file is named after the employee id (made
filename-safe), never the name.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import jinja2

from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.files import CannotWrite, replace_folder
from planning.financials import period_result
from planning.inputs import load_inputs
from planning.methods import sharing_method
from planning.money import format_cents, format_money, format_percent
from planning.provenance import input_hashes
from planning.reporting.content.gates import gate_distances
from planning.reporting.publishing import TEMPLATES_DIR, output_folder
from planning.version import DISTRIBUTION, VERSION
from planning.words import (
    no_bonus_reason,
    pool_sentences,
    sharing_rule_text,
    statement_company_lines,
    statement_gate_lines,
    statement_share_lines,
    weight_sentence,
)
from planning.year import YearResult, bonus_in_year
from planning.year_words import explain_quarter, statement_year_lines

__all__ = ["Statement", "statement_filename", "build_statements", "render_statements", "write_statements"]

FILE_MODE = 0o600
_SAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Statement:
    """One person's statement, as plain text pieces (the template escapes all of them)."""

    employee_id: str
    name: str
    department: str
    role: str
    payout: str
    headline: str
    company_lines: tuple[str, ...]
    gate_lines: tuple[str, ...]
    pool_lines: tuple[str, ...]
    rule: str
    inputs: tuple[tuple[str, str], ...]
    arithmetic: tuple[str, ...]
    filename: str
    year_lines: tuple[str, ...] = ()     # their bonus year so far (plans with ``year:``)


# names Windows refuses for a file, whatever its extension
_RESERVED = {"con", "prn", "aux", "nul", "index", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def statement_filename(employee_id: str, distinguish: bool = False) -> str:
    """A safe file name from an employee id: ``E012.html``.

    Characters other than letters, digits, ``_`` and ``-`` become ``_``, and then (as for an
    id Windows reserves, like ``CON``, for ``index``, or with ``distinguish``, which
    :func:`build_statements` sets for ids that differ only in letter case, ``e1`` and ``E1``,
    one file on macOS and Windows) a short hash of the exact id keeps the names apart.
    """
    safe = _SAFE.sub("_", employee_id)[:40] or "employee"
    if safe != employee_id or distinguish or safe.lower() in _RESERVED:
        safe += "-" + hashlib.sha256(employee_id.encode("utf-8")).hexdigest()[:8]
    return f"{safe}.html"


def build_statements(dataset: Dataset, result: BonusResult, year: YearResult | None = None) -> list[Statement]:
    """A :class:`Statement` for every person eligible in the result's period.

    With ``year`` (the bonus year through this quarter, :func:`planning.year.bonus_in_year`)
    the pool is explained in the year's words, the share is of what is shared now, and each
    statement has the person's year so far (``year_lines``).

    Notes
    -----
    The person's share before any cap is weight / total weight x pool; with an individual
    cap the water-filling of :mod:`planning.bonus` applies (capped people get their cap and
    the rest is shared again), so the statement shows the exact share the engine computed
    and the whole-cent payout.
    """
    cur = result.currency
    m = lambda x: format_cents(x, cur)  # noqa: E731  (to the cent, the currency's minor unit)
    w = lambda x: format_money(x, cur)  # noqa: E731  (whole units)
    distances = gate_distances(result, period_result(dataset, result.period).gross_margin)
    # the gates are checked on the year to date from the second quarter on (domain section 6.1)
    year_to_date = year is not None and year.settle == "year_to_date" and year.quarter(result.period).quarter > 1
    gate_lines = statement_gate_lines(distances, cur, year_to_date)
    company_lines = statement_company_lines(result)
    pool_lines = tuple(pool_sentences(result))  # the attainments and gates are shown above already
    shared = result.pool   # what is shared among people this quarter
    if year is not None:
        pool_lines = tuple(explain_quarter(year, result.period, attainment=False))
        shared = year.quarter(result.period).shared_now
    rule = sharing_rule_text(result.plan)
    people = result.allocations
    total_weight = float(people["weight"].sum())
    d = result.plan.distribution
    anyone_capped = bool(people.loc[people["eligible"], "capped"].any())
    what = "the pool" if year is None or shared == result.pool else f"the {m(shared)} shared now"
    out = []
    method = sharing_method(d)
    for r in people[people["eligible"]].itertuples():
        inputs = [method.statement_base(r._asdict(), w), ("FTE", f"{r.fte:g}"),
                  ("Days employed in the quarter", f"{int(r.days_in)} ({format_percent(r.tenure)} of the quarter)")]
        if r.department_weight != 1:
            inputs.append(("Department weight", f"{r.department_weight:g}"))
        inputs.append(("Your weight", f"{r.weight:,.2f}"))
        inputs.append(("Everyone's weight together", f"{total_weight:,.2f}"))
        if d.individual_cap is not None:
            inputs.append(("Your individual cap", f"{m(r.cap)} ({format_percent(d.individual_cap)} of your salary for the quarter)"))
        arithmetic = [weight_sentence(result.plan, r.weight, r.department_weight, total_weight)]
        if shared > 0:
            arithmetic += statement_share_lines(r, shared, what, anyone_capped, total_weight, cur)
            headline = f"You receive {m(r.payout)} for {result.period}."
        else:
            reason = no_bonus_reason(result, year)
            arithmetic.append(f"Because {reason}, there is nothing to share this quarter.")
            headline = f"There is no success bonus for {result.period}: {reason}."
        out.append(Statement(
            employee_id=str(r.employee_id), name=str(r.name), department=str(r.department), role=str(r.role),
            payout=m(r.payout), headline=headline, company_lines=company_lines, gate_lines=tuple(gate_lines),
            pool_lines=pool_lines, rule=rule, inputs=tuple(inputs), arithmetic=tuple(arithmetic),
            filename=statement_filename(str(r.employee_id)),
            year_lines=() if year is None else tuple(statement_year_lines(year, str(r.employee_id)))))
    # ids that differ only in letter case would be one file on a case-insensitive disk
    folded = Counter(s.filename.casefold() for s in out)
    out = [replace(s, filename=statement_filename(s.employee_id, distinguish=True))
           if folded[s.filename.casefold()] > 1 else s for s in out]
    names = [s.filename.casefold() for s in out]
    if len(set(names)) != len(names):  # cannot happen for valid (unique) ids; guard anyway
        raise InputError([Problem("staff.csv", None, "employee_id", "two ids map to the same statement file name")])
    return out


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


def render_statements(dataset: Dataset, result: BonusResult, plan_path: Path | str | None = None,
                      now: datetime | None = None, year: YearResult | None = None) -> dict[str, str]:
    """Every statement page and the index, as ``{file name: HTML}`` (nothing written)."""
    env = _environment()
    statements = build_statements(dataset, result, year)
    hashes = input_hashes(dataset.sources, plan_path)
    generated = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    context = {"company": dataset.company.name, "period": result.period, "generated": generated,
               "hashes": hashes, "made_by": f"{DISTRIBUTION} {VERSION}"}
    page = env.get_template("statement.html.j2")
    pages = {s.filename: page.render(s=s, **context) for s in statements}
    pages["index.html"] = env.get_template("statements_index.html.j2").render(
        statements=sorted(statements, key=lambda s: (s.department, s.name, s.employee_id)),
        pool=format_cents(result.pool, result.currency), allocated=format_cents(result.allocated, result.currency),
        **context)
    return pages


def write_statements(data: Path | str, period: str, out: Path | str = "reports/statements",
                     plan: Path | str | None = None) -> list[Path]:
    """Validate, then write ``OUT/<period>/<employee id>.html`` for every eligible person and
    ``OUT/<period>/index.html``. Bad input raises InputError and writes nothing.

    The period's folder is published as a whole: the pages are written into a private
    temporary folder beside it (mode 0700, files 0600), which then replaces the previous
    ``OUT/<period>/``. So the folder always holds exactly one run's statements (no page
    left over for someone who is no longer eligible), and a failure half-way leaves the
    previous folder as it was and no temporary folder behind.

    Returns the written paths, the index last. A failure to write (no space, read-only, no
    permission, a name too long) raises :class:`planning.files.CannotWrite` naming the folder.
    """
    inputs = load_inputs(data, plan)
    dataset, the_plan = inputs.dataset, inputs.plan
    p = dataset.require_period(period)
    result, year = bonus_in_year(dataset, p, the_plan)   # with a year: plan, as the year settles the quarter
    pages = render_statements(dataset, result, plan, year=year)  # everything rendered before anything is written
    root = output_folder(out)
    folder = root / str(p)
    try:
        if folder.exists() and not folder.is_dir():
            raise InputError.single("--out", f"{folder} is a file; expected a folder for the statements")
        return replace_folder(folder, pages, FILE_MODE)
    except CannotWrite:
        raise
    except OSError as exc:  # no space, read-only, no permission, a name too long: nothing was published
        raise CannotWrite(folder, exc) from exc

