// @ts-check
// Settings: the cues and goal, reminders, sync, your data and its storage.
import { showStorage } from "../app/storage.js";
import { startDataSection } from "../data/data-page.js";
import { startReminders } from "../reminders/reminders.js";
import { showVoiceNote, startSettingsPage } from "../settings/settings-page.js";
import { startSyncSettings } from "../sync/sync-settings.js";

/** @param {string} id */
const section = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

startSettingsPage(section("cue-settings"));
showVoiceNote(section("voice-note"));
showStorage(section("storage"));
startDataSection(section("your-data"));
startReminders(section("reminders"));
startSyncSettings(section("sync"));
