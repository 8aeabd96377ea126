// @ts-check
// Session logs on this device; written with their outbox entry (records.js).
import { getAll, get, transaction } from "./db.js";
import { writeRecord as write } from "./records.js";
import { t } from "./i18n.js";

/** @typedef {import("#types").SessionData} SessionData */
/** @typedef {import("#types").SessionRecord} SessionRecord */

/** @type {"session"} */
const TYPE = "session";

/**
 * Store a new log (data v1) with its outbox entry; resolve with the record.
 * @param {SessionData} data
 * @param {string} [id]
 * @returns {Promise<SessionRecord>}
 */
export function saveSession(data, id = crypto.randomUUID()) {
  return write({ id, type: TYPE, version: 0, dirty: true, deleted: false, data, base: null,
    started_at: data.started_at, updated_at: new Date().toISOString() });
}

/**
 * Change some fields of a log's data (a note, a pain rating).
 * @param {string} id
 * @param {Partial<SessionData>} changes
 * @returns {Promise<SessionRecord>}
 */
export async function updateSession(id, changes) {
  /** @type {SessionRecord | undefined} */
  const record = await get("sessions", id);
  if (!record || record.deleted) throw new Error(t("This session no longer exists."));
  return write({ ...record, data: { .../** @type {SessionData} */ (record.data), ...changes }, dirty: true,
    updated_at: new Date().toISOString() });
}

/**
 * Delete a log, keeping a tombstone so the deletion reaches other devices.
 * @param {string} id
 */
export async function deleteSession(id) {
  /** @type {SessionRecord | undefined} */
  const record = await get("sessions", id);
  if (!record || record.deleted) return;
  await write({ ...record, deleted: true, data: null, dirty: true,
    updated_at: new Date().toISOString() });
}

/**
 * Every log still standing, newest first.
 * @returns {Promise<SessionRecord[]>}
 */
export async function listSessions() {
  /** @type {SessionRecord[]} */
  const all = await getAll("sessions");
  return all.filter((r) => !r.deleted)
    .sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
}

/**
 * The newest `count` logs still standing, newest first, read through the
 * started_at index: no more of the store than that is read. With `after`
 * (a record), the `count` that come after it in that order.
 * @param {number} count
 * @param {{started_at: string, id: string} | null} [after]
 * @returns {Promise<SessionRecord[]>}
 */
export function newestSessions(count, after = null) {
  const range = after ? IDBKeyRange.upperBound(after.started_at) : null;
  return transaction(["sessions"], "readonly", (s) => new Promise((resolve, reject) => {
    /** @type {SessionRecord[]} */
    const found = [];
    const request = s.sessions.index("started_at").openCursor(range, "prev");
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor || found.length >= count) { resolve(found); return; }
      /** @type {SessionRecord} */
      const record = cursor.value;
      // Logs that start at the same moment come by id, largest first.
      const passed = after && record.started_at === after.started_at && record.id >= after.id;
      if (!record.deleted && !passed) found.push(record);
      cursor.continue();
    };
  }));
}

/**
 * The logs still standing that started from `from` to before `to` (Dates), oldest first.
 * @param {Date} from
 * @param {Date} to
 * @returns {Promise<SessionRecord[]>}
 */
export async function sessionsBetween(from, to) {
  const range = IDBKeyRange.bound(from.toISOString(), to.toISOString(), false, true);
  const records = await transaction(["sessions"], "readonly",
    (s) => /** @type {Promise<SessionRecord[]>} */ (new Promise((resolve, reject) => {
      const request = s.sessions.index("started_at").getAll(range);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    })));
  return records.filter((r) => !r.deleted);
}
