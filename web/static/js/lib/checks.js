// @ts-check
// What the device's checks of a record share (data/session-check.js for a
// session, settings/settings-check.js for the settings): the error that says
// what is wrong and where, in the page's language.
import { t } from "./i18n.js";
import { AHEAD_MS, EARLIEST_MS } from "./rules.js";

// RFC 3339: a capital T, seconds, Z or an offset with its colon (JS's \d is ASCII only).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Anything read from a file or a form: JSON.parse's or a CSV row's, not checked yet.
 * @typedef {Record<string, unknown>} Unchecked */

/** Why a record cannot be kept; `located` once it says where ("row 7: ..."),
 * `field` the path of what is wrong ("started_at", "exercises.0.exercise_id"). */
export class Invalid extends Error {
  /**
   * @param {string} message
   * @param {boolean} [located]
   * @param {string | null} [field]
   */
  constructor(message, located = false, field = null) {
    super(message);
    this.located = located;
    this.field = field;
  }
}

/**
 * Throw Invalid unless `condition`; `problem` words it (a function: checks run
 * for every session of an import, the words only for the few that fail).
 * @param {unknown} condition
 * @param {() => string} problem
 * @param {string | null} [field]
 * @returns {asserts condition}
 */
export function need(condition, problem, field = null) {
  if (!condition) throw new Invalid(problem(), false, field);
}

/**
 * "row 7: pain_after must be 0 to 10": a problem and where it is.
 * @param {string} where
 * @param {string} problem
 */
export function at(where, problem) {
  return t("{where}: {problem}", { where, problem });
}

/**
 * @param {unknown} v
 * @returns {v is number}
 */
export const isInt = (v) => Number.isInteger(v);

/**
 * @param {unknown} v
 * @returns {v is Unchecked}
 */
export const isObject = (v) => Boolean(v) && typeof v === "object" && !Array.isArray(v);

/** The moment a strict RFC 3339 text names, in ms (kept to the millisecond, as
 * the server keeps it); "format" or "unreal" when it names none.
 * @param {unknown} text
 * @returns {number | "format" | "unreal"}
 */
export function parseTime(text) {
  const found = typeof text === "string" && text.length <= 40 ? RFC3339.exec(text) : null;
  if (!found) return "format";
  const [year, month, day, hour, minute, second] = found.slice(1, 7).map(Number);
  const [sign, offHour, offMinute] = [found[8], Number(found[9] ?? 0), Number(found[10] ?? 0)];
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC takes the years 0 to 99 for 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && hour <= 23 && minute <= 59 && second <= 59 && offHour <= 23 && offMinute <= 59;
  if (!real) return "unreal";
  const millis = Number((found[7] ?? "0").slice(0, 3).padEnd(3, "0"));
  date.setUTCHours(hour, minute, second, millis);
  const offset = (sign === "-" ? -1 : 1) * (offHour * 60 + offMinute) * 60_000;
  return date.getTime() - offset;
}

/**
 * The one text a moment is stored as: UTC, Z, milliseconds only when not zero.
 * @param {number} ms
 */
export function canonicalTime(ms) {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/**
 * A time checked as the server checks a session's: strict RFC 3339, from 2000
 * to a day past this device's clock; its moment in ms.
 * @param {unknown} value
 * @param {string} field its name, in the words
 * @param {number} now ms
 * @param {string} [path] where it is, when not at the top ("safety.answered_at")
 */
export function checkTime(value, field, now, path = field) {
  const ms = parseTime(value);
  need(ms !== "format", () => t("{field} must be a date and time such as 2026-11-24T07:30:00Z (a capital T, seconds, and Z or an offset like +01:00)", { field }), path);
  need(ms !== "unreal", () => t("{field} is not a real date and time", { field }), path);
  need(ms >= EARLIEST_MS && ms <= now + AHEAD_MS,
    () => t("{field} must be from 2000-01-01 to one day past this device's clock", { field }), path);
  return ms;
}
