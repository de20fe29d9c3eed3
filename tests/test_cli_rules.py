"""The rules every subcommand follows, checked on every subcommand the parser has (a new
command is covered by being registered): help that says what an option takes and its
default, ``--json`` on everything that reports, problems as JSON objects, extras that say
how to install them, progress bars only on a terminal, ``app`` and ``lab``."""

from __future__ import annotations

import argparse
import io
import json
import shlex
import shutil
import subprocess
import sys

import pytest

from planning.cli import build_parser, main
from planning.commandline import SERVERS
from planning.version import DISTRIBUTION, VERSION
from tests.conftest import ROOT, write_dataset

FLAGS = (argparse._StoreTrueAction, argparse._StoreFalseAction, argparse._VersionAction,
         argparse._HelpAction, argparse._CountAction)


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def run(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "planning", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_every_option_says_what_it_takes_and_its_default():
    bad = []
    for name, parser in subcommands().items():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            option = f"{name} {'/'.join(action.option_strings) or action.dest}"
            text = (action.help or "").lower()
            if not text:
                bad.append(f"{option}: no help")
            elif isinstance(action, FLAGS) or not action.option_strings:   # a flag, or a positional
                continue
            elif not ("default" in text or "required" in text):
                bad.append(f"{option}: help names no default ({action.help!r})")
            if not isinstance(action, FLAGS) and action.nargs != 0 and not (action.metavar or action.choices):
                bad.append(f"{option}: no metavar saying what it takes")
    assert bad == []


def test_every_command_that_reports_has_json_and_the_servers_do_not():
    commands = subcommands()
    assert {"validate", "pnl", "bonus", "report", "statements", "scenario", "simulate", "app", "lab"} <= set(commands)
    for name, parser in commands.items():
        options = {o for a in parser._actions for o in a.option_strings}
        assert ("--json" in options) == (name not in SERVERS), name


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"planning ({DISTRIBUTION}) {VERSION}"
    assert VERSION.count(".") == 2 and all(part.isdigit() for part in VERSION.split("."))


@pytest.mark.parametrize("command", sorted(set(subcommands()) - set(SERVERS)))
def test_every_command_answers_bad_input_with_json_problems_and_exit_2(command, tmp_path):
    """With no arguments in an empty folder: either a required option is missing or there is
    no ``data`` folder; both are exit 2 with the problems as JSON on stdout."""
    out = run(command, "--json", cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    answer = json.loads(out.stdout)
    assert answer["command"] == command and answer["exit_code"] == 2
    assert answer["problems"] and all(set(p) == {"file", "row", "column", "message"} for p in answer["problems"])
    assert out.stderr.strip()   # and the same in words on stderr


def test_json_problems_name_file_row_and_column(tmp_path):
    staff = ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
             "A1,Ann,Sales,M,12k,1,2020-01-01,,true\n")
    folder = write_dataset(tmp_path / "d", {"staff.csv": staff, "plan.yaml": "gates: {gop: 95}\npool: {rate: 0.3}\n"})
    out = run("validate", "--data", folder, "--json")
    assert out.returncode == 2
    problems = json.loads(out.stdout)["problems"]
    assert problems[0] == {"file": "staff.csv", "row": 2, "column": "annual_salary",
                           "message": problems[0]["message"]} and "'12k' is not a number" in problems[0]["message"]
    assert {"file": "plan.yaml", "row": None, "column": "gates.gop"}.items() <= problems[1].items()
    assert len(out.stderr.splitlines()) == len(problems)


def test_a_wrong_command_line_is_json_too(tmp_path):
    out = run("bonus", "--json", "--period", "2026Q1", "--draws", "5", cwd=tmp_path)
    assert out.returncode == 2
    assert json.loads(out.stdout)["problems"] == [
        {"file": None, "row": None, "column": None, "message": "unrecognized arguments: --draws 5"}]
    without = run("bonus", "--period", "2026Q1", "--draws", "5", cwd=tmp_path)
    assert without.returncode == 2 and without.stdout == "" and "unrecognized arguments" in without.stderr


def test_validate_json_says_what_was_checked(tiny_dir, capsys):
    assert main(["validate", "--data", str(tiny_dir), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert list(found) == ["valid", "data", "company", "currency", "files", "staff", "actuals", "targets",
                           "reportable", "funnel_rows", "plan", "scenarios", "accounts", "notes", "problems"]
    assert found["valid"] is True and found["problems"] == [] and found["company"] == "Tiny Test Co"
    assert found["files"] == ["actuals.csv", "company.yaml", "funnel.csv", "plan.yaml", "staff.csv", "targets.csv"]
    assert found["staff"] == {"rows": 5, "bonus_eligible": 4, "departments": 3}
    assert found["actuals"] == ["2026Q1", "2026Q2"] and found["reportable"] == ["2026Q1", "2026Q2"]
    assert found["plan"]["pool"] == "excess_gop_share" and found["scenarios"] is None and found["accounts"] is None


def test_validate_json_carries_the_text_notes(tmp_path, capsys):
    folder = write_dataset(tmp_path / "d", {"plan.yaml": "pool: {rate: 0.3}\n"
                                                         "distribution: {department_weights: {sales: 2}}\n"})
    assert main(["validate", "--data", str(folder), "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert len(notes) == 1 and notes[0].startswith("distribution.department_weights names 'sales'")


def test_statements_json_lists_what_was_written(tiny_dir, tmp_path, capsys):
    out = tmp_path / "st"
    assert main(["statements", "--data", str(tiny_dir), "--period", "2026Q1", "--out", str(out), "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["period"] == "2026Q1" and written["index"] == str(out / "2026Q1" / "index.html")
    assert sorted(written["statements"]) == sorted(str(p) for p in (out / "2026Q1").glob("A*.html"))
    assert len(written["statements"]) == 3   # A4 and A5 are not eligible in 2026Q1
    page = (out / "2026Q1" / "index.html").read_text()
    assert f"by {DISTRIBUTION} {VERSION}" in page


# --- extras -----------------------------------------------------------------------------------

BLOCK = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Block())
from planning.cli import main
code = main(sys.argv[1:])
loaded = sorted({{m.split('.')[0] for m in sys.modules}} & {blocked!r})
assert not loaded, loaded
sys.exit(code)
"""
OPTIONAL = {"beancount", "papermill", "nbconvert", "nbformat", "nbclient", "jupyter_client", "ipykernel", "ipywidgets",
           "jupyterlab", "voila", "IPython", "dask", "distributed"}


def run_without(blocked, *args, cwd=ROOT):
    return subprocess.run([sys.executable, "-c", BLOCK.format(blocked=set(blocked)), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(("args", "extra", "module"), [
    (["report", "--period", "2026Q4"], "workbook", "papermill"),
    (["app", "--dry-run"], "app", "voila"),
    (["lab", "--dry-run"], "workbook", "jupyterlab"),
    (["import", "--from", "beancount", ROOT / "data" / "books" / "bluegum.beancount", "--replace"], "books", "beancount"),
])
def test_a_command_whose_extra_is_missing_says_which_to_install(args, extra, module, tmp_path):
    where = {"lab": "--dir", "import": "--into"}.get(args[0], "--out")
    out = run_without(OPTIONAL, *args, where, tmp_path)
    assert out.returncode == 2 and out.stdout == "", out.stderr
    command = " ".join(map(str, args[:3])) if args[0] == "import" else args[0]
    assert out.stderr.splitlines() == [
        f"error: planning {command} needs the '{extra}' extra ({module} is not installed); "
        f"install it with: pip install '{DISTRIBUTION}[{extra}]'"]
    assert list(tmp_path.iterdir()) == []


def test_a_missing_extra_with_json_is_a_json_problem(tmp_path):
    out = run_without(OPTIONAL, "report", "--period", "2026Q4", "--json", "--out", tmp_path)
    assert out.returncode == 2
    [problem] = json.loads(out.stdout)["problems"]
    assert problem["file"] is None and f"pip install '{DISTRIBUTION}[workbook]'" in problem["message"]


def test_the_core_commands_need_no_jupyter(tmp_path):
    """Every core command runs with JupyterLab, Voila, papermill, the widgets, Dask and Beancount unimportable."""
    data = ROOT / "data"
    for args in (["validate"], ["pnl", "--period", "2026Q4"], ["bonus", "--period", "2026Q4", "--xlsx", tmp_path / "b.xlsx"],
                 ["scenario", "--period", "2027Q1", "--name", "stretch"], ["simulate", "--period", "2027Q1", "--draws", "2000"],
                 ["statements", "--period", "2026Q4", "--out", tmp_path / "st"]):
        out = run_without(OPTIONAL, *args, "--data", data)
        assert out.returncode == 0 and "Traceback" not in out.stderr, (args, out.stderr)
        assert out.stdout.strip()
    shutil.copytree(data, tmp_path / "books")
    for args in (["import", "--from", "xero", data / "books" / "xero-account-transactions.csv",
                  "--into", tmp_path / "books", "--replace"],):
        out = run_without(OPTIONAL, *args)
        assert out.returncode == 0 and "Traceback" not in out.stderr, (args, out.stderr)
        assert out.stdout.strip()


# --- progress ----------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bars_only_on_a_terminal():
    from planning.terminal import progress_bar

    log = io.StringIO()   # asked for, into a log: a plain line per tenth, never a \r frame
    with progress_bar(100, "simulating", "draw", show=True, stream=log) as bar:
        bar(50)
        bar(55)
        bar(100)
    assert log.getvalue() == "simulating: 50 of 100 draws (50%)\nsimulating: 100 of 100 draws (100%)\n"
    unasked = io.StringIO()
    with progress_bar(100, "simulating", "draw", stream=unasked) as bar:
        bar(100)
    assert unasked.getvalue() == ""
    tty = Terminal()
    with progress_bar(100, "simulating", "draw", show=True, stream=tty) as bar:
        bar(50)
        bar(100)
    assert "\r" in tty.getvalue() and "simulating" in tty.getvalue()
    quiet = Terminal()
    with progress_bar(100, "simulating", "draw", show=False, stream=quiet) as bar:
        bar(100)
    assert quiet.getvalue() == ""
    short = Terminal()   # automatic: only a run longer than the delay shows a bar
    with progress_bar(100, "simulating", "draw", stream=short, delay=60) as bar:
        bar(100)
    assert short.getvalue() == ""


def test_simulate_into_a_log_writes_no_carriage_returns():
    out = run("simulate", "--period", "2027Q1", "--draws", "20000", "--progress", "--data", ROOT / "data")
    assert out.returncode == 0 and "\r" not in out.stderr and "\r" not in out.stdout
    assert out.stderr.splitlines()[-1] == "simulating base: 20,000 of 20,000 draws (100%)"
    quiet = run("simulate", "--period", "2027Q1", "--draws", "20000", "--data", ROOT / "data")
    assert quiet.returncode == 0 and quiet.stderr == ""


# --- app and lab -------------------------------------------------------------------------------


def test_lab_allows_root_only_as_root(tmp_path):
    from planning.launch import lab_command

    as_root = lab_command(tmp_path, 9999, as_root=True)
    assert as_root[1:3] == ["-m", "jupyterlab"] and "--allow-root" in as_root and "--port=9999" in as_root
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in as_root and "--ServerApp.ip=127.0.0.1" in as_root
    assert "--allow-root" not in lab_command(tmp_path, 9999, as_root=False)


def test_lab_dry_run_and_bad_arguments(tmp_path, capsys):
    assert main(["lab", "--dir", str(tmp_path), "--port", "9001", "--dry-run"]) == 0
    command = shlex.split(capsys.readouterr().out)
    assert command[0] == sys.executable and "--port=9001" in command
    assert main(["lab", "--dir", str(tmp_path / "nope")]) == 2
    assert "--dir: " in capsys.readouterr().err
    assert main(["lab", "--dir", str(tmp_path), "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: --port: 70000 is not a port; expected a whole number from 1 to 65535")


def test_app_prepares_the_cockpit_for_the_data_given(tiny_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["app", "--data", str(tiny_dir), "--out", str(out), "--port", "9002", "--dry-run"]) == 0
    command = shlex.split(capsys.readouterr().out)
    assert command[:3] == [sys.executable, "-m", "voila"] and "--Voila.ip=127.0.0.1" in command
    assert "--port=9002" in command and "--no-browser" in command
    served = out / ".app" / "01_explore_bonus.ipynb"
    assert command[3] == str(served)
    parameters = json.loads(served.read_text())["metadata"]["papermill"]["parameters"]
    assert parameters == {"data_path": str(tiny_dir), "design_path": str(out / "plan-design.yaml")}


def test_app_refuses_a_missing_dataset_and_a_bad_port_before_writing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["app", "--data", str(tmp_path / "nope"), "--out", str(out), "--dry-run"]) == 2
    assert "not found; expected a dataset folder or an .xlsx workbook" in capsys.readouterr().err
    assert main(["app", "--data", str(ROOT / "data"), "--out", str(out), "--port", "0", "--dry-run"]) == 2
    assert "--port: 0 is not a port" in capsys.readouterr().err
    assert not out.exists()


def test_with_output_bad_input_leaves_stdout_empty_even_with_json(tiny_dir, tmp_path):
    out = run("scenario", "--data", tiny_dir, "--period", "2026Q5", "--json", "--output", tmp_path / "s.json")
    assert out.returncode == 2 and out.stdout == "" and not (tmp_path / "s.json").exists()
    assert out.stderr.startswith("error: --period: '2026Q5' has quarter 5")


@pytest.mark.slow
def test_report_json_lists_what_was_written(tiny_dir, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["report", "--data", str(tiny_dir), "--period", "2026Q1", "--audience", "staff", "--out", str(out),
                 "--draws", "200", "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert list(written) == ["reports", "index", "seed", "draws", "seconds", "failures"]
    assert written["reports"] == [{"period": "2026Q1", "audience": "staff", "path": str(out / "2026Q1-staff.html")}]
    assert written["index"] == str(out / "index.html") and written["failures"] == []
    assert written["draws"] == 200 and written["seed"] == 20260101
    page = (out / "2026Q1-staff.html").read_text()
    assert f"{DISTRIBUTION} {VERSION}" in page   # the provenance appendix names the package's version


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_planning_lab_really_starts_here_even_as_root(tmp_path):
    """JupyterLab refuses root without --allow-root; `planning lab` starts wherever it runs."""
    import os
    import signal
    import time
    import urllib.request

    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_DATA_DIR": str(tmp_path / "share"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "planning", "lab", "--dir", str(tmp_path), "--port", str(port),
                                 "--no-browser"], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as answer:
                    assert "version" in json.loads(answer.read())
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text()
    assert "Running as root is not recommended" not in text
    if os.geteuid() == 0:
        assert "note: running as root, so JupyterLab starts with --allow-root" in text


def _run_on_a_terminal(*args) -> str:
    """stderr of ``planning ARGS`` run on a pseudo-terminal of 100 columns."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "planning", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=follower, cwd=ROOT)
    os.close(follower)
    out = b""
    while select.select([leader], [], [], 120)[0]:
        try:
            chunk = os.read(leader, 4096)
        except OSError:   # the terminal closed with the process
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    return out.decode(errors="replace")


@pytest.mark.slow
def test_simulate_draws_a_bar_on_a_terminal_only_when_asked_or_long():
    bar = _run_on_a_terminal("simulate", "--period", "2027Q1", "--draws", "20000", "--progress")
    assert "simulating base:" in bar and "\r" in bar and "draw" in bar
    assert "simulating" not in _run_on_a_terminal("simulate", "--period", "2027Q1", "--draws", "20000")
    assert "simulating" not in _run_on_a_terminal("simulate", "--period", "2027Q1", "--draws", "20000",
                                                  "--no-progress")
