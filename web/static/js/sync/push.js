// @ts-check
// Push: the outbox sent in batches within the server's limits, and the
// server's answer settled for each change: applied, a duplicate, a conflict
// (merged here, field by field) or rejected (kept, marked, with its reason).
import { promised, put, startKey, STORES, transaction } from "../lib/db.js";
import { touchLogs } from "../progress/progress-mark.js";
import { t } from "../lib/i18n.js";
import { canonical } from "../lib/records.js";
import { api, worded } from "./api.js";
import { tombstone } from "./pull.js";

const encoder = new TextEncoder();

/** @typedef {import("#types").OutboxEntry} OutboxEntry */
/** @typedef {import("#types").ServerRecord} ServerRecord */
/** @typedef {import("#types").PushResult} PushResult */
/** @typedef {keyof typeof STORES} RecordType */

/** @param {OutboxEntry} entry */
function wire(entry) {
  return { id: entry.id, type: entry.type, base_version: entry.base_version,
    deleted: entry.deleted, data: entry.data };
}

/** Up to `count` outbox entries not refused, oldest queued first.
 * @param {number} count */
function oldestPending(count) {
  return transaction(["outbox"], "readonly", (s) => new Promise((resolve, reject) => {
    /** @type {OutboxEntry[]} */
    const found = [];
    const request = s.outbox.index("queued_at").openCursor();
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor || found.length >= count) { resolve(found); return; }
      if (!cursor.value.rejected) found.push(cursor.value);
      cursor.continue();
    };
  }));
}

/** Send the outbox in batches within the server's limits; settle every result.
 * @param {string} token @param {import("#types").Limits} limits */
export async function pushAll(token, limits) {
  for (let round = 0; round < 50; round++) {
    const pending = await oldestPending(limits.max_changes_per_push);
    if (!pending.length) return;
    /** @type {OutboxEntry[]} */
    const batch = [];
    let size = 20;
    for (const entry of pending) {
      const bytes = encoder.encode(JSON.stringify(wire(entry))).length + 1;
      if (batch.length >= limits.max_changes_per_push || size + bytes > limits.max_body_bytes * 0.9) break;
      batch.push(entry);
      size += bytes;
    }
    if (!batch.length) {
      // One change larger than any request may be: keep it here, marked, never sent.
      await put("outbox", { ...pending[0], rejected: { code: "data_too_large",
        message: t("This session is too large to sync.") } });
      continue;
    }
    /** @type {{results: PushResult[]}} */
    const { results } = await api("/api/v1/sync/push", { method: "POST", token,
      body: { changes: batch.map(wire) } });
    for (let i = 0; i < batch.length; i++) await settle(batch[i], results[i]);
  }
}

/** Handle the server's answer for one change (an outbox entry leaves only here).
 * @param {OutboxEntry} sent @param {PushResult} result */
function settle(sent, result) {
  const store = STORES[/** @type {RecordType} */ (sent.type)];
  return transaction([store, "outbox", "meta"], "readwrite", async (s) => {
    await adoptServerId(s[store], s.outbox, sent, result);
    const current = await promised(s.outbox.get(sent.id));
    const record = await promised(s[store].get(sent.id));
    // Edited again while the push was on its way: that newer change stays queued.
    const unchanged = current && current.queued_at === sent.queued_at;
    if (result.status === "applied" || result.status === "duplicate") {
      if (record) {
        record.version = result.version;
        record.base = sent.data;
        if (unchanged) record.dirty = false;
        await promised(s[store].put(record));
      }
      if (unchanged) await promised(s.outbox.delete(sent.id));
      else if (current) await promised(s.outbox.put({ ...current, base_version: result.version }));
    } else if (result.status === "conflict") {
      await resolveConflict(s[store], s.outbox, record, current, result.server);
      if (sent.type === "session") {
        const merged = await promised(s[store].get(sent.id));
        await touchLogs(s.meta, [record?.started_at, merged?.started_at]);
      }
    } else if (current) {
      await promised(s.outbox.put({ ...current, rejected: worded(result.error) }));
    }
  });
}

/** The server keeps record ids in lower case: a record here under the same id in
 * capitals (imported or pulled before that rule) moves to the server's form, with
 * its pending change, so the next pull finds it instead of adding a second copy.
 * `sent` is updated to name the record by it.
 * @param {IDBObjectStore} records @param {IDBObjectStore} outbox
 * @param {OutboxEntry} sent @param {PushResult | undefined} result */
async function adoptServerId(records, outbox, sent, result) {
  const id = result?.id;
  if (!id || id === sent.id || id !== sent.id.toLowerCase()) return;
  if (await promised(records.get(id))) return; // both forms here already: leave them be
  const record = await promised(records.get(sent.id));
  const pending = await promised(outbox.get(sent.id));
  if (record) {
    await promised(records.delete(sent.id));
    await promised(records.put({ ...record, id }));
  }
  if (pending) {
    await promised(outbox.delete(sent.id));
    await promised(outbox.put({ ...pending, id }));
  }
  sent.id = id;
}

/**
 * @param {IDBObjectStore} records @param {IDBObjectStore} outbox
 * @param {import("#types").AnyRecord | undefined} record the one here
 * @param {OutboxEntry | undefined} pending @param {ServerRecord} server
 */
async function resolveConflict(records, outbox, record, pending, server) {
  if (server.deleted) {
    // A delete wins over any edit.
    await promised(records.put(tombstone(server, record)));
    await promised(outbox.delete(server.id));
    return;
  }
  if (record?.deleted) {
    // Our delete, on a record edited elsewhere: send it again on the new version.
    await promised(records.put({ ...record, version: server.version }));
    if (pending) await promised(outbox.put({ ...pending, base_version: server.version }));
    return;
  }
  // Our changed fields over the server's record, then push again.
  /** @type {Record<string, unknown>} */
  const base = record?.base ?? {};
  const mine = Object.fromEntries(Object.entries(record?.data ?? {})
    .filter(([key, value]) => canonical(base[key]) !== canonical(value)));
  const merged = { ...server.data, ...mine };
  const same = canonical(merged) === canonical(server.data);
  await promised(records.put({ ...(record ?? {}), id: server.id, type: server.type,
    version: server.version, deleted: false, data: merged, base: server.data, dirty: !same,
    started_at: startKey(merged.started_at), origin: record?.origin ?? server.device_id }));
  if (same) await promised(outbox.delete(server.id));
  else {
    await promised(outbox.put({ id: server.id, type: server.type, base_version: server.version,
      deleted: false, data: merged, queued_at: new Date().toISOString() }));
  }
}
