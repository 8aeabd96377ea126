"""Shared steps of the browser tests."""

import time
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page

# Records what the app asks the browser to say and to keep on, without
# making a sound: installed before any script of the page runs. The voice is a
# stand-in that takes time to speak, as a phone does: about 330 ms a word at
# rate 0.95, one sentence at a time, firing start and end (and error when it is
# cancelled), on the page's timers (so Playwright's clock drives it). It logs
# every sentence in window.__speech: {text, start, end, cut}.
SPIES = """
window.__spoken = [];
window.__said = [];
window.__speech = [];
window.__speakAfterCancel = [];
window.__msPerWord = 330;
window.__wakeLocks = [];
// A voice per language, as a phone has (headless Chromium has none); a test
// may empty the list to play a device without a voice for its language.
window.__voices = [["en-US", "English"], ["es-ES", "Español"], ["de-DE", "Deutsch"]]
  .map(([lang, name]) => ({ lang, name, voiceURI: name, localService: true, default: false }));
if (window.speechSynthesis) {
  window.SpeechSynthesisUtterance = class extends EventTarget {
    constructor(text) {
      super();
      Object.assign(this, { text, lang: "", voice: null, rate: 1 });
    }
  };
  const queue = [];
  let now = null; // {utterance, entry, timer}
  let cancelledAt = -Infinity;
  const fire = (utterance, type, error) => {
    const event = new Event(type);
    if (error) event.error = error;
    utterance.dispatchEvent(event);
  };
  const next = () => {
    if (now || !queue.length) return;
    const utterance = queue.shift();
    const entry = { text: utterance.text, start: performance.now(), end: null, cut: false };
    window.__speech.push(entry);
    const words = utterance.text.split(/\\s+/).filter(Boolean).length;
    const ms = (words * window.__msPerWord * 0.95) / (utterance.rate || 1);
    now = { utterance, entry, timer: setTimeout(() => {
      entry.end = performance.now();
      now = null;
      fire(utterance, "end");
      next();
    }, ms) };
    fire(utterance, "start");
  };
  speechSynthesis.getVoices = () => window.__voices;
  Object.defineProperty(speechSynthesis, "speaking",
    { configurable: true, get: () => now !== null });
  speechSynthesis.speak = (utterance) => {
    window.__spoken.push(utterance.text);
    window.__said.push({ text: utterance.text, lang: utterance.lang,
      voice: utterance.voice ? utterance.voice.lang : null });
    if (performance.now() - cancelledAt < 50) window.__speakAfterCancel.push(utterance.text);
    queue.push(utterance);
    setTimeout(next, 0);
  };
  speechSynthesis.cancel = () => {
    cancelledAt = performance.now();
    if (now) {
      clearTimeout(now.timer);
      Object.assign(now.entry, { end: performance.now(), cut: true });
      const { utterance } = now;
      now = null;
      fire(utterance, "error", "interrupted");
    }
    for (const utterance of queue.splice(0)) fire(utterance, "error", "canceled");
  };
}
window.__vibrations = [];
navigator.vibrate = (pattern) => { window.__vibrations.push(pattern); return true; };
window.__tones = 0;
if (window.OscillatorNode) {
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__tones += 1;
    return start.apply(this, args);
  };
}
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: {
  request: async (type) => {
    window.__wakeLocks.push(type);
    return { release: async () => {}, addEventListener() {} };
  },
}});
"""

READ_STORES = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("spine-routine");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction(["sessions", "outbox", "meta"]);
    const out = {};
    tx.objectStore("sessions").getAll().onsuccess = (e) => { out.sessions = e.target.result; };
    tx.objectStore("outbox").getAll().onsuccess = (e) => { out.outbox = e.target.result; };
    tx.objectStore("meta").get("workout").onsuccess = (e) => { out.progress = e.target.result; };
    tx.oncomplete = () => { db.close(); resolve(out); };
  };
})"""

# Read one value of the meta store (settings, workout progress).
READ_META = """(key) => new Promise((resolve, reject) => {
  const open = indexedDB.open("spine-routine");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const request = db.transaction("meta").objectStore("meta").get(key);
    request.onsuccess = () => { db.close(); resolve(request.result); };
  };
})"""


SETTINGS_ID = "00000000-0000-4000-8000-000000000001"

# Read the settings the app keeps (the data of its synced settings record).
READ_SETTINGS = f"""() => new Promise((resolve, reject) => {{
  const open = indexedDB.open("spine-routine");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {{
    const db = open.result;
    const request = db.transaction("settings").objectStore("settings").get("{SETTINGS_ID}");
    request.onsuccess = () => {{ db.close(); resolve(request.result?.data); }};
  }};
}})"""


PUT = """([store, value, key]) => new Promise((resolve, reject) => {
  const open = indexedDB.open("spine-routine");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction(store, "readwrite");
    tx.objectStore(store).put(value, ...(key === null ? [] : [key]));
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})"""


def put(page: Page, store: str, value: Any, key: str | None = None) -> None:
    """Write one value into a store of the app's IndexedDB, as some version of it did."""
    page.evaluate(PUT, [store, value, key])


def module_runner(page: Page, base_url: str, module: str, prelude: str = "") -> Any:
    """A function that evaluates a body with a DOM-free module of the app, the served
    routine and `prelude` in scope: unit tests in the browser, so the suite needs no Node.

    `module` is its path under static/js/ without `.js` ("workout/pacing"); the body
    names it by its file name ("pacing"; "json-slices" as json_slices)."""
    page.goto(base_url + "/about")
    name = module.rsplit("/", 1)[-1].replace("-", "_")

    def call(body: str, arg: Any = None) -> Any:
        return page.evaluate(
            f"""async (arg) => {{
                const {name} = await import("/static/js/{module}.js");
                const routine = await (await fetch("/api/v1/routine")).json();
                {prelude}
                {body}
            }}""",
            arg,
        )

    return call


def wait_for_control(page: Page) -> None:
    """Wait until the worker is active and controls the page (before going offline).

    Predicates are written as functions: Playwright evaluates a bare expression
    with eval(), which our CSP (rightly) refuses.
    """
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def go_offline(page: Page, context: BrowserContext, base_url: str) -> None:
    """Visit once so the worker installs, then cut the network."""
    page.goto(base_url + "/")
    wait_for_control(page)
    context.set_offline(True)


def stores(page: Page) -> dict[str, Any]:
    return dict(page.evaluate(READ_STORES))


def wait_until(page: Page, script: str, arg: Any = None, timeout: float = 10) -> None:
    """Poll an async page function until it resolves truthy.

    Playwright's wait_for_function takes a returned promise as truthy without
    awaiting it, so checks that read IndexedDB or caches poll through here.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {script}")
        time.sleep(0.05)


def run_until(
    page: Page,
    locator: Locator,
    text: str | None = None,
    *,
    step_ms: int = 500,
    max_ms: int = 3_600_000,
) -> int:
    """Let the page's clock run in steps until `locator` is visible (and shows `text`).

    The player's phases last as long as their spoken cues, so tests wait for
    what a person would see rather than sum up the seconds. Returns the ms run.
    """
    ran = 0
    while ran <= max_ms:
        if locator.is_visible() and (text is None or locator.inner_text() == text):
            return ran
        page.clock.run_for(step_ms)
        ran += step_ms
    raise AssertionError(f"after {max_ms} ms, {locator} still does not show {text!r}")
