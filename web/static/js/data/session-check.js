// @ts-check
// A session's data checked exactly as the server checks `data` v1
// (server/sync/records.py and times.py), DOM-free, so nothing the server would
// refuse is imported: strict RFC 3339 times from 2000 to a day ahead of this
// device's clock, an end not before the start, the routine's own ids. The
// cases both sides are tested with live in tests/cases/session_data.json.
import { at, canonicalTime, checkTime, isInt, isObject, need, parseTime } from "../lib/checks.js";
import { t } from "../lib/i18n.js";
import {
  COUNT_MAX, EXERCISES_MAX, HOLD_MAX, NOTES_MAX, PAIN_MAX, RATINGS,
} from "../lib/rules.js";

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const OPTIONAL_ENTRY = ["variation_id", "rating", "hurt", "target"];

/** @typedef {import("../lib/checks.js").Unchecked} Unchecked */

/**
 * @param {Unchecked} entry an entry of `exercises` as read: checked here to be an object
 * @param {number} n
 * @param {string[]} exerciseIds
 */
function checkEntry(entry, n, exerciseIds) {
  const where = () => t("exercise {number}", { number: n + 1 });
  /** @param {string} key */
  const path = (key) => `exercises.${n}.${key}`;
  need(isObject(entry),
    () => t("{where} must be an object", { where: where() }), `exercises.${n}`);
  /** @type {(condition: unknown, problem: () => string, key: string) => asserts condition} */
  const check = (condition, problem, key) => need(condition, () => at(where(), problem()), path(key));
  /** @type {(value: unknown, field: string) => void} */
  const count = (value, field) => check(isInt(value) && value >= 0 && value <= COUNT_MAX,
    () => t("{field} must be a whole number from {min} to {max}", { field, min: 0, max: COUNT_MAX }), field);
  for (const key of Object.keys(entry)) {
    check(["exercise_id", "reps", "skipped", ...OPTIONAL_ENTRY].includes(key),
      () => t("unknown field {field}", { field: key }), key);
  }
  check(typeof entry.exercise_id === "string" && SLUG.test(entry.exercise_id) && entry.exercise_id.length <= 60,
    () => t("{field} must be a lowercase name like knee-rolls", { field: "exercise_id" }), "exercise_id");
  check(exerciseIds.includes(entry.exercise_id),
    () => t("{field} must be one of this routine's exercises", { field: "exercise_id" }), "exercise_id");
  if (entry.reps && typeof entry.reps === "object") {
    const reps = /** @type {Unchecked} */ (entry.reps);
    check(Object.keys(reps).sort().join() === "left,right", () => t("reps must have left and right"), "reps");
    count(reps.left, "reps.left");
    count(reps.right, "reps.right");
  } else {
    count(entry.reps, "reps");
  }
  check(typeof entry.skipped === "boolean", () => t("{field} must be true or false", { field: "skipped" }), "skipped");
  if (entry.variation_id != null) {
    check(typeof entry.variation_id === "string" && SLUG.test(entry.variation_id),
      () => t("{field} must be a lowercase name", { field: "variation_id" }), "variation_id");
  }
  if (entry.rating != null) {
    check(typeof entry.rating === "string" && RATINGS.includes(entry.rating), () => t("rating must be easy, ok, hard or painful"), "rating");
  }
  if (entry.hurt != null) {
    check(typeof entry.hurt === "boolean", () => t("{field} must be true or false", { field: "hurt" }), "hurt");
  }
  if (entry.target != null) {
    const target = /** @type {Unchecked} */ (entry.target);
    check(typeof target === "object" && Object.keys(target).every((k) => k === "reps" || k === "hold_seconds"),
      () => t("target must have reps and hold_seconds"), "target");
    count(target.reps, "target.reps");
    if (target.hold_seconds != null) {
      check(isInt(target.hold_seconds) && target.hold_seconds >= 1 && target.hold_seconds <= HOLD_MAX,
        () => t("{field} must be {min} to {max}", { field: "target.hold_seconds", min: 1, max: HOLD_MAX }),
        "target.hold_seconds");
    }
  }
}

/**
 * @param {unknown} value
 * @param {string} field
 */
function checkPain(value, field) {
  need(value === null || (isInt(value) && value >= 0 && value <= PAIN_MAX),
    () => t("{field} must be {min} to {max}", { field, min: 0, max: PAIN_MAX }), field);
}

/**
 * Check a session's data as the server does (SessionData, strict) against the
 * routine it belongs to (`{id, exercises: [{id}]}`, as /api/v1/routine serves
 * it); throw Invalid, or return the data as the server stores it (its times
 * in their canonical text).
 * @param {Unchecked | null | undefined} data a session's data as read: checked here to be an object
 * @param {{id: string, exercises: {id: string}[]}} routine
 * @param {number} [now] ms
 * @returns {import("#types").SessionData}
 */
export function checkSession(data, routine, now = Date.now()) {
  need(isObject(data), () => t("a session must be an object"));
  const fields = ["routine_id", "started_at", "ended_at", "pain_before", "pain_after", "notes", "exercises"];
  for (const key of Object.keys(data)) need(fields.includes(key), () => t("unknown field {field}", { field: key }), key);
  for (const key of fields) need(key in data, () => t("{field} is missing", { field: key }), key);
  need(typeof data.routine_id === "string" && SLUG.test(data.routine_id) && data.routine_id.length <= 60,
    () => t("{field} must be a lowercase name", { field: "routine_id" }), "routine_id");
  need(data.routine_id === routine.id,
    () => t("{field} must be this routine's id ({value})", { field: "routine_id", value: routine.id }), "routine_id");
  const started = checkTime(data.started_at, "started_at", now);
  const ended = data.ended_at === null ? null : checkTime(data.ended_at, "ended_at", now);
  need(ended === null || ended >= started,
    () => t("{field} must not be before started_at", { field: "ended_at" }), "ended_at");
  checkPain(data.pain_before, "pain_before");
  checkPain(data.pain_after, "pain_after");
  // In characters, as the server counts them (not UTF-16 units: an emoji is one).
  need(typeof data.notes === "string" && [...data.notes].length <= NOTES_MAX,
    () => t("{field} must be text of at most {max} characters", { field: "notes", max: NOTES_MAX }), "notes");
  need(Array.isArray(data.exercises) && data.exercises.length <= EXERCISES_MAX,
    () => t("{field} must be a list of at most {max}", { field: "exercises", max: EXERCISES_MAX }), "exercises");
  const exerciseIds = routine.exercises.map((e) => e.id);
  data.exercises.forEach((entry, n) => checkEntry(entry, n, exerciseIds));
  // Every field is checked above.
  return /** @type {import("#types").SessionData} */ (
    { ...data, started_at: canonicalTime(started), ended_at: ended === null ? null : canonicalTime(ended) });
}

/**
 * The data with its times in their canonical text, if they are strict RFC 3339
 * (what this device holds may predate the rules); else as it is.
 * @template T
 * @param {T} data
 * @returns {T}
 */
export function storedForm(data) {
  if (!data || typeof data !== "object") return data;
  const record = /** @type {Record<string, unknown>} */ (data);
  /** @type {Record<string, string>} */
  const times = {};
  for (const field of ["started_at", "ended_at"]) {
    const ms = parseTime(record[field]);
    if (typeof ms === "number") times[field] = canonicalTime(ms);
  }
  return /** @type {T} */ ({ ...record, ...times });
}
