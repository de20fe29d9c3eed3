"""The bonus year in the faces of the product: quarterly reports, the year-end report,
statements and the index (domain sections 6.3 and 7), without rendering a notebook."""

from __future__ import annotations

import re

import pytest
import yaml

from planning.bonus import bonus_for_period
from planning.errors import InputError
from planning.reporting.content.privacy import MIN_GROUP
from planning.reporting.content.report import build_report
from planning.reporting.content.year_report import build_year_report, year_by_department
from planning.reporting.publishing import write_index
from planning.reporting.runner.jobs import plan_reports
from planning.reporting.statements import build_statements, render_statements
from planning.year import bonus_in_year, target_pool_to_date, year_for_dataset


@pytest.fixture(scope="module")
def sample(year_sample):
    """The sample company with the year plan of docs/plan.md (``year_sample`` in conftest)."""
    return year_sample


def _markup(parts) -> str:
    return "".join(getattr(p, "markup", "") for p in parts)


def _text(parts) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _markup(parts))).replace("&#x27;", "'").replace("&amp;", "&")


@pytest.fixture(scope="module")
def no_year_plan(tmp_path_factory, sample):
    """The sample plan without its year: section (a plan as it was before the bonus year)."""
    mapping = yaml.safe_load((sample.root / "plan.yaml").read_text(encoding="utf-8"))
    mapping.pop("year")
    path = tmp_path_factory.mktemp("plans") / "plan.yaml"
    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def gate_plan(tmp_path_factory, sample):
    """The sample's year plan with a GOP gate of 105%: the year to date misses it in 2026Q2."""
    mapping = yaml.safe_load((sample.root / "plan.yaml").read_text(encoding="utf-8"))
    mapping["gates"]["gop"] = 1.05
    path = tmp_path_factory.mktemp("plans") / "plan.yaml"
    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    return str(path)


# --- quarterly reports ---------------------------------------------------------------------


def test_a_plan_without_year_shows_no_year_section_and_the_quarter_alone(sample, no_year_plan):
    for audience in ("owner", "staff"):
        report = build_report(str(sample.root), "2026Q2", audience, no_year_plan)
        assert report.year is None
        assert report.year_so_far() == []
        expected = bonus_for_period(sample, "2026Q2", report.plan)
        assert (report.bonus.pool, report.bonus.allocated) == (expected.pool, expected.allocated)
        pool = _text(report.pool())
        assert "held back" not in pool.lower() and "year so far" not in pool


def test_a_year_plan_pays_the_quarter_as_its_year_settles_it(sample):
    report = build_report(str(sample.root), "2026Q4", "owner")
    q = report.year.quarter("2026Q4")
    # 57,352.43 earned to date less 9,774.71 paid in 2026Q1; 20% of it held back
    assert (q.earned_to_date, q.pool, q.held_back, q.shared_now) == (57352.43, 47577.72, 9515.54, 38062.18)
    assert report.bonus.pool == q.pool and report.bonus.allocated == q.allocated == 38062.18
    pool = _text(report.pool())
    assert "Held back to the year end (the reserve) AUD 9,515.54" in pool
    assert "Shared now AUD 38,062.18" in pool
    assert "The shortfall of 2026Q2, 2026Q3 has been made good, so this quarter pays again." in pool


def test_the_year_so_far_says_what_the_rest_of_the_year_needs(sample):
    for audience in ("owner", "staff"):
        report = build_report(str(sample.root), "2026Q2", audience)
        parts = report.year_so_far()
        text = _text(parts)
        assert "The bonus year FY2026 so far" in text
        assert ("The pool earned for the year so far is AUD 163.97, AUD 9,610.74 less than the year has paid, so a "
                "later quarter pays again only once the pool earned for the year passes AUD 9,774.71.") in text
        assert "the full year's GOP reaches AUD 1,798,000.00" in text and "AUD 903,453.45 still needed" in text
        assert ("paid (AUD)" in text) is (audience == "owner")   # what was paid is the owner's
        assert [type(p).__name__ for p in parts] == ["Html", "Chart"]


def test_a_missed_gate_for_the_year_so_far_says_how_far_behind(sample, gate_plan):
    report = build_report(str(sample.root), "2026Q2", "staff", gate_plan)
    text = _text(report.pool())
    # year-to-date GOP 894,546.55 against a gate of 105% of 894,000.00 = 938,700.00
    assert ("The GOP gate of 105.0% is missed: the company is AUD 44,153.45 behind its GOP gate (105.0% of its "
            "target) for the year so far, so this quarter adds nothing until that is made good.") in text


