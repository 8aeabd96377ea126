// @ts-check
// What kind of device this is, from its own user agent, so a device that turns
// sync on or joins is listed as "Phone", "Tablet" or "Computer" until the user
// names it. DOM-free, so it is tested on its own with many user agents.

/**
 * "phone", "tablet" or "computer".
 * @param {{userAgent?: string, mobile?: boolean, maxTouchPoints?: number}} device
 *   `mobile` is navigator.userAgentData.mobile where the browser has it.
 * @returns {"phone" | "tablet" | "computer"}
 */
export function deviceKind({ userAgent = "", mobile, maxTouchPoints = 0 } = {}) {
  // Client hints say "mobile" for phones only; `false` does not tell a tablet
  // from a computer, and a user agent set by hand leaves it false: ask the UA.
  if (mobile === true) return "phone";
  if (/\biPad\b|\bTablet\b|\bKindle\b|\bSilk\//i.test(userAgent)) return "tablet";
  // iPadOS asks for the desktop site by default: a "Mac" with a touch screen.
  if (/\bMacintosh\b/.test(userAgent) && maxTouchPoints > 1) return "tablet";
  if (/\biPhone\b|\biPod\b|Windows Phone|\bMobi/i.test(userAgent)) return "phone";
  // Android phones say "Mobile"; Android tablets do not.
  if (/\bAndroid\b/i.test(userAgent)) return "tablet";
  return "computer";
}

/** This browser's kind. */
export function thisDeviceKind() {
  return deviceKind({
    userAgent: navigator.userAgent,
    mobile: /** @type {any} */ (navigator).userAgentData?.mobile,
    maxTouchPoints: navigator.maxTouchPoints,
  });
}
