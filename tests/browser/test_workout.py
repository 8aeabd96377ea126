"""The guided workout in real Chromium, time fast-forwarded by Playwright's clock."""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import (
    READ_META,
    READ_SETTINGS,
    SPIES,
    go_offline,
    run_until,
    stores,
    wait_until,
)
from tests.browser.test_pages import assert_accessible

PLANNED = {
    "knees-to-chest": 15,
    "knee-rolls": {"left": 12, "right": 12},
    "straight-leg-raise": {"left": 10, "right": 10},
    "upper-ab-crunch": 12,
    "opposite-arm-leg-lift": {"left": 12, "right": 12},
}


@pytest.fixture
def workout(page: Page, context: BrowserContext, base_url: str) -> Page:
    """/workout opened offline, with a fake clock and spies on speech and wake lock."""
    context.add_init_script(SPIES)
    page.clock.install()
    go_offline(page, context, base_url)
    page.goto(base_url + "/workout")
    expect(page.get_by_role("button", name="Start workout")).to_be_visible()
    return page


def pain(page: Page, question: str, value: int) -> None:
    group = page.get_by_role("group", name=question)
    group.get_by_role("radio", name=str(value), exact=True).check()


def stage(page: Page, name: str) -> str:
    return page.locator(f"[data-{name}]").inner_text()


def test_whole_routine_offline_from_start_to_save_without_touching(
    workout: Page, page_errors: list[str]
) -> None:
    page = workout
    pain(page, "How much does your back hurt right now?", 3)
    # The page says how long it takes, and it takes that long.
    minutes = page.locator("[data-duration]").inner_text().removeprefix("about ")
    page.get_by_role("button", name="Start workout").click()
    expect(page.get_by_role("heading", name="Knees to chest")).to_be_visible()
    run_until(page, page.get_by_role("heading", name="Workout complete"), step_ms=60_000)
    expect(page.locator("[data-done]")).to_have_text("5 of 5")
    expect(page.locator("[data-time]")).to_have_text(minutes)
    pain(page, "How much does your back hurt now?", 2)
    page.get_by_label("Note (optional)").fill("Felt <b>good</b>")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()

    saved = stores(page)
    assert len(saved["sessions"]) == 1
    record = saved["sessions"][0]
    assert (record["version"], record["deleted"], record["dirty"]) == (0, False, True)
    data = record["data"]
    assert {e["exercise_id"]: e["reps"] for e in data["exercises"]} == PLANNED
    assert not any(e["skipped"] for e in data["exercises"])
    assert (data["pain_before"], data["pain_after"], data["notes"]) == (3, 2, "Felt <b>good</b>")
    assert data["routine_id"] == "spine-five"
    assert data["ended_at"] > data["started_at"]
    assert set(data) == {
        "routine_id",
        "started_at",
        "ended_at",
        "pain_before",
        "pain_after",
        "notes",
        "exercises",
    }
    # Queued for sync beside the safety check's answers (in the settings record).
    outbox = [change for change in saved["outbox"] if change["type"] == "session"]
    assert len(outbox) == 1
    assert outbox[0]["id"] == record["id"]
    assert (outbox[0]["base_version"], outbox[0]["deleted"]) == (0, False)
    assert outbox[0]["data"] == data
    assert saved["progress"] is None
    # The voice carried it: every exercise announced, breathing and holds spoken.
    spoken = page.evaluate("() => window.__spoken")
    for line in (
        "Knees to chest. Get ready.",
        "Rep 1. Knees to chest",
        "Switch to the right leg.",
        "Breathe out, lift",
        "Rest. Next: Knee rolls.",
        "Well done. Your workout is complete.",
    ):
        assert any(line in s for s in spoken), line
    assert page.evaluate("() => window.__wakeLocks") == ["screen"]


