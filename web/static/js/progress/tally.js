// @ts-check
// The tally of progress.js: what the session logs add up to, folded in the
// order they were done (per-day counts, the caution state, each exercise's
// target), so a tally kept on the device plus the few recent logs gives the
// same answers as all the logs at once.
import { startKey } from "../lib/db.js";
import { dayKey } from "./days.js";
import { cautionStep, firstTarget, NO_CAUTION, step } from "./plan-rules.js";

/** @typedef {import("#types").SessionData} SessionData */
/** @typedef {import("#types").Routine} Routine */
/** @typedef {import("#types").Tally} Tally */

/** Done exercises a session needs to count: three, or all of a shorter routine's. */
const COUNTING_EXERCISES = 3;

/** Whether a session counts towards its week (see the rules in progress.js).
 * @param {SessionData | null | undefined} data */
export function counts(data) {
  const entries = data?.exercises ?? [];
  const done = entries.filter((e) => !e.skipped).length;
  return done > 0 && done >= Math.min(COUNTING_EXERCISES, entries.length);
}

/** What the routine's plan depends on: when it changes, a kept tally is redone.
 * @param {Routine} routine */
export function routineShape(routine) {
  return JSON.stringify(routine.exercises.map((e) => [e.id, e.sides, e.reps, e.hold_seconds ?? null,
    (e.variations ?? []).map((v) => [v.id, v.level])]));
}

/** The tally of no logs. With a routine it also follows each exercise's target,
 * counting only logs from `resetAt` (an ISO time: the plan was reset then).
 * @param {Routine | null} [routine] @param {{resetAt?: string | null}} [options]
 * @returns {Tally} */
export function emptyTally(routine = null, { resetAt = null } = {}) {
  return {
    count: 0, // logs folded in
    days: {}, // counting sessions per local day: {"2026-11-24": 1}
    first: null, // the first day with a counting session
    health: { ...NO_CAUTION },
    spans: [], // closed caution spans, [from, to] ISO times
    openFrom: null, // when the caution still on began
    pain: [], // the last PAIN_POINTS logs with a pain rating, oldest first: {when, before, after}
    plan: routine ? { routine: routineShape(routine), resetAt, after: false,
      targets: Object.fromEntries(routine.exercises.map((e) => [e.id, firstTarget(e)])) } : null,
  };
}

/** How many rated logs the tally keeps for the pain chart. */
const PAIN_POINTS = 14;

/** @type {WeakMap<Routine, Record<string, import("#types").Exercise>>} */
const exercisesOf = new WeakMap();

/** Add one log to a tally (in place), logs oldest first; returns the tally.
 * @param {Tally} tally @param {SessionData} data @param {Routine | null} [routine] */
export function foldSession(tally, data, routine = null) {
  tally.count += 1;
  if (counts(data)) {
    const key = dayKey(new Date(data.started_at));
    tally.days[key] = (tally.days[key] ?? 0) + 1;
    if (!tally.first || key < tally.first) tally.first = key;
  }
  if (data.pain_before !== null || data.pain_after !== null) {
    tally.pain.push({ when: data.started_at, before: data.pain_before, after: data.pain_after });
    if (tally.pain.length > PAIN_POINTS) tally.pain.shift();
  }
  const before = tally.health.caution;
  tally.health = cautionStep(tally.health, data);
  if (!before && tally.health.caution) tally.openFrom = data.started_at;
  if (before && !tally.health.caution) {
    tally.spans.push([/** @type {string} */ (tally.openFrom), data.started_at]);
    tally.openFrom = null;
  }
  const { plan } = tally;
  if (plan && routine && (!plan.resetAt || startKey(data.started_at) >= plan.resetAt)) {
    plan.after = true;
    if (!exercisesOf.has(routine)) {
      exercisesOf.set(routine, Object.fromEntries(routine.exercises.map((e) => [e.id, e])));
    }
    const byId = /** @type {Record<string, import("#types").Exercise>} */ (exercisesOf.get(routine));
    for (const entry of data.exercises ?? []) {
      const exercise = byId[entry.exercise_id];
      if (exercise) {
        plan.targets[exercise.id] = step(exercise, plan.targets[exercise.id], entry, data,
          tally.health.caution);
      }
    }
  }
  return tally;
}

/** The tally of session logs given in any order (the reference every kept tally must equal).
 * @param {SessionData[]} sessions @param {Routine | null} [routine]
 * @param {{resetAt?: string | null}} [options] */
export function tallyOf(sessions, routine = null, options = {}) {
  const ordered = sessions.map((data, i) => /** @type {[string, number, SessionData]} */ (
    [startKey(data.started_at), i, data])).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  const tally = emptyTally(routine, options);
  for (const [, , data] of ordered) foldSession(tally, data, routine);
  return tally;
}

/** A tally as it is, or the tally of an array of session logs.
 * @param {Tally | SessionData[]} source */
export function asTally(source) {
  return Array.isArray(source) ? tallyOf(source) : source;
}
