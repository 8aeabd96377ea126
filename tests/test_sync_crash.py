"""The real server killed with SIGKILL in the middle of pushes, then restarted on
the same database: everything acknowledged is there, and retries of what was
not acknowledged settle as applied or duplicate, never twice."""

import threading
from typing import Any

import httpx
import pytest

from tests.live import LiveServer
from tests.sync_client import new_changes

BATCH = 25


def push(base: str, token: str, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{base}/api/v1/sync/push",
        json={"changes": changes},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    return list(response.json()["results"])


def batch() -> list[dict[str, Any]]:
    return new_changes(BATCH, "crash")


def pull_all(base: str, token: str) -> list[dict[str, Any]]:
    changes, cursor = [], None
    while True:
        params = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
        body = httpx.get(
            f"{base}/api/v1/sync/pull", params=params, headers={"Authorization": f"Bearer {token}"}
        ).json()
        changes += body["changes"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return changes


def keep_pushing(
    base: str,
    token: str,
    stop: threading.Event,
    three_acks: threading.Event,
    acknowledged: set[str],
    unacknowledged: list[list[dict[str, Any]]],
) -> None:
    """Push batches until stopped; note which were acknowledged and which were cut off."""
    acks = 0
    while not stop.is_set():
        changes = batch()
        try:
            results = push(base, token, changes)
        except httpx.HTTPError:
            unacknowledged.append(changes)  # the answer never came
            return
        assert all(r["status"] == "applied" for r in results)
        acknowledged.update(c["id"] for c in changes)
        acks += 1
        if acks >= 3:
            three_acks.set()


@pytest.mark.both_databases
def test_acknowledged_pushes_survive_sigkill_and_retries_settle(database: str) -> None:
    server = LiveServer(database)
    base = server.start()
    try:
        token = httpx.post(f"{base}/api/v1/accounts", json={"device_name": "phone"}).json()["token"]
        acknowledged: set[str] = set()
        unacknowledged: list[list[dict[str, Any]]] = []
        for _round in range(3):
            stop, three_acks = threading.Event(), threading.Event()
            thread = threading.Thread(
                target=keep_pushing,
                args=(base, token, stop, three_acks, acknowledged, unacknowledged),
            )
            thread.start()
            assert three_acks.wait(30), "pushes did not get through"
            server.kill()  # mid-flight: the pusher is in the middle of its next push
            stop.set()
            thread.join(30)
            server.start()

        stored = pull_all(base, token)
        ids = [c["id"] for c in stored]
        assert len(ids) == len(set(ids))
        assert acknowledged <= set(ids), "an acknowledged session was lost"
        assert unacknowledged, "the kill should have cut at least one push short"
        for changes in unacknowledged:
            statuses = {r["status"] for r in push(base, token, changes)}
            assert statuses <= {"applied", "duplicate"}
        final = pull_all(base, token)
        final_ids = [c["id"] for c in final]
        assert len(final_ids) == len(set(final_ids))
        expected = acknowledged | {c["id"] for changes in unacknowledged for c in changes}
        assert set(final_ids) == expected
        assert all(c["version"] == 1 for c in final)
    finally:
        server.stop()
