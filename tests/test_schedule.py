"""Due times of weekly reminders in the user's time zone, across daylight-saving changes."""

from datetime import UTC, datetime, timedelta

import pytest

from server.reminders.schedule import local_day, next_due

MWF = ["mon", "wed", "fri"]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_the_next_chosen_day_at_the_local_time() -> None:
    # Wednesday 25 November 2026, 08:00 in Madrid (07:00 UTC): today's 07:30 has passed.
    assert next_due(MWF, "07:30", "Europe/Madrid", utc(2026, 11, 25, 7, 0)) == utc(
        2026, 11, 27, 6, 30
    )
    # A minute before: today, at 07:30 local (06:30 UTC in winter).
    assert next_due(MWF, "07:30", "Europe/Madrid", utc(2026, 11, 25, 6, 29)) == utc(
        2026, 11, 25, 6, 30
    )
    # Exactly at the due moment, it is the next one (strictly after).
    assert next_due(MWF, "07:30", "Europe/Madrid", utc(2026, 11, 25, 6, 30)) == utc(
        2026, 11, 27, 6, 30
    )


def test_madrid_across_the_spring_and_autumn_changes() -> None:
    # Clocks go forward on Sunday 29 March 2026: Friday 07:30 is 06:30 UTC,
    # Monday 07:30 is 05:30 UTC.
    friday = next_due(MWF, "07:30", "Europe/Madrid", utc(2026, 3, 26, 12))
    monday = next_due(MWF, "07:30", "Europe/Madrid", friday)
    assert (friday, monday) == (utc(2026, 3, 27, 6, 30), utc(2026, 3, 30, 5, 30))
    # Back on Sunday 25 October 2026: 05:30 UTC before, 06:30 UTC after.
    friday = next_due(MWF, "07:30", "Europe/Madrid", utc(2026, 10, 22, 12))
    monday = next_due(MWF, "07:30", "Europe/Madrid", friday)
    assert (friday, monday) == (utc(2026, 10, 23, 5, 30), utc(2026, 10, 26, 6, 30))


def test_new_york_across_the_spring_and_autumn_changes() -> None:
    # Forward on Sunday 8 March 2026: 07:30 EST is 12:30 UTC, 07:30 EDT is 11:30 UTC.
    sunday = next_due(["sun"], "07:30", "America/New_York", utc(2026, 3, 7, 12))
    assert sunday == utc(2026, 3, 8, 11, 30)
    saturday = next_due(["sat"], "07:30", "America/New_York", utc(2026, 3, 6, 12))
    assert saturday == utc(2026, 3, 7, 12, 30)
    # Back on Sunday 1 November 2026.
    sunday = next_due(["sun"], "07:30", "America/New_York", utc(2026, 10, 31, 12))
    assert sunday == utc(2026, 11, 1, 12, 30)


def test_a_time_the_clocks_skip_comes_an_hour_later_and_a_repeated_one_comes_once() -> None:
    # 02:30 does not exist in Madrid on 29 March 2026: 03:30 CEST (01:30 UTC).
    assert next_due(["sun"], "02:30", "Europe/Madrid", utc(2026, 3, 28)) == utc(2026, 3, 29, 1, 30)
    # 02:30 happens twice on 25 October 2026: the first time (00:30 UTC), then next week.
    first = next_due(["sun"], "02:30", "Europe/Madrid", utc(2026, 10, 24))
    assert first == utc(2026, 10, 25, 0, 30)
    assert next_due(["sun"], "02:30", "Europe/Madrid", first) == utc(2026, 11, 1, 1, 30)


def test_a_reminder_needs_a_day() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        next_due([], "07:30", "UTC", utc(2026, 11, 25))


def test_the_local_day_is_the_users_not_the_servers() -> None:
    # 23:30 UTC on 24 November is already the 25th in Madrid.
    start, end = local_day("Europe/Madrid", utc(2026, 11, 24, 23, 30))
    assert (start, end) == (utc(2026, 11, 24, 23), utc(2026, 11, 25, 23))
    # The day the clocks go back has 25 hours.
    start, end = local_day("Europe/Madrid", utc(2026, 10, 25, 12))
    assert end - start == timedelta(hours=25)
