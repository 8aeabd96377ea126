"""The documents that sync carries, one strict model per record type
(docs/ARCHITECTURE.md, "Records")."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .. import i18n
from ..site.content import EXERCISE_IDS, ROUTINE_ID
from .times import session_time

# The settings record: one per account, the same id on every account (ids are
# unique per account), derived from nothing secret.
SETTINGS_ID = "00000000-0000-4000-8000-000000000001"
# The rules the devices keep too: server/rules.py hands them to the browser code.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RATINGS = ("easy", "ok", "hard", "painful")
TEMPOS = ("slower", "normal", "faster")
PAIN_MAX = 10
COUNT_MAX = 1000
HOLD_MAX = 600
NOTES_MAX = 2000
EXERCISES_MAX = 50
WEEKLY_GOAL_MAX = 7
# The safety check's warning signs, after the red flags of NICE NG59: the first
# three call for emergency care, any other for a doctor before the first workout.
SAFETY_SIGNS = (
    "bladder_bowel",
    "saddle_numbness",
    "leg_weakness",
    "fever",
    "injury",
    "weight_loss",
    "cancer",
    "night_pain",
    "age",
)
URGENT_SIGNS = SAFETY_SIGNS[:3]
# Asked again after 12 weeks, and after a session that ends with this much pain.
SAFETY_RECHECK_DAYS = 84
SAFETY_PAIN = 7

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Pain = Annotated[StrictInt, Field(ge=0, le=PAIN_MAX)]
Count = Annotated[StrictInt, Field(ge=0, le=COUNT_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SideReps(Strict):
    left: Count
    right: Count


class Target(Strict):
    """What the plan asked for: reps (per side for sided exercises) and the hold."""

    reps: Count
    hold_seconds: Annotated[StrictInt, Field(ge=1, le=HOLD_MAX)] | None = None


from_text = datetime.fromisoformat


def time_text(value: Any) -> str | None:
    """A session time in its canonical text; strict RFC 3339, 2000 to a day ahead."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PydanticCustomError(
            "rfc3339", "must be a text date and time such as 2026-11-24T07:30:00Z"
        )
    try:
        return session_time(value)
    except ValueError as exc:
        raise PydanticCustomError("rfc3339", str(exc)) from None


SessionTime = Annotated[str | None, PlainValidator(time_text, json_schema_input_type=str | None)]


# The ids of the content: its loader holds the files to exactly these (content.py),
# so they are the ids the server serves. Literals: checked without a Python call.
RoutineId = Literal[ROUTINE_ID]  # type: ignore[valid-type]
ExerciseId = Literal[EXERCISE_IDS]  # type: ignore[valid-type]


class ExerciseLog(Strict):
    exercise_id: ExerciseId
    reps: Count | SideReps
    skipped: StrictBool
    variation_id: Slug | None = None
    rating: Literal[RATINGS] | None = None  # type: ignore[valid-type]
    hurt: StrictBool | None = None
    target: Target | None = None


class SessionData(Strict):
    """A workout log, `data` v1. Its times are held in their canonical text, the form
    stored (see times.py); `stored_form` gives the data with them."""

    routine_id: RoutineId
    started_at: SessionTime
    ended_at: SessionTime
    pain_before: Pain | None
    pain_after: Pain | None
    notes: Annotated[str, StringConstraints(max_length=NOTES_MAX)]
    exercises: Annotated[list[ExerciseLog], Field(max_length=EXERCISES_MAX)]

    @field_validator("started_at")
    @classmethod
    def _started(cls, value: str | None) -> str:
        if value is None:
            raise PydanticCustomError("rfc3339", "is needed: a session has a start")
        return value

    @field_validator("ended_at")
    @classmethod
    def _ends_after_it_starts(cls, value: str | None, info: ValidationInfo) -> str | None:
        started = info.data.get("started_at")
        # Both in the canonical text by now, which the C parser reads.
        if value is not None and started is not None and from_text(value) < from_text(started):
            raise PydanticCustomError("ended_before_start", "must not be before started_at")
        return value


def stored_form(data: dict[str, Any], model: BaseModel) -> dict[str, Any] | None:
    """The data as it is stored, when that differs from what was sent: a session's
    times in their canonical text. None when the data is stored as sent."""
    if not isinstance(model, SessionData):
        return None
    if data.get("started_at") == model.started_at and data.get("ended_at") == model.ended_at:
        return None
    return {**data, "started_at": model.started_at, "ended_at": model.ended_at}


def known_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{name}' is not an IANA time zone") from exc
    return name


Day = Literal[WEEKDAYS]  # type: ignore[valid-type]


def each_once(noun: str) -> Callable[[list[str]], list[str]]:
    """A check that no item of a list appears twice ("each day may appear only once")."""

    def check(items: list[str]) -> list[str]:
        if len(set(items)) != len(items):
            raise ValueError(f"each {noun} may appear only once")
        return items

    return check


unique_days = each_once("day")


class Reminders(Strict):
    days: Annotated[list[Day], Field(max_length=7), AfterValidator(unique_days)]
    time: Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    time_zone: Annotated[str, StringConstraints(max_length=64), AfterValidator(known_time_zone)]


Sign = Literal[SAFETY_SIGNS]  # type: ignore[valid-type]


class SafetyCheck(Strict):
    """The answers to the safety check: when, the signs answered yes (all others
    no), and when the user said a health professional had cleared them."""

    answered_at: SessionTime
    yes: Annotated[
        list[Sign], Field(max_length=len(SAFETY_SIGNS)), AfterValidator(each_once("sign"))
    ]
    cleared_at: SessionTime = None

    @field_validator("answered_at")
    @classmethod
    def _answered(cls, value: str | None) -> str:
        if value is None:
            raise PydanticCustomError("rfc3339", "is needed: the check has a date")
        return value


LanguageCode = Literal[i18n.available()]  # type: ignore[valid-type]


class SettingsData(Strict):
    """The user's preferences, one record per account."""

    weekly_goal: Annotated[StrictInt, Field(ge=1, le=WEEKLY_GOAL_MAX)]
    voice: StrictBool
    beeps: StrictBool
    vibration: StrictBool
    tempo: Literal[TEMPOS]  # type: ignore[valid-type]
    reminders: Reminders | None = None
    # Any language the app speaks (found from its files, ARCHITECTURE §8: en, es, de).
    language: LanguageCode | None = None  # type: ignore[valid-type]
    safety: SafetyCheck | None = None


MODELS: dict[str, type[BaseModel]] = {"session": SessionData, "settings": SettingsData}
