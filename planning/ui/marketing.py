"""Marketing and sales on the shared targets: a leads and conversion what-if (notebook 02).

Two sliders change the quarter's leads and lead-to-win rate; the scenario engine carries
them through campaign revenue to revenue, GOP, the gates and the bonus pool
(:func:`planning.scenarios.run_scenario` with the ``base`` scenario's drivers changed), so
marketing sees its own numbers in the company's terms.
"""

from __future__ import annotations

import html
import math
from dataclasses import replace

import ipywidgets as widgets
import pandas as pd

from planning.bonus_result import BonusResult
from planning.dataset import Dataset
from planning.errors import InputError
from planning.inputs import load_dataset
from planning.money import format_cents, format_money
from planning.scenarios import build_model, project_arrays, run_scenario, scenario_set
from planning.ui.cockpit_views import pool_line
from planning.ui.components import LABEL_STYLE, message_html, pct, table_html

__all__ = ["MarketingWhatIf", "planning_periods"]


def planning_periods(dataset: Dataset) -> list[str]:
    """Quarters a what-if can be run for: those with actuals and targets, then any later quarter
    the ``base`` scenario gives targets for (next quarter's budget)."""
    periods = [str(p) for p in dataset.reportable_periods]
    last = dataset.periods[-1] if dataset.periods else None
    base = scenario_set(dataset).get("base")
    future = sorted((dataset.period(p) for p in base.targets), key=lambda p: p)
    periods += [str(p) for p in future if last is not None and p > last and str(p) not in periods]
    return periods


