"""The cockpit's views: the headline, the people table and one person's payout, the charts,
the gate heat map and the Monte Carlo tab, drawn from ``cockpit.result``.

:class:`CockpitViews` is one half of :class:`~planning.ui.cockpit.BonusCockpit`; it reads
the widgets :class:`~planning.ui.cockpit_controls.CockpitControls` built and never changes a
control.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from planning import charts
from planning.bonus_result import BonusResult
from planning.errors import InputError
from planning.money import format_cents, format_money
from planning.ui import scenario_bridge
from planning.ui.components import (
    chart_png,
    message_html,
    pct,
    percent_exact,
    table_html,
    tile,
    tiles_html,
)
from planning.ui.model import ACTUALS, gate_grid
from planning.ui.readings import binding_limit, pool_against_plan
from planning.words import explain_payout, explain_pool, sharing_rule_text
from planning.year_words import explain_quarter, year_pool_sum

__all__ = ["CockpitViews", "pool_line"]

_TABLE_COLUMNS = {"name": "Name", "department": "Department", "role": "Role", "status": "Status",
                  "days_in": "Days", "weight_share": "Share of weight", "payout": "Payout"}


def pool_line(result: BonusResult) -> str:
    """The exact headline text ``Bonus pool: AUD 12,345.67``."""
    return f"Bonus pool: {format_cents(result.pool, result.currency)}"


YEAR_TAB = 2
"""The index of the "Bonus year" tab."""

SHOWN_PEOPLE = 500
"""The people table shows the biggest payouts first, this many rows (the rest are counted)."""


def waterfall_inputs(r: BonusResult) -> tuple:
    """What :func:`planning.charts.bonus_waterfall` draws: it is redrawn only when this changes."""
    return (r.currency, r.gop, r.gop_target, r.excess_gop, r.gates_passed, r.raw_pool,
            tuple((x.name, x.before, x.after) for x in r.limits), r.pool,
            tuple(g.name for g in r.failed_gates))


def department_inputs(r: BonusResult) -> tuple:
    """What :func:`planning.charts.payouts_by_department` draws."""
    table = r.by_department()
    return (r.currency, tuple(table.index), tuple(table["payout"]), tuple(table["eligible"]))


def heatmap_inputs(r: BonusResult) -> tuple:
    """What the gate heat map is drawn from: the plan and the quarter (not the sharing)."""
    return (r.currency, repr(r.plan.gates), repr(r.plan.pool), repr(r.period_result))


class CockpitViews:
    """Draws the outputs of the current result (a part of ``BonusCockpit``)."""

    # --- drawing --------------------------------------------------------------------------

    def render(self) -> None:
        """Draw the headline, the charts, the people and (if visible) the heat map."""
        self.mc_summary.value = ""
        self.mc_image.value = b""
        self.chart_note.value = self.heatmap_note.value = ""
        if self.result is None:
            self.headline.value = message_html(self.error or "No result.")
            self.against_plan.value = ""
            for slot in self.chart_slots.values():
                slot.clear()
            self.people_table.value = ""
            self.person_explanation.value = ""
            return
        self.headline.value = self.headline_html(self.result)
        self.against_plan.value = self.against_plan_html(self.result)
        self.people_table.value = self._people_html(self.result)
        self._render_person()
        self._render_charts()
        self._render_heatmap()
        self._year_stale = True
        self._render_year()

    def _render_year(self) -> None:
        """The bonus year tab, settled again only when it is visible and out of date."""
        if self._year_stale and self.tabs.selected_index == YEAR_TAB:
            self._year_stale = False
            self.year_panel.refresh()

    def _render_charts(self) -> None:
        """The waterfall and payouts by department; a chart that fails leaves the numbers shown."""
        if not self.draw_charts:
            return
        r = self.result
        try:
            self.chart_slots["waterfall"].show(
                waterfall_inputs(r), lambda fig: charts.bonus_waterfall(r, figure=fig))
            self.chart_slots["department"].show(
                department_inputs(r), lambda fig: charts.payouts_by_department(r, figure=fig))
        except Exception as exc:  # noqa: BLE001 - the figures above stand without the pictures
            self.chart_slots["waterfall"].clear()
            self.chart_slots["department"].clear()
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
        year = getattr(self, "year_result", None)
        if year is not None:  # the quarter as its year settles it, as bonus --period says it
            q = year.quarter(r.period)
            cents = lambda x: format_cents(x, r.currency)  # noqa: E731
            tiles[-2:-2] = [
                tile("Earned to date", cents(q.earned_to_date), f"the quarter's pool {cents(q.pool)}", "pool"),
                tile("Shared now", cents(q.shared_now), f"held back {cents(q.held_back)}; reserve {cents(q.reserve)}",
                     "pool")]
            reasons = [*explain_quarter(year, r.period), year_pool_sum(year, r.period), sharing_rule_text(r.plan)]
        else:
            reasons = [*explain_pool(r)[1:], sharing_rule_text(r.plan)]
        if self.settings is not None and self.settings.scenario != ACTUALS:
            reasons.insert(0, f"Scenario '{self.settings.scenario}': projected figures, not actuals.")
        return tiles_html(tiles, pool_line(r), reasons)

    def against_plan_html(self, r: BonusResult) -> str:
        """``AUD 43,418: AUD 1,582 less than the plan`` and, when a change changed nothing,
        the limit that holds the pool (:mod:`planning.ui.readings`)."""
        planned = self.planned_result()
        lines = [pool_against_plan(r, planned)]
        why = binding_limit(r)
        if why and planned is not None and abs(r.pool - planned.pool) < 0.5 and self.changed_from_plan():
            lines.append(f"Your change makes no difference here. {why}")
        elif why:
            lines.append(why)
        return (f'<div class="pw-against-plan" style="font-family:system-ui, sans-serif; margin:2px 0 6px">'
                f'<div class="pw-plan-diff" style="font-weight:600">{html.escape(lines[0])}</div>'
                + "".join(f'<div class="pw-binding" style="color:#5c6770; font-size:13px">{html.escape(x)}</div>'
                          for x in lines[1:]) + "</div>")

    def people_frame(self, r: BonusResult, rows: int | None = None) -> pd.DataFrame:
        """The per-person table as shown: biggest payouts first, then everyone not paid
        (the first ``rows`` of it: only those are formatted)."""
        a = r.allocations
        order = pd.DataFrame({"_payout": a["payout"], "_name": a["name"]}).sort_values(
            ["_payout", "_name"], ascending=[False, True]).index
        total = float(a["weight"].sum())
        a = a.loc[order if rows is None else order[:rows]]
        status = np.where(a["eligible"], np.where(a["capped"], "capped", "eligible"), a["reason"])
        frame = pd.DataFrame({
            "name": a["name"], "department": a["department"], "role": a["role"], "status": status,
            "days_in": a["days_in"].astype(int),
            "weight_share": [pct(w / total) if total else "" for w in a["weight"]],
            "payout": [format_cents(x, r.currency, code=False) for x in a["payout"]],
        })
        return frame.rename(columns=_TABLE_COLUMNS)

    def _people_html(self, r: BonusResult) -> str:
        note = (f"Payouts add up to {format_cents(r.allocated, r.currency)}"
                + (f"; {format_cents(r.unallocated, r.currency)} could not be paid to anyone"
                   if r.unallocated else "") + ".")
        return table_html(self.people_frame(r, SHOWN_PEOPLE), height="320px", max_rows=SHOWN_PEOPLE, note=note,
                          total_rows=len(r.allocations))

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
        if not (self.draw_charts and self.tabs.selected_index == 1) or self.result is None:
            return
        r = self.result

        def build(_previous):
            grid = gate_grid(r.plan, r.period_result)
            return charts.gate_heatmap(grid.revenue_attainment, grid.gop_attainment, grid.pool, grid.current,
                                       {"revenue": grid.revenue_gate, "gop": grid.gop_gate}, r.currency)
        try:
            self.chart_slots["heatmap"].show(heatmap_inputs(r), build)
            self.heatmap_note.value = ""
        except Exception as exc:  # noqa: BLE001 - shown in the heat map's tab
            self.chart_slots["heatmap"].clear()
            self.heatmap_note.value = message_html(
                f"The heat map could not be drawn: {exc.__class__.__name__}: {exc}")

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
            self.mc_image.value = chart_png(charts.pool_distribution(summary.pools, cur, summary.p_pays))
        return summary

    # --- text for notebooks and tests -----------------------------------------------------

    def summary_text(self) -> str:
        """The headline as plain text (for notebooks' checked outputs)."""
        if self.result is None:
            return self.error or ""
        r = self.result
        lines = [f"{self.dataset.company.name}, {r.period} ({self.settings.scenario})", pool_line(r)]
        lines += explain_pool(r)
        return "\n".join(lines)
