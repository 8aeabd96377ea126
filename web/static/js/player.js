// @ts-nocheck: typed once it is split into feature modules (issue 22); until then tsc skips it.
// The guided workout on /workout: plan, player, summary. The pacing lives in
// pacing.js, the plan in plan.js; this module wires them to the page, the
// voice and storage.
import * as pacing from "./pacing.js";
import { lang, routineUrl, t, tn } from "./i18n.js";
import { PlanView } from "./plan.js";
import { get, put, remove } from "./db.js";
import { saveSession } from "./sessions.js";
import { loadSettings } from "./settings-store.js";
import { createCues, unlockAudio } from "./cues.js";
import { planningPace } from "./voice-pace.js";
import { minutesText } from "./duration.js";
import { keepScreenOn, letScreenSleep } from "./wakelock.js";
import { setWorkoutRunning } from "./activity.js";
import { between, both as bothPoses, drawPose, figureFor, makeFigure, phaseMotion } from "./poses.js";

const FALLBACK = { steps: [] }; // an exercise with no drawing: no motion

const TICK_MS = 200;
/** While the voice is still on a phase's sentence, the phase waits this short of its end. */
const HOLD_EDGE_MS = 50;
const SAVE_EVERY_MS = 3000;
const PHASE_NAMES = { "get-ready": t("Get ready"), setup: t("Get into position"), hold: t("Hold"),
  switch: t("Switch sides"), rest: t("Rest") };

/** A name from the routine inside a sentence: lower case, except in German,
 * where nouns keep their capitals. */
function inSentence(name) {
  return lang === "de" ? name : name.toLowerCase();
}

export async function startWorkoutPage(root) {
  const view = new View(root);
  const [routine, settings, saved] = await Promise.all([
    fetch(routineUrl).then((r) => r.json()), loadSettings(), get("meta", pacing.PROGRESS_KEY),
  ]);
  const player = new Player(view, routine, settings);
  const pace = await planningPace(settings);
  const plan = new PlanView(root, routine, () => {
    view.showDuration(pacing.totalMs(pacing.buildTimeline(routine, settings.tempo, plan.current(), pace)));
  });
  // The plan is for the next workout: a running or ended one never waits for it.
  const planned = plan.refresh().catch((error) => console.warn("Could not work out the plan:", error));
  view.on("start", async (form) => {
    await planned;
    player.start(readPain(form, "pain_before"), plan.current(), pace);
  });
  view.on("resume", () => player.resume());
  view.on("end-saved", () => player.end());
  view.on("pause", () => player.togglePause());
  view.on("stage", () => player.togglePause());
  view.on("previous", () => player.step(pacing.previous));
  view.on("next", () => player.step(pacing.next));
  view.on("skip", () => player.skip());
  view.on("hurts", () => player.hurts());
  view.on("easier", () => player.easier());
  view.on("end", () => player.end());
  view.on("save", (form) => player.save(readPain(form, "pain_after"), form.elements.notes.value,
    readRatings(form)));
  view.on("again", async () => {
    // A new session starts blank: no pain rating, note or feeling from the last one.
    view.resetForms();
    await plan.refresh();
    view.show("prepare");
  });
  view.ready();
  if (saved?.status === "running") player.offerResume(saved);
  else if (saved?.status === "finished") player.load(saved).finish();
  else view.show("prepare");
  await planned;
}

/** The per-exercise "How did it feel?" answers: {exerciseId: rating}. */
function readRatings(form) {
  return Object.fromEntries([...form.elements]
    .filter((element) => element.dataset.rating && element.value)
    .map((element) => [element.dataset.rating, element.value]));
}

function readPain(form, name) {
  const value = form.elements[name].value;
  return value === "" ? null : Number(value);
}

