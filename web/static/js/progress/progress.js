// @ts-check
// Progress, derived from the session logs and nothing else (ARCHITECTURE §8): the
// week at a glance, a streak that forgives, habit strength, the calendar, and
// each exercise's next target. Nothing here is synced. No DOM: unit-tested in
// the page, like pacing.js.
//
// Everything is read from a *tally*: what the logs add up to, folded in the
// order they were done (per-day counts, the caution state, each exercise's
// target). foldSession() adds one log to a tally, so a tally of the old logs,
// kept on the device (progress-store.js), plus the few recent ones gives the
// same answers as all the logs at once, however many years there are. Every
// reading function also takes an array of session `data` (v1) objects and
// tallies it first. Days are read in the browser's local time.
//
// The rules:
// - A session counts towards its week when at least three of its exercises
//   were done (all of them, when its routine has fewer than three). Weeks
//   start on the locale's first day (Monday where unknown).
// - A week is "met" with at least `goal` sessions. The streak counts met
//   weeks in a row, newest first. The current week never breaks it. A missed
//   week is forgiven (a "rest" week) when no other forgiven week lies within
//   the three weeks after it, so any run of four weeks forgives at most one.
//   A week missed while the app advises rest for pain is paused: it neither
//   counts nor breaks the streak.
// - Habit strength, 0 to 100, in the spirit of Loop Habit Tracker's score:
//   each day d, from the first session to today,
//     v(d) = min(1, sessions in the 7 days ending on d / goal)
//     S(d) = S(d-1) * m + v(d) * (1 - m),   m = 0.5 ^ (1 / H),  H = 20 days
//   shown as round(100 * S). It rises with each session and, with no session
//   for a while, halves in 20 days. The half-life is the same for every goal,
//   so an easier goal never gives a lower strength for the same logs.
// - The plan: see nextTargets() in targets.js.
//
// The code: days.js (local days and weeks), tally.js (the fold), weeks.js
// (this week, the streak, the calendar, habit strength), plan-rules.js (how
// one session moves a target, and the pain caution) and targets.js (the next
// targets, in words). This module is what the pages use.

export { addDays, dayKey, firstDayOfWeek, startOfDay, weekStart } from "./days.js";
export { counts, emptyTally, foldSession, routineShape, tallyOf } from "./tally.js";
export { calendar, HALF_LIFE_DAYS, habitStrength, streak, thisWeek } from "./weeks.js";
export { explain, nextTargets, withOffer } from "./targets.js";
