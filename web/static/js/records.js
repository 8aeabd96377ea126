// Synced records on this device: session logs and the settings record. Every
// change to one is written in the same transaction as its outbox entry, so
// sync can never miss one (DESIGN §5).
import { promised, transaction } from "./db.js";

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

/** Store a record and queue it for sync, in one transaction; resolve with the record. */
export async function writeRecord(record) {
  const store = STORES[record.type];
  await transaction([store, "outbox"], "readwrite", async (s) => {
    await promised(s[store].put(record));
    // One pending change per record: records travel whole, so the newest replaces the rest.
    await promised(s.outbox.put(outboxEntry(record)));
  });
  // Tell the sync engine (if this page runs one) that there is something to send.
  globalThis.dispatchEvent?.(new Event("spine:changed"));
  return record;
}

/** Store many records and queue them, all in one transaction (an import). */
export async function writeRecords(records) {
  const stores = [...new Set(records.map((r) => STORES[r.type]))];
  if (!records.length) return;
  await transaction([...stores, "outbox"], "readwrite", async (s) => {
    await Promise.all(records.flatMap((record) => [promised(s[STORES[record.type]].put(record)),
      promised(s.outbox.put(outboxEntry(record)))]));
  });
  globalThis.dispatchEvent?.(new Event("spine:changed"));
}
