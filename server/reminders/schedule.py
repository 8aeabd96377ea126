"""When a weekly reminder is due: local days and a local time, in the user's own time zone.

Pure functions of aware datetimes, so daylight-saving changes are tested as they are.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # as date.weekday() counts them


def next_due(days: Iterable[str], at: str, time_zone: str, after: datetime) -> datetime:
    """The first moment strictly after `after` that is `at` ("07:30") on one of
    `days` in `time_zone`, in UTC.

    A local time that a clock change skips (02:30 when clocks jump from 02:00 to
    03:00) is read with the offset before the change, so it comes at 03:30; a
    time that happens twice (clocks going back) comes the first time.
    """
    zone = ZoneInfo(time_zone)
    hour, minute = (int(part) for part in at.split(":"))
    wanted = {DAYS.index(day) for day in days}
    if not wanted:
        raise ValueError("a reminder needs at least one day")
    today = after.astimezone(zone).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() in wanted:
            moment = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
            if moment > after:
                return moment
    raise AssertionError("unreachable: every weekday comes within eight days")


def local_day(time_zone: str, moment: datetime) -> tuple[datetime, datetime]:
    """The start and end (UTC) of the day that `moment` falls on in `time_zone`."""
    zone = ZoneInfo(time_zone)
    day = moment.astimezone(zone).date()
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
