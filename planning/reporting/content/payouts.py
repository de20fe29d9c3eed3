"""Who receives what: payouts by department (the staff version with small groups combined,
see :mod:`.privacy`) and, for the owner only, by person with the explanation."""

from __future__ import annotations

from planning import charts
from planning.money import format_percent
from planning.reporting.content.base import CHART_WIDTH as W
from planning.reporting.content.base import ReportBase
from planning.reporting.content.markup import Markup, esc, html_table, paragraphs, section
from planning.reporting.content.privacy import MIN_GROUP, suppressed_department_payouts
from planning.words import explain_payout, explain_pool, sharing_rule_text

__all__ = ["PayoutSections"]


class PayoutSections(ReportBase):
    """Payouts by department and by person; owner-only sections return nothing for staff."""

    def payouts_by_department(self) -> list:
        """Owner: every department's headcount, eligible people and payout."""
        if not self.is_owner:
            return []
        table = self.bonus.by_department()
        total = self.bonus.allocated
        rows = [[dept, int(r.people), int(r.eligible), self.num(r.payout, cents=True),
                 format_percent(r.payout / total) if total else "n/a"] for dept, r in table.iterrows()]
        return [
            section("Payouts by department", html_table(
                ["department", "people", "eligible", f"paid ({self.currency})", "share of payouts"], rows,
                numeric={1, 2, 3, 4}),
                anchor="departments"),
            self.chart("departments", lambda: charts.payouts_by_department(self.bonus, figsize=(W, 3.0)),
                       "Total payout per department"),
        ]

    def staff_payouts_by_department(self) -> list:
        """Staff: payouts by department with small groups suppressed."""
        if self.is_owner:
            return []
        table, combined = suppressed_department_payouts(self.sharers_by_department(), unit=self.currency)
        hide = self.hides_paid_out
        rows = [[r.group, int(r.eligible), "not shown" if hide else self.num(r.payout, cents=True)]
                for r in table.itertuples()]
        note = (f"To protect privacy, a department's total is shown only when at least {MIN_GROUP} people "
                "share it (people who are eligible and can take part of the pool). Smaller departments are combined, and because the total pool is public, "
                "a department is also combined whenever showing it would let a smaller one be worked out "
                "by subtraction. No one's salary or individual payout appears in this report; each person "
                "receives their own statement.")
        parts = [html_table(["group", "people sharing", f"paid ({self.currency})"], rows, numeric={1, 2}),
                 paragraphs([note], "pl-note")]
        if combined:
            label = table["group"].iloc[-1]
            parts.insert(1, paragraphs([f"{label}: {', '.join(combined)}."], "pl-muted"))
        out = [section("Payouts by department", *parts, anchor="departments")]
        if len(table) and table["payout"].sum() > 0 and not hide:
            out.append(self.chart("department-groups", lambda: charts.grouped_payouts_chart(table, self.currency, figsize=(W, 2.8)),
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
            rows.append([r.employee_id, r.name, self.num(r.payout, cents=True), "yes" if r.eligible else f"no: {r.reason}",
                         r.department, r.role, f"{r.fte:g}", int(r.days_in),
                         format_percent(r.weight / total_weight, 2) if total_weight > 0 and r.eligible else "",
                         "cap" if r.capped else ""])
        table = html_table(["id", "name", f"payout ({self.currency})", "eligible", "department", "role", "FTE",
                            "days in quarter", "share of weight", "capped"], rows, numeric={2, 6, 7, 8})
        pool_text = " ".join(explain_pool(self.bonus))
        rule_text = sharing_rule_text(self.plan)
        details, printed = [], []
        for r in a[a["eligible"]].itertuples():
            text = explain_payout(self.bonus, r.employee_id)
            for known in (pool_text, rule_text):  # both are printed above, once for everyone
                text = text[len(known):].strip() if text.startswith(known) else text
            who = f"{esc(r.name)} ({esc(r.department)}): {esc(self.money(r.payout, cents=True))}"
            details.append(f"<details><summary>{who}</summary><p>{esc(text)}</p></details>")
            printed.append(f"<div><dt>{who}</dt><dd>{esc(text)}</dd></div>")
        # on screen one line a person that opens; on paper every explanation in full
        explain = (paragraphs(["Why each person receives what they do (open a name):"], "pl-screen-only")
                   + Markup(f'<div class="pl-screen-only">{"".join(details)}</div>')
                   + paragraphs(["Why each person receives what they do:"], "pl-print-only")
                   + Markup(f'<dl class="pl-print-only pl-explanations">{"".join(printed)}</dl>')
                   ) if details else paragraphs(["Nobody was eligible this quarter."])
        return [section("Payouts by person", self.explain(*[t for t in ("FTE", "weight", "share of weight", "capped")
                                      if t not in self._sharing_terms()]), table,
                        explain, anchor="people")]