def test_the_year_chart_carries_every_quarter_and_the_target_line(sample):
    report = build_report(str(sample.root), "2026Q3", "owner")
    chart = report.year_so_far()[1]
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    heights = sorted(round(b.get_height(), 2) for b in ax.patches)
    assert 7819.77 in heights and 1954.94 in heights   # shared so far, and the reserve on top
    assert chart.png()[:4] == b"\x89PNG"


def test_target_pool_to_date_is_the_cap_for_an_excess_plan_and_the_curve_target_otherwise(sample):
    fy = sample.periods[-1].year
    lines = target_pool_to_date(sample.plan, fy, sample.targets, sample.company.currency)
    assert lines == [("pool cap", 45000.0), ("pool cap", 90000.0), ("pool cap", 135000.0), ("pool cap", 180000.0)]
    mapping = yaml.safe_load((sample.root / "plan.yaml").read_text(encoding="utf-8"))
    from planning.plan import parse_plan
    mapping["pool"].update(method="payout_curve", curve=[[1.0, 1.0]], cap=None)
    mapping["year"]["weights"] = [0.1, 0.2, 0.3, 0.4]
    curve = target_pool_to_date(parse_plan(mapping), fy, sample.targets, sample.company.currency)
    assert [a for _, a in curve] == [12000.0, 36000.0, 72000.0, 120000.0]   # 4 x 30,000 x W_k


# --- the year-end report -------------------------------------------------------------------


def test_the_owner_year_end_report_shows_every_person_by_quarter_year_end_and_year(sample):
    report = build_year_report(str(sample.root), "FY2026", "owner")
    year = year_for_dataset(sample, "FY2026")
    text = _text(report.payouts_by_person())
    for r in year.people.to_dict("records"):
        assert r["name"] in text
    # Kenji Abernethy: 230.67 + 0 + 0 + 1,123.42 and 347.79 at the year end = 1,701.88
    assert "E003 Kenji Abernethy Fulfilment 230.67 0.00 0.00 1,123.42 347.79 1,701.88" in text
    assert "everyone 7,819.77 0.00 0.00 38,062.18 11,470.48 57,352.43" in text
    end = _text(report.year_end())
    assert "released 11,470.48" in end and "forfeited (stays with the company) 0.00" in end
    assert "Paid to people AUD 57,352.43 + could not be paid AUD 0.00 + forfeited AUD 0.00 = AUD 57,352.43." \
        in _text(report.adds_up())


def test_a_forfeited_year_says_why(sample):
    report = build_year_report(str(sample.root), "2025", "staff")
    text = _text(report.year_end())
    assert ("The year-end revenue gate of 100.0% was missed: the company is AUD 216,939.37 behind its revenue "
            "target for the full year, so the reserve of AUD 5,072.19 is forfeited") in text
    assert "forfeited (stays with the company) 5,072.19" in text


def test_the_staff_year_end_report_shows_no_one_and_only_groups_that_pass(sample):
    for fy in ("FY2025", "FY2026"):
        report = build_year_report(str(sample.root), fy, "staff")
        html = "".join(_markup(getattr(report, s)()) for s in
                       ("title", "quarters", "year_end", "payouts_by_person", "payouts_by_department", "adds_up"))
        assert report.payouts_by_person() == []
        for r in report.year.people.to_dict("records"):
            assert r["name"] not in html and f">{r['employee_id']}<" not in html
        table, _ = report.department_groups()
        people = report.year.people
        for row in table.itertuples():
            if row.group in ("Other departments", "All departments"):
                continue
            members = people[people["department"] == row.group]
            paid = members["total"][members["total"] > 0]
            assert len(paid) >= MIN_GROUP and paid.max() * 2 <= paid.sum()   # the dominance rule
        assert "paid (AUD)" not in html and "could not be paid (AUD)" not in html


def test_year_by_department_counts_only_people_paid_in_the_year():
    import pandas as pd
    people = pd.DataFrame({"department": ["A", "A", "B"], "total": [10.0, 0.0, 5.0]})
    frame = year_by_department(people)
    assert frame.loc["A", "eligible"] == 1 and frame.loc["A", "payout"] == 10.0 and frame.loc["B", "largest"] == 5.0


def test_a_year_end_report_of_a_year_without_actuals_is_bad_input(sample):
    with pytest.raises(InputError, match="actuals.csv.*no rows for fiscal year 2031"):
        build_year_report(str(sample.root), "FY2031", "owner")
    with pytest.raises(InputError, match="--audience"):
        build_year_report(str(sample.root), "FY2026", "everyone")


# --- jobs and the index --------------------------------------------------------------------


