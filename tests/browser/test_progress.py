"""Unit tests of progress.js (no DOM), run in Chromium so the suite needs no Node.

`day(y, m, d, options)` makes a session log (data v1) at 08:00 local time on that
day; months count from 1. Every exercise is done at its logged target unless
`options.entries` says otherwise.
"""

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import module_runner

HELPERS = """
const at = (y, m, d, h = 8) => new Date(y, m - 1, d, h, 0);
const entryFor = (e, reps, extra = {}) => ({ exercise_id: e.id, skipped: false,
  reps: e.sides === "none" ? reps : { left: reps, right: reps }, ...extra });
const day = (y, m, d, o = {}) => ({
  routine_id: "spine-five", started_at: at(y, m, d).toISOString(),
  ended_at: at(y, m, d, 9).toISOString(), pain_before: o.before ?? 2, pain_after: o.after ?? 2,
  notes: "", exercises: o.entries ?? [{ exercise_id: "knees-to-chest", reps: 15, skipped: false }],
});
const byId = Object.fromEntries(routine.exercises.map((e) => [e.id, e]));
"""


@pytest.fixture
def run(page: Page, base_url: str):  # type: ignore[no-untyped-def]
    """Evaluate `body` with `progress`, `routine` and the helpers above in scope."""
    return module_runner(page, base_url, "progress/progress", HELPERS)


def test_the_first_day_of_the_week_follows_the_locale(run) -> None:  # type: ignore[no-untyped-def]
    assert run(
        """return ["en-GB", "de-DE", "en-US", "not a locale"].map(progress.firstDayOfWeek);"""
    ) == [1, 1, 7, 1]


def test_weeks_start_on_the_given_day(run) -> None:  # type: ignore[no-untyped-def]
    starts = run(
        """const sunday = at(2026, 11, 29), monday = at(2026, 11, 30);
        return [progress.weekStart(sunday, 1), progress.weekStart(monday, 1),
                progress.weekStart(sunday, 7), progress.weekStart(monday, 7)]
            .map(progress.dayKey);"""
    )
    assert starts == ["2026-11-23", "2026-11-30", "2026-11-29", "2026-11-29"]


def test_this_week_counts_sessions_with_an_exercise_done(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        """const skipped = { entries: [{ exercise_id: "knees-to-chest", reps: 0, skipped: true }] };
        const sessions = [day(2026, 11, 20), day(2026, 11, 23), day(2026, 11, 25),
                          day(2026, 11, 25, skipped)];
        const now = at(2026, 11, 26, 12);
        const two = progress.thisWeek(sessions, { now, goal: 3, firstDay: 1 });
        const met = progress.thisWeek([...sessions, day(2026, 11, 26)], { now, goal: 3, firstDay: 1 });
        return { done: two.done, met: two.met,
                 days: two.days.filter((d) => d.sessions).map((d) => d.key),
                 today: two.days.find((d) => d.today).key,
                 future: two.days.filter((d) => d.future).map((d) => d.key),
                 nowMet: [met.done, met.met] };"""
    )
    assert result == {
        "done": 2,
        "met": False,
        "days": ["2026-11-23", "2026-11-25"],
        "today": "2026-11-26",
        "future": ["2026-11-27", "2026-11-28", "2026-11-29"],
        "nowMet": [3, True],
    }


# Weeks of November and December 2026 (Mondays): 2, 9, 16, 23, 30 Nov, 7, 14 Dec.
STREAK = """
const week = (m, d, count) => Array.from({ length: count }, (_, i) => day(2026, m, d + i));
const LETTERS = { met: "M", missed: "x", rest: "r", open: "o" };
const streakOf = (sessions, now, goal = 3) => {
  const s = progress.streak(sessions, { now, goal, firstDay: 1 });
  return [s.weeks, s.restWeeks, s.list.map((w) => LETTERS[w.status]).join("")];
};
"""


