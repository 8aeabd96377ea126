// /settings: the weekly goal, cue and pace choices, saved as soon as they change.
import { t } from "../lib/i18n.js";
import { loadSettings, saveSettings } from "./settings-store.js";
import { syncState } from "../sync/sync.js";

export async function startSettingsPage(form) {
  const settings = await loadSettings();
  for (const name of ["voice", "beeps", "vibration"]) form.elements[name].checked = settings[name];
  form.elements.tempo.value = settings.tempo;
  form.elements.weekly_goal.value = String(settings.weekly_goal);
  form.addEventListener("change", async () => {
    await saveSettings({
      weekly_goal: Number(form.elements.weekly_goal.value),
      voice: form.elements.voice.checked,
      beeps: form.elements.beeps.checked,
      vibration: form.elements.vibration.checked,
      tempo: form.elements.tempo.value,
    });
    const synced = (await syncState())?.token;
    form.querySelector("[data-saved]").textContent = synced
      ? t("Saved. Your other devices get it at their next sync.") : t("Saved on this device.");
  });
}
