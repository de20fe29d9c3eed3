"""The quarterly report's content: what the template notebook displays, section by section.

The template (``notebooks/quarterly_report.ipynb``) stays thin: it builds one
:class:`QuarterlyReport` from its parameters and displays the sections, each a list of
:class:`Html` fragments and :class:`Chart` PNGs. Both use IPython's rich display protocol
(``_repr_html_``, ``_repr_png_``), so this module never imports IPython and stays testable
without a kernel.

Two audiences
-------------
``owner``
    Everything, including every person's payout and why.
``staff``
    The company's figures, gates, pool and sharing rule, and payouts by department only
    where at least :data:`MIN_GROUP` people share a department's total (see
    :func:`suppressed_department_payouts` and :meth:`QuarterlyReport.hides_paid_out`). No
    salary, no name, no individual payout, nothing that gives one away by subtraction.
    Owner-only sections return nothing for the staff audience, so a staff page cannot show
    them even if a template cell asks.

Escaping
--------
Every piece of text that comes from the data (company, people, departments, roles,
campaigns) passes through :func:`html.escape` in :func:`cell`/:func:`esc` before it
reaches a page; HTML is only ever assembled from escaped text and fixed markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from planning import charts
from planning.bonus import (
    BonusResult,
    GateCheck,
    bonus_for_period,
    explain_payout,
    explain_pool,
    sharing_rule_text,
)
from planning.dataset import Dataset, load_dataset
from planning.errors import InputError, Problem
from planning.financials import PeriodResult, period_result, pnl_table
from planning.funnel import campaign_metrics, funnel_by_period
from planning.money import format_money
from planning.periods import Period
from planning.plan import Plan, load_plan
from planning.provenance import check_input_hashes, input_hashes, provenance

__all__ = [
    "AUDIENCES",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "MIN_GROUP",
    "Html",
    "Chart",
    "Markup",
    "QuarterlyReport",
    "build_report",
    "esc",
    "html_table",
    "gate_distances",
    "suppressed_department_payouts",
    "output_folder",
]

AUDIENCES = ("owner", "staff")
MIN_GROUP = 5
"""Smallest number of eligible people whose combined payout a staff page may show."""

OTHER_DEPARTMENTS = "Other departments"
DEFAULT_SEED = 20260101
DEFAULT_DRAWS = 2000


# --- display objects ----------------------------------------------------------------------


class Markup(str):
    """Text that is already safe HTML (built here from escaped parts); never user input."""


def esc(value: object) -> Markup:
    """Escape any value for HTML text or attributes (``Markup`` passes through)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


class Html:
    """An HTML fragment the notebook displays as ``text/html``."""

    def __init__(self, markup: str):
        self.markup = str(markup)

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<Html {len(self.markup)} characters>"


def _literal_text():
    """Draw every text as written: no matplotlib mathtext, so a name like ``Ops $x^2$`` shows
    as those characters and one like ``$\\foo$`` cannot make a chart (and the report) fail.
    Used both while a figure is built and while it is drawn (tick labels are made then)."""
    return matplotlib.rc_context({"text.parse_math": False})


_PNG_CACHE: OrderedDict[tuple, bytes] = OrderedDict()
_PNG_CACHE_SIZE = 48


class Chart:
    """A matplotlib Figure displayed as an embedded PNG with alt text.

    ``figure`` is a Figure or a function making one. With a ``key`` the PNG is kept in a
    small in-process cache: a kernel that renders the owner and the staff report of a
    quarter draws each shared chart once. Keys carry the SHA-256 of every input, so a
    changed file never reuses a stale picture. The PNG carries no software or date
    metadata, so the same figure gives the same bytes.
    """

    def __init__(self, figure: Figure | Callable[[], Figure], alt: str, dpi: int = 96,
                 key: tuple | None = None):
        self._figure = figure
        self.alt = alt
        self.dpi = dpi
        self.key = None if key is None else (*key, dpi)

    @property
    def figure(self) -> Figure:
        if callable(self._figure):
            with _literal_text():
                self._figure = self._figure()
        return self._figure

    def png(self) -> bytes:
        if self.key is not None and self.key in _PNG_CACHE:
            _PNG_CACHE.move_to_end(self.key)
            return _PNG_CACHE[self.key]
        buffer = io.BytesIO()
        figure = self.figure
        with _literal_text():
            figure.savefig(buffer, format="png", dpi=self.dpi, metadata={"Software": None},
                           facecolor="white")
        data = buffer.getvalue()
        if self.key is not None:
            _PNG_CACHE[self.key] = data
            while len(_PNG_CACHE) > _PNG_CACHE_SIZE:
                _PNG_CACHE.popitem(last=False)
        return data

    def _repr_png_(self):
        return self.png(), {"alt": self.alt}

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png()).decode("ascii")

    def __repr__(self) -> str:
        return f"<Chart {self.alt!r}>"


# --- small HTML helpers -------------------------------------------------------------------


def _tag(name: str, content: object, cls: str | None = None) -> Markup:
    attr = f' class="{esc(cls)}"' if cls else ""
    return Markup(f"<{name}{attr}>{esc(content)}</{name}>")


