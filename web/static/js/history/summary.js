// @ts-check
// /summary: what a physiotherapist reads in a minute, from the logs on this
// device, for a chosen period (the last four weeks unless changed). Printable;
// a Share button sends the CSV where the device can share files.
import { drawPainChart, painSeries } from "./chart.js";
import * as progress from "../progress/progress.js";
import { listSessions, sessionsBetween } from "../lib/sessions.js";
import { loadSettings } from "../settings/settings-store.js";
import { locale, routineUrl, t, tn } from "../lib/i18n.js";
import { labelCells } from "../lib/tables.js";
import { safetySummary } from "../safety/safety.js";

const day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" });
const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const DAY_MS = 86_400_000;

/** @typedef {import("#types").Routine} Routine */
/** @typedef {import("#types").Settings} Settings */
/** @typedef {import("#types").SessionData} SessionData */
/** @typedef {import("#types").ExerciseLog} ExerciseLog */
/** @typedef {{from: Date, to: Date, end: Date}} Period */

/** @param {Date} date */
function isoDay(date) {
  return progress.dayKey(date);
}

/** @param {string} text */
function item(text) {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

/** @param {(string | number)[]} cells */
function row(...cells) {
  const tr = document.createElement("tr");
  cells.forEach((text, i) => {
    const cell = /** @type {HTMLTableCellElement} */ (document.createElement(i === 0 ? "th" : "td"));
    if (i === 0) cell.scope = "row";
    cell.textContent = String(text);
    tr.append(cell);
  });
  return tr;
}

/** @param {import("#types").Reps} reps */
function repsText(reps) {
  return typeof reps === "object" ? `${reps.left}/${reps.right}` : String(reps);
}

/** @param {number[]} values */
function average(values) {
  return values.length ? oneDecimal.format(values.reduce((a, b) => a + b, 0) / values.length) : null;
}

/**
 * Why an exercise is on the list of what hurt: "it hurt, felt painful".
 * @param {ExerciseLog} entry
 */
function hurtWords(entry) {
  const words = [];
  if (entry.hurt) words.push(t("it hurt"));
  if (entry.rating === "painful") words.push(t("felt painful"));
  return words.join(", ");
}

/** @param {HTMLElement} root /summary's main, with all its parts (templates/summary.html) */
export async function startSummaryPage(root) {
  const form = /** @type {HTMLFormElement} */ (root.querySelector("[data-summary-range]"));
  const today = new Date();
  dateField(form, "to").value = isoDay(today);
  dateField(form, "from").value = isoDay(new Date(today.getTime() - 27 * DAY_MS));
  /** @type {[Settings, Routine]} */
  const [settings, routine] = await Promise.all([loadSettings(),
    fetch(routineUrl).then((r) => r.json())]);
  // Only the period's logs are read, again when it changes, one read at a time.
  /** @type {Promise<void>} */
  let drawing = Promise.resolve();
  const draw = () => {
    drawing = drawing.catch(() => {}).then(async () => {
      const period = periodOf(form);
      render(root, await sessionsBetween(period.from, period.end), settings, routine, period);
    });
    return drawing;
  };
  form.addEventListener("change", draw);
  /** @type {HTMLElement} */ (root.querySelector("[data-action=print]")).addEventListener("click", () => window.print());
  const share = /** @type {HTMLElement} */ (root.querySelector("[data-action=share]"));
  const names = Object.fromEntries(routine.exercises.map((e) => [e.id, e.name]));
  // The CSV writer comes with the tap on Share.
  const csv = async () => {
    const { fileName, toCsv } = await import("../data/export.js");
    return new File([await toCsv(await listSessions(), names)], fileName("csv"), { type: "text/csv" });
  };
  const probe = new File([""], "summary.csv", { type: "text/csv" });
  if (navigator.canShare?.({ files: [probe] })) {
    share.hidden = false;
    share.addEventListener("click", async () => {
      await navigator.share({ files: [await csv()], title: t("My back routine") }).catch(() => {});
    });
  }
  await draw();
}

/**
 * @param {HTMLFormElement} form
 * @param {"from" | "to"} name
 */
function dateField(form, name) {
  return /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
}

/**
 * The chosen days, from the start of the first to the end of the last.
 * @param {HTMLFormElement} form
 * @returns {Period}
 */
function periodOf(form) {
  const from = new Date(`${dateField(form, "from").value}T00:00`);
  const to = new Date(`${dateField(form, "to").value}T00:00`);
  const end = new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1);
  return { from, to, end };
}

