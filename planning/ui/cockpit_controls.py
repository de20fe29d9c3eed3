"""The cockpit's controls and layout: the widgets an owner moves, built from the plan's
registries (:mod:`planning.methods`), and how they sit on the page.

:class:`CockpitControls` is one half of :class:`~planning.ui.cockpit.BonusCockpit`; the
wiring (what a change does) is in :mod:`planning.ui.cockpit`, the views in
:mod:`planning.ui.cockpit_views`.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import ipywidgets as widgets

from planning.methods import POOL_METHODS, SHARING_METHODS
from planning.ui import scenario_bridge
from planning.ui.chart_slots import ChartSlot
from planning.ui.components import (
    CONTROL_WIDTH,
    LABEL_STYLE,
    chart_image,
    message_html,
    money_box,
    percent_readout,
    percent_slider,
    period_label,
)
from planning.ui.model import ACTUALS, CockpitSettings
from planning.ui.year import YearPanel

__all__ = ["POOL_METHOD_LABELS", "DISTRIBUTION_LABELS", "HINTS", "CockpitControls", "from_control", "widen",
           "plan_slider", "show_on"]

# the dropdowns' entries, from the registries (planning.methods)
# the owner's words for the built-in methods; a method added to the registry shows its own label
_OWNER_WORDS = {"excess_gop_share": "A share of the profit above target",
                "gop_share": "A share of all the profit (GOP)",
                "payout_curve": "The plan's payout table (curve)",
                "salary": "Salary (bigger salary, bigger share)", "equal": "Equal amounts per person",
                "points": "Role points (set in plan.yaml)"}
POOL_METHOD_LABELS = {name: _OWNER_WORDS.get(name, method.label) for name, method in POOL_METHODS.items()}
DISTRIBUTION_LABELS = {m.name: _OWNER_WORDS.get(m.name, m.label)
                       for m in sorted(SHARING_METHODS.values(), key=lambda m: m.menu_order)}
HINTS = {
    "pool_method": "How the plan turns this quarter's profit into the pool, once the gates pass.",
    "distribution": "How the pool is split among everyone eligible; the individual cap still applies.",
}
"""The one-line hint under each control whose name alone is not enough."""

def from_control(value: float, planned: float | None) -> float | None:
    """A gate or cap as the plan wants it: the control's 0 is "none" (None).

    Rounded so 0.95 stays 0.95. Where the plan itself sets the key to 0 (a cap of 0, a gate
    of 0%), the control's 0 is that 0, so the cockpit opens on exactly the plan as written.
    """
    value = round(float(value), 6)
    if value == 0:
        return 0.0 if planned == 0 else None
    return value


def widen(slider: widgets.FloatSlider, value: float | None) -> None:
    """Raise a slider's maximum to show a plan value above it (a slider clips silently)."""
    if value is not None and value > slider.max:
        slider.max = math.ceil(round(value * 100, 6)) / 100


def plan_slider(description: str, value: float | None, high: float) -> widgets.FloatSlider:
    """A percent slider from 0 to ``high``, or higher when the plan's ``value`` is above it."""
    slider = percent_slider(description, value if value is not None and value <= high else None, 0.0, high)
    show_on(slider, value)
    return slider


def show_on(slider: widgets.FloatSlider, value: float | None) -> None:
    """Put a plan value on a slider: widened if needed, and read out without rounding it away."""
    widen(slider, value)
    slider.readout_format = percent_readout(value)
    slider.value = 0.0 if value is None else value


