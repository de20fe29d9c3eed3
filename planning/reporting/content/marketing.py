"""Marketing's section: each campaign's return on the shared targets and the funnel."""

from __future__ import annotations

import numpy as np

from planning import charts
from planning.funnel import campaign_metrics, funnel_by_period
from planning.money import format_percent
from planning.reporting.content.base import CHART_WIDTH as W
from planning.reporting.content.base import ReportBase
from planning.reporting.content.markup import badge, count, html_table, paragraphs, section

__all__ = ["MarketingSection"]


class MarketingSection(ReportBase):
    """Leads that become revenue and profit, for both audiences."""

    def marketing(self) -> list:
        """Marketing's funnel and each campaign's return on the shared targets."""
        campaigns = campaign_metrics(self.dataset, self.period)
        if campaigns.empty:
            return [section("Marketing", paragraphs(["No marketing funnel data for this quarter."]),
                             anchor="marketing")]
        rows = []
        for c in campaigns.sort_values("roi", ascending=False, na_position="last").itertuples():
            rows.append([c.campaign, c.channel, self.num(c.spend), int(c.leads), int(c.qualified), int(c.won),
                         self.num(c.revenue), "" if not np.isfinite(c.cost_per_lead) else self.num(c.cost_per_lead),
                         format_percent(c.lead_to_win), format_percent(c.roi, 0), badge(not c.flagged, "ok", "flagged")])
        cur = f" ({self.currency})"
        table = html_table(["campaign", "channel", "spend" + cur, "leads", "qualified", "won", "revenue" + cur,
                            "cost per lead" + cur, "lead-to-win", "ROI", ""], rows, numeric=set(range(2, 10)))
        flagged = campaigns[campaigns["flagged"]]
        total = funnel_by_period(self.dataset).loc[self.label]
        lines = [f"Marketing spent {self.money(total['spend'])} on {count(total['campaigns'], 'campaign')}, which "
                 f"brought {count(total['leads'], 'lead')} and {count(total['won'], 'win')} worth "
                 f"{self.money(total['revenue'])} "
                 f"({format_percent(total['share_of_revenue_target'])} of the revenue target).",
                 "ROI here is the gross profit a campaign's revenue brings at the quarter's gross margin, less its "
                 "spend, divided by its spend."]
        if len(flagged):
            lines.append(f"{len(flagged)} campaign{'s' if len(flagged) > 1 else ''} spent "
                         f"{self.money(flagged['spend'].sum())} and won nothing: "
                         f"{', '.join(flagged['campaign'])}. That money reached neither target.")
        else:
            lines.append("Every campaign that spent money won some revenue.")
        upto = funnel_by_period(self.dataset)
        upto = upto.loc[[p for p in upto.index if self.dataset.period(p) <= self.period]]
        out = [
            section("Marketing: leads that become revenue and profit", paragraphs(lines), table,
                    self.explain("lead", "qualified", "lead-to-win", "cost per lead", "ROI"), anchor="marketing"),
            self.chart("campaign-roi", lambda: charts.campaign_roi_chart(
                campaigns.assign(period=""), figsize=(W, 1.9 + 0.38 * len(campaigns))),
                "Return on each campaign; campaigns that spent money and won nothing in red"),
        ]
        if upto["leads"].sum() > 0:  # without a single lead there is no funnel to draw (and no rate)
            out.append(self.chart("funnel", lambda: charts.funnel_chart(upto, figsize=(W, 3.6)),
                                  "Leads, qualified leads and wins per quarter, and the lead-to-win rate"))
        return out