/**
 * Draw the period's logs (`inRange`, oldest first).
 * @param {HTMLElement} root
 * @param {import("#types").SessionRecord[]} inRange logs still standing
 * @param {Settings} settings
 * @param {Routine} routine
 * @param {Period} period
 */
function render(root, inRange, settings, routine, { from, to, end }) {
  const oldestFirst = inRange.map((r) => /** @type {SessionData} */ (r.data));
  const sessions = oldestFirst;
  const goal = settings.weekly_goal;
  /** @param {string} selector */
  const $ = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));

  // Sessions per week against the goal.
  const firstDay = progress.firstDayOfWeek(navigator.language);
  const weeks = [];
  for (let start = progress.weekStart(from, firstDay); start < end;
    start = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7)) {
    const next = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7);
    // Counted as on the home page: a session with three exercises done (see progress.counts).
    weeks.push({ start, count: sessions.filter((s) => progress.counts(s)
      && new Date(s.started_at) >= start && new Date(s.started_at) < next).length });
  }
  const met = weeks.filter((w) => w.count >= goal).length;
  const period = { from: day.format(from), to: day.format(to) };
  $("[data-summary-overview]").textContent = sessions.length
    ? [tn(sessions.length, "{n} session from {from} to {to}.", "{n} sessions from {from} to {to}.", period),
      tn(weeks.length, "Weekly goal {goal}, met in {met} of {n} week.",
        "Weekly goal {goal}, met in {met} of {n} weeks.", { goal, met })].join(" ")
    : t("No sessions from {from} to {to}.", period);
  $("[data-summary-weeks]").replaceChildren(...weeks.map((w) => row(day.format(w.start), w.count, goal)));

  // Pain before and after.
  const before = sessions.map((s) => s.pain_before).filter((v) => v !== null);
  const after = sessions.map((s) => s.pain_after).filter((v) => v !== null);
  const notRated = t("not rated");
  $("[data-summary-pain]").textContent = before.length || after.length
    ? t("Average pain before a session {before}, after {after}.",
      { before: average(before) ?? notRated, after: average(after) ?? notRated })
    : t("No pain ratings in this period.");
  drawPainChart($("[data-chart]"), painSeries(/** @type {{data: SessionData}[]} */ (inRange), 60));

  // Each exercise: reps and holds over time, versions used.
  $("[data-summary-exercises]").replaceChildren(...routine.exercises.map((exercise) => {
    const done = oldestFirst.flatMap((s) => s.exercises.filter((e) => e.exercise_id === exercise.id && !e.skipped));
    const reps = done.map((e) => repsText(e.reps)).join(", ") || t("not done");
    const holds = /** @type {number[]} */ ([...new Set(done.map((e) => e.target?.hold_seconds).filter(Boolean))]);
    const [shortest, longest] = [Math.min(...holds), Math.max(...holds)];
    const hold = !holds.length ? "–" : shortest === longest ? t("{seconds} s", { seconds: shortest })
      : t("{shortest}–{longest} s", { shortest, longest });
    const variations = [...new Set(done.map((e) => e.variation_id).filter(Boolean))]
      .map((id) => exercise.variations?.find((v) => v.id === id)?.name ?? id);
    return row(exercise.name, reps, hold, variations.join(", ") || t("the usual one"));
  }));

  // Every "It hurts" and every "painful".
  const names = Object.fromEntries(routine.exercises.map((e) => [e.id, e.name]));
  const hurt = oldestFirst.flatMap((s) => s.exercises
    .filter((e) => e.hurt || e.rating === "painful")
    .map((e) => `${day.format(new Date(s.started_at))}: ${names[e.exercise_id] ?? e.exercise_id}`
      + ` (${hurtWords(e)})`));
  $("[data-summary-hurt]").replaceChildren(...(hurt.length ? hurt : [t("Nothing was marked as hurting.")]).map(item));

  const notes = oldestFirst.filter((s) => s.notes.trim())
    .map((s) => `${day.format(new Date(s.started_at))}: ${s.notes.trim()}`);
  $("[data-summary-safety]").textContent = safetySummary(settings.safety, day);
  $("[data-summary-notes]").replaceChildren(...(notes.length ? notes : [t("No notes.")]).map(item));
  for (const table of /** @type {NodeListOf<HTMLTableElement>} */ (root.querySelectorAll("table.stack"))) {
    labelCells(table);
  }
  $("[data-summary-page]").hidden = false;
}
