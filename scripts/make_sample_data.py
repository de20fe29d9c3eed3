"""Write the sample company into data/ (deterministic: fixed seed, no network).

Bluegum Fitouts Pty Ltd is a FICTIONAL Australian commercial fit-out firm (offices, clinics, shops)
of about 45 people; all names are invented. AUD; the fiscal year starts on 1 July (2025Q1 =
Jul-Sep 2024, 2026Q4 = Apr-Jun 2026). Sales books project revenue; Fulfilment (project managers,
site crews) builds the jobs and bills small service call-outs; Marketing, IT and Finance & HR
support them. The two founders are Directors.

How the numbers were chosen:
* Targets come first, like a real budget: revenue target = 3.85M x 1.8% growth a quarter x a
  seasonal factor (Jul-Sep 1.00, Oct-Dec 1.04 before the Christmas shutdown, Jan-Mar 0.95 after
  it, Apr-Jun 1.04 for end-of-financial-year capex), rounded to 10k; the GOP target is 10.5% of
  the revenue target, rounded to 1k.
* Actuals = target x a designed attainment (ATTAINMENT below) x a small seeded jitter, so the
  bonus gates (revenue >= 95%, GOP >= 100% of target) give mixed outcomes: most quarters pass
  with GOP 2-15% over target; 2025Q4 misses revenue (two big jobs slipped into FY2026);
  2026Q2 makes revenue but misses GOP (material price rises and pre-Christmas overtime);
  2026Q4 is a record EOFY quarter whose raw pool (30% of GOP above target) hits the 45k cap.
* Opex per department = its payroll for the quarter (salary x fte x days employed, with 16%
  on-costs for super, payroll tax and workers' comp) + its overheads (rent and insurance sit in
  Finance & HR; Marketing's overheads include the campaign spend in funnel.csv). As usual in
  job costing, 60% of the site crews' time (Fulfilment Seniors and Associates) is charged to
  jobs, i.e. to COGS, so Fulfilment's opex is its non-billable payroll plus overheads.
  COGS (site labour, materials and subcontractors; nearly all in Fulfilment) is what is left
  so that GOP = revenue - cogs - opex hits the designed value; gross margin lands at 40-46%.
* funnel.csv: 3-6 campaigns a quarter drawn from a small catalogue with seeded lead counts and
  binomial qualify/win steps; campaign revenue is 34-50% of the quarter's Sales revenue, split
  across campaigns by deals won. The brand campaign spends but wins nothing (flagged by design).
main() asserts all of this and prints the per-quarter table.
"""

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20240701
COLUMNS = {k: v.split() for k, v in {
    "staff": "employee_id name department role annual_salary fte start_date end_date "
    "bonus_eligible",
    "actuals": "period department revenue cogs opex", "targets": "period revenue_target gop_target",
    "funnel": "period campaign channel spend leads qualified won revenue"}.items()}
DATA = Path(__file__).resolve().parents[1] / "data"
PERIODS = [f"{fy}Q{q}" for fy in (2025, 2026) for q in (1, 2, 3, 4)]
DEPARTMENTS = ["Sales", "Marketing", "Fulfilment", "IT", "Finance & HR"]
SEASON = {1: 1.00, 2: 1.04, 3: 0.95, 4: 1.04}
# period: (revenue attainment, GOP attainment) before jitter
ATTAINMENT = {"2025Q1": (1.02, 1.06), "2025Q2": (1.03, 1.11), "2025Q3": (0.99, 1.03),
              "2025Q4": (0.915, 0.86), "2026Q1": (1.01, 1.08), "2026Q2": (0.98, 0.935),
              "2026Q3": (1.02, 1.04), "2026Q4": (1.05, 1.36)}
ONCOST = 1.16  # super, payroll tax, workers' comp on top of salary
BILLABLE = 0.6  # share of site crews' (Fulfilment Senior/Associate) time charged to jobs = COGS
OVERHEADS = {"Sales": 36000, "Marketing": 9000, "Fulfilment": 52000, "IT": 27000,
             "Finance & HR": 88000}
