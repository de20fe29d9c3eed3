"""Shared fixtures: the sample company, and a small hand-checkable dataset written to tmp."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data"

settings.register_profile("ci", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def sample():
    """The sample company in data/ (read-only: never write into it)."""
    from planning import load_dataset

    return load_dataset(SAMPLE)


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample company's folder, to break on purpose."""
    dest = tmp_path / "data"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("*.xlsx"))
    return dest


TINY_FILES = {
    "company.yaml": """\
        name: Tiny Test Co
        currency: EUR
        fiscal_year_start_month: 1
        """,
    # 2026Q1 has 90 days (Jan 31 + Feb 28 + Mar 31).
    "staff.csv": """\
        employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible
        A1,Ann,Sales,Manager,100000,1,2020-01-01,,true
        A2,Bob,Sales,Associate,50000,0.5,2020-01-01,,true
        A3,Cat,IT,Associate,60000,1,2026-02-15,,true
        A4,Dan,IT,Associate,40000,1,2020-01-01,2026-02-14,true
        A5,Eve,Marketing,Director,200000,1,2020-01-01,,false
        """,
    "actuals.csv": """\
        period,department,revenue,cogs,opex
        2026Q1,Sales,1000000,400000,100000
        2026Q1,IT,0,0,150000
        2026Q1,Marketing,0,0,140000
        2026Q2,Sales,900000,400000,100000
        2026Q2,IT,0,0,150000
        2026Q2,Marketing,0,0,140000
        """,
    "targets.csv": """\
        period,revenue_target,gop_target
        2026Q1,1000000,200000
        2026Q2,1000000,200000
        """,
    "funnel.csv": """\
        period,campaign,channel,spend,leads,qualified,won,revenue
        2026Q1,Search,Search ads,10000,200,40,10,300000
        2026Q1,Brand,Awareness,5000,50,0,0,0
        """,
    "plan.yaml": """\
        gates: {revenue: 0.95, gop: 1.0}
        pool: {method: excess_gop_share, rate: 0.5, floor: 0, cap: null, self_funding: true}
        distribution:
          method: salary
          require_employed_at_period_end: true
          min_days_in_period: 0
        """,
}


def write_dataset(folder: Path, overrides: dict[str, str] | None = None) -> Path:
    """Write the tiny dataset (with some files replaced or, given None, removed) to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = dict(TINY_FILES)
    files.update(overrides or {})
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    """The tiny dataset: 2026Q1 revenue 1,000,000, GOP 210,000 against 200,000."""
    return write_dataset(tmp_path / "tiny")


@pytest.fixture
def tiny(tiny_dir):
    from planning import load_dataset

    return load_dataset(tiny_dir)


YEAR_SECTION = """year:                         # the bonus year (docs/plan.md)
  settle: year_to_date
  holdback: 0.2
  year_end:
    gates: {revenue: 1.0, gop: 1.0}
"""


@pytest.fixture(scope="module")
def year_sample(tmp_path_factory):
    """The sample company with a year plan: year to date, 20% held back, both year-end gates
    (FY2025's reserve is forfeited, FY2026's made good and released)."""
    from planning import load_dataset

    folder = tmp_path_factory.mktemp("year-sample") / "data"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xlsx"))
    plan = folder / "plan.yaml"
    if "\nyear:" not in plan.read_text(encoding="utf-8"):
        plan.write_text(plan.read_text(encoding="utf-8") + YEAR_SECTION, encoding="utf-8")
    return load_dataset(folder)
