// @ts-nocheck: typed once it is split into feature modules (issue 22); until then tsc skips it.
// The sync engine (DESIGN §4-5): push the outbox, pull what changed, one sync
// at a time across tabs, retried with backoff. Logs never leave the device
// unless sync is on, and never leave the device's store because of sync.
import { get, promised, put, startKey, transaction } from "./db.js";
import { touchLogs } from "./progress-mark.js";
import { lang, t, tn } from "./i18n.js";
import { canonical, STORES } from "./records.js";

const LOCK = "spine-routine-sync";
const STATE = "sync";
const PULL_PAGE = 500;
const LOCAL_CHANGE_DELAY_MS = 3000;
const PERIODIC_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const DEFAULT_LIMITS = { max_changes_per_push: 200, max_body_bytes: 1024 * 1024 };

const RECORD_STORES = Object.values(STORES);

const events = new EventTarget();
const encoder = new TextEncoder();
let running = null;
let timer = null;
let failures = 0;

export class Unauthorized extends Error {}
export class RetryLater extends Error {
  constructor(message, seconds) { super(message); this.seconds = seconds; }
}
export class Offline extends Error {}
export class Refused extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

export const syncState = () => get("meta", STATE);

/** Note a sync's outcome, in one transaction, and only if sync is still on with that token:
 * a sync that ends just after the user turned sync off must not turn it back on. */
function updateState(token, changes) {
  return transaction(["meta"], "readwrite", async (s) => {
    const state = await promised(s.meta.get(STATE));
    if (state?.token === token) await promised(s.meta.put({ ...state, ...changes }, STATE));
  });
}

/** The words for an error code of the server, in the page's language (the
 * server words its messages in English only). */
export function serverMessage(code) {
  switch (code) {
    case "invalid_pairing_code":
      return t("That pairing code is wrong, used or expired. Make a new one on your other device.");
    case "invalid_recovery_code": return t("That recovery code is not right.");
    case "unknown_device": return t("That device is no longer part of the account.");
    case "unauthorized": return t("This device is no longer part of the account.");
    case "too_many_requests": return t("Too many tries. Wait a minute and try again.");
    case "database_unavailable": return t("The server cannot reach its database. Try again shortly.");
    case "too_many_changes":
    case "payload_too_large": return t("That is more than the server takes at once.");
    case "invalid_request": return t("The server did not accept the request.");
    case "invalid_endpoint": return t("This browser's notification service cannot be used.");
    case "no_reminder": return t("This device has no notifications set.");
    case "data_too_large": return t("This session is too large to sync.");
    case "quota_exceeded": return t("The account is full on the server: this session stays here, not synced.");
    case "too_many_devices": return t("This account has as many devices as it may have. Remove one first.");
    case "invalid_data":
    case "invalid_change":
    case "invalid_settings_id":
    case "type_mismatch":
    case "unknown_type": return t("The server did not accept this change.");
    default: return null;
  }
}

/** A rejection as the server sent it, worded for this page. */
function worded(error) {
  const message = serverMessage(error?.code) ?? ((lang === "en" && error?.message)
    || t("The server did not accept this change."));
  return { ...error, message };
}

/** Call the API; map every failure to one a person can be told about. */
export async function api(path, { method = "GET", body, token } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Offline(t("No connection to the server."));
  }
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => null);
  if (response.ok) return payload;
  const code = payload?.error?.code;
  // English pages keep the server's own words for a code this app does not know.
  const message = serverMessage(code) ?? ((lang === "en" && payload?.error?.message)
    || t("The server answered {status}.", { status: response.status }));
  if (response.status === 401) throw new Unauthorized(message);
  if (response.status === 429 || response.status >= 500) {
    throw new RetryLater(message, Number(response.headers.get("Retry-After")) || null);
  }
  throw new Refused(message, code);
}

/** What the indicator shows: off, synced, waiting, offline, problem or removed. */
export async function status() {
  // Counted through the indexes: years of pending logs are never read to say how many.
  const [state, [waiting, rejected]] = await Promise.all([syncState(),
    transaction(["outbox"], "readonly", (s) => Promise.all([promised(s.outbox.count()),
      promised(s.outbox.index("rejected").count())]))]);
  if (!state?.token) return { kind: state?.removed ? "removed" : "off", waiting };
  if (!navigator.onLine) return { kind: "offline", waiting };
  if (rejected) return { kind: "problem", waiting, message: tn(rejected, "{n} session could not be synced", "{n} sessions could not be synced") };
  if (state.lastError) return { kind: "problem", waiting, message: state.lastError };
  return { kind: waiting ? "waiting" : "synced", waiting, lastSyncAt: state.lastSyncAt };
}

export function onStatus(listener) {
  events.addEventListener("status", (event) => listener(event.detail));
}

export async function announce() {
  events.dispatchEvent(new CustomEvent("status", { detail: await status() }));
}

/** Sync now, unless this tab or another is already at it. */
export function syncNow() {
  running ??= (navigator.locks
    ? navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => (lock ? run() : null))
    : run()
  ).finally(() => { running = null; });
  return running;
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(() => syncNow(), ms);
}

async function run() {
  const state = await syncState();
  if (!state?.token) return announce();
  try {
    const limits = await loadLimits();
    await pushAll(state.token, limits);
    await pullAll(state.token);
    failures = 0;
    await updateState(state.token, { lastSyncAt: new Date().toISOString(), lastError: null });
  } catch (error) {
    await handleFailure(error, state.token);
  }
  return announce();
}

