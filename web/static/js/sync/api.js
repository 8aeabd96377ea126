// @ts-check
// The server's API as the app calls it: every failure mapped to an error a
// person can be told about, in the page's language.
import { lang, t } from "../lib/i18n.js";

// What api() throws: Unauthorized (401, this device is no longer in the
// account), RetryLater (429 or 5xx; `seconds` from Retry-After), Offline (no
// answer at all) and Refused (any other refusal; `code` is the server's).
export class Unauthorized extends Error {}
export class RetryLater extends Error {
  /** @param {string} message @param {number | null} seconds */
  constructor(message, seconds) { super(message); this.seconds = seconds; }
}
export class Offline extends Error {}
export class Refused extends Error {
  /** @param {string} message @param {string | undefined} code */
  constructor(message, code) { super(message); this.code = code; }
}

/** The words for an error code of the server, in the page's language (the
 * server words its messages in English only).
 * @param {string | undefined} code
 * @returns {string | null} */
export function serverMessage(code) {
  switch (code) {
    case "invalid_pairing_code":
      return t("That pairing code is wrong, used or expired. Make a new one on your other device.");
    case "invalid_recovery_code": return t("That recovery code is not right.");
    case "unknown_device": return t("That device is no longer part of the account.");
    case "unauthorized": return t("This device is no longer part of the account.");
    case "too_many_requests": return t("Too many tries. Wait a minute and try again.");
    case "database_unavailable": return t("The server cannot reach its database. Try again shortly.");
    case "too_many_changes":
    case "payload_too_large": return t("That is more than the server takes at once.");
    // Answers the app's own requests should never get: a server of another version.
    case "bad_request":
    case "conflict":
    case "forbidden":
    case "http_error":
    case "method_not_allowed":
    case "not_acceptable":
    case "not_found":
    case "unknown_exercise":
    case "unsupported_media_type":
    case "invalid_request": return t("The server did not accept the request.");
    case "invalid_endpoint": return t("This browser's notification service cannot be used.");
    case "no_reminder": return t("This device has no notifications set.");
    case "data_too_large": return t("This session is too large to sync.");
    case "quota_exceeded": return t("The account is full on the server: this session stays here, not synced.");
    case "too_many_devices": return t("This account has as many devices as it may have. Remove one first.");
    case "invalid_data":
    case "invalid_change":
    case "invalid_settings_id":
    case "type_mismatch":
    case "unknown_type": return t("The server did not accept this change.");
    default: return null;
  }
}

/** A rejection as the server sent it, worded for this page.
 * @param {{code?: string, message?: string} | undefined} error */
export function worded(error) {
  const message = serverMessage(error?.code) ?? ((lang === "en" && error?.message)
    || t("The server did not accept this change."));
  return { ...error, message };
}

/** Call the API; map every failure to one a person can be told about.
 * Resolves with the answer's JSON (as Response#json: its shape is the endpoint's).
 * @param {string} path
 * @param {{method?: string, body?: unknown, token?: string}} [options]
 * @returns {Promise<any>} */
export async function api(path, { method = "GET", body, token } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Offline(t("No connection to the server."));
  }
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => null);
  if (response.ok) return payload;
  const code = payload?.error?.code;
  // English pages keep the server's own words for a code this app does not know.
  const message = serverMessage(code) ?? ((lang === "en" && payload?.error?.message)
    || t("The server answered {status}.", { status: response.status }));
  if (response.status === 401) throw new Unauthorized(message);
  if (response.status === 429 || response.status >= 500) {
    throw new RetryLater(message, Number(response.headers.get("Retry-After")) || null);
  }
  throw new Refused(message, code);
}
