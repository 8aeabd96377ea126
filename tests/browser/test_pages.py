"""Every page in real Chromium: it renders, breaks no CSP rule, calls no other
origin, and axe finds no accessibility violation, in light and dark mode."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

PAGES = [
    "/",
    "/exercises/knees-to-chest",
    "/exercises/opposite-arm-leg-lift",
    "/workout",
    "/history",
    "/settings",
    "/summary",
    "/about",
    "/docs",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Page) -> None:
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_accessibly(
    page: Page, base_url: str, page_errors: list[str], path: str, scheme: str
) -> None:
    other_origins: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith(base_url) else other_origins.append(r.url)
    )
    page.emulate_media(color_scheme=scheme)
    response = page.goto(base_url + path)
    assert response is not None
    assert response.ok
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert other_origins == []


def test_start_workout_is_one_tap_from_home(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    start = page.get_by_role("link", name="Start workout")
    box = start.bounding_box()
    assert box is not None
    assert box["height"] >= 48
    start.click()
    expect(page).to_have_url(base_url + "/workout")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workout")


def test_navigation_targets_are_thumb_sized_and_keyboard_reachable(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + "/")
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Routine", "Workout", "History", "Settings"):
        box = nav.get_by_role("link", name=name).bounding_box()
        assert box is not None
        assert box["height"] >= 48
        assert box["width"] >= 48
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_pages_read_without_javascript(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/exercises/straight-leg-raise")
        expect(page.get_by_role("heading", name="How to do it")).to_be_visible()
        expect(page.get_by_text("Hold the leg up for five seconds.")).to_be_visible()
    finally:
        context.close()


def test_reduced_motion_turns_transitions_off(page: Page, base_url: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(base_url + "/")
    duration = page.get_by_role("link", name="Start workout").evaluate(
        "el => getComputedStyle(el).transitionDuration"
    )
    assert duration == "0s"