class Player {
  constructor(view, routine, settings) {
    this.view = view;
    this.routine = routine;
    this.settings = settings;
    this.cues = createCues(settings, { onSilent: (message) => view.voiceNote(message) });
    this.state = null;
    this.timer = null;
    this.lastSaved = 0;
    this.writing = false;
    this.writeAgain = false;
    window.addEventListener("pagehide", () => { this.persist(); this.cues.stop(); });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.persist();
    });
  }

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

  start(painBefore, plan, msPerWord) {
    unlockAudio();
    this.load(pacing.startState({ id: crypto.randomUUID(), startedAt: new Date().toISOString(),
      tempo: this.settings.tempo, painBefore, plan, msPerWord }));
    this.enter();
    this.handle([{ type: "phase", phase: this.timeline[0] }]);
  }

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
    this.state.paused = false;
    if (!this.timer) this.enter();
    this.handle([{ type: "phase", phase: this.timeline[this.state.index] }]);
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
      const events = pacing.advance(this.state, this.timeline, this.allowedMs(now - last),
        new Date().toISOString());
      last = now;
      this.handle(events);
    }, TICK_MS);
    this.render();
    window.scrollTo(0, 0);
  }

  /** How much of `ms` may pass: a phase never ends while its sentence is still being said. */
  allowedMs(ms) {
    const phase = this.timeline[this.state.index];
    if (!phase || !this.cues.pending(phase)) return ms;
    return Math.min(ms, Math.max(0, phase.ms - HOLD_EDGE_MS - this.state.elapsedMs));
  }

  run(action) {
    this.handle(action(this.state, this.timeline, new Date().toISOString()));
  }

  /** Previous or Next, by the user: what was still to be said for the old step is wrong now. */
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
    this.state.paused = true;
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
    this.state.variations = { ...this.state.variations, [exercise.id]: easier.id };
    this.resume();
    // Said before the step goes on: the step waits until it has been heard.
    this.cues.say(`${easier.name}. ${easier.text}`, { key: this.timeline[this.state.index] });
  }

  end() {
    if (this.state.status === "running") this.handle(pacing.end(this.state, new Date().toISOString()));
    else this.finish();
  }

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
    clearInterval(this.timer);
    this.timer = null;
    setWorkoutRunning(false);
    letScreenSleep();
    this.persist();
    const exercises = pacing.summarize(this.state, this.routine);
    this.view.showSummary(this.routine, this.state, exercises);
  }

  async save(painAfter, notes, ratings) {
    const { state, routine } = this;
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
    return this.routine.exercises[this.timeline[this.state.index].exercise];
  }

  render() {
    if (!this.state || this.state.status !== "running") return;
    const phase = this.timeline[this.state.index];
    const exercise = this.routine.exercises[phase.exercise];
    const variation = exercise.variations.find((v) => v.id === this.state.variations[exercise.id]);
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

function phaseName(phase) {
  if (phase.kind === "move") {
    if (phase.breath === "inhale") return t("Breathe in");
    if (phase.breath === "exhale") return t("Breathe out");
    return t("Move");
  }
  return PHASE_NAMES[phase.kind];
}

/** The stage's figure: moves between its poses in step with the player's own
 * phase times (re-anchored at every tick, so it never drifts), still while
 * paused, and without motion when the user asks for reduced motion. */
class Figure {
  constructor(box) {
    this.box = box;
    this.key = null;
    this.frame = null;
    this.reduced = matchMedia("(prefers-reduced-motion: reduce)");
  }

  show(s) {
    const figure = figureFor(s.exerciseId, s.variationId);
    const key = `${s.exerciseId}/${s.variationId}`;
    if (!figure) { this.box.replaceChildren(); this.key = key; return; }
    if (key !== this.key) {
      this.key = key;
      this.svg = makeFigure(figure, bothPoses(figure));
      this.box.replaceChildren(this.svg);
    }
    this.figure = figure;
    this.side = s.side;
    this.anchor = { from: s.from, to: s.to, ms: s.ms, start: performance.now() - s.elapsedMs };
    this.still = s.paused || this.reduced.matches || s.from === s.to;
    if (this.reduced.matches) this.draw(s.to);
    else if (this.still) this.draw(this.at(s.elapsedMs));
    else if (this.frame === null) this.frame = requestAnimationFrame(() => this.tick());
    if (!this.still) this.draw(this.at(s.elapsedMs));
  }

  at(elapsedMs) {
    const { from, to, ms } = this.anchor;
    return from + (to - from) * Math.min(1, Math.max(0, ms ? elapsedMs / ms : 1));
  }

  tick() {
    this.frame = null;
    if (this.still) return;
    this.draw(this.at(performance.now() - this.anchor.start));
    this.frame = requestAnimationFrame(() => this.tick());
  }

  draw(at) {
    drawPose(this.svg, this.figure, between(this.figure.start, this.figure.end, at), { side: this.side });
    this.svg.dataset.t = at.toFixed(2);
    this.svg.dataset.pose = at === 0 ? "start" : at === 1 ? "end" : "between";
    this.svg.dataset.side = this.side ?? "";
  }
}

class View {
  constructor(root) {
    this.root = root;
    this.$ = (selector) => root.querySelector(selector);
    this.figure = new Figure(this.$("[data-figure]"));
    this.handlers = {};
    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action]");
      if (button) {
        this.handlers[button.dataset.action]?.();
      } else if (event.target.closest("[data-stage]")) {
        this.handlers.stage?.();
      }
    });
    this.$("#start-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.handlers.start?.(event.target);
    });
    this.$("#save-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.handlers.save?.(event.target);
    });
    document.addEventListener("keydown", (event) => this.key(event));
  }

  /** Space pauses and resumes, the arrows step back and on (the page says so). A
   * focused control keeps its own keys: Space presses the button it is on. */
  key(event) {
    if (this.$("#player").hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target instanceof Element ? event.target : null;
    const typing = target?.closest("input, select, textarea, [contenteditable]");
    const control = typing || target?.closest("button, a, summary");
    const action = { " ": control ? null : "pause", ArrowLeft: typing ? null : "previous",
      ArrowRight: typing ? null : "next" }[event.key];
    if (!action) return;
    event.preventDefault();
    this.handlers[action]?.();
  }

  /** Back to the stage, focus on the exercise's name: after the It hurts panel. */
  focusStage() {
    window.scrollTo(0, 0);
    this.$("[data-exercise-name]").focus({ preventScroll: true });
  }

  /** Say on the stage, once, that the voice is silent and why. */
  voiceNote(message) {
    const note = this.$("[data-voice-note]");
    note.textContent = message;
    note.hidden = false;
  }

  /** Show the start form: only once every control has its handler, so no tap is lost. */
  ready() {
    this.$("#start-form").hidden = false;
  }

  on(name, handler) {
    this.handlers[name] = (arg) => handler(arg);
  }

  show(name) {
    for (const id of ["resume", "prepare", "player", "finish", "saved"]) {
      this.$(`#${id}`).hidden = id !== name;
    }
    // On the mat the player is all there is: no header, no tabs, nothing to scroll.
    document.body.classList.toggle("is-playing", name === "player");
    if (name === "player") window.scrollTo(0, 0);
    const heading = this.$(`#${name} [tabindex="-1"]`);
    heading?.focus();
  }

  resetForms() {
    this.$("#start-form").reset();
    this.$("#save-form").reset();
  }

  showDuration(ms) {
    this.$("[data-duration]").textContent = minutesText(ms);
  }

  resumeText(text) {
    this.$("[data-resume-text]").textContent = text;
  }

  renderStage(s) {
    this.$("[data-position]").textContent = s.position;
    this.$("[data-exercise-name]").textContent = s.name;
    this.figure.show(s.figure);
    this.$("[data-phase]").textContent = s.phase;
    this.$("[data-seconds]").textContent = s.seconds;
    this.$("[data-counter]").textContent = s.counter;
    this.$("[data-text]").textContent = s.text;
    this.$("[data-variation]").textContent = s.variation;
    this.$("[data-variation]").hidden = !s.variation;
    this.$("[data-paused]").hidden = !s.paused;
    this.$("[data-action=pause]").textContent = s.paused ? t("Resume") : t("Pause");
    this.$("[data-action=next]").textContent = s.resting ? t("Skip rest") : t("Next");
    this.$("[data-progress]").value = s.progress;
    this.root.classList.toggle("is-paused", s.paused);
  }

  showHurts(easier) {
    const panel = this.$("[data-hurts]");
    panel.hidden = false;
    const button = panel.querySelector("[data-action=easier]");
    button.hidden = !easier;
    if (easier) {
      button.textContent = t("Switch to the easier version: {name}", { name: inSentence(easier.name) });
    }
    panel.querySelector("h2").focus();
  }

  hideHurts() {
    this.$("[data-hurts]").hidden = true;
  }

  hurtsOpen() {
    return !this.$("[data-hurts]").hidden;
  }

  showSummary(routine, state, exercises) {
    this.hideHurts();
    const minutes = Math.max(0, Math.round((Date.parse(state.endedAt) - Date.parse(state.startedAt)) / 60000));
    const finishedAll = exercises.every((e) => !e.skipped);
    this.$("#finish-title").textContent = finishedAll ? t("Workout complete") : t("Workout ended");
    this.$("[data-time]").textContent = tn(minutes, "{n} minute", "{n} minutes");
    this.$("[data-done]").textContent = t("{done} of {total}",
      { done: exercises.filter((e) => !e.skipped).length, total: exercises.length });
    const body = this.$("[data-summary]");
    // Each cell carries its column's header, shown beside it when a phone
    // stacks the table into rows (app.css .stack).
    const labels = [...body.closest("table").tHead.rows[0].cells].map((cell) => cell.textContent.trim());
    body.replaceChildren(...exercises.map((entry, i) => {
      const row = document.createElement("tr");
      const name = document.createElement("td");
      name.textContent = routine.exercises[i].name;
      const reps = document.createElement("td");
      reps.textContent = pacing.describeReps(entry);
      const feeling = document.createElement("td");
      if (!entry.skipped) feeling.append(ratingSelect(routine.exercises[i]));
      row.append(name, reps, feeling);
      labels.forEach((label, j) => { row.cells[j].dataset.label = label; });
      return row;
    }));
    this.show("finish");
  }
}

const RATINGS = [["", t("Say how")], ["easy", t("Easy")], ["ok", t("OK")], ["hard", t("Hard")],
  ["painful", t("Painful")]];

/** A choice of how an exercise felt, part of the save form; the next plan reads it. */
function ratingSelect(exercise) {
  const select = document.createElement("select");
  select.setAttribute("form", "save-form");
  select.dataset.rating = exercise.id;
  select.setAttribute("aria-label", t("How did {name} feel?", { name: inSentence(exercise.name) }));
  for (const [value, label] of RATINGS) select.append(new Option(label, value));
  return select;
}
