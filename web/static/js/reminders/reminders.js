// @ts-check
// Settings → Reminders: the days and the time (kept in the synced settings),
// a calendar file for any phone, and push notifications where the device can
// have them. Permission is asked only when the user turns notifications on.
import { get, put } from "../lib/db.js";
import { locale, t } from "../lib/i18n.js";
import { WEEKDAYS } from "../lib/rules.js";
import { isIos, isStandalone } from "../app/install.js";
import { loadSettings, saveSettings } from "../settings/settings-store.js";
import { api } from "../sync/api.js";
import { onStatus, syncState } from "../sync/state.js";

const PUSH_META = "push-reminders";
const DEFAULT_TIME = "07:30";
const when = new Intl.DateTimeFormat(locale, { weekday: "long", hour: "numeric", minute: "2-digit" });

/** @typedef {import("#types").ReminderSchedule} ReminderSchedule */

/** @param {HTMLElement} root */
export async function startReminders(root) {
  const ui = new Reminders(root);
  await ui.load();
  onStatus(() => ui.refreshPush());
  return ui;
}

/**
 * The base64url VAPID key as the bytes pushManager.subscribe wants.
 * @param {string} base64url
 */
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** @returns {"ios" | "none" | "ok"} */
function pushSupport() {
  if (isIos(navigator.userAgent) && !isStandalone()) return "ios";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return "none";
  }
  return "ok";
}

/** Settings → Reminders (templates/settings.html), every part of it there. */
class Reminders {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.form = /** @type {HTMLFormElement} */ (root.querySelector("[data-reminder-form]"));
    this.toggle = /** @type {HTMLInputElement} */ (root.querySelector("[data-push-toggle]"));
    this.timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    /** @type {HTMLElement} */ (root.querySelector("[data-time-zone]")).textContent = t("Times are in your time zone, {zone}.", { zone: this.timeZone });
    this.form.addEventListener("change", () => this.act(() => this.saveSchedule()));
    this.form.addEventListener("submit", (event) => event.preventDefault());
    const calendar = /** @type {HTMLButtonElement} */ (root.querySelector("[data-action=calendar]"));
    calendar.addEventListener("click", () => this.download());
    calendar.disabled = false;
    this.toggle.addEventListener("change", () => this.act(() => (this.toggle.checked ? this.turnOn() : this.turnOff())));
  }

  /** @param {string} text */
  say(text) {
    /** @type {HTMLElement} */ (this.root.querySelector("[data-reminder-message]")).textContent = text;
  }

  /** @param {() => Promise<unknown>} work */
  async act(work) {
    try {
      await work();
    } catch (error) {
      this.say(/** @type {Error} */ (error).message);
    }
  }

  /** The day boxes (seven, so a RadioNodeList of checkboxes). */
  dayBoxes() {
    return /** @type {HTMLInputElement[]} */ ([.../** @type {RadioNodeList} */ (this.form.elements.namedItem("days"))]);
  }

  timeField() {
    return /** @type {HTMLInputElement} */ (this.form.elements.namedItem("time"));
  }

  /** @returns {ReminderSchedule} */
  schedule() {
    const days = this.dayBoxes().filter((box) => box.checked).map((box) => box.value);
    return { days: WEEKDAYS.filter((d) => days.includes(d)), time: this.timeField().value || DEFAULT_TIME,
      time_zone: this.timeZone };
  }

  async load() {
    const { reminders } = await loadSettings();
    const days = reminders?.days ?? [];
    for (const box of this.dayBoxes()) box.checked = days.includes(box.value);
    this.timeField().value = reminders?.time ?? DEFAULT_TIME;
    await this.refreshPush();
  }

  async saveSchedule() {
    const schedule = this.schedule();
    await saveSettings({ reminders: schedule });
    if (await this.pushOn()) {
      await this.sendToServer(schedule);
    } else {
      this.say(schedule.days.length ? t("Saved. Download the calendar file again to update your calendar.")
        : t("Saved: no days chosen."));
    }
  }

  async download() {
    // Loaded on the tap: the page itself does not need it.
    const { calendarFile } = await import("./ics.js");
    let file;
    try {
      file = calendarFile({ ...this.schedule(), timeZone: this.timeZone, origin: location.origin });
    } catch (error) {
      this.say(/** @type {Error} */ (error).message);
      return;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([file], { type: "text/calendar" }));
    link.download = "spine-routine-reminder.ics";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    this.say(t("Open the downloaded file to add the weekly event to your calendar."));
  }

  async pushOn() {
    return (await get("meta", PUSH_META)) === true;
  }

  /** The switch as it can be: explained and disabled where push cannot work. */
  async refreshPush() {
    const support = pushSupport();
    const token = (await syncState())?.token;
    const hint = /** @type {HTMLElement} */ (this.root.querySelector("[data-push-hint]"));
    this.toggle.checked = Boolean(token) && support === "ok" && (await this.pushOn());
    this.toggle.disabled = !token || support !== "ok";
    if (support === "ios") {
      hint.textContent = t("On iPhone and iPad, notifications come once the app is on your Home Screen: tap Share in Safari, then Add to Home Screen, and open it from there.");
    } else if (support === "none") {
      hint.textContent = t("This browser cannot show notifications from a web app. The calendar file works everywhere.");
    } else if (!token) {
      hint.textContent = t("Notifications come through sync: turn sync on below to have them.");
    } else if (Notification.permission === "denied") {
      hint.textContent = t("Notifications are blocked for this app in your browser's settings.");
    } else {
      hint.textContent = t("A notification at your time on your days, unless you have already done the routine that day.");
    }
  }

  async turnOn() {
    const schedule = this.schedule();
    if (!schedule.days.length) {
      this.toggle.checked = false;
      throw new Error(t("Choose at least one day first."));
    }
    // Asked here, in answer to the user's tap, never on page load.
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      this.toggle.checked = false;
      await this.refreshPush();
      throw new Error(t("Notifications were not allowed, so none will come. The calendar file still works."));
    }
    try {
      await this.sendToServer(schedule);
    } catch (error) {
      this.toggle.checked = false; // nothing was turned on
      throw error;
    }
    await put("meta", true, PUSH_META);
  }

  async turnOff() {
    const { token } = (await syncState()) ?? {};
    await put("meta", false, PUSH_META);
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (token) await api("/api/v1/reminders", { method: "DELETE", token });
    if (subscription) await subscription.unsubscribe();
    this.say(t("Notifications off."));
  }

  /**
   * Subscribe (or reuse the subscription) and give the server this device's schedule.
   * @param {ReminderSchedule} schedule
   */
  async sendToServer(schedule) {
    const { token } = (await syncState()) ?? {};
    if (!token) throw new Error(t("Turn sync on to have notifications."));
    if (!schedule.days.length) {
      await api("/api/v1/reminders", { method: "DELETE", token });
      this.say(t("Saved: no days chosen, so no notifications."));
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) {
      const { public_key: key } = await api("/api/v1/push/key");
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true,
        applicationServerKey: keyBytes(key) });
    }
    const saved = await api("/api/v1/reminders", { method: "PUT", token,
      body: { ...schedule, subscription: subscription.toJSON() } });
    this.say(t("Notifications on. The next one: {when}.", { when: when.format(new Date(saved.next_at)) }));
  }
}
