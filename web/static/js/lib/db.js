// @ts-check
// IndexedDB behind a few promises: one database; the stores of ARCHITECTURE §5, and
// "settings", which holds the synced settings record (version 2). Version 3
// keys each session by its start in UTC (the started_at index: logs in the
// order they were done, whatever offset they were written with) and indexes
// the outbox by when a change was queued and by whether it was refused, so no
// page has to read every log or every pending change to show a few.
const NAME = "spine-routine";

/** The object store that keeps records of a sync type (unknown types: none). */
export const STORES = Object.freeze({ session: "sessions", settings: "settings" });
const VERSION = 3;
/** @type {Promise<IDBDatabase> | null} */
let opening = null;

/**
 * A session record's started_at: its data's start as a UTC ISO time (the index's key).
 * @param {string | null | undefined} startedAt
 * @returns {string}
 */
export function startKey(startedAt) {
  const ms = Date.parse(startedAt ?? "");
  return Number.isNaN(ms) ? String(startedAt ?? "") : new Date(ms).toISOString();
}

/**
 * @param {IDBDatabase} db
 * @param {IDBTransaction} tx the version change
 */
function upgrade(db, tx) {
  if (!db.objectStoreNames.contains("sessions")) {
    db.createObjectStore("sessions", { keyPath: "id" }).createIndex("started_at", "started_at");
  }
  const outbox = db.objectStoreNames.contains("outbox") ? tx.objectStore("outbox")
    : db.createObjectStore("outbox", { keyPath: "id" });
  if (!outbox.indexNames.contains("queued_at")) outbox.createIndex("queued_at", "queued_at");
  if (!outbox.indexNames.contains("rejected")) outbox.createIndex("rejected", "rejected.code");
  if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
  if (!db.objectStoreNames.contains("settings")) db.createObjectStore("settings", { keyPath: "id" });
  // Logs from before version 3 may carry an offset in started_at: key them in UTC.
  const request = tx.objectStore("sessions").openCursor();
  request.onsuccess = () => {
    const cursor = request.result;
    if (!cursor) return;
    const record = cursor.value;
    const key = startKey(record.data?.started_at ?? record.started_at);
    if (record.started_at !== key) cursor.update({ ...record, started_at: key });
    cursor.continue();
  };
}

/** @returns {Promise<IDBDatabase>} */
export function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    // The transaction is there while upgradeneeded runs.
    request.onupgradeneeded = () => upgrade(request.result, /** @type {IDBTransaction} */ (request.transaction));
    request.onsuccess = () => {
      const db = request.result;
      // Another tab is upgrading the database: step aside so it can.
      db.onversionchange = () => { db.close(); opening = null; };
      resolve(db);
    };
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

/**
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
export function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Run `work(stores)` in one transaction; resolve with its result once committed.
 * @template T
 * @param {string[]} names the object stores
 * @param {IDBTransactionMode} mode
 * @param {(stores: Record<string, IDBObjectStore>) => T | Promise<T>} work
 * @returns {Promise<T>}
 */
export async function transaction(names, mode, work) {
  const db = await open();
  const tx = db.transaction(names, mode, { durability: "strict" });
  const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
  /** @type {Promise<void>} */
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
  /** @type {T} */
  let result;
  try {
    result = await work(stores);
  } catch (error) {
    // All or nothing: a failure halfway must not leave half the writes behind.
    try { tx.abort(); } catch { /* already finished */ }
    done.catch(() => {});
    throw error;
  }
  await done;
  return result;
}

/** The value at `key` in `store` (IndexedDB's structured clone: the caller knows its shape).
 * @param {string} store
 * @param {IDBValidKey} key
 */
export function get(store, key) {
  return transaction([store], "readonly", (s) => promised(s[store].get(key)));
}

/** @param {string} store */
export function getAll(store) {
  return transaction([store], "readonly", (s) => promised(s[store].getAll()));
}

/**
 * @param {string} store
 * @param {unknown} value
 * @param {IDBValidKey} [key] for a store without a key path
 */
export function put(store, value, key) {
  return transaction([store], "readwrite", (s) => promised(s[store].put(value, key)));
}

/**
 * @param {string} store
 * @param {IDBValidKey} key
 */
export function remove(store, key) {
  return transaction([store], "readwrite", (s) => promised(s[store].delete(key)));
}

/** True while this device has stored nothing at all: no log, no setting, nothing
 * measured or remembered. Until then every number it would work out is the
 * routine's default, which the server has already put in the page. */
export async function isBlank() {
  const names = ["sessions", "settings", "meta", "outbox"];
  const counts = await transaction(names, "readonly",
    (s) => Promise.all(names.map((n) => promised(s[n].count()))));
  return counts.every((count) => count === 0);
}
