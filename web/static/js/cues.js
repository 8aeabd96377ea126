// What the user hears and feels on the mat: a voice, beeps and vibration.
let audio = null;

export function createCues(settings) {
  return {
    say(text) {
      if (!settings.voice || !("speechSynthesis" in window)) return;
      speechSynthesis.cancel(); // never queue behind a stale cue
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "en";
      utterance.rate = 0.95;
      speechSynthesis.speak(utterance);
    },
    beep(kind = "phase") {
      if (!settings.beeps) return;
      tone(kind === "count" ? 660 : 880, kind === "count" ? 0.08 : 0.15);
    },
    buzz() {
      if (settings.vibration && "vibrate" in navigator) navigator.vibrate(80);
    },
    stop() {
      if ("speechSynthesis" in window) speechSynthesis.cancel();
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
