// @ts-check
// Short messages under the header, read out by screen readers. They sit in
// the page, so they never cover a control, a code or a card; and they stay
// until dismissed or the next page, since one that left by itself would move
// the page under the user's finger (or cut a scroll short).
import { t } from "./i18n.js";

/**
 * Show a notice; returns a function that removes it. `timeoutMs` is accepted
 * for callers written when notices floated over the page; it no longer hides one.
 */
/**
 * @param {string} text
 * @param {{action?: string, onAction?: () => void, timeoutMs?: number}} [options]
 * @returns {() => void}
 */
export function notify(text, { action, onAction } = {}) {
  const region = document.getElementById("notices");
  if (!region) return () => {};
  const notice = document.createElement("div");
  notice.className = "notice";
  const message = document.createElement("p");
  message.textContent = text;
  const buttons = document.createElement("div");
  buttons.className = "actions";
  notice.append(message, buttons);
  const remove = () => {
    // Focus on a button that goes away would fall back to the top of the page.
    if (notice.contains(document.activeElement)) document.getElementById("main")?.focus({ preventScroll: true });
    notice.remove();
  };
  if (action) {
    buttons.append(button(action, "button small primary", () => { remove(); onAction?.(); }));
  }
  const dismiss = button("×", "button small dismiss", remove);
  dismiss.setAttribute("aria-label", t("Dismiss"));
  buttons.append(dismiss);
  region.append(notice);
  return remove;
}

/**
 * @param {string} text
 * @param {string} className
 * @param {() => void} onClick
 */
function button(text, className, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = text;
  element.addEventListener("click", onClick);
  return element;
}
