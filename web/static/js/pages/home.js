// @ts-check
// The home page: this week, and the workout's length at the user's own pace.
import { isBlank } from "../lib/db.js";
import { startWeek } from "../progress/week.js";

startWeek(/** @type {HTMLElement} */ (document.getElementById("main")));

const estimate = document.querySelector("[data-estimate]");
if (estimate) {
  // The server's estimate is there from the first paint; the one at the user's
  // pace and plan follows once the page has settled. A device that has stored
  // nothing yet would only work out the server's number again.
  const idle = globalThis.requestIdleCallback ?? ((run) => setTimeout(run, 200));
  idle(() => isBlank().then((blank) => blank ? null
    : import("../workout/duration.js").then((m) => m.showDuration(estimate)))
    .catch((error) => console.warn("Could not work out the workout's length:", error)));
}
