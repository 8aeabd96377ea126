"""Unit tests of pacing.js (no DOM), run in Chromium so the suite needs no Node."""

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import module_runner


@pytest.fixture
def run(page: Page, base_url: str):  # type: ignore[no-untyped-def]
    """Evaluate `body` with `pacing` (the module) and `routine` (the served JSON) in scope."""
    return module_runner(page, base_url, "workout/pacing")


def test_timeline_lasts_as_long_as_the_routine_says(run) -> None:  # type: ignore[no-untyped-def]
    total, estimate = run(
        "return [pacing.totalMs(pacing.buildTimeline(routine)), routine.estimated_seconds * 1000];"
    )
    assert total == estimate


def test_reps_sides_and_order_come_from_the_content(run) -> None:  # type: ignore[no-untyped-def]
    starts = run(
        """const t = pacing.buildTimeline(routine);
        const out = {};
        for (const p of t.filter(p => p.repStart)) {
            (out[p.exerciseId] ??= []).push(`${p.rep}${p.side ? p.side[0] : ""}`);
        }
        return out;"""
    )
    assert starts["knees-to-chest"] == [str(r) for r in range(1, 16)]
    assert starts["knee-rolls"][:4] == ["1l", "1r", "2l", "2r"]
    assert len(starts["knee-rolls"]) == 24
    assert starts["straight-leg-raise"] == [f"{r}l" for r in range(1, 11)] + [
        f"{r}r" for r in range(1, 11)
    ]
    assert len(starts["opposite-arm-leg-lift"]) == 24


def test_one_straight_leg_raise_rep_is_paced_from_its_steps(run) -> None:  # type: ignore[no-untyped-def]
    rep = run(
        """const t = pacing.buildTimeline(routine);
        const first = t.findIndex(p => p.exerciseId === "straight-leg-raise" && p.repStart);
        const end = t.findIndex((p, i) => i >= first && p.repEnd);
        return t.slice(first, end + 1).map(p => [p.kind, p.breath ?? null, p.ms, p.cue]);"""
    )
    assert rep == [
        ["move", "inhale", 3000, "Rep 1, left leg. Breathe in, stretch the leg"],
        ["move", "exhale", 3000, "Breathe out, lift"],
        ["hold", None, 5000, "Hold"],
        ["move", None, 3000, "Lower slowly"],
    ]


def test_tempo_scales_moves_but_never_holds(run) -> None:  # type: ignore[no-untyped-def]
    slower, faster = run(
        """const pick = (tempo) => pacing.buildTimeline(routine, tempo)
            .filter(p => p.exerciseId === "upper-ab-crunch" && p.rep === 1)
            .map(p => [p.kind, p.ms]);
        return [pick("slower"), pick("faster")];"""
    )
    assert slower == [["move", 4500], ["hold", 3000], ["move", 4500]]
    assert faster == [["move", 2250], ["hold", 3000], ["move", 2250]]


def test_advance_moves_through_phases_and_counts_the_last_seconds(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        """const t = pacing.buildTimeline(routine);
        const s = pacing.startState({id: "x", startedAt: "2026-11-24T07:00:00Z"});
        const events = pacing.advance(s, t, 5000);
        const paused = {...s, paused: true};
        const none = pacing.advance(paused, t, 60000);
        return {events: events.map(e => [e.type, e.seconds ?? e.phase.kind]),
                index: s.index, elapsed: s.elapsedMs, none, pausedIndex: paused.index};"""
    )
    assert result["events"] == [["count", 3], ["count", 2], ["count", 1], ["phase", "setup"]]
    assert (result["index"], result["elapsed"]) == (1, 0)
    assert result["none"] == []
    assert result["pausedIndex"] == 1


def test_next_previous_skip_and_summary(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        """const t = pacing.buildTimeline(routine);
        const s = pacing.startState({id: "x", startedAt: "2026-11-24T07:00:00Z"});
        // Run knees-to-chest to its end (every rep done), then skip knee rolls.
        while (t[s.index].exerciseId === "knees-to-chest") pacing.next(s, t);
        const atRest = t[s.index].kind;
        pacing.skipExercise(s, t);
        const afterSkip = [t[s.index].exerciseId, t[s.index].kind];
        pacing.advance(s, t, 2500);
        pacing.previous(s, t);        // past 2 s: restart this phase
        const restarted = [s.index, s.elapsedMs];
        pacing.previous(s, t);        // at its start: back one phase
        const back = t[s.index].kind;
        pacing.end(s, "2026-11-24T07:10:00Z");
        return {atRest, afterSkip, restarted, back, status: s.status,
                summary: pacing.summarize(s, routine)};"""
    )
    assert result["atRest"] == "rest"
    assert result["afterSkip"] == ["straight-leg-raise", "get-ready"]
    assert result["restarted"][1] == 0
    assert result["status"] == "finished"
    summary = result["summary"]
    assert summary[0] == {"exercise_id": "knees-to-chest", "reps": 15, "skipped": False}
    assert summary[1] == {
        "exercise_id": "knee-rolls",
        "reps": {"left": 0, "right": 0},
        "skipped": True,
    }
    assert summary[2]["skipped"] is True


