"""Reports an owner reads without help (issue 14): values under the pointer, colours that keep
their promise, axes that read right at zero, every term explained, quarters with their
months, the outlook's own command, and the dataset named instead of its path."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from planning import bonus_for_period, charts
from planning.charts import PALETTE, MoneyFormatter, tooltips
from planning.cli import main
from planning.money import format_money
from planning.periods import Period
from planning.reporting.content.base import paper_size
from planning.reporting.content.markup import Chart
from planning.reporting.content.report import build_report
from planning.reporting.publishing import html_problems, write_index
from planning.scenarios import sensitivity
from planning.words import GLOSSARY, OWNER_ONLY_TERMS

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("title", "how_to_read", "results", "gates", "pool", "sharing_rule", "payouts_by_department",
            "staff_payouts_by_department", "payouts_by_person", "marketing", "outlook", "sensitivity",
            "glossary", "provenance")


@pytest.fixture(scope="module")
def owner():
    return build_report(ROOT / "data", "2026Q4", "owner")


def items(report):
    return [item for name in SECTIONS for item in getattr(report, name)()]


def page_of(report) -> str:
    return "".join(item._repr_html_() for item in items(report))


# --- values under the pointer ----------------------------------------------------------------


@pytest.mark.parametrize("audience", ["owner", "staff"])
def test_every_chart_carries_its_values_as_svg_titles(audience, owner):
    report = owner if audience == "owner" else build_report(ROOT / "data", "2026Q4", "staff")
    found = [item for item in items(report) if isinstance(item, Chart)]
    assert len(found) >= (9 if audience == "owner" else 6)
    for chart in found:
        fig = chart.figure
        tips = tooltips(fig)
        svg = chart.svg()
        titles = re.findall(r"<title>([^<]*)</title>", svg)
        assert len(titles) == len(tips) >= 3, chart.alt
        for ax in fig.axes:  # every bar is one of the tooltips
            for patch in ax.patches:
                if isinstance(patch, Rectangle):
                    assert patch.get_gid() in tips, (chart.alt, patch)
        assert svg.startswith("<svg ") and "<?xml" not in svg and "<metadata" not in svg
        assert html_problems(chart._repr_html_()) == []


def test_tooltips_hold_the_exact_amounts(owner):
    b = owner.bonus
    page = page_of(owner)
    pnl = owner.pnl.loc[:"2026Q4"]
    for label, row in pnl.iterrows():
        assert f"<title>{label} Revenue: {format_money(row['revenue'], 'AUD', 2)}, target " in page
        assert f"<title>{label} GOP: {format_money(row['gop'], 'AUD', 2)}, target " in page
    assert f"<title>Bonus pool: {format_money(b.pool, 'AUD', 2)}</title>" in page
    for dept, r in b.by_department().iterrows():
        assert f"<title>{dept.replace('&', '&amp;')}: {format_money(r.payout, 'AUD', 2)} paid to" in page


def test_svg_ids_are_unique_on_a_page(owner):
    page = page_of(owner)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:url\(#|xlink:href="#)([^)"]+)', page):
        assert ref in ids


# --- colours, legends and zero --------------------------------------------------------------


def test_the_tornado_paints_by_the_effect_on_the_pool_not_the_direction(sample):
    """Headcount up lowers the pool: its bar must be red though the driver went up."""
    table = sensitivity(sample, "2026Q3", "base", change=0.1, output="pool")
    fig = charts.tornado_chart(table)
    tips = tooltips(fig)
    base = float(table["base"].iloc[0])
    bars = [p for p in fig.axes[0].patches if p.get_gid() in tips]
    assert bars
    lowered_by_going_up = 0
    for bar in bars:
        words = tips[bar.get_gid()]
        end = bar.get_x() + bar.get_width()
        colour = to_hex(bar.get_facecolor(), keep_alpha=False)
        assert colour == (PALETTE["pass"] if end > base else PALETTE["miss"]), words
        lowered_by_going_up += "+10%" in words and end < base
    assert lowered_by_going_up >= 1


def test_legends_never_sit_on_the_data(owner):
    for chart in (item for item in items(owner) if isinstance(item, Chart)):
        assert all(ax.get_legend() is None for ax in chart.figure.axes), chart.alt


@pytest.mark.parametrize("locs", [[0, 0.2, 0.4, 0.6, 0.8, 1.0], [0, 250, 500, 750, 1000, 1250],
                                  [1000, 1250, 1500, 1750, 2000], [0, 2_500_000, 5_000_000], [-1, -0.5, 0, 0.5, 1]])
def test_money_ticks_never_repeat_a_label(locs):
    formatter = MoneyFormatter()
    formatter.set_locs(locs)
    labels = [formatter(x) for x in locs]
    assert len(set(labels)) == len(labels), labels
    assert formatter(0) == "0"


def test_a_zero_pool_draws_no_meaningless_axis(tiny):
    result = bonus_for_period(tiny, "2026Q2")  # the GOP gate is missed: nothing paid
    assert result.allocated == 0
    fig = charts.payouts_by_department(result)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == []
    assert any("Nothing was paid" in t.get_text() for t in ax.texts)
    empty = charts.pool_distribution(np.zeros(50), "EUR", 0.0)
    assert any("0 in every simulated quarter" in t.get_text() for t in empty.axes[0].texts)
    flat = pd.DataFrame({"low": [0.0, 0.0], "high": [0.0, 0.0], "base": [0.0, 0.0], "swing": [0.0, 0.0]},
                        index=pd.Index(["leads", "opex_growth"], name="driver"))
    tornado = charts.tornado_chart(flat)
    assert any("No driver moved by 10% changes the pool" in t.get_text() for t in tornado.axes[0].texts)
    assert tornado.axes[0].get_xticks().size == 0


# --- words ------------------------------------------------------------------------------------


JARGON = ("ROI", "P10", "P50", "P90", "share of weight", "swing", "raw pool", "GOP", "FTE", "attainment",
          "SHA-256", "lead-to-win", "gross margin", "seed", "draws", "pool cap", "capped")


def _glossary_term(word: str) -> str:
    return "P10, P50, P90" if word in ("P10", "P50", "P90") else word


def test_the_owner_report_explains_every_term_where_it_is_first_used(owner):
    page = page_of(owner)
    start = page.index('id="glossary"')
    end = page.index("</section>", start)
    body, glossary = page[:start] + page[end:], page[start:end]
    guide = "".join(item._repr_html_() for item in owner.how_to_read())
    assert "<em>GOP</em>, gross operating profit (revenue less the direct cost" in guide  # beside the headline
    for word in JARGON:
        if word == "GOP":
            continue
        term = _glossary_term(word)
        assert word in body, word
        gloss = f"<dt>{term}</dt><dd>{GLOSSARY[term].replace(chr(39), '&#x27;')}</dd>"
        assert gloss in body, word  # explained in the section that uses it
        assert gloss in glossary, word  # and in the list of words
        # the explanation sits in the same section as the word's first use
        first = body.index(word, body.index("</nav>"))
        section_start = body.rfind('<section class="pl-section"', 0, first)
        section_end = body.find("</section>", first)
        assert section_start < body.index(gloss, section_start) < section_end, word


def test_the_staff_glossary_leaves_out_the_owners_words():
    staff = page_of(build_report(ROOT / "data", "2026Q4", "staff"))
    glossary = staff[staff.index('id="glossary"'):]
    for term in OWNER_ONLY_TERMS:
        assert f"<dt>{term}</dt>" not in glossary
    assert "<dt>GOP</dt>" in glossary and "<dt>ROI</dt>" in glossary


def test_eligible_means_the_same_in_validate_and_in_the_report(owner, capsys):
    sentence = owner.eligibility_sentence()
    assert sentence == ("This quarter 42 of the 48 people on the staff list qualified for a share (eligible this "
                        "quarter); 44 are marked bonus-eligible in staff.csv, and 2 of those did not qualify this "
                        "quarter (1: not employed in the period; 1: left before the period ended).")
    assert main(["validate", "--data", str(ROOT / "data")]) == 0
    assert "44 marked bonus-eligible (the flag in staff.csv" in capsys.readouterr().out


# --- quarters, paper, provenance --------------------------------------------------------------


def test_quarters_are_shown_with_their_months():
    assert Period(2026, 4, 7).long_label == "2026Q4 (Apr-Jun 2026)"
    assert Period(2026, 1, 12).months == "Dec 2025-Feb 2026"
    assert Period(2026, 1).months == "Jan-Mar 2026"


def test_the_index_shows_each_quarter_with_its_months(tmp_path):
    title = "Bluegum: 2026Q4 (Apr-Jun 2026) quarterly report (owner)"
    (tmp_path / "2026Q4-owner.html").write_text(f"<html><head><title>{title}</title></head></html>")
    (tmp_path / "2026Q3-staff.html").write_text("<html><head><title>Bluegum: 2026Q3 quarterly report (staff)"
                                                "</title></head></html>")
    page = write_index(tmp_path).read_text()
    assert "<th>2026Q4 (Apr-Jun 2026)</th>" in page and "<th>2026Q3</th>" in page
    assert "<h1>Bluegum</h1>" in page


def test_the_title_the_contents_and_the_paper(owner):
    title = owner.title()[0]._repr_html_()
    assert "Quarterly report 2026Q4 (Apr-Jun 2026)" in title
    assert "@page { size: A4;" in title
    anchors = re.findall(r'<a href="#([a-z]+)">', title)
    page = page_of(owner)
    assert len(anchors) == 11 and all(f'id="{a}"' in page for a in anchors)
    assert paper_size("USD") == "Letter" and paper_size("cad") == "Letter" and paper_size("EUR") == "A4"


def test_the_appendix_names_the_dataset_not_its_path(owner, tmp_path):
    page = "".join(item._repr_html_() for item in owner.provenance())
    assert str(ROOT) not in page and "/home/" not in page
    assert "<td>dataset</td><td>data</td>" in page


# --- the outlook's own command ----------------------------------------------------------------


@pytest.mark.parametrize("period", ["2026Q4", "2026Q1"])
def test_the_outlook_prints_the_command_that_gives_its_numbers(period, capsys):
    report = build_report(ROOT / "data", period, "owner", draws=400, seed=11)
    html = "".join(item._repr_html_() for item in report.outlook())
    command = re.search(r"<code>planning (simulate [^<]*)</code>", html).group(1)
    assert "--draws 400 --seed 11" in command and f"--base-period {period}" in command
    argv = command.replace("--data data", f"--data {ROOT / 'data'}").split()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main([*argv, "--json"]) == 0
    result = json.loads(out.getvalue())
    assert f"bonus pays in {result['p_pays'] * 100:.1f}% of 400 simulated quarters" in html


def test_a_base_period_without_actuals_is_one_clear_line(capsys):
    code = main(["simulate", "--data", str(ROOT / "data"), "--period", "2027Q1", "--base-period", "2030Q4",
                 "--draws", "10"])
    err = capsys.readouterr().err
    assert code == 2 and "2030Q4" in err and "Traceback" not in err


def test_the_readme_example_uses_the_reports_settings():
    readme = (ROOT / "README.md").read_text()
    assert "planning simulate --data data --period 2027Q1 --base-period 2026Q4 --scenario base --draws 2000 " \
           "--seed 20260101" in readme


def test_report_without_audience_says_it_rendered_the_owner_report_only(monkeypatch, capsys, tmp_path):
    import planning.reporting.runner.batch as reports

    rendered = []

    def fake_render(jobs, out, workers=None, progress=False):  # no kernel: only what was asked
        rendered.extend((job.period, job.audience) for job in jobs)
        return [Path(out) / f"{job.period}-{job.audience}.html" for job in jobs]

    monkeypatch.setattr(reports, "render_reports", fake_render)
    args = ["report", "--data", str(ROOT / "data"), "--period", "2026Q4", "--out", str(tmp_path)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert rendered == [("2026Q4", "owner")]
    assert "rendered the owner report only (the default audience); add --audience staff" in err
    assert main([*args, "--audience", "staff"]) == 0
    assert "owner report only" not in capsys.readouterr().err
