"""The settings record and the session fields of the habit plan (ARCHITECTURE §8): what the
server keeps, what it refuses and why, and that each account has its own settings."""

import copy
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.models import Record
from server.sync.records import SETTINGS_ID, SettingsData
from tests.sync_client import Device, new_account, session_data
from tests.test_strict_data import load_cases
from tests.test_sync import change, new_id

pytestmark = pytest.mark.both_databases

SETTINGS_CASES = Path(__file__).parent / "cases" / "settings_data.json"
SETTINGS = {"weekly_goal": 4, "voice": True, "beeps": False, "vibration": True, "tempo": "slower"}


def settings_change(data: Any, base: int = 0, record_id: str = SETTINGS_ID) -> dict[str, Any]:
    return {**change(record_id, data, base=base), "type": "settings"}


def pull(client: TestClient, device: Device) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/sync/pull", headers=device.headers).json()["changes"])


def test_the_settings_record_is_kept_and_merges_like_any_record(client: TestClient) -> None:
    phone, _ = new_account(client)
    full = SETTINGS | {
        "reminders": {"days": ["mon", "thu"], "time": "07:30", "time_zone": "Europe/Berlin"},
        "language": "de",
    }
    [result] = phone.send_push([settings_change(full)]).json()["results"]
    assert result == {"id": SETTINGS_ID, "status": "applied", "version": 1}
    [record] = pull(client, phone)
    assert (record["id"], record["type"], record["version"]) == (SETTINGS_ID, "settings", 1)
    assert record["data"] == full

    phone.send_push([settings_change(SETTINGS | {"weekly_goal": 5}, base=1)])
    [stale] = phone.send_push([settings_change(SETTINGS | {"tempo": "faster"}, base=1)]).json()[
        "results"
    ]
    assert stale["status"] == "conflict"
    assert stale["server"]["data"] == SETTINGS | {"weekly_goal": 5}
    assert stale["server"]["version"] == 2


def load_settings_cases() -> list[dict[str, Any]]:
    """The settings cases, which the browser's check runs too (browser/test_strict_data.py)."""
    return load_cases(file=SETTINGS_CASES)


def test_the_settings_cases_cover_both_verdicts_and_every_field() -> None:
    cases = load_settings_cases()
    assert len({c["name"] for c in cases}) == len(cases), "case names are unique"
    assert all(("field" in c) != c["valid"] for c in cases)
    fields = {c["field"].split(".")[-1] for c in cases if not c["valid"]}
    assert set(SettingsData.model_fields) - {"reminders"} <= fields
    assert {"days", "time", "time_zone"} <= fields


def test_each_shared_settings_case_is_stored_or_rejected_naming_its_field(
    client: TestClient,
) -> None:
    phone, _ = new_account(client)
    version, wrong = 0, []
    for case in load_settings_cases():
        [result] = phone.send_push([settings_change(case["data"], base=version)]).json()["results"]
        if case["valid"]:
            version = result.get("version", version)
            [record] = pull(client, phone)
            if result["status"] not in ("applied", "duplicate") or record["data"] != case["data"]:
                wrong.append((case["name"], result))
        else:
            error = result.get("error") or {}
            named = error.get("message", "").startswith(f"data.{case['field']}: ")
            if result["status"] != "rejected" or error.get("code") != "invalid_data" or not named:
                wrong.append((case["name"], result))
    assert wrong == []
    assert version > 1, "the valid cases were stored one after another"


def test_settings_that_miss_a_field_are_refused_in_words(client: TestClient) -> None:
    phone, _ = new_account(client)
    partial = {k: v for k, v in SETTINGS.items() if k != "tempo"}
    [result] = phone.send_push([settings_change(partial)]).json()["results"]
    assert result["error"] == {"code": "invalid_data", "message": "data.tempo: Field required"}


def test_the_settings_id_is_fixed_and_kept_for_settings(client: TestClient) -> None:
    phone, _ = new_account(client)
    other_id = new_id()
    results = phone.send_push(
        [settings_change(SETTINGS, record_id=other_id), change(SETTINGS_ID, session_data())]
    ).json()["results"]
    assert [(r["id"], r["status"], r["error"]["code"]) for r in results] == [
        (other_id, "rejected", "invalid_settings_id"),
        (SETTINGS_ID, "rejected", "invalid_settings_id"),
    ]
    assert SETTINGS_ID in results[0]["error"]["message"]
    assert pull(client, phone) == []


def test_each_account_has_its_own_settings_under_the_same_id(client: TestClient) -> None:
    phone, _ = new_account(client)
    stranger, _ = new_account(client, "stranger")
    phone.send_push([settings_change(SETTINGS)])
    theirs = SETTINGS | {"weekly_goal": 7, "tempo": "normal"}
    [result] = stranger.send_push([settings_change(theirs)]).json()["results"]
    assert result == {"id": SETTINGS_ID, "status": "applied", "version": 1}
    stranger.send_push([settings_change(theirs | {"weekly_goal": 1}, base=1)])
    stranger.send_push([settings_change(None, base=2) | {"deleted": True}])
    [mine] = pull(client, phone)
    assert (mine["version"], mine["data"]) == (1, SETTINGS)
    assert [(c["version"], c["deleted"]) for c in pull(client, stranger)] == [(3, True)]


def test_a_change_of_another_type_than_the_stored_record_is_refused(
    client: TestClient, app: FastAPI
) -> None:
    phone, account = new_account(client)
    # A settings record from before the id was fixed: stored under another id.
    old_id = new_id()
    with Session(app.state.engine) as db:
        db.add(
            Record(
                account_id=account["account_id"],
                id=old_id,
                type="settings",
                version=1,
                data='{"weekly_goal":3}',
                change_seq=1,
            )
        )
        db.commit()
    [result] = phone.send_push([change(old_id, session_data(), base=1)]).json()["results"]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "type_mismatch"
    [record] = pull(client, phone)
    assert (record["type"], record["version"]) == ("settings", 1)
    assert record["data"] == {"weekly_goal": 3}


def test_a_session_keeps_what_hurt_and_what_was_planned(client: TestClient) -> None:
    phone, _ = new_account(client)
    data = session_data()
    data["exercises"][1] |= {"hurt": True, "target": {"reps": 12}}
    data["exercises"].append(
        {
            "exercise_id": "opposite-arm-leg-lift",
            "reps": {"left": 13, "right": 13},
            "skipped": False,
            "variation_id": "all-fours",
            "target": {"reps": 13, "hold_seconds": 4},
        }
    )
    record_id = new_id()
    [result] = phone.send_push([change(record_id, data)]).json()["results"]
    assert result["status"] == "applied"
    assert pull(client, phone)[0]["data"] == data


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"hurt": "yes"}, "hurt"),
        ({"target": {"reps": -1}}, "target.reps"),
        ({"target": {"reps": 12, "extra": 1}}, "target.extra"),
        ({"target": {"reps": 12, "hold_seconds": 0}}, "target.hold_seconds"),
        ({"target": 12}, "target"),
    ],
)
def test_bad_hurt_or_target_is_refused(client: TestClient, entry: dict, field: str) -> None:
    phone, _ = new_account(client)
    data = copy.deepcopy(session_data())
    data["exercises"][0] |= entry
    [result] = phone.send_push([change(new_id(), data)]).json()["results"]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "invalid_data"
    assert f"data.exercises.0.{field}" in result["error"]["message"]