def html_table(header: list[str] | None, rows: list[list[object]], numeric: set[int] | frozenset = frozenset(),
               cls: str = "pl-table", caption: str | None = None) -> Markup:
    """A table whose every cell is escaped (``Markup`` cells are trusted as built here).

    ``numeric`` lists the column indexes to right-align; ``header=None`` omits the header row.
    """
    def cells(values, tag):
        out = []
        for i, value in enumerate(values):
            align = ' class="num"' if i in numeric else ""
            out.append(f"<{tag}{align}>{esc('' if value is None else value)}</{tag}>")
        return "".join(out)

    head = f"<thead><tr>{cells(header, 'th')}</tr></thead>" if header else ""
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    # The wrapper scrolls sideways instead of clipping a table wider than the page.
    return Markup(f'<div class="pl-scroll"><table class="{esc(cls)}">{cap}{head}<tbody>{body}</tbody></table></div>')


def _badge(passed: bool, yes: str = "passed", no: str = "missed") -> Markup:
    return Markup(f'<span class="pl-badge {"pass" if passed else "miss"}">{esc(yes if passed else no)}</span>')


def _paragraphs(lines: list[str], cls: str | None = None) -> Markup:
    return Markup("".join(_tag("p", line, cls) for line in lines))


def _pct(x: float, digits: int = 1) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x * 100:.{digits}f}%"


def _count(n: float, noun: str) -> str:
    """``1 campaign``, ``3 campaigns``, ``0 leads``."""
    n = int(n)
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _day(d) -> str:
    return f"{d.day} {d:%b %Y}"


def _points(x: float) -> str:
    return f"{x * 100:.1f} points"


def _section(title: str, *parts: str, anchor: str | None = None) -> Html:
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f'<section class="pl-section"{ident}><h2>{esc(title)}</h2>{"".join(parts)}</section>')


# --- pure pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GateDistance:
    """How far the company was from one gate, and what would have closed the gap."""

    gate: GateCheck
    name: str            # "revenue" or "GOP"
    needed: float        # amount the gate asks for: threshold x target
    margin: float        # actual - needed (negative when missed), currency
    closing: tuple[str, ...]  # plain sentences


def gate_distances(result: BonusResult, gross_margin: float) -> list[GateDistance]:
    """Each gate's distance in currency and, for a missed gate, what would close it.

    Notes
    -----
    needed = threshold x target; margin = actual - needed. For a missed GOP gate with
    gap G: G less operating cost, or G / gross margin more revenue at the quarter's gross
    margin (costs of goods growing with revenue). For a missed revenue gate with gap R:
    R more revenue, which at the quarter's gross margin would also add R x margin to GOP.
    """
    cur = result.currency
    m = lambda x: format_money(x, cur)  # noqa: E731
    out = []
    for gate in result.gates:
        name = "revenue" if gate.metric == "revenue" else "GOP"
        needed = gate.threshold * gate.target
        margin = gate.actual - needed
        closing: list[str] = []
        if not gate.passed:
            gap = gate.gap_amount
            if gate.metric == "gop":
                closing.append(f"GOP needed {m(gap)} more to reach the gate.")
                if gross_margin > 0:
                    closing.append(f"That is {m(gap)} less operating cost, or about {m(gap / gross_margin)} more "
                                   f"revenue at this quarter's gross margin of {_pct(gross_margin)}, "
                                   "or a mix of the two.")
                else:
                    closing.append(f"That is {m(gap)} less operating or direct cost; at this quarter's gross "
                                   "margin more revenue alone would not close it.")
            else:
                closing.append(f"Revenue needed {m(gap)} more to reach the gate.")
                if gross_margin > 0:
                    closing.append(f"At this quarter's gross margin of {_pct(gross_margin)} that revenue would "
                                   f"also have added about {m(gap * gross_margin)} to GOP.")
        out.append(GateDistance(gate, name, needed, margin, tuple(closing)))
    return out


def suppressed_department_payouts(by_department: pd.DataFrame, min_group: int = MIN_GROUP
                                  ) -> tuple[pd.DataFrame, list[str]]:
    """Payouts by department safe to show to all staff.

    Parameters
    ----------
    by_department : DataFrame
        Indexed by department with columns ``eligible`` (count) and ``payout``
        (:meth:`planning.bonus.BonusResult.by_department`).
    min_group : int
        The smallest group whose total may be shown.

    Returns
    -------
    (table, combined)
        ``table`` has columns ``group``, ``departments`` (count), ``eligible`` and ``payout``;
        ``combined`` lists the departments folded into the one ``Other departments`` row.

    Notes
    -----
    Departments without eligible people receive nothing and are left out. A department
    with fewer than ``min_group`` eligible people is never shown alone (primary
    suppression). Because the total pool is public, a single hidden department could be
    worked out by subtraction, so hidden departments are shown only as one combined row,
    and while that row would stand for a single department or for fewer than ``min_group``
    people, the smallest shown department (fewest eligible, then name) is folded into it
    too (secondary suppression). If everything ends up combined, the table is one row for
    all departments.
    """
    frame = by_department[by_department["eligible"] > 0][["eligible", "payout"]].copy()
    hidden = {d for d, n in frame["eligible"].items() if n < min_group}
    visible = [d for d in frame.index if d not in hidden]

    def too_revealing() -> bool:
        return bool(hidden) and (len(hidden) == 1 or frame.loc[sorted(hidden), "eligible"].sum() < min_group)

    while too_revealing() and visible:
        smallest = min(visible, key=lambda d: (int(frame.at[d, "eligible"]), str(d)))
        visible.remove(smallest)
        hidden.add(smallest)
    rows = [{"group": str(d), "departments": 1, "eligible": int(frame.at[d, "eligible"]),
             "payout": float(frame.at[d, "payout"])} for d in sorted(visible, key=str)]
    combined = sorted(hidden, key=str)
    if combined:
        label = "All departments" if not visible else OTHER_DEPARTMENTS
        cents = int(np.round(frame.loc[combined, "payout"].to_numpy() * 100).sum())
        rows.append({"group": label, "departments": len(combined),
                     "eligible": int(frame.loc[combined, "eligible"].sum()), "payout": cents / 100})
    table = pd.DataFrame(rows, columns=["group", "departments", "eligible", "payout"])
    return table, combined


