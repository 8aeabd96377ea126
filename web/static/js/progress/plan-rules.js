// @ts-check
// The plan's rules (see nextTargets in targets.js): how one session moves one
// exercise's target, and when the app advises rest for pain. Folded into the
// tally, session by session (tally.js).

/** @typedef {import("#types").SessionData} SessionData */
/** @typedef {import("#types").Exercise} Exercise */
/** @typedef {import("#types").KeptTarget} Target */

const RAISE_BLOCKING_RATINGS = new Set(["hard", "painful"]);
const HIGH_PAIN = 7;
const LOW_PAIN = 3;

/** @param {SessionData} data */
function painRose(data) {
  return data.pain_before != null && data.pain_after != null && data.pain_after > data.pain_before;
}

/** @param {SessionData} data */
function painJump(data) {
  return data.pain_before != null && data.pain_after != null ? data.pain_after - data.pain_before : 0;
}

/**
 * Whether the app should, calmly, advise stopping and seeing a professional:
 * a session ended at pain 7 or more, or three sessions in a row ended with
 * more pain than they began with. It lasts until a later session ends with
 * less pain than the one that set it off. Fold sessions, oldest first,
 * through this; `caution` is null or {reason: "high"|"rising", pain, started_at}.
 * @param {import("#types").Health} state @param {SessionData} data
 * @returns {import("#types").Health}
 */
export function cautionStep(state, data) {
  let { caution } = state;
  if (caution && data.pain_after != null && data.pain_after < caution.pain) caution = null;
  const rising = painRose(data) ? state.rising + 1 : 0;
  if (data.pain_after != null && data.pain_after >= HIGH_PAIN) {
    caution = { reason: "high", pain: data.pain_after, started_at: data.started_at };
  } else if (rising >= 3) {
    // Three rises in a row: pain_after is a number.
    caution = { reason: "rising", pain: /** @type {number} */ (data.pain_after), started_at: data.started_at };
  }
  return { caution, rising };
}

export const NO_CAUTION = Object.freeze({ caution: null, rising: 0 });

/** @param {Exercise} exercise @param {string | null} variationId */
function levelOf(exercise, variationId) {
  return exercise.variations.find((v) => v.id === variationId)?.level ?? "standard";
}

const LEVELS = ["easier", "standard", "harder"];

/** The variation one level up or down from `variationId` (null is the standard way).
 * @param {Exercise} exercise @param {string | null} variationId @param {number} step */
function neighbour(exercise, variationId, step) {
  const level = LEVELS[LEVELS.indexOf(levelOf(exercise, variationId)) + step];
  if (!level) return undefined;
  if (level === "standard") return null;
  return exercise.variations.find((v) => v.level === level)?.id;
}

/** @param {Exercise} exercise */
export function holdRange(exercise) {
  return exercise.hold_seconds ?? null;
}

/** @param {Exercise} exercise @returns {Target} */
export function firstTarget(exercise) {
  return { reps: exercise.reps.min, hold: holdRange(exercise)?.min ?? null, variation: null,
    reason: { kind: "start" }, offer: null, calmAtTop: 0 };
}

/** @param {import("#types").ExerciseLog} entry @param {number} reps */
function doneAtLeast(entry, reps) {
  const done = entry.reps;
  return typeof done === "number" ? done >= reps : Math.min(done.left, done.right) >= reps;
}

/** One session's effect on one exercise's target (the rules of nextTargets).
 * @param {Exercise} exercise @param {Target} target @param {import("#types").ExerciseLog} entry
 * @param {SessionData} data @param {import("#types").Caution | null} caution
 * @returns {Target} */
export function step(exercise, target, entry, data, caution) {
  const { min, max } = exercise.reps;
  const holds = holdRange(exercise);
  const planned = { reps: entry.target?.reps ?? target.reps,
    hold: holds ? entry.target?.hold_seconds ?? target.hold : null };
  const used = entry.variation_id ?? null;
  const hurt = entry.hurt ? "hurt" : entry.rating === "painful" ? "painful"
    : painJump(data) >= 2 ? "pain-rose" : null;
  if (hurt) {
    // Back to the start; off the harder version; the easier one offered.
    const variation = levelOf(exercise, used) === "harder" ? null : used;
    const easier = neighbour(exercise, variation, -1);
    return { reps: min, hold: holds?.min ?? null, variation, calmAtTop: 0,
      reason: { kind: "eased", why: hurt, from: planned.reps },
      offer: easier === undefined || levelOf(exercise, variation) !== "standard" ? null
        : { variation: easier, direction: "easier" } };
  }
  const same = (/** @type {string} */ why) => ({ ...planned, variation: used, calmAtTop: 0, offer: null,
    reason: { kind: "same", why, from: planned.reps } });
  if (entry.skipped) return same("skipped");
  if (!doneAtLeast(entry, planned.reps)) return same("not-all-done");
  if (RAISE_BLOCKING_RATINGS.has(entry.rating ?? "")) return same("hard");
  if (painRose(data)) return same("pain-up");
  if (caution) return same("caution");
  const reps = Math.min(max, planned.reps + 1);
  const plannedHold = planned.hold ?? 0; // as arithmetic reads null
  const hold = holds ? Math.min(holds.max, plannedHold + 1) : null;
  const atTop = planned.reps >= max && (!holds || plannedHold >= holds.max);
  const calmAtTop = atTop && data.pain_after != null && data.pain_after <= LOW_PAIN
    ? target.calmAtTop + 1 : 0;
  /** @type {Target["reason"]} */
  let reason = { kind: "top" };
  if (reps > planned.reps) reason = { kind: "up", from: planned.reps };
  else if (holds && (hold ?? 0) > plannedHold) reason = { kind: "hold-up", from: planned.hold };
  const harder = calmAtTop >= 2 ? neighbour(exercise, used, 1) : undefined;
  return { reps, hold, variation: used, calmAtTop, reason,
    offer: harder === undefined ? null : { variation: harder, direction: "harder" } };
}