NAMES = """Aroha Whitfield, Bilal Okonkwo, Chen Lindqvist, Dana Papadakis, Eamon Achterberg,
Farah Kowalczyk, Giulia Tanaka-Reid, Hemi Fairweather, Ines Moreau, Jarrah Blackwood,
Kenji Abernethy, Leilani Osei, Mateo van der Berg, Nadia Ferreira, Oluwaseun Grant,
Priya Castellano, Quinn Halvorsen, Rania Haddad, Sione Latu, Tamsin Ashgrove, Uma Raghunathan,
Viktor Szabo, Wren Calloway, Xiu Mei Porter, Yusuf Demir, Zara Nkemelu, Arjun Whitlock,
Bronte Kaur, Callum Nakamura, Dimitra Oyelaran, Elif Brennan, Fergus Mbeki, Grace Thornbury,
Hamish Quispe, Isla Petrovic, Joaquin Mulvaney, Kirra Lindstrom, Liam Ong-Barrett,
Mele Fonoti, Niamh Adebayo, Omar Castellanos, Pania Hollis, Rafael Ironbark, Saoirse Tan,
Tomasz Whitehaven, Vaea Sorensen, Wiremu Delacroix, Yasmin Goldberg, Zhen Alvarado"""
# core staff: department -> [(role, count, (salary low, high))]; all full-time and eligible
CORE = {"Sales": [("Manager", 1, (138, 150)), ("Senior", 2, (104, 118)),
                  ("Associate", 2, (72, 86))],
        "Marketing": [("Manager", 1, (128, 138)), ("Senior", 2, (96, 108)),
                      ("Associate", 1, (70, 78))],
        "Fulfilment": [("Manager", 2, (132, 148)), ("Senior", 5, (98, 116)),
                       ("Associate", 9, (72, 84)), ("Coordinator", 1, (62, 68))],
        "IT": [("Manager", 1, (140, 152)), ("Senior", 1, (112, 120)), ("Associate", 1, (78, 84))],
        "Finance & HR": [("Manager", 1, (132, 142)), ("Senior", 1, (100, 110)),
                         ("Associate", 1, (72, 78))]}
# the interesting people: (department, role, salary, fte, start, end, bonus_eligible)
SPECIAL = [
    ("Sales", "Director", 180000, 1.0, "2009-02-02", "", False),  # owner, managing director
    ("Fulfilment", "Director", 172000, 1.0, "2009-02-02", "", False),  # owner, operations
    ("Fulfilment", "Contractor", 128000, 1.0, "2023-11-06", "", False),  # estimator on contract
    ("IT", "Contractor", 124000, 0.6, "2024-02-12", "", False),  # part-time systems contractor
    ("Sales", "Associate", 78000, 0.8, "2022-03-14", "", True),  # part-time
    ("Marketing", "Coordinator", 64000, 0.6, "2021-09-20", "", True),  # part-time
    ("Fulfilment", "Coordinator", 66000, 0.8, "2020-05-04", "", True),  # part-time
    ("Finance & HR", "Coordinator", 60000, 0.5, "2023-01-16", "", True),  # part-time payroll
    ("Fulfilment", "Associate", 76000, 1.0, "2024-10-01", "", True),  # joins first day of 2025Q2
    ("Sales", "Senior", 112000, 1.0, "2025-01-01", "", True),  # joins first day of 2025Q3
    ("Fulfilment", "Senior", 104000, 1.0, "2025-07-01", "", True),  # joins first day of 2026Q1
    ("Finance & HR", "Associate", 74000, 1.0, "2025-10-01", "", True),  # joins first day of 2026Q2
    ("Marketing", "Associate", 76000, 1.0, "2026-04-01", "", True),  # joins first day of 2026Q4
    ("Fulfilment", "Associate", 74000, 1.0, "2026-05-18", "", True),  # joins mid-2026Q4 (44 days)
    ("Fulfilment", "Senior", 108000, 1.0, "2016-08-08", "2025-09-30", True),  # leaves end of 2026Q1
    ("Sales", "Associate", 80000, 1.0, "2019-06-03", "2026-05-08", True)]  # leaves mid-2026Q4
# name, channel, leads/quarter, qualify rate, win rate of qualified, typical deal, cost per lead
CATALOGUE = [("Office fit-out search", "Search ads", 95, 0.25, 0.22, 95000, 170),
             ("Facility managers LinkedIn", "LinkedIn", 40, 0.30, 0.25, 160000, 270),
             ("Client referral rewards", "Referral programme", 16, 0.60, 0.35, 140000, 300),
             ("Past-client newsletter", "Email", 35, 0.25, 0.20, 70000, 70),
             ("Workplace Design Expo stand", "Trade show", 80, 0.25, 0.12, 120000, 400),
             ("Podcast and radio sponsorship", "Brand / awareness", 10, 0.20, 0.0, 0, 1400)]
# which catalogue entries (by channel initial) run in each quarter
RUNS = {"2025Q1": "SLRT", "2025Q2": "SLRB", "2025Q3": "SLEB", "2025Q4": "SLRB",
        "2026Q1": "SLRETB", "2026Q2": "SLRB", "2026Q3": "SLREB", "2026Q4": "SLRB"}