def output_folder(path: Path | str, option: str = "--out") -> Path:
    """Create ``path`` if needed and make sure files can be written into it.

    Raises
    ------
    InputError
        One line naming ``option`` when the path is a file, lies under a file, or cannot be
        created or written to; raised before any report or statement is rendered.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError.single(option, f"{folder} is a file; expected a folder for the output") from None
    except NotADirectoryError:
        raise InputError.single(option, f"{folder} lies under a file, not a folder; expected a folder "
                                "for the output") from None
    except OSError as exc:
        raise InputError.single(option, f"cannot create the folder {folder} ({exc.strerror or exc}); "
                                "expected a folder you can write to") from None
    if not folder.is_dir():
        raise InputError.single(option, f"{folder} is not a folder; expected a folder for the output")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError.single(option, f"cannot write into {folder}; expected a folder you can write to")
    return folder


# --- the report ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class QuarterlyReport:
    """One period's report for one audience; its methods are the template's sections."""

    dataset: Dataset
    period: Period
    audience: str
    plan: Plan
    bonus: BonusResult
    result: PeriodResult
    pnl: pd.DataFrame
    parameters: dict
    plan_path: str | None = None
    fingerprint: str = ""
    seed: int = DEFAULT_SEED
    draws: int = DEFAULT_DRAWS

    # -- helpers --
    @property
    def currency(self) -> str:
        return self.dataset.company.currency

    @property
    def is_owner(self) -> bool:
        return self.audience == "owner"

    def money(self, x: float, decimals: int = 0) -> str:
        """An amount with its currency, for sentences."""
        return format_money(x, self.currency, decimals)

    def num(self, x: float, decimals: int = 0) -> str:
        """An amount without the currency, for table cells under a ``(CUR)`` header."""
        return format_money(x, "", decimals)

    @property
    def label(self) -> str:
        return str(self.period)

    def chart(self, name: str, make: Callable[[], Figure], alt: str) -> Chart:
        """A chart of this period's inputs, cached by (inputs' SHA-256, period, name)."""
        return Chart(make, alt, key=(self.fingerprint, self.label, name) if self.fingerprint else None)

    @property
    def eligible(self) -> pd.DataFrame:
        a = self.bonus.allocations
        return a[a["eligible"]]

    def sharers_by_department(self) -> pd.DataFrame:
        """Per department: ``eligible`` = people who can actually take part of the pool
        (eligible, a weight above 0 and an individual cap of at least a cent) and their
        ``payout``. Someone eligible with no weight receives nothing, so they cannot make
        a group look bigger than the people its total is shared by."""
        a = self.bonus.allocations
        sharing = a["eligible"] & (a["weight"] > 0) & (a["cap"] >= 0.01)
        frame = a.assign(eligible=sharing).groupby("department").agg(
            eligible=("eligible", "sum"), payout=("payout", "sum"))
        frame["payout"] = frame["payout"].round(2)
        return frame

    @property
    def hides_paid_out(self) -> bool:
        """Staff only: the amount paid out (and so GOP after the bonus) would be a figure
        about fewer than :data:`MIN_GROUP` people that the public pool does not already
        give away. That happens when caps kept part of the pool back: the amount paid is
        then the caps of a few people, which are a fixed share of their salaries."""
        if self.is_owner or self.bonus.unallocated <= 0 or self.bonus.allocated <= 0:
            return False
        return int(self.sharers_by_department()["eligible"].sum()) < MIN_GROUP

    # -- sections --
    def title(self) -> list:
        """The page heading and the quarter's verdict in one sentence."""
        company = self.dataset.company.name
        p = self.period
        who = "for the owner (confidential: contains every person's payout)" if self.is_owner \
            else f"for everyone at {company}"
        b = self.bonus
        if b.gates_passed and b.pool > 0:
            opening = "Every gate was passed" if b.gates else "This plan has no gates"
            verdict = (f"{opening}: the company earns a success bonus pool of {self.money(b.pool)}, "
                       f"shared by {len(self.eligible)} eligible {'person' if len(self.eligible) == 1 else 'people'}.")
            cls = "pass"
        elif b.gates_passed:
            opening = "Every gate was passed" if b.gates else "This plan has no gates"
            verdict = (f"{opening}, but under the plan's rules there is nothing to share this "
                       "quarter (see the bonus pool below).")
            cls = "miss"
        else:
            missed = [g.name for g in gate_distances(b, self.result.gross_margin) if not g.gate.passed]
            which = f"{missed[0]} gate was" if len(missed) == 1 else f"{' and '.join(missed)} gates were"
            verdict = f"The {which} missed, so there is no success bonus this quarter."
            cls = "miss"
        cards = [
            ("Revenue", self.money(b.revenue), f"{_pct(b.revenue_attainment)} of target {self.money(b.revenue_target)}",
             b.revenue_attainment >= 1),
            ("GOP", self.money(b.gop), f"{_pct(b.gop_attainment)} of target {self.money(b.gop_target)}",
             b.gop_attainment >= 1),
            ("Bonus pool", self.money(b.pool), "shared by everyone eligible" if b.pool else "nothing to share",
             b.pool > 0),
        ]
        card_html = "".join(
            f'<div class="pl-card {"pass" if ok else "miss"}"><div class="pl-card-label">{esc(name)}</div>'
            f'<div class="pl-card-value">{esc(value)}</div><div class="pl-card-note">{esc(note)}</div></div>'
            for name, value, note, ok in cards)
        markup = (f'<header class="pl-header"><h1>{esc(company)}</h1>'
                  f'<p class="pl-subtitle">Quarterly report {esc(self.label)} '
                  f'({esc(_day(p.start))} to {esc(_day(p.end))}), {esc(who)}</p>'
                  f'<p class="pl-verdict {cls}">{esc(verdict)}</p>'
                  f'<div class="pl-cards">{card_html}</div></header>')
        return [Html(markup)]

    def how_to_read(self) -> list:
        """A short guide for a reader with no finance training, in this company's words:
        its departments, its plan's gates and how its plan sets the pool."""
        departments = sorted({str(d) for d in self.dataset.staff["department"]}
                             | {str(d) for d in self.dataset.actuals["department"]}, key=str.casefold)
        if len(departments) > 8:
            listed = ", ".join(departments[:7]) + f" and {len(departments) - 7} more"
        elif len(departments) > 1:
            listed = ", ".join(departments[:-1]) + " and " + departments[-1]
        else:
            listed = "".join(departments)
        gates = [name for name, level in (("revenue", self.plan.gates.revenue), ("GOP", self.plan.gates.gop))
                 if level is not None]
        if len(gates) == 2:
            when = "When the company reaches <strong>both</strong> gates below"
        elif gates:
            when = f"When the company reaches the {gates[0]} gate below"
        else:
            when = "Under this plan, which has no gates"
        basis = {"excess_gop_share": "part of the profit it made above its GOP target",
                 "gop_share": "a share of its GOP",
                 "payout_curve": "an amount set by the plan's payout curve"}[self.plan.pool.method]
        text = (f"<strong>How to read this report.</strong> Every department ({esc(listed)}) works towards the "
                "same two company targets: <em>revenue</em> (what customers paid) and <em>GOP</em>, gross "
                "operating profit (revenue less the direct cost of the work and the operating expenses). "
                f"{when}, {esc(basis)} becomes a <em>success bonus pool</em> that is shared by everyone "
                "eligible. Green means a target or gate was reached, red means it was missed.")
        return [Html(f'<p class="pl-guide">{text}</p>')]

    def results(self) -> list:
        """The P&L against both targets, against the previous quarter, and the trend."""
        r = self.result
        prev_label = str(self.period.previous())
        prev = self.pnl.loc[prev_label] if prev_label in self.pnl.index else None

        def row(label, key, target=None, attainment=None):
            now = getattr(r, key)
            compare = [] if prev is None else [self.num(float(prev[key])), self.num(now - float(prev[key]))]
            return [label, self.num(now), *compare,
                    "" if target is None else self.num(target), "" if attainment is None else _pct(attainment)]

        rows = [
            row("Revenue", "revenue", r.revenue_target, r.revenue_attainment),
            row("Cost of goods sold", "cogs"),
            row("Gross profit", "gross_profit"),
            row("Operating expenses", "opex"),
            row("GOP (gross operating profit, before the bonus)", "gop", r.gop_target, r.gop_attainment),
        ]
        cur = f" ({self.currency})"
        compare = [] if prev is None else [prev_label + cur, "change" + cur]
        table = html_table([self.currency, self.label + cur, *compare, "target" + cur, "of target"], rows,
                           numeric=set(range(1, 4 + len(compare))))
        margin = (f"Gross margin this quarter: {_pct(r.gross_margin)} of revenue." if r.revenue > 0
                  else "There was no revenue this quarter, so there is no gross margin.")
        lines = ["Every department shares the same two targets: the company's revenue and its GOP "
                 "(what is left of revenue after direct costs and operating expenses).", margin]
        if prev is None:
            lines.append(f"There are no actuals for {prev_label}, so there is no earlier quarter to compare with.")
        intro = _paragraphs(lines)
        up_to = self.pnl.loc[: self.label]
        return [
            _section("How the quarter went", intro, table, anchor="results"),
            self.chart("pnl", lambda: charts.pnl_vs_targets(up_to, self.currency, highlight=self.label),
                       f"Revenue and GOP per quarter against their targets, {self.label} outlined"),
            self.chart("attainment", lambda: charts.attainment_trend(
                up_to, {"revenue": self.plan.gates.revenue, "gop": self.plan.gates.gop}),
                "Revenue and GOP attainment per quarter against the gates"),
        ]

    def gates(self) -> list:
        """Each gate, passed or missed, by how much, and what would close a gap."""
        distances = gate_distances(self.bonus, self.result.gross_margin)
        if not distances:
            return [_section("The gates", _paragraphs(["This plan has no gates: the pool does not "
                                                       "depend on reaching a target."]), anchor="gates")]
        rows = []
        for d in distances:
            g = d.gate
            if g.passed:
                how = f"passed by {_points(g.attainment - g.threshold)} ({self.money(d.margin)} to spare)"
            else:
                how = f"missed by {_points(g.shortfall)} ({self.money(g.gap_amount)} short)"
            rows.append([f"{d.name.capitalize() if d.name == 'revenue' else d.name} at least {_pct(g.threshold, 0)} of target",
                         self.num(d.needed), self.num(g.actual), _pct(g.attainment), _badge(g.passed),
                         how])
        cur = f" ({self.currency})"
        table = html_table(["gate", "needed" + cur, "achieved" + cur, "attainment", "result", "by how much"], rows,
                           numeric={1, 2, 3})
        lines = ["The bonus pays only when every gate holds."]
        for d in distances:
            lines.extend(d.closing)
        return [_section("The gates", table, _paragraphs(lines), anchor="gates")]

    def pool(self) -> list:
        """The pool: how it was set, every limit that bit, its cost and GOP after it."""
        b = self.bonus
        names = {"floor": "Minimum pool (floor) raised it", "cap": "Pool cap limited it",
                 "self_funding": "Self-funding (never more than GOP above target) limited it"}
        rows = [["Raw pool (before limits)", self.money(b.raw_pool, 2)]]
        rows += [[names[x.name], f"{self.money(x.before, 2)} to {self.money(x.after, 2)}"] for x in b.limits]
        rows += [["Bonus pool", self.money(b.pool, 2)]]
        lines = explain_pool(b)
        if self.hides_paid_out:
            # the sentence on the unpaid part would give the paid part away by subtraction
            lines = [line for line in lines if "could not be paid" not in line]
            lines.append(f"Fewer than {MIN_GROUP} people share the pool and individual caps kept part of it "
                         "back, so the amount paid out (and GOP after the bonus) would show their pay. "
                         "It is not shown here; each person's statement gives their own payout.")
            rows += [["Paid out, not paid, GOP after the bonus", f"not shown (fewer than {MIN_GROUP} people)"]]
        else:
            rows += [["Paid out", self.money(b.allocated, 2)],
                     ["Not paid (stays with the company)", self.money(b.unallocated, 2)]]
        rows += [["The pool as a share of GOP", _pct(b.pool_share_of_gop)],
                 ["The pool as a share of GOP above target", _pct(b.pool_share_of_excess_gop)]]
        if b.unallocated > 0 and b.allocated > 0 and not self.hides_paid_out and b.gop > 0:
            # what the bonus really costs when caps kept part of the pool back
            rows += [["Cost of the bonus (paid out) as a share of GOP", _pct(b.allocated / b.gop)]]
        if not self.hides_paid_out:
            rows += [["GOP after the bonus", self.money(b.gop_after_bonus, 2)]]
        if not b.limits and b.gates_passed:
            rows.insert(1, ["Limits", "none bit this quarter"])
        table = html_table(None, rows, numeric={1}, cls="pl-table pl-kv")
        return [
            _section("The bonus pool", _paragraphs(lines), table, anchor="pool"),
            self.chart("waterfall", lambda: charts.bonus_waterfall(b, figsize=(8, 3.4)),
                       "From GOP to the bonus pool: target, GOP above target, raw pool, limits, pool"),
        ]

    def sharing_rule(self) -> list:
        """How the pool is shared and who is eligible, in words."""
        d = self.plan.distribution
        a = self.bonus.allocations
        lines = [sharing_rule_text(self.plan)]
        rules = ["People marked bonus-eligible share the pool"]
        if d.require_employed_at_period_end:
            rules.append("if they were still employed on the quarter's last day")
        if d.min_days_in_period:
            rules.append(f"and worked at least {d.min_days_in_period} days of it")
        lines.append(" ".join(rules) + ".")
        lines.append(f"This quarter {int(a['eligible'].sum())} of the {len(a)} people on the staff list were eligible.")
        lines.append("Every payout is a whole number of cents and the payouts add up exactly to the amount paid "
                     "out; leftover cents go to the largest remainders.")
        return [_section("How the pool is shared", _paragraphs(lines), anchor="sharing")]

    def payouts_by_department(self) -> list:
        """Owner: every department's headcount, eligible people and payout."""
        if not self.is_owner:
            return []
        table = self.bonus.by_department()
        total = self.bonus.allocated
        rows = [[dept, int(r.people), int(r.eligible), self.num(r.payout, 2),
                 _pct(r.payout / total) if total else "n/a"] for dept, r in table.iterrows()]
        return [
            _section("Payouts by department", html_table(
                ["department", "people", "eligible", f"paid ({self.currency})", "share of payouts"], rows,
                numeric={1, 2, 3, 4}),
                anchor="departments"),
            self.chart("departments", lambda: charts.payouts_by_department(self.bonus, figsize=(8, 3.0)),
                       "Total payout per department"),
        ]

    def staff_payouts_by_department(self) -> list:
        """Staff: payouts by department with small groups suppressed."""
        if self.is_owner:
            return []
        table, combined = suppressed_department_payouts(self.sharers_by_department())
        hide = self.hides_paid_out
        rows = [[r.group, int(r.eligible), "not shown" if hide else self.num(r.payout, 2)]
                for r in table.itertuples()]
        note = (f"To protect privacy, a department's total is shown only when at least {MIN_GROUP} people "
                "share it (people who are eligible and can take part of the pool). Smaller departments are combined, and because the total pool is public, "
                "a department is also combined whenever showing it would let a smaller one be worked out "
                "by subtraction. No one's salary or individual payout appears in this report; each person "
                "receives their own statement.")
        parts = [html_table(["group", "people sharing", f"paid ({self.currency})"], rows, numeric={1, 2}),
                 _paragraphs([note], "pl-note")]
        if combined:
            label = table["group"].iloc[-1]
            parts.insert(1, _paragraphs([f"{label}: {', '.join(combined)}."], "pl-muted"))
        out = [_section("Payouts by department", *parts, anchor="departments")]
        if len(table) and table["payout"].sum() > 0 and not hide:
            out.append(self.chart("department-groups", lambda: charts.grouped_payouts_chart(table, self.currency),
                                  "Total payout per department group (small groups combined)"))
        return out

    def payouts_by_person(self) -> list:
        """Owner: every person's payout, the weight behind it, and the explanation."""
        if not self.is_owner:
            return []
        a = self.bonus.allocations.sort_values(["department", "name", "employee_id"])
        total_weight = float(a["weight"].sum())
        rows = []
        for r in a.itertuples():
            # the payout next to the name: a long name, department or role can push the last
            # columns of a wide table out of sight
            rows.append([r.employee_id, r.name, self.num(r.payout, 2), "yes" if r.eligible else f"no: {r.reason}",
                         r.department, r.role, f"{r.fte:g}", int(r.days_in),
                         _pct(r.weight / total_weight, 2) if total_weight > 0 and r.eligible else "",
                         "cap" if r.capped else ""])
        table = html_table(["id", "name", f"payout ({self.currency})", "eligible", "department", "role", "FTE",
                            "days in quarter", "share of weight", "capped"], rows, numeric={2, 6, 7, 8})
        pool_text = " ".join(explain_pool(self.bonus))
        details = []
        for r in a[a["eligible"]].itertuples():
            text = explain_payout(self.bonus, r.employee_id)
            text = text[len(pool_text):].strip() if text.startswith(pool_text) else text
            details.append(f"<details><summary>{esc(r.name)} ({esc(r.department)}): "
                           f"{esc(self.money(r.payout, 2))}</summary><p>{esc(text)}</p></details>")
        explain = (_paragraphs(["Why each person receives what they do (open a name):"])
                   + Markup("".join(details))) if details else _paragraphs(["Nobody was eligible this quarter."])
        return [_section("Payouts by person", table, explain, anchor="people")]

    def marketing(self) -> list:
        """Marketing's funnel and each campaign's return on the shared targets."""
        campaigns = campaign_metrics(self.dataset, self.period)
        if campaigns.empty:
            return [_section("Marketing", _paragraphs(["No marketing funnel data for this quarter."]),
                             anchor="marketing")]
        rows = []
        for c in campaigns.sort_values("roi", ascending=False, na_position="last").itertuples():
            rows.append([c.campaign, c.channel, self.num(c.spend), int(c.leads), int(c.qualified), int(c.won),
                         self.num(c.revenue), "" if not np.isfinite(c.cost_per_lead) else self.num(c.cost_per_lead),
                         _pct(c.lead_to_win), _pct(c.roi, 0), _badge(not c.flagged, "ok", "flagged")])
        cur = f" ({self.currency})"
        table = html_table(["campaign", "channel", "spend" + cur, "leads", "qualified", "won", "revenue" + cur,
                            "cost per lead" + cur, "lead-to-win", "ROI", ""], rows, numeric=set(range(2, 10)))
        flagged = campaigns[campaigns["flagged"]]
        total = funnel_by_period(self.dataset).loc[self.label]
        lines = [f"Marketing spent {self.money(total['spend'])} on {_count(total['campaigns'], 'campaign')}, which "
                 f"brought {_count(total['leads'], 'lead')} and {_count(total['won'], 'win')} worth "
                 f"{self.money(total['revenue'])} "
                 f"({_pct(total['share_of_revenue_target'])} of the revenue target).",
                 "ROI is the gross profit a campaign's revenue brings at the quarter's gross margin, less its spend, "
                 "divided by its spend."]
        if len(flagged):
            lines.append(f"{len(flagged)} campaign{'s' if len(flagged) > 1 else ''} spent "
                         f"{self.money(flagged['spend'].sum())} and won nothing: "
                         f"{', '.join(flagged['campaign'])}. That money reached neither target.")
        else:
            lines.append("Every campaign that spent money won some revenue.")
        upto = funnel_by_period(self.dataset)
        upto = upto.loc[[p for p in upto.index if self.dataset.period(p) <= self.period]]
        out = [
            _section("Marketing: leads that become revenue and profit", _paragraphs(lines), table,
                     anchor="marketing"),
            self.chart("campaign-roi", lambda: charts.campaign_roi_chart(
                campaigns.assign(period=""), figsize=(8, 1.3 + 0.35 * len(campaigns))),
                "Return on each campaign; campaigns that spent money and won nothing in red"),
        ]
        if upto["leads"].sum() > 0:  # without a single lead there is no funnel to draw (and no rate)
            out.append(self.chart("funnel", lambda: charts.funnel_chart(upto),
                                  "Leads, qualified leads and wins per quarter, and the lead-to-win rate"))
        return out

    def _outlook_scenario(self):
        """The base scenario projected from this quarter, and a note on the targets used."""
        from planning.scenarios import scenario_set

        nxt = self.period.next()
        scenario = replace(scenario_set(self.dataset).get("base"), base_period=self.label)
        note = ""
        has_targets = str(nxt) in set(self.dataset.targets["period"]) or str(nxt) in scenario.targets
        if not has_targets:
            scenario = replace(scenario, targets={**scenario.targets, str(nxt): {
                "revenue_target": self.result.revenue_target, "gop_target": self.result.gop_target}})
            note = (f"There are no targets for {nxt} yet, so the odds are measured against this "
                    f"quarter's targets.")
        return nxt, scenario, note

    def outlook(self) -> list:
        """Owner: next quarter's odds from the seeded Monte Carlo of the base scenario."""
        if not self.is_owner:
            return []
        from planning.montecarlo import simulate

        title = "Next quarter's odds"
        try:
            nxt, scenario, note = self._outlook_scenario()
            mc = simulate(self.dataset, nxt, scenario, draws=self.draws, seed=self.seed, plan=self.plan)
        except InputError as exc:
            return [_section(title, _paragraphs(["The outlook could not be computed from this quarter:"]
                                                + [str(p) for p in exc.problems], "pl-note"), anchor="outlook")]
        has_file = self.dataset.scenarios is not None
        start = (f"{self.label} with the changes of the base scenario in scenarios.yaml" if scenario.drivers
                 else f"{self.label} as it was")
        if scenario.uncertainty:
            lines = [f"If {nxt} starts from {start}, with the ups and downs the base scenario in "
                     f"scenarios.yaml allows, the bonus pays in {_pct(mc.p_pays, 0)} of {mc.draws:,} "
                     "simulated quarters.",
                     f"Drivers that vary: {', '.join(_driver_label(d) for d in sorted(scenario.uncertainty))}. "
                     f"Seed {mc.seed}: the same "
                     "seed always gives the same odds."]
        else:
            where = ("the base scenario in scenarios.yaml says nothing about how a quarter can vary" if has_file
                     else "this dataset has no scenarios.yaml to say how a quarter can vary")
            verdict = ("the bonus would pay" if mc.p_pays >= 1 else "the bonus would not pay" if mc.p_pays <= 0
                       else f"the bonus pays in {_pct(mc.p_pays, 0)} of the simulated quarters")
            lines = [f"This is a projection, not odds: {where}, so every simulated quarter is {nxt} starting "
                     f"from {start}, and {verdict}.",
                     "To see real odds, give the base scenario an uncertainty for its drivers in scenarios.yaml "
                     "(see docs/scenarios.md)."]
        if note:
            lines.append(note)
        rows = [["Revenue gate passes", _pct(mc.p_revenue_gate, 0)],
                ["GOP gate passes", _pct(mc.p_gop_gate, 0)],
                ["Both pass (the bonus pays)", _pct(mc.p_gates_passed, 0)],
                ["Expected pool", self.money(mc.expected_pool)],
                ["Pool: 1 in 10 quarters below", self.money(mc.pool_p10)],
                ["Pool: median", self.money(mc.pool_p50)],
                ["Pool: 1 in 10 quarters above", self.money(mc.pool_p90)],
                ["Expected GOP after the bonus", self.money(mc.expected_gop_after_bonus)]]
        return [
            _section(f"{title}: {nxt}", _paragraphs(lines), html_table(None, rows, numeric={1}, cls="pl-table pl-kv"),
                     anchor="outlook"),
            Chart(lambda: charts.pool_distribution(mc.pools, self.currency, mc.p_pays, figsize=(8, 3.0)),
                  f"Simulated bonus pools for {nxt}", key=(self.fingerprint, self.label, "outlook", self.seed,
                                                          self.draws) if self.fingerprint else None),
        ]

    def sensitivity(self) -> list:
        """Owner: which drivers move next quarter's pool most (a tornado, each driver +-10%)."""
        if not self.is_owner:
            return []
        from planning.scenarios import DRIVERS, sensitivity

        title = "What moves next quarter's pool most"
        try:
            nxt, scenario, _ = self._outlook_scenario()
            table = sensitivity(self.dataset, nxt, scenario, change=0.1, output="pool", plan=self.plan)
        except InputError as exc:
            return [_section(title, _paragraphs(["The sensitivity could not be computed:"]
                                                + [str(p) for p in exc.problems], "pl-note"), anchor="sensitivity")]
        labels = {name: d.label for name, d in DRIVERS.items()}
        rows = [[labels.get(str(d), str(d)), self.num(r.low), self.num(r.high), self.num(r.swing)]
                for d, r in table.iterrows()]
        base = float(table["base"].iloc[0]) if len(table) else 0.0
        lines = [f"Each driver moved 10% down and up from the base projection for {nxt} (rates such as the "
                 f"gross margin by 10% of their value), everything else unchanged. The base projection's "
                 f"pool is {self.money(base)}."]
        if len(table) and table["swing"].iloc[0] > 0:
            lines.append(f"The pool depends most on {labels.get(str(table.index[0]), table.index[0])}.")
        cur = f" ({self.currency})"
        return [
            _section(title, _paragraphs(lines), html_table(["driver", "pool, driver down" + cur, "pool, driver up" + cur,
                                                            "swing" + cur], rows, numeric={1, 2, 3}),
                     anchor="sensitivity"),
            self.chart("tornado", lambda: charts.tornado_chart(table, labels, self.currency),
                       f"Tornado: the pool for {nxt} with each driver 10% down and up"),
        ]

    def provenance(self) -> list:
        """The appendix: parameters, seed, input hashes, package versions, commit, time."""
        info = provenance(self.parameters, self.dataset.sources, self.plan_path)
        params = [[k, "(none)" if v is None else (", ".join(f"{a}: {b[:12]}…" for a, b in v.items())
                                                    if isinstance(v, dict) else v)]
                  for k, v in info["parameters"].items() if k != "inputs_sha256"]
        inputs = [[name, digest] for name, digest in info["inputs"].items()]
        versions = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
        facts = [["seed", info["seed"]], ["code commit", info["code_commit"] or "not a git checkout"],
                 ["data commit", info["data_commit"] or "not in a git repository"],
                 ["packages", versions], ["generated (UTC)", info["generated_utc"]]]
        return [_section(
            "Appendix: where these numbers come from",
            _paragraphs(["The same input files, parameters and seed always give the same numbers. "
                         "Check a file against its SHA-256 with sha256sum (or Get-FileHash on Windows)."]),
            html_table(["parameter", "value"], params, cls="pl-table pl-kv"),
            html_table(["input file", "SHA-256"], inputs, cls="pl-table pl-hash"),
            html_table(None, facts, cls="pl-table pl-kv"),
            anchor="provenance")]


