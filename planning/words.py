"""The sentences and text tables an owner reads, apart from the engine that makes the numbers.

The CLI, the notebooks, the reports, the statements and the cockpit all call these; none of
them builds its own sentence about the pool, the sharing rule or one person's payout. Each
method's own words live in its registry entry (:mod:`planning.methods`) and are read here.
"""

from __future__ import annotations

import pandas as pd

from planning.bonus_result import BonusResult
from planning.methods import pool_limit, pool_method, sharing_method
from planning.money import format_cents, format_money, format_percent
from planning.plan import Plan

__all__ = ["explain_pool", "pool_sentences", "sharing_rule_text", "explain_payout", "weight_sentence",
           "bonus_text", "pnl_text", "scenario_text", "simulate_text", "GLOSSARY", "OWNER_ONLY_TERMS", "gloss",
           "statement_gate_lines", "statement_company_lines", "no_bonus_reason", "statement_share_lines"]


def explain_pool(result: BonusResult) -> list[str]:
    """Sentences explaining the gates and the pool, for everyone."""
    m = lambda x: format_cents(x, result.currency)  # noqa: E731
    lines = [
        f"The company made {format_percent(result.revenue_attainment)} of its revenue target "
        f"({m(result.revenue)} of {m(result.revenue_target)}) and {format_percent(result.gop_attainment)} "
        f"of its GOP target ({m(result.gop)} of {m(result.gop_target)})."
    ]
    for g in result.gates:
        if g.passed:
            lines.append(f"The {g.name} gate of {format_percent(g.threshold)} passed.")
        else:
            lines.append(f"The {g.name} gate of {format_percent(g.threshold)} was missed by "
                         f"{g.shortfall * 100:.1f} points ({m(g.gap_amount)} short).")
    return lines + pool_sentences(result)


def pool_sentences(result: BonusResult) -> list[str]:
    """How the pool was set, once the gates are known: the last part of :func:`explain_pool`."""
    m = lambda x: format_cents(x, result.currency)  # noqa: E731
    if not result.gates_passed:
        return ["Because a gate was missed, there is no bonus pool this period."]
    pool = result.plan.pool
    lines = [pool_method(pool).explain(pool, m, result.excess_gop, result.raw_pool)]
    for limit in result.limits:
        lines.append(f"Then {pool_limit(limit.name).words} from {m(limit.before)} to {m(limit.after)}.")
    lines.append(f"The bonus pool is {m(result.pool)}.")
    if result.unallocated:
        lines.append(f"{m(result.unallocated)} of it could not be paid to anyone (everyone who "
                     "could take more was at their cap, or nobody was eligible) and stays with the company.")
    return lines


def sharing_rule_text(plan: Plan) -> str:
    """One sentence: how the pool is shared."""
    d = plan.distribution
    text = f"The pool is shared {sharing_method(d).rule}, scaled by FTE and by the share of the quarter each person was employed"
    if d.department_weights:
        text += ", and by department weights"
    text += "."
    if d.individual_cap is not None:
        text += (f" Nobody receives more than {format_percent(d.individual_cap)} of their salary for the "
                 "quarter; what the capped cannot take is shared again among the others.")
    return text


def explain_payout(result: BonusResult, employee_id: str) -> str:
    """A short plain-language chain of sentences an owner can read out to the person."""
    rows = result.allocations[result.allocations["employee_id"] == str(employee_id)]
    if rows.empty:
        raise KeyError(f"no employee {employee_id!r} in period {result.period}")
    person = rows.iloc[0]
    m = lambda x: format_cents(x, result.currency)  # noqa: E731
    lines = explain_pool(result)
    if not person["eligible"]:
        lines.append(f"{person['name']} receives nothing: {person['reason']}.")
        return " ".join(lines)
    if not result.gates_passed or result.pool == 0:
        lines.append(f"{person['name']} receives {m(0)}.")
        return " ".join(lines)
    lines.append(sharing_rule_text(result.plan))
    d = result.plan.distribution
    parts = [sharing_method(d).person_base(person, m)]
    parts.append(f"FTE {person['fte']:g}")
    parts.append(f"{format_percent(person['tenure'])} of the quarter ({int(person['days_in'])} days)")
    if person["department_weight"] != 1:
        parts.append(f"department weight {person['department_weight']:g}")
    total = result.allocations["weight"].sum()
    lines.append(f"{person['name']}'s weight is {' x '.join(parts)} = {person['weight']:,.2f}, "
                 f"which is {format_percent(person['weight'] / total)} of everyone's weight.")
    if person["capped"]:
        lines.append(f"That share would be above the individual cap of {m(person['cap'])} "
                     f"({format_percent(d.individual_cap)} of the quarter's salary), so it is the cap.")
    lines.append(f"{person['name']} receives {m(person['payout'])}.")
    return " ".join(lines)


