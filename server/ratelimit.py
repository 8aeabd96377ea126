"""Per-address attempt limits, counted in the database so every worker shares them."""

import time

from sqlalchemy import delete
from sqlmodel import Session, col

from .errors import ApiError
from .models import RateHit


def hit(session: Session, bucket: str, client: str, per_minute: int) -> None:
    """Count one attempt; answer 429 with Retry-After past `per_minute` in this minute.

    Commits at once, so an attempt counts even when the request then fails.
    """
    now = time.time()
    window = int(now // 60)
    row = session.get(RateHit, (bucket, client[:64], window))
    if row is None:
        row = RateHit(bucket=bucket, client=client[:64], window=window, count=0)
        # Old windows are of no use: sweep them while we are writing anyway.
        session.execute(delete(RateHit).where(col(RateHit.window) < window - 1))
    row.count += 1
    session.add(row)
    session.commit()
    if row.count > per_minute:
        retry_after = max(1, int(60 - now % 60))
        raise ApiError(
            429,
            "too_many_requests",
            f"Too many attempts from this address. Try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )
