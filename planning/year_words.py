"""The words of the bonus year: the sentences an owner reads for each quarter and the year end.

Every face (CLI, reports, statements, cockpit) calls these; the numbers come from
:mod:`planning.year`. Amounts are written with cents, as :func:`planning.bonus.explain_pool`.
"""

from __future__ import annotations

from dataclasses import replace

from planning.bonus_result import GateCheck
from planning.methods import pool_limit
from planning.money import format_cents, format_percent, sum_cents
from planning.words import sharing_rule_text
from planning.year import QuarterSettlement, YearEndNeed, YearResult, year_plan

__all__ = [
    "year_pool_sum",
    "settle_words",
    "year_so_far",
    "explain_quarter",
    "explain_year_end",
    "explain_year",
    "explain_person_year",
    "statement_year_lines",
    "year_text",
]


def _money(result: YearResult):
    return lambda x: format_cents(x, result.currency)


def _behind(gate: GateCheck, m, when: str) -> str:
    """``the company is AUD 40,000.00 behind its GOP target for the year so far``."""
    target = "target" if gate.threshold == 1 else f"gate ({format_percent(gate.threshold)} of its target)"
    return f"the company is {m(gate.gap_amount)} behind its {gate.name} {target} {when}"


def settle_words(result: YearResult) -> str:
    """How the plan settles the year, in one sentence (the reports' and statements' first line)."""
    holdback = (f"{format_percent(result.holdback, 0)} of each quarter's pool is held back to the year end"
                if result.holdback else "nothing is held back to the year end")
    if result.settle == "year_to_date":
        how = ("Each quarter pays what the year so far has earned, less what earlier quarters of the year paid, "
               "so a weak quarter must be made good before later quarters pay again")
    else:
        how = "Each quarter's pool is worked out on the quarter alone"
    gates = year_plan_gates(result)
    end = (f"; the reserve is paid at the year end only if the full year reaches {gates}" if gates and result.holdback
           else "")
    return f"{how}; {holdback}{end}."


def year_so_far(result: YearResult, unallocated: bool = True) -> list[str]:
    """The year through its last settled quarter, and what the rest of the year needs.

    What the year has earned and paid (shared and held back), the shortfall later quarters
    must make good before they pay again, and (for a year in progress) what the year end
    needs for the reserve to be paid; for a complete year, the year end's outcome
    (``unallocated`` as in :func:`explain_quarter`).
    """
    m = _money(result)
    if not result.quarters:
        return []
    last = result.quarters[-1]
    fy = result.fiscal_year
    shared = sum_cents([q.shared_now for q in result.quarters], result.currency)
    through = last.period if len(result.quarters) > 1 else f"its first quarter, {last.period}"
    lines = [f"Through {through}, the quarters' pools of {fy} add up to {m(result.total_pool)}: "
             f"{m(shared)} shared and {m(result.reserve)} held back in the reserve."]
    if result.settle == "year_to_date" and (last.shortfall > 0 or not last.gates_passed):
        short = (f"The pool earned for the year so far is {m(last.earned_to_date)}, {m(last.shortfall)} less than the "
                 "year has paid" if last.shortfall > 0 else "The year so far misses a gate")
        if last.quarter == 4:
            lines.append(f"{short}; nothing already paid is taken back.")
        elif last.shortfall > 0:
            lines.append(f"{short}, so a later quarter pays again only once the pool earned for the year passes "
                         f"{m(last.paid_before + last.pool)}.")
        else:
            lines.append(f"{short}, so a later quarter pays again only once the year to date passes every gate.")
    lines += explain_year_end(result, unallocated=unallocated)
    return lines


def year_plan_gates(result: YearResult) -> str:
    """The year-end gates in words (``its revenue target and its GOP target``), or ``""``."""
    gates = year_plan(result.plan).year_end_gates
    parts = [f"{format_percent(level, 0) + ' of ' if level != 1 else ''}its {name} target"
             for name, level in (("revenue", gates.revenue), ("GOP", gates.gop)) if level is not None]
    return " and ".join(parts)


