"""Per-address attempt limits, counted in the database so every worker shares them."""

import time

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from ..errors import ApiError
from ..models import RateHit


def _count(session: Session, bucket: str, client: str, window: int) -> int:
    """Add one to this minute's count and return it, creating the row if needed."""
    where = (
        col(RateHit.bucket) == bucket,
        col(RateHit.client) == client,
        col(RateHit.window) == window,
    )
    bumped = session.execute(update(RateHit).where(*where).values(count=RateHit.count + 1))
    if bumped.rowcount == 0:  # type: ignore[attr-defined]
        # Old windows are of no use: sweep them while we are writing anyway.
        session.execute(delete(RateHit).where(col(RateHit.window) < window - 1))
        session.add(RateHit(bucket=bucket, client=client, window=window, count=1))
    session.commit()
    row = session.get(RateHit, (bucket, client, window))
    return row.count if row else 1


def hit(session: Session, bucket: str, client: str, per_minute: int) -> None:
    """Count one attempt; answer 429 with Retry-After past `per_minute` in this minute.

    Commits at once, so an attempt counts even when the request then fails.
    """
    now = time.time()
    window = int(now // 60)
    client = client[:64]
    try:
        count = _count(session, bucket, client, window)
    except IntegrityError:
        # Another worker created this minute's row first (PostgreSQL): count on it.
        session.rollback()
        count = _count(session, bucket, client, window)
    if count > per_minute:
        retry_after = max(1, int(60 - now % 60))
        raise ApiError(
            429,
            "too_many_requests",
            f"Too many attempts from this address. Try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )
