"""Push endpoints are where an account tells this server to send a request: an
attacker's script tries to point it at the server's own network, and at push
services that hang, trickle, redirect or answer 200 MB. Only push services are
stored and contacted, and a bad reminder harms only itself."""

import base64
import resource
import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from server.app import create_app
from server.models import Device, Record
from server.reminders import webpush
from server.reminders.endpoints import PushPolicy
from server.reminders.scheduler import REMINDERS, SENDS_AT_ONCE, Scheduler
from server.reminders.webpush import PushKeys, send
from server.settings import Settings
from tests.conftest import assert_error
from tests.hostile_push import HostilePush
from tests.push_service import PushService
from tests.sync_client import new_account

CONTACT = "mailto:reminders@example.org"
DEVICES = Device.__table__  # type: ignore[attr-defined]
RECORDS = Record.__table__  # type: ignore[attr-defined]
GOOD = [
    "https://fcm.googleapis.com/fcm/send/cX2Yj:APA91bH",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
    "https://web.push.apple.com/QGuD8pyUhtuNBJzRP2Gdvq",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
]
# What a script sends to reach the server's own network, or to smuggle a request.
HOSTILE = [
    "https://10.0.0.1/",
    "https://[::1]/",
    "https://169.254.169.254/latest/meta-data/",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://127.0.0.1:22/",
    "https://0x7f000001/",
    "https://2130706433/",
    "https://user:secret@fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com:8443/fcm/send/x",
    "https://fcm.googleapis.com/fcm/send/x\r\nHost: internal",
    "https://fcm.googleapis.com /x",
    "http://fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com.attacker.example/x",
    "https://fcm.googleapis.com./x",
    "https://push.apple.com/x",
    "https://evilpush.apple.com/x",
    "https://localhost/x",
    "https://example.org/push",
    "https://fcm.googleapis.com:0/x",
    "https://fcm.googleapis.com:99999/x",
]


@pytest.fixture
def settings(database: str) -> Settings:
    return Settings(
        environment="test",
        database_url=database,
        push_allow_loopback=True,
        reminders_every_seconds=0,
        push_contact=CONTACT,
    )


def schedule(subscription: dict[str, Any]) -> dict[str, Any]:
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return {
        "days": days,
        "time": "07:30",
        "time_zone": "Europe/Madrid",
        "subscription": subscription,
    }


def keys() -> dict[str, str]:
    with PushService() as service:
        return dict(service.subscription("x")["keys"])


@pytest.fixture
def strict(database: str) -> Iterator[TestClient]:
    """The server as deployed: no loopback, and one self-hosted push service."""
    settings = Settings(
        environment="test",
        database_url=database,
        reminders_every_seconds=0,
        push_services="push.example.org, *.up.example.net",
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("endpoint", HOSTILE)
def test_an_endpoint_that_is_not_a_push_service_is_refused(
    strict: TestClient, endpoint: str
) -> None:
    phone, _ = new_account(strict)
    body = schedule({"endpoint": endpoint, "keys": keys()})
    response = strict.put("/api/v1/reminders", json=body, headers=phone.headers)
    error = assert_error(response, 400, "invalid_endpoint")
    assert error["message"].startswith(("A push", "This push")), error
    assert strict.get("/api/v1/reminders", headers=phone.headers).status_code == 404


@pytest.mark.parametrize(
    "endpoint", [*GOOD, "https://push.example.org/up/1", "https://a.up.example.net/up/2"]
)
def test_the_browsers_push_services_and_the_configured_ones_are_taken(
    strict: TestClient, endpoint: str
) -> None:
    phone, _ = new_account(strict)
    body = schedule({"endpoint": endpoint, "keys": keys()})
    response = strict.put("/api/v1/reminders", json=body, headers=phone.headers)
    assert response.status_code == 200, response.text
    assert response.json()["endpoint"] == endpoint


def test_a_key_that_is_not_a_point_on_the_curve_is_refused(strict: TestClient) -> None:
    phone, _ = new_account(strict)
    off_curve = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).rstrip(b"=").decode()
    body = schedule({"endpoint": GOOD[0], "keys": keys() | {"p256dh": off_curve}})
    response = strict.put("/api/v1/reminders", json=body, headers=phone.headers)
    assert response.status_code == 422
    assert "point on the curve" in response.text


def template_account(engine: Any) -> str:
    with engine.connect() as connection:
        return str(connection.execute(select(REMINDERS.c.account_id)).first()[0])


def clock_now(engine: Any) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(REMINDERS.c.due_at)).first()[0]


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[Any]:
    """Make every name resolve to `answers`; return the connections tried."""
    tried: list[Any] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        family = socket.AF_INET6 if ":" in answers[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]

    def connect(*args: Any, **kwargs: Any) -> None:
        tried.append(args)
        raise OSError("no connection in this test")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    return tried


@pytest.mark.parametrize(
    "answers",
    [["10.1.2.3"], ["169.254.169.254"], ["127.0.0.1"], ["142.250.0.1", "192.168.1.1"], ["fd00::1"]],
)
def test_a_push_service_whose_name_now_points_inside_is_not_contacted(
    monkeypatch: pytest.MonkeyPatch, answers: list[str]
) -> None:
    """DNS can change after the endpoint was stored: the addresses are checked at send."""
    tried = fake_dns(monkeypatch, answers)
    subscription = {"endpoint": GOOD[0], "keys": keys()}
    delivery = send(subscription, {"title": "t"}, webpush.KeyPair.new(), CONTACT)
    assert delivery.refused
    assert delivery.gone  # the scheduler forgets it
    assert tried == []


