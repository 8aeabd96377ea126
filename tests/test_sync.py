"""Push and pull: per-change results, ordering, tombstones, limits and isolation."""

import copy
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


def new_id() -> str:
    return str(uuid.uuid4())


def test_push_applies_and_pull_returns_the_record(client: TestClient) -> None:
    phone, account = new_account(client)
    record_id = new_id()
    response = phone.send_push([change(record_id, session_data("first"))])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {"results": [{"id": record_id, "status": "applied", "version": 1}]}
    pulled = client.get("/api/v1/sync/pull", headers=phone.headers)
    assert pulled.headers["cache-control"] == "no-store"
    body = pulled.json()
    assert body["has_more"] is False
    [record] = body["changes"]
    assert {k: record[k] for k in ("id", "type", "version", "deleted", "data")} == {
        "id": record_id,
        "type": "session",
        "version": 1,
        "deleted": False,
        "data": session_data("first"),
    }
    assert record["server_updated_at"].endswith(("Z", "+00:00"))
    # Other devices can tell where a session came from.
    assert record["device_id"] == account["device_id"]


def test_a_repeated_push_is_a_duplicate_and_changes_nothing(client: TestClient) -> None:
    phone, _ = new_account(client)
    record_id = new_id()
    sent = [change(record_id, session_data("once"))]
    phone.send_push(sent)
    again = phone.send_push(sent).json()["results"]
    assert again == [{"id": record_id, "status": "duplicate", "version": 1}]
    pulled = client.get("/api/v1/sync/pull", headers=phone.headers).json()
    assert len(pulled["changes"]) == 1
    assert pulled["changes"][0]["version"] == 1


def test_stale_edit_conflicts_and_carries_the_server_record(client: TestClient) -> None:
    phone, _ = new_account(client)
    record_id = new_id()
    phone.send_push([change(record_id, session_data("v1"))])
    phone.send_push([change(record_id, session_data("v2 from phone"), base=1)])
    stale = phone.send_push([change(record_id, session_data("v2 from tablet"), base=1)])
    [result] = stale.json()["results"]
    assert result["status"] == "conflict"
    assert result["version"] == 2
    assert result["server"]["data"]["notes"] == "v2 from phone"
    assert result["server"]["version"] == 2


def test_delete_wins_over_edits_and_edits_never_revive(client: TestClient) -> None:
    phone, _ = new_account(client)
    record_id = new_id()
    phone.send_push([change(record_id, session_data("v1"))])
    phone.send_push([change(record_id, session_data("v2"), base=1)])
    # A delete made on version 1 still wins.
    [deleted] = phone.send_push([change(record_id, None, base=1, deleted=True)]).json()["results"]
    assert deleted == {"id": record_id, "status": "applied", "version": 3}
    [edit] = phone.send_push([change(record_id, session_data("v4"), base=3)]).json()["results"]
    assert edit["status"] == "conflict"
    assert edit["server"]["deleted"] is True
    assert edit["server"]["data"] is None
    [again] = phone.send_push([change(record_id, None, base=1, deleted=True)]).json()["results"]
    assert again["status"] == "duplicate"
    [tombstone] = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    assert (tombstone["deleted"], tombstone["data"], tombstone["version"]) == (True, None, 3)


BAD_CHANGES = [
    (
        {
            "id": "not-a-uuid",
            "type": "session",
            "base_version": 0,
            "deleted": False,
            "data": session_data(),
        },
        "invalid_change",
    ),
    (change(new_id(), session_data()) | {"type": "workout"}, "unknown_type"),
    (change(new_id(), session_data(), base=-1), "invalid_change"),
    (change(new_id(), session_data()) | {"base_version": "0"}, "invalid_change"),
    (change(new_id(), None), "invalid_data"),
    (change(new_id(), session_data() | {"mood": "great"}), "invalid_data"),
    (change(new_id(), session_data(pain=11)), "invalid_data"),
    (change(new_id(), session_data() | {"notes": "x" * 2001}), "invalid_data"),
    (change(new_id(), session_data() | {"started_at": "yesterday"}), "invalid_data"),
    (change(new_id(), session_data() | {"started_at": "2026-11-24T07:30:00"}), "invalid_data"),
    (
        change(
            new_id(),
            {**session_data(), "exercises": [{"exercise_id": "x", "reps": -1, "skipped": False}]},
        ),
        "invalid_data",
    ),
    ("just a string", "invalid_change"),
    ({"id": new_id()}, "invalid_change"),
]


