"""Content: every file loads through the models, every fact of the article is
there, and broken content stops the server with a message naming file and field."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.app import create_app
from server.settings import ROOT, Settings
from server.site.content import ContentError, Exercise, load_routine

STATIC = ROOT / "web" / "static"


@pytest.fixture(scope="module")
def routine():
    return load_routine(ROOT / "content", STATIC)


def by_id(routine, exercise_id: str) -> Exercise:
    return next(e for e in routine.exercises if e.id == exercise_id)


def all_text(exercise: Exercise) -> str:
    return json.dumps(exercise.model_dump()).lower()


def test_every_content_file_is_read_by_the_models() -> None:
    files = sorted((ROOT / "content").rglob("*.json"))
    routine = load_routine(ROOT / "content", STATIC)
    languages = [p.parent for p in (ROOT / "content").glob("*/routine.json")]
    # English, and each other language with the same files (no stray file is ignored).
    assert len(files) == (1 + len(languages)) * (1 + len(routine.exercises))
    for path in (ROOT / "content").rglob("exercises/*.json"):
        Exercise.model_validate_json(path.read_text())


# The article's facts, exercise by exercise: reps, sides, holds, breathing, position.
def test_knees_to_chest_facts(routine) -> None:
    e = by_id(routine, "knees-to-chest")
    assert (e.reps.min, e.reps.max, e.sides, e.hold_seconds) == (15, 15, "none", None)
    assert [s.breath for s in e.steps if s.breath] == ["inhale", "exhale"]
    text = all_text(e)
    for fact in ("on your back", "both knees", "chest", "hands", "nose", "mouth", "relax"):
        assert fact in text


def test_knee_rolls_facts(routine) -> None:
    e = by_id(routine, "knee-rolls")
    assert (e.reps.min, e.reps.max, e.sides) == (12, 15, "alternate")
    text = all_text(e)
    for fact in (
        "knees bent",
        "shoulders",
        "both feet on the mat",
        "nose",
        "mouth",
        "oblique",
        "lower back",
        "waist",
    ):
        assert fact in text


def test_straight_leg_raise_facts(routine) -> None:
    e = by_id(routine, "straight-leg-raise")
    assert (e.reps.min, e.reps.max, e.sides) == (10, 12, "each")
    assert e.hold_seconds is not None
    assert (e.hold_seconds.min, e.hold_seconds.max) == (5, 5)
    rep_steps = [s for s in e.steps if s.kind == "rep"]
    assert [s.breath for s in rep_steps] == ["inhale", "exhale", None, None]
    assert rep_steps[2].hold_seconds == 5
    assert "slowly" in rep_steps[3].text
    band = next(v for v in e.variations if v.id == "with-band")
    assert band.level == "easier"
    assert "both hands" in band.text
    assert "foot" in band.text
    assert "ceiling" in all_text(e)
    assert "straight" in all_text(e)


def test_upper_ab_crunch_facts(routine) -> None:
    e = by_id(routine, "upper-ab-crunch")
    assert (e.reps.min, e.reps.max, e.sides) == (12, 15, "none")
    assert e.hold_seconds is not None
    assert (e.hold_seconds.min, e.hold_seconds.max) == (3, 3)
    text = all_text(e)
    for fact in (
        "behind your head",
        "crossed over your chest",
        "chest and shoulders",
        "towards your knees",
        "neutral",
        "slowly",
        "breath",
    ):
        assert fact in text


def test_opposite_arm_leg_lift_facts(routine) -> None:
    e = by_id(routine, "opposite-arm-leg-lift")
    assert (e.reps.min, e.reps.max, e.sides) == (12, 15, "alternate")
    assert e.hold_seconds is not None
    assert (e.hold_seconds.min, e.hold_seconds.max) == (3, 5)
    assert "pillow" in e.equipment
    text = all_text(e)
    for fact in (
        "face down",
        "pillow under your stomach",
        "opposite",
        "without lifting your body",
        "coordination",
        "in line with your back",
    ):
        assert fact in text
    fours = next(v for v in e.variations if v.id == "all-fours")
    assert fours.level == "harder"
    assert "in line with your back" in fours.text


def test_routine_carries_safety_regularity_and_tips(routine) -> None:
    safety = " ".join(routine.safety).lower()
    for fact in (
        "health professional",
        "injury",
        "age",
        "regularly",
        "trainer",
        "doctor",
        "sharp pain",
    ):
        assert fact in safety
    intro = " ".join(routine.intro).lower()
    for fact in ("sciatica", "disc", "posture", "arthritis", "home"):
        assert fact in intro
    tips = {t.id: t.text.lower() for t in routine.tips}
    assert len(tips) == 7
    assert "omega-3" in tips["food"]
    assert "antioxidants" in tips["food"]
    assert "walk" in tips["posture"]
    assert "sit" in tips["posture"]
    assert "doctor" in tips["supplements"]
    assert "calcium" in tips["supplements"]
    assert {"breathing", "stress", "strain", "sleep"} <= set(tips)


def test_every_exercise_explains_why_and_common_mistakes(routine) -> None:
    for e in routine.exercises:
        assert len(e.why_it_helps) > 40
        assert e.common_mistakes
        assert e.cautions
        assert e.benefits
        assert (STATIC / e.illustration.removeprefix("/static/")).is_file()


def test_every_movement_has_its_breath_and_the_lifts_breathe_out_as_they_lift(routine) -> None:
    """A coach gives every exercise a breath: out on the effort, in on the way back."""
    for e in routine.exercises:
        breaths = [s.breath for s in e.steps if s.kind == "rep"]
        assert "exhale" in breaths, e.id
    for exercise_id in ("upper-ab-crunch", "opposite-arm-leg-lift"):
        steps = [s for s in by_id(routine, exercise_id).steps if s.kind == "rep"]
        lift, hold, lower = steps
        assert (lift.breath, lower.breath) == ("exhale", "inhale")
        assert lift.cue.startswith("Breathe out")
        assert lower.cue.startswith("Breathe in")
        assert "breath" in hold.text


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        ("exercises/knee-rolls.json", lambda d: d["reps"].update(min=20), "field 'reps'"),
        ("exercises/knee-rolls.json", lambda d: d.update(sides="both"), "field 'sides'"),
        (
            "exercises/knee-rolls.json",
            lambda d: d["steps"][1].update(breath="hold"),
            "field 'steps.1.breath'",
        ),
        ("exercises/knee-rolls.json", lambda d: d.pop("cautions"), "field 'cautions'"),
        ("exercises/knee-rolls.json", lambda d: d.update(side_names=None), "side_names is needed"),
        ("exercises/knee-rolls.json", lambda d: d.update(colour="red"), "field 'colour'"),
        ("exercises/knee-rolls.json", lambda d: d.update(id="knee-roll"), "field 'id'"),
        (
            "exercises/knee-rolls.json",
            lambda d: d.update(illustration="/static/img/none.svg"),
            "field 'illustration'",
        ),
        ("routine.json", lambda d: d["exercises"].reverse(), "field 'exercises'"),
        ("routine.json", lambda d: d["pacing"].pop("rest_seconds"), "field 'pacing.rest_seconds'"),
    ],
)
def test_broken_content_is_refused_naming_file_and_field(
    content_copy: Path, file: str, change, expected: str
) -> None:
    edit(content_copy / file, change)
    with pytest.raises(ContentError) as caught:
        create_app(Settings(content_dir=content_copy, database_url="sqlite://"))
    message = str(caught.value)
    assert str(content_copy / file) in message
    assert expected in message


def test_invalid_json_and_missing_files_are_refused(content_copy: Path) -> None:
    (content_copy / "exercises" / "knee-rolls.json").write_text("{ not json")
    with pytest.raises(ContentError, match=r"knee-rolls\.json: not valid JSON"):
        load_routine(content_copy, STATIC)
    (content_copy / "exercises" / "knee-rolls.json").unlink()
    with pytest.raises(ContentError, match=r"knee-rolls\.json: the file is missing"):
        load_routine(content_copy, STATIC)


def test_server_refuses_to_start_on_broken_content(content_copy: Path, tmp_path: Path) -> None:
    edit(content_copy / "exercises" / "upper-ab-crunch.json", lambda d: d["reps"].update(max=0))
    env = {
        **os.environ,
        "CONTENT_DIR": str(content_copy),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "PORT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "server"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "upper-ab-crunch.json" in result.stderr
    assert "field 'reps.max'" in result.stderr
