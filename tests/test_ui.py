"""The workbook's widgets without a kernel: set a control, check what the cockpit holds."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

from planning import (
    InputError,
    bonus_for_period,
    compute_bonus,
    format_money,
    load_dataset,
    load_plan,
    period_result,
    plan_to_dict,
    with_overrides,
)
from planning.ui import ACTUALS, BonusCockpit, evaluate, pool_line, settings_from_plan
from planning.ui.cockpit_controls import POOL_METHOD_LABELS
from planning.ui.model import gate_grid, plan_from_settings
from tests.conftest import write_dataset

PNG = b"\x89PNG\r\n\x1a\n"
LABELS = ["Period", "Revenue target", "GOP target", "Revenue gate", "GOP gate", "Pool set by",
          "Pool rate", "Pool cap", "Shared by", "Individual cap", "Scenario"]


@pytest.fixture(scope="module")
def cockpit_sample(sample):
    return BonusCockpit(sample, charts=False)


@pytest.fixture
def cockpit(sample, tmp_path):
    return BonusCockpit(sample, charts=False, design_path=tmp_path / "plan-design.yaml")


def expected(dataset, period, overrides=None, **targets):
    plan = with_overrides(dataset.plan, overrides or {})
    result = replace(period_result(dataset, period), **targets)
    return compute_bonus(result, dataset.staff, dataset.period(period), plan,
                         currency=dataset.company.currency)


def test_controls_have_the_owner_facing_labels(cockpit_sample):
    assert [c.description for c in cockpit_sample.controls] == [
        "Period", "Scenario", "Revenue target", "GOP target", "Revenue gate", "GOP gate",
        "Pool set by", "Pool rate", "Pool cap", "Shared by", "Individual cap"]  # owner's words (issue 14)
    assert sorted(LABELS) == sorted(c.description for c in cockpit_sample.controls)


def test_opens_on_the_latest_period_under_the_plan_as_written(cockpit_sample, sample):
    latest = str(sample.reportable_periods[-1])
    assert cockpit_sample.period.value == latest
    assert cockpit_sample.error is None
    engine = bonus_for_period(sample, latest)
    assert cockpit_sample.result.pool == engine.pool == 45000.0  # the sample's cap binds in 2026Q4
    assert cockpit_sample.result.allocations["payout"].tolist() == engine.allocations["payout"].tolist()
    assert f"Bonus pool: {format_money(engine.pool, 'AUD', 2)}" in cockpit_sample.headline.value


def test_gop_gate_and_pool_rate_recompute_through_the_engine(cockpit, sample):
    cockpit.gop_gate.value = 0.95
    assert cockpit.result.plan.gates.gop == 0.95
    cockpit.pool_rate.value = 0.25
    engine = expected(sample, "2026Q4", {"gates.gop": 0.95, "pool.rate": 0.25})
    assert cockpit.result.pool == engine.pool == 43417.95
    assert pool_line(cockpit.result) == "Bonus pool: AUD 43,417.95"
    assert "Bonus pool: AUD 43,417.95" in cockpit.headline.value
    # a GOP gate above this quarter's 136% attainment: the gate is missed and nothing is paid
    cockpit.gop_gate.value = 1.4
    assert not cockpit.result.gates_passed and cockpit.result.pool == 0
    assert "Missed by 3.6 pts" in cockpit.headline.value
    assert cockpit.result.allocations["payout"].sum() == 0


def test_a_lower_gop_gate_pays_on_gop_share_in_a_quarter_below_target(cockpit, sample):
    cockpit.period.value = "2026Q2"  # revenue 98%, GOP 93% of target
    assert cockpit.result.pool == 0 and not cockpit.result.gates_passed
    cockpit.pool_method.value = "gop_share"
    cockpit.pool_rate.value = 0.02
    cockpit.gop_gate.value = 0.9
    engine = expected(sample, "2026Q2", {"gates.gop": 0.9, "pool.method": "gop_share", "pool.rate": 0.02})
    assert cockpit.result.gates_passed and cockpit.result.pool == engine.pool == 0.0  # self-funding
    cockpit.reset()
    assert cockpit.result.plan == plan_from_settings(sample.plan, settings_from_plan(sample, "2026Q2"))


def test_period_change_brings_that_periods_targets(cockpit, sample):
    cockpit.period.value = "2025Q1"
    row = sample.targets.set_index("period").loc["2025Q1"]
    assert cockpit.revenue_target.value == row["revenue_target"]
    assert cockpit.gop_target.value == row["gop_target"]
    assert cockpit.result.pool == bonus_for_period(sample, "2025Q1").pool == 7150.65


def test_target_overrides_change_attainment_not_actuals(cockpit, sample):
    cockpit.gop_target.value = 600000
    engine = expected(sample, "2026Q4", gop_target=600000.0)
    assert cockpit.result.gop == period_result(sample, "2026Q4").gop
    assert cockpit.result.gop_target == 600000.0
    assert cockpit.result.pool == engine.pool
    cockpit.revenue_target.value = 5_100_000  # revenue now 93% of target: the revenue gate fails
    assert [g.metric for g in cockpit.result.failed_gates] == ["revenue"]


def test_zero_means_no_gate_and_no_cap(cockpit, sample):
    cockpit.revenue_gate.value = 0
    cockpit.pool_cap.value = 0
    cockpit.individual_cap.value = 0
    plan = cockpit.result.plan
    assert plan.gates.revenue is None and plan.pool.cap is None
    assert plan.distribution.individual_cap is None
    assert [g.metric for g in cockpit.result.gates] == ["gop"]
    assert cockpit.result.pool == expected(sample, "2026Q4", {
        "gates.revenue": None, "pool.cap": None, "distribution.individual_cap": None}).pool == 52101.54


def test_distribution_and_individual_cap(cockpit, sample):
    cockpit.distribution.value = "equal"
    cockpit.individual_cap.value = 0.05
    engine = expected(sample, "2026Q4", {"distribution.method": "equal",
                                        "distribution.individual_cap": 0.05})
    assert cockpit.result.allocations["payout"].tolist() == engine.allocations["payout"].tolist()
    assert round(cockpit.result.allocated + cockpit.result.unallocated, 2) == cockpit.result.pool


def test_payout_curve_disables_the_rate(cockpit):
    cockpit.pool_method.value = "payout_curve"
    assert cockpit.pool_rate.disabled
    assert cockpit.result.plan.pool.method == "payout_curve"
    cockpit.pool_method.value = "excess_gop_share"
    assert not cockpit.pool_rate.disabled
    assert set(POOL_METHOD_LABELS) == {v for _, v in cockpit.pool_method.options}


def test_invalid_settings_show_an_error_in_the_page_then_recover(tiny):
    cockpit = BonusCockpit(tiny, charts=False)  # the tiny plan has no points
    cockpit.distribution.value = "points"
    assert cockpit.result is None
    assert "distribution.points" in cockpit.error
    assert "pw-error" in cockpit.headline.value and "distribution.points" in cockpit.headline.value
    cockpit.distribution.value = "salary"
    assert cockpit.error is None and cockpit.result is not None
    cockpit.gop_target.value = 0
    assert cockpit.result is None and "targets must be above 0" in cockpit.headline.value


@pytest.mark.parametrize("plan_text", [
    # a pool cap of 0 pays nothing; the control's 0 must not turn it into "no cap"
    "gates: {revenue: 0.95, gop: 1.0}\npool: {method: excess_gop_share, rate: 0.5, cap: 0}\n",
    # an individual cap above the slider's 50% must not be clipped to 50%
    "pool: {method: gop_share, rate: 0.5, self_funding: false}\n"
    "distribution: {method: salary, individual_cap: 0.9}\n",
    "pool: {method: gop_share, rate: 0.5, self_funding: false}\n"
    "distribution: {method: salary, individual_cap: 0}\n",
    # gates above the sliders' 150% (plan.yaml allows up to 200%), and a gate of 0
    "gates: {revenue: 1.8, gop: 0}\npool: {method: gop_share, rate: 0.1}\n",
    # a payout curve has no rate: the cockpit must not add one
    "pool: {method: payout_curve, target_pool: 20000, metric: revenue, curve: [[0.9, 0.5], [1.1, 1.5]]}\n",
])
def test_the_cockpit_opens_on_exactly_the_plan_as_written(tmp_path, plan_text):
    ds = load_dataset(write_dataset(tmp_path / "d", {"plan.yaml": plan_text}))
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False, design_path=tmp_path / "plan-design.yaml")
    engine = bonus_for_period(ds, "2026Q1")
    assert cockpit.error is None
    assert plan_to_dict(cockpit.result.plan) == plan_to_dict(ds.plan)
    assert pool_line(cockpit.result) == pool_line(engine)
    assert cockpit.result.allocations["payout"].tolist() == engine.allocations["payout"].tolist()
    assert plan_to_dict(load_plan(cockpit.save_design(tmp_path / "same.yaml"))) == plan_to_dict(ds.plan)


def test_zero_still_means_none_when_the_plan_has_a_gate_or_cap(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "d", {"plan.yaml": (
        "gates: {revenue: 0.95, gop: 1.0}\npool: {method: excess_gop_share, rate: 0.5, cap: 0}\n"
        "distribution: {individual_cap: 0.1}\n")}))
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False)
    cockpit.gop_gate.value = 0
    cockpit.individual_cap.value = 0
    assert cockpit.result.plan.gates.gop is None and cockpit.result.plan.distribution.individual_cap is None
    assert cockpit.result.plan.pool.cap == 0.0 and cockpit.result.pool == 0  # the plan's own 0
    cockpit.pool_cap.value = 2000
    assert cockpit.result.pool == 2000.0


def test_a_scenarios_plan_beyond_the_sliders_range_is_shown_not_clipped(tmp_path):
    from planning.scenarios import run_scenario

    ds = load_dataset(write_dataset(tmp_path / "d", {"scenarios.yaml": (
        "scenarios:\n  strict:\n    plan: {gates.gop: 1.8, distribution.individual_cap: 0.9}\n")}))
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False)
    cockpit.scenario.value = "strict"
    assert cockpit.gop_gate.value == 1.8 and cockpit.individual_cap.value == 0.9
    engine = run_scenario(ds, "2026Q1", "strict")
    assert plan_to_dict(cockpit.result.plan) == plan_to_dict(engine.plan)
    assert pool_line(cockpit.result) == pool_line(engine)


def test_a_name_matplotlib_cannot_draw_leaves_the_numbers_on_the_page(tmp_path):
    """Dollar signs make matplotlib parse a label as maths; a bad formula must not blank the page."""
    odd = r"R$\frac{1$D"
    folder = write_dataset(tmp_path / "odd")
    for name in ("staff.csv", "actuals.csv"):
        path = folder / name
        path.write_text(path.read_text().replace(",IT,", f',"{odd}",'), encoding="utf-8")
    ds = load_dataset(folder)
    cockpit = BonusCockpit(ds, period="2026Q1")
    assert cockpit.error is None
    assert pool_line(cockpit.result) == pool_line(bonus_for_period(ds, "2026Q1"))
    assert pool_line(cockpit.result) in cockpit.headline.value
    drawn = bytes(cockpit.department_image.value).startswith(PNG)
    assert drawn or "The charts could not be drawn" in cockpit.chart_note.value


def test_every_callback_shows_its_failure_in_the_page(tiny, monkeypatch):
    import planning.ui.cockpit as cockpit_module
    import planning.ui.cockpit_views as views_module  # the charts, explanations and heat map

    cockpit = BonusCockpit(tiny, period="2026Q1")

    def broken(*_args, **_kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(views_module.charts, "bonus_waterfall", broken)
    cockpit.pool_rate.value = 0.4  # a chart fails: the numbers stay
    assert cockpit.result is not None and "Bonus pool:" in cockpit.headline.value
    assert "kaput" in cockpit.chart_note.value

    monkeypatch.setattr(views_module, "explain_payout", broken)
    cockpit.person.value = "A2"
    assert "could not be explained" in cockpit.person_explanation.value
    assert "kaput" in cockpit.person_explanation.value

    monkeypatch.setattr(views_module, "gate_grid", broken)
    cockpit.tabs.selected_index = 1
    assert "heat map could not be drawn" in cockpit.heatmap_note.value

    monkeypatch.setattr(cockpit_module, "settings_from_plan", broken)
    cockpit.period.value = "2026Q2"
    assert cockpit.result is None and "kaput" in cockpit.headline.value
    assert cockpit.people_table.value == ""  # no stale figures next to the error
    cockpit.reset_button.click()
    assert "kaput" in cockpit.headline.value
    monkeypatch.undo()
    cockpit.reset_button.click()
    assert cockpit.error is None and pool_line(cockpit.result) == pool_line(bonus_for_period(tiny, "2026Q2"))


def test_a_scenario_that_fails_to_build_is_shown_in_the_page(tmp_path, monkeypatch):
    from planning.ui import scenario_bridge

    ds = load_dataset(write_dataset(tmp_path / "d", {"scenarios.yaml": (
        "scenarios:\n  strict:\n    plan: {gates.gop: 1.2}\n")}))
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False)

    def broken(*_args, **_kwargs):
        raise ValueError("no such model")

    monkeypatch.setattr(scenario_bridge, "scenario_model", broken)
    cockpit.scenario.value = "strict"
    assert cockpit.result is None and "no such model" in cockpit.headline.value


def test_an_owner_can_tell_which_months_and_which_exact_gate(tmp_path, sample):
    cockpit = BonusCockpit(sample, charts=False)  # fiscal year from July: 2026Q4 is Apr-Jun 2026
    assert ("2026Q4 (Apr-Jun 2026)", "2026Q4") in cockpit.period.options
    assert ("2026Q2 (Oct-Dec 2025)", "2026Q2") in cockpit.period.options
    assert "needs 95%, made 105.0% (10.0 pts to spare)" in cockpit.headline.value
    how_to = cockpit.widget.children[1].children[0].children[-1].value
    assert "95%, 95 or 0.95 all mean 95%" in how_to and "in AUD" in how_to  # how to type it (issue 14)

    ds = load_dataset(write_dataset(tmp_path / "d", {"plan.yaml": (
        "gates: {revenue: 0.975, gop: 1.0525}\npool: {method: excess_gop_share, rate: 0.275}\n")}))
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False)
    assert cockpit.period.options == (("2026Q1 (Jan-Mar 2026)", "2026Q1"), ("2026Q2 (Apr-Jun 2026)", "2026Q2"))
    # a 97.5% gate must not read "98%" on the slider or in the tile
    assert cockpit.revenue_gate.readout_format == ".1%" and cockpit.gop_gate.readout_format == ".2%"
    assert cockpit.pool_rate.readout_format == ".1%"
    assert "needs 97.5%, made 100.0% (2.5 pts to spare)" in cockpit.headline.value
    assert "needs 105.25%, made 105.0%" in cockpit.headline.value


def test_names_are_escaped_everywhere(tmp_path):
    evil = "<img src=x onerror=alert(1)>"
    folder = write_dataset(tmp_path / "evil", {
        "company.yaml": f"name: '{evil}'\ncurrency: EUR\n",
        "staff.csv": ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
                      f'A1,"{evil}",Sales,Manager,100000,1,2020-01-01,,true\n'
                      f'A2,Bob,"{evil}",Associate,50000,1,2020-01-01,,true\n'),
    })
    cockpit = BonusCockpit(load_dataset(folder), period="2026Q1", charts=False)
    cockpit.person.value = "A1"
    pages = [cockpit.headline.value, cockpit.people_table.value, cockpit.person_explanation.value,
             cockpit.widget.children[0].value]
    for text in pages:
        assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in cockpit.people_table.value
    assert "&lt;img" in cockpit.person_explanation.value and "&lt;img" in cockpit.widget.children[0].value


def test_no_html_widget_of_any_view_carries_a_raw_name(tmp_path):
    """Every name a user types (company, person, id, department, role, campaign, scenario,
    proposal and comment) reaches the page as text, in every view and every state."""
    import ipywidgets as widgets

    from planning.ui.marketing import MarketingWhatIf
    from planning.ui.targets import TargetSetting

    evil = "<img src=x onerror=alert(1)>"
    q = f'"{evil}"'
    folder = write_dataset(tmp_path / "evil", {
        "company.yaml": f"name: '{evil}'\ncurrency: EUR\n",
        "staff.csv": ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
                      f"{q},{q},{q},{q},100000,1,2020-01-01,,true\nA2,Bob,Sales,Associate,50000,1,2020-01-01,,true\n"),
        "actuals.csv": (f"period,department,revenue,cogs,opex\n2026Q1,{q},1000000,400000,100000\n"
                        "2026Q1,Sales,0,0,150000\n2026Q2,Sales,1000000,400000,100000\n"),
        "funnel.csv": f"period,campaign,channel,spend,leads,qualified,won,revenue\n2026Q1,{q},{q},10000,200,40,10,300000\n",
        "scenarios.yaml": ("scenarios:\n  base:\n    targets:\n      2026Q3: {revenue_target: 1000000, gop_target: 200000}\n"
                           f"  '{evil}':\n    drivers: {{other_revenue: 0.1}}\n"),
        "proposals.csv": (PROPOSALS + f"2026Q3,{q},1000000,200000,900000,1100000,150000,250000,{q}\n"),
    })
    ds = load_dataset(folder)

    def html_values(widget, out):
        if isinstance(widget, widgets.HTML):
            out.append(widget.value)
        for child in getattr(widget, "children", ()) or ():
            html_values(child, out)
        return out

    pages = []
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False)
    for scenario in cockpit.scenario.options:
        cockpit.scenario.value = scenario
        cockpit.person.value = cockpit.person.options[0][1]
        cockpit.mc_draws.value = 200
        cockpit.mc_button.click()
        cockpit.save_path.value = str(tmp_path / f"{evil}.yaml")
        cockpit.save_button.click()
        pages += html_values(cockpit.widget, [])
    what_if = MarketingWhatIf(ds, period="2026Q1")
    what_if.leads.value = 0.2
    pages += html_values(what_if.widget, [])
    pages += html_values(TargetSetting(ds, draws=200).widget, [])
    assert pages and not [page for page in pages if "<img" in page]
    assert sum("&lt;img src=x onerror=alert(1)&gt;" in page for page in pages) >= 10


def test_person_explanation_follows_the_picker(cockpit, sample):
    eligible = cockpit.result.allocations.query("eligible").iloc[0]
    cockpit.person.value = eligible["employee_id"]
    assert format_money(eligible["payout"], "AUD", 2) in cockpit.person_explanation.value
    left = sample.staff[sample.staff["bonus_eligible"] == False].iloc[0]  # noqa: E712
    cockpit.person.value = left["employee_id"]
    assert "receives nothing: not bonus-eligible" in cockpit.person_explanation.value


def test_people_table_lists_everyone_biggest_payout_first(cockpit, sample):
    frame = cockpit.people_frame(cockpit.result)
    assert len(frame) == len(sample.staff)
    payouts = [float(p.replace(",", "")) for p in frame["Payout"]]
    assert payouts == sorted(payouts, reverse=True)
    assert "Payouts add up to AUD 45,000.00." in cockpit.people_table.value


def test_save_design_round_trips_and_never_overwrites_silently(cockpit, tmp_path):
    cockpit.gop_gate.value = 0.95
    cockpit.pool_rate.value = 0.2
    cockpit.individual_cap.value = 0
    path = cockpit.save_design(tmp_path / "plan-design.yaml")
    saved = load_plan(path)
    assert plan_to_dict(saved) == plan_to_dict(cockpit.result.plan)
    assert saved.gates.gop == 0.95 and saved.pool.rate == 0.2 and saved.distribution.individual_cap is None
    assert yaml.safe_load(path.read_text())["gates"] == {"revenue": 0.95, "gop": 0.95}

    before = path.read_bytes()
    cockpit.pool_rate.value = 0.1
    with pytest.raises(FileExistsError):
        cockpit.save_design(path)
    assert path.read_bytes() == before
    # the button asks first, then replaces once the box is ticked
    cockpit.save_path.value = str(path)
    cockpit.save_button.click()
    assert "already exists" in cockpit.save_status.value and path.read_bytes() == before
    cockpit.save_overwrite.value = True
    cockpit.save_button.click()
    assert "Saved" in cockpit.save_status.value and load_plan(path).pool.rate == 0.1
    assert cockpit.save_overwrite.value is False  # asks again next time
    with pytest.raises(InputError):
        cockpit.save_design(tmp_path / "plan.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan-design.yaml"]  # no temp files left


def test_a_ticked_box_confirms_one_file_not_the_next_path_typed(cockpit, tmp_path):
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text("gates: {gop: 1.0}\n")
    second.write_text("gates: {gop: 1.1}\n")
    cockpit.save_path.value = str(first)
    cockpit.save_overwrite.value = True  # the owner agrees to replace first.yaml ...
    cockpit.save_path.value = str(second)  # ... then types another name
    assert cockpit.save_overwrite.value is False
    cockpit.save_button.click()
    assert "already exists" in cockpit.save_status.value
    assert second.read_text() == "gates: {gop: 1.1}\n" and first.read_text() == "gates: {gop: 1.0}\n"


def test_a_design_that_would_not_load_back_never_replaces_a_file(tmp_path):
    """A scenario name with a line break once broke out of the header comment into the YAML."""
    ds = load_dataset(write_dataset(tmp_path / "d", {"scenarios.yaml": (
        'scenarios:\n  "two\\nlines: x":\n    plan: {pool.rate: 0.4}\n')}))
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False, design_path=tmp_path / "plan-design.yaml")
    cockpit.scenario.value = "two\nlines: x"
    path = tmp_path / "design.yaml"
    path.write_text("gates: {gop: 1.0}\npool: {method: gop_share, rate: 0.1}\n")
    cockpit.save_path.value = str(path)
    cockpit.save_overwrite.value = True
    cockpit.save_button.click()
    assert "Saved" in cockpit.save_status.value, cockpit.save_status.value
    assert plan_to_dict(load_plan(path)) == plan_to_dict(cockpit.result.plan)
    assert load_plan(path).pool.rate == 0.4


def test_saving_never_replaces_a_file_that_appears_during_the_save(cockpit, tmp_path, monkeypatch):
    import planning.plan as plan_module  # Plan.dump writes the design

    path = tmp_path / "race.yaml"
    real_dump = plan_module.yaml.safe_dump

    def dump_while_another_tab_saves(*args, **kwargs):
        path.write_text("# the other tab's design\n")
        return real_dump(*args, **kwargs)

    monkeypatch.setattr(plan_module.yaml, "safe_dump", dump_while_another_tab_saves)
    with pytest.raises(FileExistsError):
        cockpit.save_design(path, overwrite=False)
    assert path.read_text() == "# the other tab's design\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.yaml"]  # no temp file left


def test_an_unexpected_failure_while_saving_is_shown_beside_the_button(cockpit, tmp_path, monkeypatch):
    import planning.plan as plan_module  # Plan.dump writes the design

    def broken(_plan):
        raise TypeError("cannot serialise")

    monkeypatch.setattr(plan_module, "plan_to_dict", broken)
    cockpit.save_path.value = str(tmp_path / "x.yaml")
    cockpit.save_button.click()
    assert "Not saved" in cockpit.save_status.value and "cannot serialise" in cockpit.save_status.value
    assert not (tmp_path / "x.yaml").exists()


def test_saved_design_runs_the_same_bonus(cockpit, sample, tmp_path):
    cockpit.pool_method.value = "gop_share"
    cockpit.pool_rate.value = 0.05
    path = cockpit.save_design(tmp_path / "design.yaml")
    assert bonus_for_period(sample, "2026Q4", load_plan(path)).pool == cockpit.result.pool


def test_charts_and_heat_map_are_drawn_lazily(sample):
    cockpit = BonusCockpit(sample, period="2026Q1")
    assert bytes(cockpit.waterfall_image.value).startswith(PNG)
    assert bytes(cockpit.department_image.value).startswith(PNG)
    assert bytes(cockpit.heatmap_image.value) == b""  # its tab is closed
    cockpit.tabs.selected_index = 1
    first = bytes(cockpit.heatmap_image.value)
    assert first.startswith(PNG)
    cockpit.gop_gate.value = 1.2  # the open tab is redrawn
    assert bytes(cockpit.heatmap_image.value).startswith(PNG)
    assert bytes(cockpit.heatmap_image.value) != first


def test_gate_grid_matches_the_engine_point_by_point(sample):
    plan = sample.plan
    result = period_result(sample, "2026Q1")
    grid = gate_grid(plan, result, steps=5)
    for i, ga in enumerate(grid.gop_attainment):
        for j, ra in enumerate(grid.revenue_attainment):
            point = replace(result, revenue=ra * result.revenue_target, cogs=0.0,
                            opex=ra * result.revenue_target - ga * result.gop_target)
            engine = compute_bonus(point, sample.staff, sample.period("2026Q1"), plan)
            assert grid.pool[i, j] == pytest.approx(engine.pool, abs=0.011)
    assert grid.current == pytest.approx((result.revenue_attainment, result.gop_attainment))


def test_monte_carlo_without_scenarios_says_so_in_the_page(tiny):
    cockpit = BonusCockpit(tiny, charts=False)
    assert cockpit.scenario.options == (ACTUALS,)
    assert cockpit.run_monte_carlo() is None and cockpit.simulation is None
    assert "no scenarios.yaml" in cockpit.mc_summary.value


def test_evaluate_is_the_engine(sample):
    settings = replace(settings_from_plan(sample, "2025Q2"), gop_gate=1.1, pool_rate=0.4)
    result = evaluate(sample, settings)
    assert result.pool == expected(sample, "2025Q2", {"gates.gop": 1.1, "pool.rate": 0.4}).pool


SCENARIOS = """\
scenarios:
  base:
    description: the quarter as it was, with the usual uncertainty
    uncertainty:
      leads: {dist: norm, loc: 0, scale: 0.15}
      other_revenue: {dist: norm, loc: 0, scale: 0.06}
      gross_margin: {dist: norm, loc: 0, scale: 0.01}
  stretch:
    description: twenty per cent more leads and a leaner pool
    drivers: {leads: 0.2}
    plan: {pool: {rate: 0.25}}
