"""Reminders in the browser: days and time in Settings, the calendar file read by a
real parser, push turned on by a tap, and the service worker's push and
notification-tap handlers driven through the DevTools protocol."""

import base64
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
from dateutil.rrule import rrulestr
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import (
    READ_META,
    READ_SETTINGS,
    SPIES,
    go_offline,
    wait_for_control,
    wait_until,
)
from tests.browser.test_habit import seed
from tests.browser.test_pages import assert_accessible

MADRID = ZoneInfo("Europe/Madrid")

# Chromium subscribes through its vendor's push service, which no test machine
# reaches; this stands in for that one call, with a subscription as
# PushSubscription.toJSON() gives it. Everything after it is real.
FAKE_PUSH_SERVICE = """
window.__permissionAsked = 0;
const ask = Notification.requestPermission.bind(Notification);
Notification.requestPermission = (...args) => {
  window.__permissionAsked += 1;
  return ask(...args);
};
PushManager.prototype.subscribe = async function (options) {
  window.__applicationServerKey = Array.from(new Uint8Array(options.applicationServerKey));
  return {
    endpoint: "https://push.invalid/subscription/1",
    toJSON() {
      return { endpoint: this.endpoint, expirationTime: null, keys: {
        p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1Xbj"
          + "hazAkj7I99e8QcYP7DkM",
        auth: "tBHItJI5svbpez7KI4CCXg" } };
    },
    unsubscribe: async () => true,
  };
};
"""


@pytest.fixture
def madrid(browser: Browser) -> Iterator[BrowserContext]:
    """A phone in Madrid that has allowed notifications."""
    context = browser.new_context(viewport=PHONE, has_touch=True, timezone_id="Europe/Madrid")
    context.add_init_script(SPIES)
    yield context
    context.close()


def choose(page: Page, days: list[str], time: str) -> None:
    reminders = page.locator("#reminders")
    for day in days:
        reminders.get_by_label(day).check()
    reminders.get_by_label("Time").fill(time)
    reminders.get_by_label("Time").dispatch_event("change")


def calendar(page: Page) -> icalendar.Calendar:
    with page.expect_download() as download:
        page.get_by_role("button", name="Add to calendar").click()
    assert download.value.suggested_filename.endswith(".ics")
    raw = download.value.path().read_bytes()
    assert b"\r\n" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    return icalendar.Calendar.from_ical(raw)


