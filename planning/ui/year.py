"""The cockpit's bonus year: the year controls (settle, holdback, weights, year-end gates)
and a view of the four quarters of a fiscal year, settled by the year engine.

A change to any year control (or to the cockpit's own plan controls) settles the year again
with :func:`planning.year.settle_year`, which is vectorised over people: a what-if on the
year is as fast as one on the quarter. The pure part is :func:`year_settings_from_plan`,
:func:`plan_with_year` and :func:`settle_for`; the widgets only translate control values.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets

from planning.charts.year import year_chart
from planning.dataset import Dataset
from planning.errors import InputError
from planning.money import format_cents
from planning.plan import Plan, parse_plan, plan_to_dict
from planning.ui.components import (
    CONTROL_WIDTH,
    LABEL_STYLE,
    chart_image,
    chart_png,
    message_html,
    percent_slider,
    problems_html,
)
from planning.year import YearResult, target_pool_to_date, year_for_dataset, year_plan
from planning.year_words import explain_year, settle_words

__all__ = ["YearSettings", "year_settings_from_plan", "plan_with_year", "settle_for", "fiscal_years",
           "YearPanel"]

SETTLE_LABELS = {"quarter": "Each quarter on its own", "year_to_date": "On the year to date (make good)"}


@dataclass(frozen=True)
class YearSettings:
    """The year controls: ``weights`` is None for equal; a gate of None means none."""

    settle: str = "quarter"
    holdback: float = 0.0
    weights: tuple[float, ...] | None = None
    revenue_gate: float | None = None
    gop_gate: float | None = None


def year_settings_from_plan(plan: Plan) -> YearSettings:
    """The year controls that reproduce the plan's ``year:`` section (defaults without one)."""
    y = year_plan(plan)
    return YearSettings(y.settle, y.holdback, y.weights, y.year_end_gates.revenue, y.year_end_gates.gop)


def plan_with_year(plan: Plan, settings: YearSettings) -> Plan:
    """``plan`` with its ``year:`` section set from ``settings``, validated like ``plan.yaml``
    (an InputError names the key, for example ``year.weights`` with a share method)."""
    mapping = plan_to_dict(plan)
    gates = {k: v for k, v in (("revenue", settings.revenue_gate), ("gop", settings.gop_gate)) if v}
    year = {"settle": settings.settle, "holdback": settings.holdback, "year_end": {"gates": gates}}
    if settings.weights is not None:
        year["weights"] = list(settings.weights)
    mapping["year"] = year
    return parse_plan(mapping, source="cockpit")


def fiscal_years(dataset: Dataset) -> list[str]:
    """The fiscal years whose first quarter has actuals (``FY2025``, ...), oldest first."""
    return [str(fy) for fy in sorted({p.year for p in dataset.periods if p.quarter == 1})]


def settle_for(dataset: Dataset, plan: Plan, settings: YearSettings, fiscal_year: str) -> YearResult:
    """The fiscal year settled under ``plan`` with the year controls applied."""
    return year_for_dataset(dataset, fiscal_year, plan_with_year(plan, settings))


def _weights(text: str) -> tuple[float, ...] | None:
    text = text.strip()
    if not text:
        return None
    try:
        return tuple(float(w.strip().rstrip("%")) / (100 if w.strip().endswith("%") else 1)
                     for w in text.replace(";", ",").split(","))
    except ValueError:
        raise InputError.single("cockpit", f"{text!r} are not four weights; expected four fractions like "
                                "0.1, 0.2, 0.3, 0.4 (or blank for equal)", column="year.weights") from None