"""


@pytest.fixture(scope="module")
def with_scenarios(tmp_path_factory):
    import shutil

    from tests.conftest import SAMPLE

    folder = tmp_path_factory.mktemp("scen") / "data"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xlsx", "scenarios.yaml"))
    (folder / "scenarios.yaml").write_text(SCENARIOS, encoding="utf-8")
    return load_dataset(folder)


def test_scenario_picker_projects_through_the_scenario_engine(with_scenarios):
    from planning.scenarios import run_scenario

    ds = with_scenarios
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False)
    assert cockpit.scenario.options == (ACTUALS, "base", "stretch")
    cockpit.scenario.value = "stretch"
    assert cockpit.pool_rate.value == 0.25  # the scenario's plan override is loaded
    engine = run_scenario(ds, "2026Q1", "stretch")
    assert cockpit.result.revenue == engine.revenue > period_result(ds, "2026Q1").revenue
    assert cockpit.result.pool == engine.pool
    assert "Scenario &#x27;stretch&#x27;: projected figures" in cockpit.headline.value
    cockpit.gop_gate.value = 1.2
    engine = run_scenario(ds, "2026Q1", "stretch", with_overrides(ds.plan, {"gates.gop": 1.2}))
    assert cockpit.result.pool == engine.pool and cockpit.result.gates == engine.gates
    cockpit.reset()
    assert cockpit.scenario.value == ACTUALS and cockpit.pool_rate.value == 0.3
    assert cockpit.result.pool == bonus_for_period(ds, "2026Q1").pool


def test_a_scenarios_plan_overrides_on_keys_without_a_control_are_kept(tmp_path):
    """A scenario may change keys no control shows (floor, self-funding, eligibility)."""
    import shutil

    from planning.scenarios import run_scenario
    from tests.conftest import SAMPLE

    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xlsx", "scenarios.yaml"))
    (folder / "scenarios.yaml").write_text(SCENARIOS + """\
  floored:
    description: a guaranteed pool even in a bad quarter, for people who stayed 60 days
    drivers: {leads: -0.3}
    plan: {pool.floor: 5000, pool.self_funding: false, distribution.min_days_in_period: 60}
