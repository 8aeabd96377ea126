// @ts-check
// Whether a workout is running. An update never reloads the page mid-workout:
// it waits until the workout is over.
const events = new EventTarget();
let running = false;

/** @param {unknown} value */
export function setWorkoutRunning(value) {
  running = Boolean(value);
  if (!running) events.dispatchEvent(new Event("idle"));
}

/**
 * Resolve once no workout is running.
 * @returns {Promise<void>}
 */
export function whenIdle() {
  if (!running) return Promise.resolve();
  return new Promise((resolve) => events.addEventListener("idle", () => resolve(), { once: true }));
}
