"""The sentences and text tables an owner reads, apart from the engine that makes the numbers.

The CLI, the notebooks, the reports, the statements and the cockpit all call these; none of
them builds its own sentence about the pool, the sharing rule or one person's payout. Each
method's own words live in its registry entry (:mod:`planning.methods`) and are read here.
"""

from __future__ import annotations

import pandas as pd

from planning.bonus_result import BonusResult
from planning.methods import pool_limit, pool_method, sharing_method
from planning.money import format_cents, format_percent
from planning.plan import Plan

__all__ = ["explain_pool", "pool_sentences", "sharing_rule_text", "explain_payout", "weight_sentence",
           "bonus_text", "pnl_text", "scenario_text", "simulate_text"]


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