@pytest.mark.parametrize(("bad", "code"), BAD_CHANGES)
def test_a_bad_change_is_rejected_alone_and_never_blocks_the_good_ones(
    client: TestClient, bad, code: str
) -> None:
    phone, _ = new_account(client)
    before, after = new_id(), new_id()
    response = phone.send_push(
        [change(before, session_data("good 1")), bad, change(after, session_data("good 2"))]
    )
    assert response.status_code == 200
    first, middle, last = response.json()["results"]
    assert (first["status"], last["status"]) == ("applied", "applied")
    assert middle["status"] == "rejected"
    assert middle["error"]["code"] == code
    assert len(middle["error"]["message"]) > 5
    pulled = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    assert {c["id"] for c in pulled} == {before, after}


def test_optional_exercise_fields_and_unfinished_sessions_are_accepted(client: TestClient):
    phone, _ = new_account(client)
    data = session_data()
    data["ended_at"] = None
    data["pain_after"] = None
    data["exercises"][1] |= {"variation_id": "with-band", "rating": "hard"}
    [result] = phone.send_push([change(new_id(), data)]).json()["results"]
    assert result["status"] == "applied"


def test_record_data_over_64_kib_is_rejected(client: TestClient) -> None:
    phone, _ = new_account(client)
    data = session_data()
    data["exercises"] = [
        {"exercise_id": "knees-to-chest-" + "a" * 40, "reps": 1, "skipped": False}
    ] * 50
    data["notes"] = "n" * 2000
    big = copy.deepcopy(data)
    big["exercises"] = big["exercises"] * 30  # also over 50 entries, but size is checked first
    [result] = phone.send_push([change(new_id(), big)]).json()["results"]
    assert result["error"]["code"] == "data_too_large"


@pytest.mark.parametrize("body", [[], "changes", {"changes": "many"}, {"change": []}, None])
def test_a_body_that_is_not_an_object_with_a_changes_list_is_refused_whole(
    client: TestClient, body
) -> None:
    phone, _ = new_account(client)
    response = client.post("/api/v1/sync/push", json=body, headers=phone.headers)
    assert_error(response, 422, "invalid_request")


def test_more_than_200_changes_is_413_and_nothing_is_stored(client: TestClient) -> None:
    phone, _ = new_account(client)
    response = phone.send_push([change(new_id(), session_data()) for _ in range(201)])
    assert_error(response, 413, "too_many_changes")
    assert client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"] == []


def test_a_body_over_1_mib_is_413(client: TestClient) -> None:
    phone, _ = new_account(client)
    huge = b'{"changes": [' + b'"x",' * 300_000 + b'"x"]}'
    response = client.post(
        "/api/v1/sync/push",
        content=huge,
        headers={**phone.headers, "content-type": "application/json"},
    )
    assert_error(response, 413, "payload_too_large")


