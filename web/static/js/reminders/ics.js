// @ts-check
// A calendar file (RFC 5545) with one weekly event for the routine, made in the
// browser so it works offline and without sync. Google Calendar, Apple Calendar
// and Thunderbird read it: a TZID that names the IANA zone, with a VTIMEZONE
// worked out from the browser's own time-zone rules for apps that need one, a
// stable UID so importing it again updates the event, and an alarm at its start.
// DOM-free, so it is tested on its own. Its words, and the page it opens, are
// in the page's language.
import { lang, pageUrl, t } from "../lib/i18n.js";
import { WEEKDAYS } from "../lib/rules.js";

/** @type {Record<string, string>} */
const BYDAY = { mon: "MO", tue: "TU", wed: "WE", thu: "TH", fri: "FR", sat: "SA", sun: "SU" };
const JS_DAY = [WEEKDAYS[6], ...WEEKDAYS.slice(0, 6)]; // Date#getDay order: Sunday first
const DAY_MS = 86_400_000;

/** @typedef {{year: number, month: number, day: number}} LocalDate */

/**
 * The whole file, CRLF line ends, long lines folded.
 * @param {{days: string[], time: string, timeZone: string, origin: string, now?: Date}} event
 *   `days` "mon" to "sun", `time` "07:30"
 * @returns {string}
 */
export function calendarFile({ days, time, timeZone, origin, now = new Date() }) {
  const chosen = WEEKDAYS.filter((d) => days.includes(d));
  if (!chosen.length) throw new Error(t("Choose at least one day."));
  const [hour, minute] = time.split(":").map(Number);
  const url = `${origin}${pageUrl("/workout")}`;
  const host = new URL(origin).host;
  const summary = t("Back routine");
  const description = t("Five exercises on your mat. Open the workout: {url}", { url });
  const alarm = t("Time for your back routine");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Spine Routine//Weekly reminder//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    ...vtimezone(timeZone, now),
    "BEGIN:VEVENT",
    `UID:weekly-routine@${host}`,
    `DTSTAMP:${utcStamp(now)}`,
    // Seconds since 2020: grows with each download, so calendars take the newer one.
    `SEQUENCE:${Math.floor((now.getTime() - Date.UTC(2020, 0, 1)) / 1000)}`,
    `DTSTART;TZID=${timeZone}:${localStamp(firstDay(chosen, timeZone, now), hour, minute)}`,
    "DURATION:PT15M",
    `RRULE:FREQ=WEEKLY;BYDAY=${chosen.map((d) => BYDAY[d]).join(",")}`,
    `SUMMARY;LANGUAGE=${lang}:${text(summary)}`,
    `DESCRIPTION;LANGUAGE=${lang}:${text(description)}`,
    `URL:${url}`,
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION;LANGUAGE=${lang}:${text(alarm)}`,
    "TRIGGER:PT0M",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}

/**
 * TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11).
 * @param {string} value
 */
function text(value) {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
}

/**
 * Lines longer than 75 octets continue on the next line after a space (§3.1).
 * @param {string} line
 */
function fold(line) {
  const bytes = new TextEncoder();
  const parts = [];
  let current = "";
  for (const char of line) {
    const limit = parts.length ? 74 : 75; // a continuation starts with a space
    if (bytes.encode(current + char).length > limit) {
      parts.push(current);
      current = "";
    }
    current += char;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** @type {(n: number, width?: number) => string} */
const pad = (n, width = 2) => String(n).padStart(width, "0");

/** @param {Date} date */
function utcStamp(date) {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T`
    + `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

/**
 * @param {LocalDate} date
 * @param {number} hour
 * @param {number} minute
 * @param {number} [second]
 */
function localStamp({ year, month, day }, hour, minute, second = 0) {
  return `${year}${pad(month)}${pad(day)}T${pad(hour)}${pad(minute)}${pad(second)}`;
}

/**
 * The wall-clock date and time of `date` in `timeZone`.
 * @param {Date} date
 * @param {string} timeZone
 */
function wallClock(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric", weekday: "short",
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour,
    minute: +parts.minute, second: +parts.second, weekday: parts.weekday.slice(0, 3).toLowerCase() };
}

/**
 * Today or the next chosen day, as a local date in `timeZone`.
 * @param {string[]} chosen
 * @param {string} timeZone
 * @param {Date} now
 */
function firstDay(chosen, timeZone, now) {
  for (let offset = 0; offset < 8; offset += 1) {
    const day = wallClock(new Date(now.getTime() + offset * DAY_MS), timeZone);
    if (chosen.includes(day.weekday)) return day;
  }
  throw new Error("unreachable");
}

/**
 * Minutes east of UTC in `timeZone` at `date`.
 * @param {Date} date
 * @param {string} timeZone
 */
function offsetMinutes(date, timeZone) {
  const w = wallClock(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** @param {number} minutes */
function formatOffset(minutes) {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** The VTIMEZONE for `timeZone`: its clock changes in the year from `now`, each
 * with a yearly rule like "the last Sunday of March" (how DST rules are written).
 * @param {string} timeZone
 * @param {Date} now
 */
function vtimezone(timeZone, now) {
  /** @type {{at: number, from: number, to: number}[]} */
  const changes = [];
  let before = offsetMinutes(now, timeZone);
  for (let day = now.getTime() + DAY_MS; day <= now.getTime() + 366 * DAY_MS; day += DAY_MS) {
    const after = offsetMinutes(new Date(day), timeZone);
    if (after === before) continue;
    let low = day - DAY_MS; // the change lies in (low, day]: find its minute
    let high = day;
    while (high - low > 60_000) {
      const mid = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetMinutes(new Date(mid), timeZone) === before) low = mid; else high = mid;
    }
    changes.push({ at: high, from: before, to: after });
    before = after;
  }
  const lines = ["BEGIN:VTIMEZONE", `TZID:${timeZone}`];
  if (!changes.length) {
    const offset = formatOffset(before);
    lines.push("BEGIN:STANDARD", "DTSTART:19700101T000000", `TZOFFSETFROM:${offset}`,
      `TZOFFSETTO:${offset}`, "END:STANDARD");
  }
  for (const change of changes) {
    // The rule is written in the wall-clock time before the change, from 1970 on.
    const wall = new Date(change.at + change.from * 60_000);
    const month = wall.getUTCMonth() + 1;
    const day = wall.getUTCDate();
    const daysInMonth = new Date(Date.UTC(wall.getUTCFullYear(), month, 0)).getUTCDate();
    const nth = day + 7 > daysInMonth ? -1 : Math.ceil(day / 7);
    const weekday = JS_DAY[wall.getUTCDay()];
    const start = localStamp({ year: 1970, month, day }, wall.getUTCHours(), wall.getUTCMinutes());
    const kind = change.to > change.from ? "DAYLIGHT" : "STANDARD";
    lines.push(`BEGIN:${kind}`, `DTSTART:${start}`,
      `RRULE:FREQ=YEARLY;BYMONTH=${month};BYDAY=${nth}${BYDAY[weekday]}`,
      `TZOFFSETFROM:${formatOffset(change.from)}`, `TZOFFSETTO:${formatOffset(change.to)}`,
      `END:${kind}`);
  }
  lines.push("END:VTIMEZONE");
  return lines;
}
