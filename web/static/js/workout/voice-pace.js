// @ts-check
// How fast this device's voice speaks, measured sentence by sentence on the
// mat (cues.js) and kept on the device, so every page plans a workout, and
// says how long it takes, at the pace the user will hear.
import { get, put } from "../lib/db.js";
import { SPEECH } from "./timeline.js";

/** Where the measurements are kept (IndexedDB, store "meta"). */
const KEY = "voice-pace";
/** How many words of the default pace the measured one starts from. */
const PRIOR_WORDS = 20;
/** Older measurements fade to this many words' worth: the recent past counts most. */
const MEMORY_WORDS = 200;

/** @typedef {{ms: number, words: number}} Measured */

/**
 * The saved measurements: {ms, words} spoken so far.
 * @returns {Promise<Measured>}
 */
export async function loadMeasured() {
  return (await get("meta", KEY).catch(() => null)) ?? { ms: 0, words: 0 };
}

/**
 * Add a sentence of `words` words that took `ms` to say; returns the new measurements.
 * @param {Measured} measured
 * @param {number} words
 * @param {number} ms
 * @returns {Measured}
 */
export function measure(measured, words, ms) {
  const keep = Math.min(1, MEMORY_WORDS / (measured.words + words));
  const next = { ms: (measured.ms + ms) * keep, words: (measured.words + words) * keep };
  put("meta", next, KEY).catch(() => {});
  return next;
}

/**
 * Milliseconds a word, from the measurements, leaning on the default while they are few.
 * @param {Measured} measured
 */
export function msPerWord(measured) {
  return Math.round((PRIOR_WORDS * SPEECH.msPerWord + measured.ms) / (PRIOR_WORDS + measured.words));
}

/**
 * The pace to plan a workout with: ms a word when the voice is on, else null.
 * @param {{voice: boolean}} settings
 * @returns {Promise<number | null>}
 */
export async function planningPace(settings) {
  if (!settings.voice || typeof speechSynthesis === "undefined") return null;
  return msPerWord(await loadMeasured());
}