class YearPanel:
    """The "Bonus year" tab: year controls and the four quarters of the chosen fiscal year.

    ``plan`` is a function giving the cockpit's current plan (its quarter controls applied),
    or None while those controls are not a valid plan.
    """

    def __init__(self, dataset: Dataset, plan, base_plan: Plan, charts: bool = True):
        self.dataset, self._plan, self.draw_charts = dataset, plan, charts
        self.result: YearResult | None = None
        self.error: str | None = None
        s = year_settings_from_plan(base_plan)
        years = fiscal_years(dataset)
        self.fiscal_year = widgets.Dropdown(options=years, value=years[-1] if years else None,
                                            description="Fiscal year", style=LABEL_STYLE,
                                            layout=widgets.Layout(width=CONTROL_WIDTH))
        self.settle = widgets.Dropdown(options=[(v, k) for k, v in SETTLE_LABELS.items()], value=s.settle,
                                       description="Settle", style=LABEL_STYLE,
                                       layout=widgets.Layout(width=CONTROL_WIDTH))
        self.holdback = percent_slider("Held back", s.holdback, 0.0, 1.0)
        self.weights = widgets.Text(value="" if s.weights is None else ", ".join(f"{w:g}" for w in s.weights),
                                    description="Weights", placeholder="blank: equal; 0.1, 0.2, 0.3, 0.4",
                                    style=LABEL_STYLE, continuous_update=False,
                                    layout=widgets.Layout(width=CONTROL_WIDTH))
        self.revenue_gate = percent_slider("Year-end revenue gate", s.revenue_gate, 0.0, 1.5)
        self.gop_gate = percent_slider("Year-end GOP gate", s.gop_gate, 0.0, 1.5)
        self.controls = [self.fiscal_year, self.settle, self.holdback, self.weights, self.revenue_gate,
                         self.gop_gate]
        self.view = widgets.HTML()
        self.image = chart_image("300px")
        note = widgets.HTML(message_html(
            "How the quarters add up to a year: a share of each quarter's pool held back to the year end, "
            "a weak quarter made good before later ones pay (on the year to date), and the reserve paid at "
            "the year end only if the full year passes the year-end gates (0 means none). Weights split a "
            "payout curve's target pool by quarter.", "note"))
        self.widget = widgets.VBox([note, widgets.HBox([widgets.VBox(self.controls), self.image]), self.view])
        for control in self.controls:
            control.observe(lambda _change: self.refresh(), names="value")

    def settings(self) -> YearSettings:
        return YearSettings(self.settle.value, float(self.holdback.value), _weights(self.weights.value),
                            float(self.revenue_gate.value) or None, float(self.gop_gate.value) or None)

    def refresh(self) -> None:
        """Settle the year again with the current controls and show it."""
        plan = self._plan()
        if plan is None or self.fiscal_year.value is None:
            self.result, self.error = None, "The quarter's settings above are not a valid plan yet."
            self.view.value = message_html(self.error)
            return
        try:
            self.result = settle_for(self.dataset, plan, self.settings(), self.fiscal_year.value)
        except InputError as exc:
            self.result, self.error = None, "; ".join(str(p) for p in exc.problems)
            self.view.value = problems_html(exc, "These year settings cannot be used:")
            return
        self.error = None
        self.view.value = self.view_html(self.result)
        if self.draw_charts:
            targets = target_pool_to_date(self.result.plan, self.result.fiscal_year, self.dataset.targets,
                                          self.result.currency)
            self.image.value = chart_png(year_chart(self.result, targets))

    def view_html(self, year: YearResult) -> str:
        """The year's words and the four quarters' table (escaped)."""
        cur = year.currency
        m = lambda x: format_cents(x, cur, code=False)  # noqa: E731
        head = ["quarter", "earned to date", "pool", "held back", "shared now", "reserve", "paid"]
        rows = [[q.period, m(q.earned_to_date), m(q.pool), m(q.held_back), m(q.shared_now), m(q.reserve),
                 m(q.allocated)] for q in year.quarters]
        if year.year_end is not None:
            e = year.year_end
            rows.append(["year end", "", "", "", f"released {m(e.released)}", f"forfeited {m(e.forfeited)}",
                         m(e.allocated)])
        cells = lambda r, t: "".join(f"<{t}>{html.escape(str(c))}</{t}>" for c in r)  # noqa: E731
        table = (f"<table class='pw-year'><thead><tr>{cells(head, 'th')}</tr></thead><tbody>"
                 + "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows) + f"</tbody></table><p>({html.escape(cur)})</p>")
        words = "".join(f"<p>{html.escape(line)}</p>" for line in [settle_words(year), *explain_year(year)])
        return table + words