def weight_sentence(plan: Plan, weight: float, department_weight: float, total_weight: float) -> str:
    """A statement's "Your weight is salary x FTE x share of the quarter = ..." sentence."""
    parts = [sharing_method(plan.distribution).weight_part, "FTE", "share of the quarter"]
    if department_weight != 1:
        parts.append("department weight")
    return (f"Your weight is {' x '.join(parts)} = {weight:,.2f}, which is "
            f"{format_percent(weight / total_weight) if total_weight else '0%'} of everyone's weight.")


# --- the command line's text ----------------------------------------------------------------


def statement_gate_lines(distances, currency: str, year_to_date: bool = False) -> list[str]:
    """A statement's gate sentences: each gate's threshold in money, and the margin it passed
    with or the gap it was missed by (``distances``: the report's gate distances). With
    ``year_to_date`` the gates were judged on the year so far (domain section 6.1)."""
    w = lambda x: format_money(x, currency)  # noqa: E731  (whole units)
    start = "On the year so far, the" if year_to_date else "The"
    lines = []
    for d in distances:
        g = d.gate
        head = f"{start} {d.name} gate ({format_percent(g.threshold)} of target, {w(d.needed)})"
        if g.passed:
            lines.append(f"{head} passed with {w(d.margin)} to spare ({format_percent(g.attainment)} reached).")
        else:
            lines.append(f"{head} was missed by {w(g.gap_amount)} ({format_percent(g.attainment)} reached). "
                         + " ".join(d.closing))
    return lines or [f"{start} plan has no gates."]


def statement_company_lines(result: BonusResult) -> tuple[str, str]:
    """The company's revenue and GOP against their targets, in whole units."""
    w = lambda x: format_money(x, result.currency)  # noqa: E731
    return (f"Revenue {w(result.revenue)} against a target of {w(result.revenue_target)} "
            f"({format_percent(result.revenue_attainment)}).",
            f"GOP (gross operating profit) {w(result.gop)} against a target of {w(result.gop_target)} "
            f"({format_percent(result.gop_attainment)}).")


def no_bonus_reason(result: BonusResult, year=None) -> str:
    """Why nobody is paid in the result's quarter (``year``: its :class:`~planning.year.YearResult`)."""
    if not result.gates_passed:
        return "a gate was missed"
    if year is None or result.pool == 0 and year.settle != "year_to_date":
        return "the pool is 0 under the plan's rules"
    if result.pool == 0:
        return "earlier quarters of the year already paid all that the year has earned so far"
    return "all of this quarter's pool is held back to the year end"


def statement_share_lines(person, shared: float, what: str, anyone_capped: bool, total_weight: float,
                          currency: str) -> list[str]:
    """How one person's payout follows from their weight, when ``shared`` (> 0) is shared.

    ``person`` is their row of the allocations; ``what`` names the amount shared ("the pool",
    "the AUD 4,000.00 shared now"). Where someone was capped, no count or amount of them is
    given: those would tell a colleague's cap, and so their salary."""
    m = lambda x: format_cents(x, currency)  # noqa: E731
    if person.capped:
        return [f"That share of the pool would be more than your cap, so you receive the cap, "
                f"{m(person.payout)}; what you could not take was shared among the others."]
    lines = []
    if anyone_capped and total_weight and person.weight > 0:
        lines.append(f"{format_percent(person.weight / total_weight)} of {what} would be "
                     f"{m(person.weight / total_weight * shared)}, but some people reached "
                     "their individual cap and received it instead; what they could not take "
                     "was shared again among everyone else by weight, so your share is larger.")
    lines.append(f"Your exact share of {what} is {format_cents(person.exact_share, currency, 2)}, paid in whole "
                 f"cents: {m(person.payout)}.")
    return lines