@pytest.mark.parametrize(
    ("weeks", "now", "expected"),
    [
        # Four met weeks, the fifth still open: the open week never breaks it.
        (
            "[...week(11, 2, 3), ...week(11, 9, 3), ...week(11, 16, 3), ...week(11, 23, 3)]",
            "at(2026, 12, 1)",
            [4, 0, "MMMMo"],
        ),
        # One missed week among met ones is a rest week; only met weeks count.
        (
            "[...week(11, 2, 3), ...week(11, 9, 3), ...week(11, 23, 3), ...week(11, 30, 3)]",
            "at(2026, 12, 7)",
            [4, 1, "MMrMMo"],
        ),
        # Two misses within four weeks: the newest is forgiven, the older one breaks it.
        (
            "[...week(11, 2, 3), ...week(11, 16, 3), ...week(11, 30, 3)]",
            "at(2026, 12, 7)",
            [2, 1, "MxMrMo"],
        ),
        # Two misses four weeks apart: both forgiven.
        (
            "[...week(11, 2, 3), ...week(11, 16, 3), ...week(11, 23, 3), ...week(11, 30, 3),"
            " ...week(12, 14, 3)]",
            "at(2026, 12, 21)",
            [5, 2, "MrMMMrMo"],
        ),
        # Two weeks off in a row: no streak.
        ("[...week(11, 2, 3), ...week(11, 9, 3)]", "at(2026, 11, 30)", [0, 0, "MMxxo"]),
        # A week that is not met, before the first met one, is no rest week.
        (
            "[...week(11, 2, 1), ...week(11, 9, 3), ...week(11, 16, 3)]",
            "at(2026, 11, 24)",
            [2, 0, "xMMo"],
        ),
    ],
)
def test_the_streak_forgives_one_week_in_four(run, weeks: str, now: str, expected) -> None:  # type: ignore[no-untyped-def]
    assert run(f"{STREAK} return streakOf({weeks}, {now});") == expected


def test_the_streak_depends_on_the_goal(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{STREAK}
        const sessions = [...week(11, 2, 1), ...week(11, 9, 2), ...week(11, 16, 1)];
        return [streakOf(sessions, at(2026, 11, 23), 1), streakOf(sessions, at(2026, 11, 23), 2)];"""
    )
    assert result == [[3, 0, "MMMo"], [1, 1, "xMro"]]


def test_the_calendar_is_twelve_weeks_of_seven_days_oldest_first(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        """const sessions = [day(2026, 11, 2), day(2026, 11, 4), day(2026, 11, 4),
                             day(2026, 11, 6), day(2026, 11, 24)];
        const rows = progress.calendar(sessions, { now: at(2026, 11, 25, 12), goal: 3, firstDay: 1 });
        const cells = rows.flatMap((r) => r.days);
        return { rows: rows.length, days: rows.map((r) => r.days.length),
                 first: rows[0].key, last: rows[11].key,
                 statuses: rows.slice(-4).map((r) => r.status),
                 counts: Object.fromEntries(cells.filter((c) => c.sessions).map((c) => [c.key, c.sessions])),
                 today: cells.filter((c) => c.today).map((c) => c.key),
                 future: cells.filter((c) => c.future).map((c) => c.key) };"""
    )
    assert result["rows"] == 12
    assert result["days"] == [7] * 12
    assert (result["first"], result["last"]) == ("2026-09-07", "2026-11-23")
    assert result["statuses"] == ["met", "missed", "missed", "open"]
    assert result["counts"] == {"2026-11-02": 1, "2026-11-04": 2, "2026-11-06": 1, "2026-11-24": 1}
    assert result["today"] == ["2026-11-25"]
    assert result["future"] == ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]


def test_habit_strength_rises_with_sessions_and_halves_in_its_half_life(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        """const score = (sessions, now) => progress.habitStrength(sessions, { now, goal: 3 });
        const sessions = [];
        for (let w = 0; w < 8; w++) for (const d of [0, 2, 4]) sessions.push(day(2026, 9, 7 + 7 * w + d));
        const lastDay = at(2026, 11, 1);
        const halfLife = progress.HALF_LIFE_DAYS;
        const later = new Date(lastDay.getTime() + Math.round(halfLife) * 86400000);
        return { none: score([], lastDay), first: score(sessions.slice(0, 1), at(2026, 9, 7)),
                 second: score(sessions.slice(0, 2), at(2026, 9, 9)),
                 eightWeeks: score(sessions, lastDay), later: score(sessions, later), halfLife };"""
    )
    assert result["none"] == 0
    assert 0 < result["first"] < result["second"]
    assert result["eightWeeks"] > 80
    assert result["halfLife"] == 20
    # A week of the rolling window still counts after the last session; then it halves.
    assert abs(result["later"] - result["eightWeeks"] / 2) <= result["eightWeeks"] * 0.15


def test_an_easier_goal_never_gives_a_lower_habit_strength(run) -> None:  # type: ignore[no-untyped-def]
    """Four hundred random histories, each scored at every goal from 1 to 7 a week."""
    worse = run(
        """let seed = 7;
        const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
        const found = [];
        for (let history = 0; history < 400; history++) {
          const sessions = [];
          const days = 10 + Math.floor(random() * 200);
          const often = random();
          for (let i = 0; i < days; i++) if (random() < often) sessions.push(day(2026, 1, 1 + i));
          const now = at(2026, 1, 1 + days + Math.floor(random() * 30));
          const scores = [1, 2, 3, 4, 5, 6, 7].map((goal) => progress.habitStrength(sessions, { now, goal }));
          for (let g = 1; g < scores.length; g++) {
            if (scores[g] > scores[g - 1]) found.push({ history, scores });
          }
        }
        return found.slice(0, 3);"""
    )
    assert worse == []


def test_a_session_counts_with_three_exercises_done_or_all_of_a_short_routine(run) -> None:  # type: ignore[no-untyped-def]
    counted = run(
        """const log = (done, skipped) => ({ exercises: [
          ...Array.from({ length: done }, (_, i) => ({ exercise_id: `e${i}`, reps: 5, skipped: false })),
          ...Array.from({ length: skipped }, (_, i) => ({ exercise_id: `s${i}`, reps: 0, skipped: true }))] });
        return [log(3, 2), log(2, 3), log(5, 0), log(1, 4), log(2, 0), log(1, 1), log(0, 0), log(0, 5)]
          .map(progress.counts);"""
    )
    # Three of five, two of five, five, one of five; a two-exercise routine done, half done; nothing.
    assert counted == [True, False, True, False, True, False, False, False]


PLAN = """
const plan = (sessions, options) => progress.nextTargets(sessions, routine, options);
const all = (reps, extra = {}) => routine.exercises.map((e) => entryFor(e,
  reps === "max" ? e.reps.max : reps === "min" ? e.reps.min : reps, extra[e.id] ?? {}));
const say = (p, id) => progress.explain(p.targets[id], byId[id]);
"""


def test_a_new_plan_starts_at_the_routines_minimum(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{PLAN}
        const p = plan([]);
        return {{ targets: Object.fromEntries(Object.entries(p.targets)
                    .map(([id, t]) => [id, [t.reps, t.hold, t.reason.kind, t.offer]])),
                 caution: p.caution, lift: say(p, "opposite-arm-leg-lift"),
                 chest: say(p, "knees-to-chest") }};"""
    )
    assert result["targets"] == {
        "knees-to-chest": [15, None, "start", None],
        "knee-rolls": [12, None, "start", None],
        "straight-leg-raise": [10, 5, "start", None],
        "upper-ab-crunch": [12, 3, "start", None],
        "opposite-arm-leg-lift": [12, 3, "start", None],
    }
    assert result["caution"] is None
    assert result["lift"] == "12 reps on each side, holding 3 seconds: a gentle start"
    assert result["chest"] == "15 reps: a gentle start"


