// @ts-check
// Your data, in: the import of either export (DOM-free, tested on its own).
// Sessions are checked exactly as the server checks `data` v1
// (session-check.js), so nothing invalid is stored or synced; ids are kept in
// lower case and sessions compared with their times in UTC, as the server does.
// What the import reports is in the page's language.
import { t, tn } from "../lib/i18n.js";
import { canonical } from "../lib/records.js";
import { at, Invalid, need } from "../lib/checks.js";
import { checkSession, storedForm } from "./session-check.js";
import { breathe, CSV_COLUMNS, FORMAT, SLICE } from "./export.js";
import { parseJson } from "./json-slices.js";

// Any case, as the server takes it; kept in lower case, as the server keeps it.
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const copyNote = () => t("Imported copy: a different version of this session is already here.");
// The apostrophe the export puts before text a spreadsheet would run as a formula.
const DEFUSED = /^'[=+\-@\t\r]/;

/** @typedef {import("#types").SessionData} SessionData */
/** @typedef {import("../lib/checks.js").Unchecked} Unchecked */
/** A session found in a file, not checked yet; `where` words where it is.
 * @typedef {{where: () => string, id: unknown, data: Unchecked | null | undefined,
 *   fromCsv: boolean, error: Invalid | null}} Found */

/** Rows of an RFC 4180 text, quotes and new lines inside cells included.
 * @param {string} text */