COMPANY = """# Sample data for the planning workbook. The company and everyone in it are FICTIONAL.
name: Bluegum Fitouts Pty Ltd (fictional)
currency: AUD
fiscal_year_start_month: 7   # Australian fiscal year: 1 July to 30 June; 2026Q1 = Jul-Sep 2025
"""
PLAN = """# Bluegum's quarterly success bonus: everyone shares in profit above target, but only
# when the company hits BOTH its revenue and its GOP (gross operating profit) targets.
gates:                   # every gate must hold, otherwise there is no bonus that quarter
  revenue: 0.95          # revenue must reach at least 95% of the revenue target
  gop: 1.0               # GOP must reach at least 100% of the GOP target
pool:
  method: excess_gop_share    # pool = rate x (GOP - GOP target)
  rate: 0.30                  # staff get 30 cents of every dollar of GOP above target
  target_pool: 30000          # only used by method payout_curve
  metric: gop                 # only used by payout_curve: which attainment drives the curve
  curve: [[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]   # payout_curve: [attainment, x target_pool]
  floor: 0                    # no guaranteed minimum pool once the gates pass
  cap: 45000                  # never more than AUD 45k a quarter (~5% of eligible payroll)
  self_funding: true          # the pool never exceeds the GOP earned above target
distribution:
  method: salary              # shares pro rata to salary x fte x share of the quarter worked
  points: {default: 1, Manager: 2, Director: 3}   # used if method is switched to points
  department_weights: {}      # every department counts the same
  require_employed_at_period_end: true   # leavers before the quarter's last day get nothing
  min_days_in_period: 30      # must have worked at least 30 days of the quarter
  individual_cap: 0.10        # nobody gets more than 10% of their salary for the quarter
"""


def bounds(period: str) -> tuple[date, date]:
    """First and last day of a fiscal quarter when the fiscal year starts in July."""
    fy, q = int(period[:4]), int(period[5])
    start = date(fy - 1 + (q >= 3), (6 + 3 * (q - 1)) % 12 + 1, 1)
    return start, date(start.year + (q == 2), (start.month + 2) % 12 + 1, 1) - timedelta(days=1)


def make_staff(rng: np.random.Generator) -> list[dict]:
    rows = [dict(zip(COLUMNS["staff"][2:], s, strict=True)) for s in SPECIAL]
    for dept, roles in CORE.items():
        for role, count, (lo, hi) in roles:
            for _ in range(count):
                start = date(2008, 1, 7) + timedelta(days=int(rng.integers(600, 5900)))
                rows.append({"department": dept, "role": role, "fte": 1.0, "end_date": "",
                             "annual_salary": int(rng.integers(lo, hi + 1)) * 1000,
                             "start_date": start.isoformat(), "bonus_eligible": True})
    rows.sort(key=lambda r: (r["start_date"], r["department"], r["role"]))
    names = [n.strip() for n in NAMES.split(",")]
    order = rng.permutation(len(names))
    for i, row in enumerate(rows):
        row["employee_id"], row["name"] = f"E{i + 1:03d}", names[order[i]]
    return rows


def payroll(staff: list[dict], period: str, dept: str | None, eligible_only=False,
            roles: tuple = ()) -> float:
    """Salary cost of the quarter: annual_salary x fte x days employed / days in period / 4."""
    p0, p1 = bounds(period)
    days, total = (p1 - p0).days + 1, 0.0
    for s in staff:
        start = date.fromisoformat(s["start_date"])
        end = date.fromisoformat(s["end_date"]) if s["end_date"] else p1
        d_in = (min(end, p1) - max(start, p0)).days + 1
        eligible = s["bonus_eligible"] and d_in >= 30 and end >= p1  # plan.yaml's rules
        if d_in > 0 and dept in (None, s["department"]) and (not roles or s["role"] in roles) \
                and (eligible or not eligible_only):
            total += s["annual_salary"] * s["fte"] * d_in / days / 4
    return total


def make_funnel(rng: np.random.Generator, period: str, t: int, sales_rev: float) -> list[dict]:
    rows = []
    for name, channel, leads0, q_rate, w_rate, deal, cpl in CATALOGUE:
        if channel[0] not in RUNS[period]:
            continue
        leads = max(5, round(leads0 * 1.02**t * rng.lognormal(0, 0.15)))
        qualified = max(1, int(rng.binomial(leads, q_rate)))
        won = max(1, int(rng.binomial(qualified, w_rate))) if w_rate else 0  # brand wins nothing
        spend = round(cpl * leads0 * 1.01**t * rng.uniform(0.9, 1.1), -2)
        rows.append({"period": period, "campaign": name, "channel": channel, "spend": spend,
                     "leads": leads, "qualified": qualified, "won": won,
                     "w": won * deal * rng.lognormal(0, 0.2)})
    campaign_revenue, total_w = sales_rev * rng.uniform(0.34, 0.50), sum(r["w"] for r in rows)
    for r in rows:
        r["revenue"] = round(campaign_revenue * r.pop("w") / total_w, 2)
    return rows