def test_days_and_time_are_kept_and_the_calendar_file_is_one_weekly_event(
    madrid: BrowserContext, base_url: str
) -> None:
    page = madrid.new_page()
    page.goto(base_url + "/settings")
    expect(page.get_by_role("heading", name="Reminders")).to_be_visible()
    expect(page.locator("[data-time-zone]")).to_contain_text("Europe/Madrid")
    choose(page, ["Monday", "Wednesday", "Friday"], "07:30")
    wait_until(page, "() => document.querySelector('[data-reminder-message]').textContent !== ''")
    settings = page.evaluate(READ_SETTINGS)
    assert settings["reminders"] == {
        "days": ["mon", "wed", "fri"],
        "time": "07:30",
        "time_zone": "Europe/Madrid",
    }
    page.reload()
    expect(page.locator("#reminders").get_by_label("Wednesday")).to_be_checked()
    expect(page.locator("#reminders").get_by_label("Tuesday")).not_to_be_checked()
    expect(page.locator("#reminders").get_by_label("Time")).to_have_value("07:30")

    first = calendar(page)
    [event] = first.walk("VEVENT")
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["BYDAY"]) == (["WEEKLY"], ["MO", "WE", "FR"])
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (7, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert str(event["URL"]) == base_url + "/workout"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(0)
    assert str(alarm["ACTION"]) == "DISPLAY"
    # Its own VTIMEZONE says what Madrid's clocks do: +01:00 in winter, +02:00 in summer.
    [zone] = first.walk("VTIMEZONE")
    tz = zone.to_tz()
    assert tz.utcoffset(datetime(2027, 1, 15, 12)) == timedelta(hours=1)
    assert tz.utcoffset(datetime(2027, 7, 15, 12)) == timedelta(hours=2)
    # A year of occurrences: Mondays, Wednesdays and Fridays at 07:30 in Madrid,
    # across both clock changes.
    naive = start.replace(tzinfo=None)
    for moment in list(rrulestr(rule.to_ical().decode(), dtstart=naive))[:160]:
        local = moment.replace(tzinfo=MADRID)
        assert local.strftime("%a %H:%M") in {"Mon 07:30", "Wed 07:30", "Fri 07:30"}
    # The same UID every time: importing it again updates the event.
    [again] = calendar(page).walk("VEVENT")
    assert str(again["UID"]) == str(event["UID"])
    assert int(again["SEQUENCE"]) >= int(event["SEQUENCE"])
    assert_accessible(page)


def test_notifications_wait_for_sync_and_are_never_asked_for_on_load(
    madrid: BrowserContext, base_url: str
) -> None:
    madrid.add_init_script(FAKE_PUSH_SERVICE)
    page = madrid.new_page()
    page.goto(base_url + "/settings")
    toggle = page.get_by_label("Notify me on this device")
    expect(page.locator("[data-push-hint]")).to_contain_text("turn sync on")
    expect(toggle).to_be_disabled()
    assert page.evaluate("() => window.__permissionAsked") == 0


def turn_on_sync(page: Page) -> str:
    page.get_by_label("A name for this device").fill("Phone")
    page.get_by_role("button", name="Turn on sync").click()
    page.get_by_role("button", name="I have saved it").click()
    expect(page.locator("[data-devices]")).to_contain_text("Phone (this device)")
    return str(page.evaluate(READ_META, "sync")["token"])


def test_turning_notifications_on_gives_the_server_this_devices_schedule(
    madrid: BrowserContext, base_url: str, page_errors: list[str]
) -> None:
    madrid.grant_permissions(["notifications"], origin=base_url)
    madrid.add_init_script(FAKE_PUSH_SERVICE)
    page = madrid.new_page()
    page.goto(base_url + "/settings")
    token = turn_on_sync(page)
    choose(page, ["Monday", "Wednesday", "Friday"], "07:30")
    toggle = page.get_by_label("Notify me on this device")
    expect(toggle).to_be_enabled()
    assert page.evaluate("() => window.__permissionAsked") == 0
    toggle.check()
    expect(page.locator("[data-reminder-message]")).to_have_text(
        re.compile(r"Notifications on\. The next one: (Monday|Wednesday|Friday) 7:30")
    )
    assert page.evaluate("() => window.__permissionAsked") == 1
    key = httpx.get(base_url + "/api/v1/push/key").json()["public_key"]
    sent_key = bytes(page.evaluate("() => window.__applicationServerKey"))
    assert len(sent_key) == 65
    assert sent_key == base64.urlsafe_b64decode(key + "=")

    def on_server() -> httpx.Response:
        return httpx.get(
            base_url + "/api/v1/reminders", headers={"Authorization": f"Bearer {token}"}
        )

    stored = on_server().json()
    assert (stored["days"], stored["time"], stored["time_zone"]) == (
        ["mon", "wed", "fri"],
        "07:30",
        "Europe/Madrid",
    )
    local = datetime.fromisoformat(stored["next_at"]).astimezone(MADRID)
    assert local.strftime("%a %H:%M") in {"Mon 07:30", "Wed 07:30", "Fri 07:30"}
    # A change of days goes to the server too.
    page.locator("#reminders").get_by_label("Monday").uncheck()
    wait_until(
        page,
        "() => /Notifications on/.test(document.querySelector('[data-reminder-message]')"
        ".textContent)",
    )
    for _ in range(50):
        if on_server().json()["days"] == ["wed", "fri"]:
            break
        page.wait_for_timeout(100)
    assert on_server().json()["days"] == ["wed", "fri"]
    toggle.uncheck()
    expect(page.locator("[data-reminder-message]")).to_have_text("Notifications off.")
    assert on_server().status_code == 404
    page.reload()
    expect(page.get_by_label("Notify me on this device")).not_to_be_checked()


def test_a_push_shows_the_reminder_and_a_tap_opens_the_workout(
    madrid: BrowserContext, base_url: str
) -> None:
    madrid.grant_permissions(["notifications"], origin=base_url)
    page = madrid.new_page()
    page.goto(base_url + "/")
    wait_for_control(page)
    cdp = madrid.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(r["registrationId"] for r in event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(50)
    message = {"title": "Time for your back routine", "body": "Five exercises.", "url": "/workout"}
    [worker] = madrid.service_workers
    shown: list = []
    # DevTools drops a push sent before it has attached to the worker: send
    # again until one arrives (one tag: a second would replace the first).
    for _ in range(20):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": base_url, "registrationId": registrations[0], "data": json.dumps(message)},
        )
        page.wait_for_timeout(250)
        shown = worker.evaluate(
            """async () => (await self.registration.getNotifications()).map((n) => ({
                title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data }))"""
        )
        if shown:
            break
    assert shown == [
        {
            "title": "Time for your back routine",
            "body": "Five exercises.",
            "tag": "reminder",
            "icon": shown[0]["icon"],
            "data": {"url": "/workout"},
        }
    ]
    assert re.search(r"/static/icons/icon-192\.\w+\.png$", shown[0]["icon"]), shown[0]["icon"]
    # A tap: the notificationclick handler, with the notification just shown.
    worker.evaluate(
        """async () => {
          const [notification] = await self.registration.getNotifications();
          try {
            self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
          } catch (error) {
            // A test's event is not trusted, so waitUntil refuses it; the handler has run.
          }
        }"""
    )
    page.wait_for_url(base_url + "/workout")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_on_a_routine_day_with_no_session_yet_home_says_so(
    madrid: BrowserContext, base_url: str
) -> None:
    page = madrid.new_page()
    page.goto(base_url + "/settings")
    today = page.evaluate("() => new Date().toLocaleDateString('en-GB', { weekday: 'long' })")
    choose(page, [today], "07:30")
    wait_until(page, "() => document.querySelector('[data-reminder-message]').textContent !== ''")
    page.goto(base_url + "/")
    line = page.locator("[data-routine-day]")
    expect(line).to_have_text("Today is one of your routine days.")
    expect(page.get_by_role("link", name="Start workout")).to_be_visible()
    # Once today's session is logged, the line goes.
    now = page.evaluate("() => new Date().toISOString()")
    seed(page, {"at": now, "before": 2, "after": 2, "reps": "min"})
    expect(page.locator("[data-week-count]")).to_contain_text("1 of 3")
    expect(line).to_have_text("")


def test_the_calendar_file_is_made_offline(madrid: BrowserContext, base_url: str) -> None:
    page = madrid.new_page()
    go_offline(page, madrid, base_url)
    page.goto(base_url + "/settings")
    choose(page, ["Saturday"], "09:15")
    [event] = calendar(page).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["SA"]
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, start.strftime("%a")) == (9, 15, "Sat")
