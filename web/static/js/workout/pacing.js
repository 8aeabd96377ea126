// @ts-check
// The workout as a timeline of phases, and the pure state machine that walks
// it. Everything comes from the routine's content, one tempo setting and the
// plan (each exercise's reps and hold, from progress.js); nothing here knows
// any exercise by name. No DOM: unit-tested in the page.
import { t } from "../lib/i18n.js";

/** @typedef {import("#types").Routine} Routine @typedef {import("#types").Exercise} Exercise */
/** @typedef {import("#types").Step} Step @typedef {import("#types").Plan} Plan */
/** @typedef {import("#types").ExerciseLog} ExerciseLog @typedef {import("#types").Side} Side */

/** @typedef {import("#types").Phase} Phase @typedef {import("#types").WorkoutState} WorkoutState */
/** @typedef {import("#types").WorkoutEvent} WorkoutEvent */

/** @type {Record<string, number>} */
const TEMPOS = { slower: 1.5, normal: 1, faster: 0.75 };
/** Where a running workout's state is kept (IndexedDB, store "meta"). */
export const PROGRESS_KEY = "workout";
const RESTART_WINDOW_MS = 2000;
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

/** A new workout's state: plain data, saved as it goes.
 * @param {{id: string, startedAt: string, tempo?: string, painBefore?: number | null, plan?: Plan | null, msPerWord?: number | null}} start
 * @returns {WorkoutState} */
export function startState({ id, startedAt, tempo = "normal", painBefore = null, plan = null,
  msPerWord = null }) {
  const variations = Object.fromEntries(Object.entries(plan ?? {})
    .filter(([, p]) => p.variation_id).map(([exerciseId, p]) => [exerciseId, /** @type {string} */ (p.variation_id)]));
  // The voice's pace is kept with the state: a reload rebuilds the same timeline.
  return { id, startedAt, tempo, painBefore, plan, msPerWord, index: 0, elapsedMs: 0, paused: false,
    status: "running", done: [], skipped: [], hurt: [], variations, endedAt: null };
}

/** Note that an exercise hurt ("It hurts" pressed during it).
 * @param {WorkoutState} state @param {string} exerciseId */
export function markHurt(state, exerciseId) {
  if (!state.hurt.includes(exerciseId)) state.hurt = [...state.hurt, exerciseId];
}

/** @param {Phase} phase */
function repKey(phase) {
  return `${phase.exerciseId}:${phase.side ?? "-"}:${phase.rep}`;
}

/** @param {WorkoutState} state @param {Phase} phase */
function complete(state, phase) {
  if (phase.repEnd && !state.done.includes(repKey(phase))) state.done = [...state.done, repKey(phase)];
}

/** @param {WorkoutState} state @param {Phase[]} timeline @param {number} index
 * @param {WorkoutEvent[]} events @param {string | null} [now] */
function moveTo(state, timeline, index, events, now) {
  state.index = index;
  state.elapsedMs = 0;
  if (index >= timeline.length) {
    state.status = "finished";
    state.endedAt = now ?? null; // previous() names no time: it never goes past the end
    events.push({ type: "finished" });
  } else {
    events.push({ type: "phase", phase: timeline[index] });
  }
}

/** Let `ms` pass; return the events a listener should hear (phase starts, last seconds).
 * @param {WorkoutState} state @param {Phase[]} timeline @param {number} ms @param {string | null} [now]
 * @returns {WorkoutEvent[]} */
export function advance(state, timeline, ms, now = null) {
  /** @type {WorkoutEvent[]} */
  const events = [];
  if (state.paused || state.status !== "running") return events;
  let left = ms;
  while (left > 0 && state.status === "running") {
    const phase = timeline[state.index];
    const before = state.elapsedMs;
    const step = Math.min(left, phase.ms - before);
    state.elapsedMs = before + step;
    left -= step;
    const secondsLeftBefore = Math.ceil((phase.ms - before) / 1000);
    const secondsLeftAfter = Math.ceil((phase.ms - state.elapsedMs) / 1000);
    // Each of the last three whole seconds crossed, even in one long step.
    for (let second = secondsLeftBefore - 1; second >= Math.max(secondsLeftAfter, 1); second--) {
      if (second <= 3) events.push({ type: "count", seconds: second, phase });
    }
    if (state.elapsedMs >= phase.ms) {
      complete(state, phase);
      moveTo(state, timeline, state.index + 1, events, now);
    }
  }
  return events;
}

