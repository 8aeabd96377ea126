// The player: runs the timeline pacing.js builds, one tick at a time, says
// each phase (cues.js), keeps the screen on, saves its progress as it goes and
// the session at the end. What it shows is player-view.js's to draw.
import * as pacing from "./pacing.js";
import { t } from "../lib/i18n.js";
import { put, remove } from "../lib/db.js";
import { saveSession } from "../lib/sessions.js";
import { createCues, unlockAudio } from "./cues.js";
import { keepScreenOn, letScreenSleep } from "./wakelock.js";
import { setWorkoutRunning } from "../lib/activity.js";
import { figureFor, phaseMotion } from "./figures.js";

/** @typedef {import("#types").WorkoutState} WorkoutState @typedef {import("#types").Phase} Phase @typedef {import("#types").WorkoutEvent} WorkoutEvent */
/** @typedef {(state: WorkoutState, timeline: Phase[], now: string) => WorkoutEvent[]} Action */

const FALLBACK = { steps: [] }; // an exercise with no drawing: no motion

const TICK_MS = 200;
/** While the voice is still on a phase's sentence, the phase waits this short of its end. */
const HOLD_EDGE_MS = 50;
const SAVE_EVERY_MS = 3000;
/** @type {Record<string, string>} */
const PHASE_NAMES = { "get-ready": t("Get ready"), setup: t("Get into position"), hold: t("Hold"),
  switch: t("Switch sides"), rest: t("Rest") };

