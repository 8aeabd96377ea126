// @ts-check
// The settings record checked exactly as the server checks it (SettingsData in
// server/sync/records.py), DOM-free, so the device never queues a change the
// server would refuse. The cases both sides are tested with live in
// tests/cases/settings_data.json.
import { checkTime, Invalid, isInt, isObject, need } from "../lib/checks.js";
import { t } from "../lib/i18n.js";
import { LANGUAGES, SAFETY_SIGNS, TEMPOS, WEEKDAYS, WEEKLY_GOAL_MAX } from "../lib/rules.js";

const REQUIRED = ["weekly_goal", "voice", "beeps", "vibration", "tempo"];
const OPTIONAL = ["reminders", "language", "safety"];
const SCHEDULE = ["days", "time", "time_zone"];
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const ZONE_MAX = 64;

/** @typedef {import("../lib/checks.js").Unchecked} Unchecked */

/**
 * Whether this device knows `name` as an IANA time zone, written as the zone
 * database writes it ("Europe/Berlin", not "europe/berlin": the server's names are
 * case-sensitive where the browser's are not).
 * @param {string} name
 */
function knownZone(name) {
  let resolved;
  try {
    resolved = new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
}

/**
 * @param {Unchecked} data
 * @param {string[]} required
 * @param {string[]} optional
 * @param {string} prefix where `data` sits ("", "reminders." or "safety.")
 */
function checkFields(data, required, optional, prefix) {
  for (const key of Object.keys(data)) {
    need([...required, ...optional].includes(key), () => t("unknown field {field}", { field: key }), prefix + key);
  }
  for (const key of required) need(key in data, () => t("{field} is missing", { field: key }), prefix + key);
}

/** @param {unknown} schedule */
function checkReminders(schedule) {
  need(isObject(schedule), () => t("{where} must be an object", { where: "reminders" }), "reminders");
  checkFields(schedule, SCHEDULE, [], "reminders.");
  const { days, time, time_zone: zone } = schedule;
  need(Array.isArray(days) && days.length <= WEEKDAYS.length,
    () => t("{field} must be a list of at most {max}", { field: "days", max: WEEKDAYS.length }), "reminders.days");
  days.forEach((day, n) => need(WEEKDAYS.includes(day),
    () => t("{field} must be one of {values}", { field: "days", values: WEEKDAYS.join(", ") }), `reminders.days.${n}`));
  need(new Set(days).size === days.length, () => t("each day may appear only once in {field}", { field: "days" }), "reminders.days");
  need(typeof time === "string" && TIME.test(time),
    () => t("{field} must be a time such as 07:30", { field: "time" }), "reminders.time");
  need(typeof zone === "string" && [...zone].length <= ZONE_MAX && knownZone(zone),
    () => t("{field} must be a time zone such as Europe/Berlin", { field: "time_zone" }), "reminders.time_zone");
}

/**
 * @param {unknown} safety
 * @param {number} now
 */
function checkSafety(safety, now) {
  need(isObject(safety), () => t("{where} must be an object", { where: "safety" }), "safety");
  checkFields(safety, ["answered_at", "yes"], ["cleared_at"], "safety.");
  checkTime(safety.answered_at, "answered_at", now, "safety.answered_at");
  const { yes } = safety;
  need(Array.isArray(yes) && yes.length <= SAFETY_SIGNS.length,
    () => t("{field} must be a list of at most {max}", { field: "yes", max: SAFETY_SIGNS.length }), "safety.yes");
  yes.forEach((sign, n) => need(SAFETY_SIGNS.includes(sign),
    () => t("{field} must be one of {values}", { field: "yes", values: SAFETY_SIGNS.join(", ") }), `safety.yes.${n}`));
  need(new Set(yes).size === yes.length,
    () => t("each sign may appear only once in {field}", { field: "yes" }), "safety.yes");
  if (safety.cleared_at != null) checkTime(safety.cleared_at, "cleared_at", now, "safety.cleared_at");
}

/**
 * Check the settings' data as the server does; throw Invalid (its `field` the
 * path of what is wrong, as the server names it), or return the data.
 * @param {unknown} data
 * @param {number} [now] ms
 * @returns {import("#types").Settings}
 */
export function checkSettings(data, now = Date.now()) {
  need(isObject(data), () => t("{where} must be an object", { where: "settings" }));
  checkFields(data, REQUIRED, OPTIONAL, "");
  need(isInt(data.weekly_goal) && data.weekly_goal >= 1 && data.weekly_goal <= WEEKLY_GOAL_MAX,
    () => t("{field} must be {min} to {max}", { field: "weekly_goal", min: 1, max: WEEKLY_GOAL_MAX }), "weekly_goal");
  for (const key of ["voice", "beeps", "vibration"]) {
    need(typeof data[key] === "boolean", () => t("{field} must be true or false", { field: key }), key);
  }
  need(TEMPOS.includes(/** @type {string} */ (data.tempo)),
    () => t("{field} must be one of {values}", { field: "tempo", values: TEMPOS.join(", ") }), "tempo");
  if (data.reminders != null) checkReminders(data.reminders);
  need(data.language == null || LANGUAGES.includes(/** @type {string} */ (data.language)),
    () => t("{field} must be one of {values}", { field: "language", values: LANGUAGES.join(", ") }), "language");
  if (data.safety != null) checkSafety(data.safety, now);
  // Every field is checked above.
  return /** @type {import("#types").Settings} */ (data);
}

/**
 * The settings to save: `current` with `changes`, checked. A field the user is
 * not changing that the server would refuse (kept by an older version of the
 * app) goes back to its default, or away when it has none, so that stale data
 * never stops a change; a change the server would refuse throws Invalid.
 * @param {Unchecked} current
 * @param {Unchecked} changes
 * @param {Readonly<Unchecked>} defaults
 */
export function settingsToSave(current, changes, defaults) {
  const data = { ...current, ...changes };
  for (;;) {
    try {
      return checkSettings(data);
    } catch (error) {
      const field = error instanceof Invalid ? error.field?.split(".")[0] : undefined;
      if (!field || field in changes) throw error;
      if (field in defaults) data[field] = defaults[field];
      else if (field in data) delete data[field];
      else throw error;
    }
  }
}
