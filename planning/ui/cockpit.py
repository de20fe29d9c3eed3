"""The owner's cockpit: move a control, see at once whether the bonus pays and who gets what.

:class:`BonusCockpit` holds the controls (labels ``Period``, ``Revenue target``,
``GOP target``, ``Revenue gate``, ``GOP gate``, ``Pool method``, ``Pool rate``,
``Pool cap``, ``Distribution``, ``Individual cap``, ``Scenario``) and the outputs. Every
change calls :func:`planning.ui.model.evaluate` (the pure bonus engine) and stores the
answer in ``cockpit.result``, so tests can drive it without a browser or a kernel::

    cockpit = BonusCockpit(dataset)
    cockpit.gop_gate.value = 0.95
    cockpit.result.pool
"""

from __future__ import annotations

import contextlib
import html
import math
import os
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd
import yaml

from planning import charts
from planning.bonus import BonusResult, explain_payout, explain_pool, sharing_rule_text
from planning.dataset import Dataset, load_dataset
from planning.errors import InputError
from planning.export import write_atomic
from planning.financials import PeriodResult
from planning.money import format_cents, format_money, round_cents
from planning.plan import (
    DISTRIBUTION_METHODS,
    POOL_METHODS,
    Plan,
    load_plan,
    parse_plan,
    plan_to_dict,
)
from planning.ui import scenario_bridge
from planning.ui.components import (
    CONTROL_WIDTH,
    LABEL_STYLE,
    chart_image,
    figure_png,
    message_html,
    money_box,
    pct,
    percent_exact,
    percent_readout,
    percent_slider,
    period_label,
    table_html,
    tile,
    tiles_html,
)
from planning.ui.model import ACTUALS, CockpitSettings, evaluate, gate_grid, settings_from_plan

__all__ = ["BonusCockpit", "POOL_METHOD_LABELS", "DISTRIBUTION_LABELS", "pool_line"]

POOL_METHOD_LABELS = {
    "excess_gop_share": "Share of GOP above target",
    "gop_share": "Share of all GOP",
    "payout_curve": "Payout curve",
}
DISTRIBUTION_LABELS = {"salary": "By salary", "equal": "Equal per person", "points": "By role points"}
assert set(POOL_METHOD_LABELS) == set(POOL_METHODS)
assert set(DISTRIBUTION_LABELS) == set(DISTRIBUTION_METHODS)

_TABLE_COLUMNS = {"name": "Name", "department": "Department", "role": "Role", "status": "Status",
                  "days_in": "Days", "weight_share": "Share of weight", "payout": "Payout"}


def pool_line(result: BonusResult) -> str:
    """The exact headline text ``Bonus pool: AUD 12,345.67``."""
    return f"Bonus pool: {format_cents(result.pool, result.currency)}"


def _from_control(value: float, planned: float | None) -> float | None:
    """A gate or cap as the plan wants it: the control's 0 is "none" (None).

    Rounded so 0.95 stays 0.95. Where the plan itself sets the key to 0 (a cap of 0, a gate
    of 0%), the control's 0 is that 0, so the cockpit opens on exactly the plan as written.
    """
    value = round(float(value), 6)
    if value == 0:
        return 0.0 if planned == 0 else None
    return value


def _widen(slider: widgets.FloatSlider, value: float | None) -> None:
    """Raise a slider's maximum to show a plan value above it (a slider clips silently)."""
    if value is not None and value > slider.max:
        slider.max = math.ceil(round(value * 100, 6)) / 100


def _plan_slider(description: str, value: float | None, high: float) -> widgets.FloatSlider:
    """A percent slider from 0 to ``high``, or higher when the plan's ``value`` is above it."""
    slider = percent_slider(description, value if value is not None and value <= high else None, 0.0, high)
    _show_on(slider, value)
    return slider


def _show_on(slider: widgets.FloatSlider, value: float | None) -> None:
    """Put a plan value on a slider: widened if needed, and read out without rounding it away."""
    _widen(slider, value)
    slider.readout_format = percent_readout(value)
    slider.value = 0.0 if value is None else value


