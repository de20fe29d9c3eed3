"""Command line: ``python -m planning`` or ``planning``.

Every command loads and validates the whole input first; bad input is one line per problem on
stderr, exit 2, no traceback, no output file (:func:`planning.commandline.run`; with ``--json``
also one JSON object). Subcommands are registered with :func:`planning.commandline.add_command`;
``docs/cli.md`` lists each command's JSON keys.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planning.cli_year import add_year_parser, year_bonus_output
from planning.commandline import (
    EXIT_BAD_INPUT,
    Parser,
    add_command,
    emit,
    output_option,
    period_option,
    plan_option,
    print_json,
    write_outputs,
)
from planning.commandline import run as run_command
from planning.errors import InputError
from planning.executors import executor_options
from planning.importing import add_import_commands
from planning.launch import add_server_commands
from planning.terminal import PROGRESS_DELAY, is_terminal, progress_bar, require_extra
from planning.version import DISTRIBUTION, VERSION

__all__ = ["main", "build_parser"]

def _load(args):
    from planning.inputs import load_inputs

    inputs = load_inputs(args.data, getattr(args, "plan", None))
    return inputs.dataset, inputs.plan


# --- commands -------------------------------------------------------------------------------


def _validation(dataset, plan) -> dict:
    """What ``validate`` checked and found: the keys of ``validate --json``."""
    staff = dataset.staff
    accounts = None
    if (dataset.root / "accounts.yaml").exists():   # the mapping for `planning import` (docs/data.md)
        from planning.books import load_accounts

        mapping = load_accounts(dataset.root / "accounts.yaml")
        accounts = {"rules": len(mapping.rules), "departments": len(mapping.departments.order)}
    unknown = sorted(set(plan.distribution.department_weights) - set(staff["department"]))
    notes = []
    if unknown:
        notes.append(f"distribution.department_weights names {', '.join(map(repr, unknown))}, which no one in "
                     "staff.csv belongs to (names must match exactly); it changes nothing")
    return {
        "valid": True,
        "data": str(dataset.root),
        "company": dataset.company.name,
        "currency": dataset.company.currency,
        "files": sorted(dataset.sources),
        "staff": {"rows": len(staff), "bonus_eligible": int(staff["bonus_eligible"].sum()),
                  "departments": int(staff["department"].nunique())},
        "actuals": [str(p) for p in dataset.periods],
        "targets": [str(p) for p in dataset.targets["period"]],
        "reportable": [str(p) for p in dataset.reportable_periods],
        "funnel_rows": len(dataset.funnel),
        "plan": {"gates": {"revenue": plan.gates.revenue, "gop": plan.gates.gop},
                 "pool": plan.pool.method, "distribution": plan.distribution.method},
        "scenarios": list(dataset.scenarios.names) if dataset.scenarios is not None else None,
        "accounts": accounts,
        "notes": notes,
        "problems": [],
    }


def cmd_validate(args) -> int:
    dataset, plan = _load(args)
    found = _validation(dataset, plan)
    if args.json:
        print_json(found)
        return 0
    staff, periods = found["staff"], found["actuals"]
    print(f"{found['company']}: dataset is valid ({found['data']})")
    print(f"  staff:    {staff['rows']} rows, {staff['bonus_eligible']} marked bonus-eligible (the flag "
          f"in staff.csv; who qualifies in a quarter also depends on its dates), "
          f"{staff['departments']} departments")
    print(f"  actuals:  {len(periods)} periods ({periods[0]} to {periods[-1]})" if periods else "  actuals:  none")
    print(f"  targets:  {len(found['targets'])} periods; reportable: {len(found['reportable'])}")
    print(f"  funnel:   {found['funnel_rows']} campaign rows")
    gates = ", ".join(f"{name} at least {level * 100:g}%" for name, level in
                      (("revenue", plan.gates.revenue), ("GOP", plan.gates.gop)) if level is not None)
    print(f"  plan:     {'gates ' + gates if gates else 'no gates'}; pool {plan.pool.method}; "
          f"shared by {plan.distribution.method}")
    if found["scenarios"] is not None:
        print(f"  scenarios: {', '.join(found['scenarios'])}")
    if found["accounts"] is not None:
        print(f"  accounts: {found['accounts']['rules']} rules for `planning import`, "
              f"{found['accounts']['departments']} departments")
    for note in found["notes"]:
        print(f"  note:     {note}")
    return 0


def cmd_pnl(args) -> int:
    from planning.financials import period_result
    from planning.words import pnl_text

    dataset, _ = _load(args)
    result = period_result(dataset, args.period)
    if args.json:
        print_json(result.as_dict())
        return 0
    sys.stdout.write(pnl_text(dataset.company.name, result, dataset.company.currency))
    return 0


def cmd_bonus(args) -> int:
    from planning.bonus import bonus_for_period
    from planning.words import bonus_text

    dataset, plan = _load(args)
    if plan.year is not None:   # the quarter as its bonus year settles it
        result, text = year_bonus_output(args, dataset, plan)
    else:
        result = bonus_for_period(dataset, args.period, plan)
        text = (json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n" if args.json
                else bonus_text(dataset.company.name, result))
    _write_outputs(args, result, text)
    if not args.output:
        sys.stdout.write(text)
    return 0


def _write_outputs(args, result, text: str, workbook=None) -> None:
    """``--xlsx``, ``--csv`` and ``--output`` all or none; a path that cannot be written is bad input."""
    from planning.export import bonus_workbook

    files = []
    if args.xlsx:
        files.append(("--xlsx", args.xlsx, lambda tmp: (workbook or bonus_workbook)(tmp, result)))
    if getattr(args, "csv", None):
        csv_text = _payroll_text(result)
        files.append(("--csv", args.csv, lambda tmp: tmp.write_text(csv_text, encoding="utf-8", newline="")))
    if args.output:
        files.append(("--output", args.output, lambda tmp: tmp.write_text(text, encoding="utf-8")))
    write_outputs(files)


def _payroll_text(result) -> str:
    """``--csv``: one line per payout for the payroll system (planning.payroll), of a
    quarter's :class:`~planning.bonus_result.BonusResult` or a :class:`~planning.year.YearResult`."""
    from planning.payroll import payroll_csv_text, payroll_frame, year_payroll_frame

    if hasattr(result, "year_end"):
        return payroll_csv_text(year_payroll_frame(result))
    return payroll_csv_text(payroll_frame(result.allocations, result.period, result.currency))


