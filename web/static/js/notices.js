// Short messages at the bottom of the screen, read out by screen readers.
import { t } from "./i18n.js";

/** Show a notice; returns a function that removes it. */
export function notify(text, { action, onAction, timeoutMs } = {}) {
  const region = document.getElementById("notices");
  if (!region) return () => {};
  const notice = document.createElement("div");
  notice.className = "notice";
  const message = document.createElement("p");
  message.textContent = text;
  notice.append(message);
  const remove = () => notice.remove();
  if (action) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button primary";
    button.textContent = action;
    button.addEventListener("click", () => { remove(); onAction(); });
    notice.append(button);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "button";
  close.textContent = t("Dismiss");
  close.addEventListener("click", remove);
  notice.append(close);
  region.append(notice);
  if (timeoutMs) setTimeout(remove, timeoutMs);
  return remove;
}