def test_rest_can_be_cut_short(workout: Page) -> None:
    page = workout
    page.get_by_role("button", name="Start workout").click()
    run_until(page, page.locator("[data-phase]"), "Rest", step_ms=1000)
    expect(page.locator("[data-text]")).to_have_text("Rest. Up next: Knee rolls.")
    page.get_by_role("button", name="Skip rest").click()
    expect(page.locator("[data-phase]")).to_have_text("Get ready")
    expect(page.get_by_role("button", name="Next")).to_be_visible()


def test_counter_shows_rep_and_side(workout: Page) -> None:
    page = workout
    page.get_by_role("button", name="Start workout").click()
    counter = page.locator("[data-counter]")
    run_until(page, counter, "Rep 1 of 12 · knees to the left", step_ms=1000)
    expect(page.get_by_role("heading", name="Knee rolls")).to_be_visible()
    # One rep: about 7 s of moves, longer where the cue takes longer to say.
    assert 7000 <= run_until(page, counter, "Rep 1 of 12 · knees to the right") <= 10_000
    assert 7000 <= run_until(page, counter, "Rep 2 of 12 · knees to the left") <= 10_000


def test_pause_and_resume_stop_and_restart_the_countdown(workout: Page) -> None:
    page = workout
    page.get_by_role("button", name="Start workout").click()
    expect(page.locator("[data-seconds]")).to_have_text("5")
    page.clock.run_for(2100)
    expect(page.locator("[data-seconds]")).to_have_text("3")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused. Tap here")).to_be_visible()
    page.clock.run_for(30_000)
    expect(page.locator("[data-seconds]")).to_have_text("3")
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(1100)
    expect(page.locator("[data-seconds]")).to_have_text("2")
    # Tapping the stage pauses too, and tapping again resumes.
    page.locator("[data-stage]").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.clock.run_for(10_000)
    expect(page.locator("[data-seconds]")).to_have_text("2")
    page.locator("[data-stage]").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()


def test_skip_previous_and_next(workout: Page) -> None:
    page = workout
    page.get_by_role("button", name="Start workout").click()
    expect(page.locator("[data-phase]")).to_have_text("Get ready")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("[data-phase]")).to_have_text("Get into position")
    page.get_by_role("button", name="Previous").click()
    expect(page.locator("[data-phase]")).to_have_text("Get ready")
    page.get_by_role("button", name="Skip exercise").click()
    expect(page.get_by_role("heading", name="Knee rolls")).to_be_visible()
    expect(page.locator("[data-position]")).to_have_text("Exercise 2 of 5")
    page.get_by_role("button", name="End workout").click()
    expect(page.get_by_role("heading", name="Workout ended")).to_be_visible()
    rows = page.locator("[data-summary] tr")
    expect(rows.nth(0)).to_contain_text("Not done")


def test_a_reload_in_the_middle_resumes_where_it_was(workout: Page) -> None:
    page = workout
    page.get_by_role("button", name="Start workout").click()
    counter = page.locator("[data-counter]")
    run_until(page, counter, "Rep 3 of 12 · knees to the right", step_ms=1000)
    # Progress is written as the workout goes; let the last write land, as it
    # does within moments on a phone (here the clock outran the disk).
    # 15 reps of knees to chest, then reps 1 and 2 on both sides and 3 on the left.
    wait_until(page, f"() => ({READ_META})('workout').then(p => p && p.done.length === 20)")
    page.reload()
    expect(page.get_by_role("heading", name="Your workout is waiting")).to_be_visible()
    expect(page.locator("[data-resume-text]")).to_contain_text("Knee rolls, exercise 2 of 5")
    page.get_by_role("button", name="Resume workout").click()
    expect(page.get_by_role("heading", name="Knee rolls")).to_be_visible()
    expect(page.locator("[data-counter]")).to_have_text("Rep 3 of 12 · knees to the right")
    # The first exercise, done before the reload, is still counted.
    page.get_by_role("button", name="End workout").click()
    expect(page.locator("[data-summary] tr").nth(0)).to_contain_text("15")


