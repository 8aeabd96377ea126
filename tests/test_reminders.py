"""Push reminders: the API, and the scheduler sending through a strict local push service."""

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from gettext import NullTranslations
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from server import i18n
from server.app import create_app
from server.db import make_engine
from server.i18n import Language
from server.reminders.endpoints import PushPolicy
from server.reminders.scheduler import REMINDERS, Scheduler, message
from server.reminders.webpush import PushKeys, b64url_decode
from server.settings import Settings
from server.sync.records import WEEKDAYS
from server.sync.store import RECORDS
from tests.conftest import assert_error
from tests.live import live_server
from tests.push_service import PushService
from tests.sync_client import new_account, pair, session_data

pytestmark = pytest.mark.both_databases

CONTACT = "mailto:reminders@example.org"
MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def settings(database: str) -> Settings:
    return Settings(
        environment="test",
        database_url=database,
        push_allow_loopback=True,
        reminders_every_seconds=0,  # the tests run the scheduler's rounds themselves
        push_contact=CONTACT,
    )


@pytest.fixture
def push() -> Iterator[PushService]:
    with PushService() as service:
        yield service


# The reminder as English words it.
MESSAGE = message(Language(i18n.SOURCE, "English", NullTranslations()))


def schedule(subscription: dict, days=("mon", "wed", "fri"), at="07:30", zone="Europe/Madrid"):
    return {"days": list(days), "time": at, "time_zone": zone, "subscription": subscription}


def when(body: dict) -> datetime:
    return datetime.fromisoformat(body["next_at"])


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def scheduler(app: FastAPI, clock: Clock) -> Scheduler:
    return Scheduler(
        app.state.engine,
        PushKeys(app.state.engine),
        CONTACT,
        clock=clock,
        policy=PushPolicy(allow_loopback=True),
    )


# The API


def test_a_device_sets_gets_replaces_and_stops_its_reminder(
    client: TestClient, push: PushService
) -> None:
    phone, _ = new_account(client)
    put = client.put(
        "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
    )
    assert put.status_code == 200, put.text
    body = put.json()
    assert (body["days"], body["time"], body["time_zone"]) == (
        ["mon", "wed", "fri"],
        "07:30",
        "Europe/Madrid",
    )
    # 07:30 in Madrid on a Monday, Wednesday or Friday, in UTC.
    local = when(body).astimezone(MADRID)
    assert local.strftime("%a %H:%M") in {"Mon 07:30", "Wed 07:30", "Fri 07:30"}, local
    assert client.get("/api/v1/reminders", headers=phone.headers).json() == body
    again = client.put(
        "/api/v1/reminders",
        json=schedule(push.subscription("phone"), days=["sun"], at="18:00"),
        headers=phone.headers,
    ).json()
    assert (again["days"], again["time"]) == (["sun"], "18:00")
    assert client.delete("/api/v1/reminders", headers=phone.headers).status_code == 204
    assert_error(client.get("/api/v1/reminders", headers=phone.headers), 404, "no_reminder")


def test_reminders_need_a_device_token(client: TestClient, push: PushService) -> None:
    assert_error(
        client.put("/api/v1/reminders", json=schedule(push.subscription("x"))), 401, "unauthorized"
    )
    assert_error(client.get("/api/v1/reminders"), 401, "unauthorized")
    assert_error(client.delete("/api/v1/reminders"), 401, "unauthorized")


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.invalid/send/1",
        "ftp://push.invalid/x",
        "javascript:alert(1)",
        "https:///no-host",
        "not a url",
    ],
)
def test_an_endpoint_that_is_not_https_is_a_clear_400(
    client: TestClient, push: PushService, endpoint: str
) -> None:
    phone, _ = new_account(client)
    subscription = push.subscription("phone") | {"endpoint": endpoint}
    response = client.put("/api/v1/reminders", json=schedule(subscription), headers=phone.headers)
    error = assert_error(response, 400, "invalid_endpoint")
    assert error["message"].startswith(("A push", "This push")), error


