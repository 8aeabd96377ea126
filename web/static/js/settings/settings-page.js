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
  const said = /** @type {HTMLElement} */ (form.querySelector("[data-saved]"));
  // Only the choice that changed is saved: the others are as the device holds them.
  /** @type {Record<string, () => unknown>} */
  const values = {
    weekly_goal: () => Number(group("weekly_goal").value),
    tempo: () => group("tempo").value,
  };
  form.addEventListener("change", async (event) => {
    const { name } = /** @type {HTMLInputElement} */ (event.target);
    try {
      await saveSettings({ [name]: values[name]?.() ?? box(name).checked });
    } catch (error) {
      said.textContent = t("Not saved: {problem}", { problem: error instanceof Error ? error.message : String(error) });
      return;
    }
    const synced = (await syncState())?.token;
    said.textContent = synced ? t("Saved. Your other devices get it at their next sync.") : t("Saved on this device.");
  });
}

/** Say, under the language choice, when this device has no voice for the page's language.
 * @param {HTMLElement} note */
export async function showVoiceNote(note) {
  note.hidden = "speechSynthesis" in window ? Boolean(await voiceFor(lang)) : false;
}
