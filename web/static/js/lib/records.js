// Synced records on this device: session logs and the settings record. Every
// change to one is written in the same transaction as its outbox entry, so
// sync can never miss one (ARCHITECTURE §5).
import { promised, startKey, transaction } from "./db.js";
import { touchLogs } from "../progress/progress-mark.js";

/** The object store that keeps records of a sync type (unknown types: none). */
export const STORES = Object.freeze({ session: "sessions", settings: "settings" });

/** JSON with sorted keys: two equal documents give the same text. */
export function canonical(value) {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
}

function outboxEntry(record) {
  return { id: record.id, type: record.type, base_version: record.version,
    deleted: record.deleted, data: record.data, queued_at: new Date().toISOString() };
}

/** A record as it is kept: a session is indexed by its start in UTC. */
function keyed(record) {
  return record.type === "session" && record.data
    ? { ...record, started_at: startKey(record.data.started_at) } : record;
}

/** Store records and queue them for sync, all in one transaction, with
 * `note` ([key, value]) put in the meta store in the same one. */
async function write(records, note = null) {
  const stores = [...new Set(records.map((r) => STORES[r.type]))];
  const sessions = stores.includes("sessions");
  await transaction([...stores, "outbox", ...(sessions || note ? ["meta"] : [])], "readwrite", async (s) => {
    if (note) await promised(s.meta.put(note[1], note[0]));
    const keys = await Promise.all(records.map(async (record) => {
      const store = s[STORES[record.type]];
      const old = record.type === "session" ? await promised(store.get(record.id)) : null;
      await promised(store.put(record));
      // One pending change per record: records travel whole, so the newest replaces the rest.
      await promised(s.outbox.put(outboxEntry(record)));
      return [old?.started_at, record.type === "session" ? record.started_at : null];
    }));
    if (sessions) await touchLogs(s.meta, keys.flat());
  });
  // Tell the sync engine (if this page runs one) that there is something to send.
  globalThis.dispatchEvent?.(new Event("spine:changed"));
}

/** Store a record and queue it for sync, in one transaction; resolve with the record. */
export async function writeRecord(record) {
  const kept = keyed(record);
  await write([kept]);
  return kept;
}

/** Store many records and queue them, all in one transaction (a slice of an
 * import), with `note` ([key, value], how far the import is) in meta. */
export async function writeRecords(records, note = null) {
  if (!records.length) return;
  await write(records.map(keyed), note);
}