function parseCsv(text) {
  /** @type {string[][]} */
  const rows = [];
  /** @type {string[]} */
  let row = [];
  let field = "";
  let quoted = false;
  const source = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') { field += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i += 1;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += c;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** @param {string} text @param {string} name */
function number(text, name) {
  if (text === "") return null;
  need(/^-?\d+$/.test(text), () => t("{field} must be a whole number", { field: name }));
  return Number(text);
}

/** @param {string} text */
function unformula(text) {
  return DEFUSED.test(text) ? text.slice(1) : text;
}

/** Sessions from our CSV, grouped by session_id: [{ where, id, data, fromCsv }]
 * (`where` words where the session is: "row 2").
 * @param {string} text @param {import("#types").Routine} routine
 * @returns {Found[]} */
function sessionsFromCsv(text, routine) {
  const [header, ...rows] = parseCsv(text);
  need(header && CSV_COLUMNS.every((c) => header.includes(c)),
    () => t("This CSV file does not have the columns of a Spine Routine export."));
  const col = Object.fromEntries(header.map((name, i) => [name, i]));
  /** @type {Map<string, Found & {data: SessionData | null}>} */
  const sessions = new Map();
  rows.forEach((cells, i) => {
    if (cells.length === 1 && cells[0] === "") return; // a blank line
    const get = (/** @type {string} */ name) => unformula(cells[col[name]] ?? "");
    const id = get("session_id");
    const row = () => t("row {number}", { number: i + 2 }); // the header is row 1
    const wrong = (/** @type {string} */ problem) => new Invalid(at(row(), problem), true);
    let session = sessions.get(id);
    if (!session) {
      session = { where: row, id, fromCsv: true, error: null, data: null };
      sessions.set(id, session);
    }
    if (session.error) return;
    // Every row repeats the session's fields: each must be valid and the same.
    let head;
    try {
      head = { routine_id: routine.id, started_at: get("started_at"), ended_at: get("ended_at") || null,
        pain_before: number(get("pain_before"), "pain_before"), pain_after: number(get("pain_after"), "pain_after"),
        notes: get("notes") };
      checkSession({ ...head, exercises: [] }, routine);
    } catch (error) {
      session.error = wrong(/** @type {Error} */ (error).message);
      return;
    }
    if (!session.data) session.data = { ...head, exercises: [] };
    else if (canonical({ ...head, exercises: [] }) !== canonical({ ...session.data, exercises: [] })) {
      session.error = wrong(t("the session's times, pain or notes differ from its first row"));
      return;
    }
    if (session.error || !get("exercise_id")) return;
    try {
      const reps = get("reps") !== "" ? number(get("reps"), "reps")
        : { left: number(get("reps_left"), "reps_left"), right: number(get("reps_right"), "reps_right") };
      need(["true", "false"].includes(get("skipped")), () => t("{field} must be true or false", { field: "skipped" }));
      /** @type {import("#types").ExerciseLog} */
      const entry = { exercise_id: get("exercise_id"), reps: /** @type {import("#types").Reps} */ (reps),
        skipped: get("skipped") === "true" };
      if (get("variation_id")) entry.variation_id = get("variation_id");
      if (get("rating")) entry.rating = /** @type {import("#types").ExerciseLog["rating"]} */ (get("rating"));
      session.data.exercises.push(entry);
    } catch (error) {
      session.error = wrong(/** @type {Error} */ (error).message);
    }
  });
  return [...sessions.values()];
}

/** @param {string} text @returns {Promise<Found[]>} */
async function sessionsFromJson(text) {
  let file;
  try {
    file = await parseJson(text, breathe);
  } catch {
    throw new Invalid(t("This file is not valid JSON."));
  }
  need(file?.format === FORMAT && Array.isArray(file.sessions),
    () => t("This JSON file is not a Spine Routine export."));
  need(file.version === 1, () => t("This export comes from a newer version of the app: update the app first."));
  return file.sessions.map((/** @type {{id?: unknown, data?: Unchecked, deleted?: unknown} | null} */ s, /** @type {number} */ i) => ({ where: () => t("session {number}", { number: i + 1 }), id: s?.id, data: s?.data,
    fromCsv: false, error: s?.deleted === true ? new Invalid(t("a deleted session")) : null }));
}

/** What a CSV can carry of a session: what two sessions are compared by when one came from a CSV. */
/** @param {SessionData} data */
function csvShape(data) {
  return canonical({ ...data, routine_id: null, exercises: data.exercises.map((e) => ({
    exercise_id: e.exercise_id, reps: e.reps, skipped: e.skipped, variation_id: e.variation_id ?? null,
    rating: e.rating ?? null })) });
}

/**
 * Plan an import: which sessions to add (with their ids, in lower case), how
 * many are already here, and which are not valid and why. `existing` are the
 * records on this device; `routine` the one the sessions belong to (as
 * /api/v1/routine serves it). Checked in slices, the page answering between
 * them; `onProgress(n, total)` hears how far it is. Sessions are compared with
 * their times in the canonical text, so the same moment written with another
 * offset is the same session.
 * @param {string} text
 * @param {import("#types").SessionRecord[]} existing
 * @param {import("#types").Routine} routine
 * @param {(n: number, total: number) => void} [onProgress]
 */
export async function planImport(text, existing, routine, onProgress = () => {}) {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  const found = trimmed.startsWith("{") ? await sessionsFromJson(trimmed)
    : sessionsFromCsv(trimmed, routine);
  const byId = new Map(existing.map((r) => [r.id.toLowerCase(), r]));
  const known = new Set();
  const knownCsv = new Set();
  for (let i = 0; i < existing.length; i += 1) {
    if (i && i % SLICE === 0) await breathe();
    if (existing[i].deleted) continue;
    const data = storedForm(/** @type {SessionData} */ (existing[i].data));
    known.add(canonical(data));
    knownCsv.add(csvShape(data));
  }
  /** @type {{id: string, data: SessionData}[]} */
  const add = [];
  /** @type {string[]} */
  const invalid = [];
  let already = 0;
  for (const [n, item] of found.entries()) {
    if (n && n % SLICE === 0) {
      onProgress(n, found.length);
      await breathe();
    }
    try {
      if (item.error) throw item.error;
      need(typeof item.id === "string" && UUID.test(item.id), () => t("its id is not a session id"));
      checkSession(item.data, routine);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const message = error.located ? error.message : at(item.where(), error.message);
      invalid.push(message);
      continue;
    }
    // Compared as the server stores them; kept as the file has them (a file
    // exported here comes back exactly; the server stores its times in UTC).
    const shape = (/** @type {SessionData} */ data) => (item.fromCsv ? csvShape : canonical)(storedForm(data));
    const seen = (/** @type {SessionData} */ data) => (item.fromCsv ? knownCsv : known).has(shape(data));
    // Both checked above.
    let data = /** @type {SessionData} */ (item.data);
    let id = /** @type {string} */ (item.id).toLowerCase();
    const here = byId.get(id);
    if (here && !here.deleted) {
      if (shape(/** @type {SessionData} */ (here.data)) === shape(data)) { already += 1; continue; }
      // Never overwrite: keep both, the imported one under a new id, saying so.
      const notes = data.notes ? `${data.notes}\n${copyNote()}` : copyNote();
      data = { ...data, notes: [...notes].slice(0, 2000).join("") };
      id = crypto.randomUUID();
    } else if (here) {
      id = crypto.randomUUID(); // deleted here: brought back as a new session
    }
    if (seen(data)) { already += 1; continue; } // imported before, under a new id
    add.push({ id, data });
    byId.set(id, /** @type {import("#types").SessionRecord} */ ({ id, deleted: false, data }));
    known.add(canonical(storedForm(data)));
    knownCsv.add(csvShape(storedForm(data)));
  }
  onProgress(found.length, found.length);
  return { add, already, invalid, total: found.length };
}

/** "12 added, 3 already here, 1 not valid (row 7: pain_after must be 0 to 10)".
 * @param {{added: number, already: number, invalid: string[]}} outcome */
export function importSummary({ added, already, invalid }) {
  const parts = [tn(added, "{n} added", "{n} added"), tn(already, "{n} already here", "{n} already here")];
  if (invalid.length) {
    const problems = invalid.slice(0, 3).join("; ") + (invalid.length > 3 ? "; ..." : "");
    parts.push(tn(invalid.length, "{n} not valid ({problems})", "{n} not valid ({problems})", { problems }));
  }
  return parts.join(", ");
}
