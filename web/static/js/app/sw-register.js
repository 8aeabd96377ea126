// @ts-check
// Register the service worker, say when the app works offline, and offer
// each new version to the user instead of swapping it in under their feet.
import { t } from "../lib/i18n.js";

const READY_SHOWN_MS = 15000;
const tracked = new WeakSet();
let reloading = false;

/**
 * Register the worker; resolve true once one controls this page.
 * @returns {Promise<boolean>}
 */
export async function startServiceWorker() {
  if (!("serviceWorker" in navigator)) return false;
  const firstInstall = !navigator.serviceWorker.controller;
  let registration;
  try {
    registration = await navigator.serviceWorker.register("/sw.js", { updateViaCache: "none" });
  } catch (error) {
    console.warn("Offline support is not available:", error);
    return false;
  }
  /** @param {ServiceWorker | null} worker */
  const track = (worker) => {
    if (!worker || tracked.has(worker)) return;
    tracked.add(worker);
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) {
        announceUpdate(worker);
      } else if (worker.state === "activated" && firstInstall) {
        sayReady();
      }
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) announceUpdate(registration.waiting);
  track(registration.installing);
  registration.addEventListener("updatefound", () => track(registration.installing));
  // Phones keep a home-screen app open for days: look for a new version
  // whenever it comes back to the foreground.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
  await navigator.serviceWorker.ready;
  return true;
}

/**
 * Say in the header's status line, for a while, that the app now works offline.
 * The line keeps its height from the first paint, so this moves nothing on the page.
 */
function sayReady() {
  const line = document.getElementById("offline-ready");
  if (!line) return;
  line.textContent = t("Ready to work offline");
  line.hidden = false;
  setTimeout(() => { line.hidden = true; }, READY_SHOWN_MS);
}

/** @param {ServiceWorker} worker */
async function announceUpdate(worker) {
  // Loaded when a new version comes: a first visit never needs them.
  const [{ whenIdle }, { notify }] = await Promise.all([
    import("../lib/activity.js"), import("../lib/notices.js")]);
  await whenIdle();
  notify(t("A new version is ready."), {
    action: t("Reload"),
    onAction: () => {
      navigator.serviceWorker.addEventListener("controllerchange", () => {
        if (reloading) return;
        reloading = true;
        window.location.reload();
      });
      worker.postMessage({ type: "SKIP_WAITING" });
    },
  });
}
