"""Quotas (issue 21): what one account may store and how many devices it may have,
and a push whose token is wrong costs the server nothing but the token check."""

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from server import models
from server.app import create_app
from server.settings import Settings
from tests.conftest import assert_error
from tests.sync_client import Device, new_account, session_data
from tests.test_sync import change

pytestmark = pytest.mark.both_databases


def new_id() -> str:
    return str(uuid.uuid4())


def stored_bytes(data: dict) -> int:
    """What a session takes of the byte quota: its data as the server stores it."""
    return len(json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())


@contextmanager
def limited(settings: Settings, **quotas: Any) -> Iterator[TestClient]:
    """A server with other quotas (small ones, to reach them)."""
    with TestClient(create_app(settings.model_copy(update=quotas))) as client:
        yield client


def statuses(device: Device, changes: list[dict]) -> list[tuple[str, str | None]]:
    response = device.send_push(changes)
    assert response.status_code == 200, response.text
    return [(r["status"], (r.get("error") or {}).get("code")) for r in response.json()["results"]]


def usage(app: FastAPI, account_id: str) -> tuple[int, int, int, int]:
    """The account's counters beside what its records really hold."""
    with app.state.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT record_count, record_bytes FROM accounts WHERE id = :a"),
            {"a": account_id},
        ).one()
        data = connection.execute(
            text("SELECT data FROM records WHERE account_id = :a"), {"a": account_id}
        ).scalars()
        texts = list(data)
    real = (len(texts), sum(len(t.encode()) for t in texts if t is not None))
    return (*tuple(kept), *real)  # type: ignore[return-value]


def test_past_the_record_quota_each_new_record_is_rejected_and_the_rest_apply(
    settings: Settings,
) -> None:
    with limited(settings, max_account_records=3) as client:
        phone, _ = new_account(client)
        stranger, _ = new_account(client, "stranger")
        first = [new_id() for _ in range(3)]
        created = [change(i, session_data(f"n{n}")) for n, i in enumerate(first)]
        assert statuses(phone, created) == [("applied", None)] * 3
        late, later = new_id(), new_id()
        results = statuses(
            phone,
            [
                change(late, session_data("one too many")),
                change(first[0], session_data("an edit still applies"), base=1),
                change(first[1], None, base=1, deleted=True),
                change(later, session_data("still too many: tombstones count")),
            ],
        )
        assert results == [
            ("rejected", "quota_exceeded"),
            ("applied", None),
            ("applied", None),
            ("rejected", "quota_exceeded"),
        ]
        pulled = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
        assert {c["id"] for c in pulled} == set(first)
        # The quota is the account's own: another account stores as usual.
        assert statuses(stranger, [change(late, session_data())]) == [("applied", None)]


def test_the_rejection_says_what_the_limit_is(settings: Settings) -> None:
    with limited(settings, max_account_records=2) as client:
        phone, _ = new_account(client)
        phone.send_push([change(new_id(), session_data()) for _ in range(2)])
        [result] = phone.send_push([change(new_id(), session_data())]).json()["results"]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "quota_exceeded"
    assert "(2;" in result["error"]["message"]
    assert "records" in result["error"]["message"]


def test_past_the_byte_quota_a_change_that_grows_is_rejected_one_that_shrinks_applies(
    settings: Settings,
) -> None:
    small, big = session_data("x" * 10), session_data("x" * 900)
    limit = stored_bytes(small) + stored_bytes(big) + 50
    app = create_app(settings.model_copy(update={"max_account_bytes": limit}))
    with TestClient(app) as client:
        phone, account = new_account(client)
        a, b, c = new_id(), new_id(), new_id()
        assert statuses(phone, [change(a, small), change(b, big), change(c, big)]) == [
            ("applied", None),
            ("applied", None),
            ("rejected", "quota_exceeded"),
        ]
        # Growing a record past the limit is refused; shrinking one, or a delete, never.
        assert statuses(
            phone,
            [
                change(a, big, base=1),
                change(b, small, base=1),
                change(c, big),
                change(a, None, base=1, deleted=True),
                change(c, big),
            ],
        ) == [
            ("rejected", "quota_exceeded"),
            ("applied", None),
            ("rejected", "quota_exceeded"),
            ("applied", None),
            ("applied", None),  # the delete made room
        ]
        kept_count, kept_bytes, real_count, real_bytes = usage(app, account["account_id"])
        assert (kept_count, kept_bytes) == (real_count, real_bytes)
        assert kept_bytes <= limit


