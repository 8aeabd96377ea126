// @ts-check
// Progress read from a tally (or an array of logs): this week at a glance, the
// weeks, the streak that forgives, the calendar and habit strength (the rules
// are at the top of progress.js).
import { addDays, dayKey, dayOf, daysBetween, startOfDay, weekStart } from "./days.js";
import { asTally } from "./tally.js";

const DEFAULT_GOAL = 3;

/** @typedef {import("#types").Tally | import("#types").SessionData[]} Source */
/** @typedef {{now: Date, goal?: number, firstDay?: number}} WeekOptions */

/** This week at a glance: sessions done of the goal, and on which days.
 * @param {Source} source @param {WeekOptions} options */
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

/** Every week from the first counting session's to the current one, oldest first.
 * @param {Source} source @param {WeekOptions} options */
function weeks(source, { now, goal = DEFAULT_GOAL, firstDay = 1 }) {
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
 * When the app advised rest (see cautionStep, plan-rules.js): [from, to] Date pairs, from the
 * session that set a caution off to the one that ended it, or to `now`.
 * @param {Source} source @param {Date} now
 */
function cautionSpans(source, now) {
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
 * @param {Source} source @param {WeekOptions} options
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

/** The last `count` weeks as rows of seven days, oldest first, each row with its status.
 * @param {Source} source @param {WeekOptions & {count?: number}} options */
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

/** Habit strength, 0 to 100 (see the formula at the top of progress.js).
 * @param {Source} source @param {{now: Date, goal?: number}} options */
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
