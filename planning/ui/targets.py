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
from planning.dataset import Dataset, load_dataset
from planning.errors import InputError
from planning.money import format_money
from planning.proposals import compare_proposals, load_proposals, owner_targets, proposal_odds
from planning.scenarios import scenario_set
from planning.ui.components import (
    LABEL_STYLE,
    chart_image,
    figure_png,
    message_html,
    pct,
    table_html,
)

__all__ = ["TargetSetting"]


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
                 seed: int = 0, proposals_path=None):
        self.dataset = dataset
        every = load_proposals(dataset, proposals_path)
        periods = sorted(set(every["period"]), key=dataset.period)
        self.period_label = str(dataset.period(period)) if period else periods[-1]
        if self.period_label not in periods:
            raise InputError.single("proposals.csv", f"has no proposals for {self.period_label}; "
                                    f"periods with proposals: {', '.join(periods)}", column="period")
        self.proposals = every[every["period"] == self.period_label].reset_index(drop=True)
        self.owner = owner_targets(dataset, self.period_label)
        self.comparison = compare_proposals(self.proposals, *self.owner)
        self.draws, self.seed = int(draws), int(seed)
        self.odds: pd.DataFrame | None = None
        self.error: str | None = None

        self.scenario = widgets.Dropdown(options=scenario_set(dataset).names, value="base",
                                         description="Scenario", style=LABEL_STYLE)
        self.comparison_html = widgets.HTML(table_html(self.comparison_frame(), height="none"))
        self.chart = chart_image("300px")
        self.chart.value = figure_png(charts.proposals_chart(self.proposals, self.owner,
                                                             dataset.company.currency))
        self.odds_html = widgets.HTML(layout=widgets.Layout(min_height="220px"))
        self.scenario.observe(lambda _change: self.refresh(), names="value")
        self.widget = widgets.VBox([self.comparison_html, self.chart, self.scenario, self.odds_html])
        self.refresh()

    @classmethod
    def from_path(cls, data_path, **kwargs) -> TargetSetting:
        return cls(load_dataset(data_path), **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def refresh(self) -> None:
        """Recompute the odds under the chosen scenario; problems are shown in the page."""
        try:
            self.odds = proposal_odds(self.dataset, self.period_label, self.proposals, self.draws,
                                      self.seed, scenario=self.scenario.value)
            self.error = None
        except InputError as exc:
            self.odds, self.error = None, "\n".join(str(p) for p in exc.problems)
            self.odds_html.value = message_html(self.error)
            return
        a = self.odds.attrs
        note = (f"{a['draws']:,} simulated quarters of scenario '{a['scenario']}' (projected from "
                f"{a['base_period']}, seed {a['seed']}), the same quarters for every row: only the "
                "targets differ.")
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
        """The comparison as plain text (for a notebook's checked output)."""
        return self.comparison_frame().drop(columns="Comment").to_string(index=False)
