// @ts-check
// Local days and weeks, for progress.js: midnight, day keys, the locale's first
// day of the week. Days are read in the browser's local time.

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The first day of the week for a locale, 1 (Monday) to 7 (Sunday), as Intl gives it.
 * @param {string} localeTag */
export function firstDayOfWeek(localeTag) {
  try {
    // getWeekInfo() (weekInfo in older engines) is not in TypeScript's lib yet.
    const locale = /** @type {Intl.Locale & {getWeekInfo?: () => WeekInfo, weekInfo?: WeekInfo}} */ (
      new Intl.Locale(localeTag));
    const info = locale.getWeekInfo?.() ?? locale.weekInfo;
    if (info && info.firstDay >= 1 && info.firstDay <= 7) return info.firstDay;
  } catch {
    // An odd or missing tag: fall back to Monday.
  }
  return 1;
}

/** @typedef {{firstDay: number}} WeekInfo */

/** Midnight (local time) of a date's day.
 * @param {Date} date */
export function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** @param {Date} date @param {number} days */
export function addDays(date, days) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** "2026-11-24" for a local day.
 * @param {Date} date */
export function dayKey(date) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Midnight of the first day of the week holding `date`.
 * @param {Date} date */
export function weekStart(date, firstDay = 1) {
  const offset = (date.getDay() - (firstDay % 7) + 7) % 7;
  return addDays(date, -offset);
}

/** Whole days from a to b (both local midnights); safe across daylight saving changes.
 * @param {Date} a @param {Date} b */
export function daysBetween(a, b) {
  return Math.round((b.getTime() - a.getTime()) / DAY_MS);
}

/** The local midnight of a day key ("2026-11-24").
 * @param {string} key */
export function dayOf(key) {
  const [y, m, d] = key.split("-").map(Number);
  return new Date(y, m - 1, d);
}