class BonusCockpit:
    """Widgets over the bonus engine for one dataset.

    Parameters
    ----------
    dataset : Dataset
    period : str, optional
        The period shown first (default: the latest with actuals and targets).
    plan : Plan, optional
        The plan the controls start from and whose hidden keys (floor, curve, points,
        eligibility rules) are kept (default: the dataset's plan).
    design_path : str or Path
        Where "Save this design" writes by default.
    charts : bool
        Draw charts (False for a table-and-numbers cockpit, and for the model-only benchmark).

    Attributes
    ----------
    result : BonusResult or None
        The bonus for the current settings; None while the settings are not a valid plan.
    error : str or None
        What is wrong with the current settings (also shown in the page).
    simulation : object or None
        The last Monte Carlo result (see :mod:`planning.montecarlo`).
    widget : ipywidgets.Widget
        The whole cockpit; displaying the cockpit displays this.
    """

    def __init__(self, dataset: Dataset, period: str | None = None, plan: Plan | None = None,
                 design_path: str | Path = "plan-design.yaml", charts: bool = True):
        if not dataset.reportable_periods:
            raise InputError.single("targets.csv", "no period has both actuals and targets; "
                                    "the cockpit needs at least one")
        self.dataset = dataset
        self.base_plan = plan or dataset.plan
        self.draw_charts = charts
        self.result: BonusResult | None = None
        self.error: str | None = None
        self.simulation = None
        self.settings: CockpitSettings | None = None
        self._quiet_depth = 0
        self._heatmap_stale = True
        self._models: dict[tuple[str, str], object] = {}
        start = str(dataset.require_period(period)) if period else str(dataset.reportable_periods[-1])
        initial = settings_from_plan(dataset, start, self.base_plan)
        self._build_controls(initial, design_path)
        self._build_outputs()
        self.widget = self._layout()
        self._wire()
        self.refresh()

    @classmethod
    def from_path(cls, data_path: str | Path, **kwargs) -> BonusCockpit:
        """Load the dataset at ``data_path`` (folder or ``.xlsx``) and open its cockpit."""
        return cls(load_dataset(data_path), **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # --- building -------------------------------------------------------------------------

    def _build_controls(self, s: CockpitSettings, design_path: str | Path) -> None:
        periods = [(period_label(p), str(p)) for p in self.dataset.reportable_periods]
        layout = widgets.Layout(width=CONTROL_WIDTH)
        self.period = widgets.Dropdown(options=periods, value=s.period, description="Period",
                                       style=LABEL_STYLE, layout=layout)
        self.scenario = widgets.Dropdown(options=[ACTUALS, *scenario_bridge.scenario_names(self.dataset)],
                                         value=ACTUALS, description="Scenario", style=LABEL_STYLE,
                                         layout=layout)
        self.revenue_target = money_box("Revenue target", s.revenue_target, step=10000)
        self.gop_target = money_box("GOP target", s.gop_target)
        self.revenue_gate = _plan_slider("Revenue gate", s.revenue_gate, 1.5)
        self.gop_gate = _plan_slider("GOP gate", s.gop_gate, 1.5)
        self.pool_method = widgets.Dropdown(
            options=[(label, key) for key, label in POOL_METHOD_LABELS.items()], value=s.pool_method,
            description="Pool method", style=LABEL_STYLE, layout=layout)
        self.pool_rate = percent_slider("Pool rate", s.pool_rate or 0.0, 0.0, 1.0)
        self.pool_cap = money_box("Pool cap", s.pool_cap)
        self.distribution = widgets.Dropdown(
            options=[(label, key) for key, label in DISTRIBUTION_LABELS.items()],
            value=s.distribution, description="Distribution", style=LABEL_STYLE, layout=layout)
        self.individual_cap = _plan_slider("Individual cap", s.individual_cap, 0.5)
        self.controls = [self.period, self.scenario, self.revenue_target, self.gop_target,
                         self.revenue_gate, self.gop_gate, self.pool_method, self.pool_rate,
                         self.pool_cap, self.distribution, self.individual_cap]
        self.reset_button = widgets.Button(description="Back to the plan", icon="undo",
                                           layout=widgets.Layout(width="160px"))
        # Monte Carlo
        self.mc_draws = widgets.BoundedIntText(value=20000, min=100, max=1_000_000, step=1000,
                                               description="Draws", style=LABEL_STYLE, layout=layout)
        self.mc_seed = widgets.BoundedIntText(value=20240701, min=0, max=2**32 - 1, description="Seed",
                                              style=LABEL_STYLE, layout=layout)
        self.mc_button = widgets.Button(description="Run Monte Carlo", icon="play",
                                        button_style="primary", layout=widgets.Layout(width="180px"))
        # Saving
        self.save_path = widgets.Text(value=str(design_path), description="Save as",
                                      style=LABEL_STYLE, layout=widgets.Layout(width="520px"))
        self.save_overwrite = widgets.Checkbox(value=False, description="Replace the file if it exists",
                                               indent=False)
        self.save_button = widgets.Button(description="Save this design", icon="save",
                                          button_style="success", layout=widgets.Layout(width="180px"))

    def _build_outputs(self) -> None:
        self.headline = widgets.HTML(layout=widgets.Layout(min_height="250px"))
        self.waterfall_image = chart_image("272px")
        self.department_image = chart_image("240px")
        self.heatmap_image = chart_image("288px")
        self.chart_note = widgets.HTML()
        self.heatmap_note = widgets.HTML()
        self.mc_image = chart_image("240px")
        self.mc_summary = widgets.HTML(layout=widgets.Layout(min_height="60px"))
        self.person = widgets.Dropdown(description="Explain payout for", style={"description_width": "130px"},
                                       layout=widgets.Layout(width="460px"))
        self.person_explanation = widgets.HTML(layout=widgets.Layout(min_height="110px"))
        self.people_table = widgets.HTML()
        self.save_status = widgets.HTML()
        self._set_person_options()

    def _layout(self) -> widgets.Widget:
        company = html.escape(self.dataset.company.name)
        header = widgets.HTML(f"<h2 style='margin:4px 0; font-family:system-ui, sans-serif'>"
                              f"{company}: success bonus cockpit</h2>")
        cur = html.escape(self.dataset.company.currency)
        how_to = widgets.HTML(message_html(
            "Drag a slider, or click its handle and press the arrow keys (one point a press). "
            "For an exact value, click the number beside a slider and type it as a fraction: "
            f"0.95 for 95%. Targets and Pool cap are in {cur}. A gate or cap at 0 means none.",
            "note"), layout=widgets.Layout(width="380px"))
        controls = widgets.VBox([*self.controls, self.reset_button, how_to],
                                layout=widgets.Layout(width="400px", min_width="400px"))
        top = widgets.HBox([controls, widgets.VBox([self.headline, self.waterfall_image, self.chart_note],
                                                   layout=widgets.Layout(flex="1 1 auto"))])
        payouts = widgets.VBox([self.department_image, self.person, self.person_explanation,
                                self.people_table])
        monte_carlo = widgets.VBox([
            widgets.HTML(message_html(
                "How likely is the bonus to pay, and what might it cost? Each draw is one "
                "possible quarter from the chosen scenario's uncertainty, judged by the plan "
                "and targets set above.", "note")),
            self.mc_draws, self.mc_seed, self.mc_button, self.mc_summary, self.mc_image])
        save = widgets.VBox([
            widgets.HTML(message_html(
                "Write the plan you see as a plan.yaml that the command line and the reports "
                "can use (for example: planning bonus --plan plan-design.yaml). An existing "
                "file is only replaced when you tick the box.", "note")),
            self.save_path, self.save_overwrite, self.save_button, self.save_status])
        heatmap = widgets.VBox([self.heatmap_note, self.heatmap_image])
        self.tabs = widgets.Tab(children=[payouts, heatmap, monte_carlo, save],
                                titles=["Who gets what", "Gate heat map", "Monte Carlo",
                                        "Save this design"])
        root = widgets.VBox([header, top, self.tabs])
        root.add_class("pw-cockpit")
        return root

    def _wire(self) -> None:
        for control in self.controls:
            if control not in (self.period, self.scenario):
                control.observe(self._on_control, names="value")
        # Every callback shows its own failure in the page: an exception escaping an
        # observer only reaches the kernel's log, which an owner in Voila never sees.
        self.period.observe(lambda change: self._shown(self._on_period, change), names="value")
        self.scenario.observe(lambda change: self._shown(self._on_scenario, change), names="value")
        self.pool_method.observe(self._on_method, names="value")
        self.person.observe(lambda _change: self._render_person(), names="value")
        self.tabs.observe(lambda _change: self._render_heatmap(), names="selected_index")
        self.reset_button.on_click(lambda _b: self._shown(self.reset))
        self.mc_button.on_click(lambda _b: self.run_monte_carlo())
        self.save_button.on_click(lambda _b: self._on_save())
        self.save_path.observe(lambda _change: setattr(self.save_overwrite, "value", False), names="value")
        self._on_method({"new": self.pool_method.value})

    @contextlib.contextmanager
    def _quiet(self):
        """Change several controls without recomputing after each one."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    # --- reacting -------------------------------------------------------------------------

    def _shown(self, action, *args) -> None:
        """Run a callback; if it fails, say so in the headline instead of the kernel's log."""
        try:
            action(*args)
        except Exception as exc:  # noqa: BLE001 - an owner must see it, not a log file
            self._show_failure(exc)

    def _show_failure(self, exc: Exception) -> None:
        """No answer: the failure in the headline, and no stale figures elsewhere."""
        self.result, self.error = None, f"Something went wrong: {exc.__class__.__name__}: {exc}"
        self.render()

    def _on_control(self, _change) -> None:
        if not self._quiet_depth:
            self.refresh()

    def _on_period(self, _change) -> None:
        """A new period brings its own targets (the scenario's, when one is picked)."""
        self._load_setup(keep_plan=True)
        self._set_person_options()
        self.refresh()

    def _on_scenario(self, _change) -> None:
        """Picking a scenario loads its plan overrides and targets; Actuals the plan's."""
        self._load_setup(keep_plan=False)
        self.refresh()

    def _on_method(self, change) -> None:
        self.pool_rate.disabled = change["new"] == "payout_curve"

    def reset(self) -> None:
        """Put every control back to the plan and the period's own targets (on actuals)."""
        with self._quiet():
            self.scenario.value = ACTUALS
        self._load_setup(keep_plan=False)
        self.refresh()

    def _load_setup(self, keep_plan: bool) -> None:
        """Set the targets (and unless ``keep_plan`` the plan controls) for the period and scenario."""
        period, scenario = self.period.value, self.scenario.value
        try:
            if scenario == ACTUALS:
                s = settings_from_plan(self.dataset, period, self.base_plan)
            else:
                model = self._model(period, scenario)
                s = replace(settings_from_plan(self.dataset, period, model.plan, scenario),
                            revenue_target=model.revenue_target, gop_target=model.gop_target)
        except InputError:
            return  # compute() shows what is wrong with this scenario
        with self._quiet():
            self.revenue_target.value = s.revenue_target
            self.gop_target.value = s.gop_target
            if keep_plan:
                return
            _show_on(self.revenue_gate, s.revenue_gate)
            _show_on(self.gop_gate, s.gop_gate)
            self.pool_method.value = s.pool_method
            _show_on(self.pool_rate, s.pool_rate)
            self.pool_cap.value = s.pool_cap or 0.0
            self.distribution.value = s.distribution
            _show_on(self.individual_cap, s.individual_cap)

    def _model(self, period: str, scenario: str):
        """The scenario engine's model of (period, scenario), built once per pair."""
        key = (period, scenario)
        if key not in self._models:
            self._models[key] = scenario_bridge.scenario_model(self.dataset, period, scenario,
                                                               self.base_plan)
        return self._models[key]

    def _reference_plan(self) -> Plan:
        """The plan the controls were loaded from: the dataset's, or the picked scenario's."""
        if self.scenario.value != ACTUALS:
            with contextlib.suppress(InputError):  # compute() shows what is wrong with it
                return self._model(self.period.value, self.scenario.value).plan
        return self.base_plan

    def current_settings(self) -> CockpitSettings:
        """The settings the controls show (0 on a gate or cap means none, see _from_control)."""
        plan = self._reference_plan()
        rate = round(float(self.pool_rate.value), 6)
        if self.pool_method.value == "payout_curve" and rate == 0 and plan.pool.rate is None:
            rate = None  # the curve does not use a rate: do not add one the plan never had
        return CockpitSettings(
            period=self.period.value,
            revenue_target=float(self.revenue_target.value),
            gop_target=float(self.gop_target.value),
            revenue_gate=_from_control(self.revenue_gate.value, plan.gates.revenue),
            gop_gate=_from_control(self.gop_gate.value, plan.gates.gop),
            pool_method=self.pool_method.value,
            pool_rate=rate,
            pool_cap=_from_control(self.pool_cap.value, plan.pool.cap),
            distribution=self.distribution.value,
            individual_cap=_from_control(self.individual_cap.value, plan.distribution.individual_cap),
            scenario=self.scenario.value,
        )

    def compute(self) -> BonusResult | None:
        """Recompute the bonus from the controls; store it in ``result`` (or ``error``)."""
        self.settings = settings = self.current_settings()
        self.simulation = None
        try:
            if settings.revenue_target <= 0 or settings.gop_target <= 0:
                raise InputError.single("cockpit", "targets must be above 0", column=(
                    "Revenue target" if settings.revenue_target <= 0 else "GOP target"))
            if settings.scenario == ACTUALS:
                self.result = evaluate(self.dataset, settings, self.base_plan)
            else:
                model = self._model(settings.period, settings.scenario)
                projected = scenario_bridge.projected_result(model, settings.revenue_target,
                                                             settings.gop_target)
                # model.plan is the plan with the scenario's overrides, including those no
                # control shows (floor, self-funding, eligibility...): the controls go on top.
                self.result = evaluate(self.dataset, settings, model.plan, projected,
                                       salary_factor=model.salary_factor)
            self.error = None
        except InputError as exc:
            self.result = None
            self.error = "These settings are not a valid plan:\n" + "\n".join(
                f"- {p.column or p.file}: {p.message}" for p in exc.problems)
        self._heatmap_stale = True
        return self.result

    def refresh(self) -> None:
        """Recompute and redraw everything visible; errors are shown in the page."""
        self._shown(self._compute_and_render)

    def _compute_and_render(self) -> None:
        self.compute()
        self.render()

    # --- drawing --------------------------------------------------------------------------

    def render(self) -> None:
        """Draw the headline, the charts, the people and (if visible) the heat map."""
        self.mc_summary.value = ""
        self.mc_image.value = b""
        self.chart_note.value = self.heatmap_note.value = ""
        if self.result is None:
            self.headline.value = message_html(self.error or "No result.")
            for image in (self.waterfall_image, self.department_image, self.heatmap_image):
                image.value = b""
            self.people_table.value = ""
            self.person_explanation.value = ""
            return
        self.headline.value = self.headline_html(self.result)
        self.people_table.value = self._people_html(self.result)
        self._render_person()
        self._render_charts()
        self._render_heatmap()

    def _render_charts(self) -> None:
        """The waterfall and payouts by department; a chart that fails leaves the numbers shown."""
        if not self.draw_charts:
            return
        try:
            self.waterfall_image.value = figure_png(charts.bonus_waterfall(self.result))
            self.department_image.value = figure_png(charts.payouts_by_department(self.result))
        except Exception as exc:  # noqa: BLE001 - the figures above stand without the pictures
            self.waterfall_image.value = self.department_image.value = b""
            self.chart_note.value = message_html(
                f"The charts could not be drawn ({exc.__class__.__name__}: {exc}); "
                "the figures above and the tables below are complete.")

    def headline_html(self, r: BonusResult) -> str:
        """The tiles, the ``Bonus pool:`` line and the reasons, as escaped HTML."""
        money = lambda x: format_money(x, r.currency, 0)  # noqa: E731
        tiles = [
            tile("Revenue", money(r.revenue), f"{pct(r.revenue_attainment)} of target {money(r.revenue_target)}",
                 "pass" if r.revenue >= r.revenue_target else "plain"),
            tile("GOP", money(r.gop), f"{pct(r.gop_attainment)} of target {money(r.gop_target)}",
                 "pass" if r.gop >= r.gop_target else "plain"),
        ]
        for g in r.gates:
            name = "Revenue gate" if g.metric == "revenue" else "GOP gate"
            if g.passed:
                spare = (g.attainment - g.threshold) * 100
                detail = f"needs {percent_exact(g.threshold)}, made {pct(g.attainment)} ({spare:.1f} pts to spare)"
                tiles.append(tile(name, "Passed", detail, "pass"))
            else:
                detail = f"needs {percent_exact(g.threshold)}, made {pct(g.attainment)}: {money(g.gap_amount)} short"
                tiles.append(tile(name, f"Missed by {g.shortfall * 100:.1f} pts", detail, "miss"))
        if not r.gates:
            tiles.append(tile("Gates", "None", "the plan pays without gates", "plain"))
        share = "no GOP" if r.gop <= 0 else f"{pct(r.allocated / r.gop)} of GOP"
        tiles.append(tile("Cost of the bonus", share, f"paid out {format_cents(r.allocated, r.currency)}",
                          "pool"))
        tiles.append(tile("GOP after bonus", money(r.gop_after_bonus),
                          f"{pct(r.gop_after_bonus / r.gop_target)} of the GOP target", "plain"))
        reasons = [*explain_pool(r)[1:], sharing_rule_text(r.plan)]
        if self.settings is not None and self.settings.scenario != ACTUALS:
            reasons.insert(0, f"Scenario '{self.settings.scenario}': projected figures, not actuals.")
        return tiles_html(tiles, pool_line(r), reasons)

    def people_frame(self, r: BonusResult) -> pd.DataFrame:
        """The per-person table as shown: biggest payouts first, then everyone not paid."""
        a = r.allocations
        total = float(a["weight"].sum())
        status = np.where(a["eligible"], np.where(a["capped"], "capped", "eligible"), a["reason"])
        frame = pd.DataFrame({
            "name": a["name"], "department": a["department"], "role": a["role"], "status": status,
            "days_in": a["days_in"].astype(int),
            "weight_share": [pct(w / total) if total else "" for w in a["weight"]],
            "payout": [format_cents(x, r.currency, code=False) for x in a["payout"]],
            "_payout": a["payout"], "_name": a["name"],
        }).sort_values(["_payout", "_name"], ascending=[False, True])
        return frame.drop(columns=["_payout", "_name"]).rename(columns=_TABLE_COLUMNS)

    def _people_html(self, r: BonusResult) -> str:
        note = (f"Payouts add up to {format_cents(r.allocated, r.currency)}"
                + (f"; {format_cents(r.unallocated, r.currency)} could not be paid to anyone"
                   if r.unallocated else "") + ".")
        return table_html(self.people_frame(r), height="320px", note=note)

    def _set_person_options(self) -> None:
        staff = self.dataset.staff
        labels = [f"{n} ({d}, {e})" for n, d, e in zip(staff["name"], staff["department"],
                                                         staff["employee_id"], strict=True)]
        options = sorted(zip(labels, staff["employee_id"].astype(str), strict=True))
        with self._quiet():
            current = self.person.value
            self.person.options = options
            ids = [o[1] for o in options]
            self.person.value = current if current in ids else (ids[0] if ids else None)

    def _render_person(self) -> None:
        if self.result is None or self.person.value is None:
            self.person_explanation.value = ""
            return
        try:
            text = explain_payout(self.result, self.person.value)
        except Exception as exc:  # noqa: BLE001 - shown where the explanation would be
            self.person_explanation.value = message_html(
                f"This payout could not be explained: {exc.__class__.__name__}: {exc}")
            return
        self.person_explanation.value = message_html(text, "note").replace(
            'class="pw-note"', 'class="pw-note" style="font-size:13px; color:#1d2a33"')

    def _render_heatmap(self) -> None:
        """The heat map is drawn only when its tab is open (it is the slowest chart)."""
        if not (self.draw_charts and self._heatmap_stale and self.tabs.selected_index == 1):
            return
        if self.result is None:
            return
        try:
            grid = gate_grid(self.result.plan, _as_period_result(self.result))
            self.heatmap_image.value = figure_png(charts.gate_heatmap(
                grid.revenue_attainment, grid.gop_attainment, grid.pool, grid.current,
                {"revenue": grid.revenue_gate, "gop": grid.gop_gate}, self.result.currency))
            self.heatmap_note.value = ""
        except Exception as exc:  # noqa: BLE001 - shown in the heat map's tab
            self.heatmap_image.value = b""
            self.heatmap_note.value = message_html(
                f"The heat map could not be drawn: {exc.__class__.__name__}: {exc}")
        self._heatmap_stale = False

    # --- Monte Carlo ----------------------------------------------------------------------

    def run_monte_carlo(self):
        """Simulate the chosen scenario under the current plan and targets (on demand)."""
        self.mc_summary.value = message_html("Running...", "note")
        try:
            if self.result is None:
                raise InputError.single("cockpit", self.error or "no valid plan to simulate")
            settings = self.settings
            summary = scenario_bridge.simulate_settings(
                self.dataset, settings, self.result.plan, draws=int(self.mc_draws.value),
                seed=int(self.mc_seed.value))
        except InputError as exc:
            self.mc_summary.value = message_html("\n".join(str(p) for p in exc.problems))
            return None
        except scenario_bridge.ScenariosUnavailable as exc:
            self.mc_summary.value = message_html(str(exc), "note")
            return None
        except Exception as exc:  # noqa: BLE001 - shown in the page
            self.mc_summary.value = message_html(f"Monte Carlo failed: {exc.__class__.__name__}: {exc}")
            return None
        self.simulation = summary
        cur = self.result.currency
        m = lambda x: format_money(x, cur, 0)  # noqa: E731
        source = "the quarter's actuals with the base scenario's uncertainty" if (
            self.settings.scenario == ACTUALS) else f"scenario '{summary.scenario}'"
        certain = ""
        if not self._model(self.settings.period, self.settings.scenario).uncertain:
            name = "base" if self.settings.scenario == ACTUALS else self.settings.scenario
            certain = (f" Scenario '{name}' has no uncertainty in scenarios.yaml, so every draw is "
                       "the same quarter: the odds can only be 0% or 100%.")
        self.mc_summary.value = message_html(
            f"{summary.draws:,} possible quarters from {source} (seed {summary.seed}): both gates "
            f"pass in {pct(summary.p_gates_passed)} of them and the bonus pays in {pct(summary.p_pays)}. "
            f"Expected pool {m(summary.expected_pool)}, expected cost {m(summary.expected_cost)}. "
            f"Pool: 10% of draws at or below {m(summary.pool_p10)}, half at or below "
            f"{m(summary.pool_p50)}, 90% at or below {m(summary.pool_p90)}.{certain}", "ok")
        if self.draw_charts:
            self.mc_image.value = figure_png(charts.pool_distribution(summary.pools, cur, summary.p_pays))
        return summary

    # --- saving ---------------------------------------------------------------------------

    def save_design(self, path: str | Path | None = None, overwrite: bool | None = None) -> Path:
        """Write the current plan as a ``plan.yaml`` and check that it loads back the same.

        Parameters
        ----------
        path : str or Path, optional
            Default: the "Save as" box.
        overwrite : bool, optional
            Replace an existing file (default: the cockpit's checkbox). Without it an
            existing file is never touched.

        Raises
        ------
        FileExistsError
            When the file exists and ``overwrite`` is false.
        InputError
            When the settings are not a valid plan, or the path is not a ``.yaml`` file.
        """
        if self.result is None:
            raise InputError.single("cockpit", self.error or "no valid plan to save")
        path = Path(self.save_path.value if path is None else path).expanduser()
        overwrite = self.save_overwrite.value if overwrite is None else overwrite
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise InputError.single(str(path), "expected a file name ending in .yaml, like plan-design.yaml")
        if path.exists() and not overwrite:
            raise FileExistsError(_exists_message(path))
        plan = self.result.plan
        s = self.settings
        scenario = " ".join(str(s.scenario).split())  # a comment is one line: no line breaks
        header = (f"# Success-bonus plan saved from the cockpit on {date.today().isoformat()}.\n"
                  f"# Designed on {s.period} ({scenario}) with revenue target "
                  f"{s.revenue_target:.2f} and GOP target {s.gop_target:.2f};\n"
                  "# the targets themselves live in targets.csv, not in the plan.\n")
        text = header + yaml.safe_dump(plan_to_dict(plan), sort_keys=False, allow_unicode=True)
        # Check the text before any file is touched: a design that would not load back
        # never replaces a good file.
        if plan_to_dict(parse_plan(yaml.safe_load(text), source=path.name)) != plan_to_dict(plan):
            raise RuntimeError(f"the design does not load back to the plan shown; {path} was not written")
        if overwrite:
            write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        else:
            _write_new(path, text)
        if plan_to_dict(load_plan(path)) != plan_to_dict(plan):  # pragma: no cover - a bug if so
            raise RuntimeError(f"{path} does not load back to the plan shown")
        return path

    def _on_save(self) -> None:
        try:
            path = self.save_design()
        except FileExistsError as exc:
            self.save_status.value = message_html(str(exc))
        except InputError as exc:
            self.save_status.value = message_html("\n".join(str(p) for p in exc.problems))
        except OSError as exc:
            self.save_status.value = message_html(f"Could not write the file: {exc}")
        except Exception as exc:  # noqa: BLE001 - shown beside the button, not in a log
            self.save_status.value = message_html(f"Not saved: {exc.__class__.__name__}: {exc}")
        else:
            self.save_status.value = message_html(f"Saved {path.resolve()} and checked that it loads back.", "ok")
            self.save_overwrite.value = False

    # --- text for notebooks and tests -----------------------------------------------------

    def summary_text(self) -> str:
        """The headline as plain text (for notebooks' checked outputs)."""
        if self.result is None:
            return self.error or ""
        r = self.result
        lines = [f"{self.dataset.company.name}, {r.period} ({self.settings.scenario})", pool_line(r)]
        lines += explain_pool(r)
        return "\n".join(lines)


def _exists_message(path: Path) -> str:
    return f"{path} already exists; tick 'Replace the file if it exists' to replace it"


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` only if no file is there, atomically and without a race.

    The text goes to a temporary file beside ``path`` that is then hard-linked to ``path``:
    the link fails if a file appeared since the check (another browser tab saving to the
    same name), so nothing is ever replaced. Where the file system has no hard links, an
    existence check and a rename do the same, less strictly.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise FileExistsError(_exists_message(path)) from None
        except OSError:  # no hard links here
            if path.exists():
                raise FileExistsError(_exists_message(path)) from None
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _as_period_result(r: BonusResult) -> PeriodResult:
    """The revenue, GOP and targets of a bonus result (cogs folded into opex)."""
    return PeriodResult(period=r.period, revenue=r.revenue, cogs=0.0,
                        opex=round_cents(r.revenue - r.gop, r.currency or 2),
                        revenue_target=r.revenue_target, gop_target=r.gop_target, currency=r.currency or 2)