def test_loopback_endpoints_only_when_the_test_setting_allows_them(database: str) -> None:
    with TestClient(create_app(Settings(environment="test", database_url=database))) as client:
        phone, _ = new_account(client)
        with PushService() as service:
            response = client.put(
                "/api/v1/reminders", json=schedule(service.subscription("p")), headers=phone.headers
            )
        assert_error(response, 400, "invalid_endpoint")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"days": []}, "days"),
        ({"days": ["mon", "mon"]}, "days"),
        ({"days": ["monday"]}, "days"),
        ({"time": "7:30"}, "time"),
        ({"time": "24:00"}, "time"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        (
            {
                "subscription": {
                    "endpoint": "https://push.invalid/1",
                    "keys": {"p256dh": "AAAA", "auth": "AAAA"},
                }
            },
            "p256dh",
        ),
    ],
)
def test_a_bad_schedule_or_subscription_is_422_naming_the_field(
    client: TestClient, push: PushService, change: dict, field: str
) -> None:
    phone, _ = new_account(client)
    response = client.put(
        "/api/v1/reminders", json=schedule(push.subscription("p")) | change, headers=phone.headers
    )
    error = assert_error(response, 422, "invalid_request")
    assert field in str(error.get("fields")) + error["message"]
    assert_error(client.get("/api/v1/reminders", headers=phone.headers), 404, "no_reminder")


def test_the_vapid_key_is_made_once_and_kept_across_restarts_and_workers(
    settings: Settings,
) -> None:
    with TestClient(create_app(settings)) as first:
        key = first.get("/api/v1/push/key").json()["public_key"]
    with TestClient(create_app(settings)) as second, TestClient(create_app(settings)) as third:
        assert second.get("/api/v1/push/key").json()["public_key"] == key
        assert third.get("/api/v1/push/key").json()["public_key"] == key
    raw = b64url_decode(key)
    assert (len(raw), raw[0]) == (65, 4)  # an uncompressed P-256 point


def test_reminders_die_with_their_device_and_their_account(
    client: TestClient, push: PushService
) -> None:
    phone, account = new_account(client)
    tablet = pair(client, phone, "tablet")
    for device in (phone, tablet):
        client.put(
            "/api/v1/reminders",
            json=schedule(push.subscription(device.name)),
            headers=device.headers,
        )
    devices = client.get("/api/v1/devices", headers=phone.headers).json()["devices"]
    tablet_id = next(d["device_id"] for d in devices if not d["current"])
    assert client.delete(f"/api/v1/devices/{tablet_id}", headers=phone.headers).status_code == 204
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        left = connection.execute(text("SELECT device_id FROM reminders")).scalars().all()
    assert left == [account["device_id"]]
    assert client.delete("/api/v1/account", headers=phone.headers).status_code == 204
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM reminders")).scalar() == 0


# The scheduler


def test_a_due_reminder_is_sent_once_signed_and_encrypted_then_the_next_day_is_due(
    client: TestClient, app: FastAPI, push: PushService
) -> None:
    phone, _ = new_account(client)
    body = client.put(
        "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
    ).json()
    due = when(body)
    clock = Clock(due - timedelta(minutes=1))
    rounds = scheduler(app, clock)
    assert rounds.tick() == 0
    assert push.received == []
    clock.now = due + timedelta(seconds=5)
    assert rounds.tick() == 1
    assert rounds.tick() == 0  # sent once, however often the rounds come
    [received] = push.received
    assert received.message == MESSAGE
    assert received.message["url"] == "/workout"
    assert received.claims["key"] == client.get("/api/v1/push/key").json()["public_key"]
    assert received.claims["sub"] == CONTACT
    assert received.headers["topic"] == "reminder"
    following = when(client.get("/api/v1/reminders", headers=phone.headers).json())
    assert following > due
    local = following.astimezone(MADRID)
    assert local.strftime("%a %H:%M") in {"Mon 07:30", "Wed 07:30", "Fri 07:30"}
    assert timedelta(days=2, hours=-1) <= following - due <= timedelta(days=3, hours=1)


