"""The documents that sync carries, one strict model per record type (DESIGN §4, §8)."""

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)

from .. import i18n

# The settings record: one per account, the same id on every account (ids are
# unique per account), derived from nothing secret.
SETTINGS_ID = "00000000-0000-4000-8000-000000000001"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Pain = Annotated[StrictInt, Field(ge=0, le=10)]
Count = Annotated[StrictInt, Field(ge=0, le=1000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SideReps(Strict):
    left: Count
    right: Count


class Target(Strict):
    """What the plan asked for: reps (per side for sided exercises) and the hold."""

    reps: Count
    hold_seconds: Annotated[StrictInt, Field(ge=1, le=600)] | None = None


class ExerciseLog(Strict):
    exercise_id: Slug
    reps: Count | SideReps
    skipped: StrictBool
    variation_id: Slug | None = None
    rating: Literal["easy", "ok", "hard", "painful"] | None = None
    hurt: StrictBool | None = None
    target: Target | None = None


class SessionData(Strict):
    """A workout log, `data` v1."""

    routine_id: Slug
    started_at: AwareDatetime
    ended_at: AwareDatetime | None
    pain_before: Pain | None
    pain_after: Pain | None
    notes: Annotated[str, StringConstraints(max_length=2000)]
    exercises: Annotated[list[ExerciseLog], Field(max_length=50)]


def known_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{name}' is not an IANA time zone") from exc
    return name


Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def unique_days(days: list[str]) -> list[str]:
    if len(set(days)) != len(days):
        raise ValueError("each day may appear only once")
    return days


class Reminders(Strict):
    days: Annotated[list[Day], Field(max_length=7), AfterValidator(unique_days)]
    time: Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    time_zone: Annotated[str, StringConstraints(max_length=64), AfterValidator(known_time_zone)]


LanguageCode = Literal[i18n.available()]  # type: ignore[valid-type]


class SettingsData(Strict):
    """The user's preferences, one record per account."""

    weekly_goal: Annotated[StrictInt, Field(ge=1, le=7)]
    voice: StrictBool
    beeps: StrictBool
    vibration: StrictBool
    tempo: Literal["slower", "normal", "faster"]
    reminders: Reminders | None = None
    # Any language the app speaks (found from its files, DESIGN §8: en, es, de).
    language: LanguageCode | None = None  # type: ignore[valid-type]


MODELS: dict[str, type[BaseModel]] = {"session": SessionData, "settings": SettingsData}
