// @ts-check
// Settings → Sync → Devices: the account's devices as the server lists them,
// each with Rename and Remove. A device is named after its kind when it turns
// sync on or joins ("Phone", "Tablet", "Computer"); here the user can give any
// device of the account a better name, and every device shows it after a sync.
import { api, forgetAccount, syncState, Unauthorized } from "./sync.js";
import { promised, put, transaction } from "../lib/db.js";
import { t } from "../lib/i18n.js";
import { thisDeviceKind } from "./device-kind.js";

/** @typedef {import("#types").Device} Device */
/** @typedef {import("#types").SyncState} SyncState */

const MAX_NAME = 60; // as the server takes it

/** This device's name until the user gives it one, in the page's language. */
export function guessDeviceName() {
  const kind = thisDeviceKind();
  if (kind === "phone") return t("Phone");
  if (kind === "tablet") return t("Tablet");
  return t("Computer");
}

/**
 * @param {string} text
 * @param {string | null} [label]
 * @param {string} [className]
 */
function button(text, label, className = "button") {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = text;
  if (label) element.setAttribute("aria-label", label);
  return element;
}

/**
 * Keep this device's own name in the sync state, as the server has it now.
 * @param {string | undefined} token
 * @param {string} name
 */
function rememberOwnName(token, name) {
  return transaction(["meta"], "readwrite", async (s) => {
    /** @type {SyncState | undefined} */
    const state = await promised(s.meta.get("sync"));
    if (state?.token === token) await promised(s.meta.put({ ...state, deviceName: name }, "sync"));
  });
}

export class DeviceList {
  /**
   * @param {HTMLElement} list the <ul> of devices
   * @param {{act: (work: () => Promise<unknown>) => unknown, say: (text: string) => void,
   *   explain: (error: unknown) => string, refresh: () => Promise<void>}} host
   *   the sync settings: run an action and say its failure, say a result, word
   *   an error, and redraw the sync section (after this device leaves)
   */
  constructor(list, host) {
    this.list = list;
    this.host = host;
    /** @type {string | null} what the list shows now, to redraw only when it changes */
    this.shown = null;
    /** @type {{device: Device, form: HTMLFormElement} | null} while a name is being typed */
    this.renaming = null;
    /** @type {Map<string, {rename: HTMLButtonElement, remove: HTMLButtonElement}>} */
    this.renameButtons = new Map();
  }

  /**
   * Fetch the list and draw it (again only if it changed, so focus stays put).
   * @param {SyncState} state
   */
  async show(state) {
    /** @type {Device[]} */
    let devices;
    try {
      ({ devices } = await api("/api/v1/devices", { token: state.token }));
    } catch (error) {
      if (error instanceof Unauthorized) {
        await forgetAccount({ removed: true });
        await this.host.refresh();
        return;
      }
      const problem = this.host.explain(error);
      this.shown = null;
      this.list.replaceChildren(Object.assign(document.createElement("li"), {
        textContent: state.deviceName ? t("{name} (this device). {problem}", { name: state.deviceName, problem })
          : t("This device. {problem}", { problem }) }));
      return;
    }
    await put("meta", Object.fromEntries(devices.map((d) => [d.device_id, d.name])), "device-names");
    const mine = devices.find((d) => d.current);
    if (mine && mine.name !== state.deviceName) await rememberOwnName(state.token, mine.name);
    const shown = JSON.stringify(devices.map((d) => [d.device_id, d.name, d.current]));
    if (shown === this.shown) return;
    this.shown = shown;
    this.renaming = null;
    this.renameButtons.clear();
    this.list.replaceChildren(...devices.map((device) => this.item(device)));
  }

  /**
   * After a sync: the list as the server has it, unless a new name is being typed.
   * @param {SyncState} state
   */
  async update(state) {
    if (!this.renaming) await this.show(state);
  }

