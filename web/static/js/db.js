// IndexedDB behind a few promises: one database; the stores of DESIGN §5, and
// "settings", which holds the synced settings record (version 2).
const NAME = "spine-routine";
const VERSION = 2;
let opening = null;

function upgrade(db) {
  if (!db.objectStoreNames.contains("sessions")) {
    db.createObjectStore("sessions", { keyPath: "id" }).createIndex("started_at", "started_at");
  }
  if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "id" });
  if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
  if (!db.objectStoreNames.contains("settings")) db.createObjectStore("settings", { keyPath: "id" });
}

export function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => upgrade(request.result);
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

export function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run `work(stores)` in one transaction; resolve with its result once committed. */
export async function transaction(names, mode, work) {
  const db = await open();
  const tx = db.transaction(names, mode, { durability: "strict" });
  const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
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

export function get(store, key) {
  return transaction([store], "readonly", (s) => promised(s[store].get(key)));
}

export function getAll(store) {
  return transaction([store], "readonly", (s) => promised(s[store].getAll()));
}

export function put(store, value, key) {
  return transaction([store], "readwrite", (s) => promised(s[store].put(value, key)));
}

export function remove(store, key) {
  return transaction([store], "readwrite", (s) => promised(s[store].delete(key)));
}
