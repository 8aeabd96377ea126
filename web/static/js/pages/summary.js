// @ts-check
// The printable summary for a physiotherapist.
import { startSummaryPage } from "../history/summary.js";

startSummaryPage(/** @type {HTMLElement} */ (document.getElementById("main")));