def test_a_reminder_speaks_the_language_of_the_accounts_settings(
    client: TestClient, app: FastAPI, push: PushService
) -> None:
    phone, _ = new_account(client)
    settings = {"weekly_goal": 3, "voice": True, "beeps": True, "vibration": True}
    change = {
        "id": "00000000-0000-4000-8000-000000000001",
        "type": "settings",
        "base_version": 0,
        "deleted": False,
        "data": settings | {"tempo": "normal", "language": "es"},
    }
    assert phone.send_push([change]).json()["results"][0]["status"] == "applied"
    body = client.put(
        "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
    ).json()
    rounds = scheduler(app, Clock(when(body) + timedelta(seconds=5)))
    assert rounds.tick() == 1
    [received] = push.received
    spanish = app.state.languages["es"].translations.gettext
    assert received.message == {
        "title": spanish("Time for your back routine"),
        "body": spanish("Five exercises on your mat, at your own pace."),
        "url": "/es/workout",
    }
    assert received.message["title"] != MESSAGE["title"]


def test_two_schedulers_racing_on_one_database_send_each_reminder_once(
    client: TestClient, app: FastAPI, settings: Settings, push: PushService
) -> None:
    dues = []
    for n in range(8):
        device, _ = new_account(client, f"phone {n}")
        body = client.put(
            "/api/v1/reminders",
            json=schedule(
                push.subscription(f"p{n}"),
                days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                zone="UTC",
                at="06:00",
            ),
            headers=device.headers,
        ).json()
        dues.append(when(body))
    clock = Clock(max(dues) + timedelta(seconds=1))
    # Two workers: each its own engine, as separate processes would have.
    engines = [make_engine(settings.database_url) for _ in range(2)]
    workers = [
        Scheduler(e, PushKeys(e), CONTACT, clock=clock, policy=PushPolicy(allow_loopback=True))
        for e in engines
    ]
    start = threading.Barrier(2)

    def run(worker: Scheduler) -> None:
        start.wait()
        for _ in range(3):
            worker.tick()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for engine in engines:
        engine.dispose()
    assert sorted(r.path for r in push.received) == sorted(f"/push/p{n}" for n in range(8))


def test_no_reminder_on_a_day_the_routine_is_already_synced(
    client: TestClient, app: FastAPI, push: PushService
) -> None:
    phone, _ = new_account(client)
    # A zone where it is now about noon, so that 07:00 there today is past
    # (the server refuses a session that starts in the future) and 18:00 is
    # still to come, whatever the hour the suite runs at.
    zone = f"Etc/GMT{datetime.now(UTC).hour - 12:+d}"
    body = client.put(
        "/api/v1/reminders",
        json=schedule(push.subscription("phone"), days=WEEKDAYS, zone=zone, at="18:00"),
        headers=phone.headers,
    ).json()
    due = when(body).astimezone(ZoneInfo(zone))
    # A session done that morning, synced that morning.
    morning = due.replace(hour=7)
    log = session_data("done early") | {
        "started_at": morning.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "ended_at": None,
    }
    pushed = phone.send_push(
        [
            {
                "id": "6f1c8a52-5a51-4c6e-9d0f-2c3f4b6a7d81",
                "type": "session",
                "base_version": 0,
                "deleted": False,
                "data": log,
            }
        ]
    )
    assert pushed.status_code == 200
    assert [r["status"] for r in pushed.json()["results"]] == ["applied"], pushed.json()
    engine = app.state.engine
    with engine.begin() as connection:
        connection.execute(update(RECORDS).values(server_updated_at=morning.astimezone(UTC)))
    clock = Clock(due + timedelta(seconds=5))
    assert scheduler(app, clock).tick() == 1
    assert push.received == []
    assert when(client.get("/api/v1/reminders", headers=phone.headers).json()) > due
    with engine.connect() as connection:
        assert connection.execute(text("SELECT outcome FROM reminders_sent")).scalar() == "skipped"


def test_a_subscription_the_push_service_says_is_gone_is_removed(
    client: TestClient, app: FastAPI, push: PushService
) -> None:
    phone, _ = new_account(client)
    due = when(
        client.put(
            "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
        ).json()
    )
    push.status["phone"] = 410
    assert scheduler(app, Clock(due + timedelta(seconds=5))).tick() == 1
    assert_error(client.get("/api/v1/reminders", headers=phone.headers), 404, "no_reminder")


