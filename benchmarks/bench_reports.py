"""How fast are the quarterly reports? ``report --all`` (the sample's 16 reports) against one report.

Run: ``.venv/bin/python benchmarks/bench_reports.py`` (about three minutes on 2 cores).

Like with like: both sides are the whole command (``python -m planning report``, Python's
start-up, validation, kernel start-up and publishing included), into fresh output folders,
as medians of interleaved runs (benchmarks/timing.py).

Aim: ``report --all`` of the sample (8 quarters x 2 audiences = 16 reports) in at most 1.5x
one report (``report --period <latest>``, the owner's). The batch gets there because each
worker keeps one warm kernel (start-up and imports paid once per worker, not per report),
renders a quarter's two audiences back to back on it, drawing the charts once, and loads the
validated inputs once (docs/architecture.md, "A batch of reports").

For scale only (no aim): the personal statements of the latest quarter.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import info, interleaved, python, summary, verdict  # noqa: E402

DATA = ROOT / "data"


def main() -> int:
    from planning.reporting.runner.jobs import plan_reports
    from planning.reporting.statements import write_statements

    every = plan_reports(DATA)
    latest = max(job.period for job in every if job.notebook is None)
    runs = itertools.count()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def fresh(name: str) -> str:
            return str(out / f"{name}-{next(runs)}")

        one = lambda: python("-m", "planning", "report", "--data", str(DATA), "--period", latest,  # noqa: E731
                             "--out", fresh("one"))()
        batch = lambda: python("-m", "planning", "report", "--data", str(DATA), "--all", "--quiet",  # noqa: E731
                               "--out", fresh("all"))()
        times = interleaved({"one": one, "all": batch}, runs=3, warmup=False)
        statements = interleaved({"s": lambda: write_statements(DATA, latest, out / "statements")}, runs=3)["s"]
    print(f"quarterly reports, sample company: one report ({latest}, owner) {times['one']:.1f} s, "
          f"report --all ({len(every)} reports) {times['all']:.1f} s, medians of 3 interleaved runs")
    met = [verdict(f"report --all ({len(every)} reports)", times["all"] / times["one"], 1.5,
                   baseline=f"one report (report --period {latest})")]
    info("personal statements of the latest quarter", statements)
    return summary(met)


if __name__ == "__main__":
    sys.exit(main())
