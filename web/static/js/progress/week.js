// @ts-check
// "This week" on / and /history, and the 12-week calendar on /history: drawn
// from the logs on this device (progress.js does the counting), again after
// every sync. Calm words only: nothing here scolds a missed week.
import { dayKey, firstDayOfWeek } from "./days.js";
import * as weeks from "./weeks.js";
import { loadTally } from "./progress-store.js";
import { loadSettings } from "../settings/settings-store.js";
import { onStatus } from "../sync/state.js";
import { locale, routineUrl, t, tn } from "../lib/i18n.js";
import { WEEKDAYS } from "../lib/rules.js";

const dayName = new Intl.DateTimeFormat(locale, { weekday: "long" });
const dayShort = new Intl.DateTimeFormat(locale, { weekday: "short" });
const dayLong = new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long" });
const dayMonth = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" });
const list = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });

/** @typedef {import("#types").Routine} Routine */
/** @typedef {import("#types").Tally} Tally */
/** @typedef {{now: Date, goal: number, firstDay: number}} Options */

/** @param {HTMLElement} root */
export function startWeek(root) {
  const draw = () => render(root).catch((error) => console.warn("Could not draw the week:", error));
  onStatus(draw);
  return draw();
}

/** @type {Routine | null} */
let routine = null;

/** @param {HTMLElement} root */
async function render(root) {
  const known = (routine ??= await fetch(routineUrl).then((r) => r.json()));
  const [tally, settings] = await Promise.all([loadTally(known), loadSettings()]);
  /** @type {Options} */
  const options = { now: new Date(), goal: settings.weekly_goal,
    firstDay: firstDayOfWeek(navigator.language) };
  const week = /** @type {HTMLElement | null} */ (root.querySelector("[data-week]"));
  if (week) drawWeek(week, tally, options);
  const calendar = /** @type {HTMLElement | null} */ (root.querySelector("[data-calendar]"));
  if (calendar) drawCalendar(calendar, tally, options);
  const routineDay = /** @type {HTMLElement | null} */ (root.querySelector("[data-routine-day]"));
  if (routineDay) {
    const today = WEEKDAYS[(options.now.getDay() + 6) % 7]; // getDay() counts from Sunday
    const doneToday = Boolean(tally.days[dayKey(options.now)]);
    routineDay.textContent = settings.reminders?.days?.includes(today) && !doneToday
      ? t("Today is one of your routine days.") : "";
  }
}

/**
 * A day and its sessions: "Monday: 1 session", "Friday 27 November: still to come".
 * @param {{sessions: number, future?: boolean}} day
 * @param {string} label
 */
function dayText(day, label) {
  if (day.future) return t("{day}: still to come", { day: label });
  return day.sessions ? tn(day.sessions, "{day}: {n} session", "{day}: {n} sessions", { day: label })
    : t("{day}: no session", { day: label });
}

/**
 * @param {HTMLElement} section "This week" (templates/_week.html), every part of it there
 * @param {Tally} tally
 * @param {Options} options
 */
function drawWeek(section, tally, options) {
  /** @param {string} selector */
  const $ = (selector) => /** @type {HTMLElement} */ (section.querySelector(selector));
  const week = weeks.thisWeek(tally, options);
  const days = week.days.filter((d) => d.sessions > 0).map((d) => dayName.format(d.date));
  let text = days.length
    ? tn(week.goal, "{done} of {n} session, on {days}.", "{done} of {n} sessions, on {days}.",
      { done: week.done, days: list.format(days) })
    : tn(week.goal, "{done} of {n} session.", "{done} of {n} sessions.", { done: week.done });
  if (week.met) text = [text, t("Weekly goal met. Well done.")].join(" ");
  $("[data-week-count]").textContent = text;
  $("[data-week-days]").replaceChildren(...week.days.map((day) => {
    const item = document.createElement("li");
    item.className = "week-day";
    item.dataset.done = String(day.sessions > 0);
    if (day.today) item.setAttribute("aria-current", "date");
    const short = document.createElement("span");
    short.textContent = dayShort.format(day.date);
    short.setAttribute("aria-hidden", "true");
    const mark = document.createElement("span");
    mark.className = "week-mark";
    mark.setAttribute("aria-hidden", "true");
    const full = document.createElement("span");
    full.className = "visually-hidden";
    full.textContent = dayText({ ...day, future: false }, dayName.format(day.date));
    item.append(short, mark, full);
    return item;
  }));
  const streak = weeks.streak(tally, options);
  $("[data-week-streak]").textContent = streakText(streak, week);
  const strength = weeks.habitStrength(tally, options);
  /** @type {HTMLMeterElement} */ ($("[data-strength-meter]")).value = strength;
  $("[data-strength]").textContent = t("{strength} of 100", { strength });
}

