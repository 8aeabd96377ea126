// @ts-check
// The small sync indicator on every page: synced, N waiting, offline, or a problem.
import { locale, t, tn } from "../lib/i18n.js";
import { announce, onPullProgress, onStatus } from "./state.js";

/** @typedef {import("#types").SyncStatus} SyncStatus */

/** @type {Record<SyncStatus["kind"], (status: SyncStatus) => string>} */
const TEXT = {
  off: () => t("Sync is off"),
  removed: () => t("Sync stopped: this device was removed"),
  synced: () => t("Synced"),
  waiting: (s) => tn(s.waiting, "{n} waiting to sync", "{n} waiting to sync"),
  offline: (s) => (s.waiting ? tn(s.waiting, "Offline · {n} waiting", "Offline · {n} waiting") : t("Offline")),
  problem: (s) => t("Sync problem: {problem}", { problem: s.message }),
};

/** @param {HTMLElement} element */
export function showSyncStatus(element) {
  onPullProgress((/** @type {{received: number, total: number}} */ { received, total }) => {
    const bar = Object.assign(document.createElement("progress"), { max: total, value: received });
    bar.setAttribute("aria-hidden", "true");
    element.replaceChildren(t("Receiving {n} of {total} sessions", {
      n: received.toLocaleString(locale), total: total.toLocaleString(locale) }), " ", bar);
    element.dataset.kind = "receiving";
    element.hidden = false;
  });
  onStatus((/** @type {SyncStatus} */ status) => {
    element.textContent = TEXT[status.kind](status);
    element.dataset.kind = status.kind;
    element.hidden = false;
  });
  announce();
}