def test_it_hurts_pauses_and_offers_the_easier_version(workout: Page) -> None:
    page = workout
    page.get_by_role("button", name="Start workout").click()
    page.get_by_role("button", name="Skip exercise").click()
    page.get_by_role("button", name="Skip exercise").click()
    expect(page.get_by_role("heading", name="Straight-leg raise")).to_be_visible()
    page.get_by_role("button", name="It hurts").click()
    expect(page.get_by_role("heading", name="Stop if the pain is sharp")).to_be_visible()
    expect(page.get_by_text("Paused. Tap here")).to_be_visible()
    page.get_by_role("button", name="Switch to the easier version: with an exercise band").click()
    expect(page.locator("[data-variation]")).to_contain_text("With an exercise band")
    expect(page.get_by_role("heading", name="Stop if the pain is sharp")).to_be_hidden()
    page.get_by_role("button", name="End workout").click()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    exercises = stores(page)["sessions"][0]["data"]["exercises"]
    assert exercises[2]["variation_id"] == "with-band"
    assert [e["skipped"] for e in exercises] == [True, True, True, True, True]


def test_slower_pace_from_settings_lengthens_moves_not_holds(workout: Page) -> None:
    page = workout
    page.goto(page.url.replace("/workout", "/settings"))
    page.get_by_label("Slower").check()
    expect(page.get_by_text("Saved on this device.")).to_be_visible()
    page.get_by_label("Spoken cues").uncheck()
    wait_until(page, f"() => ({READ_SETTINGS})().then(v => v && v.voice === false)")
    page.reload()
    expect(page.get_by_label("Slower")).to_be_checked()
    expect(page.get_by_label("Spoken cues")).not_to_be_checked()
    expect(page.get_by_label("Beeps at each change")).to_be_checked()
    page.goto(page.url.replace("/settings", "/workout"))
    expect(page.locator("[data-duration]")).to_have_text("about 25 minutes")
    page.get_by_role("button", name="Start workout").click()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("[data-phase]")).to_have_text("Get into position")
    # The first exercise gives 10 s to lie down, at the slower pace 1.5 times as long.
    expect(page.locator("[data-seconds]")).to_have_text("15")
    assert page.evaluate("() => window.__spoken") == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_player_screen_is_accessible(workout: Page, scheme: str) -> None:
    page = workout
    page.emulate_media(color_scheme=scheme)
    assert_accessible(page)
    page.get_by_role("button", name="Start workout").click()
    page.clock.run_for(9000)
    assert_accessible(page)
    for name in ("Pause", "Previous", "Next", "Skip exercise", "It hurts", "End workout"):
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box is not None
        assert box["height"] >= 56, name
    page.get_by_role("button", name="It hurts").click()
    assert_accessible(page)
    page.get_by_role("button", name="Resume", exact=True).first.click()
    page.get_by_role("button", name="End workout").first.click()
    expect(page.get_by_role("heading", name="Workout ended")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    assert_accessible(page)


def test_beeps_and_vibration_follow_their_settings(workout: Page) -> None:
    page = workout
    page.get_by_role("button", name="Start workout").click()
    page.clock.run_for(10_000)
    assert page.evaluate("() => window.__vibrations.length") >= 2
    assert page.evaluate("() => window.__tones") >= 2
    page.get_by_role("button", name="End workout").click()
    # The ended workout is written in the background: leave once it is stored.
    wait_until(page, f"() => ({READ_META})('workout').then(p => p && p.status === 'finished')")
    page.goto(page.url.replace("/workout", "/settings"))
    page.get_by_label("Beeps at each change").uncheck()
    page.get_by_label("Vibration, where the phone has it").uncheck()
    wait_until(page, f"() => ({READ_SETTINGS})().then(v => v && !v.beeps && !v.vibration)")
    page.goto(page.url.replace("/settings", "/workout"))
    # The ended workout waits for its summary to be saved.
    page.get_by_role("button", name="Save session").click()
    page.get_by_role("button", name="Back to the plan").click()
    page.get_by_role("button", name="Start workout").click()
    page.clock.run_for(10_000)
    assert page.evaluate("() => window.__vibrations.length") == 0
    assert page.evaluate("() => window.__tones") == 0
