// @ts-check
// Pull: every page of changes after this device's cursor, each page and its
// cursor kept in one transaction.
import { promised, startKey, STORES, transaction } from "../lib/db.js";
import { touchLogs } from "../progress/progress-mark.js";
import { t } from "../lib/i18n.js";
import { api } from "./api.js";
import { pullProgressed, STATE, syncState } from "./state.js";

const PULL_PAGE = 500;
const RECORD_STORES = Object.values(STORES);

/** @typedef {import("#types").ServerRecord} ServerRecord */

/** Pull every page after our cursor; each page and its cursor land in one transaction.
 * @param {string} token */
export async function pullAll(token) {
  let received = 0;
  for (;;) {
    const { cursor } = (await syncState()) ?? {};
    const query = new URLSearchParams({ limit: String(PULL_PAGE) });
    if (cursor) query.set("cursor", cursor);
    /** @type {{changes: ServerRecord[], cursor: string, has_more: boolean, remaining?: number}} */
    const page = await api(`/api/v1/sync/pull?${query}`, { token });
    await transaction([...RECORD_STORES, "outbox", "meta"], "readwrite", async (s) => {
      /** @type {(string | undefined)[]} */
      const keys = [];
      for (const change of page.changes) keys.push(...await receive(s, change));
      if (keys.length) await touchLogs(s.meta, keys);
      const state = await promised(s.meta.get(STATE));
      if (state?.token !== token) throw new Error(t("Sync was turned off during the pull."));
      await promised(s.meta.put({ ...state, cursor: page.cursor }, STATE));
    });
    received += page.changes.length;
    if (!page.has_more) return;
    // Pages already drawn are left alone until the end: one redraw, not one a page.
    pullProgressed({ received, total: received + (page.remaining ?? 0) });
  }
}

/** Keep one pulled change; resolve with the start keys of the logs it changed.
 * @param {Record<string, IDBObjectStore>} s @param {ServerRecord} change */
async function receive(s, change) {
  const records = s[/** @type {Record<string, string | undefined>} */ (STORES)[change.type] ?? ""];
  if (!records) return []; // a type from a newer version of the app: not ours to keep
  const pending = await promised(s.outbox.get(change.id));
  const local = await promised(records.get(change.id));
  const keys = (/** @type {{started_at?: string}} */ record) => (change.type === "session" ? [local?.started_at, record.started_at] : []);
  if (pending) {
    if (!change.deleted) return []; // our pending change meets this version at its next push
    await promised(s.outbox.delete(change.id));
    const gone = tombstone(change, local);
    await promised(records.put(gone));
    return keys(gone);
  }
  if (local && change.version <= local.version) return [];
  if (change.deleted) {
    const gone = tombstone(change, local);
    await promised(records.put(gone));
    return keys(gone);
  }
  const record = { id: change.id, type: change.type, version: change.version,
    deleted: false, data: change.data, base: change.data, dirty: false,
    started_at: startKey(change.data?.started_at), origin: local?.origin ?? change.device_id,
    updated_at: change.server_updated_at };
  await promised(records.put(record));
  return keys(record);
}

/** What a deleted record is kept as: its id and version, no data.
 * @param {ServerRecord} server
 * @param {{started_at?: string, origin?: string} | undefined} record the one here */
export function tombstone(server, record) {
  return { id: server.id, type: server.type, version: server.version, deleted: true, data: null,
    base: null, dirty: false, started_at: record?.started_at, origin: record?.origin };
}
