// @ts-check
// Each exercise's target for the next workout, read from a tally, the choice of
// an offered version, and the target in words with why.
import { t, tn } from "../lib/i18n.js";
import { tallyOf } from "./tally.js";
import { firstTarget, holdRange } from "./plan-rules.js";

/** @typedef {import("#types").Target} Target */
/** @typedef {import("#types").Exercise} Exercise */

/**
 * Each exercise's target for the next workout, from the logs alone:
 * - start at the routine's minimum reps (per side) and minimum hold;
 * - after a session where the exercise was done at its target, not rated hard
 *   or painful, and pain after was not above pain before: one rep more, and
 *   one second more of hold, up to the routine's maximum;
 * - at the maximum twice in a row with pain after at most 3: the next harder
 *   version is offered (never switched to without the user's say);
 * - rated painful, "It hurts" pressed, or pain after 2 or more above pain
 *   before: back to the minimum, off the harder version, the easier one offered;
 * - while cautionStep() holds a caution, no target rises.
 * A session that logged its `target` is judged against it (a plan reset or a
 * target planned on another device); older logs against the derived one.
 * Sessions before `resetAt` (an ISO time) are ignored: the plan was reset.
 * `source` is a tally made with the routine, or an array of logs.
 * Returns {targets: {exerciseId: {reps, hold, variation, reason, offer}}, caution}.
 * @param {import("#types").Tally | import("#types").SessionData[]} source
 * @param {import("#types").Routine} routine
 * @param {{resetAt?: string | null}} [options]
 */
export function nextTargets(source, routine, { resetAt = null } = {}) {
  const tally = Array.isArray(source) ? tallyOf(source, routine, { resetAt }) : source;
  // A tally made with a routine has a plan.
  const plan = /** @type {NonNullable<import("#types").Tally["plan"]>} */ (tally.plan);
  /** @type {Record<string, Target & {calmAtTop?: number}>} */
  const targets = {};
  for (const [id, { calmAtTop, ...target }] of Object.entries(plan.targets)) {
    const exercise = /** @type {Exercise} */ (routine.exercises.find((e) => e.id === id));
    targets[id] = plan.resetAt && !plan.after ? { ...firstTarget(exercise), reason: { kind: "reset" } }
      : target;
    delete targets[id].calmAtTop;
  }
  return { targets: /** @type {Record<string, Target>} */ (targets), caution: tally.health.caution };
}

/** The target with an offer taken: a harder version starts again at the minimum.
 * @param {Target} target @param {Exercise} exercise @param {boolean} accepted
 * @returns {Target} */
export function withOffer(target, exercise, accepted) {
  if (!accepted || !target.offer) return target;
  const { direction, variation } = target.offer;
  if (direction === "harder") {
    return { ...target, variation, reps: exercise.reps.min, hold: holdRange(exercise)?.min ?? null,
      reason: { kind: "new-version", from: target.reps } };
  }
  return { ...target, variation };
}

/** @param {Exercise} exercise @param {string} id */
function variationName(exercise, id) {
  const variation = exercise.variations.find((v) => v.id === id);
  return variation ? variation.name.charAt(0).toLowerCase() + variation.name.slice(1) : "";
}

/** The target in words, with why: "13 reps: up from 12 last time".
 * @param {Target} target @param {Exercise} exercise */
export function explain(target, exercise) {
  const sided = exercise.sides !== "none";
  const { kind, why, from } = target.reason;
  const range = exercise.hold_seconds;
  const holding = (/** @type {string} */ what) => (target.hold && range && range.max > range.min
    ? tn(target.hold, "{what}, holding {n} second", "{what}, holding {n} seconds", { what }) : what);
  const versioned = (/** @type {string} */ what) => (target.variation
    ? t("{what} {variation}", { what, variation: variationName(exercise, target.variation) }) : what);
  const count = sided ? tn(target.reps, "{n} rep on each side", "{n} reps on each side")
    : tn(target.reps, "{n} rep", "{n} reps");
  const what = versioned(holding(count));
  switch (kind) {
    case "up": return t("{what}: up from {from} last time", { what, from });
    case "hold-up": return t("{what}: a second longer than last time", { what });
    case "top": return t("{what}: the most the routine asks", { what });
    case "same": return sameText(why, what);
    case "eased": return target.reps < (from ?? 0)
      ? easedBack(why, versioned(holding(sided ? t("{reps} on each side", { reps: target.reps })
        : String(target.reps))))
      : easedHere(why, what);
    case "new-version": return t("{what}: a fresh start on the harder version", { what });
    case "reset": return t("{what}: the routine's starting count", { what: holding(count) });
    // The start ("10 reps: a gentle start"): the page says it already, in the
    // server's words (the `planned` macro), so the wording lives in one place.
    default: return null;
  }
}

/** @param {string | undefined} why @param {string} what */
function sameText(why, what) {
  switch (why) {
    case "skipped": return t("{what}: skipped last time, so no change", { what });
    case "not-all-done": return t("{what}: the same again, to finish them all", { what });
    case "hard": return t("{what}: the same again, it felt hard last time", { what });
    case "pain-up": return t("{what}: the same again, your pain was a little higher after last time", { what });
    default: return t("{what}: no increase until your pain eases", { what });
  }
}

/** Eased back to fewer reps: "Back to 10 on each side: it hurt last time". */
/** @param {string | undefined} why @param {string} what */
function easedBack(why, what) {
  switch (why) {
    case "hurt": return t("Back to {what}: it hurt last time", { what });
    case "painful": return t("Back to {what}: it felt painful last time", { what });
    default: return t("Back to {what}: your pain rose after last time", { what });
  }
}

/** Eased, already at the fewest reps. */
/** @param {string | undefined} why @param {string} what */
function easedHere(why, what) {
  switch (why) {
    case "hurt": return t("{what}, no more for now: it hurt last time", { what });
    case "painful": return t("{what}, no more for now: it felt painful last time", { what });
    default: return t("{what}, no more for now: your pain rose after last time", { what });
  }
}
