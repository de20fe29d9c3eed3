"""Setting targets with the team (notebook 03): the departments' proposals against the owner's.

Shows each proposal next to the owner's targets and the department's own forecast range,
and what each set of targets would mean for the odds and the cost of the bonus: the same
seeded Monte Carlo of a scenario, judged against each set of targets in turn
(:func:`planning.proposals.proposal_odds`). The scenario picker recomputes the odds.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from planning import charts
from planning.dataset import Dataset
from planning.errors import InputError
from planning.inputs import load_dataset
from planning.money import format_money
from planning.proposals import (
    PROPOSAL_COLUMNS,
    compare_proposals,
    load_proposals,
    owner_targets,
    proposal_odds,
)
from planning.scenarios import scenario_set
from planning.ui.components import (
    LABEL_STYLE,
    chart_image,
    chart_png,
    message_html,
    pct,
    table_html,
)

__all__ = ["TargetSetting"]

PROPOSAL_HEADER = [c.name for c in PROPOSAL_COLUMNS] + ["comment (optional)"]


class TargetSetting:
    """The team's proposals, the owner's targets and the bonus odds under each.

    Attributes
    ----------
    proposals : DataFrame
        :func:`planning.proposals.load_proposals` for the chosen period.
    comparison : DataFrame
        :func:`planning.proposals.compare_proposals` against the owner's targets.
    odds : DataFrame or None
        :func:`planning.proposals.proposal_odds` for the chosen scenario.
    """

    def __init__(self, dataset: Dataset, period: str | None = None, draws: int = 20_000,
                 seed: int = 0, proposals_path=None, show_problems: bool = False):
        self.dataset = dataset
        self.draws, self.seed = int(draws), int(seed)
        self.odds: pd.DataFrame | None = None
        self.error: str | None = None
        try:
            self._load(period, proposals_path)
        except InputError as exc:
            if not show_problems:
                raise
            self._show_problem(exc)
            return
        self._build()

    def _load(self, period, proposals_path) -> None:
        dataset = self.dataset
        every = load_proposals(dataset, proposals_path)
        periods = sorted(set(every["period"]), key=dataset.period)
        self.period_label = str(dataset.period(period)) if period else periods[-1]
        if self.period_label not in periods:
            raise InputError.single("proposals.csv", f"has no proposals for {self.period_label}; "
                                    f"periods with proposals: {', '.join(periods)}", column="period")
        self.proposals = every[every["period"] == self.period_label].reset_index(drop=True)
        self.owner = owner_targets(dataset, self.period_label)
        self.comparison = compare_proposals(self.proposals, *self.owner)

    def _build(self) -> None:
        dataset = self.dataset
        self.scenario = widgets.Dropdown(options=scenario_set(dataset).names, value="base",
                                         description="Scenario", style=LABEL_STYLE)
        self.comparison_html = widgets.HTML(table_html(self.comparison_frame(), height="none"))
        self.chart = chart_image("300px")
        self.chart_note = widgets.HTML()
        try:
            self.chart.value = chart_png(charts.proposals_chart(self.proposals, self.owner,
                                                                 dataset.company.currency))
        except Exception as exc:  # noqa: BLE001 - the tables stand without the picture
            self.chart_note.value = message_html(f"The chart could not be drawn ({exc.__class__.__name__}: "
                                                 f"{exc}); the tables are complete.")
        self.odds_html = widgets.HTML(layout=widgets.Layout(min_height="220px"))
        self.scenario.observe(lambda _change: self.refresh(), names="value")
        self.widget = widgets.VBox([self.comparison_html, self.chart, self.chart_note, self.scenario,
                                    self.odds_html])
        self.refresh()

    def _show_problem(self, exc: InputError) -> None:
        """No proposals to show (none for the quarter, a bad file, no owner's targets): say why."""
        self.error = "\n".join(str(p) for p in exc.problems)
        self.period_label = None
        self.owner = None
        self.proposals = pd.DataFrame()
        self.comparison = pd.DataFrame()
        text = self.error
        if any(p.file == "proposals.csv" for p in exc.problems):
            text += ("\n\nproposals.csv has one row per department and quarter with the columns "
                     + ", ".join(PROPOSAL_HEADER) + " (see docs/workbook.md).")
        self.widget = widgets.VBox([widgets.HTML(message_html(text))])

    @classmethod
    def from_path(cls, data_path, **kwargs) -> TargetSetting:
        """Load the dataset at ``data_path`` and open the view (``show_problems=True``: a missing
        or bad ``proposals.csv`` is shown in the page instead of raised)."""
        return cls(load_dataset(data_path), **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def refresh(self) -> None:
        """Recompute the odds under the chosen scenario; problems are shown in the page."""
        try:
            self.odds = proposal_odds(self.dataset, self.period_label, self.proposals, self.draws,
                                      self.seed, scenario=self.scenario.value)
            self.error = None
        except Exception as exc:  # noqa: BLE001 - shown in the page, not in a log
            text = ("\n".join(str(p) for p in exc.problems) if isinstance(exc, InputError)
                    else f"Something went wrong: {exc.__class__.__name__}: {exc}")
            self.odds, self.error = None, text
            self.odds_html.value = message_html(self.error)
            return
        a = self.odds.attrs
        note = (f"{a['draws']:,} simulated quarters of scenario '{a['scenario']}' (projected from "
                f"{a['base_period']}, seed {a['seed']}), the same quarters for every row: only the "
                "targets differ.")
        if not scenario_set(self.dataset).get(self.scenario.value).uncertainty:
            note += (" This scenario has no uncertainty in scenarios.yaml, so every simulated quarter "
                     "is the same and the bonus pays in 0% or 100% of them.")
        self.odds_html.value = (f"<b>{html.escape('What each set of targets means for the bonus')}</b>"
                                + table_html(self.odds_frame(), height="none", note=note))

    def comparison_frame(self) -> pd.DataFrame:
        """The proposals as shown: amounts, difference from the owner's, stance, comment."""
        cur = self.dataset.company.currency
        c = self.comparison
        owner = pd.DataFrame([{"Who": "Owner's targets", "Revenue target": format_money(self.owner[0], cur),
                               "vs owner": "", "GOP target": format_money(self.owner[1], cur),
                               "GOP vs owner": "", "Against own forecast": "", "Comment": ""}])
        rows = pd.DataFrame({
            "Who": c["department"],
            "Revenue target": [format_money(x, cur) for x in c["proposed_revenue_target"]],
            "vs owner": [f"{x * 100:+.1f}%" for x in c["revenue_vs_owner"]],
            "GOP target": [format_money(x, cur) for x in c["proposed_gop_target"]],
            "GOP vs owner": [f"{x * 100:+.1f}%" for x in c["gop_vs_owner"]],
            "Against own forecast": c["stance"],
            "Comment": c["comment"],
        })
        return pd.concat([owner, rows], ignore_index=True)

    def odds_frame(self) -> pd.DataFrame:
        """The odds table as shown."""
        cur = self.dataset.company.currency
        o = self.odds
        return pd.DataFrame({
            "Targets": ["Owner's" if i == "owner" else i for i in o.index],
            "Revenue target": [format_money(x, cur) for x in o["revenue_target"]],
            "GOP target": [format_money(x, cur) for x in o["gop_target"]],
            "Bonus pays": [pct(x) for x in o["p_pays"]],
            "Expected cost": [format_money(x, cur) for x in o["expected_cost"]],
            "Pool in a good quarter (P90)": [format_money(x, cur) for x in o["pool_p90"]],
        })

    def comparison_text(self) -> str:
        """The comparison as plain text (for a notebook's checked output); the problem if none."""
        if self.owner is None:
            return self.error or ""
        return self.comparison_frame().drop(columns="Comment").to_string(index=False)
