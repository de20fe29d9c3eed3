"""The cockpit's bonus year: the year controls settle the year with the engine, and a what-if
on them (or on the quarter's controls) updates the year view."""

from __future__ import annotations

import pytest

from planning.ui.cockpit import BonusCockpit
from planning.ui.cockpit_views import YEAR_TAB
from planning.ui.year import (
    YearSettings,
    fiscal_years,
    plan_with_year,
    settle_for,
    year_settings_from_plan,
)
from planning.year import year_for_dataset


@pytest.fixture(scope="module")
def sample(year_sample):
    """The sample company with the year plan of docs/plan.md (``year_sample`` in conftest)."""
    return year_sample


@pytest.fixture
def cockpit(sample):
    c = BonusCockpit(sample, charts=False)
    c.tabs.selected_index = YEAR_TAB
    return c


def test_the_year_tab_shows_the_plans_year_as_the_engine_settles_it(cockpit, sample):
    panel = cockpit.year_panel
    assert fiscal_years(sample) == ["FY2025", "FY2026"] and panel.fiscal_year.value == "FY2026"
    expected = year_for_dataset(sample, "FY2026")
    assert panel.result.to_dict() == expected.to_dict()
    assert "2026Q4" in panel.view.value and "released 11,470.48" in panel.view.value
    assert year_settings_from_plan(sample.plan) == YearSettings("year_to_date", 0.2, None, 1.0, 1.0)


def test_a_what_if_on_the_year_controls_settles_the_year_again(cockpit, sample):
    panel = cockpit.year_panel
    panel.holdback.value = 0.5
    assert panel.result.reserve == 28676.22   # half of each quarter's pool: 4,887.36 + 23,788.86
    panel.settle.value = "quarter"
    assert panel.result.settle == "quarter" and panel.result.total_pool == 59861.63   # no making good
    panel.fiscal_year.value = "FY2025"
    panel.revenue_gate.value = 0.0   # no year-end revenue gate: FY2025's reserve is released
    assert panel.result.year_end.released == panel.result.reserve > 0
    again = settle_for(sample, sample.plan, panel.settings(), "FY2025")
    assert again.to_dict() == panel.result.to_dict()


def test_the_quarter_controls_reach_the_year(cockpit):
    before = cockpit.year_panel.result.total_pool
    cockpit.pool_cap.value = 10000.0   # the pool cap applies to the year to date (x k)
    assert cockpit.year_panel.result.total_pool < before


def test_bad_year_settings_say_what_is_expected_and_nothing_is_settled(cockpit, sample):
    panel = cockpit.year_panel
    panel.weights.value = "0.1, 0.2"
    assert panel.result is None and "year.weights" in panel.error
    panel.weights.value = "a lot"
    assert panel.result is None and "four weights" in panel.error
    panel.weights.value = ""
    assert panel.result is not None and panel.error is None
    with pytest.raises(Exception, match="year.holdback"):
        plan_with_year(sample.plan, YearSettings(holdback=20))