def test_pull_pages_with_the_cursor_in_change_order(client: TestClient) -> None:
    phone, _ = new_account(client)
    ids = [new_id() for _ in range(7)]
    phone.send_push([change(i, session_data(f"n{n}")) for n, i in enumerate(ids)])
    phone.send_push([change(ids[0], session_data("edited"), base=1)])
    seen, cursor, pages, remaining = [], None, 0, []
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/sync/pull", params=params, headers=phone.headers).json()
        seen += [c["id"] for c in body["changes"]]
        cursor, pages = body["cursor"], pages + 1
        remaining.append(body["remaining"])
        if not body["has_more"]:
            break
    assert pages == 3
    # What is left after each page: a new device shows "3 of 7 sessions".
    assert remaining == [4, 1, 0]
    # The edited record moved to the end: pull follows the order of change.
    assert seen == ids[1:] + ids[:1]
    nothing = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=phone.headers)
    assert nothing.json() == {"changes": [], "cursor": cursor, "has_more": False, "remaining": 0}
    # A cursor past any change number (found by fuzzing on PostgreSQL, whose
    # integers are 32-bit): nothing after it, not a 500.
    far = client.get("/api/v1/sync/pull", params={"cursor": "3000000000"}, headers=phone.headers)
    assert far.status_code == 200
    assert (far.json()["changes"], far.json()["has_more"]) == ([], False)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"cursor": "abc"}, 422, "invalid_request"),
        ({"cursor": "-1"}, 422, "invalid_request"),
        ({"limit": 1001}, 422, "invalid_request"),
        ({"limit": 0}, 422, "invalid_request"),
    ],
)
def test_bad_pull_parameters_are_4xx(client: TestClient, params, status, code) -> None:
    phone, _ = new_account(client)
    assert_error(
        client.get("/api/v1/sync/pull", params=params, headers=phone.headers), status, code
    )


def test_accounts_never_see_each_other_even_with_the_same_record_id(client: TestClient):
    phone, _ = new_account(client)
    stranger, _ = new_account(client, "stranger")
    shared_id = new_id()
    phone.send_push([change(shared_id, session_data("mine"))])
    # The same id in another account is another record, not a conflict or a leak.
    [result] = stranger.send_push([change(shared_id, session_data("theirs"))]).json()["results"]
    assert result == {"id": shared_id, "status": "applied", "version": 1}
    # Editing or deleting "my" id from the other account touches only theirs.
    stranger.send_push([change(shared_id, None, base=1, deleted=True)])
    mine = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    assert [(c["version"], c["data"]["notes"]) for c in mine] == [(1, "mine")]
    theirs = client.get("/api/v1/sync/pull", headers=stranger.headers).json()["changes"]
    assert [(c["version"], c["deleted"]) for c in theirs] == [(2, True)]


def test_two_devices_converge_through_the_client_rules(client: TestClient) -> None:
    phone, _ = new_account(client)
    tablet = pair(client, phone)
    record_id = phone.create(session_data("from the phone"))
    phone.sync()
    tablet.sync()
    assert tablet.live() == phone.live()
    # Both edit different fields while apart; the merge keeps both.
    phone.edit(record_id, notes="phone note")
    tablet.edit(record_id, pain_after=0)
    phone.sync()
    tablet.sync()
    phone.sync()
    assert phone.live() == tablet.live()
    assert phone.live()[record_id]["notes"] == "phone note"
    assert phone.live()[record_id]["pain_after"] == 0


def test_changes_to_one_record_in_one_push_apply_in_order(client: TestClient) -> None:
    phone, _ = new_account(client)
    record_id = new_id()
    results = phone.send_push(
        [
            change(record_id, session_data("a")),
            change(record_id, session_data("a")),
            change(record_id, session_data("b"), base=1),
            change(record_id, session_data("stale"), base=1),
            change(record_id, None, base=1, deleted=True),
        ]
    ).json()["results"]
    assert [(r["status"], r["version"]) for r in results] == [
        ("applied", 1),
        ("duplicate", 1),
        ("applied", 2),
        ("conflict", 2),
        ("applied", 3),
    ]
    [stored] = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    assert (stored["version"], stored["deleted"]) == (3, True)


def test_a_session_in_any_script_sent_again_is_still_a_duplicate(client: TestClient) -> None:
    phone, _ = new_account(client)
    record_id = new_id()
    notes = 'Dehnübung "gut" – 日本語\t\u2028 \\ / \x7f'
    sent = [change(record_id, session_data(notes))]
    assert phone.send_push(sent).json()["results"][0]["status"] == "applied"
    assert phone.send_push(sent).json()["results"][0]["status"] == "duplicate"
    [record] = client.get("/api/v1/sync/pull", headers=phone.headers).json()["changes"]
    assert record["data"]["notes"] == notes
