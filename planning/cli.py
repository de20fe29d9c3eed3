"""Command line: ``python -m planning`` or ``planning``. Every command validates the whole input first;
bad input prints one line per problem to stderr and exits 2, with no traceback and no output file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from planning.cli_year import add_year_parser, year_bonus_output
from planning.errors import InputError

__all__ = ["main", "build_parser"]

EXIT_BAD_INPUT = 2


def _load(args):
    from planning.inputs import load_inputs

    inputs = load_inputs(args.data, getattr(args, "plan", None))
    return inputs.dataset, inputs.plan


def _print_json(data, output: str | None = None) -> None:
    if output:
        from planning.export import write_json

        write_json(output, data)
        print(f"wrote {output}", file=sys.stderr)
    else:
        print(json.dumps(data, indent=2, ensure_ascii=False))


# --- commands -------------------------------------------------------------------------------


def cmd_validate(args) -> int:
    dataset, plan = _load(args)
    staff = dataset.staff
    print(f"{dataset.company.name}: dataset is valid ({dataset.root})")
    print(f"  staff:    {len(staff)} rows, {int(staff['bonus_eligible'].sum())} marked bonus-eligible (the flag "
          f"in staff.csv; who qualifies in a quarter also depends on its dates), "
          f"{staff['department'].nunique()} departments")
    periods = dataset.periods
    print(f"  actuals:  {len(periods)} periods ({periods[0]} to {periods[-1]})" if periods else "  actuals:  none")
    print(f"  targets:  {len(dataset.targets)} periods; reportable: {len(dataset.reportable_periods)}")
    print(f"  funnel:   {len(dataset.funnel)} campaign rows")
    gates = ", ".join(f"{name} at least {level * 100:g}%" for name, level in
                      (("revenue", plan.gates.revenue), ("GOP", plan.gates.gop)) if level is not None)
    print(f"  plan:     {'gates ' + gates if gates else 'no gates'}; pool {plan.pool.method}; "
          f"shared by {plan.distribution.method}")
    if dataset.scenarios is not None:
        print(f"  scenarios: {', '.join(dataset.scenarios.names)}")
    if (dataset.root / "accounts.yaml").exists():   # the mapping for `planning import` (docs/data.md)
        from planning.books import load_accounts

        mapping = load_accounts(dataset.root / "accounts.yaml")
        print(f"  accounts: {len(mapping.rules)} rules for `planning import`, "
              f"{len(mapping.departments.order)} departments")
    unknown = sorted(set(plan.distribution.department_weights) - set(staff["department"]))
    if unknown:
        print(f"  note:     distribution.department_weights names {', '.join(map(repr, unknown))}, which no one in "
              "staff.csv belongs to (names must match exactly); it changes nothing")
    return 0


def cmd_pnl(args) -> int:
    from planning.financials import period_result
    from planning.words import pnl_text

    dataset, _ = _load(args)
    result = period_result(dataset, args.period)
    if args.json:
        _print_json(result.as_dict())
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
    """``--xlsx`` and ``--output`` all or none; a path that cannot be written is bad input."""
    from planning.export import bonus_workbook
    from planning.files import CannotWrite, write_all_atomic

    files = []
    if args.xlsx:
        files.append(("--xlsx", args.xlsx, lambda tmp: (workbook or bonus_workbook)(tmp, result)))
    if getattr(args, "csv", None):
        csv_text = _payroll_text(result)
        files.append(("--csv", args.csv, lambda tmp: tmp.write_text(csv_text, encoding="utf-8", newline="")))
    if args.output:
        files.append(("--output", args.output, lambda tmp: tmp.write_text(text, encoding="utf-8")))
    try:
        write_all_atomic([(path, write) for _, path, write in files])
    except CannotWrite as exc:
        flag = next(flag for flag, path, _ in files if Path(path) == exc.path)
        raise InputError.single(flag, f"{exc.path} cannot be written ({exc.strerror}); "
                                "expected a file in a folder you can write to") from None
    for _, path, _ in files:
        print(f"wrote {path}", file=sys.stderr)


def _payroll_text(result) -> str:
    """``--csv``: one line per payout for the payroll system (planning.payroll)."""
    from planning.payroll import payroll_csv_text, payroll_frame

    return payroll_csv_text(payroll_frame(result.allocations, result.period, result.currency))


def cmd_report(args) -> int:
    import time

    from planning.reporting.defaults import DEFAULT_DRAWS, DEFAULT_SEED
    from planning.reporting.runner.batch import render_reports
    from planning.reporting.runner.jobs import ReportError, plan_reports

    periods = None if args.all else [args.period]
    audiences = [args.audience] if args.audience else (["owner", "staff"] if args.all else ["owner"])
    seed = DEFAULT_SEED if args.seed is None else args.seed
    draws = DEFAULT_DRAWS if args.draws is None else args.draws
    if args.jobs is not None and args.jobs < 1:
        raise InputError.single("--jobs", f"{args.jobs} is not a number of workers; expected a whole number "
                                "from 1 (default: the number of CPU cores)")
    jobs = plan_reports(args.data, periods, audiences, args.plan, seed, draws)  # validate first
    started = time.perf_counter()
    try:
        paths = render_reports(jobs, args.out, workers=args.jobs, progress=args.all and not args.quiet)
    except ReportError as exc:  # what was published, what failed; exit 2 if a page could not be written
        return exc.print_report(len(jobs), Path(args.out) / "index.html", EXIT_BAD_INPUT)
    seconds = time.perf_counter() - started
    for path in paths:
        print(path)
    if not args.all and args.audience is None:
        print("rendered the owner report only (the default audience); add --audience staff for the version "
              "everyone may read, or --all for every quarter and both audiences", file=sys.stderr)
    quarters = len({job.period for job in jobs})
    print(f"{len(paths)} report{'s' if len(paths) != 1 else ''} for {quarters} quarter{'s' if quarters != 1 else ''} "
          f"in {seconds:.1f} s; open {Path(args.out) / 'index.html'}", file=sys.stderr)
    return 0


def cmd_statements(args) -> int:
    from planning.reporting.statements import write_statements

    paths = write_statements(args.data, args.period, args.out, args.plan)
    print(f"{len(paths) - 1} personal statements in {paths[-1].parent}/ (list: {paths[-1]}). "
          "They are confidential: send each file only to its person.")
    return 0


def _emit(args, text: str) -> None:
    """``scenario`` and ``simulate``: ``text`` to stdout, or with ``--output`` written atomically
    to that file instead (a path that cannot be written is bad input; nothing is written)."""
    from planning.files import CannotWrite, write_atomic

    if not args.output:
        sys.stdout.write(text)
        return
    try:
        write_atomic(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except CannotWrite as exc:
        raise InputError.single("--output", f"{exc.path} cannot be written ({exc.strerror}); "
                                "expected a file in a folder you can write to") from None
    print(f"wrote {args.output}", file=sys.stderr)


def cmd_scenario(args) -> int:
    from planning.scenarios import driver_table, run_scenario, scenario_set
    from planning.words import scenario_text

    dataset, plan = _load(args)
    result = run_scenario(dataset, args.period, args.name, plan)
    if args.json:
        _emit(args, json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    scenario = scenario_set(dataset).get(args.name)
    table = driver_table(dataset, args.period, args.name, plan)
    _emit(args, scenario_text(dataset.company.name, scenario, result, table))
    return 0


def _draws_bar(desc: str):
    """A tqdm bar on stderr and the ``progress(done, total)`` callback that moves it."""
    from tqdm import tqdm

    bar = tqdm(total=None, unit="draw", unit_scale=True, desc=desc, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return bar, progress


def cmd_simulate(args) -> int:
    from planning.montecarlo import simulate
    from planning.words import simulate_text

    dataset, plan = _load(args)
    scenario = args.scenario
    if args.base_period is not None:  # as the quarterly report's outlook does
        from planning.scenarios import projected_from

        _, scenario, _ = projected_from(dataset, args.base_period, args.scenario, args.period)
    bar, progress = _draws_bar(f"simulating {args.scenario}") if args.progress else (None, None)
    try:
        result = simulate(dataset, args.period, scenario, draws=args.draws, seed=args.seed,
                          plan=plan, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        _emit(args, json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    _emit(args, simulate_text(dataset.company.name, result))
    return 0


def cmd_import(args) -> int:
    from planning.books import import_books, import_dict, import_summary

    result = import_books(args.source, args.file, args.into, args.accounts, replace=args.replace,
                          write=not args.check)
    if args.json:
        _print_json(import_dict(result))
    else:
        print("\n".join(import_summary(result)))
    return 0


def cmd_import_staff(args) -> int:
    from planning.books.files import import_staff

    result = import_staff(args.file, args.into, args.mapping, replace=args.replace)
    if args.json:
        _print_json({"file": str(result.file), "staff": str(result.staff_path), "people": result.people,
                     "changes": result.changes, "written": result.written})
        return 0
    print(f"{result.people} people in {result.file.name}")
    for change in result.changes:
        print(f"  {change}")
    print(f"wrote {result.staff_path}" if result.written else f"{result.staff_path}: nothing to change")
    return 0


# --- parser ---------------------------------------------------------------------------------


def _data_arg(p):
    p.add_argument("--data", default="data", type=Path,
                   help="dataset folder or .xlsx workbook (default: data)")


def _plan_arg(p):
    p.add_argument("--plan", help="a plan.yaml to use instead of the dataset's")


def build_parser() -> argparse.ArgumentParser:
    from planning.reporting.defaults import DEFAULT_DRAWS, DEFAULT_SEED

    parser = argparse.ArgumentParser(prog="planning", description="Shared targets and a company-wide success bonus.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every file of a dataset")
    _data_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("pnl", help="the company P&L of a period against its targets")
    _data_arg(p)
    p.add_argument("--period", required=True, help="fiscal quarter like 2026Q3")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_pnl)

    p = sub.add_parser("bonus", help="the success bonus of a period, person by person")
    _data_arg(p)
    p.add_argument("--period", required=True)
    _plan_arg(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--output", help="write to this file instead of stdout (only on success)")
    p.add_argument("--xlsx", help="also write a workbook (summary and people sheets) for the bookkeeper")
    p.add_argument("--csv", metavar="FILE",
                   help="also write the payouts for payroll import, one line per person paid: employee_id, "
                        "name, period, pay_item, amount, currency (docs/payroll.md)")
    p.set_defaults(func=cmd_bonus)

    add_year_parser(sub, _data_arg, _plan_arg, _load, _write_outputs)

    p = sub.add_parser("report", help="render quarterly reports (HTML) for the owner and for all staff")
    _data_arg(p)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--period", help="one quarter like 2026Q3")
    which.add_argument("--all", action="store_true",
                       help="every quarter with actuals and targets, both audiences unless --audience")
    p.add_argument("--audience", choices=["owner", "staff"],
                   help="owner (every payout) or staff (company figures only); default owner, or both with --all")
    p.add_argument("--out", default="reports", type=Path, help="output folder (default: reports)")
    _plan_arg(p)
    p.add_argument("--seed", type=int, help=f"seed for the Monte Carlo outlook (default {DEFAULT_SEED})")
    p.add_argument("--draws", type=int, help=f"Monte Carlo draws (default {DEFAULT_DRAWS})")
    p.add_argument("--jobs", type=int, default=None, help="parallel workers for --all (default: CPU count)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("statements", help="one confidential HTML bonus statement per eligible person")
    _data_arg(p)
    p.add_argument("--period", required=True, help="fiscal quarter like 2026Q3")
    p.add_argument("--out", default="reports/statements", type=Path,
                   help="output folder; pages go to OUT/<period>/ (default: reports/statements)")
    _plan_arg(p)
    p.set_defaults(func=cmd_statements)

    p = sub.add_parser("scenario", help="a what-if scenario's projected quarter and bonus (scenarios.yaml)")
    _data_arg(p)
    p.add_argument("--period", required=True, help="the quarter being planned, like 2027Q1")
    p.add_argument("--name", default="base", help="the scenario's name in scenarios.yaml (default: base)")
    _plan_arg(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (the keys of bonus --json)")
    p.add_argument("--output", help="write to this file instead of stdout (only on success)")
    p.set_defaults(func=cmd_scenario)

    p = sub.add_parser("simulate", help="Monte Carlo: how likely the bonus pays and how big it is")
    _data_arg(p)
    p.add_argument("--period", required=True, help="the quarter being planned, like 2027Q1")
    p.add_argument("--scenario", default="base", help="scenario in scenarios.yaml (default: base)")
    p.add_argument("--draws", type=int, default=10_000, help="number of draws (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same numbers (default 0)")
    p.add_argument("--base-period", help="project from this quarter's actuals (and use its targets if --period "
                   "has none), as the quarterly report's outlook does (default: the latest quarter of actuals "
                   "at or before --period)")
    _plan_arg(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--output", help="write to this file instead of stdout (only on success)")
    p.add_argument("--progress", action="store_true", help="show a progress bar")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("import", help="actuals.csv from the books: a general-ledger export or a Beancount ledger")
    p.add_argument("--from", dest="source", required=True, choices=["xero", "qbo", "myob", "beancount", "generic"],
                   help="the export's preset, or beancount for a Beancount ledger")
    p.add_argument("file", type=Path, help="the export (.csv or .xlsx) or the ledger (.beancount)")
    p.add_argument("--accounts", type=Path, help="the mapping of accounts (default: INTO/accounts.yaml)")
    p.add_argument("--into", required=True, type=Path, help="the dataset folder whose actuals.csv is written")
    p.add_argument("--replace", action="store_true", help="replace quarters actuals.csv already has")
    p.add_argument("--check", action="store_true", help="map and reconcile only; write nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("import-staff", help="staff.csv from a payroll system's employee export")
    p.add_argument("file", type=Path, help="the employee export (.csv or .xlsx)")
    p.add_argument("--mapping", type=Path, help="the column mapping (default: INTO/payroll.yaml)")
    p.add_argument("--into", required=True, type=Path, help="the dataset folder whose staff.csv is written")
    p.add_argument("--replace", action="store_true", help="update people already in staff.csv")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_import_staff)

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `planning bonus ... | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except OSError as exc:  # the last net (no space, read-only, a name too long): one line, exit 2
        return print(f"error: {exc.filename or 'a file'}: {exc.strerror or exc}", file=sys.stderr) or EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