def test_the_connection_goes_to_the_address_that_was_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried = fake_dns(monkeypatch, ["142.250.0.1"])
    subscription = {"endpoint": GOOD[0], "keys": keys()}
    delivery = send(subscription, {"title": "t"}, webpush.KeyPair.new(), CONTACT)
    assert delivery.status is None
    assert not delivery.refused
    assert [address for address, *_ in tried] == [("142.250.0.1", 443)]


def put(client: TestClient, endpoint: str, key_set: dict[str, str]) -> tuple[Any, str]:
    phone, _ = new_account(client)
    body = schedule({"endpoint": endpoint, "keys": key_set})
    response = client.put("/api/v1/reminders", json=body, headers=phone.headers)
    assert response.status_code == 200, response.text
    return phone, response.json()["next_at"]


def reminders_like_the_first(engine: Any, subscriptions: list[tuple[str, dict[str, str]]]) -> None:
    """More devices of the first reminder's account, each with its own subscription,
    written straight to the database (new accounts are rate-limited per address)."""
    with engine.begin() as connection:
        template = dict(connection.execute(select(REMINDERS)).mappings().one())
        for endpoint, key_set in subscriptions:
            device = str(uuid.uuid4())
            connection.execute(
                insert(DEVICES).values(
                    id=device,
                    account_id=template["account_id"],
                    name="extra",
                    token_hash=uuid.uuid4().hex * 2,
                    created_at=template["updated_at"],
                    last_seen_at=template["updated_at"],
                )
            )
            values = {**template, "device_id": device, "endpoint": endpoint, **key_set}
            connection.execute(insert(REMINDERS).values(values))


def test_hostile_push_services_harm_only_their_own_reminders(
    client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webpush, "SEND_DEADLINE", 1.0)
    engine = app.state.engine
    with PushService() as good, HostilePush() as hostile:
        first = good.subscription("g0")
        put(client, first["endpoint"], first["keys"])
        more = [good.subscription(f"g{n}") for n in (1, 2)]
        bad = ["hang"] * 9 + ["trickle", "redirect", "huge"]
        # A key stored before keys were checked: it fails only its own reminder.
        off_curve = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).rstrip(b"=").decode()
        broken = good.subscription("broken")["endpoint"]
        reminders_like_the_first(
            engine,
            [(m["endpoint"], m["keys"]) for m in more]
            + [(hostile.endpoint(b, n), keys()) for n, b in enumerate(bad)]
            + [(broken, keys() | {"p256dh": off_curve})],
        )
        account, now = template_account(engine), clock_now(engine)
        with engine.begin() as connection:
            # And a log the server would no longer take, read to see if today's routine is done.
            connection.execute(
                insert(RECORDS).values(
                    account_id=account,
                    id=str(uuid.uuid4()),
                    type="session",
                    version=1,
                    deleted=False,
                    data='{"started_at": "1735725600"}',
                    change_seq=1,
                    server_updated_at=now,
                    origin_device_id=None,
                )
            )
        due = max(row.due_at for row in engine.connect().execute(select(REMINDERS.c.due_at)))
        clock = Clock(due + timedelta(seconds=5))
        rounds = Scheduler(
            engine, PushKeys(engine), CONTACT, clock=clock, policy=PushPolicy(allow_loopback=True)
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert rounds.tick() == 3 + len(bad) + 1
        grew_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        # Every good reminder arrived, in the same round as the hostile ones.
        assert sorted(r.path.rsplit("/", 1)[-1] for r in good.received) == ["g0", "g1", "g2"]
        # The redirect was not followed, the 200 MB answer not read, the sends bounded.
        assert hostile.redirected == []
        assert hostile.sent_bytes < 64 * 1024 * 1024
        assert grew_kib < 50 * 1024
        assert 1 < hostile.most_open <= SENDS_AT_ONCE
        with engine.connect() as connection:
            rows = connection.execute(
                select(REMINDERS.c.endpoint, REMINDERS.c.attempts, REMINDERS.c.retry_at)
            ).all()
        tries = {row.endpoint: row.attempts for row in rows}
        # Those that did not answer in time are tried again later, with backoff;
        # the key that is not on the curve fails its own reminder only.
        assert tries[hostile.endpoint("hang", 0)] == 1
        assert tries[hostile.endpoint("trickle", 9)] == 1
        assert tries[broken] == 1
        assert all(tries[good.base + f"/push/g{n}"] == 0 for n in range(3))
        assert rounds.tick() == 0  # and not again in this round's minute


class Clock:
    def __init__(self, now: Any):
        self.now = now

    def __call__(self) -> Any:
        return self.now


def test_a_slow_round_keeps_its_reminders_from_other_workers(
    client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webpush, "SEND_DEADLINE", 1.0)
    engine = app.state.engine
    with HostilePush() as hostile:
        put(client, hostile.endpoint("hang", 0), keys())
        reminders_like_the_first(engine, [(hostile.endpoint("hang", n), keys()) for n in (1, 2)])
        due = max(row.due_at for row in engine.connect().execute(select(REMINDERS.c.due_at)))
        clock = Clock(due + timedelta(seconds=5))
        policy = PushPolicy(allow_loopback=True)
        first, second = (
            Scheduler(engine, PushKeys(engine), CONTACT, clock=clock, policy=policy)
            for _ in range(2)
        )
        slow = threading.Thread(target=first.tick)
        slow.start()
        while len(hostile.seen) < 3:
            threading.Event().wait(0.05)
        assert second.tick() == 0  # all three are leased to the round still sending
        slow.join()
        assert hostile.seen == ["hang"] * 3