async function handleFailure(error, token) {
  if (error instanceof Unauthorized) {
    // This device was removed from the account: stop, and keep every log here.
    await forgetAccount({ removed: true });
    return;
  }
  failures += 1;
  const backoff = Math.min(MAX_BACKOFF_MS, 5000 * 2 ** (failures - 1));
  const jittered = backoff * (0.8 + Math.random() * 0.4);
  const asked = error instanceof RetryLater && error.seconds ? error.seconds * 1000 : 0;
  schedule(Math.max(jittered, asked));
  let lastError = t("Sync failed: {reason} It will try again.", { reason: error.message });
  if (error instanceof Offline) lastError = t("Cannot reach the server. Sync will try again.");
  if (error instanceof RetryLater) lastError = t("The server is busy. Sync will try again shortly.");
  await updateState(token, { lastError });
}

async function loadLimits() {
  try {
    const config = await api("/api/v1/config");
    await put("meta", config.limits, "limits");
    return config.limits;
  } catch (error) {
    if (error instanceof Offline) throw error;
    return (await get("meta", "limits")) ?? DEFAULT_LIMITS;
  }
}

function wire(entry) {
  return { id: entry.id, type: entry.type, base_version: entry.base_version,
    deleted: entry.deleted, data: entry.data };
}

/** Up to `count` outbox entries not refused, oldest queued first. */
function oldestPending(count) {
  return transaction(["outbox"], "readonly", (s) => new Promise((resolve, reject) => {
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

/** Send the outbox in batches within the server's limits; settle every result. */
async function pushAll(token, limits) {
  for (let round = 0; round < 50; round++) {
    const pending = await oldestPending(limits.max_changes_per_push);
    if (!pending.length) return;
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
    const { results } = await api("/api/v1/sync/push", { method: "POST", token,
      body: { changes: batch.map(wire) } });
    for (let i = 0; i < batch.length; i++) await settle(batch[i], results[i]);
  }
}

/** Handle the server's answer for one change (an outbox entry leaves only here). */
function settle(sent, result) {
  const store = STORES[sent.type];
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
 * `sent` is updated to name the record by it. */
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

function tombstone(server, record) {
  return { id: server.id, type: server.type, version: server.version, deleted: true, data: null,
    base: null, dirty: false, started_at: record?.started_at, origin: record?.origin };
}

/** Hear how far a long pull is (a new device receiving an account's history):
 * `listener({received, total})` after each page. */
export function onPullProgress(listener) {
  events.addEventListener("pull", (event) => listener(event.detail));
}

/** Pull every page after our cursor; each page and its cursor land in one transaction. */
async function pullAll(token) {
  let received = 0;
  for (;;) {
    const { cursor } = (await syncState()) ?? {};
    const query = new URLSearchParams({ limit: String(PULL_PAGE) });
    if (cursor) query.set("cursor", cursor);
    const page = await api(`/api/v1/sync/pull?${query}`, { token });
    await transaction([...RECORD_STORES, "outbox", "meta"], "readwrite", async (s) => {
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
    events.dispatchEvent(new CustomEvent("pull", { detail: { received,
      total: received + (page.remaining ?? 0) } }));
  }
}

/** Keep one pulled change; resolve with the start keys of the logs it changed. */
async function receive(s, change) {
  const records = s[STORES[change.type]];
  if (!records) return []; // a type from a newer version of the app: not ours to keep
  const pending = await promised(s.outbox.get(change.id));
  const local = await promised(records.get(change.id));
  const keys = (record) => (change.type === "session" ? [local?.started_at, record.started_at] : []);
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
    started_at: startKey(change.data.started_at), origin: local?.origin ?? change.device_id,
    updated_at: change.server_updated_at };
  await promised(records.put(record));
  return keys(record);
}

/** Stop syncing here. Every log stays, queued again so a future account gets it too. */
export async function forgetAccount({ removed = false } = {}) {
  await transaction([...RECORD_STORES, "outbox", "meta"], "readwrite", async (s) => {
    const records = (await Promise.all(RECORD_STORES.map((n) => promised(s[n].getAll())))).flat();
    for (const record of records) {
      const store = s[STORES[record.type]];
      if (record.deleted) {
        await promised(store.delete(record.id));
        await promised(s.outbox.delete(record.id));
        continue;
      }
      await promised(store.put({ ...record, version: 0, base: null, dirty: true, origin: null }));
      await promised(s.outbox.put({ id: record.id, type: record.type, base_version: 0,
        deleted: false, data: record.data, queued_at: new Date().toISOString() }));
    }
    await promised(s.meta.put({ removed }, STATE));
  });
  await announce();
}

/** Wire the triggers: start, online, visible, after local changes, periodic, Background Sync. */
export function startSync() {
  syncNow();
  window.addEventListener("online", () => { failures = 0; syncNow(); });
  window.addEventListener("offline", () => announce());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncNow();
  });
  window.addEventListener("spine:changed", () => {
    announce();
    schedule(LOCAL_CHANGE_DELAY_MS);
    navigator.serviceWorker?.ready
      .then((registration) => registration.sync?.register("spine-sync"))
      .catch(() => {});
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "SYNC_NOW") syncNow();
  });
  setInterval(() => { if (document.visibilityState === "visible") syncNow(); }, PERIODIC_MS);
}