def explain_quarter(result: YearResult, period, unallocated: bool = True,
                    attainment: bool = True) -> list[str]:
    """Why quarter k pays what it pays: E_k, P_k, what is shared now, held back and the reserve.

    ``unallocated=False`` leaves out the sentence on what nobody could be paid (a staff page
    where that amount would show a few people's caps); ``attainment=False`` the first sentence,
    on the targets reached (a statement shows those above)."""
    q: QuarterSettlement = result.quarter(period)
    m = _money(result)
    to_date = result.settle == "year_to_date"
    when = "for the year so far" if to_date else "for the quarter"
    basis = q.basis
    figures = "The year so far" if to_date and q.quarter > 1 else "The quarter"
    lines = [f"{q.period}: {figures} made {format_percent(basis.revenue_attainment)} "
             f"of its revenue target ({m(basis.revenue)} of {m(basis.revenue_target)}) and "
             f"{format_percent(basis.gop_attainment)} of its GOP target ({m(basis.gop)} of {m(basis.gop_target)})."]
    lines = lines if attainment else []
    if not q.gates_passed:
        gate = q.failed_gates[0]
        lines.append(f"The {gate.name} gate of {format_percent(gate.threshold)} is missed: {_behind(gate, m, when)}, "
                     + ("so this quarter adds nothing until that is made good." if to_date
                        else "so there is no pool this quarter."))
    else:
        earned = "The pool earned for the year so far" if to_date else "The quarter's pool"
        text = f"{earned} is {m(q.earned_to_date if to_date else q.pool)}"
        if q.limits:
            text += " (" + "; ".join(f"{pool_limit(x.name).words} from {m(x.before)} to {m(x.after)}"
                                     for x in q.limits) + ")"
        lines.append(text + ".")
        if to_date and q.paid_before:
            if q.shortfall > 0:
                lines.append(f"Earlier quarters of the year already paid {m(q.paid_before)}, {m(q.shortfall)} more "
                             "than has been earned for the year so far, so this quarter adds nothing until that "
                             "is made good.")
            elif q.pool == 0:
                lines.append(f"Earlier quarters of the year already paid {m(q.paid_before)}, all that has been "
                             "earned so far, so this quarter adds nothing.")
            else:
                lines.append(f"Earlier quarters of the year paid {m(q.paid_before)}, so this quarter's pool is "
                             f"what was earned beyond that: {m(q.pool)}.")
        made_good = [p for p in result.quarters if p.quarter < q.quarter and p.pool == 0]
        if to_date and q.pool > 0 and made_good:
            lines.append(f"The shortfall of {', '.join(p.period for p in made_good)} has been made good, so "
                         "this quarter pays again.")
    if q.pool > 0 and q.held_back:
        lines.append(f"{format_percent(result.holdback, 0)} of it ({m(q.held_back)}) is held back to the year "
                     f"end and {m(q.shared_now)} is shared now. The reserve so far is {m(q.reserve)}.")
    elif q.pool > 0:
        lines.append(f"All of it, {m(q.shared_now)}, is shared now.")
    elif q.reserve:
        lines.append(f"The reserve so far is {m(q.reserve)}.")
    if q.unallocated and unallocated:
        lines.append(f"{m(q.unallocated)} of what is shared now could not be paid to anyone (everyone who could "
                     "take more was at their cap, or nobody was eligible) and stays with the company.")
    return lines


def year_pool_sum(result: YearResult, period) -> str:
    """``Pool AUD 9,000.00 = allocated AUD 7,200.00 + unallocated AUD 0.00 + held back AUD 1,800.00``:
    where quarter k's pool goes (``bonus --period`` with a year plan, and the cockpit)."""
    q = result.quarter(period)
    m = _money(result)
    return (f"Pool {m(q.pool)} = allocated {m(q.allocated)} + unallocated {m(q.unallocated)} + "
            f"held back {m(q.held_back)}")


def _need_text(need: YearEndNeed, m) -> str:
    target = "target" if need.threshold == 1 else f"target ({format_percent(need.threshold)} of it)"
    if need.full_year_target is None:
        return (f"the full year's {need.name} reaches its {target} (the later quarters' targets are not "
                f"in targets.csv yet; {m(need.so_far)} so far)")
    return (f"the full year's {need.name} reaches {m(round(need.threshold * need.full_year_target, 2))} "
            f"({format_percent(need.threshold)} of the year's target of {m(need.full_year_target)}): "
            f"{m(need.so_far)} so far, {m(need.still_needed)} still needed")


