"""Make the app's PNG icons and install-sheet screenshots from our own drawings
and pages, so they can be remade after a change: `make images`.

Icons are drawn from web/static/icons/*.svg by headless Chromium; screenshots
are taken of the running app on a phone-sized screen.
"""

import base64
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from tests.live import live_server  # noqa: E402

ICONS = ROOT / "web" / "static" / "icons"
SCREENSHOTS = ROOT / "web" / "static" / "screenshots"

# (source drawing, output, size in px)
ICON_SET = [
    ("icon.svg", "icon-192.png", 192),
    ("icon.svg", "icon-512.png", 512),
    ("icon-maskable.svg", "icon-maskable-512.png", 512),
    ("icon-maskable.svg", "apple-touch-icon.png", 180),
]
SCREENS = [("/", "home.jpg"), ("/exercises/straight-leg-raise", "exercise.jpg")]


def draw_icons(browser) -> None:  # type: ignore[no-untyped-def]
    for source, output, size in ICON_SET:
        page = browser.new_page(viewport={"width": size, "height": size})
        svg = base64.b64encode((ICONS / source).read_bytes()).decode()
        page.set_content(
            f'<html><body style="margin:0;background:transparent">'
            f'<img alt="" width="{size}" height="{size}" '
            f'src="data:image/svg+xml;base64,{svg}"></body></html>'
        )
        page.screenshot(path=str(ICONS / output), omit_background=True)
        page.close()
        print(f"icons/{output} {size}x{size}")


def take_screenshots(browser) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "shots.db") as base:
        page = browser.new_page(viewport=PHONE, device_scale_factor=1)
        for path, output in SCREENS:
            page.goto(base + path)
            page.screenshot(path=str(SCREENSHOTS / output), type="jpeg", quality=70)
            print(f"screenshots/{output} {PHONE['width']}x{PHONE['height']}")
        page.close()


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        draw_icons(browser)
        take_screenshots(browser)
        browser.close()


if __name__ == "__main__":
    main()
