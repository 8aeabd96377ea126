"""Deletes that delete: after an account or a device is removed, the SQLite files
(the main file and its -wal) hold none of its words, read as raw bytes."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.db import _sqlite_on_connect
from server.settings import Settings
from tests.push_service import Browser
from tests.sync_client import new_account, pair, session_data

NOTE = "Zebra-mosaic note 7f3a: my left knee aches after the stairs"
DEVICE = "Quokka-tablet-91c2"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/Narwhal-endpoint-5d8e0b"
WORDS = (NOTE, DEVICE, ENDPOINT)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "spine.db"


@pytest.fixture
def client(database: Path) -> Iterator[TestClient]:
    settings = Settings(
        environment="test", database_url=f"sqlite:///{database}", reminders_every_seconds=0
    )
    with TestClient(create_app(settings)) as client:
        yield client


def on_disk(database: Path) -> bytes:
    """Every byte SQLite keeps for the database: the main file, then the WAL."""
    wal = database.with_name(database.name + "-wal")
    return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def found(database: Path) -> list[str]:
    raw = on_disk(database)
    return [word for word in WORDS if word.encode() in raw]


def remind(client: TestClient, headers: dict[str, str], endpoint: str = ENDPOINT) -> None:
    browser = Browser()
    subscription = {
        "endpoint": endpoint,
        "keys": {"p256dh": browser.p256dh, "auth": "c2VjcmV0LWF1dGgtMTIzNA"},
    }
    body = {"days": ["mon"], "time": "07:30", "time_zone": "Europe/Madrid"}
    response = client.put(
        "/api/v1/reminders", json={**body, "subscription": subscription}, headers=headers
    )
    assert response.status_code == 200, response.text


def test_a_deleted_account_leaves_no_note_name_or_endpoint_in_the_files(
    client: TestClient, database: Path
) -> None:
    phone, _ = new_account(client, DEVICE)
    phone.create(session_data(NOTE))
    phone.push()
    remind(client, phone.headers)
    other, _ = new_account(client, "someone else's phone")
    other.create(session_data("someone else's note"))
    other.push()
    assert found(database) == list(WORDS), "the words are on disk before the delete"

    assert client.delete("/api/v1/account", headers=phone.headers).status_code == 204

    assert found(database) == []
    wal = database.with_name(database.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the WAL is emptied, not just reused"
    # The other account is untouched, and the database still works.
    assert b"someone else's note" in on_disk(database)
    other.pull()
    assert [r["notes"] for r in other.live().values()] == ["someone else's note"]


def test_a_removed_device_leaves_no_name_or_endpoint_in_the_files(
    client: TestClient, database: Path
) -> None:
    phone, _ = new_account(client, "phone")
    tablet = pair(client, phone, DEVICE)
    remind(client, tablet.headers)
    assert found(database) == [DEVICE, ENDPOINT]
    devices = client.get("/api/v1/devices", headers=phone.headers).json()["devices"]
    tablet_id = next(d["device_id"] for d in devices if d["name"] == DEVICE)

    assert client.delete(f"/api/v1/devices/{tablet_id}", headers=phone.headers).status_code == 204

    assert found(database) == []


def test_every_connection_overwrites_deleted_rows(tmp_path: Path) -> None:
    # This machine's SQLite is built with secure_delete on; others are not: the
    # server turns it on itself rather than count on the build.
    connection = sqlite3.connect(tmp_path / "x.db")
    connection.execute("PRAGMA secure_delete=OFF")
    _sqlite_on_connect(connection, None)
    assert connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    connection.close()
