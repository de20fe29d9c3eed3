"""The Voila app in a real browser: an owner changes the GOP gate and the pool rate.

Starts ``voila planning/notebooks/01_explore_bonus.ipynb`` on a free localhost port, drives Debian's
Chromium with Playwright (Playwright cannot download its own browsers here) and checks that
the ``Bonus pool:`` line shows exactly what the engine computes for the same settings.

Skipped, with the reason shown, when /usr/bin/chromium is absent, except in CI
(``CI=true``), where a missing browser is a failure. Set ``UPDATE_SCREENSHOT=1`` to refresh
``docs/images/app.png`` for the README.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planning import bonus_for_period, format_money, load_dataset, with_overrides

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
VOILA = Path(sys.executable).with_name("voila")
NOTEBOOK = ROOT / "planning" / "notebooks" / "01_explore_bonus.ipynb"
SCREENSHOT = ROOT / "docs" / "images" / "app.png"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (apt-get install chromium); the browser test needs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """A Voila server for the cockpit notebook; stopped (and its kernels) after the module."""
    _require_browser()
    port = _free_port()
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [str(VOILA), str(NOTEBOOK), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"voila exited with {proc.returncode}:\n{log_path.read_text()}")
            try:  # the port answers once the server listens (GET / would start a kernel)
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"voila did not answer on {url} within 60 s:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1360, "height": 1700})
            tab.set_default_timeout(30_000)
            tab.goto(app_url, timeout=60_000)
            tab.locator(".pw-cockpit .pw-pool-line").wait_for(timeout=60_000)
            yield tab
        finally:
            browser.close()


def _expected_pool_line(gop_gate: float, pool_rate: float) -> str:
    dataset = load_dataset(ROOT / "data")
    period = dataset.reportable_periods[-1]
    plan = with_overrides(dataset.plan, {"gates.gop": gop_gate, "pool.rate": pool_rate})
    result = bonus_for_period(dataset, period, plan)
    return f"Bonus pool: {format_money(result.pool, result.currency, 2)}"


def _slider(page, label: str):
    return page.locator(".pw-cockpit .widget-slider").filter(
        has=page.get_by_text(label, exact=True))


def _type_into_readout(page, label: str, value: str) -> None:
    """What an owner does to enter an exact value: click the number, type, press Enter."""
    readout = _slider(page, label).locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_owner_changes_gop_gate_and_pool_rate(page, tmp_path):
    from playwright.sync_api import expect

    pool = page.locator(".pw-cockpit .pw-pool-line")
    expect(pool).to_have_text(_expected_pool_line(1.0, 0.30))  # the plan as written

    # A GOP gate of 140% is above this quarter's 136% GOP attainment: no bonus.
    _type_into_readout(page, "GOP gate", "1.4")
    expect(_slider(page, "GOP gate").locator(".widget-readout")).to_have_text("140%")
    expect(pool).to_have_text(_expected_pool_line(1.40, 0.30))
    assert pool.inner_text() == "Bonus pool: AUD 0.00"
    expect(page.locator(".pw-cockpit .pw-tiles")).to_contain_text("Missed by")

    # "What bonus would we pay this quarter if the GOP gate were 95%?"
    _type_into_readout(page, "GOP gate", "0.95")
    expect(pool).to_have_text(_expected_pool_line(0.95, 0.30))

    # Pool rate 30% -> 25% with the keyboard (click the handle, five steps left).
    handle = _slider(page, "Pool rate").locator(".noUi-handle")
    handle.click()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    expect(_slider(page, "Pool rate").locator(".widget-readout")).to_have_text("25%")
    expected = _expected_pool_line(0.95, 0.25)
    expect(pool).to_have_text(expected)
    assert expected != _expected_pool_line(0.95, 0.30), "the rate change must change the pool"

    page.wait_for_timeout(500)  # let the charts land before the picture
    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") else tmp_path / "app.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.locator(".pw-cockpit").screenshot(path=str(target))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) < 400_000, f"screenshot is {len(data):,} bytes; keep it under 400 KB"


def test_page_shows_no_code_and_no_error(page):
    text = page.locator("body").inner_text()
    assert "import " not in text and "BonusCockpit" not in text, "Voila must strip the code"
    assert "Traceback" not in text and "Error" not in text


def _typed_box(page, label: str):
    """The box beside a percentage slider where an owner types 95%, 95 or 0.95."""
    return page.locator(f".pw-cockpit .pw-typed-{label.lower().replace(' ', '-')} input")


def _type_percent(page, label: str, value: str) -> None:
    box = _typed_box(page, label)
    box.click()
    box.fill(value)
    box.press("Enter")


def test_typed_percentages_and_the_difference_from_the_plan(page, tmp_path):
    from playwright.sync_api import expect

    from planning.ui.readings import pool_against_plan

    dataset = load_dataset(ROOT / "data")
    period = dataset.reportable_periods[-1]
    planned = bonus_for_period(dataset, period)
    pool = page.locator(".pw-cockpit .pw-pool-line")
    diff = page.locator(".pw-cockpit .pw-plan-diff")
    note = page.locator(".pw-cockpit .pw-typed-note")

    _type_percent(page, "GOP gate", "100%")   # back to the plan's gate, typed as a percentage
    _type_percent(page, "Pool rate", "30")    # and its rate, typed as a number of per cent
    expect(_slider(page, "GOP gate").locator(".widget-readout")).to_have_text("100%")
    expect(_slider(page, "Pool rate").locator(".widget-readout")).to_have_text("30%")
    expect(note).to_have_text('Pool rate: understood "30" as 30%.')
    expect(pool).to_have_text(_expected_pool_line(1.0, 0.30))
    expect(diff).to_have_text(pool_against_plan(planned, planned))
    assert diff.inner_text() == "AUD 45,000: unchanged from the plan"

    _type_percent(page, "Pool rate", "0.25")
    changed = bonus_for_period(dataset, period, with_overrides(dataset.plan, {"pool.rate": 0.25}))
    expect(diff).to_have_text(pool_against_plan(changed, planned))
    _type_percent(page, "Pool rate", "30%")
    _type_percent(page, "GOP gate", "95")     # the pool cap binds: no difference, and why
    expect(_slider(page, "GOP gate").locator(".widget-readout")).to_have_text("95%")
    expect(page.locator(".pw-cockpit .pw-binding")).to_contain_text("Your change makes no difference here. "
                                                                     "The pool cap binds")
    _type_percent(page, "GOP gate", "ninety")
    expect(note).to_contain_text('"ninety" is not a percentage; type it like 95%, 95 or 0.95')
    expect(_slider(page, "GOP gate").locator(".widget-readout")).to_have_text("95%")

    if os.environ.get("UPDATE_SCREENSHOT"):  # the cockpit on a desktop, on a phone and on paper
        images = ROOT / "docs" / "images"
        page.wait_for_timeout(500)
        page.screenshot(path=str(images / "cockpit-desktop.png"), full_page=True)
        page.emulate_media(media="print")
        page.pdf(path=str(images / "cockpit.pdf"), format="A4", print_background=True)
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 390, "height": 1700})
        page.wait_for_timeout(800)
        page.screenshot(path=str(images / "cockpit-phone.png"))
        page.set_viewport_size({"width": 1360, "height": 1700})
