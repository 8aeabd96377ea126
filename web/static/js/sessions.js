// Session logs on this device; written with their outbox entry (records.js).
import { getAll, get } from "./db.js";
import { writeRecord as write } from "./records.js";
import { t } from "./i18n.js";

const TYPE = "session";

/** Store a new log (data v1) with its outbox entry; resolve with the record. */
export function saveSession(data, id = crypto.randomUUID()) {
  return write({ id, type: TYPE, version: 0, dirty: true, deleted: false, data, base: null,
    started_at: data.started_at, updated_at: new Date().toISOString() });
}

/** Change some fields of a log's data (a note, a pain rating). */
export async function updateSession(id, changes) {
  const record = await get("sessions", id);
  if (!record || record.deleted) throw new Error(t("This session no longer exists."));
  return write({ ...record, data: { ...record.data, ...changes }, dirty: true,
    updated_at: new Date().toISOString() });
}

/** Delete a log, keeping a tombstone so the deletion reaches other devices. */
export async function deleteSession(id) {
  const record = await get("sessions", id);
  if (!record || record.deleted) return;
  await write({ ...record, deleted: true, data: null, dirty: true,
    updated_at: new Date().toISOString() });
}

/** Every log still standing, newest first. */
export async function listSessions() {
  const all = await getAll("sessions");
  return all.filter((r) => !r.deleted)
    .sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
}
