"""Housekeeping in the scheduler's rounds: expired pairing codes, rate-limit counts
of past minutes and reminder records older than 30 days are deleted; the rest stays."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.housekeeping import EVERY, Housekeeping
from server.models import PairingCode, RateHit, ReminderSent
from server.reminders.scheduler import Scheduler
from server.reminders.webpush import PushKeys
from server.settings import Settings
from tests.sync_client import new_account

pytestmark = pytest.mark.both_databases

NOW = datetime.now(UTC).replace(microsecond=0)
MINUTE = int(NOW.timestamp() // 60)
ADDRESS = "203.0.113.9"


@pytest.fixture
def settings(database: str) -> Settings:
    return Settings(environment="test", database_url=database, reminders_every_seconds=0)


class Clock:
    def __init__(self, now: datetime):
        self.now = now
        self.calls = 0

    def __call__(self) -> datetime:
        self.calls += 1
        return self.now


def fill(client: TestClient, app: FastAPI) -> None:
    """Two pairing codes (one expired), counts of four minutes, two reminder records."""
    phone, account = new_account(client)
    client.post("/api/v1/pairings", headers=phone.headers)
    with Session(app.state.engine) as session:
        session.add(expired_code(account["account_id"]))
        for window in (MINUTE - 60, MINUTE - 2, MINUTE - 1, MINUTE):
            session.add(RateHit(bucket="redeem", client=ADDRESS, window=window, count=3))
        for age, label in ((timedelta(days=31), "old"), (timedelta(days=29), "recent")):
            session.add(
                ReminderSent(
                    device_id=account["device_id"], due_at=NOW - age, outcome=label, at=NOW - age
                )
            )
        session.commit()


def expired_code(account_id: str, name: str = "expired") -> PairingCode:
    return PairingCode(
        code_hash=name,
        account_id=account_id,
        created_at=NOW - timedelta(minutes=11),
        expires_at=NOW - timedelta(minutes=1),
    )


def left(app: FastAPI) -> dict[str, list[object]]:
    with Session(app.state.engine) as session:
        return {
            "codes": sorted(c.code_hash for c in session.exec(select(PairingCode))),
            "windows": sorted(
                r.window - MINUTE
                for r in session.exec(select(RateHit).where(RateHit.client == ADDRESS))
            ),
            "sent": sorted(s.outcome for s in session.exec(select(ReminderSent))),
        }


def test_a_sweep_deletes_only_what_has_done_its_work(client: TestClient, app: FastAPI) -> None:
    fill(client, app)
    before = left(app)
    assert "expired" in before["codes"]
    assert len(before["codes"]) == 2
    assert before["windows"] == [-60, -2, -1, 0]
    assert before["sent"] == ["old", "recent"]
    Housekeeping(app.state.engine, Clock(NOW)).round()
    after = left(app)
    assert after["codes"] == [c for c in before["codes"] if c != "expired"]
    assert after["windows"] == [-1, 0], "this minute's and the last one's counts are read"
    assert after["sent"] == ["recent"]


def test_the_scheduler_sweeps_in_its_rounds_at_most_once_an_hour(
    client: TestClient, app: FastAPI
) -> None:
    clock = Clock(NOW)
    engine = app.state.engine
    scheduler = Scheduler(engine, PushKeys(engine), "mailto:a@b.c", clock=clock)
    fill(client, app)
    _, tablet = new_account(client, "tablet")

    async def until(done: Callable[[], bool]) -> None:
        for _ in range(200):
            if done():
                return
            await asyncio.sleep(0.02)

    async def rounds() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(scheduler.run(stop, 0.02))
        await until(lambda: left(app)["sent"] == ["recent"])
        assert "expired" not in left(app)["codes"]
        assert left(app)["windows"] == [-1, 0]

        # The next sweep waits an hour: a code that expires meanwhile stays till then.
        with Session(engine) as session:
            session.add(expired_code(tablet["account_id"], "expired again"))
            session.commit()
        seen = clock.calls
        await until(lambda: clock.calls > seen + 5)
        assert clock.calls > seen + 5, "the rounds went on"
        assert "expired again" in left(app)["codes"]
        clock.now = NOW + EVERY
        await until(lambda: "expired again" not in left(app)["codes"])
        stop.set()
        await task

    # In a thread of its own: in the whole suite, Playwright's sync API keeps an
    # event loop running in this one, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, rounds()).result()
    assert "expired again" not in left(app)["codes"]
