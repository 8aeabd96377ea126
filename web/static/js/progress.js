// @ts-nocheck: typed once it is split into feature modules (issue 22); until then tsc skips it.
// Progress, derived from the session logs and nothing else (DESIGN §8): the
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
// - The plan: see nextTargets() below.

import { startKey } from "./db.js";
import { t, tn } from "./i18n.js";

export const DEFAULT_GOAL = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

// --- Days and weeks ----------------------------------------------------------

/** The first day of the week for a locale, 1 (Monday) to 7 (Sunday), as Intl gives it. */
export function firstDayOfWeek(localeTag) {
  try {
    const locale = new Intl.Locale(localeTag);
    const info = locale.getWeekInfo?.() ?? locale.weekInfo;
    if (info?.firstDay >= 1 && info.firstDay <= 7) return info.firstDay;
  } catch {
    // An odd or missing tag: fall back to Monday.
  }
  return 1;
}

/** Midnight (local time) of a date's day. */
export function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

export function addDays(date, days) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** "2026-11-24" for a local day. */
export function dayKey(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Midnight of the first day of the week holding `date`. */
export function weekStart(date, firstDay = 1) {
  const offset = (date.getDay() - (firstDay % 7) + 7) % 7;
  return addDays(date, -offset);
}

/** Whole days from a to b (both local midnights); safe across daylight saving changes. */
function daysBetween(a, b) {
  return Math.round((b - a) / DAY_MS);
}

/** Done exercises a session needs to count: three, or all of a shorter routine's. */
export const COUNTING_EXERCISES = 3;

/** Whether a session counts towards its week (see the rules at the top). */
export function counts(data) {
  const entries = data?.exercises ?? [];
  const done = entries.filter((e) => !e.skipped).length;
  return done > 0 && done >= Math.min(COUNTING_EXERCISES, entries.length);
}

// --- The tally ---------------------------------------------------------------

/** What the routine's plan depends on: when it changes, a kept tally is redone. */
export function routineShape(routine) {
  return JSON.stringify(routine.exercises.map((e) => [e.id, e.sides, e.reps, e.hold_seconds ?? null,
    (e.variations ?? []).map((v) => [v.id, v.level])]));
}

/** The tally of no logs. With a routine it also follows each exercise's target,
 * counting only logs from `resetAt` (an ISO time: the plan was reset then). */
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
export const PAIN_POINTS = 14;

const exercisesOf = new WeakMap();

/** Add one log to a tally (in place), logs oldest first; returns the tally. */
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
    tally.spans.push([tally.openFrom, data.started_at]);
    tally.openFrom = null;
  }
  const { plan } = tally;
  if (plan && routine && (!plan.resetAt || startKey(data.started_at) >= plan.resetAt)) {
    plan.after = true;
    if (!exercisesOf.has(routine)) {
      exercisesOf.set(routine, Object.fromEntries(routine.exercises.map((e) => [e.id, e])));
    }
    const byId = exercisesOf.get(routine);
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

/** The tally of session logs given in any order (the reference every kept tally must equal). */
export function tallyOf(sessions, routine = null, options = {}) {
  const ordered = sessions.map((data, i) => [startKey(data.started_at), i, data])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  const tally = emptyTally(routine, options);
  for (const [, , data] of ordered) foldSession(tally, data, routine);
  return tally;
}

function asTally(source) {
  return Array.isArray(source) ? tallyOf(source) : source;
}

function dayOf(key) {
  const [y, m, d] = key.split("-").map(Number);
  return new Date(y, m - 1, d);
}

// --- This week, the streak, the calendar ------------------------------------

/** This week at a glance: sessions done of the goal, and on which days. */
export function thisWeek(source, { now, goal = DEFAULT_GOAL, firstDay = 1 }) {
  const { days } = asTally(source);
  const start = weekStart(now, firstDay);
  const week = Array.from({ length: 7 }, (_, i) => {
    const date = addDays(start, i);
    return { date, key: dayKey(date), sessions: days[dayKey(date)] ?? 0,
      today: dayKey(date) === dayKey(now), future: date > now };
  });
  const done = week.reduce((sum, day) => sum + day.sessions, 0);
  return { done, goal, met: done >= goal, days: week };
}

/** Every week from the first counting session's to the current one, oldest first. */
export function weeks(source, { now, goal = DEFAULT_GOAL, firstDay = 1 }) {
  const tally = asTally(source);
  const { days } = tally;
  if (!tally.first) return [];
  const current = weekStart(now, firstDay);
  const spans = cautionSpans(tally, now);
  const out = [];
  for (let start = weekStart(dayOf(tally.first), firstDay); start <= current;
    start = addDays(start, 7)) {
    let count = 0;
    for (let i = 0; i < 7; i++) count += days[dayKey(addDays(start, i))] ?? 0;
    const isCurrent = dayKey(start) === dayKey(current);
    const end = addDays(start, 7);
    const resting = spans.some(([from, to]) => from < end && to >= start);
    let status = "missed";
    if (count >= goal) status = "met";
    else if (isCurrent) status = "open";
    else if (resting) status = "paused";
    out.push({ start, key: dayKey(start), count, status });
  }
  return out;
}

/**
 * When the app advised rest (see cautionStep): [from, to] Date pairs, from the
 * session that set a caution off to the one that ended it, or to `now`.
 */
export function cautionSpans(source, now) {
  const tally = asTally(source);
  const spans = tally.spans.map(([from, to]) => [new Date(from), new Date(to)]);
  if (tally.openFrom) spans.push([new Date(tally.openFrom), now]);
  return spans;
}

/**
 * The streak: met weeks in a row, newest first, with forgiven ("rest") weeks.
 * A week missed while the app advised rest for pain ("paused") neither counts
 * nor breaks it, and uses up no forgiveness: safety before streaks.
 * Also marks each week's status as the calendar shows it: met, rest, paused,
 * open or missed (a missed week is never shown as such, only left blank).
 */
export function streak(source, options) {
  const tally = asTally(source);
  const list = weeks(tally, options);
  const forgiven = [];
  let met = 0;
  let oldestMet = -1;
  let lastForgiven = Infinity;
  for (let i = list.length - 1; i >= 0; i--) {
    const { status } = list[i];
    if (status === "open" || status === "paused") continue;
    if (status === "met") {
      met += 1;
      oldestMet = i;
      continue;
    }
    if (lastForgiven - i < 4) break;
    forgiven.push(i);
    lastForgiven = i;
  }
  // A run begins with a met week: a forgiven week older than its first is no rest.
  const rest = oldestMet === -1 ? [] : forgiven.filter((i) => i > oldestMet);
  for (const i of rest) list[i].status = "rest";
  return { weeks: met, restWeeks: rest.length, resting: tally.health.caution !== null, list };
}

/** The last `count` weeks as rows of seven days, oldest first, each row with its status. */
export function calendar(source, { now, goal = DEFAULT_GOAL, firstDay = 1, count = 12 }) {
  const tally = asTally(source);
  const { days } = tally;
  const statuses = new Map(streak(tally, { now, goal, firstDay }).list.map((w) => [w.key, w.status]));
  const current = weekStart(now, firstDay);
  const today = dayKey(now);
  return Array.from({ length: count }, (_, row) => {
    const start = addDays(current, (row - count + 1) * 7);
    const cells = Array.from({ length: 7 }, (_, i) => {
      const date = addDays(start, i);
      const key = dayKey(date);
      return { date, key, sessions: days[key] ?? 0, today: key === today, future: date > now && key !== today };
    });
    return { start, key: dayKey(start), status: statuses.get(dayKey(start)) ?? "none", days: cells };
  });
}

/** Days for habit strength to halve with no sessions, whatever the goal. */
export const HALF_LIFE_DAYS = 20;

/** Habit strength, 0 to 100 (see the formula at the top). */
export function habitStrength(source, { now, goal = DEFAULT_GOAL }) {
  const { days, first: firstKey } = asTally(source);
  if (!firstKey) return 0;
  const first = dayOf(firstKey);
  const today = startOfDay(now);
  const multiplier = 0.5 ** (1 / HALF_LIFE_DAYS);
  const span = daysBetween(first, today);
  // Per-day counts as an array by day number: no date formatting in the loop.
  const counted = new Float64Array(span + 1);
  for (const [key, n] of Object.entries(days)) {
    const i = daysBetween(first, dayOf(key));
    if (i >= 0 && i <= span) counted[i] = n;
  }
  let score = 0;
  let window = 0;
  for (let i = 0; i <= span; i++) {
    window += counted[i];
    if (i >= 7) window -= counted[i - 7];
    score = score * multiplier + Math.min(1, window / goal) * (1 - multiplier);
  }
  return Math.round(score * 100);
}

// --- The plan ---------------------------------------------------------------

const RAISE_BLOCKING_RATINGS = new Set(["hard", "painful"]);
const HIGH_PAIN = 7;
const LOW_PAIN = 3;

function painRose(data) {
  return data.pain_before != null && data.pain_after != null && data.pain_after > data.pain_before;
}

function painJump(data) {
  return data.pain_before != null && data.pain_after != null ? data.pain_after - data.pain_before : 0;
}

/**
 * Whether the app should, calmly, advise stopping and seeing a professional:
 * a session ended at pain 7 or more, or three sessions in a row ended with
 * more pain than they began with. It lasts until a later session ends with
 * less pain than the one that set it off. Fold sessions, oldest first,
 * through this; `caution` is null or {reason: "high"|"rising", pain, started_at}.
 */
export function cautionStep(state, data) {
  let { caution } = state;
  if (caution && data.pain_after != null && data.pain_after < caution.pain) caution = null;
  const rising = painRose(data) ? state.rising + 1 : 0;
  if (data.pain_after != null && data.pain_after >= HIGH_PAIN) {
    caution = { reason: "high", pain: data.pain_after, started_at: data.started_at };
  } else if (rising >= 3) {
    caution = { reason: "rising", pain: data.pain_after, started_at: data.started_at };
  }
  return { caution, rising };
}

export const NO_CAUTION = Object.freeze({ caution: null, rising: 0 });

function levelOf(exercise, variationId) {
  return exercise.variations.find((v) => v.id === variationId)?.level ?? "standard";
}

const LEVELS = ["easier", "standard", "harder"];

/** The variation one level up or down from `variationId` (null is the standard way). */
function neighbour(exercise, variationId, step) {
  const level = LEVELS[LEVELS.indexOf(levelOf(exercise, variationId)) + step];
  if (!level) return undefined;
  if (level === "standard") return null;
  return exercise.variations.find((v) => v.level === level)?.id;
}

function holdRange(exercise) {
  return exercise.hold_seconds ?? null;
}

function firstTarget(exercise) {
  return { reps: exercise.reps.min, hold: holdRange(exercise)?.min ?? null, variation: null,
    reason: { kind: "start" }, offer: null, calmAtTop: 0 };
}

function doneAtLeast(entry, reps) {
  const done = entry.reps;
  return typeof done === "number" ? done >= reps : Math.min(done.left, done.right) >= reps;
}

/** One session's effect on one exercise's target (the rules of nextTargets). */
function step(exercise, target, entry, data, caution) {
  const { min, max } = exercise.reps;
  const holds = holdRange(exercise);
  const planned = { reps: entry.target?.reps ?? target.reps,
    hold: holds ? entry.target?.hold_seconds ?? target.hold : null };
  const used = entry.variation_id ?? null;
  const hurt = entry.hurt ? "hurt" : entry.rating === "painful" ? "painful"
    : painJump(data) >= 2 ? "pain-rose" : null;
  if (hurt) {
    // Back to the start; off the harder version; the easier one offered.
    const variation = levelOf(exercise, used) === "harder" ? null : used;
    const easier = neighbour(exercise, variation, -1);
    return { reps: min, hold: holds?.min ?? null, variation, calmAtTop: 0,
      reason: { kind: "eased", why: hurt, from: planned.reps },
      offer: easier === undefined || levelOf(exercise, variation) !== "standard" ? null
        : { variation: easier, direction: "easier" } };
  }
  const same = (why) => ({ ...planned, variation: used, calmAtTop: 0, offer: null,
    reason: { kind: "same", why, from: planned.reps } });
  if (entry.skipped) return same("skipped");
  if (!doneAtLeast(entry, planned.reps)) return same("not-all-done");
  if (RAISE_BLOCKING_RATINGS.has(entry.rating)) return same("hard");
  if (painRose(data)) return same("pain-up");
  if (caution) return same("caution");
  const reps = Math.min(max, planned.reps + 1);
  const hold = holds ? Math.min(holds.max, planned.hold + 1) : null;
  const atTop = planned.reps >= max && (!holds || planned.hold >= holds.max);
  const calmAtTop = atTop && data.pain_after != null && data.pain_after <= LOW_PAIN
    ? target.calmAtTop + 1 : 0;
  let reason = { kind: "top" };
  if (reps > planned.reps) reason = { kind: "up", from: planned.reps };
  else if (holds && hold > planned.hold) reason = { kind: "hold-up", from: planned.hold };
  const harder = calmAtTop >= 2 ? neighbour(exercise, used, 1) : undefined;
  return { reps, hold, variation: used, calmAtTop, reason,
    offer: harder === undefined ? null : { variation: harder, direction: "harder" } };
}

/**
 * Each exercise's target for the next workout, from the logs alone:
 * - start at the routine's minimum reps (per side) and minimum hold;
 * - after a session where the exercise was done at its target, not rated hard
 *   or painful, and pain after was not above pain before: one rep more, and
 *   one second more of hold, up to the routine's maximum;
 * - at the maximum twice in a row with pain after at most 3: the next harder
 *   version is offered (never switched to without the user's say);
 * - rated painful, "It hurts" pressed, or pain after 2 or more above pain
 *   before: back to the minimum, off the harder version, the easier one offered;
 * - while cautionStep() holds a caution, no target rises.
 * A session that logged its `target` is judged against it (a plan reset or a
 * target planned on another device); older logs against the derived one.
 * Sessions before `resetAt` (an ISO time) are ignored: the plan was reset.
 * `source` is a tally made with the routine, or an array of logs.
 * Returns {targets: {exerciseId: {reps, hold, variation, reason, offer}}, caution}.
 */
export function nextTargets(source, routine, { resetAt = null } = {}) {
  const tally = Array.isArray(source) ? tallyOf(source, routine, { resetAt }) : source;
  const { plan } = tally;
  const targets = {};
  for (const [id, { calmAtTop, ...target }] of Object.entries(plan.targets)) {
    const exercise = routine.exercises.find((e) => e.id === id);
    targets[id] = plan.resetAt && !plan.after ? { ...firstTarget(exercise), reason: { kind: "reset" } }
      : target;
    delete targets[id].calmAtTop;
  }
  return { targets, caution: tally.health.caution };
}

/** The target with an offer taken: a harder version starts again at the minimum. */
export function withOffer(target, exercise, accepted) {
  if (!accepted || !target.offer) return target;
  const { direction, variation } = target.offer;
  if (direction === "harder") {
    return { ...target, variation, reps: exercise.reps.min, hold: holdRange(exercise)?.min ?? null,
      reason: { kind: "new-version", from: target.reps } };
  }
  return { ...target, variation };
}

function variationName(exercise, id) {
  const variation = exercise.variations.find((v) => v.id === id);
  return variation ? variation.name.charAt(0).toLowerCase() + variation.name.slice(1) : "";
}

/** The target in words, with why: "13 reps: up from 12 last time". */
export function explain(target, exercise) {
  const sided = exercise.sides !== "none";
  const { kind, why, from } = target.reason;
  const holding = (what) => (target.hold && exercise.hold_seconds?.max > exercise.hold_seconds?.min
    ? tn(target.hold, "{what}, holding {n} second", "{what}, holding {n} seconds", { what }) : what);
  const versioned = (what) => (target.variation
    ? t("{what} {variation}", { what, variation: variationName(exercise, target.variation) }) : what);
  const count = sided ? tn(target.reps, "{n} rep on each side", "{n} reps on each side")
    : tn(target.reps, "{n} rep", "{n} reps");
  const what = versioned(holding(count));
  switch (kind) {
    case "up": return t("{what}: up from {from} last time", { what, from });
    case "hold-up": return t("{what}: a second longer than last time", { what });
    case "top": return t("{what}: the most the routine asks", { what });
    case "same": return sameText(why, what);
    case "eased": return target.reps < from
      ? easedBack(why, versioned(holding(sided ? t("{reps} on each side", { reps: target.reps })
        : String(target.reps))))
      : easedHere(why, what);
    case "new-version": return t("{what}: a fresh start on the harder version", { what });
    case "reset": return t("{what}: the routine's starting count", { what: holding(count) });
    default: return t("{what}: a gentle start", { what });
  }
}

function sameText(why, what) {
  switch (why) {
    case "skipped": return t("{what}: skipped last time, so no change", { what });
    case "not-all-done": return t("{what}: the same again, to finish them all", { what });
    case "hard": return t("{what}: the same again, it felt hard last time", { what });
    case "pain-up": return t("{what}: the same again, your pain was a little higher after last time", { what });
    default: return t("{what}: no increase until your pain eases", { what });
  }
}

/** Eased back to fewer reps: "Back to 10 on each side: it hurt last time". */
function easedBack(why, what) {
  switch (why) {
    case "hurt": return t("Back to {what}: it hurt last time", { what });
    case "painful": return t("Back to {what}: it felt painful last time", { what });
    default: return t("Back to {what}: your pain rose after last time", { what });
  }
}

/** Eased, already at the fewest reps. */
function easedHere(why, what) {
  switch (why) {
    case "hurt": return t("{what}, no more for now: it hurt last time", { what });
    case "painful": return t("{what}, no more for now: it felt painful last time", { what });
    default: return t("{what}, no more for now: your pain rose after last time", { what });
  }
}
