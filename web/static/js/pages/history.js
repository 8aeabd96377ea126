// @ts-check
// History: this week, the 12-week calendar, the chart and every session.
import { startWeek } from "../progress/week.js";
import { startHistoryPage } from "../history/history.js";

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
startWeek(main);
startHistoryPage(main);
