// @ts-check
// What the device's checks of a record share (data/session-check.js for a
// session, settings/settings-check.js for the settings): the error that says
// what is wrong and where, in the page's language.
import { t } from "./i18n.js";

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