def test_easy_sessions_add_a_rep_and_a_second_up_to_the_maximum(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{PLAN}
        const sessions = [];
        const reps = [];
        for (let i = 0; i < 6; i++) {{
          const p = plan(sessions);
          reps.push([p.targets["knee-rolls"].reps, p.targets["opposite-arm-leg-lift"].hold]);
          sessions.push(day(2026, 11, 2 + i, {{ entries: routine.exercises.map((e) => {{
            const t = p.targets[e.id];
            return entryFor(e, t.reps, {{ target: t.hold ? {{ reps: t.reps, hold_seconds: t.hold }}
                                                           : {{ reps: t.reps }} }});
          }}) }}));
        }}
        const p = plan(sessions.slice(0, 1));
        return {{ reps, one: say(p, "knee-rolls"), lift: say(p, "opposite-arm-leg-lift"),
                 top: say(plan(sessions), "knee-rolls"), chest: say(p, "knees-to-chest") }};"""
    )
    assert result["reps"] == [[12, 3], [13, 4], [14, 5], [15, 5], [15, 5], [15, 5]]
    assert result["one"] == "13 reps on each side: up from 12 last time"
    assert result["lift"] == "13 reps on each side, holding 4 seconds: up from 12 last time"
    assert result["top"] == "15 reps on each side: the most the routine asks"
    assert result["chest"] == "15 reps: the most the routine asks"


@pytest.mark.parametrize(
    ("session", "reps", "text"),
    [
        (
            "{ entries: all('min', { 'knee-rolls': { rating: 'hard' } }) }",
            12,
            "12 reps on each side: the same again, it felt hard last time",
        ),
        (
            "{ before: 2, after: 3, entries: all('min') }",
            12,
            "12 reps on each side: the same again, your pain was a little higher after last time",
        ),
        (
            "{ entries: all('min').map((e) => e.exercise_id === 'knee-rolls'"
            " ? { ...e, reps: { left: 12, right: 9 } } : e) }",
            12,
            "12 reps on each side: the same again, to finish them all",
        ),
        (
            "{ entries: all('min', { 'knee-rolls': { rating: 'easy' } }) }",
            13,
            "13 reps on each side: up from 12 last time",
        ),
    ],
)
def test_a_session_that_was_not_easy_keeps_the_target(
    run, session: str, reps: int, text: str
) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{PLAN}
        const p = plan([day(2026, 11, 2, {session})]);
        return [p.targets["knee-rolls"].reps, say(p, "knee-rolls")];"""
    )
    assert result == [reps, text]


