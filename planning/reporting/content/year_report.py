"""The year-end report (``report --year FY``): the bonus year in four quarters and the year
end, for the owner (every person's payout by quarter, at the year end and for the year) and
for staff (domain section 7: group totals only for groups that pass the dominance rule).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planning.charts.year import year_chart
from planning.dataset import Dataset
from planning.errors import InputError
from planning.inputs import load_inputs
from planning.money import cents_array, format_cents, sum_cents
from planning.periods import FiscalYear
from planning.plan import Plan
from planning.provenance import check_input_hashes, input_hashes, provenance
from planning.reporting.content.markup import Chart, html_table, paragraphs, section
from planning.reporting.content.privacy import MIN_GROUP, suppressed_department_payouts
from planning.reporting.content.year import year_quarter_rows
from planning.reporting.defaults import audience_problems
from planning.year import YearResult, target_pool_to_date, year_for_dataset
from planning.year_words import explain_quarter, explain_year_end, settle_words

__all__ = ["YearReport", "build_year_report", "year_by_department"]


def year_by_department(people: pd.DataFrame) -> pd.DataFrame:
    """Per department, the people paid anything in the year, their total and the largest one
    (the frame :func:`~planning.reporting.content.privacy.suppressed_department_payouts` reads)."""
    paid = people.assign(sharing=people["total"] > 0)
    frame = paid.groupby("department").agg(eligible=("sharing", "sum"), payout=("total", "sum"),
                                           largest=("total", "max"))
    return frame


@dataclass(frozen=True, eq=False)
class YearReport:
    """One fiscal year's year-end report for one audience; its methods are the template's sections."""

    dataset: Dataset
    fiscal_year: FiscalYear
    audience: str
    plan: Plan
    year: YearResult
    parameters: dict
    plan_path: str | None = None
    fingerprint: str = ""

    @property
    def currency(self) -> str:
        return self.dataset.company.currency

    @property
    def is_owner(self) -> bool:
        return self.audience == "owner"

    def money(self, x: float) -> str:
        return format_cents(x, self.currency)

    def num(self, x: float) -> str:
        return format_cents(x, self.currency, code=False)

    @property
    def label(self) -> str:
        return str(self.fiscal_year)

    def chart(self, name, make, alt) -> Chart:
        return Chart(make, alt, key=(self.fingerprint, self.label, name) if self.fingerprint else None)

    # --- what a staff page may show -----------------------------------------------------

    def department_groups(self) -> tuple[pd.DataFrame, list[str]]:
        """The year's totals by department, small or dominated groups combined (section 7)."""
        return suppressed_department_payouts(year_by_department(self.year.people))

    @property
    def hides_paid(self) -> bool:
        """Staff only: the year's amount paid would show a few people's caps.

        When caps kept money back (something unallocated), the amount paid is not the public
        pools less the forfeited reserve but a sum of caps; it is shown only if the company's
        year totals as one group pass the dominance rule.
        """
        if self.is_owner:
            return False
        unallocated = self._unallocated()
        if unallocated <= 0:
            return False
        totals = cents_array(self.year.people["total"].to_numpy(float), self.currency)
        people, largest, total = int((totals > 0).sum()), int(totals.max(initial=0)), int(totals.sum())
        return people < MIN_GROUP or 2 * largest > total   # the dominance rule on everyone together

    def _unallocated(self) -> float:
        year = self.year
        parts = [q.unallocated for q in year.quarters]
        if year.year_end is not None:
            parts.append(year.year_end.unallocated)
        return sum_cents(parts, self.currency)

    # --- sections ---------------------------------------------------------------------------

    def title(self) -> list:
        year, fy = self.year, self.fiscal_year
        who = "the owner" if self.is_owner else "all staff"
        status = ("the year is complete" if year.complete else
                  f"the year so far: {len(year.quarters)} of its 4 quarters have actuals")
        lines = [f"The success bonus over the fiscal year {fy} ({fy.start:%b %Y} to {fy.end:%b %Y}); {status}. "
                 f"For {who}.", settle_words(year)]
        if not self.is_owner:
            lines.append("No one's salary or individual payout appears in this report; each person receives "
                         "their own statement.")
        return [section(f"{self.dataset.company.name}: bonus year {fy}", paragraphs(lines), anchor="top")]

    def quarters(self) -> list:
        year = self.year
        header, rows = year_quarter_rows(year, self.num, self.is_owner)
        header = [h if h == "quarter" else f"{h} ({self.currency})" for h in header]
        lines = []
        for q in year.quarters:
            lines += explain_quarter(year, q.period, unallocated=self.is_owner)
        targets = target_pool_to_date(year.plan, year.fiscal_year, self.dataset.targets, self.currency)
        return [section("The four quarters", html_table(header, rows, numeric=set(range(1, len(header)))),
                        paragraphs(lines), anchor="quarters"),
                self.chart("year", lambda: year_chart(year, targets),
                           f"The bonus year {year.fiscal_year}: the pool earned to date, what was shared and "
                           "what was held back in the reserve, against the year's target")]

    def year_end(self) -> list:
        year = self.year
        lines = explain_year_end(year, unallocated=self.is_owner)
        parts = [paragraphs(lines)]
        end = year.year_end
        if end is not None:
            rows = [["reserve", self.num(end.reserve)], ["released", self.num(end.released)],
                    ["forfeited (stays with the company)", self.num(end.forfeited)]]
            if self.is_owner:
                rows += [["of the released: paid", self.num(end.allocated)],
                         ["of the released: could not be paid", self.num(end.unallocated)]]
            parts.append(html_table(["the year end", f"amount ({self.currency})"], rows, numeric={1}))
        return [section("The year end", *parts, anchor="year-end")]

    def payouts_by_person(self) -> list:
        """Owner: every person's payout by quarter, at the year end and for the year."""
        if not self.is_owner:
            return []
        year = self.year
        periods = [q.period for q in year.quarters]
        people = year.people.sort_values(["department", "name", "employee_id"])
        ends = year.complete
        header = ["id", "name", "department", *[f"{p} ({self.currency})" for p in periods]]
        header += [f"year end ({self.currency})"] if ends else []
        header += [f"{'year' if ends else 'so far'} ({self.currency})"]
        rows = []
        for r in people.to_dict("records"):
            row = [r["employee_id"], r["name"], r["department"], *[self.num(r[p]) for p in periods]]
            row += [self.num(r["year_end"])] if ends else []
            rows.append([*row, self.num(r["total"])])
        sums = ["", "everyone", "", *[self.num(sum_cents(people[p], self.currency)) for p in periods]]
        sums += [self.num(sum_cents(people["year_end"], self.currency))] if ends else []
        rows.append([*sums, self.num(sum_cents(people["total"], self.currency))])
        numeric = set(range(3, len(header)))
        return [section("Every person's year", html_table(header, rows, numeric=numeric),
                        paragraphs(["The last row is everyone together: it is the amount paid in each quarter, "
                                    "at the year end and over the year."], "pl-muted"), anchor="people")]

    def payouts_by_department(self) -> list:
        year = self.year
        cur = self.currency
        if self.is_owner:
            frame = year_by_department(year.people)
            heads = year.people.groupby("department").size()
            rows = [[d, int(heads[d]), int(r.eligible), self.num(r.payout)] for d, r in frame.iterrows()]
            return [section("The year by department",
                            html_table(["department", "people", "paid in the year", f"paid ({cur})"], rows,
                                       numeric={1, 2, 3}), anchor="departments")]
        table, combined = self.department_groups()
        hide = self.hides_paid
        rows = [[r.group, int(r.eligible), self.num(r.payout) if getattr(r, "shown", True) and not hide else "not shown"]
                for r in table.itertuples()]
        parts = [html_table(["group", "people paid in the year", f"paid in the year ({cur})"], rows,
                            numeric={1, 2})]
        if combined:
            parts.append(paragraphs([f"{table['group'].iloc[-1]}: {', '.join(combined)}."], "pl-muted"))
        parts.append(paragraphs([
            f"To protect privacy, a group's total for the year is shown only when at least {MIN_GROUP} people "
            "share it and no one person's payout is more than half of it. Groups that fail are combined, "
            "and a group is also combined whenever showing it would let a smaller one be worked out by "
            "subtraction."], "pl-note"))
        return [section("The year by department", *parts, anchor="departments")]

    def adds_up(self) -> list:
        """The laws of section 6.3 with this year's figures."""
        year, m = self.year, self.money
        pools = year.total_pool
        end = year.year_end
        forfeited = end.forfeited if end is not None else 0.0
        lines = [f"The quarters' pools add up to {m(pools)}."]
        if self.is_owner or not self.hides_paid:
            unallocated = self._unallocated()
            paid = sum_cents(year.people["total"], self.currency)
            if end is not None:
                lines.append(f"Paid to people {m(paid)} + could not be paid {m(unallocated)} + forfeited "
                             f"{m(forfeited)} = {m(sum_cents([paid, unallocated, forfeited], self.currency))}.")
            else:
                lines.append(f"Paid to people so far {m(paid)} + could not be paid {m(unallocated)} + the reserve "
                             f"{m(year.reserve)} = {m(sum_cents([paid, unallocated, year.reserve], self.currency))}.")
        return [section("The money adds up", paragraphs(lines), anchor="adds-up")]

    def provenance(self) -> list:
        """The appendix, as the quarterly report's: how to reproduce the page, input hashes, versions."""
        info = provenance(self.parameters, self.dataset.sources, self.plan_path)
        dataset = Path(str(self.parameters.get("data_path") or self.dataset.root)).name or "data"
        plan = Path(self.plan_path).name if self.plan_path else None
        params = [["dataset", dataset], ["fiscal year", self.label], ["audience", self.audience],
                  ["plan", plan or "(the dataset's plan.yaml)"]]
        inputs = [[name, digest] for name, digest in info["inputs"].items()]
        versions = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
        facts = [["code commit", info["code_commit"] or "not a git checkout"],
                 ["data commit", info["data_commit"] or "not in a git repository"],
                 ["packages", versions], ["generated (UTC)", info["generated_utc"]]]
        command = (f"planning report --data {dataset} --year {self.label} --audience {self.audience}"
                   + (f" --plan {plan}" if plan else ""))
        return [section(
            "Appendix: where these numbers come from",
            paragraphs([f"To reproduce this page: {command}, run in the folder that holds {dataset}.",
                        "The same input files and parameters always give the same numbers. Check a file "
                        "against its SHA-256 with sha256sum (or Get-FileHash on Windows)."]),
            html_table(["parameter", "value"], params, cls="pl-table pl-kv"),
            html_table(["input file", "SHA-256"], inputs, cls="pl-table pl-hash"),
            html_table(None, facts, cls="pl-table pl-kv"), anchor="provenance")]


def build_year_report(data_path: str | Path, fiscal_year: str, audience: str = "owner",
                      plan_path: str | None = None, inputs_sha256: dict[str, str] | None = None) -> YearReport:
    """Load, check and settle everything a year-end report needs (as :func:`build_report`)."""
    problems = audience_problems([audience])
    if problems:
        raise InputError(problems)
    inputs = load_inputs(data_path, plan_path or None)
    dataset, plan = inputs.dataset, inputs.plan
    hashes = input_hashes(dataset.sources, plan_path)
    if inputs_sha256:
        check_input_hashes(inputs_sha256, hashes)
    year = year_for_dataset(dataset, fiscal_year, plan)
    parameters = {"data_path": str(data_path), "fiscal_year": str(year.fiscal_year), "audience": audience,
                  "plan_path": None if plan_path is None else str(plan_path),
                  "inputs_sha256": dict(inputs_sha256 or {})}
    return YearReport(dataset=dataset, fiscal_year=year.fiscal_year, audience=audience, plan=plan, year=year,
                      parameters=parameters, plan_path=None if plan_path is None else str(plan_path),
                      fingerprint=hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest())
