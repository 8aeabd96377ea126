// @ts-check
// /settings: the weekly goal, cue and pace choices, saved as soon as they change.
import { lang, t } from "../lib/i18n.js";
import { voiceFor } from "../workout/cues.js";
import { loadSettings, saveSettings } from "./settings-store.js";
import { syncState } from "../sync/state.js";

/** @param {HTMLElement} form the settings' <form id="cue-settings"> */
export async function startSettingsPage(form) {
  const { elements } = /** @type {HTMLFormElement} */ (form);
  // Checkboxes by name, and the radio groups (weekly_goal, tempo) as one value each.
  const box = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (elements.namedItem(name));
  const group = (/** @type {string} */ name) => /** @type {RadioNodeList} */ (elements.namedItem(name));
  const settings = await loadSettings();
  for (const name of /** @type {const} */ (["voice", "beeps", "vibration"])) box(name).checked = settings[name];
  group("tempo").value = settings.tempo;
  group("weekly_goal").value = String(settings.weekly_goal);
  form.addEventListener("change", async () => {
    await saveSettings({
      weekly_goal: Number(group("weekly_goal").value),
      voice: box("voice").checked,
      beeps: box("beeps").checked,
      vibration: box("vibration").checked,
      tempo: /** @type {import("#types").Settings["tempo"]} */ (group("tempo").value),
    });
    const synced = (await syncState())?.token;
    /** @type {HTMLElement} */ (form.querySelector("[data-saved]")).textContent = synced
      ? t("Saved. Your other devices get it at their next sync.") : t("Saved on this device.");
  });
}

/** Say, under the language choice, when this device has no voice for the page's language.
 * @param {HTMLElement} note */
export async function showVoiceNote(note) {
  note.hidden = "speechSynthesis" in window ? Boolean(await voiceFor(lang)) : false;
}