""", encoding="utf-8")
    ds = load_dataset(folder)
    cockpit = BonusCockpit(ds, period="2026Q2", charts=False)
    cockpit.revenue_gate.value = 0
    cockpit.gop_gate.value = 0
    cockpit.scenario.value = "floored"
    cockpit.revenue_gate.value = 0
    cockpit.gop_gate.value = 0  # no gates: the scenario's floor pays
    engine = run_scenario(ds, "2026Q2", "floored",
                          with_overrides(ds.plan, {"gates.revenue": None, "gates.gop": None}))
    assert engine.pool == 5000.0
    assert cockpit.result.plan.pool.floor == 5000.0
    assert cockpit.result.plan.distribution.min_days_in_period == 60
    assert cockpit.result.pool == engine.pool
    assert cockpit.result.allocations["payout"].tolist() == engine.allocations["payout"].tolist()
    assert "Bonus pool: AUD 5,000.00" in cockpit.headline.value


def test_monte_carlo_runs_on_demand_with_the_cockpits_plan_and_targets(with_scenarios):
    from planning.montecarlo import simulate

    ds = with_scenarios
    cockpit = BonusCockpit(ds, period="2026Q3", charts=False)
    assert cockpit.simulation is None  # nothing heavy until asked
    cockpit.gop_target.value = 440000
    cockpit.pool_rate.value = 0.2
    cockpit.mc_draws.value = 3000
    cockpit.mc_seed.value = 7
    cockpit.mc_button.click()
    sim = cockpit.simulation
    reference = simulate(
        load_dataset_with_target(ds, "2026Q3", gop_target=440000.0), "2026Q3", "base", draws=3000,
        seed=7, plan=with_overrides(ds.plan, {"pool.rate": 0.2}))
    assert (sim.draws, sim.seed) == (3000, 7)
    assert sim.p_gates_passed == reference.p_gates_passed and sim.expected_pool == reference.expected_pool
    assert 0 < sim.p_pays < 1
    assert f"bonus pays in {sim.p_pays * 100:.1f}%" in cockpit.mc_summary.value
    cockpit.pool_rate.value = 0.3  # a new setting makes the old simulation stale
    assert cockpit.simulation is None and cockpit.mc_summary.value == ""


def test_monte_carlo_says_when_the_scenario_has_no_uncertainty(tmp_path, with_scenarios):
    ds = load_dataset(write_dataset(tmp_path / "d", {"scenarios.yaml": (
        "scenarios:\n  base:\n    drivers: {}\n  up:\n    drivers: {other_revenue: 0.1}\n")}))
    cockpit = BonusCockpit(ds, period="2026Q1", charts=False)
    cockpit.mc_draws.value = 500
    cockpit.mc_button.click()
    assert cockpit.simulation.p_pays == 1.0
    assert "Scenario &#x27;base&#x27; has no uncertainty" in cockpit.mc_summary.value
    cockpit.scenario.value = "up"
    cockpit.mc_button.click()
    assert "Scenario &#x27;up&#x27; has no uncertainty" in cockpit.mc_summary.value
    uncertain = BonusCockpit(with_scenarios, period="2026Q3", charts=False)
    uncertain.mc_draws.value = 500
    uncertain.mc_button.click()
    assert "no uncertainty" not in uncertain.mc_summary.value


def load_dataset_with_target(ds, period, gop_target):
    targets = ds.targets.copy()
    targets.loc[targets["period"] == period, "gop_target"] = gop_target
    return replace(ds, targets=targets)


def test_marketing_what_if_flows_leads_and_conversion_to_the_pool(sample):
    from planning.scenarios import run_scenario, scenario_set
    from planning.ui.marketing import MarketingWhatIf, planning_periods

    assert planning_periods(sample)[-2:] == ["2026Q4", "2027Q1"]  # next quarter's budget is in scenarios.yaml
    view = MarketingWhatIf(sample, period="2026Q2")
    assert view.result.pool == view.baseline.pool == bonus_for_period(sample, "2026Q2").pool == 0
    view.leads.value = 0.2
    view.lead_to_win.value = 0.01
    base = scenario_set(sample).get("base")
    engine = run_scenario(sample, "2026Q2", base.with_drivers(leads=0.2, lead_to_win=0.01))
    assert view.result.revenue == engine.revenue > view.baseline.revenue
    assert view.result.pool == engine.pool > 0  # more leads lift GOP over the gate
    assert f"Bonus pool: {format_money(engine.pool, 'AUD', 2)}" in view.output.value
    lines = view.comparison().set_index("")
    assert lines.loc["Gates"].tolist() == ["missed: GOP by 7.0 pts", "all passed"]
    view.period.value = "2027Q1"
    assert view.comparison().columns[1] == "2027Q1 (projected from 2026Q4)"


PROPOSALS = ("period,department,proposed_revenue_target,proposed_gop_target,revenue_forecast_low,"
             "revenue_forecast_high,gop_forecast_low,gop_forecast_high,comment\n")


def test_target_setting_shows_a_missing_or_bad_proposals_file_in_the_page(tmp_path):
    from planning.ui.targets import TargetSetting

    folder = write_dataset(tmp_path / "d")
    view = TargetSetting.from_path(folder, show_problems=True)
    assert view.odds is None and view.period_label is None
    assert "proposals.csv: file not found" in view.error
    assert "proposed_revenue_target" in view.widget.children[0].value  # how to write one
    assert view.comparison_text() == view.error
    with pytest.raises(InputError, match="file not found"):
        TargetSetting.from_path(folder)  # the strict default still raises

    (folder / "proposals.csv").write_text(PROPOSALS + "2026Q2,Sales,1e6,200k,9e5,1.1e6,1.5e5,2.5e5,\n")
    view = TargetSetting.from_path(folder, show_problems=True)
    assert "proposals.csv, row 2, column proposed_gop_target: '200k' is not a number" in view.error
    assert "row 2, column proposed_gop_target" in view.widget.children[0].value

    (folder / "proposals.csv").write_text(PROPOSALS + "2026Q3,Sales,1e6,2e5,9e5,1.1e6,1.5e5,2.5e5,\n")
    view = TargetSetting.from_path(folder, show_problems=True)  # no owner's targets for 2026Q3
    assert "has no row for period 2026Q3" in view.error


def test_target_setting_on_a_dataset_without_scenarios_and_with_odd_names(tmp_path, monkeypatch):
    import planning.ui.targets as targets
    from planning.ui.targets import TargetSetting

    odd = r"<b>R$\frac{1$D</b>"
    folder = write_dataset(tmp_path / "d")
    for name in ("staff.csv", "actuals.csv"):
        path = folder / name
        path.write_text(path.read_text().replace(",IT,", f',"{odd}",'), encoding="utf-8")
    (folder / "proposals.csv").write_text(
        PROPOSALS + f'2026Q2,"{odd}",950000,190000,900000,1100000,150000,250000,"<i>why</i>"\n')
    view = TargetSetting.from_path(folder, draws=200, seed=1)
    assert view.error is None and view.odds is not None
    page = view.comparison_html.value + view.odds_html.value
    assert "<b>R$" not in page and "<i>" not in page and "&lt;i&gt;why&lt;/i&gt;" in page
    assert "&lt;b&gt;R$" in page
    drawn = bytes(view.chart.value).startswith(PNG)
    assert drawn or "could not be drawn" in view.chart_note.value
    assert "no uncertainty in scenarios.yaml" in view.odds_html.value

    def broken(*_args, **_kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(targets, "proposal_odds", broken)
    view.refresh()
    assert "Something went wrong: RuntimeError: kaput" in view.odds_html.value


def test_marketing_what_if_without_campaigns_says_so_and_switches_the_sliders_off(tmp_path):
    from planning.ui.marketing import MarketingWhatIf

    ds = load_dataset(write_dataset(tmp_path / "d", {"funnel.csv": None}))
    view = MarketingWhatIf(ds, period="2026Q1")
    assert view.error is None and view.leads.disabled and view.lead_to_win.disabled
    assert "no campaigns with leads in funnel.csv" in view.output.value
    assert view.result.pool == view.baseline.pool == bonus_for_period(ds, "2026Q1").pool
    assert pool_line(view.result) in view.output.value
    view.leads.value = 0.5  # a disabled slider set from code still changes nothing
    assert view.error is None and view.leads.value == 0 and view.result.pool == view.baseline.pool


def test_marketing_what_if_in_a_quarter_without_campaigns_ignores_the_monte_carlos_uncertainty(tmp_path):
    """scenarios.yaml's uncertainty on leads is for the Monte Carlo; the what-if is fixed numbers."""
    from planning.ui.marketing import MarketingWhatIf

    ds = load_dataset(write_dataset(tmp_path / "d", {"scenarios.yaml": (
        "scenarios:\n  base:\n    uncertainty:\n      leads: {dist: norm, loc: 0, scale: 0.1}\n")}))
    view = MarketingWhatIf(ds, period="2026Q2")  # the tiny funnel has campaigns in 2026Q1 only
    assert view.error is None, view.error
    assert view.result.pool == bonus_for_period(ds, "2026Q2").pool
    view.period.value = "2026Q1"
    view.leads.value = 0.2
    assert view.error is None and view.result.revenue > view.baseline.revenue


