"""Browser tests: system Chromium through pytest-playwright, against a live server."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.live import live_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Extends the plugin's fixture, so --headed and --slowmo still apply.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real server for the session, on its own database."""
    database = Path(tmp_path_factory.mktemp("live")) / "spine.db"
    # The stand-in subscription (test_reminders.py) names a push service that never
    # resolves: a real host is never contacted, and the server still takes it.
    with live_server(database, PUSH_SERVICES="push.invalid") as base:
        yield base


@pytest.fixture
def page_errors(page: Page) -> Iterator[list[str]]:
    """Collect console errors and uncaught exceptions; the test fails on any."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield errors
    assert errors == [], errors


def answer_no_warning_signs(page: Page) -> None:
    """Open the safety check and answer it as a person with no warning sign: No to each."""
    opener = page.locator('#safety [data-action="safety-open"]')
    if opener.is_visible():
        opener.click()
    form = page.locator("#safety-form")
    for answer in form.locator('input[value="no"]').all():
        answer.check()
    form.locator('button[type="submit"]').click()
    form.wait_for(state="hidden")  # saved


@pytest.fixture(autouse=True)
def no_warning_signs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wherever the safety check stands before Start, answer it with no warning sign,
    as most users would: the tests of other journeys go on to Start. Tests of the check
    itself are marked `safety_check` and answer it themselves (test_safety.py)."""
    if request.node.get_closest_marker("safety_check"):
        return
    new_page = BrowserContext.new_page

    def answering(self: BrowserContext, *args: Any, **kwargs: Any) -> Page:
        page = new_page(self, *args, **kwargs)
        page.add_locator_handler(
            page.locator('#safety [data-action="safety-open"]'),
            lambda: answer_no_warning_signs(page),
        )
        return page

    monkeypatch.setattr(BrowserContext, "new_page", answering)