def cmd_report(args) -> int:
    import time

    require_extra("report")
    from planning.reporting.companies import many_companies, plan_company_reports
    from planning.reporting.defaults import DEFAULT_DRAWS, DEFAULT_SEED
    from planning.reporting.publishing import report_filename
    from planning.reporting.runner.batch import render_reports
    from planning.reporting.runner.jobs import ReportError, jobs_covered, plan_reports

    periods, years = (None, None) if args.all else ([], [args.year]) if args.year else ([args.period], [])
    audiences = [args.audience] if args.audience else (["owner", "staff"] if args.all else ["owner"])
    seed = DEFAULT_SEED if args.seed is None else args.seed
    draws = DEFAULT_DRAWS if args.draws is None else args.draws
    if args.jobs is not None and args.jobs < 1:
        raise InputError.single("--jobs", f"{args.jobs} is not a number of workers; expected a whole number "
                                "from 1 (default: the number of CPU cores)")
    companies = many_companies(args.data if isinstance(args.data, list) else [args.data])
    if companies is None:
        jobs = plan_reports(args.data[0] if isinstance(args.data, list) else args.data, periods, audiences,
                            args.plan, seed, draws, years=years)  # validate first
    else:  # each company into OUT/<its folder's name>/, all on one pool of workers
        jobs = plan_company_reports(companies, periods, audiences, args.plan, seed, draws, years)
    started = time.perf_counter()
    index = Path(args.out) / "index.html" if companies is None else Path(args.out)
    failures: dict[str, str] = {}
    status = 0
    try:
        paths = render_reports(jobs, args.out, workers=args.jobs,
                               progress=args.all and not args.quiet and is_terminal())
    except ReportError as exc:  # what was published, what failed; exit 2 if a page could not be written
        if not args.json:
            return exc.print_report(len(jobs), index, EXIT_BAD_INPUT)
        failures, status = exc.failures, (EXIT_BAD_INPUT if exc.unwritten else 1)
        paths = [Path(args.out) / job.folder / report_filename(job.period, job.audience) for job in jobs
                 if job.key not in failures]
    seconds = time.perf_counter() - started
    if args.json:
        print_json({"reports": [{"period": job.period, "audience": job.audience, "path": str(path)}
                                | ({"company": job.folder} if companies else {})
                                 for job, path in zip([j for j in jobs if j.key not in failures], paths, strict=True)],
                     "index": None if companies else str(index), "seed": seed, "draws": draws,
                     "seconds": round(seconds, 3),
                     "failures": [{"report": key, "message": reason} for key, reason in failures.items()]}
                    | ({"companies": [{"company": name, "data": str(path), "index": str(index / name / "index.html")}
                                      for name, path in companies]} if companies else {}))
        return status
    for path in paths:
        print(path)
    if not args.all and args.audience is None:
        print("rendered the owner report only (the default audience); add --audience staff for the version "
              "everyone may read, or --all for every quarter and both audiences", file=sys.stderr)
    where = (f"open {index}" if companies is None else
             f"{len(companies)} companies, each with its index: {index}/<company>/index.html")
    print(f"{len(paths)} report{'s' if len(paths) != 1 else ''} for {jobs_covered(jobs)} "
          f"in {seconds:.1f} s; {where}", file=sys.stderr)
    return 0


