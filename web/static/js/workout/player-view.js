// What /workout shows: the start form, the stage, the It hurts panel and the
// summary, drawn from what the player hands over; taps and keys go back to it
// as named actions.
import * as pacing from "./pacing.js";
import { lang, t, tn } from "../lib/i18n.js";
import { minutesText } from "./duration.js";
import { StageFigure } from "./stage-figure.js";

/** A name from the routine inside a sentence: lower case, except in German,
 * where nouns keep their capitals. */
function inSentence(name) {
  return lang === "de" ? name : name.toLowerCase();
}

export class View {
  constructor(root) {
    this.root = root;
    this.$ = (selector) => root.querySelector(selector);
    this.figure = new StageFigure(this.$("[data-figure]"));
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
