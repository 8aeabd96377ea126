// /settings: cue and pace choices, saved as soon as they change.
import { loadSettings, saveSettings } from "./settings-store.js";

export async function startSettingsPage(form) {
  const settings = await loadSettings();
  for (const name of ["voice", "beeps", "vibration"]) form.elements[name].checked = settings[name];
  form.elements.tempo.value = settings.tempo;
  form.addEventListener("change", async () => {
    await saveSettings({
      voice: form.elements.voice.checked,
      beeps: form.elements.beeps.checked,
      vibration: form.elements.vibration.checked,
      tempo: form.elements.tempo.value,
    });
    form.querySelector("[data-saved]").textContent = "Saved on this device.";
  });
}