def cmd_statements(args) -> int:
    from planning.files import CannotWrite
    from planning.reporting.statements import write_statements

    try:
        paths = write_statements(args.data, args.period, args.out, args.plan)
    except CannotWrite as exc:  # nothing was published; the previous statements are as they were
        raise InputError.single("--out", f"{exc.path} cannot be written ({exc.strerror}); nothing was "
                                "published (the previous statements, if any, are as they were); expected "
                                "a folder you can write to, with space for the statements") from None
    if args.json:
        print_json({"period": paths[-1].parent.name, "folder": str(paths[-1].parent),
                    "index": str(paths[-1]), "statements": [str(p) for p in paths[:-1]]})
        return 0
    print(f"{len(paths) - 1} personal statements in {paths[-1].parent}/ (list: {paths[-1]}). "
          "They are confidential: send each file only to its person.")
    return 0


def cmd_scenario(args) -> int:
    from planning.scenarios import driver_table, run_scenario, scenario_set
    from planning.words import scenario_text

    dataset, plan = _load(args)
    result = run_scenario(dataset, args.period, args.name, plan)
    if args.json:
        emit(args, json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    scenario = scenario_set(dataset).get(args.name)
    table = driver_table(dataset, args.period, args.name, plan)
    text = scenario_text(dataset.company.name, scenario, result, table)
    if result.year is not None:   # the planned quarter after the actual year so far
        from planning.year_words import planned_quarter_lines

        text += "\n" + "".join(f"  {line}\n" for line in planned_quarter_lines(result))
    emit(args, text)
    return 0


def cmd_simulate(args) -> int:
    import scipy.stats  # noqa: F401  (loads before the bar's clock starts: the bar times the draws)

    from planning.executors import open_executor
    from planning.montecarlo import simulate
    from planning.words import simulate_text

    dataset, plan = _load(args)
    scenario = args.scenario
    if args.base_period is not None:  # as the quarterly report's outlook does
        from planning.scenarios import projected_from

        _, scenario, _ = projected_from(dataset, args.base_period, args.scenario, args.period)
    # A bar only on a terminal; by default one that appears when the run lasts over a second.
    with (open_executor("simulate", args.workers, args.scheduler) as executor,
          progress_bar(args.draws, f"simulating {args.scenario}", "draw", show=args.progress) as bar):
        result = simulate(dataset, args.period, scenario, draws=args.draws, seed=args.seed,
                          plan=plan, progress=bar, executor=executor)
    if args.json:
        emit(args, json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    text = simulate_text(dataset.company.name, result)
    if result.year is not None:   # the rest of the bonus year, drawn from the same drivers
        from planning.year_words import simulate_year_lines

        text += "\n" + "".join(f"  {line}\n" for line in simulate_year_lines(result))
    emit(args, text)
    return 0


# --- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from planning.reporting.defaults import DEFAULT_DRAWS, DEFAULT_SEED

    parser = Parser(prog="planning", description="Shared targets and a company-wide success bonus.")
    parser.add_argument("--version", action="version", version=f"%(prog)s ({DISTRIBUTION}) {VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add_command(sub, "validate", cmd_validate, "check every file of a dataset")

    p = add_command(sub, "pnl", cmd_pnl, "the company P&L of a period against its targets")
    period_option(p)

    p = add_command(sub, "bonus", cmd_bonus, "the success bonus of a period, person by person")
    period_option(p)
    plan_option(p)
    output_option(p)
    p.add_argument("--xlsx", metavar="FILE",
                   help="also write a workbook (summary and people sheets) for the bookkeeper (default: none)")
    p.add_argument("--csv", metavar="FILE",
                   help="also write the payouts for payroll import, one line per person paid: employee_id, "
                        "name, period, pay_item, amount, currency (docs/payroll.md; default: none)")

    add_year_parser(sub, _load, _write_outputs)

    p = add_command(sub, "report", cmd_report, "render quarterly reports (HTML) for the owner and for all staff",
                    json_help="print what was written as one JSON object (keys: docs/cli.md)", many_data=True)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--period", metavar="QUARTER", help="one quarter like 2026Q3 (this, --year or --all is required)")
    which.add_argument("--year", metavar="FY", help="the year-end report of one fiscal year like FY2026 or 2026 (no default)")
    which.add_argument("--all", action="store_true",
                       help="every quarter with actuals and targets, both audiences unless --audience")
    p.add_argument("--audience", choices=["owner", "staff"],
                   help="owner (every payout) or staff (company figures only); default owner, or both with --all")
    p.add_argument("--out", default="reports", type=Path, metavar="DIR", help="output folder (default: reports)")
    plan_option(p)
    p.add_argument("--seed", type=int, metavar="N", help=f"seed for the Monte Carlo outlook (default {DEFAULT_SEED})")
    p.add_argument("--draws", type=int, metavar="N", help=f"Monte Carlo draws (default {DEFAULT_DRAWS})")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="parallel workers for --all (default: CPU count)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (there is none unless stderr is a terminal)")

    p = add_command(sub, "statements", cmd_statements, "one confidential HTML bonus statement per eligible person",
                    json_help="print what was written as one JSON object (keys: docs/cli.md)")
    period_option(p)
    p.add_argument("--out", default="reports/statements", type=Path, metavar="DIR",
                   help="output folder; pages go to OUT/<period>/ (default: reports/statements)")
    plan_option(p)

    p = add_command(sub, "scenario", cmd_scenario, "a what-if scenario's projected quarter and bonus (scenarios.yaml)",
                    json_help="print one JSON object (the keys of bonus --json)")
    period_option(p, "the quarter being planned, like 2027Q1 (required)")
    p.add_argument("--name", default="base", metavar="NAME", help="the scenario's name in scenarios.yaml (default: base)")
    plan_option(p)
    output_option(p)

    p = add_command(sub, "simulate", cmd_simulate, "Monte Carlo: how likely the bonus pays and how big it is")
    period_option(p, "the quarter being planned, like 2027Q1 (required)")
    p.add_argument("--scenario", default="base", metavar="NAME", help="scenario in scenarios.yaml (default: base)")
    p.add_argument("--draws", type=int, default=10_000, metavar="N", help="number of draws (default 10000)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed: the same seed, the same numbers (default 0)")
    p.add_argument("--base-period", metavar="QUARTER",
                   help="project from this quarter's actuals (and use its targets if --period has none), as the "
                        "quarterly report's outlook does (default: the latest quarter of actuals at or before --period)")
    plan_option(p)
    output_option(p)
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on stderr; off a terminal a plain line per tenth (default: a bar on a "
                        f"terminal if the run takes over {PROGRESS_DELAY:g} s, else nothing)")
    executor_options(p, "the draws")

    add_import_commands(sub)
    add_server_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``planning`` with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    return run_command(build_parser(), argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
