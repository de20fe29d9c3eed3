"""The company P&L and the funnel against a hand calculation."""

import pytest

from planning import campaign_metrics, department_pnl, funnel_by_period, period_result, pnl_table


def test_company_pnl_by_hand(tiny):
    r = period_result(tiny, "2026Q1")
    assert (r.revenue, r.cogs, r.opex) == (1_000_000, 400_000, 390_000)
    assert r.gross_profit == 600_000 and r.gop == 210_000
    assert (r.revenue_attainment, r.gop_attainment) == (1.0, 1.05)
    assert r.as_dict()["gop_attainment"] == 1.05


def test_sample_pnl_matches_a_hand_sum(sample):
    rows = sample.actuals[sample.actuals["period"] == "2026Q4"]
    r = period_result(sample, "2026Q4")
    assert r.revenue == pytest.approx(rows["revenue"].sum(), abs=0.005)
    assert r.gop == 650_671.79 and r.gop_target == 477_000
    assert r.revenue == 4_765_129.86
    table = pnl_table(sample)
    assert list(table.index)[:2] == ["2025Q1", "2025Q2"]
    assert table.loc["2026Q4", "gop"] == r.gop
    assert table.loc["2026Q4", "revenue_attainment"] == pytest.approx(4_765_129.86 / 4_540_000)


def test_department_scorecards_share_the_company_attainments(tiny):
    d = department_pnl(tiny, "2026Q1")
    assert set(d["gop_attainment"]) == {1.05}
    assert d.loc["Sales", "contribution"] == 500_000
    assert d.loc["Marketing", "campaign_revenue"] == 300_000
    assert d.loc["Marketing", "campaign_gross_profit"] == pytest.approx(300_000 * 0.6)
    assert d["opex"].sum() == 390_000


def test_campaign_metrics_by_hand(tiny):
    m = campaign_metrics(tiny, "2026Q1").set_index("campaign")
    search = m.loc["Search"]
    assert search["cost_per_lead"] == 50 and search["lead_to_win"] == 0.05
    # attributed gross profit = 300,000 x 60% margin = 180,000; ROI = (180,000 - 10,000) / 10,000
    assert search["attributed_gross_profit"] == pytest.approx(180_000)
    assert search["roi"] == pytest.approx(17.0)
    assert not search["flagged"] and m.loc["Brand", "flagged"]
    assert m.loc["Brand", "roi"] == -1.0


def test_funnel_by_period(sample):
    f = funnel_by_period(sample)
    assert f["flagged_campaigns"].sum() >= 7
    assert (f["share_of_revenue_target"] > 0.2).all()