def test_a_busy_push_service_is_retried_with_backoff_never_hammered(
    client: TestClient, app: FastAPI, push: PushService
) -> None:
    phone, _ = new_account(client)
    due = when(
        client.put(
            "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
        ).json()
    )
    push.status["phone"] = 503
    clock = Clock(due + timedelta(seconds=5))
    rounds = scheduler(app, clock)
    assert rounds.tick() == 1
    for _ in range(5):  # rounds every few seconds do not try again
        clock.now += timedelta(seconds=10)
        assert rounds.tick() == 0
    clock.now = due + timedelta(minutes=1, seconds=6)
    assert rounds.tick() == 1  # second try after a minute: still busy
    clock.now += timedelta(minutes=1)
    assert rounds.tick() == 0  # the next wait is two minutes
    del push.status["phone"]
    clock.now += timedelta(minutes=1, seconds=1)
    assert rounds.tick() == 1
    assert len(push.received) == 3  # two refused, one delivered
    assert when(client.get("/api/v1/reminders", headers=phone.headers).json()) > due


def test_a_reminder_missed_while_the_server_was_down_is_not_sent_hours_late(
    client: TestClient, app: FastAPI, push: PushService
) -> None:
    phone, _ = new_account(client)
    due = when(
        client.put(
            "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
        ).json()
    )
    assert scheduler(app, Clock(due + timedelta(hours=7))).tick() == 1
    assert push.received == []
    assert when(client.get("/api/v1/reminders", headers=phone.headers).json()) > due + timedelta(
        hours=7
    )


def test_a_schedule_changed_on_another_device_moves_every_devices_reminders(
    client: TestClient, push: PushService
) -> None:
    phone, _ = new_account(client)
    tablet = pair(client, phone, "tablet")
    client.put(
        "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
    )
    settings = {
        "weekly_goal": 3,
        "voice": True,
        "beeps": True,
        "vibration": True,
        "tempo": "normal",
        "reminders": {"days": ["tue"], "time": "18:00", "time_zone": "America/New_York"},
    }
    change = {
        "id": "00000000-0000-4000-8000-000000000001",
        "type": "settings",
        "base_version": 0,
        "deleted": False,
        "data": settings,
    }
    assert tablet.send_push([change]).json()["results"][0]["status"] == "applied"
    moved = client.get("/api/v1/reminders", headers=phone.headers).json()
    assert (moved["days"], moved["time"], moved["time_zone"]) == (
        ["tue"],
        "18:00",
        "America/New_York",
    )
    local = when(moved).astimezone(ZoneInfo("America/New_York"))
    assert local.strftime("%a %H:%M") == "Tue 18:00"
    # No days: no more reminders.
    settings["reminders"]["days"] = []
    change |= {"base_version": 1, "data": settings}
    assert tablet.send_push([change]).json()["results"][0]["status"] == "applied"
    assert_error(client.get("/api/v1/reminders", headers=phone.headers), 404, "no_reminder")


def test_a_server_with_two_workers_sends_a_due_reminder_once(
    database: str, push: PushService
) -> None:
    """The real server (uvicorn, two worker processes, their schedulers every 0.2 s)."""
    with (
        live_server(
            database,
            WORKERS="2",
            REMINDERS_EVERY_SECONDS="0.2",
            PUSH_ALLOW_LOOPBACK="true",
            PUSH_CONTACT=CONTACT,
        ) as base,
        httpx.Client(base_url=base) as http,
    ):
        phone, _ = new_account(http)
        put = http.put(
            "/api/v1/reminders", json=schedule(push.subscription("phone")), headers=phone.headers
        )
        assert put.status_code == 200, put.text
        engine = make_engine(database)
        with engine.begin() as connection:  # due a moment ago, rather than at the next 07:30
            connection.execute(
                update(REMINDERS).values(due_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        engine.dispose()
        deadline = time.monotonic() + 15
        while not push.received and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # several more rounds of both schedulers
        assert len(push.received) == 1
        following = when(http.get("/api/v1/reminders", headers=phone.headers).json())
        assert following > datetime.now(UTC)
