"""Installable and offline, in real Chromium: the worker takes control, every
page opens with the network cut, and a new release reaches the user."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from server.settings import ROOT
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.browser.helpers import wait_for_control, wait_until
from tests.browser.test_pages import assert_accessible
from tests.live import free_port, live_server

PAGES = {
    "/": "Five exercises for a stronger spine",
    "/exercises/knees-to-chest": "Knees to chest",
    "/exercises/knee-rolls": "Knee rolls",
    "/exercises/straight-leg-raise": "Straight-leg raise",
    "/exercises/upper-ab-crunch": "Upper-ab crunch",
    "/exercises/opposite-arm-leg-lift": "Opposite arm and leg lift",
    "/workout": "Workout",
    "/history": "History",
    "/settings": "Settings",
    "/about": "About and safety",
}


def cache_names(page: Page) -> list[str]:
    return list(page.evaluate("caches.keys()"))


def test_first_visit_installs_the_worker_and_says_ready(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    wait_for_control(page)
    expect(page.locator("#offline-ready")).to_have_text("Ready to work offline")
    names = [n for n in cache_names(page) if n != "spine-prefs"]  # the languages in use
    assert len(names) == 1
    assert names[0].startswith("spine-routine-")


def test_every_page_opens_offline_and_stays_accessible(
    page: Page, context: BrowserContext, base_url: str, page_errors: list[str]
) -> None:
    page.goto(base_url + "/")
    wait_for_control(page)
    context.set_offline(True)
    for path, heading in PAGES.items():
        response = page.goto(base_url + path)
        assert response is not None
        assert response.ok
        assert response.from_service_worker, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        # Styles came from the cache too.
        assert page.locator("body").evaluate("b => getComputedStyle(b).margin") == "0px"
        assert_accessible(page)
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        assert page.evaluate("[...document.images].every(i => i.naturalWidth > 0)"), path


def test_routine_json_is_readable_offline(page: Page, context: BrowserContext, base_url: str):
    page.goto(base_url + "/")
    wait_for_control(page)
    context.set_offline(True)
    routine = page.evaluate("fetch('/api/v1/routine').then(r => r.json())")
    assert routine["id"] == "spine-five"
    assert len(routine["exercises"]) == 5
    pictures = page.evaluate(
        """async (urls) => Promise.all(urls.map(u => fetch(u).then(r => r.status)))""",
        [e["illustration"] for e in routine["exercises"]],
    )
    assert pictures == [200] * 5


def test_unknown_page_offline_shows_the_offline_page(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    page.goto(base_url + "/")
    wait_for_control(page)
    context.set_offline(True)
    page.goto(base_url + "/nowhere-cached")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    assert_accessible(page)
    page.get_by_role("link", name="The workout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workout")


def test_sync_and_account_calls_are_never_cached(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    page.goto(base_url + "/")
    wait_for_control(page)
    page.evaluate("fetch('/api/v1/config').then(r => r.json())")
    cached = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const cache = await caches.open(names.find((n) => n.startsWith("spine-routine-")));
            return (await cache.keys()).map(r => new URL(r.url).pathname);
        }"""
    )
    assert "/api/v1/routine" in cached
    assert not [p for p in cached if p.startswith("/api/") and p != "/api/v1/routine"]
    context.set_offline(True)
    status = page.evaluate("fetch('/api/v1/config').then(r => r.status, () => 'failed')")
    assert status == "failed"


@pytest.fixture
def release(tmp_path: Path) -> Iterator["Release"]:
    return Release(tmp_path)


class Release:
    """A copy of web/ and content/ served on a fixed port, restartable with changes."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        shutil.copytree(ROOT / "web", root / "web")
        shutil.copytree(ROOT / "content", root / "content")
        self.database = root / "spine.db"
        self.base = f"http://127.0.0.1:{self.port}"

    def serve(self):  # type: ignore[no-untyped-def]
        return live_server(
            self.database,
            port=self.port,
            WEB_DIR=str(self.root / "web"),
            CONTENT_DIR=str(self.root / "content"),
        )

    def change_css(self) -> None:
        css = self.root / "web/static/css/app.css"
        css.write_text(css.read_text() + "\nbody { outline-color: rgb(1, 2, 3); }\n")

    def change_content(self) -> None:
        path = self.root / "content/exercises/knee-rolls.json"
        path.write_text(path.read_text().replace('"name": "Knee rolls"', '"name": "Knee swings"'))


def check_for_update(page: Page) -> None:
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")


def test_new_release_is_announced_and_applied_when_accepted(page: Page, release: Release) -> None:
    with release.serve():
        page.goto(release.base + "/exercises/knee-rolls")
        wait_for_control(page)
        old_caches = cache_names(page)
        # Another app's cache on the same origin is none of our business.
        page.evaluate("caches.open('someone-else').then(() => true)")
    release.change_css()
    release.change_content()
    with release.serve():
        check_for_update(page)
        notice = page.get_by_role("status").filter(has_text="A new version is ready")
        expect(notice).to_be_visible()
        # Nothing changes until the user agrees.
        expect(page.get_by_role("heading", level=1)).to_have_text("Knee rolls")
        with page.expect_navigation():
            page.get_by_role("button", name="Reload").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Knee swings")
        assert page.locator("body").evaluate("b => getComputedStyle(b).outlineColor") == (
            "rgb(1, 2, 3)"
        )
        [old] = [n for n in old_caches if n.startswith("spine-routine-")]
        wait_until(page, "old => caches.keys().then(k => !k.includes(old))", old)
        names = cache_names(page)
        assert "someone-else" in names
        assert "spine-prefs" in names  # kept across versions: the languages in use
        assert len([n for n in names if n.startswith("spine-routine-")]) == 1


def test_update_waits_while_a_workout_runs(page: Page, release: Release) -> None:
    with release.serve():
        page.goto(release.base + "/workout")
        wait_for_control(page)
        # The very module instance the page uses: its hashed URL, read off the imports.
        activity = page.evaluate(
            """async () => {
                const find = async (src, name) => (await (await fetch(src)).text())
                    .match(new RegExp(`"(/static/js/${name}\\.[0-9a-f]+\\.js)"`))[1];
                const main = document.querySelector("script[type=module]").src;
                return find(await find(main, "app/sw-register"), "lib/activity");
            }"""
        )
        page.evaluate("src => import(src).then(m => m.setWorkoutRunning(true))", activity)
    release.change_css()
    with release.serve():
        check_for_update(page)
        wait_until(page, "() => navigator.serviceWorker.getRegistration().then(r => !!r.waiting)")
        page.wait_for_timeout(300)  # give a wrong announcement the chance to appear
        expect(page.get_by_text("A new version is ready")).to_have_count(0)
        page.evaluate("src => import(src).then(m => m.setWorkoutRunning(false))", activity)
        expect(page.get_by_text("A new version is ready")).to_be_visible()


def test_app_is_installable(playwright: Playwright, base_url: str, tmp_path: Path) -> None:
    # An incognito-like context is never installable: use a persistent profile.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE
    )
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        wait_for_control(page)
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
    finally:
        context.close()