  /** @param {Device} device */
  item(device) {
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = device.current ? t("{name} (this device)", { name: device.name }) : device.name;
    const actions = document.createElement("div");
    actions.className = "actions";
    const rename = button(t("Rename"), t("Rename {name}", { name: device.name }));
    rename.setAttribute("aria-expanded", "false");
    // A disclosure: it shows the field, and a second press puts it away.
    rename.addEventListener("click", () => {
      if (this.renaming?.device.device_id === device.device_id) this.closeRename({ focus: true });
      else this.openRename(item, device);
    });
    const remove = button(t("Remove"), t("Remove {name}", { name: device.name }));
    remove.addEventListener("click", () => this.host.act(() => this.remove(device)));
    actions.append(rename, remove);
    item.append(name, actions);
    this.renameButtons.set(device.device_id, { rename, remove });
    return item;
  }

  /**
   * Show a labelled field with the name, Save and Cancel, under the device.
   * @param {HTMLLIElement} item
   * @param {Device} device
   */
  openRename(item, device) {
    this.closeRename();
    const id = `rename-${device.device_id}`;
    const form = document.createElement("form");
    form.id = `${id}-form`;
    form.className = "sync-form device-rename";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = t("New name for {name}", { name: device.name });
    const input = document.createElement("input");
    Object.assign(input, { type: "text", id, name: "name", value: device.name,
      maxLength: MAX_NAME, required: true, autocomplete: "off", spellcheck: false });
    const actions = document.createElement("div");
    actions.className = "actions";
    const save = button(t("Save"), null, "button primary");
    save.type = "submit";
    const cancel = button(t("Cancel"));
    actions.append(save, cancel);
    form.append(label, input, actions);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      event.stopPropagation(); // the sync section's own forms are handled elsewhere
      this.host.act(() => this.save(device, input));
    });
    cancel.addEventListener("click", () => this.closeRename({ focus: true }));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.closeRename({ focus: true });
      }
    });
    // Its own item's buttons, drawn with it.
    const { rename, remove } = /** @type {{rename: HTMLButtonElement, remove: HTMLButtonElement}} */ (
      this.renameButtons.get(device.device_id));
    rename.setAttribute("aria-expanded", "true");
    rename.setAttribute("aria-controls", form.id);
    remove.hidden = true; // one thing at a time: not a Remove next to the new name
    item.append(form);
    this.renaming = { device, form };
    input.focus();
    input.select();
  }

  /** @param {{focus?: boolean}} [options] */
  closeRename({ focus = false } = {}) {
    if (!this.renaming) return;
    const { device, form } = this.renaming;
    this.renaming = null;
    form.remove();
    const buttons = this.renameButtons.get(device.device_id);
    if (!buttons) return; // the list was drawn again meanwhile
    buttons.rename.setAttribute("aria-expanded", "false");
    buttons.rename.removeAttribute("aria-controls");
    buttons.remove.hidden = false;
    if (focus) buttons.rename.focus();
  }

  /**
   * @param {Device} device
   * @param {HTMLInputElement} input
   */
  async save(device, input) {
    const name = input.value.trim();
    if (!name || name.length > MAX_NAME) {
      this.host.say(t("A device name has 1 to 60 characters."));
      input.focus();
      return;
    }
    const state = /** @type {SyncState} */ (await syncState()); // sync is on here
    const renamed = await api(`/api/v1/devices/${encodeURIComponent(device.device_id)}`,
      { method: "PATCH", token: state.token, body: { name } });
    this.closeRename();
    await this.show(/** @type {SyncState} */ (await syncState()));
    this.host.say(t("{old} is now called {name}.", { old: device.name, name: renamed.name }));
    this.renameButtons.get(device.device_id)?.rename.focus();
  }

  /** @param {Device} device */
  async remove(device) {
    const state = /** @type {SyncState} */ (await syncState()); // sync is on here
    await api(`/api/v1/devices/${encodeURIComponent(device.device_id)}`,
      { method: "DELETE", token: state.token });
    if (device.current) {
      await forgetAccount();
      this.host.say(t("Sync is off on this device. Your sessions are still here."));
      await this.host.refresh();
    } else {
      this.host.say(t("{name} was removed. It keeps its own sessions but no longer syncs.", { name: device.name }));
      await this.show(state);
    }
  }
}
