"""Housekeeping: rows that have done their work are deleted, by the scheduler's rounds.

- pairing codes past their ten minutes (a used one is deleted when it is used);
- rate-limit counts of minutes that are over (only this minute's and the last
  one's are read);
- `reminders_sent` rows older than 30 days: they stop a reminder being sent
  twice, which matters for a few hours at most.

Every process sweeps at most once every `EVERY`; sweeps by several workers at
once are harmless (each DELETE is idempotent).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete

from .models import PairingCode, RateHit, ReminderSent

log = logging.getLogger(__name__)
PAIRING_CODES = PairingCode.__table__  # type: ignore[attr-defined]
RATE_HITS = RateHit.__table__  # type: ignore[attr-defined]
SENT = ReminderSent.__table__  # type: ignore[attr-defined]

EVERY = timedelta(hours=1)
SENT_KEPT = timedelta(days=30)


def sweep(engine: Engine, now: datetime) -> dict[str, int]:
    """Delete what is no longer needed at `now`; return how many rows of each table."""
    minute = int(now.timestamp() // 60)  # as server.sync.ratelimit counts windows
    with engine.begin() as connection:
        deleted = {
            "pairing_codes": connection.execute(
                delete(PAIRING_CODES).where(PAIRING_CODES.c.expires_at < now)
            ).rowcount,
            "rate_hits": connection.execute(
                delete(RATE_HITS).where(RATE_HITS.c.window < minute - 1)
            ).rowcount,
            "reminders_sent": connection.execute(
                delete(SENT).where(SENT.c.at < now - SENT_KEPT)
            ).rowcount,
        }
    return deleted


class Housekeeping:
    """Sweeps when one is due; never raises (a failed sweep is logged and tried next time)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]):
        self.engine = engine
        self.clock = clock
        self.next_at: datetime | None = None

    def round(self) -> None:
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            return
        self.next_at = now + EVERY
        try:
            deleted = sweep(self.engine, now)
        except Exception:
            log.exception("housekeeping failed; trying again in %s", EVERY)
            return
        if any(deleted.values()):
            log.info("housekeeping deleted %s", deleted)
