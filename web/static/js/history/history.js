// @ts-check
// /history: the logs saved on this device, newest first, each with its
// details, an editable note and pain rating, and a delete that asks first
// (history-item.js).
// Twenty at a time: more as the list's end scrolls into view (or its button
// is pressed), so years of logs open as quickly as a week's. The chart and the
// count come from the kept tally (progress-store.js).
import { newestSessions, saveSession } from "../lib/sessions.js";
import { get, promised, remove, transaction } from "../lib/db.js";
import { drawPainChart } from "./chart.js";
import { sessionItem } from "./history-item.js";
import { loadTally } from "../progress/progress-store.js";
import * as pacing from "../workout/pacing.js";
import { onStatus } from "../sync/state.js";
import { locale, routineUrl, t, tn } from "../lib/i18n.js";
import { labelCells } from "../lib/tables.js";

/** @typedef {import("#types").Routine} Routine */
/** @typedef {import("./history-item.js").SyncInfo} SyncInfo */
/** @typedef {import("#types").WorkoutState} WorkoutState */

const ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;

/** @param {HTMLElement} root */
export async function startHistoryPage(root) {
  /** @type {Routine | null} */
  let routine = null;
  // Listen before the first read: a sync that lands after this is drawn by the
  // listener, one that landed before it is already in the database we read.
  // Open sessions stay open; only a form the user is typing in is left alone.
  onStatus(() => {
    if (!root.querySelector("[data-sessions] form")?.contains(document.activeElement)) {
      render(root, routine);
    }
  });
  await salvageAbandoned();
  routine = await fetch(routineUrl).then((r) => r.json()).catch(() => null);
  await render(root, routine);
}

/** A workout left running for hours is kept as an unfinished session, never lost. */
async function salvageAbandoned() {
  /** @type {WorkoutState | undefined} */
  const progress = await get("meta", pacing.PROGRESS_KEY);
  if (!progress) return;
  const stale = Date.now() - Date.parse(progress.updatedAt ?? progress.startedAt) > ABANDONED_AFTER_MS;
  if (progress.status !== "finished" && !stale) return;
  /** @type {Routine} */
  const routine = await fetch(routineUrl).then((r) => r.json());
  await saveSession({ routine_id: routine.id, started_at: progress.startedAt,
    ended_at: progress.status === "finished" ? progress.endedAt : null,
    pain_before: progress.painBefore, pain_after: null, notes: "",
    exercises: pacing.summarize(progress, routine) }, progress.id);
  await remove("meta", pacing.PROGRESS_KEY);
}

/** @type {Promise<void>} */
let drawing = Promise.resolve();
/** @type {Routine | null} */
let known = null; // the routine, once fetched
const PAGE = 20;

/** Draw the list, one draw at a time: a slow, older draw never lands after a newer one.
 * `more`: add the next page of older sessions to those shown.
 * @param {HTMLElement} root @param {Routine | null} routine @param {boolean} [more] */
function render(root, routine, more = false) {
  // The routine may arrive after a first draw (a sync can end before it is
  // fetched): later draws, the scroll watcher's too, use the newest one known.
  known = routine ?? known;
  drawing = drawing.catch(() => {}).then(() => draw(root, known, more));
  return drawing;
}

/** @param {HTMLElement} root /history's main, with all its parts (templates/history.html)
 * @param {Routine | null} routine @param {boolean} more */
async function draw(root, routine, more) {
  /** @param {string} selector */
  const $ = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
  const list = $("[data-sessions]");
  const last = /** @type {HTMLElement | null} */ (more ? list.lastElementChild : null);
  // Each item carries its record's key and id (sessionItem).
  const after = last ? { started_at: String(last.dataset.key), id: String(last.dataset.id) } : null;
  const [sessions, tally, progress, sync] = await Promise.all([
    newestSessions(after ? PAGE : Math.max(PAGE, list.children.length), after),
    routine ? loadTally(routine) : null, get("meta", pacing.PROGRESS_KEY), syncInfo()]);
  const before = after ? list.children.length : 0;
  const total = Math.max(tally?.count ?? 0, before + sessions.length);
  $("[data-empty]").hidden = before + sessions.length > 0;
  $("[data-in-progress]").hidden = !progress;
  /** @type {Record<string, string>} */
  const names = Object.fromEntries((routine?.exercises ?? []).map((e) => [e.id, e.name]));
  /** @type {Record<string, string>} */
  const variations = Object.fromEntries((routine?.exercises ?? []).flatMap((e) => e.variations)
    .map((v) => [v.id, v.name]));
  const refresh = () => render(root, routine);
  if (tally) {
    drawPainChart($("[data-chart]"), tally.pain);
    labelCells(/** @type {HTMLTableElement} */ ($("[data-chart] table")));
  }
  // Opened just now, while this render was reading the database: stay open.
  const open = new Set([.../** @type {NodeListOf<HTMLElement>} */ (list.querySelectorAll("details[open]"))]
    .map((d) => d.dataset.id));
  const items = sessions.map((record, i) => {
    const item = sessionItem(record, { names, variations }, sync, refresh, open.has(record.id));
    // A screen reader hears where it is in the whole list, not just the part drawn.
    item.setAttribute("aria-posinset", String(before + i + 1));
    return item;
  });
  if (after) list.append(...items);
  else list.replaceChildren(...items);
  for (const item of list.children) item.setAttribute("aria-setsize", String(total));
  list.setAttribute("aria-busy", "false");
  const button = $("[data-more]");
  if (after && button.dataset.pressed) {
    // Asked for with the button: the keyboard goes on from the first one added.
    delete button.dataset.pressed;
    items[0]?.querySelector("summary")?.focus();
  }
  showMore(root, routine, list.children.length, total);
}

/** What sync says of each log: its state, the device names, the refused ones.
 * @returns {Promise<SyncInfo>} */
async function syncInfo() {
  const [state, devices, refused] = await Promise.all([get("meta", "sync"), get("meta", "device-names"),
    transaction(["outbox"], "readonly", (s) => promised(s.outbox.index("rejected").getAll()))]);
  return { state, devices: devices ?? {},
    rejected: Object.fromEntries(refused.map((e) => [e.id, e.rejected])) };
}

/** @type {IntersectionObserver | null} */
let watcher = null;

/** "20 of 3,650 sessions shown" and the button (and the scroll watcher) for more.
 * @param {HTMLElement} root @param {Routine | null} routine @param {number} shown @param {number} total */
function showMore(root, routine, shown, total) {
  const button = /** @type {HTMLElement} */ (root.querySelector("[data-more]"));
  const line = /** @type {HTMLElement} */ (root.querySelector("[data-sessions-shown]"));
  const rest = Math.max(0, total - shown);
  line.textContent = rest ? t("{shown} of {total} sessions shown.", {
    shown: shown.toLocaleString(locale), total: total.toLocaleString(locale) }) : "";
  button.hidden = !rest;
  button.textContent = tn(Math.min(PAGE, rest), "Show {n} older session", "Show {n} older sessions");
  if (!button.dataset.wired) {
    button.dataset.wired = "true";
    button.addEventListener("click", () => {
      button.dataset.pressed = "true";
      render(root, routine, true);
    });
  }
  if (!("IntersectionObserver" in globalThis)) return;
  watcher ??= new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && !button.hidden) render(root, routine, true);
  }, { rootMargin: "400px 0px" });
  // Observed afresh after each draw: its first report says whether the end is
  // still in sight (a tall screen), and then the next page follows.
  watcher.unobserve(button);
  if (rest) watcher.observe(button);
}
