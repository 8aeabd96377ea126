// The small sync indicator on every page: synced, N waiting, offline, or a problem.
import { onStatus, announce } from "./sync.js";

const TEXT = {
  off: () => "Sync is off",
  removed: () => "Sync stopped: this device was removed",
  synced: () => "Synced",
  waiting: (s) => `${s.waiting} waiting to sync`,
  offline: (s) => (s.waiting ? `Offline · ${s.waiting} waiting` : "Offline"),
  problem: (s) => `Sync problem: ${s.message}`,
};

export function showSyncStatus(element) {
  onStatus((status) => {
    element.textContent = TEXT[status.kind](status);
    element.dataset.kind = status.kind;
    element.hidden = false;
  });
  announce();
}
