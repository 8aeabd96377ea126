"""Scale-out: sessions pushed per second by many devices at once, against one
PostgreSQL, with 1 and with 2 uvicorn workers (`WORKERS`), over real HTTP.
Needs a PostgreSQL server whose user may create databases: TEST_POSTGRES_URL."""

import os
import statistics
import threading
import time
from typing import Any

import httpx

from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.live import live_server
from tests.sync_client import new_changes

DEVICES = 8  # one account each, pushing in parallel
BATCH = 50
SECONDS = 6.0
ROUNDS = 3


def pushed_per_second(base: str) -> float:
    """Let every device push batches for SECONDS; count the sessions applied."""
    tokens = [
        httpx.post(f"{base}/api/v1/accounts", json={"device_name": f"d{n}"}).json()["token"]
        for n in range(DEVICES)
    ]
    counts = [0] * DEVICES
    start = threading.Barrier(DEVICES + 1)
    deadline = 0.0

    def device(n: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {tokens[n]}"}) as c:
            start.wait()
            while time.perf_counter() < deadline:
                results = c.post("/api/v1/sync/push", json={"changes": new_changes(BATCH)})
                counts[n] += sum(r["status"] == "applied" for r in results.json()["results"])

    threads = [threading.Thread(target=device, args=(n,)) for n in range(DEVICES)]
    for thread in threads:
        thread.start()
    deadline = time.perf_counter() + SECONDS
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began)


def run() -> dict[str, Any] | None:
    if not POSTGRES_URL:
        print("Scale-out: not measured (set TEST_POSTGRES_URL to a PostgreSQL server).")
        return None
    rates: dict[int, float] = {}
    for workers in (1, 2):
        per_round = []
        for _ in range(ROUNDS):
            with (
                fresh_postgres_database() as url,
                live_server(url, WORKERS=str(workers)) as base,
            ):
                per_round.append(pushed_per_second(base))
        rates[workers] = statistics.median(per_round)
    print(
        f"Scale-out on PostgreSQL, {DEVICES} devices pushing {BATCH} at a time, "
        f"{os.cpu_count()} cores: 1 worker {rates[1]:,.0f} sessions/s, "
        f"2 workers {rates[2]:,.0f} sessions/s ({rates[2] / rates[1]:.2f}x)"
    )
    return {"rates": rates}


if __name__ == "__main__":
    run()
