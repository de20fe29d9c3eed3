"""Build the wheel, install it (not editable) into a fresh virtual environment, run every command.

    python scripts/check_install.py [--keep]

What a user gets from ``pip install success-bonus-workbook``, checked from outside the
repository (the commands run in a temporary folder, so nothing is imported from the
checkout; only the sample data is read from ``data/``, which the wheel does not carry):

1. ``python -m build --wheel``: the build log has no setuptools warning (deprecations
   included).
2. A fresh venv with the wheel alone (the core): JupyterLab, Voila, papermill, the widgets
   and Dask are not installed, and validate, pnl, bonus, year, scenario, simulate, statements,
   import from a Xero export and import-staff work on the sample data; report, app, lab and import from a
   Beancount ledger each say in one line which extra to install, and exit 2.
3. The same venv with ``[workbook,app,books]``: report renders a report whose provenance
   names the package's version, app prepares the cockpit, lab builds its command, import
   reads the Beancount ledger.

A command the installed CLI has and this script has no check for fails the run, so a new
command gets its check here. The wheels of the dependencies are kept in a wheelhouse
(``.venv/wheelhouse``), so a second run installs without the network.
Exit status 0 when everything passed; the figures (seconds per step) are printed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))
from planning.version import DISTRIBUTION, VERSION  # noqa: E402 - the checkout's own version

NOT_IN_CORE = ("jupyterlab", "voila", "papermill", "nbconvert", "nbclient", "ipykernel", "ipywidgets", "dask")
# A setuptools or build-backend warning in the build log (deprecations included).
WARNING = re.compile(r"\b\w*(Deprecation)?Warning\b(?!: Editable)|deprecated", re.IGNORECASE)
BENIGN = re.compile(r"byte-compiling is disabled")

# command -> (arguments, what its stdout must contain); {tmp} is the temporary folder, {data}
# the sample data; commands in NO_DATA get no --data.
CORE = {
    "validate": (["--json"], '"valid": true'),
    "pnl": (["--period", "2026Q4", "--json"], '"gop"'),
    "bonus": (["--period", "2026Q4", "--json", "--xlsx", "{tmp}/bonus.xlsx", "--csv", "{tmp}/payroll.csv"],
              '"allocations"'),
    "year": (["--year", "2026", "--json", "--xlsx", "{tmp}/year.xlsx"], '"fiscal_year"'),
    "scenario": (["--period", "2027Q1", "--name", "stretch", "--json"], '"pool"'),
    "simulate": (["--period", "2027Q1", "--draws", "2000", "--json"], '"p_pays"'),
    "statements": (["--period", "2026Q4", "--out", "{tmp}/statements", "--json"], '"statements"'),
    "import": (["--from", "xero", "{data}/books/xero-account-transactions.csv", "--into", "{tmp}/imported",
                "--replace", "--json"], '"source": "xero"'),
    # the sample's own staff.csv as a payroll export, with a payroll.yaml naming its columns
    "import-staff": (["{tmp}/employees.csv", "--into", "{tmp}/imported", "--replace", "--json"], '"people": 48'),
}
PAYROLL_YAML = "columns:\n" + "".join(f"  {c}: {c}\n" for c in (
    "employee_id", "name", "department", "role", "annual_salary", "fte", "start_date", "end_date", "bonus_eligible"))
# (command, extra, arguments, what its stdout must contain once the extra is installed)
NEEDS_EXTRA = [
    ("report", "workbook", ["--period", "2026Q4", "--out", "{tmp}/reports", "--json"], '"reports"'),
    ("app", "app", ["--out", "{tmp}/app", "--port", "8899", "--dry-run"], "voila"),
    ("lab", "workbook", ["--dir", "{tmp}", "--dry-run"], "jupyterlab"),
    ("import", "books", ["--from", "beancount", "{tmp}/imported/books/bluegum.beancount", "--into", "{tmp}/imported",
                         "--replace", "--json"], '"source": "beancount"'),
]
EXTRAS = "workbook,app,books"
NO_DATA = {"lab", "import", "import-staff"}


class Failed(Exception):
    pass


def sh(command: list, log: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    out = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=cwd)
    if log is not None:
        log.write_text(out.stdout + out.stderr, encoding="utf-8")
    return out


def step(name: str, timings: dict):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            print(f"-- {name}", flush=True)

        def __exit__(self, *exc):
            timings[name] = time.perf_counter() - self.start
    return Timer()


def build_wheel(tmp: Path) -> Path:
    log = tmp / "build.log"
    out = sh([sys.executable, "-m", "build", "--wheel", "--outdir", tmp / "dist", ROOT], log)
    if out.returncode:
        raise Failed(f"python -m build failed; see {log}\n{out.stderr[-2000:]}")
    warnings = [line for line in log.read_text().splitlines() if WARNING.search(line) and not BENIGN.search(line)]
    if warnings:
        raise Failed("the build log has warnings:\n  " + "\n  ".join(warnings))
    [wheel] = (tmp / "dist").glob("*.whl")
    if not wheel.name.startswith(f"{DISTRIBUTION.replace('-', '_')}-{VERSION}-"):
        raise Failed(f"unexpected wheel name {wheel.name}")
    return wheel


def pip_install(venv: Path, requirement: str, wheelhouse: Path, log: Path) -> None:
    """Install into ``venv`` from ``wheelhouse`` only; fetch what it lacks from the index first.

    pip runs from this environment (``pip --python``), so the new venv needs no pip of its
    own. The wheelhouse keeps the downloaded wheels between runs (pip's HTTP cache does not
    work behind every proxy), so a second run installs without the network.
    """
    install = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-compile",
               "--disable-pip-version-check", "--no-index", "--find-links", wheelhouse, requirement]
    if sh(install, log).returncode == 0:
        return
    wheelhouse.mkdir(parents=True, exist_ok=True)
    own = f"{DISTRIBUTION.replace('-', '_')}-*.whl"   # pip download copies the wheel itself in too:
    for stale in wheelhouse.glob(own):                 # an old copy of the same name would be used
        stale.unlink()
    fetch = sh([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--dest", wheelhouse,
                requirement], log.with_suffix(".download.log"))
    if fetch.returncode:
        raise Failed(f"pip download {requirement} failed; see {log.with_suffix('.download.log')}\n{fetch.stderr[-2000:]}")
    for copy in wheelhouse.glob(own):
        copy.unlink()
    out = sh(install, log)
    if out.returncode:
        raise Failed(f"pip install {requirement} failed; see {log}\n{out.stderr[-2000:]}")


# Runs in the installed venv, from a temporary folder: every command line given on stdin
# through planning.cli.main in one interpreter (one start-up instead of one per command),
# with what the console script would print.
RUNNER = """
import argparse, contextlib, importlib.util, io, json, sys
from planning.cli import build_parser, main
results = []
for argv in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    results.append({"argv": argv, "code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
print(json.dumps({"commands": sorted(sub.choices), "results": results,
                  "installed": [m for m in sys.argv[1:] if importlib.util.find_spec(m)]}))
"""


def command_line(command: str, args: list[str], tmp: Path) -> list[str]:
    data = [] if command in NO_DATA else ["--data", str(DATA)]
    return [command, *data, *(a.format(tmp=tmp, data=DATA) for a in args)]


def run_commands(venv: Path, tmp: Path, argvs: list[list[str]]) -> dict:
    out = subprocess.run([str(venv / "bin" / "python"), "-c", RUNNER, *NOT_IN_CORE], input=json.dumps(argvs),
                         capture_output=True, text=True, cwd=tmp)
    if out.returncode:
        raise Failed(f"the commands could not run:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def check(tmp: Path, wheelhouse: Path, timings: dict) -> None:
    with step("build the wheel", timings):
        wheel = build_wheel(tmp)
    venv = tmp / "venv"
    with step("fresh venv, the core alone", timings):
        sh([sys.executable, "-m", "venv", "--without-pip", venv])
        pip_install(venv, str(wheel), wheelhouse, tmp / "pip-core.log")
    with step("core commands", timings):
        # a dataset folder for `import --into`; the ledger is read from there too, because
        # Beancount writes a cache file beside the ledger it loads
        shutil.copytree(DATA, tmp / "imported")
        (tmp / "imported" / "payroll.yaml").write_text(PAYROLL_YAML, encoding="utf-8")
        shutil.copy(DATA / "staff.csv", tmp / "employees.csv")
        version = sh([venv / "bin" / "planning", "--version"], cwd=tmp).stdout.strip()   # the console script
        if version != f"planning ({DISTRIBUTION}) {VERSION}":
            raise Failed(f"planning --version says {version!r}")
        cases = [(command, None, args, expected) for command, (args, expected) in CORE.items()] + NEEDS_EXTRA
        ran = run_commands(venv, tmp, [command_line(command, args, tmp) for command, _, args, _ in cases])
        if ran["installed"]:
            raise Failed(f"the core install brought {ran['installed']}")
        unchecked = set(ran["commands"]) - {command for command, *_ in cases}
        if unchecked:
            raise Failed(f"no check for {sorted(unchecked)}: add them to CORE or NEEDS_EXTRA in {__file__}")
        for (command, extra, _, expected), out in zip(cases, ran["results"], strict=True):
            if extra is None:
                if out["code"] != 0 or expected not in out["stdout"]:
                    raise Failed(f"planning {command} failed in the core install (exit {out['code']}):\n"
                                 f"{out['stdout'][-1000:]}{out['stderr'][-2000:]}")
                print(f"   planning {command}: ok")
                continue
            hint = f"pip install '{DISTRIBUTION}[{extra}]'"
            if out["code"] != 2 or len(out["stderr"].splitlines()) != 1 or hint not in out["stderr"]:
                raise Failed(f"planning {command} without its extra should say '{hint}' and exit 2; "
                             f"exit {out['code']}:\n{out['stderr'][-2000:]}")
            print(f"   planning {' '.join(out['argv'][:3]) if command == 'import' else command}: says to {hint}")
    with step(f"the extras [{EXTRAS}]", timings):
        pip_install(venv, f"{wheel}[{EXTRAS}]", wheelhouse, tmp / "pip-extras.log")
    with step("the commands that need them", timings):
        ran = run_commands(venv, tmp, [command_line(command, args, tmp) for command, _, args, _ in NEEDS_EXTRA])
        for (command, _, _, expected), out in zip(NEEDS_EXTRA, ran["results"], strict=True):
            if out["code"] != 0 or expected not in out["stdout"]:
                raise Failed(f"planning {command} failed with its extra (exit {out['code']}):\n"
                             f"{out['stdout'][-1000:]}{out['stderr'][-2000:]}")
            print(f"   planning {command}: ok")
        [report] = json.loads(ran["results"][0]["stdout"])["reports"]
        if f"{DISTRIBUTION} {VERSION}" not in Path(report["path"]).read_text(encoding="utf-8"):
            raise Failed(f"the report's provenance does not name {DISTRIBUTION} {VERSION}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (default: removed)")
    parser.add_argument("--wheelhouse", type=Path, default=ROOT / ".venv" / "wheelhouse", metavar="DIR",
                        help="where downloaded wheels are kept between runs (default: .venv/wheelhouse)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="planning-install-"))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        check(tmp, args.wheelhouse, timings)
    except Failed as exc:
        for name, seconds in timings.items():
            print(f"   {seconds:6.1f} s  {name}")
        print(f"install check FAILED: {exc}", file=sys.stderr)
        print(f"(logs kept in {tmp})", file=sys.stderr)
        return 1
    for name, seconds in timings.items():
        print(f"   {seconds:6.1f} s  {name}")
    print(f"install check passed in {time.perf_counter() - started:.1f} s: a wheel of {DISTRIBUTION} {VERSION} "
          "installs and runs every command")
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
