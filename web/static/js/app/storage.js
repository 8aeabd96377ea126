// @ts-check
// Ask the browser to keep our data, and show how it is stored.
import { locale, t, tn } from "../lib/i18n.js";

/** Ask once for persistent storage; resolve whether it is granted. */
export async function askForPersistence() {
  if (!navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

/**
 * Fill the settings' storage section with what the browser reports.
 * @param {HTMLElement} section
 */
export async function showStorage(section) {
  // The settings page always has all three.
  const state = /** @type {HTMLElement} */ (section.querySelector("[data-persisted]"));
  const usage = /** @type {HTMLElement} */ (section.querySelector("[data-usage]"));
  const button = /** @type {HTMLButtonElement} */ (section.querySelector("[data-persist]"));
  const refresh = async () => {
    const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
    state.textContent = persisted
      ? t("Kept: the browser will not clear it to free up space.")
      : t("Not guaranteed: the browser may clear it if the device runs low on space.");
    button.hidden = persisted || !navigator.storage?.persist;
    if (navigator.storage?.estimate) {
      const estimate = await navigator.storage.estimate();
      usage.textContent = t("{size} used", { size: formatBytes(estimate.usage ?? 0) });
    } else {
      usage.textContent = t("Not reported by this browser");
    }
  };
  button.addEventListener("click", async () => {
    await askForPersistence();
    await refresh();
  });
  await refresh();
}

/** @param {number} bytes */
function formatBytes(bytes) {
  if (bytes < 1024) return tn(bytes, "{n} byte", "{n} bytes");
  /** @type {(value: number, digits: number) => string} */
  const number = (value, digits) => value.toLocaleString(locale,
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (bytes < 1024 * 1024) return t("{size} KB", { size: number(bytes / 1024, 0) });
  return t("{size} MB", { size: number(bytes / (1024 * 1024), 1) });
}
