"""Accounts without sign-up, pairing, recovery, devices: and who may touch what."""

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.models import Account, Device, PairingCode, Record
from server.tokens import digest
from tests.conftest import assert_error
from tests.sync_client import Device as Client
from tests.sync_client import new_account, pair, session_data

pytestmark = pytest.mark.both_databases


def test_turning_sync_on_creates_an_account_and_a_device(client: TestClient, app) -> None:
    response = client.post("/api/v1/accounts", json={"device_name": "  Anna's phone "})
    assert response.status_code == 201
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"account_id", "device_id", "token", "recovery_code"}
    assert len(body["token"]) >= 43  # 256 bits, base64url
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}", body["recovery_code"])
    with Session(app.state.engine) as session:
        device = session.exec(select(Device)).one()
        account = session.exec(select(Account)).one()
    assert device.name == "Anna's phone"
    # Only hashes are stored.
    assert device.token_hash == digest(body["token"])
    assert body["token"] not in device.token_hash
    assert account.recovery_hash != body["recovery_code"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"device_name": ""},
        {"device_name": "x" * 61},
        {"device_name": "ok", "email": "a@b.c"},
        # Found by fuzzing on PostgreSQL, which refuses NUL in text: a 422, not a 500.
        {"device_name": "pho\x00ne"},
        {"device_name": "line\nbreak"},
    ],
)
def test_account_needs_a_sensible_device_name(client: TestClient, payload: dict) -> None:
    assert_error(client.post("/api/v1/accounts", json=payload), 422, "invalid_request")


def test_pairing_lets_exactly_one_more_device_join(client: TestClient) -> None:
    phone, account = new_account(client)
    response = client.post("/api/v1/pairings", headers=phone.headers)
    assert response.status_code == 201
    pairing = response.json()
    assert re.fullmatch(
        r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}", pairing["code"]
    )
    expires = datetime.fromisoformat(pairing["expires_at"])
    assert timedelta(minutes=9) < expires - datetime.now(UTC) <= timedelta(minutes=10)
    # Typed in lower case with spaces: still the same code.
    typed = pairing["code"].lower().replace("-", " ")
    joined = client.post("/api/v1/pairings/redeem", json={"code": typed, "device_name": "tablet"})
    assert joined.status_code == 201
    assert joined.json()["account_id"] == account["account_id"]
    again = client.post(
        "/api/v1/pairings/redeem", json={"code": pairing["code"], "device_name": "thief"}
    )
    assert_error(again, 400, "invalid_pairing_code")


def test_expired_and_guessed_pairing_codes_are_refused(client: TestClient, app) -> None:
    phone, _ = new_account(client)
    code = client.post("/api/v1/pairings", headers=phone.headers).json()["code"]
    with Session(app.state.engine) as session:
        row = session.exec(select(PairingCode)).one()
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)
        session.commit()
    late = client.post("/api/v1/pairings/redeem", json={"code": code, "device_name": "tablet"})
    assert_error(late, 400, "invalid_pairing_code")
    guess = client.post(
        "/api/v1/pairings/redeem", json={"code": "AAAA-BBBB-CC", "device_name": "tablet"}
    )
    assert_error(guess, 400, "invalid_pairing_code")


def test_guessing_codes_is_rate_limited_per_address(client: TestClient) -> None:
    for _ in range(10):
        response = client.post(
            "/api/v1/pairings/redeem", json={"code": "AAAA-BBBB-CC", "device_name": "x"}
        )
        assert response.status_code == 400
    blocked = client.post(
        "/api/v1/pairings/redeem", json={"code": "AAAA-BBBB-CC", "device_name": "x"}
    )
    assert_error(blocked, 429, "too_many_requests")
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    for _ in range(10):
        client.post("/api/v1/recovery", json={"recovery_code": "NOPE", "device_name": "x"})
    assert_error(
        client.post("/api/v1/recovery", json={"recovery_code": "NOPE", "device_name": "x"}),
        429,
        "too_many_requests",
    )