/** Finish the current phase now.
 * @param {WorkoutState} state @param {Phase[]} timeline @param {string | null} [now]
 * @returns {WorkoutEvent[]} */
export function next(state, timeline, now = null) {
  /** @type {WorkoutEvent[]} */
  const events = [];
  if (state.status !== "running") return events;
  complete(state, timeline[state.index]);
  moveTo(state, timeline, state.index + 1, events, now);
  return events;
}

/** Restart the current phase, or go back one if it has only just begun.
 * @param {WorkoutState} state @param {Phase[]} timeline @returns {WorkoutEvent[]} */
export function previous(state, timeline) {
  /** @type {WorkoutEvent[]} */
  const events = [];
  if (state.status !== "running") return events;
  const index = state.elapsedMs > RESTART_WINDOW_MS ? state.index : Math.max(0, state.index - 1);
  moveTo(state, timeline, index, events);
  return events;
}

/** Leave the current exercise for the next one's get-ready.
 * @param {WorkoutState} state @param {Phase[]} timeline @param {string | null} [now]
 * @returns {WorkoutEvent[]} */
export function skipExercise(state, timeline, now = null) {
  /** @type {WorkoutEvent[]} */
  const events = [];
  if (state.status !== "running") return events;
  const current = timeline[state.index].exercise;
  const id = timeline[state.index].exerciseId;
  if (!state.skipped.includes(id)) state.skipped = [...state.skipped, id];
  let index = timeline.findIndex((p) => p.exercise > current && p.kind === "get-ready");
  if (index < 0) index = timeline.length;
  moveTo(state, timeline, index, events, now);
  return events;
}

/** Stop here: the workout goes to its summary.
 * @param {WorkoutState} state @param {string} now @returns {WorkoutEvent[]} */
export function end(state, now) {
  state.status = "finished";
  state.endedAt = now;
  return [{ type: "finished" }];
}

/** Reps done for one exercise: a number, or {left, right} for sided exercises.
 * @param {WorkoutState} state @param {Exercise} exercise @returns {import("#types").Reps} */
function repsDone(state, exercise) {
  /** @param {string} side */
  const count = (side) => state.done.filter((k) => k.startsWith(`${exercise.id}:${side}:`)).length;
  return exercise.sides === "none" ? count("-") : { left: count("left"), right: count("right") };
}

/** The exercises part of a session log (ARCHITECTURE §4, data v1).
 * @param {WorkoutState} state @param {Routine} routine @returns {ExerciseLog[]} */
export function summarize(state, routine) {
  return routine.exercises.map((exercise) => {
    const reps = repsDone(state, exercise);
    const total = typeof reps === "number" ? reps : reps.left + reps.right;
    /** @type {ExerciseLog & {target?: {reps: number, hold_seconds?: number | null}}} */
    const entry = { exercise_id: exercise.id, reps,
      skipped: state.skipped.includes(exercise.id) || total === 0 };
    if (state.variations[exercise.id]) entry.variation_id = state.variations[exercise.id];
    if (state.hurt?.includes(exercise.id)) entry.hurt = true;
    const planned = state.plan?.[exercise.id];
    if (planned) {
      entry.target = { reps: planned.reps };
      if (planned.hold_seconds) entry.target.hold_seconds = planned.hold_seconds;
    }
    return entry;
  });
}

/** What the counter shows for a phase: "Rep 4 of 12 · left leg".
 * @param {Phase} phase */
export function counterText(phase) {
  if (!phase.rep) return "";
  const counts = { rep: phase.rep, reps: phase.reps };
  return phase.sideName ? t("Rep {rep} of {reps} · {side}", { ...counts, side: phase.sideName })
    : t("Rep {rep} of {reps}", counts);
}

/** Whole seconds left in the current phase, as the countdown shows them.
 * @param {WorkoutState} state @param {Phase[]} timeline */
export function secondsLeft(state, timeline) {
  const phase = timeline[state.index];
  return phase ? Math.ceil((phase.ms - state.elapsedMs) / 1000) : 0;
}

/** Reps of one log entry, in words: "15", "12 left, 12 right" or "Not done".
 * @param {ExerciseLog} entry */
export function describeReps(entry) {
  const { reps } = entry;
  const total = typeof reps === "object" ? reps.left + reps.right : reps;
  if (total === 0) return t("Not done");
  const text = typeof reps === "object" ? t("{left} left, {right} right", reps) : String(reps);
  return entry.skipped ? t("{reps} (then skipped)", { reps: text }) : text;
}
