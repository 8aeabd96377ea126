// @ts-check
// Sync's state on this device (the token, the cursor, the last outcome) and
// what the indicator hears: the status, and how far a long pull is.
import { get, promised, transaction } from "../lib/db.js";
import { tn } from "../lib/i18n.js";

export const STATE = "sync";

const events = new EventTarget();
/** @typedef {{received: number, total: number}} PullProgress */

/** @type {() => Promise<import("#types").SyncState | undefined>} */
export const syncState = () => get("meta", STATE);

/** Note a sync's outcome, in one transaction, and only if sync is still on with that token:
 * a sync that ends just after the user turned sync off must not turn it back on.
 * @param {string} token @param {Partial<import("#types").SyncState>} changes */
export function updateState(token, changes) {
  return transaction(["meta"], "readwrite", async (s) => {
    const state = await promised(s.meta.get(STATE));
    if (state?.token === token) await promised(s.meta.put({ ...state, ...changes }, STATE));
  });
}

/** What the indicator shows: off, synced, waiting, offline, problem or removed.
 * @returns {Promise<import("#types").SyncStatus>} */
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

/** @param {(status: import("#types").SyncStatus) => void} listener */
export function onStatus(listener) {
  events.addEventListener("status", (event) => listener(/** @type {CustomEvent} */ (event).detail));
}

export async function announce() {
  events.dispatchEvent(new CustomEvent("status", { detail: await status() }));
}

/** Hear how far a long pull is (a new device receiving an account's history):
 * `listener({received, total})` after each page.
 * @param {(progress: PullProgress) => void} listener */
export function onPullProgress(listener) {
  events.addEventListener("pull", (event) => listener(/** @type {CustomEvent} */ (event).detail));
}

/** Tell the listeners of onPullProgress how far the pull is.
 * @param {PullProgress} detail */
export function pullProgressed(detail) {
  events.dispatchEvent(new CustomEvent("pull", { detail }));
}
