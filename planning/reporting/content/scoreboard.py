"""The company's scoreboard, for both audiences: the verdict, the P&L against its targets,
the gates, the bonus pool and the rule that shares it."""

from __future__ import annotations

from planning import charts
from planning.methods import pool_limit, pool_method
from planning.money import format_percent
from planning.reporting.content.base import CHART_WIDTH as W
from planning.reporting.content.base import SECTIONS, ReportBase, paper_size
from planning.reporting.content.gates import gate_distances
from planning.reporting.content.markup import (
    Html,
    badge,
    day,
    esc,
    html_table,
    paragraphs,
    points,
    section,
)
from planning.reporting.content.privacy import MIN_GROUP
from planning.words import explain_pool, sharing_rule_text
from planning.year_words import explain_quarter

__all__ = ["ScoreboardSections"]


class ScoreboardSections(ReportBase):
    """The sections every reader sees first: how the company did and what it earned."""

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
            ("Revenue", self.money(b.revenue), f"{format_percent(b.revenue_attainment)} of target {self.money(b.revenue_target)}",
             b.revenue_attainment >= 1),
            ("GOP", self.money(b.gop), f"{format_percent(b.gop_attainment)} of target {self.money(b.gop_target)}",
             b.gop_attainment >= 1),
            ("Bonus pool", self.money(b.pool), "shared by everyone eligible" if b.pool else "nothing to share",
             b.pool > 0),
        ]
        card_html = "".join(
            f'<div class="pl-card {"pass" if ok else "miss"}"><div class="pl-card-label">{esc(name)}</div>'
            f'<div class="pl-card-value">{esc(value)}</div><div class="pl-card-note">{esc(note)}</div></div>'
            for name, value, note, ok in cards)
        sections = [s for s in SECTIONS if self.is_owner or not s[2]]
        if self.year is not None:   # the year so far follows the pool (plans with year:)
            at = [a for a, _, _ in sections].index("pool") + 1
            sections.insert(at, ("year", f"The bonus year {self.year.fiscal_year} so far", False))
        toc = "".join(f'<li><a href="#{anchor}">{esc(name)}</a></li>' for anchor, name, _ in sections)
        paper = paper_size(self.currency)
        markup = (f"<style>@page {{ size: {paper}; margin: 14mm 12mm; }}</style>"
                  f'<header class="pl-header" data-paper="{paper}"><h1>{esc(company)}</h1>'
                  f'<p class="pl-subtitle">Quarterly report {esc(self.long_label)}: '
                  f'{esc(day(p.start))} to {esc(day(p.end))}, {esc(who)}</p>'
                  f'<p class="pl-verdict {cls}">{esc(verdict)}</p>'
                  f'<div class="pl-cards">{card_html}</div>'
                  f'<nav class="pl-toc" aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol></nav></header>')
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
        basis = pool_method(self.plan.pool).basis
        text = (f"<strong>How to read this report.</strong> Every department ({esc(listed)}) works towards the "
                "same two company targets: <em>revenue</em> (what customers paid) and <em>GOP</em>, gross "
                "operating profit (revenue less the direct cost of the work and the operating expenses). "
                f"{when}, {esc(basis)} becomes a <em>success bonus pool</em> that is shared by everyone "
                "eligible. In every chart and table green means a target or gate was reached (or good for "
                "the pool), red means it was missed (or bad for the pool), amber is bonus money. Point "
                "at a bar or a dot in a chart to read its exact value. Words you may not know are "
                "explained under the table that first uses them and again in "
                "<a href=\"#glossary\">the list of words</a> at the end.")
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
                    "" if target is None else self.num(target), "" if attainment is None else format_percent(attainment)]

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
        margin = (f"Gross margin this quarter: {format_percent(r.gross_margin)} of revenue." if r.revenue > 0
                  else "There was no revenue this quarter, so there is no gross margin.")
        lines = ["Every department shares the same two targets: the company's revenue and its GOP "
                 "(what is left of revenue after direct costs and operating expenses).", margin]
        if prev is None:
            lines.append(f"There are no actuals for {prev_label}, so there is no earlier quarter to compare with.")
        intro = paragraphs(lines)
        up_to = self.pnl.loc[: self.label]
        return [
            section(f"How the quarter went: {self.long_label}", intro, table,
                    self.explain("cost of goods sold", "gross profit", "operating expenses", "gross margin",
                                 "attainment"), anchor="results"),
            self.chart("revenue", lambda: charts.metric_vs_target(up_to, "revenue", self.currency, self.label, figsize=(W, 3.4)),
                       f"Revenue per quarter against its target, {self.label} outlined", half=True),
            self.chart("gop", lambda: charts.metric_vs_target(up_to, "gop", self.currency, self.label, figsize=(W, 3.4)),
                       f"GOP per quarter against its target, {self.label} outlined", half=True),
            self.chart("attainment", lambda: charts.attainment_trend(
                up_to, {"revenue": self.plan.gates.revenue, "gop": self.plan.gates.gop}, figsize=(W, 3.4)),
                "Revenue and GOP attainment per quarter against the gates"),
        ]

    def gates(self) -> list:
        """Each gate, passed or missed, by how much, and what would close a gap."""
        distances = gate_distances(self.bonus, self.result.gross_margin)
        if not distances:
            return [section("The gates", paragraphs(["This plan has no gates: the pool does not "
                                                       "depend on reaching a target."]), anchor="gates")]
        rows = []
        for d in distances:
            g = d.gate
            if g.passed:
                how = f"passed by {points(g.attainment - g.threshold)} ({self.money(d.margin)} to spare)"
            else:
                how = f"missed by {points(g.shortfall)} ({self.money(g.gap_amount)} short)"
            rows.append([f"{d.name.capitalize() if d.name == 'revenue' else d.name} at least {format_percent(g.threshold, 0)} of target",
                         self.num(d.needed), self.num(g.actual), format_percent(g.attainment), badge(g.passed),
                         how])
        cur = f" ({self.currency})"
        table = html_table(["gate", "needed" + cur, "achieved" + cur, "attainment", "result", "by how much"], rows,
                           numeric={1, 2, 3})
        lines = ["The bonus pays only when every gate holds."]
        for d in distances:
            lines.extend(d.closing)
        return [section("The gates", table, paragraphs(lines), self.explain("gate", "attainment", "points"),
                        anchor="gates")]

    def pool(self) -> list:
        """The pool: how it was set, every limit that bit, its cost and GOP after it."""
        b = self.bonus
        rows = [["Raw pool (before limits)", self.money(b.raw_pool, cents=True)]]
        rows += [[pool_limit(x.name).table_label, f"{self.money(x.before, cents=True)} to {self.money(x.after, cents=True)}"]
                 for x in b.limits]
        rows += [["Bonus pool", self.money(b.pool, cents=True)]]
        lines = explain_pool(b)
        year = self.year
        if year is not None:   # the quarter as its year settles it (section 6.1)
            q = year.quarter(self.period)
            lines = explain_quarter(year, self.period, unallocated=not self.hides_paid_out)
            if year.settle == "year_to_date":
                rows[0][0] = "Raw pool for the year so far (before limits)"
                rows.insert(len(rows) - 1, ["Pool earned for the year so far", self.money(q.earned_to_date, cents=True)])
                rows.insert(len(rows) - 1, ["Already paid by earlier quarters", self.money(q.paid_before, cents=True)])
                rows[-1][0] = "This quarter's pool"
            rows += [["Held back to the year end (the reserve)", self.money(q.held_back, cents=True)],
                     ["Shared now", self.money(q.shared_now, cents=True)]]
        if self.hides_paid_out:
            # the sentence on the unpaid part would give the paid part away by subtraction
            lines = [line for line in lines if "could not be paid" not in line]
            lines.append(f"Fewer than {MIN_GROUP} people share the pool and individual caps kept part of it "
                         "back, so the amount paid out (and GOP after the bonus) would show their pay. "
                         "It is not shown here; each person's statement gives their own payout.")
            rows += [["Paid out, not paid, GOP after the bonus", f"not shown (fewer than {MIN_GROUP} people)"]]
        else:
            rows += [["Paid out", self.money(b.allocated, cents=True)],
                     ["Not paid (stays with the company)", self.money(b.unallocated, cents=True)]]
        rows += [["The pool as a share of GOP", format_percent(b.pool_share_of_gop)],
                 ["The pool as a share of GOP above target", format_percent(b.pool_share_of_excess_gop)]]
        if b.unallocated > 0 and b.allocated > 0 and not self.hides_paid_out and b.gop > 0:
            # what the bonus really costs when caps kept part of the pool back
            rows += [["Cost of the bonus (paid out) as a share of GOP", format_percent(b.allocated / b.gop)]]
        if not self.hides_paid_out:
            rows += [["GOP after the bonus", self.money(b.gop_after_bonus, cents=True)]]
        if not b.limits and b.gates_passed:
            rows.insert(1, ["Limits", "none bit this quarter"])
        table = html_table(None, rows, numeric={1}, cls="pl-table pl-kv")
        out = [section("The bonus pool", paragraphs(lines), table, self.explain(*self._pool_terms()),
                       anchor="pool")]
        if year is not None and year.settle == "year_to_date":
            return out   # the pool is set on the year so far: the year's chart shows it
        return [
            *out,
            self.chart("waterfall", lambda: charts.bonus_waterfall(b, figsize=(W, 3.6)),
                       "From GOP to the bonus pool: target, GOP above target, raw pool, limits, pool"),
        ]

    def _pool_terms(self) -> list[str]:
        """The pool's words this plan uses: the raw pool and each limit it has."""
        pool = self.plan.pool
        terms = ["bonus pool", "raw pool"]
        terms += ["floor"] if pool.floor else []
        terms += ["pool cap"] if pool.cap is not None else []
        terms += ["self-funding"] if pool.self_funding else []
        return terms

    def _sharing_terms(self) -> list[str]:
        """The words of the sharing rule that need explaining: FTE, and capped when a cap exists."""
        text = sharing_rule_text(self.plan)
        return [term for term, word in (("FTE", "FTE"), ("capped", "capped")) if word in text]

    def sharing_rule(self) -> list:
        """How the pool is shared and who is eligible, in words."""
        d = self.plan.distribution
        lines = [sharing_rule_text(self.plan)]
        rules = ["People marked bonus-eligible share the pool"]
        if d.require_employed_at_period_end:
            rules.append("if they were still employed on the quarter's last day")
        if d.min_days_in_period:
            rules.append(f"and worked at least {d.min_days_in_period} days of it")
        lines.append(" ".join(rules) + ".")
        lines.append(self.eligibility_sentence())
        lines.append("Every payout is a whole number of cents and the payouts add up exactly to the amount paid "
                     "out; leftover cents go to the largest remainders.")
        return [section("How the pool is shared", paragraphs(lines), self.explain("bonus-eligible", "eligible", *self._sharing_terms()),
                        anchor="sharing")]

    def eligibility_sentence(self) -> str:
        """Who qualified this quarter against who carries the bonus-eligible flag, in the words
        ``planning validate`` uses: ``42 of the 48 people ... qualified; 44 are marked ...``."""
        a = self.bonus.allocations
        flagged = a["reason"] != "not bonus-eligible"
        qualified = int(a["eligible"].sum())
        why = a.loc[flagged & ~a["eligible"], "reason"].value_counts()
        sentence = (f"This quarter {qualified} of the {len(a)} people on the staff list qualified for a share "
                    f"(eligible this quarter); {int(flagged.sum())} are marked bonus-eligible in staff.csv")
        if len(why):
            sentence += (f", and {int(why.sum())} of those did not qualify this quarter ("
                         + "; ".join(f"{n}: {reason}" for reason, n in why.items()) + ")")
        return sentence + "."
