"""Strict, canonical session data (ARCHITECTURE §8): the shared cases pushed to the server,
times stored in one UTC text, and record ids in lower case."""

import copy
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.sync_client import new_account, pair, session_data
from tests.test_sync import change

pytestmark = pytest.mark.both_databases

CASES_FILE = Path(__file__).parent / "cases" / "session_data.json"
NOW_PLUS = re.compile(r"\{\{now([+-][0-9]+)h\}\}")


def load_cases(now: datetime | None = None, file: Path = CASES_FILE) -> list[dict[str, Any]]:
    """The shared cases, with {{now+Nh}} as the clock plus N hours (the browser's test
    reads the same file the same way)."""
    moment = now or datetime.now(UTC)

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        found = NOW_PLUS.fullmatch(value) if isinstance(value, str) else None
        if found:
            at = moment.replace(microsecond=0) + timedelta(hours=int(found[1]))
            return at.isoformat().replace("+00:00", "Z")
        return value

    cases: list[dict[str, Any]] = resolve(json.loads(file.read_text(encoding="utf-8")))["cases"]
    return cases


def stored(case: dict[str, Any]) -> dict[str, Any]:
    """What the server must keep of a valid case: its data, times in their canonical text."""
    return {**case["data"], **case.get("stored", {})}


def test_the_cases_cover_both_verdicts_and_every_rule() -> None:
    cases = load_cases()
    assert len({c["name"] for c in cases}) == len(cases), "case names are unique"
    fields = {c["field"] for c in cases if not c["valid"]}
    assert {"started_at", "ended_at", "routine_id", "exercises.0.exercise_id"} <= fields
    assert sum(c["valid"] for c in cases) >= 10
    assert all(("field" in c) != c["valid"] for c in cases)


@pytest.mark.parametrize("which", ["every case in one push", "only the valid ones"])
def test_each_shared_case_is_stored_canonical_or_rejected_naming_its_field(
    client: TestClient, which: str
) -> None:
    # Valid changes alone take the server's fast path (one validation for the
    # push); any invalid one sends every change through the one-by-one path.
    cases = [c for c in load_cases() if c["valid"] or which == "every case in one push"]
    phone, _ = new_account(client)
    ids = [str(uuid.uuid4()) for _ in cases]
    response = phone.send_push([change(i, c["data"]) for i, c in zip(ids, cases, strict=True)])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    pulled = {
        c["id"]: c["data"]
        for c in client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    }
    wrong = []
    for record_id, case, result in zip(ids, cases, results, strict=True):
        if case["valid"]:
            if result["status"] != "applied" or pulled.get(record_id) != stored(case):
                wrong.append((case["name"], result, pulled.get(record_id)))
        else:
            error = result.get("error") or {}
            named = error.get("message", "").startswith(f"data.{case['field']}: ")
            if result["status"] != "rejected" or error.get("code") != "invalid_data" or not named:
                wrong.append((case["name"], result))
            assert record_id not in pulled
    assert wrong == []


def test_the_error_says_what_is_wrong_in_words(client: TestClient) -> None:
    phone, _ = new_account(client)
    bad = {
        "started_at": "2025-01-01t10:00:00z",
        "ended_at": "2026-11-24T07:00:00Z",
        "routine_id": "other-routine",
    }
    messages = []
    for field, value in bad.items():
        data = session_data() | {field: value}
        [result] = phone.send_push([change(str(uuid.uuid4()), data)]).json()["results"]
        messages.append(result["error"]["message"])
    assert "RFC 3339" in messages[0]
    assert "capital T" in messages[0]
    assert messages[1] == "data.ended_at: must not be before started_at"
    assert "spine-five" in messages[2]


def test_one_moment_in_another_offset_is_the_same_session_sent_again(client: TestClient) -> None:
    phone, _ = new_account(client)
    record_id = str(uuid.uuid4())
    berlin = session_data() | {
        "started_at": "2026-11-24T08:30:00+01:00",
        "ended_at": "2026-11-24T08:48:10.000+01:00",
    }
    assert phone.send_push([change(record_id, berlin)]).json()["results"][0]["status"] == "applied"
    # The retry after a lost answer, and the same moments as another device writes them.
    for same in (berlin, session_data(), berlin | {"started_at": "2026-11-24T02:30:00-05:00"}):
        [result] = phone.send_push([change(record_id, same)]).json()["results"]
        assert result == {"id": record_id, "status": "duplicate", "version": 1}
    [record] = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    assert record["data"] == session_data()


def test_the_same_uuid_in_capitals_is_one_record(client: TestClient) -> None:
    phone, _ = new_account(client)
    tablet = pair(client, phone)
    lower = str(uuid.uuid4())
    upper = lower.upper()
    [first] = phone.send_push([change(upper, session_data("first"))]).json()["results"]
    assert first == {"id": lower, "status": "applied", "version": 1}
    [again] = tablet.send_push([change(lower, session_data("first"))]).json()["results"]
    assert again == {"id": lower, "status": "duplicate", "version": 1}
    mixed = lower[:8].upper() + lower[8:]
    [edit] = tablet.send_push([change(mixed, session_data("edited"), base=1)]).json()["results"]
    assert edit == {"id": lower, "status": "applied", "version": 2}
    [stale] = phone.send_push([change(upper, session_data("stale"), base=1)]).json()["results"]
    assert (stale["status"], stale["server"]["id"]) == ("conflict", lower)
    [gone] = phone.send_push([change(upper, None, base=2, deleted=True)]).json()["results"]
    assert gone == {"id": lower, "status": "applied", "version": 3}
    changes = client.get("/api/v1/sync/pull", headers=tablet.headers).json()["changes"]
    assert [(c["id"], c["version"], c["deleted"]) for c in changes] == [(lower, 3, True)]


def test_strings_that_are_not_times_never_make_a_500(client: TestClient) -> None:
    phone, _ = new_account(client)
    odd = ["", "T", "9" * 5000, "2026-11-24T07:30:00Z\n", "2026-11-24T07:30:00\u2028Z", "\x00"]
    odd += [{"at": 1}, [2026, 11, 24], True, 1.5, 2**70]
    changes = [change(str(uuid.uuid4()), session_data() | {"started_at": v}) for v in odd]
    response = phone.send_push(copy.deepcopy(changes))
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["rejected"] * len(odd)
