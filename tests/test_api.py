"""The content API: exact payloads, ETags, compression and the error shape."""

import gzip
import json

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import ROOT, Settings
from tests.conftest import assert_error

EXERCISE_IDS = [
    "knees-to-chest",
    "knee-rolls",
    "straight-leg-raise",
    "upper-ab-crunch",
    "opposite-arm-leg-lift",
]


def content_file(name: str) -> dict:
    return json.loads((ROOT / "content" / name).read_text())


def test_routine_serves_the_content_files_with_exercises_inline(client: TestClient) -> None:
    response = client.get("/api/v1/routine")
    assert response.status_code == 200
    body = response.json()
    written = content_file("routine.json")
    for field in ("id", "title", "summary", "intro", "safety", "pacing", "tips", "source"):
        assert body[field] == written[field]
    assert [e["id"] for e in body["exercises"]] == EXERCISE_IDS
    for served in body["exercises"]:
        expected = content_file(f"exercises/{served['id']}.json")
        plain_url = expected.pop("illustration")
        hashed = served.pop("illustration")
        assert served == expected
        stem = plain_url.removesuffix(".svg")
        assert hashed.startswith(stem + ".")
        assert hashed.endswith(".svg")
        assert hashed != plain_url
        assert client.get(hashed).status_code == 200


def test_routine_estimates_its_length_from_the_content(client: TestClient) -> None:
    body = client.get("/api/v1/routine").json()
    # 15x12 + 2x12x7 + 2x10x14 + 12x9 + 2x12x9 s of reps, 5x5 s to get ready,
    # 3x3 s of setting up, 2x10 s to lie down and later to turn over onto the
    # stomach (the first exercise and the last), one side switch, four 20 s rests.
    assert body["estimated_seconds"] == 180 + 168 + 280 + 108 + 216 + 25 + 9 + 20 + 5 + 80


def test_routine_etag_answers_304_when_unchanged(client: TestClient) -> None:
    first = client.get("/api/v1/routine")
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert len(etag) > 8
    assert first.headers["cache-control"] == "no-cache"

    again = client.get("/api/v1/routine", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag

    listed = client.get("/api/v1/routine", headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    stale = client.get("/api/v1/routine", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200
    assert stale.json() == first.json()


def test_routine_etag_is_the_content_version(client: TestClient) -> None:
    etag = client.get("/api/v1/routine").headers["etag"]
    assert client.get("/api/v1/config").json()["content_version"] == etag.strip('"')


def test_routine_is_gzipped_for_clients_that_accept_it(client: TestClient) -> None:
    plain = client.get("/api/v1/routine", headers={"Accept-Encoding": "identity"})
    packed = client.get("/api/v1/routine", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding, Accept-Language"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.json() == plain.json()
    assert json.loads(gzip.decompress(gzip.compress(plain.content))) == plain.json()


def test_exercise_by_id_matches_its_routine_entry(client: TestClient) -> None:
    routine = client.get("/api/v1/routine").json()
    for exercise in routine["exercises"]:
        response = client.get(f"/api/v1/exercises/{exercise['id']}")
        assert response.status_code == 200
        assert response.json() == exercise
        assert response.headers["etag"]


def test_unknown_exercise_is_404_unknown_exercise(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/exercises/cartwheel"), 404, "unknown_exercise")
    assert "cartwheel" in error["message"]


def test_config_serves_the_limits(client: TestClient) -> None:
    body = client.get("/api/v1/config").json()
    assert body["limits"] == {
        "max_body_bytes": 1048576,
        "max_changes_per_push": 200,
        "max_record_bytes": 65536,
        "max_pull_limit": 1000,
        "redemptions_per_minute": 10,
        "pairing_code_ttl_seconds": 600,
        "max_account_bytes": 50 * 1024 * 1024,
        "max_account_records": 100_000,
        "max_devices": 20,
    }
    # The settings record's id and the days a reminder names: no client hard-codes them.
    assert body["settings_id"] == "00000000-0000-4000-8000-000000000001"
    assert body["weekdays"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_config_serves_the_quotas_the_server_was_started_with(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAX_ACCOUNT_BYTES", "2000000")
    monkeypatch.setenv("MAX_ACCOUNT_RECORDS", "5000")
    monkeypatch.setenv("MAX_DEVICES", "3")
    from_env = Settings(environment="test", database_url=settings.database_url)
    with TestClient(create_app(from_env)) as client:
        limits = client.get("/api/v1/config").json()["limits"]
    assert (limits["max_account_bytes"], limits["max_account_records"], limits["max_devices"]) == (
        2_000_000,
        5000,
        3,
    )


def test_unknown_path_is_404_in_the_error_shape(client: TestClient) -> None:
    error = assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert "/api/v1/nothing-here" in error["message"]


def test_wrong_method_is_405_in_the_error_shape(client: TestClient) -> None:
    response = client.delete("/api/v1/routine")
    error = assert_error(response, 405, "method_not_allowed")
    assert "DELETE" in error["message"]
    assert "GET" in response.headers["allow"]


def test_validation_errors_use_the_error_shape_with_fields(app, client: TestClient) -> None:
    from pydantic import BaseModel

    class Probe(BaseModel):
        count: int

    @app.post("/api/v1/probe")
    def probe(body: Probe) -> dict:
        return {"count": body.count}

    error = assert_error(
        client.post("/api/v1/probe", json={"count": "many"}), 422, "invalid_request"
    )
    assert error["fields"][0]["location"] == "body.count"
    assert "body.count" in error["message"]
    bad_json = client.post(
        "/api/v1/probe", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(bad_json, 422, "invalid_request")


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}


def test_readiness_fails_when_the_database_cannot_be_opened(tmp_path) -> None:
    from server.app import create_app
    from server.settings import Settings

    # A folder where the database file should be: SQLite cannot open it.
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}"))
    with TestClient(app) as client:
        assert_error(client.get("/readyz"), 503, "database_unavailable")
        assert client.get("/healthz").status_code == 200


def test_openapi_lists_the_api_and_docs_render_it(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/v1/routine", "/api/v1/exercises/{exercise_id}", "/api/v1/config"} <= set(
        schema["paths"]
    )
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert docs.template.name == "docs.html"
    assert "GET /api/v1/routine" in docs.text
    assert "cdn" not in docs.text.lower()