export class Player {
  /** @param {import("./player-view.js").View} view @param {import("#types").Routine} routine
   * @param {import("#types").Settings} settings */
  constructor(view, routine, settings) {
    this.view = view;
    this.routine = routine;
    this.settings = settings;
    this.cues = createCues(settings, { onSilent: (message) => view.voiceNote(message) });
    this.state = /** @type {WorkoutState | null} */ (null);
    this.timer = /** @type {number | null} */ (null);
    this.timeline = /** @type {Phase[]} */ ([]);
    this.starts = /** @type {number[]} when each phase starts */ ([]);
    this.totalMs = 0;
    this.lastSaved = 0;
    this.writing = false;
    this.writeAgain = false;
    window.addEventListener("pagehide", () => { this.persist(); this.cues.stop(); });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.persist();
    });
  }

  /** The workout under way: only asked for once load() has set it. */
  get live() { return /** @type {WorkoutState} */ (this.state); }

  /** @param {WorkoutState} state */
  load(state) {
    this.state = state;
    this.timeline = pacing.buildTimeline(this.routine, state.tempo, state.plan, state.msPerWord ?? null);
    const phase = this.timeline[state.index];
    if (phase) state.elapsedMs = Math.min(state.elapsedMs, phase.ms);
    // When each phase starts, for the progress bar, worked out once.
    this.starts = [];
    let at = 0;
    for (const phase of this.timeline) {
      this.starts.push(at);
      at += phase.ms;
    }
    this.totalMs = at;
    return this;
  }

  /** @param {number | null} painBefore @param {import("#types").Plan} plan @param {number | null} msPerWord */
  start(painBefore, plan, msPerWord) {
    unlockAudio();
    this.load(pacing.startState({ id: crypto.randomUUID(), startedAt: new Date().toISOString(),
      tempo: this.settings.tempo, painBefore, plan, msPerWord }));
    this.enter();
    this.handle([{ type: "phase", phase: this.timeline[0] }]);
  }

  /** @param {WorkoutState} saved */
  offerResume(saved) {
    this.load(saved);
    const phase = this.timeline[saved.index];
    const exercise = this.routine.exercises[phase.exercise];
    this.view.resumeText(t("You stopped at {name}, exercise {number} of {total}. Pick up where you left off, or end it and keep what you did.",
      { name: exercise.name, number: phase.exercise + 1, total: this.routine.exercises.length }));
    this.view.show("resume");
  }

  resume() {
    unlockAudio();
    const fromHurts = this.view.hurtsOpen();
    if (fromHurts) this.hideHurts();
    this.live.paused = false;
    if (!this.timer) this.enter();
    this.handle([{ type: "phase", phase: this.timeline[this.live.index] }]);
    if (fromHurts) this.view.focusStage();
  }

  enter() {
    this.render();
    this.view.show("player");
    setWorkoutRunning(true);
    keepScreenOn();
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const events = pacing.advance(this.live, this.timeline, this.allowedMs(now - last),
        new Date().toISOString());
      last = now;
      this.handle(events);
    }, TICK_MS);
    this.render();
    window.scrollTo(0, 0);
  }

  /** How much of `ms` may pass: a phase never ends while its sentence is still being said.
   * @param {number} ms */
  allowedMs(ms) {
    const phase = this.timeline[this.live.index];
    if (!phase || !this.cues.pending(phase)) return ms;
    return Math.min(ms, Math.max(0, phase.ms - HOLD_EDGE_MS - this.live.elapsedMs));
  }

  /** @param {Action} action */
  run(action) {
    this.handle(action(this.live, this.timeline, new Date().toISOString()));
  }

  /** Previous or Next, by the user: what was still to be said for the old step is wrong now.
   * @param {Action} action */
  step(action) {
    if (!this.state || this.state.status !== "running") return;
    this.cues.clear();
    this.run(action);
  }

  /** On to the next exercise, from the controls or the It hurts panel; it starts by itself. */
  skip() {
    if (!this.state || this.state.status !== "running") return;
    this.hideHurts();
    this.state.paused = false;
    this.cues.clear();
    this.run(pacing.skipExercise);
    if (this.state.status === "running") this.view.focusStage();
  }

  togglePause() {
    if (!this.state || this.state.status !== "running") return;
    if (this.state.paused) {
      this.resume();
      return;
    }
    this.pause();
    this.cues.say(t("Paused"));
  }

  pause() {
    this.live.paused = true;
    this.cues.clear();
    this.render();
    this.persist();
  }

  hurts() {
    if (!this.state || this.state.status !== "running") return;
    if (!this.state.paused) this.pause();
    const exercise = this.currentExercise();
    // Kept in the log: the next plan eases this exercise. During a rest the
    // pain is most likely from the exercise just done.
    const phase = this.timeline[this.state.index];
    const hurting = phase.kind === "rest" ? this.routine.exercises[phase.exercise - 1] : exercise;
    pacing.markHurt(this.state, hurting.id);
    this.persist();
    const easier = exercise.variations.find((v) => v.level === "easier");
    this.view.showHurts(easier && this.state.variations[exercise.id] !== easier.id ? easier : null);
    this.cues.say(t("Stop if the pain is sharp."), { kind: "safety" });
  }

  hideHurts() {
    this.view.hideHurts();
  }

  easier() {
    const exercise = this.currentExercise();
    const easier = exercise.variations.find((v) => v.level === "easier");
    if (!easier) { this.resume(); return; }
    this.live.variations = { ...this.live.variations, [exercise.id]: easier.id };
    this.resume();
    // Said before the step goes on: the step waits until it has been heard.
    this.cues.say(`${easier.name}. ${easier.text}`, { key: this.timeline[this.live.index] });
  }

  end() {
    if (this.live.status === "running") this.handle(pacing.end(this.live, new Date().toISOString()));
    else this.finish();
  }

  /** @param {WorkoutEvent[]} events */
  handle(events) {
    for (const event of events) {
      if (event.type === "phase") {
        this.cues.say(event.phase.cue, { key: event.phase });
        this.cues.beep();
        this.cues.buzz();
      } else if (event.type === "count") {
        if (event.phase.kind === "hold") this.cues.say(String(event.seconds), { kind: "count" });
        else this.cues.beep("count");
      } else if (event.type === "finished") {
        this.cues.say(t("Well done. Your workout is complete."));
        this.finish();
        return;
      }
    }
    this.render();
    const now = performance.now();
    if (events.length || now - this.lastSaved > SAVE_EVERY_MS) this.persist();
  }

  finish() {
    clearInterval(this.timer ?? undefined);
    this.timer = null;
    setWorkoutRunning(false);
    letScreenSleep();
    this.persist();
    const exercises = pacing.summarize(this.live, this.routine);
    this.view.showSummary(this.routine, this.live, exercises);
  }

  /** @param {number | null} painAfter @param {string} notes @param {Record<string, import("#types").Rating>} ratings */
  async save(painAfter, notes, ratings) {
    const { live: state, routine } = this;
    const exercises = pacing.summarize(state, routine).map((entry) => (ratings[entry.exercise_id]
      ? { ...entry, rating: ratings[entry.exercise_id] } : entry));
    const data = { routine_id: routine.id, started_at: state.startedAt, ended_at: state.endedAt,
      pain_before: state.painBefore, pain_after: painAfter, notes: notes.trim(), exercises };
    // The workout's own id: saving twice (a double tap, a crash in between)
    // overwrites the same log instead of making a second one.
    await saveSession(data, state.id);
    await remove("meta", pacing.PROGRESS_KEY);
    this.state = null;
    this.view.show("saved");
  }

  /** Save progress; one write at a time, always of the latest state. */
  persist() {
    if (!this.state) return;
    this.lastSaved = performance.now();
    if (this.writing) {
      this.writeAgain = true;
      return;
    }
    this.writing = true;
    const snapshot = { ...this.state, updatedAt: new Date().toISOString() };
    put("meta", snapshot, pacing.PROGRESS_KEY)
      .catch((error) => console.warn("Could not save progress:", error))
      .finally(() => {
        this.writing = false;
        if (this.writeAgain && this.state) {
          this.writeAgain = false;
          this.persist();
        }
      });
  }

  currentExercise() {
    return this.routine.exercises[this.timeline[this.live.index].exercise];
  }

  render() {
    if (!this.state || this.state.status !== "running") return;
    const phase = this.timeline[this.state.index];
    const exercise = this.routine.exercises[phase.exercise];
    const variation = exercise.variations.find((v) => v.id === this.live.variations[exercise.id]);
    this.view.renderStage({
      position: t("Exercise {number} of {total}", { number: phase.exercise + 1,
        total: this.routine.exercises.length }),
      name: exercise.name,
      figure: { exerciseId: exercise.id, variationId: variation?.id ?? null, side: phase.side ?? null,
        ...phaseMotion(figureFor(exercise.id, variation?.id) ?? FALLBACK, phase),
        elapsedMs: this.state.elapsedMs, ms: phase.ms, paused: this.state.paused },
      phase: phaseName(phase),
      seconds: String(pacing.secondsLeft(this.state, this.timeline)),
      counter: pacing.counterText(phase),
      text: phase.text,
      variation: variation ? `${variation.name}: ${variation.text}` : "",
      paused: this.state.paused,
      resting: phase.kind === "rest",
      progress: Math.round(((this.starts[this.state.index] + this.state.elapsedMs) / this.totalMs) * 1000),
    });
  }
}

/** @param {Phase} phase */
function phaseName(phase) {
  if (phase.kind === "move") {
    if (phase.breath === "inhale") return t("Breathe in");
    if (phase.breath === "exhale") return t("Breathe out");
    return t("Move");
  }
  return PHASE_NAMES[phase.kind];
}
