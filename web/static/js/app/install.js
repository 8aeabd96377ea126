// @ts-check
// "Install" where the browser offers it; a short how-to on iPhone and iPad.
import { t } from "../lib/i18n.js";

/**
 * The install prompt Chromium offers (not in the DOM library yet).
 * @typedef {Event & {prompt(): Promise<void>, userChoice: Promise<{outcome: string}>}} InstallPromptEvent
 */

/**
 * @param {HTMLElement | null} button
 * @param {HTMLElement | null} iosHelp
 */
export function offerInstall(button, iosHelp) {
  /** @type {InstallPromptEvent | null} */
  let offer = null;
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // show our own button instead of the browser's mini bar
    offer = /** @type {InstallPromptEvent} */ (event);
    if (button) button.hidden = false;
  });
  button?.addEventListener("click", async () => {
    if (!offer || !button) return;
    button.hidden = true;
    offer.prompt();
    await offer.userChoice;
    offer = null;
  });
  window.addEventListener("appinstalled", () => {
    if (button) button.hidden = true;
    offer = null;
    // Loaded when there is something to say: most visits never need notices.
    import("../lib/notices.js").then(({ notify }) => notify(t("Installed. Open Spine Routine from your home screen.")));
  });
  if (iosHelp && isIosSafari() && !isStandalone()) iosHelp.hidden = false;
}

/**
 * iPhone, iPad or iPod, in any browser (iPadOS says it is a Mac with a touch screen).
 * @param {string} [ua]
 */
export function isIos(ua = navigator.userAgent) {
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
}

function isIosSafari() {
  const ua = navigator.userAgent;
  return isIos(ua) && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua);
}

export function isStandalone() {
  // navigator.standalone: Safari on iOS only.
  return /** @type {{standalone?: boolean}} */ (navigator).standalone === true || window.matchMedia("(display-mode: standalone)").matches;
}
