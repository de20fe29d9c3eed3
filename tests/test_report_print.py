"""The reports on paper and on a phone, in headless Chromium (issue 14).

Renders the sample company's 2026Q4 owner and staff reports (AUD: A4) and a tiny US-dollar
company's owner report (Letter), then prints them and checks the print rules: the page size
comes from the company's currency, no table runs past the printable width, the per-person
explanations are printed in full (not as collapsed ``<details>``), table headers repeat on
every page, and at 390 px the charts stack full width with text large enough to read.

Skipped, with the reason, when /usr/bin/chromium is absent, except in CI (``CI=true``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import write_dataset

from planning import bonus_for_period, load_dataset
from planning.reporting.runner.batch import render_reports
from planning.reporting.runner.jobs import plan_reports

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
# printable width in CSS px: paper less the report's 12 mm side margins (96 px an inch)
PRINTABLE = {"A4": round((210 - 24) / 25.4 * 96), "Letter": round((8.5 * 25.4 - 24) / 25.4 * 96)}
PAPER_POINTS = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium); the print test needs it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("print")
    usd = write_dataset(tmp_path_factory.mktemp("usd") / "data", {"company.yaml": """\
        name: Dollar Test Inc
        currency: USD
        fiscal_year_start_month: 1
        """})
    jobs = plan_reports(ROOT / "data", ["2026Q4"], ["owner", "staff"], draws=200)
    paths = render_reports(jobs, out / "sample", workers=1)
    paths += render_reports(plan_reports(usd, ["2026Q1"], ["owner"], draws=200), out / "usd", workers=1)
    found = {f"{p.parent.name}/{p.name}": p for p in paths}
    found["usd-data"] = usd
    return found


@pytest.fixture(scope="module")
def browser(pages):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)]


@pytest.mark.parametrize("name, paper", [("sample/2026Q4-owner.html", "A4"), ("sample/2026Q4-staff.html", "A4"),
                                         ("usd/2026Q1-owner.html", "Letter")])
def test_printing_follows_the_print_rules(pages, browser, name, paper, tmp_path):
    path = pages[name]
    page = browser.new_page(viewport={"width": PRINTABLE[paper], "height": 1100})
    try:
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        # no table runs past the printable width (nothing is cut off at the right edge)
        overflow = page.evaluate("""(width) => [...document.querySelectorAll('table')]
            .map(t => [t.className, Math.round(t.getBoundingClientRect().right), t.scrollWidth,
                       t.parentElement.clientWidth])
            .filter(([, right, scroll, room]) => right > width + 1 || scroll > room + 1)""", PRINTABLE[paper])
        assert overflow == [], overflow
        assert page.evaluate("""() => [...document.querySelectorAll('thead')]
            .every(h => getComputedStyle(h).display === 'table-header-group')""")
        if "owner" in name:  # every explanation printed in full; the collapsed list is not printed
            assert page.evaluate("() => [...document.querySelectorAll('details')]"
                                 ".every(d => d.getBoundingClientRect().height === 0)")
            printed = page.locator("dl.pl-explanations").inner_text()
            data = ROOT / "data" if name.startswith("sample") else pages["usd-data"]
            result = bonus_for_period(load_dataset(data), "2026Q4" if name.startswith("sample") else "2026Q1")
            eligible = list(result.allocations.query("eligible").itertuples())
            assert eligible
            for person in eligible:
                assert f"{person.name}'s weight is" in printed, person.name
            assert printed.count("'s weight is") == len(eligible)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    boxes = _media_boxes(pdf)
    assert boxes, "no page in the PDF"
    want = PAPER_POINTS[paper]
    assert all(abs(w - want[0]) < 2 and abs(h - want[1]) < 2 for w, h in boxes), (paper, set(boxes))
    assert len(boxes) >= 2


def test_on_a_phone_charts_stack_full_width_and_stay_legible(pages, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(pages["sample/2026Q4-owner.html"].as_uri())
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways page scroll
        charts = page.evaluate("""() => [...document.querySelectorAll('.pl-chart svg')].map(svg => {
            const box = svg.getBoundingClientRect();
            const scale = box.width / svg.viewBox.baseVal.width;
            const smallest = Math.min(...[...svg.querySelectorAll('text')].map(
                t => parseFloat(getComputedStyle(t).fontSize) * scale));
            return [svg.getAttribute('aria-label'), Math.round(box.left), Math.round(box.width), smallest];
        })""")
        assert len(charts) >= 9
        content = page.evaluate("() => document.querySelector('.pl-section').getBoundingClientRect().width")
        tops = page.evaluate("() => [...document.querySelectorAll('.pl-half')].map(f => f.getBoundingClientRect().top)")
        assert len(set(round(t) for t in tops)) == len(tops), "half-width charts must stack on a phone"
        for label, _left, width, smallest in charts:
            assert width >= content - 2 or width >= 330, (label, width)  # full width
            assert smallest >= 7.5, (label, smallest)  # about as large as the report's small print
    finally:
        page.close()
