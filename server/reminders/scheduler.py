"""The reminder scheduler: runs in every server process, sends each due reminder once.

Several workers or containers may run it against one database. Each round, a
scheduler claims due reminders with a lease (SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite's write lock, taken by BEGIN IMMEDIATE, on SQLite), sends them
outside the transaction, then records what it did and moves each to its next due
time in the same transaction, only if the reminder is still the one it claimed.
A scheduler that dies mid-round leaves leases that run out; the reminder is then
claimed again, so a crash between the push and its record can repeat one (the
notification's tag makes the second replace the first on the device).
"""

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from .. import i18n
from ..clock import utcnow
from ..housekeeping import Housekeeping
from ..i18n import Language
from ..models import Record, Reminder, ReminderSent
from .endpoints import BROWSERS_ONLY, PushPolicy
from .schedule import local_day, next_due
from .webpush import SEND_DEADLINE, Delivery, KeyPair, PushKeys, send

log = logging.getLogger(__name__)
REMINDERS = Reminder.__table__  # type: ignore[attr-defined]
SENT = ReminderSent.__table__  # type: ignore[attr-defined]
RECORDS = Record.__table__  # type: ignore[attr-defined]

LEASE = timedelta(minutes=2)
BATCH = 50
SENDS_AT_ONCE = 8
# A round sends its batch SENDS_AT_ONCE at a time, each send within
# SEND_DEADLINE, and starts no send once less than two deadlines of its lease
# are left (that reminder is claimed again next round): no other worker can
# claim a reminder while this one may still be sending it.
ROUND = timedelta(seconds=SEND_DEADLINE) * (-(-BATCH // SENDS_AT_ONCE) + 2)
assert LEASE > 2 * ROUND, "the lease must outlast the slowest round"
# A reminder still undelivered this long after its time is dropped: a nudge for
# a morning routine is no use in the evening.
STALE = timedelta(hours=6)
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8... minutes
LAST_RETRY = timedelta(hours=1)


def message(language: Language) -> dict[str, Any]:
    """The reminder, worded in a language, opening the workout in it."""
    _ = language.translations.gettext
    return {
        "title": _("Time for your back routine"),
        "body": _("Five exercises on your mat, at your own pace."),
        "url": language.url("/workout"),
    }


Sender = Callable[[dict[str, Any], dict[str, Any], KeyPair, str], Delivery]


@dataclass(frozen=True)
class Claimed:
    device_id: str
    account_id: str
    endpoint: str
    p256dh: str
    auth: str
    days: str
    time: str
    time_zone: str
    due_at: datetime
    attempts: int

    def next_due(self, after: datetime) -> datetime:
        return next_due(self.days.split(","), self.time, self.time_zone, after)

    @property
    def subscription(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def backoff(attempts: int, asked: float | None) -> timedelta:
    """The wait before try number `attempts + 1`: doubling, capped, never shorter
    than the push service asked for."""
    wait = min(FIRST_RETRY * (1 << (attempts - 1)), LAST_RETRY)
    return max(wait, timedelta(seconds=asked or 0))


class Scheduler:
    def __init__(
        self,
        engine: Engine,
        keys: PushKeys,
        contact: str,
        sender: Sender | None = None,
        clock: Callable[[], datetime] = utcnow,
        languages: dict[str, Language] | None = None,
        policy: PushPolicy = BROWSERS_ONLY,
    ):
        self.languages = languages or i18n.load_languages()
        self.engine = engine
        self.keys = keys
        self.contact = contact
        self.sender = sender or partial(send, policy=policy)
        self.clock = clock

    def tick(self) -> int:
        """One round: claim what is due, deliver it, record it. Returns how many.

        Each reminder is on its own: one whose data or push service makes its
        delivery fail (an exception, a hang) is logged and backed off, and the
        others go on. Sends run a few at a time; the database is used from
        this thread only."""
        now = self.clock()
        claimed = self.claim(now)
        ready: list[tuple[Claimed, dict[str, Any]]] = []
        for reminder in claimed:
            try:
                words = self.prepare(reminder)
            except Exception:
                log.exception("reminder for %s could not be prepared", reminder.device_id)
                self.settle(reminder, Delivery(None))
                continue
            if words is not None:
                ready.append((reminder, words))
        last_start = now + LEASE - 2 * timedelta(seconds=SEND_DEADLINE)
        with ThreadPoolExecutor(max_workers=SENDS_AT_ONCE) as pool:
            deliveries = list(pool.map(lambda item: self.send(item[0], item[1], last_start), ready))
        for (reminder, _), delivery in zip(ready, deliveries, strict=True):
            self.settle(reminder, delivery)
        return len(claimed)

    def deliver(self, reminder: Claimed) -> None:
        """Deliver one claimed reminder and record what became of it."""
        words = self.prepare(reminder)
        if words is not None:
            self.settle(reminder, self.send(reminder, words, self.clock() + LEASE))

    def send(
        self, reminder: Claimed, words: dict[str, Any], last_start: datetime
    ) -> Delivery | None:
        """Push one reminder; None when its lease is too near its end to start."""
        if self.clock() > last_start:
            return None
        try:
            return self.sender(reminder.subscription, words, self.keys.get(), self.contact)
        except Exception:
            log.exception("push to %s failed", reminder.device_id)
            return Delivery(None)

    def settle(self, reminder: Claimed, delivery: Delivery | None) -> None:
        """Record a delivery; a failure to record is logged, and the lease runs out."""
        try:
            self.record(reminder, delivery)
        except Exception:
            log.exception("reminder for %s could not be recorded", reminder.device_id)

    def claim(self, now: datetime) -> list[Claimed]:
        with self.engine.begin() as connection:
            query = (
                select(*(REMINDERS.c[name] for name in Claimed.__dataclass_fields__))
                .where(
                    REMINDERS.c.due_at <= now,
                    or_(REMINDERS.c.lease_until.is_(None), REMINDERS.c.lease_until < now),
                    or_(REMINDERS.c.retry_at.is_(None), REMINDERS.c.retry_at <= now),
                )
                .order_by(REMINDERS.c.due_at)
                .limit(BATCH)
            )
            if connection.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = [Claimed(*row) for row in connection.execute(query)]
            if rows:
                connection.execute(
                    update(REMINDERS)
                    .where(REMINDERS.c.device_id.in_([r.device_id for r in rows]))
                    .values(lease_until=now + LEASE)
                )
        return rows

    def prepare(self, reminder: Claimed) -> dict[str, Any] | None:
        """The words to push, or None when there is nothing to send (recorded)."""
        now = self.clock()
        if now - reminder.due_at > STALE:
            self.finish(reminder, "expired", now)
            return None
        with self.engine.connect() as connection:
            done = routine_done_today(connection, reminder, now)
            language = self.languages.get(account_language(connection, reminder.account_id))
        if done:
            self.finish(reminder, "skipped", now)
            return None
        return message(language or self.languages[i18n.SOURCE])

    def record(self, reminder: Claimed, delivery: Delivery | None) -> None:
        now = self.clock()
        if delivery is None:  # not sent: claimed again next round
            with self.engine.begin() as connection:
                connection.execute(
                    update(REMINDERS).where(*self.still_ours(reminder)).values(lease_until=None)
                )
        elif delivery.ok:
            self.finish(reminder, "sent", now)
        elif delivery.gone:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(REMINDERS).where(
                        REMINDERS.c.device_id == reminder.device_id,
                        REMINDERS.c.endpoint == reminder.endpoint,
                    )
                )
            log.info("push subscription gone (%s): removed", delivery.status)
        elif delivery.retry and (
            now + (wait := backoff(reminder.attempts + 1, delivery.retry_after)) - reminder.due_at
            < STALE
        ):
            with self.engine.begin() as connection:
                connection.execute(
                    update(REMINDERS)
                    .where(*self.still_ours(reminder))
                    .values(attempts=reminder.attempts + 1, retry_at=now + wait, lease_until=None)
                )
        else:
            log.warning("push refused with %s: reminder dropped", delivery.status)
            self.finish(reminder, "failed", now)

    def still_ours(self, reminder: Claimed) -> tuple[Any, ...]:
        """The reminder as claimed: not changed by a PUT since."""
        return (
            REMINDERS.c.device_id == reminder.device_id,
            REMINDERS.c.due_at == reminder.due_at,
            REMINDERS.c.endpoint == reminder.endpoint,
        )

    def finish(self, reminder: Claimed, outcome: str, now: datetime) -> None:
        """Record what became of this due reminder and move on to the next one."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(SENT).values(
                        device_id=reminder.device_id,
                        due_at=reminder.due_at,
                        outcome=outcome,
                        at=now,
                    )
                )
                connection.execute(
                    update(REMINDERS)
                    .where(*self.still_ours(reminder))
                    .values(
                        due_at=reminder.next_due(max(now, reminder.due_at)),
                        lease_until=None,
                        attempts=0,
                        retry_at=None,
                    )
                )
        except IntegrityError:  # recorded already, or the device is gone
            log.info("reminder for %s at %s already handled", reminder.device_id, reminder.due_at)

    async def run(self, stop: asyncio.Event, every: float) -> None:
        """Rounds every `every` seconds until `stop` is set; a failed round is logged."""
        housekeeping = Housekeeping(self.engine, self.clock)
        while not stop.is_set():
            try:
                await run_in_threadpool(self.tick)
            except Exception:
                log.exception("reminder round failed; trying again next round")
            await run_in_threadpool(housekeeping.round)  # old codes, counts, records
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)


def account_language(connection: Connection, account_id: str) -> str:
    """The language the account chose in its synced settings (English if none)."""
    data = connection.execute(
        select(RECORDS.c.data).where(
            RECORDS.c.account_id == account_id,
            RECORDS.c.type == "settings",
            RECORDS.c.deleted.is_(False),
        )
    ).scalar()
    language = json.loads(data).get("language") if data else None
    return language if isinstance(language, str) else i18n.SOURCE


def routine_done_today(connection: Connection, reminder: Claimed, now: datetime) -> bool:
    """Whether the account synced a session started today, in the reminder's time zone."""
    start, end = local_day(reminder.time_zone, now)
    rows = connection.execute(
        select(RECORDS.c.data).where(
            and_(
                RECORDS.c.account_id == reminder.account_id,
                RECORDS.c.type == "session",
                RECORDS.c.deleted.is_(False),
                RECORDS.c.server_updated_at >= start,
            )
        )
    )
    for (data,) in rows:
        try:
            started = datetime.fromisoformat(json.loads(data)["started_at"])
            if start <= started < end:
                return True
        except (ValueError, TypeError, KeyError):
            continue  # a log the server would no longer take: it is not today's routine
    return False
