"""Charts draw any name as written and survive empty or degenerate data."""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from planning import bonus_for_period, charts, funnel_by_period, pnl_table


def draw(fig):
    FigureCanvasAgg(fig).draw()
    return [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_parse_math"))]


def test_names_with_dollar_signs_are_text_not_maths(tiny):
    result = bonus_for_period(tiny, "2026Q1")
    result.allocations["department"] = r"Ops $\frac{1$"
    texts = draw(charts.payouts_by_department(result))
    assert r"Ops $\frac{1$" in texts


def test_funnel_chart_without_any_lead(tiny):
    by_period = funnel_by_period(tiny).assign(leads=0, lead_to_win=np.nan)
    draw(charts.funnel_chart(by_period))


def test_every_chart_of_the_sample_draws(sample):
    draw(charts.pnl_vs_targets(pnl_table(sample), "AUD", highlight="2026Q4"))
    draw(charts.bonus_waterfall(bonus_for_period(sample, "2026Q4")))
    draw(charts.bonus_waterfall(bonus_for_period(sample, "2025Q4")))
