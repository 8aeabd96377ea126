// @ts-check
// What the user hears and feels on the mat: a voice, beeps and vibration.
//
// The voice finishes what it says. Cues wait in a queue instead of cutting
// each other off; only a count that has passed is dropped, and a safety
// message goes first. The player asks `pending(key)` before it leaves a
// phase, so a phase lasts as long as its sentence. Each sentence's start and
// end are measured, so the pace the timeline is planned with (pacing.js)
// follows this device's voice.
//
// The voice speaks the page's language with a voice of the device's for it.
// A device that lists no voices at all is given the language tag alone (the
// platform's default voice); one whose voices are all for other languages,
// or whose voice fails, stays silent, says so once on the stage, and the
// beeps and the counter carry the workout.
import { lang, locale, t } from "../lib/i18n.js";
import { speechMs } from "./timeline.js";
import { loadMeasured, measure, msPerWord } from "./voice-pace.js";

const VOICE_WAIT_MS = 1500;
/** A sentence that has not started this long after speak() never will. */
const START_TIMEOUT_MS = 2000;
/** Chrome drops a speak() that follows cancel() at once: wait this long. */
const AFTER_CANCEL_MS = 250;
/** A count not yet begun this long after its second came is wrong: dropped. */
const COUNT_STALE_MS = 600;
const RATE = 0.95;

/** @type {AudioContext | null} */
let audio = null;

/**
 * A sentence waiting to be said: `at` is when it was asked for (performance.now()).
 * @typedef {{text: string, kind: CueKind, key: object | null, at: number}} CueItem
 * @typedef {"instruction" | "count" | "safety"} CueKind
 */

function speaks() {
  return typeof window !== "undefined" && "speechSynthesis" in window;
}

/**
 * "es_ES" and "ES-es" alike: "es-es".
 * @param {string | null | undefined} tag
 */
function normal(tag) {
  return String(tag ?? "").toLowerCase().replace(/_/g, "-");
}

/**
 * The tag to speak a language in: the device's own variant of it, else the language.
 * @param {string} language
 */
function localeOf(language) {
  if (language === lang) return locale;
  return (globalThis.navigator?.languages ?? [])
    .find((tag) => tag.split("-")[0].toLowerCase() === language) ?? language;
}

/**
 * The device's voice for a language among the voices it lists now: the one
 * for the exact locale, else the first of the language. "default" when the
 * device lists no voices at all (the platform speaks the tag with its own),
 * null when its voices are all for other languages, undefined while they
 * have not been listed yet.
 * @param {string} language
 * @param {boolean} [settled] the voices had their time to load
 * @returns {SpeechSynthesisVoice | "default" | null | undefined}
 */
function pickVoice(language, settled = false) {
  if (!speaks()) return null;
  const voices = speechSynthesis.getVoices?.() ?? [];
  if (!voices.length) return settled ? "default" : undefined;
  const wanted = normal(localeOf(language));
  return voices.find((voice) => normal(voice.lang) === wanted)
    ?? voices.find((voice) => normal(voice.lang).split("-")[0] === language)
    ?? null;
}

/**
 * Wait for the device to list its voices (they load late), at most a moment.
 * @returns {Promise<void>}
 */
function voicesLoaded() {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      speechSynthesis.removeEventListener?.("voiceschanged", done);
      resolve();
    };
    const timer = setTimeout(done, VOICE_WAIT_MS);
    speechSynthesis.addEventListener?.("voiceschanged", done);
  });
}

/** The SpeechSynthesisVoice to speak `language` with; "default" when the device
 * lists none at all, null when it has none for the language.
 * @param {string} [language]
 */
export async function voiceFor(language = lang) {
  const now = pickVoice(language);
  if (now !== undefined) return now;
  await voicesLoaded();
  return pickVoice(language, true);
}

/**
 * The workout's voice. `onSilent(message)` is called once when the device
 * turns out to have no voice to speak with.
 * @param {{voice: boolean, beeps: boolean, vibration: boolean}} settings
 * @param {{onSilent?: (message: string) => void}} [options]
 */
