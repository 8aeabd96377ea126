// @ts-check
// /history: the logs saved on this device, newest first, each with its
// details, an editable note and pain rating, and a delete that asks first.
// Twenty at a time: more as the list's end scrolls into view (or its button
// is pressed), so years of logs open as quickly as a week's. The chart and the
// count come from the kept tally (progress-store.js).
import { deleteSession, newestSessions, saveSession, updateSession } from "../lib/sessions.js";
import { get, promised, remove, transaction } from "../lib/db.js";
import { drawPainChart } from "./chart.js";
import { loadTally } from "../progress/progress-store.js";
import * as pacing from "../workout/pacing.js";
import { onStatus } from "../sync/sync.js";
import { locale, routineUrl, t, tn } from "../lib/i18n.js";
import { labelCells } from "../lib/tables.js";
import { NOTES_MAX } from "../lib/rules.js";

/** @typedef {import("#types").Routine} Routine @typedef {import("#types").SessionRecord} SessionRecord */
/** @typedef {import("#types").SessionData} SessionData @typedef {import("#types").ExerciseLog} ExerciseLog */
/** @typedef {Awaited<ReturnType<typeof syncInfo>>} SyncInfo */
/** @typedef {import("#types").WorkoutState} WorkoutState */
/** @typedef {{names: Record<string, string>, variations: Record<string, string>}} Names */

const ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;
const when = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short" });

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

/** What sync says of each log: its state, the device names, the refused ones. */
/** @returns {Promise<{state: import("#types").SyncState | undefined, devices: Record<string, string>, rejected: Record<string, {code: string, message: string}>}>} the device names by id, and why the server refused each refused log */
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

/** An element with properties and children.
 * @template {keyof HTMLElementTagNameMap} K @param {K} tag
 * @param {Partial<HTMLElementTagNameMap[K]>} [props] @param {(Node | string)[]} children
 * @returns {HTMLElementTagNameMap[K]} */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** How long it took: "12 minutes", or "20 seconds" for less than a minute.
 * @param {SessionData} data */
function minutes(data) {
  if (!data.ended_at) return t("Unfinished");
  const seconds = Math.max(0, Math.round((Date.parse(data.ended_at) - Date.parse(data.started_at)) / 1000));
  if (seconds < 60) return tn(seconds, "{n} second", "{n} seconds");
  return tn(Math.round(seconds / 60), "{n} minute", "{n} minutes");
}

/** @param {number | null | undefined} value */
function pain(value) {
  return value === null || value === undefined ? "–" : String(value);
}

/** Where a log is: only here, or synced, and from which device.
 * @param {SessionRecord} record @param {SyncInfo} sync */
function whereItIs(record, sync) {
  const synced = sync.state?.token && record.version > 0 && !record.dirty;
  const refused = sync.rejected[record.id];
  const text = refused ? t("Could not sync: {message}", { message: refused.message })
    : synced ? t("Synced") : t("On this device only");
  const badges = [el("span", { className: "badge", textContent: text })];
  if (record.origin && sync.state?.deviceId && record.origin !== sync.state.deviceId) {
    const from = sync.devices[record.origin];
    badges.push(el("span", { className: "badge",
      textContent: from ? t("From {device}", { device: from }) : t("From another device") }));
  }
  return el("span", { className: "session-where" }, ...badges);
}

/** @type {Record<string, string>} */
const FEELINGS = { easy: t("Felt easy"), ok: t("Felt OK"), hard: t("Felt hard"),
  painful: t("Felt painful") };

/** How an exercise went, in words: the variation used, how it felt, whether it hurt.
 * @param {ExerciseLog} entry @param {Record<string, string>} variations */
function howItWent(entry, variations) {
  const parts = [];
  if (entry.variation_id) parts.push(variations[entry.variation_id] ?? entry.variation_id);
  if (entry.rating) parts.push(FEELINGS[entry.rating]);
  if (entry.hurt) parts.push(t("It hurt"));
  return parts.join(" · ") || "–";
}

/** One log: its summary line at once, its details when first opened (so a long
 * list costs a line a log).
 * @param {SessionRecord} record a log still standing @param {Names} names @param {SyncInfo} sync
 * @param {() => Promise<void>} refresh @param {boolean} opened */