def test_pain_sends_the_target_back_and_offers_the_easier_version(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{PLAN}
        const up = [day(2026, 11, 2, {{ entries: all("min") }}), day(2026, 11, 4, {{ entries: all(11) }})];
        const after = (session) => {{
          const p = plan([...up, session]);
          const raise = p.targets["straight-leg-raise"];
          return [raise.reps, raise.offer, p.targets["knee-rolls"].reps,
                  progress.explain(progress.withOffer(raise, byId["straight-leg-raise"], true),
                                   byId["straight-leg-raise"])];
        }};
        return {{
          rose: after(day(2026, 11, 6, {{ before: 1, after: 3, entries: all(11) }})),
          hurt: after(day(2026, 11, 6, {{ entries: all(11, {{ "straight-leg-raise": {{ hurt: true }} }}) }})),
          painful: after(day(2026, 11, 6, {{ entries: all(11, {{ "straight-leg-raise": {{ rating: "painful" }} }}) }})),
          declined: progress.explain(plan([...up, day(2026, 11, 6, {{ entries: all(11,
              {{ "straight-leg-raise": {{ hurt: true }} }}) }})]).targets["straight-leg-raise"],
              byId["straight-leg-raise"]),
        }};"""
    )
    band = {"variation": "with-band", "direction": "easier"}
    # Pain that rose by 2 eases every exercise, the rolls too.
    assert result["rose"] == [
        10,
        band,
        12,
        "Back to 10 on each side with an exercise band: your pain rose after last time",
    ]
    # Only the raise hurt: the rolls, 11 a side of 13 planned, stay at 13 to finish them.
    assert result["hurt"] == [
        10,
        band,
        13,
        "Back to 10 on each side with an exercise band: it hurt last time",
    ]
    assert result["painful"][:3] == [10, band, 13]
    assert result["declined"] == "Back to 10 on each side: it hurt last time"


def test_the_harder_version_is_offered_after_two_calm_sessions_at_the_top(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{PLAN}
        const top = (d, after) => day(2026, 11, d, {{ before: after, after, entries: all("max",
          {{ "opposite-arm-leg-lift": {{ target: {{ reps: 15, hold_seconds: 5 }} }} }}) }});
        const lift = (sessions) => plan(sessions).targets["opposite-arm-leg-lift"];
        const band = (d) => day(2026, 11, d, {{ before: 1, after: 1, entries: all("max", {{
          "straight-leg-raise": {{ variation_id: "with-band", target: {{ reps: 12 }} }} }}) }});
        const twice = lift([top(2, 1), top(4, 2)]);
        const taken = progress.withOffer(twice, byId["opposite-arm-leg-lift"], true);
        const onAllFours = day(2026, 11, 6, {{ before: 1, after: 1, entries: all("max", {{
          "opposite-arm-leg-lift": {{ variation_id: "all-fours", reps: {{ left: 12, right: 12 }},
                                      target: {{ reps: 12, hold_seconds: 3 }} }} }}) }});
        const next = lift([top(2, 1), top(4, 2), onAllFours]);
        const hurtOnAllFours = lift([top(2, 1), top(4, 2), day(2026, 11, 6, {{ entries: all("max", {{
          "opposite-arm-leg-lift": {{ variation_id: "all-fours", hurt: true }} }}) }})]);
        return {{
          once: lift([top(2, 1)]).offer, painful: lift([top(2, 1), top(4, 5)]).offer,
          twice: twice.offer, declined: progress.withOffer(twice, byId["opposite-arm-leg-lift"], false),
          taken: [taken.reps, taken.hold, taken.variation,
                  progress.explain(taken, byId["opposite-arm-leg-lift"])],
          next: [next.reps, next.hold, next.variation],
          hurt: [hurtOnAllFours.reps, hurtOnAllFours.variation, hurtOnAllFours.offer],
          legRaise: plan([top(2, 1), top(4, 2)]).targets["straight-leg-raise"].offer,
          withBand: plan([band(2), band(4)]).targets["straight-leg-raise"].offer,
        }};"""
    )
    assert result["once"] is None
    assert result["painful"] is None
    assert result["twice"] == {"variation": "all-fours", "direction": "harder"}
    assert result["declined"]["reps"] == 15
    assert result["declined"]["variation"] is None
    assert result["taken"] == [
        12,
        3,
        "all-fours",
        "12 reps on each side, holding 3 seconds on all fours: a fresh start on the harder version",
    ]
    assert result["next"] == [13, 4, "all-fours"]  # kept on all fours, and growing again
    assert result["hurt"] == [12, None, None]  # off all fours, back to lying down
    assert result["legRaise"] is None  # it has no harder version
    assert result["withBand"] == {"variation": None, "direction": "harder"}


