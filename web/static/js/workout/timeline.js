// @ts-check
// The workout as a timeline of phases: each step's time at the tempo, the
// plan's reps and holds, the time to change posture, and no phase shorter than
// its cue takes to say. Everything comes from the routine's content; nothing
// here knows any exercise by name. No DOM: unit-tested in the page (pacing.js).
import { t } from "../lib/i18n.js";

/** @typedef {import("#types").Routine} Routine @typedef {import("#types").Exercise} Exercise */
/** @typedef {import("#types").Step} Step @typedef {import("#types").Plan} Plan */
/** @typedef {import("#types").Phase} Phase @typedef {import("#types").Side} Side */

/** @type {Record<string, number>} */
const TEMPOS = { slower: 1.5, normal: 1, faster: 0.75 };
/** At least this long to get into a new posture (server/site/content.py too);
 * longer at the slower tempo, never shorter at the faster one. */
const POSITION_CHANGE_MS = 10000;
/** A breath of silence after a cue before the next phase begins. */
const CUE_GAP_MS = 400;

/** A voice's pace: about how long it takes to say a sentence. `msPerWord`
 * starts from ordinary speech and is kept honest by what the device says
 * (cues.js measures each sentence's start and end). */
export const SPEECH = Object.freeze({ msPerWord: 340, leadMs: 250 });

/** Milliseconds a voice at `msPerWord` takes to say `text`.
 * @param {string | null | undefined} text @param {number} [msPerWord] */
export function speechMs(text, msPerWord = SPEECH.msPerWord) {
  const words = String(text ?? "").split(/\s+/).filter(Boolean).length;
  return words ? SPEECH.leadMs + words * msPerWord : 0;
}

/** What to say when the body must change position: in our words, no hurry.
 * @type {Record<string, () => string>} */
const POSTURE_CUES = {
  back: () => t("Lie down on your back on the mat. Take your time."),
  front: () => t("Turn over onto your stomach and slide a pillow under it. Take your time."),
  "all-fours": () => t("Come up onto your hands and knees. Take your time."),
};

/** Reps planned per side: the plan's, or the lower count, a gentle start.
 * @param {Exercise} exercise @param {Plan | null} [plan] @returns {number} */
function plannedReps(exercise, plan = null) {
  return plan?.[exercise.id]?.reps ?? exercise.reps.min;
}

/** Seconds of each hold: the plan's, within the routine's range, or the step's own.
 * @param {Exercise} exercise @param {Step} step @param {Plan | null} plan */
function plannedHold(exercise, step, plan) {
  const range = exercise.hold_seconds;
  const wanted = plan?.[exercise.id]?.hold_seconds;
  if (!range || !wanted) return step.hold_seconds;
  return Math.min(range.max, Math.max(range.min, wanted));
}

/** How the body lies for an exercise as planned: its variation's posture, or its own.
 * @param {Exercise} exercise @param {Plan | null} plan */
function postureOf(exercise, plan) {
  const variationId = plan?.[exercise.id]?.variation_id;
  return exercise.variations.find((v) => v.id === variationId)?.posture ?? exercise.posture;
}

/** Build every phase of the workout, in order. `plan` maps exercise ids to
 * {reps, hold_seconds, variation_id}; without one, every exercise starts low.
 * `msPerWord` is the voice's pace when the cues are spoken (null: no voice):
 * no phase is shorter than its cue takes to say, so nothing is cut off.
 * @param {Routine} routine @param {string} [tempo] @param {Plan | null} [plan]
 * @param {number | null} [msPerWord] @returns {Phase[]} */