def test_marketing_lead_to_win_slider_stops_at_a_rate_of_zero(sample):
    from planning.scenarios import build_model
    from planning.ui.marketing import MarketingWhatIf

    view = MarketingWhatIf(sample, period="2025Q3")
    rate = build_model(sample, "2025Q3", "base").baseline.lead_to_win
    assert rate < 0.05 and -rate <= view.lead_to_win.min < -rate + view.lead_to_win.step
    view.lead_to_win.value = -0.05  # clipped to the slider's floor: no negative rate
    assert view.error is None and view.result is not None
    view.period.value = "2026Q2"
    assert view.lead_to_win.min == -0.05


def test_marketing_problems_name_the_slider_and_nothing_escapes(tmp_path, monkeypatch):
    import planning.ui.marketing as marketing
    from planning.ui.marketing import MarketingWhatIf

    ds = load_dataset(write_dataset(tmp_path / "d", {"scenarios.yaml": (
        "scenarios:\n  base:\n    drivers: {leads: -0.6}\n")}))
    view = MarketingWhatIf(ds, period="2026Q1")
    view.leads.value = -0.5  # with base's -60%: -110% of the leads
    assert view.error.startswith("Leads: -1.1 is out of range")
    with pytest.raises(InputError, match="Leads: -1.1"):
        view.comparison()

    def broken(*_args, **_kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(marketing, "run_scenario", broken)
    view.leads.value = 0
    assert "Something went wrong: RuntimeError: kaput" in view.output.value
    with pytest.raises(InputError, match="no quarter to plan|not a quarter to plan"):
        MarketingWhatIf(ds, period="2031Q1")


def test_target_setting_shows_proposals_against_the_owner_and_reprices_by_scenario(sample):
    from planning.proposals import proposal_odds
    from planning.ui.targets import TargetSetting

    view = TargetSetting(sample, draws=2000, seed=5)
    assert view.period_label == "2027Q1" and view.owner == (4440000.0, 466000.0)
    text = view.comparison_text()
    assert "Sales  AUD 4,200,000    -5.4%" in text and "below own forecast" in text
    reference = proposal_odds(sample, "2027Q1", view.proposals, 2000, 5)
    pd.testing.assert_frame_equal(view.odds, reference)
    view.scenario.value = "downturn"
    assert view.odds.attrs["scenario"] == "downturn"
    assert (view.odds["p_pays"] < reference["p_pays"]).all()
    assert "downturn" in view.odds_html.value and bytes(view.chart.value).startswith(PNG)
    with pytest.raises(InputError, match="no proposals for 2026Q1"):
        TargetSetting(sample, period="2026Q1")


# --- the notebooks, run headless with papermill on data they have never seen ------------------

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run_notebook(name: str, out_dir: Path, **parameters) -> str:
    """Run ``notebooks/<name>.ipynb`` (the cockpit: the packaged one) as an analyst would
    (papermill -p ...); all its output text."""
    from planning.notebooks import COCKPIT, notebook_path

    path = notebook_path(COCKPIT) if f"{name}.ipynb" == COCKPIT else NOTEBOOKS / f"{name}.ipynb"
    return run_notebook_file(path, out_dir, **parameters)


def run_notebook_file(path: Path, out_dir: Path, **parameters) -> str:
    papermill = pytest.importorskip("papermill")
    out = out_dir / f"{path.stem}.out.ipynb"
    papermill.execute_notebook(str(path), str(out), parameters=parameters,
                               kernel_name="python3", cwd=str(path.parent), progress_bar=False)
    texts = []
    for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            texts.append("".join(output.get("text", "")))
            for kind in ("text/plain", "text/html"):
                texts.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def bare_dataset(tmp_path_factory) -> Path:
    """One quarter, calendar fiscal year; no funnel.csv, scenarios.yaml or proposals.csv."""
    return write_dataset(tmp_path_factory.mktemp("bare") / "acme", {
        "funnel.csv": None,
        "actuals.csv": "period,department,revenue,cogs,opex\n2026Q1,Sales,1000000,400000,100000\n"
                       "2026Q1,IT,0,0,150000\n2026Q1,Marketing,0,0,140000\n",
        "targets.csv": "period,revenue_target,gop_target\n2026Q1,1000000,200000\n",
    })


@pytest.mark.slow
@pytest.mark.parametrize("name, expected", [
    ("01_explore_bonus", "The bonus pool is EUR 5,000.00"),
    ("02_marketing_and_sales", "no campaigns in funnel.csv"),
    ("03_setting_targets", "proposals.csv: file not found"),
    ("04_getting_started", "staff.csv, row 2, column annual_salary: '12k' is not a number"),
])
def test_each_notebook_runs_with_papermill_on_a_bare_dataset(bare_dataset, tmp_path, name, expected):
    text = run_notebook(name, tmp_path, data_path=str(bare_dataset))
    assert expected in text
    assert "Traceback" not in text


def workbook_dataset(folder: Path, out: Path) -> Path:
    """``folder``'s CSV tables as one .xlsx with its YAML files beside it (like docs/data.md)."""
    import shutil
    import subprocess
    import sys

    out.mkdir(parents=True)
    for name in ("company.yaml", "plan.yaml"):
        shutil.copy(folder / name, out / name)
    script = Path(__file__).resolve().parents[1] / "scripts" / "make_workbook.py"
    subprocess.run([sys.executable, str(script), str(folder), str(out / "book.xlsx")], check=True,
                   capture_output=True)
    return out / "book.xlsx"


def test_typo_demo_works_on_any_formatting_and_on_workbooks(tmp_path):
    from planning.ui.tour import typo_demo

    # FTE written "1", a header in capitals after a blank line: no string to search and replace
    folder = write_dataset(tmp_path / "csv")
    staff = (folder / "staff.csv").read_text()
    (folder / "staff.csv").write_text("\n" + staff.replace("annual_salary", "Annual_Salary", 1))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert typo_demo(folder) == (
        "staff.csv, row 3, column annual_salary: '12k' is not a number; expected an amount like "
        "12000 or 12000.50 (no currency sign, no thousands separators)")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # only read

    book = workbook_dataset(write_dataset(tmp_path / "src"), tmp_path / "xl")
    before = book.read_bytes()
    assert typo_demo(book).startswith("book.xlsx [staff], row 2, column annual_salary: '12k'")
    assert typo_demo(book.parent).startswith("book.xlsx [staff], row 2")
    assert book.read_bytes() == before

    empty = write_dataset(tmp_path / "nobody", {"staff.csv": (
        "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n")})
    assert "no one" in typo_demo(empty)


@pytest.mark.slow
def test_getting_started_runs_on_a_workbook_and_on_a_dataset_with_problems(bare_dataset, tmp_path):
    book = workbook_dataset(bare_dataset, tmp_path / "xl")
    text = run_notebook("04_getting_started", tmp_path, data_path=str(book))
    assert "book.xlsx [staff], row 2, column annual_salary: '12k'" in text
    assert "success bonus for 2026Q1" in text and "Traceback" not in text

    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(bare_dataset, broken)
    (broken / "targets.csv").write_text("period,revenue_target,gop_target\n2026Q1,1000000,200k\n")
    text = run_notebook("04_getting_started", tmp_path, data_path=str(broken))
    assert "targets.csv, row 2, column gop_target: '200k' is not a number" in text
    assert "fix them, then run this notebook again" in text and "Traceback" not in text


@pytest.mark.slow
def test_make_app_serves_the_cockpit_on_the_data_given(bare_dataset, tmp_path):
    """`make app DATA=...` must show the owner's company, not the sample (Voila takes no parameters).

    `make app` runs `planning app`, which writes the parameterised copy and then starts
    Voila; `--dry-run` does the first and prints the second.
    """
    import shlex
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "out"
    # Under `make test` this runs inside another make: drop its flags so the dry run prints
    # only the recipe's commands (no "make[1]: Entering directory" lines).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    dry = subprocess.run(["make", "--no-print-directory", "-n", "app", f"DATA={bare_dataset}",
                          f"OUT={out}", "PORT=9"],
                         cwd=root, capture_output=True, text=True, check=True, env=env).stdout
    recipe = [c for c in dry.replace("\\\n", " ").splitlines() if c.strip()]
    stamp = ("test -x", " pip ", "touch", "#")   # (re)installing .venv when pyproject.toml changed
    commands = [c for c in recipe if not any(part in c for part in stamp)]
    assert len(commands) == 1 and shlex.split(commands[0])[1:] == [
        "app", "--data", str(bare_dataset), "--out", str(out), "--port", "9"], commands
    prepare = subprocess.run(shlex.split(commands[0]) + ["--dry-run"], cwd=root, check=True, capture_output=True,
                             text=True)
    serve = prepare.stdout.strip()
    assert shlex.split(serve)[1:3] == ["-m", "voila"]
    served = Path(shlex.split(serve)[3])
    assert "--Voila.ip=127.0.0.1" in serve and "--port=9" in serve and served.is_file()
    parameters = json.loads(served.read_text())["metadata"]["papermill"]["parameters"]
    assert parameters == {"data_path": str(bare_dataset), "design_path": f"{out}/plan-design.yaml"}
    text = run_notebook_file(served, tmp_path)
    assert "The bonus pool is EUR 5,000.00" in text and "Traceback" not in text