def test_high_or_rising_pain_calls_for_a_professional_and_holds_every_target(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{PLAN}
        const easy = (d, before, after) => day(2026, 11, d, {{ before, after, entries: all("min") }});
        const rolls = (sessions) => {{
          const p = plan(sessions);
          return [p.caution?.reason ?? null, p.targets["knee-rolls"].reps, say(p, "knee-rolls")];
        }};
        return {{
          high: rolls([easy(2, 7, 7)]),
          stillHigh: rolls([easy(2, 7, 7), easy(4, 7, 7)]),
          eased: rolls([easy(2, 7, 7), easy(4, 3, 3)]),
          rising: rolls([easy(2, 1, 2), easy(4, 2, 3), easy(6, 3, 4)]),
          twoRising: rolls([easy(2, 1, 2), easy(4, 2, 3)]),
        }};"""
    )
    assert result["high"] == ["high", 12, "12 reps on each side: no increase until your pain eases"]
    assert result["stillHigh"][:2] == ["high", 12]
    assert result["eased"] == [None, 13, "13 reps on each side: up from 12 last time"]
    assert result["rising"][0] == "rising"
    assert result["twoRising"][0] is None


def test_a_logged_target_and_a_reset_decide_the_next_plan(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{PLAN}
        const logged = day(2026, 11, 2, {{ entries: [entryFor(byId["knee-rolls"], 14,
          {{ target: {{ reps: 14 }} }})] }});
        const reset = plan([logged], {{ resetAt: at(2026, 11, 3).toISOString() }});
        const afterReset = plan([logged, day(2026, 11, 4, {{ entries: all("min",
          {{ "knee-rolls": {{ target: {{ reps: 12 }} }} }}) }})],
          {{ resetAt: at(2026, 11, 3).toISOString() }});
        return {{ next: plan([logged]).targets["knee-rolls"].reps,
                 reset: [reset.targets["knee-rolls"].reps, say(reset, "knee-rolls")],
                 afterReset: afterReset.targets["knee-rolls"].reps }};"""
    )
    assert result["next"] == 15
    assert result["reset"] == [12, "12 reps on each side: the routine's starting count"]
    assert result["afterReset"] == 13


def test_weeks_of_rest_for_pain_pause_the_streak_without_breaking_it(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        f"""{STREAK}
        const streak = (sessions, now) => progress.streak(sessions, {{ now, goal: 3, firstDay: 1 }});
        const met = [...week(11, 2, 3), ...week(11, 9, 2)];
        const hurt = day(2026, 11, 11, {{ before: 3, after: 8 }});  // the third of that week
        const back = week(12, 7, 3).map((d, i) => i ? d : {{ ...d, pain_before: 2, pain_after: 2 }});
        const resting = streak([...met, hurt], at(2026, 12, 1));
        const recovered = streak([...met, hurt, ...back], at(2026, 12, 9));
        const noPain = streak([...met, day(2026, 11, 11), ...back], at(2026, 12, 9));
        const letters = (s) => s.list.map((w) => LETTERS[w.status] ?? "p").join("");
        return {{ resting: [resting.weeks, resting.resting, letters(resting)],
                 recovered: [recovered.weeks, recovered.restWeeks, recovered.resting, letters(recovered)],
                 noPain: [noPain.weeks, letters(noPain)] }};"""
    )
    # Pain 8 on 11 November: the weeks after it are paused, not missed.
    assert result["resting"] == [2, True, "MMppo"]
    assert result["recovered"] == [3, 0, False, "MMpppM"]
    # The same weeks off without the pain break the streak.
    assert result["noPain"] == [1, "MMxxxM"]
