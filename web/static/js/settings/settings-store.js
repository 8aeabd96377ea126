// @ts-check
// The user's preferences: one synced record of type "settings" with a fixed id
// (ARCHITECTURE §8). A device without sync keeps it all the same, queued for the day
// sync is turned on. Conflicts merge field by field (sync.js): a device's
// changed fields win over the server's, so a goal set on the phone and a pace
// set on the tablet both survive.
import { get, STORES } from "../lib/db.js";
import { SETTINGS_ID } from "../lib/rules.js";

/** @typedef {import("#types").Settings} Settings */
/** @typedef {import("#types").SettingsRecord} SettingsRecord */

/** @type {Readonly<Settings>} */
const DEFAULTS = Object.freeze({ weekly_goal: 3, voice: true, beeps: true, vibration: true,
  tempo: "normal" });
// Fields the server accepts that a later version of the app may set.
const OPTIONAL = ["reminders", "language", "safety"];
const STORE = STORES.settings;

/**
 * Only the fields the settings record may hold.
 * @param {Record<string, unknown>} values
 * @returns {Partial<Settings>}
 */
function clean(values) {
  const keys = [...Object.keys(DEFAULTS), ...OPTIONAL];
  return Object.fromEntries(keys.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
}

/** @returns {Promise<Settings>} */
export async function loadSettings() {
  /** @type {SettingsRecord | undefined} */
  const record = await get(STORE, SETTINGS_ID);
  // Before settings synced they were kept under "settings" in the meta store.
  const older = record ? null : await get("meta", "settings");
  return { ...DEFAULTS, ...clean(older ?? {}), ...(record?.data ?? {}) };
}

/**
 * Change some settings; the record and its outbox entry are written together.
 * Settings the server would refuse are not saved: this throws Invalid, saying
 * which field is wrong (settings-check.js).
 * @param {Partial<Settings>} changes
 */
export async function saveSettings(changes) {
  // Loaded with the first change: most pages only read the settings.
  const [{ canonical, writeRecord }, { settingsToSave }] = await Promise.all([
    import("../lib/records.js"), import("./settings-check.js")]);
  /** @type {SettingsRecord | undefined} */
  const record = await get(STORE, SETTINGS_ID);
  const data = clean(settingsToSave(await loadSettings(), changes, DEFAULTS));
  if (record && canonical(data) === canonical(record.data)) return;
  const updated_at = new Date().toISOString();
  // A record never synced merges against the defaults: only what the user
  // changed here counts as this device's change.
  await writeRecord(record ? { ...record, deleted: false, data, dirty: true, updated_at }
    : { id: SETTINGS_ID, type: /** @type {const} */ ("settings"), version: 0, deleted: false, base: { ...DEFAULTS },
      data, dirty: true, updated_at });
}
