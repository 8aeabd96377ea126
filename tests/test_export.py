"""GET /api/v1/export: the account's live records in the app's export format."""

import uuid

import pytest
from fastapi.testclient import TestClient

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
    assert body["sessions"] == [
        {"id": kept, "version": 1, "deleted": False, "data": session_data(tricky)},
        {"id": edited, "version": 2, "deleted": False, "data": session_data("v2")},
    ]
    assert body["settings"] is None


def test_the_export_needs_a_device_token(client: TestClient) -> None:
    assert_error(client.get("/api/v1/export"), 401, "unauthorized")
    assert_error(
        client.get("/api/v1/export", headers={"Authorization": "Bearer nope"}), 401, "unauthorized"
    )


def test_the_export_is_in_the_api_reference(client: TestClient) -> None:
    assert "/api/v1/export" in client.get("/docs").text
    assert "/api/v1/export" in client.get("/openapi.json").json()["paths"]