def test_recovery_code_brings_a_new_device_in(client: TestClient) -> None:
    phone, account = new_account(client)
    record_id = phone.create(session_data("before the phone was lost"))
    phone.push()
    response = client.post(
        "/api/v1/recovery",
        json={"recovery_code": account["recovery_code"].lower(), "device_name": "new phone"},
    )
    assert response.status_code == 201
    assert response.json()["account_id"] == account["account_id"]
    new_phone = Client(client, response.json()["token"])
    new_phone.pull()
    assert new_phone.live()[record_id]["notes"] == "before the phone was lost"
    wrong = client.post("/api/v1/recovery", json={"recovery_code": "0000-0000", "device_name": "x"})
    assert_error(wrong, 400, "invalid_recovery_code")


def recover(client: TestClient, code: str, name: str = "new phone") -> httpx.Response:
    return client.post("/api/v1/recovery", json={"recovery_code": code, "device_name": name})


def test_a_recovery_code_can_be_replaced_and_the_old_one_dies_at_once(client: TestClient) -> None:
    phone, account = new_account(client)
    old = account["recovery_code"]
    # Until replaced, the code lets in a device each time it is used: it is the
    # way back when every device is lost, and may be needed more than once.
    assert recover(client, old, "first try").status_code == 201
    assert recover(client, old, "second try").status_code == 201

    response = client.post("/api/v1/account/recovery-code", headers=phone.headers)
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    assert set(response.json()) == {"recovery_code"}
    new = response.json()["recovery_code"]
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}", new)
    assert new != old
    assert_error(recover(client, old), 400, "invalid_recovery_code")
    joined = recover(client, new.lower().replace("-", " "))
    assert joined.status_code == 201
    assert joined.json()["account_id"] == account["account_id"]

    # Any device of the account may replace it, a recovered one too; the code
    # before is refused from then on.
    again = Client(client, joined.json()["token"])
    newest = client.post("/api/v1/account/recovery-code", headers=again.headers).json()
    assert_error(recover(client, new), 400, "invalid_recovery_code")
    assert recover(client, newest["recovery_code"]).status_code == 201


def test_replacing_a_recovery_code_leaves_other_accounts_alone(client: TestClient) -> None:
    phone, _ = new_account(client)
    _, other = new_account(client, "someone else")
    client.post("/api/v1/account/recovery-code", headers=phone.headers)
    joined = recover(client, other["recovery_code"])
    assert joined.status_code == 201
    assert joined.json()["account_id"] == other["account_id"]


def test_a_removed_devices_pairing_codes_die_with_it(client: TestClient) -> None:
    phone, _ = new_account(client, "phone")
    tablet = pair(client, phone, "tablet")
    tablets_code = client.post("/api/v1/pairings", headers=tablet.headers).json()["code"]
    phones_code = client.post("/api/v1/pairings", headers=phone.headers).json()["code"]
    tablet_id = next(d["device_id"] for d in devices_of(client, phone) if not d["current"])
    assert client.delete(f"/api/v1/devices/{tablet_id}", headers=phone.headers).status_code == 204
    late = client.post(
        "/api/v1/pairings/redeem", json={"code": tablets_code, "device_name": "stranger"}
    )
    assert_error(late, 400, "invalid_pairing_code")
    # The codes of the devices still in the account still work.
    joined = client.post(
        "/api/v1/pairings/redeem", json={"code": phones_code, "device_name": "laptop"}
    )
    assert joined.status_code == 201
    assert [d["name"] for d in devices_of(client, phone)] == ["phone", "laptop"]


def test_device_list_marks_this_device(client: TestClient) -> None:
    phone, account = new_account(client, "phone")
    pair(client, phone, "tablet")
    response = client.get("/api/v1/devices", headers=phone.headers)
    assert response.headers["cache-control"] == "no-store"
    devices = response.json()["devices"]
    assert [(d["name"], d["current"]) for d in devices] == [("phone", True), ("tablet", False)]
    assert devices[0]["device_id"] == account["device_id"]
    assert set(devices[0]) == {"device_id", "name", "created_at", "last_seen_at", "current"}


