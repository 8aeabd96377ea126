// @ts-check
// The safety check's rules, DOM-free: when it must be answered before Start,
// and what its answers mean. The warning signs follow the red flags of NICE
// NG59 (server/sync/records.py SAFETY_SIGNS): the first group calls for
// emergency care, any other for a doctor first. The answers live in the synced
// settings record, so every device of an account asks, and is cleared, once.
import { t } from "../lib/i18n.js";
import { SAFETY_PAIN, SAFETY_RECHECK_DAYS, URGENT_SIGNS } from "../lib/rules.js";
import { DAY_MS } from "../progress/days.js";

export const RECHECK_MS = SAFETY_RECHECK_DAYS * DAY_MS;

/** @typedef {import("#types").SafetyCheck} SafetyCheck */
/** @typedef {{pain_after: number | null, ended_at: string | null}} Ended */

/**
 * Why the check stands before Start, or null when Start may show:
 * "first" (never answered), "weeks" (answered 12 weeks ago or more), "pain" (a
 * session ended with pain of 7 or more since), "held" (a warning sign, not
 * cleared by a health professional yet).
 * @param {SafetyCheck | null | undefined} safety
 * @param {Ended[]} since the sessions that started since it was answered
 * @param {number} now ms
 * @returns {"first" | "weeks" | "pain" | "held" | null}
 */
export function safetyNeed(safety, since, now) {
  if (!safety) return "first";
  const answered = Date.parse(safety.answered_at);
  if (!(now - answered < RECHECK_MS)) return "weeks";
  if (painfulSince(safety, since)) return "pain";
  if (safety.yes.length && !safety.cleared_at) return "held";
  return null;
}

/**
 * The worst pain a session ended with after the check was answered, when it is
 * 7 or more; else null.
 * @param {SafetyCheck} safety
 * @param {Ended[]} since
 */
export function painfulSince(safety, since) {
  const answered = Date.parse(safety.answered_at);
  const pains = since.filter((s) => s.ended_at && Date.parse(s.ended_at) > answered)
    .map((s) => s.pain_after ?? 0).filter((pain) => pain >= SAFETY_PAIN);
  return pains.length ? Math.max(...pains) : null;
}

/**
 * What the answers mean: "urgent" (emergency care now), "doctor" (see a doctor
 * before starting) or "clear".
 * @param {readonly string[]} yes the signs answered yes
 * @returns {"urgent" | "doctor" | "clear"}
 */
export function verdict(yes) {
  if (yes.some((sign) => URGENT_SIGNS.includes(sign))) return "urgent";
  return yes.length ? "doctor" : "clear";
}

/** @param {string} sign @returns {string} the sign in a few words, for the summary */
function signWords(sign) {
  return {
    bladder_bowel: t("new trouble with the bladder or bowels"),
    saddle_numbness: t("numbness around the genitals or bottom"),
    leg_weakness: t("weakness or numbness spreading in the legs"),
    fever: t("a fever or feeling unwell"),
    injury: t("a fall, an accident or an injury"),
    weight_loss: t("weight lost without trying"),
    cancer: t("cancer in the past"),
    night_pain: t("night pain that no position eases"),
    age: t("new back pain, under 20 or over 50"),
  }[sign] ?? sign;
}

/**
 * The safety check in a sentence or two for /summary: when it was answered,
 * the signs answered yes, and whether a health professional cleared them.
 * @param {SafetyCheck | null | undefined} safety
 * @param {Intl.DateTimeFormat} day
 */
export function safetySummary(safety, day) {
  if (!safety) return t("The safety questions have not been answered on this device yet.");
  const answered = day.format(new Date(safety.answered_at));
  if (!safety.yes.length) return t("Answered on {day}: no warning signs.", { day: answered });
  const said = t("Answered on {day}: yes to {signs}.", { day: answered, signs: safety.yes.map(signWords).join("; ") });
  const cleared = safety.cleared_at
    ? t("A health professional cleared the exercises on {day}.", { day: day.format(new Date(safety.cleared_at)) })
    : t("Not yet cleared by a health professional.");
  return `${said} ${cleared}`;
}
