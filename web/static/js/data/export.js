// @ts-check
// Your data, out: the CSV and JSON exports of the sessions on this device
// (DOM-free, tested on its own). The files are the same in every language:
// the CSV's header is its machine column names and its values are machine
// values (only exercise_name, which import ignores, is in the page's
// language), so a file exported in any language imports in any other.

/** @typedef {import("#types").SessionRecord} SessionRecord */

export const FORMAT = "spine-routine-export";
export const CSV_COLUMNS = ["session_id", "started_at", "ended_at", "duration_minutes",
  "pain_before", "pain_after", "exercise_id", "exercise_name", "variation_id", "reps",
  "reps_left", "reps_right", "skipped", "rating", "notes"];

/** "spine-routine-2026-11-24.csv": the local date of `now`.
 * @param {string} extension */
export function fileName(extension, now = new Date()) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `spine-routine-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${extension}`;
}

// Long histories are written in slices, letting the page breathe between them:
// an export never freezes it.
export const SLICE = 250;
/** @type {() => Promise<void>} */
export const breathe = () => new Promise((resolve) => { setTimeout(resolve, 0); });

/** The JSON export: every live session, its data exactly as the app holds it.
 * @param {SessionRecord[]} records */
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
// A cell with a quote, a comma or a line break goes in quotes (RFC 4180).
const NEEDS_QUOTES = /[",\r\n]/;

/** @param {unknown} value */
function cell(value) {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** @param {import("#types").SessionData} data */
function minutes(data) {
  if (!data.ended_at) return null;
  const span = (Date.parse(data.ended_at) - Date.parse(data.started_at)) / 60_000;
  return Number.isFinite(span) ? Math.round(span * 10) / 10 : null;
}

/** The CSV export (RFC 4180): a header, then one row per exercise of each session.
 * UTF-8 with a byte-order mark, so Excel reads accents and other scripts right.
 * @param {SessionRecord[]} records
 * @param {Record<string, string>} [names] exercise names by id */
export async function toCsv(records, names = {}) {
  const lines = [CSV_COLUMNS.join(",")];
  const live = /** @type {(SessionRecord & {data: import("#types").SessionData})[]} */ (
    records.filter((r) => !r.deleted)).sort((a, b) => (a.data.started_at < b.data.started_at ? -1 : a.data.started_at > b.data.started_at ? 1 : 0));
  for (const [n, { id, data }] of live.entries()) {
    if (n && n % SLICE === 0) await breathe();
    const head = [id, data.started_at, data.ended_at, minutes(data), data.pain_before, data.pain_after];
    const entries = data.exercises.length ? data.exercises : [null];
    for (const entry of entries) {
      const reps = entry?.reps;
      const sided = typeof reps === "object";
      const row = entry ? [entry.exercise_id, names[entry.exercise_id] ?? "", entry.variation_id,
        sided ? null : reps, sided ? reps.left : null, sided ? reps.right : null,
        entry.skipped, entry.rating] : [null, null, null, null, null, null, null, null];
      lines.push([...head, ...row, data.notes].map(cell).join(","));
    }
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
