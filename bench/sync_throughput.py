"""Sync throughput: a push of 200 sessions and a pull of 10,000 over real HTTP to
the server as `make run` starts it (uvicorn, SQLite file), beside the same rows
written and read with plain sqlite3 in one transaction (the floor: for pull,
reading and json.loads-ing the rows). Rounds of the two alternate, on databases
that grow as they go; medians and ratios are what to compare on a noisy machine.
Pull counts the time until each page has arrived, not the client decoding it."""

import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.live import live_server
from tests.sync_client import new_changes

PUSH = 200
PULL = 10_000
PUSH_ROUNDS = 25
PULL_ROUNDS = 9


def timed(work: Callable[[], Any]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start

    return run


def alternate(
    ours: Callable[[], float], floor: Callable[[], float], rounds: int
) -> dict[str, float]:
    """Median seconds of each (as each reports them), in turns so both meet the same noise."""
    times: dict[str, list[float]] = {"ours": [], "floor": []}
    for _ in range(rounds):
        for name, work in (("ours", ours), ("floor", floor)):
            times[name].append(work())
    return {name: statistics.median(values) for name, values in times.items()}


@contextmanager
def the_app(folder: Path) -> Iterator[tuple[Callable[[], None], Callable[[], float]]]:
    """Push and pull functions against a live server on its own SQLite file."""
    with live_server(folder / "app.db") as base, httpx.Client(base_url=base) as client:
        token = client.post("/api/v1/accounts", json={"device_name": "bench"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}

        def push() -> None:
            response = client.post(
                "/api/v1/sync/push", json={"changes": new_changes(PUSH, "bench")}, headers=headers
            )
            assert response.status_code == 200

        def pull() -> float:
            """Seconds until every page has arrived whole. Decoding the pages is the
            client's work, on its own thread, whatever the server does; it is not counted."""
            cursor, count, seconds = None, 0, 0.0
            while True:
                params = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
                start = time.perf_counter()
                response = client.get("/api/v1/sync/pull", params=params, headers=headers)
                seconds += time.perf_counter() - start
                body = response.json()
                count += len(body["changes"])
                cursor = body["cursor"]
                if not body["has_more"]:
                    assert count == PULL, count
                    return seconds

        yield push, pull


@contextmanager
def plain_sqlite(folder: Path) -> Iterator[tuple[Callable[[], None], Callable[[], None]]]:
    """The floor: the same rows with plain sqlite3, the server's pragmas, one transaction."""
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

    def pull() -> None:
        rows = db.execute(
            "SELECT id, type, version, deleted, data, server_updated_at FROM records"
            " WHERE account_id = 'a' ORDER BY change_seq"
        ).fetchall()
        assert len([json.loads(r[4]) for r in rows]) == PULL

    try:
        yield push, pull
    finally:
        db.close()


def run() -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        the_app(Path(tmp)) as (our_push, our_pull),
        plain_sqlite(Path(tmp)) as (floor_push, floor_pull),
    ):
        our_push()  # warm up both
        floor_push()
        push = alternate(timed(our_push), timed(floor_push), PUSH_ROUNDS)
        for _ in range(PULL // PUSH - PUSH_ROUNDS - 1):  # fill both up to 10,000 sessions
            our_push()
            floor_push()
        pull = alternate(our_pull, timed(floor_pull), PULL_ROUNDS)
    for name, what, result in (
        ("push", f"Push of {PUSH} sessions", push),
        ("pull", f"Pull of {PULL:,} sessions (pages of 1000)", pull),
    ):
        print(
            f"{what} over HTTP: {result['ours'] * 1000:.1f} ms; plain sqlite3 "
            f"{result['floor'] * 1000:.1f} ms; floor/ours {result['floor'] / result['ours']:.2f} "
            f"({name} {PUSH if name == 'push' else PULL} / {result['ours']:.3f} s = "
            f"{(PUSH if name == 'push' else PULL) / result['ours']:,.0f} sessions/s)"
        )
    return {"push": push, "pull": pull}