export function createCues(settings, { onSilent = () => {} } = {}) {
  // undefined while the voices load; null when there is none for the language.
  let voice = pickVoice(lang);
  let silent = false;
  /** @type {CueItem[]} */
  let queue = [];
  /** @type {{item: CueItem, utterance: SpeechSynthesisUtterance, startedAt: number | null} | null} */
  let current = null;
  let resumeAt = 0; // no speak() before this, after a cancel()
  /** @type {ReturnType<typeof setTimeout> | null} */
  let pumpTimer = null;
  let measured = { ms: 0, words: 0 };
  loadMeasured().then((saved) => { measured = { ms: measured.ms + saved.ms, words: measured.words + saved.words }; });

  /** @param {string} message */
  const goSilent = (message) => {
    if (silent) return;
    silent = true;
    queue = [];
    onSilent(message);
  };

  /** @type {(text: string, ms: number) => void} */
  const learn = (text, ms) => {
    const words = String(text).split(/\s+/).filter(Boolean).length;
    if (words && ms > 0) measured = measure(measured, words, ms);
  };

  /** @type {(utterance: SpeechSynthesisUtterance, error?: string | null) => void} */
  const finished = (utterance, error = null) => {
    if (current?.utterance !== utterance) return;
    const { item, startedAt } = current;
    current = null;
    if (!error && startedAt !== null) learn(item.text, performance.now() - startedAt);
    if (error && error !== "interrupted" && error !== "canceled") {
      goSilent(t("This device's voice is not working, so the beeps and the counter lead you."));
    }
    pump();
  };

  /** @param {CueItem} item */
  const speakNow = (item) => {
    const utterance = new SpeechSynthesisUtterance(item.text);
    utterance.lang = locale;
    if (voice && voice !== "default") utterance.voice = voice;
    utterance.rate = RATE;
    current = { item, utterance, startedAt: null };
    utterance.addEventListener?.("start", () => {
      if (current?.utterance === utterance) current.startedAt = performance.now();
    });
    utterance.addEventListener?.("end", () => finished(utterance));
    utterance.addEventListener?.("error", (event) => finished(utterance, event.error ?? "error"));
    speechSynthesis.speak(utterance);
    setTimeout(() => {
      const waiting = current?.utterance === utterance && current.startedAt === null;
      if (waiting && !speechSynthesis.speaking) {
        current = null;
        goSilent(t("This device has no voice to speak with, so the beeps and the counter lead you."));
      }
    }, START_TIMEOUT_MS);
    // A browser that never says a sentence ended: go on once it surely has.
    setTimeout(() => finished(utterance), START_TIMEOUT_MS + 2 * speechMs(item.text, msPerWord(measured)));
  };

  /** @returns {void} */
  const pump = () => {
    if (current || silent || voice === undefined || !queue.length) return;
    const wait = resumeAt - performance.now();
    if (wait > 0) {
      pumpTimer ??= setTimeout(() => { pumpTimer = null; pump(); }, wait);
      return;
    }
    const item = /** @type {CueItem} */ (queue.shift()); // the queue has one at least
    if (item.kind === "count" && performance.now() - item.at > COUNT_STALE_MS) {
      pump();
      return;
    }
    speakNow(item);
  };

  const cancel = () => {
    const utterance = current?.utterance;
    current = null;
    if (!utterance && !speechSynthesis.speaking) return;
    speechSynthesis.cancel();
    resumeAt = performance.now() + AFTER_CANCEL_MS;
  };

  if (speaks()) {
    speechSynthesis.addEventListener?.("voiceschanged", () => {
      const found = pickVoice(lang);
      if (found !== undefined && voice !== found) voice = found;
      pump();
    });
    if (voice === undefined) {
      voiceFor(lang).then((found) => {
        if (voice === undefined) voice = found;
        if (voice === null && settings.voice) {
          goSilent(t("This device has no voice for this language, so the beeps and the counter lead you."));
        }
        pump();
      });
    }
  }

  const enabled = () => settings.voice && speaks() && !silent && voice !== null;
  return {
    /**
     * Say a sentence. `kind` is "instruction" (waits its turn, never dropped),
     * "count" (said only when nothing else is, else dropped: it would be
     * late) or "safety" (goes first and is never cut). `key` names what the
     * sentence belongs to, for pending().
     * @param {string} text
     * @param {{kind?: CueKind, key?: object | null}} [options]
     */
    say(text, { kind = "instruction", key = null } = {}) {
      if (!enabled()) return;
      /** @type {CueItem} */
      const item = { text, kind, key, at: performance.now() };
      if (kind === "count") {
        if (current || queue.length) return;
        queue.push(item);
      } else if (kind === "safety") {
        queue = [...queue.filter((queued) => queued.kind === "safety"), item];
        if (current && current.item.kind !== "safety") cancel();
      } else {
        queue = [...queue.filter((queued) => queued.kind !== "count"), item];
      }
      pump();
    },
    /**
     * Whether a sentence for `key` is still to be heard, or being heard.
     * @param {object} key
     */
    pending(key) {
      if (!enabled()) return false;
      return current?.item.key === key || queue.some((item) => item.key === key);
    },
    /** @param {"phase" | "count"} [kind] */
    beep(kind = "phase") {
      if (!settings.beeps) return;
      tone(kind === "count" ? 660 : 880, kind === "count" ? 0.08 : 0.15);
    },
    buzz() {
      if (settings.vibration && "vibrate" in navigator) navigator.vibrate(80);
    },
    /** Forget what is still to be said; the sentence in progress ends as it should. */
    clear() {
      queue = [];
    },
    /** Silence now: the page is going away. */
    stop() {
      queue = [];
      if (speaks()) cancel();
    },
  };
}

/** Unlock audio during a tap: browsers only allow sound after a user gesture. */
export function unlockAudio() {
  // Older Safari has it by its prefixed name only.
  const Context = window.AudioContext
    || /** @type {{webkitAudioContext?: typeof AudioContext}} */ (/** @type {unknown} */ (window)).webkitAudioContext;
  if (!Context) return;
  audio ??= new Context();
  if (audio.state === "suspended") audio.resume().catch(() => {});
}

/**
 * @param {number} frequency
 * @param {number} seconds
 */
function tone(frequency, seconds) {
  if (!audio) return;
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.2, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + seconds);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + seconds);
}