def explain_year_end(result: YearResult, unallocated: bool = True) -> list[str]:
    """The reserve at the year end: released and shared, or forfeited, and why (``unallocated``
    as in :func:`explain_quarter`)."""
    m = _money(result)
    end = result.year_end
    if end is None:
        if not result.reserve:
            return [f"Nothing has been held back for the year end of {result.fiscal_year} so far."]
        if not result.needs:
            return [f"The reserve so far is {m(result.reserve)}; it is paid at the year end of "
                    f"{result.fiscal_year} (there are no year-end gates)."]
        return [f"The reserve so far is {m(result.reserve)}; it is paid at the year end of {result.fiscal_year} "
                f"only if " + " and ".join(_need_text(n, m) for n in result.needs) + "."]
    full = end.result
    lines = [f"The full year {result.fiscal_year} made {format_percent(full.revenue_attainment)} of its revenue "
             f"target ({m(full.revenue)} of {m(full.revenue_target)}) and {format_percent(full.gop_attainment)} "
             f"of its GOP target ({m(full.gop)} of {m(full.gop_target)})."]
    if not end.reserve:
        lines.append("Nothing was held back, so there is no reserve to pay at the year end.")
        return lines
    if not end.gates_passed:
        gate = end.failed_gates[0]
        lines.append(f"The year-end {gate.name} gate of {format_percent(gate.threshold)} was missed: "
                     f"{_behind(gate, m, 'for the full year')}, so the reserve of {m(end.reserve)} is "
                     "forfeited and stays with the company.")
        return lines
    why = ("The year-end gates passed" if end.gates else "There are no year-end gates")
    lines.append(f"{why}, so the reserve of {m(end.reserve)} is released and shared over the year. "
                 + _year_end_rule(result))
    if result.plan.distribution.individual_cap is not None:
        lines.append(f"Nobody's bonus for the year goes above {format_percent(result.plan.distribution.individual_cap)} "
                     "of their salary for the year, counting what the quarters paid them.")
    if end.unallocated and unallocated:
        lines.append(f"{m(end.unallocated)} of it could not be paid to anyone and stays with the company.")
    return lines


def _year_end_rule(result: YearResult) -> str:
    """The sharing rule over the year, without the quarter's cap sentence (the year's follows)."""
    d = result.plan.distribution
    plan = replace(result.plan, distribution=replace(d, individual_cap=None))
    return sharing_rule_text(plan).replace("the quarter", "the year")


def explain_year(result: YearResult) -> list[str]:
    """Every quarter's sentences, then the year end's."""
    lines = []
    for q in result.quarters:
        lines += explain_quarter(result, q.period)
    return lines + explain_year_end(result)


def explain_person_year(result: YearResult, employee_id: str) -> str:
    """One person's year: each quarter's payout, the year end's and the total."""
    rows = result.people[result.people["employee_id"] == str(employee_id)]
    if rows.empty:
        raise KeyError(f"no employee {employee_id!r} in {result.fiscal_year}")
    person = rows.iloc[0]
    m = _money(result)
    parts = [f"{m(person[q.period])} in {q.period}" for q in result.quarters]
    text = f"{person['name']} was paid {', '.join(parts)}"
    if result.year_end is not None:
        text += f" and {m(person['year_end'])} at the year end"
        return text + f": {m(person['total'])} for the year {result.fiscal_year}."
    return text + f": {m(person['total'])} so far in {result.fiscal_year}."


def statement_year_lines(result: YearResult, employee_id: str) -> list[str]:
    """One person's year so far, in the second person, for their statement.

    Their payouts of the quarters settled so far and their total; what is held back is
    the company's reserve, not theirs, until the year end: say what the year end will do
    (and, once the year is complete, what it did and what they received from it).
    """
    rows = result.people[result.people["employee_id"] == str(employee_id)]
    if rows.empty:
        raise KeyError(f"no employee {employee_id!r} in {result.fiscal_year}")
    person = rows.iloc[0]
    m = _money(result)
    fy = result.fiscal_year
    parts = [f"{m(person[q.period])} in {q.period}" for q in result.quarters]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    end = result.year_end
    if end is None:
        so_far = sum_cents([person[q.period] for q in result.quarters], result.currency)
        lines = [f"Your bonus year {fy} so far: {listed}, {m(so_far)} in all."]
        if not result.reserve:
            return lines + ["Nothing has been held back for the year end so far."]
        gates = year_plan_gates(result)
        when = (f"if the full year reaches {gates}" if gates else "(the plan has no year-end gates)")
        lines.append(f"The reserve of {m(result.reserve)} held back from the quarters' pools is the company's, "
                     f"held for everyone: none of it is yours yet. At the year end of {fy} it is shared over the "
                     f"whole year by the plan's rule {when}, and it stays with the company if not.")
        lines.append("Your share of it will depend on your salary and the days you were employed over the whole "
                     "year, and on your being employed at the year end"
                     + (", up to your individual cap for the year less what the quarters paid you."
                        if result.plan.distribution.individual_cap is not None else "."))
        return lines
    lines = [f"Your bonus year {fy}: {listed} from the quarters."]
    if not end.reserve:
        lines.append("Nothing was held back, so there is no year-end payment.")
    elif not end.gates_passed:
        gate = end.failed_gates[0]
        lines.append(f"The year-end {gate.name} gate was missed ({_behind(gate, m, 'for the full year')}), so the "
                     f"reserve of {m(end.reserve)} is forfeited: there is no year-end payment.")
    else:
        why = "The year-end gates passed" if end.gates else "There are no year-end gates"
        lines.append(f"{why}, so the reserve of {m(end.reserve)} was shared over the year: "
                     f"you receive {m(person['year_end'])} from it at the year end.")
    lines.append(f"Your success bonus for the year {fy}: {m(person['total'])}.")
    return lines