/**
 * @param {{resting: boolean, weeks: number, restWeeks: number}} streak
 * @param {{met: boolean}} week
 */
function streakText(streak, week) {
  if (streak.resting) {
    return streak.weeks
      ? tn(streak.weeks, "Your back comes first: your streak waits ({n} week in a row) until your pain eases.",
        "Your back comes first: your streak waits ({n} weeks in a row) until your pain eases.")
      : t("Your back comes first: your streak waits until your pain eases.");
  }
  if (!streak.weeks) {
    return week.met ? "" : t("Reach your goal this week to start a streak of weeks.");
  }
  if (!streak.restWeeks) return tn(streak.weeks, "{n} week in a row.", "{n} weeks in a row.");
  const rest = tn(streak.restWeeks, "{n} rest week", "{n} rest weeks");
  return tn(streak.weeks, "{n} week in a row, with {rest}.", "{n} weeks in a row, with {rest}.", { rest });
}

/** @type {Record<string, string>} */
const STATUS_TEXT = { met: t("Goal met"), rest: t("Rest week"), paused: t("Rest week"),
  open: t("This week") };

/**
 * @param {HTMLElement} section the calendar on /history (templates/history.html)
 * @param {Tally} tally
 * @param {Options} options
 */
function drawCalendar(section, tally, options) {
  const rows = weeks.calendar(tally, options);
  const table = /** @type {HTMLElement} */ (section.querySelector("[data-calendar-grid]"));
  const head = document.createElement("tr");
  head.append(cell("th", t("Week")));
  for (const day of rows[0].days) {
    const th = cell("th", dayShort.format(day.date));
    th.scope = "col";
    th.setAttribute("aria-label", dayName.format(day.date));
    head.append(th);
  }
  const body = rows.map((row) => {
    const tr = document.createElement("tr");
    tr.dataset.status = row.status;
    const label = cell("th", `${dayMonth.format(row.start)}`);
    label.scope = "row";
    if (STATUS_TEXT[row.status]) {
      label.append(document.createElement("br"), Object.assign(document.createElement("span"),
        { className: "calendar-status", textContent: STATUS_TEXT[row.status] }));
    }
    tr.append(label);
    for (const day of row.days) tr.append(dayCell(day));
    return tr;
  });
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  tbody.append(...body);
  // A redraw (after a sync) keeps the day the user was on, and their focus.
  const focused = /** @type {HTMLElement | null} */ (table.querySelector("[tabindex='0']"))?.dataset.day;
  const hadFocus = table.contains(document.activeElement);
  table.replaceChildren(thead, tbody);
  const today = dayKey(options.now);
  // Today is always in the grid.
  const start = /** @type {HTMLElement} */ (table.querySelector(`[data-day="${focused}"]`)
    ?? table.querySelector(`[data-day="${today}"]`));
  start.tabIndex = 0;
  if (hadFocus) start.focus();
  wireKeys(table);
  const met = rows.filter((r) => r.status === "met").length;
  /** @type {HTMLElement} */ (section.querySelector("[data-calendar-summary]")).textContent = tn(met,
    "Goal met in {n} week of the last {count}.", "Goal met in {n} weeks of the last {count}.",
    { count: rows.length });
}

/**
 * @param {"th" | "td"} tag
 * @param {string} text
 */
function cell(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

/** @param {{key: string, date: Date, sessions: number, today: boolean, future: boolean}} day */
function dayCell(day) {
  const td = document.createElement("td");
  td.setAttribute("role", "gridcell");
  td.tabIndex = -1;
  td.dataset.day = day.key;
  td.dataset.count = String(day.sessions);
  td.setAttribute("aria-label", dayText(day, dayLong.format(day.date)));
  if (day.today) td.setAttribute("aria-current", "date");
  if (day.future) td.dataset.future = "true";
  const mark = document.createElement("span");
  mark.className = "calendar-mark";
  mark.setAttribute("aria-hidden", "true");
  if (day.sessions > 1) mark.textContent = String(day.sessions);
  td.append(mark);
  return td;
}

/**
 * The grid's keys: arrows move a day or a week, Home and End to the week's ends.
 * @param {HTMLElement} table
 */
function wireKeys(table) {
  if (table.dataset.wired) return;
  table.dataset.wired = "true";
  table.addEventListener("keydown", (event) => {
    const current = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest("[data-day]"));
    if (!current) return;
    const cells = [.../** @type {NodeListOf<HTMLElement>} */ (table.querySelectorAll("[data-day]"))];
    const index = cells.indexOf(current);
    const column = index % 7;
    /** @type {Record<string, number>} */
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7,
      Home: -column, End: 6 - column };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = cells[Math.min(cells.length - 1, Math.max(0, index + moves[event.key]))];
    current.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
}
