"""GET /api/v1/export: the account's live records in the app's export format."""

import json
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from server.sync import export
from server.sync.records import SETTINGS_ID
from tests.conftest import assert_error
from tests.sync_client import new_account, pair, session_data

pytestmark = pytest.mark.both_databases


def change(record_id: str, data=None, base: int = 0, deleted: bool = False) -> dict:
    return {
        "id": record_id,
        "type": "session",
        "base_version": base,
        "deleted": deleted,
        "data": data,
    }


def test_the_export_holds_every_live_session_of_the_account_and_nothing_else(
    client: TestClient,
) -> None:
    phone, _ = new_account(client)
    tablet = pair(client, phone)
    stranger, _ = new_account(client, "stranger")
    kept, edited, gone = (str(uuid.uuid4()) for _ in range(3))
    tricky = 'Knees "ok", then\nsore; 日本'
    phone.send_push([change(kept, session_data(tricky)), change(edited, session_data("v1"))])
    tablet.send_push([change(edited, session_data("v2"), base=1)])
    phone.send_push([change(gone, session_data("oops"))])
    phone.send_push([change(gone, None, base=1, deleted=True)])
    stranger.send_push([change(str(uuid.uuid4()), session_data("not yours"))])

    response = client.get("/api/v1/export", headers=tablet.headers)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert 'filename="spine-routine-' in response.headers["content-disposition"]
    body = response.json()
    assert (body["format"], body["version"]) == ("spine-routine-export", 1)
    assert body["exported_at"].endswith("Z")
    # In the order of their ids: a record edited during an export keeps its place.
    assert body["sessions"] == sorted(
        [
            {"id": kept, "version": 1, "deleted": False, "data": session_data(tricky)},
            {"id": edited, "version": 2, "deleted": False, "data": session_data("v2")},
        ],
        key=lambda s: s["id"],
    )
    assert body["settings"] is None


def test_the_export_needs_a_device_token(client: TestClient) -> None:
    assert_error(client.get("/api/v1/export"), 401, "unauthorized")
    assert_error(
        client.get("/api/v1/export", headers={"Authorization": "Bearer nope"}), 401, "unauthorized"
    )


def test_the_export_is_in_the_api_reference(client: TestClient) -> None:
    assert "/api/v1/export" in client.get("/docs").text
    assert "/api/v1/export" in client.get("/openapi.json").json()["paths"]


def test_a_long_export_is_streamed_a_page_at_a_time_and_holds_what_was_stored(
    client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "PAGE", 4)
    phone, _ = new_account(client)
    ids = [str(uuid.uuid4()) for _ in range(14)]
    notes = ['quote " and \\ and 日本', "\u2028", "x" * 1990]
    phone.send_push([change(i, session_data(notes[n % 3] + str(n))) for n, i in enumerate(ids)])
    phone.send_push([change(ids[0], None, base=1, deleted=True)])
    goal = {"weekly_goal": 4, "voice": True, "beeps": False, "vibration": True, "tempo": "normal"}
    phone.send_push([{**change(SETTINGS_ID, goal), "type": "settings"}])
    pulled = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    stored = sorted(
        (
            {"id": c["id"], "version": c["version"], "deleted": False, "data": c["data"]}
            for c in pulled
            if c["type"] == "session" and not c["deleted"]
        ),
        key=lambda s: s["id"],
    )
    assert len(stored) == 13

    pages: list[Any] = []

    def count_pages(conn, cursor, statement: str, *args: Any) -> None:  # type: ignore[no-untyped-def]
        if "ORDER BY id LIMIT" in statement:
            pages.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", count_pages)
    try:
        with client.stream("GET", "/api/v1/export", headers=phone.headers) as response:
            assert response.status_code == 200
            assert response.headers["cache-control"] == "no-store"
            chunks = response.iter_bytes()
            first = next(chunks)
            read_when_the_file_began = len(pages)
            body = first + b"".join(chunks)
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count_pages)
    # 13 sessions in pages of 4: four pages, read as the file is sent, not before it.
    assert len(pages) == 4
    assert read_when_the_file_began <= 2
    exported = json.loads(body)
    assert exported["sessions"] == stored
    assert exported["settings"] == goal
    assert set(exported) == {"format", "version", "exported_at", "sessions", "settings"}


def test_an_empty_account_exports_an_empty_list(client: TestClient) -> None:
    phone, _ = new_account(client)
    body = client.get("/api/v1/export", headers=phone.headers).json()
    assert (body["sessions"], body["settings"]) == ([], None)
