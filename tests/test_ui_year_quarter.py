"""With a year plan, the cockpit's quarter is the quarter as its year settles it (issue 10):
earned to date, the quarter's pool, shared now and held back, as ``planning bonus --period P``
says with the same plan."""

from __future__ import annotations

import json
import shutil

import pytest

from planning import load_dataset
from planning.cli import main
from planning.money import format_cents
from planning.ui import BonusCockpit, pool_line
from planning.year import quarter_as_bonus, year_for_dataset
from planning.year_words import explain_quarter
from tests.conftest import SAMPLE, YEAR_SECTION


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("year-quarter") / "data"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xlsx"))
    plan = folder / "plan.yaml"
    if "\nyear:" not in plan.read_text(encoding="utf-8"):
        plan.write_text(plan.read_text(encoding="utf-8") + YEAR_SECTION, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def dataset(folder):
    return load_dataset(folder)


def cli_quarter(folder, period, capsys) -> dict:
    capsys.readouterr()
    assert main(["bonus", "--data", str(folder), "--period", period, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("index", range(8))
def test_the_headline_is_the_quarter_as_bonus_period_shows_it(folder, dataset, capsys, index):
    period = str(dataset.reportable_periods[index]) if index < len(dataset.reportable_periods) else None
    if period is None:
        pytest.skip("fewer quarters")
    cockpit = BonusCockpit(dataset, period=period, charts=False)
    cli = cli_quarter(folder, period, capsys)
    r, year = cockpit.result, cockpit.year_result
    assert year is not None
    q = year.quarter(period)
    assert (q.earned_to_date, q.pool, q.shared_now, q.held_back) == (
        cli["earned_to_date"], cli["pool"], cli["shared_now"], cli["held_back"])
    assert r.pool == cli["pool"] and r.allocated == cli["allocated"]
    assert pool_line(r) == f"Bonus pool: {format_cents(cli['pool'], r.currency)}"
    payouts = {a["employee_id"]: a["payout"] for a in cli["allocations"]}
    assert dict(zip(r.allocations["employee_id"], r.allocations["payout"], strict=True)) == payouts
    page = cockpit.headline.value
    for label, amount in (("Earned to date", q.earned_to_date), ("Shared now", q.shared_now)):
        assert label in page and format_cents(amount, r.currency) in page
    assert f"held back {format_cents(q.held_back, r.currency)}" in page
    for line in explain_quarter(year, period):
        assert line.replace("'", "&#x27;") in page


def test_a_quarter_that_holds_back_says_so(dataset):
    held = [p for p in dataset.reportable_periods
            if year_for_dataset(dataset, p.year, upto=p).quarter(p).held_back > 0]
    assert held, "the year plan holds back a share of some quarter"
    cockpit = BonusCockpit(dataset, period=str(held[0]), charts=False)
    assert "is held back to the year end" in cockpit.headline.value
    assert cockpit.result.pool > cockpit.result.allocated + cockpit.result.unallocated - 0.005


def test_a_what_if_resettles_the_year_with_the_cockpits_plan(dataset):
    period = dataset.reportable_periods[-1]
    cockpit = BonusCockpit(dataset, period=str(period), charts=False)
    cockpit.pool_rate.value = 0.2
    plan = cockpit.result.plan
    assert plan.pool.rate == 0.2
    expected = quarter_as_bonus(year_for_dataset(dataset, period.year, plan, upto=period), period)
    assert cockpit.result.pool == expected.pool and cockpit.result.allocated == expected.allocated
    cockpit.pool_rate.value = 0.3
    assert cockpit.changed_from_plan() is False
    assert "unchanged from the plan" in cockpit.against_plan.value


def test_a_plan_without_a_year_shows_the_quarter_as_before(sample):
    cockpit = BonusCockpit(sample, charts=False)
    assert cockpit.year_result is None and "Earned to date" not in cockpit.headline.value
