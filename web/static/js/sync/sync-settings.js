// @ts-check
// Settings → Sync: turn it on, add or join a device, recover, turn off, delete
// (the device list, with rename and remove, is sync-devices.js).
// Every failure is said in plain words, and none of these loses a local log.
import { api, forgetAccount, Offline, onStatus, Refused, RetryLater, startSync, syncState,
  Unauthorized } from "./sync.js";
import { put, transaction, promised } from "../lib/db.js";
import { pageUrl, t, tn } from "../lib/i18n.js";
import { DeviceList, guessDeviceName } from "./sync-devices.js";

const SVG = "http://www.w3.org/2000/svg";

/** @typedef {import("#types").SyncState} SyncState */

/** @param {HTMLElement} root Settings → Sync (templates/settings.html), every part of it there */
export async function startSyncSettings(root) {
  const ui = new SyncSettings(root);
  await ui.refresh();
  onStatus((/** @type {import("#types").SyncStatus} */ status) => ui.onSyncStatus(status));
  const join = new URLSearchParams(location.hash.slice(1)).get("join");
  if (join) {
    const field = /** @type {HTMLInputElement} */ (root.querySelector("#join-code"));
    field.value = join;
    field.focus();
  }
}

/** @param {unknown} error */
function explain(error) {
  if (error instanceof Offline) return t("You are offline. Try again once you have a connection; nothing was changed.");
  if (error instanceof RetryLater) {
    return error.seconds
      ? tn(error.seconds, "Too many tries. Wait {n} second and try again.", "Too many tries. Wait {n} seconds and try again.")
      : t("The server is busy. Try again in a moment.");
  }
  if (error instanceof Unauthorized) return t("This device is no longer part of the account.");
  if (error instanceof Refused) return error.message;
  return t("Something went wrong: {reason}", { reason: /** @type {Error} */ (error).message });
}

/**
 * A form's fields by name (HTMLFormElement has them as properties).
 * @typedef {HTMLFormElement & Record<string, HTMLInputElement>} Form
 */

