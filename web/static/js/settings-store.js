// The user's workout preferences, kept on this device.
import { get, put } from "./db.js";

export const DEFAULTS = Object.freeze({ voice: true, beeps: true, vibration: true, tempo: "normal" });

export async function loadSettings() {
  return { ...DEFAULTS, ...((await get("meta", "settings")) ?? {}) };
}

export async function saveSettings(settings) {
  await put("meta", { ...DEFAULTS, ...settings }, "settings");
}
