"""Sync throughput: a push of 200 sessions and a pull of 10,000 over real HTTP to
the server as `make run` starts it (uvicorn, SQLite file), beside the same rows
written and read with plain sqlite3 in one transaction (the floor). Medians of
many rounds on a growing database; ratios are what to compare."""

import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.live import live_server
from tests.sync_client import new_changes

PUSH = 200
PULL = 10_000
ROUNDS = 15


def median_seconds(work: Callable[[], Any], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def through_the_app(folder: Path) -> dict[str, float]:
    with live_server(folder / "app.db") as base, httpx.Client(base_url=base) as client:
        token = client.post("/api/v1/accounts", json={"device_name": "bench"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}

        def push() -> None:
            response = client.post(
                "/api/v1/sync/push", json={"changes": new_changes(PUSH, "bench")}, headers=headers
            )
            assert response.status_code == 200

        push()  # warm up
        push_s = median_seconds(push)
        for _ in range((PULL - (ROUNDS + 1) * PUSH) // PUSH):  # fill up to 10,000 sessions
            push()

        def pull() -> None:
            cursor, count = None, 0
            while True:
                params = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
                body = client.get("/api/v1/sync/pull", params=params, headers=headers).json()
                count += len(body["changes"])
                cursor = body["cursor"]
                if not body["has_more"]:
                    break
            assert count >= PULL, count

        pull_s = median_seconds(pull, rounds=7)
    return {"push": push_s, "pull": pull_s}


def plain_sqlite(folder: Path) -> dict[str, float]:
    db = sqlite3.connect(folder / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(
        "CREATE TABLE records (account_id TEXT, id TEXT, type TEXT, version INTEGER, "
        "deleted INTEGER, data TEXT, change_seq INTEGER, server_updated_at TEXT, "
        "PRIMARY KEY (account_id, id))"
    )
    db.execute("CREATE INDEX ix ON records (account_id, change_seq)")
    seq = 0

    def push() -> None:
        nonlocal seq
        db.execute("BEGIN IMMEDIATE")
        for change in new_changes(PUSH, "bench"):
            seq += 1
            data = json.dumps(change["data"], sort_keys=True, separators=(",", ":"))
            db.execute(
                "INSERT INTO records VALUES ('a', ?, 'session', 1, 0, ?, ?, datetime('now'))",
                (change["id"], data, seq),
            )
        db.execute("COMMIT")

    push()
    push_s = median_seconds(push)
    while seq < PULL:
        push()

    def pull() -> None:
        rows = db.execute(
            "SELECT id, type, version, deleted, data, server_updated_at FROM records"
            " WHERE account_id = 'a' ORDER BY change_seq"
        ).fetchall()
        [json.loads(r[4]) for r in rows]

    pull_s = median_seconds(pull, rounds=7)
    db.close()
    return {"push": push_s, "pull": pull_s}


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ours = through_the_app(Path(tmp))
        floor = plain_sqlite(Path(tmp))
    print(
        f"Push of {PUSH} sessions over HTTP: {ours['push'] * 1000:.0f} ms per request "
        f"({PUSH / ours['push']:,.0f} sessions/s); plain sqlite3 {floor['push'] * 1000:.1f} ms; "
        f"ratio {ours['push'] / floor['push']:.1f}x (floor/ours {floor['push'] / ours['push']:.2f})"
    )
    print(
        f"Pull of {PULL:,} sessions over HTTP (10 pages of 1000): {ours['pull'] * 1000:.0f} ms "
        f"({PULL / ours['pull']:,.0f} sessions/s); plain sqlite3 {floor['pull'] * 1000:.1f} ms; "
        f"ratio {ours['pull'] / floor['pull']:.1f}x (floor/ours {floor['pull'] / ours['pull']:.2f})"
    )
    return {"ours": ours, "floor": floor}
