// @ts-check
// Entry point of every page: offline support, install, storage, and the
// page's own module, loaded only where it is needed.
import { startServiceWorker } from "./app/sw-register.js";
import { offerInstall } from "./app/install.js";
import { askForPersistence, showStorage } from "./app/storage.js";
import { isBlank } from "./lib/db.js";
import { syncState } from "./sync/state.js";
import { showSyncStatus } from "./sync/sync-status.js";

startServiceWorker().then((ready) => { if (ready) askForPersistence(); });
offerInstall(document.getElementById("install"), document.getElementById("ios-install"));

// base.html has the indicator and #main on every page.
showSyncStatus(/** @type {HTMLElement} */ (document.querySelector("[data-sync-status]")));
// The sync engine, only where sync is on: Settings starts it when it is turned on.
syncState().then((state) => {
  if (state?.token) import("./sync/sync.js").then((m) => m.startSync());
}).catch((error) => console.warn("Could not read the sync state:", error));

const storage = document.getElementById("storage");
if (storage) showStorage(storage);

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
if (document.getElementById("player")) {
  import("./workout/workout-page.js").then((m) => m.startWorkoutPage(main));
}
if (document.querySelector("[data-poses]")) {
  import("./workout/pose-svg.js").then((m) => m.fillPoses(document));
}
if (document.querySelector("[data-week]")) import("./progress/week.js").then((m) => m.startWeek(main));
const estimate = document.querySelector("[data-estimate]");
if (estimate) {
  // The server's estimate is there from the first paint; the one at the user's
  // pace and plan follows once the page has settled.
  // A device that has stored nothing yet would work out the server's number again.
  const idle = globalThis.requestIdleCallback ?? ((run) => setTimeout(run, 200));
  idle(() => isBlank().then((blank) => blank ? null
    : import("./workout/duration.js").then((m) => m.showDuration(estimate)))
    .catch((error) => console.warn("Could not work out the workout's length:", error)));
}
if (document.querySelector("[data-sessions]")) {
  import("./history/history.js").then((m) => m.startHistoryPage(main));
}
const cueSettings = document.getElementById("cue-settings");
if (cueSettings) import("./settings/settings-page.js").then((m) => m.startSettingsPage(cueSettings));
if (document.querySelector("[data-summary-page]")) {
  import("./history/summary.js").then((m) => m.startSummaryPage(main));
}
const yourData = document.getElementById("your-data");
if (yourData) import("./data/data-page.js").then((m) => m.startDataSection(yourData));
const reminders = document.getElementById("reminders");
if (reminders) import("./reminders/reminders.js").then((m) => m.startReminders(reminders));
const syncSettings = document.getElementById("sync");
if (syncSettings) import("./sync/sync-settings.js").then((m) => m.startSyncSettings(syncSettings));
// The language links and picker; tells the worker which language to keep offline.
import("./settings/language.js").then((m) => m.startLanguage());