class CockpitControls:
    """Builds the controls, the output widgets and the page (a part of ``BonusCockpit``)."""

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
        self.revenue_gate = plan_slider("Revenue gate", s.revenue_gate, 1.5)
        self.gop_gate = plan_slider("GOP gate", s.gop_gate, 1.5)
        self.pool_method = widgets.Dropdown(
            options=[(label, key) for key, label in POOL_METHOD_LABELS.items()], value=s.pool_method,
            description="Pool set by", style=LABEL_STYLE, layout=layout)
        self.pool_rate = percent_slider("Pool rate", s.pool_rate or 0.0, 0.0, 1.0)
        self.pool_cap = money_box("Pool cap", s.pool_cap)
        self.distribution = widgets.Dropdown(
            options=[(label, key) for key, label in DISTRIBUTION_LABELS.items()],
            value=s.distribution, description="Shared by", style=LABEL_STYLE, layout=layout)
        self.individual_cap = plan_slider("Individual cap", s.individual_cap, 0.5)
        self.controls = [self.period, self.scenario, self.revenue_target, self.gop_target,
                         self.revenue_gate, self.gop_gate, self.pool_method, self.pool_rate,
                         self.pool_cap, self.distribution, self.individual_cap]
        # a box beside each percentage: type 95%, 95 or 0.95 (the slider's own readout takes 0.95 only)
        self.typed = {slider: widgets.Text(placeholder="type %", continuous_update=False,
                                           layout=widgets.Layout(width="72px"))
                      for slider in (self.revenue_gate, self.gop_gate, self.pool_rate, self.individual_cap)}
        for slider, box in self.typed.items():  # pw-typed-gop-gate, ...: for tests and styles
            box.add_class("pw-typed-" + slider.description.lower().replace(" ", "-"))
        self.typed_note = widgets.HTML()
        self.typed_note.add_class("pw-typed-note")
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
        self.against_plan = widgets.HTML()
        self.waterfall_image = chart_image("272px")
        self.department_image = chart_image("240px")
        self.heatmap_image = chart_image("288px")
        self.chart_note = widgets.HTML()
        self.heatmap_note = widgets.HTML()
        self.mc_image = chart_image("240px")
        self.chart_slots = {name: ChartSlot(image) for name, image in (
            ("waterfall", self.waterfall_image), ("department", self.department_image),
            ("heatmap", self.heatmap_image))}
        self.mc_summary = widgets.HTML(layout=widgets.Layout(min_height="60px"))
        self.person = widgets.Dropdown(description="Explain payout for", style={"description_width": "130px"},
                                       layout=widgets.Layout(width="460px"))
        self.person_explanation = widgets.HTML(layout=widgets.Layout(min_height="110px"))
        self.people_table = widgets.HTML()
        self.save_status = widgets.HTML()
        self._set_person_options()
        # the year controls settle the year under the plan the quarter's controls give
        self.year_panel = YearPanel(self.dataset, lambda: None if self.result is None else self.result.plan,
                                    self.base_plan, charts=self.draw_charts)
        self._year_stale = True

    def _layout(self) -> widgets.Widget:
        company = html.escape(self.dataset.company.name)
        header = widgets.HTML(f"<h2 style='margin:4px 0; font-family:system-ui, sans-serif'>"
                              f"{company}: success bonus cockpit</h2>")
        cur = html.escape(self.dataset.company.currency)
        how_to = widgets.HTML(message_html(
            "Drag a slider, or click its handle and press the arrow keys (one point a press). "
            "For an exact value, type it in the box beside the slider: 95%, 95 or 0.95 all mean "
            f"95% (a number up to 2 without % is a fraction). Targets and Pool cap are in {cur}. "
            "A gate or cap at 0 means none.", "note"), layout=widgets.Layout(width="460px", max_width="100%"))
        hint = {self.pool_method: HINTS["pool_method"], self.distribution: HINTS["distribution"]}
        shown = []
        for control in self.controls:
            control.layout.max_width = "100%"  # a phone is narrower than a control
            shown.append(widgets.HBox([control, self.typed[control]], layout=widgets.Layout(flex_flow="row wrap"))
                         if control in self.typed else control)
            if control in hint:
                shown.append(widgets.HTML(f'<div class="pw-hint" style="margin:0 0 6px 124px; font-size:12px; '
                                          f'line-height:1.3; color:#5c6770; max-width:330px">'
                                          f'{html.escape(hint[control])}</div>'))
        controls = widgets.VBox([*shown, self.typed_note, self.reset_button, how_to],
                                layout=widgets.Layout(width="480px", max_width="100%"))
        # side by side on a wide screen; the results go under the controls on a phone
        top = widgets.HBox([controls, widgets.VBox([self.headline, self.against_plan, self.waterfall_image,
                                                    self.chart_note],
                                                   layout=widgets.Layout(flex="1 1 420px", min_width="0"))],
                           layout=widgets.Layout(flex_flow="row wrap"))
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
        self.tabs = widgets.Tab(children=[payouts, heatmap, self.year_panel.widget, monte_carlo, save],
                                titles=["Who gets what", "Gate heat map", "Bonus year", "Monte Carlo",
                                        "Save this design"])
        root = widgets.VBox([header, top, self.tabs])
        root.add_class("pw-cockpit")
        return root
