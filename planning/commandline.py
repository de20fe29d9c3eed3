"""The rules every ``planning`` subcommand follows, in one place.

:func:`add_command` registers a subcommand: it gets ``--data`` and ``--json`` unless it is a
server (``app``, ``lab``), so a new command follows the rules by being registered. Its
options say in their help what they take and their default (``tests/test_cli_rules.py``
walks every subcommand and checks). :func:`run` runs the parsed command: bad input is one
line per problem on stderr and exit 2, and with ``--json`` also one object on stdout::

    {"command": "bonus", "exit_code": 2,
     "problems": [{"file": "staff.csv", "row": 2, "column": "annual_salary", "message": "..."}]}

A wrong command line (an unknown option, a missing ``--period``) is answered the same way.
With ``--output FILE`` stdout stays empty: the answer was to go to that file, and bad input
writes nothing.
``docs/cli.md`` documents every command's JSON keys.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from planning.errors import InputError, Problem
from planning.terminal import MissingExtra, problem_dicts

__all__ = ["EXIT_BAD_INPUT", "SERVERS", "Parser", "UsageError", "add_command", "emit", "output_option",
           "period_option", "plan_option", "print_json", "run", "write_outputs"]

EXIT_BAD_INPUT = 2
# Commands that start a server instead of reporting something: no --data, no --json.
SERVERS = ("app", "lab")
JSON_HELP = "print one JSON object instead of text (keys: docs/cli.md)"


class UsageError(Exception):
    """argparse found the command line wrong (exit 2, as argparse itself)."""

    def __init__(self, parser: argparse.ArgumentParser, message: str):
        super().__init__(message)
        self.parser, self.message = parser, message


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors :func:`run` reports (so also as JSON with ``--json``)."""

    def error(self, message):
        raise UsageError(self, message)


def add_command(sub, name: str, func, help: str, *, data: bool = True, json_help: str = JSON_HELP,
                many_data: bool = False):
    """Register one subcommand and return its parser.

    Parameters
    ----------
    sub : argparse subparsers action
    name : str
        The command as typed.
    func : callable
        ``func(args) -> exit status``.
    help : str
        One line, lower case, no full stop: the command list shows it.
    data : bool
        Give it ``--data DIR`` (default ``data``).
    json_help : str
        The help of its ``--json`` (servers get none).
    many_data : bool
        ``--data`` takes one or more paths (a list; ``report`` over many companies).
    """
    p = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
    if data and many_data:
        p.add_argument("--data", default=[Path("data")], type=Path, nargs="+", metavar="DIR",
                       help="dataset folder or .xlsx workbook, several of them, or a folder of company folders; "
                            "with more than one company each goes to OUT/<its folder's name>/ (default: data)")
    elif data:
        p.add_argument("--data", default="data", type=Path, metavar="DIR",
                       help="dataset folder or .xlsx workbook (default: data)")
    if name not in SERVERS:
        p.add_argument("--json", action="store_true", help=json_help)
    p.set_defaults(func=func, command=name)
    return p


def period_option(p, help: str = "fiscal quarter like 2026Q3 (required)") -> None:
    p.add_argument("--period", required=True, metavar="QUARTER", help=help)


def plan_option(p) -> None:
    p.add_argument("--plan", metavar="FILE", help="a plan.yaml to use instead of the dataset's (default: the dataset's)")


def output_option(p) -> None:
    p.add_argument("--output", metavar="FILE",
                   help="write to this file instead of stdout, only on success (default: stdout)")


def print_json(data, output: str | None = None) -> None:
    """One JSON object to stdout, or written to ``output``."""
    if output:
        from planning.export import write_json

        write_json(output, data)
        print(f"wrote {output}", file=sys.stderr)
    else:
        print(json.dumps(data, indent=2, ensure_ascii=False))


def write_outputs(files) -> None:
    """Write ``(flag, path, write)`` files all or none (``write(tmp)`` fills a temporary file
    that is renamed into place), then say ``wrote PATH`` for each on stderr. A path that
    cannot be written is bad input naming its option; nothing is written then."""
    from planning.files import CannotWrite, write_all_atomic

    try:
        write_all_atomic([(path, write) for _, path, write in files])
    except CannotWrite as exc:
        flag = next(flag for flag, path, _ in files if Path(path) == exc.path)
        raise InputError.single(flag, f"{exc.path} cannot be written ({exc.strerror}); "
                                "expected a file in a folder you can write to") from None
    for _, path, _ in files:
        print(f"wrote {path}", file=sys.stderr)


def emit(args, text: str) -> None:
    """``text`` to stdout, or with ``--output`` written atomically to that file instead."""
    if not args.output:
        sys.stdout.write(text)
        return
    write_outputs([("--output", args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))])


def _fail(wants_json: bool, command: str | None, problems: list[Problem], lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    if wants_json:
        print(json.dumps({"command": command, "exit_code": EXIT_BAD_INPUT, "problems": problem_dicts(problems)},
                         indent=2, ensure_ascii=False))
    return EXIT_BAD_INPUT


def run(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``), run the command, return its exit status."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        exc.parser.print_usage(sys.stderr)
        command = exc.parser.prog.split()[-1] if exc.parser is not parser else None
        return _fail("--json" in argv, command, [Problem(None, None, None, exc.message)],
                     [f"{exc.parser.prog}: error: {exc.message}"])
    # With --output the answer was to go to a file, which bad input leaves unwritten: stdout stays empty.
    wants_json = getattr(args, "json", False) and not getattr(args, "output", None)
    status = _run_command(args, wants_json)
    if status == EXIT_BAD_INPUT:
        _collect_quietly()
    return status


def _collect_quietly() -> None:
    """Collect what a failed command left half-done, without a word: a writer that failed
    half-way (openpyxl's worksheet streams on a full disk) would otherwise print "Exception
    ignored ... Traceback" at exit, after the one line that said what went wrong."""
    import gc

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _run_command(args: argparse.Namespace, wants_json: bool) -> int:
    try:
        return args.func(args)
    except InputError as exc:
        return _fail(wants_json, args.command, exc.problems, [f"error: {p}" for p in exc.problems])
    except MissingExtra as exc:
        return _fail(wants_json, args.command, [Problem(None, None, None, str(exc))], [f"error: {exc}"])
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `planning bonus ... | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except OSError as exc:  # the last net (no space, read-only, a name too long): one line, exit 2
        problem = Problem(exc.filename or None, None, None, str(exc.strerror or exc))
        return _fail(wants_json, args.command, [problem], [f"error: {exc.filename or 'a file'}: {exc.strerror or exc}"])
