// Session logs on this device. Every change to a log is written in the same
// transaction as its outbox entry, so sync can never miss one (DESIGN §5).
import { getAll, get, promised, transaction } from "./db.js";

const TYPE = "session";

function outboxEntry(record) {
  return { id: record.id, type: TYPE, base_version: record.version, deleted: record.deleted,
    data: record.data, queued_at: new Date().toISOString() };
}

async function write(record) {
  await transaction(["sessions", "outbox"], "readwrite", async (s) => {
    await promised(s.sessions.put(record));
    // One pending change per log: records travel whole, so the newest replaces the rest.
    await promised(s.outbox.put(outboxEntry(record)));
  });
  // Tell the sync engine (if this page runs one) that there is something to send.
  globalThis.dispatchEvent?.(new Event("spine:changed"));
  return record;
}

/** JSON with sorted keys: two equal documents give the same text. */
export function canonical(value) {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
}

/** Store a new log (data v1) with its outbox entry; resolve with the record. */
export function saveSession(data, id = crypto.randomUUID()) {
  return write({ id, type: TYPE, version: 0, dirty: true, deleted: false, data, base: null,
    started_at: data.started_at, updated_at: new Date().toISOString() });
}

/** Change some fields of a log's data (a note, a pain rating). */
export async function updateSession(id, changes) {
  const record = await get("sessions", id);
  if (!record || record.deleted) throw new Error("This session no longer exists.");
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
