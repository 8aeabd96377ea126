// @ts-check
// Choosing the app's language: the picker in Settings and the links at the
// foot of every page. The choice is kept on the device (a cookie, so that "/"
// opens in it, and the service worker's note of it) and in the synced settings.
import { barePath, lang, pageUrl, t } from "../lib/i18n.js";

const YEAR = 365 * 24 * 3600;

/**
 * Send the service worker a message; resolve with whether it answered ok.
 * @param {ServiceWorker} worker
 * @param {{type: string, lang: string}} message
 * @param {number} [timeoutMs]
 * @returns {Promise<boolean>}
 */
function askWorker(worker, message, timeoutMs = Infinity) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => resolve(false), timeoutMs) : null;
    channel.port1.onmessage = (event) => {
      clearTimeout(timer ?? undefined);
      resolve(Boolean(event.data && event.data.ok));
    };
    worker.postMessage(message, [channel.port2]);
  });
}

/**
 * Tell the service worker this page's language: it keeps it ready offline.
 * @param {string} [language]
 */
async function useLanguageOffline(language = lang) {
  if (!("serviceWorker" in navigator)) return false;
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) return false;
  return askWorker(worker, { type: "USE_LANGUAGE", lang: language });
}

/** Tell the worker the language chosen before leaving for it: offline, it sends
 * "/workout" and the other unprefixed pages there (online, the cookie does).
 * @param {string} code
 */
async function chooseLanguageOffline(code) {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return false;
  return askWorker(worker, { type: "CHOOSE_LANGUAGE", lang: code }, 1000);
}

/**
 * Whether a language's pages can open now: online, or cached on this device.
 * @param {string} url
 */
async function canOpen(url) {
  if (navigator.onLine) return true;
  return Boolean(window.caches && (await caches.match(url)));
}

/**
 * Move to the same page in another language if it can open; else say why not.
 * @param {string} code
 * @param {string} name the language's own name, for the message
 * @returns {Promise<string | null>}
 */
async function switchLanguage(code, name) {
  const target = pageUrl(barePath(location.pathname), code) + location.search + location.hash;
  if (!(await canOpen(target))) {
    return t("{language} needs the network once. Connect to the internet and try again.",
      { language: name });
  }
  document.cookie = `lang=${code}; path=/; max-age=${YEAR}; samesite=lax`;
  await Promise.all([
    // The settings store comes with the tap: most visits never change the language.
    import("./settings-store.js").then(({ saveSettings }) => saveSettings({ language: code })).catch(() => {}),
    chooseLanguageOffline(code).catch(() => false),
  ]);
  location.assign(target);
  return null;
}

/**
 * Wire the footer links and, in Settings, the picker.
 * @param {Document} [root]
 */
export function startLanguage(root = document) {
  useLanguageOffline().catch(() => {});
  for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (root.querySelectorAll("a[data-language]"))) {
    // Until this runs, a tap follows the plain link: that page opens, unremembered.
    link.dataset.remembers = "true";
    link.addEventListener("click", (event) => {
      if (link.dataset.language === lang || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      switchLanguage(link.dataset.language ?? "", (link.textContent ?? "").trim()).then((problem) => {
        if (problem) import("../lib/notices.js").then(({ notify }) => notify(problem));
      });
    });
  }
  const form = root.getElementById?.("language-settings");
  if (!form) return;
  // Settings has the status line and a radio for the page's language.
  const status = /** @type {HTMLElement} */ (document.getElementById("language-status"));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", async (event) => {
    const radio = /** @type {HTMLInputElement} */ (event.target);
    if (radio.name !== "language" || radio.value === lang) return;
    const label = form.querySelector(`label[for="${radio.id}"]`) ?? radio.closest("label");
    const problem = await switchLanguage(radio.value, label ? (label.textContent ?? "").trim() : radio.value);
    if (problem) {
      status.textContent = problem;
      /** @type {HTMLInputElement} */ (form.querySelector(`input[name="language"][value="${lang}"]`)).checked = true;
    }
  });
}
