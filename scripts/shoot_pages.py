"""Screenshots and printed PDFs of rendered pages in headless Chromium (for docs/images).

    python scripts/shoot_pages.py OUT_DIR PAGE.html [PAGE.html ...]
    python scripts/shoot_pages.py OUT_DIR --url http://127.0.0.1:8866/ --name cockpit

For every page: ``<name>-desktop.png`` (1280 px wide), ``<name>-phone.png`` (390 px wide,
the top of the page) and ``<name>.pdf`` (printed with the page's own @page size). Uses
Debian's /usr/bin/chromium through Playwright; nothing is loaded from the network.
"""

from __future__ import annotations

import argparse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


def shoot(browser, url: str, out: Path, name: str, wait_for: str | None, full: bool, phone_height: int) -> None:
    for label, viewport, scale in (("desktop", {"width": 1280, "height": 1700}, 1),
                                   ("phone", {"width": 390, "height": phone_height}, 2)):
        page = browser.new_page(viewport=viewport, device_scale_factor=scale)
        page.goto(url, timeout=120_000)
        if wait_for:
            page.locator(wait_for).first.wait_for(timeout=120_000)
            page.wait_for_timeout(3000)
        page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=full and label == "desktop")
        if label == "desktop":
            page.emulate_media(media="print")
            page.pdf(path=str(out / f"{name}.pdf"), prefer_css_page_size=True, print_background=True)
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--url")
    parser.add_argument("--name")
    parser.add_argument("--wait-for")
    parser.add_argument("--full", action="store_true", help="the whole desktop page, not its first screen")
    parser.add_argument("--phone-height", type=int, default=1600)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    targets = [(Path(p).resolve().as_uri(), Path(p).stem) for p in args.pages]
    if args.url:
        targets.append((args.url, args.name or "page"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for url, name in targets:
                shoot(browser, url, out, name, args.wait_for, args.full, args.phone_height)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
