// @ts-check
// Keep the screen on while the player runs; ask again when the page returns,
// since the browser drops the lock whenever the page is hidden.
/** @type {WakeLockSentinel | null} */
let sentinel = null;
let wanted = false;

async function acquire() {
  if (!wanted || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  try {
    sentinel = await navigator.wakeLock.request("screen");
    sentinel.addEventListener?.("release", () => { sentinel = null; });
  } catch (error) {
    // Low battery or a policy said no: the workout goes on regardless.
    console.warn("The screen may turn off during the workout:", /** @type {Error} */ (error).message);
  }
}

document.addEventListener("visibilitychange", () => {
  if (wanted && !sentinel) acquire();
});

export function keepScreenOn() {
  wanted = true;
  if (!sentinel) acquire();
}

export function letScreenSleep() {
  wanted = false;
  sentinel?.release().catch(() => {});
  sentinel = null;
}