def test_a_removed_device_is_refused_from_then_on(client: TestClient) -> None:
    phone, _ = new_account(client)
    tablet = pair(client, phone)
    devices = client.get("/api/v1/devices", headers=phone.headers).json()["devices"]
    tablet_id = next(d["device_id"] for d in devices if not d["current"])
    response = client.delete(f"/api/v1/devices/{tablet_id}", headers=phone.headers)
    assert response.status_code == 204
    for call in (
        lambda: client.get("/api/v1/devices", headers=tablet.headers),
        lambda: tablet.send_push([]),
        lambda: client.get("/api/v1/sync/pull", headers=tablet.headers),
    ):
        assert_error(call(), 401, "unauthorized")
    assert client.get("/api/v1/devices", headers=phone.headers).status_code == 200


def test_deleting_the_account_removes_everything(client: TestClient, app) -> None:
    phone, _ = new_account(client)
    tablet = pair(client, phone)
    phone.create(session_data())
    phone.push()
    other, _ = new_account(client, "someone else")
    other.create(session_data())
    other.push()
    assert client.delete("/api/v1/account", headers=phone.headers).status_code == 204
    assert_error(client.get("/api/v1/devices", headers=tablet.headers), 401, "unauthorized")
    assert_error(client.get("/api/v1/devices", headers=phone.headers), 401, "unauthorized")
    with Session(app.state.engine) as session:
        assert len(session.exec(select(Account)).all()) == 1
        assert len(session.exec(select(Device)).all()) == 1
        assert len(session.exec(select(Record)).all()) == 1  # only the other account's


def test_another_accounts_device_is_missing_not_forbidden(client: TestClient) -> None:
    phone, _ = new_account(client)
    intruder, intruder_account = new_account(client, "intruder")
    stranger = client.delete(
        f"/api/v1/devices/{intruder_account['device_id']}", headers=phone.headers
    )
    missing = client.delete(
        "/api/v1/devices/00000000-0000-4000-8000-000000000000", headers=phone.headers
    )
    assert_error(stranger, 404, "unknown_device")
    assert stranger.json() == missing.json()
    assert client.get("/api/v1/devices", headers=intruder.headers).status_code == 200


def devices_of(client: TestClient, device: Client) -> list[dict]:
    response = client.get("/api/v1/devices", headers=device.headers)
    assert response.status_code == 200
    devices: list[dict] = response.json()["devices"]
    return devices


def test_a_device_can_be_renamed_from_any_device_of_the_account(client: TestClient) -> None:
    phone, account = new_account(client, "Computer")
    tablet = pair(client, phone, "Tablet")
    tablet_id = next(d["device_id"] for d in devices_of(client, phone) if not d["current"])

    # The tablet renames the phone; the answer is the device as the list shows it.
    response = client.patch(
        f"/api/v1/devices/{account['device_id']}",
        json={"name": "  Anna's phone  "},
        headers=tablet.headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    renamed = response.json()
    listed = {d["device_id"]: d for d in devices_of(client, tablet)}
    assert renamed == listed[account["device_id"]]
    assert renamed["name"] == "Anna's phone"
    assert renamed["current"] is False
    # And a device can rename itself; 60 characters is the limit.
    response = client.patch(
        f"/api/v1/devices/{tablet_id}", json={"name": "T" * 60}, headers=tablet.headers
    )
    assert response.json()["current"] is True
    assert [d["name"] for d in devices_of(client, phone)] == ["Anna's phone", "T" * 60]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 61},
        {"name": "pho\x00ne"},
        {"name": "line\nbreak"},
        {"name": 7},
        {"name": None},
        {"name": "ok", "device_id": "someone-else"},
        ["ok"],
    ],
)
def test_a_new_name_must_be_sensible(client: TestClient, body: object) -> None:
    phone, account = new_account(client, "phone")
    response = client.patch(
        f"/api/v1/devices/{account['device_id']}", json=body, headers=phone.headers
    )
    error = assert_error(response, 422, "invalid_request")
    assert error["fields"]
    assert [d["name"] for d in devices_of(client, phone)] == ["phone"]


