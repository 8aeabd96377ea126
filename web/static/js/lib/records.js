// @ts-check
// Synced records on this device: session logs and the settings record. Every
// change to one is written in the same transaction as its outbox entry, so
// sync can never miss one (ARCHITECTURE §5).
import { promised, startKey, STORES, transaction } from "./db.js";
import { touchLogs } from "../progress/progress-mark.js";

/** @typedef {import("#types").AnyRecord} AnyRecord */
/** @typedef {import("#types").OutboxEntry} OutboxEntry */
/** @typedef {[IDBValidKey, unknown]} Note a meta key and its value */


/**
 * JSON with sorted keys: two equal documents give the same text.
 * @param {unknown} value
 * @returns {string}
 */
export function canonical(value) {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const object = /** @type {Record<string, unknown>} */ (value);
  return `{${Object.keys(object).sort().map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(",")}}`;
}

/**
 * @param {AnyRecord} record
 * @returns {OutboxEntry}
 */
function outboxEntry(record) {
  return { id: record.id, type: record.type, base_version: record.version,
    deleted: record.deleted, data: record.data, queued_at: new Date().toISOString() };
}

/**
 * A record as it is kept: a session is indexed by its start in UTC.
 * @param {AnyRecord} record
 * @returns {AnyRecord}
 */
function keyed(record) {
  return record.type === "session" && record.data
    ? { ...record, started_at: startKey(record.data.started_at) } : record;
}

/**
 * Store records and queue them for sync, all in one transaction, with
 * `note` ([key, value]) put in the meta store in the same one.
 * @param {AnyRecord[]} records
 * @param {Note | null} [note]
 */
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

/**
 * Store a record and queue it for sync, in one transaction; resolve with the record.
 * @template {AnyRecord} R
 * @param {R} record
 * @returns {Promise<R>}
 */
export async function writeRecord(record) {
  const kept = /** @type {R} */ (keyed(record));
  await write([kept]);
  return kept;
}

/**
 * Store many records and queue them, all in one transaction (a slice of an
 * import), with `note` ([key, value], how far the import is) in meta.
 * @param {AnyRecord[]} records
 * @param {Note | null} [note]
 */
export async function writeRecords(records, note = null) {
  if (!records.length) return;
  await write(records.map(keyed), note);
}
