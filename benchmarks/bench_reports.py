"""How fast are the quarterly reports? One report against the sample company's whole batch.

Run: ``.venv/bin/python benchmarks/bench_reports.py``. The batch is 8 quarters x 2 audiences =
16 reports. Aim: the batch in at most 4x one report on 2 cores. It gets there because each
worker keeps one warm kernel (start-up and imports paid once per worker, not per report) and
renders a quarter's two audiences back to back, drawing the shared charts once.

Printed: one report and the batch through the library (``render_reports``), the same through
the command line (``python -m planning report``, so Python's own start-up is included), and the
personal statements for the latest quarter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planning.reporting.runner.batch import render_reports  # noqa: E402
from planning.reporting.runner.jobs import plan_reports  # noqa: E402
from planning.reporting.statements import write_statements  # noqa: E402

DATA = ROOT / "data"


def best_of(fn, repeat: int = 2) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def cli(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planning", *args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    every = plan_reports(DATA)
    latest = max(job.period for job in every)
    one_job = [job for job in every if job.period == latest and job.audience == "owner"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        one = best_of(lambda: render_reports(one_job, out / "one", workers=1))
        batch = best_of(lambda: render_reports(every, out / "all"))
        cli_one = cli("report", "--data", str(DATA), "--period", latest, "--out", str(out / "cli-one"))
        cli_all = cli("report", "--data", str(DATA), "--all", "--quiet", "--out", str(out / "cli-all"))
        statements = best_of(lambda: write_statements(DATA, latest, out / "statements"), repeat=3)
        people = len(list((out / "statements" / latest).glob("*.html"))) - 1
    quarters = len({job.period for job in every})
    print(f"quarterly reports, sample company, {os.cpu_count()} cores")
    print(f"  one report ({latest}, owner), library          {one:6.2f} s")
    print(f"  batch: {quarters} quarters x 2 audiences = {len(every)} reports {batch:6.2f} s   "
          f"{batch / one:4.2f}x one report (aim <= 4x)")
    print(f"  one report, command line                      {cli_one:6.2f} s")
    print(f"  batch, command line (report --all)            {cli_all:6.2f} s   {cli_all / cli_one:4.2f}x one report")
    print(f"  personal statements, {people} people              {statements:6.2f} s")


if __name__ == "__main__":
    main()
