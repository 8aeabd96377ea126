"""The routine's content: pydantic models, and loading them from `content/`."""

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

ROUTINE_ID = "spine-five"
EXERCISE_IDS = (
    "knees-to-chest",
    "knee-rolls",
    "straight-leg-raise",
    "upper-ab-crunch",
    "opposite-arm-leg-lift",
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]


class ContentModel(BaseModel):
    """Strict base: unknown fields are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(ContentModel):
    kind: Literal["setup", "rep"]
    text: Text
    cue: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    breath: Literal["inhale", "exhale"] | None
    hold_seconds: Annotated[int, Field(ge=1, le=60)] | None
    seconds: Annotated[int, Field(ge=0, le=30)]

    @model_validator(mode="after")
    def _takes_time(self) -> "Step":
        if self.seconds == 0 and self.hold_seconds is None:
            raise ValueError("a step needs seconds > 0 or a hold_seconds")
        return self


class Range(ContentModel):
    min: Annotated[int, Field(ge=1, le=100)]
    max: Annotated[int, Field(ge=1, le=100)]

    @model_validator(mode="after")
    def _ordered(self) -> "Range":
        if self.min > self.max:
            raise ValueError("min must not be greater than max")
        return self


class SideNames(ContentModel):
    """What the player calls each side, e.g. "left leg"; "left" is done first."""

    left: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    right: Annotated[str, StringConstraints(min_length=1, max_length=40)]


# How the body lies on the mat: a change between exercises needs time to turn over.
Posture = Literal["back", "front", "all-fours"]
# Seconds at least to get into a new position (longer at the slower tempo), pacing.js too.
POSITION_CHANGE_SECONDS = 10


class Variation(ContentModel):
    id: Slug
    name: Text
    level: Literal["easier", "harder"]
    text: Text
    posture: Posture


class Exercise(ContentModel):
    id: Slug
    name: Text
    summary: Text
    benefits: list[Text] = Field(min_length=1)
    why_it_helps: Text
    common_mistakes: list[Text] = Field(min_length=1)
    position: Text
    posture: Posture
    equipment: list[Text] = Field(min_length=1)
    key_cue: Text
    steps: list[Step] = Field(min_length=2)
    reps: Range
    sides: Literal["none", "each", "alternate"]
    side_names: SideNames | None
    hold_seconds: Range | None
    variations: list[Variation]
    cautions: list[Text] = Field(min_length=1)
    illustration: Annotated[str, StringConstraints(pattern=r"^/static/[a-z0-9/_.-]+\.svg$")]

    @model_validator(mode="after")
    def _has_rep_steps(self) -> "Exercise":
        if not any(step.kind == "rep" for step in self.steps):
            raise ValueError("steps need at least one step of kind 'rep'")
        if (self.sides == "none") != (self.side_names is None):
            raise ValueError("side_names is needed exactly when sides is 'each' or 'alternate'")
        return self

    @property
    def rep_seconds(self) -> int:
        """Seconds one repetition takes at the normal tempo."""
        return sum(s.seconds + (s.hold_seconds or 0) for s in self.steps if s.kind == "rep")

    @property
    def setup_seconds(self) -> int:
        """Seconds of the steps done once, before the first rep."""
        return sum(s.seconds + (s.hold_seconds or 0) for s in self.steps if s.kind == "setup")

    @property
    def side_count(self) -> int:
        return 1 if self.sides == "none" else 2


class Pacing(ContentModel):
    get_ready_seconds: Annotated[int, Field(ge=0, le=60)]
    side_switch_seconds: Annotated[int, Field(ge=0, le=60)]
    rest_seconds: Annotated[int, Field(ge=0, le=300)]


class Tip(ContentModel):
    id: Slug
    text: Text


class Source(ContentModel):
    title: Text
    note: Text


class RoutineFile(ContentModel):
    """`content/routine.json` as written: exercises named by id."""

    id: Literal["spine-five"]
    title: Text
    summary: Text
    intro: list[Text] = Field(min_length=1)
    safety: list[Text] = Field(min_length=3)
    exercises: list[Slug] = Field(min_length=1)
    pacing: Pacing
    tips: list[Tip] = Field(min_length=1)
    source: Source


class Routine(ContentModel):
    """The routine with its exercises inline, as the API serves it."""

    id: str
    title: str
    summary: str
    intro: list[str]
    safety: list[str]
    exercises: list[Exercise]
    pacing: Pacing
    tips: list[Tip]
    source: Source
    estimated_seconds: int


class ContentError(Exception):
    """Content that cannot be served; the message names the file and the field."""


def estimate_seconds(exercises: list[Exercise], pacing: Pacing) -> int:
    """Estimate the routine's length at the normal tempo with the lower rep counts.

    The same sum as pacing.js's timeline without a voice: the first exercise,
    and each that starts in another posture, gives time to get into it.
    """
    total = 0
    posture = None
    for exercise in exercises:
        reps = exercise.reps.min * exercise.side_count
        setup = exercise.setup_seconds
        if exercise.posture != posture:
            setup = max(setup, POSITION_CHANGE_SECONDS)
        posture = exercise.posture
        total += pacing.get_ready_seconds + setup + reps * exercise.rep_seconds
        if exercise.sides == "each":
            total += pacing.side_switch_seconds
    return total + pacing.rest_seconds * max(len(exercises) - 1, 0)


def _read(path: Path, model: type[ContentModel]) -> ContentModel:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: the file is missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: not valid JSON ({exc})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc']) or '(top level)'}': {err['msg']}"
            for err in exc.errors()
        )
        raise ContentError(f"{path}: {problems}") from None


# Fields that hold facts, not words: the same in every language.
FACT_FIELDS = frozenset(
    {"id", "kind", "breath", "sides", "level", "posture", "illustration", "exercises"}
)


def same_facts(english: Any, translated: Any, where: str = "") -> str | None:
    """Say where a translation's facts differ from the English, or None.

    Words may differ; numbers, ids, kinds, sides, breaths, nulls and the
    length of every list may not.
    """
    if isinstance(english, dict):
        for key, value in english.items():
            problem = same_facts(value, translated.get(key), f"{where}.{key}" if where else key)
            if problem:
                return problem
        return None
    if isinstance(english, list):
        if not isinstance(translated, list) or len(translated) != len(english):
            count = len(translated) if isinstance(translated, list) else "no"
            return f"field '{where}' has {count} items, English has {len(english)}"
        for index, (a, b) in enumerate(zip(english, translated, strict=True)):
            problem = same_facts(a, b, f"{where}.{index}")
            if problem:
                return problem
        return None
    field = where.rsplit(".", 1)[-1]
    if field.isdigit():
        field = where.rsplit(".", 2)[-2]
    is_words = isinstance(english, str) and field not in FACT_FIELDS
    if (is_words and not isinstance(translated, str)) or (not is_words and english != translated):
        return f"field '{where}' is {translated!r}, English has {english!r}"
    return None


def load_translation(content_dir: Path, static_dir: Path, code: str, english: Routine) -> Routine:
    """Read one language's content from `content/<code>/`, valid and with English's facts."""
    folder = content_dir / code
    routine = load_routine(folder, static_dir)
    english_files: dict[str, Any] = {}
    translated_files: dict[str, Any] = {}
    for mine, theirs in zip(english.exercises, routine.exercises, strict=True):
        english_files[f"exercises/{mine.id}.json"] = mine.model_dump()
        translated_files[f"exercises/{mine.id}.json"] = theirs.model_dump()
    # The routine's own file last: its derived length follows from the exercises.
    derived = {"exercises", "estimated_seconds"}
    english_files["routine.json"] = english.model_dump(exclude=derived)
    translated_files["routine.json"] = routine.model_dump(exclude=derived)
    for name, facts in english_files.items():
        problem = same_facts(facts, translated_files[name])
        if problem:
            raise ContentError(f"{folder / name}: {problem}")
    return routine


def load_routine(content_dir: Path, static_dir: Path) -> Routine:
    """Read and check every content file; raise ContentError on the first bad one."""
    routine_path = content_dir / "routine.json"
    routine = _read(routine_path, RoutineFile)
    assert isinstance(routine, RoutineFile)
    if tuple(routine.exercises) != EXERCISE_IDS:
        raise ContentError(
            f"{routine_path}: field 'exercises' must list {', '.join(EXERCISE_IDS)} in that order"
        )
    exercises = []
    for exercise_id in routine.exercises:
        path = content_dir / "exercises" / f"{exercise_id}.json"
        exercise = _read(path, Exercise)
        assert isinstance(exercise, Exercise)
        if exercise.id != exercise_id:
            raise ContentError(f"{path}: field 'id' is '{exercise.id}', expected '{exercise_id}'")
        picture = static_dir / exercise.illustration.removeprefix("/static/")
        if not picture.is_file():
            raise ContentError(f"{path}: field 'illustration' names a missing file {picture}")
        exercises.append(exercise)
    data = routine.model_dump()
    data["exercises"] = exercises
    data["estimated_seconds"] = estimate_seconds(exercises, routine.pacing)
    return Routine.model_validate(data)
