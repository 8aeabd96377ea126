// What the user hears and feels on the mat: a voice, beeps and vibration. The
// voice speaks the page's language, with a voice of the device's for it; a
// device with none for the language stays silent (the beeps and the counter
// carry the workout) rather than read Spanish with an English voice.
import { lang, locale } from "./i18n.js";

const VOICE_WAIT_MS = 1500;
let audio = null;

function speaks() {
  return typeof window !== "undefined" && "speechSynthesis" in window;
}

/** "es_ES" and "ES-es" alike: "es-es". */
function normal(tag) {
  return String(tag ?? "").toLowerCase().replace(/_/g, "-");
}

/** The tag to speak a language in: the device's own variant of it, else the language. */
function localeOf(language) {
  if (language === lang) return locale;
  return (globalThis.navigator?.languages ?? [])
    .find((tag) => tag.split("-")[0].toLowerCase() === language) ?? language;
}

/**
 * The device's voice for a language among the voices loaded now: the one for
 * the exact locale, else the first of the language; null when there is none,
 * undefined while the device has not listed its voices yet.
 */
function pickVoice(language) {
  if (!speaks()) return null;
  const voices = speechSynthesis.getVoices?.() ?? [];
  if (!voices.length) return undefined;
  const wanted = normal(localeOf(language));
  return voices.find((voice) => normal(voice.lang) === wanted)
    ?? voices.find((voice) => normal(voice.lang).split("-")[0] === language)
    ?? null;
}

/** Wait for the device to list its voices (they load late), at most a moment. */
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

/** The SpeechSynthesisVoice to speak `language` with, or null when the device has none. */
export async function voiceFor(language = lang) {
  const now = pickVoice(language);
  if (now !== undefined) return now;
  await voicesLoaded();
  return pickVoice(language) ?? null;
}

export function createCues(settings) {
  // undefined while the voices load; null when there is none for the language.
  let voice = pickVoice(lang);
  let waiting = null; // the latest cue said before the voices were known
  const speak = (text) => {
    speechSynthesis.cancel(); // never queue behind a stale cue
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = locale;
    utterance.voice = voice;
    utterance.rate = 0.95;
    speechSynthesis.speak(utterance);
  };
  if (speaks()) {
    speechSynthesis.addEventListener?.("voiceschanged", () => {
      const found = pickVoice(lang);
      if (found !== undefined) voice = found;
    });
    if (voice === undefined) {
      voiceFor(lang).then((found) => {
        if (voice === undefined) voice = found;
        const text = waiting;
        waiting = null;
        if (text !== null && voice && settings.voice) speak(text);
      });
    }
  }
  return {
    say(text) {
      if (!settings.voice || !speaks()) return;
      if (voice === undefined) {
        waiting = text;
        return;
      }
      if (voice) speak(text);
    },
    beep(kind = "phase") {
      if (!settings.beeps) return;
      tone(kind === "count" ? 660 : 880, kind === "count" ? 0.08 : 0.15);
    },
    buzz() {
      if (settings.vibration && "vibrate" in navigator) navigator.vibrate(80);
    },
    stop() {
      waiting = null;
      if (speaks()) speechSynthesis.cancel();
    },
  };
}

/** Unlock audio during a tap: browsers only allow sound after a user gesture. */
export function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  audio ??= new Context();
  if (audio.state === "suspended") audio.resume().catch(() => {});
}

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