class MarketingWhatIf:
    """Leads and conversion sliders flowing to revenue, GOP, the gates and the pool.

    Attributes
    ----------
    result : BonusResult or None
        The bonus with the sliders' changes; ``baseline`` without them.
    error : str or None
    """

    def __init__(self, dataset: Dataset, period: str | None = None):
        self.dataset = dataset
        periods = planning_periods(dataset)
        if not periods:
            raise InputError.single("targets.csv", "no quarter has targets to plan against")
        chosen = str(period) if period else periods[-1]
        if chosen not in periods:
            raise InputError.single("period", f"{chosen!r} is not a quarter to plan; expected one of: "
                                    f"{', '.join(periods)}")
        self.period = widgets.Dropdown(options=periods, value=chosen, description="Period",
                                       style=LABEL_STYLE)
        self.leads = widgets.FloatSlider(value=0.0, min=-0.5, max=1.0, step=0.05, description="Leads",
                                         readout_format="+.0%", continuous_update=False,
                                         style=LABEL_STYLE, layout=widgets.Layout(width="420px"))
        self.lead_to_win = widgets.FloatSlider(value=0.0, min=-0.05, max=0.05, step=0.0025,
                                               description="Lead-to-win", readout_format="+.2%",
                                               continuous_update=False, style=LABEL_STYLE,
                                               layout=widgets.Layout(width="420px"))
        self.output = widgets.HTML(layout=widgets.Layout(min_height="330px"))
        help_text = widgets.HTML(message_html(
            "Leads: change against the base quarter's leads (+20% = a fifth more). Lead-to-win: "
            "change in percentage points of leads that become won deals. Everything else (deal "
            "size, other revenue, margin, costs) stays as in the base quarter.", "note"))
        self.widget = widgets.VBox([widgets.HBox([self.period]), self.leads, self.lead_to_win,
                                    help_text, self.output])
        self.result: BonusResult | None = None
        self.baseline: BonusResult | None = None
        self.error: str | None = None
        self.note: str | None = None
        self._busy = False
        for control in (self.period, self.leads, self.lead_to_win):
            control.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    @classmethod
    def from_path(cls, data_path, **kwargs) -> MarketingWhatIf:
        return cls(load_dataset(data_path), **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def refresh(self) -> None:
        """Re-run the base scenario with and without the sliders' changes; problems show in the page."""
        if self._busy:  # fitting the sliders to a new period moves them: one refresh is enough
            return
        self._busy = True
        try:
            self.note = self._fit_sliders()
            base, what_if = self._scenarios()
            self.baseline = run_scenario(self.dataset, self.period.value, base)
            self.result = run_scenario(self.dataset, self.period.value, what_if)
            self.error = None
            note = message_html(self.note, "note") if self.note else ""
            self.output.value = note + self._html(base, what_if)
        except InputError as exc:
            self.result, self.error = None, "\n".join(_in_slider_words(p) for p in exc.problems)
            self.output.value = message_html(self.error)
        except Exception as exc:  # noqa: BLE001 - an analyst must see it, not a log file
            self.result, self.error = None, f"Something went wrong: {exc.__class__.__name__}: {exc}"
            self.output.value = message_html(self.error)
        finally:
            self._busy = False

    def _fit_sliders(self) -> str | None:
        """Fit the sliders to the quarter's funnel; a note when there is nothing to move.

        Without campaigns with leads in the base quarter there are no leads or conversion to
        change, so both sliders are switched off at 0. Lead-to-win cannot go below a rate of
        0, so its slider stops there.
        """
        base = self._base()
        model = build_model(self.dataset, self.period.value, base)
        b = model.baseline
        if not b.has_funnel:
            self.leads.value = self.lead_to_win.value = 0.0
            self.leads.disabled = self.lead_to_win.disabled = True
            return (f"The base quarter {b.period} has no campaigns with leads in funnel.csv, so there "
                    "are no leads or conversion to change: the what-if shows the quarter as it is. "
                    "Add the quarter's campaigns to funnel.csv to use the sliders.")
        self.leads.disabled = self.lead_to_win.disabled = False
        rate = b.lead_to_win + base.change("lead_to_win")
        step = self.lead_to_win.step
        self.lead_to_win.min = -min(0.05, math.floor(round(rate / step, 9)) * step)
        return None

    def _base(self):
        """The ``base`` scenario's fixed drivers. Its uncertainty is for the Monte Carlo, not a
        what-if, and would refuse a base quarter without campaigns."""
        return replace(scenario_set(self.dataset).get("base"), uncertainty={}, correlation=())

    def _scenarios(self):
        """The ``base`` scenario and the same with the sliders' changes added to its drivers."""
        base = self._base()
        changes = {"leads": round(self.leads.value, 6), "lead_to_win": round(self.lead_to_win.value, 6)}
        return base, base.with_drivers(**{k: base.change(k) + v for k, v in changes.items()})

    def comparison(self) -> pd.DataFrame:
        """Base quarter against the what-if, line by line, in the business's words.

        Raises InputError (what the page shows) while the what-if has no answer.
        """
        if self.result is None:
            raise InputError.single("what-if", self.error or "no answer for these settings")
        return self._lines(*self._scenarios())

    def _lines(self, base, what_if) -> pd.DataFrame:
        model = build_model(self.dataset, self.period.value, base)
        before = project_arrays(model.baseline, base.drivers)
        after = project_arrays(model.baseline, what_if.drivers)
        cur = self.dataset.company.currency
        m = lambda x: format_money(float(x), cur, 0)  # noqa: E731
        b, r = self.baseline, self.result
        rows = [
            ("Leads", f"{float(before['leads']):,.0f}", f"{float(after['leads']):,.0f}"),
            ("Lead-to-win rate", pct(float(before["lead_to_win"])), pct(float(after["lead_to_win"]))),
            ("Won deals", f"{float(before['leads'] * before['lead_to_win']):,.1f}",
             f"{float(after['leads'] * after['lead_to_win']):,.1f}"),
            ("Campaign revenue", m(before["campaign_revenue"]), m(after["campaign_revenue"])),
            ("Revenue", m(b.revenue), m(r.revenue)),
            ("Revenue against target", pct(b.revenue_attainment), pct(r.revenue_attainment)),
            ("GOP", m(b.gop), m(r.gop)),
            ("GOP against target", pct(b.gop_attainment), pct(r.gop_attainment)),
            ("Gates", _gates(b), _gates(r)),
            ("Bonus pool", format_cents(b.pool, cur), format_cents(r.pool, cur)),
        ]
        label = f"{self.period.value} ({'projected from ' + model.baseline.period if model.baseline.period != self.period.value else 'actuals'})"
        return pd.DataFrame(rows, columns=["", label, "what-if"])

    def _html(self, base, what_if) -> str:
        table = table_html(self._lines(base, what_if), height="none")
        return (f'<div class="pw-pool-line">{html.escape(pool_line(self.result))}</div>{table}')


_SLIDERS = {"scenarios.base.drivers.leads": "Leads", "scenarios.base.drivers.lead_to_win": "Lead-to-win"}


def _in_slider_words(problem) -> str:
    """A problem with a slider's driver names the slider, not a key of scenarios.yaml."""
    label = _SLIDERS.get(problem.column or "")
    return f"{label}: {problem.message}" if label else str(problem)


def _gates(result: BonusResult) -> str:
    if not result.gates:
        return "no gates"
    if result.gates_passed:
        return "all passed"
    return "missed: " + ", ".join(f"{g.name} by {g.shortfall * 100:.1f} pts" for g in result.failed_gates)