def bonus_text(company: str, result: BonusResult) -> str:
    """``planning bonus``: the pool explained, the sharing rule and the people table."""
    cur = result.currency
    lines = [f"{company}: success bonus for {result.period}", ""]
    lines += ["  " + s for s in explain_pool(result)]
    lines += ["", "  " + sharing_rule_text(result.plan), ""]
    table = result.allocations[["employee_id", "name", "department", "eligible", "weight", "capped", "payout"]].copy()
    table["eligible"] = table["eligible"].map({True: "yes", False: "no"})
    table["capped"] = table["capped"].map({True: "cap", False: ""})
    table["weight"] = table["weight"].map(lambda w: f"{w:,.2f}")
    table["payout"] = table["payout"].map(lambda x: format_cents(x, cur, code=False))
    lines.append(table.to_string(index=False))
    lines += ["", f"  Pool {format_cents(result.pool, cur)} = allocated {format_cents(result.allocated, cur)}"
              f" + unallocated {format_cents(result.unallocated, cur)}"]
    return "\n".join(lines) + "\n"


def pnl_text(company: str, result, currency: str) -> str:
    """``planning pnl``: a period's P&L against its targets (``result``: a PeriodResult)."""
    d = result.as_dict()
    lines = [f"{company}, {result.period}"]
    for key, label in (("revenue", "Revenue"), ("cogs", "Cost of goods sold"), ("gross_profit", "Gross profit"),
                       ("opex", "Operating expenses"), ("gop", "GOP")):
        lines.append(f"  {label:<22}{format_cents(d[key], currency):>22}")
    lines.append(f"  {'Revenue target':<22}{format_cents(d['revenue_target'], currency):>22}   "
                 f"attainment {d['revenue_attainment']:.1%}")
    lines.append(f"  {'GOP target':<22}{format_cents(d['gop_target'], currency):>22}   "
                 f"attainment {d['gop_attainment']:.1%}")
    return "\n".join(lines) + "\n"


def scenario_text(company: str, scenario, result, drivers: pd.DataFrame) -> str:
    """``planning scenario``: the drivers, base against scenario, then the projected bonus.

    ``scenario`` is the :class:`~planning.scenarios.Scenario`, ``result`` its
    :class:`~planning.scenarios.ScenarioResult` and ``drivers`` its
    :func:`~planning.scenarios.driver_table`.
    """
    cur = result.currency
    lines = [f"{company}: scenario {scenario.name!r} for {result.period}"
             + (f" ({scenario.description})" if scenario.description else ""),
             f"  projected from the actuals of {result.base_period}", ""]
    for line, row in drivers.iterrows():
        rate = line in ("lead_to_win", "gross_margin")
        count = line == "leads"
        fmt = ((lambda x: f"{x:.2%}") if rate else (lambda x: f"{x:,.1f}") if count
               else (lambda x: format_cents(x, cur)))
        change = ""
        if row["change"] == row["change"] and row["change"]:   # a driver this scenario changes
            change = f"   ({row['change'] * 100:+.2f} points)" if rate else f"   ({row['change']:+.1%})"
        lines.append(f"  {line.replace('_', ' '):<18}{fmt(row['base']):>22} -> {fmt(row['scenario']):>22}{change}")
    lines.append("")
    lines += ["  " + s for s in explain_pool(result)]
    by_department = result.by_department()
    if result.allocated:
        lines += ["", "  Payouts by department:"]
        lines += [f"    {dept:<16}{format_cents(row.payout, cur):>18}  ({int(row.eligible)} eligible)"
                  for dept, row in by_department.iterrows()]
    lines.append(f"  GOP after the bonus: {format_cents(result.gop_after_bonus, cur)}")
    return "\n".join(lines) + "\n"


def simulate_text(company: str, result) -> str:
    """``planning simulate``: a Monte Carlo's odds and amounts (``result``: MonteCarloResult)."""
    m = lambda x: format_cents(x, result.currency)  # noqa: E731
    lines = [
        f"{company}: Monte Carlo of scenario {result.scenario!r} for {result.period}",
        f"  {result.draws:,} draws, seed {result.seed}, projected from the actuals of {result.base_period}",
        "",
        f"  Revenue gate passes     {result.p_revenue_gate:8.1%}",
        f"  GOP gate passes         {result.p_gop_gate:8.1%}",
        f"  Both gates pass         {result.p_gates_passed:8.1%}",
        f"  The bonus pays          {result.p_pays:8.1%}",
        f"  Stays self-funding      {result.p_self_funding:8.1%}",
        "",
        f"  Expected pool           {m(result.expected_pool):>20}",
        f"  Expected bonus cost     {m(result.expected_cost):>20}",
        f"  Pool P10 / P50 / P90    {m(result.pool_p10)} / {m(result.pool_p50)} / {m(result.pool_p90)}",
        f"  Expected GOP            {m(result.expected_gop):>20}",
        f"  Expected GOP after bonus{m(result.expected_gop_after_bonus):>20}",
        "",
        "  Expected payout by department:",
    ]
    lines += [f"    {dept:<16}{m(value):>20}" for dept, value in result.expected_payout_by_department.items()]
    return "\n".join(lines) + "\n"