def test_report_all_includes_every_year_only_with_a_year_plan(sample, no_year_plan):
    jobs = plan_reports(sample.root, None, ["owner", "staff"], years=None)
    years = [(j.period, j.audience, j.notebook) for j in jobs if j.notebook]
    assert years == [("FY2025", "owner", "year_report.ipynb"), ("FY2025", "staff", "year_report.ipynb"),
                     ("FY2026", "owner", "year_report.ipynb"), ("FY2026", "staff", "year_report.ipynb")]
    assert all(j.parameters["fiscal_year"] == j.period for j in jobs if j.notebook)
    plain = plan_reports(sample.root, None, ["owner"], no_year_plan, years=None)
    assert all(j.notebook is None for j in plain) and len(plain) == len(sample.reportable_periods)
    one = plan_reports(sample.root, [], ["staff"], years=["2026"])
    assert [j.key for j in one] == ["FY2026-staff"]
    with pytest.raises(InputError, match="not a fiscal year"):
        plan_reports(sample.root, [], ["owner"], years=["next year"])


def test_the_index_lists_year_end_reports_first(tmp_path):
    for name, title in (("2026Q4-owner.html", "Acme: 2026Q4 quarterly report (owner)"),
                        ("FY2026-staff.html", "Acme: FY2026 year-end report (staff)")):
        (tmp_path / name).write_text(f"<html><head><title>{title}</title></head></html>", encoding="utf-8")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert page.index("FY2026 year end") < page.index("2026Q4")
    assert 'href="FY2026-staff.html"' in page and "<h1>Acme</h1>" in page


# --- statements ----------------------------------------------------------------------------


def test_statements_show_the_year_so_far_and_the_reserve_is_not_personal(sample):
    result, year = bonus_in_year(sample, "2026Q3")
    statements = {s.employee_id: s for s in build_statements(sample, result, year)}
    kenji = statements["E003"]
    assert kenji.year_lines[0] == ("Your bonus year FY2026 so far: AUD 230.67 in 2026Q1, AUD 0.00 in 2026Q2 and "
                                   "AUD 0.00 in 2026Q3, AUD 230.67 in all.")
    assert "none of it is yours yet" in kenji.year_lines[1] and "AUD 1,954.94" in kenji.year_lines[1]
    assert kenji.headline == ("There is no success bonus for 2026Q3: earlier quarters of the year already paid all "
                              "that the year has earned so far.")
    page = render_statements(sample, result, year=year)[kenji.filename]
    assert "Your bonus year so far" in page


def test_a_year_end_statement_gives_the_year_end_payment_and_the_year(sample):
    result, year = bonus_in_year(sample, "2026Q4")
    kenji = next(s for s in build_statements(sample, result, year) if s.employee_id == "E003")
    assert kenji.payout == "AUD 1,123.42"
    assert "you receive AUD 347.79 from it at the year end" in kenji.year_lines[1]
    assert kenji.year_lines[-1] == "Your success bonus for the year FY2026: AUD 1,701.88."
    # the share is of what is shared now, not of the pool (20% of it is held back)
    assert any("AUD 38,062.18 shared now" in line or "of the pool" not in line for line in kenji.arithmetic)
    forfeited = next(s for s in build_statements(sample, *bonus_in_year(sample, "2025Q4"))
                     if s.employee_id == "E003")
    assert "the reserve of AUD 5,072.19 is forfeited: there is no year-end payment" in forfeited.year_lines[1]


def test_statements_without_a_year_plan_have_no_year(sample, no_year_plan):
    from pathlib import Path

    from planning.plan import load_plan
    result, year = bonus_in_year(sample, "2026Q3", load_plan(Path(no_year_plan)))
    assert year is None
    assert all(s.year_lines == () for s in build_statements(sample, result, year))
    assert "Your bonus year" not in "".join(render_statements(sample, result).values())


# --- rendered through the template ---------------------------------------------------------


def test_report_year_renders_the_year_end_template_safely_and_lists_it(sample, tmp_path, capsys):
    from planning.cli import main
    from planning.reporting.publishing import html_problems

    out = tmp_path / "reports"
    assert main(["report", "--data", str(sample.root), "--year", "FY2025", "--audience", "staff",
                 "--out", str(out)]) == 0
    assert "1 report for 1 fiscal year" in capsys.readouterr().err
    page = (out / "FY2025-staff.html").read_text(encoding="utf-8")
    assert html_problems(page) == [] and "<script" not in page.lower()
    assert "bonus year FY2025" in page and "is forfeited and stays with the company" in page
    for name in sample.staff["name"]:
        assert name not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="FY2025-staff.html"' in index and "FY2025 year end" in index
    assert main(["report", "--data", str(sample.root), "--year", "FY2031", "--out", str(out)]) == 2
    assert "no rows for fiscal year 2031" in capsys.readouterr().err
    assert not (out / "FY2031-owner.html").exists()