def test_a_bad_name_is_said_in_words_not_as_a_pattern(client: TestClient) -> None:
    phone, account = new_account(client, "phone")
    response = client.patch(
        f"/api/v1/devices/{account['device_id']}", json={"name": " \t "}, headers=phone.headers
    )
    message = assert_error(response, 422, "invalid_request")["message"]
    assert "body.name" in message
    assert "1 to 60 characters" in message
    assert "\\x00" not in message
    assert "^" not in message


def test_another_accounts_device_cannot_be_renamed_and_looks_missing(client: TestClient) -> None:
    phone, _ = new_account(client)
    intruder, intruder_account = new_account(client, "intruder")
    stranger = client.patch(
        f"/api/v1/devices/{intruder_account['device_id']}",
        json={"name": "mine now"},
        headers=phone.headers,
    )
    missing = client.patch(
        "/api/v1/devices/00000000-0000-4000-8000-000000000000",
        json={"name": "mine now"},
        headers=phone.headers,
    )
    assert_error(stranger, 404, "unknown_device")
    assert stranger.json() == missing.json()
    # The same answer as removing it would get.
    removing = client.delete(
        f"/api/v1/devices/{intruder_account['device_id']}", headers=phone.headers
    )
    assert removing.json() == stranger.json()
    assert [d["name"] for d in devices_of(client, intruder)] == ["intruder"]


def test_a_removed_device_cannot_rename_anything(client: TestClient) -> None:
    phone, account = new_account(client)
    tablet = pair(client, phone)
    tablet_id = next(d["device_id"] for d in devices_of(client, phone) if not d["current"])
    assert client.delete(f"/api/v1/devices/{tablet_id}", headers=phone.headers).status_code == 204
    for device_id in (account["device_id"], tablet_id):
        response = client.patch(
            f"/api/v1/devices/{device_id}", json={"name": "revenge"}, headers=tablet.headers
        )
        assert_error(response, 401, "unauthorized")
    assert [d["name"] for d in devices_of(client, phone)] == ["phone"]


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer wrong-token", "Basic abc", "bearer " + "x" * 43]
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/pairings"),
        ("POST", "/api/v1/account/recovery-code"),
        ("GET", "/api/v1/devices"),
        ("DELETE", "/api/v1/devices/00000000-0000-4000-8000-000000000000"),
        ("PATCH", "/api/v1/devices/00000000-0000-4000-8000-000000000000"),
        ("DELETE", "/api/v1/account"),
        ("POST", "/api/v1/sync/push"),
        ("GET", "/api/v1/sync/pull"),
    ],
)
def test_every_account_endpoint_needs_a_valid_token(
    client: TestClient, header: str | None, method: str, path: str
) -> None:
    new_account(client)
    headers = {"Authorization": header} if header else {}
    response = client.request(method, path, headers=headers, json={"changes": []})
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_last_seen_is_kept_fresh_without_a_write_on_every_request(client: TestClient, app):
    phone, account = new_account(client)

    def last_seen() -> datetime:
        with Session(app.state.engine) as session:
            return session.get(Device, account["device_id"]).last_seen_at  # type: ignore[union-attr]

    first = last_seen()
    client.get("/api/v1/devices", headers=phone.headers)
    assert last_seen() == first, "a request right after another writes nothing"
    with Session(app.state.engine) as session:
        device = session.get(Device, account["device_id"])
        assert device is not None
        device.last_seen_at = datetime.now(UTC) - timedelta(minutes=6)
        session.add(device)
        session.commit()
    stale = last_seen()
    client.get("/api/v1/devices", headers=phone.headers)
    assert last_seen() > stale
