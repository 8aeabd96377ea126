// @ts-check
// The pure state machine that walks a workout's timeline (built in
// timeline.js, re-exported here), and the summary of what was done. No DOM:
// unit-tested in the page.
import { t } from "../lib/i18n.js";

export { SPEECH, buildTimeline, speechMs, totalMs } from "./timeline.js";

/** @typedef {import("#types").Routine} Routine @typedef {import("#types").Exercise} Exercise */
/** @typedef {import("#types").Plan} Plan @typedef {import("#types").ExerciseLog} ExerciseLog */
/** @typedef {import("#types").Phase} Phase @typedef {import("#types").WorkoutState} WorkoutState */
/** @typedef {import("#types").WorkoutEvent} WorkoutEvent */

/** Where a running workout's state is kept (IndexedDB, store "meta"). */
export const PROGRESS_KEY = "workout";
const RESTART_WINDOW_MS = 2000;

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
