// Your data, in and out: the CSV and JSON exports and the import of either,
// all from the data on this device (DOM-free, tested on its own).
//
// Sessions are checked on import exactly as the server checks `data` v1
// (server/sync/records.py), so nothing invalid is stored or synced.
import { canonical } from "./records.js";

export const FORMAT = "spine-routine-export";
export const CSV_COLUMNS = ["session_id", "started_at", "ended_at", "duration_minutes",
  "pain_before", "pain_after", "exercise_id", "exercise_name", "variation_id", "reps",
  "reps_left", "reps_right", "skipped", "rating", "notes"];
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// An ISO 8601 date-time with an offset, as pydantic's AwareDatetime takes it.
const AWARE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const RATINGS = ["easy", "ok", "hard", "painful"];
const COPY_NOTE = "Imported copy: a different version of this session is already here.";

/** "spine-routine-2026-11-24.csv": the local date of `now`. */
export function fileName(extension, now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `spine-routine-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${extension}`;
}

// Long histories are written in slices, letting the page breathe between them:
// an export never freezes it.
const SLICE = 250;
const breathe = () => new Promise((resolve) => { setTimeout(resolve, 0); });

/** The JSON export: every live session, its data exactly as the app holds it. */
export async function toJson(records, now = new Date()) {
  const live = records.filter((r) => !r.deleted);
  const parts = [];
  for (let i = 0; i < live.length; i += 1) {
    if (i && i % SLICE === 0) await breathe();
    const { id, version, data } = live[i];
    parts.push(JSON.stringify({ id, version, deleted: false, data }));
  }
  const head = JSON.stringify({ format: FORMAT, version: 1, exported_at: now.toISOString() });
  return `${head.slice(0, -1)},"sessions":[\n${parts.join(",\n")}\n]}\n`;
}

// Spreadsheets run a cell that starts with one of these as a formula: such
// text gets a leading apostrophe (taken off again on import).
const FORMULA = /^[=+\-@\t\r]/;

