"""Session times: strict RFC 3339 in, one canonical UTC text stored (ARCHITECTURE §8).

The canonical text is what the app itself writes (`Date.prototype.toISOString`),
without a fraction when the milliseconds are zero: `2026-11-24T07:30:00Z`,
`2026-11-24T07:30:00.250Z`. Times are kept to the millisecond, as every browser
keeps them. The importer (web/static/js/data/session-check.js) applies the same rules,
and tests/cases/session_data.json holds the cases both are tested with.
"""

import re
from datetime import UTC, datetime, timedelta

# Digits are spelled [0-9]: Python's \d would also take other scripts' digits.
RFC3339 = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]{1,9}))?"
    r"(?:(?P<utc>Z)|(?P<sign>[+-])(?P<off_hour>[0-9]{2}):(?P<off_minute>[0-9]{2}))"
)
# The canonical text itself (what the app sends): read by the C parser, kept as it is.
CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3})?Z")
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# How far past the server's clock a session may start or end: time zones and
# clocks that are a little fast, never a date that cannot have happened yet.
AHEAD = timedelta(days=1)
FORMAT_HELP = (
    "must be an RFC 3339 date and time such as 2026-11-24T07:30:00Z "
    "(a capital T, seconds, and Z or an offset like +01:00)"
)
UNREAL = (
    "is not a real date and time (a day the month has, hours 00 to 23,"
    " minutes and seconds 00 to 59)"
)
RANGE_HELP = "must be from 2000-01-01 to one day past the server's clock"


def parse_time(text: str) -> datetime:
    """Read a strict RFC 3339 date-time, kept to the millisecond, in UTC; raise
    ValueError saying what is wrong."""
    found = RFC3339.fullmatch(text) if len(text) <= 40 else None
    if found is None:
        raise ValueError(FORMAT_HELP)
    part = {k: int(v) for k, v in found.groupdict().items() if v and k not in ("utc", "sign")}
    if part.get("off_hour", 0) > 23 or part.get("off_minute", 0) > 59:
        raise ValueError("has an offset past 23:59, which no place has")
    fraction = found["fraction"] or "0"
    try:
        moment = datetime(
            part["year"],
            part["month"],
            part["day"],
            part["hour"],
            part["minute"],
            part["second"],
            int(fraction[:3].ljust(3, "0")) * 1000,
            tzinfo=UTC,
        )
    except ValueError:
        raise ValueError(UNREAL) from None
    offset = timedelta(hours=part.get("off_hour", 0), minutes=part.get("off_minute", 0))
    try:
        return moment - offset if found["sign"] == "+" else moment + offset
    except OverflowError:  # 0001-01-01T00:00:00+01:00, 9999-12-31T23:59:59-01:00
        raise ValueError(RANGE_HELP) from None


def canonical_time(moment: datetime) -> str:
    """The one text a moment is stored as: UTC, Z, milliseconds only when not zero."""
    utc = moment.astimezone(UTC)
    text = utc.replace(tzinfo=None).isoformat(timespec="seconds")
    millis = utc.microsecond // 1000
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


def session_time(text: str, now: datetime | None = None) -> str:
    """A session's time checked (format and range) and in its canonical text."""
    # A push carries up to 400 times: the usual, canonical ones take the short way.
    canonical = CANONICAL.fullmatch(text) and text[11:13] < "24" and not text.endswith(".000Z")
    try:
        moment = datetime.fromisoformat(text) if canonical else parse_time(text)
    except ValueError as exc:  # fromisoformat: 30 February, second 60
        raise ValueError(UNREAL if canonical else str(exc)) from None
    latest = (now or datetime.now(UTC)) + AHEAD
    if not EARLIEST <= moment <= latest:
        raise ValueError(RANGE_HELP)
    return text if canonical else canonical_time(moment)
