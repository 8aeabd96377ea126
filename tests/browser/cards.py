"""Redraw the home page's exercise pictures from workout/figures.js and poses.js:
`.venv/bin/python -m tests.browser.cards` (test_poses.py checks they are current)."""

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from server.settings import ROOT
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live import live_server

CARDS = ROOT / "web" / "static" / "img" / "exercises"
DRAW = """async () => {
  const { FIGURES } = await import("/static/js/workout/figures.js");
  const { cardSvg } = await import("/static/js/workout/poses.js");
  return Object.fromEntries(Object.keys(FIGURES).map((id) => [id, cardSvg(FIGURES[id])]));
}"""


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        live_server(Path(tmp) / "cards.db") as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "/about")
        for exercise_id, svg in page.evaluate(DRAW).items():
            (CARDS / f"{exercise_id}.svg").write_text(svg)
            print(f"wrote {exercise_id}.svg ({len(svg)} bytes)")
        browser.close()


if __name__ == "__main__":
    main()
