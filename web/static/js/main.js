// @ts-check
// What every page runs: offline support, install, storage, the sync indicator
// (and sync itself where it is on) and the language links. A page's own code
// is its entry under pages/, named by its template; the server lists both
// entries' imports as modulepreload links, so they all load at once.
import { startServiceWorker } from "./app/sw-register.js";
import { offerInstall } from "./app/install.js";
import { askForPersistence } from "./app/storage.js";
import { startLanguage } from "./settings/language.js";
import { syncState } from "./sync/state.js";
import { showSyncStatus } from "./sync/sync-status.js";

startServiceWorker().then((ready) => { if (ready) askForPersistence(); });
offerInstall(document.getElementById("install"), document.getElementById("ios-install"));

// base.html has the indicator on every page.
showSyncStatus(/** @type {HTMLElement} */ (document.querySelector("[data-sync-status]")));
// The sync engine, only where sync is on: Settings starts it when it is turned on.
syncState().then((state) => {
  if (state?.token) import("./sync/sync.js").then((m) => m.startSync());
}).catch((error) => console.warn("Could not read the sync state:", error));

// The language links and picker; tells the worker which language to keep offline.
startLanguage();
