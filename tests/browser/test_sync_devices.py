"""Two browser contexts as two devices against one live server: turn sync on,
pair through the UI, and logs follow the user, once, whatever the network does."""

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import SPIES, stores, wait_for_control
from tests.browser.test_pages import assert_accessible


class Phone:
    """A device: its own browser context (storage, worker, network)."""

    def __init__(self, browser: Browser, base_url: str, name: str, **context_args: Any):
        context_args = {"viewport": PHONE, "has_touch": True, **context_args}
        self.context: BrowserContext = browser.new_context(**context_args)
        self.context.add_init_script(SPIES)
        self.page: Page = self.context.new_page()
        self.base = base_url
        self.name = name

    def goto(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def status(self):  # type: ignore[no-untyped-def]
        return self.page.locator("[data-sync-status]")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def devices(browser: Browser, base_url: str) -> Iterator[tuple[Phone, Phone]]:
    phone, tablet = Phone(browser, base_url, "Phone"), Phone(browser, base_url, "Tablet")
    yield phone, tablet
    phone.close()
    tablet.close()


def turn_on_and_pair(phone: Phone, tablet: Phone) -> str:
    page = phone.goto("/settings")
    page.get_by_label("A name for this device").fill("Phone")
    page.get_by_role("button", name="Turn on sync").click()
    expect(page.get_by_role("heading", name="Save your recovery code")).to_be_visible()
    expect(page.locator("[data-recovery-code]")).not_to_be_empty()
    recovery = page.locator("[data-recovery-code]").inner_text()
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{2}", recovery)
    expect(page.get_by_role("link", name="Download")).to_have_attribute(
        "href", re.compile("^blob:")
    )
    assert_accessible(page)
    page.get_by_role("button", name="I have saved it").click()
    expect(page.locator("[data-devices]")).to_contain_text("Phone (this device)")
    page.get_by_role("button", name="Add a device").click()
    expect(page.locator("[data-pairing-code]")).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{2}$"))
    code = page.locator("[data-pairing-code]").inner_text()
    expect(page.locator("[data-pairing-countdown]")).to_contain_text("Valid for")
    expect(page.get_by_role("img", name="QR code of the pairing code")).to_be_visible()
    assert_accessible(page)

    other = tablet.goto("/settings")
    other.get_by_label("A name for this device").fill("Tablet")
    other.get_by_label("Already syncing on another device?").fill(code.lower())
    other.get_by_role("button", name="Join with a code").click()
    expect(other.get_by_text("This device now syncs with your other devices.")).to_be_visible()
    expect(other.locator("[data-devices] li")).to_have_count(2)
    expect(other.locator("[data-devices]")).to_contain_text("Tablet (this device)")
    return recovery


def save_a_workout(device: Phone, note: str) -> None:
    page = device.goto("/workout")
    page.get_by_role("button", name="Start workout").click()
    page.get_by_role("button", name="End workout").click()
    page.get_by_label("Note (optional)").fill(note)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()


def safety_checked(device: Phone) -> None:
    """Answer the safety check (conftest.py answers it), and let its answers sync."""
    page = device.goto("/workout")
    expect(page.get_by_role("button", name="Start workout")).to_be_visible()
    expect(device.status()).to_have_text("Synced", timeout=15_000)


def test_a_session_done_offline_reaches_the_other_device_and_edits_and_deletes_follow(
    devices: tuple[Phone, Phone],
) -> None:
    phone, tablet = devices
    turn_on_and_pair(phone, tablet)
    safety_checked(phone)
    wait_for_control(phone.page)
    phone.context.set_offline(True)
    save_a_workout(phone, "Done offline on the mat")
    history = phone.goto("/history")
    expect(history.locator(".session .badge").first).to_have_text("On this device only")
    expect(phone.status()).to_have_text("Offline · 1 waiting")

    phone.context.set_offline(False)  # fires "online": the outbox goes out
    expect(phone.status()).to_have_text("Synced", timeout=15_000)
    expect(history.locator(".session .badge").first).to_have_text("Synced")

    tablet_history = tablet.goto("/history")
    session = tablet_history.locator(".session")
    expect(session).to_have_count(1, timeout=15_000)
    expect(session.locator(".badge")).to_have_text(["Synced", "From Phone"])
    session.locator("summary").click()
    expect(session.locator(".session-note")).to_have_text("Done offline on the mat")

    # A note edited on the tablet shows on the phone.
    session.get_by_label("Note").fill("Edited on the tablet")
    session.get_by_role("button", name="Save changes").click()
    expect(tablet.status()).to_have_text("Synced", timeout=15_000)
    phone.page.reload()
    expect(phone.status()).to_have_text("Synced", timeout=15_000)
    phone_session = phone.page.locator(".session")
    phone_session.locator("summary").click()
    expect(phone_session.locator(".session-note")).to_have_text(
        "Edited on the tablet", timeout=15_000
    )

    # Deleted on the phone, gone from the tablet.
    phone_session.get_by_role("button", name="Delete session").click()
    phone_session.get_by_role("button", name="Yes, delete it").click()
    expect(phone.page.locator(".session")).to_have_count(0)
    expect(phone.status()).to_have_text("Synced", timeout=15_000)
    tablet.page.reload()
    expect(tablet.status()).to_have_text("Synced", timeout=15_000)
    expect(tablet.page.locator(".session")).to_have_count(0, timeout=15_000)
    assert stores(tablet.page)["outbox"] == []


def test_a_push_whose_answer_is_lost_is_not_doubled(
    devices: tuple[Phone, Phone], base_url: str
) -> None:
    phone, tablet = devices
    turn_on_and_pair(phone, tablet)
    safety_checked(phone)
    lost: list[str] = []

    def commit_then_drop(route) -> None:  # type: ignore[no-untyped-def]
        route.fetch()  # the server commits...
        lost.append(route.request.url)
        route.abort()  # ...and the answer never arrives

    phone.context.route("**/api/v1/sync/push", commit_then_drop)
    save_a_workout(phone, "Only once")
    history = phone.goto("/history")
    expect(history.locator(".session")).to_have_count(1)
    expect(phone.status()).to_contain_text("Sync problem", timeout=15_000)
    assert lost, "the push should have reached the server"
    assert len(stores(phone.page)["outbox"]) == 1, "an unanswered change stays queued"
    phone.context.unroute("**/api/v1/sync/push")
    phone.page.reload()
    expect(phone.status()).to_have_text("Synced", timeout=15_000)
    assert stores(phone.page)["outbox"] == []

    tablet.goto("/history")
    expect(tablet.page.locator(".session")).to_have_count(1, timeout=15_000)
    token = tablet.page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("spine-routine");
            open.onsuccess = () => {
                const get = open.result.transaction("meta").objectStore("meta").get("sync");
                get.onsuccess = () => resolve(get.result.token);
            };
        })"""
    )
    pulled = httpx.get(
        f"{base_url}/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}
    ).json()["changes"]
    assert [c["data"]["notes"] for c in pulled if c["type"] == "session"] == ["Only once"]


def test_a_removed_device_stops_syncing_and_keeps_its_logs(devices: tuple[Phone, Phone]) -> None:
    phone, tablet = devices
    turn_on_and_pair(phone, tablet)
    save_a_workout(tablet, "Tablet session")
    expect(tablet.status()).to_have_text("Synced", timeout=15_000)

    settings = phone.goto("/settings")
    settings.get_by_role("button", name="Remove Tablet").click()
    expect(settings.get_by_text("Tablet was removed.")).to_be_visible()
    expect(settings.locator("[data-devices] li")).to_have_count(1)

    tablet.goto("/history")
    expect(tablet.status()).to_have_text("Sync stopped: this device was removed", timeout=15_000)
    expect(tablet.page.locator(".session")).to_have_count(1)
    expect(tablet.page.locator(".session .badge")).to_have_text("On this device only")
    tablet.goto("/settings")
    expect(tablet.page.get_by_text("This device was removed from sync")).to_be_visible()
    expect(tablet.page.get_by_role("button", name="Join with a code")).to_be_visible()


def test_a_recovery_code_brings_the_history_to_a_new_device(
    devices: tuple[Phone, Phone],
) -> None:
    phone, new_phone = devices
    page = phone.goto("/settings")
    page.get_by_role("button", name="Turn on sync").click()
    expect(page.locator("[data-recovery-code]")).not_to_be_empty()
    recovery = page.locator("[data-recovery-code]").inner_text()
    page.get_by_role("button", name="I have saved it").click()
    save_a_workout(phone, "Before the phone fell in the lake")
    expect(phone.status()).to_have_text("Synced", timeout=15_000)

    fresh = new_phone.goto("/settings")
    fresh.get_by_label("Lost every device? Your recovery code").fill("not a code")
    fresh.get_by_role("button", name="Use a recovery code").click()
    expect(fresh.locator("[data-sync-message]")).to_have_text("That recovery code is not right.")
    fresh.get_by_label("Lost every device? Your recovery code").fill(recovery.lower())
    fresh.get_by_role("button", name="Use a recovery code").click()
    expect(fresh.get_by_text("Welcome back.")).to_be_visible()
    new_phone.goto("/history")
    expect(new_phone.page.locator(".session")).to_have_count(1, timeout=15_000)


def test_a_new_recovery_code_is_shown_once_and_the_old_one_stops_working(
    devices: tuple[Phone, Phone],
) -> None:
    phone, _ = devices
    page = phone.goto("/settings")
    page.get_by_role("button", name="Turn on sync").click()
    expect(page.locator("[data-recovery-code]")).not_to_be_empty()
    old = page.locator("[data-recovery-code]").inner_text()
    expect(page.get_by_text("Your old recovery code no longer works.")).to_be_hidden()
    page.get_by_role("button", name="I have saved it").click()

    page.get_by_role("button", name="Make a new recovery code").click()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name="Make a new code")).to_be_hidden()
    page.get_by_role("button", name="Make a new recovery code").click()
    page.get_by_role("button", name="Make a new code").click()
    expect(page.get_by_role("heading", name="Save your recovery code")).to_be_focused()
    expect(page.get_by_text("Your old recovery code no longer works.")).to_be_visible()
    expect(page.locator("[data-recovery-code]")).not_to_have_text(old)
    new = page.locator("[data-recovery-code]").inner_text()
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{2}", new)
    expect(page.get_by_role("link", name="Download")).to_have_attribute(
        "href", re.compile("^blob:")
    )
    assert_accessible(page)
    page.get_by_role("button", name="I have saved it").click()
    expect(page.locator("[data-devices]")).to_contain_text("(this device)")
    expect(page.locator("[data-recovery-code]")).to_be_empty()

    def recover(code: str) -> httpx.Response:
        return httpx.post(
            f"{phone.base}/api/v1/recovery", json={"recovery_code": code, "device_name": "x"}
        )

    assert recover(old).status_code == 400
    assert recover(new).status_code == 201


def test_turning_off_keeps_logs_and_deleting_the_account_asks_twice(
    devices: tuple[Phone, Phone],
) -> None:
    phone, tablet = devices
    turn_on_and_pair(phone, tablet)
    save_a_workout(tablet, "Kept after turning off")
    expect(tablet.status()).to_have_text("Synced", timeout=15_000)

    settings = tablet.goto("/settings")
    settings.get_by_role("button", name="Turn off sync on this device").click()
    settings.get_by_role("button", name="Turn off and keep them here").click()
    expect(
        settings.get_by_text("Sync is off. Your sessions are still on this device.")
    ).to_be_visible()
    expect(tablet.status()).to_have_text("Sync is off")
    tablet.goto("/history")
    expect(tablet.page.locator(".session")).to_have_count(1)

    settings = phone.goto("/settings")
    expect(settings.locator("[data-devices] li")).to_have_count(1)
    settings.get_by_role("button", name="Delete my account and server data").click()
    settings.get_by_role("button", name="Cancel").click()
    expect(settings.get_by_role("button", name="Delete for good")).to_be_hidden()
    settings.get_by_role("button", name="Delete my account and server data").click()
    settings.get_by_role("button", name="Yes, continue").click()
    settings.get_by_role("button", name="Delete for good").click()
    expect(
        settings.get_by_text("Your account and everything on the server are deleted.")
    ).to_be_visible()
    expect(phone.status()).to_have_text("Sync is off")
    phone.goto("/history")
    expect(phone.page.locator(".session")).to_have_count(1, timeout=15_000)


def test_edits_made_apart_on_two_devices_are_merged(devices: tuple[Phone, Phone]) -> None:
    phone, tablet = devices
    turn_on_and_pair(phone, tablet)
    save_a_workout(phone, "Original note")
    expect(phone.status()).to_have_text("Synced", timeout=15_000)
    tablet.goto("/history")
    expect(tablet.page.locator(".session")).to_have_count(1, timeout=15_000)
    wait_for_control(phone.page)
    wait_for_control(tablet.page)
    phone.context.set_offline(True)
    tablet.context.set_offline(True)

    # Apart: the tablet changes the note, the phone the pain rating.
    item = tablet.page.locator(".session")
    item.locator("summary").click()
    item.get_by_label("Note").fill("Note from the tablet")
    item.get_by_role("button", name="Save changes").click()
    expect(tablet.status()).to_have_text("Offline · 1 waiting")
    mine = phone.goto("/history").locator(".session")
    mine.locator("summary").click()
    mine.get_by_label("Pain after (0–10)").select_option("1")
    mine.get_by_role("button", name="Save changes").click()
    expect(phone.status()).to_have_text("Offline · 1 waiting")

    phone.context.set_offline(False)
    expect(phone.status()).to_have_text("Synced", timeout=15_000)
    tablet.context.set_offline(False)  # its push meets a newer version: merge, push again
    expect(tablet.status()).to_have_text("Synced", timeout=15_000)

    for device in (tablet, phone):
        device.page.reload()
        expect(device.status()).to_have_text("Synced", timeout=15_000)
        session = device.page.locator(".session")
        expect(session.locator("summary")).to_contain_text("pain – → 1", timeout=15_000)
        session.locator("summary").click()
        expect(session.locator(".session-note")).to_have_text(
            "Note from the tablet", timeout=15_000
        )


# --- Device names -------------------------------------------------------------

PIXEL = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
KINDS = [
    # (user agent, navigator.userAgentData.mobile, maxTouchPoints, kind)
    (PIXEL, None, 5, "phone"),
    (PIXEL, False, 5, "phone"),  # a UA set by hand leaves the hint false: the UA decides
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        False,
        5,
        "tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        True,
        5,
        "phone",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        None,
        5,
        "phone",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148",
        None,
        5,
        "tablet",
    ),
    # iPadOS asks for the desktop site: a Mac, but with a touch screen.
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        None,
        5,
        "tablet",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        None,
        0,
        "computer",
    ),
    ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", None, 5, "phone"),
    ("Mozilla/5.0 (Android 14; Tablet; rv:133.0) Gecko/133.0 Firefox/133.0", None, 5, "tablet"),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        False,
        10,
        "computer",
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", None, 0, "computer"),
    ("", None, 0, "computer"),
]


def test_a_device_kind_comes_from_its_own_user_agent(page: Page, base_url: str) -> None:
    page.goto(base_url + "/offline")
    cases = [{"userAgent": ua, "mobile": m, "maxTouchPoints": n} for ua, m, n, _ in KINDS]
    kinds = page.evaluate(
        """async (cases) => {
            const { deviceKind } = await import("/static/js/sync/device-kind.js");
            return cases.map((c) => deviceKind({ ...c, mobile: c.mobile ?? undefined }));
        }""",
        cases,
    )
    assert kinds == [kind for *_, kind in KINDS]


def turn_on(device: Phone) -> Page:
    """Turn sync on with the name the device gives itself, and make a pairing code."""
    page = device.goto("/settings")
    page.get_by_role("button", name="Turn on sync").click()
    page.get_by_role("button", name="I have saved it").click()
    page.get_by_role("button", name="Add a device").click()
    expect(page.locator("[data-pairing-code]")).not_to_be_empty()
    return page


def join(device: Phone, code: str) -> Page:
    page = device.goto("/settings")
    page.get_by_label("Already syncing on another device?").fill(code)
    page.get_by_role("button", name="Join with a code").click()
    expect(page.get_by_text("This device now syncs with your other devices.")).to_be_visible()
    return page


def sync(device: Phone) -> None:
    """Make the device sync now, as it does when the network comes back."""
    device.page.wait_for_timeout(50)
    device.context.set_offline(True)
    device.context.set_offline(False)  # fires "online": a sync starts
    expect(device.status()).to_have_text("Synced", timeout=15_000)


@pytest.fixture
def computer_and_phone(browser: Browser, base_url: str) -> Iterator[tuple[Phone, Phone]]:
    computer = Phone(browser, base_url, "Computer", viewport={"width": 1280, "height": 800})
    phone = Phone(browser, base_url, "Phone", user_agent=PIXEL, is_mobile=True)
    yield computer, phone
    computer.close()
    phone.close()


def test_a_joining_phone_is_listed_as_a_phone_and_a_rename_reaches_both(
    computer_and_phone: tuple[Phone, Phone],
) -> None:
    computer, phone = computer_and_phone
    desk = turn_on(computer)
    code = desk.locator("[data-pairing-code]").inner_text()
    mobile = join(phone, code)
    names = ["Computer (this device)", "Phone"]
    expect(mobile.locator("[data-devices] li > span")).to_have_text(
        ["Computer", "Phone (this device)"]
    )
    desk.reload()
    expect(desk.locator("[data-devices] li > span")).to_have_text(names)

    # Rename the phone from the computer, by keyboard; Cancel first changes nothing.
    rename = desk.get_by_role("button", name="Rename Phone")
    expect(rename).to_have_attribute("aria-expanded", "false")
    rename.click()
    field = desk.get_by_label("New name for Phone")
    expect(field).to_be_focused()
    expect(field).to_have_value("Phone")
    expect(rename).to_have_attribute("aria-expanded", "true")
    expect(desk.get_by_role("button", name="Remove Phone")).to_be_hidden()
    assert_accessible(desk)
    field.fill("Not this")
    desk.get_by_role("button", name="Cancel").click()
    expect(field).to_be_hidden()
    expect(rename).to_be_focused()
    desk.keyboard.press("Enter")  # opens it again
    expect(field).to_be_focused()
    field.press("Escape")
    expect(rename).to_be_focused()
    rename.click()
    rename.click()  # a second press puts the field away
    expect(field).to_be_hidden()
    expect(desk.get_by_role("button", name="Remove Phone")).to_be_visible()
    rename.click()
    field.fill("   ")
    desk.get_by_role("button", name="Save").click()
    expect(desk.locator("[data-sync-message]")).to_have_text(
        "A device name has 1 to 60 characters."
    )
    field.fill("  Anna's phone ")
    field.press("Enter")
    expect(desk.locator("[data-sync-message]")).to_have_text("Phone is now called Anna's phone.")
    expect(desk.locator("[data-devices] li > span")).to_have_text(
        ["Computer (this device)", "Anna's phone"]
    )
    expect(desk.get_by_role("button", name="Rename Anna's phone")).to_be_focused()

    # The phone, its settings open, shows its new name after its next sync...
    sync(phone)
    expect(mobile.locator("[data-devices] li > span")).to_have_text(
        ["Computer", "Anna's phone (this device)"]
    )
    # ...and names the computer in return, which the computer shows after its sync.
    mobile.get_by_role("button", name="Rename Computer").click()
    mobile.get_by_label("New name for Computer").fill("Desk")
    mobile.get_by_role("button", name="Save").click()
    expect(mobile.locator("[data-devices] li > span")).to_have_text(
        ["Desk", "Anna's phone (this device)"]
    )
    sync(computer)
    expect(desk.locator("[data-devices] li > span")).to_have_text(
        ["Desk (this device)", "Anna's phone"]
    )