def test_counter_text(run) -> None:  # type: ignore[no-untyped-def]
    texts = run(
        """const t = pacing.buildTimeline(routine);
        return [pacing.counterText(t.find(p => p.exerciseId === "straight-leg-raise" && p.rep === 4
                                      && p.side === "left")),
                pacing.counterText(t.find(p => p.exerciseId === "knees-to-chest" && p.rep === 2)),
                pacing.counterText(t[0])];"""
    )
    assert texts == ["Rep 4 of 10 · left leg", "Rep 2 of 15", ""]


def test_the_plan_sets_reps_holds_and_variations_and_the_log_keeps_them(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        """const plan = {"knee-rolls": {reps: 14, hold_seconds: null, variation_id: null},
            "opposite-arm-leg-lift": {reps: 13, hold_seconds: 4, variation_id: "all-fours"}};
        const t = pacing.buildTimeline(routine, "normal", plan);
        const tooLong = pacing.buildTimeline(routine, "normal",
            {"opposite-arm-leg-lift": {reps: 12, hold_seconds: 9}})
            .find(p => p.exerciseId === "opposite-arm-leg-lift" && p.kind === "hold").ms;
        const rolls = t.filter(p => p.exerciseId === "knee-rolls" && p.repStart).length;
        const holds = t.filter(p => p.exerciseId === "opposite-arm-leg-lift" && p.kind === "hold");
        const s = pacing.startState({id: "x", startedAt: "2026-11-24T07:00:00Z", plan});
        while (t[s.index].exerciseId !== "opposite-arm-leg-lift") pacing.next(s, t);
        pacing.markHurt(s, "opposite-arm-leg-lift");
        pacing.end(s, "2026-11-24T07:20:00Z");
        const log = pacing.summarize(s, routine);
        return {rolls, tooLong, holdMs: [...new Set(holds.map(p => p.ms))], holdCount: holds.length,
                reps: t.find(p => p.exerciseId === "knee-rolls" && p.repStart).reps,
                rollsLog: log[1], liftLog: log[4]};"""
    )
    assert result["rolls"] == 28  # 14 a side, alternating
    assert result["reps"] == 14
    assert result["holdMs"] == [4000]
    assert result["tooLong"] == 5000  # asked for 9 s: kept within the routine's 3 to 5
    assert result["holdCount"] == 26
    assert result["rollsLog"] == {
        "exercise_id": "knee-rolls",
        "reps": {"left": 14, "right": 14},
        "skipped": False,
        "target": {"reps": 14},
    }
    assert result["liftLog"] == {
        "exercise_id": "opposite-arm-leg-lift",
        "reps": {"left": 0, "right": 0},
        "skipped": True,
        "variation_id": "all-fours",
        "hurt": True,
        "target": {"reps": 13, "hold_seconds": 4},
    }


@pytest.mark.parametrize(
    ("tempo", "least_ms"), [("slower", 15000), ("normal", 10000), ("faster", 10000)]
)
def test_a_change_of_position_gives_time_to_turn_over(run, tempo: str, least_ms: int) -> None:  # type: ignore[no-untyped-def]
    changes = run(
        """const t = pacing.buildTimeline(routine, arg);
        return t.filter(p => p.positionChange).map(p => [p.exerciseId, p.ms, p.cue]);""",
        tempo,
    )
    # Lying down at the start, and turning over for the pillow before the last one.
    assert [(e, ms >= least_ms) for e, ms, _ in changes] == [
        ("knees-to-chest", True),
        ("opposite-arm-leg-lift", True),
    ]
    assert "stomach" in changes[1][2]
    assert "pillow" in changes[1][2]


def test_the_all_fours_version_gives_time_to_come_up_onto_hands_and_knees(run) -> None:  # type: ignore[no-untyped-def]
    cue = run(
        """const plan = {"opposite-arm-leg-lift": {reps: 12, variation_id: "all-fours"}};
        const t = pacing.buildTimeline(routine, "normal", plan);
        return t.find(p => p.positionChange && p.exerciseId === "opposite-arm-leg-lift").cue;"""
    )
    assert "hands and knees" in cue


def test_no_phase_is_shorter_than_its_cue_takes_to_say(run) -> None:  # type: ignore[no-untyped-def]
    short, plain, slow = run(
        """const quiet = pacing.buildTimeline(routine, "faster");
        const spoken = pacing.buildTimeline(routine, "faster", null, 600);
        const tooShort = spoken.filter(p => p.ms < pacing.speechMs(p.cue, 600)).map(p => p.cue);
        return [tooShort, pacing.totalMs(quiet), pacing.totalMs(spoken)];"""
    )
    assert short == []
    # A slow voice makes the workout longer; without a voice only the moves count.
    assert slow > plain
