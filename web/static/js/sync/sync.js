// @ts-check
// The sync engine (ARCHITECTURE §4-5): push the outbox, pull what changed, one sync
// at a time across tabs, retried with backoff. Logs never leave the device
// unless sync is on, and never leave the device's store because of sync.
// The requests and their errors are api.js, the state and status state.js,
// the two halves of a sync push.js and pull.js; this module runs them.
import { get, promised, put, STORES, transaction } from "../lib/db.js";
import { t } from "../lib/i18n.js";
import { api, Offline, RetryLater, Unauthorized } from "./api.js";
import { announce, STATE, syncState, updateState } from "./state.js";

export { api, Offline, Refused, RetryLater, Unauthorized } from "./api.js";
export { announce, onPullProgress, onStatus, status, syncState } from "./state.js";

const LOCK = "spine-routine-sync";
const LOCAL_CHANGE_DELAY_MS = 3000;
const PERIODIC_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const DEFAULT_LIMITS = { max_changes_per_push: 200, max_body_bytes: 1024 * 1024 };

const RECORD_STORES = Object.values(STORES);

/** @type {Promise<unknown> | null} */
let running = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
let failures = 0;

/** Sync now, unless this tab or another is already at it. */
export function syncNow() {
  running ??= (navigator.locks
    ? navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => (lock ? run() : null))
    : run()
  ).finally(() => { running = null; });
  return running;
}

/** @param {number} ms */
function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(() => syncNow(), ms);
}

async function run() {
  const state = await syncState();
  if (!state?.token) return announce();
  try {
    // Push and pull are loaded once sync is on: most pages of most devices never need them.
    const [{ pushAll }, { pullAll }] = await Promise.all([import("./push.js"), import("./pull.js")]);
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

/** @param {unknown} error @param {string} token */
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
  let lastError = t("Sync failed: {reason} It will try again.", { reason: /** @type {Error} */ (error).message });
  if (error instanceof Offline) lastError = t("Cannot reach the server. Sync will try again.");
  if (error instanceof RetryLater) lastError = t("The server is busy. Sync will try again shortly.");
  await updateState(token, { lastError });
}

/** @returns {Promise<import("#types").Limits>} */
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

/** Stop syncing here. Every log stays, queued again so a future account gets it too. */
export async function forgetAccount({ removed = false } = {}) {
  await transaction([...RECORD_STORES, "outbox", "meta"], "readwrite", async (s) => {
    const records = (await Promise.all(RECORD_STORES.map((n) => promised(s[n].getAll())))).flat();
    for (const record of records) {
      const store = s[STORES[/** @type {import("#types").AnyRecord} */ (record).type]];
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

let started = false;

/** Wire the triggers: start, online, visible, after local changes, periodic, Background Sync.
 * Once per page: main.js calls it where sync is on, Settings when it is turned on. */
export function startSync() {
  syncNow();
  if (started) return;
  started = true;
  window.addEventListener("online", () => { failures = 0; syncNow(); });
  window.addEventListener("offline", () => announce());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") syncNow();
  });
  window.addEventListener("spine:changed", () => {
    announce();
    schedule(LOCAL_CHANGE_DELAY_MS);
    navigator.serviceWorker?.ready
      // Background Sync: Chromium's, not in TypeScript's DOM types.
      .then((registration) => /** @type {{sync?: {register(tag: string): Promise<void>}}} */ (
        /** @type {unknown} */ (registration)).sync?.register("spine-sync"))
      .catch(() => {});
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "SYNC_NOW") syncNow();
  });
  setInterval(() => { if (document.visibilityState === "visible") syncNow(); }, PERIODIC_MS);
}