def year_text(company_name: str, result: YearResult) -> str:
    """The ``planning year`` text: the explanation, the quarters' table and every person's year."""
    m = lambda x: format_cents(x, result.currency, code=False)  # noqa: E731
    cur = result.currency
    settle = {"quarter": "each quarter on its own", "year_to_date": "on the year to date"}[result.settle]
    lines = [f"{company_name}: bonus year {result.fiscal_year} (settled {settle}, "
             f"{format_percent(result.holdback, 0)} held back to the year end)", ""]
    lines += ["  " + s for s in explain_year(result)]
    header = ("period", "earned to date", "pool", "shared now", "held back", "allocated", "unallocated", "reserve")
    rows = [[q.period, *(m(v) for v in (q.earned_to_date, q.pool, q.shared_now, q.held_back, q.allocated,
                                        q.unallocated, q.reserve))] for q in result.quarters]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines += ["", f"  Quarters ({cur}):"]
    lines += ["    " + "  ".join(str(c).rjust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *rows]]
    end = result.year_end
    if end is None:
        lines += ["", f"  Year end: not yet (reserve so far {m(result.reserve)})"]
    else:
        lines += ["", f"  Year end: reserve {m(end.reserve)} = released {m(end.released)} + forfeited "
                  f"{m(end.forfeited)}; released = allocated {m(end.allocated)} + unallocated {m(end.unallocated)}"]
    table = result.people.copy()
    money_columns = [q.period for q in result.quarters] + ["year_end", "total"]
    for column in money_columns:
        table[column] = table[column].map(lambda x: "" if x != x else m(x))
    lines += ["", table[["employee_id", "name", "department", *money_columns]].to_string(index=False)]
    return "\n".join(lines) + "\n"


def planned_quarter_lines(result) -> list[str]:
    """``scenario`` for a quarter of a ``year:`` plan: the projected quarter settled in its year
    (``result``: a ScenarioResult whose ``year`` is set)."""
    return ["In its year:", *explain_quarter(result.year, result.period)]


def simulate_year_lines(result) -> list[str]:
    """``simulate`` with a ``year:`` plan: the quarter after the actual year so far, and the year end
    over the remaining quarters drawn from the same drivers (``result``: a MonteCarloResult)."""
    y, m = result.year, (lambda x: format_cents(x, result.currency))
    settle = "on the year to date" if y["settle"] == "year_to_date" else "quarter by quarter"
    before = (f": the actual quarters before it paid {m(y['paid_before'])} and hold {m(y['reserve_before'])} "
              "in reserve" if y["quarter"] > 1 else ": it is the year's first quarter")
    lines = [f"The bonus year {y['fiscal_year']} (quarter {y['quarter']} of 4), settled {settle}{before}.",
             f"The expected pool above is this quarter's pool, beyond what the year so far paid; {y['holdback']:.0%} "
             "of it is held back to the year end, and the expected bonus cost is what is shared now."]
    drawn = ", ".join(y["quarters_drawn"])
    if drawn:
        lines.append(f"{drawn} drawn from the same drivers, each quarter on its own draws"
                     + (f" ({', '.join(y['targets_assumed'])} with this quarter's targets, having none)"
                        if y["targets_assumed"] else "") + ".")
    lines += [f"The reserve is released at the year end  {y['p_reserve_released']:8.1%}",
              f"Expected reserve          {m(y['expected_reserve']):>20}",
              f"  released                {m(y['expected_released']):>20}",
              f"  forfeited               {m(y['expected_forfeited']):>20}",
              f"Expected pools of the year{m(y['expected_year_pool']):>20}",
              "Expected total for the year by department (paid so far + the rest of the year):"]
    by_dept: dict[str, float] = {}
    for p in y["expected_year_totals"]:
        by_dept[p["department"]] = by_dept.get(p["department"], 0.0) + p["expected_year_total"]
    lines += [f"  {dept:<16}{m(value):>20}" for dept, value in sorted(by_dept.items())]
    return lines
