// @ts-check
// "About 18 minutes": how long the next workout takes, worked out from the
// timeline the player will run (pacing.js), at the user's pace, with the
// plan's counts and the time this device's voice takes to speak. The home
// page and /workout say the same.
import * as pacing from "./pacing.js";
import { routineUrl, tn } from "../lib/i18n.js";
import { loadSettings } from "../settings/settings-store.js";
import { planningPace } from "./voice-pace.js";
import { defaultPlan } from "./plan.js";

/**
 * "about 18 minutes" for a workout of `ms`.
 * @param {number} ms
 */
export function minutesText(ms) {
  return tn(Math.max(1, Math.round(ms / 60000)), "about {n} minute", "about {n} minutes");
}

/**
 * The milliseconds a workout of `plan` takes for these settings and this voice pace.
 * @param {import("#types").Routine} routine
 * @param {string} tempo
 * @param {import("#types").Plan | null} plan
 * @param {number | null} msPerWord
 */
function workoutMs(routine, tempo, plan, msPerWord) {
  return pacing.totalMs(pacing.buildTimeline(routine, tempo, plan, msPerWord));
}

/**
 * Fill `element` with the next workout's length (the server's estimate stays on failure).
 * @param {Element} element
 */
export async function showDuration(element) {
  const [routine, settings] = await Promise.all([fetch(routineUrl).then((r) => r.json()), loadSettings()]);
  const [plan, pace] = await Promise.all([defaultPlan(routine), planningPace(settings)]);
  element.textContent = minutesText(workoutMs(routine, settings.tempo, plan, pace));
}