function cell(value) {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function minutes(data) {
  if (!data.ended_at) return null;
  const span = (Date.parse(data.ended_at) - Date.parse(data.started_at)) / 60_000;
  return Number.isFinite(span) ? Math.round(span * 10) / 10 : null;
}

/** The CSV export (RFC 4180): a header, then one row per exercise of each session.
 * UTF-8 with a byte-order mark, so Excel reads accents and other scripts right. */
export async function toCsv(records, names = {}) {
  const lines = [CSV_COLUMNS.join(",")];
  const live = records.filter((r) => !r.deleted)
    .sort((a, b) => (a.data.started_at < b.data.started_at ? -1 : a.data.started_at > b.data.started_at ? 1 : 0));
  for (const [n, { id, data }] of live.entries()) {
    if (n && n % SLICE === 0) await breathe();
    const head = [id, data.started_at, data.ended_at, minutes(data), data.pain_before, data.pain_after];
    const entries = data.exercises.length ? data.exercises : [null];
    for (const entry of entries) {
      const sided = entry && typeof entry.reps === "object";
      const row = entry ? [entry.exercise_id, names[entry.exercise_id] ?? "", entry.variation_id,
        sided ? null : entry.reps, sided ? entry.reps.left : null, sided ? entry.reps.right : null,
        entry.skipped, entry.rating] : [null, null, null, null, null, null, null, null];
      lines.push([...head, ...row, data.notes].map(cell).join(","));
    }
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Rows of an RFC 4180 text, quotes and new lines inside cells included. */
export function parseCsv(text) {
  const rows = [];
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

class Invalid extends Error {}

function need(condition, message) {
  if (!condition) throw new Invalid(message);
}

const isInt = (v) => Number.isInteger(v);
const OPTIONAL_ENTRY = { variation_id: "slug", rating: "rating", hurt: "bool", target: "target" };

function checkCount(value, name) {
  need(isInt(value) && value >= 0 && value <= 1000, `${name} must be a whole number from 0 to 1000`);
}

function checkEntry(entry, n) {
  const where = `exercises ${n + 1}`;
  need(entry && typeof entry === "object" && !Array.isArray(entry), `${where} must be an object`);
  for (const key of Object.keys(entry)) {
    need(["exercise_id", "reps", "skipped", ...Object.keys(OPTIONAL_ENTRY)].includes(key),
      `${where}: unknown field ${key}`);
  }
  need(typeof entry.exercise_id === "string" && SLUG.test(entry.exercise_id) && entry.exercise_id.length <= 60,
    `${where}: exercise_id must be a lowercase name like knee-rolls`);
  if (entry.reps && typeof entry.reps === "object") {
    need(Object.keys(entry.reps).sort().join() === "left,right", `${where}: reps must have left and right`);
    checkCount(entry.reps.left, `${where}: reps left`);
    checkCount(entry.reps.right, `${where}: reps right`);
  } else {
    checkCount(entry.reps, `${where}: reps`);
  }
  need(typeof entry.skipped === "boolean", `${where}: skipped must be true or false`);
  if (entry.variation_id != null) {
    need(typeof entry.variation_id === "string" && SLUG.test(entry.variation_id),
      `${where}: variation_id must be a lowercase name`);
  }
  if (entry.rating != null) need(RATINGS.includes(entry.rating), `${where}: rating must be easy, ok, hard or painful`);
  if (entry.hurt != null) need(typeof entry.hurt === "boolean", `${where}: hurt must be true or false`);
  if (entry.target != null) {
    const t = entry.target;
    need(typeof t === "object" && Object.keys(t).every((k) => k === "reps" || k === "hold_seconds"),
      `${where}: target must have reps and hold_seconds`);
    checkCount(t.reps, `${where}: target reps`);
    if (t.hold_seconds != null) {
      need(isInt(t.hold_seconds) && t.hold_seconds >= 1 && t.hold_seconds <= 600,
        `${where}: target hold_seconds must be 1 to 600`);
    }
  }
}

function checkPain(value, name) {
  need(value === null || (isInt(value) && value >= 0 && value <= 10), `${name} must be 0 to 10`);
}

/** Check a session's data as the server does (SessionData, strict); throw Invalid. */
export function checkSession(data) {
  need(data && typeof data === "object" && !Array.isArray(data), "a session must be an object");
  const fields = ["routine_id", "started_at", "ended_at", "pain_before", "pain_after", "notes", "exercises"];
  for (const key of Object.keys(data)) need(fields.includes(key), `unknown field ${key}`);
  for (const key of fields) need(key in data, `${key} is missing`);
  need(typeof data.routine_id === "string" && SLUG.test(data.routine_id) && data.routine_id.length <= 60,
    "routine_id must be a lowercase name");
  need(typeof data.started_at === "string" && AWARE.test(data.started_at) && !Number.isNaN(Date.parse(data.started_at)),
    "started_at must be a date and time with its offset");
  need(data.ended_at === null || (typeof data.ended_at === "string" && AWARE.test(data.ended_at)
    && !Number.isNaN(Date.parse(data.ended_at))), "ended_at must be a date and time with its offset, or empty");
  checkPain(data.pain_before, "pain_before");
  checkPain(data.pain_after, "pain_after");
  need(typeof data.notes === "string" && data.notes.length <= 2000, "notes must be text of at most 2000 characters");
  need(Array.isArray(data.exercises) && data.exercises.length <= 50, "exercises must be a list of at most 50");
  data.exercises.forEach(checkEntry);
}

function number(text, name) {
  if (text === "") return null;
  need(/^-?\d+$/.test(text), `${name} must be a whole number`);
  return Number(text);
}

function unformula(text) {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** Sessions from our CSV, grouped by session_id: [{ where, id, data, fromCsv }]. */
function sessionsFromCsv(text, routineId) {
  const [header, ...rows] = parseCsv(text);
  need(header && CSV_COLUMNS.every((c) => header.includes(c)),
    "This CSV file does not have the columns of a Spine Routine export.");
  const col = Object.fromEntries(header.map((name, i) => [name, i]));
  const sessions = new Map();
  rows.forEach((cells, i) => {
    if (cells.length === 1 && cells[0] === "") return; // a blank line
    const get = (name) => unformula(cells[col[name]] ?? "");
    const id = get("session_id");
    const rowNumber = i + 2; // the header is row 1
    let session = sessions.get(id);
    if (!session) {
      session = { where: `row ${rowNumber}`, id, fromCsv: true, error: null, data: null, head: null };
      sessions.set(id, session);
    }
    if (session.error) return;
    // Every row repeats the session's fields: each must be valid and the same.
    let head;
    try {
      head = { routine_id: routineId, started_at: get("started_at"), ended_at: get("ended_at") || null,
        pain_before: number(get("pain_before"), "pain_before"), pain_after: number(get("pain_after"), "pain_after"),
        notes: get("notes") };
      checkSession({ ...head, exercises: [] });
    } catch (error) {
      session.error = new Invalid(`row ${rowNumber}: ${error.message}`);
      return;
    }
    if (!session.data) session.data = { ...head, exercises: [] };
    else if (canonical({ ...head, exercises: [] }) !== canonical({ ...session.data, exercises: [] })) {
      session.error = new Invalid(`row ${rowNumber}: the session's times, pain or notes differ from its first row`);
      return;
    }
    if (session.error || !get("exercise_id")) return;
    try {
      const reps = get("reps") !== "" ? number(get("reps"), "reps")
        : { left: number(get("reps_left"), "reps_left"), right: number(get("reps_right"), "reps_right") };
      need(["true", "false"].includes(get("skipped")), "skipped must be true or false");
      const entry = { exercise_id: get("exercise_id"), reps, skipped: get("skipped") === "true" };
      if (get("variation_id")) entry.variation_id = get("variation_id");
      if (get("rating")) entry.rating = get("rating");
      session.data.exercises.push(entry);
    } catch (error) {
      session.error = new Invalid(`row ${rowNumber}: ${error.message}`);
    }
  });
  return [...sessions.values()];
}

function sessionsFromJson(text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    throw new Invalid("This file is not valid JSON.");
  }
  need(file?.format === FORMAT && Array.isArray(file.sessions),
    "This JSON file is not a Spine Routine export.");
  need(file.version === 1, "This export comes from a newer version of the app: update the app first.");
  return file.sessions.map((s, i) => ({ where: `session ${i + 1}`, id: s?.id, data: s?.data, fromCsv: false,
    error: s?.deleted === true ? new Invalid("a deleted session") : null }));
}

/** What a CSV can carry of a session: what two sessions are compared by when one came from a CSV. */
function csvShape(data) {
  return canonical({ ...data, routine_id: null, exercises: data.exercises.map((e) => ({
    exercise_id: e.exercise_id, reps: e.reps, skipped: e.skipped, variation_id: e.variation_id ?? null,
    rating: e.rating ?? null })) });
}

/**
 * Plan an import: which sessions to add (with their ids), how many are already
 * here, and which are not valid and why. `existing` are the records on this device.
 */
export function planImport(text, existing, routineId) {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  const found = trimmed.startsWith("{") ? sessionsFromJson(trimmed) : sessionsFromCsv(trimmed, routineId);
  const byId = new Map(existing.map((r) => [r.id, r]));
  const live = existing.filter((r) => !r.deleted);
  const known = new Set(live.map((r) => canonical(r.data)));
  const knownCsv = new Set(live.map((r) => csvShape(r.data)));
  const add = [];
  const invalid = [];
  let already = 0;
  for (const item of found) {
    try {
      if (item.error) throw item.error;
      need(typeof item.id === "string" && UUID.test(item.id), "its id is not a session id");
      checkSession(item.data);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const message = error.message.startsWith("row ") ? error.message : `${item.where}: ${error.message}`;
      invalid.push(message);
      continue;
    }
    const shape = (data) => (item.fromCsv ? csvShape(data) : canonical(data));
    const seen = (data) => (item.fromCsv ? knownCsv : known).has(shape(data));
    const here = byId.get(item.id);
    let data = item.data;
    let id = item.id;
    if (here && !here.deleted) {
      if (shape(here.data) === shape(data)) { already += 1; continue; }
      // Never overwrite: keep both, the imported one under a new id, saying so.
      const notes = data.notes ? `${data.notes}\n${COPY_NOTE}` : COPY_NOTE;
      data = { ...data, notes: notes.slice(0, 2000) };
      id = crypto.randomUUID();
    } else if (here) {
      id = crypto.randomUUID(); // deleted here: brought back as a new session
    }
    if (seen(data)) { already += 1; continue; } // imported before, under a new id
    add.push({ id, data });
    byId.set(id, { id, deleted: false, data });
    known.add(canonical(data));
    knownCsv.add(csvShape(data));
  }
  return { add, already, invalid };
}

/** "12 added, 3 already here, 1 not valid (row 7: pain_after must be 0 to 10)". */
export function importSummary({ add, already, invalid }) {
  const parts = [`${add.length} added`, `${already} already here`];
  if (invalid.length) {
    const shown = invalid.slice(0, 3).join("; ") + (invalid.length > 3 ? "; ..." : "");
    parts.push(`${invalid.length} not valid (${shown})`);
  }
  return parts.join(", ");
}