def _driver_label(name: str) -> str:
    from planning.scenarios import DRIVERS

    return DRIVERS[name].label if name in DRIVERS else str(name)


def build_report(data_path: str | Path, period: str, audience: str = "owner", plan_path: str | None = None,
                 seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS, inputs_sha256: dict[str, str] | None = None) -> QuarterlyReport:
    """Load, check and compute everything one report needs.

    Parameters
    ----------
    data_path : path
        The dataset folder or workbook.
    period : str
        The quarter, like ``2026Q4``; it needs actuals and targets.
    audience : {"owner", "staff"}
    plan_path : path or None
        A plan to use instead of the dataset's ``plan.yaml``.
    seed, draws : int
        For the Monte Carlo outlook (owner only).
    inputs_sha256 : dict or None
        The SHA-256 of every input as validated before the run; if given, the files must
        still match (otherwise an InputError names the files that changed).
    """
    if audience not in AUDIENCES:
        raise InputError([Problem("--audience", None, None, f"{audience!r} is not an audience; expected owner or staff")])
    dataset = load_dataset(data_path)
    plan = load_plan(Path(plan_path)) if plan_path else dataset.plan
    hashes = input_hashes(dataset.sources, plan_path)
    if inputs_sha256:
        check_input_hashes(inputs_sha256, hashes)
    p = dataset.require_period(period)
    bonus = bonus_for_period(dataset, p, plan)
    parameters = {"data_path": str(data_path), "period": str(period), "audience": audience,
                  "plan_path": None if plan_path is None else str(plan_path), "seed": seed, "draws": draws,
                  "inputs_sha256": dict(inputs_sha256 or {})}
    return QuarterlyReport(dataset=dataset, period=p, audience=audience, plan=plan, bonus=bonus,
                           result=period_result(dataset, p), pnl=pnl_table(dataset), parameters=parameters,
                           plan_path=None if plan_path is None else str(plan_path),
                           fingerprint=hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest(),
                           seed=int(seed), draws=int(draws))