export function buildTimeline(routine, tempo = "normal", plan = null, msPerWord = null) {
  const factor = TEMPOS[tempo] ?? 1;
  const { pacing } = routine;
  /** @type {Phase[]} */
  const phases = [];
  /** @type {string | null} */
  let posture = null; // standing, phone in hand, before the first exercise
  routine.exercises.forEach((exercise, index) => {
    const base = { exercise: index, exerciseId: exercise.id };
    if (index > 0 && pacing.rest_seconds > 0) {
      phases.push({ ...base, kind: "rest", ms: pacing.rest_seconds * 1000,
        text: t("Rest. Up next: {name}.", { name: exercise.name }),
        cue: t("Rest. Next: {name}.", { name: exercise.name }) });
    }
    phases.push({ ...base, kind: "get-ready", ms: pacing.get_ready_seconds * 1000,
      text: exercise.key_cue, cue: t("{name}. Get ready.", { name: exercise.name }) });
    const steps = exercise.steps.map((step) => (step.hold_seconds
      ? { ...step, hold_seconds: plannedHold(exercise, step, plan) } : step));
    const here = postureOf(exercise, plan);
    const moving = here !== posture;
    posture = here;
    steps.filter((s) => s.kind === "setup").forEach((step, n) => {
      const setup = stepPhases(base, step, factor, "setup");
      if (moving && n === 0) {
        // Time to turn over and fetch the pillow, and words that say so.
        setup[0] = { ...setup[0], positionChange: true, cue: POSTURE_CUES[here](),
          ms: Math.max(setup[0].ms, Math.round(POSITION_CHANGE_MS * Math.max(1, factor))) };
      }
      phases.push(...setup);
    });
    const reps = plannedReps(exercise, plan);
    // Every exercise done on both sides names them (server/site/content.py).
    const sideNames = /** @type {{left: string, right: string}} */ (exercise.side_names);
    /** @type {(rep: number, side: Side | null) => void} */
    const addRep = (rep, side) => {
      const sideName = side ? sideNames[side] : null;
      const repPhases = steps.filter((s) => s.kind === "rep")
        .flatMap((step, n) => stepPhases({ ...base, step: n }, step, factor, "move"))
        .map((phase) => ({ ...phase, rep, reps, side, sideName }));
      const label = sideName ? t("Rep {rep}, {side}.", { rep, side: sideName }) : t("Rep {rep}.", { rep });
      repPhases[0] = { ...repPhases[0], repStart: true, cue: `${label} ${repPhases[0].cue}` };
      repPhases[repPhases.length - 1] = { ...repPhases[repPhases.length - 1], repEnd: true };
      phases.push(...repPhases);
    };
    if (exercise.sides === "none") {
      for (let rep = 1; rep <= reps; rep++) addRep(rep, null);
    } else if (exercise.sides === "each") {
      for (let rep = 1; rep <= reps; rep++) addRep(rep, "left");
      phases.push({ ...base, kind: "switch", ms: pacing.side_switch_seconds * 1000,
        text: t("Switch to the {side}.", { side: sideNames.right }),
        cue: t("Switch to the {side}.", { side: sideNames.right }) });
      for (let rep = 1; rep <= reps; rep++) addRep(rep, "right");
    } else {
      for (let rep = 1; rep <= reps; rep++) { addRep(rep, "left"); addRep(rep, "right"); }
    }
  });
  if (!msPerWord) return phases;
  return phases.map((phase) => {
    const needed = speechMs(phase.cue, msPerWord) + CUE_GAP_MS;
    return needed > phase.ms ? { ...phase, ms: needed } : phase;
  });
}

/** @param {{exercise: number, exerciseId: string, step?: number}} base @param {Step} step
 * @param {number} factor the tempo's @param {"setup" | "move"} kind @returns {Phase[]} */
function stepPhases(base, step, factor, kind) {
  /** @type {Phase[]} */
  const phases = [];
  if (step.seconds > 0) {
    phases.push({ ...base, kind, ms: Math.round(step.seconds * factor * 1000),
      text: step.text, cue: step.cue, breath: step.breath });
  }
  if (step.hold_seconds) {
    // Holds are the routine's facts ("hold for five seconds"): tempo leaves them be.
    phases.push({ ...base, kind: "hold", ms: step.hold_seconds * 1000,
      text: step.text, cue: step.seconds > 0 ? t("Hold") : step.cue, breath: null });
  }
  return phases;
}

/** @param {Phase[]} timeline */
export function totalMs(timeline) {
  return timeline.reduce((sum, phase) => sum + phase.ms, 0);
}
