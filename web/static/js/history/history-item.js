// @ts-check
// One log of /history: its summary line, and when opened its exercises, note,
// edit form (note and pain ratings) and a delete that asks first.
import { deleteSession, updateSession } from "../lib/sessions.js";
import { describeReps } from "../workout/pacing.js";
import { locale, t, tn } from "../lib/i18n.js";
import { labelCells } from "../lib/tables.js";
import { NOTES_MAX } from "../lib/rules.js";

/** @typedef {import("#types").SessionRecord} SessionRecord @typedef {import("#types").SessionData} SessionData */
/** @typedef {import("#types").ExerciseLog} ExerciseLog */
/** @typedef {{names: Record<string, string>, variations: Record<string, string>}} Names */
/** What sync says of the logs: its state, the device names by id, and why the server refused each refused log.
 * @typedef {{state: import("#types").SyncState | undefined, devices: Record<string, string>,
 *   rejected: Record<string, {code: string, message: string}>}} SyncInfo */

const when = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short" });

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
export function sessionItem(record, { names, variations }, sync, refresh, opened) {
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
    el("td", { textContent: describeReps(e) }),
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
