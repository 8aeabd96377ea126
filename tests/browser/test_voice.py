"""On the mat, by ear: the voice finishes every sentence, at every pace, on every device.

The speech stand-in (helpers.SPIES) takes about 330 ms a word, one sentence at
a time, and logs when each began and ended and whether it was cut off.
"""

import itertools
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import READ_SETTINGS, SPIES, go_offline, wait_until

REPS = 15 + 2 * 12 + 2 * 10 + 12 + 2 * 12  # every rep at the routine's starting counts
NAMES = ["Knees to chest", "Knee rolls", "Straight-leg raise", "Upper-ab crunch"]


@pytest.fixture
def mat(page: Page, context: BrowserContext, base_url: str) -> Page:
    """/workout offline with a fake clock and a voice that takes time to speak."""
    context.add_init_script(SPIES)
    page.clock.install()
    go_offline(page, context, base_url)
    return page


def set_pace(page: Page, base_url: str, label: str) -> None:
    if label == "Normal":  # the default: nothing to save
        return
    page.goto(base_url + "/settings")
    page.get_by_label(label).check()
    tempo = label.lower()
    wait_until(page, f"() => ({READ_SETTINGS})().then(v => v && v.tempo === '{tempo}')")


def speech(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.__speech"))


def assert_heard_whole(log: list[dict[str, Any]]) -> None:
    """No sentence cut off, none begun while another was still being said (the
    last one may still be under way)."""
    cut = [entry["text"] for entry in log if entry["cut"]]
    cut += [entry["text"] for entry in log[:-1] if entry["end"] is None]
    assert cut == [], f"cut off: {cut}"
    for before, after in itertools.pairwise(log):
        assert after["start"] >= before["end"], f"{after['text']!r} over {before['text']!r}"


def start(page: Page, base_url: str) -> None:
    page.goto(base_url + "/workout")
    page.get_by_role("button", name="Start workout").click()
    expect(page.get_by_role("heading", name="Knees to chest")).to_be_visible()


def skip_to(page: Page, exercise: int, name: str) -> None:
    """Skip from the first exercise to exercise number `exercise` (1-based)."""
    for _ in range(exercise - 1):
        page.get_by_role("button", name="Skip exercise").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


@pytest.mark.parametrize(
    ("label", "ms_per_word"),
    [("Slower", 330), ("Normal", 330), ("Faster", 330), ("Faster", 600)],
    ids=["slower", "normal", "faster", "faster-with-a-slow-voice"],
)
def test_a_whole_routine_is_heard_whole_at_every_pace(
    mat: Page, base_url: str, label: str, ms_per_word: int, page_errors: list[str]
) -> None:
    page = mat
    set_pace(page, base_url, label)
    page.add_init_script(f"window.__msPerWord = {ms_per_word};")
    start(page, base_url)
    for _ in range(8):  # in slices, as a phone's timers run
        page.clock.run_for(5 * 60 * 1000)
        if page.get_by_role("heading", name="Workout complete").is_visible():
            break
    expect(page.get_by_role("heading", name="Workout complete")).to_be_visible()
    log = speech(page)
    assert_heard_whole(log)
    assert log[-1]["end"] is not None
    assert page.evaluate("() => window.__speakAfterCancel") == []
    texts = [entry["text"] for entry in log]
    # Every instruction was said: each rep, each exercise, the position changes, the end.
    assert sum(text.startswith("Rep ") for text in texts) == REPS
    for name in [*NAMES, "Opposite arm and leg lift"]:
        assert f"{name}. Get ready." in texts, name
    assert "Turn over onto your stomach and slide a pillow under it. Take your time." in texts
    assert texts[-1] == "Well done. Your workout is complete."


def test_the_first_rep_of_knee_rolls_is_heard_before_the_knees_go_over(
    mat: Page, base_url: str
) -> None:
    page = mat
    start(page, base_url)
    skip_to(page, 2, "Knee rolls")
    page.clock.run_for(60_000)
    log = speech(page)
    assert_heard_whole(log)
    first = next(e for e in log if e["text"] == "Rep 1, knees to the left. Breathe in")
    over = next(e for e in log if e["text"] == "Breathe out, knees over")
    assert over["start"] >= first["end"]
    assert first["end"] - first["start"] >= 7 * 330 * 0.95 - 1


def test_a_device_that_lists_no_voices_speaks_with_its_default(mat: Page, base_url: str) -> None:
    page = mat
    page.add_init_script("window.__voices = [];")
    start(page, base_url)
    page.clock.run_for(5000)
    said = page.evaluate("() => window.__said")
    assert said, "nothing was said"
    assert said[0]["text"] == "Knees to chest. Get ready."
    assert said[0]["lang"].startswith("en")
    assert said[0]["voice"] is None
    expect(page.locator("[data-voice-note]")).to_be_hidden()


def test_a_voice_that_never_starts_is_named_once_and_the_beeps_go_on(
    mat: Page, base_url: str
) -> None:
    page = mat
    # A broken voice: speak() is taken and nothing is ever heard.
    page.add_init_script("speechSynthesis.speak = (u) => { window.__spoken.push(u.text); };")
    start(page, base_url)
    page.clock.run_for(2500)
    note = page.locator("[data-voice-note]")
    expect(note).to_have_text(
        "This device has no voice to speak with, so the beeps and the counter lead you."
    )
    tones = page.evaluate("() => window.__tones")
    page.clock.run_for(20_000)
    # Nothing more is handed to the broken voice; the workout goes on with beeps.
    assert page.evaluate("() => window.__spoken") == ["Knees to chest. Get ready."]
    assert page.evaluate("() => window.__tones") > tones
    expect(page.locator("[data-counter]")).not_to_have_text("")


def test_it_hurts_is_heard_first_and_whole(mat: Page, base_url: str) -> None:
    page = mat
    start(page, base_url)
    page.clock.run_for(1000)  # "Knees to chest. Get ready." is being said
    page.get_by_role("button", name="It hurts").click()
    page.clock.run_for(5000)
    log = speech(page)
    safety = [e for e in log if e["text"] == "Stop if the pain is sharp."]
    assert len(safety) == 1
    assert not safety[0]["cut"]
    assert safety[0]["end"] - safety[0]["start"] >= 6 * 330 * 0.95 - 1
    assert page.evaluate("() => window.__speakAfterCancel") == []
    assert log[-1]["text"] == "Stop if the pain is sharp."


def hurts(page: Page) -> None:
    page.get_by_role("button", name="It hurts").click()
    expect(page.get_by_role("heading", name="Stop if the pain is sharp")).to_be_focused()


def test_skip_from_it_hurts_starts_the_next_exercise_by_itself(mat: Page, base_url: str) -> None:
    page = mat
    start(page, base_url)
    hurts(page)
    page.get_by_role("button", name="Skip this exercise").click()
    expect(page.get_by_role("heading", name="Knee rolls")).to_be_focused()
    expect(page.locator("[data-paused]")).to_be_hidden()
    page.clock.run_for(12_000)
    expect(page.locator("[data-phase]")).not_to_have_text("Get ready")
    texts = [e["text"] for e in speech(page)]
    assert "Knee rolls. Get ready." in texts


def test_resume_from_it_hurts_goes_on(mat: Page, base_url: str) -> None:
    page = mat
    start(page, base_url)
    hurts(page)
    page.locator("[data-hurts]").get_by_role("button", name="Resume").click()
    expect(page.get_by_role("heading", name="Knees to chest")).to_be_focused()
    before = page.locator("[data-seconds]").inner_text()
    page.clock.run_for(2000)
    assert page.locator("[data-seconds]").inner_text() != before


def test_the_easier_version_brings_the_stage_back_with_its_name_and_picture(
    mat: Page, base_url: str
) -> None:
    page = mat
    start(page, base_url)
    skip_to(page, 3, "Straight-leg raise")
    page.clock.run_for(9000)
    page.mouse.wheel(0, 2000)
    hurts(page)
    page.get_by_role("button", name="Switch to the easier version: with an exercise band").click()
    heading = page.get_by_role("heading", name="Straight-leg raise")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(page.locator("[data-variation]")).to_contain_text("With an exercise band")
    expect(page.locator("[data-figure] svg")).to_be_in_viewport()
    page.clock.run_for(30_000)
    log = speech(page)
    band = next(i for i, e in enumerate(log) if e["text"].startswith("With an exercise band."))
    assert not log[band]["cut"]
    # The step waited for the band to be explained, then went on.
    assert len(log) > band + 1, "the step never went on"
    assert_heard_whole(log[band:-1])


def test_end_from_it_hurts_goes_to_the_summary(mat: Page, base_url: str) -> None:
    page = mat
    start(page, base_url)
    hurts(page)
    page.locator("[data-hurts]").get_by_role("button", name="End workout").click()
    expect(page.get_by_role("heading", name="Workout ended")).to_be_focused()


def test_there_is_time_to_turn_over_and_fetch_the_pillow(mat: Page, base_url: str) -> None:
    page = mat
    start(page, base_url)
    skip_to(page, 5, "Opposite arm and leg lift")
    page.clock.run_for(5500)  # get ready
    expect(page.locator("[data-phase]")).to_have_text("Get into position")
    expect(page.locator("[data-seconds]")).to_have_text("10")
    page.clock.run_for(9000)
    expect(page.locator("[data-phase]")).to_have_text("Get into position")


def test_space_pauses_and_resumes_and_the_arrows_step(mat: Page, base_url: str) -> None:
    page = mat
    start(page, base_url)
    expect(page.get_by_text("Space pauses and resumes")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("[data-paused]")).to_be_visible()
    seconds = page.locator("[data-seconds]").inner_text()
    page.clock.run_for(3000)
    expect(page.locator("[data-seconds]")).to_have_text(seconds)
    page.keyboard.press("Space")
    expect(page.locator("[data-paused]")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-phase]")).to_have_text("Get into position")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("[data-phase]")).to_have_text("Get ready")


def test_the_running_player_has_one_heading_one(mat: Page, base_url: str) -> None:
    page = mat
    start(page, base_url)
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == "Workout"


@pytest.mark.parametrize("label", ["Slower", "Normal", "Faster"])
def test_home_and_workout_say_the_same_length(mat: Page, base_url: str, label: str) -> None:
    page = mat
    set_pace(page, base_url, label)
    page.goto(base_url + "/workout")
    expect(page.get_by_role("button", name="Start workout")).to_be_visible()
    page.clock.run_for(500)
    workout = page.locator("[data-duration]").inner_text()
    page.goto(base_url + "/")
    home = page.locator("[data-estimate]")
    expect(home).to_have_text(workout)
    minutes = {"Slower": (23, 32), "Normal": (18, 23), "Faster": (15, 21)}[label]
    number = int(workout.split()[1])
    assert minutes[0] <= number <= minutes[1], workout