def test_the_counts_follow_every_kind_of_change(client: TestClient, app: FastAPI) -> None:
    phone, account = new_account(client)
    ids = [new_id() for _ in range(4)]
    phone.send_push([change(i, session_data(f"note {n}")) for n, i in enumerate(ids)])
    phone.send_push(
        [
            change(ids[0], session_data("a longer note than before"), base=1),
            change(ids[1], None, base=1, deleted=True),
            change(ids[2], session_data("note 2")),  # a duplicate changes nothing
            change(ids[3], session_data("stale"), base=0),  # a conflict neither
            change(new_id(), None, deleted=True),  # a tombstone of a record never seen
            change(ids[0].upper(), session_data("the same record in capitals"), base=2),
        ]
    )
    kept_count, kept_bytes, real_count, real_bytes = usage(app, account["account_id"])
    assert (kept_count, kept_bytes) == (real_count, real_bytes) == (5, real_bytes)


def test_pairing_stops_at_the_device_cap_and_resumes_when_one_is_removed(
    settings: Settings,
) -> None:
    with limited(settings, max_devices=2) as client:
        phone, _ = new_account(client)
        codes = [
            client.post("/api/v1/pairings", headers=phone.headers).json()["code"] for _ in "ab"
        ]

        def redeem(code: str) -> Any:
            return client.post("/api/v1/pairings/redeem", json={"code": code, "device_name": "t"})

        assert redeem(codes[0]).status_code == 201
        # At the cap: no new code, and a code made before cannot add a third device.
        assert_error(
            client.post("/api/v1/pairings", headers=phone.headers), 409, "too_many_devices"
        )
        error = assert_error(redeem(codes[1]), 409, "too_many_devices")
        assert "(2)" in error["message"]
        devices = client.get("/api/v1/devices", headers=phone.headers).json()["devices"]
        assert len(devices) == 2
        tablet = next(d for d in devices if not d["current"])
        client.delete(f"/api/v1/devices/{tablet['device_id']}", headers=phone.headers)
        # The refused code was not used up: it lets a device in once there is room.
        assert redeem(codes[1]).status_code == 201


def test_twenty_devices_are_the_default_cap(client: TestClient, app: FastAPI) -> None:
    phone, account = new_account(client)
    assert client.post("/api/v1/pairings", headers=phone.headers).status_code == 201
    with Session(app.state.engine) as session:  # 19 more, past the pairing rate limit
        for n in range(19):
            session.add(
                models.Device(
                    id=new_id(), account_id=account["account_id"], name=f"d{n}", token_hash=f"{n}"
                )
            )
        session.commit()
    assert_error(client.post("/api/v1/pairings", headers=phone.headers), 409, "too_many_devices")


BAD = {"Authorization": "Bearer not-a-token", "content-type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [
        b"{" * 1_000_000,  # not JSON: answered 422 to a caller with a good token
        b'{"changes": [' + b'{"id": "x"},' * 80_000 + b'{"id": "x"}]}',  # 413 too_many_changes
        b'{"changes": "none"}',
    ],
    ids=["not JSON", "too many changes", "no list"],
)
def test_a_push_with_a_wrong_token_is_401_whatever_its_body(
    client: TestClient, body: bytes
) -> None:
    assert_error(client.post("/api/v1/sync/push", content=body, headers=BAD), 401, "unauthorized")
    headers = {k: v for k, v in BAD.items() if k != "Authorization"}
    assert_error(
        client.post("/api/v1/sync/push", content=body, headers=headers), 401, "unauthorized"
    )


def test_a_push_with_a_wrong_token_is_401_before_its_body_is_read(client: TestClient) -> None:
    # A chunked body past the 1 MiB limit: reading it would answer 413; the
    # token is checked first, so no byte of it is read.
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    response = client.post("/api/v1/sync/push", content=chunks(), headers=BAD)
    assert_error(response, 401, "unauthorized")
    phone, _ = new_account(client)
    good = {**BAD, **phone.headers}
    assert_error(
        client.post("/api/v1/sync/push", content=chunks(), headers=good), 413, "payload_too_large"
    )