function sessionItem(record, { names, variations }, sync, refresh, opened) {
  const data = /** @type {SessionData} */ (record.data);
  const done = data.exercises.filter((e) => !e.skipped).length;
  const summary = el("summary", {},
    el("span", { className: "session-date", textContent: when.format(new Date(data.started_at)) }),
    whereItIs(record, sync),
    el("span", { className: "session-line",
      textContent: [minutes(data),
        t("pain {before} → {after}", { before: pain(data.pain_before), after: pain(data.pain_after) }),
        tn(data.exercises.length, "{done} of {n} exercise", "{done} of {n} exercises", { done }),
        ...(data.exercises.some((e) => e.hurt) ? [t("something hurt")] : [])].join(" · ") }));
  const details = el("details", {}, summary);
  details.dataset.id = record.id;
  const fill = () => {
    if (details.dataset.filled) return;
    details.dataset.filled = "true";
    details.append(...detailsOf(record, { names, variations }, refresh));
  };
  // Filled on the click that opens it (before it opens), or on any other opening.
  summary.addEventListener("click", fill);
  details.addEventListener("toggle", () => { if (details.open) fill(); });
  if (opened) {
    fill();
    details.open = true;
  }
  const item = el("li", { className: "session" }, details);
  item.dataset.key = record.started_at;
  item.dataset.id = record.id;
  return item;
}

/** A log's exercises, note, edit form and delete.
 * @param {SessionRecord} record @param {Names} names @param {() => Promise<void>} refresh */
function detailsOf(record, { names, variations }, refresh) {
  const data = /** @type {SessionData} */ (record.data);
  const rows = data.exercises.map((e) => el("tr", {},
    el("td", { textContent: names[e.exercise_id] ?? e.exercise_id }),
    el("td", { textContent: pacing.describeReps(e) }),
    el("td", { textContent: howItWent(e, variations) })));
  const table = el("table", { className: "summary stack" },
    el("caption", { textContent: t("Exercises") }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", textContent: t("Exercise") }),
      el("th", { scope: "col", textContent: t("Reps") }),
      el("th", { scope: "col", textContent: t("How it went") }))),
    el("tbody", {}, ...rows));
  labelCells(table);
  // A note is the user's own text: always textContent, never HTML.
  const note = el("p", { className: "session-note", textContent: data.notes || t("No note.") });
  return [table, note, editForm(record, refresh), deleteControl(record, refresh)];
}

/** @param {string} id @param {string} label @param {number | null} value */
function painSelect(id, label, value) {
  const select = el("select", { id, name: id });
  select.append(el("option", { value: "", textContent: t("Not given") }));
  for (let i = 0; i <= 10; i++) select.append(el("option", { value: String(i), textContent: String(i) }));
  select.value = value === null || value === undefined ? "" : String(value);
  return el("p", { className: "field" }, el("label", { htmlFor: id, textContent: label }), select);
}

/** @param {SessionRecord} record @param {() => Promise<void>} refresh */
function editForm(record, refresh) {
  const data = /** @type {SessionData} */ (record.data);
  const key = record.id.slice(0, 8);
  const textarea = el("textarea", { id: `note-${key}`, name: "notes", maxLength: NOTES_MAX, rows: 3,
    value: data.notes ?? "" });
  const form = el("form", { className: "edit" },
    el("label", { htmlFor: textarea.id, textContent: t("Note") }), textarea,
    painSelect(`before-${key}`, t("Pain before (0–10)"), data.pain_before),
    painSelect(`after-${key}`, t("Pain after (0–10)"), data.pain_after),
    el("button", { className: "button", type: "submit", textContent: t("Save changes") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    /** @param {string} name */
    const number = (name) => {
      const v = /** @type {HTMLSelectElement} */ (form.elements.namedItem(name)).value;
      return v === "" ? null : Number(v);
    };
    await updateSession(record.id, { notes: textarea.value.trim(),
      pain_before: number(`before-${key}`),
      pain_after: number(`after-${key}`) });
    await refresh();
  });
  return form;
}

/** @param {SessionRecord} record @param {() => Promise<void>} refresh */
function deleteControl(record, refresh) {
  const ask = el("button", { className: "button", type: "button", textContent: t("Delete session") });
  const confirm = el("div", { className: "confirm", hidden: true, role: "group" });
  const question = el("p", { textContent: t("Delete this session for good? This cannot be undone.") });
  const yes = el("button", { className: "button warn", type: "button", textContent: t("Yes, delete it") });
  const no = el("button", { className: "button", type: "button", textContent: t("Keep it") });
  confirm.setAttribute("aria-label", t("Confirm deletion"));
  confirm.append(question, yes, no);
  ask.addEventListener("click", () => { confirm.hidden = false; ask.hidden = true; no.focus(); });
  no.addEventListener("click", () => { confirm.hidden = true; ask.hidden = false; ask.focus(); });
  yes.addEventListener("click", async () => { await deleteSession(record.id); await refresh(); });
  return el("div", { className: "delete" }, ask, confirm);
}