def test_open_cockpit_lists_a_datasets_problems_in_the_page(tmp_path, tiny_dir):
    from planning.ui import open_cockpit

    assert isinstance(open_cockpit(tiny_dir, period="2026Q1", charts=False), BonusCockpit)
    staff = tiny_dir / "staff.csv"
    staff.write_text(staff.read_text().replace("100000", "<b>100k</b>", 1))
    page = open_cockpit(tiny_dir)
    assert "The dataset has problems" in page.value
    assert "staff.csv, row 2, column annual_salary: &#x27;&lt;b&gt;100k&lt;/b&gt;&#x27; is not a number" in page.value
    assert "pw-error" in page.value
    assert "has no row for period 2031Q1" in open_cockpit(write_dataset(tmp_path / "d"), period="2031Q1").value


@pytest.mark.slow
def test_the_app_notebook_shows_a_datasets_problems_instead_of_failing(bare_dataset, tmp_path):
    """Voila hides a failing cell behind 'There was an error when executing cell [3]'."""
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(bare_dataset, broken)
    (broken / "targets.csv").write_text("period,revenue_target,gop_target\n2026Q1,1000000,200k\n")
    text = run_notebook("01_explore_bonus", tmp_path, data_path=str(broken))  # runs to the end
    assert "Traceback" not in text
    page = (tmp_path / "01_explore_bonus.out.ipynb").read_text(encoding="utf-8")  # the widgets' state
    assert "targets.csv, row 2, column gop_target: &#x27;200k&#x27; is not a number" in page