def write_csv(name: str, rows: list[dict], cols: list[str]) -> None:
    with open(DATA / name, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: (f"{r[c]:.2f}" if isinstance(r[c], float) and c != "fte"
                            else str(r[c]).lower() if isinstance(r[c], bool) else r[c])
                        for c in cols})


def main() -> None:
    rng = np.random.default_rng(SEED)
    staff = make_staff(rng)
    actuals, targets, funnel, outcomes = [], [], [], []
    print("period revenue rev_target rev_att GOP gop_target gop_att GM gates pool elig_payroll")
    for t, p in enumerate(PERIODS):
        rev_t = round(3.85e6 * 1.018**t * SEASON[int(p[5])], -4)
        gop_t = round(0.105 * rev_t, -3)
        a_r, a_g = ATTAINMENT[p]
        revenue = round(rev_t * a_r * rng.uniform(0.997, 1.003), 2)
        gop = round(gop_t * a_g * rng.uniform(0.995, 1.005), 2)
        callouts = round(revenue * rng.uniform(0.03, 0.045), 2)
        rev = {"Sales": round(revenue - callouts, 2), "Fulfilment": callouts}
        funnel += make_funnel(rng, p, t, rev["Sales"])
        spend = sum(r["spend"] for r in funnel if r["period"] == p)
        site_crew = BILLABLE * payroll(staff, p, "Fulfilment", roles=("Senior", "Associate"))
        opex = {d: round((payroll(staff, p, d) - (site_crew if d == "Fulfilment" else 0)) * ONCOST
                         + OVERHEADS[d] * 1.01**t * rng.uniform(0.96, 1.04)
                         + (spend if d == "Marketing" else 0), 2) for d in DEPARTMENTS}
        cogs = {"Sales": round(rev["Sales"] * 0.015, 2)}  # third-party design and render fees
        cogs["Fulfilment"] = round(revenue - sum(opex.values()) - gop - cogs["Sales"], 2)
        for d in DEPARTMENTS:
            actuals.append({"period": p, "department": d, "revenue": rev.get(d, 0.0),
                            "cogs": cogs.get(d, 0.0), "opex": opex[d]})
        targets.append({"period": p, "revenue_target": rev_t, "gop_target": gop_t})
        tot = {k: round(sum(r[k] for r in actuals if r["period"] == p), 2)  # as written
               for k in ("revenue", "cogs", "opex")}
        rev_sum, gop_sum = tot["revenue"], round(tot["revenue"] - tot["cogs"] - tot["opex"], 2)
        ar, ag, gm = rev_sum / rev_t, gop_sum / gop_t, 1 - tot["cogs"] / rev_sum
        gates = ("R" if ar >= 0.95 else "-") + ("G" if ag >= 1.0 else "-")
        pool = min(45000, 0.30 * (gop_sum - gop_t)) if gates == "RG" else 0  # 45000: plan cap
        print(f"{p}  {rev_sum:10.2f} {rev_t:9.0f}  {ar:.4f}  {gop_sum:9.2f} {gop_t:7.0f}  "
              f"{ag:.4f}  {gm:.3f}  {gates}  {pool:9.2f}  {payroll(staff, p, None, True):9.0f}")
        assert 3.5e6 <= rev_sum <= 4.8e6 and 0.40 <= gm <= 0.46 and 0.08 <= gop_sum / rev_sum < .14
        assert cogs["Fulfilment"] > 0 and (gates != "RG" or p == PERIODS[-1] or 1.02 <= ag <= 1.15)
        outcomes.append(gates)
    assert outcomes.count("-G") + outcomes.count("--") == 1 and outcomes.count("R-") == 1
    assert outcomes[-1] == "RG" and 40000 <= pool <= 70000  # 2026Q4 is the demo quarter
    assert all(0 <= r["won"] <= r["qualified"] <= r["leads"] for r in funnel)
    won, leads = sum(r["won"] for r in funnel), sum(r["leads"] for r in funnel)
    print(f"staff {len(staff)}, funnel rows {len(funnel)}, lead-to-win {won / leads:.3f}")
    assert 45 <= len(staff) <= 55 and 0.03 <= won / leads <= 0.10
    for name, rows in zip(COLUMNS, [staff, actuals, targets, funnel], strict=True):
        write_csv(f"{name}.csv", rows, COLUMNS[name])
    (DATA / "company.yaml").write_text(COMPANY, encoding="utf-8")
    (DATA / "plan.yaml").write_text(PLAN, encoding="utf-8")


if __name__ == "__main__":
    main()
