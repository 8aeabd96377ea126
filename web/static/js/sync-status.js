// The small sync indicator on every page: synced, N waiting, offline, or a problem.
import { t, tn } from "./i18n.js";
import { onStatus, announce } from "./sync.js";

const TEXT = {
  off: () => t("Sync is off"),
  removed: () => t("Sync stopped: this device was removed"),
  synced: () => t("Synced"),
  waiting: (s) => tn(s.waiting, "{n} waiting to sync", "{n} waiting to sync"),
  offline: (s) => (s.waiting ? tn(s.waiting, "Offline · {n} waiting", "Offline · {n} waiting") : t("Offline")),
  problem: (s) => t("Sync problem: {problem}", { problem: s.message }),
};

export function showSyncStatus(element) {
  onStatus((status) => {
    element.textContent = TEXT[status.kind](status);
    element.dataset.kind = status.kind;
    element.hidden = false;
  });
  announce();
}