# --- the glossary: every term an owner may not know, in plain language (issue 14) ----------
# The reports print it at the end and one line of it under the table that first uses a term
# (ReportBase.explain), so the two never disagree.

GLOSSARY: dict[str, str] = {
    "revenue": "what customers paid for the work done in the quarter.",
    "cost of goods sold": "the direct cost of that work: materials, subcontractors, freight.",
    "gross profit": "revenue less the cost of goods sold.",
    "gross margin": "gross profit as a share of revenue: of every 100 of revenue, how much is left "
                    "after the direct costs.",
    "operating expenses": "the costs of running the business whatever the quarter brings: rent, "
                          "salaries, software, marketing.",
    "GOP": "gross operating profit: revenue less the cost of goods sold and the operating expenses, "
           "before the bonus is paid.",
    "target": "the revenue or GOP the plan set for the quarter.",
    "attainment": "what was achieved as a share of its target: 105% means 5% above target.",
    "points": "percentage points, the difference between two percentages: from 95% to 97.5% is "
              "2.5 points.",
    "gate": "a minimum attainment the company must reach before any bonus is paid (for example GOP "
            "at least 100% of target).",
    "bonus pool": "the amount shared among everyone eligible this quarter.",
    "raw pool": "the pool as the plan's rate gives it, before any floor, cap or self-funding limit "
                "is applied.",
    "floor": "the smallest pool the plan pays once the gates pass.",
    "pool cap": "the largest pool the plan pays, however well the quarter went.",
    "self-funding": "the rule that the pool may never be more than the GOP made above target, so "
                    "the bonus pays for itself.",
    "bonus-eligible": "the yes/no flag for each person in staff.csv; a flagged person qualifies in "
                      "a quarter only if they also meet its rules (employed in it, still employed at "
                      "its end if the plan asks, enough days).",
    "eligible": "qualified for a share of this quarter's pool: marked bonus-eligible and meeting "
                "the quarter's rules.",
    "FTE": "full-time equivalent: 1 for full time, 0.5 for half time.",
    "weight": "how much of the pool a person's share is based on (their salary, or role points, "
              "scaled by FTE and the days they worked).",
    "share of weight": "a person's weight as a share of everyone's: the share of the pool they "
                       "receive unless a cap holds them back.",
    "capped": "the person reached their individual cap (the most one person may receive); what "
              "they cannot take goes to the others.",
    "ROI": "return on investment: the gross profit a campaign's revenue brought, less what it "
           "spent, as a share of what it spent. 100% means every 1 spent brought 2 of gross "
           "profit; -100% means the money brought nothing back.",
    "cost per lead": "a campaign's spend divided by the leads it brought.",
    "lead": "a potential customer who got in touch.",
    "qualified": "leads the sales team judged worth pursuing.",
    "lead-to-win": "the share of leads that became paying customers.",
    "scenario": "a set of assumptions about next quarter, written in scenarios.yaml.",
    "driver": "one assumption a scenario can change: leads, win rate, average deal, margin, costs.",
    "simulated quarters": "the Monte Carlo method: next quarter is played out thousands of times "
                          "with the drivers moving at random within the scenario's ranges, and the "
                          "odds are the share of those quarters where something happens.",
    "seed": "the starting number of the random draws; the same seed always gives the same odds.",
    "draws": "how many simulated quarters were played out.",
    "P10, P50, P90": "percentiles: in 10% of simulated quarters the pool was below P10, in half "
                     "below P50 (the median), and in 90% below P90.",
    "expected pool": "the average pool over all simulated quarters, counting the ones that pay "
                     "nothing.",
    "swing": "how far the pool moves between a driver 10% down and 10% up: the bigger the swing, "
             "the more the pool depends on that driver.",
    "SHA-256": "a fingerprint of a file: any change to the file, however small, gives a different one.",
}
"""Term -> plain-language explanation (a sentence without its subject)."""

OWNER_ONLY_TERMS = frozenset({"weight", "share of weight", "scenario", "driver",
                              "simulated quarters", "seed", "draws", "P10, P50, P90", "expected pool",
                              "swing"})
"""Terms only the owner's sections use; the staff report's glossary leaves them out."""


def gloss(term: str) -> str:
    """``"ROI (return on investment: ...)"``-style one-line explanation: ``"ROI: ..."``."""
    return f"{term[0].upper() + term[1:] if term[0].islower() else term}: {GLOSSARY[term]}"