class SyncSettings {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @param {string} selector */
    this.$ = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.countdown = undefined;
    /** @type {string | null | undefined} */
    this.listedAt = null;
    this.devices = new DeviceList(this.$("[data-devices]"), {
      act: (/** @type {() => Promise<unknown>} */ work) => this.act(work),
      say: (/** @type {string} */ text) => this.say(text),
      explain,
      refresh: () => this.refresh(),
    });
    this.field("#device-name").value = guessDeviceName();
    // Each form and button names its handler: data-form="turn-on" → on_turn_on(form).
    const handlers = /** @type {Record<string, (form?: Form) => Promise<void> | void>} */ (
      /** @type {unknown} */ (this));
    root.addEventListener("submit", (event) => {
      event.preventDefault();
      const form = /** @type {Form} */ (event.target);
      this.act(() => handlers[`on_${/** @type {string} */ (form.dataset.form).replace("-", "_")}`](form));
    });
    root.addEventListener("click", (event) => {
      const button = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest("[data-action]"));
      if (button) this.act(() => handlers[`do_${/** @type {string} */ (button.dataset.action).replaceAll("-", "_")}`]());
    });
  }

  /** @param {string} selector */
  field(selector) {
    return /** @type {HTMLInputElement} */ (this.root.querySelector(selector));
  }

  /** @param {() => unknown} work */
  async act(work) {
    this.say("");
    try {
      await work();
    } catch (error) {
      this.say(explain(error));
    }
  }

  /** @param {string} text */
  say(text) {
    this.$("[data-sync-message]").textContent = text;
  }

  /** @param {string} view */
  show(view) {
    for (const element of /** @type {NodeListOf<HTMLElement>} */ (this.root.querySelectorAll("[data-view]"))) {
      element.hidden = element.dataset.view !== view &&
        !(view === "removed" && element.dataset.view === "off");
    }
  }

  /** @param {string | null} name */
  confirm(name) {
    for (const element of /** @type {NodeListOf<HTMLElement>} */ (this.root.querySelectorAll("[data-confirm]"))) {
      element.hidden = element.dataset.confirm !== name;
    }
    /** @type {HTMLElement | null} */ (this.root.querySelector(`[data-confirm="${name}"] button`))?.focus();
  }

  async refresh() {
    /** @type {SyncState | undefined} */
    const state = await syncState();
    if (state?.token) {
      this.show("on");
      await this.devices.show(state);
    } else {
      this.show(state?.removed ? "removed" : "off");
    }
  }

  /** @param {import("#types").SyncStatus} status */
  async onSyncStatus(status) {
    /** @type {SyncState | undefined} */
    const state = await syncState();
    const on = !this.$('[data-view="on"]').hidden;
    if (!state?.token) {
      if (on) await this.refresh();
      return;
    }
    // After each sync, the list as the server has it: another device may have
    // renamed, added or removed one.
    if (on && status?.kind === "synced" && status.lastSyncAt !== this.listedAt) {
      this.listedAt = status.lastSyncAt;
      await this.devices.update(state);
    }
  }

  /**
   * @param {string} path
   * @param {{device_name: string} & Record<string, string>} body
   */
  async join(path, body) {
    const answer = await api(path, { method: "POST", body });
    await put("meta", { token: answer.token, accountId: answer.account_id,
      deviceId: answer.device_id, deviceName: body.device_name, cursor: null }, "sync");
    startSync();
    return answer;
  }

  /** @param {Form} form */
  async on_turn_on(form) {
    const answer = await this.join("/api/v1/accounts", { device_name: form.device_name.value });
    this.showRecovery(answer.recovery_code, false);
  }

  /**
   * Show a recovery code once, to copy or download, until "I have saved it".
   * @param {string} code
   * @param {boolean} replaced
   */
  showRecovery(code, replaced) {
    this.$("[data-recovery-code]").textContent = code;
    this.$("[data-recovery-replaced]").hidden = !replaced;
    const title = t("Spine Routine recovery code");
    const advice = t("Keep it safe. It brings your synced sessions back if you lose every device.");
    const file = new Blob([`${title}\n\n${code}\n\n${advice}\n`],
      { type: "text/plain;charset=utf-8" });
    /** @type {HTMLAnchorElement} */ (this.$("[data-download-recovery]")).href = URL.createObjectURL(file);
    this.show("recovery");
    this.$("#recovery-title").focus();
  }

  /** Join with the code typed in `form` (`field` names it in the request), then say `done`.
   * @param {Form} form @param {string} path @param {string} field @param {string} done */
  async joinWithCode(form, path, field, done) {
    await this.join(path, { [field]: form.code.value,
      device_name: this.field("#device-name").value || guessDeviceName() });
    form.reset();
    this.say(done);
    await this.refresh();
  }

  /** @param {Form} form */
  on_join(form) {
    return this.joinWithCode(form, "/api/v1/pairings/redeem", "code", t("This device now syncs with your other devices."));
  }

  /** @param {Form} form */
  on_recover(form) {
    return this.joinWithCode(form, "/api/v1/recovery", "recovery_code", t("Welcome back. Your sessions are on their way to this device."));
  }

  async do_copy_recovery() {
    await navigator.clipboard.writeText(this.$("[data-recovery-code]").textContent ?? "");
    this.say(t("Recovery code copied."));
  }

  async do_recovery_saved() {
    this.$("[data-recovery-code]").textContent = "";
    URL.revokeObjectURL(/** @type {HTMLAnchorElement} */ (this.$("[data-download-recovery]")).href);
    await this.refresh();
  }

  async do_add_device() {
    const state = /** @type {SyncState} */ (await syncState()); // sync is on here
    const pairing = await api("/api/v1/pairings", { method: "POST", token: state.token });
    this.$("[data-pairing]").hidden = false;
    this.$("[data-pairing-code]").textContent = pairing.code;
    this.$("[data-qr]").replaceChildren(await qrSvg(`${location.origin}${pageUrl("/settings")}#join=${pairing.code}`));
    this.$("#pairing-title").focus();
    clearInterval(this.countdown);
    const tick = () => {
      const left = Math.max(0, Math.round((Date.parse(pairing.expires_at) - Date.now()) / 1000));
      this.$("[data-pairing-countdown]").textContent = left
        ? t("Valid for {time} more, for one device.",
          { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` })
        : t("This code has expired. Choose Add a device for a new one.");
      if (!left) clearInterval(this.countdown);
    };
    tick();
    this.countdown = setInterval(tick, 1000);
  }

  do_new_recovery() { this.confirm("new-recovery"); }

  async do_new_recovery_final() {
    const state = /** @type {SyncState} */ (await syncState()); // sync is on here
    const answer = await api("/api/v1/account/recovery-code", { method: "POST", token: state.token });
    this.confirm(null);
    this.showRecovery(answer.recovery_code, true);
  }

  do_turn_off() { this.confirm("turn-off"); }
  do_delete_account() { this.confirm("delete-1"); }
  do_delete_next() { this.confirm("delete-2"); }
  do_cancel() { this.confirm(null); }

  /** @param {boolean} keep whether this device keeps its sessions */
  async turnOff(keep) {
    const state = /** @type {SyncState} */ (await syncState()); // sync is on here
    try {
      await api(`/api/v1/devices/${state.deviceId}`, { method: "DELETE", token: state.token });
    } catch (error) {
      // Already removed, or offline: turning off here still works; the server
      // forgets this device once it is removed from another one.
      if (!(error instanceof Unauthorized || error instanceof Offline)) throw error;
    }
    await forgetAccount();
    if (!keep) {
      await transaction(["sessions", "outbox"], "readwrite", async (s) => {
        await promised(s.sessions.clear());
        await promised(s.outbox.clear());
      });
    }
    this.confirm(null);
    this.say(keep ? t("Sync is off. Your sessions are still on this device.")
      : t("Sync is off and this device's sessions are removed. Your other devices keep theirs."));
    await this.refresh();
  }

  do_off_keep() { return this.turnOff(true); }
  do_off_remove() { return this.turnOff(false); }

  async do_delete_final() {
    const state = /** @type {SyncState} */ (await syncState()); // sync is on here
    await api("/api/v1/account", { method: "DELETE", token: state.token });
    await forgetAccount();
    this.confirm(null);
    this.say(t("Your account and everything on the server are deleted. Your sessions are still on this device."));
    await this.refresh();
  }
}

/** Draw a QR code as SVG with DOM calls (no markup strings). The QR library
 * (52 KB) comes with the first code: most visits to Settings never show one.
 * @param {string} text */
async function qrSvg(text) {
  const { qrcode } = await import("../vendor/qrcode.js");
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `-2 -2 ${count + 4} ${count + 4}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("QR code of the pairing code"));
  const path = document.createElementNS(SVG, "path");
  let d = "";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (qr.isDark(row, col)) d += `M${col} ${row}h1v1h-1z`;
  }
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(path);
  return svg;
}
